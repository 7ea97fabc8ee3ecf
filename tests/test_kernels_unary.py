"""Elementwise kernels of one array against numpy: negative, absolute, sqrt,
exp, log, clip, and the converting copies copyto and fill.

numpy 2 is the reference for values, result dtype (numpy's own loop
resolution, NEP 50 for Python scalars), ``dtype=``, broadcasting, ``out=``,
casting rules and errors. Inputs come in every kind goarray accepts
(goarray arrays, numpy arrays, memoryview, bytearray, array.array, Python
and numpy scalars) and in non-contiguous layouts (negative steps,
transposes), as 0-d and zero-size arrays.

Values: integers and bools exactly; negative, absolute and sqrt of real
floats exactly (sign flips and correctly rounded square roots); exp, log
and complex results within a few ulps (Go's math and numpy's libm or SIMD
routines may differ in the last bit or two), with NaN, infinities and
signed zeros of non-finite results matched exactly.
"""
import array
import re
import warnings

import numpy as np
import pytest
from hypothesis import given, note, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from numpy.testing import assert_array_equal

import goarray as ga
from conftest import DTYPES, NUMPY_2_1
from goarray import _unary as gu

UNARY = ["negative", "absolute", "sqrt", "exp", "log"]
# Largest difference in ulps accepted for exp/log (and complex results).
MAXULP = {"e": 1, "f": 4, "d": 2, "F": 4, "D": 4}


def fn(name):
    return getattr(gu, name)


def reference(f, *args, **kw):
    """numpy's result with its floating-point warnings off (goarray does not
    warn: it computes the same IEEE results silently)."""
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return f(*args, **kw)


def error_class(e):
    """The builtin exception class goarray must raise where numpy raised e
    (numpy's UFuncTypeError is a TypeError, and so on)."""
    for cls in (OverflowError, TypeError, ValueError):
        if isinstance(e, cls):
            return cls
    return type(e)


def assert_close(got, expected, maxulp=0, ulp_dtype=None):
    """got has expected's dtype and shape and its values: exactly for bools
    and integers; for floats NaN where NaN, the same infinities, and finite
    values within maxulp units in the last place (of ulp_dtype, default
    expected's; for complex, ulps of the larger part's magnitude)."""
    g, e = np.asarray(got), np.asarray(expected)
    assert g.dtype == e.dtype, (g.dtype, e.dtype)
    assert g.shape == e.shape, (g.shape, e.shape)
    if e.dtype.kind in "biu":
        assert_array_equal(g, e, strict=True)
        return
    if e.dtype.kind == "c":
        parts = [(g.real, e.real), (g.imag, e.imag)]
        finite = [np.where(np.isfinite(p), np.abs(p), 0) for _, p in parts]
        scale = np.maximum(*finite)
    else:
        parts = [(g, e)]
        scale = np.abs(e)
    for gp, ep in parts:
        nan = np.isnan(ep)
        assert_array_equal(np.isnan(gp), nan, err_msg=f"NaN positions: got {g}, numpy {e}")
        inf = np.isinf(ep)
        assert_array_equal(gp[inf], ep[inf], err_msg=f"infinities: got {g}, numpy {e}")
        fin = np.isfinite(ep)
        with np.errstate(all="ignore"):
            sc = scale.astype(ep.dtype if ulp_dtype is None else ulp_dtype)
            sp = np.spacing(np.where(sc == np.finfo(sc.dtype).max, np.nextafter(sc, 0), sc))
            tol = maxulp * sp.astype(np.float64) if maxulp else 0.0
            diff = np.abs(gp.astype(np.float64) - ep.astype(np.float64))
        bad = fin & ~(diff <= tol)
        assert not bad.any(), f"more than {maxulp} ulp apart: got {gp[bad]}, numpy {ep[bad]} (inputs {g}, {e})"


# ---- operands of every kind and layout -------------------------------------

def strided_copy(n, xp):
    """A non-contiguous array of library xp (numpy or goarray) holding n's
    values: every axis walked backwards with step -2, axes reversed."""
    base = xp.empty(tuple(2 * d for d in reversed(n.shape)), dtype=n.dtype)
    v = base[(slice(None, None, -2),) * n.ndim + (Ellipsis,)].T
    np.asarray(v)[...] = n
    return v


