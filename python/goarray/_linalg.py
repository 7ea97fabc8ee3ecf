"""Matrix products: dot and matmul of goarray arrays, numpy arrays, other
buffers and sequences (see _kernels for what they share with the other
kernels: any buffer as an operand, ``threads=``, the GIL released).

>>> import numpy as np, goarray as ga
>>> a = ga.asarray(np.arange(6.0).reshape(2, 3))
>>> ga.matmul(a, np.ones(3)).tolist()          # matrix @ vector
[3.0, 12.0]
>>> float(ga.dot(np.ones(3), np.arange(3.0)))  # vector . vector -> scalar
3.0

Every entry (``a @ b``, ``a @= b``, ``np.matmul``, ``np.dot``,
``ga.matmul``, ``ga.dot``, ``Array.dot``, with or without ``out=``) comes
here, and the route depends on numpy's result dtype and the ranks alone:

- Integer products of 1-D and 2-D operands run in Go (core.Matmul: a
  cache-blocked kernel that packs blocks of both operands, the GIL
  released, the rows split over ``threads`` goroutines). Integer sums wrap
  around in the result dtype as numpy's do, so the result is numpy's, bit
  for bit, for every thread count.
- Everything else (float32, float64, complex64, complex128, and bool,
  float16, stacks of more than two dimensions) is numpy's own matmul or
  dot, run on zero-copy views of the operands into a zero-copy view of a
  Go-allocated result (or of ``out``). For floats and complex numbers numpy
  calls the BLAS it loads, with the GIL released: the result is numpy's
  bit for bit and takes numpy's time. BLAS chooses its summation order by
  its own thread count, so results may differ in the last bits between
  thread counts (unlike every other goarray kernel), and ``threads=`` is
  checked but not passed on: BLAS uses its own threads
  (OPENBLAS_NUM_THREADS, or threadpoolctl, set how many).
"""
import numpy as np

from . import _dtypes, _goarray, _registry
from ._array import Array
from ._creation import empty
from ._arith import multiply
from ._kernels import _as_dtype, _operand, _threads, writable

_SIGNATURE = "(n?,k),(k,m?)->(n?,m?)"
# The result dtypes the Go kernel computes: numpy has no BLAS for them.
_GO_DTYPES = frozenset(np.dtype(c) for c in "bBhHiIlLqQ")


def _shape_str(shape):
    """A shape as numpy writes it in dot's messages: (2,3), (4,), ()."""
    inner = ",".join(str(d) for d in shape)
    return f"({inner},)" if len(shape) == 1 else f"({inner})"


def _product_shape(x, y):
    return ((x.shape[0],) if x.ndim == 2 else ()) + ((y.shape[1],) if y.ndim == 2 else ())


def _in_go(dt, x, y):
    """Whether the Go kernel computes x @ y (result dtype dt)."""
    # Even for the smallest products the Go call costs no more than numpy's
    # integer loop on views (about 4 us against 5 us for 2x2 @ 2x2).
    return dt in _GO_DTYPES and x.ndim <= 2 and y.ndim <= 2


def _view(x):
    return np.asarray(x) if isinstance(x, Array) else x


def _out_view(out, refusal):
    """A numpy view of out (no copy); out must be an array or another
    buffer exporter, never something np.asarray would copy."""
    if isinstance(out, np.ndarray):
        return out
    if not isinstance(out, Array):
        try:
            memoryview(out).release()
        except TypeError:
            raise TypeError(refusal) from None
    return np.asarray(out)


def _matmul_shape(xs, ys):
    """numpy.matmul's result shape, or None where numpy raises."""
    if len(xs) <= 2 and len(ys) <= 2:
        if xs[-1] != ys[0]:
            return None
        return xs[:-1] + ys[1:]
    a = xs if len(xs) > 1 else (1,) + xs
    b = ys if len(ys) > 1 else ys + (1,)
    if a[-1] != b[-2]:
        return None
    try:
        batch = np.broadcast_shapes(a[:-2], b[:-2])
    except ValueError:
        return None
    return batch + ((a[-2],) if len(xs) > 1 else ()) + ((b[-1],) if len(ys) > 1 else ())


