"""Constructors: empty, zeros, ones, full, arange, array, asarray and the
*_like functions, compared with numpy's (dtype, shape, strides, values)."""
import array as pyarray
import warnings

import numpy as np
import pytest
from hypothesis import given

import goarray as ga
from conftest import DTYPE_PARAMS, LAYOUT_NAMES, assert_matches, assert_values, make_pair, strided_pairs

SHAPES = [3, (3,), (2, 3), (2, 3, 4), (), (1,), (1, 1), [2, 3], np.int64(4), (np.int32(2), 3),
          (4, 1, 2)]
SHAPE_IDS = [repr(s) for s in SHAPES]
ORDERS = ["C", "F"]


def _nonempty(shape):
    return np.empty(shape, "u1").size > 0


# ---- empty / zeros / ones / full ---------------------------------------------

@pytest.mark.parametrize("order", ORDERS)
@pytest.mark.parametrize("shape", SHAPES, ids=SHAPE_IDS)
@pytest.mark.parametrize("dt", DTYPE_PARAMS)
def test_empty(dt, shape, order):
    g = ga.empty(shape, dt, order)
    n = np.empty(shape, dt, order)
    assert isinstance(g, ga.Array)
    assert (g.shape, g.strides, g.dtype, g.ndim, g.size, g.nbytes) == \
        (n.shape, n.strides, n.dtype, n.ndim, n.size, n.nbytes)
    assert g.flags.c_contiguous == n.flags.c_contiguous
    assert g.flags.f_contiguous == n.flags.f_contiguous
    assert g.flags.owndata and g.flags.writeable and g.base is None


@pytest.mark.parametrize("order", ORDERS)
@pytest.mark.parametrize("shape", SHAPES, ids=SHAPE_IDS)
@pytest.mark.parametrize("dt", DTYPE_PARAMS)
def test_zeros_and_ones(dt, shape, order):
    assert_matches(ga.zeros(shape, dt, order), np.zeros(shape, dt, order))
    assert_matches(ga.ones(shape, dt, order), np.ones(shape, dt, order))


def test_keyword_arguments_and_defaults():
    for f, nf in [(ga.empty, np.empty), (ga.zeros, np.zeros), (ga.ones, np.ones)]:
        g = f(shape=(2, 3), dtype="int16", order="F")
        n = nf(shape=(2, 3), dtype="int16", order="F")
        assert (g.shape, g.strides, g.dtype) == (n.shape, n.strides, n.dtype)
        assert f(4).dtype == nf(4).dtype == np.float64
        assert f(4, None).dtype == nf(4, None).dtype


@pytest.mark.parametrize("order", ["K", "A", "X", "c ", 1])
def test_bad_order(order):
    with pytest.raises((ValueError, TypeError)) as n_err:
        np.empty(3, order=order)
    for f in (ga.empty, ga.zeros, ga.ones):
        with pytest.raises(n_err.type):
            f(3, order=order)


FILLS = [0, 1, -1, 7, 2.5, -0.0, float("nan"), float("inf"), True, False, 1 + 2j, np.float32(1.5),
         np.int8(-3), np.uint16(7), np.float16(0.5), np.complex64(1j), [1, 2, 3], [[1.5], [2.5]],
         np.arange(3, dtype="i2")]


@pytest.mark.parametrize("fill", FILLS, ids=[repr(f) for f in FILLS])
def test_full_dtype_inference(fill):
    shape = (2, 3)
    n = np.full(shape, fill)
    g = ga.full(shape, fill)
    assert_matches(g, n)


@pytest.mark.parametrize("fill", [0, 3, 2.75, -1.5, -1, True, 1 + 1j, [0, 1, 2]],
                         ids=lambda f: repr(f))
