"""The Arrow PyCapsule interface: Array.__arrow_c_array__ / __arrow_c_stream__
(export) and ga.from_arrow (import), with pyarrow, polars, nanoarrow (a
neutral C consumer and producer) and duckdb on the other side, numpy as the
reference for values.

Zero-copy is asserted by address. Release is checked through the array's
export count: every export adds one and its release takes it off, so a
count back at exactly its starting value means released exactly once (a
second release would take it below). The C structs are opened with ctypes
to check what goarray writes and to release them from a thread without the
GIL, as consumers do."""
import ctypes as C
import gc
import threading

import numpy as np
import pytest

import goarray as ga

pa = pytest.importorskip("pyarrow")

INTS = ["int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64"]
FLOATS = ["float16", "float32", "float64"]
FORMATS = {"bool": b"b", "int8": b"c", "uint8": b"C", "int16": b"s", "uint16": b"S", "int32": b"i",
           "uint32": b"I", "int64": b"l", "uint64": b"L", "float16": b"e", "float32": b"f", "float64": b"g"}


def values(dtype, n=10):
    return (np.arange(n) * 7 % 11).astype(dtype)


def garray(dtype, n=10):
    return ga.asarray(values(dtype, n))


def buffer_address(a, i=1):
    return a.buffers()[i].address


# ---- the C Data Interface, in ctypes -------------------------------------

class ArrowSchema(C.Structure):
    pass


ArrowSchema._fields_ = [("format", C.c_char_p), ("name", C.c_char_p), ("metadata", C.c_char_p),
                        ("flags", C.c_int64), ("n_children", C.c_int64),
                        ("children", C.POINTER(C.POINTER(ArrowSchema))), ("dictionary", C.c_void_p),
                        ("release", C.c_void_p), ("private_data", C.c_void_p)]


class ArrowArray(C.Structure):
    pass


ArrowArray._fields_ = [("length", C.c_int64), ("null_count", C.c_int64), ("offset", C.c_int64),
                       ("n_buffers", C.c_int64), ("n_children", C.c_int64),
                       ("buffers", C.POINTER(C.c_void_p)), ("children", C.POINTER(C.POINTER(ArrowArray))),
                       ("dictionary", C.c_void_p), ("release", C.c_void_p), ("private_data", C.c_void_p)]

RELEASE = C.CFUNCTYPE(None, C.c_void_p)  # ctypes drops the GIL for the call
_get_pointer = C.pythonapi.PyCapsule_GetPointer
_get_pointer.restype = C.c_void_p
_get_pointer.argtypes = [C.py_object, C.c_char_p]


def struct_of(capsule, name, kind):
    return kind.from_address(_get_pointer(capsule, name))


def move(src, kind):
    """Moves the struct out as a consumer does: a byte copy, then the source
    marked released."""
    dst = kind()
    C.memmove(C.addressof(dst), C.addressof(src), C.sizeof(kind))
    src.release = None
    return dst


def release(struct):
    RELEASE(struct.release)(C.addressof(struct))


# ---- export: layout and types --------------------------------------------

@pytest.mark.parametrize("dtype", INTS + FLOATS)
def test_export_primitive_zero_copy(dtype):
    g = garray(dtype)
    a = pa.array(g)
    assert a.type == pa.from_numpy_dtype(np.dtype(dtype))
    assert a.null_count == 0 and a.buffers()[0] is None
    assert buffer_address(a) == g._data
    np.testing.assert_array_equal(a.to_numpy(), values(dtype))


