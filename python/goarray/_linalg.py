"""Matrix products in Go: dot and matmul of 1-D and 2-D float32/float64
operands (see _kernels for what they share with the other kernels: any
buffer as an operand, ``threads=``, the GIL released, Ctrl-C).

>>> import numpy as np, goarray as ga
>>> a = ga.asarray(np.arange(6.0).reshape(2, 3))
>>> ga.matmul(a, np.ones(3)).tolist()          # matrix @ vector
[3.0, 12.0]
>>> float(ga.dot(np.ones(3), np.arange(3.0)))  # vector . vector -> scalar
3.0

The product runs in Go: a cache-blocked, register-tiled kernel that packs
blocks of both operands into contiguous panels (so transposed and strided
operands cost only the packing) and splits the rows over goroutines. Sums
are taken in an order that depends only on the shapes, so the result is the
same for every thread count; it differs from numpy's BLAS in the last bits.
It is a portable kernel without SIMD, so an optimized BLAS is several times
faster on large matrices (1000 x 1000 on 2 AVX2 cores: OpenBLAS takes about
0.15x goarray's time in float64, 0.06x in float32).

numpy's result dtype decides: float32 and float64 products are computed
(integer operands are converted, as numpy promotes int32 @ float64 to
float64); a product numpy would compute in another dtype (integers,
float16, complex) raises TypeError.
"""
import numpy as np

from . import _dtypes, _goarray
from ._array import Array
from ._creation import empty
from ._kernels import _as_dtype, _operand, _threads, multiply

_SIGNATURE = "(n?,k),(k,m?)->(n?,m?)"
_FLOATS = (np.dtype(np.float32), np.dtype(np.float64))


def _shape_str(shape):
    """A shape as numpy writes it in dot's messages: (2,3), (4,), ()."""
    inner = ",".join(str(d) for d in shape)
    return f"({inner},)" if len(shape) == 1 else f"({inner})"


def _product_dtype(name, x, y):
    dt = np.promote_types(x.dtype, y.dtype)
    if dt not in _FLOATS:
        raise TypeError(f"goarray.{name} of {x.dtype} and {y.dtype} operands is not supported: numpy computes "
                        f"it in {dt}, and goarray's matrix products are float32 and float64 only")
    return dt


def _product_shape(x, y):
    return ((x.shape[0],) if x.ndim == 2 else ()) + ((y.shape[1],) if y.ndim == 2 else ())


def _check_ndim(name, x, y):
    if x.ndim > 2 or y.ndim > 2:
        raise ValueError(f"goarray.{name} supports 1-D and 2-D operands, not shapes "
                         f"{tuple(x.shape)} and {tuple(y.shape)}")


def _out_view(out, refusal):
    """A numpy view of out (no copy) for checking it; out must be an array
    or another buffer exporter, never something np.asarray would copy."""
    if isinstance(out, np.ndarray):
        return out
    if not isinstance(out, Array):
        try:
            memoryview(out).release()
        except TypeError:
            raise TypeError(refusal) from None
    return np.asarray(out)


def _compute(x, y, dt, shape, target, threads):
    """x @ y into target (an array of the product's shape and dtype), or
    into a new goarray array."""
    a, b = _as_dtype(x, False, dt), _as_dtype(y, False, dt)
    res = target if target is not None else empty(shape, _dtypes.DTYPES[_dtypes.code_of_numpy(dt)])
    _goarray._kernel("matmul", (res, a, b), 1, (), (), threads)
    return res


