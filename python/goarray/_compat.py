"""What goarray takes from the installed numpy where numpy's visible
behaviour changed between the versions goarray supports (numpy >= 2.0).

Each answer is asked of numpy itself, once, at import (on tiny arrays),
so goarray follows whatever numpy is installed; no version numbers."""
import warnings

import numpy as np


def _raised(call):
    try:
        call()
    except Exception as e:  # noqa: BLE001
        return type(e)
    return None


# numpy.count_nonzero(a) without axis: a Python int before numpy 2.3,
# numpy.intp from 2.3 on.
COUNT_NONZERO_PYINT = type(np.count_nonzero(np.empty(0))) is int

# __dlpack__(stream=...) with a stream other than None on a CPU array:
# RuntimeError up to numpy 2.4, ValueError from numpy 2.5 on. Read by
# bindings/dlpack_export.c when it refuses a stream.
DLPACK_STREAM_ERROR = _raised(lambda: np.empty(0).__dlpack__(stream=1)) or RuntimeError

# numpy.clip with both bounds None: ValueError before numpy 2.1, a copy
# from 2.1 on (None here).
CLIP_NO_BOUNDS_ERROR = _raised(lambda: np.clip(np.zeros(1), None, None))

# numpy.clip with a Python integer bound outside an integer array's range:
# OverflowError before numpy 2.1, the bound dropped from 2.1 on.
CLIP_DROPS_OUT_OF_RANGE_INT = _raised(lambda: np.clip(np.zeros(1, "u1"), -1, None)) is None

# numpy.copyto from a scalar or 0-d array: cast by value before numpy 2.1
# (int64 5 into int8 under casting="no" passes), by dtype from 2.1 on.
COPYTO_SCALARS_BY_VALUE = _raised(lambda: np.copyto(np.zeros((), "i1"), np.array(5), casting="no")) is None

# A ufunc given dtype= and a Python scalar that the casting rule does not
# let into that loop (numpy.add(bool array, 1.5, dtype="i1")): numpy before
# 2.1 casts the scalar anyway, numpy from 2.1 on raises UFuncTypeError.
UFUNC_CASTS_WEAK_UNCHECKED = _raised(lambda: np.add(np.zeros(0, "?"), 1.5, dtype="i1")) is None

# __dlpack__(dl_device=) naming a device other than the CPU: ValueError in
# numpy 2.1, BufferError in 2.4; numpy 2.0 has no dl_device
# (None here: goarray raises BufferError). Read by bindings/dlpack_export.c.
DLPACK_DEVICE_ERROR = _raised(lambda: np.empty(0).__dlpack__(dl_device=(2, 0)))
if DLPACK_DEVICE_ERROR is TypeError:
    DLPACK_DEVICE_ERROR = None

# shape=None: numpy 2.0 takes it as () with a DeprecationWarning, later
# numpy raises TypeError. Read by bindings/args.c (ga_shape_none).
with warnings.catch_warnings():
    warnings.simplefilter("ignore", DeprecationWarning)
    SHAPE_NONE_IS_EMPTY = _raised(lambda: np.empty(None)) is None