@pytest.mark.parametrize("dt", DTYPE_PARAMS)
def test_full_with_dtype(dt, fill):
    for order in ORDERS:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                n = np.full((2, 3), fill, dtype=dt, order=order)
            except Exception as e:
                with pytest.raises(type(e)):
                    ga.full((2, 3), fill, dtype=dt, order=order)
                continue
            g = ga.full((2, 3), fill, dtype=dt, order=order)
        assert_matches(g, n)


def test_full_broadcast_error():
    with pytest.raises(ValueError):
        np.full((2, 3), [1, 2])
    with pytest.raises(ValueError):
        ga.full((2, 3), [1, 2])


# ---- arange --------------------------------------------------------------------

ARANGES = [((5,), {}), ((1, 7, 2), {}), ((5, 0, -1), {}), ((0, 1, 0.25), {}), ((2.5,), {}),
           ((-3, 3), {}), ((1, 1), {}), ((0,), {}), ((10,), {"dtype": "f4"}),
           ((0, 10, 3), {"dtype": "u1"}), ((3,), {"dtype": "complex64"}), ((2,), {"dtype": bool}),
           ((-4, 4), {"dtype": np.int8}), ((0, 5), {"step": 2}), ((1,), {"stop": 4}),
           ((np.int16(2), np.int16(9)), {}), ((0, 2, 0.5), {"dtype": "float16"}),
           ((3, 0), {}), ((0, 3, 1), {"dtype": "c16"})]


@pytest.mark.parametrize("args,kw", ARANGES, ids=[f"{a}{k}" for a, k in ARANGES])
def test_arange(args, kw):
    n = np.arange(*args, **kw)
    g = ga.arange(*args, **kw)
    assert_matches(g, n)
    assert g.flags.owndata


@pytest.mark.parametrize("args", [(0, 5, 0), (1, 2, 0.0)])
def test_arange_zero_step(args):
    with pytest.raises(Exception) as e:
        np.arange(*args)
    with pytest.raises(e.type):
        ga.arange(*args)


# ---- array / asarray --------------------------------------------------------------

OBJECTS = [
    [1, 2, 3], [[1.5, 2], [3, 4]], [True, False], [1 + 2j, 3], [[[1]], [[2]]], 3, 2.5, True, 1j,
    np.float32(1.25), np.int16(-7), np.uint64(2**63), [], [[], []], (1, 2), [np.int8(1), np.int8(2)],
    [1, 2.5], [[1, 2], [3, 4.5j]], [2**63], [-2**63], range(5), [np.float16(1), 2], [1, float("nan")],
    [-1, 2**63],
]


def test_array_from_nested_goarrays():
    g = ga.arange(3.0)
    for obj in [[g, g], (g[0], g[1]), [g[::-1], g], g[1, ...]]:
        assert_matches(ga.array(obj), np.array(obj))


@pytest.mark.parametrize("obj", [[[1, 2], [3]], [2**64], [1, "a"], "abc", None, [None], object()], ids=repr)
def test_array_refusals_match_numpy_or_are_type_errors(obj):
    """What numpy refuses goarray refuses the same way; what numpy can only
    hold as object/str arrays goarray refuses with TypeError."""
    try:
        n = np.array(obj)
    except Exception as e:
        with pytest.raises(type(e)):
            ga.array(obj)
        return
    assert n.dtype.kind in "OUSV"
    with pytest.raises(TypeError):
        ga.array(obj)


@pytest.mark.parametrize("obj", OBJECTS, ids=[repr(o) for o in OBJECTS])
def test_array_from_python(obj):
    n = np.array(obj)
    g = ga.array(obj)
    assert_matches(g, n)
    assert g.flags.owndata and g.base is None


@pytest.mark.parametrize("dt", DTYPE_PARAMS)
@pytest.mark.parametrize("obj", [[0, 1, 2], [[1, 0], [3, 4]], 5, [[0.0, 1.0]]], ids=repr)
def test_array_from_python_with_dtype(obj, dt):
    assert_matches(ga.array(obj, dtype=dt), np.array(obj, dtype=dt))
    assert_matches(ga.asarray(obj, dtype=dt), np.asarray(obj, dtype=dt))


