"""Reading with an index: basic indexing (integers, slices with any step,
..., None) gives a goarray view with numpy's shape, strides and values;
integer-only indexing gives numpy's scalar; integer-array and boolean indexing
gives a Go-backed copy; bad indices raise numpy's exception."""
import warnings

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import goarray as ga
from conftest import DTYPE_PARAMS, Pair, assert_matches, ga_from, sample, strided_layouts, strided_pairs


def _owner_offset(a, owner):
    return np.asarray(a).__array_interface__["data"][0] - np.asarray(owner).__array_interface__["data"][0]


def check_basic(p, idx):
    g, n = p.g, p.n
    try:
        rn = n[idx]
    except IndexError:
        with pytest.raises(IndexError):
            g[idx]
        return
    rg = g[idx]
    if not isinstance(rn, np.ndarray):
        assert type(rg) is type(rn), (type(rg), type(rn))
        assert rg.tobytes() == rn.tobytes()
        return
    assert isinstance(rg, ga.Array)
    assert rg.shape == rn.shape
    if p.n_owner.size:  # numpy 2.4 gives new empty arrays 0 strides: test_creation.py
        assert rg.strides == rn.strides
    assert rg.dtype == rn.dtype
    assert np.asarray(rg).tobytes() == rn.tobytes()
    assert rg.base is p.g_owner
    assert rg.flags.writeable == rn.flags.writeable
    if rn.size:
        assert np.shares_memory(np.asarray(rg), np.asarray(p.g_owner))
        assert _owner_offset(rg, p.g_owner) == \
            rn.__array_interface__["data"][0] - p.n_owner.__array_interface__["data"][0]


@given(st.data())
def test_random_basic_index(data):
    lay = data.draw(strided_layouts())
    p = lay.build()
    idx = data.draw(hnp.basic_indices(p.n.shape, min_dims=0, allow_newaxis=True, allow_ellipsis=True))
    check_basic(p, idx)


@given(st.data())
def test_random_basic_index_of_contiguous_arrays(data):
    shape = data.draw(hnp.array_shapes(min_dims=0, max_dims=4, min_side=0, max_side=6))
    dt = data.draw(st.sampled_from(["bool", "int8", "uint16", "float32", "complex128"]))
    n = sample(shape, dt)
    g = ga_from(n)
    p = Pair(g, n, g, n)
    idx = data.draw(hnp.basic_indices(shape, min_dims=0, allow_newaxis=True, allow_ellipsis=True))
    check_basic(p, idx)


SLICE_CASES = [
    slice(None), slice(1, None), slice(None, -1), slice(None, None, -1), slice(None, None, 2),
    slice(None, None, -2), slice(-2, None, -3), slice(5, 1, -1), slice(-100, 100), slice(100, -100, -1),
    slice(3, 3), slice(4, 2), slice(2, 5, -1), slice(1, 1, 2), slice(1, 1, -3), slice(7, 7, -1),
    slice(0, 0, 5), slice(-1, -8, -2), slice(None, 0, -1), slice(0, None, 100),
]


@pytest.mark.parametrize("s", SLICE_CASES, ids=[f"{s.start}:{s.stop}:{s.step}" for s in SLICE_CASES])
def test_slices_1d(s):
    n = sample((7,), "int64")
    g = ga_from(n)
    check_basic(_pair(g, n), s)
    check_basic(_pair(g, n), (s, None))
    n2 = sample((4, 7), "float32")
    g2 = ga_from(n2)
    check_basic(_pair(g2, n2), (slice(None), s))
    check_basic(_pair(g2, n2), (Ellipsis, s))


def _pair(g, n):
    return Pair(g, n, g, n)


@pytest.mark.parametrize("dt", DTYPE_PARAMS)
def test_integer_indexing_gives_numpy_scalars(dt):
    n = sample((3, 4), dt)
    g = ga_from(n)
    for idx in [(0, 0), (2, 3), (-1, -1), (1, -4), (np.int64(1), np.uint8(2)), (np.intp(-2), 0)]:
        assert type(g[idx]) is type(n[idx])
        assert g[idx] == n[idx] or (g[idx] != g[idx] and n[idx] != n[idx])
    z = ga_from(sample((), dt))
    nz = sample((), dt)
    assert type(z[()]) is type(nz[()])
    assert z[()] == nz[()]
    e = z[...]
    assert isinstance(e, ga.Array) and e.shape == () and e.base is z
    one = g[1, 2, ...]
    assert isinstance(one, ga.Array) and one.shape == () and np.asarray(one) == n[1, 2]
    assert isinstance(g[0], ga.Array)


def test_index_objects():
    n = np.arange(24).reshape(2, 3, 4)
    g = ga.array(n)

    class Idx:
        def __index__(self):
            return 1

    for idx in [Idx(), (Idx(), Idx()), np.int8(1), (0, np.uint64(2)), (slice(np.int64(1), None),),
                (slice(None, None, np.int16(-1)), 0), ()]:
        check_basic(_pair(g, n), idx)


