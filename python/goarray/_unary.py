"""Elementwise Go kernels of one array: negative, abs, sqrt, exp, log and
clip (copyto and fill: _copyto; see _kernels for the common rules:
operands, threads, GIL release, Ctrl-C).

>>> import numpy as np, goarray as ga
>>> ga.sqrt(np.arange(4, dtype=np.int8))         # numpy's loop: int8 -> float16
ga.Array([0.   , 1.   , 1.414, 1.732], dtype=float16)

Type resolution is numpy's own (``ufunc.resolve_dtypes``, NEP 50), so the
result dtype, ``dtype=`` and the casting errors are numpy's; the arithmetic
runs in Go, on the inputs' memory, without the GIL for large arrays.
"""
import functools

import numpy as np

from . import _arrow, _dtypes, _goarray, _registry
from ._array import Array
from ._compat import CLIP_DROPS_OUT_OF_RANGE_INT, CLIP_NO_BOUNDS_ERROR
from ._creation import empty
from ._kernels import _operand, _output, _shape, _threads, loop_dtypes, out_dtype, result_type

_UNARY = _registry.codes("unary")
_UNARY_FAMILY, _COPYCAST, _CLIP = _registry.family("unary"), _registry.entry("copycast", "copycast"), _registry.entry("clip", "clip")
_CASTINGS = ("no", "equiv", "safe", "same_kind", "unsafe")


def _input(x):
    """_operand, after making numpy inputs the kernels cannot read (byte
    swapped, misaligned) native copies, as numpy's own loops would."""
    if (not isinstance(x, (Array, bool, int, float, complex)) or isinstance(x, np.generic)) and not isinstance(
            x := _arrow.operand(x), Array):
        a = np.asarray(_buffer_view(x))
        if a.dtype.kind in "biufc" and a.dtype.byteorder == ">":
            x = a.astype(a.dtype.newbyteorder("="))
        elif not a.flags.aligned:
            x = a.copy()
        else:
            x = a
    return _operand(x)


def _buffer_view(x):
    """x, or a memoryview of it when it is a buffer exporter numpy would
    not read as one (np.asarray(b"ab") is a bytes scalar, not uint8)."""
    if isinstance(x, (np.ndarray, np.generic, memoryview)):
        return x
    try:
        return memoryview(x)
    except TypeError:
        return x


def _cast(x, weak, dt, threads):
    """x as an operand of dtype dt: unchanged if it has that dtype, else
    converted in Go (numpy's unsafe cast; callers check the casting rule)."""
    if weak:
        # numpy makes a Python scalar an array of its default dtype and
        # casts that to the loop's (np.negative(300, dtype=np.int8) wraps).
        a = np.asarray(x)
        return a if a.dtype == dt else a.astype(dt)
    if x.dtype == dt:
        return x
    c = empty(x.shape, dt)
    _goarray._call(*_COPYCAST, threads, c, x)
    return c


def _result(out, shape, dt, like=None, casting="same_kind"):
    """(array the kernel writes, array to copy it into afterwards or None).

    numpy's ufunc rules for out=: the inputs broadcast to out's shape, out's
    dtype takes the result under the casting rule. Without out, the result
    is laid out like `like` (numpy's order="K") when it has the same shape."""
    if out is None:
        if like is not None and tuple(like.shape) == tuple(shape):
            return _goarray._new_like(like.shape, like.strides, like.itemsize, dt, False), None
        return empty(shape, dt), None
    o = out[0] if isinstance(out, tuple) and len(out) == 1 else out
    oshape = tuple(o.shape) if isinstance(o, Array) else np.asarray(o).shape
    try:
        if np.broadcast_shapes(shape, oshape) == oshape:
            shape = oshape
    except ValueError:
        pass
    res, back = _output(o, shape, dt, _dtypes.code_of_numpy(dt), casting)
    if back is None and not isinstance(res, Array) and not np.asarray(res).flags.aligned:
        res, back = empty(shape, dt), np.asarray(res)
    return res, back


def _finish(out, res, back, threads):
    if back is not None:
        if back.flags.aligned and back.dtype.byteorder != ">":
            _goarray._call(*_COPYCAST, threads, back, res)
        else:
            np.copyto(back, np.asarray(res), casting="unsafe")
    if out is None:
        return res
    return out[0] if isinstance(out, tuple) else out


