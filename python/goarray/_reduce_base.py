"""What every reduction shares (sum, prod, min and max in _reductions,
all, any and count_nonzero in _logical, argmin and argmax in _argreduce,
mean, var and std in _moments): the operand (_input), the axes and shapes
(cached), the output and how the result reaches the caller (_Call), the
accumulator of a sum or product (_sum_plan), a full reduction straight to
a numpy scalar (_full_scalar) and numpy's own loop for the rare corners
without a Go kernel (_numpy_fallback). See _kernels for the common rules:
operands, NEP 50 promotion, threads, GIL release, Ctrl-C.

numpy is the reference: result dtypes, ``axis`` (None, int, negative,
tuple), ``keepdims``, ``dtype=`` (the accumulator), ``out=`` (any writable
buffer of the result's shape; other dtypes are cast as numpy casts), errors
and warnings follow numpy's. A full reduction returns a numpy scalar.

Float sums are pairwise, like numpy's, so their accuracy is at least
numpy's; var and std are two-pass, like numpy's. Every output is reduced
in chunks fixed by the shapes alone and the partial results are combined
in a fixed order: results are bit-identical for every thread count.
float16 has no arithmetic Go kernels: sums and means accumulate in float32
and round to float16 at the end (numpy's result dtype); min, max, argmin
and argmax compare float32 copies (exact); all, any and count_nonzero read
float16 directly. A few corners numpy computes in ways no kernel here
follows (a float16 product, var/std with an integer, complex or float16
accumulator) run numpy's own loop on a zero-copy view.
"""
import operator

import numpy as np

from . import _arrow, _dtypes, _goarray, _registry
from ._array import Array
from ._creation import empty
from ._kernels import _as_dtype, _operand, _threads, writable

_REDUCE = _registry.codes("reduce")
_UFUNC = {"sum": "add", "prod": "multiply", "min": "minimum", "max": "maximum", "all": "logical_and",
          "any": "logical_or", "count_nonzero": "count_nonzero", "mean": "add", "var": "add", "std": "add",
          "argmin": "argmin", "argmax": "argmax"}
_F4, _F8, _INTP, _BOOL = np.dtype(np.float32), np.dtype(np.float64), np.dtype(np.intp), np.dtype(np.bool_)
_AxisError = np.exceptions.AxisError if hasattr(np, "exceptions") else np.AxisError


def _input(a):
    """a as a goarray array or a numpy view (zero-copy for buffers)."""
    if not isinstance(a, Array) and not isinstance(a := _arrow.operand(a), Array):
        a = np.asarray(a)
        if a.dtype.byteorder == ">" and a.dtype.kind in "biufc":
            a = a.astype(a.dtype.newbyteorder("="))
    x, _ = _operand(a)
    return x


def _axis(a, refusal="an integer is required"):
    """One axis as an int. As numpy does, a bool is not an axis (TypeError;
    operator.index would read True as axis 1)."""
    if isinstance(a, (bool, np.bool_)):
        raise TypeError(refusal)
    return operator.index(a)


_AXES = {}     # (axis: None or an int, ndim, legacy) -> _axes' answer
_SHAPES = {}   # (shape, axes) -> _shapes' answer


def _axes(axis, ndim, legacy=True):
    """Sorted, distinct, non-negative axes. numpy's ufunc reductions (not
    mean/var/std) also accept axis 0 or -1 of a 0-d array. The answers for
    None and plain ints are cached (not for other types: True == 1 and
    1.0 == 1 as dict keys, but they are not axes)."""
    if axis is None or type(axis) is int:
        k = (axis, ndim, legacy)
        hit = _AXES.get(k)
        if hit is None:
            hit = _normalized_axes(axis, ndim, legacy)
            if len(_AXES) < 1024:
                _AXES[k] = hit
        return hit
    return _normalized_axes(axis, ndim, legacy)


def _normalized_axes(axis, ndim, legacy):
    if axis is None:
        return tuple(range(ndim))
    if isinstance(axis, tuple):
        axes = tuple(_axis(a) for a in axis)
    else:
        axes = (_axis(axis),)
        if legacy and ndim == 0 and axes[0] in (0, -1):
            return ()
    norm = []
    for a in axes:
        if not -ndim <= a < ndim:
            raise _AxisError(a, ndim)
        norm.append(a % ndim)
    if len(set(norm)) != len(norm):
        raise ValueError("duplicate value in 'axis'")
    return tuple(sorted(norm))


def _shapes(x, axes):
    """(kept shape, keepdims shape, elements per output), cached."""
    k = (x.shape, axes)
    hit = _SHAPES.get(k)
    if hit is None:
        hit = _shapes_of(x.shape, axes)
        if len(_SHAPES) < 1024:
            _SHAPES[k] = hit
    return hit


def _shapes_of(shape, axes):
    if len(axes) == len(shape):  # a full reduction (the common case)
        n = 1
        for d in shape:
            n *= d
        return (), (1,) * len(shape), n
    kept = tuple(d for i, d in enumerate(shape) if i not in axes)
    keep = tuple(1 if i in axes else d for i, d in enumerate(shape))
    n = 1
    for i in axes:
        n *= shape[i]
    return kept, keep, n


