"""Arrays in a child process created by fork(), where Go cannot run.

After ``fork()`` the Go runtime of the parent is gone from the child (its
threads are not copied), so every call that enters Go raises RuntimeError
there (the at-fork guard). fork is multiprocessing's default start method
on Linux up to Python 3.13, and a Pool whose worker fails to unpickle a task
loses the task and waits forever. So an array unpickled in a forked child
is rebuilt without Go: a :class:`ForkedArray`, a goarray Array over memory
numpy owns (or over the pickle's own buffer), whose every operation runs in
numpy on zero-copy views, returning ForkedArrays where numpy returns
arrays. A task therefore sees a goarray Array, numpy's answers, and returns
goarray arrays, which the parent unpickles into ordinary Go-backed arrays.

Arrays that already existed in the parent before the fork are not
converted: their memory is the parent's Go memory, copied into the child,
and calls on them that need Go keep raising the fork RuntimeError (which a
Pool reports to the parent like any task error).
"""
import numpy as np

from . import _dtypes
from ._array import Array
from ._goarray import _forked, _forked_wrap

__all__ = ["ForkedArray", "forked", "wrap", "rebuild"]

forked = _forked


class ForkedArray(Array):
    """A goarray Array made in a forked child: numpy does all its work.

    Attributes, the buffer protocol, ``__array_interface__`` and pickling
    are those of :class:`goarray.Array`; methods, operators, indexing and
    numpy's ufuncs and functions run in numpy on a zero-copy view.
    """

    __slots__ = ()

    def __array__(self, dtype=None, copy=None):
        v = _view(self)
        if dtype is None and not copy:
            return v
        return np.array(v, dtype=dtype, copy=True if copy else None)

    def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
        out = kwargs.get("out")
        result = getattr(ufunc, method)(*_to_numpy(inputs), **_to_numpy(kwargs))
        if out is not None:
            return out[0] if isinstance(out, tuple) and len(out) == 1 else out
        return _from_numpy(result)

    def __array_function__(self, func, types, args, kwargs):
        return _from_numpy(func(*_to_numpy(args), **_to_numpy(kwargs)))

    def __iter__(self):
        return (_from_numpy(x) for x in _view(self))


def _view(a):
    """A zero-copy numpy view of a goarray array, through the buffer protocol."""
    return np.asarray(memoryview(a))


def _to_numpy(obj):
    if isinstance(obj, Array):
        return _view(obj)
    if type(obj) is tuple or type(obj) is list:
        return type(obj)(_to_numpy(x) for x in obj)
    if type(obj) is dict:
        return {k: _to_numpy(v) for k, v in obj.items()}
    return obj


def wrap(x):
    """A ForkedArray over the numpy array x (no copy), or x itself when
    goarray does not hold its dtype or layout."""
    try:
        code = _dtypes.code_of_numpy(x.dtype)
    except TypeError:
        return x
    if not x.flags.aligned:
        return x
    a = _forked_wrap(x, code, x.dtype.itemsize)
    a.__class__ = ForkedArray
    return a


def _from_numpy(obj):
    if type(obj) is np.ndarray:
        return wrap(obj)
    if type(obj) is tuple or type(obj) is list:
        return type(obj)(_from_numpy(x) for x in obj)
    return obj


def _method(name):
    def method(self, *args, **kwargs):
        kwargs.pop("threads", None)   # goarray's own keyword; numpy has one thread
        v = _view(self)
        result = getattr(v, name)(*_to_numpy(args), **_to_numpy(kwargs))
        return self if result is v else _from_numpy(result)   # in-place operators return self
    method.__name__ = method.__qualname__ = name
    method.__doc__ = f"numpy's ndarray.{name}, on a zero-copy view (in a forked child)."
    return method


def _attribute(name):
    return property(lambda self: _from_numpy(getattr(_view(self), name)),
                    doc=f"numpy's ndarray.{name}, on a zero-copy view (in a forked child).")


# What needs no Go (record attributes, the buffer protocol, pickling, repr
# and conversions, which go through numpy already) stays as Array has it.
_KEEP = {
    "__class__", "__new__", "__init__", "__getattribute__", "__getattr__", "__setattr__", "__delattr__",
    "__dir__", "__doc__", "__hash__", "__init_subclass__", "__subclasshook__", "__reduce__",
    "__reduce_ex__", "__getstate__", "__sizeof__", "__format__", "__len__", "__module__",
    "__array__", "__array_interface__", "__array_priority__", "__array_ufunc__", "__array_function__",
    "__iter__", "__dlpack__", "__dlpack_device__", "__repr__", "__str__",
    "__buffer__", "__release_buffer__",   # Python 3.12+: the buffer protocol itself (PEP 688)
    "shape", "strides", "ndim", "size", "itemsize", "nbytes", "dtype", "base", "flags",
    "tolist", "tobytes", "item", "resize",
}

for _name in dir(Array):
    if _name in _KEEP or not hasattr(np.ndarray, _name):
        continue
    if _name in ("T", "mT", "real", "imag", "flat"):
        setattr(ForkedArray, _name, _attribute(_name))
    elif callable(getattr(Array, _name)):
        setattr(ForkedArray, _name, _method(_name))
for _name in ("mT", "real", "imag", "flat"):
    if not hasattr(ForkedArray, _name):
        setattr(ForkedArray, _name, _attribute(_name))
del _name


def resize(self, *new_shape, refcheck=True):
    """Resizing moves the storage, which only Go can do: RuntimeError."""
    raise RuntimeError("goarray: resize() of an array in a child process created by fork() is not "
                       "possible (the Go runtime does not survive fork); use a copy, or the 'spawn' "
                       "or 'forkserver' start method")


ForkedArray.resize = resize
del resize


def rebuild(raw, dt, shape, order, readonly, copy):
    """The ForkedArray for a pickled array: over raw (a flat byte buffer of
    dt x shape in order 'C' or 'F'), copied into numpy memory when copy is
    true or raw is not aligned for dt, else a view of it."""
    flat = np.frombuffer(raw, dtype=np.uint8)
    if copy or flat.ctypes.data % dt.alignment:
        flat = flat.copy()
    x = flat.view(dt).reshape(shape, order="F" if order == "F" else "C")
    if readonly:
        x.flags.writeable = False
    return wrap(x)