_ARRAY_CODES = {np.dtype(np.int8): "b", np.dtype(np.uint8): "B", np.dtype(np.int16): "h",
                np.dtype(np.uint16): "H", np.dtype(np.int32): "i", np.dtype(np.uint32): "I",
                np.dtype(np.int64): "q", np.dtype(np.uint64): "Q", np.dtype(np.float32): "f",
                np.dtype(np.float64): "d"}


def kinds_for(n):
    k = ["numpy", "ga", "numpy-strided", "ga-strided", "memoryview", "memoryview-strided"]
    if n.ndim == 1 and n.dtype == np.uint8:
        k.append("bytearray")
    if n.ndim == 1 and n.dtype in _ARRAY_CODES and n.size > 0:  # an empty array.array may be misaligned
        k.append("array.array")
    if n.ndim == 0:
        k += ["numpy-scalar"]
    return k


def as_kind(n, kind):
    """n's values as an input of the given kind (never sharing n's memory)."""
    if kind == "numpy":
        return n.copy()
    if kind == "ga":
        return ga.array(n)
    if kind == "numpy-strided":
        return strided_copy(n, np)
    if kind == "ga-strided":
        return strided_copy(n, ga)
    if kind == "memoryview":
        return memoryview(n.copy())
    if kind == "memoryview-strided":
        return memoryview(strided_copy(n, np))
    if kind == "bytearray":
        return bytearray(n.tobytes())
    if kind == "array.array":
        return array.array(_ARRAY_CODES[n.dtype], n.tobytes())
    if kind == "numpy-scalar":
        return n[()]
    raise AssertionError(kind)


def values(dtype, shape):
    """Random arrays: numpy's full range for the dtype, including NaN,
    infinities, signed zeros and subnormals for floats."""
    return hnp.arrays(np.dtype(dtype), shape, elements=hnp.from_dtype(np.dtype(dtype)))


dtypes = st.sampled_from(DTYPES)
shapes = hnp.array_shapes(min_dims=0, max_dims=4, min_side=0, max_side=5)
threads = st.sampled_from([None, 1, 2, 3])


@st.composite
def operand(draw, dtype=None, shape=None):
    n = draw(values(draw(dtypes) if dtype is None else dtype, draw(shapes) if shape is None else shape))
    return n, draw(st.sampled_from(kinds_for(n)))


def check_unary(name, g_in, n_in, **kw):
    """fn(name)(g_in, **kw) matches numpy on n_in (value, dtype, shape, or
    the exception class). Returns the goarray result (None on error)."""
    nkw = {k: v for k, v in kw.items() if k != "threads"}
    try:
        expected = reference(getattr(np, name), n_in, **nkw)
    except Exception as e:  # noqa: BLE001 - numpy's refusals are the reference
        with pytest.raises(error_class(e)):
            fn(name)(g_in, **kw)
        return None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # numpy's cast warnings, converting a Python scalar as numpy does
        got = fn(name)(g_in, **kw)
    assert isinstance(got, ga.Array), type(got)
    assert_close(got, expected, tolerance(name, np.asarray(n_in).dtype, np.asarray(expected).dtype))
    return got


def tolerance(name, in_dtype, out_dtype):
    """Ulps allowed: none for sign flips and real square roots (correctly
    rounded in both), a few for libm functions and complex results (numpy's
    |complex64| is not always correctly rounded; goarray's is)."""
    if out_dtype.kind not in "fc":
        return 0
    if name == "negative" or (name in ("absolute", "sqrt") and in_dtype.kind != "c" and out_dtype.kind == "f"):
        return 0
    return MAXULP[out_dtype.char]


# ---- negative, absolute, sqrt, exp, log --------------------------------------

@settings(max_examples=400)
@given(name=st.sampled_from(UNARY), op=operand(), threads=threads)
def test_unary_matches_numpy(name, op, threads):
    n, kind = op
    note(f"kind {kind}")
    g = as_kind(n, kind)
    check_unary(name, g, n, threads=threads)
    # the input is not written
    assert_array_equal(np.asarray(g).reshape(n.shape), n, strict=False)


@settings(max_examples=300)
@given(name=st.sampled_from(UNARY), op=operand(), dtype=dtypes)
def test_unary_dtype_argument(name, op, dtype):
    """dtype= picks numpy's loop with that output (input cast same_kind),
    or raises numpy's TypeError."""
    n, kind = op
    check_unary(name, as_kind(n, kind), n, dtype=dtype)