@pytest.mark.parametrize("order", ["C", "F", "A", "K", None])
@pytest.mark.parametrize("obj", [[[1, 2, 3], [4, 5, 6]], [[[1, 2], [3, 4]], [[5, 6], [7, 8]]], [1, 2]],
                         ids=["2d", "3d", "1d"])
def test_array_from_list_order(obj, order):
    assert_matches(ga.array(obj, order=order), np.array(obj, order=order))


@pytest.mark.parametrize("layout", LAYOUT_NAMES)
@pytest.mark.parametrize("dt", DTYPE_PARAMS)
def test_array_from_numpy_copies(dt, layout):
    p = make_pair(layout, dt)
    for order in ["K", "C", "F", "A"]:
        g = ga.array(p.n, order=order)
        n = np.array(p.n, order=order)
        assert_matches(g, n)
        assert g.flags.owndata and g.flags.writeable and g.base is None
        if n.size:
            assert not np.shares_memory(np.asarray(g), p.n)


@pytest.mark.parametrize("layout", LAYOUT_NAMES)
@pytest.mark.parametrize("dt", DTYPE_PARAMS)
def test_array_from_goarray_copies(dt, layout):
    p = make_pair(layout, dt)
    for order in ["K", "C", "F", "A"]:
        g = ga.array(p.g, order=order)
        n = np.array(p.n, order=order)
        assert g is not p.g
        assert_matches(g, n)
        assert g.flags.owndata and g.flags.writeable
        if n.size:
            assert not np.shares_memory(np.asarray(g), np.asarray(p.g_owner))


@given(strided_pairs())
def test_array_keeps_numpy_order_K(p):
    g = ga.array(p.n)
    assert_matches(g, np.array(p.n))
    g2 = ga.array(p.g)
    assert_matches(g2, np.array(p.n))


@pytest.mark.parametrize("make", [
    lambda: bytearray(b"\x01\x02\x03"),
    lambda: pyarray.array("d", [1.5, 2.5]),
    lambda: pyarray.array("h", [-1, 2, 3]),
    lambda: memoryview(np.arange(6, dtype="i4").reshape(2, 3)),
    lambda: memoryview(np.arange(12, dtype="f8").reshape(3, 4)[::2, ::-1]),
    lambda: memoryview(np.arange(6, dtype="u2")).cast("B"),
], ids=["bytearray", "array-d", "array-h", "memoryview", "memoryview-strided", "cast-B"])
def test_array_from_buffer_exporters(make):
    obj = make()
    n = np.array(obj)
    g = ga.array(obj)
    assert_matches(g, n)
    assert not np.shares_memory(np.asarray(g), np.asarray(obj))


def test_array_from_testbuffer_exporter(testbuffer):
    ex = testbuffer.ndarray(list(range(12)), shape=[3, 4], format="i")
    assert_matches(ga.array(ex), np.array(ex))


def test_array_from_big_endian_converts_values():
    n = np.arange(5, dtype=">i4")
    g = ga.array(n)
    assert g.dtype == np.dtype("int32")
    assert g.tolist() == n.tolist()


@pytest.mark.parametrize("dt", DTYPE_PARAMS)
def test_asarray_returns_same_object(dt):
    g = ga.zeros(3, dt)
    assert ga.asarray(g) is g
    assert ga.asarray(g, dtype=dt) is g
    assert ga.asarray(g, dtype=dt.name) is g
    assert ga.asarray(g, dtype=dt.type) is g
    other = np.dtype("int8") if dt != np.dtype("int8") else np.dtype("int16")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", np.exceptions.ComplexWarning)
        h = ga.asarray(g, dtype=other)
    assert h is not g and h.dtype == other
    assert_matches(h, np.zeros(3, other))


