"""Export counting and lifetimes: a._exports counts the owner's live buffer
exports and goarray views; the storage lives as long as any of them, and
ga._allocated_bytes() returns to where it started once everything is gone."""
import gc
import weakref

import numpy as np
import pytest

import goarray as ga
from conftest import alive_bytes

tb = pytest.importorskip("_testbuffer")


def test_memoryview_counts(no_leak):
    a = ga.zeros((3, 4))
    assert a._exports == 0
    m1 = memoryview(a)
    assert a._exports == 1
    m2 = memoryview(a)
    assert a._exports == 2
    m1.release()
    assert a._exports == 1
    with memoryview(a) as m3:
        assert a._exports == 2
        assert m3.shape == (3, 4)
    assert a._exports == 1
    del m2
    assert a._exports == 0


def test_numpy_views_count(no_leak):
    a = ga.zeros(10)
    v = np.asarray(a)
    assert a._exports == 1
    w = v[2:]          # a numpy view of the numpy view: no new export
    assert a._exports == 1
    x = np.asarray(a)
    assert a._exports == 2
    del v
    assert a._exports == 2  # w keeps the first export alive
    del w
    assert a._exports == 1
    del x
    gc.collect()
    assert a._exports == 0


def test_goarray_views_count_on_the_owner(no_leak):
    a = ga.zeros((4, 4))
    v = a[1:]
    assert a._exports == 1 and v._exports == 1
    w = v[::2]              # a view of a view counts on the owner
    assert w.base is a
    assert a._exports == 2
    t = w.T
    r = a.reshape(16)
    b = ga.broadcast_to(a, (2, 4, 4))
    d = a.view("int32")
    assert a._exports == 6
    m = memoryview(v)       # an export of a view counts on the owner too
    assert a._exports == 7
    del v, w, t, r, b, d
    assert a._exports == 2  # m and the view it holds (m.obj)
    m.release()             # drops the buffer and the view it held
    assert a._exports == 0


def test_copies_do_not_count(no_leak):
    a = ga.arange(12).reshape(3, 4)
    owner = a.base
    n0 = owner._exports
    c = a.copy()
    c2 = a.astype("f4")
    c3 = a[[0, 2]]
    c4 = a.T.reshape(-1)  # needs a copy; numpy returns a view of the copy
    assert owner._exports == n0
    assert c._exports == c2._exports == c3._exports == 0
    assert c4.base is not owner and c4.base._exports == 1  # only c4 itself


def test_testbuffer_exports_count(no_leak):
    a = ga.zeros((2, 3))
    views = [tb.ndarray(a, getbuf=f) for f in (tb.PyBUF_SIMPLE, tb.PyBUF_FULL_RO, tb.PyBUF_CONTIG)]
    assert a._exports == 3
    del views
    assert a._exports == 0


def test_refused_requests_do_not_count(no_leak):
    a = ga.zeros((4, 4))[:, ::2]
    owner = a.base
    before = owner._exports
    for flags in (tb.PyBUF_SIMPLE, tb.PyBUF_C_CONTIGUOUS, tb.PyBUF_ND):
        with pytest.raises(BufferError):
            tb.ndarray(a, getbuf=flags)
    assert owner._exports == before
    ro = ga.zeros(3)
    ro.flags.writeable = False
    with pytest.raises(BufferError):
        tb.ndarray(ro, getbuf=tb.PyBUF_WRITABLE)
    assert ro._exports == 0


def test_owner_outlives_python_reference(no_leak):
    start = ga._allocated_bytes()
    a = ga.arange(1000.0)
    ref = weakref.ref(a)
    v = a[10:20]
    m = memoryview(a[500:])
    n = np.asarray(a[::-1])
    del a
    gc.collect()
    assert ref() is not None  # the views keep the owner alive
    assert v.tolist() == list(map(float, range(10, 20)))
    assert m.tolist()[:2] == [500.0, 501.0]
    assert n[0] == 999.0
    del v, n
    gc.collect()
    assert ref() is not None
    m.release()
    del m
    gc.collect()
    assert ref() is None
    assert ga._allocated_bytes() == start


def test_allocated_bytes_track_arrays(no_leak):
    start = ga._allocated_bytes()
    arrays = [ga.zeros(1000, "u1"), ga.empty((100, 100)), ga.ones(5, "c16"), ga.empty(10 * 2**20, "u1")]
    assert ga._allocated_bytes() >= start + sum(a.nbytes for a in arrays)
    views = [a[1:] for a in arrays] + [np.asarray(a) for a in arrays] + [memoryview(a) for a in arrays]
    del arrays
    gc.collect()
    assert ga._allocated_bytes() > start
    for v in views:
        if isinstance(v, memoryview):
            v.release()
    del views, v
    gc.collect()
    assert ga._allocated_bytes() == start


def test_views_in_reference_cycles_are_collected(no_leak):
    class Holder:
        pass

    h = Holder()
    h.self = h
    h.a = ga.zeros(100)
    h.v = np.asarray(h.a)
    h.g = h.a[::2]
    del h
    gc.collect()


def test_allocated_returns_to_baseline_after_many_kinds_of_arrays():
    start = alive_bytes()
    keep = []
    for dt in ["u1", "i8", "c16", "f2", "?"]:
        for shape in [(0,), (), (7,), (3, 5), (64, 1024)]:
            a = ga.ones(shape, dt)
            keep += [a, a[...], a.T, a.copy(), ga.array(a), np.asarray(a)]
            if a.ndim:
                keep += [a[::-1], a.reshape(-1), ga.broadcast_to(a, (2,) + a.shape)]
    assert ga._allocated_bytes() > start
    del keep, a
    assert alive_bytes() == start
