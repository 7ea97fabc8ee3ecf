"""The Array methods that see the elements in another shape or dtype:
view, ravel, flatten, squeeze, swapaxes (ndarray's). The views are made
in Go (the C type's reshape, transpose and view); numpy decides where its
rules are involved (ravel's and flatten's orders), and a copy numpy makes
goes to Go memory. Attached to goarray.Array when goarray._array loads.
"""
import operator

import numpy as np

from . import _dtypes
from ._array import _OPS, Array
from ._goarray import empty as _empty


def _bad_axis(axis, ndim, prefix=None):
    exc = np.exceptions.AxisError if hasattr(np, "exceptions") else np.AxisError
    raise exc(axis, ndim, prefix)


def view(self, dtype=None):
    """The same bytes seen as another dtype, as numpy's ``view(dtype)``.

    ``view(numpy.ndarray)`` returns a zero-copy numpy view instead.

    Parameters
    ----------
    dtype : dtype_like or type, optional
        The dtype to see the bytes as (default this array's); the last
        axis must be contiguous when the item size changes. The type
        ``numpy.ndarray`` asks for a numpy view.

    Returns
    -------
    goarray.Array or numpy.ndarray
        A view of the same memory.

    Raises
    ------
    ValueError
        An item size change the last axis does not allow.
    TypeError
        A dtype goarray does not hold.

    Examples
    --------
    >>> import numpy as np, goarray as ga
    >>> a = ga.zeros(2, dtype="float32")
    >>> a.view("uint8").shape
    (8,)
    >>> a.view("int32")[0] = 0x3f800000            # the bits of 1.0
    >>> a.tolist()
    [1.0, 0.0]
    >>> type(a.view(np.ndarray))
    <class 'numpy.ndarray'>
    """
    if isinstance(dtype, type) and issubclass(dtype, np.ndarray):
        return self._np().view(dtype)
    code = _dtypes.resolve(self.dtype if dtype is None else dtype)
    return self._shape_op(_OPS["view"], None, code)

def ravel(self, order="C"):
    """The elements as a contiguous 1-D array: a view when the layout allows, else a copy (ndarray.ravel).

    As in numpy, the result is always contiguous: a view of this array
    when its elements already lie contiguously in the requested order,
    otherwise a new array, so writing to it never changes this array
    unless it is a view.

    Parameters
    ----------
    order : {'C', 'F', 'A', 'K'}, optional
        Read the elements in row-major (C, the default) or column-major
        (F) order; 'A' is 'F' for a Fortran-contiguous array and 'C'
        otherwise; 'K' reads them in the order they lie in memory.

    Returns
    -------
    goarray.Array

    Examples
    --------
    >>> import goarray as ga
    >>> a = ga.arange(6).reshape(2, 3)
    >>> a.ravel()
    ga.Array([0, 1, 2, 3, 4, 5])
    >>> a.ravel("F")
    ga.Array([0, 3, 1, 4, 2, 5])
    >>> a.ravel().base is not None                # a view
    True
    >>> a.T.ravel("K")                            # memory order: a view too
    ga.Array([0, 1, 2, 3, 4, 5])
    >>> r = a[:, ::-1].ravel()                    # not contiguous: a copy
    >>> r[0] = 9
    >>> int(a[0, 2])
    2
    """
    if order not in ("C", "F", "A", "K", "c", "f", "a", "k", None):
        raise ValueError(f"order must be one of 'C', 'F', 'A', or 'K' (got {order!r})")
    order = "C" if order is None else order.upper()
    v = np.asarray(self)
    r = v.ravel(order)   # numpy decides view or copy, by its own rules
    if r.size and r.__array_interface__["data"][0] != self._data:
        out = _empty(r.shape, r.dtype)   # numpy copied: the copy goes to Go memory
        np.copyto(np.asarray(out), r)
        return out
    if order == "K" and not (v.flags.c_contiguous or v.flags.f_contiguous):
        # contiguous in memory in some axis order: that order, as a view
        perm = sorted(range(self.ndim), key=lambda i: -abs(self.strides[i]))
        return self.transpose(perm).reshape(-1)
    if order in ("A", "K"):
        order = "F" if v.flags.f_contiguous and not v.flags.c_contiguous else "C"
    return self.reshape(-1, order=order)

