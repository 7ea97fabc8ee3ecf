"""Go kernels on goarray arrays and any buffer exporter.

Every function here accepts goarray arrays, numpy arrays and other buffer
exporters (memoryview, bytearray, array.array, mmap, ...) and Python
scalars, follows numpy's semantics for what it implements (NEP 50 type
promotion, broadcasting, ``axis``, ``keepdims``, ``out``, ``dtype``,
``casting``), and returns a goarray array (or a numpy scalar for a full
reduction). The loop of an elementwise kernel, what ``dtype=`` selects and
the casting checks come from numpy's own resolver (``ufunc.resolve_dtypes``,
see loop_dtypes), so its errors are numpy's: ``ga.add(x, x, dtype="int8")``
on float64 raises numpy's UFuncTypeError, as ``np.add`` does.

Large kernels run without the GIL, split over goroutines (``threads=``,
default :func:`get_num_threads`). Chunk boundaries depend only on the size
of the data and partial results are combined in a fixed order, so results
are identical for every thread count. A kernel running in the main thread
polls for signals between chunks: Ctrl-C stops it within about 20 ms and
raises KeyboardInterrupt (an ``out=`` array may then be partly written).
"""
import numbers
import operator
import warnings

import numpy as np

from . import _arrow, _dtypes, _goarray, _registry
from ._array import Array
from ._compat import UFUNC_CASTS_WEAK_UNCHECKED
from ._creation import empty, ufunc_results
from ._fast import fast as _fast

_BINARY = _registry.codes("binary")                       # op name -> code
_BINARY_FAMILY = _registry.family("binary")
_SCALE = _registry.entry("scale", "scale")
# the dtypes of each binary operation's Go loops: for these the same-dtype
# path gives numpy's result dtype
_FAST_BINARY = {name: frozenset(np.dtype(d) for d in _registry.OPS["binary", name].dtypes) for name in _BINARY}


def set_num_threads(n):
    """Set the default number of goroutines a kernel uses.

    Parameters
    ----------
    n : int or None
        Goroutines for a kernel called without ``threads=``. 0 or None
        means one per core (Go's ``GOMAXPROCS``); a negative number is a
        ValueError.

    Returns
    -------
    int
        The new default, as :func:`get_num_threads` reports it.

    Notes
    -----
    The setting is process-wide and read at each call. Results do not
    depend on it: chunk boundaries depend only on the size of the data and
    partial results are combined in a fixed order, so a result is bitwise
    the same for every thread count.

    Examples
    --------
    >>> import goarray as ga
    >>> ga.set_num_threads(1)
    1
    >>> ga.get_num_threads()
    1
    >>> cores = ga.set_num_threads(None)   # back to one goroutine per core
    >>> cores == ga.get_num_threads() >= 1
    True
    """
    t = 0 if n is None else operator.index(n)
    if t < 0:
        raise ValueError(f"the number of threads must be at least 0 (0: one per core), got {t}")
    return _goarray._set_num_threads(t)


def get_num_threads():
    """The default number of goroutines a kernel uses.

    Returns
    -------
    int
        The value set by :func:`set_num_threads`, or the number of cores
        (Go's ``GOMAXPROCS``) when none is set.

    Examples
    --------
    >>> import goarray as ga
    >>> ga.get_num_threads() >= 1
    True
    """
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
    if type(x) is not np.ndarray and isinstance(x := _arrow.operand(x), Array):
        return x, False  # the Arrow PyCapsule interface: nulls refused, never NaN
    a = np.asarray(x)
    if a.dtype.kind not in "biufc":
        _dtypes.code_of_numpy(a.dtype, a.dtype)
    if a.dtype.byteorder == ">" or not a.flags.aligned:
        # numpy's loops read these through a native, aligned copy; so do the kernels
        a = a.astype(a.dtype.newbyteorder("="))
    return a, False


def result_type(*operands):
    """numpy's NEP 50 promotion of (operand, weak) pairs: arrays and numpy
    scalars by dtype, Python scalars (weak) by value (numpy.result_type)."""
    return np.result_type(*(o if weak else o.dtype for o, weak in operands))


_UFUNCS = {name: getattr(np, _registry.OPS["binary", name].serves) for name in _BINARY}
_BOOL = np.dtype(np.bool_)
#: the comparisons: the registry's binary operations with a bool result (Op.Result, as C reads it)
COMPARISONS = frozenset(n for n in _BINARY if _registry.OPS["binary", n].result == "bool")
#: the numpy ufunc of each binary operation, indexed by its code (the flat C path's table)
BINARY_UFUNCS = tuple(_UFUNCS[n] for n in sorted(_BINARY, key=_BINARY.get))
assert sorted(_BINARY.values()) == list(range(len(BINARY_UFUNCS))), "binary operation codes must be 0, 1, ..."
_MIXED_LOOPS = {(np.dtype(np.int64), np.dtype(np.uint64)), (np.dtype(np.uint64), np.dtype(np.int64))}
_LOOPS = {}   # (ufunc, operand keys, dtype, casting) -> numpy's loop dtypes


