"""Go kernels on goarray arrays and any buffer exporter.

Every function here accepts goarray arrays, numpy arrays and other buffer
exporters (memoryview, bytearray, array.array, mmap, ...) and Python
scalars, follows numpy's semantics for what it implements (NEP 50 type
promotion, broadcasting, ``axis``, ``keepdims``, ``out``, ``dtype``), and
returns a goarray array (or a numpy scalar for a full reduction).

Large kernels run without the GIL, split over goroutines (``threads=``,
default :func:`get_num_threads`). Chunk boundaries depend only on the size
of the data and partial results are combined in a fixed order, so results
are identical for every thread count. A kernel running in the main thread
polls for signals between chunks: Ctrl-C stops it within about 20 ms and
raises KeyboardInterrupt (an ``out=`` array may then be partly written).
"""
import numbers
import operator

import numpy as np

from . import _dtypes, _goarray
from ._array import Array
from ._creation import empty

_BINARY = {"add": 0, "subtract": 1, "multiply": 2, "divide": 3, "minimum": 4, "maximum": 5}
_ARITH = {np.dtype(t) for t in (np.int8, np.int16, np.int32, np.int64, np.uint8, np.uint16, np.uint32,
                                np.uint64, np.float32, np.float64, np.complex64, np.complex128)}
_ORDERED = {d for d in _ARITH if d.kind != "c"}
_FLOATS = {d for d in _ARITH if d.kind in "fc"}
# dtypes for which the same-dtype fast path gives numpy's result dtype
_FAST_BINARY = {"add": _ARITH, "subtract": _ARITH, "multiply": _ARITH, "divide": _FLOATS,
                "minimum": _ORDERED, "maximum": _ORDERED}


def set_num_threads(n):
    """Set the default number of goroutines a kernel uses (0 or None: all cores)."""
    return _goarray._set_num_threads(0 if n is None else operator.index(n))


def get_num_threads():
    """The default number of goroutines a kernel uses."""
    return _goarray._get_num_threads()


def _threads(threads):
    if threads is None:
        return 0
    t = operator.index(threads)
    if t < 1:
        raise ValueError(f"threads must be at least 1, got {t}")
    return t


def _operand(x):
    """A goarray array or a numpy view of any other input (zero-copy for
    buffers), with a flag saying it was a Python scalar (weak for NEP 50)."""
    if isinstance(x, Array):
        return x, False
    if isinstance(x, (bool, int, float, complex)) and not isinstance(x, np.generic):
        return x, True
    a = np.asarray(x)
    if a.dtype.byteorder == ">" or a.dtype.kind not in "biufc":
        _dtypes.code_of_numpy(a.dtype, a.dtype)
    return a, False


def _weak_kind(x):
    if isinstance(x, bool):
        return "b"
    if isinstance(x, int):
        return "i"
    if isinstance(x, float):
        return "f"
    return "c"


_KIND_ORDER = "biufc"


def result_type(*operands):
    """numpy's NEP 50 promotion: arrays and numpy scalars by dtype, Python
    scalars only by kind (they take the dtype of the arrays if it holds
    their kind)."""
    strong = [o.dtype for o, weak in operands if not weak]
    weak = [_weak_kind(o) for o, w in operands if w]
    dt = strong[0] if strong else None
    for d in strong[1:]:
        dt = np.promote_types(dt, d)
    for k in weak:
        if dt is None:
            dt = np.dtype({"b": np.bool_, "i": np.int64, "f": np.float64, "c": np.complex128}[k])
            continue
        have = "f" if dt.kind == "f" else dt.kind
        if _KIND_ORDER.index(k if k != "u" else "i") <= _KIND_ORDER.index(have if have != "u" else "i"):
            continue  # the array dtype holds the scalar's kind
        if k == "i":
            dt = np.dtype(np.int64)
        elif k == "f":
            dt = np.dtype(np.float64) if dt.kind in "biu" else dt
        elif k == "c":
            dt = np.dtype(np.complex128) if dt.kind in "biu" or dt.itemsize >= 8 else np.dtype(np.complex64)
    return dt


def _as_dtype(x, weak, dt):
    """x as an operand of dtype dt: goarray arrays and buffers of that dtype
    as they are, anything else converted (a copy)."""
    if weak:
        return np.asarray(x, dtype=dt)
    if x.dtype == dt:
        return x
    c = empty(x.shape, dt)
    np.copyto(np.asarray(c), x, casting="unsafe")
    return c


def _shape(x, weak):
    return () if weak else x.shape