def test_export_structs():
    g = ga.asarray(np.arange(6.0).reshape(2, 3))
    s, a = g.__arrow_c_array__()
    sc, ar = struct_of(s, b"arrow_schema", ArrowSchema), struct_of(a, b"arrow_array", ArrowArray)
    assert sc.format == b"+w:3" and sc.n_children == 1 and sc.name == b""
    child = sc.children[0].contents
    assert child.format == b"g" and child.n_children == 0 and child.name == b"item"
    assert (ar.length, ar.null_count, ar.offset, ar.n_buffers, ar.n_children) == (2, 0, 0, 1, 1)
    assert ar.buffers[0] is None
    leaf = ar.children[0].contents
    assert (leaf.length, leaf.null_count, leaf.offset, leaf.n_buffers) == (6, 0, 0, 2)
    assert leaf.buffers[0] is None and leaf.buffers[1] == g._data
    assert g._exports == 1
    del s, a, sc, ar, child, leaf
    assert g._exports == 0


@pytest.mark.parametrize("shape", [(4, 3), (2, 3, 4), (2, 1, 2, 2), (3, 0), (0, 5)])
def test_export_nd_fixed_size_list_zero_copy(shape):
    n = np.arange(int(np.prod(shape)), dtype=np.float32).reshape(shape)
    g = ga.asarray(n)
    a = pa.array(g)
    t = a.type
    for k in shape[1:]:
        assert pa.types.is_fixed_size_list(t) and t.list_size == k
        t = t.value_type
    assert t == pa.float32()
    leaf = a
    for _ in shape[1:]:
        leaf = leaf.flatten()
    if n.size:
        assert buffer_address(leaf) == g._data
    assert len(a) == shape[0]
    assert a.to_pylist() == n.tolist()
    back = ga.from_arrow(a)
    assert back.shape == shape and back.dtype == np.float32
    np.testing.assert_array_equal(np.asarray(back), n)
    if n.size:
        assert back._data == g._data


def test_export_bool_is_packed_copy():
    n = np.array([True, False, True, True, False, False, False, True, True, False, True])
    g = ga.asarray(n)
    a = pa.array(g)
    assert a.type == pa.bool_()
    assert a.to_pylist() == n.tolist()
    assert buffer_address(a) != g._data
    assert g._exports == 0  # the packed copy is exported, not the array
    g2 = ga.asarray(n[:10].reshape(5, 2))
    assert pa.array(g2).to_pylist() == n[:10].reshape(5, 2).tolist()


def test_export_non_contiguous_and_misaligned_copy():
    n = np.arange(20.0)
    g = ga.asarray(n)
    a = pa.array(g[::3])
    assert a.to_pylist() == n[::3].tolist()
    assert buffer_address(a) not in range(g._data, g._data + g.nbytes)
    t = ga.asarray(n.reshape(4, 5)).T
    assert pa.array(t).to_pylist() == n.reshape(4, 5).T.tolist()
    raw = ga.zeros(17, "u1")
    np.asarray(raw)[1:] = np.arange(2.0).view(np.uint8)
    m = raw[1:].view("float64")
    assert not m.flags.aligned
    b = pa.array(m)
    assert b.to_pylist() == [0.0, 1.0]
    assert buffer_address(b) % 8 == 0
    # a contiguous slice is still zero-copy
    c = pa.array(g[5:9])
    assert buffer_address(c) == g._data + 40


def test_export_refusals():
    with pytest.raises(TypeError, match="0-d"):
        ga.asarray(1.0).__arrow_c_array__()
    with pytest.raises(TypeError, match="0-d"):
        ga.asarray(1.0).__arrow_c_stream__()
    for dt in ("complex64", "complex128"):
        with pytest.raises(TypeError, match=f"dtype {dt}"):
            pa.array(ga.zeros(3, dt))
    with pytest.raises(ValueError, match=r"below 2\*\*31, got 2147483648"):
        ga.empty((0, 2**31)).__arrow_c_array__()
    ga.empty((0, 2**31 - 1)).__arrow_c_array__()
    with pytest.raises(TypeError, match="PyCapsule"):
        ga.arange(3.0).__arrow_c_array__(requested_schema="g")


# ---- requested_schema ----------------------------------------------------