def key(x, weak):
    """An operand as ufunc.resolve_dtypes takes it: its dtype, or for a
    Python scalar its type (NEP 50's weak scalars; a Python bool is
    numpy's bool, never weak)."""
    if not weak:
        return x.dtype
    if isinstance(x, bool):
        return _BOOL
    return int if isinstance(x, int) else float if isinstance(x, float) else complex


def loop_dtypes(ufunc, keys, dtype=None, casting="same_kind"):
    """numpy's loop for ``ufunc(*operands, dtype=dtype, casting=casting)``:
    the dtypes of its inputs and outputs.

    keys holds one entry per operand, inputs then outputs (see key; None
    for an output to allocate). numpy's own resolver decides
    (``ufunc.resolve_dtypes``): the promotion, what ``dtype=`` selects, the
    casting checks of inputs and outputs and the exceptions (UFuncTypeError,
    "No loop matching ...", a bad casting rule or dtype) are numpy's.
    """
    k = (ufunc, keys, dtype, casting)
    try:
        hit = _LOOPS.get(k)
    except TypeError:   # an unhashable dtype= or casting=: numpy judges it
        hit, k = None, None
    if hit is not None:
        return hit
    if dtype is None:
        dts = ufunc.resolve_dtypes(keys, casting=casting)
    else:
        dts = ufunc.resolve_dtypes(keys, signature=(None,) * ufunc.nin + (dtype,) * ufunc.nout, casting=casting)
    if k is not None and len(_LOOPS) < 4096:
        _LOOPS[k] = dts
    return dts


def weak_value(x, dt):
    """Python scalar x as an operand of a loop of dtype dt, converted as
    numpy converts it (OverflowError for an int out of dt's range; floats
    and complex values cast unsafely)."""
    if isinstance(x, int):
        return np.asarray(x, dtype=dt)
    a = np.asarray(x)
    return a if a.dtype == dt else a.astype(dt)


def resolve(ufunc, operands, outs, dtype, casting):
    """loop_dtypes for (operand, weak) pairs and out dtypes (None: to
    allocate). Where the resolver refuses and a Python scalar is among the
    operands, numpy's call converts the scalar first (OverflowError, or
    TypeError from int() or float() in numpy 2.0), so the error raised is
    that of numpy's own call on empty operands of the same dtypes."""
    keys = tuple(key(x, w) for x, w in operands) + tuple(outs)
    if UFUNC_CASTS_WEAK_UNCHECKED and dtype is not None and any(w for _, w in operands):
        # numpy < 2.1 converts a Python scalar to the loop dtype= selects
        # (int(), float()) without the casting rule: numpy's own call, on
        # empty arrays, accepts or raises; the loop is then numpy's.
        args = [x if w else np.empty(0, x.dtype) for x, w in operands]
        o = tuple(None if d is None else np.empty(0, d) for d in outs)
        ufunc(*args, out=o if any(d is not None for d in outs) else None, dtype=dtype, casting=casting)
        return loop_dtypes(ufunc, keys, dtype, "unsafe")
    try:
        dts = loop_dtypes(ufunc, keys, dtype, casting)
    except TypeError:
        if not any(w for _, w in operands):
            raise
        r = _numpy_refusal(ufunc, operands, keys, outs, dtype, casting)
        # numpy 2.0's call accepts what its resolver refuses (a Python
        # float for an integer dtype=): no Go loop, numpy's own on the data
        return (None,) * ufunc.nin + (r.dtype,)
    if casting == "unsafe":
        for (x, w), d in zip(operands, dts):
            if w and not np.can_cast(np.asarray(x).dtype, d, "same_kind"):
                # a Python scalar of a higher kind than the loop's (numpy
                # 2.0 refuses a complex one for a real loop)
                _numpy_refusal(ufunc, operands, keys, outs, dtype, casting)
                break
    return dts


def _numpy_refusal(ufunc, operands, keys, outs, dtype, casting):
    """Raise what numpy's own call raises for these operand dtypes and
    Python scalars (on empty arrays: no work), if it raises; else its
    (empty) result."""
    args = [x if w else np.empty(0, k) for (x, w), k in zip(operands, keys)]
    kw = {"casting": casting}
    if dtype is not None:
        kw["dtype"] = dtype
    if outs and all(o is not None for o in outs):
        kw["out"] = tuple(np.empty(0, o) for o in outs)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")   # (the computation itself warns, once)
        return ufunc(*args, **kw)


