"""DLPack: Array.__dlpack__ / __dlpack_device__ (export) and ga.from_dlpack
(import), with numpy as the reference producer and consumer.

The capsules are opened with ctypes to compare what goarray writes into a
DLPack tensor with what numpy writes for the same array; a small ctypes
producer (CProducer) makes tensors numpy's arrays cannot (other devices,
dtypes and offsets, NULL strides, other versions) and counts the calls of
its deleter."""
import ctypes as C
import gc
import sys
import threading
import weakref

import numpy as np
import pytest
from hypothesis import given

import goarray as ga
from conftest import DTYPE_PARAMS, LAYOUT_NAMES, NUMPY, NUMPY_2_1, make_pair, sample, strided_pairs

KDLCPU, KDLCUDA, KDLCUDAHOST = 1, 2, 3
KDLINT, KDLUINT, KDLFLOAT, KDLBFLOAT, KDLCOMPLEX, KDLBOOL = 0, 1, 2, 4, 5, 6
READ_ONLY, IS_COPIED = 1, 2

NAME_V, NAME_L = b"dltensor_versioned", b"dltensor"
USED_V, USED_L = b"used_dltensor_versioned", b"used_dltensor"


# ---- the DLPack ABI, in ctypes -------------------------------------------

class DLDevice(C.Structure):
    _fields_ = [("device_type", C.c_int32), ("device_id", C.c_int32)]


class DLDataType(C.Structure):
    _fields_ = [("code", C.c_uint8), ("bits", C.c_uint8), ("lanes", C.c_uint16)]


class DLTensor(C.Structure):
    _fields_ = [("data", C.c_void_p), ("device", DLDevice), ("ndim", C.c_int32), ("dtype", DLDataType),
                ("shape", C.POINTER(C.c_int64)), ("strides", C.POINTER(C.c_int64)), ("byte_offset", C.c_uint64)]


DELETER = C.CFUNCTYPE(None, C.c_void_p)


class DLManagedTensor(C.Structure):
    _fields_ = [("dl_tensor", DLTensor), ("manager_ctx", C.c_void_p), ("deleter", DELETER)]


class DLPackVersion(C.Structure):
    _fields_ = [("major", C.c_uint32), ("minor", C.c_uint32)]


class DLManagedTensorVersioned(C.Structure):
    _fields_ = [("version", DLPackVersion), ("manager_ctx", C.c_void_p), ("deleter", DELETER),
                ("flags", C.c_uint64), ("dl_tensor", DLTensor)]


CAPSULE_DESTRUCTOR = C.CFUNCTYPE(None, C.c_void_p)
_api = C.pythonapi
capsule_get_pointer = C.PYFUNCTYPE(C.c_void_p, C.py_object, C.c_char_p)(("PyCapsule_GetPointer", _api))
capsule_get_name = C.PYFUNCTYPE(C.c_char_p, C.py_object)(("PyCapsule_GetName", _api))
capsule_set_name = C.PYFUNCTYPE(C.c_int, C.py_object, C.c_char_p)(("PyCapsule_SetName", _api))
_raw_is_valid = C.PYFUNCTYPE(C.c_int, C.c_void_p, C.c_char_p)(("PyCapsule_IsValid", _api))
_raw_get_pointer = C.PYFUNCTYPE(C.c_void_p, C.c_void_p, C.c_char_p)(("PyCapsule_GetPointer", _api))
capsule_new = C.PYFUNCTYPE(C.py_object, C.c_void_p, C.c_char_p, CAPSULE_DESTRUCTOR)(("PyCapsule_New", _api))


def describe(cap):
    """What a capsule holds, as a dict (the capsule is left unconsumed)."""
    name = capsule_get_name(cap)
    ptr = capsule_get_pointer(cap, name)
    versioned = name == NAME_V
    m = (DLManagedTensorVersioned if versioned else DLManagedTensor).from_address(ptr)
    t = m.dl_tensor
    nd = t.ndim
    out = {
        "name": name,
        "device": (t.device.device_type, t.device.device_id),
        "dtype": (t.dtype.code, t.dtype.bits, t.dtype.lanes),
        "shape": tuple(t.shape[i] for i in range(nd)),
        "strides": tuple(t.strides[i] for i in range(nd)) if t.strides else None,
        "byte_offset": t.byte_offset,
        "data": t.data or 0,
    }
    if versioned:
        out["version"] = (m.version.major, m.version.minor)
        out["flags"] = m.flags
    return out


# numpy before 2.1 speaks only the legacy protocol: no max_version, copy or
# dl_device in __dlpack__, no copy or device in from_dlpack, no versioned
# capsules, no read-only exports. goarray offers all of it whatever numpy
# is installed; the checks that take numpy as their reference skip there.
needs_dlpack_1 = pytest.mark.skipif(
    not NUMPY_2_1, reason=f"numpy {np.__version__} has no DLPack 1.0 (max_version, copy, versioned capsules: 2.1)")

# numpy 2.1 imports every tensor read-only (even its copy=True); later
# numpy, and goarray whatever numpy is installed, honour the read-only flag.
NUMPY_IMPORTS_WRITABLE = np.from_dlpack(np.zeros(1)).flags.writeable

# numpy before 2.4 exports a C-contiguous array with NULL strides (and its
# import then computes the strides); goarray always writes them.
NUMPY_EXPLICIT_STRIDES = NUMPY >= "2.4.0"


