"""Pickling and copying goarray arrays.

numpy is the reference: a goarray array pickled with any protocol (0 to 5,
protocol 5 in band and out of band) comes back as a goarray array with the
dtype, shape, values, strides and contiguity flags that pickling the
equivalent numpy array gives. Where goarray deliberately differs, the tests
say so: the read-only flag survives every protocol (numpy's protocols 0-4
and its non-contiguous protocol-5 pickles come back writable), and
non-contiguous arrays also travel out of band (after one copy) where numpy
falls back to an in-band copy.

Protocol 5 does not copy C- and F-contiguous arrays, nor (as numpy 2.3 and
later) arrays whose axes are a permutation of a C-contiguous array's: the
out-of-band PickleBuffer is the array's own memory, and loading it with
``buffers=`` gives an array over that memory.

copy.copy and copy.deepcopy make independent, writable copies laid out as
numpy's. Arrays also travel to a multiprocessing 'spawn' worker and back.
"""
import copy
import gc
import multiprocessing
import pickle
import pickletools

import numpy as np
import pytest
from hypothesis import given
from numpy.testing import assert_array_equal

import goarray as ga
from conftest import DTYPE_PARAMS, LAYOUT_NAMES, ga_from, make_pair, sample, strided_pairs

# (protocol, out_of_band): every protocol, and protocol 5 both ways.
MODES = [(p, False) for p in range(pickle.HIGHEST_PROTOCOL + 1)] + [(5, True)]
MODE_IDS = [f"p{p}" + ("-oob" if oob else "") for p, oob in MODES]
assert pickle.HIGHEST_PROTOCOL >= 5

# Layouts pickled in place at protocol 5: C- or F-contiguous, or permuted axes
# of a C-contiguous array (perm3); the others are copied once.
IN_PLACE_LAYOUTS = ["c1", "c2", "f2", "c3", "f3", "0d", "single", "ones", "offset1d", "T", "perm3", "row",
                    "elem0d", "zero", "zero-slice", "ndim32", "ndim32F"]
COPIED_LAYOUTS = ["offset", "step", "neg1d", "neg", "negF", "col", "newaxis", "bcast-row", "bcast-0d", "bcast-col",
                  "ndim32-strided"]
NUMPY_KEEPS_PERMUTED = np.lib.NumpyVersion(np.__version__) >= "2.3.0"


def dumps_loads(x, protocol, oob, dumps=pickle.dumps, loads=pickle.loads):
    """Round trip x; returns (result, the out-of-band buffers)."""
    if not oob:
        return loads(dumps(x, protocol=protocol)), []
    bufs = []
    data = dumps(x, protocol=protocol, buffer_callback=bufs.append)
    return loads(data, buffers=bufs), bufs


def address(buf):
    """Data address of a contiguous buffer, read by numpy."""
    return np.frombuffer(pickle.PickleBuffer(buf).raw(), np.uint8).__array_interface__["data"][0]


def readonly(x):
    with memoryview(x) as m:
        return m.readonly


def assert_like_numpy(r, n_r, writeable):
    """r, a round-tripped goarray array, matches numpy's round trip n_r."""
    assert isinstance(r, ga.Array), type(r)
    assert r.dtype == n_r.dtype
    assert r.shape == n_r.shape
    v = np.asarray(r)
    assert_array_equal(v, n_r, strict=True)
    assert v.tobytes() == n_r.tobytes()  # bitwise (NaN payloads, signed zeros)
    assert r.flags.c_contiguous == n_r.flags.c_contiguous
    assert r.flags.f_contiguous == n_r.flags.f_contiguous
    if r.size > 0:
        assert r.strides == n_r.strides
    assert r.flags.writeable == writeable
    assert r.flags.aligned


def permutation_to_c(n):
    """The axis order that makes n C-contiguous (numpy's |stride| sort), or None."""
    perm = sorted(range(n.ndim), key=lambda i: -abs(n.strides[i]))
    return perm if n.transpose(perm).flags.c_contiguous else None