OUT_OF_RANGE = [5, -6, (0, 4), (0, -5), (1, 2, 3), (0, 0, 0), (Ellipsis, 4), (None, 5), -(2**63) - 1, 2**100,
                (0, 0, None, 0)]


@pytest.mark.parametrize("idx", OUT_OF_RANGE, ids=repr)
def test_out_of_range_is_index_error(idx):
    n = np.arange(20).reshape(5, 4)
    g = ga.array(n)
    with pytest.raises(IndexError):
        n[idx]
    with pytest.raises(IndexError):
        g[idx]
    with pytest.raises(IndexError):
        g[idx] = 1


@pytest.mark.parametrize("idx", [2**63, (0, 2**63), 1.5, "a", (0, 1.0), (Ellipsis, Ellipsis), {1: 2}, (0, "x"), [1.5],
                                 slice(0, 1.5), slice("a", None)], ids=repr)
def test_bad_index_types_match_numpy(idx):
    n = np.arange(20).reshape(5, 4)
    g = ga.array(n)
    with pytest.raises(Exception) as e:
        n[idx]
    with pytest.raises(e.type):
        g[idx]


def test_index_on_0d():
    n = np.array(5.0)
    g = ga.array(n)
    for idx in [0, (0,), slice(None)]:
        with pytest.raises(IndexError):
            n[idx]
        with pytest.raises(IndexError):
            g[idx]
    check_basic(_pair(g, n), None)
    check_basic(_pair(g, n), (None, Ellipsis, None))


def test_zero_step_is_value_error():
    n = np.arange(5)
    g = ga.array(n)
    with pytest.raises(ValueError):
        n[::0]
    with pytest.raises(ValueError):
        g[::0]


# ---- advanced indexing ---------------------------------------------------------

def _adv_keys(n):
    return [
        [0, 2], [[0, 1], [1, 0]], np.array([2, -1, 0]), (slice(None), [0, 2]), ([0, 1], [1, 2]),
        ([True, False, True, False],), n > 4, (n > 4)[:, 0], np.array([], dtype=np.intp),
        (Ellipsis, [1]), ([1], Ellipsis, None), (1, [0, 2]), ([0, 0, 0],), True, False,
        ga.array([1, 0]), (slice(None, None, -1), [2, 0]), np.array(1), (np.array([[0], [1]]), [0, 2, 3]),
    ]


@pytest.mark.parametrize("k", range(19))
@pytest.mark.parametrize("dt", ["bool", "int16", "uint64", "float16", "complex64"])
def test_advanced_indexing_copies(dt, k):
    n = sample((4, 5), dt)
    g = ga_from(n)
    key = _adv_keys(n)[k]
    nkey = np.asarray(key) if isinstance(key, ga.Array) else key
    rn = n[nkey]
    rg = g[key]
    if not isinstance(rn, np.ndarray):
        assert type(rg) is type(rn)
        assert rg == rn
        return
    assert isinstance(rg, ga.Array), type(rg)
    assert rg.shape == rn.shape and rg.dtype == rn.dtype
    if rn.size:
        assert rg.strides == rn.strides
    assert np.asarray(rg).tobytes() == rn.tobytes()
    assert rg.flags.writeable
    if rn.size and np.shares_memory(rn, n):
        # numpy treats this key as basic indexing (a 0-d integer array is an
        # integer): goarray gives a view too.
        assert np.shares_memory(np.asarray(rg), np.asarray(g))
        return
    if rn.size:
        assert not np.shares_memory(np.asarray(rg), np.asarray(g))
    # a copy: writing to it leaves the source alone
    before = np.asarray(g).copy()
    if rg.size:
        np.asarray(rg)[...] = np.zeros((), dt)
    assert np.asarray(g).tobytes() == before.tobytes()


@pytest.mark.parametrize("key", [[5], [-6], ([0], [9]), np.array([[4, 5]]), [True, False],
                                 np.ones((4, 6), bool)], ids=repr)
def test_advanced_out_of_range_is_index_error(key):
    n = np.arange(20).reshape(5, 4)
    g = ga.array(n)
    with pytest.raises(IndexError):
        n[key]
    with pytest.raises(IndexError):
        g[key]


@given(strided_pairs(), st.data())
def test_random_mask_indexing(p, data):
    mask = data.draw(hnp.arrays(bool, p.n.shape))
    key = ga.array(mask) if data.draw(st.booleans()) else mask
    rn = p.n[key]  # numpy given the very same key object
    rg = p.g[key]
    assert isinstance(rg, ga.Array)
    assert_matches(rg, rn)


