"""Elementwise binary kernels against numpy: add, subtract, multiply, divide,
minimum, maximum, and scale (in-place multiply by a scalar).

numpy 2 is the reference for values, result dtype (NEP 50 promotion of
Python scalars), broadcasting, ``out=`` and errors. Inputs come in every
kind goarray accepts (goarray arrays, numpy arrays, memoryview, bytearray,
array.array) and in non-contiguous layouts (negative steps, transposes).

goarray may refuse some dtypes with a TypeError saying "does not support
... yet": float16 results, and complex results of minimum/maximum. Where
numpy gives such a result, the test accepts exactly that TypeError (and
nothing else) or numpy's values.
"""
import array
import re
import warnings

import numpy as np
import pytest
from hypothesis import given, note, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from numpy.testing import assert_allclose, assert_array_equal

import goarray as ga
from conftest import DTYPES

OPS = ["add", "subtract", "multiply", "divide", "minimum", "maximum"]

# Tight tolerances: add/subtract/multiply/divide/minimum/maximum are single
# correctly rounded IEEE operations for real floats; complex multiply and
# divide may use other (equally accurate) formulas than numpy's.
RTOL = {np.dtype("float32"): 1e-6, np.dtype("float64"): 1e-14,
        np.dtype("complex64"): 1e-5, np.dtype("complex128"): 1e-13, np.dtype("float16"): 1e-3}

SUPPORTED = [d for d in DTYPES if d != np.dtype("float16")]


def reference(name, x, y, **kw):
    """numpy's result, warnings (division by zero, overflow, invalid) off."""
    with np.errstate(all="ignore"):
        return getattr(np, name)(x, y, **kw)


def refused(name, result_dtype):
    """The TypeError goarray may raise for a result dtype it has no kernel
    for yet, as (exception, regex); None when the dtype must be computed."""
    if result_dtype == np.dtype("float16"):
        return TypeError, r"does not support float16 yet"
    if name in ("minimum", "maximum") and result_dtype.kind == "c":
        return TypeError, r"does not support complex dtypes yet"
    return None


def numpy_error_class(e):
    """The builtin exception class goarray must raise where numpy raised e
    (numpy's _UFuncOutputCastingError is a TypeError, and so on)."""
    for cls in (OverflowError, TypeError, ValueError):
        if isinstance(e, cls):
            return cls
    return type(e)


def assert_same_values(got, expected):
    """got (anything numpy can view) holds numpy's expected values exactly
    (integers, bools) or to a tight relative tolerance (floats, complex);
    same dtype and shape in every case. NaN matches NaN, inf matches inf."""
    g = np.asarray(got)
    e = np.asarray(expected)
    assert g.dtype == e.dtype, (g.dtype, e.dtype)
    assert g.shape == e.shape, (g.shape, e.shape)
    if e.dtype.kind in "biu":
        assert_array_equal(g, e, strict=True)
    else:
        with np.errstate(all="ignore"):
            assert_allclose(g, e, rtol=RTOL[e.dtype], atol=0, equal_nan=True, strict=True)


def check(name, gx, gy, nx, ny, **kw):
    """ga.<name>(gx, gy) equals np.<name>(nx, ny) (value, dtype, shape), or
    raises the documented "not supported yet" TypeError. Returns the
    goarray result (None when refused)."""
    try:
        expected = reference(name, nx, ny)
    except Exception as e:  # noqa: BLE001 - e.g. numpy refuses subtract on bools
        with pytest.raises(numpy_error_class(e)):
            getattr(ga, name)(gx, gy, **kw)
        return None
    why = refused(name, np.asarray(expected).dtype)
    try:
        with np.errstate(all="ignore"):   # numpy's own cast warnings, as in the reference
            got = getattr(ga, name)(gx, gy, **kw)
    except BufferError as e:
        # The runtime's contract for a misaligned buffer (an empty
        # array.array may have one): computed, or refused saying so.
        if not (any(misaligned(o) for o in (gx, gy)) and "align" in str(e)):
            raise
        return None
    except Exception as e:  # noqa: BLE001
        if not (why and isinstance(e, why[0]) and re.search(why[1], str(e))):
            raise
        return None      # the documented "not supported yet" refusal
    assert isinstance(got, ga.Array), type(got)
    assert_same_values(got, expected)
    return got


# ---- operands of every kind and layout -------------------------------------

def misaligned(obj):
    """True for a buffer (not a goarray array or scalar) whose address is
    not a multiple of its item size."""
    if isinstance(obj, (ga.Array, bool, int, float, complex, np.generic)):
        return False
    a = np.asarray(obj)
    return a.ctypes.data % a.dtype.itemsize != 0


