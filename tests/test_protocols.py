"""numpy's protocols on goarray.Array: operators, __array_ufunc__ (every
ufunc and method), __array_function__ and __array__, against numpy on the
equivalent numpy arrays.

For every operation: where numpy returns an array, goarray returns a
goarray array of the same dtype and shape; where numpy returns a scalar,
the same scalar type; where numpy raises, goarray raises the same
exception type. Values are identical except for complex multiply/divide
(Go may round differently by an ulp: compared with a tight tolerance).
"""
import gc
import operator
import warnings

import numpy as np
import pytest
from hypothesis import given, note
from hypothesis import strategies as st
from numpy.testing import assert_allclose, assert_array_equal

import goarray as ga
from conftest import DTYPES

# numpy 2.0 and 2.1 run square/sqrt/... for ndarray ** some scalars (float32
# ** numpy.float64(0.5) stays float32); numpy 2.4 applies numpy.power's rules.
NUMPY_POWER_SHORTCUTS = (np.zeros(1, "f4") ** np.float64(0.5)).dtype == np.float32

NUMERIC = [d for d in DTYPES]
SHAPES = [(), (0,), (1,), (7,), (3, 4), (2, 3, 4)]


def values(shape, dt, seed=0):
    """Deterministic values of dtype dt: small integers (valid as shift
    counts and exponents, some zeros), signs mixed for signed kinds."""
    rng = np.random.default_rng(seed)
    n = int(np.prod(shape))
    if dt.kind == "b":
        v = rng.integers(0, 2, n).astype(bool)
    elif dt.kind == "u":
        v = rng.integers(0, 6, n)
    elif dt.kind == "i":
        v = rng.integers(-5, 6, n)
    elif dt.kind == "f":
        v = rng.integers(-8, 9, n) / 4.0
    else:
        v = (rng.integers(-8, 9, n) + 1j * rng.integers(-8, 9, n)) / 4.0
    return np.asarray(v).astype(dt).reshape(shape)


def pair(shape, dt, seed=0, order="C"):
    n = np.asarray(values(shape, dt, seed), order=order)
    g = ga.empty(n.shape, n.dtype, order=order)
    np.asarray(g)[...] = n
    return g, n


def outcome(f, *args):
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        try:
            return f(*args), None
        except Exception as e:  # noqa: BLE001
            return None, e


def check_same(got, want, exact=True):
    """goarray result `got` against numpy result `want`."""
    if isinstance(want, tuple):
        assert isinstance(got, tuple) and len(got) == len(want)
        for g, w in zip(got, want):
            check_same(g, w, exact)
        return
    if isinstance(want, np.ndarray):
        assert type(got) is ga.Array, f"{type(got).__name__} where numpy gives an ndarray"
        g = np.asarray(got)
        assert g.dtype == want.dtype and g.shape == want.shape, (g.dtype, g.shape, want.dtype, want.shape)
        if exact or want.dtype.kind not in "fc":
            assert_array_equal(g, want)
        else:
            assert_allclose(g, want, rtol=1e-5 if want.dtype.itemsize <= 8 else 1e-12, equal_nan=True)
        return
    if isinstance(want, np.generic):
        assert type(got) is type(want), (type(got), type(want))
        if exact or want.dtype.kind not in "fc":
            assert_array_equal(got, want)
        else:
            assert_allclose(got, want, rtol=1e-5, equal_nan=True)
        return
    assert type(got) is type(want)
    if isinstance(want, (list,)):
        assert len(got) == len(want)
        for g, w in zip(got, want):
            check_same(g, w, exact)
    else:
        assert got == want or (got != got and want != want)


def compare(f, gargs, nargs, exact=True):
    got, gerr = outcome(f, *gargs)
    want, werr = outcome(f, *nargs)
    if werr is not None:
        assert gerr is not None, f"numpy raised {werr!r}, goarray returned {got!r}"
        assert isinstance(gerr, type(werr)) or isinstance(werr, type(gerr)), (gerr, werr)
        return
    assert gerr is None, f"goarray raised {gerr!r}, numpy returned {want!r}"
    check_same(got, want, exact)


