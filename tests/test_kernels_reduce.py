"""Reductions against numpy: sum, prod, min, max, argmin, argmax, mean, var,
std, count_nonzero, all, any.

numpy 2 is the reference for values, result dtype and kind (a numpy scalar
for a full reduction), shape (``axis`` None/int/negative/tuple,
``keepdims``), ``dtype=``, ``out=`` and errors. Inputs come in every kind
goarray accepts (goarray arrays, numpy arrays, memoryview, bytearray,
array.array) and in random strided layouts (negative steps, transposes,
zero-size and 0-d arrays). Results must be bit-identical for 1, 2 and 3
threads (chunking depends only on the shapes), and float sums at least as
accurate as numpy's pairwise sum.
"""
import array
import math
import types
from builtins import max as builtins_max
import warnings

import numpy as np
import pytest
from hypothesis import given, note, settings
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument
from numpy.testing import assert_allclose, assert_array_equal

import goarray as ga
from conftest import DTYPES, NUMPY_2_1, ga_from, strided_layouts
from goarray import _argreduce, _logical, _moments, _reductions

# the implementations, by name, from the modules that define them
R = types.SimpleNamespace(**{name: getattr(m, name) for m, names in (
    (_reductions, ("sum", "prod", "min", "max")), (_logical, ("all", "any", "count_nonzero")),
    (_argreduce, ("argmin", "argmax")), (_moments, ("mean", "var", "std"))) for name in names})

NAMES = ["sum", "prod", "min", "max", "argmin", "argmax", "mean", "var", "std", "count_nonzero", "all", "any"]
F16, F32, F64 = np.dtype("float16"), np.dtype("float32"), np.dtype("float64")
AxisError = np.exceptions.AxisError


def call(mod, name, x, **kw):
    """mod.<name>(x, **kw) with numpy's warnings off (empty means, ddof,
    complex casts)."""
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        return getattr(mod, name)(x, **kw)


def outcome(mod, name, x, **kw):
    try:
        return call(mod, name, x, **kw), None
    except Exception as e:  # noqa: BLE001 - compared with numpy's
        return None, e


def tolerance(name, x, result):
    """(rtol, atol) for comparing a float result with numpy's: summation
    order differs (both pairwise), and goarray accumulates float16 in
    float32 where numpy rounds to float16 more often."""
    res = np.asarray(result)
    eps = {"e": 1e-3, "f": 1e-6, "d": 1e-15}[np.finfo(res.dtype).dtype.char]
    eps = max(eps, {"e": 1e-3, "f": 1e-6, "d": 1e-15}.get(np.asarray(x).dtype.char, eps)) \
        if np.asarray(x).dtype.kind in "fc" else eps
    with np.errstate(all="ignore"):
        a = np.abs(np.asarray(x).astype(np.complex128 if np.asarray(x).dtype.kind == "c" else np.float64))
        finite = a[np.isfinite(a)]
        scale = float(finite.max()) if finite.size else 1.0
    n = max(1, np.asarray(x).size)
    if name in ("var", "std"):
        return 64 * eps, 64 * eps * (scale ** 2 if name == "var" else scale)
    if name == "prod":
        return 8 * n * eps, 0
    return 8 * eps, 4 * eps * n * scale


def assert_same(name, x, got, want):
    """Same kind (numpy scalar or array), dtype, shape and values."""
    if isinstance(want, np.ndarray):
        assert isinstance(got, (ga.Array, np.ndarray)), type(got)
    elif type(want) is int:  # count_nonzero(axis=None) before numpy 2.3
        assert type(got) is int, (type(got), type(want))
    else:
        assert isinstance(got, np.generic), (type(got), type(want))
    g, w = np.asarray(got), np.asarray(want)
    assert g.dtype == w.dtype, (g.dtype, w.dtype)
    assert g.shape == w.shape, (g.shape, w.shape)
    if w.dtype.kind in "biu" or name in ("min", "max"):
        assert_array_equal(g, w, strict=True)
    else:
        rtol, atol = tolerance(name, x, w)
        close(g, w, rtol, atol)


def close(g, w, rtol, atol):
    """assert_allclose, complex parts compared separately (assert_allclose
    wants exact equality of complex values that hold an inf)."""
    with np.errstate(all="ignore"):
        if w.dtype.kind == "c":
            assert_allclose(g.real, w.real, rtol=rtol, atol=atol, equal_nan=True, strict=True)
            assert_allclose(g.imag, w.imag, rtol=rtol, atol=atol, equal_nan=True, strict=True)
        else:
            assert_allclose(g, w, rtol=rtol, atol=atol, equal_nan=True, strict=True)


