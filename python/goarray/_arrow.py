"""The Arrow PyCapsule interface: goarray arrays to Arrow and back.

Export (``Array.__arrow_c_array__`` / ``__arrow_c_stream__``):

- 1-D arrays of int8-64, uint8-64 and float16/32/64 are Arrow primitive
  arrays whose data buffer is the array's own memory (no validity bitmap);
- C-contiguous N-d arrays are nested ``fixed_size_list`` arrays over the same
  memory: (n, k) is ``fixed_size_list<k>`` of length n, (n, k, m) is
  ``fixed_size_list<fixed_size_list<m>[k]>``;
- bool is packed into Arrow's bitmap (a copy), non-contiguous or misaligned
  arrays export a C-contiguous copy; complex dtypes and 0-d arrays raise
  TypeError;
- ``requested_schema`` naming another goarray dtype is honoured by a safe
  cast (a copy, ValueError on loss, as pyarrow's own producer: narrowing a
  float is allowed, an integer overflow or a lost fraction is not).

The export counts as a buffer export of the array (``resize`` refuses) until
the consumer's release callback has run (arrow.c).

Import (``from_arrow``): primitive arrays without nulls and nested
``fixed_size_list`` come in as zero-copy read-only views that hold the
producer's release until the last view is gone; several chunks, bool and
filled nulls are copies.
"""
import numpy as np

from . import _goarray

_FORMATS = {
    np.dtype(np.bool_): "b",
    np.dtype(np.int8): "c", np.dtype(np.uint8): "C",
    np.dtype(np.int16): "s", np.dtype(np.uint16): "S",
    np.dtype(np.int32): "i", np.dtype(np.uint32): "I",
    np.dtype(np.int64): "l", np.dtype(np.uint64): "L",
    np.dtype(np.float16): "e", np.dtype(np.float32): "f", np.dtype(np.float64): "g",
}
_DTYPES = {f: d for d, f in _FORMATS.items()}
_MAX_K = 2**31


# ---- export -----------------------------------------------------------------

def _schema_formats(requested_schema):
    """The format strings of a requested schema: a capsule, or an object
    with __arrow_c_schema__ (a pyarrow DataType, a polars dtype, ...)."""
    if hasattr(requested_schema, "__arrow_c_schema__"):
        requested_schema = requested_schema.__arrow_c_schema__()
    if type(requested_schema).__name__ != "PyCapsule":
        raise TypeError(f"requested_schema must be an 'arrow_schema' PyCapsule, got "
                        f"{type(requested_schema).__name__}")
    return _goarray._arrow_schema_formats(requested_schema)


def _describe(a):
    return f"a goarray array of dtype {a.dtype} and shape {tuple(a.shape)}"


def _requested_dtype(a, requested_schema):
    """The dtype the requested schema asks for: the same nesting as a's
    shape over a primitive type goarray has."""
    formats = _schema_formats(requested_schema)
    want = [f"+w:{k}" for k in a.shape[1:]]
    fs = [f for f, _, _ in formats]
    leaf = fs[len(want)] if len(fs) > len(want) else None
    dictionary = any(d for _, _, d in formats)
    if fs[:len(want)] != want or leaf not in _DTYPES or len(fs) != len(want) + 1 or dictionary:
        shown = " > ".join(fs) if fs else "(none)"
        expect = " > ".join(want + ["<primitive>"])
        raise TypeError(f"cannot export {_describe(a)} as the requested Arrow type with format string(s) "
                        f"{shown!s}: goarray exports {expect}, with the primitive one of "
                        f"{', '.join(sorted(_DTYPES))}")
    return _DTYPES[leaf]


def _safe_cast(a, dt):
    """A copy of a as dt, refused with ValueError if a value changes (as
    pyarrow's safe cast: a float narrowed to a smaller float, and any number
    to bool, nonzero being True, are allowed)."""
    src = np.asarray(a)
    with np.errstate(all="ignore"):
        out = src.astype(dt)
        if (src.dtype.kind == "f" and dt.kind == "f") or dt.kind == "b":
            return out
        back = out.astype(src.dtype)
    same = back == src
    if not same.all():
        i = np.unravel_index(int(np.argmin(same.reshape(-1))), src.shape)
        raise ValueError(f"cannot export {_describe(a)} as Arrow {_FORMATS[dt]!r} ({dt}) without loss: the "
                         f"value {src[i]!r} at index {tuple(int(j) for j in i)} does not fit (a safe cast, as "
                         f"pyarrow's)")
    return out


def export(a, requested_schema=None, stream=False):
    """(schema, array) capsules, or a stream capsule, for goarray array a."""
    fmt = _FORMATS.get(a.dtype)
    if (requested_schema is None and a.ndim == 1 and fmt is not None and fmt != "b" and a._bits & 1
            and not a._data % a.itemsize):
        # 1-D, C-contiguous, aligned (a contiguous array is aligned iff its
        # address is a multiple of the item size): zero-copy
        return _goarray._arrow_export(a, fmt, a.shape, stream)
    if a.ndim == 0:
        raise TypeError("a 0-d goarray array has no Arrow form (Arrow arrays have a length): reshape it to (1,)")
    dt = a.dtype
    if dt not in _FORMATS:
        raise TypeError(f"Arrow has no type for goarray dtype {dt}"
                        + (" (complex numbers)" if dt.kind == "c" else ""))
    for k in a.shape[1:]:
        if k >= _MAX_K:
            raise ValueError(f"cannot export {_describe(a)}: Arrow's fixed_size_list sizes are below 2**31, "
                             f"got {k}")
    target = dt if requested_schema is None else _requested_dtype(a, requested_schema)
    src = a
    if target != dt:
        src = _safe_cast(a, target)  # a copy
    elif not (a._bits & 1) or not a.flags.aligned:
        src = a.copy()  # C-contiguous, aligned
    if target == np.bool_:
        src = np.packbits(np.asarray(src).reshape(-1), bitorder="little")
    return _goarray._arrow_export(src, _FORMATS[target], tuple(a.shape), stream)