def numpy_round_trip(n, protocol, oob):
    r, _ = dumps_loads(n, protocol, oob)
    if protocol >= 5 and not NUMPY_KEEPS_PERMUTED and not (n.flags.c_contiguous or n.flags.f_contiguous):
        perm = permutation_to_c(n)
        if perm is not None:  # what numpy 2.3 and later give
            t = n.transpose(perm)
            r = np.frombuffer(bytearray(t.tobytes()), n.dtype).reshape(t.shape).transpose(np.argsort(perm))
    return r


def check_roundtrip(g, n, protocol, oob):
    r, bufs = dumps_loads(g, protocol, oob)
    n_r = numpy_round_trip(n, protocol, oob)
    assert_like_numpy(r, n_r, g.flags.writeable)
    if oob:
        assert len(bufs) == 1
    return r, bufs


# ---- every protocol, dtype and layout ----------------------------------------------

@pytest.mark.parametrize("protocol,oob", MODES, ids=MODE_IDS)
@pytest.mark.parametrize("dt", DTYPE_PARAMS)
def test_round_trip_every_layout(dt, protocol, oob):
    for layout in LAYOUT_NAMES:
        p = make_pair(layout, dt)
        r, _ = check_roundtrip(p.g, p.n, protocol, oob)
        assert r.flags.writeable == (not layout.startswith("bcast")), layout


@pytest.mark.parametrize("protocol,oob", MODES, ids=MODE_IDS)
@pytest.mark.parametrize("dt", DTYPE_PARAMS)
def test_read_only_flag_survives(dt, protocol, oob):
    for layout in ("c2", "f2", "perm3", "0d", "zero", "step", "neg"):
        p = make_pair(layout, dt)
        p.g.flags.writeable = False
        p.n.flags.writeable = False
        r, _ = check_roundtrip(p.g, p.n, protocol, oob)
        assert not r.flags.writeable, layout
        with pytest.raises(ValueError, match="read-only"):
            r[...] = 0
        assert not np.asarray(r).flags.writeable
        with memoryview(r) as m:
            assert m.readonly


@pytest.mark.parametrize("protocol,oob", MODES, ids=MODE_IDS)
@given(pair=strided_pairs())
def test_round_trip_random_layouts(protocol, oob, pair):
    check_roundtrip(pair.g, pair.n, protocol, oob)


@pytest.mark.parametrize("protocol,oob", MODES, ids=MODE_IDS)
def test_special_values(protocol, oob):
    for dt in ("float16", "float32", "float64", "complex64", "complex128"):
        re = [np.nan, -0.0, np.inf, -np.inf, 1e-8, 0.1]
        if np.dtype(dt).kind == "c":
            n = np.array([complex(r, i) for r, i in zip(re, [np.inf, np.nan, -0.0, 0.0, 1.0, -1.0])], dtype=dt)
        else:
            n = np.array(re, dtype=dt)
        check_roundtrip(ga_from(n), n, protocol, oob)
    for dt in ("int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64"):
        info = np.iinfo(dt)
        n = np.array([info.min, info.max, 0, 1], dtype=dt)
        check_roundtrip(ga_from(n), n, protocol, oob)


@pytest.mark.parametrize("protocol,oob", MODES, ids=MODE_IDS)
def test_pure_python_pickle(protocol, oob):
    for layout in ("c2", "f2", "neg", "0d", "zero"):
        p = make_pair(layout, "complex64")
        r, _ = dumps_loads(p.g, protocol, oob, pickle._dumps, pickle._loads)
        n_r = numpy_round_trip(p.n, protocol, oob)
        assert_like_numpy(r, n_r, True)


# ---- protocol 5: the data is not copied ------------------------------------------