def strided_copy(n, xp):
    """A non-contiguous array of library xp (numpy or goarray) holding n's
    values: every axis walked backwards with step -2, axes reversed (a
    transpose), so strides are negative and in the reverse order."""
    base = xp.empty(tuple(2 * d for d in reversed(n.shape)), dtype=n.dtype)
    v = base[(slice(None, None, -2),) * n.ndim + (Ellipsis,)].T
    assert v.shape == n.shape
    np.asarray(v)[...] = n
    return v


_ARRAY_CODES = {np.dtype(np.int8): "b", np.dtype(np.uint8): "B", np.dtype(np.int16): "h",
                np.dtype(np.uint16): "H", np.dtype(np.int32): "i", np.dtype(np.uint32): "I",
                np.dtype(np.int64): "q", np.dtype(np.uint64): "Q", np.dtype(np.float32): "f",
                np.dtype(np.float64): "d"}


def kinds_for(n):
    """The input kinds that can carry numpy array n."""
    k = ["numpy", "ga", "numpy-strided", "ga-strided", "memoryview", "memoryview-strided"]
    if n.ndim == 1 and n.dtype == np.uint8:
        k.append("bytearray")
    if n.ndim == 1 and n.dtype in _ARRAY_CODES:
        k.append("array.array")
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
    raise AssertionError(kind)


def values(dtype, shape):
    """Random arrays of dtype and shape: numpy's full range for the dtype,
    including NaN, infinities, signed zeros and subnormals for floats."""
    return hnp.arrays(np.dtype(dtype), shape, elements=hnp.from_dtype(np.dtype(dtype)))


dtypes = st.sampled_from(DTYPES)
shape_pairs = hnp.mutually_broadcastable_shapes(num_shapes=2, min_dims=0, max_dims=4, min_side=0, max_side=4)


@st.composite
def operand_pair(draw):
    """Two numpy arrays of random dtypes and mutually broadcastable shapes
    (0-d, zero-size, length-1 axes), and the input kinds to pass them as."""
    shapes = draw(shape_pairs).input_shapes
    out = []
    for shape in shapes:
        n = draw(values(draw(dtypes), shape))
        out.append((n, draw(st.sampled_from(kinds_for(n)))))
    return out


@settings(max_examples=300)
@given(name=st.sampled_from(OPS), pair=operand_pair())
def test_binary_matches_numpy(name, pair):
    (nx, kx), (ny, ky) = pair
    note(f"kinds {kx}, {ky}")
    gx, gy = as_kind(nx, kx), as_kind(ny, ky)
    check(name, gx, gy, nx, ny)
    # the inputs are not written
    assert_array_equal(np.asarray(gx).reshape(nx.shape), nx, strict=False)
    assert_array_equal(np.asarray(gy).reshape(ny.shape), ny, strict=False)


@st.composite
def python_scalar_for(draw, dtype):
    """A Python scalar numpy 2 accepts beside an array of dtype: bool, int
    in the dtype's range (any int64 for bool/float/complex), float, complex."""
    dt = np.dtype(dtype)
    if dt.kind in "iu":
        info = np.iinfo(dt)
        ints = st.integers(int(info.min), int(info.max))
    else:
        ints = st.integers(-2**63, 2**63 - 1)
    return draw(st.one_of(st.booleans(), ints, st.floats(), st.complex_numbers()))


@settings(max_examples=300)
@given(name=st.sampled_from(OPS), dtype=dtypes, data=st.data(),
       shape=hnp.array_shapes(min_dims=0, max_dims=3, min_side=0, max_side=4),
       scalar_first=st.booleans(), kind=st.sampled_from(["numpy", "ga", "ga-strided"]))
def test_python_scalar_operand_nep50(name, dtype, data, shape, scalar_first, kind):
    """NEP 50: a Python scalar takes the array's dtype when that holds its
    kind (int8 array + 1 -> int8, float32 array + 1.0 -> float32), else
    the default of its kind (int8 array + 1.0 -> float64)."""
    n = data.draw(values(dtype, shape))
    s = data.draw(python_scalar_for(dtype))
    g = as_kind(n, kind)
    if scalar_first:
        check(name, s, g, s, n)
    else:
        check(name, g, s, n, s)