def _as_dtype(x, weak, dt):
    """x as an operand of dtype dt: goarray arrays and buffers of that dtype
    as they are, anything else converted as numpy converts it (a copy)."""
    if weak:
        return weak_value(x, dt)
    if x.dtype == dt:
        return x
    c = empty(x.shape, dt)
    np.copyto(np.asarray(c), x, casting="unsafe")
    return c


def _shape(x, weak):
    return () if weak else x.shape


def _single_out(out):
    if isinstance(out, tuple):
        if len(out) != 1:
            raise ValueError("out must be a single array")
        return out[0]
    return out


def out_dtype(out):
    """The dtype of an out= argument (a goarray array or any buffer)."""
    return out.dtype if isinstance(out, (Array, np.ndarray)) else np.asarray(out).dtype


def numpy_loop(ufunc, operands, out, shape, dt, dtype, casting):
    """ufunc computed by numpy's own loop (the dtypes the Go kernels do not
    cover) on zero-copy views, into out or a new array in Go memory."""
    views = [x if w else np.asarray(x) for x, w in operands]
    res = _new_result(operands, shape, dt) if out is None else out
    ufunc(*views, out=np.asarray(res), dtype=dtype, casting=casting)
    return res


def _binary(name, x, y, out=None, dtype=None, casting="same_kind", threads=None):
    if (out is None and dtype is None and threads is None and casting == "same_kind" and type(x) is Array
            and type(y) is Array and x.dtype is y.dtype and x.shape == y.shape and x.dtype in _FAST_BINARY[name]):
        # Two goarray arrays of one dtype and shape: nothing to promote,
        # broadcast or convert.
        res = _new_result(((x, False), (y, False)), x.shape, _BOOL if name in COMPARISONS else x.dtype)
        _goarray._call(_BINARY_FAMILY, _BINARY[name], 0, res, x, y)
        return res
    out = _single_out(out)
    xo, yo = _operand(x), _operand(y)
    ufunc = _UFUNCS[name]
    # numpy's loop: dtype=, casting= and out='s dtype judged by numpy itself
    dts = resolve(ufunc, (xo, yo), (None if out is None else out_dtype(out),), dtype, casting)
    dt = dts[2]
    shape = np.broadcast_shapes(_shape(*xo), _shape(*yo))
    if out is not None:
        oshape = tuple(np.shape(out) if not isinstance(out, Array) else out.shape)
        if oshape != tuple(shape):
            try:
                ok = np.broadcast_shapes(shape, oshape) == oshape
            except ValueError:
                ok = False
            if not ok:
                raise ValueError(f"non-broadcastable output operand with shape {oshape} "
                                 f"doesn't match the broadcast shape {tuple(shape)}")
            shape = oshape  # numpy broadcasts the inputs to out's shape
    if name in COMPARISONS and dts[0] is not None and dt == _BOOL and (
            dts[0] == dts[1] or (dts[0], dts[1]) in _MIXED_LOOPS):
        return _compare(name, xo, yo, dts, out, shape, threads)
    if dts[0] != dt or dts[1] != dt or (dt.kind == "c" and name in ("minimum", "maximum")):
        # a loop without a Go kernel (complex minimum and maximum, or one
        # only numpy's call knows)
        _dtypes.code_of_numpy(dt)
        return numpy_loop(ufunc, (xo, yo), out, shape, dt, dtype, casting)
    code = _dtypes.code_of_numpy(dt)
    op = _BINARY[name]
    if dt.kind == "b":
        # numpy's boolean add/maximum is a logical or and multiply/minimum a
        # logical and: on 0/1 bytes, the uint8 maximum and minimum.
        op = _BINARY["maximum" if name in ("add", "maximum") else "minimum"]
    # float16 arithmetic runs in float32 (below); minimum and maximum select
    # an operand, and their Go kernel takes float16 as it is (numpy's half
    # loop: the first operand of two equal ones, +0.0 and -0.0).
    half_arith = dt.kind == "f" and dt.itemsize == 2 and name not in ("minimum", "maximum")
    compute = np.dtype(np.float32) if half_arith else dt
    if compute != dt:  # float16: Python scalars become float16 first, as in numpy
        xo = (weak_value(xo[0], dt), False) if xo[1] else xo
        yo = (weak_value(yo[0], dt), False) if yo[1] else yo
    a, b = _as_dtype(*xo, compute), _as_dtype(*yo, compute)
    if compute != dt:
        # float16: numpy computes each element in float32 and rounds the
        # result to float16; so does this (same results).
        res = _new_result((xo, yo), shape, compute)
        _goarray._call(_BINARY_FAMILY, op, _threads(threads), res, a, b)
        res = res.astype(dt)
        if out is None:
            return res
        target, wb = _output(out, shape, dt, code, "unsafe", (xo, yo))
        np.copyto(np.asarray(wb if wb is not None else target), np.asarray(res), casting="unsafe")
        return out
    res, write_back = _output(out, shape, dt, code, "unsafe", (xo, yo))
    if dt.kind == "b":
        _goarray._call(_BINARY_FAMILY, op, _threads(threads), _u8(res), _u8(a), _u8(b))
    else:
        _goarray._call(_BINARY_FAMILY, op, _threads(threads), res, a, b)
    if write_back is not None:
        np.copyto(write_back, np.asarray(res), casting="unsafe")
        return out
    return res if out is None else out