@pytest.mark.parametrize("dt", DTYPE_PARAMS)
def test_out_of_band_buffer_is_the_arrays_memory(dt):
    for layout in IN_PLACE_LAYOUTS:
        p = make_pair(layout, dt)
        g = p.g
        bufs = []
        pickle.dumps(g, protocol=5, buffer_callback=bufs.append)
        assert len(bufs) == 1, layout
        pb = bufs[0]
        assert isinstance(pb, pickle.PickleBuffer)
        with pb.raw() as m:
            assert m.nbytes == g.nbytes, layout
            assert m.readonly == (not g.flags.writeable)
            if g.nbytes:
                assert address(pb) == g._data, layout
        assert bytes(pb.raw()) == p.n.transpose(permutation_to_c(p.n)).tobytes(), layout  # memory order


@pytest.mark.parametrize("dt", DTYPE_PARAMS)
def test_out_of_band_non_contiguous_is_one_contiguous_copy(dt):
    for layout in COPIED_LAYOUTS:
        p = make_pair(layout, dt)
        g = p.g
        assert not (g.flags.c_contiguous or g.flags.f_contiguous), layout
        assert permutation_to_c(p.n) is None, layout
        bufs = []
        pickle.dumps(g, protocol=5, buffer_callback=bufs.append)
        assert len(bufs) == 1, layout
        with bufs[0].raw() as m:
            assert m.tobytes() == p.n.tobytes(order="C"), layout
            assert m.readonly == (not g.flags.writeable), layout
            lo, hi = p.g_owner._data, p.g_owner._data + p.g_owner.nbytes
            assert not lo <= address(m) < hi, layout  # a copy, not the owner's memory


@pytest.mark.parametrize("layout", ["c1", "c2", "f2", "T", "perm3", "0d", "offset1d", "row"])
@pytest.mark.parametrize("dt", DTYPE_PARAMS)
def test_zero_copy_round_trip_shares_memory(dt, layout):
    p = make_pair(layout, dt)
    g = p.g
    r, bufs = dumps_loads(g, 5, True)
    assert r is not g
    assert r._data == g._data
    vr, vg = np.asarray(r), np.asarray(g)
    assert np.shares_memory(vr, vg)
    new = ~vg if vg.dtype.kind == "b" else (vg + 1).astype(dt)
    assert not np.array_equal(new, vg)
    vr[...] = new
    assert_array_equal(vg, new)  # a write through the result is seen by the original
    assert r.flags.writeable


def test_zero_copy_round_trip_of_read_only_data():
    g = ga.arange(12, dtype="int32").reshape(3, 4)
    g.flags.writeable = False
    r, bufs = dumps_loads(g, 5, True)
    assert r._data == g._data
    assert not r.flags.writeable
    assert readonly(bufs[0])


def test_in_band_protocol_5_stores_bytearray_or_bytes():
    """pickle writes writable data as bytearray, read-only data as bytes."""
    def opcodes(x):
        return {op.name for op, _, _ in pickletools.genops(pickle.dumps(x, protocol=5))}

    g = ga.arange(300.0).reshape(30, 10)
    assert "BYTEARRAY8" in opcodes(g)
    assert "BYTEARRAY8" in opcodes(g[:, ::2])
    g.flags.writeable = False
    ops = opcodes(g)
    assert "BYTEARRAY8" not in ops and {"BINBYTES", "BINBYTES8", "SHORT_BINBYTES"} & ops
    ops = opcodes(ga.broadcast_to(ga.arange(4.0), (3, 4)))
    assert "BYTEARRAY8" not in ops and {"BINBYTES", "BINBYTES8", "SHORT_BINBYTES"} & ops
    oob = {op.name for op, _, _ in pickletools.genops(pickle.dumps(g, protocol=5, buffer_callback=list().append))}
    assert {"NEXT_BUFFER", "READONLY_BUFFER"} <= oob


def test_in_band_protocol_5_result_views_the_unpickled_buffer():
    g = ga.arange(8, dtype="uint16")
    r = pickle.loads(pickle.dumps(g, protocol=5))
    assert r._data != g._data
    assert not r.flags.owndata  # a view of the bytearray pickle made
    r[0] = 9
    assert int(g[0]) == 0


