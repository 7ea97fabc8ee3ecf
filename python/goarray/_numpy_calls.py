"""ufunc calls and numpy functions that no Go kernel computes: numpy
computes them on zero-copy views of goarray arrays, into outputs allocated
in Go memory where the result's dtype and shape are known beforehand (a
plan cached per ufunc and operand dtypes, from numpy's resolver), else
into numpy's own result, wrapped without a copy. bindings/numpy_calls.c
takes the commonest of these calls in C (keyword-free ufunc calls on
goarray arrays, __array_function__), with the same results."""
import numpy as np

from . import _dtypes
from ._array import Array
from ._creation import ufunc_results
from ._dtypes import DTYPES
from ._goarray import from_buffer as _from_buffer

_SCALARS = (bool, int, float, complex)
_CODES = frozenset(d.str for d in DTYPES if d is not None)   # the dtypes goarray holds
_HELD = frozenset(d for d in DTYPES if d is not None)        # the same, as numpy dtypes (native order)


def _view(x):
    """A numpy view (zero-copy) of a goarray array; anything else as it is."""
    return np.asarray(x) if isinstance(x, Array) else x


def _views(obj, pairs):
    """obj with every goarray array in it, at any depth of lists, tuples
    and dicts, replaced by a zero-copy numpy view; each (view, array) is
    appended to pairs (to map a view numpy returns back to its array)."""
    t = type(obj)
    if t is Array:
        v = np.asarray(obj)
        pairs.append((v, obj))
        return v
    if t is list or t is tuple:
        n = len(pairs)
        items = [_views(x, pairs) for x in obj]
        return t(items) if len(pairs) > n else obj
    if t is dict:
        n = len(pairs)
        out = {k: _views(x, pairs) for k, x in obj.items()}
        return out if len(pairs) > n else obj
    if isinstance(obj, Array):
        v = np.asarray(obj)
        pairs.append((v, obj))
        return v
    return obj


def wrap(res, passed=None):
    """numpy's result as goarray: an array argument returned as the result
    (``out=``) is the goarray array passed; any other ndarray is wrapped
    zero-copy; tuples and lists are wrapped item by item; scalars and
    arrays of dtypes goarray does not hold (object, str, datetime, ...)
    are numpy's."""
    t = type(res)
    if t is np.ndarray:
        if passed:
            for view, orig in passed:
                if res is view:
                    return orig
        if res.dtype not in _HELD or not res.flags.aligned:
            return res
        try:
            return _from_buffer(res)
        except (TypeError, BufferError, ValueError):
            return res
    if t is tuple or t is list:
        return t(wrap(x, passed) for x in res)
    if isinstance(res, tuple) and hasattr(res, "_fields"):  # namedtuple (np.unique_all, ...)
        return t(*(wrap(x, passed) for x in res))
    return res


def _out_views(out):
    """out= (an array or a tuple of arrays/None) as numpy views, with the
    (view, original) pairs to map numpy's returned outputs back."""
    outs = out if type(out) is tuple else (out,)
    views, pairs = [], []
    for o in outs:
        v = _view(o)
        pairs.append((v, o))   # an ndarray out= is its own view: numpy's result is then out itself
        views.append(v)
    return tuple(views), pairs


_PLANS = {}   # (ufunc, operand dtypes or Python scalar types) -> output dtype, or False: the general path


def _plain_dtype(ufunc, key):
    """The dtype of ufunc's result for operands of these dtypes and Python
    scalar types (numpy's resolver), or False where the general path runs;
    cached."""
    k = (ufunc, key)
    dt = _PLANS.get(k)
    if dt is None:
        dt = False
        if ufunc.nout == 1 and ufunc.signature is None:
            try:
                dt = ufunc.resolve_dtypes(key + (None,), casting="same_kind")[-1]
            except Exception:  # noqa: BLE001  (numpy raises its own error on the general path)
                dt = False
            if dt is not False and dt not in _HELD:
                dt = False
        if len(_PLANS) < 4096:
            _PLANS[k] = dt
    return dt


def plain_code(ufunc, key):
    """_plain_dtype as goarray's dtype code, -1 for False (for C's plans,
    bindings/numpy_calls.c)."""
    dt = _plain_dtype(ufunc, key)
    return -1 if dt is False else _dtypes.code_of_numpy(dt)


