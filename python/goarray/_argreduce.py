"""argmin and argmax in Go, on the reductions' machinery (_reduce_base):
indices as numpy.intp, numpy's axis, out= and keepdims rules; float16
compares float32 copies (exact)."""
import numpy as np

from . import _registry
from ._array import Array
from ._kernels import _as_dtype
from ._reduce_base import _F4, _INTP, _Call, _axes, _axis, _input, _is_f16, _out_array
from ._reduce_docs import filled

_ARGREDUCE = _registry.codes("argreduce")   # argmin, argmax -> code


def _arg(name, a, axis, out, keepdims, threads):
    x = _input(a)
    axes = _axes(None if axis is None else _axis(axis, "an integer is required for the axis"), x.ndim)
    o = _out_array(out)
    if o is not None:
        od = o.dtype if isinstance(o, Array) else np.asarray(o).dtype
        if not np.can_cast(od, _INTP, casting="safe"):
            raise TypeError(f"Cannot cast array data from {od!r} to {_INTP!r} according to the rule 'safe'")
    src = _as_dtype(x, False, _F4) if _is_f16(x.dtype) else x
    call = _Call(name, x, axes, keepdims, o, _INTP)
    return call.run("argreduce", _ARGREDUCE[name], src, threads).result()


# argmin's and argmax's docstring
_ARG_DOC = """Indices of the {what} values over ``axis`` (numpy.{name}).

Parameters
----------
{a}
axis : int, optional
    The axis to search along; None, the default, searches the
    flattened array.
out : goarray.Array or writable buffer, optional
    Where to write the indices: the result's shape, a dtype intp casts
    to safely.
keepdims : bool, optional
    Keep the searched axis as an axis of length 1.
{threads}

Returns
-------
numpy.intp or goarray.Array
    An intp scalar when the result has no axes (``axis=None``, or
    a 1-D ``a``), else an intp goarray array (or ``out``).

Raises
------
ValueError
    An empty search, as in numpy; an ``out`` of the wrong shape;
    ``threads`` below 1.
TypeError
    An ``out`` of a dtype intp cannot be cast to safely, an axis that
    is not an integer.
{axis_error}

Notes
-----
Of equal {extrema} the first index is returned; the first NaN wins, as in
numpy. float16 is compared as float32 copies (exact).

{in_go}

Examples
--------
>>> import numpy as np, goarray as ga
{examples}
"""


@filled(_ARG_DOC, what="minimum", extrema="minima", examples="""\
>>> ga.argmin([3, 1, 2, 1])
np.int64(1)
>>> np.argmin([3, 1, 2, 1])
np.int64(1)
>>> ga.argmin(ga.asarray([[4.0, 2.0], [1.0, 3.0]]), axis=0)
ga.Array([1, 0])""")
def argmin(a, axis=None, out=None, *, keepdims=False, threads=None):
    return _arg("argmin", a, axis, out, keepdims, threads)


@filled(_ARG_DOC, what="maximum", extrema="maxima", examples="""\
>>> a = ga.arange(6.0).reshape(2, 3)
>>> ga.argmax(a)                                # of the flattened array
np.int64(5)
>>> ga.argmax(a, axis=1)
ga.Array([2, 2])
>>> ga.argmax([1.0, np.nan, 2.0, np.nan])       # the first NaN
np.int64(1)""")
def argmax(a, axis=None, out=None, *, keepdims=False, threads=None):
    return _arg("argmax", a, axis, out, keepdims, threads)