def test_nep50_examples():
    i8 = np.arange(-3, 3, dtype=np.int8)
    f32 = np.linspace(-1, 1, 5, dtype=np.float32)
    assert ga.add(i8, 1).dtype == np.int8
    assert ga.add(1, i8).dtype == np.int8
    assert ga.add(i8, 1.0).dtype == np.float64
    assert ga.add(f32, 1.0).dtype == np.float32
    assert ga.add(f32, 1j).dtype == np.complex64
    assert ga.add(i8, 1j).dtype == np.complex128
    assert ga.multiply(np.array([True, False]), 2).dtype == np.int64
    assert ga.add(np.array([True]), True).dtype == np.bool_
    assert ga.divide(i8, 2).dtype == np.float64
    assert ga.divide(f32, 2).dtype == np.float32
    # numpy scalars are strong: they take part in promotion by dtype
    assert ga.add(f32, np.float64(1.0)).dtype == np.float64
    assert ga.add(i8, np.int16(1)).dtype == np.int16
    for name in OPS:
        for x, y in [(i8, 1), (i8, 1.0), (f32, 1.0), (f32, 2), (i8, True), (1, 2.5), (True, 3)]:
            check(name, x, y, x, y)


@pytest.mark.parametrize("dtype", ["int8", "uint8", "int16", "uint32", "int64", "uint64"])
def test_python_int_out_of_range_overflows_like_numpy(dtype):
    n = np.arange(3, dtype=dtype)
    big = int(np.iinfo(dtype).max) + 1
    small = int(np.iinfo(dtype).min) - 1
    for s in (big, small):
        with pytest.raises(OverflowError):
            np.add(n, s)
        with pytest.raises(OverflowError):
            ga.add(n, s)


@settings(max_examples=200)
@given(name=st.sampled_from(OPS), dx=dtypes, dy=dtypes, data=st.data())
def test_numpy_scalar_operands(name, dx, dy, data):
    """numpy scalars (np.generic) and 0-d arrays promote by dtype, on either side."""
    shape = data.draw(hnp.array_shapes(min_dims=0, max_dims=2, min_side=0, max_side=3))
    n = data.draw(values(dx, shape))
    s = data.draw(values(dy, ()))[()]
    assert isinstance(s, np.generic)
    check(name, n, s, n, s)
    check(name, s, ga.array(n), s, n)
    check(name, np.asarray(s), n, np.asarray(s), n)


# ---- mixed input kinds -------------------------------------------------------

def test_mixed_input_kinds():
    d = np.array([1.5, -2.0, 3.25, 0.0])
    u = np.array([1, 2, 250, 0], dtype=np.uint8)
    cases = [
        (ga.array(d), d.copy()),
        (d.copy(), ga.array(d)),
        (memoryview(d.copy()), ga.array(d)),
        (array.array("d", d.tolist()), d),
        (array.array("d", d.tolist()), memoryview(bytearray(u.tobytes()))),
        (bytearray(u.tobytes()), bytearray(u.tobytes())),
        (memoryview(bytearray(u.tobytes())), ga.array(u)),
        (bytearray(u.tobytes()), 7),
        (array.array("f", d.tolist()), 1.0),
    ]
    for x, y in cases:
        for name in OPS:
            check(name, x, y, np.asarray(x), y if isinstance(y, (int, float, complex)) else np.asarray(y))


def test_bytearray_is_uint8_and_wraps():
    r = ga.add(bytearray(b"\xff\x01"), bytearray(b"\x01\x01"))
    assert r.dtype == np.uint8
    assert r.tolist() == [0, 2]


def test_memoryview_of_goarray_and_slices():
    g = ga.array(np.arange(12.0).reshape(3, 4))
    m = memoryview(g)
    check("add", m, g.T.T, np.asarray(g), np.asarray(g))
    n = np.arange(24, dtype=np.int32).reshape(4, 6)[::-1, ::2]
    check("subtract", memoryview(n), n.T.T, n, n)


# ---- out= --------------------------------------------------------------------

OUT_KINDS = ["numpy", "ga", "numpy-strided", "ga-strided"]


def make_out(shape, dtype, kind, fill):
    n = np.full(shape, fill, dtype=dtype)
    return as_kind(n, kind)


def sentinel(dtype):
    return {"b": True, "i": 7, "u": 7, "f": 7.5, "c": 7.5 + 1j}[np.dtype(dtype).kind]


@settings(max_examples=250)
@given(name=st.sampled_from(OPS), pair=operand_pair(), out_dtype=st.one_of(st.none(), dtypes),
       out_kind=st.sampled_from(OUT_KINDS))