def test_received_read_only_buffer_gives_read_only_array():
    g = ga.arange(6.0).reshape(2, 3)
    bufs = []
    data = pickle.dumps(g, protocol=5, buffer_callback=bufs.append)
    r = pickle.loads(data, buffers=[bytes(bufs[0].raw())])
    assert not r.flags.writeable
    assert_array_equal(np.asarray(r), np.asarray(g))
    w = pickle.loads(data, buffers=[bytearray(bufs[0].raw())])
    assert w.flags.writeable
    w[0, 0] = 7
    assert float(g[0, 0]) == 0.0  # a buffer of its own


def test_read_only_flag_applies_to_a_writable_buffer():
    """pickle marks read-only out-of-band data itself (READONLY_BUFFER); the
    flag also holds when the reconstruct function is handed writable memory."""
    store = bytearray(np.arange(6.0).tobytes())
    r = ga._pickle._rebuild(store, "<f8", (2, 3), "F", True)
    assert not r.flags.writeable
    assert r._data == address(store)
    assert_array_equal(np.asarray(r), np.arange(6.0).reshape(2, 3, order="F"), strict=True)
    w = ga._pickle._rebuild(store, "<f8", (2, 3), "F", False)
    assert w.flags.writeable and w.flags.f_contiguous


def test_received_buffer_of_another_format_is_read_in_memory_order():
    """Any contiguous buffer of the right size will do; its own shape and
    format are ignored, its bytes are read in memory order."""
    n = sample((4, 3), "float32", "F")
    g = ga_from(n)
    bufs = []
    data = pickle.dumps(g, protocol=5, buffer_callback=bufs.append)
    raw = np.frombuffer(bytearray(bufs[0].raw()), np.uint8)
    for other in (raw, raw.view(np.int16).reshape(4, 6), raw.view(np.float64).reshape(2, 3, order="F"),
                  memoryview(raw).cast("I", (3, 4))):
        r = pickle.loads(data, buffers=[other])
        assert (r.shape, r.dtype, r.flags.f_contiguous) == ((4, 3), np.dtype("float32"), True)
        assert_array_equal(np.asarray(r), n, strict=True)
        assert r._data == address(other)


def test_misaligned_received_buffer_is_copied_not_misread():
    n = sample((5,), "complex128")
    bufs = []
    data = pickle.dumps(ga_from(n), protocol=5, buffer_callback=bufs.append)
    store = bytearray(n.nbytes + 1)
    mis = memoryview(store)[1:]
    mis[:] = bufs[0].raw()
    assert address(mis) % 8
    r = pickle.loads(data, buffers=[mis])
    assert r.flags.aligned and r.flags.writeable and r._data % 8 == 0
    assert_array_equal(np.asarray(r), n, strict=True)
    r = pickle.loads(data, buffers=[mis.toreadonly()])
    assert not r.flags.writeable
    assert_array_equal(np.asarray(r), n, strict=True)


def test_buffers_keep_the_memory_alive_and_the_array_pinned():
    g = ga.arange(1000.0)
    bufs = []
    data = pickle.dumps(g, protocol=5, buffer_callback=bufs.append)
    with pytest.raises(BufferError):
        g.resize(2000)  # the PickleBuffer is an export
    r = pickle.loads(data, buffers=bufs)
    del g, bufs
    gc.collect()
    assert_array_equal(np.asarray(r), np.arange(1000.0))
    g = ga.arange(10.0)
    bufs = []
    pickle.dumps(g, protocol=5, buffer_callback=bufs.append)
    bufs[0].release()
    del bufs
    g.resize(20)  # released: resizable again
    assert g.shape == (20,)