def _note(msg):
    try:
        note(msg)
    except InvalidArgument:  # outside a hypothesis test
        pass


def error_class(e):
    for cls in (AxisError, TypeError, ValueError):
        if isinstance(e, cls):
            return cls
    return type(e)


def check(name, gx, nx, **kw):
    """goarray's result on gx equals numpy's on nx, or both raise the same
    kind of error."""
    want, werr = outcome(np, name, nx, **kw)
    got, gerr = outcome(R, name, gx, **kw)
    _note(f"{name}{kw}: numpy {want!r} / {werr!r}, goarray {got!r} / {gerr!r}")
    if werr is not None:
        assert gerr is not None, f"numpy raised {werr!r}, goarray returned {got!r}"
        assert isinstance(gerr, error_class(werr)), (gerr, werr)
        return None
    if gerr is not None:
        raise gerr
    assert_same(name, nx, got, want)
    return got


# ---- random inputs ---------------------------------------------------------

def random_values(rng, shape, dt, special):
    """Random values of dtype dt: the full range for small integers (so
    sums and products wrap), normal floats, NaN and inf if special."""
    size = math.prod(shape)
    if dt.kind == "b":
        v = rng.integers(0, 2, size).astype(bool)
    elif dt.kind in "iu":
        info = np.iinfo(dt)
        lo, hi = (info.min, info.max) if dt.itemsize <= 2 else (-1000 if dt.kind == "i" else 0, 1000)
        v = rng.integers(lo, hi, size, endpoint=True).astype(dt)
    else:
        re = rng.standard_normal(size) * 4
        if dt.kind == "c":
            re = re + 1j * rng.standard_normal(size)
        if rng.integers(0, 3) == 0:
            re = np.round(re)  # ties and zeros for argmin/argmax, count_nonzero
        v = re.astype(dt)
        if special and size:
            for _ in range(rng.integers(1, 3)):
                v[rng.integers(0, size)] = rng.choice([np.nan, np.inf, -np.inf, -0.0])
    return v.reshape(shape)


@st.composite
def inputs(draw, dtypes=DTYPES, max_side=5):
    """(goarray input, numpy array with the same values): a random strided
    layout of random values, given as a goarray array, a numpy array or a
    memoryview."""
    s = draw(strided_layouts(dtypes=dtypes, max_side=max_side))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    n_owner = np.array(random_values(rng, s.shape, s.dtype, draw(st.booleans())), order=s.order)
    n = n_owner[s.index].transpose(s.perm)
    kind = draw(st.sampled_from(["ga", "numpy", "memoryview"]))
    if kind == "ga":
        g = ga_from(n_owner, s.order)[s.index].transpose(s.perm)
    elif kind == "numpy":
        g = n
    else:
        g = memoryview(n)
    note(f"{kind} input, dtype {s.dtype}, shape {n.shape}, strides {n.strides}")
    return g, n


@st.composite
def axes_for(draw, ndim):
    """None, an int (sometimes out of range) or a tuple of ints (sometimes
    with duplicates)."""
    choice = draw(st.integers(0, 3))
    if choice == 0:
        return None
    if choice == 1:
        return draw(st.integers(-ndim - 1, ndim))
    k = draw(st.integers(0, ndim + 1))
    return tuple(draw(st.lists(st.integers(-ndim, max(ndim - 1, 0)), min_size=k, max_size=k)))


ACC_DTYPES = [None, "int8", "int64", "uint64", "float16", "float32", "float64", "complex128", "bool"]


@given(data=st.data(), name=st.sampled_from(NAMES))
def test_matches_numpy(data, name):
    g, n = data.draw(inputs())
    kw = {}
    if name in ("argmin", "argmax"):
        kw["axis"] = data.draw(st.one_of(st.none(), st.integers(-n.ndim - 1, n.ndim), axes_for(n.ndim)))
    else:
        kw["axis"] = data.draw(axes_for(n.ndim))
    kw["keepdims"] = data.draw(st.booleans())
    if name in ("sum", "prod", "mean") and data.draw(st.integers(0, 3)) == 0:
        kw["dtype"] = data.draw(st.sampled_from(ACC_DTYPES))
    if name in ("var", "std"):
        if data.draw(st.integers(0, 3)) == 0:
            kw["dtype"] = data.draw(st.sampled_from(["float32", "float64"]))
        kw["ddof"] = data.draw(st.sampled_from([0, 1, 2, 1.5]))
    if name == "prod" and n.dtype.kind in "fc":
        # keep float products finite and order-insensitive enough
        with np.errstate(all="ignore"):
            n = np.clip(n.real, 0.5, 2).astype(n.dtype) if n.dtype.kind == "f" else n / np.maximum(np.abs(n), 1)
        g = n
    check(name, g, n, **kw)