def flatten(self, order="C"):
    """A 1-D copy of the elements (ndarray.flatten).

    Parameters
    ----------
    order : {'C', 'F', 'A', 'K'}, optional
        Read the elements in row-major (C, the default) or column-major
        (F) order; 'A' reads in F order for a Fortran-contiguous array
        and C order otherwise, 'K' in the order they lie in memory
        (numpy's rules).

    Returns
    -------
    goarray.Array
        A new array in Go memory that owns its data.

    Examples
    --------
    >>> import goarray as ga
    >>> a = ga.arange(6).reshape(2, 3)
    >>> a.flatten("F")
    ga.Array([0, 3, 1, 4, 2, 5])
    >>> a.T.flatten("A")                          # a.T is Fortran-contiguous
    ga.Array([0, 1, 2, 3, 4, 5])
    >>> f = a.flatten()
    >>> f[0] = 9                                  # a copy: a is unchanged
    >>> int(a[0, 0])
    0
    """
    if order not in ("C", "F", "A", "K", "c", "f", "a", "k", None):
        raise ValueError(f"order must be one of 'C', 'F', 'A', or 'K' (got {order!r})")
    src = np.asarray(self).ravel("K" if order is None else order)   # a view where the layout allows
    out = _empty(src.shape, src.dtype)
    np.copyto(np.asarray(out), src)
    return out

def squeeze(self, axis=None):
    """The array without axes of length 1: a view (ndarray.squeeze).

    Parameters
    ----------
    axis : int or tuple of ints, optional
        The axes to remove; default every axis of length 1.

    Returns
    -------
    goarray.Array

    Raises
    ------
    ValueError
        An axis whose length is not 1.
    numpy.exceptions.AxisError
        An axis out of range.

    Examples
    --------
    >>> import goarray as ga
    >>> a = ga.zeros((1, 2, 1, 3))
    >>> a.squeeze().shape
    (2, 3)
    >>> a.squeeze(axis=0).shape
    (2, 1, 3)
    """
    shape = self.shape
    if axis is None:
        keep = [d for d in shape if d != 1]
    else:
        axes = {a % self.ndim if -self.ndim <= a < self.ndim else _bad_axis(a, self.ndim)
                for a in ((axis,) if isinstance(axis, int) else axis)}
        for a in axes:
            if shape[a] != 1:
                raise ValueError("cannot select an axis to squeeze out which has size not equal to one")
        keep = [d for i, d in enumerate(shape) if i not in axes]
    return self.reshape(tuple(keep))

def swapaxes(self, axis1, axis2):
    """A view with ``axis1`` and ``axis2`` interchanged (ndarray.swapaxes).

    Parameters
    ----------
    axis1, axis2 : int
        The axes to swap (negative counts from the last).

    Returns
    -------
    goarray.Array

    Raises
    ------
    numpy.exceptions.AxisError
        An axis out of range.

    Examples
    --------
    >>> import goarray as ga
    >>> a = ga.zeros((2, 3, 4))
    >>> a.swapaxes(0, -1).shape
    (4, 3, 2)
    """
    nd = self.ndim
    a1, a2 = (operator.index(a) for a in (axis1, axis2))
    for name, a in (("axis1", a1), ("axis2", a2)):
        if not -nd <= a < nd:
            _bad_axis(a, nd, name)
    perm = list(range(nd))
    perm[a1], perm[a2] = perm[a2], perm[a1]
    return self.transpose(perm)


for _f in (view, ravel, flatten, squeeze, swapaxes):
    _f.__qualname__ = "Array." + _f.__name__
    setattr(Array, _f.__name__, _f)
del _f