def test_out_matches_numpy(name, pair, out_dtype, out_kind):
    """out= of the broadcast shape: written in place and returned when the
    result casts to it with same_kind casting (numpy's rule for ufunc
    outputs), refused with TypeError and left untouched otherwise."""
    (nx, kx), (ny, ky) = pair
    shape = np.broadcast_shapes(nx.shape, ny.shape)
    try:
        rdt = reference(name, nx, ny).dtype
    except TypeError:   # no loop for these dtypes (bool subtract): any out dtype
        rdt = None
    odt = (rdt or np.dtype(np.int64)) if out_dtype is None else out_dtype
    out = make_out(shape, odt, out_kind, sentinel(odt))
    before = np.asarray(out).copy()
    gx, gy = as_kind(nx, kx), as_kind(ny, ky)
    why = rdt is not None and refused(name, rdt)
    nout = np.full(shape, sentinel(odt), dtype=odt)
    try:
        reference(name, nx, ny, out=nout)
    except Exception as e:  # noqa: BLE001 - casting refused, or no such loop (bool subtract)
        with pytest.raises(numpy_error_class(e)):
            getattr(ga, name)(gx, gy, out=out)
        assert_array_equal(np.asarray(out), before, strict=True)
        return
    try:
        got = getattr(ga, name)(gx, gy, out=out)
    except Exception as e:  # noqa: BLE001
        if not (why and isinstance(e, why[0]) and re.search(why[1], str(e))):
            raise
        assert_array_equal(np.asarray(out), before, strict=True)
        return
    assert got is out
    assert_same_values(out, nout)


def test_out_tuple_and_return_value():
    x = np.arange(6.0).reshape(2, 3)
    o = ga.empty((2, 3))
    assert ga.add(x, 1, out=(o,)) is o
    assert_array_equal(np.asarray(o), x + 1)
    with pytest.raises(ValueError):
        ga.add(x, 1, out=(o, o))


def test_out_may_alias_an_input():
    x = np.arange(10.0)
    g = ga.array(x)
    assert ga.multiply(g, g, out=g) is g
    assert_array_equal(np.asarray(g), x * x)
    n = x.copy()
    ga.subtract(n, 1.5, out=n)
    assert_array_equal(n, x - 1.5)


@pytest.mark.parametrize("out_kind", OUT_KINDS)
@pytest.mark.parametrize("out_shape", [(3,), (2, 4), (4, 3), (), (1, 3), (0, 3)])
def test_out_wrong_shape_is_refused_untouched(out_kind, out_shape):
    """A broadcast shape (2, 3) output given an out= that numpy refuses too."""
    x, y = np.arange(6.0).reshape(2, 3), np.arange(3.0)
    nout = np.full(out_shape, 7.5)
    with pytest.raises(ValueError):
        np.add(x, y, out=nout)
    out = make_out(out_shape, np.float64, out_kind, 7.5)
    for name in OPS:
        with pytest.raises(ValueError) as exc:
            getattr(ga, name)(x, y, out=out)
        assert "(2, 3)" in str(exc.value)
        assert_array_equal(np.asarray(out), nout)


def test_out_larger_than_broadcast_shape_like_numpy():
    """numpy broadcasts the inputs to the shape of out= when they fit it:
    np.add(ones(3), 1, out=empty((2, 3))) writes both rows."""
    x = np.arange(3.0)
    nout = np.zeros((2, 3))
    np.add(x, 1, out=nout)
    out = ga.zeros((2, 3))
    assert ga.add(x, 1, out=out) is out
    assert_array_equal(np.asarray(out), nout)


def readonly_outs(shape):
    n = np.full(shape, 7.5)
    n.flags.writeable = False
    g = ga.full(shape, 7.5)
    g.flags.writeable = False
    m = memoryview(np.full(shape, 7.5).tobytes()).cast("d", shape)
    return {"numpy": n, "ga": g, "memoryview-of-bytes": m}


@pytest.mark.parametrize("which", ["numpy", "ga", "memoryview-of-bytes"])
@pytest.mark.parametrize("name", OPS)
def test_readonly_out_is_refused_untouched(name, which):
    out = readonly_outs((2, 3))[which]
    before = np.asarray(out).copy()
    with pytest.raises(ValueError, match="read-only|writ"):
        getattr(ga, name)(np.ones((2, 3)), np.ones(3), out=out)
    assert_array_equal(np.asarray(out), before)
    if which == "numpy":
        with pytest.raises(ValueError):
            getattr(np, name)(np.ones((2, 3)), np.ones(3), out=out)


@pytest.mark.parametrize("idt,odt", [
    ("float64", "float32"),     # same_kind: float64 result into float32
    ("int64", "int8"),          # same_kind: wraps as numpy's cast does (divide: float64, refused)
    ("int64", "float64"),
    ("int16", "uint8"),         # int into uint: refused
    ("float64", "complex64"),
    ("float64", "int64"),       # float into int: refused
    ("complex128", "float64"),  # refused
    ("int64", "bool"),          # refused
    ("float64", "float16"),     # computed in float64, cast to float16 on the way out
    ("float32", "float64"),
])
@pytest.mark.parametrize("name", OPS)
def test_out_dtype_casting(name, idt, odt):
    """out= of another dtype: numpy's same_kind rule decides; a refused
    out is left untouched."""
    x = (np.arange(12) - 5).astype(idt).reshape(3, 4) * 37
    y = np.arange(4).astype(idt) + 250
    if refused(name, np.dtype(idt)):
        return
    nout = np.zeros((3, 4), odt)
    try:
        reference(name, x, y, out=nout)
    except TypeError:
        ok = False
    else:
        ok = True
    for out in (ga.zeros((3, 4), odt), np.zeros((3, 4), odt)):
        if ok:
            with np.errstate(all="ignore"):
                assert getattr(ga, name)(x, y, out=out) is out
            assert_same_values(out, nout)
        else:
            with pytest.raises(TypeError, match="same_kind"):
                getattr(ga, name)(x, y, out=out)
            assert not np.asarray(out).any()