@given(data=st.data(), name=st.sampled_from(["sum", "prod", "min", "max", "mean", "var", "std", "all", "any",
                                             "argmin", "argmax"]))
def test_out_matches_numpy(data, name):
    """out= of the result's shape (or the keepdims shape), any dtype numpy
    casts to, as a numpy array, a goarray array or a memoryview; the
    function returns out."""
    g, n = data.draw(inputs(max_side=4))
    axis = data.draw(st.one_of(st.none(), st.integers(-n.ndim, max(n.ndim - 1, 0)))) if n.ndim else None
    keepdims = data.draw(st.booleans())
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        try:
            ref = getattr(np, name)(n, axis=axis, keepdims=keepdims)
        except ValueError:
            return
    odt = data.draw(st.sampled_from([np.asarray(ref).dtype, np.dtype("float64"), np.dtype("int64"),
                                     np.dtype("float32"), np.dtype("complex128")]))
    if name in ("argmin", "argmax"):
        odt = data.draw(st.sampled_from([np.dtype("int64"), np.dtype("int32"), np.dtype("int16")]))
    if odt.kind in "iu" and n.dtype.kind in "fc" and not np.isfinite(n).all():
        odt = np.asarray(ref).dtype  # NaN -> int casts are garbage in numpy too (and loop-dependent)
    if name in ("mean", "var", "std") and odt.kind == "c" and np.asarray(ref).dtype.kind != "c":
        odt = np.dtype("float64")  # numpy divides in complex there: x/0 gets a NaN imaginary part
    if name == "prod" and (odt.kind == "c" or n.dtype.kind == "c"):
        # numpy starts a complex product into out from the identity, so
        # inf*(1+0j) gives a NaN imaginary part there (and not without out)
        g = n = np.asarray(n).real.copy()
        odt = np.dtype("float64") if odt.kind == "c" else odt
    kind = data.draw(st.sampled_from(["numpy", "ga", "memoryview"]))
    shape = np.shape(ref)
    n_out = np.full(shape, 7, dtype=odt)
    g_out = {"numpy": lambda: np.full(shape, 7, dtype=odt), "ga": lambda: ga.full(shape, 7, dtype=odt),
             "memoryview": lambda: memoryview(np.full(shape, 7, dtype=odt))}[kind]()
    want, werr = outcome(np, name, n, axis=axis, keepdims=keepdims, out=n_out)
    got, gerr = outcome(R, name, g, axis=axis, keepdims=keepdims, out=g_out)
    if werr is not None:  # std into an integer out: numpy's sqrt refuses the cast
        assert isinstance(gerr, error_class(werr)), (gerr, werr)
        return
    if gerr is not None:
        raise gerr
    assert got is g_out
    assert want is n_out
    if odt.kind in "fc" and name in ("sum", "prod", "mean", "var", "std"):
        # (numpy may accumulate in out's dtype; the accuracy promised is the
        # result's without out)
        rd = np.asarray(ref).dtype
        rtol, atol = tolerance(name, n, ref if rd.kind in "fc" and rd.itemsize < n_out.dtype.itemsize else n_out)
        close(np.asarray(g_out), n_out, rtol, atol)
    else:
        assert_array_equal(np.asarray(g_out), n_out)