# ---- operators --------------------------------------------------------------------

BINARY = [operator.add, operator.sub, operator.mul, operator.truediv, operator.floordiv, operator.mod,
          operator.pow, operator.and_, operator.or_, operator.xor, operator.lshift, operator.rshift,
          operator.lt, operator.le, operator.eq, operator.ne, operator.gt, operator.ge, divmod]
INPLACE = [operator.iadd, operator.isub, operator.imul, operator.itruediv, operator.ifloordiv,
           operator.imod, operator.ipow, operator.iand, operator.ior, operator.ixor, operator.ilshift,
           operator.irshift]
UNARY = [operator.neg, operator.pos, abs, operator.invert]
SCALARS = [True, 3, -2, 2.5, 1 + 2j, np.int8(3), np.float32(1.5), np.uint64(2), np.complex64(1j)]


def _exact(op, *dts):
    return not (op in (operator.mul, operator.truediv, operator.pow, divmod, operator.floordiv, operator.mod)
                and any(np.dtype(d).kind == "c" for d in dts))


@pytest.mark.parametrize("op", BINARY, ids=lambda f: f.__name__)
@given(dx=st.sampled_from(NUMERIC), dy=st.sampled_from(NUMERIC), shape=st.sampled_from(SHAPES),
       bshape=st.sampled_from([None, (), (1,), "last"]), seed=st.integers(0, 3))
def test_binary_operators_match_numpy(op, dx, dy, shape, bshape, seed):
    """Both operands goarray arrays; and goarray with a numpy array on
    either side (broadcast shapes too)."""
    g, n = pair(shape, dx, seed)
    yshape = shape if bshape is None else (shape[-1:] if bshape == "last" else bshape)
    h, m = pair(yshape, dy, seed + 1)
    note(f"{op.__name__} {dx} {shape} {dy} {yshape}")
    exact = _exact(op, dx, dy)
    compare(op, (g, h), (n, m), exact)
    compare(op, (g, m), (n, m), exact)
    if op is operator.pow and yshape == () and NUMPY_POWER_SHORTCUTS:
        # numpy 2.0 and 2.1 compute ndarray ** 0-d array themselves (square,
        # sqrt, ...: goarray is never asked, the result is an ndarray), or,
        # for a 0-d base, ask goarray for numpy.power
        got = np.asarray(op(n, h))
        ref = np.asarray(op(n, m)) if got.dtype == np.asarray(op(n, m)).dtype else np.power(n, m)
        np.testing.assert_array_equal(got, np.asarray(ref), strict=True)
    else:
        compare(op, (n, h), (n, m), exact)


@pytest.mark.parametrize("op", BINARY, ids=lambda f: f.__name__)
@pytest.mark.parametrize("dt", NUMERIC, ids=str)
def test_binary_operators_with_scalars_match_numpy(op, dt):
    """NEP 50: Python scalars are weak, numpy scalars strong; both sides."""
    g, n = pair((2, 3), dt)
    for s in SCALARS:
        exact = _exact(op, dt, np.asarray(s).dtype)
        compare(op, (g, s), (n, s), exact)
        compare(op, (s, g), (s, n), exact)


@pytest.mark.parametrize("op", UNARY, ids=lambda f: f.__name__)
@pytest.mark.parametrize("dt", NUMERIC, ids=str)
@pytest.mark.parametrize("shape", SHAPES, ids=str)
def test_unary_operators_match_numpy(op, dt, shape):
    g, n = pair(shape, dt)
    compare(op, (g,), (n,), exact=dt.kind != "c")   # complex abs: Go's hypot may differ by an ulp


@pytest.mark.parametrize("op", INPLACE, ids=lambda f: f.__name__)
@given(dx=st.sampled_from(NUMERIC), other=st.sampled_from(NUMERIC + SCALARS), shape=st.sampled_from(SHAPES[1:]),
       seed=st.integers(0, 3))
