"""Reductions in Go: sum, min, max, mean (see _kernels for the common rules:
operands, NEP 50 promotion, threads, GIL release, Ctrl-C)."""
import operator

import numpy as np

from . import _dtypes, _goarray
from ._array import Array
from ._creation import empty
from ._kernels import _as_dtype, _operand, _threads

_REDUCE = {"sum": 0, "min": 1, "max": 2}


def _axes(axis, ndim):
    if axis is None:
        return tuple(range(ndim))
    if isinstance(axis, tuple):
        axes = tuple(operator.index(a) for a in axis)
    else:
        axes = (operator.index(axis),)
    norm = []
    for a in axes:
        if not -ndim <= a < ndim:
            exc = np.exceptions.AxisError if hasattr(np, "exceptions") else np.AxisError
            raise exc(a, ndim)
        norm.append(a % ndim)
    if len(set(norm)) != len(norm):
        raise ValueError("duplicate value in 'axis'")
    return tuple(sorted(norm))


def _sum_dtype(dt):
    if dt.kind == "b" or (dt.kind == "i" and dt.itemsize < 8):
        return np.dtype(np.int64)
    if dt.kind == "u" and dt.itemsize < 8:
        return np.dtype(np.uint64)
    return dt


def _reduce(name, a, axis, dtype, out, keepdims, threads, initial_check=True):
    x, weak = _operand(a)
    if weak:
        x = np.asarray(x)
    axes = _axes(axis, x.ndim)
    if name == "sum":
        acc = _sum_dtype(x.dtype) if dtype is None else _dtypes.dtype_of(dtype)
    else:
        acc = x.dtype
        if dtype is not None and _dtypes.dtype_of(dtype) != acc:
            raise TypeError(f"goarray.{name} computes in the array's dtype; dtype= must be {acc}")
    src = x
    result_dt = acc
    if acc.kind == "f" and acc.itemsize == 2:  # no float16 kernels: accumulate in float32
        acc = np.dtype(np.float32)
    if x.dtype.kind == "f" and x.dtype.itemsize == 2:
        src = _as_dtype(x, False, np.dtype(np.float32))
    if x.dtype.kind == "c" and acc != x.dtype:
        src = _as_dtype(x, False, acc)
    if name != "sum" and x.dtype.kind == "c":
        raise TypeError(f"goarray.{name} does not support complex dtypes yet")
    kept = tuple(d for i, d in enumerate(x.shape) if i not in axes)
    if name != "sum" and any(x.shape[i] == 0 for i in axes):
        raise ValueError(f"zero-size array to reduction operation {'minimum' if name == 'min' else 'maximum'} "
                         "which has no identity")
    res = empty(kept, acc)
    _goarray._kernel("reduce", (res, src), 1, (_REDUCE[name],) + axes, (), _threads(threads))
    if result_dt != acc:
        res = res.astype(result_dt)
    if keepdims:
        res = res.reshape(tuple(1 if i in axes else d for i, d in enumerate(x.shape)))
    if out is not None:
        o = out[0] if isinstance(out, tuple) else out
        target = np.asarray(o)
        if target.shape != np.asarray(res).shape:
            raise ValueError(f"output parameter for reduction operation {name} has the wrong shape "
                             f"{target.shape}, expected {np.asarray(res).shape}")
        np.copyto(target, np.asarray(res), casting="same_kind")
        return o
    if res.ndim == 0:
        return res[()]
    return res


def sum(a, axis=None, dtype=None, out=None, keepdims=False, *, threads=None):  # noqa: A001
    """Sum of elements over ``axis`` (numpy.sum); pairwise summation for floats."""
    return _reduce("sum", a, axis, dtype, out, keepdims, threads)


def min(a, axis=None, out=None, keepdims=False, *, threads=None):  # noqa: A001
    """Minimum over ``axis`` (numpy.min); NaN wins."""
    return _reduce("min", a, axis, None, out, keepdims, threads)


def max(a, axis=None, out=None, keepdims=False, *, threads=None):  # noqa: A001
    """Maximum over ``axis`` (numpy.max); NaN wins."""
    return _reduce("max", a, axis, None, out, keepdims, threads)


def mean(a, axis=None, dtype=None, out=None, keepdims=False, *, threads=None):
    """Arithmetic mean over ``axis`` (numpy.mean)."""
    x, weak = _operand(a)
    if weak:
        x = np.asarray(x)
    axes = _axes(axis, x.ndim)
    n = 1
    for i in axes:
        n *= x.shape[i]
    if dtype is not None:
        acc = _dtypes.dtype_of(dtype)
    elif x.dtype.kind in "biu":
        acc = np.dtype(np.float64)
    else:
        acc = x.dtype
    s = _reduce("sum", x, axis, acc, None, keepdims, threads)
    with np.errstate(invalid="ignore", divide="ignore"):
        if isinstance(s, Array):
            np.true_divide(np.asarray(s), n, out=np.asarray(s), casting="unsafe")
            r = s
        else:
            r = np.true_divide(s, n, dtype=acc if acc.kind in "fc" else None)
            r = acc.type(r) if acc.kind in "fc" else r
    if out is not None:
        o = out[0] if isinstance(out, tuple) else out
        np.copyto(np.asarray(o), np.asarray(r), casting="same_kind")
        return o
    return r