@settings(max_examples=40)
@given(data=st.data(), name=st.sampled_from(NAMES))
def test_large_strided_layouts_match_numpy(data, name):
    """Layouts big enough for the chunked paths (several chunks per output,
    column mode with position chunks, runs split across rows), transposed,
    reversed and stepped."""
    shape = data.draw(st.lists(st.integers(1, 3000), min_size=2, max_size=3))
    while math.prod(shape) > 300_000:
        shape[shape.index(builtins_max(shape))] //= 2
    shape = tuple(shape)
    dt = np.dtype(data.draw(st.sampled_from(["float64", "float32", "int16", "complex128", "bool"])))
    rng = np.random.default_rng(data.draw(st.integers(0, 2**32 - 1)))
    base = random_values(rng, tuple(2 * d for d in shape), dt, special=data.draw(st.booleans()))
    index = tuple(slice(None, None, s) for s in data.draw(st.lists(st.sampled_from([1, -1, 2, -2]),
                                                                     min_size=len(shape), max_size=len(shape))))
    crop = tuple(slice(0, d) for d in shape)
    perm = tuple(data.draw(st.permutations(range(len(shape)))))
    n = base[index][crop].transpose(perm)
    g = ga_from(base)[index][crop].transpose(perm)
    if name in ("argmin", "argmax"):
        axis = data.draw(st.one_of(st.none(), st.integers(-n.ndim, n.ndim - 1)))
    else:
        axis = data.draw(axes_for(n.ndim).filter(lambda a: a is None or isinstance(a, tuple) and
                                                    len(set(x % n.ndim for x in a)) == len(a) or
                                                    isinstance(a, int) and -n.ndim <= a < n.ndim))
    if name == "prod":
        n = np.ones_like(n)
        g = n
    check(name, g, n, axis=axis)


# ---- thread counts ---------------------------------------------------------

@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("shape,axis", [((300_001,), None), ((3, 70_001), 1), ((70_001, 3), 0), ((1000, 500), 0),
                                        ((500, 1000), 1), ((64, 64, 40), (0, 2)), ((2000, 300), None)])
@pytest.mark.parametrize("dtype", ["float64", "float32", "int32", "complex128"])
def test_threads_give_identical_results(name, shape, axis, dtype):
    """Chunk boundaries depend only on the shapes and partial results
    combine in a fixed order: bit-identical results for 1, 2 and 3 threads
    (floats included), in both the row and the column kernels."""
    dt = np.dtype(dtype)
    if name in ("argmin", "argmax") and isinstance(axis, tuple):
        axis = 1
    rng = np.random.default_rng(1)
    n = random_values(rng, shape, dt, special=False)
    if name == "prod":
        n = (1 + n / 1e4).astype(dt) if dt.kind in "fc" else n
    g = ga_from(n)
    results = [call(R, name, g, axis=axis, threads=t) for t in (1, 2, 3)]
    first = np.asarray(results[0]).tobytes()
    for r in results[1:]:
        assert np.asarray(r).tobytes() == first
    assert_same(name, n, results[0], call(np, name, n, axis=axis))


# ---- input kinds -----------------------------------------------------------

@pytest.mark.parametrize("name", NAMES)
def test_buffer_inputs(name):
    """memoryview, bytearray and array.array inputs are read in place."""
    base = np.arange(-20, 40, dtype=np.int32) * 3 % 17 - 5
    cases = [
        (memoryview(base.astype(np.float64)), base.astype(np.float64)),
        (bytearray(base.astype(np.uint8).tobytes()), base.astype(np.uint8)),
        (array.array("d", base.astype(np.float64)), base.astype(np.float64)),
        (array.array("h", base.astype(np.int16)), base.astype(np.int16)),
        (array.array("B", base.astype(np.uint8)), base.astype(np.uint8)),
        (memoryview(base.astype(np.float32).reshape(6, 10))[::-1], base.astype(np.float32).reshape(6, 10)[::-1]),
        (ga_from(base.astype(np.complex64).reshape(3, 20)).T, base.astype(np.complex64).reshape(3, 20).T),
    ]
    for g, n in cases:
        for axis in (None, 0, -1):
            check(name, g, n, axis=axis)


def test_python_scalars_and_lists():
    for name in NAMES:
        check(name, 5, np.asarray(5))
        check(name, 2.5, np.asarray(2.5))
        check(name, [[1, 2], [3, -4]], np.asarray([[1, 2], [3, -4]]), axis=0)


def test_big_endian_input():
    n = np.arange(10, dtype=">f8")
    assert R.sum(n) == 45.0
    assert R.argmax(n) == 9


# ---- dtypes ----------------------------------------------------------------

@pytest.mark.parametrize("dt", DTYPES, ids=lambda d: d.name)
def test_result_dtypes(dt):
    """numpy's result dtype for every reduction of every dtype (sum/prod of
    small integers and bools: int64/uint64; mean/var of integers: float64;
    var of complex: the real dtype; float16 stays float16)."""
    n = (np.arange(1, 25) % 7).astype(dt).reshape(4, 6)
    for name in NAMES:
        for axis in (None, 1):
            check(name, ga_from(n), n, axis=axis)