def test_inplace_operators_write_into_the_same_memory(op, dx, other, shape, seed):
    """a op= b writes into a's own Go memory (no new allocation) exactly as
    numpy's in-place operator changes the numpy array, or raises as it
    does (casting errors leave a unchanged)."""
    g, n = pair(shape, dx, seed)
    if isinstance(other, np.dtype):
        h, m = pair(shape, other, seed + 1)
    else:
        h = m = other
    before = np.asarray(g).copy()
    address = g._data
    got, gerr = outcome(op, g, h)
    want, werr = outcome(op, n, m)
    if werr is not None:
        assert gerr is not None, f"numpy raised {werr!r}"
        assert isinstance(gerr, type(werr)) or isinstance(werr, type(gerr)), (gerr, werr)
        if isinstance(werr, TypeError):   # refused before any element is written
            assert_array_equal(np.asarray(g), before)
        return
    assert gerr is None, f"goarray raised {gerr!r}"
    assert got is g and g._data == address
    exact = _exact(op, dx, np.asarray(m).dtype)
    if exact or dx.kind not in "fc":
        assert_array_equal(np.asarray(g), want)
    else:
        assert_allclose(np.asarray(g), want, rtol=1e-5)


def test_inplace_add_does_not_allocate():
    a = ga.ones(1_000_000)
    b = ga.ones(1_000_000)
    start = ga._allocated_bytes()
    address = a._data
    a += b
    a += 1
    a *= 2.0
    a -= b
    a /= 3
    assert a._data == address and ga._allocated_bytes() == start
    assert_array_equal(np.asarray(a), np.full(1_000_000, ((1 + 1 + 1) * 2.0 - 1) / 3))


def test_matmul_operator():
    for dt in ("float64", "float32", "int64", "complex128"):
        g, n = pair((3, 4), np.dtype(dt))
        h, m = pair((4, 2), np.dtype(dt), 1)
        compare(operator.matmul, (g, h), (n, m), exact=np.dtype(dt).kind not in "fc")
        compare(operator.matmul, (g, m), (n, m), exact=np.dtype(dt).kind not in "fc")
        compare(operator.matmul, (n, h), (n, m), exact=np.dtype(dt).kind not in "fc")
    g, n = pair((3, 4), np.dtype("float64"))
    compare(operator.matmul, (g, g), (n, n))      # shape mismatch: numpy's ValueError
    sq, sn = pair((3, 3), np.dtype("float64"))
    sq @= sq
    sn @= sn.copy()
    assert_allclose(np.asarray(sq), sn)


def test_zero_dimensional_results_are_scalars():
    g, n = pair((), np.dtype("float64"))
    for op in (operator.add, operator.mul, operator.truediv, operator.lt):
        compare(op, (g, g), (n, n))
        compare(op, (g, 2), (n, 2))
    assert type(-g) is type(-n)


def test_equality_with_objects_numpy_cannot_compare():
    g, n = pair((3,), np.dtype("float64"))
    for other in ("abc", None, object(), [0.0, 1.0, 2.0], (1,)):
        for op in (operator.eq, operator.ne):
            compare(op, (g, other), (n, other))
            compare(op, (other, g), (other, n))


def test_operators_defer_to_types_that_refuse_ufuncs():
    """numpy's rule: an operand with __array_ufunc__ = None gets its
    reflected operator."""
    class Other:
        __array_ufunc__ = None

        def __radd__(self, other):
            return "radd"

        def __rsub__(self, other):
            return "rsub"

        def __rmul__(self, other):
            return "rmul"

        def __rtruediv__(self, other):
            return "rtruediv"

        def __rmod__(self, other):
            return "rmod"

        def __gt__(self, other):
            return "lt"   # a < o is o > a

    a = ga.ones(3)
    assert a + Other() == "radd" and a - Other() == "rsub" and a * Other() == "rmul"
    assert a / Other() == "rtruediv" and a % Other() == "rmod" and (a < Other()) == "lt"
    with pytest.raises(TypeError):
        np.add(a, Other())


class Duck:
    """A foreign array type with its own protocols."""

    def __init__(self, data):
        self.data = np.asarray(data)

    def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
        args = [x.data if isinstance(x, Duck) else np.asarray(x) for x in inputs]
        return Duck(getattr(ufunc, method)(*args, **kwargs))

    def __array_function__(self, func, types, args, kwargs):
        return "duck"


