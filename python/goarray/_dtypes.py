"""Mapping numpy dtypes (and anything numpy.dtype accepts) onto the element
types Go arrays support. The codes are core.DType's values."""
import numpy as np

from . import _registry

#: numpy dtype of each core.DType code (None for the invalid code 0), from
#: the kernel registry.
DTYPES = [np.dtype(name) if name else None for name in _registry.DTYPE_NAMES]
_DEFAULT = _registry.DTYPE_CODES["float64"]   # numpy's default dtype

_BY_KIND_SIZE = {(d.kind, d.itemsize): code for code, d in enumerate(DTYPES) if d is not None}

ACCEPTED = ", ".join(d.name for d in DTYPES if d is not None)


def _refuse(obj, why):
    return TypeError(f"goarray does not support dtype {obj!r} ({why}); accepted dtypes: {ACCEPTED}")


def code_of_numpy(dt, obj=None):
    """The core.DType code of a numpy dtype, or TypeError."""
    shown = dt if obj is None else obj
    if dt.fields is not None or dt.subdtype is not None:
        raise _refuse(shown, "structured and subarray dtypes are not supported")
    if dt.byteorder == ">":
        raise _refuse(shown, "non-native byte order")
    code = _BY_KIND_SIZE.get((dt.kind, dt.itemsize))
    if code is None:
        raise _refuse(shown, "not a supported numeric type")
    return code


def resolve(obj):
    """Code of a dtype given as numpy.dtype, numpy type, string or Python type."""
    if obj is None:
        return _DEFAULT
    try:
        dt = np.dtype(obj)
    except (TypeError, ValueError) as e:
        raise TypeError(f"data type {obj!r} not understood ({e}); accepted dtypes: {ACCEPTED}") from None
    return code_of_numpy(dt, obj)


def dtype_of(obj):
    """numpy.dtype goarray uses for a dtype-like."""
    return DTYPES[resolve(obj)]
