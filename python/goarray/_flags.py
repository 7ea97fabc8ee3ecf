"""goarray.Flags: the memory-layout flags of an Array (numpy's ndarray.flags),
read from the bits the C type keeps."""

# Array._bits (bindings: the array type's flag bits)
_C_CONTIG, _F_CONTIG, _READONLY = 1, 2, 4


class Flags:
    """Memory-layout flags of an Array (numpy's ndarray.flags).

    Attributes
    ----------
    c_contiguous, f_contiguous : bool
        Whether the elements are contiguous in row-major (C) or
        column-major (Fortran) order. ``contiguous`` is ``c_contiguous``.
    writeable : bool
        Whether the array may be written; settable (``False`` makes it
        read-only; ``True`` is refused with ValueError for broadcast views,
        views of read-only buffers and views of a read-only array).
    owndata : bool
        Whether the array owns its memory (``base`` is None).
    aligned : bool
        Whether every element is at a multiple of its alignment (the item
        size; for complex numbers, the size of one part), as numpy says.

    Items are read as in numpy too: ``flags["C_CONTIGUOUS"]``,
    ``flags["C"]``, ``flags["W"]``, ...

    Examples
    --------
    >>> import goarray as ga
    >>> a = ga.zeros((2, 3))
    >>> a.flags.c_contiguous, a.T.flags.f_contiguous, a.T.flags.owndata
    (True, True, False)
    >>> a.flags["WRITEABLE"]
    True
    >>> a.flags.writeable = False
    >>> a[0, 0] = 1
    Traceback (most recent call last):
        ...
    ValueError: assignment destination is read-only
    """

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
