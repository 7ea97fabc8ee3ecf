"""Array methods that run goarray's Go kernels: ``a.sum()``, ``a.mean(axis=0)``,
``a.dot(b)``, ... with ndarray's signatures (plus the keyword ``threads=``).

They are attached to :class:`goarray.Array` here rather than in its class
body because the kernels' modules import Array.
"""
from . import _argreduce, _linalg, _logical, _moments, _reductions, _unary
from ._array import Array


def sum(self, axis=None, dtype=None, out=None, keepdims=False, *, threads=None):  # noqa: A001
    """Sum over ``axis``: :func:`goarray.sum` of this array (ndarray.sum).

    Parameters
    ----------
    axis, dtype, out, keepdims, threads
        As for :func:`goarray.sum`.

    Returns
    -------
    numpy scalar or goarray.Array
        A numpy scalar for a full reduction, else a goarray array (or
        ``out``).

    See Also
    --------
    goarray.sum : the function, which documents the parameters and the rules.

    Examples
    --------
    >>> import goarray as ga
    >>> a = ga.arange(6).reshape(2, 3)
    >>> a.sum()
    np.int64(15)
    >>> a.sum(axis=0)
    ga.Array([3, 5, 7])
    """
    return _reductions.sum(self, axis, dtype, out, keepdims, threads=threads)


def prod(self, axis=None, dtype=None, out=None, keepdims=False, *, threads=None):
    """Product over ``axis``: :func:`goarray.prod` of this array (ndarray.prod).

    Parameters
    ----------
    axis, dtype, out, keepdims, threads
        As for :func:`goarray.prod`.

    Returns
    -------
    numpy scalar or goarray.Array
        A numpy scalar for a full reduction, else a goarray array (or
        ``out``).

    See Also
    --------
    goarray.prod : the function, which documents the parameters and the rules.

    Examples
    --------
    >>> import goarray as ga
    >>> ga.arange(1, 5).prod()
    np.int64(24)
    """
    return _reductions.prod(self, axis, dtype, out, keepdims, threads=threads)


def min(self, axis=None, out=None, keepdims=False, *, threads=None):  # noqa: A001
    """Minimum over ``axis``: :func:`goarray.min` of this array (ndarray.min).

    Parameters
    ----------
    axis, out, keepdims, threads
        As for :func:`goarray.min`.

    Returns
    -------
    numpy scalar or goarray.Array
        A numpy scalar for a full reduction, else a goarray array (or
        ``out``).

    See Also
    --------
    goarray.min : the function, which documents the parameters and the rules.

    Examples
    --------
    >>> import goarray as ga
    >>> ga.asarray([[3, 1], [2, 5]]).min(axis=1)
    ga.Array([1, 2])
    """
    return _reductions.min(self, axis, out, keepdims, threads=threads)


def max(self, axis=None, out=None, keepdims=False, *, threads=None):  # noqa: A001
    """Maximum over ``axis``: :func:`goarray.max` of this array (ndarray.max).

    Parameters
    ----------
    axis, out, keepdims, threads
        As for :func:`goarray.max`.

    Returns
    -------
    numpy scalar or goarray.Array
        A numpy scalar for a full reduction, else a goarray array (or
        ``out``).

    See Also
    --------
    goarray.max : the function, which documents the parameters and the rules.

    Examples
    --------
    >>> import goarray as ga
    >>> ga.asarray([[3, 1], [2, 5]]).max()
    np.int64(5)
    """
    return _reductions.max(self, axis, out, keepdims, threads=threads)


def argmin(self, axis=None, out=None, *, keepdims=False, threads=None):
    """Index of the first minimum: :func:`goarray.argmin` of this array (ndarray.argmin).

    Parameters
    ----------
    axis, out, keepdims, threads
        As for :func:`goarray.argmin`.

    Returns
    -------
    numpy.intp or goarray.Array
        An intp scalar for the flattened array, else an intp goarray array
        (or ``out``).

    See Also
    --------
    goarray.argmin : the function, which documents the parameters and the rules.

    Examples
    --------
    >>> import goarray as ga
    >>> ga.asarray([3, 1, 2, 1]).argmin()
    np.int64(1)
    """
    return _argreduce.argmin(self, axis, out, keepdims=keepdims, threads=threads)


def argmax(self, axis=None, out=None, *, keepdims=False, threads=None):
    """Index of the first maximum: :func:`goarray.argmax` of this array (ndarray.argmax).

    Parameters
    ----------
    axis, out, keepdims, threads
        As for :func:`goarray.argmax`.

    Returns
    -------
    numpy.intp or goarray.Array
        An intp scalar for the flattened array, else an intp goarray array
        (or ``out``).

    See Also
    --------
    goarray.argmax : the function, which documents the parameters and the rules.

    Examples
    --------
    >>> import goarray as ga
    >>> ga.arange(6.0).reshape(2, 3).argmax(axis=0)
    ga.Array([1, 1, 1])
    """
    return _argreduce.argmax(self, axis, out, keepdims=keepdims, threads=threads)