def test_requested_schema_casts():
    g = ga.arange(5.0)
    a = pa.array(g, type=pa.float32())
    assert a.type == pa.float32() and a.to_pylist() == [0.0, 1.0, 2.0, 3.0, 4.0]
    c = pa.chunked_array(g, type=pa.int64())
    assert c.type == pa.int64() and c.to_pylist() == [0, 1, 2, 3, 4]
    assert pa.array(g, type=pa.float64()).buffers()[1].address == g._data  # same type: no copy
    assert pa.array(ga.arange(3, dtype="int8"), type=pa.bool_()).to_pylist() == [False, True, True]
    # float narrowing is allowed, as pyarrow's safe cast
    assert pa.array(ga.asarray([0.1, 1e300]), type=pa.float32()).to_pylist()[1] == float("inf")
    g2 = ga.asarray(np.arange(6, dtype="int32").reshape(2, 3))
    b = pa.array(g2, type=pa.list_(pa.float64(), 3))
    assert b.type == pa.list_(pa.float64(), 3) and b.to_pylist() == [[0, 1, 2], [3, 4, 5]]
    assert g._exports == 0 and g2._exports == 0


def test_requested_schema_refusals():
    g = ga.asarray([0.0, 1.5])
    with pytest.raises(ValueError, match=r"without loss: the value .*1\.5"):
        pa.array(g, type=pa.int64())
    with pytest.raises(ValueError, match="without loss"):
        pa.array(ga.asarray([300, 1]), type=pa.int8())
    with pytest.raises(ValueError, match="without loss"):
        pa.array(ga.asarray([float("nan")]), type=pa.int32())
    with pytest.raises(ValueError, match="without loss"):
        pa.array(ga.asarray([-1]), type=pa.uint8())
    with pytest.raises(TypeError, match="format string.* u"):
        pa.array(g, type=pa.string())
    with pytest.raises(TypeError, match=r"\+w:3"):
        pa.array(ga.zeros((2, 3)), type=pa.list_(pa.float64(), 4))
    with pytest.raises(TypeError, match="tss"):
        pa.array(g, type=pa.timestamp("s"))
    assert g._exports == 0


# ---- streams -------------------------------------------------------------

def test_stream_one_chunk_zero_copy():
    g = ga.arange(10, dtype="int32")
    c = pa.chunked_array(g)
    assert c.num_chunks == 1 and c.type == pa.int32()
    assert buffer_address(c.chunk(0)) == g._data
    assert g._exports == 1  # the chunk holds its own export; the stream is gone
    del c
    gc.collect()
    assert g._exports == 0


def test_stream_fresh_each_time():
    na = pytest.importorskip("nanoarrow")
    g = ga.asarray(np.arange(6.0).reshape(3, 2))
    for _ in range(3):
        stream = na.ArrayStream(g)
        arrays = list(stream)
        assert len(arrays) == 1
        assert arrays[0].to_pylist() == [[0.0, 1.0], [2.0, 3.0], [4.0, 5.0]]
        del stream, arrays
    gc.collect()
    assert g._exports == 0


def test_stream_capsule_never_consumed():
    g = ga.arange(4.0)
    cap = g.__arrow_c_stream__()
    assert g._exports == 1
    del cap
    assert g._exports == 0


# ---- lifetime and release ------------------------------------------------

def test_resize_refused_while_arrow_holds_memory():
    g = ga.arange(8.0)
    a = pa.array(g)
    with pytest.raises(BufferError, match="export"):
        g.resize(16)
    del a
    gc.collect()
    g.resize(16)
    assert g.shape == (16,)


def test_capsule_never_consumed_releases():
    g = ga.asarray(np.arange(4.0).reshape(2, 2))
    s, a = g.__arrow_c_array__()
    assert g._exports == 1
    del s
    assert g._exports == 1
    del a
    assert g._exports == 0


