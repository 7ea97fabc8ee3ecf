"""argmin and argmax in Go, on the reductions' machinery (_reductions):
indices as numpy.intp, numpy's axis, out= and keepdims rules; float16
compares float32 copies (exact)."""
import numpy as np

from . import _registry
from ._array import Array
from ._kernels import _as_dtype
from ._reductions import _F4, _INTP, _Call, _axes, _axis, _input, _is_f16, _out_array

_ARGREDUCE = _registry.codes("argreduce")   # argmin, argmax -> code


def _arg(name, a, axis, out, keepdims, threads):
    x = _input(a)
    axes = _axes(None if axis is None else _axis(axis, "an integer is required for the axis"), x.ndim)
    o = _out_array(out)
    if o is not None:
        od = o.dtype if isinstance(o, Array) else np.asarray(o).dtype
        if not np.can_cast(od, _INTP, casting="safe"):
            raise TypeError(f"Cannot cast array data from {od!r} to {_INTP!r} according to the rule 'safe'")
    src = _as_dtype(x, False, _F4) if _is_f16(x.dtype) else x
    call = _Call(name, x, axes, keepdims, o, _INTP)
    return call.run("argreduce", _ARGREDUCE[name], src, threads).result()


def argmin(a, axis=None, out=None, *, keepdims=False, threads=None):
    """Indices of the minimum values over ``axis`` (numpy.argmin).

    Parameters
    ----------
    a : array_like
        A goarray array, a numpy array, any other buffer exporter, a nested
        sequence or a scalar.
    axis : int, optional
        The axis to search along; None, the default, searches the
        flattened array.
    out : goarray.Array or writable buffer, optional
        Where to write the indices: the result's shape, a dtype intp casts
        to safely.
    keepdims : bool, optional
        Keep the searched axis as an axis of length 1.
    threads : int, optional
        Goroutines to use (at least 1); default :func:`get_num_threads`.

    Returns
    -------
    numpy.intp or goarray.Array
        An intp scalar when the result has no axes (``axis=None``, or
        a 1-D ``a``), else an intp goarray array (or ``out``).

    Raises
    ------
    ValueError
        An empty search, as in numpy; an ``out`` of the wrong shape;
        ``threads`` below 1.
    TypeError
        An ``out`` of a dtype intp cannot be cast to safely, an axis that
        is not an integer.
    numpy.exceptions.AxisError
        An axis out of range.

    Notes
    -----
    Of equal minima the first index is returned; the first NaN wins, as in
    numpy. float16 is compared as float32 copies (exact).

    The reduction runs in Go on a's memory (buffers are read in place);
    for large inputs the GIL is released and the work is split over
    ``threads`` goroutines. Each output is reduced in chunks fixed by the
    shapes alone and the partial results are combined in a fixed order,
    so the result is bit-identical for every thread count.

    Examples
    --------
    >>> import numpy as np, goarray as ga
    >>> ga.argmin([3, 1, 2, 1])
    np.int64(1)
    >>> np.argmin([3, 1, 2, 1])
    np.int64(1)
    >>> ga.argmin(ga.asarray([[4.0, 2.0], [1.0, 3.0]]), axis=0)
    ga.Array([1, 0])
    """
    return _arg("argmin", a, axis, out, keepdims, threads)


def argmax(a, axis=None, out=None, *, keepdims=False, threads=None):
    """Indices of the maximum values over ``axis`` (numpy.argmax).

    Parameters
    ----------
    a : array_like
        A goarray array, a numpy array, any other buffer exporter, a nested
        sequence or a scalar.
    axis : int, optional
        The axis to search along; None, the default, searches the
        flattened array.
    out : goarray.Array or writable buffer, optional
        Where to write the indices: the result's shape, a dtype intp casts
        to safely.
    keepdims : bool, optional
        Keep the searched axis as an axis of length 1.
    threads : int, optional
        Goroutines to use (at least 1); default :func:`get_num_threads`.

    Returns
    -------
    numpy.intp or goarray.Array
        An intp scalar when the result has no axes (``axis=None``, or
        a 1-D ``a``), else an intp goarray array (or ``out``).

    Raises
    ------
    ValueError
        An empty search, as in numpy; an ``out`` of the wrong shape;
        ``threads`` below 1.
    TypeError
        An ``out`` of a dtype intp cannot be cast to safely, an axis that
        is not an integer.
    numpy.exceptions.AxisError
        An axis out of range.

    Notes
    -----
    Of equal maxima the first index is returned; the first NaN wins, as in
    numpy. float16 is compared as float32 copies (exact).

    The reduction runs in Go on a's memory (buffers are read in place);
    for large inputs the GIL is released and the work is split over
    ``threads`` goroutines. Each output is reduced in chunks fixed by the
    shapes alone and the partial results are combined in a fixed order,
    so the result is bit-identical for every thread count.

    Examples
    --------
    >>> import numpy as np, goarray as ga
    >>> a = ga.arange(6.0).reshape(2, 3)
    >>> ga.argmax(a)                                # of the flattened array
    np.int64(5)
    >>> ga.argmax(a, axis=1)
    ga.Array([2, 2])
    >>> ga.argmax([1.0, np.nan, 2.0, np.nan])       # the first NaN
    np.int64(1)
    """
    return _arg("argmax", a, axis, out, keepdims, threads)