@given(strided_pairs(), st.data())
def test_random_integer_array_indexing(p, data):
    if p.n.ndim == 0:
        return
    axis_len = p.n.shape[0]
    ints = data.draw(st.lists(st.integers(-axis_len, axis_len - 1), max_size=6)) if axis_len else []
    key = np.array(ints, dtype=np.intp)
    rg, rn = p.g[key], p.n[key]
    assert isinstance(rg, ga.Array)
    assert_matches(rg, rn, strides=p.n_owner.size > 0)


def test_getitem_on_views_of_views():
    n = np.arange(60.0).reshape(3, 4, 5)
    g = ga.array(n)
    gv, nv = g, n
    for idx in [(slice(None, None, -1),), (Ellipsis, slice(1, None, 2)), (None, 1), (slice(None), 0)]:
        gv, nv = gv[idx], nv[idx]
        assert_matches(gv, nv)
        assert gv.base is g


@given(strided_pairs(min_side=1))
def test_ellipsis_and_empty_tuple_are_views(p):
    for idx in [Ellipsis, (), (Ellipsis, None)]:
        rn = p.n[idx]
        rg = p.g[idx]
        if isinstance(rn, np.ndarray):
            assert isinstance(rg, ga.Array)
            assert_matches(rg, rn)
        else:
            assert type(rg) is type(rn)


SPECIAL_BITS = {
    "float16": ("u2", [0x7C01, 0xFE00, 0x8000, 0x0001, 0x7BFF, 0xFC00]),
    "float32": ("u4", [0x7F800001, 0xFFC00123, 0x80000000, 0x00000001, 0x7F7FFFFF, 0xFF800000]),
    "float64": ("u8", [0x7FF0000000000001, 0xFFF8000000000123, 0x8000000000000000, 1, 0x7FEFFFFFFFFFFFFF]),
    "complex64": ("u4", [0x7F800001, 0x7F800002, 0x80000000, 0x00000001]),
    "complex128": ("u8", [0x7FF0000000000001, 0x8000000000000000, 1, 0xFFF8000000000123]),
    "int64": ("u8", [0x8000000000000000, 0x7FFFFFFFFFFFFFFF, 0xFFFFFFFFFFFFFFFF]),
    "uint64": ("u8", [0xFFFFFFFFFFFFFFFF, 0x8000000000000000]),
    "int8": ("u1", [0x80, 0x7F, 0xFF]),
    "uint32": ("u4", [0xFFFFFFFF]),
}


@pytest.mark.parametrize("dt", list(SPECIAL_BITS))
def test_scalars_keep_exact_bits(dt):
    """Signalling NaNs, NaN payloads, -0.0, subnormals and extreme integers
    come back bit for bit, as numpy's scalars do."""
    raw, bits = SPECIAL_BITS[dt]
    n = np.array(bits, dtype=raw).view(dt)
    g = ga.array(n)
    for i in range(n.size):
        assert type(g[i]) is type(n[i])
        assert g[i].tobytes() == n[i].tobytes(), (i, g[i].tobytes().hex(), n[i].tobytes().hex())
        assert g[i, ...].tobytes() == n[i, ...].tobytes()
    assert g.tolist().__repr__() == n.tolist().__repr__()
    n2 = n.reshape(1, -1)
    g2 = ga.array(n2)
    for j in range(n.size):
        assert g2[0, j].tobytes() == n2[0, j].tobytes()
        assert g2[-1, -1 - j].tobytes() == n2[-1, -1 - j].tobytes()


@pytest.mark.parametrize("dt", ["bool", "int64", "float32", "float64", "complex128", "int8", "uint64"])
def test_scalar_assignment_fast_values(dt):
    """Python scalars stored element by element convert as numpy converts them."""
    values = [0, 1, -1, 2**63 - 1, -2**63, 2**64 - 1, 2**70, 0.5, -0.0, 1e300, -1e300, float("nan"),
              float("inf"), 3.4028235e38, 3.4028236e38, 1e-45, True, False, 1.5 + 2j, np.float32(0.1)]
    for v in values:
        n = np.zeros(3, dt)
        g = ga.zeros(3, dt)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                n[1] = v
            except Exception as e:
                with pytest.raises(type(e)):
                    g[1] = v
                continue
            g[1] = v
        assert np.asarray(g).tobytes() == n.tobytes(), (dt, v)


@st.composite
def _many_dim_shapes(draw):
    ndim = draw(st.integers(5, 32))
    shape = draw(st.lists(st.sampled_from([1, 1, 1, 2, 3, 0]), min_size=ndim, max_size=ndim))
    while np.prod(shape, dtype=np.int64) > 4096:
        shape[shape.index(max(shape))] = 1
    return tuple(shape)


@given(_many_dim_shapes(), st.data())
def test_random_index_many_dimensions(shape, data):
    n = sample(shape, "int16")
    g = ga_from(n)
    idx = data.draw(hnp.basic_indices(shape, min_dims=0, max_dims=32, allow_newaxis=True,
                                      allow_ellipsis=True))
    check_basic(Pair(g, n, g, n), idx)