def test_release_without_gil_on_a_thread():
    g = ga.asarray(np.arange(6.0).reshape(3, 2))
    s, a = g.__arrow_c_array__()
    moved = move(struct_of(a, b"arrow_array", ArrowArray), ArrowArray)
    schema = move(struct_of(s, b"arrow_schema", ArrowSchema), ArrowSchema)
    del s, a  # the capsules see released structs: nothing to do
    assert g._exports == 1
    errors = []

    def consumer():
        try:
            release(moved)  # ctypes calls it with the GIL released
            release(schema)
        except Exception as e:  # pragma: no cover - reported below
            errors.append(e)

    t = threading.Thread(target=consumer)
    t.start()
    t.join()
    assert not errors
    assert moved.release is None and schema.release is None
    assert g._exports == 0


def test_child_moved_out_outlives_parent():
    g = ga.asarray(np.arange(6.0).reshape(3, 2))
    s, a = g.__arrow_c_array__()
    parent = move(struct_of(a, b"arrow_array", ArrowArray), ArrowArray)
    child = move(parent.children[0].contents, ArrowArray)
    release(parent)
    assert parent.release is None
    assert g._exports == 1  # the child still holds the memory
    assert child.buffers[1] == g._data
    release(child)
    assert g._exports == 0
    del s, a


def test_release_by_pyarrow_on_another_thread():
    g = ga.arange(1000.0)
    box = [pa.array(g)]
    assert g._exports == 1
    t = threading.Thread(target=box.clear)
    t.start()
    t.join()
    gc.collect()
    assert g._exports == 0


def test_release_by_failing_consumer():
    g = ga.arange(3.0)
    s, a = g.__arrow_c_array__()
    wrong = pa.string().__arrow_c_schema__()
    with pytest.raises(Exception):
        pa.Array._import_from_c_capsule(wrong, a)  # a utf8 string needs 3 buffers
    del s, a
    gc.collect()
    assert g._exports == 0


def test_many_exports_balance():
    g = ga.arange(100.0)
    keep = [pa.array(g) for _ in range(50)] + [pa.chunked_array(g) for _ in range(50)]
    assert g._exports == 100
    del keep
    gc.collect()
    assert g._exports == 0


# ---- import --------------------------------------------------------------

@pytest.mark.parametrize("dtype", INTS + FLOATS)
def test_from_arrow_primitive_zero_copy_read_only(dtype):
    n = values(dtype)
    a = pa.array(n)
    g = ga.from_arrow(a)
    assert g.dtype == np.dtype(dtype) and g.shape == n.shape
    assert g._data == buffer_address(a)
    np.testing.assert_array_equal(np.asarray(g), n)
    assert not g.flags.writeable
    with pytest.raises(ValueError, match="read-only"):
        g[0] = 1
    with pytest.raises(ValueError):
        g.flags.writeable = True


def test_from_arrow_holds_producer_until_last_view():
    src = ga.arange(10.0)
    g = ga.from_arrow(src)  # goarray as the producer
    assert g._data == src._data and src._exports == 1
    v = g[2:5]
    del g
    gc.collect()
    assert src._exports == 1
    np.testing.assert_array_equal(np.asarray(v), [2.0, 3.0, 4.0])
    del v
    gc.collect()
    assert src._exports == 0


def test_from_arrow_slices_by_offset():
    base = pa.array(np.arange(20, dtype=np.int64))
    s = base.slice(5, 7)
    g = ga.from_arrow(s)
    np.testing.assert_array_equal(np.asarray(g), np.arange(5, 12))
    assert g._data == buffer_address(base) + 5 * 8
    fl = pa.FixedSizeListArray.from_arrays(pa.array(np.arange(12.0)), 3).slice(1, 2)
    np.testing.assert_array_equal(np.asarray(ga.from_arrow(fl)), np.arange(3.0, 9.0).reshape(2, 3))


