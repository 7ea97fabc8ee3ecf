"""mean, var and std in Go, on the reductions' machinery (_reduce_base):
the pairwise sum divided by the count, and two-pass variances, as numpy
computes them; the corners numpy computes in ways no kernel follows run
numpy's own loop on a zero-copy view."""
import warnings

import numpy as np

from . import _dtypes, _registry
from ._array import Array
from ._fast import fast as _fast
from ._kernels import _as_dtype, _threads, writable
from ._reduce_base import (_F4, _F8, _REDUCE, _Call, _axes, _full_scalar, _input, _is_f16, _numpy_fallback,
                           _out_array, _reduce_new, _reduce_scalar, _shapes, _sum_plan)
from ._reduce_docs import filled

_VAR = _registry.codes("var")   # var, std -> code


@filled()
def mean(a, axis=None, dtype=None, out=None, keepdims=False, *, threads=None):
    """Arithmetic mean over ``axis`` (numpy.mean).

    Parameters
    ----------
    {a}
    {axis}
    dtype : dtype_like, optional
        The accumulator and result dtype. Default: float64 for bool and
        integers, a's dtype for floats and complex numbers (float16
        accumulates in float32 and the result is float16).
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
    A pairwise sum in the accumulator dtype divided by the count, as numpy
    computes it. The mean of no elements is NaN with numpy's
    ``RuntimeWarning: Mean of empty slice.``

    {in_go}

    {from_c}

    Examples
    --------
    >>> import numpy as np, goarray as ga
    >>> ga.mean(ga.arange(4))
    np.float64(1.5)
    >>> np.mean(np.arange(4))
    np.float64(1.5)
    >>> ga.mean(ga.arange(6.0).reshape(2, 3), axis=0)
    ga.Array([1.5, 2.5, 3.5])
    >>> ga.mean(np.arange(4, dtype=np.float32))
    np.float32(1.5)
    """
    if type(a) is Array and (type(axis) is int or axis is None) and dtype is None and out is None and not keepdims:
        r = _planned_mean(a, axis, threads)
        if r is not None:
            return r
    x = _input(a)
    axes = _axes(axis, x.ndim, legacy=False)
    kept, keep, n = _shapes(x, axes)
    if n == 0:
        warnings.warn("Mean of empty slice.", RuntimeWarning, stacklevel=2)
    if dtype is not None:
        acc = result_dt = _dtypes.dtype_of(dtype)
    elif x.dtype.kind in "biu":
        acc = result_dt = _F8
    elif _is_f16(x.dtype):
        acc, result_dt = _F4, x.dtype
    else:
        acc = result_dt = x.dtype
    o = _out_array(out)
    if o is not None:
        target = np.asarray(o)
        want = keep if keepdims else kept
        if target.shape != want:
            raise ValueError(f"output parameter for reduction operation add has the wrong shape "
                             f"{target.shape}, expected {want}")
        writable(target)
        if dtype is None and x.dtype.kind in "fc" and not _is_f16(x.dtype):
            acc = np.promote_types(acc, target.dtype)  # numpy sums into out
    op, kernel_dt, src = _sum_plan("sum", x, acc)
    rcount = np.intp(n)
    if o is None and not (keep if keepdims else kept):
        if src is x and kernel_dt == acc:
            r = _full_scalar(op, x, kernel_dt, threads)
            if r is not None:
                return result_dt.type(r / rcount)
    s = _Call("mean", x, axes, False, None, kernel_dt).run("reduce", _REDUCE[op], src, threads).dst
    if kernel_dt != acc:  # dtype=float16: numpy's sum is float16 (and may overflow)
        s, kernel_dt = s.astype(acc), acc
    if o is not None:
        np.copyto(target, np.asarray(s).reshape(want), casting="unsafe")
        np.true_divide(target, rcount, out=target, casting="unsafe")
        return o
    if not (keep if keepdims else kept):  # numpy gives a scalar for a 0-d result
        return result_dt.type(s[()] / rcount)
    v = np.asarray(s)
    np.true_divide(v, rcount, out=v, casting="unsafe")
    if result_dt != kernel_dt:
        s = s.astype(result_dt)
    return s.reshape(keep) if keepdims else s


_PLANS = {}   # (dtype, shape, axis) -> _mean_plan's plan, or False


def _mean_plan(x, axis):
    """What mean does over axis (None or an int) of goarray array x without
    dtype=, out= or keepdims where that is one sum into a new array of the
    result's dtype, or (all axes) into a numpy scalar, and a division by
    the count: (axes, result shape, dtype, kernel operation, count, dtype
    code); False for everything else (0-d arrays, empty reductions, invalid
    axes, float16, conversions)."""
    try:
        axes = _axes(axis, x.ndim, legacy=False)
    except (TypeError, ValueError):
        return False
    kept, _, n = _shapes(x, axes)
    if n == 0 or not x.ndim:
        return False
    acc = _F8 if x.dtype.kind in "biu" else x.dtype
    if _is_f16(acc):
        return False
    op, kernel_dt, src = _sum_plan("sum", x, acc)
    if src is not x or kernel_dt != acc:
        return False
    return axes, kept, kernel_dt, _REDUCE[op], np.intp(n), _dtypes.code_of_numpy(kernel_dt)