# numpy's sum/prod dtype: int64/uint64 for bools and small integers.
_SUM_DTYPE = {d: (np.dtype(np.int64) if d.kind == "b" or d.kind == "i" and d.itemsize < 8 else
                  np.dtype(np.uint64) if d.kind == "u" and d.itemsize < 8 else d)
              for d in _dtypes.DTYPES if d is not None}


def _sum_dtype(dt):
    return _SUM_DTYPE.get(dt) or dt


def _is_f16(dt):
    return dt.char == "e"


def _out_array(out):
    if isinstance(out, tuple):
        if len(out) != 1:
            raise ValueError("out must be a single array")
        out = out[0]
    return out


class _Call:
    """One reduction: the kernel's output (out itself when it can be
    written directly) and how the result reaches the caller."""

    def __init__(self, name, x, axes, keepdims, out, kernel_dt):
        self.name, self.x, self.axes, self.keepdims = name, x, axes, keepdims
        self.kept, self.keep, self.n = _shapes(x, axes)
        self.out = _out_array(out)
        self.kernel_dt = kernel_dt
        self.back = None  # the numpy view of out to cast the result into
        self.owner = None  # keepdims: the result array the kernel writes through dst, a view
        if self.out is None:
            if keepdims and axes:
                # the result owns its memory in keepdims' shape, as numpy's does
                self.owner = empty(self.keep, kernel_dt)
                self.dst = self.owner.squeeze(axis=axes)
            else:
                self.dst = empty(self.kept, kernel_dt)
            return
        o = self.out if isinstance(self.out, Array) else np.asarray(self.out)
        want = self.keep if keepdims else self.kept
        if tuple(o.shape) != want:
            raise ValueError(f"output parameter for reduction operation {_UFUNC[name]} has the wrong shape "
                             f"{tuple(o.shape)}, expected {want}")
        writable(o)
        direct = o.dtype == kernel_dt and o.flags.aligned and not np.may_share_memory(np.asarray(o), np.asarray(x))
        if direct:
            self.dst = o.squeeze(axis=axes) if keepdims and axes else o
        else:
            self.dst = empty(self.kept, kernel_dt)
            self.back = np.asarray(o)

    def run(self, family, op, src, threads, *params):
        """The kernel of family (its name) and op (the code within it) from
        src into the output over self.axes, with the family's parameters
        after those (var's ddof)."""
        _goarray._call(_registry.FAMILY_CODES[family], op, _threads(threads), self.dst, src, self.axes, *params)
        return self

    def result(self, result_dt=None):
        """The caller's result: out, or the kernel's array (cast to
        result_dt, reshaped for keepdims) or, for a 0-d result, a numpy
        scalar."""
        res = self.dst
        if self.out is not None:
            if self.back is not None:
                np.copyto(self.back, np.asarray(res).reshape(self.back.shape), casting="unsafe")
            return self.out
        if self.owner is not None:
            res = self.owner
        if result_dt is not None and result_dt != self.kernel_dt:
            res = res.astype(result_dt)
        if self.keepdims and res.shape != self.keep:
            res = res.reshape(self.keep)
        if res.ndim == 0:
            return res[()]
        return res


_FAMILY = _registry.FAMILY_CODES["reduce"]


def _reduce_new(op, x, axes, kept, dt, threads):
    """The reduce family's operation op (its code) of goarray array x over
    axes into a new array of shape kept and dtype dt: the one kernel call
    of the cached plans (_reductions._planned, _moments._planned_mean)."""
    dst = empty(kept, dt)
    _goarray._call(_FAMILY, op, 0 if threads is None else _threads(threads), dst, x, axes)
    return dst


def _sum_plan(name, x, acc):
    """(reduction, kernel dtype, source) for a sum or product of x in the
    accumulator dtype acc."""
    if acc.kind == "b":  # numpy's boolean add and multiply: logical or and and
        return ("any" if name == "sum" else "all"), acc, x
    kernel_dt = _F4 if _is_f16(acc) else acc
    xd = x.dtype
    xk, kk = xd.kind, kernel_dt.kind
    # Conversions the Go kernels do not make, done as numpy casts.
    if _is_f16(xd) or (xk == "c" or kk == "c") and xd != kernel_dt or xk == "f" and kk in "iu":
        return name, kernel_dt, _as_dtype(x, False, kernel_dt)
    return name, kernel_dt, x


def _out_dtype(o):
    return o.dtype if isinstance(o, Array) else np.asarray(o).dtype


_reduce_scalar = _goarray._reduce_scalar


def _full_scalar(name, x, acc, threads):
    """A full reduction of a goarray array straight to a numpy scalar (no
    output array), or None where that fast path does not apply."""
    if not isinstance(x, Array):
        return None
    return _reduce_scalar(_REDUCE[name], x, _dtypes.code_of_numpy(acc), _threads(threads))


def _numpy_fallback(f, x, axis, dtype, out, keepdims, **kw):
    """numpy's own reduction for the rare corners without a Go kernel; the
    result is a goarray array (or a numpy scalar, or out)."""
    o = _out_array(out)
    res = f(np.asarray(x), axis=axis, dtype=dtype, out=None if o is None else np.asarray(o),
            keepdims=keepdims, **kw)
    if o is not None:
        return o
    if isinstance(res, np.ndarray) and res.ndim:
        g = empty(res.shape, res.dtype)
        np.copyto(np.asarray(g), res)
        return g
    return res