def test_from_arrow_bool_copy():
    bits = [True, False, True, True, False, False, True, False, True, True, False]
    for lo in range(0, 5):
        g = ga.from_arrow(pa.array(bits).slice(lo))
        assert g.dtype == np.bool_
        assert np.asarray(g).tolist() == bits[lo:]
    assert ga.from_arrow(pa.array([], pa.bool_())).shape == (0,)


def test_from_arrow_nulls_refused():
    with pytest.raises(ValueError, match="has 1 null "):
        ga.from_arrow(pa.array([1.0, None, 3.0]))
    with pytest.raises(ValueError, match="has 2 nulls"):
        ga.from_arrow(pa.array([None, 2, None]))
    with pytest.raises(ValueError, match="null_value"):
        ga.from_arrow(pa.chunked_array([[1.0], [None]]))


def test_from_arrow_null_value_fills():
    g = ga.from_arrow(pa.array([1.0, None, 3.0]), null_value=-1.0)
    np.testing.assert_array_equal(np.asarray(g), [1.0, -1.0, 3.0])
    assert g.flags.writeable
    g = ga.from_arrow(pa.array([None, 5, None], pa.int16()), null_value=0)
    assert g.dtype == np.int16 and np.asarray(g).tolist() == [0, 5, 0]
    g = ga.from_arrow(pa.array([True, None, False]), null_value=True)
    assert np.asarray(g).tolist() == [True, True, False]
    # nulls at the list level fill whole rows
    fl = pa.array([[1.0, 2.0], None, [5.0, None]], pa.list_(pa.float64(), 2))
    g = ga.from_arrow(fl, null_value=0.0)
    np.testing.assert_array_equal(np.asarray(g), [[1.0, 2.0], [0.0, 0.0], [5.0, 0.0]])


def test_from_arrow_validity_without_nulls():
    # a slice past the nulls keeps the validity bitmap with 0 nulls in range
    s = pa.array([1.0, None, 3.0, 4.0]).slice(2)
    g = ga.from_arrow(s)
    np.testing.assert_array_equal(np.asarray(g), [3.0, 4.0])
    assert g._data == buffer_address(s) + 2 * 8


def test_from_arrow_null_count_unknown():
    na = pytest.importorskip("nanoarrow")
    data = np.arange(10.0)
    validity = np.packbits(np.array([1, 1, 0, 1, 1, 1, 1, 1, 1, 1], bool), bitorder="little")
    arr = na.c_array_from_buffers(na.float64(), 10, [validity, data], null_count=-1)
    with pytest.raises(ValueError, match="has 1 null "):
        ga.from_arrow(arr)
    arr = na.c_array_from_buffers(na.float64(), 7, [validity, data], null_count=-1, offset=3)
    g = ga.from_arrow(arr)
    np.testing.assert_array_equal(np.asarray(g), data[3:])
    arr = na.c_array_from_buffers(na.float64(), 3, [validity, data], null_count=-1, offset=1)
    g = ga.from_arrow(arr, null_value=np.nan)
    np.testing.assert_array_equal(np.asarray(g), [1.0, np.nan, 3.0])


def test_from_arrow_chunks_concatenated_copy():
    c = pa.chunked_array([np.arange(3.0), np.arange(3.0, 5.0), np.arange(5.0, 9.0)])
    g = ga.from_arrow(c)
    np.testing.assert_array_equal(np.asarray(g), np.arange(9.0))
    assert g.flags.writeable  # a copy
    e = ga.from_arrow(pa.chunked_array([], pa.int16()))
    assert e.shape == (0,) and e.dtype == np.int16
    e = ga.from_arrow(pa.chunked_array([], pa.list_(pa.float32(), 4)))
    assert e.shape == (0, 4) and e.dtype == np.float32
    nested = pa.chunked_array([pa.array([[1, 2]], pa.list_(pa.int8(), 2)), pa.array([[3, 4]], pa.list_(pa.int8(), 2))])
    np.testing.assert_array_equal(np.asarray(ga.from_arrow(nested)), [[1, 2], [3, 4]])