# ---- thread counts -----------------------------------------------------------

def big_operands(dtype, rng):
    """Two operands well over one chunk (1 << 15 elements): a strided 2-d
    numpy view and a row that broadcasts along it."""
    dt = np.dtype(dtype)
    shape = (257, 401)   # 103057 elements: 4 chunks, uneven
    if dt.kind == "b":
        base = rng.integers(0, 2, (2 * shape[1], 2 * shape[0])).astype(dt)
        row = rng.integers(0, 2, shape[1]).astype(dt)
    elif dt.kind in "iu":
        info = np.iinfo(dt)
        lo, hi = max(int(info.min), -1000), min(int(info.max), 1000)
        base = rng.integers(lo, hi, (2 * shape[1], 2 * shape[0]), endpoint=True).astype(dt)
        row = rng.integers(lo, hi, shape[1], endpoint=True).astype(dt)
    else:
        base = rng.standard_normal((2 * shape[1], 2 * shape[0])).astype(dt)
        row = rng.standard_normal(shape[1]).astype(dt)
        if dt.kind == "c":
            base = base + 1j * rng.standard_normal(base.shape).astype(dt)
            row = row + 1j * rng.standard_normal(row.shape).astype(dt)
        row[::7] = 0   # division by zero somewhere
    return base[::-2, ::-2].T, row


@pytest.mark.parametrize("dtype", [pytest.param(d, id=d.name) for d in SUPPORTED])
@pytest.mark.parametrize("name", OPS)
def test_thread_counts_give_identical_bytes(name, dtype):
    rng = np.random.default_rng(1234)
    x, y = big_operands(dtype, rng)
    if name == "subtract" and dtype == np.bool_:
        with pytest.raises(TypeError):
            np.subtract(x, y)
        with pytest.raises(TypeError):
            ga.subtract(x, y)
        return
    expected = reference(name, x, y)
    try:
        results = [getattr(ga, name)(x, y, threads=t) for t in (1, 2, 3)]
    except TypeError as e:
        why = refused(name, expected.dtype)
        if why and re.search(why[1], str(e)):
            return
        raise
    first = np.asarray(results[0]).tobytes()
    for r in results[1:]:
        assert np.asarray(r).tobytes() == first
    assert_same_values(results[0], expected)
    # also through a goarray input and a goarray strided out=
    out = strided_copy(np.zeros(expected.shape, expected.dtype), ga)
    for t in (1, 2, 3):
        getattr(ga, name)(ga.array(x), y, out=out, threads=t)
        assert np.ascontiguousarray(np.asarray(out)).tobytes() == first


def test_threads_argument_validation():
    x = np.ones(4)
    for bad in (0, -1):
        with pytest.raises(ValueError):
            ga.add(x, x, threads=bad)
    with pytest.raises(TypeError):
        ga.add(x, x, threads=1.5)
    assert_array_equal(np.asarray(ga.add(x, x, threads=64)), x + x)


# ---- special values ------------------------------------------------------------

def _float_specials(dt):
    fi = np.finfo(dt)
    return np.array([0.0, -0.0, 1.0, -1.0, 2.5, np.inf, -np.inf, np.nan, fi.max, -fi.max,
                     fi.tiny, fi.smallest_subnormal, -fi.smallest_subnormal], dtype=dt)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("name", OPS)
def test_float_special_values_exact(name, dtype):
    """inf, nan, signed zeros, overflow to inf, subnormals: bit for bit
    numpy's IEEE results (NaN compared as NaN)."""
    v = _float_specials(dtype)
    x, y = v[:, None], v[None, :]
    expected = reference(name, x, y)
    got = np.asarray(getattr(ga, name)(x, y))
    assert got.dtype == expected.dtype
    assert_array_equal(got, expected, strict=True)
    # signs of zeros and infinities, too
    same = np.isnan(got) == np.isnan(expected)
    assert same.all()
    assert (np.signbit(got) == np.signbit(expected))[~np.isnan(expected)].all()