@pytest.mark.parametrize("protocol", range(5))
def test_low_protocols_copy_once_into_go_memory(protocol):
    g = ga.arange(24, dtype="int16").reshape(2, 3, 4).transpose(2, 0, 1)
    fn, args = g.__reduce_ex__(protocol)
    assert fn is ga._pickle._rebuild_copy
    assert type(args[0]) is bytes and args[0] == np.asarray(g).tobytes("C")
    r = pickle.loads(pickle.dumps(g, protocol=protocol))
    assert r.flags.owndata and r.flags.writeable and r.base is None
    assert not np.shares_memory(np.asarray(r), np.asarray(g))
    f = ga.arange(6.0).reshape(2, 3).T
    fn, args = f.__reduce_ex__(protocol)
    assert args[0] == np.asarray(f).tobytes("F") and args[3] == "F"


def test_reduce_ex_protocol_5_form():
    g = ga.arange(6.0).reshape(3, 2)
    fn, args = g.__reduce_ex__(5)
    assert fn is ga._pickle._rebuild
    assert isinstance(args[0], pickle.PickleBuffer)
    assert args[1:] == ("<f8", (3, 2), "C", False)
    assert g.__reduce__()[0] is ga._pickle._rebuild_copy
    r = fn(*args)
    assert r._data == g._data
    p = ga.arange(24, dtype="int8").reshape(2, 3, 4).transpose(1, 2, 0)
    fn, args = p.__reduce_ex__(5)
    assert fn is ga._pickle._rebuild
    assert args[1:] == ("|i1", (2, 3, 4), "K", False, (1, 2, 0))
    assert args[0].raw().tobytes() == bytes(range(24))
    r = fn(*args)
    assert (r.shape, r.strides, r._data) == (p.shape, p.strides, p._data)


@pytest.mark.parametrize("protocol,oob", MODES, ids=MODE_IDS)
def test_pickles_name_goarray_only(protocol, oob):
    g = ga.arange(6.0).reshape(2, 3)
    data = pickle.dumps(g, protocol=protocol, buffer_callback=[].append if oob else None)
    assert b"goarray._pickle" in data
    assert b"numpy" not in data


# ---- containers, memo, re-pickling ----------------------------------------------------

@pytest.mark.parametrize("protocol,oob", MODES, ids=MODE_IDS)
def test_containers_and_shared_references(protocol, oob):
    g = ga.arange(12, dtype="uint32").reshape(3, 4)
    t = g.T
    obj = {"a": g, "again": g, "t": t, "list": [g, (t, 1)]}
    r, _ = dumps_loads(obj, protocol, oob)
    assert r["a"] is r["again"] is r["list"][0]
    assert r["t"] is r["list"][1][0]
    assert_array_equal(np.asarray(r["a"]), np.asarray(g))
    assert_array_equal(np.asarray(r["t"]), np.asarray(t))
    assert r["t"].flags.f_contiguous


@pytest.mark.parametrize("protocol,oob", MODES, ids=MODE_IDS)
def test_round_trip_of_a_round_trip(protocol, oob):
    g = ga.arange(20.0).reshape(4, 5)[::-1]
    r1, _ = dumps_loads(g, 5, False)   # a view of a bytearray
    r2, _ = dumps_loads(r1, protocol, oob)
    assert_array_equal(np.asarray(r2), np.asarray(g))
    assert float(ga.sum(r2)) == float(np.asarray(g).sum())  # Go kernels read the result


# ---- bad reconstruct input ---------------------------------------------------------

