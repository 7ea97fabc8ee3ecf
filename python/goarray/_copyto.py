"""Copying with conversion: copyto and fill, by the Go copycast kernel
(numpy's casting rules and ``where=``; see _kernels for the common rules:
operands, threads, GIL release, Ctrl-C)."""
import numpy as np

from . import _dtypes, _goarray, _registry
from ._array import Array
from ._compat import COPYTO_SCALARS_BY_VALUE
from ._kernels import _threads, result_type
from ._unary import _CASTINGS, _buffer_view, _input

_COPYCAST = _registry.entry("copycast", "copycast")


def _destination(dst):
    """dst as a goarray array or a numpy view of its buffer (never a copy)."""
    if isinstance(dst, Array):
        d = dst
    else:
        view = _buffer_view(dst)
        if not isinstance(view, (np.ndarray, memoryview)):
            raise TypeError(f"the destination must be a goarray array or a writable buffer, "
                            f"not {type(dst).__name__}")
        d = np.asarray(view)
    _dtypes.code_of_numpy(d.dtype)
    if not d.flags.writeable:
        raise ValueError("assignment destination is read-only")
    return d


def _copycast(d, src, threads):
    if isinstance(d, np.ndarray) and not d.flags.aligned:
        np.copyto(d, np.asarray(src), casting="unsafe")  # the kernel needs aligned elements
        return
    _goarray._call(*_COPYCAST, threads, d, src)


def copyto(dst, src, casting="same_kind", where=True):
    """Copy ``src`` into ``dst`` with conversion (numpy.copyto).

    ``dst`` is a goarray array or any writable buffer; ``src`` broadcasts to
    its shape. ``casting`` is checked with numpy's rules and wording; a
    Python scalar is converted as NEP 50 says (``copyto(int8_array, 300)``
    raises OverflowError, as in numpy). ``where`` other than True runs
    numpy.copyto on zero-copy views.

    Parameters
    ----------
    dst : goarray.Array or writable buffer
        The destination, written in place (never a copy of it).
    src : array_like
        The values: an array, any buffer exporter, a nested sequence or a
        scalar, broadcast to dst's shape.
    casting : {'no', 'equiv', 'safe', 'same_kind', 'unsafe'}, optional
        The casting rule from src's dtype to dst's (default 'same_kind').
    where : array_like of bool, optional
        Copy only where True (broadcast to dst's shape).

    Returns
    -------
    None

    Raises
    ------
    TypeError
        A cast ``casting`` does not allow; a destination that is not a
        buffer.
    ValueError
        A read-only destination, a src that does not broadcast to dst's
        shape, an unknown ``casting``.
    OverflowError
        A Python integer out of the range of dst's dtype.

    Notes
    -----
    The conversion runs in Go (for large arrays without the GIL, on all of
    :func:`get_num_threads`' goroutines: copyto has no ``threads=``).

    Examples
    --------
    >>> import numpy as np, goarray as ga
    >>> d = ga.zeros(3, dtype="int8")
    >>> ga.copyto(d, [1, 2, 3])
    >>> d
    ga.Array([1, 2, 3], dtype=int8)
    >>> ga.copyto(d, np.array([0.5, 1.5, 2.5]))
    Traceback (most recent call last):
        ...
    TypeError: Cannot cast array data from dtype('float64') to dtype('int8') according to the rule 'same_kind'
    >>> ga.copyto(d, np.array([0.5, 1.5, 2.5]), casting="unsafe")
    >>> d.tolist()
    [0, 1, 2]
    >>> n = np.zeros(3)                              # any writable buffer
    >>> ga.copyto(n, 7, where=[True, False, True])
    >>> n
    array([7., 0., 7.])
    """
    if casting not in _CASTINGS:
        raise ValueError(f"casting must be one of 'no', 'equiv', 'safe', 'same_kind', 'unsafe' (got {casting!r})")
    d = _destination(dst)
    if where is not True:
        np.copyto(np.asarray(d), np.asarray(src) if isinstance(src, Array) else src, casting=casting, where=where)
        return
    s, weak = _input(src)
    if COPYTO_SCALARS_BY_VALUE and np.ndim(s) == 0:
        # numpy < 2.1 casts a scalar or 0-d source by its value: numpy
        # itself checks and casts it, into a 0-d array of dst's dtype.
        t = np.empty((), d.dtype)
        np.copyto(t, np.asarray(s) if isinstance(s, Array) else s, casting=casting)
        s, weak = t, False
    if isinstance(s, bool):
        s, weak = np.asarray(s), False  # NEP 50: a Python bool is numpy's bool, not weak
    if weak:
        # numpy packs a Python scalar into the dtype NEP 50 gives it next to
        # dst (checking its value), except for unsafe float/complex casts.
        descr = result_type((d, False), (s, True))
        if casting == "equiv" and descr != np.asarray(s).dtype:
            raise TypeError(f"cannot cast Python {type(s).__name__} to {descr} under the casting rule 'equiv'")
        s = np.asarray(s) if casting == "unsafe" and not isinstance(s, int) else np.asarray(s, dtype=descr)
    if not np.can_cast(s.dtype, d.dtype, casting=casting):
        what = "scalar" if s.ndim == 0 else "array data"
        raise TypeError(f"Cannot cast {what} from {s.dtype!r} to {d.dtype!r} according to the rule {casting!r}")
    sshape, dshape = tuple(s.shape), tuple(d.shape)
    try:
        ok = np.broadcast_shapes(sshape, dshape) == dshape
    except ValueError:
        ok = False
    if not ok:
        raise ValueError(f"could not broadcast input array from shape {sshape} into shape {dshape}")
    _copycast(d, s, 0)


def fill(a, value, *, threads=None):
    """Set every element of ``a`` to ``value`` (ndarray.fill).

    Parameters
    ----------
    a : goarray.Array or writable buffer
        The array to fill in place (a numpy array, bytearray, memoryview,
        ... too).
    value : scalar
        Converted to a's dtype as numpy's ``ndarray.fill`` converts it
        (a float into an integer array truncates; a Python integer out of
        range raises OverflowError).
    threads : int, optional
        Goroutines to use (at least 1); default :func:`get_num_threads`.

    Returns
    -------
    None

    Raises
    ------
    ValueError
        A read-only ``a``, ``threads`` below 1.
    TypeError
        An ``a`` that is not a buffer, or of a dtype goarray does not hold.
    OverflowError
        A Python integer out of the range of a's dtype.

    Notes
    -----
    The copy runs in Go (GIL released for large arrays).

    Examples
    --------
    >>> import numpy as np, goarray as ga
    >>> a = ga.empty(3, dtype="int16")
    >>> ga.fill(a, 7)
    >>> a
    ga.Array([7, 7, 7], dtype=int16)
    >>> b = bytearray(4)
    >>> ga.fill(b, 65)
    >>> b
    bytearray(b'AAAA')
    >>> x = np.zeros(2, dtype=np.int32)
    >>> ga.fill(x, 2.9)                               # truncated, as ndarray.fill
    >>> x
    array([2, 2], dtype=int32)
    """
    d = _destination(a)
    one = np.empty((), dtype=d.dtype)
    one.fill(value)
    _copycast(d, one, _threads(threads))