@pytest.mark.parametrize("dtype", ["complex64", "complex128"])
@pytest.mark.parametrize("name", ["add", "subtract", "multiply", "divide"])
def test_complex_special_values(name, dtype):
    """Every pair of parts from {0, -0, 1, -2.5, inf, -inf, nan}: where
    numpy's result is finite, goarray's is close to it; elsewhere each part
    is what numpy has (NaN, infinity of the same sign, or the same value)."""
    parts = [0.0, -0.0, 1.0, -2.5, np.inf, -np.inf, np.nan]
    v = np.array([complex(a, b) for a in parts for b in parts], dtype=dtype)
    x, y = v[:, None], v[None, :]
    expected = reference(name, x, y)
    with np.errstate(all="ignore"):
        got = np.asarray(getattr(ga, name)(x, y))
    assert got.dtype == expected.dtype
    finite = np.isfinite(expected)
    with np.errstate(all="ignore"):
        close = np.abs(got - expected) <= RTOL[np.dtype(dtype)] * np.abs(expected)
    ok = np.where(finite, close, True)
    for part in (np.real, np.imag):
        g, e = part(got), part(expected)
        ok &= np.where(finite, True, (g == e) | (np.isnan(g) & np.isnan(e)))
    if not ok.all():
        bad = np.argwhere(~ok)
        i, j = bad[0]
        pytest.fail(f"{name}({x[i, 0]}, {y[0, j]}): goarray {got[i, j]}, numpy {expected[i, j]} "
                    f"({len(bad)} of {ok.size} pairs differ)")


@pytest.mark.parametrize("dtype", ["int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64"])
@pytest.mark.parametrize("name", OPS)
def test_integer_edges_and_division_by_zero(name, dtype):
    """Integer wrap-around (add/subtract/multiply at the limits), true
    division by zero giving inf/nan in float64, min/max at the limits."""
    info = np.iinfo(dtype)
    v = np.array(sorted({0, 1, 2, 3, int(info.max), int(info.max) - 1, int(info.min), int(info.min) + 1}
                        | ({-1, -2} if info.min < 0 else set())), dtype=dtype)
    x, y = v[:, None], v[None, :]
    expected = reference(name, x, y)
    got = np.asarray(getattr(ga, name)(x, y))
    assert got.dtype == expected.dtype
    assert_array_equal(got, expected, strict=True)
    if name == "divide":
        with np.errstate(all="ignore"):
            assert_array_equal(np.asarray(ga.divide(v, 0)), np.divide(v, 0), strict=True)
            assert_array_equal(np.asarray(ga.divide(v, np.zeros_like(v))), np.divide(v, np.zeros_like(v)),
                               strict=True)


def test_bool_ops():
    v = np.array([False, True])
    x, y = v[:, None], v[None, :]
    for name in OPS:
        check(name, x, y, x, y)


# ---- refusals before any work ---------------------------------------------------

@pytest.mark.parametrize("name", OPS)
def test_mismatched_shapes(name):
    with pytest.raises(ValueError) as exc:
        getattr(ga, name)(np.ones((2, 3)), np.ones((4,)))
    assert "(2, 3)" in str(exc.value) and "(4,)" in str(exc.value)
    with pytest.raises(ValueError):
        getattr(np, name)(np.ones((2, 3)), np.ones((4,)))


@pytest.mark.parametrize("name", OPS)
def test_float16_and_complex_min_max(name):
    """float16 results and complex minimum/maximum: numpy's values, or the
    documented "not supported yet" TypeError."""
    h = np.array([0.5, -2.0, 65504.0, 1e-7, np.inf], np.float16)
    h2 = np.array([3.0, 0.25, 2.0, 1e-7, 1.0], np.float16)
    check(name, h, h2, h, h2)
    check(name, h, 1.5, h, 1.5)
    check(name, ga.array(h), 3, h, 3)
    # float16 with a wider float is computed in the wider type
    f = np.ones(5, np.float32)
    check(name, h, f, h, f)
    c = np.array([1 + 2j, -1j, 3, 2 + 2j, np.nan], np.complex64)
    check(name, c, c[::-1].copy(), c, c[::-1].copy())


def test_float16_python_scalar_is_cast_to_float16_first():
    """NEP 50: a Python scalar beside a float16 array becomes float16 before
    the operation; 65520 rounds to inf there, so 0 * 65520 is nan in numpy."""
    h = np.array([0.0, 1.0, -2.0], np.float16)
    for name in OPS:
        for s in (65520, 1e5, 0.1, 1 / 3):
            check(name, h, s, h, s)
            check(name, s, h, s, h)