@pytest.mark.parametrize("dtype", ACC_DTYPES[1:] + ["int16", "uint8", "complex64"])
@pytest.mark.parametrize("src", ["int8", "uint16", "float16", "float64", "complex64", "bool"])
@pytest.mark.parametrize("name", ["sum", "prod", "mean"])
def test_accumulator_dtype(name, src, dtype):
    """dtype= is the accumulator: integer sums wrap in it, floats are
    converted, complex to real discards the imaginary part."""
    n = ((np.arange(60) * 37) % 23 - 7).astype(src).reshape(5, 12)
    if name == "prod":
        n = np.ascontiguousarray(n[:, :4])
    for axis in (None, 0, 1):
        check(name, ga_from(n), n, axis=axis, dtype=dtype)


def test_int8_sum_wraps_in_its_dtype():
    n = np.full(1000, 100, dtype=np.int8)
    assert R.sum(n, dtype=np.int8) == np.sum(n, dtype=np.int8)
    assert R.sum(n) == 100_000 and R.sum(n).dtype == np.int64


# ---- special values --------------------------------------------------------

@pytest.mark.parametrize("dt", ["float16", "float32", "float64", "complex64", "complex128"])
def test_nan_rules(dt):
    """min/max propagate NaN, argmin/argmax return the first NaN, in every
    chunk of a long array."""
    for pos in (0, 5, 40_000, 99_999):
        n = np.linspace(-1, 1, 100_000).astype(dt)
        n[pos] = np.nan
        n[min(pos + 7, 99_999)] = np.nan
        g = ga_from(n)
        for name in ("min", "max", "argmin", "argmax", "sum", "mean", "var"):
            check(name, g, n)
        check("argmax", ga_from(n.reshape(1000, 100)), n.reshape(1000, 100), axis=0)


def test_argmin_first_occurrence():
    n = np.zeros(200_003)
    n[[17, 70_000, 150_000]] = -1
    n[[33, 90_000]] = 2
    for name in ("argmin", "argmax"):
        check(name, ga_from(n), n)
        m = n.reshape(-1, 7) if n.size % 7 == 0 else n[:-3].reshape(-1, 8)
        check(name, ga_from(np.ascontiguousarray(m)), m, axis=0)
        check(name, ga_from(np.ascontiguousarray(m)), m, axis=1)


def test_argmax_bool_and_complex():
    b = np.array([False, False, True, True])
    assert R.argmax(b) == 2 and R.argmin(b) == 0
    c = np.array([1 + 2j, 1 + 3j, 0 + 9j, 1 + 3j])
    assert R.argmax(c) == np.argmax(c) == 1
    assert R.argmin(c) == np.argmin(c) == 2
    assert R.max(c) == np.max(c) and R.min(c) == np.min(c)


@pytest.mark.parametrize("dt", DTYPES, ids=lambda d: d.name)
def test_all_any_count_nonzero_every_dtype(dt):
    """Zero is zero in every dtype (-0.0 included); NaN is nonzero."""
    n = np.zeros((3, 5), dtype=dt)
    n[1, 2] = 1
    if dt.kind == "f":
        n[2, 0] = -0.0
        n[2, 3] = np.nan
    if dt.kind == "c":
        n[2, 4] = 1j
    for name in ("all", "any", "count_nonzero"):
        for axis in (None, 0, 1, (0, 1)):
            check(name, ga_from(n), n, axis=axis)
    assert R.count_nonzero(n) == np.count_nonzero(n)
    assert type(R.count_nonzero(n)) is type(np.count_nonzero(n))


# ---- errors and identities ---------------------------------------------------

@pytest.mark.parametrize("name", NAMES)
def test_zero_size(name):
    """numpy's identities (sum 0, prod 1, all True, any False, mean NaN) or
    its ValueError (min/max/argmin/argmax of nothing)."""
    for shape in [(0,), (3, 0), (0, 4), (2, 0, 3)]:
        n = np.zeros(shape)
        for axis in [None, 0, -1, (0,)] if len(shape) > 1 else [None, 0]:
            check(name, ga_from(n), n, axis=axis)


@pytest.mark.parametrize("name", NAMES)
def test_0d(name):
    n = np.array(3.5)
    for axis in (None, 0, -1, (), (0,), 1):
        check(name, ga_from(n), n, axis=axis)


