"""The comparisons: equal, not_equal, less, less_equal, greater and
greater_equal, elementwise, by the Go kernels of the binary family (a bool
result). The operators ``== != < <= > >=``, numpy's comparison ufuncs on
goarray arrays and these functions share that one path."""
from ._kernels import _binary

_SYMBOL = {"equal": "==", "not_equal": "!=", "less": "<", "less_equal": "<=", "greater": ">",
           "greater_equal": ">="}
# each one's answer for arange(4) against 2, the docstrings' example
_EXAMPLE = {
    "equal": "[False, False,  True, False]",
    "not_equal": "[ True,  True, False,  True]",
    "less": "[ True,  True, False, False]",
    "less_equal": "[ True,  True,  True, False]",
    "greater": "[False, False, False,  True]",
    "greater_equal": "[False, False,  True,  True]",
}

_DOC = """{title}: ``x {symbol} y`` (numpy.{name}).

Parameters
----------
x, y : array_like
    goarray arrays, numpy arrays, any other buffer exporter (memoryview,
    bytearray, array.array, mmap, ...), nested sequences or Python
    scalars; they broadcast against each other.
out : goarray.Array or writable buffer, optional
    Where to write the result: its shape is the broadcast shape (or a shape
    the inputs broadcast to); a dtype other than bool receives it with
    numpy's ``same_kind`` casting. A 1-tuple is accepted, as in numpy.
dtype : dtype_like, optional
    numpy's ``dtype=`` of a ufunc (the loop's output dtype).
casting : {{'no', 'equiv', 'safe', 'same_kind', 'unsafe'}}, optional
    numpy's casting rule for the inputs and ``out`` (default
    ``'same_kind'``).
threads : int, optional
    Goroutines to use (at least 1); default :func:`get_num_threads`.

Returns
-------
goarray.Array
    A new bool array in Go memory (0-d for two scalars), or ``out``.

Raises
------
ValueError
    Shapes that do not broadcast; an ``out`` of another shape, or
    read-only; ``threads`` below 1.
TypeError
    A dtype goarray does not hold; numpy's UFuncTypeError for an input or
    ``out`` that ``casting`` forbids.

Notes
-----
numpy is the reference: its resolver picks the loop (NEP 50: a Python
scalar takes the array's dtype; int64 against uint64 compares exactly),
and the Go kernel compares as numpy does: NaN is unequal to everything
(``!=`` is True), -0.0 equals 0.0, complex numbers order by real part and
then imaginary part, float16 compares by value. A Python int beyond the
array's dtype compares by value through numpy's own loop (an int8 array
is ``< 300`` everywhere). Large operands are compared without the GIL,
split over ``threads`` goroutines; called from the main thread, a large
kernel stops at Ctrl-C with KeyboardInterrupt.

Examples
--------
>>> import numpy as np, goarray as ga
>>> ga.{name}(ga.arange(4), 2)
ga.Array({example})
>>> np.{name}(np.arange(4), 2)
array({example})
"""


def _make(name):
    def compare(x, y, out=None, *, dtype=None, casting="same_kind", threads=None):
        return _binary(name, x, y, out, dtype, casting, threads)

    compare.__name__ = compare.__qualname__ = name
    compare.__doc__ = _DOC.format(title=name.replace("_", " ").capitalize() + ", elementwise", symbol=_SYMBOL[name],
                                  name=name, example=_EXAMPLE[name])
    return compare


equal, not_equal, less, less_equal, greater, greater_equal = (_make(n) for n in _SYMBOL)

__test__ = {f.__name__: f for f in (equal, not_equal, less, less_equal, greater, greater_equal)}
