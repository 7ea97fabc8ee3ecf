"""ga.from_buffer: a zero-copy goarray view of any PEP 3118 exporter.

numpy is the reference: the view has the exporter's shape, strides and
dtype (numpy's reading of the format), shares its memory both ways, is
writable iff the exporter is, and holds the exporter's buffer while it
lives. Formats are checked code by code against struct.calcsize and
numpy's own reading of the same buffer; what goarray cannot read in place
(non-native byte order, records, suboffsets, misaligned data) is refused
with an exception naming the reason, never misread.
"""
import array
import gc
import mmap
import struct
import sys

import numpy as np
import pytest
from numpy.testing import assert_array_equal

import goarray as ga

try:
    import _testbuffer as tb
except ImportError:  # pragma: no cover - ships with CPython
    tb = None

needs_testbuffer = pytest.mark.skipif(tb is None, reason="_testbuffer is not available")

DTYPES = [np.dtype(c) for c in "?bBhHiIlLqQefdFD"]
NATIVE = "<" if sys.byteorder == "little" else ">"
FOREIGN = ">" if NATIVE == "<" else "<"


def sample(shape, dt, seed=0):
    rng = np.random.default_rng(seed)
    if dt.kind == "b":
        return rng.integers(0, 2, shape).astype(dt)
    if dt.kind in "iu":
        info = np.iinfo(dt)
        return rng.integers(info.min, info.max, shape, endpoint=True, dtype=dt)
    if dt.kind == "c":
        return (rng.standard_normal(shape) + 1j * rng.standard_normal(shape)).astype(dt)
    return rng.standard_normal(shape).astype(dt)


def layouts(dt):
    """(id, numpy array) pairs: every layout family numpy can export."""
    base = sample((6, 8), dt)
    return [
        ("c", base),
        ("f", np.asfortranarray(base)),
        ("step", base[::2, 1::3]),
        ("reversed", base[::-1, ::-2]),
        ("transposed", base.T),
        ("0d", base[2:3, 3:4].reshape(())),
        ("zero-size", base[:0]),
        ("broadcast", np.broadcast_to(base[0], (3, 8))),
        ("3d", sample((2, 3, 4), dt)[:, ::-1]),
    ]


def assert_views(g, n):
    """g is a zero-copy view of the numpy array n."""
    assert isinstance(g, ga.Array)
    assert g.shape == n.shape
    assert g.dtype == n.dtype
    assert g.strides == n.strides
    v = np.asarray(g)
    assert_array_equal(v, n, strict=True)
    if n.size:
        assert np.shares_memory(v, n)
        assert v.__array_interface__["data"][0] == n.__array_interface__["data"][0]


# ---- numpy arrays: every dtype and layout ------------------------------------

@pytest.mark.parametrize("dt", DTYPES, ids=str)
def test_numpy_layouts_are_viewed_in_place(dt):
    for name, n in layouts(dt):
        g = ga.from_buffer(n)
        assert_views(g, n), name
        assert g.flags.writeable == n.flags.writeable, name
        assert g.base is n, name  # the exporter, as np.frombuffer's base


@pytest.mark.parametrize("dt", DTYPES, ids=str)
def test_writes_are_seen_both_ways(dt):
    n = sample((5, 7), dt)[1:, ::-2]
    g = ga.from_buffer(n)
    other = sample(n.shape, dt, seed=9)
    g[...] = other
    assert_array_equal(n, other)
    n[0, 0] = n[1, 1]
    assert np.asarray(g)[0, 0] == n[1, 1]
    np.asarray(g)[2] = n[3]
    assert_array_equal(n[2], n[3])


def test_goarray_view_of_a_goarray_view():
    a = ga.arange(24.0).reshape(4, 6)
    g = ga.from_buffer(a[::2, ::-1])
    assert_views(g, np.asarray(a)[::2, ::-1])
    g[0, 0] = -1
    assert float(a[0, 5]) == -1


def test_view_outlives_the_exporter_object():
    n = np.arange(1000.0)
    addr = n.__array_interface__["data"][0]
    g = ga.from_buffer(n[10:])
    del n
    gc.collect()
    v = np.asarray(g)
    assert v.__array_interface__["data"][0] == addr + 80
    assert_array_equal(v, np.arange(10.0, 1000.0))


# ---- other exporters ------------------------------------------------------------

