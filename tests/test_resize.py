"""resize(new_shape): in place as numpy's ndarray.resize (kept bytes in memory
order, new elements zero, numpy's layout), refused with BufferError naming the
number of live exports while anything views the storage, refused on views."""
import gc
import re

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import goarray as ga
from conftest import DTYPE_PARAMS, alive_bytes, sample

NEW_SHAPES = [(3, 4), (2,), (0,), (), (4, 3, 2), (6,), (2, 3), (1, 1, 6), (13,), (1000,), 7, (0, 5)]


def _numpy_resized(n, shape):
    n = n.copy(order="K")
    n.resize(shape, refcheck=False)
    return n


@pytest.mark.parametrize("shape", NEW_SHAPES, ids=repr)
@pytest.mark.parametrize("order", ["C", "F"])
@pytest.mark.parametrize("dt", DTYPE_PARAMS)
def test_resize_matches_numpy(dt, order, shape):
    n = sample((2, 3), dt, order)
    g = ga.array(n, order=order)
    assert g.resize(shape) is None
    rn = _numpy_resized(n, shape)
    assert g.shape == rn.shape
    assert g.strides == rn.strides
    assert g.dtype == rn.dtype
    assert np.asarray(g).tobytes() == rn.tobytes()
    if rn.ndim:  # numpy leaves stale contiguity flags on a 0-d result
        assert g.flags.c_contiguous == rn.flags.c_contiguous
        assert g.flags.f_contiguous == rn.flags.f_contiguous
    assert g.flags.owndata


@given(st.lists(st.integers(0, 6), min_size=0, max_size=3), st.lists(st.integers(0, 6), max_size=3),
       st.sampled_from(["C", "F"]))
def test_random_resize(old, new, order):
    n = sample(tuple(old), "int32", order)
    g = ga.array(n, order=order)
    g.resize(tuple(new))
    rn = _numpy_resized(n, tuple(new))
    assert (g.shape, g.strides) == (rn.shape, rn.strides) or rn.size == 0 and g.shape == rn.shape
    assert np.asarray(g).tobytes() == rn.tobytes()


def test_growing_gives_zeros():
    g = ga.empty(3, "int64")
    np.asarray(g)[:] = [7, 8, 9]
    gc.collect()
    g.resize(100_000)
    v = np.asarray(g)
    assert v[:3].tolist() == [7, 8, 9]
    assert not v[3:].any()
    del v
    gc.collect()
    g.resize(2)
    g.resize(5)
    assert g.tolist() == [7, 8, 0, 0, 0]


def test_resize_argument_forms():
    g = ga.zeros(6)
    g.resize(2, 3)
    assert g.shape == (2, 3)
    g.resize([3, 2])
    assert g.shape == (3, 2)
    g.resize((np.int64(6),))
    assert g.shape == (6,)
    assert g.resize(None) is None and g.shape == (6,)


@pytest.mark.parametrize("bad", [(-1,), (2, -3), ((1,) * 65)], ids=["neg", "neg2", "dims"])
def test_resize_errors_match_numpy(bad):
    n = np.zeros(3)
    with pytest.raises(Exception) as e:
        n.resize(bad, refcheck=False)
    g = ga.zeros(3)
    with pytest.raises(e.type):
        g.resize(bad)
    assert g.shape == (3,)


def test_resize_overflowing_shape():
    # numpy's resize raises MemoryError here, its constructors ValueError
    g = ga.arange(3)
    with pytest.raises((ValueError, MemoryError)):
        g.resize((2**62, 2**62))
    assert g.tolist() == [0, 1, 2]


def _expect_busy(g, count):
    with pytest.raises(BufferError) as e:
        g.resize((7,))
    assert re.search(rf"\b{count}\b", str(e.value)), str(e.value)
    return str(e.value)


def test_resize_refused_while_exported():
    g = ga.zeros(6)
    m = memoryview(g)
    _expect_busy(g, 1)
    v = np.asarray(g)
    w = g[2:]
    _expect_busy(g, 3)
    m.release()
    _expect_busy(g, 2)
    del v
    _expect_busy(g, 1)
    del w
    gc.collect()
    g.resize((7,))
    assert g.shape == (7,)


@pytest.mark.parametrize("make_view", [
    lambda g: memoryview(g), lambda g: np.asarray(g), lambda g: g[1:], lambda g: g.T,
    lambda g: g.reshape(-1), lambda g: ga.broadcast_to(g, (2, 6)), lambda g: g.view("u1"),
    lambda g: np.asarray(g[::2])[1:], lambda g: memoryview(g[1:]),
], ids=["memoryview", "numpy", "slice", "T", "reshape", "broadcast", "view", "numpy-of-view", "mv-of-view"])
def test_resize_after_views_die(make_view):
    start = alive_bytes()
    g = ga.arange(6.0)
    v = make_view(g)
    assert g._exports >= 1
    msg = _expect_busy(g, g._exports)
    assert "export" in msg
    assert g.tolist() == [0.0, 1.0, 2.0, 3.0, 4.0, 5.0]
    del v
    gc.collect()
    assert g._exports == 0
    g.resize((8,))
    assert g.tolist() == [0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 0.0, 0.0]
    del g
    assert alive_bytes() == start


def test_resize_on_a_view_raises():
    g = ga.zeros((4, 4))
    n = np.zeros((4, 4))
    for make in [lambda a: a[1:], lambda a: a.T, lambda a: a.reshape(16), lambda a: a[...]]:
        with pytest.raises(ValueError):
            make(n).resize(3, refcheck=False)
        v = make(g)
        with pytest.raises((ValueError, BufferError)):
            v.resize(3)
        assert v.shape == make(n).shape
    with pytest.raises((ValueError, BufferError)):
        ga.broadcast_to(g, (2, 4, 4)).resize(3)


def test_resize_keeps_allocation_accounting():
    start = alive_bytes()
    g = ga.zeros(10, "u1")
    for size in [1000, 10, 5 * 2**20, 0, 64, 70_000]:
        g.resize(size)
        assert g.nbytes == size
        assert ga._allocated_bytes() >= start + size
    del g
    assert alive_bytes() == start


def test_resize_read_only_and_pinned():
    g = ga.zeros(4)
    g.__array_interface__
    with pytest.raises(BufferError):
        g.resize(8)
