"""The reductions' docstrings: the parameters, results, errors and notes
that several reductions document alike, written once. A reduction's
docstring is a template naming them (``{a}``, ``{axis}``, ...), its own
or one that two alike reductions share; ``filled`` puts them in, with the
function's own pieces."""
import inspect
import sys

_AXIS_ERROR = """\
numpy.exceptions.AxisError
    An axis out of range."""

_PIECES = {
    "a": """\
a : array_like
    A goarray array, a numpy array, any other buffer exporter, a nested
    sequence or a scalar.""",
    "axis": """\
axis : None, int or tuple of ints, optional
    Axes to reduce (negative counts from the last); None, the default,
    reduces all of them.""",
    "out": """\
out : goarray.Array or writable buffer, optional
    Where to write the result; it must have the result's shape. Another
    dtype receives the result cast as numpy casts it.""",
    "keepdims": """\
keepdims : bool, optional
    Keep the reduced axes as axes of length 1.""",
    "threads": """\
threads : int, optional
    Goroutines to use (at least 1); default :func:`get_num_threads`.""",
    # sum, prod, mean, var and std
    "returns": """\
numpy scalar or goarray.Array
    A numpy scalar for a full reduction, else a goarray array (or
    ``out``).""",
    "axis_error": _AXIS_ERROR,
    "raises": _AXIS_ERROR + """
ValueError
    A repeated axis, an ``out`` of the wrong shape or read-only,
    ``threads`` below 1.
TypeError
    A dtype goarray does not hold.""",
    "in_go": """\
The reduction runs in Go on a's memory (buffers are read in place);
for large inputs the GIL is released and the work is split over
``threads`` goroutines. Each output is reduced in chunks fixed by the
shapes alone and the partial results are combined in a fixed order,
so the result is bit-identical for every thread count.""",
    # the reductions with a C entry point (_fast)
    "from_c": """\
``{name}(a)`` of one C-contiguous goarray or numpy array, with no other
argument, enters Go straight from C; every other call takes the
general path, with the same results.""",
}


def filled(template=None, **own):
    """A decorator: the docstring template (``template``, else the
    function's own docstring) with the shared pieces, ``own``'s (each may
    name the function as ``{name}`` too) and the function's name put in."""
    def fill(f):
        doc = template or f.__doc__
        if doc is None or sys.flags.optimize >= 2:   # python -OO: no docstrings
            return f
        pieces = {k: v.format(name=f.__name__) for k, v in {**_PIECES, **own}.items()}
        f.__doc__ = inspect.cleandoc(doc).format(name=f.__name__, **pieces) + "\n"
        return f
    return fill
