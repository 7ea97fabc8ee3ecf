"""numpy's protocols on goarray.Array: ``__array_ufunc__``,
``__array_function__``, ``__array__`` and the Python operators.

Every numpy ufunc (all its methods) and every numpy function accepts
goarray arrays and returns goarray arrays where numpy returns arrays:

>>> import numpy as np, goarray as ga
>>> a = ga.arange(6.0).reshape(2, 3)
>>> type(np.add(a, 1)), type(np.sin(a)), type(np.concatenate([a, a]))
(<class 'goarray._array.Array'>, <class 'goarray._array.Array'>, <class 'goarray._array.Array'>)
>>> b = a + 1              # a Go kernel, the result in Go memory
>>> address = b._data
>>> b *= 2                 # in place: the same memory
>>> b._data == address
True

Dispatch, in order:

* Go kernels: a ufunc call or reduction, or a numpy function, that has a
  Go kernel (:data:`GO_UFUNCS`, :data:`GO_REDUCTIONS`, :data:`GO_FUNCTIONS`)
  runs it (without the GIL for large arrays) when the call uses only
  arguments the kernel implements and is valid, which is decided before
  Go runs (goarray._gocover); an error the kernel raises is the caller's,
  never retried through numpy. Results are numpy's to the bit for
  integer, boolean and exact float operations, and within the bound each
  kernel's docstring states for float reductions. One difference: the Go
  kernels do not raise numpy's floating-point warnings (division by zero,
  overflow, invalid value); the results are the same IEEE values.
* Any other ufunc call runs numpy's loop on zero-copy views of the inputs,
  writing into an output allocated in Go memory (``out=``), so no numpy
  result is made and copied.
* Any other ufunc method (``accumulate``, ``reduceat``, ``outer``, ``at``,
  reductions with ``where=`` or ``initial=``) and any other numpy function
  runs numpy on zero-copy views; an array result is wrapped without a copy
  (as :func:`goarray.from_buffer` does), and an argument returned as the
  result (``out=``, ``np.atleast_1d(a)``) comes back as the goarray array
  that was passed.

Operands of other array types with their own ``__array_ufunc__`` or
``__array_function__`` (dask, pint, xarray, ...) make these methods return
``NotImplemented``, so that type's protocol gets its turn, as numpy's
rules require. numpy arrays, numpy scalars, Python scalars, lists and
buffer exporters mix freely with goarray arrays (NEP 50 promotion).
"""
import operator

import numpy as np

from . import _argreduce, _arith, _compare, _copyto, _gocover, _kernels, _linalg, _logical, _moments, _reductions, _unary
from ._array import Array
from ._creation import empty
from ._numpy_calls import _numpy_call, _numpy_method, _views, plain_code, wrap

_NDARRAY_UFUNC = np.ndarray.__array_ufunc__
_NDARRAY_FUNCTION = np.ndarray.__array_function__
_ARRAY_UFUNC = Array.__array_ufunc__   # the C method (goarray._goarray._ArrayBase)
_SCALARS = (bool, int, float, complex)

# ufunc -> Go kernel for ufunc(*inputs, out=...)
GO_UFUNCS = {
    np.add: _arith.add, np.subtract: _arith.subtract, np.multiply: _arith.multiply,
    np.true_divide: _arith.divide, np.minimum: _arith.minimum, np.maximum: _arith.maximum,
    np.negative: _unary.negative, np.absolute: _unary.absolute, np.sqrt: _unary.sqrt,
    np.exp: _unary.exp, np.log: _unary.log, np.matmul: _linalg.matmul,
    np.equal: _compare.equal, np.not_equal: _compare.not_equal, np.less: _compare.less,
    np.less_equal: _compare.less_equal, np.greater: _compare.greater, np.greater_equal: _compare.greater_equal,
}
# ufunc -> Go reduction for ufunc.reduce(a, axis=0, dtype=None, out=None, keepdims=False)
GO_REDUCTIONS = {
    np.add: _reductions.sum, np.multiply: _reductions.prod, np.minimum: _reductions.min,
    np.maximum: _reductions.max, np.logical_and: _logical.all, np.logical_or: _logical.any,
}
_REDUCE_WITH_DTYPE = {np.add, np.multiply}
# ufunc.__call__ keywords the Go kernels take (numpy's resolver judges dtype= and casting=)
_CALL_KEYWORDS = frozenset(("out", "dtype", "casting"))

# numpy function -> (Go implementation, the keywords it takes, most positional
# arguments, whether the Go kernel covers a call: see _gocover)
GO_FUNCTIONS = {}


def _register(np_func, impl, keywords, npos, covers):
    GO_FUNCTIONS[np_func] = (impl, frozenset(keywords), npos, covers)