def _planned_mean(a, axis, threads):
    """mean(a, axis) by its cached plan, or None where no plan applies."""
    k = (a.dtype, a.shape, axis)
    p = _PLANS.get(k)
    if p is None:
        p = _mean_plan(a, axis)
        if len(_PLANS) < 4096:
            _PLANS[k] = p
    if p is False:
        return None
    axes, kept, kernel_dt, op, rcount, code = p
    if not kept:   # numpy's result_dt.type(sum / intp(n)), as mean's general path
        r = _reduce_scalar(op, a, code, 0 if threads is None else _threads(threads))
        return None if r is None else kernel_dt.type(r / rcount)
    s = _reduce_new(op, a, axes, kept, kernel_dt, threads)
    if kernel_dt is _F8:
        s /= float(rcount)   # the flat C path: float64 division, as numpy's by np.intp(n)
    else:
        v = np.asarray(s)
        np.true_divide(v, rcount, out=v, casting="unsafe")
    return s


def _var(name, a, axis, dtype, out, ddof, keepdims, threads):
    x = _input(a)
    axes = _axes(axis, x.ndim, legacy=False)
    kept, keep, n = _shapes(x, axes)
    dt = None if dtype is None else _dtypes.dtype_of(dtype)
    kind = x.dtype.kind
    if dt is None:
        if kind in "biu":
            acc = result_dt = _F8
        elif kind == "c":
            acc = result_dt = _F4 if x.dtype.itemsize == 8 else _F8
        elif _is_f16(x.dtype):
            acc, result_dt = _F4, x.dtype
        else:
            acc = result_dt = x.dtype
    elif dt.kind == "f" and kind != "c":  # (numpy casts a complex mean to dt: its own algorithm below)
        acc, result_dt = (_F4 if _is_f16(dt) else dt), dt
    else:
        acc = result_dt = None
    if acc is None or _is_f16(result_dt):
        # An integer or complex accumulator, or float16 (numpy squares the
        # deviations in float16, overflowing to inf above 65504): numpy's
        # own algorithm on a zero-copy view (rare corners without a Go kernel).
        return _numpy_fallback(np.std if name == "std" else np.var, x, axis, dt, out, keepdims, ddof=ddof)
    o = _out_array(out)
    if name == "std" and o is not None:
        od = o.dtype if isinstance(o, Array) else np.asarray(o).dtype
        if od.kind not in "fc":  # numpy's sqrt(out=...) casts same_kind
            raise TypeError(f"Cannot cast ufunc 'sqrt' output from {result_dt!r} to {od!r} "
                            "with casting rule 'same_kind'")
    if ddof >= n:
        warnings.warn("Degrees of freedom <= 0 for slice", RuntimeWarning, stacklevel=3)
    src = _as_dtype(x, False, _F4) if _is_f16(x.dtype) else x
    call = _Call(name, x, axes, keepdims, o, acc)
    return call.run("var", _VAR[name], src, threads, float(ddof)).result(result_dt)


# var's and std's docstring
_VAR_DOC = """{title} over ``axis`` (numpy.{name}).

Parameters
----------
{a}
{axis}
dtype : dtype_like, optional
    The dtype to compute in. Default: float64 for bool and integers,
    the real dtype of the same precision for complex numbers, a's dtype
    for floats.
{out}
ddof : int or float, optional
    Delta degrees of freedom: the divisor is ``max(n - ddof, 0)`` for n
    elements.
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
{sqrt}Two-pass, as numpy's: the mean first, then the pairwise sum of squared
deviations (``|x - mean|**2`` for complex numbers). ``ddof >= n`` warns
(``RuntimeWarning: Degrees of freedom <= 0 for slice``) and gives inf or
NaN, as in numpy. An integer, complex or float16 ``dtype=`` (or any
``dtype=`` of a complex ``a``), and a float16 ``a``, run numpy's own
algorithm on a zero-copy view (numpy squares float16 deviations in
float16).

{in_go}

Examples
--------
>>> import numpy as np, goarray as ga
{examples}
"""


@filled(_VAR_DOC, title="Variance", sqrt="", examples="""\
>>> ga.var([1.0, 2.0, 3.0, 4.0])
np.float64(1.25)
>>> np.var([1.0, 2.0, 3.0, 4.0])
np.float64(1.25)
>>> float(ga.var([1.0, 2.0, 3.0, 4.0], ddof=1))   # the sample variance
1.6666666666666667
>>> ga.var(ga.arange(6).reshape(2, 3), axis=0)
ga.Array([2.25, 2.25, 2.25])""")
def var(a, axis=None, dtype=None, out=None, ddof=0, keepdims=False, *, threads=None):
    return _var("var", a, axis, dtype, out, ddof, keepdims, threads)


@filled(_VAR_DOC, title="Standard deviation", sqrt="The square root of :func:`var`, computed as it is.\n\n",
        examples="""\
>>> ga.std([1.0, 2.0, 3.0, 4.0])
np.float64(1.118033988749895)
>>> np.std([1.0, 2.0, 3.0, 4.0])
np.float64(1.118033988749895)
>>> ga.std(np.array([1 + 1j, 1 - 1j]))          # complex input, real result
np.float64(1.0)""")
def std(a, axis=None, dtype=None, out=None, ddof=0, keepdims=False, *, threads=None):
    return _var("std", a, axis, dtype, out, ddof, keepdims, threads)


# doctest does not collect the C entry point made below: run the examples
# of the Python implementation it falls back to.
__test__ = {"mean": mean}

# The commonest call, mean(a) on one C-contiguous goarray array, enters Go
# straight from C (goarray/_fast.py); the rest run the function above.
mean = _fast(mean)
