"""Functions that make Go-backed arrays."""
import numpy as np

from . import _dtypes, _goarray
from ._orders import order_code as _order_code
from ._goarray import empty, zeros

_C_CONTIG, _F_CONTIG = 1, 2


def _is_array(obj):
    from ._array import Array
    return isinstance(obj, Array)


def _empty_for(src, dtype, order):
    """A new array with src's shape and dtype, laid out as numpy's order
    argument asks ('K' follows src's strides, 'A' is F if src is F- but not
    C-contiguous)."""
    order = chr(_order_code(order))
    if order == "A":
        order = "F" if (src.flags.f_contiguous and not src.flags.c_contiguous) else "C"
    if order == "K":
        return _goarray._new_like(src.shape, src.strides, src.itemsize, dtype, False)
    return empty(src.shape, dtype, order)


def ufunc_results(arrays, shape, dtypes, order="K"):
    """New arrays of shape, one per dtype, for the results of a ufunc on
    arrays (its array operands: numpy views or goarray arrays; scalars left
    out), laid out as numpy's ufunc lays out its own results for that
    order: C-contiguous where every operand is, else as numpy's iterator
    allocates them (order="K" follows the operands' memory order)."""
    if order in ("K", "A", None) and any(not a.flags.c_contiguous for a in arrays):
        ops = [np.asarray(a) for a in arrays]
        it = np.nditer(ops + [None] * len(dtypes), flags=["zerosize_ok", "refs_ok"],
                       op_flags=[["readonly"]] * len(ops) + [["writeonly", "allocate"]] * len(dtypes),
                       op_dtypes=[None] * len(ops) + list(dtypes), order=order or "K",
                       op_axes=None, itershape=tuple(shape))
        return tuple(_goarray._new_strided(tuple(shape), r.strides, d)
                     for r, d in zip(it.operands[len(ops):], dtypes))
    order = "F" if order == "F" else "C"
    return tuple(empty(shape, d, order) for d in dtypes)


def ones(shape, dtype=None, order="C"):
    """A new Go-backed array of ones (numpy.ones).

    Parameters
    ----------
    shape : int or sequence of ints
        The shape (at most ``goarray.MAX_DIMS`` dimensions).
    dtype : dtype_like, optional
        One of goarray's dtypes (bool, int8-64, uint8-64, float16-64,
        complex64/128) as a numpy.dtype, a numpy type, a string or a Python
        type; default float64.
    order : {'C', 'F'}, optional
        Row-major (C, the default) or column-major (Fortran) layout.

    Returns
    -------
    goarray.Array
        A new array that owns Go memory.

    Raises
    ------
    TypeError
        A dtype goarray does not hold (strings, objects, structured,
        non-native byte order).
    ValueError
        A negative dimension, too many dimensions, an order other than 'C'
        or 'F'.

    Examples
    --------
    >>> import numpy as np, goarray as ga
    >>> ga.ones((2, 3), dtype="int8")
    ga.Array([[1, 1, 1],
              [1, 1, 1]], dtype=int8)
    >>> np.ones((2, 3), dtype="int8")
    array([[1, 1, 1],
           [1, 1, 1]], dtype=int8)
    """
    a = empty(shape, dtype, order)
    a.fill(1)
    return a


def full(shape, fill_value, dtype=None, order="C"):
    """A new Go-backed array filled with ``fill_value`` (numpy.full).

    Parameters
    ----------
    shape : int or sequence of ints
        The shape (at most ``goarray.MAX_DIMS`` dimensions).
    fill_value : scalar or array_like
        The value, broadcast to ``shape`` and converted to ``dtype``
        (numpy's unsafe casting, as numpy.full).
    dtype : dtype_like, optional
        The dtype; default the dtype numpy gives ``fill_value``
        (``np.asarray(fill_value).dtype``).
    order : {'C', 'F'}, optional
        Row-major (C, the default) or column-major (Fortran) layout.

    Returns
    -------
    goarray.Array
        A new array that owns Go memory.

    Raises
    ------
    TypeError
        A dtype goarray does not hold (strings, objects, structured,
        non-native byte order).
    ValueError
        A negative dimension, too many dimensions, an order other than 'C'
        or 'F'.

    Examples
    --------
    >>> import numpy as np, goarray as ga
    >>> ga.full(3, 7)
    ga.Array([7, 7, 7])
    >>> np.full(3, 7)
    array([7, 7, 7])
    >>> ga.full((2, 2), 0.5, dtype="float32").tolist()
    [[0.5, 0.5], [0.5, 0.5]]
    """
    if dtype is None:
        dtype = np.asarray(fill_value).dtype
        _dtypes.code_of_numpy(dtype)
    a = empty(shape, dtype, order)
    np.copyto(np.asarray(a), fill_value, casting="unsafe")
    return a


