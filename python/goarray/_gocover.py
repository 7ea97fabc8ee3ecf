"""Whether a Go kernel covers a numpy call, decided before Go runs.

numpy's protocols (_protocols) hand a ufunc call, a reduction or a numpy
function to its Go kernel only where the kernel implements every argument
and the call is valid: the operands are goarray arrays, numpy arrays of a
dtype goarray holds (native byte order, aligned) or scalars; numpy's
resolver finds the loop for ``dtype=`` and ``casting=``; Python integers
fit the loop's dtype; the shapes broadcast; ``out=`` has the result's shape
and is writable; the axes are in range. Every other call is numpy's own,
which computes it or raises its own error. An error raised by a Go kernel
that covers the call is the caller's: it is never retried through numpy.
"""
import numbers

import numpy as np

from . import _kernels
from ._array import Array
from ._compat import CLIP_DROPS_OUT_OF_RANGE_INT, UFUNC_CASTS_WEAK_UNCHECKED
from ._dtypes import DTYPES

_HELD = frozenset(d for d in DTYPES if d is not None)
_SCALARS = (bool, int, float, complex)
_CASTINGS = frozenset(("no", "equiv", "safe", "same_kind", "unsafe"))
_IINFO = {d: np.iinfo(d) for d in _HELD if d.kind in "iu"}


def _array(x):
    """x when it is an array a kernel reads directly (a goarray array, or a
    numpy ndarray of a dtype goarray holds, native and aligned), else None."""
    t = type(x)
    if t is Array:
        return x
    if t is np.ndarray and x.dtype in _HELD and x.flags.aligned:
        return x
    if isinstance(x, Array):
        return x
    return None


def _operand(x):
    """(resolver key, shape, weak) of an operand a kernel reads, or None."""
    a = _array(x)
    if a is not None:
        return a.dtype, a.shape, False
    t = type(x)
    if t in _SCALARS:
        return _kernels.key(x, True), (), True
    if isinstance(x, np.generic) and x.dtype in _HELD:
        return x.dtype, (), False
    return None


def _out(kwargs):
    """(out array or None, True) where out= is absent, None, a writable
    array a kernel writes or a 1-tuple of one; (None, False) otherwise."""
    out = kwargs.get("out") if kwargs else None
    if type(out) is tuple:
        if len(out) != 1:
            return None, False
        out = out[0]
    if out is None:
        return None, True
    o = _array(out)
    if o is None or not o.flags.writeable:
        return None, False
    return o, True


def _broadcast(shapes):
    """The broadcast shape, or None where the shapes do not broadcast."""
    first = shapes[0]
    if all(s == first for s in shapes):
        return first
    try:
        return np.broadcast_shapes(*shapes)
    except ValueError:
        return None


def ufunc_call(ufunc, inputs, kwargs):
    """Whether ufunc(*inputs, **kwargs) (kwargs among out, dtype, casting)
    is for its Go kernel (see the module docstring)."""
    if ufunc is np.matmul:
        return _matmul(inputs, kwargs)
    if len(inputs) != ufunc.nin:
        return False
    ops = []
    for x in inputs:
        op = _operand(x)
        if op is None:
            return False
        ops.append(op)
    out, ok = _out(kwargs)
    if not ok:
        return False
    dtype = kwargs.get("dtype") if kwargs else None
    casting = kwargs.get("casting", "same_kind") if kwargs else "same_kind"
    weak = any(w for _, _, w in ops)
    if weak and UFUNC_CASTS_WEAK_UNCHECKED and dtype is not None:
        return False   # numpy < 2.1 converts the scalar by its own rules
    if ufunc.nin == 1 and weak:
        ops = [(np.asarray(inputs[0]).dtype, (), False)]
    keys = tuple(k for k, _, _ in ops) + (None if out is None else out.dtype,)
    try:
        dts = _kernels.loop_dtypes(ufunc, keys, dtype, casting)
    except Exception:  # noqa: BLE001  (numpy raises its own error)
        return False
    for d in dts:
        if d not in _HELD:
            return False
    for x, d in zip(inputs, dts):
        if type(x) is int:
            info = _IINFO.get(d)
            if info is not None and not info.min <= x <= info.max:
                return False   # numpy's OverflowError
        if casting == "unsafe" and type(x) in _SCALARS and not np.can_cast(np.asarray(x).dtype, d, "same_kind"):
            # a scalar of a higher kind than the loop's: the Go path asks
            # numpy's own call on empty arrays whether it accepts it
            try:
                _kernels._numpy_refusal(ufunc, [(v, w) for v, (_, _, w) in zip(inputs, ops)], keys[:-1],
                                        keys[-1:], dtype, casting)
            except Exception:  # noqa: BLE001  (numpy raises its own error)
                return False
    shape = _broadcast([s for _, s, _ in ops])
    if shape is None:
        return False
    if out is not None and out.shape != shape:
        if _broadcast([shape, out.shape]) != out.shape:
            return False
    return True