@pytest.mark.parametrize("bad", [np.array(["a", "b"]), np.array([object(), 1], dtype=object),
                                 np.zeros(2, dtype=[("a", "f8")]),
                                 np.array(["2020-01-01"] * 2, dtype="M8[D]")])
def test_unsupported_dtypes_are_typeerrors(bad):
    for name in OPS:
        with pytest.raises(TypeError):
            getattr(ga, name)(bad, np.ones(2))
        with pytest.raises(TypeError):
            getattr(ga, name)(np.ones(2), bad)


# ---- scale ------------------------------------------------------------------------

def scale_factors(dtype):
    """Scalars numpy may multiply an array of dtype by in place: Python
    bool/int/float/complex and numpy scalars of any dtype."""
    dt = np.dtype(dtype)
    if dt.kind in "iu":
        info = np.iinfo(dt)
        ints = st.integers(int(info.min), int(info.max))
    else:
        ints = st.integers(-2**63, 2**63 - 1)
    numpy_scalars = dtypes.flatmap(lambda d: values(d, ())).map(lambda a: a[()])
    return st.one_of(st.booleans(), ints, st.floats(), st.complex_numbers(), numpy_scalars)


def inplace_reference(n, s):
    """numpy's ``n *= s`` on a copy: (result, None) or (None, exception)."""
    r = n.copy()
    try:
        with np.errstate(all="ignore"):
            r *= s
    except Exception as e:  # noqa: BLE001 - the exception type is what we compare
        return None, e
    return r, None


@settings(max_examples=300)
@given(dtype=dtypes, data=st.data(), kind=st.sampled_from(["ga", "ga-strided", "numpy", "numpy-strided"]),
       shape=hnp.array_shapes(min_dims=0, max_dims=3, min_side=0, max_side=4))
def test_scale_matches_inplace_multiply(dtype, data, kind, shape):
    """ga.scale(a, s) is numpy's ``a *= s``: the same values (integer
    wrap-around, float rounding), the same TypeError when s's dtype does
    not cast to a's with same_kind casting (a float into an int array), the
    same OverflowError for a Python int out of the dtype's range."""
    n = data.draw(values(dtype, shape))
    s = data.draw(scale_factors(dtype))
    note(f"s = {s!r} ({type(s).__name__})")
    a = as_kind(n, kind)
    check_scale(a, n, s)


def check_scale(a, n, s):
    """ga.scale(a, s) on a (holding n's values) does what ``n *= s`` does."""
    expected, exc = inplace_reference(n, s)
    if exc is not None:
        with pytest.raises(numpy_error_class(exc)):
            ga.scale(a, s)
        assert_array_equal(np.asarray(a), n, strict=True)
        return
    try:
        r = ga.scale(a, s)
    except TypeError as e:
        # float16 arrays: numpy's values, or the documented refusal, untouched
        if not (n.dtype == np.float16 and "does not support float16 yet" in str(e)):
            raise
        assert_array_equal(np.asarray(a), n, strict=True)
        return
    assert r is a
    assert_same_values(a, expected)


@pytest.mark.parametrize("dtype", [pytest.param(d, id=d.name) for d in DTYPES])
def test_scale_examples(dtype):
    n = (np.arange(24).reshape(4, 6) - 11).astype(dtype)
    for s in (0, 1, 3, -2, True, 2.5, -0.5, 1 + 2j, np.int8(-3), np.uint8(200), np.float32(1.5),
              np.float64(0.1), np.complex64(2j), np.int64(2**40 + 3)):
        for a in (ga.array(n), n.copy(), strided_copy(n, ga), strided_copy(n, np)):
            check_scale(a, n, s)


def test_scale_int_truncation_and_float_refusal():
    a = ga.array(np.array([1, 2, 100], dtype=np.int8))
    ga.scale(a, 3)                      # wraps like numpy: 300 -> 44
    assert np.asarray(a).tolist() == [3, 6, 44]
    with pytest.raises(TypeError, match="same_kind"):
        ga.scale(a, 2.0)                # numpy: a *= 2.0 is a UFuncTypeError
    with pytest.raises(TypeError):
        ga.scale(np.ones(3), 1j)
    with pytest.raises(TypeError):
        ga.scale(3, 2)                  # nothing to multiply in place


@pytest.mark.parametrize("dtype", ["int8", "uint8", "int32", "uint64"])
def test_scale_python_int_out_of_range_overflows_like_numpy(dtype):
    """numpy 2 (NEP 50): ``a *= 300`` on int8 raises OverflowError rather
    than wrapping the Python int."""
    info = np.iinfo(dtype)
    for s in (int(info.max) + 1, int(info.min) - 1):
        n = np.arange(3, dtype=dtype)
        with pytest.raises(OverflowError):
            n *= s
        a = ga.array(np.arange(3, dtype=dtype))
        with pytest.raises(OverflowError):
            ga.scale(a, s)
        assert np.asarray(a).tolist() == [0, 1, 2]