def test_axis_errors():
    n = np.arange(6.).reshape(2, 3)
    g = ga_from(n)
    for name in NAMES:
        with pytest.raises(AxisError):
            call(R, name, g, axis=2)
        with pytest.raises(AxisError):
            call(R, name, g, axis=-3)
    for name in ("sum", "min", "mean", "count_nonzero", "all"):
        with pytest.raises(ValueError, match="duplicate"):
            call(R, name, g, axis=(0, -2))
    with pytest.raises(TypeError):
        R.argmin(g, axis=(0,))
    with pytest.raises(TypeError):
        R.sum(g, axis=1.0)
    with pytest.raises(ValueError, match="no identity"):
        R.min(np.zeros((2, 0)), axis=1)
    with pytest.raises(ValueError, match="empty sequence"):
        R.argmax(np.zeros((0, 2)), axis=0)
    with pytest.raises(ValueError):
        R.sum(g, threads=0)


def test_out_errors():
    n = np.arange(6.).reshape(2, 3)
    g = ga_from(n)
    with pytest.raises(ValueError):
        R.sum(g, axis=0, out=np.empty(4))
    with pytest.raises(ValueError):
        R.sum(g, axis=0, out=np.empty((1, 3)))  # keepdims=False
    with pytest.raises(ValueError):
        R.max(g, axis=0, keepdims=True, out=np.empty(3))
    ro, ro_int = np.empty(3), np.empty(3, np.int64)
    ro.flags.writeable = ro_int.flags.writeable = False
    for name in ("sum", "min", "mean", "var", "all", "argmax"):
        with pytest.raises(ValueError, match="read-only"):
            call(R, name, g, axis=0, out=ro_int if name == "argmax" else ro)
    ro_ga = ga.zeros(3)
    ro_ga.flags.writeable = False
    with pytest.raises(ValueError, match="read-only"):
        R.sum(g, axis=0, out=ro_ga)
    with pytest.raises(ValueError):
        R.sum(g, axis=0, out=memoryview(bytes(24)).cast("d"))  # a read-only buffer
    with pytest.raises(TypeError):
        R.argmax(g, axis=0, out=np.empty(3))  # numpy: no safe cast float64 -> intp


def test_out_written_in_place():
    """An out of the result's dtype is the kernel's output (no temporary):
    a keepdims out, a strided out and an out aliasing the input all work."""
    n = np.arange(12.).reshape(3, 4)
    g = ga_from(n)
    o = np.zeros((8,))[::2]
    assert R.sum(g, axis=0, out=o) is o
    assert_array_equal(o, n.sum(axis=0))
    o2 = ga.zeros((1, 4))
    R.max(g, axis=0, keepdims=True, out=o2)
    assert_array_equal(np.asarray(o2), n.max(axis=0, keepdims=True))
    alias = n.copy()
    R.sum(alias, axis=1, out=alias[0, :3])
    assert_array_equal(alias[0, :3], n.sum(axis=1))
    buf = bytearray(8 * 4)
    R.min(g, axis=0, out=memoryview(buf).cast("d"))
    assert_array_equal(np.frombuffer(buf), n.min(axis=0))
    x = np.arange(60.).reshape(3, 5, 4)
    base = ga.zeros((3, 2, 8))
    o3 = base[:, :1, 1::2]  # a strided goarray view with the keepdims shape
    assert R.sum(x, axis=1, keepdims=True, out=o3) is o3
    assert_array_equal(np.asarray(base)[:, 0, 1::2], x.sum(axis=1))
    assert not np.asarray(base)[:, 1].any() and not np.asarray(base)[:, 0, ::2].any()


# ---- accuracy --------------------------------------------------------------

def test_sum_of_1e8_float32_ones_is_exact():
    """numpy's pairwise sum gives exactly 1e8; a naive float32 sum stops at
    2**24 (allocates 400 MB)."""
    a = ga.ones(10**8, dtype="float32")
    s = R.sum(a)
    assert s == np.float32(1e8) and s.dtype == np.float32
    assert R.mean(a) == np.float32(1.0)
    del a