def matmul(a, b, out=None, *, threads=None):
    """Matrix product of 1-D and 2-D operands (numpy.matmul).

    matrix @ matrix, matrix @ vector, vector @ matrix, and vector @ vector
    (a numpy scalar). ``out`` follows numpy's ufunc rules: the product's
    shape (extra leading axes receive copies), any dtype it casts to with
    'same_kind'.

    Parameters
    ----------
    a, b : array_like
        1-D or 2-D goarray arrays, numpy arrays, other buffer exporters or
        nested sequences; a's last axis must match b's first.
    out : goarray.Array or writable buffer, optional
        Where to write the product.
    threads : int, optional
        Goroutines to use (at least 1); default :func:`get_num_threads`.

    Returns
    -------
    goarray.Array or numpy scalar
        The product in Go memory (a numpy scalar for vector @ vector), or
        ``out``.

    Raises
    ------
    ValueError
        A 0-d operand, an operand of more than 2 dimensions, mismatched
        core dimensions, an unusable ``out`` (numpy's messages).
    TypeError
        A product numpy computes in a dtype other than float32 or float64
        (integers, float16, complex): goarray's matrix products are
        float32 and float64 only.

    Notes
    -----
    numpy's result dtype decides: integer operands beside a float64 one
    are converted, as numpy promotes int32 @ float64 to float64.

    The product runs in Go: a cache-blocked kernel that packs blocks of
    both operands (so transposed and strided operands cost only the
    packing), with the GIL released for large operands and the rows split
    over ``threads`` goroutines. Sums are taken in an order that depends
    only on the shapes, so the result is the same for every thread count;
    it differs from numpy's BLAS in the last bits. An optimized BLAS is
    several times faster on large matrices.

    Examples
    --------
    >>> import numpy as np, goarray as ga
    >>> a = ga.arange(6.0).reshape(2, 3)
    >>> ga.matmul(a, np.ones(3))                     # matrix @ vector
    ga.Array([ 3., 12.])
    >>> ga.matmul(a, a.T).tolist()                   # a transposed view: no copy
    [[5.0, 14.0], [14.0, 50.0]]
    >>> np.matmul(np.arange(6.0).reshape(2, 3), np.arange(6.0).reshape(2, 3).T).tolist()
    [[5.0, 14.0], [14.0, 50.0]]
    >>> ga.matmul(np.ones(3), np.arange(3.0))        # vector @ vector
    np.float64(3.0)
    """
    nthreads = _threads(threads)
    ops = []
    for i, (x, weak) in enumerate((_operand(a), _operand(b))):
        nd = 0 if weak else x.ndim
        if nd == 0:
            raise ValueError(f"matmul: Input operand {i} does not have enough dimensions (has 0, gufunc core "
                             f"with signature {_SIGNATURE} requires 1)")
        ops.append(x)
    x, y = ops
    _check_ndim("matmul", x, y)
    if x.shape[-1] != y.shape[0]:
        raise ValueError(f"matmul: Input operand 1 has a mismatch in its core dimension 0, with gufunc signature "
                         f"{_SIGNATURE} (size {y.shape[0]} is different from {x.shape[-1]})")
    dt = _product_dtype("matmul", x, y)
    shape = _product_shape(x, y)
    if out is None:
        res = _compute(x, y, dt, shape, None, nthreads)
        return res[()] if not shape else res
    if isinstance(out, tuple):
        if len(out) != 1:
            raise ValueError("The 'out' tuple must have exactly one entry per ufunc output")
        out = out[0]
    view = _out_view(out, "return arrays must be of ArrayType")
    nd = len(shape)
    if view.ndim < nd:
        raise ValueError(f"matmul: Output operand 0 does not have enough dimensions (has {view.ndim}, gufunc core "
                         f"with signature {_SIGNATURE} requires {nd})")
    for i, (have, want) in enumerate(zip(view.shape[view.ndim - nd:], shape)):
        if have != want:
            raise ValueError(f"matmul: Output operand 0 has a mismatch in its core dimension {i}, with gufunc "
                             f"signature {_SIGNATURE} (size {have} is different from {want})")
    if not view.flags.writeable:
        raise ValueError("output array is read-only")
    if not np.can_cast(dt, view.dtype, casting="same_kind"):
        raise TypeError(f"Cannot cast ufunc 'matmul' output from {dt!r} to {view.dtype!r} "
                        "with casting rule 'same_kind'")
    if view.shape == shape and view.dtype == dt:
        _compute(x, y, dt, shape, out if isinstance(out, Array) else view, nthreads)
    else:
        res = _compute(x, y, dt, shape, None, nthreads)
        np.copyto(view, np.asarray(res), casting="same_kind")
    return out