def test_foreign_array_types_get_their_turn():
    a = ga.arange(3.0)
    d = Duck([1.0, 2.0, 3.0])
    for r in (np.add(a, d), np.add(d, a), a + d, d + a, np.multiply(a, d)):
        assert isinstance(r, Duck)
    assert_array_equal((a + d).data, [1, 3, 5])
    assert np.concatenate([a, d]) == "duck"
    assert np.sum(d) == "duck"


# ---- __array_ufunc__ --------------------------------------------------------------------

UFUNCS = sorted({getattr(np, n) for n in dir(np) if isinstance(getattr(np, n), np.ufunc)}, key=lambda u: u.__name__)


@pytest.mark.parametrize("uf", UFUNCS, ids=lambda u: u.__name__)
def test_every_ufunc_call_matches_numpy(uf):
    """Every numpy ufunc on goarray inputs of several dtypes: numpy's result
    (dtype, shape, values or exception); array results in Go memory."""
    for dt in ("bool", "int16", "uint8", "int64", "float16", "float32", "float64", "complex128"):
        dt = np.dtype(dt)
        shape = (3, 4) if uf.signature is None else (4, 4)
        ins = [pair(shape, dt, seed) for seed in range(uf.nin)]
        gs, ns = [g for g, _ in ins], [n for _, n in ins]
        # float results: exact where the operation is (Go's exp, log and
        # complex abs may differ from numpy's loops by an ulp)
        exact = uf.__name__ not in ("exp", "log", "absolute", "multiply", "divide", "true_divide", "power",
                                    "sqrt") or dt.kind in "biu" and uf.__name__ not in ("exp", "log", "sqrt")
        got, gerr = outcome(uf, *gs)
        want, werr = outcome(uf, *ns)
        if werr is not None:
            assert gerr is not None and (isinstance(gerr, type(werr)) or isinstance(werr, type(gerr))), (gerr, werr)
            continue
        assert gerr is None, f"{uf.__name__}({dt}): {gerr!r}"
        check_same(got, want, exact=exact and dt.kind != "c")
        if uf.signature is None:
            for r in (got if isinstance(got, tuple) else (got,)):
                assert r.base is None and r.flags.owndata   # allocated in Go, not a wrapped numpy result


@pytest.mark.parametrize("method", ["reduce", "accumulate", "reduceat", "outer", "at"])
@pytest.mark.parametrize("uf", [np.add, np.multiply, np.minimum, np.maximum, np.subtract, np.logical_and,
                                np.logical_or, np.bitwise_xor, np.fmax, np.hypot, np.power],
                         ids=lambda u: u.__name__)
def test_ufunc_methods_match_numpy(uf, method):
    for dt in ("bool", "int32", "uint8", "float32", "float64", "complex128"):
        dt = np.dtype(dt)
        g, n = pair((4, 5), dt)
        h, m = pair((4, 5), dt, 1)
        exact = dt.kind not in "fc" or uf in (np.minimum, np.maximum, np.fmax, np.subtract)
        if method == "reduce":
            for kw in ({}, {"axis": 1}, {"axis": None}, {"axis": (0, 1), "keepdims": True}, {"axis": -1},
                       {"dtype": "float64"}, {"initial": 1}, {"where": np.asarray(values((4, 5), np.dtype(bool)))},
                       {"axis": 0, "keepdims": True}):
                if "where" in kw and "initial" not in kw:
                    kw = dict(kw, initial=0)
                compare(lambda x, kw=kw: uf.reduce(x, **kw), (g,), (n,), exact)
        elif method == "accumulate":
            for kw in ({}, {"axis": 1}, {"dtype": "float64"}):
                compare(lambda x, kw=kw: uf.accumulate(x, **kw), (g,), (n,), exact)
        elif method == "reduceat":
            compare(lambda x: uf.reduceat(x, [0, 2, 3], axis=1), (g,), (n,), exact)
        elif method == "outer":
            compare(lambda x, y: uf.outer(x[0], y[1]), (g, h), (n, m), exact)
            compare(lambda x, y: uf.outer(x[0], y[1]), (g, m), (n, m), exact)
        else:
            def at(x):
                uf.at(x, [0, 0, 2], x[1:4, 0]) if uf.nin == 2 else uf.at(x, [0, 0, 2])
                return x
            got, gerr = outcome(at, g)
            want, werr = outcome(at, n)
            assert (gerr is None) == (werr is None), (gerr, werr)
            if werr is None:
                assert got is g
                assert_allclose(np.asarray(g), n)