@functools.lru_cache(maxsize=1024)
def _loop(name, key, out_key, dtype, casting):
    """numpy's (input, output) dtypes of ufunc `name` (loop_dtypes), both
    dtypes goarray holds (TypeError otherwise); cached per call signature."""
    in_dt, out_dt = loop_dtypes(getattr(np, name), (key, out_key), dtype, casting)
    _dtypes.code_of_numpy(in_dt)
    _dtypes.code_of_numpy(out_dt)
    return in_dt, out_dt


def _unary(name, x, out, dtype, casting, threads):
    xo, weak = _input(x)
    if weak:
        # A Python scalar alone is an array of its default dtype (NEP 50's
        # weak promotion only matters beside arrays).
        xo, weak = np.asarray(xo), False
    o = out[0] if isinstance(out, tuple) and len(out) == 1 else out
    # numpy's loop: dtype=, casting= and out='s dtype judged by numpy itself
    key = (name, xo.dtype, None if o is None else out_dtype(o), dtype, casting)
    if type(casting) is str and (dtype is None or isinstance(dtype, (str, type, np.dtype))):
        in_dt, out_dt = _loop(*key)
    else:   # numpy judges any other dtype= or casting= (unhashable ones too), uncached
        in_dt, out_dt = _loop.__wrapped__(*key)
    t = _threads(threads)
    src = _cast(xo, weak, in_dt, t)
    res, back = _result(out, _shape(xo, weak), out_dt, None if weak else xo, "unsafe")
    _goarray._call(_UNARY_FAMILY, _UNARY[name], t, res, src)
    return _finish(out, res, back, t)


def negative(x, out=None, *, dtype=None, casting="same_kind", threads=None):
    """Numerical negative, elementwise: ``-x`` (numpy.negative).

    Parameters
    ----------
    x : array_like
        A goarray array, a numpy array, any other buffer exporter
        (memoryview, bytearray, array.array, ...), a nested sequence or a
        Python scalar.
    out : goarray.Array or writable buffer, optional
        Where to write the result: x's shape (or one x broadcasts to), any
        dtype the result casts to with ``same_kind``. A 1-tuple is
        accepted, as in numpy.
    dtype : dtype_like, optional
        The result dtype (numpy's ``dtype=`` of a ufunc: the loop is chosen
        for it, and x must cast to the loop's dtype under ``casting``).
    casting : {'no', 'equiv', 'safe', 'same_kind', 'unsafe'}, optional
        numpy's casting rule for x and ``out`` (default ``'same_kind'``).
    threads : int, optional
        Goroutines to use (at least 1); default :func:`get_num_threads`.

    Returns
    -------
    goarray.Array
        A new array in Go memory, laid out like ``x`` (0-d for a scalar),
        or ``out``.

    Raises
    ------
    TypeError
        A dtype goarray does not hold, a loop numpy does not have (for the
        input dtype or ``dtype=``), an ``out`` the result cannot be cast to.
    ValueError
        An ``out`` of another shape, or read-only; ``threads`` below 1.

    Notes
    -----
    Integers wrap around (the negative of int8 -128 is -128); bool is
    refused with numpy's TypeError. The results are exact.

    The result dtype and the casting checks are numpy's own
    (``ufunc.resolve_dtypes``). The arithmetic runs in Go on x's memory
    (an input of another dtype than the loop's is converted first); for
    large inputs the GIL is released and the work is split over
    ``threads`` goroutines. No floating-point warnings are raised where
    numpy warns; the IEEE results (inf, NaN, signed zeros) are numpy's.

    Examples
    --------
    >>> import numpy as np, goarray as ga
    >>> ga.negative(ga.arange(3))
    ga.Array([ 0, -1, -2])
    >>> ga.negative(np.array([-128, 5], dtype=np.int8))
    ga.Array([-128,   -5], dtype=int8)
    >>> np.negative(np.array([-128, 5], dtype=np.int8))
    array([-128,   -5], dtype=int8)
    """
    return _unary("negative", x, out, dtype, casting, threads)


