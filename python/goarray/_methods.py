"""Array methods that run goarray's Go kernels: ``a.sum()``, ``a.mean(axis=0)``,
``a.dot(b)``, ... with ndarray's signatures (plus the keyword ``threads=``).

They are attached to :class:`goarray.Array` here rather than in its class
body because the kernels' modules import Array.
"""
from . import _linalg, _reductions, _unary
from ._array import Array


def sum(self, axis=None, dtype=None, out=None, keepdims=False, *, threads=None):  # noqa: A001
    """Sum over ``axis``: :func:`goarray.sum` of this array."""
    return _reductions.sum(self, axis, dtype, out, keepdims, threads=threads)


def prod(self, axis=None, dtype=None, out=None, keepdims=False, *, threads=None):
    """Product over ``axis``: :func:`goarray.prod` of this array."""
    return _reductions.prod(self, axis, dtype, out, keepdims, threads=threads)


def min(self, axis=None, out=None, keepdims=False, *, threads=None):  # noqa: A001
    """Minimum over ``axis``: :func:`goarray.min` of this array."""
    return _reductions.min(self, axis, out, keepdims, threads=threads)


def max(self, axis=None, out=None, keepdims=False, *, threads=None):  # noqa: A001
    """Maximum over ``axis``: :func:`goarray.max` of this array."""
    return _reductions.max(self, axis, out, keepdims, threads=threads)


def argmin(self, axis=None, out=None, *, keepdims=False, threads=None):
    """Index of the first minimum: :func:`goarray.argmin` of this array."""
    return _reductions.argmin(self, axis, out, keepdims=keepdims, threads=threads)


def argmax(self, axis=None, out=None, *, keepdims=False, threads=None):
    """Index of the first maximum: :func:`goarray.argmax` of this array."""
    return _reductions.argmax(self, axis, out, keepdims=keepdims, threads=threads)


def mean(self, axis=None, dtype=None, out=None, keepdims=False, *, threads=None):
    """Arithmetic mean over ``axis``: :func:`goarray.mean` of this array."""
    return _reductions.mean(self, axis, dtype, out, keepdims, threads=threads)


def var(self, axis=None, dtype=None, out=None, ddof=0, keepdims=False, *, threads=None):
    """Variance over ``axis``: :func:`goarray.var` of this array."""
    return _reductions.var(self, axis, dtype, out, ddof, keepdims, threads=threads)


def std(self, axis=None, dtype=None, out=None, ddof=0, keepdims=False, *, threads=None):
    """Standard deviation over ``axis``: :func:`goarray.std` of this array."""
    return _reductions.std(self, axis, dtype, out, ddof, keepdims, threads=threads)


def all(self, axis=None, out=None, keepdims=False, *, threads=None):  # noqa: A001
    """Whether every element is nonzero: :func:`goarray.all` of this array."""
    return _reductions.all(self, axis, out, keepdims, threads=threads)


def any(self, axis=None, out=None, keepdims=False, *, threads=None):  # noqa: A001
    """Whether some element is nonzero: :func:`goarray.any` of this array."""
    return _reductions.any(self, axis, out, keepdims, threads=threads)


def dot(self, b, out=None, *, threads=None):
    """Dot product with ``b``: :func:`goarray.dot` of this array and b."""
    return _linalg.dot(self, b, out, threads=threads)


def clip(self, min=None, max=None, out=None, *, threads=None):  # noqa: A002
    """Values limited to [min, max]: :func:`goarray.clip` of this array."""
    return _unary.clip(self, min, max, out, threads=threads)


for _f in (sum, prod, min, max, argmin, argmax, mean, var, std, all, any, dot, clip):
    _f.__qualname__ = "Array." + _f.__name__
    setattr(Array, _f.__name__, _f)
del _f
