"""goarray: Go-backed N-dimensional arrays that numpy sees without a copy.

>>> import numpy as np, goarray as ga
>>> a = ga.zeros((1000, 3), dtype="float32")  # memory owned by Go, outside the Go heap
>>> v = np.asarray(a)                          # zero-copy: same address
>>> v[:, 2] = 1                                # visible through a
>>> float(a[0, 2])
1.0

``MAX_DIMS`` is the most dimensions an array may have:

>>> ga.MAX_DIMS
64
"""
from . import _goarray
from ._array import Array, Flags, advanced_getitem, advanced_setitem, to_scalar
from ._creation import (arange, array, asarray, broadcast_to, empty_like, full, full_like, ones,
                        ones_like, zeros_like)
from ._dtypes import DTYPES as _DTYPES, resolve as _resolve_dtype
from ._goarray import empty, from_buffer, from_dlpack, zeros
from ._arith import add, divide, maximum, minimum, multiply, subtract
from ._kernels import get_num_threads, scale, set_num_threads
from ._compare import equal, greater, greater_equal, less, less_equal, not_equal
from ._linalg import dot, matmul
from ._argreduce import argmax, argmin
from ._logical import all, any, count_nonzero
from ._moments import mean, std, var
from ._reductions import max, min, prod, sum
from ._copyto import copyto, fill
from ._unary import abs, absolute, clip, exp, log, negative, sqrt
from . import _methods  # noqa: F401  (Array.sum, Array.mean, ...)
from . import _protocols  # noqa: F401  (__array_ufunc__, __array_function__, operators)
from ._dask import register_dask, register_if_imported as _register_dask_if_imported
from . import _pickle  # noqa: F401  (Array.__reduce_ex__: pickling)
from ._arrow import from_arrow

__version__ = "0.1.0"

__all__ = ["Array", "Flags", "arange", "array", "asarray", "broadcast_to", "empty", "empty_like", "from_buffer",
           "full", "full_like", "ones", "ones_like", "zeros", "zeros_like", "go_version",
           "allocator_info", "MAX_DIMS", "from_dlpack", "from_arrow",
           "add", "subtract", "multiply", "divide", "minimum", "maximum", "scale", "sum", "min", "max", "mean",
           "prod", "argmin", "argmax", "var", "std", "count_nonzero", "all", "any", "dot", "matmul",
           "set_num_threads", "get_num_threads", "register_dask",
           "negative", "absolute", "abs", "sqrt", "exp", "log", "clip", "copyto", "fill",
           "equal", "not_equal", "less", "less_equal", "greater", "greater_equal"]

MAX_DIMS = _goarray.MAX_DIMS

_goarray._register(Array, _DTYPES, _resolve_dtype, to_scalar, advanced_getitem, advanced_setitem,
                   __import__("numpy").ndarray, __import__("threading").main_thread().ident)

# numpy 2.4 gives newly allocated arrays without elements all-zero strides,
# earlier versions the standard ones: follow the numpy that is installed.
_goarray._configure(__import__("numpy").empty((2, 0)).strides == (0, 0))


def go_version():
    """The Go toolchain version the extension was built with.

    Returns
    -------
    str
        As Go's ``runtime.Version()`` reports it, with the experiments the
        build enabled (``go1.26.0``, ``go1.26.0-X:simd``, ...).

    Examples
    --------
    >>> import goarray as ga
    >>> ga.go_version().startswith("go")
    True
    """
    return _goarray._info(0)


def allocator_info():
    """A description of the allocator that provides array storage.

    Returns
    -------
    str
        One line naming the allocator and its size classes: a slab pool
        for small arrays, anonymous mappings (transparent huge pages) for
        large ones, and what is kept for reuse.

    Examples
    --------
    >>> import goarray as ga
    >>> "mmap" in ga.allocator_info()
    True
    """
    return _goarray._info(1)


def _allocated_bytes():
    """Bytes of array storage currently reserved from the Go allocator."""
    return _goarray._allocated()