def test_ufunc_keywords_are_honoured():
    g, n = pair((3, 4), np.dtype("float64"))
    h, m = pair((3, 4), np.dtype("float64"), 1)
    where = values((3, 4), np.dtype(bool), 2)
    for kw in ({"dtype": "float32"}, {"casting": "unsafe", "dtype": "int8"}, {"order": "F"},
               {"signature": (None, None, "float32")}):
        compare(lambda x, y, kw=kw: np.add(x, y, **kw), (g, h), (n, m))
        compare(lambda x, y, kw=kw: np.hypot(x, y, **kw), (g, h), (n, m), exact=False)
    # where= with out=: untouched elements keep out's values
    for uf in (np.add, np.sin):
        og = ga.full((3, 4), -7.0)
        on = np.full((3, 4), -7.0)
        args_g = (g, h) if uf.nin == 2 else (g,)
        args_n = (n, m) if uf.nin == 2 else (n,)
        r = uf(*args_g, out=og, where=where)
        uf(*args_n, out=on, where=where)
        assert r is og
        assert_allclose(np.asarray(og), on)
    # out= a numpy array, a tuple, a goarray array of another dtype (same_kind)
    o = np.empty((3, 4))
    assert np.add(g, h, out=o) is o and np.array_equal(o, n + m)
    o32 = ga.empty((3, 4), "float32")
    assert np.add(g, h, out=(o32,)) is o32
    assert_array_equal(np.asarray(o32), (n + m).astype("float32"))
    oi = ga.empty((3, 4), "int64")
    with pytest.raises(TypeError):
        np.add(g, h, out=oi)        # numpy's same_kind refusal
    with pytest.raises(ValueError):
        np.add(g, h, out=ga.empty((2, 2)))
    ro = ga.zeros((3, 4))
    ro.flags.writeable = False
    with pytest.raises(ValueError):
        np.add(g, h, out=ro)
    compare(lambda x: np.divmod(x, 2.5), (g,), (n,))
    compare(lambda x: np.modf(x), (g,), (n,))
    compare(lambda x: np.frexp(x), (g,), (n,))


def test_go_ufunc_paths_write_go_memory():
    """Go-kernel ufuncs produce Go-allocated arrays; with out= they write
    into the given array's memory."""
    a, b = ga.arange(1000.0), ga.ones(1000)
    gc.collect()
    gc.disable()   # no collection of earlier tests' garbage while measuring
    try:
        before = ga._allocated_bytes()
        for uf in (np.add, np.subtract, np.multiply, np.true_divide, np.minimum, np.maximum):
            r = uf(a, b)
            assert type(r) is ga.Array and r.base is None and r.flags.owndata
            assert ga._allocated_bytes() >= before + r.nbytes
            del r
    finally:
        gc.enable()
    for uf in (np.negative, np.absolute, np.sqrt, np.exp, np.log):
        r = uf(b)
        assert type(r) is ga.Array and r.base is None
    o = ga.empty(1000)
    address = o._data
    assert np.add(a, b, out=o) is o and o._data == address
    assert np.sqrt(a, out=o) is o and o._data == address
    assert np.sin(a, out=o) is o and o._data == address     # numpy's loop, into Go memory
    assert_allclose(np.asarray(o), np.sin(np.arange(1000.0)))
    r = np.add.reduce(ga.ones((10, 3)), axis=0)
    assert type(r) is ga.Array and r.base is None
    assert_array_equal(np.asarray(r), [10, 10, 10])


