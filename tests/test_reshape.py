"""reshape (and ravel/flatten/squeeze): numpy's shape, strides and values, a
view exactly when numpy gives a view (np.shares_memory), numpy's errors."""
import warnings

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import goarray as ga
from conftest import LAYOUT_NAMES, NUMPY_2_1, Pair, assert_matches, ga_from, make_pair, sample, strided_pairs


def _prime_factors(n):
    out, d = [], 2
    while n > 1 and d * d <= n:
        while n % d == 0:
            out.append(d)
            n //= d
        d += 1
    if n > 1:
        out.append(n)
    return out


@st.composite
def new_shapes(draw, size):
    """A shape with `size` elements, maybe with one -1."""
    ndim = draw(st.integers(0 if size == 1 else 1, 5))
    if size == 0:
        shape = draw(st.lists(st.integers(0, 3), min_size=ndim, max_size=ndim))
        shape[draw(st.integers(0, ndim - 1))] = 0
    else:
        shape = [1] * ndim
        for f in _prime_factors(size):
            shape[draw(st.integers(0, ndim - 1))] *= f
    if ndim and draw(st.booleans()):
        shape[draw(st.integers(0, ndim - 1))] = -1
    return tuple(shape)


def _shares(a, b):
    return np.shares_memory(np.asarray(a), np.asarray(b))


def check_reshape(p, shape, order="C"):
    try:
        rn = p.n.reshape(shape, order=order)
    except Exception as e:
        with pytest.raises(type(e)):
            p.g.reshape(shape, order=order)
        return
    rg = p.g.reshape(shape, order=order)
    assert isinstance(rg, ga.Array)
    assert_matches(rg, rn, strides=bool(p.n_owner.size))
    if rn.size:
        numpy_view = np.shares_memory(rn, p.n_owner)
        assert _shares(rg, p.g_owner) == numpy_view, "view/copy differs from numpy"
        if numpy_view:
            assert rg.base is p.g_owner
        else:
            assert rg.flags.writeable and rg.flags.c_contiguous == rn.flags.c_contiguous
    return rg


@given(strided_pairs(), st.data())
def test_random_reshape(p, data):
    shape = data.draw(new_shapes(p.n.size))
    order = data.draw(st.sampled_from(["C", "F", "A"]))
    check_reshape(p, shape, order)