@settings(max_examples=200)
@given(name=st.sampled_from(UNARY),
       scalar=st.one_of(st.booleans(), st.integers(-2**63, 2**63 - 1), st.floats(), st.complex_numbers()),
       dtype=st.one_of(st.none(), dtypes))
def test_unary_python_scalars(name, scalar, dtype):
    """A Python scalar is an array of its default dtype (bool, int64,
    float64, complex128); the result is a 0-d goarray array."""
    got = check_unary(name, scalar, scalar, dtype=dtype)
    if got is not None:
        assert got.shape == ()


def test_unary_examples():
    i8 = np.array([-128, -1, 0, 5, 127], np.int8)
    assert_array_equal(gu.negative(i8), np.array([-128, 1, 0, -5, -127], np.int8), strict=True)
    assert_array_equal(gu.absolute(i8), np.array([-128, 1, 0, 5, 127], np.int8), strict=True)
    assert gu.abs is gu.absolute
    assert gu.sqrt(i8).dtype == np.float16          # numpy's int8 -> float16 loop
    assert gu.sqrt(np.arange(3, dtype=np.int16)).dtype == np.float32
    assert gu.exp(np.arange(3, dtype=np.uint32)).dtype == np.float64
    assert gu.log(True).dtype == np.float16
    assert gu.absolute(np.array([3 + 4j], np.complex64)).dtype == np.float32
    assert_array_equal(gu.absolute(np.array([3 + 4j, -5j])), [5.0, 5.0], strict=True)
    assert_array_equal(gu.negative(np.array([1, 2], np.uint8)), np.array([255, 254], np.uint8), strict=True)
    with pytest.raises(TypeError, match="boolean negative"):
        gu.negative(np.array([True]))
    with pytest.raises(TypeError):
        gu.sqrt(np.arange(3.0), dtype=np.int64)
    with pytest.raises(TypeError, match="Cannot cast ufunc 'negative' input"):
        gu.negative(np.arange(3.0), dtype=np.int64)
    # numpy makes 300 an int64 and casts it to the int8 loop (wraps)
    assert gu.negative(300, dtype=np.int8)[()] == np.negative(300, dtype=np.int8)
    # signed zeros and NaN signs, bit for bit
    z = np.array([0.0, -0.0, np.inf, -np.nan], np.float32)
    assert gu.negative(z).tobytes() == np.negative(z).tobytes()
    assert gu.absolute(z).tobytes() == np.absolute(z).tobytes()
    assert np.signbit(gu.sqrt(np.array(-0.0))[()])


@pytest.mark.parametrize("name", UNARY)
def test_float16_every_value(name):
    """All 65536 float16 values: numpy computes float16 in float32 and
    rounds; so does goarray (exact for negative/absolute/sqrt)."""
    h = np.arange(1 << 16, dtype=np.uint32).astype(np.uint16).view(np.float16)
    expected = reference(getattr(np, name), h)
    got = fn(name)(h)
    if name in ("negative", "absolute"):
        assert np.asarray(got).tobytes() == expected.tobytes()
    else:
        assert_close(got, expected, 0 if name == "sqrt" else MAXULP["e"])


@pytest.mark.parametrize("dtype", ["float32", "float64", "complex64", "complex128"])
@pytest.mark.parametrize("name", ["sqrt", "exp", "log"])
def test_wide_ranges(name, dtype):
    """Values spread over the whole exponent range, both signs, and the
    region near |z| = 1 where log loses accuracy if done naively."""
    rng = np.random.default_rng(7)
    dt = np.dtype(dtype)
    fmax = np.log10(np.finfo(dt).max) * 0.99
    def spread(k):
        return np.sign(rng.standard_normal(k)) * 10.0 ** rng.uniform(-fmax, fmax, k)
    if dt.kind == "c":
        z = spread(4000) + 1j * spread(4000)
        near1 = np.exp(1j * rng.uniform(-4, 4, 1000)) * (1 + rng.uniform(-1e-6, 1e-6, 1000))
        x = np.concatenate([z, near1]).astype(dt)
    else:
        x = np.concatenate([spread(4000), rng.uniform(-800, 800, 1000), 1 + rng.uniform(-1e-6, 1e-6, 1000)]).astype(dt)
    expected = reference(getattr(np, name), x)
    got = fn(name)(x)
    assert_close(got, expected, 0 if (name == "sqrt" and dt.kind == "f") else MAXULP[dt.char])


