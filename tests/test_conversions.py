"""Conversions: tolist, tobytes(order), item and Python scalar conversions,
copy(order), astype(dtype) and fill(value), compared with numpy's."""
import copy
import warnings

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import goarray as ga
from conftest import (DTYPE_PARAMS, DTYPES, LAYOUT_NAMES, WRITABLE_LAYOUTS, assert_matches, make_pair,
                      strided_pairs)


def _same_tree(a, b):
    """Equal nested lists with leaves of the same Python type."""
    if isinstance(b, list):
        assert isinstance(a, list) and len(a) == len(b)
        for x, y in zip(a, b):
            _same_tree(x, y)
    else:
        assert type(a) is type(b), (a, b)
        assert a == b or (a != a and b != b)


@pytest.mark.parametrize("layout", LAYOUT_NAMES)
@pytest.mark.parametrize("dt", DTYPE_PARAMS)
def test_tolist(dt, layout):
    p = make_pair(layout, dt)
    _same_tree(p.g.tolist(), p.n.tolist())


@pytest.mark.parametrize("layout", LAYOUT_NAMES)
@pytest.mark.parametrize("dt", DTYPE_PARAMS)
def test_tobytes(dt, layout):
    p = make_pair(layout, dt)
    assert p.g.tobytes() == p.n.tobytes()
    for order in ["C", "F", "A", "K"]:
        try:
            expected = p.n.tobytes(order)
        except Exception as e:
            with pytest.raises(type(e)):
                p.g.tobytes(order)
            continue
        assert p.g.tobytes(order) == expected, order
    assert type(p.g.tobytes()) is bytes


@pytest.mark.parametrize("dt", DTYPE_PARAMS)
def test_item_and_scalar_conversions(dt):
    n = np.arange(1, 7).astype(dt).reshape(2, 3)
    g = ga.array(n)
    for args in [(0,), (5,), (-1,), (1, 2), (0, 0)]:
        assert type(g.item(*args)) is type(n.item(*args))
        assert g.item(*args) == n.item(*args)
    with pytest.raises(ValueError):
        n.item()
    with pytest.raises(ValueError):
        g.item()
    for one_n, one_g in [(n[:1, :1], g[:1, :1]), (n[1, 2, ...], g[1, 2, ...])]:
        for conv in (bool, complex, int, float):
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                try:
                    expected = conv(one_n)
                except Exception as e:
                    with pytest.raises(type(e)):
                        conv(one_g)
                    continue
                assert conv(one_g) == expected and type(conv(one_g)) is type(expected)
    if dt.kind in "iu":
        assert [10, 20, 30][ga.array(np.array(1, dt))] == 20
    with pytest.raises(ValueError):
        bool(n)
    with pytest.raises(ValueError):
        bool(g)
    try:
        expected = bool(np.zeros(0, dt))
    except ValueError:
        with pytest.raises(ValueError):
            bool(ga.zeros(0, dt))
    else:
        assert bool(ga.zeros(0, dt)) is expected


@pytest.mark.parametrize("layout", LAYOUT_NAMES)
@pytest.mark.parametrize("dt", DTYPE_PARAMS)
def test_copy(dt, layout):
    p = make_pair(layout, dt)
    for order in ["C", "F", "A", "K"]:
        cg, cn = p.g.copy(order), p.n.copy(order)
        assert_matches(cg, cn, strides=cn.size > 0)
        assert cg.flags.owndata and cg.base is None and cg.flags.writeable
        if cn.size:
            assert not np.shares_memory(np.asarray(cg), np.asarray(p.g_owner))
    assert_matches(p.g.copy(), p.n.copy(), strides=p.n.size > 0)
    assert_matches(copy.copy(p.g), copy.copy(p.n), strides=p.n.size > 0)
    assert_matches(copy.deepcopy(p.g), copy.deepcopy(p.n), strides=p.n.size > 0)


@given(strided_pairs(), st.sampled_from(["C", "F", "A", "K"]))
def test_random_copy(p, order):
    cg, cn = p.g.copy(order), p.n.copy(order)
    assert_matches(cg, cn, strides=cn.size > 0)
    assert cg.flags.c_contiguous == cn.flags.c_contiguous
    assert cg.flags.f_contiguous == cn.flags.f_contiguous


