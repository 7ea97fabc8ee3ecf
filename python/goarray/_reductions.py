"""sum, prod, min and max in Go (numpy's add, multiply, minimum and
maximum reductions), on the machinery every reduction shares
(_reduce_base): _reduce, the general path, which all and any (_logical)
take too; a cached plan (_plan) for the commonest calls on goarray arrays
(one kernel call into a new array); and the table of numpy's result dtypes
the flat C path of full reductions reads (_flat_results).
"""
import numpy as np

from . import _dtypes, _goarray, _registry
from ._array import Array
from ._fast import fast as _fast
from ._kernels import _as_dtype, _threads
from ._reduce_docs import filled
from ._reduce_base import (_BOOL, _F4, _REDUCE, _Call, _axes, _full_scalar, _input, _is_f16, _numpy_fallback,
                           _out_array, _out_dtype, _reduce_new, _reduce_scalar, _shapes, _sum_dtype, _sum_plan)

_PLANS = {}   # (name, dtype, shape, axis) -> _planned's plan, or False


def _plan(name, x, axis):
    """_reduce(name, x, axis) without dtype=, out= or keepdims, x a goarray
    array, where it is one kernel call into a new array of the result's
    dtype, or (all axes) into a numpy scalar: (axes, result shape, dtype,
    kernel operation, dtype code); else False."""
    try:
        axes = _axes(axis, x.ndim)
    except (TypeError, ValueError):
        return False
    kept, _, _ = _shapes(x, axes)
    if name not in ("sum", "prod", "min", "max") or not x.ndim:
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
    return axes, kept, kernel_dt, _REDUCE[op], _dtypes.code_of_numpy(kernel_dt)


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
    axes, kept, kernel_dt, op, code = p
    if not kept:   # a numpy scalar, or None where the general path must run
        return _reduce_scalar(op, a, code, 0 if threads is None else _threads(threads))
    return _reduce_new(op, a, axes, kept, kernel_dt, threads)


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


@filled()
def sum(a, axis=None, dtype=None, out=None, keepdims=False, *, threads=None):  # noqa: A001
    """Sum of array elements over ``axis`` (numpy.sum).

    Parameters
    ----------
    {a}
    {axis}
    dtype : dtype_like, optional
        The accumulator and result dtype. Default: a's dtype, except that
        bool and integers narrower than 64 bits sum in int64 (uint64 for
        unsigned), as in numpy.
    {out}
    {keepdims}
    {threads}

    Returns
    -------
    {returns}

    Raises
    ------
    {raises}

    Notes
    -----
    Float sums are pairwise, numpy's algorithm, so their accuracy is at
    least numpy's (the last bits may differ from numpy's result where the
    summation order does). float16 accumulates in float32 and rounds to
    float16 at the end. A bool sum with ``dtype=bool`` is a logical or, as
    in numpy.

    {in_go}

    {from_c}

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


@filled()
def prod(a, axis=None, dtype=None, out=None, keepdims=False, *, threads=None):
    """Product of array elements over ``axis`` (numpy.prod).

    Parameters
    ----------
    {a}
    {axis}
    dtype : dtype_like, optional
        The accumulator and result dtype. Default: a's dtype, except that
        bool and integers narrower than 64 bits multiply in int64 (uint64
        for unsigned), as in numpy.
    {out}
    {keepdims}
    {threads}

    Returns
    -------
    {returns}

    Raises
    ------
    {raises}

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

    {in_go}

    {from_c}

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


# min's and max's docstring ({name}imum: minimum, maximum)
_MINMAX_DOC = """{title} of array elements over ``axis`` (numpy.{name}).

Parameters
----------
{a}
{axis}
{out}
{keepdims}
{threads}

Returns
-------
numpy scalar or goarray.Array
    A numpy scalar of a's dtype for a full reduction, else a goarray
    array (or ``out``).

Raises
------
{raises}

Notes
-----
A NaN anywhere in the reduced elements gives NaN, as in numpy. float16
is compared as float32 copies (exact). An empty reduction raises
ValueError, as in numpy.

{in_go}

Signed zeros: when the {name}imum is zero and both +0.0 and -0.0 are
among the reduced elements, the zero returned is goarray's own choice,
fixed by the data alone (the same on every CPU, thread count and SIMD
level); it compares equal to numpy's but may have the other sign.
numpy's choice follows its loop structure and the CPU's SIMD target:
np.min([-0.0, 0.0, 53.0, 83.0]) is 0.0 with numpy's AVX2 and AVX-512
loops and -0.0 with its baseline SSE loop, and the two vector loops
differ on other inputs (8-lane blocks of 8 vectors against 4-lane
ones, then a scalar tail that takes the later of two equal elements).

{from_c}

Examples
--------
>>> import numpy as np, goarray as ga
{examples}
"""


@filled(_MINMAX_DOC, title="Minimum", examples="""\
>>> a = ga.asarray([[3.0, 1.0], [2.0, 5.0]])
>>> ga.min(a)
np.float64(1.0)
>>> ga.min(a, axis=0)
ga.Array([2., 1.])
>>> ga.min([1.0, np.nan, 0.0])                 # NaN wins, as in numpy
np.float64(nan)
>>> np.min([1.0, np.nan, 0.0])
np.float64(nan)""")
def min(a, axis=None, out=None, keepdims=False, *, threads=None):  # noqa: A001
    return _reduce("min", a, axis, None, out, keepdims, threads)


@filled(_MINMAX_DOC, title="Maximum", examples="""\
>>> a = ga.asarray([[3.0, 1.0], [2.0, 5.0]])
>>> ga.max(a)
np.float64(5.0)
>>> ga.max(a, axis=1, keepdims=True).tolist()
[[3.0], [5.0]]
>>> ga.max(np.arange(10, dtype=np.uint8))      # numpy memory, read in place
np.uint8(9)""")
def max(a, axis=None, out=None, keepdims=False, *, threads=None):  # noqa: A001
    return _reduce("max", a, axis, None, out, keepdims, threads)


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

# doctest does not collect the C entry points made below: run the examples
# of the Python implementations they fall back to.
__test__ = {f.__name__: f for f in (sum, min, max, prod)}

# The commonest calls, f(a) on one C-contiguous goarray array, enter Go
# straight from C (goarray/_fast.py); the rest run the functions above.
sum, min, max, prod = (_fast(f) for f in (sum, min, max, prod))  # noqa: A001