def test_asarray_of_views_and_numpy():
    g = ga.arange(10.0)
    v = g[::2]
    assert ga.asarray(v) is v
    n = np.arange(4.0)
    a = ga.asarray(n)  # a buffer of a matching dtype is viewed in place
    assert isinstance(a, ga.Array) and np.shares_memory(np.asarray(a), n) and a.base is n
    assert_matches(a, n)
    c = ga.asarray(n, dtype="f4")  # converting copies into Go memory
    assert c.flags.owndata and not np.shares_memory(np.asarray(c), n)


def test_array_copy_argument():
    g = ga.arange(4)
    assert ga.array(g, copy=False) is g
    assert ga.array(g, copy=None) is g
    assert ga.array(g, copy=True) is not g
    with pytest.raises(ValueError):
        ga.array(g, dtype="f4", copy=False)
    assert ga.array(g, dtype="f4", copy=None).dtype == np.float32


# ---- *_like ------------------------------------------------------------------------

@pytest.mark.parametrize("layout", ["c2", "f2", "T", "perm3", "step", "neg", "0d", "bcast-row"])
def test_like_functions(layout):
    p = make_pair(layout, "float32")
    for order in ["K", "C", "F", "A"]:
        for gf, nf, extra in [(ga.empty_like, np.empty_like, ()), (ga.zeros_like, np.zeros_like, ()),
                              (ga.ones_like, np.ones_like, ()), (ga.full_like, np.full_like, (7,))]:
            g = gf(p.g, *extra, order=order)
            n = nf(p.n, *extra, order=order)
            assert (g.shape, g.dtype) == (n.shape, n.dtype), (gf.__name__, order)
            if n.size:
                assert g.strides == n.strides, (gf.__name__, order)
            if gf is not ga.empty_like:
                assert_values(g, n)
            assert g.flags.owndata and g.flags.writeable
    assert ga.zeros_like(p.g, dtype="i2").dtype == np.int16


# ---- zero-size arrays -------------------------------------------------------------

ZERO_SHAPES = [(0,), (3, 0), (0, 3), (2, 0, 3), (1, 0), (0, 1)]


@pytest.mark.parametrize("order", ORDERS)
@pytest.mark.parametrize("shape", ZERO_SHAPES, ids=repr)
def test_zero_size_strides(shape, order):
    """New empty arrays have numpy's strides (numpy 2.4 gives 0 strides)."""
    for gf, nf in [(ga.empty, np.empty), (ga.zeros, np.zeros), (ga.ones, np.ones)]:
        assert gf(shape, "f8", order).strides == nf(shape, "f8", order).strides, gf.__name__
    assert ga.full(shape, 1.0, order=order).strides == np.full(shape, 1.0, order=order).strides
    n = np.zeros(shape, order=order)
    assert ga.array(n).strides == np.array(n).strides
    assert ga.array(n).copy().strides == np.array(n).copy().strides


SHAPE_OBJECTS = [np.array([2, 3]), np.array(3), np.array([4], dtype=np.uint8), range(2, 4), (True, 2), True,
                 np.bool_(True), [np.uint64(2)], np.float64(2.0), (2.0,), "3", b"3", None, (None,), [[2]],
                 {2: 1}, (2, np.int8(-1)), np.int16(0), (np.intp(1),) * 3]


@pytest.mark.parametrize("shape", SHAPE_OBJECTS, ids=[repr(s) for s in SHAPE_OBJECTS])
def test_shape_argument_forms_match_numpy(shape):
    for gf, nf in [(ga.empty, np.empty), (ga.zeros, np.zeros), (ga.ones, np.ones),
                   (lambda s: ga.full(s, 1.0), lambda s: np.full(s, 1.0))]:
        try:
            n = nf(shape)
        except Exception as e:
            with pytest.raises(type(e)):
                gf(shape)
            continue
        g = gf(shape)
        assert g.shape == n.shape and g.dtype == n.dtype
