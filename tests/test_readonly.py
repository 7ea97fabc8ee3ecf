"""Read-only arrays: flags.writeable = False locks writes from every side
(goarray, numpy views, buffer consumers); only a writable base lets it go back."""
import numpy as np
import pytest

import goarray as ga
from conftest import DTYPE_PARAMS, WRITABLE_LAYOUTS, make_pair

tb = pytest.importorskip("_testbuffer")


def _lock(p):
    p.g.flags.writeable = False
    p.n.flags.writeable = False


@pytest.mark.parametrize("layout", WRITABLE_LAYOUTS)
@pytest.mark.parametrize("dt", DTYPE_PARAMS)
def test_read_only_refuses_writes(dt, layout):
    p = make_pair(layout, dt)
    _lock(p)
    before = np.asarray(p.g_owner).tobytes()
    assert not p.g.flags.writeable
    v = np.asarray(p.g)
    assert not v.flags.writeable
    with pytest.raises(ValueError):
        v[...] = 0
    with pytest.raises(ValueError):
        p.n[...] = 0
    with pytest.raises(ValueError):
        p.g[...] = 0
    with pytest.raises(ValueError):
        p.g.fill(0)
    if p.n.ndim:
        with pytest.raises(ValueError):
            p.g[[0]] = 0
    with memoryview(p.g) as m:
        assert m.readonly
    for flags in (tb.PyBUF_WRITABLE, tb.PyBUF_FULL, tb.PyBUF_STRIDED, tb.PyBUF_RECORDS):
        with pytest.raises(BufferError):
            tb.ndarray(p.g, getbuf=flags)
    assert np.asarray(p.g_owner).tobytes() == before
    # views of a read-only array are read-only, as in numpy
    for view in [lambda x: x[...], lambda x: x.T, lambda x: x.view(dt)]:
        assert view(p.g).flags.writeable == view(p.n).flags.writeable == False  # noqa: E712


def test_owner_can_become_writable_again():
    g = ga.arange(4.0)
    n = np.arange(4.0)
    for a in (g, n):
        a.flags.writeable = False
        a.flags.writeable = True
        a[0] = 10
    assert g.tolist() == n.tolist()
    assert np.asarray(g).flags.writeable


def test_view_writability_follows_base():
    g, n = ga.arange(6.0), np.arange(6.0)
    for a in (g, n):
        a.flags.writeable = False
    gv, nv = g[1:], n[1:]
    assert gv.flags.writeable == nv.flags.writeable == False  # noqa: E712
    for v in (gv, nv):
        with pytest.raises(ValueError):
            v.flags.writeable = True
    for a in (g, n):
        a.flags.writeable = True
    for v in (gv, nv):
        v.flags.writeable = True  # the base is writable now
        v[0] = -1
    assert g.tolist() == n.tolist()


def test_locking_a_view_leaves_the_base_writable():
    g, n = ga.arange(6.0), np.arange(6.0)
    gv, nv = g[::2], n[::2]
    gv.flags.writeable = False
    nv.flags.writeable = False
    assert g.flags.writeable and n.flags.writeable
    g[0] = 5
    assert gv[0] == 5
    with pytest.raises(ValueError):
        gv[0] = 1


def test_existing_exports_keep_their_writability():
    """As in numpy: a view taken while writable stays writable."""
    g, n = ga.zeros(3), np.zeros(3)
    gv, nv = np.asarray(g), n[:]
    g.flags.writeable = False
    n.flags.writeable = False
    assert gv.flags.writeable == nv.flags.writeable
    assert not np.asarray(g).flags.writeable


def test_read_only_array_interface_and_memoryview():
    g = ga.zeros((2, 2), "int16")
    g.flags.writeable = False
    assert g.__array_interface__["data"][1] is True
    m = memoryview(g)
    with pytest.raises(TypeError):
        m[0, 0] = 1
    m.release()


def test_broadcast_results_cannot_be_made_writable():
    b = ga.broadcast_to(ga.arange(3), (2, 3))
    with pytest.raises(ValueError):
        b.flags.writeable = True
    with pytest.raises(ValueError):
        b.flags["W"] = True
    with pytest.raises(BufferError):
        tb.ndarray(b, getbuf=tb.PyBUF_FULL)
    assert not np.asarray(b).flags.writeable


def test_writeable_flag_truthiness():
    g = ga.zeros(2)
    g.flags.writeable = 0
    assert g.flags.writeable is False
    g.flags.writeable = 1
    assert g.flags.writeable is True
