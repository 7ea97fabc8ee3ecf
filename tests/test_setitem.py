"""Writing with an index: a[idx] = value for scalars, sequences, any buffer
exporter, numpy arrays and goarray arrays, with numpy's broadcasting and
casting; the effect on the whole array is what numpy's is."""
import array as pyarray
import warnings

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import goarray as ga
from conftest import DTYPE_PARAMS, WRITABLE_LAYOUTS, Pair, ga_from, make_pair, sample, strided_pairs


def check_set(p, idx, value, gvalue=None):
    """Assign value (gvalue on the goarray side, if given) and compare owners."""
    gvalue = value if gvalue is None else gvalue
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            p.n[idx] = value
        except Exception as e:
            with pytest.raises(type(e)):
                p.g[idx] = gvalue
            return
        p.g[idx] = gvalue
    assert np.asarray(p.g_owner).tobytes() == p.n_owner.tobytes()


def _pair(n):
    g = ga_from(n)
    return Pair(g, n, g, n)


VALUES = [0, 1, -3, 2.5, True, 1 + 2j, np.float32(7.25), np.int8(-1), np.uint64(2**64 - 1),
          float("nan"), [1, 2, 3, 4], [[1], [2], [3]], np.arange(4), np.arange(12).reshape(3, 4)]


@pytest.mark.parametrize("vi", range(len(VALUES)), ids=[repr(v)[:30] for v in VALUES])
@pytest.mark.parametrize("dt", DTYPE_PARAMS)
def test_assign_values(dt, vi):
    value = VALUES[vi]
    for idx in [Ellipsis, (), slice(None), (slice(None), 1), (1,), (1, 2), (slice(None, None, -1),),
                (slice(None, None, 2), slice(1, None, 2)), (None, Ellipsis), (0, slice(None, None, -1))]:
        check_set(_pair(sample((3, 4), dt)), idx, value)


@pytest.mark.parametrize("layout", WRITABLE_LAYOUTS)
@pytest.mark.parametrize("dt", DTYPE_PARAMS)
def test_assign_whole_layout(dt, layout):
    p = make_pair(layout, dt)
    check_set(p, Ellipsis, np.zeros((), dt))
    p = make_pair(layout, dt)
    src = sample(p.n.shape, dt)[..., ::-1] if p.n.ndim else sample((), dt)
    check_set(p, Ellipsis, src)


@pytest.mark.parametrize("make", [
    lambda n: memoryview(n),
    lambda n: memoryview(n[::-1]),
    lambda n: bytearray(np.real(n).astype("u1").tobytes()),
    lambda n: pyarray.array("d", np.real(n).astype("f8").ravel().tolist()),
    lambda n: ga.array(n),
    lambda n: ga.array(n)[::-1],
    lambda n: ga.broadcast_to(ga.array(n[:1]), n.shape),
    lambda n: n.tolist(),
    lambda n: tuple(n.tolist()),
], ids=["memoryview", "memoryview-neg", "bytearray", "array.array", "goarray", "goarray-view",
        "goarray-broadcast", "list", "tuple"])
def test_assign_from_buffers_and_sequences(make):
    for dt in ["uint8", "int32", "float64", "complex64", "bool"]:
        p = _pair(sample((2, 6), dt))
        src_n = sample((6,), "float64" if dt == "float64" else dt)
        check_set(p, 1, make(src_n))
        p = _pair(sample((2, 6), dt))
        check_set(p, (slice(None), slice(None, None, -1)), make(src_n))


def test_assign_goarray_to_itself_overlapping():
    for shift in [1, -1]:
        n = np.arange(10.0)
        g = ga.array(n)
        if shift > 0:
            n[1:] = n[:-1]
            g[1:] = g[:-1]
        else:
            n[:-1] = n[1:]
            g[:-1] = g[1:]
        assert g.tolist() == n.tolist()
    n = np.arange(12).reshape(3, 4)
    g = ga.array(n)
    n[...] = n[::-1, ::-1]
    g[...] = g[::-1, ::-1]
    assert g.tolist() == n.tolist()
    n = np.arange(16).reshape(4, 4)
    g = ga.array(n)
    n[...] = n.T
    g[...] = g.T
    assert g.tolist() == n.tolist()


@pytest.mark.parametrize("idx,value", [
    ((slice(None), slice(0, 2)), [1, 2, 3]), (0, [1, 2]), (Ellipsis, np.zeros((2, 4))),
    (0, np.zeros((1, 1, 4))),
], ids=["3-into-2", "2-into-4", "shape", "too-many-dims"])
def test_broadcast_errors(idx, value):
    check_set(_pair(np.zeros((3, 4))), idx, value)


ADV_KEYS = [
    [0, 2], ([0, 1], [1, 2]), (slice(None), [3, 0]), np.array([[0], [2]]), [True, False, True],
    "mask", ([2, 2], [1, 1]), (Ellipsis, [0]),
]


@pytest.mark.parametrize("ki", range(len(ADV_KEYS)))
@pytest.mark.parametrize("dt", ["bool", "int8", "uint32", "float16", "complex128"])
def test_assign_advanced(dt, ki):
    for value in [7, [1, 2, 3, 4][:1], np.ones(1, dt)]:
        n = sample((3, 4), dt)
        key = n > n.ravel()[5] if isinstance(ADV_KEYS[ki], str) else ADV_KEYS[ki]
        check_set(_pair(n), key, value)


@given(strided_pairs(), st.data())
def test_random_basic_assignment(p, data):
    if not p.n.flags.writeable:
        return
    idx = data.draw(hnp.basic_indices(p.n.shape, min_dims=0, allow_newaxis=True, allow_ellipsis=True))
    target = p.n[idx]
    shape = np.shape(target)
    value = data.draw(hnp.arrays(p.n.dtype, hnp.broadcastable_shapes(shape, max_dims=len(shape), min_side=0),
                                 elements=hnp.from_dtype(p.n.dtype, allow_nan=False)))
    as_ga = data.draw(st.booleans())
    check_set(p, idx, value, ga.array(value) if as_ga else value)


@given(strided_pairs(), st.data())
def test_random_mask_assignment(p, data):
    mask = data.draw(hnp.arrays(bool, p.n.shape))
    check_set(p, mask, 1)


def test_setitem_out_of_range():
    g = ga.zeros((3, 4))
    for idx in [3, -4, (0, 4), (0, 0, 0), [5], ([0], [9])]:
        with pytest.raises(IndexError):
            g[idx] = 1


def test_delete_is_value_error():
    n = np.zeros(3)
    g = ga.zeros(3)
    with pytest.raises(ValueError):
        del n[0]
    with pytest.raises(ValueError):
        del g[0]
    with pytest.raises(ValueError):
        del g[[0]]


def test_assign_wrong_type_matches_numpy():
    for value in ["abc", object(), None, [1, "a"]]:
        check_set(_pair(np.zeros(3)), 0, value)
        check_set(_pair(np.zeros(3, "i4")), slice(None), value)
