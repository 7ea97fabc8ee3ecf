"""goarray.Array: the Python face of a Go-backed array.

Storage, layout, the buffer protocol, basic indexing, reshape, transpose,
view, copy and resize run in Go (goarray._goarray); conversions of values
(repr, tolist, casts, assignment of arbitrary Python values) run in numpy on
zero-copy views of the Go memory, so they follow numpy's rules exactly.

The class is defined here with its numpy interop, copies and conversions;
other modules attach the rest of its methods: goarray._views (view,
ravel, flatten, squeeze, swapaxes), goarray._methods (reductions, dot,
clip), goarray._pickle (pickling), goarray._protocols (operators and
numpy's protocols). Its flags are goarray._flags.Flags.
"""
import operator

import numpy as np

from . import _arrow, _dtypes
from ._flags import _C_CONTIG, _READONLY, Flags
from ._goarray import _ArrayBase
from ._orders import order_code as _order_code

_OPS = {"reshape": 0, "transpose": 1, "broadcast": 2, "view": 3, "copy": 4}


def _shape_args(args, what):
    """numpy accepts f(2, 3) and f((2, 3)) for shapes and axes."""
    if len(args) == 1 and (args[0] is None or not isinstance(args[0], (int, np.integer))):
        return args[0]
    return tuple(operator.index(a) for a in args)