def test_from_arrow_refusals():
    cases = [(pa.array(["a"]), "'u'"), (pa.array([[1], [2, 3]]), r"'\+l'"),
             (pa.array(["x"]).dictionary_encode(), "dictionary"), (pa.array([1], pa.timestamp("s")), "'tss:'"),
             (pa.array([1], pa.date32()), "'tdD'"), (pa.array([b"x"]), "'z'"),
             (pa.record_batch({"a": [1], "b": [2]}), "2 fields")]
    for obj, msg in cases:
        with pytest.raises(TypeError, match=msg):
            ga.from_arrow(obj)
    with pytest.raises(TypeError, match="__arrow_c_array__"):
        ga.from_arrow([1.0, 2.0])
    assert np.asarray(ga.from_arrow(pa.record_batch({"a": [1.0, 2.0]}))).tolist() == [1.0, 2.0]


def test_round_trip_nd():
    for shape in [(5,), (4, 3), (2, 3, 2)]:
        n = np.arange(int(np.prod(shape)), dtype=np.int64).reshape(shape)
        g = ga.asarray(n)
        back = ga.from_arrow(pa.array(g))
        assert back.shape == shape and back._data == g._data
        back2 = ga.from_arrow(g)
        assert back2.shape == shape and back2._data == g._data


# ---- polars --------------------------------------------------------------

def test_polars():
    pl = pytest.importorskip("polars")
    g = ga.arange(10.0)
    s = pl.Series(g)
    assert s.dtype == pl.Float64 and s.to_list() == list(np.arange(10.0))
    assert s.to_numpy().ctypes.data == g._data  # zero-copy
    s2 = pl.Series(ga.asarray(np.arange(6, dtype="int32").reshape(2, 3)))
    assert s2.dtype == pl.Array(pl.Int32, 3) and s2.to_list() == [[0, 1, 2], [3, 4, 5]]
    back = ga.from_arrow(s2)
    assert back.shape == (2, 3) and back.dtype == np.int32
    np.testing.assert_array_equal(np.asarray(ga.from_arrow(pl.Series([1, 2, 3]))), [1, 2, 3])
    with pytest.raises(ValueError, match="1 null"):
        ga.from_arrow(pl.Series([1.0, None]))
    chunked = pl.concat([pl.Series([1.0, 2.0]), pl.Series([3.0])], rechunk=False)
    np.testing.assert_array_equal(np.asarray(ga.from_arrow(chunked)), [1.0, 2.0, 3.0])
    del s, s2
    gc.collect()
    assert g._exports == 0


# ---- nanoarrow -----------------------------------------------------------

def test_nanoarrow():
    na = pytest.importorskip("nanoarrow")
    g = ga.arange(5, dtype="uint16")
    arr = na.Array(g)
    assert arr.to_pylist() == [0, 1, 2, 3, 4]
    c = na.c_array(g)
    assert c.schema.format == "S" and c.length == 5 and c.null_count == 0
    assert c.buffers[1] == g._data  # zero-copy
    del c
    back = ga.from_arrow(na.Array([1.5, 2.5], na.float64()))
    np.testing.assert_array_equal(np.asarray(back), [1.5, 2.5])
    del arr
    gc.collect()
    assert g._exports == 0


# ---- duckdb --------------------------------------------------------------

