"""ga.broadcast_to: a read-only view with numpy's shape and (zero) strides,
numpy's errors, and no way to make it writable."""
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import goarray as ga
from conftest import DTYPE_PARAMS, assert_matches, sample, strided_pairs


@pytest.mark.parametrize("src,shape", [
    ((), (3,)), ((), ()), ((), (2, 0)), ((1,), (4,)), ((3,), (2, 3)), ((3, 1), (3, 5)), ((1, 4), (2, 3, 4)),
    ((2, 1, 3), (2, 4, 3)), ((0,), (2, 0)), ((1,), (0,)), ((2, 3), (2, 3)), ((3,), 3), ((1,), 5),
    ((1, 3), (1, 3)), ((1,), (2, 1)),
], ids=repr)
@pytest.mark.parametrize("dt", DTYPE_PARAMS)
def test_broadcast_matches_numpy(dt, src, shape):
    n = sample(src, dt)
    g = ga.array(n)
    bn = np.broadcast_to(n, shape)
    bg = ga.broadcast_to(g, shape)
    assert_matches(bg, bn, strides=n.size > 0)
    assert bg.base is g
    assert not bg.flags.writeable
    if bn.size:
        assert np.shares_memory(np.asarray(bg), np.asarray(g))
    assert np.asarray(bg).flags.writeable is False


@given(strided_pairs(), st.data())
def test_random_broadcast(p, data):
    shape = data.draw(hnp.broadcastable_shapes(p.n.shape, min_side=0))
    target = np.broadcast_shapes(shape, p.n.shape)
    bn = np.broadcast_to(p.n, target)
    bg = ga.broadcast_to(p.g, target)
    assert_matches(bg, bn, strides=p.n_owner.size > 0)
    assert bg.base is p.g_owner and not bg.flags.writeable


@pytest.mark.parametrize("src,shape", [((3,), (4,)), ((2, 3), (3,)), ((2, 3), (3, 2)), ((3,), (-1,)),
                                       ((2,), (2, -3)), ((1,), (2**62, 2**62))], ids=repr)
def test_broadcast_errors_match_numpy(src, shape):
    n = np.zeros(src)
    with pytest.raises(Exception) as e:
        np.broadcast_to(n, shape)
    with pytest.raises(e.type):
        ga.broadcast_to(ga.array(n), shape)


def test_broadcast_is_read_only_for_good():
    g = ga.arange(3.0)
    b = ga.broadcast_to(g, (4, 3))
    with pytest.raises(ValueError):
        b[0, 0] = 1.0
    with pytest.raises(ValueError):
        b.flags.writeable = True
    with pytest.raises(ValueError):
        np.asarray(b)[0, 0] = 1.0
    with pytest.raises(BufferError):
        _writable_request(b)
    for v in [b[1:], b.T, b[0], b[None], b.reshape(4, 1, 3), b.view("int64")]:
        assert not v.flags.writeable
        with pytest.raises(ValueError):
            v.flags.writeable = True
    with pytest.raises(ValueError):
        b.fill(2.0)
    assert g.tolist() == [0.0, 1.0, 2.0]
    assert g.flags.writeable


def _writable_request(obj):
    tb = pytest.importorskip("_testbuffer")
    tb.ndarray(obj, getbuf=tb.PyBUF_FULL)


def test_broadcast_of_numpy_input():
    n = np.arange(3)
    b = ga.broadcast_to(n, (2, 3))
    assert isinstance(b, ga.Array)
    assert_matches(b, np.broadcast_to(n, (2, 3)))


def test_broadcast_keeps_source_alive():
    b = ga.broadcast_to(ga.arange(3), (2, 3))
    import gc
    gc.collect()
    assert b.tolist() == [[0, 1, 2], [0, 1, 2]]