def mean(self, axis=None, dtype=None, out=None, keepdims=False, *, threads=None):
    """Arithmetic mean over ``axis``: :func:`goarray.mean` of this array (ndarray.mean).

    Parameters
    ----------
    axis, dtype, out, keepdims, threads
        As for :func:`goarray.mean`.

    Returns
    -------
    numpy scalar or goarray.Array
        A numpy scalar for a full reduction, else a goarray array (or
        ``out``).

    See Also
    --------
    goarray.mean : the function, which documents the parameters and the rules.

    Examples
    --------
    >>> import goarray as ga
    >>> ga.arange(4).mean()
    np.float64(1.5)
    """
    return _moments.mean(self, axis, dtype, out, keepdims, threads=threads)


def var(self, axis=None, dtype=None, out=None, ddof=0, keepdims=False, *, threads=None):
    """Variance over ``axis``: :func:`goarray.var` of this array (ndarray.var).

    Parameters
    ----------
    axis, dtype, out, ddof, keepdims, threads
        As for :func:`goarray.var`.

    Returns
    -------
    numpy scalar or goarray.Array
        A numpy scalar for a full reduction, else a goarray array (or
        ``out``).

    See Also
    --------
    goarray.var : the function, which documents the parameters and the rules.

    Examples
    --------
    >>> import goarray as ga
    >>> ga.asarray([1.0, 2.0, 3.0, 4.0]).var()
    np.float64(1.25)
    """
    return _moments.var(self, axis, dtype, out, ddof, keepdims, threads=threads)


def std(self, axis=None, dtype=None, out=None, ddof=0, keepdims=False, *, threads=None):
    """Standard deviation over ``axis``: :func:`goarray.std` of this array (ndarray.std).

    Parameters
    ----------
    axis, dtype, out, ddof, keepdims, threads
        As for :func:`goarray.std`.

    Returns
    -------
    numpy scalar or goarray.Array
        A numpy scalar for a full reduction, else a goarray array (or
        ``out``).

    See Also
    --------
    goarray.std : the function, which documents the parameters and the rules.

    Examples
    --------
    >>> import goarray as ga
    >>> float(ga.asarray([1.0, 2.0, 3.0, 4.0]).std(ddof=1))
    1.2909944487358056
    """
    return _moments.std(self, axis, dtype, out, ddof, keepdims, threads=threads)


def all(self, axis=None, out=None, keepdims=False, *, threads=None):  # noqa: A001
    """Whether every element is true: :func:`goarray.all` of this array (ndarray.all).

    Parameters
    ----------
    axis, out, keepdims, threads
        As for :func:`goarray.all`.

    Returns
    -------
    numpy.bool or goarray.Array
        A numpy bool for a full reduction, else a bool goarray array (or
        ``out``).

    See Also
    --------
    goarray.all : the function, which documents the parameters and the rules.

    Examples
    --------
    >>> import goarray as ga
    >>> ga.arange(3).all(), ga.arange(3).any()
    (np.False_, np.True_)
    """
    return _logical.all(self, axis, out, keepdims, threads=threads)


def any(self, axis=None, out=None, keepdims=False, *, threads=None):  # noqa: A001
    """Whether some element is true: :func:`goarray.any` of this array (ndarray.any).

    Parameters
    ----------
    axis, out, keepdims, threads
        As for :func:`goarray.any`.

    Returns
    -------
    numpy.bool or goarray.Array
        A numpy bool for a full reduction, else a bool goarray array (or
        ``out``).

    See Also
    --------
    goarray.any : the function, which documents the parameters and the rules.

    Examples
    --------
    >>> import goarray as ga
    >>> ga.zeros((2, 2)).any(axis=0)
    ga.Array([False, False])
    """
    return _logical.any(self, axis, out, keepdims, threads=threads)


def dot(self, b, out=None, *, threads=None):
    """Dot product with ``b``: :func:`goarray.dot` of this array and b (ndarray.dot).

    Parameters
    ----------
    b : array_like
        The other operand.
    out, threads
        As for :func:`goarray.dot`.

    Returns
    -------
    goarray.Array or numpy scalar
        The product (a numpy scalar for two vectors), or ``out``.

    See Also
    --------
    goarray.dot : the function, which documents the parameters and the rules.

    Examples
    --------
    >>> import numpy as np, goarray as ga
    >>> ga.arange(6.0).reshape(2, 3).dot(np.ones(3))
    ga.Array([ 3., 12.])
    """
    return _linalg.dot(self, b, out, threads=threads)


def clip(self, min=None, max=None, out=None, *, threads=None):  # noqa: A002
    """Values limited to [min, max]: :func:`goarray.clip` of this array (ndarray.clip).

    Parameters
    ----------
    min, max : array_like or None, optional
        The bounds (None: no limit on that side).
    out, threads
        As for :func:`goarray.clip`.

    Returns
    -------
    goarray.Array
        A new array, or ``out``.

    See Also
    --------
    goarray.clip : the function, which documents the parameters and the rules.

    Examples
    --------
    >>> import goarray as ga
    >>> ga.arange(5).clip(1, 3)
    ga.Array([1, 1, 2, 3, 3])
    >>> ga.arange(5).clip(max=2)
    ga.Array([0, 1, 2, 2, 2])
    """
    return _unary.clip(self, min, max, out, threads=threads)


for _f in (sum, prod, min, max, argmin, argmax, mean, var, std, all, any, dot, clip):
    _f.__qualname__ = "Array." + _f.__name__
    setattr(Array, _f.__name__, _f)
del _f