def _covers_sum(a, axis=None, dtype=None, out=None, keepdims=False):
    return _gocover.reduction(a, axis, dtype, out, keepdims)


def _covers_min(a, axis=None, out=None, keepdims=False):
    return _gocover.reduction(a, axis, None, out, keepdims)


def _covers_arg(a, axis=None, out=None, keepdims=False):
    return _gocover.reduction(a, axis, None, out, keepdims, legacy=False, single=True)


def _covers_mean(a, axis=None, dtype=None, out=None, keepdims=False):
    return _gocover.reduction(a, axis, dtype, out, keepdims, legacy=False)


def _covers_var(a, axis=None, dtype=None, out=None, ddof=0, keepdims=False):
    return _gocover.reduction(a, axis, dtype, out, keepdims, ddof, legacy=False)


def _covers_count(a, axis=None, keepdims=False):
    return _gocover.reduction(a, axis, None, None, keepdims, legacy=False)


def _covers_clip(a, *args, out=None):
    # both bounds given, as the Go function takes them (numpy names a missing one)
    if len(args) == 3 and out is None:
        args, out = args[:2], args[2]
    return len(args) == 2 and _gocover.clip(a, args[0], args[1], out)


for _f, _g in ((np.sum, _reductions.sum), (np.prod, _reductions.prod)):
    _register(_f, _g, ("axis", "dtype", "out", "keepdims"), 5, _covers_sum)
for _names, _g in ((("min", "amin"), _reductions.min), (("max", "amax"), _reductions.max),
                   (("all",), _logical.all), (("any",), _logical.any)):
    for _n in _names:
        if hasattr(np, _n):
            _register(getattr(np, _n), _g, ("axis", "out", "keepdims"), 4, _covers_min)
_register(np.argmin, _argreduce.argmin, ("axis", "out", "keepdims"), 3, _covers_arg)
_register(np.argmax, _argreduce.argmax, ("axis", "out", "keepdims"), 3, _covers_arg)
_register(np.mean, _moments.mean, ("axis", "dtype", "out", "keepdims"), 5, _covers_mean)
_register(np.var, _moments.var, ("axis", "dtype", "out", "ddof", "keepdims"), 6, _covers_var)
_register(np.std, _moments.std, ("axis", "dtype", "out", "ddof", "keepdims"), 6, _covers_var)
_register(np.count_nonzero, _logical.count_nonzero, ("axis", "keepdims"), 2, _covers_count)
_register(np.dot, _linalg.dot, ("out",), 3, _gocover.dot)
def _np_clip(a, *args, **kwargs):
    """np.clip by goarray.clip, with numpy's function's result for a 0-d
    input and no out=: a numpy scalar (goarray.clip keeps the 0-d array)."""
    res = _unary.clip(a, *args, **kwargs)
    if type(res) is Array and res.ndim == 0 and len(args) < 3 and kwargs.get("out") is None:
        return res[()]
    return res


_register(np.clip, _np_clip, ("out",), 4, _covers_clip)
_register(np.copyto, _copyto.copyto, ("casting", "where"), 4, _gocover.copyto)
del _f, _g, _names, _n


# ---- operands ------------------------------------------------------------------

def _foreign(x):
    """Whether x is of an array type with its own protocols (which numpy
    must be left to dispatch to)."""
    t = type(x)
    if t is Array or t is np.ndarray or t in _SCALARS or isinstance(x, (np.generic, list, tuple)):
        return False
    au = getattr(t, "__array_ufunc__", _NDARRAY_UFUNC)
    return au is not _NDARRAY_UFUNC and au is not _ARRAY_UFUNC


# ---- __array_ufunc__ --------------------------------------------------------------

def array_ufunc(self, ufunc, method, *inputs, **kwargs):
    out = kwargs.get("out")
    for x in inputs:
        if _foreign(x):
            return NotImplemented
    if out is not None:
        for x in (out if type(out) is tuple else (out,)):
            if _foreign(x):
                return NotImplemented
    if method == "__call__":
        go = GO_UFUNCS.get(ufunc)
        if go is not None and (not kwargs or kwargs.keys() <= _CALL_KEYWORDS) and \
                _gocover.ufunc_call(ufunc, inputs, kwargs):
            res = go(*inputs, **kwargs)
            if out is None and type(res) is Array and res.ndim == 0:
                return res[()]
            return res
        return _numpy_call(ufunc, inputs, kwargs)
    if method == "reduce":
        go = GO_REDUCTIONS.get(ufunc)
        if go is not None and len(inputs) == 1 and kwargs.keys() <= {"axis", "dtype", "out", "keepdims"}:
            kw = dict(kwargs)
            if "dtype" in kw and ufunc not in _REDUCE_WITH_DTYPE:
                if kw["dtype"] is not None:
                    return _numpy_method(ufunc, method, inputs, kwargs)
                del kw["dtype"]
            kw.setdefault("axis", 0)
            o = kw.get("out")
            if type(o) is tuple:
                if len(o) != 1:
                    return _numpy_method(ufunc, method, inputs, kwargs)
                kw["out"] = o[0]
            if _gocover.reduction(inputs[0], kw["axis"], kw.get("dtype"), kw.get("out"), kw.get("keepdims", False)):
                return go(*inputs, **kw)
    return _numpy_method(ufunc, method, inputs, kwargs)


