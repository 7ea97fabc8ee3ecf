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
_REDUCE = {"sum": 0, "min": 1, "max": 2}


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


def _axes(axis, ndim):
    if axis is None:
        return tuple(range(ndim))
    if isinstance(axis, tuple):
        axes = tuple(operator.index(a) for a in axis)
    else:
        axes = (operator.index(axis),)
    norm = []
    for a in axes:
        if not -ndim <= a < ndim:
            exc = np.exceptions.AxisError if hasattr(np, "exceptions") else np.AxisError
            raise exc(a, ndim)
        norm.append(a % ndim)
    if len(set(norm)) != len(norm):
        raise ValueError("duplicate value in 'axis'")
    return tuple(sorted(norm))


def _sum_dtype(dt):
    if dt.kind == "b" or (dt.kind == "i" and dt.itemsize < 8):
        return np.dtype(np.int64)
    if dt.kind == "u" and dt.itemsize < 8:
        return np.dtype(np.uint64)
    return dt


def _reduce(name, a, axis, dtype, out, keepdims, threads, initial_check=True):
    x, weak = _operand(a)
    if weak:
        x = np.asarray(x)
    axes = _axes(axis, x.ndim)
    if name == "sum":
        acc = _sum_dtype(x.dtype) if dtype is None else _dtypes.dtype_of(dtype)
    else:
        acc = x.dtype
        if dtype is not None and _dtypes.dtype_of(dtype) != acc:
            raise TypeError(f"goarray.{name} computes in the array's dtype; dtype= must be {acc}")
    src = x
    result_dt = acc
    if acc.kind == "f" and acc.itemsize == 2:  # no float16 kernels: accumulate in float32
        acc = np.dtype(np.float32)
    if x.dtype.kind == "f" and x.dtype.itemsize == 2:
        src = _as_dtype(x, False, np.dtype(np.float32))
    if x.dtype.kind == "c" and acc != x.dtype:
        src = _as_dtype(x, False, acc)
    if name != "sum" and x.dtype.kind == "c":
        raise TypeError(f"goarray.{name} does not support complex dtypes yet")
    kept = tuple(d for i, d in enumerate(x.shape) if i not in axes)
    if name != "sum" and any(x.shape[i] == 0 for i in axes):
        raise ValueError(f"zero-size array to reduction operation {'minimum' if name == 'min' else 'maximum'} "
                         "which has no identity")
    res = empty(kept, acc)
    _goarray._kernel("reduce", (res, src), 1, (_REDUCE[name],) + axes, (), _threads(threads))
    if result_dt != acc:
        res = res.astype(result_dt)
    if keepdims:
        res = res.reshape(tuple(1 if i in axes else d for i, d in enumerate(x.shape)))
    if out is not None:
        o = out[0] if isinstance(out, tuple) else out
        target = np.asarray(o)
        if target.shape != np.asarray(res).shape:
            raise ValueError(f"output parameter for reduction operation {name} has the wrong shape "
                             f"{target.shape}, expected {np.asarray(res).shape}")
        np.copyto(target, np.asarray(res), casting="same_kind")
        return o
    if res.ndim == 0:
        return res[()]
    return res


def sum(a, axis=None, dtype=None, out=None, keepdims=False, *, threads=None):  # noqa: A001
    """Sum of elements over ``axis`` (numpy.sum); pairwise summation for floats."""
    return _reduce("sum", a, axis, dtype, out, keepdims, threads)


def min(a, axis=None, out=None, keepdims=False, *, threads=None):  # noqa: A001
    """Minimum over ``axis`` (numpy.min); NaN wins."""
    return _reduce("min", a, axis, None, out, keepdims, threads)


def max(a, axis=None, out=None, keepdims=False, *, threads=None):  # noqa: A001
    """Maximum over ``axis`` (numpy.max); NaN wins."""
    return _reduce("max", a, axis, None, out, keepdims, threads)


def mean(a, axis=None, dtype=None, out=None, keepdims=False, *, threads=None):
    """Arithmetic mean over ``axis`` (numpy.mean)."""
    x, weak = _operand(a)
    if weak:
        x = np.asarray(x)
    axes = _axes(axis, x.ndim)
    n = 1
    for i in axes:
        n *= x.shape[i]
    if dtype is not None:
        acc = _dtypes.dtype_of(dtype)
    elif x.dtype.kind in "biu":
        acc = np.dtype(np.float64)
    else:
        acc = x.dtype
    s = _reduce("sum", x, axis, acc, None, keepdims, threads)
    with np.errstate(invalid="ignore", divide="ignore"):
        if isinstance(s, Array):
            np.true_divide(np.asarray(s), n, out=np.asarray(s), casting="unsafe")
            r = s
        else:
            r = np.true_divide(s, n, dtype=acc if acc.kind in "fc" else None)
            r = acc.type(r) if acc.kind in "fc" else r
    if out is not None:
        o = out[0] if isinstance(out, tuple) else out
        np.copyto(np.asarray(o), np.asarray(r), casting="same_kind")
        return o
    return r