def _dot_shape(xs, ys):
    """numpy.dot's result shape (both operands at least 1-D), or None
    where numpy raises."""
    k = ys[-2] if len(ys) > 1 else ys[-1]
    if xs[-1] != k:
        return None
    return xs[:-1] + ys[:-2] + ys[-1:] if len(ys) > 1 else xs[:-1]


def _by_numpy(func, x, y, shape, dt):
    """func (numpy.matmul or numpy.dot) of zero-copy views of x and y into
    a new Go-allocated result; numpy raises its own errors."""
    xv, yv = _view(x), _view(y)
    if shape is None or dt.str not in _CODES:
        return _wrap(func(xv, yv))
    res = empty(shape, dt)
    func(xv, yv, out=np.asarray(res))
    return res[()] if not shape else res


def _wrap(res):
    from ._protocols import wrap
    return wrap(res)


_CODES = frozenset(d.str for d in _dtypes.DTYPES if d is not None)
_MATMUL = _registry.entry("matmul", "matmul")


def _by_go(x, y, dt, shape, target, threads):
    """x @ y in Go into target (an array of the product's shape and dtype),
    or into a new goarray array."""
    a, b = _as_dtype(x, False, dt), _as_dtype(y, False, dt)
    res = target if target is not None else empty(shape, _dtypes.DTYPES[_dtypes.code_of_numpy(dt)])
    _goarray._call(*_MATMUL, threads, res, a, b)
    return res


