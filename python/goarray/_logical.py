"""all, any and count_nonzero in Go, on the reductions' machinery
(_reduce_base, and _reductions' _reduce): numpy's result types, axis,
out= and keepdims rules; float16 is read directly."""
from ._compat import COUNT_NONZERO_PYINT
from ._fast import fast as _fast
from ._reduce_base import _INTP, _REDUCE, _Call, _axes, _full_scalar, _input
from ._reduce_docs import filled
from ._reductions import _reduce

# all's and any's docstring
_ALLANY_DOC = """Whether {which} element over ``axis`` is true (numpy.{name}).

Parameters
----------
{a}
{axis}
{out}
{keepdims}
{threads}

Returns
-------
numpy.bool or goarray.Array
    A numpy bool for a full reduction, else a bool goarray array (or
    ``out``).

Raises
------
{raises}

Notes
-----
An element is true when it is nonzero (NaN is true). The reduction of
no elements is {empty}, as in numpy. float16 is read directly.

{in_go}

{from_c}

Examples
--------
>>> import numpy as np, goarray as ga
{examples}
"""


@filled(_ALLANY_DOC, which="every", empty="True", examples="""\
>>> ga.all([1, 2, 0])
np.False_
>>> np.all([1, 2, 0])
np.False_
>>> ga.all(ga.arange(6).reshape(2, 3), axis=0)
ga.Array([False,  True,  True])""")
def all(a, axis=None, out=None, keepdims=False, *, threads=None):  # noqa: A001
    return _reduce("all", a, axis, None, out, keepdims, threads)


@filled(_ALLANY_DOC, which="some", empty="False", examples="""\
>>> ga.any([0.0, 0.0, 0.5])
np.True_
>>> ga.any(ga.arange(6).reshape(2, 3) > 4, axis=1)
ga.Array([False,  True])""")
def any(a, axis=None, out=None, keepdims=False, *, threads=None):  # noqa: A001
    return _reduce("any", a, axis, None, out, keepdims, threads)


@filled()
def count_nonzero(a, axis=None, *, keepdims=False, threads=None):
    """Number of nonzero elements over ``axis`` (numpy.count_nonzero).

    Parameters
    ----------
    {a}
    {axis}
    {keepdims}
    {threads}

    Returns
    -------
    numpy.intp, int or goarray.Array
        An intp scalar for a full count, else an intp goarray array. As
        the installed numpy: with axis=None (and no keepdims), numpy
        before 2.3 gives a Python int.

    Raises
    ------
    {axis_error}
    ValueError
        A repeated axis, ``threads`` below 1.

    Notes
    -----
    float16 is read directly (no conversion).

    {in_go}

    Examples
    --------
    >>> import numpy as np, goarray as ga
    >>> a = ga.arange(6).reshape(2, 3)
    >>> ga.count_nonzero(a)
    np.int64(5)
    >>> ga.count_nonzero(a, axis=0)
    ga.Array([1, 2, 2])
    >>> np.count_nonzero(np.arange(6).reshape(2, 3), axis=0)
    array([1, 2, 2])
    """
    x = _input(a)
    axes = _axes(axis, x.ndim)
    r = None
    if not keepdims and len(axes) == x.ndim:
        r = _full_scalar("count_nonzero", x, _INTP, threads)
    if r is None:
        call = _Call("count_nonzero", x, axes, keepdims, None, _INTP)
        r = call.run("reduce", _REDUCE["count_nonzero"], x, threads).result()
    # numpy < 2.3 counts everything (axis=None) into a Python int
    return int(r) if axis is None and not keepdims and COUNT_NONZERO_PYINT else r


# doctest does not collect the C entry points made below: run the examples
# of the Python implementations they fall back to.
__test__ = {f.__name__: f for f in (all, any)}

# The commonest calls, f(a) on one C-contiguous goarray array, enter Go
# straight from C (goarray/_fast.py); the rest run the functions above.
all, any = (_fast(f) for f in (all, any))  # noqa: A001