def _matmul(inputs, kwargs):
    if len(inputs) != 2 or (kwargs and kwargs.keys() - {"out"}):
        return False
    a, b = _array(inputs[0]), _array(inputs[1])
    if a is None or b is None or a.ndim == 0 or b.ndim == 0:
        return False
    out, ok = _out(kwargs)
    if not ok:
        return False
    try:
        dts = np.matmul.resolve_dtypes((a.dtype, b.dtype, None if out is None else out.dtype))
    except Exception:  # noqa: BLE001
        return False
    if any(d not in _HELD for d in dts):
        return False
    sa, sb = a.shape, b.shape
    k_a = sa[-1]
    k_b = sb[-2] if len(sb) >= 2 else sb[0]
    if k_a != k_b:
        return False
    batch = _broadcast([sa[:-2], sb[:-2]])
    if batch is None:
        return False
    shape = batch + (sa[-2:-1] if len(sa) >= 2 else ()) + (sb[-1:] if len(sb) >= 2 else ())
    return out is None or out.shape == shape


def _axes(axis, ndim, legacy, single=False):
    """The sorted axes, or None where numpy refuses axis."""
    if axis is None:
        return tuple(range(ndim))
    items = axis if type(axis) is tuple and not single else (axis,)
    norm = []
    for a in items:
        if isinstance(a, (bool, np.bool_)) or not isinstance(a, (int, np.integer)):
            return None
        a = int(a)
        if legacy and ndim == 0 and type(axis) is not tuple and a in (0, -1):
            return ()
        if not -ndim <= a < ndim:
            return None
        norm.append(a % ndim)
    if len(set(norm)) != len(norm):
        return None
    return tuple(sorted(norm))


_AXES = {}   # (axis: None or an int, ndim, legacy, single) -> _axes' answer


def reduction(a, axis=None, dtype=None, out=None, keepdims=False, ddof=0, legacy=True, single=False):
    """Whether a reduction of a over axis (numpy's sum, mean, argmin, ...,
    and ufunc.reduce) is for its Go kernel. legacy: numpy's ufunc
    reductions also take axis 0 or -1 of a 0-d array; single: one axis
    only (argmin, argmax)."""
    x = _array(a)
    if x is None:
        return False
    if axis is None or type(axis) is int:
        k = (axis, x.ndim, legacy, single)
        axes = _AXES.get(k, False)
        if axes is False:
            axes = _axes(axis, x.ndim, legacy, single)
            if len(_AXES) < 1024:
                _AXES[k] = axes
        if dtype is None and out is None and type(ddof) is int:
            return axes is not None
    else:
        axes = _axes(axis, x.ndim, legacy, single)
    if axes is None or (single and type(axis) is tuple):
        return False
    if dtype is not None:
        try:
            if np.dtype(dtype) not in _HELD:
                return False
        except TypeError:
            return False
    if not isinstance(ddof, numbers.Real) or isinstance(ddof, (bool, np.bool_)):
        return False
    if out is not None:
        if type(out) is tuple:
            if len(out) != 1:
                return False
            out = out[0]
        if out is not None:
            o = _array(out)
            if o is None or not o.flags.writeable:
                return False
            if single and axis is None:
                want = (1,) * x.ndim if keepdims else ()
            else:
                want = tuple(1 if i in axes else d for i, d in enumerate(x.shape)) if keepdims else \
                    tuple(d for i, d in enumerate(x.shape) if i not in axes)
            if o.shape != want:
                return False
    return True


def dot(a, b, out=None):
    """Whether numpy.dot(a, b, out) is for the Go kernel."""
    x, y = _operand(a), _operand(b)
    if x is None or y is None:
        return False
    sa, sb = x[1], y[1]
    if sa and sb and sa[-1] != (sb[-2] if len(sb) >= 2 else sb[0]):
        return False
    if out is not None:
        o = _array(out)
        if o is None or not o.flags.writeable or not o.flags.c_contiguous:
            return False
        if not sa or not sb:
            shape = sa or sb
        else:
            shape = sa[:-1] + sb[:-2] + sb[-1:] if len(sb) >= 2 else sa[:-1]
        try:
            dt = np.result_type(*(v if w else k for v, (k, _, w) in ((a, x), (b, y))))
        except Exception:  # noqa: BLE001
            return False
        if o.shape != shape or o.dtype != dt:
            return False
    return True


def clip(a, a_min, a_max, out=None):
    """Whether numpy.clip(a, a_min, a_max, out) is for the Go kernel."""
    ops = [_operand(x) for x in (a, a_min, a_max) if x is not None]
    if not ops or any(op is None for op in ops) or _operand(a) is None:
        return False
    info = _IINFO.get(_operand(a)[0])
    for x in (a_min, a_max):
        if type(x) is int and info is not None and not info.min <= x <= info.max and \
                not CLIP_DROPS_OUT_OF_RANGE_INT:
            return False   # numpy < 2.1's own rules for Python integers beyond an integer a
    shape = _broadcast([s for _, s, _ in ops])
    if shape is None:
        return False
    o, ok = _out({"out": out})
    if not ok:
        return False
    return o is None or _broadcast([shape, o.shape]) == o.shape


def copyto(dst, src, casting="same_kind", where=True):
    """Whether numpy.copyto(dst, src, casting, where) is for the Go kernel."""
    d = _array(dst)
    s = _array(src)
    if d is None or s is None or not d.flags.writeable or where is not True:
        return False
    if type(casting) is not str or casting not in _CASTINGS or not np.can_cast(s.dtype, d.dtype, casting):
        return False
    return _broadcast([s.shape, d.shape]) == d.shape