def test_bytearray_bytes_and_memoryview():
    b = bytearray(range(16))
    g = ga.from_buffer(b)
    assert (g.shape, g.dtype, g.flags.writeable) == ((16,), np.dtype(np.uint8), True)
    g[3] = 200
    assert b[3] == 200
    r = ga.from_buffer(bytes(range(8)))
    assert not r.flags.writeable
    with pytest.raises(ValueError):
        r[0] = 1
    m = memoryview(bytearray(48)).cast("d", (2, 3))
    g = ga.from_buffer(m)
    assert (g.shape, g.strides, g.dtype) == ((2, 3), (24, 8), np.dtype(np.float64))
    g[1, 2] = 2.5
    assert m[1, 2] == 2.5
    assert not ga.from_buffer(memoryview(b"abcdefgh").cast("i")).flags.writeable
    s = ga.from_buffer(memoryview(bytearray(64)).cast("h")[1::3])
    assert (s.shape, s.strides, s.dtype) == ((11,), (6,), np.dtype(np.int16))


@pytest.mark.parametrize("code", "bBhHiIlLqQfd")
def test_array_array(code):
    a = array.array(code, range(1, 11))
    g = ga.from_buffer(a)
    assert g.dtype == np.asarray(a).dtype == np.dtype(code)
    assert_array_equal(np.asarray(g), np.asarray(a), strict=True)
    g[0] = 7
    assert a[0] == 7


def test_mmap_is_viewed_and_held():
    m = mmap.mmap(-1, 4096)
    g = ga.from_buffer(m, dtype="float64")
    assert g.shape == (512,)
    g[5] = 1.5
    assert struct.unpack_from("d", m, 40)[0] == 1.5
    with pytest.raises(BufferError):
        m.close()  # the view holds the buffer
    del g
    gc.collect()
    m.close()


def test_buffer_held_while_the_view_lives():
    b = bytearray(32)
    g = ga.from_buffer(b)
    with pytest.raises(BufferError):
        b.extend(b"more")
    v = np.asarray(g[4:])  # a numpy view of the goarray view keeps holding it
    del g
    gc.collect()
    with pytest.raises(BufferError):
        b.extend(b"more")
    del v
    gc.collect()
    b.extend(b"more")  # released once every view is gone
    assert len(b) == 36


def test_numpy_scalar_is_a_read_only_0d_view():
    g = ga.from_buffer(np.float32(2.5))
    assert (g.shape, g.dtype, g.flags.writeable) == ((), np.dtype(np.float32), False)
    assert float(g) == 2.5


def test_not_a_buffer_is_typeerror():
    for bad in (3, 2.5, "text", [1, 2], None, object()):
        with pytest.raises(TypeError):
            ga.from_buffer(bad)


# ---- writability ----------------------------------------------------------------

def test_writable_iff_the_exporter_is():
    n = np.arange(6.0)
    n.flags.writeable = False
    g = ga.from_buffer(n)
    assert not g.flags.writeable
    with pytest.raises(ValueError):
        g[0] = 1
    with pytest.raises((ValueError, BufferError)):
        g.flags.writeable = True
    m = memoryview(g)
    assert m.readonly
    with pytest.raises(TypeError):
        m[0] = 1.0
    with pytest.raises(ValueError):
        np.asarray(g)[0] = 1  # numpy sees it read-only too
    assert_array_equal(n, np.arange(6.0))
    w = ga.from_buffer(np.arange(6.0))
    w.flags.writeable = False
    with pytest.raises(ValueError):
        w[0] = 1
    w.flags.writeable = True  # its exporter is writable, so it may go back
    w[0] = 5
    assert float(w[0]) == 5


def test_broadcast_numpy_input_is_read_only():
    n = np.broadcast_to(np.arange(3.0), (4, 3))
    g = ga.from_buffer(n)
    assert g.strides == (0, 8) and not g.flags.writeable


# ---- resize ---------------------------------------------------------------------

def test_resize_refused_on_a_foreign_view():
    b = bytearray(16)
    g = ga.from_buffer(b)
    with pytest.raises(ValueError, match="does not own its data"):
        g.resize(32)
    assert len(b) == 16 and g.shape == (16,)


# ---- dtype= reinterprets the bytes --------------------------------------------