def test_wrong_buffer_size_is_refused():
    g = ga.arange(6.0).reshape(2, 3)
    bufs = []
    data = pickle.dumps(g, protocol=5, buffer_callback=bufs.append)
    for n in (0, 47, 49, 96):
        with pytest.raises(ValueError, match=f"has {n} bytes but dtype float64 and shape \\(2, 3\\) need 48"):
            pickle.loads(data, buffers=[bytearray(n)])
    rb = ga._pickle._rebuild
    with pytest.raises(ValueError, match="need 0"):
        rb(bytearray(8), "<f8", (3, 0), "C", False)
    with pytest.raises(ValueError, match="need 16"):
        rb(b"\0" * 8, "<c16", (), "C", True)
    with pytest.raises(ValueError, match="has 5 bytes"):
        ga._pickle._rebuild_copy(b"\0" * 5, "<i4", (1,), "C", False)
    with pytest.raises(ValueError, match="need 4"):
        ga._pickle._rebuild_copy(b"\0" * 8, "<i4", (1,), "F", False)


def test_bad_reconstruct_arguments_are_refused():
    for rb in (ga._pickle._rebuild, ga._pickle._rebuild_copy):
        with pytest.raises(TypeError, match="does not support dtype"):
            rb(bytearray(8), "<M8[s]", (1,), "C", False)
        with pytest.raises(TypeError, match="does not support dtype"):
            rb(bytearray(8), ">f8", (1,), "C", False)  # byte order of another machine: not misread
        with pytest.raises(ValueError, match="order"):
            rb(bytearray(8), "<f8", (1,), "K", False)
        with pytest.raises(ValueError, match="negative"):
            rb(bytearray(8), "<f8", (-1,), "C", False)
        with pytest.raises(ValueError, match="tuple of integers"):
            rb(bytearray(8), "<f8", (1.0,), "C", False)
        with pytest.raises(ValueError, match="contiguous"):
            rb(np.zeros(4)[::2], "<f8", (2,), "C", False)
        with pytest.raises(TypeError):
            rb(object(), "<f8", (1,), "C", False)
    rb = ga._pickle._rebuild
    with pytest.raises(ValueError, match="order 'K'"):
        rb(bytearray(48), "<f8", (2, 3), "K", False)
    with pytest.raises(ValueError, match="order 'K'"):
        rb(bytearray(48), "<f8", (2, 3), "C", False, (1, 0))
    for axes in [(0, 0), (0,), (0, 1, 2), (1, 2), ("a", 0)]:
        with pytest.raises(ValueError, match="permutation"):
            rb(bytearray(48), "<f8", (2, 3), "K", False, axes)
    assert rb(bytearray(48), "<f8", (2, 3), "K", False, (1, 0)).strides == (8, 24)
    with pytest.raises(ValueError, match="order 'K'"):
        ga._pickle._rebuild_copy(bytearray(48), "<f8", (2, 3), "K", False)


# ---- copy.copy, copy.deepcopy -------------------------------------------------------

@pytest.mark.parametrize("fn", [copy.copy, copy.deepcopy], ids=["copy", "deepcopy"])
@pytest.mark.parametrize("dt", DTYPE_PARAMS)
def test_copy_like_numpy(dt, fn):
    for layout in LAYOUT_NAMES:
        for ro in (False, True):
            p = make_pair(layout, dt)
            if ro:
                p.g.flags.writeable = p.n.flags.writeable = False
            c, n_c = fn(p.g), fn(p.n)
            assert isinstance(c, ga.Array)
            assert c is not p.g
            assert (c.shape, c.dtype) == (n_c.shape, n_c.dtype), layout
            if c.size:
                assert c.strides == n_c.strides, layout
            assert_array_equal(np.asarray(c), n_c, strict=True)
            assert c.flags.writeable == n_c.flags.writeable == True, layout  # noqa: E712
            assert c.flags.owndata and c.base is None
            assert (c.flags.c_contiguous, c.flags.f_contiguous) == (n_c.flags.c_contiguous, n_c.flags.f_contiguous)
            if c.size:
                assert not np.shares_memory(np.asarray(c), np.asarray(p.g_owner)), layout
                c[...] = 0
                assert_array_equal(np.asarray(p.g), p.n)  # the source is untouched