def _proto(prototype):
    return prototype if hasattr(prototype, "strides") and hasattr(prototype, "flags") else np.asarray(prototype)


def empty_like(prototype, dtype=None, order="K", shape=None):
    """A new uninitialised Go-backed array shaped and laid out like ``prototype`` (numpy.empty_like).

    Parameters
    ----------
    prototype : array_like
        A goarray array, a numpy array or anything numpy.asarray accepts;
        its shape, dtype and layout are the defaults.
    dtype : dtype_like, optional
        The dtype instead of the prototype's.
    order : {'K', 'A', 'C', 'F'}, optional
        'K' (the default) follows the prototype's strides, 'A' is 'F' if the
        prototype is Fortran- but not C-contiguous, else 'C'.
    shape : int or sequence of ints, optional
        The shape instead of the prototype's (then 'K' and 'A' give 'F' for
        a Fortran-contiguous prototype of more than one dimension, else
        'C').

    Returns
    -------
    goarray.Array
        A new array that owns Go memory.

    Raises
    ------
    TypeError
        A dtype goarray does not hold.

    Examples
    --------
    >>> import numpy as np, goarray as ga
    >>> f = np.asfortranarray(np.zeros((2, 3)))
    >>> e = ga.empty_like(f)                       # order='K': f's strides
    >>> e.shape, e.strides, e.dtype
    ((2, 3), (8, 16), dtype('float64'))
    >>> np.empty_like(f).strides
    (8, 16)
    """
    src = _proto(prototype)
    dt = src.dtype if dtype is None else dtype
    if shape is not None:
        shape = (shape,) if isinstance(shape, (int, np.integer)) else tuple(shape)
        if shape != src.shape:
            f = str(order).upper() == "F" or (str(order).upper() in "AK" and src.ndim > 1
                                                and src.flags.f_contiguous and not src.flags.c_contiguous)
            return empty(shape, dt, "F" if f else "C")
    return _empty_for(src, dt, order)


def zeros_like(prototype, dtype=None, order="K", shape=None):
    """A new Go-backed array of zeros shaped and laid out like ``prototype`` (numpy.zeros_like).

    Parameters
    ----------
    prototype : array_like
        A goarray array, a numpy array or anything numpy.asarray accepts;
        its shape, dtype and layout are the defaults.
    dtype : dtype_like, optional
        The dtype instead of the prototype's.
    order : {'K', 'A', 'C', 'F'}, optional
        'K' (the default) follows the prototype's strides, 'A' is 'F' if the
        prototype is Fortran- but not C-contiguous, else 'C'.
    shape : int or sequence of ints, optional
        The shape instead of the prototype's (then 'K' and 'A' give 'F' for
        a Fortran-contiguous prototype of more than one dimension, else
        'C').

    Returns
    -------
    goarray.Array
        A new array that owns Go memory.

    Examples
    --------
    >>> import numpy as np, goarray as ga
    >>> ga.zeros_like(np.arange(3))
    ga.Array([0, 0, 0])
    >>> ga.zeros_like(ga.arange(3), dtype="float32", shape=(2, 2)).tolist()
    [[0.0, 0.0], [0.0, 0.0]]
    """
    a = empty_like(prototype, dtype, order, shape)
    a.fill(0)
    return a


def ones_like(prototype, dtype=None, order="K", shape=None):
    """A new Go-backed array of ones shaped and laid out like ``prototype`` (numpy.ones_like).

    Parameters
    ----------
    prototype : array_like
        A goarray array, a numpy array or anything numpy.asarray accepts;
        its shape, dtype and layout are the defaults.
    dtype : dtype_like, optional
        The dtype instead of the prototype's.
    order : {'K', 'A', 'C', 'F'}, optional
        'K' (the default) follows the prototype's strides, 'A' is 'F' if the
        prototype is Fortran- but not C-contiguous, else 'C'.
    shape : int or sequence of ints, optional
        The shape instead of the prototype's (then 'K' and 'A' give 'F' for
        a Fortran-contiguous prototype of more than one dimension, else
        'C').

    Returns
    -------
    goarray.Array
        A new array that owns Go memory.

    Examples
    --------
    >>> import numpy as np, goarray as ga
    >>> ga.ones_like([[1, 2, 3]])
    ga.Array([[1, 1, 1]])
    >>> np.ones_like([[1, 2, 3]])
    array([[1, 1, 1]])
    """
    a = empty_like(prototype, dtype, order, shape)
    a.fill(1)
    return a