def absolute(x, out=None, *, dtype=None, casting="same_kind", threads=None):
    """Absolute value, elementwise: ``|x|`` (numpy.absolute, also ``goarray.abs``).

    Parameters
    ----------
    x : array_like
        A goarray array, a numpy array, any other buffer exporter
        (memoryview, bytearray, array.array, ...), a nested sequence or a
        Python scalar.
    out : goarray.Array or writable buffer, optional
        Where to write the result: x's shape (or one x broadcasts to), any
        dtype the result casts to with ``same_kind``. A 1-tuple is
        accepted, as in numpy.
    dtype : dtype_like, optional
        The result dtype (numpy's ``dtype=`` of a ufunc: the loop is chosen
        for it, and x must cast to the loop's dtype under ``casting``).
    casting : {'no', 'equiv', 'safe', 'same_kind', 'unsafe'}, optional
        numpy's casting rule for x and ``out`` (default ``'same_kind'``).
    threads : int, optional
        Goroutines to use (at least 1); default :func:`get_num_threads`.

    Returns
    -------
    goarray.Array
        A new array in Go memory, laid out like ``x`` (0-d for a scalar),
        or ``out``.

    Raises
    ------
    TypeError
        A dtype goarray does not hold, a loop numpy does not have (for the
        input dtype or ``dtype=``), an ``out`` the result cannot be cast to.
    ValueError
        An ``out`` of another shape, or read-only; ``threads`` below 1.

    Notes
    -----
    Complex inputs give real results of the same precision
    (``|3+4j|`` is 5.0), computed as numpy's SIMD loop computes them
    (larger * sqrt(1 + (smaller/larger)**2) with a fused multiply-add, in
    the element's precision), so they are numpy's bytes. Integers wrap
    around as in numpy (the absolute value of int8 -128 is -128). Real
    results are exact.

    The result dtype and the casting checks are numpy's own
    (``ufunc.resolve_dtypes``). The arithmetic runs in Go on x's memory
    (an input of another dtype than the loop's is converted first); for
    large inputs the GIL is released and the work is split over
    ``threads`` goroutines. No floating-point warnings are raised where
    numpy warns; the IEEE results (inf, NaN, signed zeros) are numpy's.

    Examples
    --------
    >>> import numpy as np, goarray as ga
    >>> ga.absolute([-1.5, 2.0])
    ga.Array([1.5, 2. ])
    >>> ga.abs(np.array([3 + 4j], dtype=np.complex64))
    ga.Array([5.], dtype=float32)
    >>> np.abs(np.array([3 + 4j], dtype=np.complex64))
    array([5.], dtype=float32)
    """
    return _unary("absolute", x, out, dtype, casting, threads)


abs = absolute


def sqrt(x, out=None, *, dtype=None, casting="same_kind", threads=None):
    """Non-negative square root, elementwise (numpy.sqrt).

    Parameters
    ----------
    x : array_like
        A goarray array, a numpy array, any other buffer exporter
        (memoryview, bytearray, array.array, ...), a nested sequence or a
        Python scalar.
    out : goarray.Array or writable buffer, optional
        Where to write the result: x's shape (or one x broadcasts to), any
        dtype the result casts to with ``same_kind``. A 1-tuple is
        accepted, as in numpy.
    dtype : dtype_like, optional
        The result dtype (numpy's ``dtype=`` of a ufunc: the loop is chosen
        for it, and x must cast to the loop's dtype under ``casting``).
    casting : {'no', 'equiv', 'safe', 'same_kind', 'unsafe'}, optional
        numpy's casting rule for x and ``out`` (default ``'same_kind'``).
    threads : int, optional
        Goroutines to use (at least 1); default :func:`get_num_threads`.

    Returns
    -------
    goarray.Array
        A new array in Go memory, laid out like ``x`` (0-d for a scalar),
        or ``out``.

    Raises
    ------
    TypeError
        A dtype goarray does not hold, a loop numpy does not have (for the
        input dtype or ``dtype=``), an ``out`` the result cannot be cast to.
    ValueError
        An ``out`` of another shape, or read-only; ``threads`` below 1.

    Notes
    -----
    Integers and bools give floats (float16 for 8-bit inputs, float32 for
    16-bit, float64 otherwise: numpy's loops). Real square roots are
    correctly rounded, so they equal numpy's exactly; a negative real gives
    NaN without numpy's warning. Complex results may differ from numpy's
    in the last bit or two.

    The result dtype and the casting checks are numpy's own
    (``ufunc.resolve_dtypes``). The arithmetic runs in Go on x's memory
    (an input of another dtype than the loop's is converted first); for
    large inputs the GIL is released and the work is split over
    ``threads`` goroutines. No floating-point warnings are raised where
    numpy warns; the IEEE results (inf, NaN, signed zeros) are numpy's.

    Examples
    --------
    >>> import numpy as np, goarray as ga
    >>> ga.sqrt([4.0, 2.0])
    ga.Array([2.        , 1.41421356])
    >>> np.sqrt([4.0, 2.0])
    array([2.        , 1.41421356])
    >>> ga.sqrt(np.arange(4, dtype=np.int8))           # numpy's loop: int8 -> float16
    ga.Array([0.   , 1.   , 1.414, 1.732], dtype=float16)
    >>> ga.sqrt(np.array([-1 + 0j]))
    ga.Array([0.+1.j])
    """
    return _unary("sqrt", x, out, dtype, casting, threads)