# ---- __array_function__ ----------------------------------------------------------------------

def _f(name):
    obj = np
    for part in name.split("."):
        obj = getattr(obj, part)
    return obj


# (name, call) pairs: call(f, x, y) with x, y two (4, 5) arrays of the dtype
FUNCTIONS = [
    ("sum", lambda f, x, y: f(x)), ("sum", lambda f, x, y: f(x, axis=1, keepdims=True)),
    ("prod", lambda f, x, y: f(x, axis=0)), ("mean", lambda f, x, y: f(x)), ("mean", lambda f, x, y: f(x, axis=0)),
    ("var", lambda f, x, y: f(x, ddof=1)), ("std", lambda f, x, y: f(x, axis=1)),
    ("min", lambda f, x, y: f(x, axis=0)), ("max", lambda f, x, y: f(x)), ("amin", lambda f, x, y: f(x)),
    ("amax", lambda f, x, y: f(x, axis=1)), ("argmin", lambda f, x, y: f(x)), ("argmax", lambda f, x, y: f(x, axis=0)),
    ("all", lambda f, x, y: f(x, axis=1)), ("any", lambda f, x, y: f(x)), ("count_nonzero", lambda f, x, y: f(x, axis=0)),
    ("cumsum", lambda f, x, y: f(x, axis=1)), ("cumprod", lambda f, x, y: f(x)),
    ("concatenate", lambda f, x, y: f([x, y])), ("concatenate", lambda f, x, y: f((x, y), axis=1)),
    ("stack", lambda f, x, y: f([x, y])), ("vstack", lambda f, x, y: f([x, y])), ("hstack", lambda f, x, y: f([x, y])),
    ("dstack", lambda f, x, y: f([x, y])), ("column_stack", lambda f, x, y: f([x[0], y[0]])),
    ("where", lambda f, x, y: f(x > y, x, y)), ("where", lambda f, x, y: f(x)),
    ("dot", lambda f, x, y: f(x, y.T)), ("inner", lambda f, x, y: f(x, y)), ("outer", lambda f, x, y: f(x[0], y[0])),
    ("tensordot", lambda f, x, y: f(x, y, axes=([1], [1]))), ("einsum", lambda f, x, y: f("ij,kj->ik", x, y)),
    ("transpose", lambda f, x, y: f(x)), ("reshape", lambda f, x, y: f(x, (5, 4))), ("ravel", lambda f, x, y: f(x)),
    ("histogram", lambda f, x, y: f(x, bins=4)), ("sort", lambda f, x, y: f(x)), ("sort", lambda f, x, y: f(x, axis=0)),
    ("argsort", lambda f, x, y: f(x, kind="stable")), ("unique", lambda f, x, y: f(x)),
    ("unique", lambda f, x, y: f(x, return_counts=True)), ("clip", lambda f, x, y: f(x, -1, 1)),
    ("round", lambda f, x, y: f(x, 1)), ("diff", lambda f, x, y: f(x, axis=1)),
    ("trace", lambda f, x, y: f(x)), ("diagonal", lambda f, x, y: f(x)), ("diag", lambda f, x, y: f(x[0])),
    ("tril", lambda f, x, y: f(x)), ("triu", lambda f, x, y: f(x, 1)), ("flip", lambda f, x, y: f(x, 0)),
    ("fliplr", lambda f, x, y: f(x)), ("roll", lambda f, x, y: f(x, 2, axis=1)), ("rot90", lambda f, x, y: f(x)),
    ("tile", lambda f, x, y: f(x, (2, 1))), ("repeat", lambda f, x, y: f(x, 2, axis=0)),
    ("split", lambda f, x, y: f(x, 2)), ("array_split", lambda f, x, y: f(x, 3, axis=1)),
    ("squeeze", lambda f, x, y: f(x[:1])), ("expand_dims", lambda f, x, y: f(x, 0)),
    ("swapaxes", lambda f, x, y: f(x, 0, 1)), ("moveaxis", lambda f, x, y: f(x, 0, -1)),
    ("broadcast_to", lambda f, x, y: f(x[0], (3, 5))), ("broadcast_arrays", lambda f, x, y: f(x, y[0])),
    ("atleast_1d", lambda f, x, y: f(x)), ("atleast_3d", lambda f, x, y: f(x)), ("nonzero", lambda f, x, y: f(x)),
    ("isclose", lambda f, x, y: f(x, y)), ("allclose", lambda f, x, y: f(x, y)),
    ("array_equal", lambda f, x, y: f(x, x)), ("median", lambda f, x, y: f(x, axis=0)),
    ("percentile", lambda f, x, y: f(x, 30)), ("quantile", lambda f, x, y: f(x, [0.25, 0.5], axis=1)),
    ("average", lambda f, x, y: f(x, axis=0, weights=[1, 2, 3, 4])), ("nansum", lambda f, x, y: f(x)),
    ("nanmean", lambda f, x, y: f(x, axis=1)), ("nanmax", lambda f, x, y: f(x)), ("ptp", lambda f, x, y: f(x, axis=0)),
    ("cov", lambda f, x, y: f(x)), ("corrcoef", lambda f, x, y: f(x, y)), ("convolve", lambda f, x, y: f(x[0], y[0])),
    ("searchsorted", lambda f, x, y: f(np.sort(x[0]), y[0])), ("take", lambda f, x, y: f(x, [0, 3], axis=1)),
    ("partition", lambda f, x, y: f(x, 2)), ("argpartition", lambda f, x, y: f(x, 2)),
    ("zeros_like", lambda f, x, y: f(x)), ("ones_like", lambda f, x, y: f(x)), ("full_like", lambda f, x, y: f(x, 7)),
    ("copy", lambda f, x, y: f(x)), ("real", lambda f, x, y: f(x)), ("imag", lambda f, x, y: f(x)),
    ("pad", lambda f, x, y: f(x, 1)), ("meshgrid", lambda f, x, y: f(x[0], y[:, 0])),
    ("interp", lambda f, x, y: f([0.5, 1.5], [0, 1, 2], x[0, :3])),
    ("linalg.norm", lambda f, x, y: f(x)), ("linalg.det", lambda f, x, y: f(x[:4, :4])),
    ("linalg.inv", lambda f, x, y: f(x[:4, :4] + 5 * np.eye(4))), ("linalg.solve", lambda f, x, y: f(x[:4, :4] + 5 * np.eye(4), y[:4, 0])),
    ("fft.fft", lambda f, x, y: f(x)), ("cross", lambda f, x, y: f(x[:, :3], y[:, :3])),
    ("shape", lambda f, x, y: f(x)), ("ndim", lambda f, x, y: f(x)), ("size", lambda f, x, y: f(x)),
    ("apply_along_axis", lambda f, x, y: f(np.sum, 1, x)), ("lexsort", lambda f, x, y: f((x[0], y[0]))),
    ("append", lambda f, x, y: f(x, y, axis=0)), ("delete", lambda f, x, y: f(x, 1, axis=1)),
    ("insert", lambda f, x, y: f(x, 1, 9, axis=1)), ("select", lambda f, x, y: f([x > 0], [y])),
    ("isin", lambda f, x, y: f(x, y)), ("bincount", lambda f, x, y: f(np.abs(x[0]).astype(int))),
    ("digitize", lambda f, x, y: f(x, [-1, 0, 1])), ("gradient", lambda f, x, y: f(x, axis=1)),
]
FUNC_DTYPES = ["int64", "float64", "float32", "bool", "complex128", "uint8"]


