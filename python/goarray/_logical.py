"""all, any and count_nonzero in Go, on the reductions' machinery
(_reductions): numpy's result types, axis, out= and keepdims rules; float16
is read directly."""
from ._compat import COUNT_NONZERO_PYINT
from ._fast import fast as _fast
from ._reductions import _INTP, _REDUCE, _Call, _axes, _full_scalar, _input, _reduce


def all(a, axis=None, out=None, keepdims=False, *, threads=None):  # noqa: A001
    """Whether every element over ``axis`` is true (numpy.all).

    Parameters
    ----------
    a : array_like
        A goarray array, a numpy array, any other buffer exporter, a nested
        sequence or a scalar.
    axis : None, int or tuple of ints, optional
        Axes to reduce (negative counts from the last); None, the default,
        reduces all of them.
    out : goarray.Array or writable buffer, optional
        Where to write the result; it must have the result's shape. Another
        dtype receives the result cast as numpy casts it.
    keepdims : bool, optional
        Keep the reduced axes as axes of length 1.
    threads : int, optional
        Goroutines to use (at least 1); default :func:`get_num_threads`.

    Returns
    -------
    numpy.bool or goarray.Array
        A numpy bool for a full reduction, else a bool goarray array (or
        ``out``).

    Raises
    ------
    numpy.exceptions.AxisError
        An axis out of range.
    ValueError
        A repeated axis, an ``out`` of the wrong shape or read-only,
        ``threads`` below 1.
    TypeError
        A dtype goarray does not hold.

    Notes
    -----
    An element is true when it is nonzero (NaN is true). The reduction of
    no elements is True, as in numpy. float16 is read directly.

    The reduction runs in Go on a's memory (buffers are read in place);
    for large inputs the GIL is released and the work is split over
    ``threads`` goroutines. Each output is reduced in chunks fixed by the
    shapes alone and the partial results are combined in a fixed order,
    so the result is bit-identical for every thread count.

    ``all(a)`` of one C-contiguous goarray or numpy array, with no other
    argument, enters Go straight from C; every other call takes the
    general path, with the same results.

    Examples
    --------
    >>> import numpy as np, goarray as ga
    >>> ga.all([1, 2, 0])
    np.False_
    >>> np.all([1, 2, 0])
    np.False_
    >>> ga.all(ga.arange(6).reshape(2, 3), axis=0)
    ga.Array([False,  True,  True])
    """
    return _reduce("all", a, axis, None, out, keepdims, threads)


def any(a, axis=None, out=None, keepdims=False, *, threads=None):  # noqa: A001
    """Whether some element over ``axis`` is true (numpy.any).

    Parameters
    ----------
    a : array_like
        A goarray array, a numpy array, any other buffer exporter, a nested
        sequence or a scalar.
    axis : None, int or tuple of ints, optional
        Axes to reduce (negative counts from the last); None, the default,
        reduces all of them.
    out : goarray.Array or writable buffer, optional
        Where to write the result; it must have the result's shape. Another
        dtype receives the result cast as numpy casts it.
    keepdims : bool, optional
        Keep the reduced axes as axes of length 1.
    threads : int, optional
        Goroutines to use (at least 1); default :func:`get_num_threads`.

    Returns
    -------
    numpy.bool or goarray.Array
        A numpy bool for a full reduction, else a bool goarray array (or
        ``out``).

    Raises
    ------
    numpy.exceptions.AxisError
        An axis out of range.
    ValueError
        A repeated axis, an ``out`` of the wrong shape or read-only,
        ``threads`` below 1.
    TypeError
        A dtype goarray does not hold.

    Notes
    -----
    An element is true when it is nonzero (NaN is true). The reduction of
    no elements is False, as in numpy. float16 is read directly.

    The reduction runs in Go on a's memory (buffers are read in place);
    for large inputs the GIL is released and the work is split over
    ``threads`` goroutines. Each output is reduced in chunks fixed by the
    shapes alone and the partial results are combined in a fixed order,
    so the result is bit-identical for every thread count.

    ``any(a)`` of one C-contiguous goarray or numpy array, with no other
    argument, enters Go straight from C; every other call takes the
    general path, with the same results.

    Examples
    --------
    >>> import numpy as np, goarray as ga
    >>> ga.any([0.0, 0.0, 0.5])
    np.True_
    >>> ga.any(ga.arange(6).reshape(2, 3) > 4, axis=1)
    ga.Array([False,  True])
    """
    return _reduce("any", a, axis, None, out, keepdims, threads)


def count_nonzero(a, axis=None, *, keepdims=False, threads=None):
    """Number of nonzero elements over ``axis`` (numpy.count_nonzero).

    Parameters
    ----------
    a : array_like
        A goarray array, a numpy array, any other buffer exporter, a nested
        sequence or a scalar.
    axis : None, int or tuple of ints, optional
        Axes to reduce (negative counts from the last); None, the default,
        reduces all of them.
    keepdims : bool, optional
        Keep the reduced axes as axes of length 1.
    threads : int, optional
        Goroutines to use (at least 1); default :func:`get_num_threads`.

    Returns
    -------
    numpy.intp, int or goarray.Array
        An intp scalar for a full count, else an intp goarray array. As
        the installed numpy: with axis=None (and no keepdims), numpy
        before 2.3 gives a Python int.

    Raises
    ------
    numpy.exceptions.AxisError
        An axis out of range.
    ValueError
        A repeated axis, ``threads`` below 1.

    Notes
    -----
    float16 is read directly (no conversion).

    The reduction runs in Go on a's memory (buffers are read in place);
    for large inputs the GIL is released and the work is split over
    ``threads`` goroutines. Each output is reduced in chunks fixed by the
    shapes alone and the partial results are combined in a fixed order,
    so the result is bit-identical for every thread count.

    Examples
    --------
    >>> import numpy as np, goarray as ga
    >>> a = ga.arange(6).reshape(2, 3)
    >>> ga.count_nonzero(a)
    np.int64(5)
    >>> ga.count_nonzero(a, axis=0)
    ga.Array([1, 2, 2])
    >>> np.count_nonzero(np.arange(6).reshape(2, 3), axis=0)
    array([1, 2, 2])
    """
    x = _input(a)
    axes = _axes(axis, x.ndim)
    r = None
    if not keepdims and len(axes) == x.ndim:
        r = _full_scalar("count_nonzero", x, _INTP, threads)
    if r is None:
        call = _Call("count_nonzero", x, axes, keepdims, None, _INTP)
        r = call.run("reduce", _REDUCE["count_nonzero"], x, threads).result()
    # numpy < 2.3 counts everything (axis=None) into a Python int
    return int(r) if axis is None and not keepdims and COUNT_NONZERO_PYINT else r


# doctest does not collect the C entry points made below: run the examples
# of the Python implementations they fall back to.
__test__ = {f.__name__: f for f in (all, any)}

# The commonest calls, f(a) on one C-contiguous goarray array, enter Go
# straight from C (goarray/_fast.py); the rest run the functions above.
all, any = (_fast(f) for f in (all, any))  # noqa: A001
