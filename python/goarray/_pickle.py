"""Pickling goarray arrays.

Protocol 5 hands the data to pickle as a :class:`pickle.PickleBuffer` over
the array's own memory when the array is C- or F-contiguous or a
permutation of the axes of a C-contiguous array (numpy's rule since 2.3),
and over one C-contiguous copy of it otherwise: with a ``buffer_callback``
the bytes travel out of band and are never copied, and
``pickle.loads(..., buffers=...)`` rebuilds the array as a view of the
buffer it is given. Protocols 0 to 4 copy the data once into ``bytes``;
loading copies them into a fresh Go-backed array.

A round trip keeps the dtype, the shape, the layout as numpy's pickles do
(F- but not C-contiguous comes back F-contiguous; at protocol 5 permuted
axes come back permuted; everything else C-contiguous) and the read-only
flag. The methods are attached to :class:`goarray.Array` here; the
reconstruct functions are private, but their names and arguments are part
of the pickle format.

In a child process created by fork(), where Go cannot run, loading never
fails for want of Go: the array is rebuilt over numpy memory (or over the
pickle's buffer) as a :class:`goarray._forked.ForkedArray`, whose work
numpy does. A multiprocessing Pool with the fork start method (Linux's
default up to Python 3.13) therefore works with goarray arguments and
results; see ``goarray._forked``.
"""
import math
import operator
import pickle

import numpy as np

from . import _dtypes, _forked as _fork
from ._array import Array
from ._goarray import empty, from_buffer


def _order_of(a):
    """'F' for an array that is F- but not C-contiguous, else 'C'."""
    flags = a.flags
    return "F" if flags.f_contiguous and not flags.c_contiguous else "C"


def _permuted(a):
    """(view, axes) when a is a permutation of the axes of a C-contiguous
    array: view is that array (axes sorted by decreasing |stride|, ties in
    their order, as numpy sorts them) and view.transpose(axes) is a."""
    strides = a.strides
    perm = sorted(range(a.ndim), key=lambda i: -abs(strides[i]))
    view = a.transpose(perm)
    if not view.flags.c_contiguous:
        return None, None
    axes = [0] * len(perm)
    for i, p in enumerate(perm):
        axes[p] = i
    return view, tuple(axes)


def __reduce_ex__(self, protocol):
    """Pickle support: out-of-band data from protocol 5, one copy below it."""
    flags = self.flags
    readonly = not flags.writeable
    if operator.index(protocol) < 5:
        order = _order_of(self)
        return _rebuild_copy, (self.tobytes(order), self.dtype.str, self.shape, order, readonly)
    if flags.c_contiguous or flags.f_contiguous:
        return _rebuild, (pickle.PickleBuffer(self), self.dtype.str, self.shape, _order_of(self), readonly)
    if _fork.forked():   # no Go for the view or the copy: one C-order copy in numpy memory
        src = _fork.wrap(np.ascontiguousarray(memoryview(self)))
        return _rebuild, (pickle.PickleBuffer(src), self.dtype.str, self.shape, "C", readonly)
    view, axes = _permuted(self)
    if view is not None:
        return _rebuild, (pickle.PickleBuffer(view), self.dtype.str, view.shape, "K", readonly, axes)
    src = self.copy(order="C")
    if readonly:
        src.flags.writeable = False  # travels as read-only data
    return _rebuild, (pickle.PickleBuffer(src), self.dtype.str, self.shape, "C", readonly)


def __reduce__(self):
    """Pickle support for callers that do not name a protocol: the data as bytes."""
    return __reduce_ex__(self, 4)


def _checked(dtype, shape, order, axes=None):
    """The numpy dtype, shape tuple, order and axes of a pickled array, validated."""
    dt = _dtypes.DTYPES[_dtypes.resolve(dtype)]
    try:
        shape = tuple(operator.index(d) for d in shape)
    except TypeError:
        raise ValueError(f"goarray: pickled array shape {shape!r} is not a tuple of integers") from None
    if any(d < 0 for d in shape):
        raise ValueError(f"goarray: pickled array shape {shape!r} has a negative dimension")
    if order not in ("C", "F", "K"):
        raise ValueError(f"goarray: pickled array order must be 'C', 'F' or 'K', not {order!r}")
    if (order == "K") != (axes is not None):
        raise ValueError("goarray: pickled array axes go with order 'K', and only with it")
    if axes is not None:
        try:
            axes = tuple(operator.index(i) for i in axes)
        except TypeError:
            axes = None
        if axes is None or sorted(axes) != list(range(len(shape))):
            raise ValueError(f"goarray: pickled array axes are not a permutation of the {len(shape)} axes")
    return dt, shape, order, axes


def _raw(buffer, dt, shape):
    """A flat byte memoryview of buffer, whose size must be dtype x shape."""
    try:
        raw = pickle.PickleBuffer(buffer).raw()
    except BufferError as e:
        raise ValueError(f"goarray: pickled array data must be a contiguous buffer ({e})") from None
    need = dt.itemsize * math.prod(shape)
    if raw.nbytes != need:
        n = raw.nbytes
        raw.release()
        raise ValueError(f"goarray: pickled array data has {n} bytes but dtype {dt.name} and "
                         f"shape {shape} need {need}")
    return raw


def _rebuild(buffer, dtype, shape, order, readonly, axes=None):
    """Reconstruct an array pickled with protocol 5: a view of ``buffer``.

    ``buffer`` is any contiguous buffer of exactly dtype x shape bytes (the
    PickleBuffer handed out, or what pickle.loads was given for it), read
    in ``order`` ('C', 'F', or 'K': C order, then the axes transposed by
    ``axes``); the result shares its memory, and is read-only when the
    original was or when the buffer is. Data not aligned for the dtype is
    copied instead (and an array without elements is made afresh).
    """
    dt, shape, order, axes = _checked(dtype, shape, order, axes)
    raw = _raw(buffer, dt, shape)
    if _fork.forked():
        a = _fork.rebuild(raw, dt, shape, order, readonly or raw.readonly, copy=False)
        return a if axes is None else a.transpose(axes)
    flat = from_buffer(raw)  # 1-d uint8 view, in place
    if not raw.nbytes or flat._data % dt.alignment:
        del flat
        a = _copy_in(raw, dt, shape, order, readonly or raw.readonly)
    else:
        a = flat.view(dt).reshape(shape, order="F" if order == "F" else "C")
        if readonly and a.flags.writeable:
            a.flags.writeable = False
    return a if axes is None else a.transpose(axes)


def _rebuild_copy(data, dtype, shape, order, readonly):
    """Reconstruct an array pickled with protocols 0-4: ``data`` (bytes of
    dtype x shape in ``order``) copied into a new Go-backed array."""
    dt, shape, order, _ = _checked(dtype, shape, order)
    if _fork.forked():
        return _fork.rebuild(_raw(data, dt, shape), dt, shape, order, readonly, copy=True)
    return _copy_in(_raw(data, dt, shape), dt, shape, order, readonly)


def _copy_in(raw, dt, shape, order, readonly):
    out = empty(shape, dt, "F" if order == "F" else "C")
    if raw.nbytes:
        pb = pickle.PickleBuffer(out)
        try:
            with pb.raw() as dst:
                dst[:] = raw
        finally:
            pb.release()
    raw.release()
    if readonly:
        out.flags.writeable = False
    return out


for _f in (__reduce_ex__, __reduce__):
    _f.__qualname__ = "Array." + _f.__name__
    setattr(Array, _f.__name__, _f)
del _f
