"""Small arrays Python drops are kept with their Go array for the next
empty/zeros of the same dtype, shape and order: the new array must be
indistinguishable from one Go just made."""
import os

import numpy as np
import pytest

import goarray as ga
from test_fork import run_in_child


def _dropped(shape=(1000,), dtype="float64", order="C", fill=7):
    a = ga.empty(shape, dtype, order)
    np.asarray(a)[...] = fill
    address = a._data
    del a
    return address


def test_reused_memory_is_taken_over():
    address = _dropped()
    b = ga.empty(1000)
    assert b._data == address   # the spare, not a new Go array
    assert b.flags.owndata and b.flags.writeable and b.flags.c_contiguous and b.base is None


def test_zeros_from_a_spare_are_zeros():
    for dtype in ("float64", "int8", "complex128", "bool"):
        _dropped((3, 5), dtype, fill=1)
        z = ga.zeros((3, 5), dtype)
        assert z.dtype == np.dtype(dtype) and z.shape == (3, 5)
        np.testing.assert_array_equal(np.asarray(z), np.zeros((3, 5), dtype))


@pytest.mark.parametrize("order", ["C", "F"])
def test_strides_follow_the_order_asked(order):
    other = "F" if order == "C" else "C"
    _dropped((4, 6), order=other)
    b = ga.empty((4, 6), order=order)
    assert b.strides == np.empty((4, 6), order=order).strides
    assert b.flags.c_contiguous == (order == "C") and b.flags.f_contiguous == (order == "F")


def test_dtype_and_shape_must_match():
    _dropped((10,), "float64")
    b = ga.empty((10,), "int64")
    assert b.dtype == np.int64 and b.strides == (8,)
    c = ga.empty((2, 5), "float64")
    assert c.shape == (2, 5) and c.strides == (40, 8)


def test_read_only_arrays_are_not_kept():
    # an empty release queue: a's memory then stays with Go until the queue's
    # next batch, so b cannot be given the same block by the allocator
    ga._goarray._live_handles()
    a = ga.empty(100)
    address = a._data
    a.flags.writeable = False
    del a
    b = ga.empty(100)
    assert b._data != address
    assert b.flags.writeable
    b[0] = 1.0


def test_published_address_is_not_carried_over():
    a = ga.empty(100)
    a.__array_interface__   # pins a's address: a can no longer be resized
    del a
    b = ga.empty(100)
    b.resize(50)
    assert b.shape == (50,)


def test_views_keep_their_owner():
    a = ga.empty(100)
    v = a[10:20]
    np.asarray(v)[...] = 3
    address = a._data
    del a
    b = ga.empty(100)
    assert b._data != address
    np.asarray(b)[...] = 0
    np.testing.assert_array_equal(np.asarray(v), np.full(10, 3.0))


def test_accounting_returns_to_its_start():
    # kept arrays are released when the accounting is read
    start = ga._allocated_bytes()
    for _ in range(50):
        _dropped((100,))
        _dropped((7, 3), "int32")
    assert ga._allocated_bytes() == start


def test_allocated_bytes_count_no_spares():
    start = ga._allocated_bytes()
    arrays = [ga.empty(1000) for _ in range(20)]
    assert ga._allocated_bytes() >= start + 20 * 8000
    del arrays
    assert ga._allocated_bytes() == start


def _child_empty_with_spares():
    try:
        ga.empty(1000)
        return "no error"
    except RuntimeError:
        return "RuntimeError"


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")
def test_forked_child_refuses_even_with_spares():
    for _ in range(4):
        _dropped()
    assert run_in_child(_child_empty_with_spares) == "RuntimeError"