def test_scale_uint64_by_large_python_int():
    n = np.array([0, 1, 3], dtype=np.uint64)
    expected = n.copy()
    expected *= 2**63
    a = ga.array(n)
    ga.scale(a, 2**63)
    assert_array_equal(np.asarray(a), expected, strict=True)


def test_scale_bool_array_like_numpy():
    """numpy: a bool array *= True / False is a logical and in place."""
    for s in (True, False, np.bool_(True)):
        n = np.array([True, False, True])
        expected = n.copy()
        expected *= s
        a = ga.array(n)
        assert ga.scale(a, s) is a
        assert_array_equal(np.asarray(a), expected, strict=True)
    with pytest.raises(TypeError):
        ga.scale(ga.array(np.array([True])), 2)


def test_scale_float32_by_float64_scalar_computes_in_float64():
    """numpy: float32 *= np.float64(s) multiplies in float64 and casts the
    product, so 0 * 1e300 is 0 and 1e-10 * 1e39 is 1e29 (finite)."""
    for s, values_ in [(np.float64(1e300), [0.0, 1.0, -2.0]), (np.float64(1e39), [1e-10, 0.0])]:
        n = np.array(values_, dtype=np.float32)
        expected = n.copy()
        with np.errstate(all="ignore"):
            expected *= s
        a = ga.array(n)
        ga.scale(a, s)
        assert_same_values(a, expected)


def test_scale_large_threads_identical():
    rng = np.random.default_rng(5)
    n = rng.standard_normal((300, 400))
    outs = []
    for t in (1, 2, 3):
        a = ga.array(n)
        ga.scale(a, 1.0 / 3.0, threads=t)
        outs.append(np.asarray(a).tobytes())
    assert outs[0] == outs[1] == outs[2]
    expected = n.copy()
    expected *= 1.0 / 3.0
    assert outs[0] == expected.tobytes()


def test_scale_readonly_refused():
    n = np.ones(3)
    n.flags.writeable = False
    with pytest.raises(ValueError):
        ga.scale(n, 2.0)
    g = ga.ones(3)
    g.flags.writeable = False
    with pytest.raises(ValueError):
        ga.scale(g, 2.0)
    assert np.asarray(g).tolist() == [1.0, 1.0, 1.0]
    with pytest.raises((ValueError, BufferError, TypeError)):
        ga.scale(b"\x00" * 8, 2)


@pytest.mark.parametrize("dt", ["float32", "float64"])
@pytest.mark.parametrize("s", [0.5, -3, 0.999999, 1e-45, float("inf"), float("nan"), 2**53, 2**53 + 1, 2**70, 1e39])
def test_fast_scale_matches_numpy_inplace(dt, s):
    """scale(a, s) of a C-contiguous float goarray array by a Python float
    or int enters Go from C; it gives numpy's a *= s bit for bit (factors
    the fast path does not take, like ints beyond 2**53 or a float32
    overflow, go the general way)."""
    rng = np.random.default_rng(3)
    for n in (1, 17, 5000):
        base = (rng.standard_normal(n) * 100).astype(dt)
        g = ga.array(base)
        want = base.copy()
        with np.errstate(all="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            want *= s
            assert ga.scale(g, s) is g
        assert np.asarray(g).tobytes() == want.tobytes()


def test_python_scalar_operands_out_of_the_dtype_range():
    """The C fast path keeps a Python scalar only where the array's dtype
    holds it exactly; the rest gets numpy's answer or numpy's error."""
    i8 = ga.asarray(np.arange(4, dtype=np.int8))
    with pytest.raises(OverflowError):
        ga.add(i8, 300)
    with pytest.raises(OverflowError):
        i8 + 300
    u8 = ga.asarray(np.arange(4, dtype=np.uint64))
    with pytest.raises(OverflowError):
        ga.subtract(u8, -1)
    assert_array_equal(np.asarray(ga.add(u8, 2**64 - 1)), np.arange(4, dtype=np.uint64) + (2**64 - 1))
    f4 = ga.asarray(np.ones(4, dtype=np.float32))
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        want = np.ones(4, dtype=np.float32) * 1e300
        got = ga.multiply(f4, 1e300)
    assert got.dtype == want.dtype
    assert_array_equal(np.asarray(got), want)
    big = 2**53 + 1        # beyond a double's exact integers: numpy's own conversion
    f8 = ga.asarray(np.zeros(2))
    assert_array_equal(np.asarray(ga.add(f8, big)), np.zeros(2) + big)
    assert ga.add(ga.asarray(np.zeros(2, np.float32)), 1j).dtype == np.complex64
