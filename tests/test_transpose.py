"""transpose(*axes) and T: views with numpy's permuted shape and strides, and
numpy's errors for bad axes."""
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import goarray as ga
from conftest import LAYOUT_NAMES, assert_matches, make_pair, sample, strided_pairs


def _is_view_of(g, owner):
    return g.base is owner and (g.size == 0 or np.shares_memory(np.asarray(g), np.asarray(owner)))


@pytest.mark.parametrize("layout", LAYOUT_NAMES)
def test_reverse_axes(layout):
    p = make_pair(layout, "complex64")
    strides = bool(p.n_owner.size)
    assert_matches(p.g.transpose(), p.n.transpose(), strides=strides)
    assert_matches(p.g.T, p.n.T, strides=strides)
    assert_matches(p.g.T.T, p.n, strides=strides)
    assert _is_view_of(p.g.T, p.g_owner)


@given(strided_pairs(), st.data())
def test_random_permutations(p, data):
    perm = data.draw(st.permutations(range(p.n.ndim)))
    negate = data.draw(st.lists(st.booleans(), min_size=p.n.ndim, max_size=p.n.ndim))
    axes = tuple(a - p.n.ndim if neg else a for a, neg in zip(perm, negate))
    strides = bool(p.n_owner.size)
    assert_matches(p.g.transpose(axes), p.n.transpose(axes), strides=strides)
    assert_matches(p.g.transpose(*axes), p.n.transpose(*axes), strides=strides)
    assert _is_view_of(p.g.transpose(axes), p.g_owner)


@pytest.mark.parametrize("axes", [(0, 0, 1), (0, 1), (0, 1, 2, 3), (0, 1, 3), (0, 1, -4), (0, 1, 1.0),
                                  ((0, 1),), ("a", 0, 1), (None,), ([2, 1, 0],), (True, 0, 1),
                                  ((True, 0, 1),), (np.array([2, 1, 0]),), (np.int8(2), 1, 0)], ids=repr)
def test_bad_axes_match_numpy(axes):
    n = sample((2, 3, 4), "float64")
    g = ga.array(n)
    try:
        rn = n.transpose(*axes)
    except Exception as e:
        with pytest.raises(type(e)):
            g.transpose(*axes)
        return
    assert_matches(g.transpose(*axes), rn)


def test_axis_error_is_numpy_axis_error():
    g = ga.zeros((2, 3))
    with pytest.raises(np.exceptions.AxisError):
        g.transpose(0, 2)
    with pytest.raises(ValueError):  # AxisError is a ValueError and an IndexError
        g.transpose(0, 2)


def test_transpose_0d_and_1d():
    for n in [np.array(3.0), np.arange(4.0)]:
        g = ga.array(n)
        assert_matches(g.T, n.T)
        assert_matches(g.transpose(), n.transpose())
    assert_matches(ga.arange(4.0).transpose(0), np.arange(4.0).transpose(0))


def test_transpose_write_through():
    n = np.arange(12).reshape(3, 4)
    g = ga.array(n)
    g.T[1, 2] = 100
    n.T[1, 2] = 100
    assert g.tolist() == n.tolist()