def exp(x, out=None, *, dtype=None, casting="same_kind", threads=None):
    """Exponential, elementwise: ``e**x`` (numpy.exp).

    Parameters
    ----------
    x : array_like
        A goarray array, a numpy array, any other buffer exporter
        (memoryview, bytearray, array.array, ...), a nested sequence or a
        Python scalar.
    out : goarray.Array or writable buffer, optional
        Where to write the result: x's shape (or one x broadcasts to), any
        dtype the result casts to with ``same_kind``. A 1-tuple is
        accepted, as in numpy.
    dtype : dtype_like, optional
        The result dtype (numpy's ``dtype=`` of a ufunc: the loop is chosen
        for it, and x must cast to the loop's dtype under ``casting``).
    casting : {'no', 'equiv', 'safe', 'same_kind', 'unsafe'}, optional
        numpy's casting rule for x and ``out`` (default ``'same_kind'``).
    threads : int, optional
        Goroutines to use (at least 1); default :func:`get_num_threads`.

    Returns
    -------
    goarray.Array
        A new array in Go memory, laid out like ``x`` (0-d for a scalar),
        or ``out``.

    Raises
    ------
    TypeError
        A dtype goarray does not hold, a loop numpy does not have (for the
        input dtype or ``dtype=``), an ``out`` the result cannot be cast to.
    ValueError
        An ``out`` of another shape, or read-only; ``threads`` below 1.

    Notes
    -----
    Integers and bools give floats, as in numpy. float32 (and float16)
    results are numpy's bytes (float32: numpy's own SIMD algorithm, which
    is not correctly rounded); float64 and complex results may differ
    from numpy's in the last bit or two (Go's math against numpy's libm or
    SIMD routines); overflow gives inf without numpy's warning.

    The result dtype and the casting checks are numpy's own
    (``ufunc.resolve_dtypes``). The arithmetic runs in Go on x's memory
    (an input of another dtype than the loop's is converted first); for
    large inputs the GIL is released and the work is split over
    ``threads`` goroutines. No floating-point warnings are raised where
    numpy warns; the IEEE results (inf, NaN, signed zeros) are numpy's.

    Examples
    --------
    >>> import numpy as np, goarray as ga
    >>> ga.exp([0.0, 1.0])
    ga.Array([1.        , 2.71828183])
    >>> np.exp([0.0, 1.0])
    array([1.        , 2.71828183])
    >>> ga.exp(ga.arange(3), dtype="float32").dtype
    dtype('float32')
    """
    return _unary("exp", x, out, dtype, casting, threads)


def log(x, out=None, *, dtype=None, casting="same_kind", threads=None):
    """Natural logarithm, elementwise (numpy.log).

    Parameters
    ----------
    x : array_like
        A goarray array, a numpy array, any other buffer exporter
        (memoryview, bytearray, array.array, ...), a nested sequence or a
        Python scalar.
    out : goarray.Array or writable buffer, optional
        Where to write the result: x's shape (or one x broadcasts to), any
        dtype the result casts to with ``same_kind``. A 1-tuple is
        accepted, as in numpy.
    dtype : dtype_like, optional
        The result dtype (numpy's ``dtype=`` of a ufunc: the loop is chosen
        for it, and x must cast to the loop's dtype under ``casting``).
    casting : {'no', 'equiv', 'safe', 'same_kind', 'unsafe'}, optional
        numpy's casting rule for x and ``out`` (default ``'same_kind'``).
    threads : int, optional
        Goroutines to use (at least 1); default :func:`get_num_threads`.

    Returns
    -------
    goarray.Array
        A new array in Go memory, laid out like ``x`` (0-d for a scalar),
        or ``out``.

    Raises
    ------
    TypeError
        A dtype goarray does not hold, a loop numpy does not have (for the
        input dtype or ``dtype=``), an ``out`` the result cannot be cast to.
    ValueError
        An ``out`` of another shape, or read-only; ``threads`` below 1.

    Notes
    -----
    Integers and bools give floats, as in numpy. float32 (and float16)
    results are numpy's bytes; float64 and complex results may differ
    from numpy's in the last bit or two; ``log(0)`` is -inf and the logarithm of
    a negative real is NaN (numpy's -NaN, the sign bit set), without
    numpy's warnings.

    The result dtype and the casting checks are numpy's own
    (``ufunc.resolve_dtypes``). The arithmetic runs in Go on x's memory
    (an input of another dtype than the loop's is converted first); for
    large inputs the GIL is released and the work is split over
    ``threads`` goroutines. No floating-point warnings are raised where
    numpy warns; the IEEE results (inf, NaN, signed zeros) are numpy's.

    Examples
    --------
    >>> import numpy as np, goarray as ga
    >>> ga.log([1.0, np.e])
    ga.Array([0., 1.])
    >>> ga.log([0.0, -1.0]).tolist()
    [-inf, nan]
    """
    return _unary("log", x, out, dtype, casting, threads)