@pytest.mark.parametrize("layout", LAYOUT_NAMES)
def test_reshape_layouts(layout):
    p = make_pair(layout, "int16")
    size = p.n.size
    for shape in [(size,), (-1,), (1, size), (size, 1), (1, -1, 1), (-1, 1, 1)]:
        for order in ["C", "F", "A"]:
            check_reshape(p, shape, order)
    if size % 2 == 0 and size:
        for shape in [(2, -1), (-1, 2), (2, 1, size // 2)]:
            for order in ["C", "F", "A"]:
                check_reshape(p, shape, order)


def test_reshape_argument_forms():
    n = np.arange(24.0).reshape(2, 3, 4)
    g = ga.array(n)
    for args in [(6, 4), ((6, 4),), ([6, 4],), (np.int64(24),), ((np.int32(2), -1),), (24,), ((-1,),)]:
        assert_matches(g.reshape(*args), n.reshape(*args))
    assert_matches(g.reshape(4, 6, order="F"), n.reshape(4, 6, order="F"))
    assert_matches(g.ravel(), n.ravel())
    assert_matches(g.T.ravel(), n.T.ravel())
    assert_matches(g.T.ravel("F"), n.T.ravel("F"))
    assert_matches(g.flatten(), n.flatten())
    assert_matches(g.T.flatten(), n.T.flatten())
    assert_matches(g.T.flatten("F"), n.T.flatten("F"))
    assert not _shares(g.flatten(), g)
    for order in ("C", "F", "A", "K"):
        for gv, nv in ((g, n), (g.T, n.T), (g[:, ::-1, ::2], n[:, ::-1, ::2]), (g.transpose(1, 0, 2), n.transpose(1, 0, 2))):
            f = gv.flatten(order)
            assert_matches(f, nv.flatten(order))
            assert f.flags.owndata and not _shares(f, g)
    with pytest.raises(ValueError):
        g.flatten("X")


def numpy_reshape(x, *args, **kw):
    """x.reshape(*args, **kw) by numpy; for numpy < 2.1, which has no copy=,
    its meaning: True a copy, False numpy's view or ValueError, None either."""
    if NUMPY_2_1 or "copy" not in kw:
        return x.reshape(*args, **kw)
    copy = kw.pop("copy")
    r = x.reshape(*args, **kw)
    if copy:
        return r.copy(order="K")
    if copy is False and not np.shares_memory(r, x) and x.size:
        raise ValueError("Unable to avoid creating a copy while reshaping.")
    return r


@pytest.mark.parametrize("args,kw", [
    ((5, -1), {}), ((-1, -1), {}), ((2, 2), {}), ((25,), {}), ((-3, 8), {}), ((2.0, 12), {}),
    ((), {}), ((None,), {}), (((2, 12),), {"order": "K"}), (((2, 12),), {"order": "X"}),
    (((0, -1),), {}), ((2, 3, 4), {"order": "f"}), ((24,), {"order": None}),
    ((True, 24), {}), (((True, 24),), {}), ((np.array(24),), {}), ((np.array([4, 6]),), {}),
    ((), {"shape": (4, 6)}), ((), {"shape": (4, 6), "order": "F"}), ((6, 4), {"copy": False}),
    ((6, 4), {"copy": True}), ((6, 4), {"copy": None}), ((6, 4), {"bogus": 1}),
], ids=repr)
def test_reshape_errors_match_numpy(args, kw):
    n = np.arange(24.0).reshape(2, 3, 4)
    g = ga.array(n)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            rn = numpy_reshape(n, *args, **dict(kw))
        except Exception as e:
            with pytest.raises(type(e)):
                g.reshape(*args, **kw)
            return
        rg = g.reshape(*args, **kw)
    assert_matches(rg, rn)


def test_reshape_of_size_zero_and_0d():
    for shape in [(0,), (3, 0), (0, 1, 2)]:
        n = np.arange(0).reshape(shape)
        g = ga_from(n)
        p = Pair(g, n, g, n)
        for new in [(0,), (0, 5), (-1,), (5, 0, -1), (2, -1, 0)]:
            check_reshape(p, new)
    n = np.array(7.0)
    g = ga.array(n)
    for new in [(1,), (1, 1), (), (-1,), (1, -1, 1)]:
        check_reshape(Pair(g, n, g, n), new)


def test_reshape_copy_keyword():
    """numpy 2's copy=: True always copies, False refuses when a copy is needed."""
    n = np.arange(12.0).reshape(3, 4)
    g = ga.array(n)
    for src_n, src_g in [(n, g), (n.T, g.T), (n[:, ::2], g[:, ::2])]:
        for copy in (True, False, None):
            try:
                rn = numpy_reshape(src_n, -1, copy=copy)
            except Exception as e:
                with pytest.raises(type(e)):
                    src_g.reshape(-1, copy=copy)
                continue
            rg = src_g.reshape(-1, copy=copy)
            assert_matches(rg, rn)
            assert _shares(rg, g) == np.shares_memory(rn, n)


def test_reshape_copy_is_independent():
    n = np.arange(12).reshape(3, 4)
    g = ga.array(n)
    r = g.T.reshape(-1)
    assert r.tolist() == n.T.reshape(-1).tolist()
    assert not _shares(r, g)
    r[0] = 100
    assert g[0, 0] == 0


def test_squeeze_and_swapaxes():
    n = sample((1, 3, 1, 4), "float32")
    g = ga.array(n)
    assert_matches(g.squeeze(), n.squeeze())
    for axis in [0, 2, (0, 2), -2, -4]:
        assert_matches(g.squeeze(axis), n.squeeze(axis))
    for bad in [1, 4, -5]:
        with pytest.raises(Exception) as e:
            n.squeeze(bad)
        with pytest.raises(e.type):
            g.squeeze(bad)
    for a1, a2 in [(0, 1), (1, 3), (-1, 0), (2, 2)]:
        assert_matches(g.swapaxes(a1, a2), n.swapaxes(a1, a2))
    with pytest.raises(np.exceptions.AxisError):
        n.swapaxes(0, 4)
    with pytest.raises(np.exceptions.AxisError):
        g.swapaxes(0, 4)