def test_duckdb():
    duckdb = pytest.importorskip("duckdb")
    g = ga.arange(1000.0)  # noqa: F841  (read by name by duckdb)
    assert duckdb.sql("select sum(value) from g").fetchall()[0][0] == 499500.0
    assert g._exports == 0  # released by duckdb, without the GIL
    g2 = ga.asarray(np.arange(6.0).reshape(2, 3))  # noqa: F841
    assert duckdb.sql("select typeof(value) from g2 limit 1").fetchall()[0][0] == "DOUBLE[3]"
    assert duckdb.sql("select value from g2").fetchall() == [((0.0, 1.0, 2.0),), ((3.0, 4.0, 5.0),)]
    gi = ga.arange(10, dtype="int32")  # noqa: F841
    assert duckdb.sql("select sum(value) from gi where value > 4").fetchall()[0][0] == 35
    g16 = ga.arange(3, dtype="float16")  # noqa: F841
    with pytest.raises(duckdb.Error, match="e"):
        duckdb.sql("select * from g16").fetchall()
    gc.collect()
    assert g._exports == 0 and g2._exports == 0 and gi._exports == 0 and g16._exports == 0


# ---- Go kernels on Arrow objects -----------------------------------------

def test_kernels_take_arrow_objects():
    na = pytest.importorskip("nanoarrow")
    duckdb = pytest.importorskip("duckdb")
    x = na.Array([1.0, 2.0, 4.0], na.float64())
    assert ga.sum(x) == 7.0
    np.testing.assert_array_equal(np.asarray(ga.add(x, 1)), [2.0, 3.0, 5.0])
    np.testing.assert_array_equal(np.asarray(ga.sqrt(x)), np.sqrt([1.0, 2.0, 4.0]))
    assert ga.max(x) == 4.0 and ga.dot(x, x) == 21.0
    rel = duckdb.sql("select range::double as x from range(10)")
    assert ga.sum(rel) == 45.0
    assert ga.sum(pa.array(np.arange(5.0))) == 10.0
    with pytest.raises(TypeError, match="'u'"):
        ga.sum(na.Array(["a"], na.string()))


def test_kernels_refuse_nulls():
    for obj in (pa.array([1.0, None]), pa.chunked_array([[1.0], [None]])):
        for f in (ga.sum, ga.sqrt, lambda o: ga.add(o, 1.0), ga.mean):
            with pytest.raises(ValueError, match="1 null"):
                f(obj)
    pl = pytest.importorskip("polars")
    with pytest.raises(ValueError, match="1 null"):
        ga.sum(pl.Series([1.0, None]))


def test_read_only_arrays_export():
    src = pa.array(np.arange(6.0))
    g = ga.from_arrow(src)  # read-only view of Arrow memory
    again = pa.array(g)
    assert buffer_address(again) == buffer_address(src)
    r = ga.arange(4.0)
    r.flags.writeable = False
    assert pa.array(r).to_pylist() == [0.0, 1.0, 2.0, 3.0]


def test_export_of_view_holds_owner():
    owner = ga.arange(10.0)
    v = owner[2:6]
    base = owner._exports
    a = pa.array(v)
    assert buffer_address(a) == owner._data + 16
    assert owner._exports == base + 1
    with pytest.raises(BufferError):
        owner.resize(20)
    del v
    gc.collect()
    assert a.to_pylist() == [2.0, 3.0, 4.0, 5.0]
    del a
    gc.collect()
    assert owner._exports == 0


def test_kernels_unchanged_for_goarray_numpy_and_buffers():
    g = ga.arange(5.0)
    assert ga.sum(g) == 10.0 and ga.sum(np.arange(5.0)) == 10.0
    assert ga.sum(memoryview(np.arange(5.0))) == 10.0
    assert g._exports == 0


def test_bool_nd_round_trip_and_issue_misaligned_example():
    n = np.array([[True, False, True], [False, False, True]])
    back = ga.from_arrow(pa.array(ga.asarray(n)))
    assert back.shape == (2, 3) and back.dtype == np.bool_
    np.testing.assert_array_equal(np.asarray(back), n)
    m = ga.zeros(9, "u1")[1:].view("float64")
    assert not m.flags.aligned
    a = pa.array(m)
    assert a.to_pylist() == [0.0] and buffer_address(a) % 8 == 0