@pytest.mark.parametrize("name", UNARY)
@pytest.mark.parametrize("dtype", DTYPES, ids=lambda d: d.name)
def test_threads_give_identical_results(name, dtype):
    """Chunks depend on the size only: threads=1, 2, 3 write the same bytes
    (the array spans several chunks)."""
    rng = np.random.default_rng(3)
    x = rng.uniform(-50, 50, (3, 40001)).astype(dtype)[:, ::-1]
    if dtype.kind == "c":
        x = x + 1j * x[::-1].astype(dtype)
    try:
        reference(getattr(np, name), x)
    except TypeError:
        return
    results = {t: np.asarray(fn(name)(x, threads=t)).tobytes() for t in (1, 2, 3)}
    assert results[1] == results[2] == results[3]
    with pytest.raises(ValueError, match="threads"):
        fn(name)(x, threads=0)


# ---- out= ---------------------------------------------------------------------

@settings(max_examples=300)
@given(name=st.sampled_from(UNARY), op=operand(), out_dtype=dtypes,
       out_kind=st.sampled_from(["numpy", "ga", "numpy-strided", "ga-strided", "tuple"]), data=st.data())
def test_unary_out(name, op, out_dtype, out_kind, data):
    """out= of any writable kind receives the result (cast same_kind, or a
    TypeError as numpy's); the input may broadcast to out's shape."""
    n, kind = op
    extra = data.draw(hnp.array_shapes(min_dims=0, max_dims=2, min_side=1, max_side=3))
    out_shape = extra + n.shape
    proto = np.zeros(out_shape, out_dtype)
    n_out = proto.copy()
    g_out = as_kind(proto, out_kind if out_kind != "tuple" else "ga")
    try:
        expected = reference(getattr(np, name), n, out=n_out)
    except Exception as e:  # noqa: BLE001
        with pytest.raises(error_class(e)):
            fn(name)(as_kind(n, kind), out=(g_out,) if out_kind == "tuple" else g_out)
        return
    res = fn(name)(as_kind(n, kind), out=(g_out,) if out_kind == "tuple" else g_out)
    assert res is g_out
    # The result is rounded once more into out's dtype: an ulp of slack, in
    # the coarser of the loop's and out's precision.
    loop = reference(getattr(np, name), n).dtype
    tol = tolerance(name, n.dtype, loop)
    coarse = None
    if loop.kind in "fc" and n_out.dtype.kind in "fc":
        fl, fo = np.finfo(loop), np.finfo(n_out.dtype)
        coarse = (fl if fl.eps > fo.eps else fo).dtype
    assert_close(np.asarray(g_out), expected, tol + 1 if coarse is not None else 0, coarse)


@pytest.mark.parametrize("name", UNARY)
def test_unary_out_refusals(name):
    x = np.linspace(1, 2, 6).reshape(2, 3)
    ro = np.zeros((2, 3))
    ro.flags.writeable = False
    with pytest.raises((ValueError, BufferError)):
        fn(name)(x, out=ro)
    g = ga.zeros((2, 3))
    g.flags.writeable = False
    with pytest.raises((ValueError, BufferError)):
        fn(name)(x, out=g)
    with pytest.raises((ValueError, BufferError)):
        fn(name)(x, out=bytes(48))
    for shape in [(3, 2), (3,), (6,), (2, 3, 1)]:
        with pytest.raises(ValueError):
            fn(name)(x, out=np.zeros(shape))
        with pytest.raises(ValueError):
            np.negative(x, out=np.zeros(shape))


def test_unary_out_other_buffers():
    b = bytearray(4)
    assert gu.negative(np.array([1, 2, 3, 4], np.uint8), out=b) is b
    assert bytes(b) == bytes([255, 254, 253, 252])
    a = array.array("d", [0.0] * 3)
    assert gu.sqrt(np.array([4.0, 9.0, 16.0]), out=a) is a
    assert list(a) == [2.0, 3.0, 4.0]
    m = memoryview(np.zeros(3, np.float32))
    gu.exp(np.zeros(3, np.float32), out=m)
    assert list(np.asarray(m)) == [1.0, 1.0, 1.0]


