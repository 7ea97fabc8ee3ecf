"""Results are laid out as numpy lays out its ufuncs' results.

numpy allocates a ufunc's result in the operands' memory order
(order="K"): F-ordered operands give an F-ordered result, a transposed
operand a result with its axis order. Code that reshapes with order="A" or
hands the result's strides on sees the difference, so every entry point
(operator, numpy ufunc, goarray function, numpy-computed ufunc) must give
numpy's strides as well as its values.
"""
import operator

import numpy as np
import pytest
from numpy.testing import assert_array_equal

import goarray as ga


def operands():
    base = np.arange(1.0, 25.0).reshape(2, 3, 4)
    yield "F", np.asfortranarray(base[0])
    yield "transposed", base.transpose(2, 0, 1)
    yield "transposed 2-d", base[1].T
    yield "C", base
    yield "reversed", base[:, ::-1]
    yield "strided", base[:, :, ::2]


ENTRIES = [
    ("a + 2", lambda x: x + 2),
    ("2 * a", lambda x: 2 * x),
    ("a + a", lambda x: x + x),
    ("a - a.T.T", lambda x: x - x.T.T),
    ("np.add", lambda x: np.add(x, x)),
    ("np.multiply scalar", lambda x: np.multiply(x, 3.0)),
    ("np.maximum", lambda x: np.maximum(x, 2.0)),
    ("a < 3", lambda x: x < 3),
    ("np.equal", lambda x: np.equal(x, x)),
    ("float32", lambda x: x.astype(np.float32) * np.float32(2)),
    ("float16", lambda x: x.astype(np.float16) + x.astype(np.float16)),
    ("int32 + int64", lambda x: x.astype(np.int32) + x.astype(np.int64)),
    ("np.sin", lambda x: np.sin(x)),
    ("np.hypot", lambda x: np.hypot(x, x)),
    ("a % 2", lambda x: x % 2),
    ("np.add order=A", lambda x: np.add(x, 1, order="A")),
    ("np.add order=F", lambda x: np.add(x, 1, order="F")),
]




@pytest.mark.parametrize("label,f", ENTRIES, ids=[e[0] for e in ENTRIES])
def test_results_have_numpys_strides(label, f):
    for name, n in operands():
        ref = f(n)
        res = f(ga.asarray(n))
        assert isinstance(res, ga.Array), (label, name)
        assert (res.shape, res.dtype, res.strides) == (ref.shape, ref.dtype, ref.strides), (label, name)
        assert_array_equal(np.asarray(res), ref)


@pytest.mark.parametrize("fname", ["add", "subtract", "multiply", "divide", "minimum", "maximum", "less", "equal"])
def test_goarray_functions_have_numpys_strides(fname):
    nf = getattr(np, fname)
    gf = getattr(ga, fname)
    for name, n in operands():
        for other in (n, 2.0, n[..., :1]):
            ref = nf(n, other)
            res = gf(ga.asarray(n), ga.asarray(other) if isinstance(other, np.ndarray) else other)
            assert res.strides == ref.strides, (fname, name)
            assert_array_equal(np.asarray(res), ref)


@pytest.mark.parametrize("op", [operator.add, operator.mul, operator.lt])
def test_mixed_layouts_follow_numpys_choice(op):
    c = np.arange(6.0).reshape(2, 3)
    f = np.asfortranarray(c)
    for x, y in ((c, f), (f, c), (f, c[0]), (c[:, :1], f)):
        ref = op(x, y)
        res = op(ga.asarray(x), ga.asarray(y))
        assert res.strides == ref.strides
        assert_array_equal(np.asarray(res), ref)