@pytest.mark.parametrize("dt", ["float32", "float64"])
@pytest.mark.parametrize("n", [1000, 123_457, 3_000_001])
def test_sum_accuracy_against_fsum(dt, n):
    """The error against the exactly rounded sum is within numpy's (pairwise
    summation's bound), on data with cancellation."""
    rng = np.random.default_rng(n)
    x = (rng.standard_normal(n) * 10 ** rng.uniform(-3, 3, n) + 1).astype(dt)
    exact = math.fsum(x.astype(np.float64).tolist())
    ours, theirs = float(R.sum(ga_from(x))), float(np.sum(x))
    eps = np.finfo(dt).eps
    bound = eps * math.log2(n) * float(np.sum(np.abs(x.astype(np.float64))))
    assert abs(ours - exact) <= bound, (ours, theirs, exact)
    assert abs(ours - exact) <= max(2 * abs(theirs - exact), eps * 16 * float(np.sum(np.abs(x.astype(np.float64)))))
    x2 = x.reshape(-1, 1) if n % 7 else x.reshape(-1, 7)
    assert_allclose(np.asarray(R.sum(ga_from(x2), axis=0)), np.sum(x2, axis=0), rtol=4 * eps * math.log2(n) * 50)


def test_var_is_numerically_stable():
    """Two-pass variance: a large offset does not swamp the spread."""
    rng = np.random.default_rng(5)
    x = 1e9 + rng.standard_normal(1_000_003)
    assert_allclose(R.var(x), np.var(x), rtol=1e-9)
    assert_allclose(R.std(x, ddof=1), np.std(x, ddof=1), rtol=1e-9)
    x32 = (1e4 + rng.standard_normal(200_000)).astype(np.float32)
    assert_allclose(R.var(x32), np.var(x32), rtol=1e-3)
    m = x.reshape(-1, 1)[:999_999].reshape(-1, 3)
    assert_allclose(np.asarray(R.var(m, axis=0)), np.var(m, axis=0), rtol=1e-9)


def test_exported_names():
    """The reductions are goarray's public functions (see __init__.py)."""
    for name in NAMES:
        assert getattr(ga, name, None) is getattr(R, name), f"goarray.{name} is not exported"


@pytest.mark.parametrize("name", ["sum", "prod", "min", "max", "argmin", "argmax", "mean", "var", "std",
                                  "all", "any"])
@pytest.mark.parametrize("axis", [None, 0, -1])
def test_array_methods_match_ndarray_methods(name, axis):
    """ga.Array has ndarray's reduction methods, computed by the Go kernels."""
    n = np.random.default_rng(3).uniform(-2, 2, (7, 5)).astype(np.float32)
    g = ga.array(n)
    got, want = getattr(g, name)(axis=axis), getattr(n, name)(axis=axis)
    assert_same(name, n, got, want)
    if axis is not None:
        assert isinstance(got, ga.Array)
    kw = {"keepdims": True}
    assert_same(name, n, getattr(g, name)(axis=axis, **kw), getattr(n, name)(axis=axis, **kw))


def test_array_dot_and_clip_methods():
    rng = np.random.default_rng(4)
    n, m = rng.standard_normal((6, 4)), rng.standard_normal((4, 3))
    g = ga.array(n)
    assert_allclose(np.asarray(g.dot(m)), n.dot(m), rtol=1e-12)
    assert isinstance(g.dot(ga.array(m)), ga.Array)
    assert_array_equal(np.asarray(g.clip(-0.5, 0.5)), n.clip(-0.5, 0.5), strict=True)
    assert_array_equal(np.asarray(g.clip(max=0.1)), n.clip(max=0.1), strict=True)
    if NUMPY_2_1:
        assert_array_equal(np.asarray(g.clip()), n.clip(), strict=True)
    else:
        with pytest.raises(ValueError):
            n.clip()
        with pytest.raises(ValueError, match="max or min"):
            g.clip()
    out = ga.empty((6, 4))
    assert g.clip(min=0, out=out) is out
    assert_array_equal(np.asarray(out), n.clip(min=0))


FAST_DTYPES = [np.dtype(c) for c in "?bBhHiIlLqQefdFD"]


@pytest.mark.parametrize("dt", FAST_DTYPES, ids=str)
@pytest.mark.parametrize("name", ["sum", "prod", "min", "max", "all", "any", "mean"])
@pytest.mark.parametrize("n", [1, 7, 3000, 70_001])
def test_fast_entry_point_matches_general_path(name, dt, n):
    """f(a) on a C-contiguous goarray array enters Go from C; its value,
    dtype and type equal those of the general path (any keyword takes it)
    and numpy's."""
    rng = np.random.default_rng(n)
    x = random_values(rng, (n,), dt, special=True)
    if name == "prod" and dt.kind in "fc":
        x = np.ones_like(x)
    g = ga.array(x).reshape(1, n) if n % 2 else ga.array(x)
    f = getattr(ga, name)
    for a in (g, np.asarray(g)):  # goarray and numpy arrays both enter Go from C
        fast, general = f(a), f(a, threads=2)
        assert type(fast) is type(general)
        assert np.asarray(fast).tobytes() == np.asarray(general).tobytes()
        assert_same(name, x, fast, getattr(np, name)(np.asarray(g)))