def test_at_least_sixty_functions_are_tested():
    assert len({n for n, _ in FUNCTIONS}) >= 60


@pytest.mark.parametrize("name,call", FUNCTIONS, ids=[f"{n}-{i}" for i, (n, _) in enumerate(FUNCTIONS)])
@pytest.mark.parametrize("dt", FUNC_DTYPES)
def test_numpy_functions_match_numpy(name, call, dt):
    dt = np.dtype(dt)
    g, n = pair((4, 5), dt)
    h, m = pair((4, 5), dt, 1)
    f = _f(name)
    exact = dt.kind not in "fc" or name in ("sum", "concatenate", "stack", "vstack", "hstack", "dstack",
                                            "column_stack", "where", "transpose", "reshape", "ravel", "sort",
                                            "argsort", "unique", "clip", "min", "max", "amin", "amax",
                                            "argmin", "argmax", "flip", "fliplr", "roll", "rot90", "tile",
                                            "repeat", "split", "array_split", "squeeze", "expand_dims",
                                            "swapaxes", "moveaxis", "broadcast_to", "broadcast_arrays",
                                            "take", "copy", "real", "imag", "pad", "zeros_like", "ones_like",
                                            "full_like", "tril", "triu", "diagonal", "diag", "meshgrid")
    compare(lambda x, y: call(f, x, y), (g, h), (n, m), exact=exact and name != "sum" or dt.kind not in "fc")
    compare(lambda x, y: call(f, x, y), (g, m), (n, m), exact=exact and name != "sum" or dt.kind not in "fc")


