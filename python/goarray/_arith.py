"""The arithmetic kernels: add, subtract, multiply, divide, minimum and
maximum, elementwise, the public functions over _kernels' one binary path
(``_binary``: numpy's resolver, then the Go kernels of the binary family).
"""
import sys
import textwrap

from ._fast import fast as _fast
from ._kernels import _binary

# Each function's first line, the notes of its own and its examples.
_TITLE = {
    "add": "Add arguments elementwise: ``x + y`` (numpy.add).",
    "subtract": "Subtract arguments elementwise: ``x - y`` (numpy.subtract).",
    "multiply": "Multiply arguments elementwise: ``x * y`` (numpy.multiply).",
    "divide": "Divide arguments elementwise: ``x / y`` (numpy.divide, true division).",
    "minimum": "Elementwise minimum of the arguments (numpy.minimum).",
    "maximum": "Elementwise maximum of the arguments (numpy.maximum).",
}

_NOTES = {
    "add": """\
For bool operands the sum is a logical or, as in numpy.""",
    "subtract": """\
Integers wrap around; bool operands are refused with numpy's
TypeError.""",
    "multiply": """\
For bool operands the product is a logical and, as in numpy.

Complex products are numpy's bytes: numpy's vector loop (x86-64 with
FMA) computes ``re = ar*br - ai*bi`` and ``im = ar*bi + ai*br`` each
with one fused rounding, in the operands' precision (complex64 in
float32: a product that overflows float32 is inf), and so does
goarray, NaN signs included; with a scalar or broadcast operand the
bytes are those of the product with an array of that value (numpy's
scalar-operand loops can give another NaN sign where two NaNs meet).""",
    "divide": """\
Integer and bool operands give float64, as in numpy. Division by zero
gives inf or nan without numpy's RuntimeWarning.""",
}
for _name, _other in (("minimum", "and"), ("maximum", "or")):
    _NOTES[_name] = f"""\
A NaN in either operand gives NaN (the first operand's when both are
NaN), as in numpy. Of two equal operands (+0.0 and -0.0) the result is
numpy's: the second for float32 and float64, the first for float16
(numpy's half loop; float16 {_name} runs in Go on the float16 data
itself). Complex operands run numpy's own loop (no Go kernel) on
zero-copy views, into Go memory; for bool operands the {_name} is a
logical {_other}."""

_EXAMPLES = {
    "add": """\
>>> ga.add(ga.arange(3), 10)
ga.Array([10, 11, 12])
>>> np.add(np.arange(3), 10)
array([10, 11, 12])
>>> ga.add(np.arange(3, dtype=np.int8), [[0], [100]])   # numpy memory, broadcast
ga.Array([[  0,   1,   2],
          [100, 101, 102]])
>>> out = ga.zeros(3, dtype="float32")
>>> ga.add([1, 2, 3], 0.5, out=out) is out
True
>>> out.tolist()
[1.5, 2.5, 3.5]""",
    "subtract": """\
>>> ga.subtract(ga.arange(4.0), 1.5)
ga.Array([-1.5, -0.5,  0.5,  1.5])
>>> ga.subtract(np.array([0, 1], dtype=np.uint8), 1)   # wraps around, as numpy
ga.Array([255,   0], dtype=uint8)
>>> np.subtract(np.array([0, 1], dtype=np.uint8), 1)
array([255,   0], dtype=uint8)""",
    "multiply": """\
>>> ga.multiply(ga.arange(4), ga.arange(4))
ga.Array([0, 1, 4, 9])
>>> ga.multiply(np.arange(3.0), 2j)        # NEP 50: complex128
ga.Array([0.+0.j, 0.+2.j, 0.+4.j])
>>> np.multiply(np.arange(3.0), 2j)
array([0.+0.j, 0.+2.j, 0.+4.j])""",
    "divide": """\
>>> ga.divide(ga.arange(4), 2)
ga.Array([0. , 0.5, 1. , 1.5])
>>> ga.divide(ga.arange(3.0), 0.0).tolist()
[nan, inf, inf]""",
    "minimum": """\
>>> ga.minimum([1.0, np.nan, 3.0], [2.0, 0.0, 0.5])
ga.Array([1. , nan, 0.5])
>>> np.minimum([1.0, np.nan, 3.0], [2.0, 0.0, 0.5])
array([1. , nan, 0.5])""",
    "maximum": """\
>>> ga.maximum(ga.arange(5), 2)
ga.Array([2, 2, 2, 3, 4])
>>> np.maximum(np.arange(5), 2)
array([2, 2, 2, 3, 4])""",
}