def _compare(name, xo, yo, dts, out, shape, threads):
    """A comparison by its Go kernel: the operands converted to numpy's loop
    dtypes (dts, inputs then the bool result), into out or a new bool array.
    A Python int beyond the loop dtype's range compares by value in numpy
    (int8 < 300 is True): numpy's own loop decides those."""
    try:
        a, b = _as_dtype(*xo, dts[0]), _as_dtype(*yo, dts[1])
    except OverflowError:
        return numpy_loop(_UFUNCS[name], (xo, yo), out, shape, _BOOL, None, "same_kind")
    res, write_back = _output(out, shape, _BOOL, _dtypes.code_of_numpy(_BOOL), "unsafe", (xo, yo))
    _goarray._call(_BINARY_FAMILY, _BINARY[name], _threads(threads), res, a, b)
    if write_back is not None:
        np.copyto(write_back, np.asarray(res), casting="unsafe")
        return out
    return res if out is None else out


def _u8(x):
    """A bool operand seen as uint8 bytes (a view, no copy)."""
    return x.view(np.uint8)


def writable(o):
    """o itself, or numpy's ValueError for a read-only output array (the
    one place this rule is written in Python; C checks the output
    parameters of every kernel call the same way)."""
    if not o.flags.writeable:
        raise ValueError("output array is read-only")
    return o


def _new_result(operands, shape, dt):
    """A new result array for (operand, weak) pairs, laid out as numpy's
    ufunc lays out its result (order="K")."""
    return ufunc_results([x for x, weak in operands if not weak], shape, (dt,))[0]


def _output(out, shape, dt, code, casting="same_kind", operands=()):
    """The array the kernel writes: out itself when it has the result's
    shape and dtype and is aligned, else a temporary copied into out
    afterwards (out's dtype must take dt under the casting rule). Without
    out, a new array laid out as numpy lays out the result for the
    (operand, weak) pairs."""
    if out is None:
        return _new_result(operands, shape, _dtypes.DTYPES[code]), None
    o = out if isinstance(out, Array) else np.asarray(out)
    if tuple(o.shape) != tuple(shape):
        raise ValueError(f"non-broadcastable output operand with shape {tuple(o.shape)} "
                         f"doesn't match the broadcast shape {tuple(shape)}")
    writable(o)
    if o.dtype == dt and o.flags.aligned:
        return out, None
    if not np.can_cast(dt, o.dtype, casting=casting):
        raise TypeError(f"Cannot cast ufunc output from {dt!r} to {o.dtype!r} with casting rule {casting!r}")
    return empty(shape, _dtypes.DTYPES[code]), np.asarray(out)


