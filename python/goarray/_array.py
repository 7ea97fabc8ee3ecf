"""goarray.Array: the Python face of a Go-backed array.

Storage, layout, the buffer protocol, basic indexing, reshape, transpose,
view, copy and resize run in Go (goarray._goarray); conversions of values
(repr, tolist, casts, assignment of arbitrary Python values) run in numpy on
zero-copy views of the Go memory, so they follow numpy's rules exactly.
"""
import operator

import numpy as np

from . import _dtypes
from ._goarray import _ArrayBase
from ._orders import order_code as _order_code

_OPS = {"reshape": 0, "transpose": 1, "broadcast": 2, "view": 3, "copy": 4}
_C_CONTIG, _F_CONTIG, _READONLY = 1, 2, 4


def _shape_args(args, what):
    """numpy accepts f(2, 3) and f((2, 3)) for shapes and axes."""
    if len(args) == 1 and (args[0] is None or not isinstance(args[0], (int, np.integer))):
        return args[0]
    return tuple(operator.index(a) for a in args)


class Flags:
    """Memory-layout flags of an Array (numpy's ndarray.flags)."""

    __slots__ = ("_a",)

    def __init__(self, a):
        self._a = a

    @property
    def c_contiguous(self):
        return bool(self._a._bits & _C_CONTIG)

    @property
    def f_contiguous(self):
        return bool(self._a._bits & _F_CONTIG)

    @property
    def contiguous(self):
        return self.c_contiguous

    @property
    def writeable(self):
        return not self._a._bits & _READONLY

    @writeable.setter
    def writeable(self, value):
        self._a._set_writeable(bool(value))

    @property
    def owndata(self):
        return self._a.base is None

    @property
    def aligned(self):
        """Every element at a multiple of its alignment (complex: of one part)."""
        a = self._a
        al = a.itemsize // 2 if a.dtype.kind == "c" else a.itemsize
        if al <= 1 or a.size == 0:
            return True
        return a._data % al == 0 and all(st % al == 0 for st, n in zip(a.strides, a.shape) if n > 1)

    _KEYS = {"C_CONTIGUOUS": "c_contiguous", "C": "c_contiguous", "CONTIGUOUS": "c_contiguous",
             "F_CONTIGUOUS": "f_contiguous", "F": "f_contiguous", "FORTRAN": "f_contiguous",
             "WRITEABLE": "writeable", "W": "writeable", "OWNDATA": "owndata", "O": "owndata",
             "ALIGNED": "aligned", "A": "aligned"}

    def __getitem__(self, key):
        try:
            return getattr(self, self._KEYS[key.upper()])
        except (KeyError, AttributeError):
            raise KeyError(f"Unknown flag {key!r}") from None

    def __setitem__(self, key, value):
        if self._KEYS.get(str(key).upper()) != "writeable":
            raise KeyError(f"Unknown or read-only flag {key!r}")
        self.writeable = value

    def __repr__(self):
        names = ("C_CONTIGUOUS", "F_CONTIGUOUS", "OWNDATA", "WRITEABLE", "ALIGNED")
        return "\n".join(f"  {n} : {self[n]}" for n in names)