def full_like(prototype, fill_value, dtype=None, order="K", shape=None):
    """A new Go-backed array of ``fill_value`` shaped and laid out like ``prototype`` (numpy.full_like).

    Parameters
    ----------
    prototype : array_like
        A goarray array, a numpy array or anything numpy.asarray accepts;
        its shape, dtype and layout are the defaults.
    fill_value : scalar or array_like
        The value, broadcast to the shape and converted to the dtype
        (numpy's unsafe casting: 2.5 in an integer array is 2).
    dtype, order, shape : optional
        As for :func:`empty_like`.

    Returns
    -------
    goarray.Array
        A new array that owns Go memory.

    Examples
    --------
    >>> import numpy as np, goarray as ga
    >>> ga.full_like(ga.arange(3), 2.5)            # the prototype's dtype: int64
    ga.Array([2, 2, 2])
    >>> np.full_like(np.arange(3), 2.5)
    array([2, 2, 2])
    >>> ga.full_like(ga.arange(3), 2.5, dtype=float).tolist()
    [2.5, 2.5, 2.5]
    """
    a = empty_like(prototype, dtype, order, shape)
    np.copyto(np.asarray(a), fill_value, casting="unsafe")
    return a


def arange(start, stop=None, step=1, dtype=None):
    """Evenly spaced values in [start, stop) (numpy.arange), Go-backed.

    Parameters
    ----------
    start : number
        The first value; with no ``stop``, the end (and the start is 0).
    stop : number, optional
        The end, not included.
    step : number, optional
        The spacing (default 1).
    dtype : dtype_like, optional
        The dtype; default numpy's for the arguments (int64 for integers,
        float64 for floats).

    Returns
    -------
    goarray.Array
        A new 1-D array that owns Go memory.

    Raises
    ------
    TypeError
        A dtype goarray does not hold (datetime ranges, ...).

    Notes
    -----
    numpy computes the values (so they are numpy's exactly) and they are
    copied into Go memory.

    Examples
    --------
    >>> import numpy as np, goarray as ga
    >>> ga.arange(5)
    ga.Array([0, 1, 2, 3, 4])
    >>> ga.arange(1, 2, 0.25)
    ga.Array([1.  , 1.25, 1.5 , 1.75])
    >>> np.arange(1, 2, 0.25)
    array([1.  , 1.25, 1.5 , 1.75])
    >>> ga.arange(3, dtype="uint8")
    ga.Array([0, 1, 2], dtype=uint8)
    """
    src = np.arange(start, stop, step) if dtype is None else np.arange(start, stop, step, dtype=dtype)
    return array(src, copy=True)


def array(obj, dtype=None, order="K", copy=True):
    """Copy ``obj`` into Go memory (numpy.array).

    ``obj`` may be a goarray.Array, a numpy array, any buffer exporter, a
    nested sequence or a scalar. Values are converted by numpy's rules; the
    result owns Go memory. ``copy=False`` raises if a copy would be needed
    (numpy 2's meaning); ``copy=None`` copies only when needed.

    Parameters
    ----------
    obj : array_like
        What to copy.
    dtype : dtype_like, optional
        The dtype; default obj's (numpy's for sequences and scalars; a
        byte-swapped numpy array becomes native).
    order : {'K', 'A', 'C', 'F'}, optional
        The layout of the copy: 'K' (the default) follows obj's strides.
    copy : bool or None, optional
        True (the default) always copies; None returns a goarray array
        that already has the dtype as it is; False does too and raises
        ValueError for anything else (only goarray arrays are in Go
        memory).

    Returns
    -------
    goarray.Array
        A new array that owns Go memory (or ``obj`` itself with
        ``copy=None`` or ``copy=False``).

    Raises
    ------
    TypeError
        A dtype goarray does not hold, in ``dtype`` or in what numpy makes
        of ``obj`` (strings, objects, ...).
    ValueError
        ``copy=False`` where a copy is needed.

    Notes
    -----
    A ``bytes`` object is refused with TypeError (numpy makes it a string
    scalar, not a uint8 array): :func:`asarray` and :func:`from_buffer`
    view its bytes as uint8.

    Examples
    --------
    >>> import numpy as np, goarray as ga
    >>> ga.array([[1, 2], [3, 4]])
    ga.Array([[1, 2],
              [3, 4]])
    >>> np.array([[1, 2], [3, 4]])
    array([[1, 2],
           [3, 4]])
    >>> x = np.arange(3.0)
    >>> g = ga.array(x, dtype="float32")           # a converted copy
    >>> g[0] = 9
    >>> x[0], g.dtype
    (np.float64(0.0), dtype('float32'))
    >>> ga.array(g, copy=None) is g
    True
    """
    code = None if dtype is None else _dtypes.resolve(dtype)
    if _is_array(obj):
        if code is None or code == _dtypes.resolve(obj.dtype):
            if copy is not True:
                return obj
            return obj.copy(order="K" if order is None else order)
        if copy is False:
            raise ValueError("Unable to avoid copy while creating an array as requested.")
        return obj.astype(_dtypes.DTYPES[code], order=order)
    if copy is False:
        raise ValueError("Unable to avoid copy while creating a goarray.Array from "
                         f"{type(obj).__name__}: its memory is not Go-owned.")
    if isinstance(obj, np.ndarray) or _has_buffer(obj):
        src = np.asarray(obj)
    elif code is not None:
        src = np.asarray(obj, dtype=_dtypes.DTYPES[code])
    else:
        src = np.asarray(obj)
    if code is None:
        dt = src.dtype
        if dt.byteorder == ">":
            dt = dt.newbyteorder("=")
        code = _dtypes.code_of_numpy(dt, obj if not isinstance(obj, np.ndarray) else dt)
    out = _empty_for(src, _dtypes.DTYPES[code], order)
    np.copyto(np.asarray(out), src, casting="unsafe")
    return out