def test_views_share_memory_and_out_returns_the_goarray_array():
    a = ga.arange(12.0).reshape(3, 4)
    for r in (np.transpose(a), np.reshape(a, (4, 3)), np.ravel(a), a[::2].T, np.swapaxes(a, 0, 1)):
        assert type(r) is ga.Array
        assert np.shares_memory(np.asarray(r), np.asarray(a))
    t = np.transpose(a)
    np.asarray(t)[0, 0] = 100.0
    assert a[0, 0] == 100.0
    assert np.atleast_2d(a) is a
    o = ga.empty(4)
    assert np.sum(a, axis=0, out=o) is o
    o2 = ga.empty((6, 4))
    assert np.concatenate([a, a], out=o2) is o2
    assert_array_equal(np.asarray(o2), np.concatenate([np.asarray(a)] * 2))
    c = ga.zeros((3, 4))
    assert np.copyto(c, a) is None
    assert_array_equal(np.asarray(c), np.asarray(a))


def test_go_dispatched_functions():
    """The functions with Go kernels run them: results in Go memory."""
    from goarray import _protocols
    names = {getattr(f, "__name__", "") for f in _protocols.GO_FUNCTIONS}
    assert {"sum", "mean", "var", "std", "min", "max", "argmin", "argmax", "dot", "clip", "copyto"} <= names
    a = ga.arange(12.0).reshape(3, 4)
    for r in (np.sum(a, axis=0), np.mean(a, axis=1), np.max(a, axis=0, keepdims=True), np.clip(a, 1, 5),
              np.dot(a, a.T), np.std(a, axis=0), np.argmax(a, axis=1)):
        assert type(r) is ga.Array and r.base is None and r.flags.owndata


def test_results_of_dtypes_goarray_does_not_hold_stay_numpy():
    a = ga.arange(3)
    s = np.char.mod("%d", np.asarray(a))
    assert isinstance(s, np.ndarray)
    r = np.array2string(a)
    assert isinstance(r, str)
    obj = np.asarray(a).astype(object)
    assert type(np.concatenate([a, obj])) is np.ndarray       # object dtype: numpy's array


# ---- __array__ ----------------------------------------------------------------------------------

def test_array_protocol_numpy2_semantics():
    a = ga.arange(6.0)
    v = a.__array__()
    assert isinstance(v, np.ndarray) and np.shares_memory(v, np.asarray(a))
    c = a.__array__(copy=True)
    assert not np.shares_memory(c, np.asarray(a))
    f = a.__array__(np.float32)
    assert f.dtype == np.float32
    with pytest.raises(ValueError):
        a.__array__(np.float32, copy=False)
    assert np.shares_memory(a.__array__(np.float64, copy=False), np.asarray(a))
    assert np.shares_memory(np.asarray(a), np.asarray(a))
    assert np.array(a, copy=False).ctypes.data == a._data
    with pytest.raises(ValueError):
        np.array(a, dtype=np.int32, copy=False)
    assert not np.shares_memory(np.array(a), np.asarray(a))


def test_array_priority():
    assert ga.Array.__array_priority__ > 0