_register_dask_if_imported()

# Examples of the functions the extension defines in C (their docstrings
# live there), run by doctest with the package's own.
__test__ = {
    "empty": """empty(shape, dtype=None, order="C"): a new Go-backed array, entries not initialised.

    shape is an int or a sequence of ints (at most MAX_DIMS dimensions);
    dtype any of goarray's dtypes (default float64); order 'C' (row-major)
    or 'F' (column-major). Raises TypeError for a dtype goarray does not
    hold, ValueError for a negative dimension or another order.

    >>> import numpy as np, goarray as ga
    >>> a = ga.empty((2, 3), dtype="int32", order="F")
    >>> a.shape, a.dtype, a.strides, a.flags.owndata
    ((2, 3), dtype('int32'), (4, 8), True)
    >>> np.empty((2, 3), dtype="int32", order="F").strides
    (4, 8)
    >>> ga.empty(3, order="K")
    Traceback (most recent call last):
        ...
    ValueError: only 'C' or 'F' order is permitted
    """,
    "zeros": """zeros(shape, dtype=None, order="C"): a new Go-backed array of zeros.

    The parameters are those of empty.

    >>> import numpy as np, goarray as ga
    >>> ga.zeros((2, 2))
    ga.Array([[0., 0.],
              [0., 0.]])
    >>> np.zeros((2, 2))
    array([[0., 0.],
           [0., 0.]])
    >>> ga.zeros(3, dtype=bool).tolist()
    [False, False, False]
    >>> ga.zeros(2, dtype=">f8")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
        ...
    TypeError: goarray does not support dtype '>f8' (non-native byte order); accepted dtypes: bool, ...
    """,
    "from_buffer": """from_buffer(obj, dtype=None): a goarray array viewing any buffer exporter's memory in place.

    The view has the exporter's shape, strides and format, holds its
    buffer while it lives, and is writable iff the exporter is; dtype=
    reinterprets the bytes as view(dtype) does. Non-native byte order,
    structured formats and misaligned data are refused (TypeError or
    BufferError), never misread.

    >>> import array, numpy as np, goarray as ga
    >>> x = np.arange(4.0).reshape(2, 2).T
    >>> g = ga.from_buffer(x)                       # numpy's memory, no copy
    >>> g.strides == x.strides, np.shares_memory(g, x)
    (True, True)
    >>> g[0, 1] = -1
    >>> float(x[0, 1])
    -1.0
    >>> ga.from_buffer(array.array("d", [1.5, 2.5]))
    ga.Array([1.5, 2.5])
    >>> ga.from_buffer(bytearray(8), dtype="int16")
    ga.Array([0, 0, 0, 0], dtype=int16)
    >>> ga.from_buffer(b"abcd").flags.writeable
    False
    >>> ga.from_buffer(np.arange(3, dtype=">i4"))  # doctest: +ELLIPSIS
    Traceback (most recent call last):
        ...
    TypeError: unsupported buffer format ">i": non-native byte order '>': goarray arrays are in ...
    """,
    "from_dlpack": """from_dlpack(x, /, *, device=None, copy=None): a goarray array viewing a DLPack producer's memory.

    x is any object with __dlpack__ (numpy arrays, goarray arrays, CPU
    tensors of other libraries); the view has its shape, strides and
    dtype, is read-only if the producer says so, and the producer's
    deleter runs once the array and all its views are gone. copy=True
    returns a Go-backed copy; device may only be "cpu".

    >>> import numpy as np, goarray as ga
    >>> x = np.arange(6.0).reshape(2, 3)
    >>> g = ga.from_dlpack(x)                       # no copy
    >>> np.shares_memory(g, x), g.strides
    (True, (24, 8))
    >>> c = ga.from_dlpack(x, copy=True)
    >>> np.shares_memory(c, x), c.flags.owndata
    (False, True)
    >>> np.from_dlpack(ga.arange(3.0))             # and the other way
    array([0., 1., 2.])
    """,
}
