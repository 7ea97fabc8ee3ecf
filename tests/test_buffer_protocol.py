"""PEP 3118 export: every dtype x layout round-trips through numpy and memoryview
without a copy, with numpy's shape, strides, format and values, writes are
seen both ways, and a numpy view outlives the goarray object it came from."""
import gc

import numpy as np
import pytest
from hypothesis import given

import goarray as ga
from conftest import (DTYPE_PARAMS, DTYPES, LAYOUT_NAMES, UNPACKABLE_FORMATS, WRITABLE_LAYOUTS,
                      alive_bytes, first_index, last_index, make_pair, other_value, strided_pairs)


def numpy_export(n):
    """What a buffer consumer sees of numpy's own array n."""
    return np.asarray(memoryview(n))


def _base_view(p):
    return np.asarray(p.g_owner)


def check_round_trip(p):
    g, n = p.g, p.n
    v = np.asarray(g)
    ref = numpy_export(n)
    assert type(v) is np.ndarray
    assert v.dtype == n.dtype
    assert v.shape == n.shape
    assert v.strides == ref.strides
    assert v.tobytes() == n.tobytes()
    assert v.__array_interface__["data"][0] == g._data
    assert v.flags.writeable == n.flags.writeable
    if n.size > 0:
        assert np.shares_memory(v, _base_view(p))
        offset = g._data - p.g_owner._data
        assert offset == n.__array_interface__["data"][0] - p.n_owner.__array_interface__["data"][0]
    else:
        assert v.__array_interface__["data"][0] != 0


@pytest.mark.parametrize("layout", LAYOUT_NAMES)
@pytest.mark.parametrize("dt", DTYPE_PARAMS)
def test_asarray_round_trip(dt, layout):
    check_round_trip(make_pair(layout, dt))


@pytest.mark.parametrize("layout", LAYOUT_NAMES)
@pytest.mark.parametrize("dt", DTYPE_PARAMS)
def test_layout_matches_numpy(dt, layout):
    p = make_pair(layout, dt)
    assert p.g.shape == p.n.shape
    if p.n_owner.size > 0:  # new empty arrays: see test_creation.py::test_zero_size_strides
        assert p.g.strides == p.n.strides
    assert p.g.dtype == p.n.dtype


@pytest.mark.parametrize("layout", LAYOUT_NAMES)
@pytest.mark.parametrize("dt", DTYPE_PARAMS)
def test_memoryview_matches_numpy(dt, layout):
    p = make_pair(layout, dt)
    with memoryview(p.g) as m, memoryview(p.n) as mn:
        assert m.format == mn.format == memoryview(np.empty(0, dt)).format
        for attr in ("itemsize", "ndim", "shape", "strides", "suboffsets", "readonly", "nbytes",
                     "c_contiguous", "f_contiguous", "contiguous"):
            assert getattr(m, attr) == getattr(mn, attr), attr
        assert m.obj is p.g
        assert m.tobytes() == mn.tobytes()
        if m.format not in UNPACKABLE_FORMATS:
            assert m.tolist() == mn.tolist()
        if m.c_contiguous and m.nbytes:
            assert m.cast("B").tobytes() == mn.cast("B").tobytes()
        np.testing.assert_array_equal(np.asarray(m), p.n)


@pytest.mark.parametrize("dt", DTYPE_PARAMS)
def test_format_and_typestr(dt):
    g = ga.zeros(3, dt)
    assert memoryview(g).format == memoryview(np.empty(0, dt)).format
    assert g.__array_interface__["typestr"] == dt.str