# How exact the results are and what warns: the arithmetic rounds (complex
# products and quotients aside), minimum and maximum choose an operand.
_ROUNDED = ("Real results are numpy's exactly (each is one correctly rounded operation){}. The Go "
            "arithmetic raises no floating-point warnings where numpy warns (division by zero, overflow, "
            "invalid value). float16 is computed in float32 and rounded to float16, as numpy does (the "
            "rounding is numpy's cast, which does warn on overflow).")
_COMPLEX_BITS = "; complex products and quotients may differ from numpy's in the last bits"
_EXACTNESS = {"add": _ROUNDED.format(_COMPLEX_BITS), "subtract": _ROUNDED.format(_COMPLEX_BITS),
              "multiply": _ROUNDED.format(""), "divide": _ROUNDED.format(_COMPLEX_BITS),
              "minimum": "Results are numpy's exactly.", "maximum": "Results are numpy's exactly."}

# numpy as the reference, the Go kernel and its threads, as one paragraph.
_REFERENCE = ("numpy is the reference for the result dtype (NEP 50: a Python scalar takes the array's dtype "
              "when that holds its kind), broadcasting and ``out=``. The arithmetic runs in Go on the "
              "operands' memory (operands of another dtype are converted first); for large operands the GIL "
              "is released and the work is split over ``threads`` goroutines in chunks that depend only on "
              "the size of the data, so the result is the same for every thread count. {exactness} Called "
              "from the main thread, a large kernel stops at Ctrl-C with KeyboardInterrupt (``out`` may then "
              "be partly written).")

_DOC = """{title}

Parameters
----------
x, y : array_like
    goarray arrays, numpy arrays, any other buffer exporter
    (memoryview, bytearray, array.array, mmap, ...), nested sequences or
    Python scalars; they broadcast against each other.
out : goarray.Array or writable buffer, optional
    Where to write the result: its shape is the broadcast shape (or a
    shape the inputs broadcast to), and a dtype other than the result's
    receives it with numpy's ``same_kind`` casting. A 1-tuple is
    accepted, as in numpy.
dtype : dtype_like, optional
    The output dtype, as numpy's ``dtype=`` of a ufunc: numpy selects
    the loop for it, and the inputs must cast to the loop's dtype under
    ``casting``.
casting : {{'no', 'equiv', 'safe', 'same_kind', 'unsafe'}}, optional
    numpy's casting rule for the inputs and ``out`` (default
    ``'same_kind'``).
threads : int, optional
    Goroutines to use (at least 1); default :func:`get_num_threads`.

Returns
-------
goarray.Array
    A new array in Go memory (0-d for two scalars), or ``out``.

Raises
------
ValueError
    Shapes that do not broadcast; an ``out`` of another shape, or
    read-only; ``threads`` below 1.
TypeError
    A dtype goarray does not hold (strings, objects, non-native byte
    order, ...); numpy's UFuncTypeError for an input or ``out`` that
    ``casting`` forbids, numpy's TypeError for a ``dtype=`` without a
    loop.
OverflowError
    A Python integer out of the range of the result dtype (NEP 50).

Notes
-----
{notes}

{reference}

``{name}(a, b)`` of two C-contiguous goarray or numpy arrays of one
dtype and shape (or of one such array and a Python scalar that keeps
its dtype), with or without a matching goarray ``out=``, enters Go
straight from C; every other call takes the general path, with the same
results.

Examples
--------
>>> import numpy as np, goarray as ga
{examples}
"""


def _make(name):
    def arith(x, y, out=None, *, dtype=None, casting="same_kind", threads=None):
        return _binary(name, x, y, out, dtype, casting, threads)

    arith.__name__ = arith.__qualname__ = name
    if sys.flags.optimize >= 2:   # python -OO: no docstrings
        return arith
    arith.__doc__ = _DOC.format(title=_TITLE[name], notes=_NOTES[name], name=name, examples=_EXAMPLES[name],
                                reference=textwrap.fill(_REFERENCE.format(exactness=_EXACTNESS[name]), 70,
                                                        break_on_hyphens=False))
    return arith


add, subtract, multiply, divide, minimum, maximum = (_make(n) for n in _TITLE)

# doctest does not collect the C entry points made below: run the examples
# of the Python implementations they fall back to.
__test__ = {f.__name__: f for f in (add, subtract, multiply, divide, minimum, maximum)}

# The commonest calls, f(a, b) on two C-contiguous goarray arrays of one
# dtype and shape, enter Go straight from C (goarray/_fast.py).
add, subtract, multiply, divide, minimum, maximum = (_fast(f) for f in (add, subtract, multiply, divide, minimum,
                                                                         maximum))