def _has_buffer(obj):
    try:
        memoryview(obj).release()
        return True
    except TypeError:
        return False


def asarray(obj, dtype=None):
    """``obj`` as a goarray array without copying when possible (numpy.asarray).

    A goarray array of that dtype is returned as it is; any other buffer
    exporter (numpy array, memoryview, bytearray, array.array, mmap, ...)
    whose element type already matches is viewed in place with
    :func:`from_buffer`; anything else (nested sequences, scalars, other
    dtypes, formats goarray cannot read in place) is copied into Go memory.

    Parameters
    ----------
    obj : array_like
        A goarray array, a buffer exporter, a nested sequence or a scalar.
    dtype : dtype_like, optional
        The dtype wanted; default obj's.

    Returns
    -------
    goarray.Array
        ``obj`` itself, a view of obj's memory (holding obj's buffer; as
        writable as obj), or a copy in Go memory.

    Raises
    ------
    TypeError
        A dtype goarray does not hold.

    Examples
    --------
    >>> import numpy as np, goarray as ga
    >>> x = np.arange(3.0)
    >>> g = ga.asarray(x)                           # a view: no copy
    >>> g[0] = 42
    >>> x
    array([42.,  1.,  2.])
    >>> np.shares_memory(ga.asarray(x, dtype="float32"), x)   # another dtype: a copy
    False
    >>> ga.asarray(g) is g
    True
    >>> ga.asarray(b"ab")                           # read-only bytes, viewed as uint8
    ga.Array([97, 98], dtype=uint8)
    """
    want = None if dtype is None else _dtypes.resolve(dtype)
    if _is_array(obj):
        if want is None or want == _dtypes.resolve(obj.dtype):
            return obj
        return array(obj, dtype=dtype)
    if not isinstance(obj, (list, tuple, int, float, complex, bool, str)) and _has_buffer(obj):
        try:
            v = _goarray.from_buffer(obj)
        except (TypeError, BufferError):
            v = None  # a format or alignment goarray cannot view in place: copy below
        if v is not None and (want is None or want == _dtypes.resolve(v.dtype)):
            return v
    return array(obj, dtype=dtype)


def broadcast_to(array_, shape):
    """A read-only view of ``array_`` with the given shape, 0 strides where broadcast (numpy.broadcast_to).

    Parameters
    ----------
    array_ : array_like
        What to broadcast; made a goarray array first with :func:`asarray`
        (a view of a buffer whose dtype goarray holds: no copy).
    shape : int or sequence of ints
        The shape to broadcast to, by numpy's broadcasting rules.

    Returns
    -------
    goarray.Array
        A read-only view (``flags.writeable`` is False).

    Raises
    ------
    ValueError
        A shape array_ cannot be broadcast to.

    Examples
    --------
    >>> import numpy as np, goarray as ga
    >>> b = ga.broadcast_to(ga.arange(3), (2, 3))
    >>> b
    ga.Array([[0, 1, 2],
              [0, 1, 2]])
    >>> b.strides, b.flags.writeable
    ((0, 8), False)
    >>> np.broadcast_to(np.arange(3), (2, 3)).strides
    (0, 8)
    """
    a = asarray(array_)
    if isinstance(shape, (int, np.integer)):
        shape = (int(shape),)
    return a._shape_op(2, tuple(shape), 0)
