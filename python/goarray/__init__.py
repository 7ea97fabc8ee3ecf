"""goarray: Go-backed N-dimensional arrays that numpy sees without a copy.

>>> import numpy as np, goarray as ga
>>> a = ga.zeros((1000, 3), dtype="float32")  # memory owned by Go, outside the Go heap
>>> v = np.asarray(a)                          # zero-copy: same address
>>> v[:, 2] = 1                                # visible through a
>>> float(a[0, 2])
1.0
"""
from . import _goarray
from ._array import Array, Flags, advanced_getitem, advanced_setitem, to_scalar
from ._creation import (arange, array, asarray, broadcast_to, empty_like, full, full_like, ones,
                        ones_like, zeros_like)
from ._dtypes import DTYPES as _DTYPES, resolve as _resolve_dtype
from ._goarray import empty, from_buffer, from_dlpack, zeros
from ._kernels import (add, divide, get_num_threads, maximum, minimum, multiply, scale, set_num_threads,
                       subtract)
from ._linalg import dot, matmul
from ._reductions import all, any, argmax, argmin, count_nonzero, max, mean, min, prod, std, sum, var
from ._unary import abs, absolute, clip, copyto, exp, fill, log, negative, sqrt
from . import _methods  # noqa: F401  (Array.sum, Array.mean, ...)
from . import _protocols  # noqa: F401  (__array_ufunc__, __array_function__, operators)
from ._dask import register_dask, register_if_imported as _register_dask_if_imported
from . import _pickle  # noqa: F401  (Array.__reduce_ex__: pickling)

__version__ = "0.1.0"

__all__ = ["Array", "Flags", "arange", "array", "asarray", "broadcast_to", "empty", "empty_like", "from_buffer",
           "full", "full_like", "ones", "ones_like", "zeros", "zeros_like", "go_version",
           "allocator_info", "MAX_DIMS", "from_dlpack",
           "add", "subtract", "multiply", "divide", "minimum", "maximum", "scale", "sum", "min", "max", "mean",
           "prod", "argmin", "argmax", "var", "std", "count_nonzero", "all", "any", "dot", "matmul",
           "set_num_threads", "get_num_threads", "register_dask",
           "negative", "absolute", "abs", "sqrt", "exp", "log", "clip", "copyto", "fill"]

MAX_DIMS = _goarray.MAX_DIMS

_goarray._register(Array, _DTYPES, _resolve_dtype, to_scalar, advanced_getitem, advanced_setitem,
                   __import__("numpy").ndarray, __import__("threading").main_thread().ident)

# numpy 2.4 gives newly allocated arrays without elements all-zero strides,
# earlier versions the standard ones: follow the numpy that is installed.
_goarray._configure(__import__("numpy").empty((2, 0)).strides == (0, 0))


def go_version():
    """The Go toolchain version the extension was built with."""
    return _goarray._info(0)


def allocator_info():
    """A description of the allocator that provides array storage."""
    return _goarray._info(1)


def _allocated_bytes():
    """Bytes of array storage currently reserved from the Go allocator."""
    return _goarray._allocated()

_register_dask_if_imported()