# ---- __array_function__ -------------------------------------------------------------

def array_function(self, func, types, args, kwargs):
    for t in types:
        if not issubclass(t, (Array, np.ndarray)):
            return NotImplemented
        if issubclass(t, np.ndarray) and getattr(t, "__array_function__", _NDARRAY_FUNCTION) is not _NDARRAY_FUNCTION:
            return NotImplemented
    return function(func, args, kwargs)


def function(func, args, kwargs):
    """func(*args, **kwargs) once the types taking part are known to be
    goarray.Array and numpy.ndarray: its Go kernel where one covers the
    call, else numpy's function on zero-copy views. The C method
    (bindings/numpy_calls.c) does the same for calls whose types are
    exactly those two; this is the path of their subclasses."""
    go = GO_FUNCTIONS.get(func)
    if go is not None:
        impl, keywords, npos, covers = go
        if len(args) <= npos and kwargs.keys() <= keywords and covers(*args, **kwargs):
            return impl(*args, **kwargs)
    pairs = []
    nargs = _views(args, pairs)
    nkwargs = _views(kwargs, pairs) if kwargs else kwargs
    return wrap(func(*nargs, **nkwargs), pairs)


# ---- __array__ -----------------------------------------------------------------------

def array(self, dtype=None, copy=None):
    """numpy's ``__array__`` protocol (numpy 2 semantics): a zero-copy view,
    unless ``dtype`` needs a conversion or ``copy=True``; ``copy=False``
    raises ValueError when a copy would be needed.

    Examples
    --------
    >>> import numpy as np, goarray as ga
    >>> a = ga.arange(3.0)
    >>> np.shares_memory(np.asarray(a), a), np.shares_memory(np.array(a), a)
    (True, False)
    >>> np.asarray(a, dtype=np.float32)
    array([0., 1., 2.], dtype=float32)
    """
    v = np.asarray(self)
    if dtype is not None and np.dtype(dtype) != v.dtype:
        if copy is False:
            raise ValueError(f"Unable to avoid copy while creating an array as requested: "
                             f"goarray array of dtype {v.dtype} asked for as {np.dtype(dtype)}.")
        return v.astype(dtype)
    if copy:
        return v.copy()
    return v


# ---- operators ------------------------------------------------------------------------

def _binary(ufunc):
    go = GO_UFUNCS.get(ufunc)

    def forward(self, other):
        if getattr(type(other), "__array_ufunc__", _NDARRAY_UFUNC) is None:
            return NotImplemented
        if _foreign(other):
            return ufunc(self, other)   # numpy's dispatch gives other's protocol its turn
        if go is not None and _gocover.ufunc_call(ufunc, (self, other), None):
            res = go(self, other)
            return res[()] if type(res) is Array and res.ndim == 0 else res
        return _numpy_call(ufunc, (self, other), {})

    def reflected(self, other):
        if getattr(type(other), "__array_ufunc__", _NDARRAY_UFUNC) is None:
            return NotImplemented
        if _foreign(other):
            return ufunc(other, self)
        if go is not None and _gocover.ufunc_call(ufunc, (other, self), None):
            res = go(other, self)
            return res[()] if type(res) is Array and res.ndim == 0 else res
        return _numpy_call(ufunc, (other, self), {})

    def inplace(self, other):
        if go is not None and not _foreign(other) and _gocover.ufunc_call(ufunc, (self, other), {"out": self}):
            go(self, other, out=self)
            return self
        ufunc(self, other, out=(self,))
        return self

    return forward, reflected, inplace


def _unary_op(ufunc):
    go = GO_UFUNCS.get(ufunc)

    def op(self):
        if go is not None and _gocover.ufunc_call(ufunc, (self,), None):
            res = go(self)
            return res[()] if type(res) is Array and res.ndim == 0 else res
        return _numpy_call(ufunc, (self,), {})

    return op


_BINARY_OPS = {
    "add": np.add, "sub": np.subtract, "mul": np.multiply, "truediv": np.true_divide,
    "floordiv": np.floor_divide, "mod": np.remainder, "pow": np.power, "matmul": np.matmul,
    "and": np.bitwise_and, "or": np.bitwise_or, "xor": np.bitwise_xor,
    "lshift": np.left_shift, "rshift": np.right_shift,
}
_COMPARISONS = {"lt": np.less, "le": np.less_equal, "eq": np.equal, "ne": np.not_equal,
                "gt": np.greater, "ge": np.greater_equal}
