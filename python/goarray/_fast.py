"""C entry points for the commonest kernel calls.

``fast(impl)`` returns the C function that computes, with a single call
into Go, ``impl(a)`` (a full reduction of one C-contiguous, aligned
goarray array or numpy ndarray of a dtype goarray holds; the other
arguments may be given at their defaults, positionally, and
``threads=None``, as the methods pass them) or ``impl(a, b)``
and ``impl(a, b, out)`` (an elementwise kernel of two such arrays of one
dtype and shape, or of one such array and a Python scalar that keeps its
dtype under NEP 50; ``out`` a C-contiguous writable goarray array of that
dtype and shape), and passes every other call (keywords, other layouts,
subclasses, other buffers) to ``impl`` unchanged, with the same results.
It keeps impl's name, docstring and signature.
"""
from . import _goarray


def text_signature(f):
    """f's signature in the form C functions' docstrings carry it."""
    code = f.__code__
    npos, nkw = code.co_argcount, code.co_kwonlyargcount
    names = code.co_varnames[:npos + nkw]
    defaults = f.__defaults__ or ()
    kwdefaults = f.__kwdefaults__ or {}
    first_default = npos - len(defaults)
    parts = []
    for i, name in enumerate(names[:npos]):
        parts.append(name if i < first_default else f"{name}={defaults[i - first_default]!r}")
    if nkw:
        parts.append("*")
    for name in names[npos:]:
        parts.append(f"{name}={kwdefaults[name]!r}" if name in kwdefaults else name)
    return f"{f.__name__}({', '.join(parts)})\n--\n\n"


def fast(impl):
    """The C entry point of impl (see the module docstring)."""
    return _goarray._fast(impl.__name__, impl, text_signature(impl) + (impl.__doc__ or ""))