class Array(_ArrayBase):
    """An N-dimensional array whose memory is owned by Go, outside the Go heap.

    numpy sees it without a copy: ``numpy.asarray(a)`` shares its memory
    (PEP 3118 buffer protocol), and so do ``memoryview(a)`` and any other
    buffer consumer. Make one with :func:`goarray.empty`, :func:`goarray.zeros`,
    :func:`goarray.array`, ... ; it cannot be instantiated directly.

    Reading ``__array_interface__`` publishes the raw address with no way to
    know when the consumer is done, so from then on the storage is pinned:
    :meth:`resize` is refused for the rest of the array's life.

    Attributes
    ----------
    shape : tuple of ints
        The length of each axis.
    strides : tuple of ints
        Bytes between neighbours along each axis (may be negative or 0).
    ndim, size, itemsize, nbytes : int
        The number of axes, of elements, the bytes of one element and of
        all elements.
    dtype : numpy.dtype
        The element type.
    flags : Flags
        Layout and writeability flags.
    base : Array or None
        The array whose memory this view shares, None for an owner.
    T : Array
        The transposed view.

    Notes
    -----
    Basic indexing (integers, slices, ``None``, ``...``), ``reshape`` where
    the layout allows, ``transpose``, ``view``, ``ravel``, ``squeeze``,
    ``swapaxes`` and :func:`goarray.broadcast_to` make views, without a copy;
    integer-array and boolean indexing, ``copy``, ``astype`` and
    ``flatten`` make copies in Go memory. numpy's ufuncs and functions
    accept Array and return Array where numpy returns arrays (see
    ``goarray._protocols``); the operators run the Go kernels where they
    exist. Reductions and products are methods too (``a.sum()``,
    ``a.mean(axis=0)``, ``a.dot(b)``, ...), with ndarray's signatures and
    ``threads=``. Arrays pickle (protocol 5 without a copy, see
    ``goarray._pickle``) and are DLPack producers (``numpy.from_dlpack(a)``).

    Examples
    --------
    >>> import numpy as np, goarray as ga
    >>> a = ga.arange(6.0).reshape(2, 3)
    >>> a
    ga.Array([[0., 1., 2.],
              [3., 4., 5.]])
    >>> v = np.asarray(a)                          # zero-copy
    >>> v[0, 0] = 10
    >>> float(a[0, 0])
    10.0
    >>> a[:, 1].tolist(), a.T.shape, a.sum()
    ([1.0, 4.0], (3, 2), np.float64(25.0))
    >>> type(np.sin(a)), type(a + 1)
    (<class 'goarray._array.Array'>, <class 'goarray._array.Array'>)
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
        """Layout and writeability flags (:class:`Flags`); ``a.flags.writeable = False`` makes it read-only."""
        return Flags(self)

    # -- copies ----------------------------------------------------------
    def copy(self, order="C"):
        """A Go-backed copy, laid out in ``order`` (ndarray.copy).

        Parameters
        ----------
        order : {'C', 'F', 'A', 'K'}, optional
            Row-major (C, the default), column-major (F), 'A' (F for a
            Fortran-contiguous array, else C) or 'K' (this array's stride
            order).

        Returns
        -------
        goarray.Array
            A new array that owns Go memory.

        Examples
        --------
        >>> import goarray as ga
        >>> a = ga.arange(6).reshape(2, 3)
        >>> c = a.copy("F")
        >>> c.strides, c.flags.f_contiguous
        ((8, 16), True)
        >>> c[0, 0] = 9
        >>> int(a[0, 0])
        0
        """
        return self._shape_op(_OPS["copy"], None, _order_code(order))

    def astype(self, dtype, order="K", casting="unsafe", copy=True):
        """A copy converted to ``dtype`` with numpy's casting rules (ndarray.astype).

        Parameters
        ----------
        dtype : dtype_like
            The dtype of the copy.
        order : {'K', 'A', 'C', 'F'}, optional
            The layout of the copy ('K', the default, follows this array's
            strides).
        casting : {'no', 'equiv', 'safe', 'same_kind', 'unsafe'}, optional
            The cast allowed (default 'unsafe', as in numpy).
        copy : bool, optional
            False returns this array itself when it already has the dtype.

        Returns
        -------
        goarray.Array

        Raises
        ------
        TypeError
            A cast ``casting`` does not allow; a dtype goarray does not
            hold.

        Notes
        -----
        numpy converts the values (on zero-copy views), so they are
        numpy's.

        Examples
        --------
        >>> import goarray as ga
        >>> a = ga.asarray([1.5, -2.7])
        >>> a.astype("int8")
        ga.Array([ 1, -2], dtype=int8)
        >>> a.astype("int8", casting="safe")
        Traceback (most recent call last):
            ...
        TypeError: Cannot cast array data from dtype('float64') to dtype('int8') according to the rule 'safe'
        >>> a.astype("float64", copy=False) is a
        True
        """
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
        """Set every element to ``value``, converted as numpy's ndarray.fill converts it.

        Parameters
        ----------
        value : scalar
            The value (a float into an integer array truncates; a Python
            integer out of range raises OverflowError).

        Examples
        --------
        >>> import goarray as ga
        >>> a = ga.empty(3, dtype="int8")
        >>> a.fill(7)
        >>> a
        ga.Array([7, 7, 7], dtype=int8)
        """
        tmp = np.empty((), dtype=self.dtype)
        tmp.fill(value)
        self._fill_bytes(tmp.tobytes())

    def resize(self, *new_shape, refcheck=True):
        """Change shape and size in place (numpy's ndarray.resize).

        The storage may move, so this is refused with BufferError while any
        export (memoryview, numpy view) or goarray view of the array is alive,
        and for good once ``__array_interface__`` has been read. New elements
        are zero.

        Parameters
        ----------
        *new_shape : int or sequence of ints
            The new shape, as ``a.resize(2, 3)`` or ``a.resize((2, 3))``.
        refcheck : bool, optional
            Accepted for numpy's signature; exports are always checked.

        Returns
        -------
        None

        Raises
        ------
        BufferError
            Live exports or views (the message counts them), or a published
            ``__array_interface__``.

        Examples
        --------
        >>> import goarray as ga
        >>> a = ga.arange(3.0)
        >>> a.resize(5)
        >>> a.tolist()
        [0.0, 1.0, 2.0, 0.0, 0.0]
        >>> m = memoryview(a)
        >>> a.resize(2)  # doctest: +ELLIPSIS
        Traceback (most recent call last):
            ...
        BufferError: cannot resize an array with 1 live export (...)
        >>> m.release()
        >>> a.resize(2, 1)
        >>> a.tolist()
        [[0.0], [1.0]]
        """
        if not new_shape:
            return None          # numpy: resize() without a shape changes nothing
        shape = _shape_args(new_shape, "new_shape")
        if shape is None:
            return None
        self._resize(shape)

    # -- conversions (numpy does the value formatting) --------------------
    def tolist(self):
        """The elements as nested Python lists of Python scalars (ndarray.tolist).

        Examples
        --------
        >>> import goarray as ga
        >>> ga.arange(6).reshape(2, 3).tolist()
        [[0, 1, 2], [3, 4, 5]]
        """
        return self._np().tolist()

    def item(self, *args):
        """One element as a Python scalar (ndarray.item).

        Parameters
        ----------
        *args : int or tuple of ints
            None for a size-1 array, a flat index, or one index per axis.

        Examples
        --------
        >>> import goarray as ga
        >>> a = ga.arange(6).reshape(2, 3)
        >>> a.item(4), a.item(1, 2), ga.zeros(1).item()
        (4, 5, 0.0)
        """
        return self._np().item(*args)

    def tobytes(self, order="C"):
        """The raw bytes of the elements (ndarray.tobytes).

        Parameters
        ----------
        order : {'C', 'F', 'A', 'K'}, optional
            The order to read the elements in (default row-major).

        Examples
        --------
        >>> import goarray as ga
        >>> ga.arange(4, dtype="int8").reshape(2, 2).tobytes("F")
        b'\\x00\\x02\\x01\\x03'
        """
        return self._np().tobytes(order)

    def __arrow_c_array__(self, requested_schema=None):
        """The Arrow PyCapsule interface: (schema, array) capsules of the Arrow
        C Data Interface, read by pyarrow, polars, duckdb, nanoarrow, ...

        1-D arrays of integer and float dtypes are zero-copy primitive Arrow
        arrays; C-contiguous N-d arrays are zero-copy nested
        ``fixed_size_list`` arrays; bool (bit-packed in Arrow) and
        non-contiguous or misaligned arrays export a copy. 0-d and complex
        arrays raise TypeError. ``requested_schema`` (best effort) asking for
        another goarray dtype is honoured by a safe cast (a copy; ValueError
        on loss). The export counts as a buffer export (``resize`` refuses)
        until the consumer releases it.
        """
        return _arrow.export(self, requested_schema, False)

    def __arrow_c_stream__(self, requested_schema=None):
        """The Arrow PyCapsule interface: an ``arrow_array_stream`` capsule of
        one chunk, the array exported as by ``__arrow_c_array__``. Each array
        the stream yields holds the memory until its own release."""
        return _arrow.export(self, requested_schema, True)

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
from . import _views  # noqa: E402,F401  (attaches view, ravel, flatten, squeeze, swapaxes)