def scale(a, s, *, threads=None):
    """Multiply ``a`` by the scalar ``s`` in place and return ``a``.

    numpy's ``a *= s``: NEP 50 promotion of ``s``, same_kind casting back
    into a's dtype, OverflowError for a Python int out of a's range,
    integer wrap-around, a logical and for bool arrays.

    Parameters
    ----------
    a : goarray.Array or writable buffer
        The array to scale (a numpy array, memoryview, ... is scaled in
        place too).
    s : scalar
        A Python or numpy number (or a 0-d numpy array).
    threads : int, optional
        Goroutines to use (at least 1); default :func:`get_num_threads`.

    Returns
    -------
    goarray.Array or buffer
        ``a`` itself.

    Raises
    ------
    TypeError
        ``a`` is a scalar, ``s`` is not a scalar, or the product's dtype
        cannot be cast back into a's with ``same_kind`` (a float factor of
        an integer array, a complex one of a real array).
    ValueError
        ``a`` is read-only.
    OverflowError
        A Python integer ``s`` out of the range of a's dtype.

    Notes
    -----
    The multiplication runs in Go on a's memory (GIL released for large
    arrays, ``threads`` goroutines, the same bits for every thread count).
    Where numpy would compute in a wider dtype than a's (a float32 array
    times a numpy float64 scalar), for bool and float16 arrays and for
    buffers in non-native byte order or misaligned, numpy's own in-place
    multiply runs on a zero-copy view. ``scale(a, s)`` of a
    C-contiguous float goarray array by a Python number enters Go straight
    from C.

    Examples
    --------
    >>> import numpy as np, goarray as ga
    >>> a = ga.arange(4.0)
    >>> ga.scale(a, 0.5) is a
    True
    >>> a.tolist()
    [0.0, 0.5, 1.0, 1.5]
    >>> x = np.arange(3, dtype=np.int8)          # numpy memory, in place
    >>> _ = ga.scale(x, 100)
    >>> x                                         # int8 wraps around, as x *= 100 does
    array([  0, 100, -56], dtype=int8)
    """
    if isinstance(a, (bool, int, float, complex)) and not isinstance(a, np.generic):
        raise TypeError("scale needs an array to multiply in place")
    x = a if isinstance(a, Array) else np.asarray(a)   # a itself: never a copy
    if x.dtype.kind not in "biufc":
        _dtypes.code_of_numpy(x.dtype, x.dtype)
    if isinstance(s, np.ndarray) and s.ndim == 0:
        s = s[()]
    if not isinstance(s, (numbers.Number, np.generic)):
        raise TypeError(f"scale needs a scalar factor, not {type(s).__name__}")
    writable(x)
    dt = x.dtype
    sweak = isinstance(s, (bool, int, float, complex)) and not isinstance(s, np.generic)
    rdt = result_type((x, False), (s, True) if sweak else (np.asarray(s), False))
    if not np.can_cast(rdt, dt, casting="same_kind"):
        raise TypeError(f"Cannot cast ufunc 'multiply' output from {rdt!r} to {dt!r} with casting rule 'same_kind'")
    if sweak:
        s = dt.type(s)  # numpy 2: OverflowError for an int out of range
    if rdt != dt or dt.kind == "b" or (dt.kind == "f" and dt.itemsize == 2) or not x.flags.aligned:
        # A wider computation dtype, bool, float16, a non-native byte order
        # or a misaligned buffer: numpy's own in-place multiply on a
        # zero-copy view is the reference and the result.
        v = np.asarray(a)
        with np.errstate(all="ignore"):
            np.multiply(v, s, out=v, casting="same_kind")
        return a
    if dt.kind in "iu":
        iv = int(s) & ((1 << 64) - 1)  # two's complement bits; Go reinterprets per dtype
        n, z = iv - (1 << 64) if iv >= 1 << 63 else iv, 0j
    else:
        n, z = 0, complex(s)
    _goarray._call(*_SCALE, _threads(threads), a, n, z)
    return a


def _scalar_promotion():
    """For each binary operation (by code) and dtype code, the Python scalar
    types (bool, int, float, complex) that keep the array's dtype in
    ``array op scalar`` and ``scalar op array``: numpy's resolver decides
    (``ufunc.resolve_dtypes``, NEP 50). The flat C path reads it."""
    table = [()] * (max(_BINARY.values()) + 1)
    for name, code in _BINARY.items():
        ufunc = _UFUNCS[name]
        row = [()] * len(_dtypes.DTYPES)
        for dcode, dt in enumerate(_dtypes.DTYPES):
            if dt is None or dt not in _FAST_BINARY[name]:
                continue
            keep = []
            for t, k in ((bool, _BOOL), (int, int), (float, float), (complex, complex)):
                try:
                    r = _BOOL if name in COMPARISONS else dt
                    ok = (ufunc.resolve_dtypes((dt, k, None)) == (dt, dt, r)
                          and ufunc.resolve_dtypes((k, dt, None)) == (dt, dt, r))
                except TypeError:   # no loop: numpy's call decides
                    ok = False
                if ok:
                    keep.append(t)
            row[dcode] = tuple(keep)
        table[code] = tuple(row)
    return tuple(table)


_goarray._set_scalar_promotion(_scalar_promotion())

# doctest does not collect the C entry points made below: run the examples
# of the Python implementations they fall back to.
__test__ = {"scale": scale}

# scale of a C-contiguous float array by a Python number enters Go straight
# from C (goarray/_fast.py).
scale = _fast(scale)