class Array(_ArrayBase):
    """An N-dimensional array whose memory is owned by Go, outside the Go heap.

    numpy sees it without a copy: ``numpy.asarray(a)`` shares its memory
    (PEP 3118 buffer protocol), and so do ``memoryview(a)`` and any other
    buffer consumer. Make one with :func:`goarray.empty`, :func:`goarray.zeros`,
    :func:`goarray.array`, ... ; it cannot be instantiated directly.

    Reading ``__array_interface__`` publishes the raw address with no way to
    know when the consumer is done, so from then on the storage is pinned:
    :meth:`resize` is refused for the rest of the array's life.
    """

    __slots__ = ()
    __hash__ = None

    # -- numpy interop -------------------------------------------------
    @property
    def __array_interface__(self):
        self._pin()
        return {
            "version": 3,
            "typestr": self._typestr,
            "descr": [("", self._typestr)],
            "shape": self.shape,
            "strides": None if self._bits & _C_CONTIG else self.strides,
            "data": (self._data, bool(self._bits & _READONLY)),
        }

    def _np(self):
        """A zero-copy numpy view of this array."""
        return np.asarray(self)

    # -- attributes ----------------------------------------------------
    @property
    def flags(self):
        """Layout and writeability flags; ``a.flags.writeable = False`` locks it."""
        return Flags(self)

    # -- shape manipulation (views made in Go) --------------------------
    def view(self, dtype=None):
        """The same bytes seen as another dtype, as numpy's ``view(dtype)``.

        ``view(numpy.ndarray)`` returns a zero-copy numpy view instead."""
        if isinstance(dtype, type) and issubclass(dtype, np.ndarray):
            return self._np().view(dtype)
        code = _dtypes.resolve(self.dtype if dtype is None else dtype)
        return self._shape_op(_OPS["view"], None, code)

    def ravel(self, order="C"):
        return self.reshape(-1, order=order)

    def flatten(self, order="C"):
        return self.copy(order).reshape(-1, order=order if order in "CF" else "C")

    def squeeze(self, axis=None):
        shape = self.shape
        if axis is None:
            keep = [d for d in shape if d != 1]
        else:
            axes = {a % self.ndim if -self.ndim <= a < self.ndim else _bad_axis(a, self.ndim)
                    for a in ((axis,) if isinstance(axis, int) else axis)}
            for a in axes:
                if shape[a] != 1:
                    raise ValueError("cannot select an axis to squeeze out which has size not equal to one")
            keep = [d for i, d in enumerate(shape) if i not in axes]
        return self.reshape(tuple(keep))

    def swapaxes(self, axis1, axis2):
        nd = self.ndim
        a1, a2 = (operator.index(a) for a in (axis1, axis2))
        for name, a in (("axis1", a1), ("axis2", a2)):
            if not -nd <= a < nd:
                _bad_axis(a, nd, name)
        perm = list(range(nd))
        perm[a1], perm[a2] = perm[a2], perm[a1]
        return self.transpose(perm)

    # -- copies ----------------------------------------------------------
    def copy(self, order="C"):
        """A Go-backed copy, laid out in ``order`` ('C', 'F', 'A' or 'K')."""
        return self._shape_op(_OPS["copy"], None, _order_code(order))

    def astype(self, dtype, order="K", casting="unsafe", copy=True):
        """A copy converted to ``dtype`` with numpy's casting rules."""
        code = _dtypes.resolve(dtype)
        if code == _dtypes.resolve(self.dtype) and not copy:
            return self
        src = self._np()
        if not np.can_cast(src.dtype, _dtypes.DTYPES[code], casting=casting):
            raise TypeError(f"Cannot cast array data from {src.dtype!r} to {_dtypes.DTYPES[code]!r} "
                            f"according to the rule {casting!r}")
        out = _empty_for(self, _dtypes.DTYPES[code], order)
        np.copyto(out._np(), src, casting="unsafe")
        return out

    def fill(self, value):
        """Set every element to ``value`` (converted as numpy's fill does)."""
        tmp = np.empty((), dtype=self.dtype)
        tmp.fill(value)
        self._fill_bytes(tmp.tobytes())

    def resize(self, *new_shape, refcheck=True):
        """Change shape and size in place (numpy's ndarray.resize).

        The storage may move, so this is refused with BufferError while any
        export (memoryview, numpy view) or goarray view of the array is alive,
        and for good once ``__array_interface__`` has been read. New elements
        are zero.
        """
        shape = _shape_args(new_shape, "new_shape")
        if shape is None:
            return None
        self._resize(shape)

    # -- conversions (numpy does the value formatting) --------------------
    def tolist(self):
        return self._np().tolist()

    def item(self, *args):
        return self._np().item(*args)

    def tobytes(self, order="C"):
        return self._np().tobytes(order)

    def __repr__(self):
        text = np.array_repr(self._np())
        assert text.startswith("array(")
        return "ga.Array(" + text[6:].replace("\n", "\n   ")

    def __str__(self):
        return str(self._np())

    def __iter__(self):
        if self.ndim == 0:
            raise TypeError("iteration over a 0-d array")
        for i in range(self.shape[0]):
            yield self[i]

    def __contains__(self, value):
        return value in self._np()

    def __bool__(self):
        return bool(self._np())

    def __int__(self):
        return int(self._np())

    def __float__(self):
        return float(self._np())

    def __complex__(self):
        return complex(self._np())

    def __index__(self):
        return operator.index(self._np())

    def __copy__(self):
        return self.copy(order="K")

    def __deepcopy__(self, memo):
        return self.copy(order="K")


def _bad_axis(axis, ndim, prefix=None):
    exc = np.exceptions.AxisError if hasattr(np, "exceptions") else np.AxisError
    raise exc(axis, ndim, prefix)


def to_scalar(view):
    return np.asarray(view)[()]


def advanced_getitem(a, key):
    """Integer-array and boolean indexing: numpy selects, Go owns the result."""
    v = np.asarray(a)
    if v.strides != a.strides:
        # The export gives length-1 axes the contiguous stride (as numpy
        # does for contiguous arrays); numpy's indexing result strides
        # follow its input's, so index a view with a's own strides.
        v = np.lib.stride_tricks.as_strided(v, a.shape, a.strides, writeable=False)
    res = v[key]
    if not isinstance(res, np.ndarray):
        return res
    # numpy's result is a fresh, dense array: take it over with its strides.
    from . import _goarray
    out = _goarray._new_strided(res.shape, res.strides, res.dtype)
    np.copyto(np.asarray(out), res)
    return out


def advanced_setitem(a, key, value):
    np.asarray(a)[key] = value


from ._creation import _empty_for, array  # noqa: E402  (circular: creation needs Array)
