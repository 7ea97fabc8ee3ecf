"""Reductions in Go: sum, prod, min, max, and the machinery all/any/
count_nonzero (_logical), argmin/argmax (_argreduce) and mean/var/std
(_moments) share
(see _kernels for the common rules: operands, NEP 50
promotion, threads, GIL release, Ctrl-C).

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
from ._fast import fast as _fast
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


_PLANS = {}   # (name, dtype, shape, axis) -> _planned's plan, or False


def _plan(name, x, axis):
    """_reduce(name, x, axis) without dtype=, out= or keepdims, x a goarray
    array, where it is one kernel call into a new array of the result's
    dtype: (axes, result shape, dtype, kernel arguments); else False."""
    try:
        axes = _axes(axis, x.ndim)
    except (TypeError, ValueError):
        return False
    kept, _, _ = _shapes(x, axes)
    if name not in ("sum", "prod", "min", "max") or not kept:
        return False
    if name in ("sum", "prod"):
        acc = _sum_dtype(x.dtype)
        if _is_f16(acc) or acc.kind == "b":
            return False
        op, kernel_dt, src = _sum_plan(name, x, acc)
        if src is not x or kernel_dt != acc:
            return False
    else:
        op, kernel_dt = name, x.dtype
        if _is_f16(kernel_dt):
            return False
    return axes, kept, kernel_dt, _REDUCE[op]


def _planned(name, a, axis, threads):
    """_reduce(name, a, axis) by its cached plan (_plan), or None."""
    k = (name, a.dtype, a.shape, axis)
    p = _PLANS.get(k)
    if p is None:
        p = _plan(name, a, axis)
        if len(_PLANS) < 4096:
            _PLANS[k] = p
    if p is False:
        return None
    axes, kept, kernel_dt, op = p
    call = _Call.__new__(_Call)
    call.dst, call.axes = empty(kept, kernel_dt), axes
    return call.run("reduce", op, a, threads).dst


def _reduce(name, a, axis, dtype, out, keepdims, threads):
    if type(a) is Array and (type(axis) is int or axis is None) and dtype is None and out is None and not keepdims:
        r = _planned(name, a, axis, threads)
        if r is not None:
            return r
    x = _input(a)
    axes = _axes(axis, x.ndim)
    src = x
    if name in ("sum", "prod"):
        if dtype is None and out is not None:
            # numpy's loop for an out= of another dtype: the promotion of both
            dtype = np.promote_types(x.dtype, _out_dtype(_out_array(out)))
        acc = _sum_dtype(x.dtype) if dtype is None else _dtypes.dtype_of(dtype)
        if name == "prod" and _is_f16(acc):
            # numpy multiplies in float16 step by step (overflowing to inf
            # where float32 would not): its own loop on a zero-copy view.
            return _numpy_fallback(np.prod, x, axis, dtype, out, keepdims)
        name, kernel_dt, src = _sum_plan(name, x, acc)
    elif name in ("all", "any"):
        acc = kernel_dt = _BOOL
    else:
        acc = kernel_dt = x.dtype
        if _is_f16(acc):
            kernel_dt = _F4
            src = _as_dtype(x, False, _F4)  # exact: float16 values are float32 values
    if out is None and not keepdims and src is x and kernel_dt == acc and len(axes) == x.ndim:
        r = _full_scalar(name, x, kernel_dt, threads)
        if r is not None:
            return r
    call = _Call(name, x, axes, keepdims, out, kernel_dt)
    return call.run("reduce", _REDUCE[name], src, threads).result(acc)


_reduce_scalar = getattr(_goarray, "_reduce_scalar", None)


def _full_scalar(name, x, acc, threads):
    """A full reduction of a goarray array straight to a numpy scalar (no
    output array), or None where that fast path does not apply."""
    if _reduce_scalar is None or not isinstance(x, Array):
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


def sum(a, axis=None, dtype=None, out=None, keepdims=False, *, threads=None):  # noqa: A001
    """Sum of array elements over ``axis`` (numpy.sum).

    Parameters
    ----------
    a : array_like
        A goarray array, a numpy array, any other buffer exporter, a nested
        sequence or a scalar.
    axis : None, int or tuple of ints, optional
        Axes to reduce (negative counts from the last); None, the default,
        reduces all of them.
    dtype : dtype_like, optional
        The accumulator and result dtype. Default: a's dtype, except that
        bool and integers narrower than 64 bits sum in int64 (uint64 for
        unsigned), as in numpy.
    out : goarray.Array or writable buffer, optional
        Where to write the result; it must have the result's shape. Another
        dtype receives the result cast as numpy casts it.
    keepdims : bool, optional
        Keep the reduced axes as axes of length 1.
    threads : int, optional
        Goroutines to use (at least 1); default :func:`get_num_threads`.

    Returns
    -------
    numpy scalar or goarray.Array
        A numpy scalar for a full reduction, else a goarray array (or
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
    Float sums are pairwise, numpy's algorithm, so their accuracy is at
    least numpy's (the last bits may differ from numpy's result where the
    summation order does). float16 accumulates in float32 and rounds to
    float16 at the end. A bool sum with ``dtype=bool`` is a logical or, as
    in numpy.

    The reduction runs in Go on a's memory (buffers are read in place);
    for large inputs the GIL is released and the work is split over
    ``threads`` goroutines. Each output is reduced in chunks fixed by the
    shapes alone and the partial results are combined in a fixed order,
    so the result is bit-identical for every thread count.

    ``sum(a)`` of one C-contiguous goarray or numpy array, with no other
    argument, enters Go straight from C; every other call takes the
    general path, with the same results.

    Examples
    --------
    >>> import numpy as np, goarray as ga
    >>> ga.sum(ga.arange(4.0))
    np.float64(6.0)
    >>> np.sum(np.arange(4.0))
    np.float64(6.0)
    >>> a = ga.arange(6).reshape(2, 3)
    >>> ga.sum(a, axis=0)
    ga.Array([3, 5, 7])
    >>> ga.sum(a, axis=1, keepdims=True).tolist()
    [[3], [12]]
    >>> ga.sum(np.arange(3, dtype=np.int8))        # int64 accumulator, as numpy
    np.int64(3)
    """
    return _reduce("sum", a, axis, dtype, out, keepdims, threads)


def prod(a, axis=None, dtype=None, out=None, keepdims=False, *, threads=None):
    """Product of array elements over ``axis`` (numpy.prod).

    Parameters
    ----------
    a : array_like
        A goarray array, a numpy array, any other buffer exporter, a nested
        sequence or a scalar.
    axis : None, int or tuple of ints, optional
        Axes to reduce (negative counts from the last); None, the default,
        reduces all of them.
    dtype : dtype_like, optional
        The accumulator and result dtype. Default: a's dtype, except that
        bool and integers narrower than 64 bits multiply in int64 (uint64
        for unsigned), as in numpy.
    out : goarray.Array or writable buffer, optional
        Where to write the result; it must have the result's shape. Another
        dtype receives the result cast as numpy casts it.
    keepdims : bool, optional
        Keep the reduced axes as axes of length 1.
    threads : int, optional
        Goroutines to use (at least 1); default :func:`get_num_threads`.

    Returns
    -------
    numpy scalar or goarray.Array
        A numpy scalar for a full reduction, else a goarray array (or
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
    Integer products wrap around, as in numpy. A float16 product runs
    numpy's own loop on a zero-copy view (numpy multiplies in float16 step
    by step).

    Float and complex products are numpy's running product: each output
    multiplies its elements one after the other, in the order numpy's loop
    visits them (a zero followed by products that overflow stays 0.0, as
    in numpy, instead of becoming 0 * inf = nan), complex ones with
    numpy's rounded component products. Up to 32768 elements per output,
    of a 1-d, contiguous or strided input or along an axis, the result is
    numpy's bytes. Beyond, the running product of each chunk of 32768
    elements is computed on its own (in parallel) and the chunk products
    are multiplied left to right: the result can differ from numpy's in
    the last bits, or where a chunk's own product overflows or underflows
    while numpy's running product would not. A multi-axis reduction of a
    non-C-ordered view (a transpose) visits the elements in the view's C
    order, numpy in memory order: the same values, possibly other last
    bits.

    The reduction runs in Go on a's memory (buffers are read in place);
    for large inputs the GIL is released and the work is split over
    ``threads`` goroutines. Each output is reduced in chunks fixed by the
    shapes alone and the partial results are combined in a fixed order,
    so the result is bit-identical for every thread count.

    ``prod(a)`` of one C-contiguous goarray or numpy array, with no other
    argument, enters Go straight from C; every other call takes the
    general path, with the same results.

    Examples
    --------
    >>> import numpy as np, goarray as ga
    >>> ga.prod(ga.arange(1, 5))
    np.int64(24)
    >>> np.prod(np.arange(1, 5))
    np.int64(24)
    >>> ga.prod(ga.arange(1.0, 7.0).reshape(2, 3), axis=1)
    ga.Array([  6., 120.])
    >>> ga.prod([])                                 # the empty product
    np.float64(1.0)
    """
    return _reduce("prod", a, axis, dtype, out, keepdims, threads)


def min(a, axis=None, out=None, keepdims=False, *, threads=None):  # noqa: A001
    """Minimum of array elements over ``axis`` (numpy.min).

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
    numpy scalar or goarray.Array
        A numpy scalar of a's dtype for a full reduction, else a goarray
        array (or ``out``).

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
    A NaN anywhere in the reduced elements gives NaN, as in numpy. float16
    is compared as float32 copies (exact). An empty reduction raises
    ValueError, as in numpy.

    The reduction runs in Go on a's memory (buffers are read in place);
    for large inputs the GIL is released and the work is split over
    ``threads`` goroutines. Each output is reduced in chunks fixed by the
    shapes alone and the partial results are combined in a fixed order,
    so the result is bit-identical for every thread count.

    Signed zeros: when the minimum is zero and both +0.0 and -0.0 are
    among the reduced elements, the zero returned is goarray's own choice,
    fixed by the data alone (the same on every CPU, thread count and SIMD
    level); it compares equal to numpy's but may have the other sign.
    numpy's choice follows its loop structure and the CPU's SIMD target:
    np.min([-0.0, 0.0, 53.0, 83.0]) is 0.0 with numpy's AVX2 and AVX-512
    loops and -0.0 with its baseline SSE loop, and the two vector loops
    differ on other inputs (8-lane blocks of 8 vectors against 4-lane
    ones, then a scalar tail that takes the later of two equal elements).

    ``min(a)`` of one C-contiguous goarray or numpy array, with no other
    argument, enters Go straight from C; every other call takes the
    general path, with the same results.

    Examples
    --------
    >>> import numpy as np, goarray as ga
    >>> a = ga.asarray([[3.0, 1.0], [2.0, 5.0]])
    >>> ga.min(a)
    np.float64(1.0)
    >>> ga.min(a, axis=0)
    ga.Array([2., 1.])
    >>> ga.min([1.0, np.nan, 0.0])                 # NaN wins, as in numpy
    np.float64(nan)
    >>> np.min([1.0, np.nan, 0.0])
    np.float64(nan)
    """
    return _reduce("min", a, axis, None, out, keepdims, threads)


def max(a, axis=None, out=None, keepdims=False, *, threads=None):  # noqa: A001
    """Maximum of array elements over ``axis`` (numpy.max).

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
    numpy scalar or goarray.Array
        A numpy scalar of a's dtype for a full reduction, else a goarray
        array (or ``out``).

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
    A NaN anywhere in the reduced elements gives NaN, as in numpy. float16
    is compared as float32 copies (exact). An empty reduction raises
    ValueError, as in numpy.

    The reduction runs in Go on a's memory (buffers are read in place);
    for large inputs the GIL is released and the work is split over
    ``threads`` goroutines. Each output is reduced in chunks fixed by the
    shapes alone and the partial results are combined in a fixed order,
    so the result is bit-identical for every thread count.

    Signed zeros: when the maximum is zero and both +0.0 and -0.0 are
    among the reduced elements, the zero returned is goarray's own choice,
    fixed by the data alone (the same on every CPU, thread count and SIMD
    level); it compares equal to numpy's but may have the other sign.
    numpy's choice follows its loop structure and the CPU's SIMD target:
    np.min([-0.0, 0.0, 53.0, 83.0]) is 0.0 with numpy's AVX2 and AVX-512
    loops and -0.0 with its baseline SSE loop, and the two vector loops
    differ on other inputs (8-lane blocks of 8 vectors against 4-lane
    ones, then a scalar tail that takes the later of two equal elements).

    ``max(a)`` of one C-contiguous goarray or numpy array, with no other
    argument, enters Go straight from C; every other call takes the
    general path, with the same results.

    Examples
    --------
    >>> import numpy as np, goarray as ga
    >>> a = ga.asarray([[3.0, 1.0], [2.0, 5.0]])
    >>> ga.max(a)
    np.float64(5.0)
    >>> ga.max(a, axis=1, keepdims=True).tolist()
    [[3.0], [5.0]]
    >>> ga.max(np.arange(10, dtype=np.uint8))      # numpy memory, read in place
    np.uint8(9)
    """
    return _reduce("max", a, axis, None, out, keepdims, threads)


# doctest does not collect the C entry points made below: run the examples
# of the Python implementations they fall back to.
def _flat_results():
    """For the flat C path of full reductions (bindings/flat.c): per reduce
    operation code, then the mean, and per dtype code, numpy's result dtype
    code of the full reduction without ``dtype=`` (what numpy itself
    returns for one element of that dtype), or 0 where the flat path does
    not apply: no Go loop for the dtype (the registry's), or a mean that is
    not a real float (complex means take the general path)."""
    def row(fn, loops, mean=False):
        out = [0] * len(_dtypes.DTYPES)
        for code, dt in enumerate(_dtypes.DTYPES):
            if dt is None or dt.name not in loops:
                continue
            r = getattr(fn(np.zeros(1, dt)), "dtype", None)   # count_nonzero: a Python int
            if r is not None and (not mean or (r.kind == "f" and r.itemsize > 2)):
                out[code] = _dtypes.code_of_numpy(r)
        return tuple(out)

    ops = {code: _registry.OPS["reduce", name] for name, code in _REDUCE.items()}
    table = [row(getattr(np, ops[c].serves), ops[c].dtypes) if c in ops else (0,) * len(_dtypes.DTYPES)
             for c in range(len(ops))]   # codes 0, 1, ...: GA_NOPS_REDUCE rows
    table.append(row(np.mean, _registry.OPS["reduce", "sum"].dtypes, mean=True))
    return tuple(table)


_goarray._set_reduce_results(_flat_results())

__test__ = {f.__name__: f for f in (sum, min, max, prod)}

# The commonest calls, f(a) on one C-contiguous goarray array, enter Go
# straight from C (goarray/_fast.py); the rest run the functions above.
sum, min, max, prod = (_fast(f) for f in (sum, min, max, prod))  # noqa: A001