def same_strides(mine, ref, shape):
    """mine and ref address the same elements of an array of shape: equal,
    or (numpy < 2.4) equal on every axis that has more than one element."""
    if NUMPY_EXPLICIT_STRIDES:
        return tuple(mine) == tuple(ref)
    if 0 in shape:
        return True
    return all(a == b for a, b, n in zip(mine, ref, shape) if n > 1)


def _c_strides(shape):
    out, acc = [], 1
    for n in reversed(shape):
        out.append(acc)
        acc *= n
    return tuple(reversed(out))


def data_address(x):
    if isinstance(x, ga.Array):
        return x._data
    return x.__array_interface__["data"][0]


def numpy_exc(fn):
    """The exception type numpy's own call raises (the reference)."""
    try:
        fn()
    except Exception as e:  # noqa: BLE001
        return type(e)
    return None


# ---- a producer written with ctypes ----------------------------------------

_PRODUCERS = {}  # managed-tensor address -> producer


@CAPSULE_DESTRUCTOR
def _capsule_destructor(cap):
    for name in (NAME_V, NAME_L):
        if _raw_is_valid(cap, name):
            addr = _raw_get_pointer(cap, name)
            _PRODUCERS[addr]._delete(addr)
            return


class CProducer:
    """A DLPack producer whose tensor views the numpy array base; every
    field of the tensor can be set. deleted counts the deleter's calls."""

    def __init__(self, base, *, versioned=True, flags=None, version=(1, 0), code=None, bits=None, lanes=1,
                 device=(KDLCPU, 0), byte_offset=0, shape=None, strides="base", data="base",
                 kwargs=True, destructor=True):
        self.base = base
        self.versioned = versioned
        self.flags = (0 if base.flags.writeable else READ_ONLY) if flags is None else flags
        self.version = version
        if code is None:
            code = {"b": KDLBOOL, "i": KDLINT, "u": KDLUINT, "f": KDLFLOAT, "c": KDLCOMPLEX}[base.dtype.kind]
        self.dtype = (code, base.dtype.itemsize * 8 if bits is None else bits, lanes)
        self.device = device
        self.byte_offset = byte_offset
        self.shape = base.shape if shape is None else shape
        if strides == "base":
            strides = tuple(s // base.itemsize for s in base.strides)
        self.strides = strides
        self.data = base.__array_interface__["data"][0] if data == "base" else data
        self.kwargs = kwargs
        self.destructor = destructor
        self.deleted = 0
        self.calls = []
        self._live = {}
        self._deleter = DELETER(self._delete)

    def _delete(self, addr):
        self.deleted += 1
        del self._live[addr]
        del _PRODUCERS[addr]

    def _capsule(self):
        nd = len(self.shape)
        shape = (C.c_int64 * max(nd, 1))(*self.shape)
        strides = None if self.strides is None else (C.c_int64 * max(nd, 1))(*self.strides)
        m = DLManagedTensorVersioned() if self.versioned else DLManagedTensor()
        if self.versioned:
            m.version.major, m.version.minor = self.version
            m.flags = self.flags
        m.deleter = self._deleter
        t = m.dl_tensor
        t.data = self.data
        t.device.device_type, t.device.device_id = self.device
        t.ndim = nd
        t.dtype.code, t.dtype.bits, t.dtype.lanes = self.dtype
        t.shape = C.cast(shape, C.POINTER(C.c_int64))
        if strides is not None:
            t.strides = C.cast(strides, C.POINTER(C.c_int64))
        t.byte_offset = self.byte_offset
        addr = C.addressof(m)
        self._live[addr] = (m, shape, strides, self.base)
        _PRODUCERS[addr] = self
        return capsule_new(addr, NAME_V if self.versioned else NAME_L,
                           _capsule_destructor if self.destructor else CAPSULE_DESTRUCTOR())

    def __dlpack__(self, **kw):
        self.calls.append(kw)
        if kw and not self.kwargs:
            raise TypeError("__dlpack__() got an unexpected keyword argument")
        return self._capsule()

    def __dlpack_device__(self):
        return self.device


# ---- export: numpy.from_dlpack(ga.Array) --------------------------------

def _check_shared(g, n):
    """n (numpy) views exactly g's memory: same address, layout and values,
    and writes show through both ways."""
    assert n.shape == g.shape and n.dtype == g.dtype
    assert data_address(n) == g._data
    assert n.tobytes() == np.asarray(g).tobytes()
    if n.size and n.flags.writeable:
        idx = tuple(d - 1 for d in n.shape)
        old = n[idx]
        n[idx] = np.ones((), n.dtype) if not old else np.zeros((), n.dtype)
        assert np.asarray(g)[idx] == n[idx]
        g[idx] = old
        assert n[idx] == old


@pytest.mark.parametrize("layout", LAYOUT_NAMES)
@pytest.mark.parametrize("dtype", DTYPE_PARAMS)
def test_numpy_from_dlpack_shares_memory(layout, dtype):
    p = make_pair(layout, dtype)
    ref_exc = numpy_exc(lambda: np.from_dlpack(p.n))
    if ref_exc is not None:  # numpy < 2.1: no read-only exports
        with pytest.raises(ref_exc):
            np.from_dlpack(p.g)
        return
    n = np.from_dlpack(p.g)
    ref = np.from_dlpack(p.n)   # numpy consuming numpy's own array
    _check_shared(p.g, n)
    assert same_strides(n.strides, ref.strides, n.shape)
    assert n.flags.writeable == ref.flags.writeable
    assert n.tobytes() == ref.tobytes()


def _legacy_reference(n, kw):
    """What numpy >= 2.1 exports for n.__dlpack__(**kw), built from the
    legacy capsule of numpy < 2.1 (which has none of the keywords): of a
    copy for copy=True, named and flagged as DLPack 1.0 says."""
    copy = bool(kw.get("copy"))
    src = n.copy(order="K") if copy else n
    if not src.flags.writeable:
        pytest.skip(f"numpy {np.__version__} exports no read-only array (2.1)")
    ref = describe(src.__dlpack__())
    if (kw.get("max_version") or (0, 0))[0] >= 1:
        ref["name"] = NAME_V
        ref["version"] = (1, 0)
        ref["flags"] = IS_COPIED if copy else 0
    return ref


@pytest.mark.parametrize("layout", LAYOUT_NAMES)
@pytest.mark.parametrize("dtype", DTYPE_PARAMS)
@pytest.mark.parametrize("kw", [{}, {"max_version": (1, 0)}, {"max_version": (1, 0), "copy": True},
                                {"copy": True}, {"max_version": (0, 8)}, {"max_version": (1, 0), "copy": False},
                                {"max_version": (1, 0), "dl_device": (1, 0)}],
                         ids=["legacy", "v1", "v1-copy", "legacy-copy", "v0.8", "v1-nocopy", "v1-cpu"])
def test_capsule_matches_numpys(layout, dtype, kw):
    """The tensor goarray exports describes the array as numpy's export of
    the same array does: dtype code and bits, shape, strides, device,
    version and flags; numpy's refusals are goarray's."""
    p = make_pair(layout, dtype)
    if kw and not NUMPY_2_1:
        if (kw.get("max_version") or (0, 0))[0] < 1 and not kw.get("copy") and not p.n.flags.writeable:
            with pytest.raises(BufferError):  # a legacy capsule cannot say read-only
                p.g.__dlpack__(**kw)
            return
        ref = _legacy_reference(p.n, kw)
        mine = describe(p.g.__dlpack__(**kw))
    else:
        ref_exc = numpy_exc(lambda: p.n.__dlpack__(**kw))
        if ref_exc is not None:
            with pytest.raises(ref_exc):
                p.g.__dlpack__(**kw)
            return
        mine, ref = describe(p.g.__dlpack__(**kw)), describe(p.n.__dlpack__(**kw))
    mine_data, ref_data = mine.pop("data"), ref.pop("data")
    if not NUMPY_EXPLICIT_STRIDES:
        shape = ref["shape"]
        ms, rs = mine.pop("strides"), ref.pop("strides")
        assert same_strides(_c_strides(shape) if ms is None else ms, _c_strides(shape) if rs is None else rs, shape)
    assert mine == ref
    if kw.get("copy"):
        assert mine_data != p.g._data or p.g.size == 0
    else:
        assert mine_data == p.g._data


@given(strided_pairs())
def test_numpy_from_dlpack_strided(p):
    ref_exc = numpy_exc(lambda: np.from_dlpack(p.n))
    if ref_exc is not None:  # numpy < 2.1: no read-only exports
        with pytest.raises(ref_exc):
            np.from_dlpack(p.g)
        return
    n = np.from_dlpack(p.g)
    _check_shared(p.g, n)
    ref = np.from_dlpack(p.n)
    assert same_strides(n.strides, ref.strides, n.shape)
    assert n.tobytes() == ref.tobytes()


def test_dlpack_device():
    a = ga.zeros(3)
    assert a.__dlpack_device__() == np.zeros(3).__dlpack_device__() == (KDLCPU, 0)
    assert type(a.__dlpack_device__()) is tuple


def test_capsule_versions():
    a = ga.zeros((2, 3), "f4")
    assert capsule_get_name(a.__dlpack__()) == NAME_L
    assert capsule_get_name(a.__dlpack__(max_version=None)) == NAME_L
    assert capsule_get_name(a.__dlpack__(max_version=(0, 9))) == NAME_L
    assert describe(a.__dlpack__(max_version=(1, 0)))["version"] == (1, 0)
    assert describe(a.__dlpack__(max_version=(1, 7)))["version"][0] == 1
    assert describe(a.__dlpack__(max_version=(2, 0)))["version"][0] == 1
    d = describe(a.__dlpack__(max_version=(1, 0)))
    assert d["flags"] == 0
    assert d["shape"] == (2, 3) and d["strides"] == (3, 1) and d["byte_offset"] == 0


# ---- import: ga.from_dlpack(numpy) -----------------------------------------

def _check_ga_view(g, n):
    """g (goarray) views exactly n's memory."""
    assert isinstance(g, ga.Array)
    assert g.shape == n.shape and g.dtype == n.dtype
    if n.size:
        assert same_strides(g.strides, n.strides, n.shape)
        assert g._data == data_address(n)
    assert np.asarray(g).tobytes() == n.tobytes()
    if NUMPY_IMPORTS_WRITABLE:
        assert g.flags.writeable == np.from_dlpack(n).flags.writeable
    else:  # numpy < 2.1 exports legacy capsules: read-only
        assert g.flags.writeable == (n.flags.writeable and NUMPY_2_1)
    if n.size and g.flags.writeable:
        idx = tuple(d - 1 for d in n.shape)
        old = n[idx]
        g[idx] = np.ones((), n.dtype) if not old else np.zeros((), n.dtype)
        assert n[idx] == np.asarray(g)[idx]
        n[idx] = old
        assert np.asarray(g)[idx] == old


@pytest.mark.parametrize("layout", LAYOUT_NAMES)
@pytest.mark.parametrize("dtype", DTYPE_PARAMS)
def test_ga_from_dlpack_numpy_shares_memory(layout, dtype):
    p = make_pair(layout, dtype)
    ref_exc = numpy_exc(lambda: np.from_dlpack(p.n))
    if ref_exc is not None:  # numpy < 2.1 cannot export a read-only array
        assert not NUMPY_2_1 and not p.n.flags.writeable
        with pytest.raises(ref_exc):
            ga.from_dlpack(p.n)
        return
    _check_ga_view(ga.from_dlpack(p.n), p.n)


@given(strided_pairs())
def test_ga_from_dlpack_numpy_strided(p):
    ref_exc = numpy_exc(lambda: np.from_dlpack(p.n))
    if ref_exc is not None:  # numpy < 2.1 cannot export a read-only array
        assert not NUMPY_2_1 and not p.n.flags.writeable
        with pytest.raises(ref_exc):
            ga.from_dlpack(p.n)
        return
    _check_ga_view(ga.from_dlpack(p.n), p.n)


@pytest.mark.parametrize("layout", LAYOUT_NAMES)
@pytest.mark.parametrize("dtype", DTYPE_PARAMS)
def test_ga_round_trip(layout, dtype):
    p = make_pair(layout, dtype)
    h = ga.from_dlpack(p.g)
    assert h.shape == p.g.shape and h.dtype == p.g.dtype
    assert h._data == p.g._data
    if p.g.size:
        assert h.strides == p.g.strides
    assert h.flags.writeable == p.g.flags.writeable
    assert np.asarray(h).tobytes() == np.asarray(p.g).tobytes()
    if p.g.size and h.flags.writeable:
        idx = tuple(d - 1 for d in h.shape)
        h[idx] = p.g[idx] + 1 if p.g.dtype.kind != "b" else not p.g[idx]
        assert np.asarray(h)[idx] == np.asarray(p.g)[idx]


@given(strided_pairs())
def test_ga_round_trip_strided(p):
    h = ga.from_dlpack(p.g)
    assert h._data == p.g._data and h.shape == p.g.shape
    assert np.asarray(h).tobytes() == p.n.tobytes()


def test_from_dlpack_result_is_a_view_with_a_base():
    x = np.arange(6.0).reshape(2, 3)
    g = ga.from_dlpack(x)
    assert g.base is not None and not g.flags.owndata
    v = g[1, ::-1]
    assert v._data == data_address(x[1, ::-1])
    np.testing.assert_array_equal(np.asarray(v), x[1, ::-1])
    assert ga.sum(g) == x.sum()


# ---- read-only -------------------------------------------------------------

def _readonly_pair():
    n = sample((3, 4), "float64")
    g = ga.array(n)
    n.flags.writeable = False
    g.flags.writeable = False
    return g, n


@needs_dlpack_1
def test_readonly_versioned_flag_set():
    g, n = _readonly_pair()
    assert describe(g.__dlpack__(max_version=(1, 0)))["flags"] == READ_ONLY
    assert describe(n.__dlpack__(max_version=(1, 0)))["flags"] == READ_ONLY
    c = describe(g.__dlpack__(max_version=(1, 0), copy=True))
    assert c["flags"] == describe(n.__dlpack__(max_version=(1, 0), copy=True))["flags"] == IS_COPIED


def test_readonly_consumers_see_readonly():
    g, n = _readonly_pair()
    if NUMPY_2_1:
        v = np.from_dlpack(g)
        assert not v.flags.writeable
        assert v.flags.writeable == np.from_dlpack(n).flags.writeable
        with pytest.raises(ValueError):
            v[0, 0] = 1
    else:  # numpy's legacy import cannot take a read-only array (nor its own)
        for x in (g, n):
            with pytest.raises(BufferError):
                np.from_dlpack(x)
    h = ga.from_dlpack(g)
    assert not h.flags.writeable
    with pytest.raises(ValueError):
        h[0, 0] = 1
    with pytest.raises(ValueError):
        h.flags.writeable = True
    assert memoryview(h).readonly and not np.asarray(h).flags.writeable
    if NUMPY_2_1:
        assert not ga.from_dlpack(n).flags.writeable
    else:
        with pytest.raises(BufferError):
            ga.from_dlpack(n)


def test_readonly_legacy_capsule_refused():
    g, n = _readonly_pair()
    with pytest.raises(BufferError):
        n.__dlpack__()
    with pytest.raises(BufferError, match="readonly"):
        g.__dlpack__()
    with pytest.raises(BufferError):
        g.__dlpack__(max_version=(0, 5))
    assert g._exports == 0
    # A copy is writable, so it may go out as a legacy capsule (as numpy's).
    d = describe(g.__dlpack__(copy=True))
    assert d["name"] == NAME_L and d["data"] != g._data
    if NUMPY_2_1:
        n.__dlpack__(copy=True)


def test_broadcast_views_export_readonly():
    g = ga.broadcast_to(ga.arange(4.0), (3, 4))
    n = np.broadcast_to(np.arange(4.0), (3, 4))
    assert describe(g.__dlpack__(max_version=(1, 0)))["strides"] == (0, 1)
    if NUMPY_2_1:
        v = np.from_dlpack(g)
        assert not v.flags.writeable and v.strides == n.strides == (0, 8)
    else:  # numpy's legacy import: a read-only view cannot go out
        with pytest.raises(BufferError):
            np.from_dlpack(g)
    with pytest.raises(BufferError):
        g.__dlpack__()


# ---- copy ----------------------------------------------------------------

@needs_dlpack_1
@pytest.mark.parametrize("layout", ["c2", "f2", "neg", "T", "0d", "zero", "step"])
def test_export_copy_is_independent(layout):
    p = make_pair(layout, "int32")
    c = np.from_dlpack(p.g, copy=True)
    ref = np.from_dlpack(p.n, copy=True)
    assert c.tobytes() == ref.tobytes() and same_strides(c.strides, ref.strides, c.shape)
    assert not np.shares_memory(c, np.asarray(p.g)) or c.size == 0
    assert c.flags.writeable == NUMPY_IMPORTS_WRITABLE
    if c.size and c.flags.writeable:
        c[...] = 7
        assert not (np.asarray(p.g) == 7).any()


@pytest.mark.parametrize("layout", ["c2", "f2", "neg", "T", "0d", "zero", "step"])
def test_import_copy_is_go_backed(layout):
    p = make_pair(layout, "float32")
    c = ga.from_dlpack(p.n, copy=True)
    assert isinstance(c, ga.Array) and c.base is None and c.flags.owndata
    np.testing.assert_array_equal(np.asarray(c), p.n)
    assert np.asarray(c).strides == p.n.copy(order="K").strides or c.size == 0
    if c.size:
        assert c._data != data_address(p.n)
        c[...] = 5
        assert not (p.n == 5).any()
    c.resize((3,))  # owns its storage
    assert c.flags.writeable


def test_import_copy_of_readonly_is_writable():
    g, n = _readonly_pair()
    for src in (g, n) if NUMPY_2_1 else (g,):  # numpy 2.0 cannot export n
        c = ga.from_dlpack(src, copy=True)
        assert c.flags.writeable and c.base is None
        if NUMPY_IMPORTS_WRITABLE:
            assert c.flags.writeable == np.from_dlpack(n, copy=True).flags.writeable


def test_copy_false_and_none_share():
    x = np.arange(5.0)
    for copy in (None, False):
        g = ga.from_dlpack(x, copy=copy)
        assert g._data == data_address(x)
        a = ga.arange(5.0)
        if NUMPY_2_1:
            assert data_address(np.from_dlpack(a, copy=copy)) == a._data


def test_copy_keyword_forwarded():
    x = np.arange(5.0)
    p = CProducer(x)
    ga.from_dlpack(p)
    ga.from_dlpack(p, copy=False)
    ga.from_dlpack(p, device="cpu")
    assert p.calls == [{"max_version": (1, 0)}, {"max_version": (1, 0), "copy": False},
                       {"max_version": (1, 0), "dl_device": (KDLCPU, 0)}]


def test_legacy_producer_asked_again_plainly():
    """A producer without the DLPack 1.0 keywords (numpy < 2.1) refuses
    them with TypeError; from_dlpack asks it again without any, whatever
    it was given (a legacy export never copies, and its device is read
    from the tensor)."""
    x = np.arange(5.0)
    for kw in ({}, {"copy": False}, {"device": "cpu"}, {"copy": True}, {"copy": False, "device": "cpu"}):
        p = CProducer(x, versioned=False, kwargs=False)
        g = ga.from_dlpack(p, **kw)
        assert len(p.calls) == 2 and p.calls[0] and p.calls[1] == {}, (kw, p.calls)
        assert (g._data == data_address(x)) == (not kw.get("copy")), kw
        np.testing.assert_array_equal(np.asarray(g), x)
    p = CProducer(x, versioned=False, kwargs=False, device=(KDLCUDA, 0))
    with pytest.raises(BufferError, match="device"):
        ga.from_dlpack(p, device="cpu")


# ---- argument errors ---------------------------------------------------------

@pytest.mark.parametrize("kw", [
    {"stream": 1}, {"stream": 0}, {"dl_device": (KDLCUDA, 0)}, {"dl_device": (KDLCPU, 1)},
    {"dl_device": [KDLCPU, 0]}, {"dl_device": ("cpu", 0)}, {"dl_device": (1,)},
    {"max_version": 1}, {"max_version": (1,)}, {"max_version": (1, 0, 0)}, {"max_version": ("1", 0)},
    {"copy": "yes"}, {"bogus": 1},
], ids=repr)
def test_export_argument_errors_match_numpy(kw):
    if not NUMPY_2_1 and set(kw) - {"stream", "bogus"}:
        pytest.skip(f"numpy {np.__version__} has no DLPack 1.0 keywords (2.1)")
    ref = numpy_exc(lambda: np.zeros(3).__dlpack__(**kw))
    assert ref is not None
    with pytest.raises(ref):
        ga.zeros(3).__dlpack__(**kw)


def test_export_error_messages():
    a = ga.zeros(3)
    # numpy's exception: ValueError in numpy 2.1, BufferError in 2.4 (2.0
    # has no dl_device: BufferError)
    ref = numpy_exc(lambda: np.zeros(3).__dlpack__(dl_device=(2, 0)))
    with pytest.raises(BufferError if ref is TypeError else ref, match=r"\(2, 0\).*kDLCUDA"):
        a.__dlpack__(dl_device=(2, 0))
    # numpy's exception: RuntimeError up to numpy 2.4, ValueError from 2.5
    with pytest.raises(numpy_exc(lambda: np.zeros(3).__dlpack__(stream=1)), match="stream=None"):
        a.__dlpack__(stream=1)
    a.__dlpack__(stream=None, dl_device=(1, 0), max_version=(1, 0), copy=None)
    assert a._exports == 0


def test_keyword_only():
    a = ga.zeros(3)
    with pytest.raises(TypeError):
        a.__dlpack__(None)
    with pytest.raises(TypeError):
        np.zeros(3).__dlpack__(None)
    with pytest.raises(TypeError):
        a.__dlpack_device__(1)
    with pytest.raises(TypeError):
        ga.from_dlpack(x=np.zeros(3))
    with pytest.raises(TypeError):
        ga.from_dlpack(np.zeros(3), None)
    with pytest.raises(TypeError):
        ga.from_dlpack()


@needs_dlpack_1
@pytest.mark.parametrize("kw", [{"device": "gpu"}, {"device": "cuda:0"}, {"device": 1}, {"copy": "no"}], ids=repr)
def test_import_argument_errors_match_numpy(kw):
    x = np.zeros(3)
    ref = numpy_exc(lambda: np.from_dlpack(x, **kw))
    assert ref is not None
    with pytest.raises(ref):
        ga.from_dlpack(x, **kw)


@pytest.mark.parametrize("obj", [[1, 2], 3.0, b"abc", memoryview(b"abc")], ids=repr)
def test_import_non_producer_matches_numpy(obj):
    ref = numpy_exc(lambda: np.from_dlpack(obj))
    with pytest.raises(ref):
        ga.from_dlpack(obj)


def test_import_device_cpu():
    x = np.arange(3.0)
    assert ga.from_dlpack(x, device="cpu")._data == data_address(x)


class _Returns:
    def __init__(self, value):
        self.value = value

    def __dlpack__(self, **kw):
        return self.value


def test_import_not_a_capsule():
    used = np.zeros(3).__dlpack__()
    capsule_set_name(used, USED_L)
    for value in (5, None, used):
        ref = numpy_exc(lambda: np.from_dlpack(_Returns(value)))
        with pytest.raises(ref, match="capsule"):
            ga.from_dlpack(_Returns(value))


# ---- export counting -------------------------------------------------------

def test_capsule_counts_as_export():
    a = ga.zeros(10)
    cap = a.__dlpack__(max_version=(1, 0))
    assert a._exports == 1
    with pytest.raises(BufferError, match="1 live export"):
        a.resize((20,))
    cap2 = a.__dlpack__()
    assert a._exports == 2
    del cap, cap2
    gc.collect()
    assert a._exports == 0
    a.resize((20,))
    assert a.shape == (20,)


def test_view_capsule_counts_on_owner():
    a = ga.zeros((4, 4))
    cap = a[1:, ::2].__dlpack__(max_version=(1, 0))
    with pytest.raises(BufferError):
        a.resize(3)
    del cap
    gc.collect()
    a.resize(3)


@pytest.mark.parametrize("consumer", ["numpy", "goarray", "goarray-view", "numpy-of-goarray"])
def test_consumer_counts_as_export(consumer):
    a = ga.arange(12.0)
    if consumer == "numpy":
        v = np.from_dlpack(a)
    elif consumer == "goarray":
        v = ga.from_dlpack(a)
    elif consumer == "goarray-view":
        v = ga.from_dlpack(a)[::2].T
    else:
        v = np.asarray(ga.from_dlpack(a))
    with pytest.raises(BufferError):
        a.resize((24,))
    w = v[1:]
    del v
    gc.collect()
    with pytest.raises(BufferError):
        a.resize((24,))
    del w
    gc.collect()
    assert a._exports == 0
    a.resize((24,))
    assert a.shape == (24,)


def test_copy_capsule_does_not_pin_the_original():
    a = ga.zeros(10)
    cap = a.__dlpack__(copy=True, max_version=(1, 0))
    assert a._exports == 0
    a.resize((3,))
    del cap


def test_refused_export_leaves_no_count():
    g, _ = _readonly_pair()
    for kw in ({}, {"stream": 1}, {"dl_device": (2, 0)}, {"max_version": 1}):
        with pytest.raises((BufferError, RuntimeError, TypeError, ValueError)):
            g.__dlpack__(**kw)
    assert g._exports == 0


def test_deleter_from_another_thread_without_gil():
    """A consumer may release the tensor from any thread: goarray's deleter
    takes the GIL itself (ctypes calls it with the GIL released)."""
    a = ga.arange(1000.0)
    for name, used, cls in ((NAME_V, USED_V, DLManagedTensorVersioned), (NAME_L, USED_L, DLManagedTensor)):
        cap = a.__dlpack__(max_version=(1, 0) if name == NAME_V else None)
        ptr = capsule_get_pointer(cap, name)
        assert capsule_set_name(cap, used) == 0   # consumed: the capsule lets go
        del cap
        gc.collect()
        assert a._exports == 1
        m = cls.from_address(ptr)
        assert m.manager_ctx
        t = threading.Thread(target=m.deleter, args=(ptr,))
        t.start()
        t.join()
        assert a._exports == 0
    a.resize((5,))


# ---- lifetimes and leaks -------------------------------------------------

def _baseline():
    gc.collect()
    return ga._allocated_bytes(), ga._goarray._live_handles()


def test_unconsumed_capsules_do_not_leak():
    base = _baseline()
    for i in range(2000):
        a = ga.zeros((i % 50, 3), "f8")
        a.__dlpack__()
        c = a.__dlpack__(max_version=(1, 0))
        a[...].__dlpack__(max_version=(1, 0), copy=True)
        del a          # the capsule keeps the storage alive
        del c
    assert _baseline() == base


def test_consumed_capsules_do_not_leak():
    base = _baseline()
    for i in range(2000):
        a = ga.ones((i % 40, 2), "i4")
        n = np.from_dlpack(a)
        g = ga.from_dlpack(a)
        # (numpy < 2.1 imports read-only and cannot export that again)
        h = ga.from_dlpack(n if NUMPY_2_1 else np.ones((i % 40, 2), "i4"))[::-1]
        c = ga.from_dlpack(g, copy=True)
        del a, n, g
        assert h.shape[0] == i % 40 and c.shape == h.shape
        del h, c
    assert _baseline() == base


def test_storage_outlives_array_through_capsule():
    a = ga.arange(5.0)
    cap = a.__dlpack__(max_version=(1, 0))
    del a
    gc.collect()
    b = ga.from_dlpack(_Returns(cap))
    np.testing.assert_array_equal(np.asarray(b), np.arange(5.0))
    assert capsule_get_name(cap) == USED_V


def test_numpy_producer_released_once():
    x = np.arange(10.0)
    r = weakref.ref(x)
    before = sys.getrefcount(x)
    g = ga.from_dlpack(x)
    assert sys.getrefcount(x) == before + 1  # numpy's tensor holds x
    v = np.asarray(g[2:])
    del g
    gc.collect()
    assert sys.getrefcount(x) == before + 1  # v still views it
    del v
    gc.collect()
    assert sys.getrefcount(x) == before
    del x
    assert r() is None


def test_goarray_producer_released_once():
    a = ga.arange(10.0)
    r = weakref.ref(a)
    before = sys.getrefcount(a)
    n = np.from_dlpack(a)
    assert sys.getrefcount(a) == before + 1
    del n
    gc.collect()
    assert sys.getrefcount(a) == before
    del a
    gc.collect()
    assert r() is None


@pytest.mark.parametrize("versioned", [True, False], ids=["versioned", "legacy"])
def test_deleter_called_exactly_once(versioned):
    x = np.arange(12, dtype="i8").reshape(3, 4)
    p = CProducer(x, versioned=versioned)
    g = ga.from_dlpack(p)
    views = [g[1:], g.T, np.asarray(g)]
    assert p.deleted == 0
    del g
    gc.collect()
    assert p.deleted == 0
    views.clear()
    gc.collect()
    assert p.deleted == 1
    # unconsumed: the producer's capsule destructor runs it
    p._capsule()
    gc.collect()
    assert p.deleted == 2
    # copy=True: released as soon as the copy is made
    c = ga.from_dlpack(p, copy=True)
    assert p.deleted == 3 and c.base is None
    assert not p._live


# ---- producers numpy's arrays cannot be ----------------------------------

def _both(p_factory):
    """numpy's and goarray's import of fresh producers (or their errors).

    numpy drops a capsule it refuses while its exception is set; a capsule
    destructor written in Python cannot run then, so numpy's producer has
    none (its tensor is freed with the producer) and only goarray's
    deleter calls are counted on refusals."""
    pn, pg = p_factory(destructor=False), p_factory()
    try:
        n = np.from_dlpack(pn)
    except Exception as e:  # noqa: BLE001
        n = e
    try:
        g = ga.from_dlpack(pg)
    except Exception as e:  # noqa: BLE001
        g = e
    return n, g, pn, pg


@pytest.mark.parametrize("case", [
    pytest.param(dict(code=KDLBFLOAT, bits=16), id="bfloat16"),
    pytest.param(dict(code=KDLFLOAT, bits=8), id="float8"),
    pytest.param(dict(code=KDLBOOL, bits=16), id="bool16"),
    pytest.param(dict(code=3, bits=64), id="opaque"),
    pytest.param(dict(code=99, bits=16), id="unknown-code"),
    pytest.param(dict(lanes=2), id="lanes"),
    pytest.param(dict(device=(KDLCUDA, 0)), id="cuda"),
    pytest.param(dict(device=(7, 1)), id="vulkan"),
    pytest.param(dict(version=(2, 0)), id="version2"),
    pytest.param(dict(shape=(1,) * 65, strides=(1,) * 65), id="65-dims"),
])
@needs_dlpack_1
def test_refused_tensors_match_numpy(case):
    """numpy refuses these too. numpy 2.4 raises RuntimeError for a device,
    dtype or dimension count it cannot import, later numpy BufferError (as
    for a too-new version): goarray raises BufferError for all."""
    x = np.arange(8, dtype="u2")
    n, g, pn, pg = _both(lambda **kw: CProducer(x, **case, **kw))
    assert isinstance(n, (BufferError, RuntimeError)), n
    assert isinstance(g, BufferError), g
    del g
    gc.collect()
    assert pg.deleted == 1


def test_refusal_messages_name_the_problem():
    x = np.arange(8, dtype="u2")
    with pytest.raises(BufferError, match="bfloat16"):
        ga.from_dlpack(CProducer(x, code=KDLBFLOAT))
    with pytest.raises(BufferError, match="lanes=4"):
        ga.from_dlpack(CProducer(x, lanes=4))
    with pytest.raises(BufferError, match=r"\(2, 3\).*kDLCUDA\b"):
        ga.from_dlpack(CProducer(x, device=(KDLCUDA, 3)))
    with pytest.raises(BufferError, match="version 2.1"):
        ga.from_dlpack(CProducer(x, version=(2, 1)))


@pytest.mark.parametrize("case", [
    pytest.param(dict(versioned=False), id="legacy"),
    pytest.param(dict(flags=READ_ONLY), id="read-only-flag"),
    pytest.param(dict(flags=IS_COPIED), id="copied-flag"),
    pytest.param(dict(version=(1, 3)), id="version1.3"),
    pytest.param(dict(version=(0, 9)), id="version0.9"),
    pytest.param(dict(strides=None), id="null-strides"),
    pytest.param(dict(device=(KDLCUDAHOST, 0)), id="cuda-host"),
    pytest.param(dict(byte_offset=16, shape=(2, 3), strides=(3, 1)), id="byte-offset"),
    pytest.param(dict(byte_offset=16, shape=(3,), strides=(-1,)), id="byte-offset-negative"),
    pytest.param(dict(shape=(2, 2), strides=(1, 3)), id="F"),
    pytest.param(dict(shape=(3, 2), strides=(0, 2)), id="zero-stride"),
    pytest.param(dict(shape=(0, 3), strides=(3, 1), data=0), id="empty-null-data"),
    pytest.param(dict(shape=(0, 3), strides=None), id="empty-null-strides"),
    pytest.param(dict(shape=(), strides=()), id="0d"),
    pytest.param(dict(kwargs=False), id="no-max_version"),
])
@needs_dlpack_1
def test_imported_tensors_match_numpy(case):
    x = np.arange(12, dtype="f8")
    n, g, pn, pg = _both(lambda **kw: CProducer(x, **case, **kw))
    assert isinstance(n, np.ndarray), n
    assert isinstance(g, ga.Array), g
    assert g.shape == n.shape and g.dtype == n.dtype
    if n.size:
        assert g.strides == n.strides and g._data == data_address(n)
    assert np.asarray(g).tobytes() == n.tobytes()
    if NUMPY_IMPORTS_WRITABLE:
        assert g.flags.writeable == n.flags.writeable
    if not case.get("kwargs", True):
        assert pg.calls == [{"max_version": (1, 0)}, {}]
    del n, g
    gc.collect()
    assert pn.deleted == pg.deleted == 1


def test_negative_dimension_matches_numpy():
    x = np.arange(4.0)
    n, g, pn, pg = _both(lambda **kw: CProducer(x, shape=(-1,), strides=(1,), **kw))
    assert type(g) is type(n) and isinstance(g, ValueError), (n, g)
    del g
    gc.collect()
    assert pg.deleted == 1


@pytest.mark.parametrize("case", [
    pytest.param(dict(byte_offset=4, shape=(2,)), id="misaligned-offset"),
    pytest.param(dict(shape=(2,), strides=(1,), data="odd"), id="misaligned-data"),
])
def test_unrepresentable_offsets_refused(case):
    """numpy makes an unaligned array of these; goarray's kernels load
    whole elements, so it refuses them, naming the alignment."""
    x = np.arange(12, dtype="f8")
    if case.get("data") == "odd":
        case = dict(case, data=data_address(x) + 2)
    p = CProducer(x, **case)
    with pytest.raises(BufferError, match="align"):
        ga.from_dlpack(p)
    gc.collect()
    assert p.deleted == 1
    if NUMPY_2_1:  # (numpy < 2.1 reads no versioned capsule)
        assert not np.from_dlpack(CProducer(x, **case)).flags.aligned


def test_unrepresentable_strides_refused():
    """Strides that are not whole elements cannot be exported (numpy: the
    same BufferError)."""
    raw = np.zeros(24, "f4")
    n = np.lib.stride_tricks.as_strided(raw.view("c8"), shape=(5,), strides=(12,))
    g = ga.from_buffer(n)
    assert g.strides == (12,)
    with pytest.raises(BufferError):
        n.__dlpack__()
    with pytest.raises(BufferError, match="multiple of itemsize"):
        g.__dlpack__()
    with pytest.raises(BufferError):
        g.__dlpack__(max_version=(1, 0))
    assert g._exports == 0
    # a copy is contiguous, so it goes out
    assert describe(g.__dlpack__(copy=True, max_version=(1, 0)))["strides"] == (1,)


def test_huge_strides_refused():
    x = np.arange(4.0)
    p = CProducer(x, shape=(2,), strides=(2**62,))
    with pytest.raises(BufferError, match="stride"):
        ga.from_dlpack(p)
    gc.collect()
    assert p.deleted == 1


# ---- torch -----------------------------------------------------------------

def test_torch_consumes_goarray():
    torch = pytest.importorskip("torch")
    a = ga.arange(12.0, dtype="float32").reshape(3, 4)[:, ::2]
    t = torch.from_dlpack(a)
    assert t.data_ptr() == a._data
    assert tuple(t.shape) == a.shape and tuple(t.stride()) == tuple(s // 4 for s in a.strides)
    t[0, 0] = 42
    assert a[0, 0] == 42
    base = a.base
    with pytest.raises(BufferError):
        base.resize((1,))
    del t, a
    gc.collect()


def test_goarray_consumes_torch():
    torch = pytest.importorskip("torch")
    t = torch.arange(12, dtype=torch.int32).reshape(3, 4).T
    g = ga.from_dlpack(t)
    assert g._data == t.data_ptr()
    assert g.shape == tuple(t.shape) and g.strides == tuple(s * 4 for s in t.stride())
    g[0, 0] = -1
    assert int(t[0, 0]) == -1
    np.testing.assert_array_equal(np.asarray(g), t.numpy())


@pytest.mark.parametrize("name", ["bool", "int8", "int16", "int32", "int64", "uint8", "float16", "float32",
                                  "float64", "complex64", "complex128"])
def test_torch_dtypes(name):
    torch = pytest.importorskip("torch")
    t = torch.zeros(5, dtype=getattr(torch, name))
    g = ga.from_dlpack(t)
    assert g.dtype == np.dtype(name) and g._data == t.data_ptr()
    back = torch.from_dlpack(g)
    assert back.dtype == t.dtype and back.data_ptr() == t.data_ptr()


def test_torch_bfloat16_refused():
    torch = pytest.importorskip("torch")
    with pytest.raises(BufferError, match="bfloat16"):
        ga.from_dlpack(torch.zeros(3, dtype=torch.bfloat16))