def test_unary_in_place_and_overlap():
    for name in UNARY:
        x = np.linspace(0.5, 3, 50_000)
        n = x.copy()
        getattr(np, name)(n[::-1], out=n)
        g = ga.array(x)
        fn(name)(g[::-1], out=g)                # a reversed view of the output
        assert_close(g, n, 0 if name in ("negative", "absolute", "sqrt") else 2)
        y = x.copy()
        fn(name)(y, out=y)                      # numpy arrays in place
        assert_close(y, getattr(np, name)(x), 0 if name in ("negative", "absolute", "sqrt") else 2)


def test_unary_no_leak(no_leak):
    x = ga.array(np.linspace(1, 2, 1000).astype(np.float32))
    for name in UNARY:
        fn(name)(x)
        fn(name)(x, dtype=np.float64)
        fn(name)(x[::3], out=ga.zeros(334, np.complex128))


# ---- clip ---------------------------------------------------------------------

@st.composite
def bound_for(draw, dtype, shape):
    """None, a Python scalar (ints also outside the dtype's range), a
    numpy scalar or an array broadcasting against shape."""
    kind = draw(st.sampled_from(["none", "python", "numpy-scalar", "array"]))
    if kind == "none":
        return None
    if kind == "python":
        dt = np.dtype(dtype)
        if dt.kind in "iu":
            info = np.iinfo(dt)
            return draw(st.one_of(st.integers(int(info.min) - 5, int(info.max) + 5),
                                  st.integers(-2**70, 2**70), st.floats(allow_nan=True)))
        return draw(st.one_of(st.booleans(), st.integers(-1000, 1000), st.floats(), st.complex_numbers()))
    bdt = draw(st.sampled_from([dtype, draw(dtypes)]))
    if kind == "numpy-scalar":
        return draw(values(bdt, ()))[()]
    bshape = shape[draw(st.integers(0, len(shape))):]
    bshape = tuple(1 if draw(st.booleans()) else d for d in bshape)
    return draw(values(bdt, bshape))


@settings(max_examples=500)
@given(data=st.data(), op=operand(), threads=threads)
def test_clip_matches_numpy(data, op, threads):
    n, kind = op
    lo = data.draw(bound_for(n.dtype, n.shape))
    hi = data.draw(bound_for(n.dtype, n.shape))
    note(f"kind {kind}, lo {lo!r}, hi {hi!r}")
    try:
        expected = reference(np.clip, n, lo, hi)
    except Exception as e:  # noqa: BLE001
        with pytest.raises(error_class(e)):
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                gu.clip(as_kind(n, kind), lo, hi, threads=threads)
        return
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")   # numpy's own cast warnings, converting the bounds
        got = gu.clip(as_kind(n, kind), lo, hi, threads=threads)
    assert isinstance(got, ga.Array)
    assert_close(got, expected)


def test_clip_examples():
    a = np.arange(10)
    assert_array_equal(gu.clip(a, 1, 8), np.clip(a, 1, 8), strict=True)
    assert_array_equal(gu.clip(a, [3, 4, 1, 1, 1, 4, 4, 4, 4, 4], 8), np.clip(a, [3, 4, 1, 1, 1, 4, 4, 4, 4, 4], 8))
    i8 = np.arange(-3, 4, dtype=np.int8)
    if NUMPY_2_1:
        assert gu.clip(i8, 1, 300).dtype == np.int8            # out-of-range Python int bound dropped
        assert gu.clip(i8, -1000, 2.5).dtype == np.float64     # NEP 50: a Python float promotes
        with pytest.raises(TypeError):
            gu.clip(np.array([True]), None, None)              # numpy.positive has no bool loop
    else:  # numpy 2.0 refuses such a bound, and two None bounds
        with pytest.raises(OverflowError):
            np.clip(i8, 1, 300)
        with pytest.raises(OverflowError):
            gu.clip(i8, 1, 300)
        assert_array_equal(gu.clip(i8, -1000, 2.5), np.clip(i8, -1000, 2.5), strict=True)
        for mod in (np, gu):
            with pytest.raises(ValueError):
                mod.clip(np.array([True]), None, None)
    with pytest.raises(OverflowError):
        gu.clip(i8, 200, None)
    f = np.array([1.0, np.nan, 3.0, -np.inf])
    assert_close(gu.clip(f, 0, 2), np.clip(f, 0, 2))
    assert_close(gu.clip(f, np.nan, 2), np.clip(f, np.nan, 2))
    assert_close(gu.clip(f, 3, 1), np.clip(f, 3, 1))      # a_min > a_max: a_max
    c = np.array([1 + 2j, 3 - 1j, np.nan])
    assert_close(gu.clip(c, 1 + 3j, 3 + 0j), np.clip(c, 1 + 3j, 3 + 0j))
    # a NaN in a complex bound: compared by numpy.clip, propagated by
    # numpy.maximum/minimum (one bound)
    c, h = np.array([0j, 2 + 0j]), complex(1, np.nan)
    for lo, hi in [(-10, h), (None, h), (h, 10), (h, None)]:
        assert_close(gu.clip(c, lo, hi), np.clip(c, lo, hi))
    assert gu.clip(3, 1, 2).shape == ()
    out = np.zeros(10, np.int8)
    assert gu.clip(a, 2, None, out=out) is out
    assert_array_equal(out, np.clip(a, 2, None).astype(np.int8))
    with pytest.raises(TypeError):
        gu.clip(np.linspace(0, 1, 4), 0, 1, out=np.zeros(4, np.int64))   # same_kind refuses
    g = ga.array(np.linspace(-2, 2, 100_001))
    gu.clip(g, -1, 1, out=g)                                # in place
    assert_array_equal(g, np.clip(np.linspace(-2, 2, 100_001), -1, 1))