def test_deepcopy_of_containers_uses_the_memo():
    g = ga.arange(6.0).reshape(2, 3)
    v = g[:, 1:]
    obj = [g, g, {"v": v, "g": g}, (v,)]
    r = copy.deepcopy(obj)
    n = np.arange(6.0).reshape(2, 3)
    n_r = copy.deepcopy([n, n, {"v": n[:, 1:], "g": n}, (n[:, 1:],)])
    assert r[0] is r[1] is r[2]["g"]
    assert r[2]["v"] is r[3][0]
    assert (n_r[0] is n_r[1]) and (r[0] is not g)
    assert_array_equal(np.asarray(r[2]["v"]), n_r[2]["v"])
    # as numpy's: a view and its base are copied apart
    assert not np.shares_memory(np.asarray(r[0]), np.asarray(r[2]["v"]))
    assert not np.shares_memory(n_r[0], n_r[2]["v"])
    r[0][0, 0] = 99
    assert float(g[0, 0]) == 0.0
    memo = {}
    c1 = copy.deepcopy(g, memo)
    assert copy.deepcopy(g, memo) is c1


# ---- across processes -----------------------------------------------------------------

def _spawn_worker(arrays, payload, buffers):
    """Runs in a 'spawn' child: arrays arrive by multiprocessing's pickling,
    the payload by protocol 5 with out-of-band buffers; both go back."""
    import pickle

    import numpy as np

    import goarray as ga
    oob = pickle.loads(payload, buffers=buffers)
    info = [(type(a).__name__, a.dtype.str, a.shape, a.flags.writeable,
             a.flags.f_contiguous and not a.flags.c_contiguous,
             np.asarray(a).tobytes(order="A")) for a in arrays + oob]
    sums = [complex(ga.sum(a)) for a in arrays + oob]
    back = []
    out = pickle.dumps(oob, protocol=5, buffer_callback=back.append)
    return arrays, info, sums, out, [bytearray(b.raw()) for b in back], ga._goarray._forked()


def test_multiprocessing_spawn_round_trip():
    n1 = sample((3, 4), "int16")
    n2 = sample((4, 3), "complex64", "F")
    n3 = sample((5,), "float32")
    n4 = sample((6, 2), "uint8")[::-2]
    g1, g2, g3 = ga_from(n1), ga_from(n2), ga_from(n3)
    g3.flags.writeable = False
    g4 = ga_from(sample((6, 2), "uint8"))[::-2]
    g5 = ga.broadcast_to(ga_from(sample((3,), "bool")), (2, 3))
    n5 = np.broadcast_to(sample((3,), "bool"), (2, 3))
    bufs = []
    payload = pickle.dumps([g1, g2, g3, g4, g5], protocol=5, buffer_callback=bufs.append)
    assert len(bufs) == 5
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(1) as pool:
        res = pool.apply_async(_spawn_worker, ([g1, g2, g3, g4, g5], payload, [bytearray(b.raw()) for b in bufs]))
        arrays, info, sums, out, back, forked = res.get(timeout=120)
    refs = [n1, n2, n3, n4, n5]
    writeable = [True, True, False, True, False]
    assert forked is False
    for i, (a, n) in enumerate(zip(arrays, refs)):
        assert isinstance(a, ga.Array)
        assert_like_numpy(a, pickle.loads(pickle.dumps(n)), writeable[i])
    assert len(info) == 10
    for (tname, dstr, shape, w, fc, data), n, wr in zip(info, refs + refs, writeable + writeable):
        assert tname == "Array"
        assert (dstr, tuple(shape), fc) == (n.dtype.str, n.shape, n.flags.f_contiguous and not n.flags.c_contiguous)
        assert w == wr
        assert data == n.tobytes(order="A" if fc else "C")
    assert sums == pytest.approx([complex(n.sum()) for n in refs + refs])
    # the child's protocol-5 pickle of what it received comes back
    got = pickle.loads(out, buffers=back)
    for a, n, w in zip(got, refs, writeable):
        assert_like_numpy(a, pickle.loads(pickle.dumps(n)), w)