def test_copy_bad_order():
    for order in ["X", "", 3]:
        with pytest.raises(Exception) as e:
            np.zeros(3).copy(order)
        with pytest.raises(e.type):
            ga.zeros(3).copy(order)


def test_copy_of_readonly_is_writable():
    g = ga.arange(3)
    g.flags.writeable = False
    c = g.copy()
    assert c.flags.writeable
    c[0] = 5
    assert g[0] == 0


def _astype_pair(n, g, dt, **kw):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            rn = n.astype(dt, **kw)
        except Exception as e:
            with pytest.raises(type(e)):
                g.astype(dt, **kw)
            return None, None
        return g.astype(dt, **kw), rn


@pytest.mark.parametrize("layout", ["c2", "f2", "T", "perm3", "neg", "step", "0d", "zero", "bcast-row", "newaxis"])
@pytest.mark.parametrize("src", DTYPE_PARAMS)
def test_astype_every_pair(src, layout):
    p = make_pair(layout, src)
    for dt in DTYPES:
        rg, rn = _astype_pair(p.n, p.g, dt)
        if rn is None:
            continue
        assert_matches(rg, rn, strides=rn.size > 0)
        assert rg.flags.owndata and rg.flags.writeable
        if rn.size:
            assert not np.shares_memory(np.asarray(rg), np.asarray(p.g_owner))


@pytest.mark.parametrize("order", ["C", "F", "A", "K"])
def test_astype_order(order):
    for layout in ["c2", "f2", "T", "perm3", "neg"]:
        p = make_pair(layout, "int32")
        rg, rn = _astype_pair(p.n, p.g, "float32", order=order)
        assert_matches(rg, rn)


@pytest.mark.parametrize("casting", ["no", "equiv", "safe", "same_kind", "unsafe"])
def test_astype_casting(casting):
    for src in ["int64", "float64", "float32", "uint8", "complex64"]:
        n = np.arange(3).astype(src)
        g = ga.array(n)
        for dt in ["int8", "float32", "float64", "complex128", "bool", "uint64"]:
            rg, rn = _astype_pair(n, g, dt, casting=casting)
            if rn is not None:
                assert_matches(rg, rn)


def test_astype_copy_false():
    g = ga.arange(3, dtype="f4")
    assert g.astype("f4", copy=False) is g
    c = g.astype("f4")
    assert c is not g and not np.shares_memory(np.asarray(c), np.asarray(g))
    assert g.astype("f8", copy=False).dtype == np.float64


FILL_VALUES = [0, 1, -1, 3.7, -2.5, True, 1 + 2j, np.float32(2.5), np.int64(-3), np.uint8(200),
               float("nan"), float("inf"), 2**40, np.array(3), np.array([7])]


@pytest.mark.parametrize("fi", range(len(FILL_VALUES)), ids=[repr(v) for v in FILL_VALUES])
@pytest.mark.parametrize("dt", DTYPE_PARAMS)
def test_fill_values(dt, fi):
    value = FILL_VALUES[fi]
    n = np.zeros((2, 3), dt)
    g = ga.zeros((2, 3), dt)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            n.fill(value)
        except Exception as e:
            with pytest.raises(type(e)):
                g.fill(value)
            return
        g.fill(value)
    assert np.asarray(g).tobytes() == n.tobytes()


@pytest.mark.parametrize("layout", WRITABLE_LAYOUTS)
@pytest.mark.parametrize("dt", DTYPE_PARAMS)
def test_fill_layouts(dt, layout):
    p = make_pair(layout, dt)
    value = np.ones((), dt) if dt.kind == "b" else dt.type(3)
    p.g.fill(value)
    p.n.fill(value)
    assert np.asarray(p.g_owner).tobytes() == p.n_owner.tobytes()
    assert p.g.fill(value) is None


def test_fill_read_only():
    g = ga.zeros(3)
    g.flags.writeable = False
    with pytest.raises(ValueError):
        g.fill(1)
    assert g.tolist() == [0.0, 0.0, 0.0]
    with pytest.raises(ValueError):
        ga.broadcast_to(ga.zeros(1), (3,)).fill(1)