# ---- copyto -------------------------------------------------------------------

CASTINGS = ["no", "equiv", "safe", "same_kind", "unsafe"]


def defined(src, dst_dtype):
    """src with the values whose cast to dst_dtype numpy leaves undefined
    (float or complex out of an integer type's range) replaced by 0."""
    s = np.asarray(src)
    if np.dtype(dst_dtype).kind not in "iu" or s.dtype.kind not in "fc":
        return src
    info = np.iinfo(dst_dtype)
    with np.errstate(all="ignore"):
        r = np.trunc(s.real.astype(np.float64))
        ok = np.isfinite(r) & (r >= float(info.min)) & (r <= float(info.max)) & (r != 2.0**63) & (r != 2.0**64)
    return np.where(ok, s, 0).astype(s.dtype)


@settings(max_examples=500)
@given(data=st.data(), dst_dtype=dtypes, dst_shape=shapes, casting=st.sampled_from(CASTINGS),
       dst_kind=st.sampled_from(["numpy", "ga", "numpy-strided", "ga-strided", "memoryview"]))
def test_copyto_matches_numpy(data, dst_dtype, dst_shape, casting, dst_kind):
    src_shape = dst_shape[data.draw(st.integers(0, len(dst_shape))):]
    src_shape = tuple(1 if data.draw(st.booleans()) else d for d in src_shape)
    n_src, src_kind = data.draw(operand(shape=src_shape))
    n_src = defined(n_src, dst_dtype)
    init = data.draw(values(dst_dtype, dst_shape))
    n_dst = init.copy()
    g_dst = as_kind(init, dst_kind)
    note(f"src {n_src.dtype} {src_kind}, dst {dst_kind}")
    try:
        reference(np.copyto, n_dst, n_src, casting=casting)
    except Exception as e:  # noqa: BLE001
        with pytest.raises(error_class(e)) as info:
            ga.copyto(g_dst, as_kind(n_src, src_kind), casting=casting)
        if isinstance(e, TypeError):
            assert str(info.value) == str(e)         # numpy's wording
        assert_array_equal(np.asarray(g_dst), init)  # nothing written
        return
    assert ga.copyto(g_dst, as_kind(n_src, src_kind), casting=casting) is None
    assert_close(np.asarray(g_dst), n_dst)


@settings(max_examples=300)
@given(dst_dtype=dtypes, casting=st.sampled_from(CASTINGS),
       scalar=st.one_of(st.booleans(), st.integers(-2**64, 2**64), st.floats(), st.complex_numbers()))
