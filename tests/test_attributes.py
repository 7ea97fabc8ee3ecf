"""Array attributes: shape, strides, ndim, size, itemsize, nbytes, dtype,
flags, base, T, len, iteration, repr and str, compared with numpy's."""
import numpy as np
import pytest
from hypothesis import given

import goarray as ga
from conftest import DTYPE_PARAMS, LAYOUT_NAMES, assert_matches, make_pair, strided_pairs


def check_attributes(p):
    g, n = p.g, p.n
    assert (g.shape, g.ndim, g.size, g.itemsize, g.nbytes, g.dtype) == \
        (n.shape, n.ndim, n.size, n.itemsize, n.nbytes, n.dtype)
    assert type(g.shape) is tuple and type(g.strides) is tuple
    if p.n_owner.size:
        assert g.strides == n.strides
    for flag in ("c_contiguous", "f_contiguous", "writeable", "owndata", "aligned"):
        assert getattr(g.flags, flag) == getattr(n.flags, flag), flag
    for key in ("C_CONTIGUOUS", "F_CONTIGUOUS", "WRITEABLE", "OWNDATA", "C", "F", "W", "O"):
        assert g.flags[key] == n.flags[key], key
    # base: numpy collapses the base of a view to the array that owns the memory
    if n.base is None:
        assert g.base is None
    else:
        assert (n.base is p.n_owner) == (g.base is p.g_owner)


@pytest.mark.parametrize("layout", LAYOUT_NAMES)
@pytest.mark.parametrize("dt", DTYPE_PARAMS)
def test_attributes_match_numpy(dt, layout):
    check_attributes(make_pair(layout, dt))


@given(strided_pairs())
def test_random_layout_attributes(p):
    check_attributes(p)


def test_owner_and_view_bases():
    g = ga.zeros((4, 5))
    n = np.zeros((4, 5))
    assert g.base is None and g.flags.owndata
    for op in [lambda x: x[1:], lambda x: x[1:][::2], lambda x: x.T, lambda x: x.T.T[..., None],
               lambda x: x.reshape(20), lambda x: x.reshape(2, 10).T, lambda x: x.view("int64"),
               lambda x: x[2], lambda x: x[None][0][1:]]:
        gv, nv = op(g), op(n)
        assert nv.base is n
        assert gv.base is g
        assert not gv.flags.owndata
    b = ga.broadcast_to(g, (2, 4, 5))
    assert b.base is g and np.broadcast_to(n, (2, 4, 5)).base is n


def test_base_keeps_owner_alive():
    v = ga.arange(10)[2:5]
    assert v.base.shape == (10,)
    assert v.tolist() == [2, 3, 4]


@pytest.mark.parametrize("layout", LAYOUT_NAMES)
def test_T(layout):
    p = make_pair(layout, "int32")
    assert_matches(p.g.T, p.n.T, strides=bool(p.n_owner.size))
    if p.n.size:
        assert np.shares_memory(np.asarray(p.g.T), np.asarray(p.g_owner))


@pytest.mark.parametrize("layout", LAYOUT_NAMES)
def test_len(layout):
    p = make_pair(layout, "float64")
    if p.n.ndim == 0:
        with pytest.raises(TypeError):
            len(p.n)
        with pytest.raises(TypeError):
            len(p.g)
    else:
        assert len(p.g) == len(p.n)


@pytest.mark.parametrize("layout", LAYOUT_NAMES)
@pytest.mark.parametrize("dt", DTYPE_PARAMS)
def test_iteration(dt, layout):
    p = make_pair(layout, dt)
    if p.n.ndim == 0:
        with pytest.raises(TypeError):
            iter(p.n)
        with pytest.raises(TypeError):
            list(p.g)
        return
    items = list(p.g)
    ref = list(p.n)
    assert len(items) == len(ref)
    for gi, ni in zip(items, ref):
        if isinstance(ni, np.ndarray):
            assert_matches(gi, ni, strides=bool(p.n_owner.size))
            assert gi.base is p.g_owner
        else:
            assert type(gi) is type(ni)
            assert gi.tobytes() == ni.tobytes()


def _normalise(text):
    return " ".join(text.split())


@pytest.mark.parametrize("layout", LAYOUT_NAMES)
@pytest.mark.parametrize("dt", DTYPE_PARAMS)
def test_repr_and_str(dt, layout):
    p = make_pair(layout, dt)
    r, nr = repr(p.g), repr(p.n)
    assert r.startswith("ga.Array(")
    assert nr.startswith("array(")
    assert _normalise(r[len("ga.Array("):]) == _normalise(nr[len("array("):])
    assert str(p.g) == str(p.n)


def test_repr_indents_continuation_lines_under_the_prefix():
    r = repr(ga.arange(6).reshape(2, 3))
    lines = r.splitlines()
    assert lines[0] == "ga.Array([[0, 1, 2],"
    assert lines[1] == " " * len("ga.Array([") + "[3, 4, 5]])"


def test_array_cannot_be_instantiated():
    with pytest.raises(TypeError):
        ga.Array()
    with pytest.raises(TypeError):
        ga.Array((2, 3))
    with pytest.raises(TypeError):
        type(ga.zeros(1))()


def test_isinstance_and_hash():
    g = ga.zeros(3)
    assert isinstance(g, ga.Array)
    assert isinstance(g[1:], ga.Array) and isinstance(g.T, ga.Array)
    with pytest.raises(TypeError):
        hash(g)
    with pytest.raises(TypeError):
        hash(np.zeros(3))


def test_flags_object():
    g = ga.zeros((2, 3), order="F")
    n = np.zeros((2, 3), order="F")
    assert g.flags.c_contiguous == n.flags.c_contiguous
    assert g.flags.f_contiguous == n.flags.f_contiguous
    with pytest.raises(KeyError):
        g.flags["NOT_A_FLAG"]
    g.flags["WRITEABLE"] = False
    assert not g.flags.writeable
    g.flags.writeable = True
    assert g.flags.writeable