def _binary(name, x, y, out=None, dtype=None, threads=None):
    if (out is None and dtype is None and threads is None and type(x) is Array and type(y) is Array
            and x.dtype is y.dtype and x.shape == y.shape and x.dtype in _FAST_BINARY[name]):
        # Two goarray arrays of one dtype and shape: nothing to promote,
        # broadcast or convert.
        res = empty(x.shape, x.dtype)
        _goarray._kernel("binary", (res, x, y), 1, (_BINARY[name],), (), 0)
        return res
    xo, yo = _operand(x), _operand(y)
    dt = result_type(xo, yo) if dtype is None else _dtypes.dtype_of(dtype)
    if name == "divide" and dt.kind in "biu":
        dt = np.dtype(np.float64)
    if name in ("minimum", "maximum") and dt.kind == "c":
        raise TypeError(f"goarray.{name} does not support complex dtypes yet")
    if dt.kind == "f" and dt.itemsize == 2:
        raise TypeError(f"goarray.{name} does not support float16 yet")
    code = _dtypes.code_of_numpy(dt)
    shape = np.broadcast_shapes(_shape(*xo), _shape(*yo))
    a, b = _as_dtype(*xo, dt), _as_dtype(*yo, dt)
    res, write_back = _output(out, shape, dt, code)
    _goarray._kernel("binary", (res, a, b), 1, (_BINARY[name],), (), _threads(threads))
    if write_back is not None:
        np.copyto(write_back, np.asarray(res), casting="same_kind")
        return out
    return res if out is None else out


def _output(out, shape, dt, code):
    """The array the kernel writes: out itself when it has the result's
    shape and dtype, else a temporary copied into out (numpy's same_kind
    casting) afterwards."""
    if out is None:
        return empty(shape, _dtypes.DTYPES[code]), None
    if isinstance(out, tuple):
        if len(out) != 1:
            raise ValueError("out must be a single array")
        out = out[0]
    o = out if isinstance(out, Array) else np.asarray(out)
    if tuple(o.shape) != tuple(shape):
        raise ValueError(f"non-broadcastable output operand with shape {tuple(o.shape)} "
                         f"doesn't match the broadcast shape {tuple(shape)}")
    if not o.flags.writeable:
        raise ValueError("output array is read-only")
    if o.dtype == dt:
        return out, None
    if not np.can_cast(dt, o.dtype, casting="same_kind"):
        raise TypeError(f"Cannot cast ufunc output from {dt!r} to {o.dtype!r} with casting rule 'same_kind'")
    return empty(shape, _dtypes.DTYPES[code]), np.asarray(out)


def add(x, y, out=None, *, dtype=None, threads=None):
    """x + y elementwise (numpy.add)."""
    return _binary("add", x, y, out, dtype, threads)


def subtract(x, y, out=None, *, dtype=None, threads=None):
    """x - y elementwise (numpy.subtract)."""
    return _binary("subtract", x, y, out, dtype, threads)


def multiply(x, y, out=None, *, dtype=None, threads=None):
    """x * y elementwise (numpy.multiply)."""
    return _binary("multiply", x, y, out, dtype, threads)


def divide(x, y, out=None, *, dtype=None, threads=None):
    """x / y elementwise (numpy.divide, true division)."""
    return _binary("divide", x, y, out, dtype, threads)


def minimum(x, y, out=None, *, dtype=None, threads=None):
    """Elementwise minimum; NaN wins (numpy.minimum)."""
    return _binary("minimum", x, y, out, dtype, threads)


def maximum(x, y, out=None, *, dtype=None, threads=None):
    """Elementwise maximum; NaN wins (numpy.maximum)."""
    return _binary("maximum", x, y, out, dtype, threads)


def scale(a, s, *, threads=None):
    """Multiply ``a`` by the scalar ``s`` in place (``a *= s``), casting
    ``s`` to a's dtype as numpy's in-place multiply does."""
    x, weak = _operand(a)
    if weak:
        raise TypeError("scale needs an array to multiply in place")
    dt = x.dtype
    if isinstance(s, np.ndarray) and s.ndim == 0:
        s = s[()]
    sdt = result_type((x, False), (s, not isinstance(s, np.generic)) if isinstance(s, numbers.Number) else (np.asarray(s), False))
    if not np.can_cast(sdt, dt, casting="same_kind"):
        raise TypeError(f"Cannot cast ufunc 'multiply' output from {sdt!r} to {dt!r} with casting rule 'same_kind'")
    if dt.kind == "f" and dt.itemsize == 2:
        raise TypeError("goarray.scale does not support float16 yet")
    if dt.kind == "b":
        raise TypeError("goarray.scale does not support bool arrays")
    if dt.kind in "iu":
        ints, floats = (int(s),), ()
    else:
        c = complex(s)
        ints, floats = (), (c.real, c.imag)
    _goarray._kernel("scale", (a,), 1, ints, floats, _threads(threads))
    return a