def test_copyto_python_scalars(dst_dtype, casting, scalar):
    """NEP 50: a Python int is checked against dst's range (OverflowError),
    a float or complex of a higher kind is a casting error."""
    n_dst = np.zeros(3, dst_dtype)
    g_dst = ga.zeros(3, dst_dtype)
    if np.dtype(dst_dtype).kind in "iu" and isinstance(scalar, (float, complex)) and casting == "unsafe":
        scalar = defined(np.array(scalar), dst_dtype)[()].item()
    try:
        reference(np.copyto, n_dst, scalar, casting=casting)
    except Exception as e:  # noqa: BLE001
        with pytest.raises(error_class(e)) as info:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                ga.copyto(g_dst, scalar, casting=casting)
        if isinstance(e, TypeError):
            assert str(info.value) == str(e)
        return
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ga.copyto(g_dst, scalar, casting=casting)
    assert_close(g_dst, n_dst)


def test_copyto_casting_refusals_use_numpy_wording():
    a8 = ga.zeros(3, np.int8)
    cases = [
        (np.array([1.5, 2, 3]), "same_kind"),
        (np.array([1, 2, 3]), "safe"),
        (np.array([1, 2, 3]), "no"),
        (np.float64(1.5), "same_kind"),
        (1.5, "same_kind"),
        (np.array([1 + 1j]), "same_kind"),
        (np.array([True]), "no"),
    ]
    for src, casting in cases:
        with pytest.raises(TypeError) as numpy_err:
            np.copyto(np.zeros(3, np.int8), src, casting=casting)
        with pytest.raises(TypeError) as ga_err:
            ga.copyto(a8, src, casting=casting)
        assert str(ga_err.value) == str(numpy_err.value)
    with pytest.raises(TypeError, match=r"Cannot cast scalar from dtype\('int64'\) to dtype\('bool'\)"):
        ga.copyto(ga.zeros(2, bool), 5)
    if NUMPY_2_1:
        with pytest.raises(TypeError, match=r"from dtype\('complex64'\) to dtype\('float32'\)"):
            ga.copyto(ga.zeros(2, np.float32), 1 + 2j)
        with pytest.raises(OverflowError, match="Python integer 300 out of bounds for int8"):
            ga.copyto(a8, 300)
        with pytest.raises(OverflowError):
            ga.copyto(ga.zeros(2, np.uint8), -1, casting="unsafe")
    else:  # numpy 2.0 casts a scalar by its value: numpy's own refusal, or none
        for dst, src, casting in ((np.float32, 1 + 2j, "same_kind"), (np.int8, 300, "same_kind"),
                                  (np.uint8, -1, "unsafe")):
            try:
                np.copyto(np.zeros(2, dst), src, casting=casting)
            except TypeError as e:
                with pytest.raises(TypeError, match=re.escape(str(e))):
                    ga.copyto(ga.zeros(2, dst), src, casting=casting)
            else:
                g = ga.zeros(2, dst)
                ga.copyto(g, src, casting=casting)
                n = np.zeros(2, dst)
                np.copyto(n, src, casting=casting)
                assert_array_equal(np.asarray(g), n, strict=True)
    with pytest.raises(ValueError, match="casting must be one of"):
        ga.copyto(a8, 1, casting="bogus")
    with pytest.raises(ValueError, match=r"could not broadcast input array from shape \(2,\) into shape \(3,\)"):
        ga.copyto(a8, np.array([1, 2]))
    ga.copyto(a8, 5, casting="no")       # a Python int that fits is int8 itself
    assert_array_equal(a8, [5, 5, 5])


def test_copyto_destinations():
    b = bytearray(3)
    ga.copyto(b, np.array([1.0, 2.0, 300.0]), casting="unsafe")
    assert bytes(b) == bytes([1, 2, 44])
    a = array.array("i", [0, 0])
    ga.copyto(a, np.array([7, 8], np.int16))
    assert list(a) == [7, 8]
    for ro in (bytes(3), np.zeros(3, np.uint8)[:: -1].copy(), ga.zeros(3, np.uint8)):
        if isinstance(ro, np.ndarray):
            ro.flags.writeable = False
        elif isinstance(ro, ga.Array):
            ro.flags.writeable = False
        with pytest.raises(ValueError, match="read-only"):
            ga.copyto(ro, 1)
    with pytest.raises(TypeError):
        ga.copyto([0, 0, 0], 1)
    # overlapping source and destination: numpy's result
    n = np.arange(10.0)
    g = ga.array(n)
    np.copyto(n[1:], n[:-1])
    ga.copyto(g[1:], g[:-1])
    assert_array_equal(g, n)
    g2 = ga.arange(8, dtype=np.int32)
    ga.copyto(g2.view(np.float32), g2, casting="unsafe")   # in place, int32 -> float32 bits
    assert_array_equal(np.asarray(g2).view(np.float32), np.arange(8, dtype=np.float32))