def _plain_call(ufunc, inputs):
    """ufunc(*inputs) without keywords, where the operands are goarray or
    numpy arrays of one shape (C-contiguous or 1-d) and Python scalars and
    the ufunc has one output: numpy's loop on zero-copy views into a new
    array in Go memory, its dtype from a plan cached per ufunc and operand
    dtypes (numpy's resolver). None where this does not apply. (C takes
    the calls whose arrays are all goarray arrays: numpy_calls.c.)"""
    views = []
    key = []
    shape = None
    for x in inputs:
        t = type(x)
        if t is Array:
            v = np.asarray(x)
        elif t is np.ndarray:
            v = x
        elif t in _SCALARS:
            views.append(x)
            key.append(t)
            continue
        else:
            return None
        if shape is None:
            shape = v.shape
        elif v.shape != shape:
            return None
        views.append(v)
        key.append(v.dtype)
    if shape is None:
        return None
    dt = _plain_dtype(ufunc, tuple(key))
    if dt is False:
        return None
    res, = ufunc_results([v for v in views if type(v) is np.ndarray], shape, (dt,))
    ufunc(*views, out=np.asarray(res))
    return res if shape else res[()]


def _numpy_call(ufunc, inputs, kwargs):
    """ufunc(*inputs) computed by numpy on zero-copy views, into outputs in
    Go memory."""
    if not kwargs:
        res = _plain_call(ufunc, inputs)
        if res is not None:
            return res
    views = tuple(_view(x) for x in inputs)
    out = kwargs.get("out")
    if out is not None:
        kw = dict(kwargs)
        kw["out"], pairs = _out_views(out)
        return wrap(ufunc(*views, **kw), pairs)
    outs = _go_outputs(ufunc, views, kwargs)
    if outs is None:
        return wrap(ufunc(*views, **kwargs))
    kw = dict(kwargs)
    kw["out"] = tuple(np.asarray(o) for o in outs)
    ufunc(*views, **kw)
    if outs[0].ndim == 0:
        res = tuple(o[()] for o in outs)
    else:
        res = outs
    return res[0] if len(res) == 1 else res


_RESOLVED = {}   # (ufunc, operand dtypes, casting) -> output dtypes, or False: numpy allocates


def _go_outputs(ufunc, views, kwargs):
    """Go-allocated outputs of numpy's dtypes and shape for ufunc(*views),
    or None where numpy should allocate (generalized ufuncs, dtype=, a
    result dtype goarray does not hold, operands that do not broadcast,
    for which numpy raises its own error)."""
    if ufunc.signature is not None or (kwargs and kwargs.keys() - {"where", "casting", "order"}):
        return None
    key = []
    shape = None
    same = True
    for v in views:
        t = type(v)
        if t in _SCALARS:
            key.append(t)
            continue
        if t is not np.ndarray and not isinstance(v, np.generic):
            return None
        key.append(v.dtype)
        if shape is None:
            shape = v.shape
        elif v.shape != shape:
            same = False
    casting = kwargs.get("casting", "same_kind") if kwargs else "same_kind"
    k = (ufunc, tuple(key), casting)
    dts = _RESOLVED.get(k)
    if dts is None:
        try:
            dts = ufunc.resolve_dtypes(k[1] + (None,) * ufunc.nout, casting=casting)[ufunc.nin:]
        except Exception:  # noqa: BLE001  (numpy raises its own error when it runs)
            dts = False
        if dts and any(d.str not in _CODES for d in dts):
            dts = False
        if len(_RESOLVED) < 4096:
            _RESOLVED[k] = dts
    if dts is False:
        return None
    if shape is None:
        shape = ()
    elif not same:
        try:
            shape = np.broadcast_shapes(*(v.shape for v in views if type(v) not in _SCALARS))
        except ValueError:
            return None
    order = kwargs.get("order", "K") if kwargs else "K"
    return ufunc_results([v for v in views if type(v) is np.ndarray], shape, dts, order)


def _numpy_method(ufunc, method, inputs, kwargs):
    views = tuple(_view(x) for x in inputs)
    kw, pairs = kwargs, None
    if kwargs.get("out") is not None:
        kw = dict(kwargs)
        kw["out"], pairs = _out_views(kwargs["out"])
    if method == "at":
        ufunc.at(*views, **kw)
        return None
    return wrap(getattr(ufunc, method)(*views, **kw), pairs)
