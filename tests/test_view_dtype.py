"""view(dtype): the same bytes seen as another dtype, with numpy's rules for
the last axis (shape, strides) and numpy's errors."""
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import goarray as ga
from conftest import DTYPE_PARAMS, DTYPES, LAYOUT_NAMES, assert_matches, make_pair, strided_pairs


def check_view(p, dt):
    try:
        rn = p.n.view(dt)
    except Exception as e:
        with pytest.raises(type(e)):
            p.g.view(dt)
        return
    rg = p.g.view(dt)
    assert isinstance(rg, ga.Array)
    assert_matches(rg, rn, strides=bool(p.n_owner.size))
    assert rg.base is p.g_owner
    assert rg.flags.writeable == rn.flags.writeable
    if rn.size:
        assert np.shares_memory(np.asarray(rg), np.asarray(p.g_owner))
        assert rg._data == p.g._data


@pytest.mark.parametrize("layout", LAYOUT_NAMES)
@pytest.mark.parametrize("src", DTYPE_PARAMS)
def test_view_every_dtype_pair(src, layout):
    p = make_pair(layout, src)
    for dt in DTYPES:
        check_view(p, dt)


@given(strided_pairs(), st.sampled_from(DTYPES))
def test_random_layout_views(p, dt):
    check_view(p, dt)


def test_view_spellings_and_default():
    g = ga.arange(4, dtype="int32")
    n = np.arange(4, dtype="int32")
    for dt in ["float32", "f4", np.float32, np.dtype("u2"), "int8", "c8", bool]:
        assert_matches(g.view(dt), n.view(dt))
    assert_matches(g.view(), n.view())
    assert g.view() is not g


def test_view_as_numpy_ndarray():
    g = ga.arange(6.0).reshape(2, 3)
    v = g.view(np.ndarray)
    assert type(v) is np.ndarray
    assert np.shares_memory(v, np.asarray(g))
    assert v.tolist() == g.tolist()


def test_view_write_through():
    g = ga.zeros(2, "float64")
    g.view("uint64")[0] = np.float64(1.5).view("uint64")
    assert g[0] == 1.5


@pytest.mark.parametrize("bad", ["U4", object, "float128", "M8[s]", [("a", "i4")]], ids=repr)
def test_view_unsupported_dtype(bad):
    with pytest.raises(TypeError):
        ga.zeros(4).view(bad)