_UNARY_OPS = {"neg": np.negative, "pos": np.positive, "abs": np.absolute, "invert": np.invert}


def _scalar_power(forward, inplace):
    """** and **= with a scalar exponent are ndarray's own operator on a
    zero-copy view (the result copied into Go memory): numpy turns some
    exponents into square, sqrt or reciprocal (bool ** 2 is int8; complex
    results differ from power's in the last bits), and which ones, for which
    scalar types, changed between numpy versions (2.0 and 2.1 also keep
    float32 for float32 ** numpy.float64(0.5)). Asking numpy is the one rule."""

    def scalar(x):
        return not _foreign(x) and np.ndim(x) == 0

    def to_goarray(res):
        if type(res) is not np.ndarray:
            return res
        out = empty(res.shape, res.dtype)
        np.copyto(np.asarray(out), res)
        return out

    def power(self, other):
        if not scalar(other):
            return forward(self, other)
        return to_goarray(np.asarray(self) ** (np.asarray(other) if isinstance(other, Array) else other))

    def ipower(self, other):
        if not scalar(other):
            return inplace(self, other)
        view = np.asarray(self)
        view **= np.asarray(other) if isinstance(other, Array) else other
        return self

    return power, ipower


def _equality(f, op):
    """== and != as ndarray's: where the ufunc has no loop for the operands
    (an array and a string, say), numpy's operator answers elementwise
    all-False (==) or all-True (!=)."""

    def compare(self, other):
        try:
            return f(self, other)
        except TypeError:
            return wrap(op(np.asarray(self), other))

    return compare


def _divmod(self, other):
    if getattr(type(other), "__array_ufunc__", _NDARRAY_UFUNC) is None:
        return NotImplemented
    return np.divmod(self, other)


def _rdivmod(self, other):
    if getattr(type(other), "__array_ufunc__", _NDARRAY_UFUNC) is None:
        return NotImplemented
    return np.divmod(other, self)


# + - * / and += -= *= /= are the C type's number slots (the commonest
# cases never leave C); the slots call these for everything else.
_C_SLOTS = ("add", "sub", "mul", "truediv")
_SLOT_OPS = {}


def binop(name, left, right):
    """left <op> right where one of them is a goarray array (C slot fallback)."""
    forward, reflected, _ = _SLOT_OPS[name]
    return forward(left, right) if isinstance(left, Array) else reflected(right, left)


def inplace(name, left, right):
    """left <op>= right (C slot fallback)."""
    return _SLOT_OPS[name][2](left, right)


def install(cls):
    """Attach the protocols and operators to cls (goarray.Array)."""
    from . import _goarray
    # __array_function__ is the C method (bindings/numpy_calls.c), which calls
    # array_function for functions with Go kernels and other types.
    cls.__array__ = array
    cls.__array_priority__ = 20.0
    for name, uf in _BINARY_OPS.items():
        f, r, i = _binary(uf)
        if name == "pow":
            f, i = _scalar_power(f, i)
        if name in _C_SLOTS:
            _SLOT_OPS[name] = (f, r, i)
            continue
        for prefix, fn in (("", f), ("r", r), ("i", i)):
            fn.__name__ = fn.__qualname__ = f"__{prefix}{name}__"
            fn.__doc__ = f"numpy.{uf.__name__} of the operands (Go kernel where one exists)."
            setattr(cls, fn.__name__, fn)
    global C_NUMPY_VIEWS
    # True where numpy_view.c makes the numpy views of the C paths through
    # numpy's C API (numpy's ABI 2), False where they are np.asarray's
    C_NUMPY_VIEWS = _goarray._register_protocols(binop, inplace, array_ufunc, _kernels.BINARY_UFUNCS,
                                                 GO_UFUNCS, array_function, GO_FUNCTIONS,
                                                 plain_code, wrap, np.asarray)
    # the comparisons are the C slot (protocols.c's ga_richcompare): the
    # flat path, else these
    for name, uf in _COMPARISONS.items():
        f, _, _ = _binary(uf)
        if name in ("eq", "ne"):
            f = _equality(f, getattr(operator, name))
        _SLOT_OPS[name] = (f, None, None)
    for name, uf in _UNARY_OPS.items():
        fn = _unary_op(uf)
        fn.__name__ = fn.__qualname__ = f"__{name}__"
        fn.__doc__ = f"numpy.{uf.__name__}, elementwise."
        setattr(cls, fn.__name__, fn)
    cls.__divmod__ = _divmod
    cls.__rdivmod__ = _rdivmod


install(Array)
