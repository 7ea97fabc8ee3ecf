"""__array_interface__: version 3, numpy's typestr/descr/shape/strides, the
data address and read-only flag; reading it pins the storage for good."""
import gc

import numpy as np
import pytest

import goarray as ga
from conftest import DTYPE_PARAMS, LAYOUT_NAMES, make_pair


@pytest.mark.parametrize("layout", LAYOUT_NAMES)
@pytest.mark.parametrize("dt", DTYPE_PARAMS)
def test_interface_matches_numpy(dt, layout):
    p = make_pair(layout, dt)
    gi = p.g.__array_interface__
    ni = p.n.__array_interface__
    assert gi["version"] == 3
    assert gi["typestr"] == dt.str == ni["typestr"]
    assert gi["descr"] == ni["descr"]
    assert gi["shape"] == ni["shape"]
    if p.n_owner.size > 0:  # strides of new empty arrays: see test_creation.py
        assert gi["strides"] == ni["strides"]
    if p.g.flags.c_contiguous:
        assert gi["strides"] is None
    else:
        assert gi["strides"] == p.g.strides
    address, readonly = gi["data"]
    assert address == p.g._data
    assert readonly == (not p.n.flags.writeable) == ni["data"][1]
    if p.n.size:
        offset = address - p.g_owner.__array_interface__["data"][0]
        assert offset == ni["data"][0] - p.n_owner.__array_interface__["data"][0]


@pytest.mark.parametrize("layout", LAYOUT_NAMES)
@pytest.mark.parametrize("dt", DTYPE_PARAMS)
def test_numpy_through_interface(dt, layout):
    """A consumer that only knows __array_interface__ sees the same array."""
    p = make_pair(layout, dt)

    class OnlyInterface:
        def __init__(self, a):
            self.__array_interface__ = a.__array_interface__
            self.keep = a

    v = np.asarray(OnlyInterface(p.g))
    ref = np.asarray(OnlyInterface(p.n))
    assert v.shape == ref.shape and v.dtype == ref.dtype == dt
    if p.n_owner.size:
        assert v.strides == ref.strides
    if p.n.size:
        assert np.shares_memory(v, p.g_owner)
    assert v.tobytes() == ref.tobytes()
    assert v.flags.writeable == ref.flags.writeable


def test_readonly_flag_in_interface():
    g = ga.zeros(3)
    assert g.__array_interface__["data"][1] is False
    g.flags.writeable = False
    assert g.__array_interface__["data"][1] is True


def test_reading_interface_pins_resize_forever():
    g = ga.zeros((2, 3))
    g.resize((3, 3))  # allowed before
    g.__array_interface__
    for shape in [(4, 4), (3, 3), (9,)]:
        with pytest.raises(BufferError):
            g.resize(shape)
    gc.collect()
    with pytest.raises(BufferError):
        g.resize((1,))
    assert g.shape == (3, 3)


def test_interface_of_a_view_pins_the_owner():
    g = ga.zeros((4, 4))
    v = g[1:]
    v.__array_interface__
    del v
    gc.collect()
    assert g._exports == 0
    with pytest.raises(BufferError):
        g.resize((2, 2))


def test_interface_does_not_count_as_export():
    g = ga.zeros(5)
    before = g._exports
    g.__array_interface__
    assert g._exports == before