@pytest.mark.parametrize("dt", DTYPES, ids=str)
def test_dtype_reinterprets_like_view(dt):
    n = sample((4, 16), np.dtype(np.uint8))
    if 16 % dt.itemsize:
        pytest.skip("row not a multiple of the itemsize")
    g = ga.from_buffer(n, dtype=dt)
    want = n.view(dt)
    assert (g.shape, g.strides, g.dtype) == (want.shape, want.strides, want.dtype)
    assert np.asarray(g).tobytes() == want.tobytes()
    assert np.shares_memory(np.asarray(g), n)


def test_dtype_errors_follow_view():
    with pytest.raises(ValueError, match="divisor"):
        ga.from_buffer(bytearray(15), dtype="float64")
    with pytest.raises(ValueError, match="contiguous"):
        ga.from_buffer(np.zeros((4, 6))[:, ::2], dtype="float32")
    with pytest.raises(TypeError):
        ga.from_buffer(bytearray(16), dtype="datetime64[s]")
    g = ga.from_buffer(np.zeros((3, 4), np.float64), dtype="int64")  # same size: any layout
    assert (g.shape, g.dtype) == ((3, 4), np.dtype(np.int64))


# ---- formats: each code against struct.calcsize and numpy ---------------------

STRUCT_CODES = "?bBhHiIlLqQefd"


@needs_testbuffer
@pytest.mark.parametrize("prefix", ["", "@", "=", NATIVE])
@pytest.mark.parametrize("code", STRUCT_CODES)
def test_every_native_format_code(code, prefix):
    fmt = prefix + code
    size = struct.calcsize(fmt)
    items = [bool(i % 2) for i in range(6)] if code == "?" else [i - 2 for i in range(6)] \
        if code in "bhilqefd" else list(range(6))
    x = tb.ndarray(items, shape=[2, 3], format=fmt, flags=tb.ND_WRITABLE)
    ref = np.asarray(x)  # numpy's reading of the same buffer
    g = ga.from_buffer(x)
    assert g.itemsize == size == ref.itemsize
    assert g.dtype == ref.dtype, fmt
    assert g.strides == ref.strides == (3 * size, size)
    assert_array_equal(np.asarray(g), ref, strict=True)
    g[1, 2] = 1
    assert x[1][2] == (True if code == "?" else 1)


@pytest.mark.parametrize("dt", [np.dtype(np.complex64), np.dtype(np.complex128)], ids=str)
def test_complex_formats(dt):
    n = sample((3, 2), dt)
    fmt = memoryview(n).format
    assert fmt == ("Zf" if dt.itemsize == 8 else "Zd")
    g = ga.from_buffer(n)
    assert g.dtype == dt
    assert_array_equal(np.asarray(g), n, strict=True)
    g[0, 0] = 1 - 2j
    assert n[0, 0] == 1 - 2j


@needs_testbuffer
@pytest.mark.parametrize("code", "hHiIlLqQefd")
@pytest.mark.parametrize("prefix", [FOREIGN, "!"])
def test_non_native_byte_order_is_refused(code, prefix):
    x = tb.ndarray(list(range(4)), shape=[4], format=prefix + code)
    with pytest.raises(TypeError, match="byte order"):
        ga.from_buffer(x)
    n = np.arange(4, dtype=FOREIGN + code)
    with pytest.raises(TypeError, match="byte order"):
        ga.from_buffer(n)
    # ... but asarray converts (a copy in native order)
    assert_array_equal(np.asarray(ga.asarray(n)), n)


@needs_testbuffer
@pytest.mark.parametrize("code", "?bB")
def test_single_byte_codes_ignore_byte_order(code):
    x = tb.ndarray([1, 0, 1, 1], shape=[4], format=FOREIGN + code)
    g = ga.from_buffer(x)
    assert g.dtype == np.asarray(x).dtype
    assert_array_equal(np.asarray(g), np.asarray(x), strict=True)


@needs_testbuffer
@pytest.mark.parametrize("fmt, reason", [("ii", "multiple fields"), ("2d", "repeat count"),
                                         ("P", "pointer"), ("c", ""), ("3s", "")])
def test_other_struct_formats_are_refused(fmt, reason):
    n = struct.calcsize(fmt)
    items = [(1, 2)] * 3 if fmt in ("ii", "2d") else [b"a"] * 3 if fmt == "c" else [b"abc"] * 3 \
        if fmt == "3s" else [0] * 3
    x = tb.ndarray(items, shape=[3], format=fmt)
    assert x.itemsize == n
    with pytest.raises(TypeError, match="format") as e:
        ga.from_buffer(x)
    assert reason in str(e.value)