def clip(a, a_min, a_max, out=None, *, threads=None):
    """Limit the values of ``a`` to [a_min, a_max] (numpy.clip).

    Either bound may be None (no limit on that side) or an array that
    broadcasts against ``a``. As in numpy: Python integer bounds outside the
    range of an integer ``a`` are dropped (numpy >= 2.1; before, they raise
    OverflowError, and two None bounds raise ValueError), the result dtype follows NEP 50
    promotion of ``a`` and the bounds, a NaN in ``a`` or in a bound gives
    NaN, and where a_min > a_max the result is a_max. Which operand a NaN
    or a tie of signed zeros comes from is numpy's too, bit for bit (it
    depends, as in numpy, on whether both bounds are scalars).

    Parameters
    ----------
    a : array_like
        A goarray array, a numpy array, any other buffer exporter, a nested
        sequence or a scalar.
    a_min, a_max : array_like or None
        The lower and upper bounds: scalars, arrays or None.
    out : goarray.Array or writable buffer, optional
        Where to write the result (numpy's ufunc rules for ``out=``).
    threads : int, optional
        Goroutines to use (at least 1); default :func:`get_num_threads`.

    Returns
    -------
    goarray.Array
        A new array in Go memory, or ``out``.

    Raises
    ------
    ValueError
        Shapes that do not broadcast, an unusable ``out``, ``threads``
        below 1.
    TypeError
        Both bounds None on a bool array (numpy calls ``positive``, which
        has no bool loop), a dtype goarray does not hold.
    OverflowError
        A Python integer bound that an integer result dtype cannot hold
        and that is not dropped (a lower bound above its maximum, an upper
        bound below its minimum), as in numpy.

    Notes
    -----
    The comparison runs in Go (GIL released for large arrays, ``threads``
    goroutines). ``Array.clip(min=None, max=None)`` is the same function.

    Examples
    --------
    >>> import numpy as np, goarray as ga
    >>> ga.clip(ga.arange(5), 1, 3)
    ga.Array([1, 1, 2, 3, 3])
    >>> np.clip(np.arange(5), 1, 3)
    array([1, 1, 2, 3, 3])
    >>> ga.clip(ga.arange(5), None, 2)
    ga.Array([0, 1, 2, 2, 2])
    >>> ga.clip(ga.arange(5), 1.5, 3)               # NEP 50: float64
    ga.Array([1.5, 1.5, 2. , 3. , 3. ])
    >>> ga.clip(np.arange(5, dtype=np.int8), -1000, 2)   # the bound out of int8's range is dropped
    ga.Array([0, 1, 2, 2, 2], dtype=int8)
    """
    if a_min is None and a_max is None and CLIP_NO_BOUNDS_ERROR is not None:
        raise CLIP_NO_BOUNDS_ERROR("One of max or min must be given")  # numpy < 2.1
    x, weak = _input(a)
    if weak:
        x = np.asarray(x)  # numpy.clip makes ``a`` an array: never weak
    if x.dtype.kind in "iu" and CLIP_DROPS_OUT_OF_RANGE_INT:
        info = np.iinfo(x.dtype)
        if type(a_min) is int and a_min <= info.min:
            a_min = None
        if type(a_max) is int and a_max >= info.max:
            a_max = None
    bounds = [None if b is None else _input(b) for b in (a_min, a_max)]
    given = [b for b in bounds if b is not None]
    dt = result_type((x, False), *given)
    if not given:  # numpy calls positive(a), which has no bool loop
        np.positive.resolve_dtypes((dt, None))
    shape = np.broadcast_shapes(x.shape, *(_shape(*b) for b in given))
    t = _threads(threads)
    # NEP 50: a Python scalar bound must fit dt (OverflowError otherwise).
    ops = [_cast(x, False, dt, t)] + [np.asarray(o, dtype=dt) if w else _cast(o, False, dt, t) for o, w in given]
    res, back = _result(out, shape, dt, x)
    rest = iter(ops[1:])
    _goarray._call(*_CLIP, t, res, ops[0], *(None if b is None else next(rest) for b in bounds))
    return _finish(out, res, back, t)