def test_copyto_where_falls_back_to_numpy():
    g = ga.zeros(4, np.int16)
    ga.copyto(g, np.array([1, 2, 3, 4]), casting="same_kind", where=np.array([True, False, True, False]))
    assert_array_equal(g, [1, 0, 3, 0])
    with pytest.raises(TypeError):
        ga.copyto(g, np.array([1.5]), where=[True, False, True, False])


def test_cast_every_pair_bit_exact():
    """All 196 dtype pairs (copyto with casting='unsafe') on values with a
    defined cast, every float16 among them, against numpy's astype bits."""
    h = np.arange(1 << 16, dtype=np.uint32).astype(np.uint16).view(np.float16)
    rng = np.random.default_rng(5)
    base = np.concatenate([h.astype(np.float64), rng.standard_normal(5000) * 1e5,
                           [0.0, -0.0, np.inf, -np.inf, np.nan, 1e300, 1e-310, 2**53 + 1]])
    for sd in DTYPES:
        with np.errstate(all="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            src = base.astype(sd)
            if sd.kind == "c":
                src = src + 1j * src[::-1].astype(sd)
            if sd == np.float16:
                src = h
        for dd in DTYPES:
            s = defined(src, dd)
            with np.errstate(all="ignore"), warnings.catch_warnings():
                warnings.simplefilter("ignore")
                want = s.astype(dd)
            got = ga.empty(s.shape, dd)
            ga.copyto(got, s, casting="unsafe")
            w, g = want.view(np.uint8).reshape(len(s), -1), np.asarray(got).view(np.uint8).reshape(len(s), -1)
            differ = (w != g).any(axis=1)
            if dd.kind in "fc":  # NaN payloads: numpy's casts and Go's agree, but only NaN-ness matters
                differ &= ~(np.isnan(want) & np.isnan(np.asarray(got)))
            assert not differ.any(), f"{sd} -> {dd}: {s[differ][:5]} gave {np.asarray(got)[differ][:5]}, numpy {want[differ][:5]}"


# ---- fill ---------------------------------------------------------------------

@settings(max_examples=300)
@given(dtype=dtypes, shape=shapes, kind=st.sampled_from(["numpy", "ga", "numpy-strided", "ga-strided", "memoryview"]),
       value=st.one_of(st.booleans(), st.integers(-2**64, 2**64), st.floats(), st.complex_numbers(),
                       st.sampled_from([np.float32(1.5), np.int8(-3), np.complex64(2 - 1j), "7"])),
       threads=threads)
def test_fill_matches_numpy(dtype, shape, kind, value, threads):
    n = np.zeros(shape, dtype)
    g = as_kind(n, kind)
    if np.dtype(dtype).kind in "iu" and isinstance(value, (float, complex)):
        value = defined(np.array(value), dtype)[()].item()
    try:
        reference(n.fill, value)
    except Exception as e:  # noqa: BLE001
        with pytest.raises(error_class(e)):
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                ga.fill(g, value, threads=threads)
        return
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert ga.fill(g, value, threads=threads) is None
    assert_close(np.asarray(g), n)


def test_fill_buffers_and_refusals():
    b = bytearray(5)
    ga.fill(b, 9)
    assert bytes(b) == b"\x09" * 5
    big = ga.empty((1000, 301), np.complex64)[:, ::-3]
    ga.fill(big, 1 - 2j, threads=3)
    assert (np.asarray(big) == np.complex64(1 - 2j)).all()
    with pytest.raises(OverflowError):
        ga.fill(ga.zeros(2, np.int8), 300)
    with pytest.raises(ValueError, match="read-only"):
        ga.fill(bytes(3), 1)
    with pytest.raises(TypeError):
        ga.fill(np.zeros(2, np.int8), None)   # as ndarray.fill: int(None) fails


def test_exported_names():
    """goarray exports these functions (python/goarray/__init__.py, .pyi)."""
    from goarray import _copyto
    for mod, names in ((gu, ["negative", "absolute", "abs", "sqrt", "exp", "log", "clip"]),
                       (_copyto, ["copyto", "fill"])):
        for name in names:
            assert getattr(ga, name, None) is getattr(mod, name), name
            assert name in ga.__all__, name