@pytest.mark.parametrize("dt", [np.dtype([("a", "i4"), ("b", "f8")]), np.dtype("U3"), np.dtype("S4"),
                                np.dtype("V8")], ids=str)
def test_numpy_dtypes_without_a_goarray_dtype_are_refused(dt):
    n = np.zeros(3, dt)
    with pytest.raises(TypeError, match="format"):
        ga.from_buffer(n)


@needs_testbuffer
def test_suboffsets_are_refused():
    x = tb.ndarray(list(range(12)), shape=[3, 4], format="i", flags=tb.ND_PIL)
    with pytest.raises(BufferError, match="suboffsets"):
        ga.from_buffer(x)


@pytest.mark.parametrize("dt", ["int16", "int32", "float64", "complex128"])
def test_misaligned_data_is_refused(dt):
    dt = np.dtype(dt)
    raw = np.zeros(4 * dt.itemsize + 1, np.uint8)
    n = raw[1:].view(dt)
    assert not n.flags.aligned
    with pytest.raises(BufferError, match="aligned"):
        ga.from_buffer(n)
    c = ga.asarray(n)  # asarray copies into aligned Go memory instead
    assert c.dtype == dt and np.asarray(c).__array_interface__["data"][0] % dt.itemsize == 0


# ---- asarray is zero-copy for matching buffers --------------------------------

@pytest.mark.parametrize("dt", DTYPES, ids=str)
def test_asarray_views_matching_buffers(dt):
    n = sample((4, 5), dt)[:, ::2]
    g = ga.asarray(n)
    assert_views(g, n)
    other = np.dtype(np.float64) if dt != np.float64 else np.dtype(np.float32)
    c = ga.asarray(n, dtype=other)
    assert c.dtype == other
    assert not np.shares_memory(np.asarray(c), n)
    assert_array_equal(np.asarray(c), n.astype(other))


def test_asarray_of_bytearray_and_memoryview_shares_memory():
    b = bytearray(8)
    g = ga.asarray(b)
    g[0] = 9
    assert b[0] == 9
    m = memoryview(bytearray(16)).cast("f")
    g = ga.asarray(m)
    g[1] = 0.5
    assert m[1] == 0.5


@pytest.mark.parametrize("dtype", ["float64", "int32", "complex64", "bool"])
@pytest.mark.parametrize("readonly", [False, True])
def test_view_of_a_known_format_takes_a_go_array_only_when_go_needs_one(dtype, readonly):
    """A view of a format goarray exports itself (numpy's results, wrapped
    by every numpy function goarray does not compute) makes no Go array
    until Go works on it; then every operation sees the exporter's layout."""
    base = np.arange(24).astype(dtype).reshape(4, 6)
    n = base[::-1, 1::2]  # strided and negative: the record is the exporter's
    n.flags.writeable = not readonly
    live = ga._goarray._live_handles()
    g = ga.from_buffer(n)
    assert ga._goarray._live_handles() == live
    assert (g.shape, g.strides, g.dtype, g.flags.writeable) == (n.shape, n.strides, n.dtype, not readonly)
    assert_array_equal(np.asarray(g), n)
    v = g[1:, ::2]  # a view made by Go
    assert ga._goarray._live_handles() > live
    assert_array_equal(np.asarray(v), n[1:, ::2])
    assert_array_equal(np.asarray(g.copy()), n)
    assert_array_equal(np.asarray(g.reshape(-1)), n.reshape(-1))
    if readonly:
        with pytest.raises(ValueError, match="read-only"):
            g.fill(1)
        with pytest.raises(ValueError):
            g.flags.writeable = True
    else:
        g.fill(1)
        assert (base[::-1, 1::2] == 1).all() and (base[:, ::2] == np.arange(24).astype(dtype).reshape(4, 6)[:, ::2]).all()
    del v, g
    gc.collect()
    assert ga._goarray._live_handles() == live


def test_view_of_a_known_format_made_read_only_before_go_sees_it():
    n = np.arange(6.0)
    g = ga.from_buffer(n)
    g.flags.writeable = False  # Go's array, made here, is read-only too
    with pytest.raises(ValueError, match="read-only"):
        g[0] = 5.0
    g.flags.writeable = True
    g[0] = 5.0
    assert n[0] == 5.0