@pytest.mark.parametrize("layout", WRITABLE_LAYOUTS)
@pytest.mark.parametrize("dt", DTYPE_PARAMS)
def test_writes_seen_both_ways(dt, layout):
    p = make_pair(layout, dt)
    g, n = p.g, p.n
    if n.size == 0:
        return
    v = np.asarray(g)
    for idx in {first_index(n.shape), last_index(n.shape)}:
        new = other_value(dt, v[idx])
        v[idx] = new
        assert g[idx] == new                    # numpy write seen by goarray
        assert type(g[idx]) is type(n[idx])
        newer = other_value(dt, new)
        g[idx] = newer
        assert v[idx] == newer                  # goarray write seen by numpy
        with memoryview(g) as m:
            assert np.asarray(m)[idx] == newer  # and by another consumer
        n[idx] = newer
    assert v.tobytes() == n.tobytes()
    assert np.asarray(p.g_owner).tobytes() == p.n_owner.tobytes()


@pytest.mark.parametrize("dt", DTYPE_PARAMS)
def test_numpy_view_outlives_array(dt):
    """Every layout: the numpy view stays valid after del a and gc.collect()."""
    start = alive_bytes()
    views, expected = {}, {}
    for layout in LAYOUT_NAMES:
        p = make_pair(layout, dt)
        views[layout] = np.asarray(p.g)
        expected[layout] = p.n.copy()
        del p
    gc.collect()
    if any(v.nbytes for v in views.values()):
        assert ga._allocated_bytes() > start   # the storage is still there
    for layout, v in views.items():
        np.testing.assert_array_equal(v, expected[layout], err_msg=layout)
        if v.flags.writeable and v.size:
            idx = last_index(v.shape)
            new = other_value(dt, v[idx])
            v[idx] = new
            expected[layout][idx] = new
            assert v.tobytes() == expected[layout].tobytes(), layout
    del views, v
    assert alive_bytes() == start


@pytest.mark.parametrize("dt", DTYPE_PARAMS)
def test_memoryview_outlives_array(dt):
    g = ga.array(np.arange(6).astype(dt).reshape(2, 3))
    m = memoryview(g)
    expected = np.arange(6).astype(dt).reshape(2, 3).tobytes()
    del g
    gc.collect()
    assert m.tobytes() == expected
    m.release()


@pytest.mark.parametrize("ndim", [1, 2, 8, 16, 31, 32, 33, 64])
def test_many_dimensions(ndim):
    shape = (1,) * (ndim - 1) + (3,)
    n = np.arange(3.0).reshape(shape)
    g = ga.array(n)
    v = np.asarray(g)
    assert v.shape == n.shape and v.strides == numpy_export(n).strides
    assert np.shares_memory(v, g)
    with memoryview(g) as m, memoryview(n) as mn:
        assert (m.ndim, m.shape, m.strides) == (mn.ndim, mn.shape, mn.strides)
    w = g[..., ::-1]
    assert np.asarray(w).tolist() == n[..., ::-1].tolist()
    assert w.strides == n[..., ::-1].strides


def test_zero_size_data_pointer_not_null():
    for shape in [(0,), (3, 0), (0, 5, 2)]:
        for dt in DTYPES:
            g = ga.empty(shape, dt)
            v = np.asarray(g)
            assert v.__array_interface__["data"][0] != 0
            assert g._data != 0
            assert v.shape == shape and v.dtype == dt
            with memoryview(g) as m:
                assert m.nbytes == 0 and m.shape == shape


@given(strided_pairs())
def test_random_layout_round_trip(p):
    assert p.g.shape == p.n.shape
    if p.n_owner.size > 0:
        assert p.g.strides == p.n.strides
    check_round_trip(p)
    with memoryview(p.g) as m, memoryview(p.n) as mn:
        assert (m.shape, m.strides, m.format, m.readonly) == (mn.shape, mn.strides, mn.format, mn.readonly)
        assert m.tobytes() == mn.tobytes()


@given(strided_pairs())
def test_random_layout_writes(p):
    g, n = p.g, p.n
    if n.size == 0:
        return
    v = np.asarray(g)
    v[...] = np.arange(n.size).reshape(n.shape).astype(n.dtype)
    n[...] = np.arange(n.size).reshape(n.shape).astype(n.dtype)
    assert np.asarray(p.g_owner).tobytes() == p.n_owner.tobytes()