def _dot_out(out, shape, dt):
    """The array dot writes: out itself, which numpy requires to be a
    writable C-contiguous array of exactly the result's dtype and shape."""
    view = _out_view(out, "'out' must be an array")
    if (view.ndim != len(shape) or view.dtype != dt or not view.flags.c_contiguous
            or not view.flags.writeable or not view.flags.aligned):
        raise ValueError("output array is not acceptable (must have the right datatype, number of dimensions, "
                         "and be a C-Array)")
    if view.shape != tuple(shape):
        raise ValueError("output array has wrong dimensions")
    return out if isinstance(out, Array) else view


def dot(a, b, out=None, *, threads=None):
    """Dot product of 1-D and 2-D operands (numpy.dot).

    The same products as :func:`matmul` (vector . vector gives a numpy
    scalar); a scalar operand multiplies elementwise, in numpy's dtype for
    dot (the scalar counts as a 0-d array). ``out`` must be C-contiguous,
    of the result's exact dtype and shape, as numpy requires.

    Parameters
    ----------
    a, b : array_like
        1-D or 2-D arrays (goarray, numpy, other buffer exporters, nested
        sequences), or scalars.
    out : goarray.Array or writable buffer, optional
        Where to write the result: C-contiguous, of its exact dtype and
        shape.
    threads : int, optional
        Goroutines to use (at least 1); default :func:`get_num_threads`.

    Returns
    -------
    goarray.Array or numpy scalar
        The product in Go memory (a numpy scalar for vector . vector or
        two scalars), or ``out``.

    Raises
    ------
    ValueError
        Shapes not aligned, an operand of more than 2 dimensions, an
        ``out`` numpy would not accept (numpy's messages).
    TypeError
        A product of arrays that numpy computes in a dtype other than
        float32 or float64.

    Notes
    -----
    The product runs in Go: a cache-blocked kernel that packs blocks of
    both operands (so transposed and strided operands cost only the
    packing), with the GIL released for large operands and the rows split
    over ``threads`` goroutines. Sums are taken in an order that depends
    only on the shapes, so the result is the same for every thread count;
    it differs from numpy's BLAS in the last bits. An optimized BLAS is
    several times faster on large matrices.
    ``Array.dot(b)`` is the same function.

    Examples
    --------
    >>> import numpy as np, goarray as ga
    >>> ga.dot(np.ones(3), np.arange(3.0))           # vector . vector -> scalar
    np.float64(3.0)
    >>> np.dot(np.ones(3), np.arange(3.0))
    np.float64(3.0)
    >>> ga.dot(ga.arange(3), 2)                      # a scalar: elementwise
    ga.Array([0, 2, 4])
    >>> a = ga.arange(4.0).reshape(2, 2)
    >>> out = ga.empty((2, 2))
    >>> ga.dot(a, a, out=out) is out
    True
    >>> out.tolist()
    [[2.0, 3.0], [6.0, 11.0]]
    """
    nthreads = _threads(threads)
    (x, xw), (y, yw) = _operand(a), _operand(b)
    if xw or yw or x.ndim == 0 or y.ndim == 0:
        xs, ys = np.asarray(x) if xw else x, np.asarray(y) if yw else y
        dt = np.promote_types(xs.dtype, ys.dtype)
        target = None
        if out is not None:
            target = _dot_out(out, np.broadcast_shapes(xs.shape, ys.shape), dt)
        res = multiply(xs, ys, target, dtype=dt, threads=threads)
        return res[()] if res.ndim == 0 else (out if out is not None else res)
    _check_ndim("dot", x, y)
    if x.shape[-1] != y.shape[0]:
        raise ValueError(f"shapes {_shape_str(x.shape)} and {_shape_str(y.shape)} not aligned: "
                         f"{x.shape[-1]} (dim {x.ndim - 1}) != {y.shape[0]} (dim 0)")
    dt = _product_dtype("dot", x, y)
    shape = _product_shape(x, y)
    target = _dot_out(out, shape, dt) if out is not None else None
    res = _compute(x, y, dt, shape, target, nthreads)
    if not shape:
        return res[()]
    return res if out is None else out