# ---- import -----------------------------------------------------------------

def _mask(validity, shape, size):
    """Where the elements are valid (not null at any level)."""
    valid = np.ones(size, np.bool_)
    for region, bit, count in validity:
        bits = np.unpackbits(np.frombuffer(region, np.uint8), bitorder="little", count=bit + count)[bit:]
        valid &= np.repeat(bits.astype(np.bool_), size // count if count else 0)
    return valid.reshape(shape)


def _build(t, null_value):
    mem, fmt, shape, bit, nulls, validity = t
    if nulls and null_value is None:
        raise ValueError(f"the Arrow array has {nulls} null{'' if nulls == 1 else 's'} (missing value"
                         f"{'' if nulls == 1 else 's'}), which goarray arrays cannot hold: pass null_value= to "
                         f"fill them")
    if fmt != "b" and not nulls:
        return _goarray.from_buffer(mem)  # zero-copy, read-only
    size = int(np.prod(shape, dtype=np.int64))
    out = _goarray.empty(shape, _DTYPES[fmt])
    dst = np.asarray(out)
    if fmt == "b":
        bits = np.unpackbits(np.frombuffer(mem, np.uint8), bitorder="little", count=bit + size)[bit:]
        dst[...] = bits.astype(np.bool_).reshape(shape)
    else:
        dst[...] = np.asarray(mem)
    if nulls:
        dst[~_mask(validity, shape, size)] = null_value
    return out


def _empty_of(formats):
    fs = [f for f, _, _ in formats]
    if fs[:1] == ["+s"] and len(formats) > 1 and formats[0][1] == 1:
        fs = fs[1:]
    inner = []
    while fs and fs[0].startswith("+w:"):
        inner.append(int(fs[0][3:]))
        fs = fs[1:]
    if not fs or fs[0] not in _DTYPES:
        f = fs[0] if fs else ""
        raise TypeError(f"from_arrow(): the Arrow type has no goarray dtype (Arrow format string {f!r})")
    return _goarray.empty((0, *inner), _DTYPES[fs[0]])


def from_arrow(obj, *, null_value=None):
    """A goarray array of any Arrow array: an object with ``__arrow_c_array__``
    or ``__arrow_c_stream__`` (a pyarrow Array or ChunkedArray, a polars
    Series, a nanoarrow array, a one-column record batch or query result, a
    goarray array).

    Primitive types without nulls come in zero-copy and read-only (Arrow
    memory is immutable); the array holds the producer's memory until its
    last view is gone. Nested ``fixed_size_list`` arrays become N-d arrays,
    zero-copy. Several chunks are concatenated into one copy; bool is one
    copy into bytes. Arrays with nulls are refused with ValueError unless
    ``null_value`` is given, which fills them in a copy. Other Arrow types
    (strings, variable-size lists, dictionaries, timestamps, ...) raise
    TypeError naming the Arrow format string.

    Examples
    --------
    >>> import pyarrow as pa, goarray as ga   # doctest: +SKIP
    >>> ga.from_arrow(pa.array([1.0, 2.0]))   # doctest: +SKIP
    goarray.array([1., 2.])
    >>> ga.from_arrow(pa.array([1.0, None]), null_value=0.0)   # doctest: +SKIP
    goarray.array([1., 0.])
    """
    t = type(obj)
    if hasattr(t, "__arrow_c_array__"):
        schema, array = obj.__arrow_c_array__()
        return _build(_goarray._arrow_import(schema, array), null_value)
    if hasattr(t, "__arrow_c_stream__"):
        formats, chunks = _goarray._arrow_import_stream(obj.__arrow_c_stream__())
        if len(chunks) == 1:
            return _build(chunks[0], null_value)
        parts = [_build(c, null_value) for c in chunks]
        if not parts:
            return _empty_of(formats)
        first = parts[0]
        out = _goarray.empty((sum(p.shape[0] for p in parts), *first.shape[1:]), first.dtype)
        dst, i = np.asarray(out), 0
        for p in parts:
            dst[i:i + p.shape[0]] = np.asarray(p)
            i += p.shape[0]
        return out
    raise TypeError(f"from_arrow() needs an object with __arrow_c_array__ or __arrow_c_stream__ (the Arrow "
                    f"PyCapsule interface), got {t.__name__}")


def operand(x):
    """x for a Go kernel: an object with the Arrow PyCapsule interface as a
    goarray array (zero-copy when it can be; nulls refused with ValueError,
    never read as NaN), anything else unchanged. An Arrow type goarray has
    no dtype for leaves x to the buffer protocol or __array__, if it has
    them."""
    t = type(x)
    if isinstance(x, _goarray._ArrayBase) or not (hasattr(t, "__arrow_c_array__")
                                                   or hasattr(t, "__arrow_c_stream__")):
        return x
    try:
        return from_arrow(x)
    except TypeError:
        if hasattr(t, "__array__") or hasattr(t, "__buffer__"):
            return x
        raise
