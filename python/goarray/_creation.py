"""Functions that make Go-backed arrays."""
import numpy as np

from . import _dtypes, _goarray
from ._orders import order_code as _order_code
from ._goarray import empty, zeros

_C_CONTIG, _F_CONTIG = 1, 2


def _is_array(obj):
    from ._array import Array
    return isinstance(obj, Array)


def _empty_for(src, dtype, order):
    """A new array with src's shape and dtype, laid out as numpy's order
    argument asks ('K' follows src's strides, 'A' is F if src is F- but not
    C-contiguous)."""
    order = chr(_order_code(order))
    if order == "A":
        order = "F" if (src.flags.f_contiguous and not src.flags.c_contiguous) else "C"
    if order == "K":
        return _goarray._new_like(src.shape, src.strides, src.itemsize, dtype, False)
    return empty(src.shape, dtype, order)


def ones(shape, dtype=None, order="C"):
    """A new Go-backed array of ones."""
    a = empty(shape, dtype, order)
    a.fill(1)
    return a


def full(shape, fill_value, dtype=None, order="C"):
    """A new Go-backed array filled with ``fill_value`` (numpy.full)."""
    if dtype is None:
        dtype = np.asarray(fill_value).dtype
        _dtypes.code_of_numpy(dtype)
    a = empty(shape, dtype, order)
    np.copyto(np.asarray(a), fill_value, casting="unsafe")
    return a


def _proto(prototype):
    return prototype if hasattr(prototype, "strides") and hasattr(prototype, "flags") else np.asarray(prototype)


def empty_like(prototype, dtype=None, order="K", shape=None):
    """A new uninitialised Go-backed array shaped and laid out like ``prototype``."""
    src = _proto(prototype)
    dt = src.dtype if dtype is None else dtype
    if shape is not None:
        shape = (shape,) if isinstance(shape, (int, np.integer)) else tuple(shape)
        if shape != src.shape:
            f = str(order).upper() == "F" or (str(order).upper() in "AK" and src.ndim > 1
                                                and src.flags.f_contiguous and not src.flags.c_contiguous)
            return empty(shape, dt, "F" if f else "C")
    return _empty_for(src, dt, order)


def zeros_like(prototype, dtype=None, order="K", shape=None):
    a = empty_like(prototype, dtype, order, shape)
    a.fill(0)
    return a


def ones_like(prototype, dtype=None, order="K", shape=None):
    a = empty_like(prototype, dtype, order, shape)
    a.fill(1)
    return a


def full_like(prototype, fill_value, dtype=None, order="K", shape=None):
    a = empty_like(prototype, dtype, order, shape)
    np.copyto(np.asarray(a), fill_value, casting="unsafe")
    return a


def arange(start, stop=None, step=1, dtype=None):
    """Evenly spaced values in [start, stop) (numpy.arange), Go-backed."""
    src = np.arange(start, stop, step) if dtype is None else np.arange(start, stop, step, dtype=dtype)
    return array(src, copy=True)


def array(obj, dtype=None, order="K", copy=True):
    """Copy ``obj`` into Go memory.

    ``obj`` may be a goarray.Array, a numpy array, any buffer exporter, a
    nested sequence or a scalar. Values are converted by numpy's rules; the
    result owns Go memory. ``copy=False`` raises if a copy would be needed
    (numpy 2's meaning); ``copy=None`` copies only when needed.
    """
    code = None if dtype is None else _dtypes.resolve(dtype)
    if _is_array(obj):
        if code is None or code == _dtypes.resolve(obj.dtype):
            if copy is not True:
                return obj
            return obj.copy(order="K" if order is None else order)
        if copy is False:
            raise ValueError("Unable to avoid copy while creating an array as requested.")
        return obj.astype(_dtypes.DTYPES[code], order=order)
    if copy is False:
        raise ValueError("Unable to avoid copy while creating a goarray.Array from "
                         f"{type(obj).__name__}: its memory is not Go-owned.")
    if isinstance(obj, np.ndarray) or _has_buffer(obj):
        src = np.asarray(obj)
    elif code is not None:
        src = np.asarray(obj, dtype=_dtypes.DTYPES[code])
    else:
        src = np.asarray(obj)
    if code is None:
        dt = src.dtype
        if dt.byteorder == ">":
            dt = dt.newbyteorder("=")
        code = _dtypes.code_of_numpy(dt, obj if not isinstance(obj, np.ndarray) else dt)
    out = _empty_for(src, _dtypes.DTYPES[code], order)
    np.copyto(np.asarray(out), src, casting="unsafe")
    return out


def _has_buffer(obj):
    try:
        memoryview(obj).release()
        return True
    except TypeError:
        return False


def asarray(obj, dtype=None):
    """``obj`` as a goarray array without copying when possible.

    A goarray array of that dtype is returned as it is; any other buffer
    exporter (numpy array, memoryview, bytearray, array.array, mmap, ...)
    whose element type already matches is viewed in place with
    :func:`from_buffer`; anything else (nested sequences, scalars, other
    dtypes, formats goarray cannot read in place) is copied into Go memory.
    """
    want = None if dtype is None else _dtypes.resolve(dtype)
    if _is_array(obj):
        if want is None or want == _dtypes.resolve(obj.dtype):
            return obj
        return array(obj, dtype=dtype)
    if not isinstance(obj, (list, tuple, int, float, complex, bool, str)) and _has_buffer(obj):
        try:
            v = _goarray.from_buffer(obj)
        except (TypeError, BufferError):
            v = None  # a format or alignment goarray cannot view in place: copy below
        if v is not None and (want is None or want == _dtypes.resolve(v.dtype)):
            return v
    return array(obj, dtype=dtype)


def broadcast_to(array_, shape):
    """A read-only view of ``array_`` with the given shape (0 strides where broadcast)."""
    a = asarray(array_)
    if isinstance(shape, (int, np.integer)):
        shape = (int(shape),)
    return a._shape_op(2, tuple(shape), 0)