def matmul(a, b, out=None, *, threads=None):
    """Matrix product (numpy.matmul): numpy's result, bit for bit.

    matrix @ matrix, matrix @ vector, vector @ matrix, vector @ vector (a
    numpy scalar) and stacks of matrices, in every dtype numpy's matmul
    has. ``out`` follows numpy's ufunc rules: the product's shape (extra
    leading axes receive copies), any dtype it casts to with 'same_kind'.

    Parameters
    ----------
    a, b : array_like
        goarray arrays, numpy arrays, other buffer exporters or nested
        sequences, at least 1-D; a's last axis must match b's first (of
        its last two).
    out : goarray.Array or writable buffer, optional
        Where to write the product.
    threads : int, optional
        Goroutines for integer products (at least 1); default
        :func:`get_num_threads`. Float and complex products run in the
        BLAS numpy loads, with its own threads.

    Returns
    -------
    goarray.Array or numpy scalar
        The product in Go memory (a numpy scalar for vector @ vector), or
        ``out``.

    Raises
    ------
    ValueError
        A 0-d operand, mismatched core dimensions, an unusable ``out``
        (numpy's messages).
    TypeError
        Operands numpy's matmul has no loop for.

    Notes
    -----
    float32, float64, complex64 and complex128 products (and bool,
    float16, stacks of more than two dimensions) are numpy's matmul on
    zero-copy views of the operands, into a zero-copy view of the
    Go-allocated result: numpy calls its BLAS with the GIL released. BLAS
    sums in an order that depends on its thread count, so results may
    differ in the last bits between thread counts, unlike every other
    goarray kernel; ``threads=`` does not reach BLAS (OPENBLAS_NUM_THREADS
    or threadpoolctl do). Integer products of 1-D and 2-D operands run in
    Go, the GIL released and the rows split over ``threads`` goroutines;
    integer sums wrap around as numpy's do, so every thread count gives
    numpy's exact result.

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
    >>> (ga.arange(4, dtype="int8").reshape(2, 2) @ ga.full((2, 2), 100, dtype="int8")).tolist()
    [[100, 100], [-12, -12]]
    >>> (np.arange(4, dtype="int8").reshape(2, 2) @ np.full((2, 2), 100, dtype="int8")).tolist()  # 500 wraps
    [[100, 100], [-12, -12]]
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
    dt = np.promote_types(x.dtype, y.dtype)
    if not _in_go(dt, x, y):
        if out is None:
            return _by_numpy(np.matmul, x, y, _matmul_shape(x.shape, y.shape), dt)
        target = out[0] if isinstance(out, tuple) and len(out) == 1 else out
        outs = tuple(_out_view(o, "return arrays must be of ArrayType") for o in
                     (out if isinstance(out, tuple) else (out,)))
        np.matmul(_view(x), _view(y), out=outs)
        return target
    if x.shape[-1] != y.shape[0]:
        raise ValueError(f"matmul: Input operand 1 has a mismatch in its core dimension 0, with gufunc signature "
                         f"{_SIGNATURE} (size {y.shape[0]} is different from {x.shape[-1]})")
    shape = _product_shape(x, y)
    if out is None:
        res = _by_go(x, y, dt, shape, None, nthreads)
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
    writable(view)
    if not np.can_cast(dt, view.dtype, casting="same_kind"):
        raise TypeError(f"Cannot cast ufunc 'matmul' output from {dt!r} to {view.dtype!r} "
                        "with casting rule 'same_kind'")
    if view.shape == shape and view.dtype == dt:
        _by_go(x, y, dt, shape, out if isinstance(out, Array) else view, nthreads)
    else:
        res = _by_go(x, y, dt, shape, None, nthreads)
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
    """Dot product (numpy.dot): numpy's result, bit for bit.

    The same products as :func:`matmul` for 1-D and 2-D operands
    (vector . vector gives a numpy scalar), numpy.dot's sum over a's last
    axis and b's second-to-last for more dimensions; a scalar operand
    multiplies elementwise, in numpy's dtype for dot (the scalar counts
    as a 0-d array). ``out`` must be C-contiguous, of the result's exact
    dtype and shape, as numpy requires.

    Parameters
    ----------
    a, b : array_like
        Arrays (goarray, numpy, other buffer exporters, nested sequences),
        or scalars.
    out : goarray.Array or writable buffer, optional
        Where to write the result: C-contiguous, of its exact dtype and
        shape.
    threads : int, optional
        Goroutines for integer products and scalar operands (at least 1);
        default :func:`get_num_threads`. Float and complex products run in
        the BLAS numpy loads, with its own threads.

    Returns
    -------
    goarray.Array or numpy scalar
        The product in Go memory (a numpy scalar for vector . vector or
        two scalars), or ``out``.

    Raises
    ------
    ValueError
        Shapes not aligned, an ``out`` numpy would not accept (numpy's
        messages).
    TypeError
        Operands numpy's dot has no loop for.

    Notes
    -----
    The routes are :func:`matmul`'s: float and complex products are
    numpy's dot on zero-copy views (its BLAS, the GIL released; results
    may differ in the last bits between BLAS thread counts, and
    ``threads=`` does not reach BLAS); integer products of 1-D and 2-D
    operands run in Go over ``threads`` goroutines, exact for every thread
    count. ``Array.dot(b)`` is the same function.

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
    dt = np.promote_types(x.dtype, y.dtype)
    if not _in_go(dt, x, y):
        if out is None:
            return _by_numpy(np.dot, x, y, _dot_shape(x.shape, y.shape), dt)
        view = _out_view(out, "'out' must be an array")
        res = np.dot(_view(x), _view(y), out=view)
        return out if res is view else res   # numpy's scalar for a 0-d out
    if x.shape[-1] != y.shape[0]:
        raise ValueError(f"shapes {_shape_str(x.shape)} and {_shape_str(y.shape)} not aligned: "
                         f"{x.shape[-1]} (dim {x.ndim - 1}) != {y.shape[0]} (dim 0)")
    shape = _product_shape(x, y)
    target = _dot_out(out, shape, dt) if out is not None else None
    res = _by_go(x, y, dt, shape, target, nthreads)
    if not shape:
        return res[()]
    return res if out is None else out
