"""The numpy views the C paths hand numpy (bindings/numpy_view.c).

numpy calls goarray does not compute (np.concatenate, np.sin, ...) run
numpy on views of the goarray operands. Those views are made through
numpy's C API rather than np.asarray; np.asarray(a) is the reference:
every view must be the array np.asarray gives (layout, dtype, flags,
address), hold a's storage, count as an export while it lives, and share
memory both ways.
"""
import gc

import numpy as np
import pytest
from numpy.testing import assert_array_equal

import goarray as ga
from goarray import _protocols

numpy_view = ga._goarray._numpy_view

DTYPES = ["bool", "int8", "uint8", "int16", "uint16", "int32", "uint32", "int64", "uint64",
          "float16", "float32", "float64", "complex64", "complex128"]


def layouts(dtype):
    base = ga.asarray(np.arange(60).astype(dtype).reshape(3, 4, 5))
    yield "C", base
    yield "F", ga.asarray(np.asfortranarray(np.asarray(base)))
    yield "strided", base[:, ::2, 1::3]
    yield "reversed", base[::-1, :, ::-2]
    yield "transposed", base.T
    yield "0-d", ga.asarray(np.asarray(base)[1, 2, 3])
    yield "empty", base[:, 2:2]
    yield "broadcast", ga.broadcast_to(base[0, 0], (4, 5))
    yield "foreign", ga.from_buffer(np.arange(12).astype(dtype).reshape(3, 4)[:, ::-1])
    ro = ga.asarray(np.arange(6).astype(dtype))
    ro.flags.writeable = False
    yield "read-only", ro


def test_numpy_views_come_from_the_c_api_under_numpy_2():
    assert _protocols.C_NUMPY_VIEWS is (np.lib.NumpyVersion(np.__version__) >= "2.0.0")


@pytest.mark.parametrize("dtype", DTYPES)
def test_view_is_what_np_asarray_gives(dtype):
    for name, a in layouts(dtype):
        ref = np.asarray(a)
        v = numpy_view(a)
        assert type(v) is np.ndarray, name
        assert (v.shape, v.dtype) == (ref.shape, ref.dtype), name
        # an empty array's strides are its own (np.asarray's buffer export
        # gives the standard ones: no element is reached either way)
        assert v.strides == (ref.strides if a.size else a.strides), name
        assert v.__array_interface__["data"] == ref.__array_interface__["data"], name
        for flag in ("C_CONTIGUOUS", "F_CONTIGUOUS", "WRITEABLE", "ALIGNED", "OWNDATA"):
            assert v.flags[flag] == ref.flags[flag], (name, flag)
        assert_array_equal(v, ref)


def test_view_holds_the_storage_and_counts_as_an_export():
    a = ga.zeros(8)
    v = numpy_view(a)
    assert a._exports == 1
    assert isinstance(v.base, ga.Array) and v.base.base is a
    with pytest.raises(BufferError, match="live export"):
        a.resize((16,))
    v[3] = 7.0
    assert a[3] == 7.0
    a[4] = 9.0
    assert v[4] == 9.0
    del a
    gc.collect()
    assert v[3] == 7.0 and v[4] == 9.0  # the storage outlives the array the view was made of
    owner = v.base.base
    del v
    gc.collect()
    assert owner._exports == 0
    owner.resize((16,))


def test_view_of_a_view_counts_on_the_owner():
    a = ga.arange(10.0)
    s = a[2:8:2]
    v = numpy_view(s)
    assert a._exports == 2  # s and v
    assert_array_equal(v, np.arange(10.0)[2:8:2])
    del v
    gc.collect()
    assert a._exports == 1


def test_read_only_view_stays_read_only():
    a = ga.asarray(np.arange(4.0))
    a.flags.writeable = False
    v = numpy_view(a)
    assert not v.flags.writeable
    with pytest.raises(ValueError):
        v.flags.writeable = True
    with pytest.raises(ValueError, match="read-only"):
        v[0] = 1.0


def test_refuses_what_is_not_a_goarray_array():
    with pytest.raises(TypeError, match="goarray array"):
        numpy_view(np.zeros(3))


@pytest.mark.parametrize("dtype", ["float64", "int16", "complex64", "bool"])
def test_numpy_functions_on_the_views_give_numpy_results(dtype):
    for name, a in layouts(dtype):
        ref = np.asarray(a)
        assert_array_equal(np.asarray(np.flip(a)), np.flip(ref), err_msg=name)
        if ref.ndim:
            assert_array_equal(np.asarray(np.concatenate([a, a])), np.concatenate([ref, ref]), err_msg=name)
            assert_array_equal(np.asarray(np.sort(a, axis=-1)), np.sort(ref, axis=-1), err_msg=name)
        assert_array_equal(np.asarray(np.negative(a) if dtype != "bool" else np.invert(a)),
                           np.negative(ref) if dtype != "bool" else np.invert(ref), err_msg=name)


def test_numpy_results_take_a_go_array_only_when_go_needs_one():
    a = ga.asarray(np.arange(12.0).reshape(3, 4))
    ref = np.arange(12.0).reshape(3, 4)
    gc.collect()
    live = ga._goarray._live_handles()
    r = np.concatenate([a, a])  # numpy's result, wrapped in C
    assert isinstance(r, ga.Array)
    assert ga._goarray._live_handles() == live
    assert_array_equal(np.asarray(r[1:, ::2]), np.concatenate([ref, ref])[1:, ::2])  # Go's view
    assert ga._goarray._live_handles() > live
    r.fill(2.0)
    assert_array_equal(np.asarray(r), np.full((6, 4), 2.0))
    assert_array_equal(np.asarray(ga.add(r, r)), np.full((6, 4), 4.0))


def test_numpy_results_with_overlapping_strides_through_go():
    a = ga.asarray(np.arange(10.0))
    w = np.lib.stride_tricks.sliding_window_view(a, 3)  # read-only, overlapping rows
    ref = np.lib.stride_tricks.sliding_window_view(np.arange(10.0), 3)
    assert isinstance(w, ga.Array) and not w.flags.writeable
    assert (w.shape, w.strides) == (ref.shape, ref.strides)
    assert_array_equal(np.asarray(w.copy()), ref)
    assert_array_equal(np.asarray(w.T), ref.T)
    assert_array_equal(np.asarray(ga.sum(w, axis=1)), ref.sum(axis=1))
    with pytest.raises(ValueError):
        w.flags.writeable = True