@pytest.mark.parametrize("dt", FAST_DTYPES, ids=str)
@pytest.mark.parametrize("name", ["add", "subtract", "multiply", "divide", "minimum", "maximum"])
def test_fast_binary_entry_point_matches_general_path(name, dt):
    rng = np.random.default_rng(1)
    f = getattr(ga, name)
    for shape in [(1,), (3, 5), (40_000,)]:
        x, y = (random_values(rng, shape, dt, special=False) for _ in range(2))
        g, h = ga.array(x), ga.array(y)
        try:
            with np.errstate(all="ignore"):
                want = getattr(np, name)(x, y)
        except TypeError:
            with pytest.raises(TypeError):
                f(g, h)
            return
        if dt.kind == "c" and name in ("minimum", "maximum"):
            # not a Go kernel: numpy's loop, into Go memory
            res = f(g, h)
            assert isinstance(res, ga.Array) and np.asarray(res).tobytes() == want.tobytes()
            return
        with np.errstate(all="ignore"):
            fast, general = f(g, h), f(g, h, threads=2)
            from_numpy = f(x, y)
        assert isinstance(fast, ga.Array) and fast.dtype == want.dtype and fast.shape == want.shape
        assert np.asarray(fast).tobytes() == np.asarray(general).tobytes()
        assert isinstance(from_numpy, ga.Array) and np.asarray(from_numpy).tobytes() == np.asarray(fast).tobytes()
        if dt.kind in "fc":
            assert_allclose(np.asarray(fast), want, rtol=1e-6 if dt.itemsize <= 8 else 1e-12, equal_nan=True)
        else:
            assert_array_equal(np.asarray(fast), want, strict=True)


def test_fast_entry_points_keep_names_and_signatures():
    import inspect
    for name in ["sum", "prod", "min", "max", "all", "any", "mean"]:
        f = getattr(ga, name)
        assert f.__name__ == name and f.__doc__
        assert list(inspect.signature(f).parameters)[:2] == ["a", "axis"]
    assert list(inspect.signature(ga.add).parameters) == ["x", "y", "out", "dtype", "casting", "threads"]


def test_fast_entry_point_errors_and_fallbacks():
    with pytest.raises(ValueError, match="zero-size"):
        ga.max(ga.empty(0))
    assert ga.sum(ga.empty(0)) == 0
    # non-contiguous, subclass-free numpy input, Python scalars: the general path
    n = np.arange(12.0).reshape(3, 4)
    assert ga.sum(ga.array(n)[:, ::2]) == n[:, ::2].sum()
    assert ga.sum(n) == n.sum()
    assert ga.max(3) == 3
    assert_array_equal(np.asarray(ga.add(ga.array(n), 1)), n + 1)
    with pytest.raises(ValueError):
        ga.add(ga.ones(3), ga.ones(4))


@pytest.mark.parametrize("name", ["sum", "prod", "min", "max", "all", "any", "mean"])
def test_fast_entry_point_takes_defaults_given_explicitly(name):
    """The arguments at their defaults, as the methods pass them (a.sum()
    is ga.sum(a, None, None, None, False, threads=None)), give f(a)'s
    result; anything else, bad arguments included, gets the general
    path's answer."""
    x = np.arange(1.0, 7.0)
    a = ga.array(x)
    f = getattr(ga, name)
    nparams = 5 if name in ("sum", "prod", "mean") else 4
    want = f(a)
    defaults = (None,) * (nparams - 2) + (False,)
    for args, kw in [(defaults, {"threads": None}), (defaults[:1], {}), ((), {"threads": None})]:
        got = f(a, *args, **kw)
        assert type(got) is type(want) and got == want
    assert getattr(a, name)() == want and type(getattr(a, name)()) is type(want)
    assert f(a, *defaults[:-1], True).shape == (1,)           # keepdims=True, positional
    with pytest.raises(TypeError):
        f(a, *defaults, None)                                   # one positional argument too many
    with pytest.raises(TypeError):
        f(a, bogus=None)                                        # an unknown keyword
    with pytest.raises(TypeError):
        f(a, None, axis=None)                                   # axis given twice
    with pytest.raises(ValueError, match="threads"):
        f(a, threads=0)
