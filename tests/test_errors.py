"""Error mapping: bad shapes are ValueError, impossible allocations
MemoryError (never a crash), a Go panic is a RuntimeError the interpreter
survives, and goarray.Array cannot be called."""
import subprocess
import sys
import textwrap

import numpy as np
import pytest

import goarray as ga
from goarray import _goarray
from conftest import DTYPE_NAMES

CONSTRUCTORS = [
    ("empty", lambda s: ga.empty(s), lambda s: np.empty(s)),
    ("zeros", lambda s: ga.zeros(s, "u1"), lambda s: np.zeros(s, "u1")),
    ("ones", lambda s: ga.ones(s, "c16"), lambda s: np.ones(s, "c16")),
    ("full", lambda s: ga.full(s, 2.0), lambda s: np.full(s, 2.0)),
    ("empty_F", lambda s: ga.empty(s, "i4", "F"), lambda s: np.empty(s, "i4", "F")),
]
BAD_SHAPES = [-1, (-1,), (2, -1), (3, -5, 0), (0, -1), (2**62, 4), (2**40, 2**40), (2**31,) * 3,
              (1,) * 65, (2**63 - 1,), (0, 2**63 - 1, 2**63 - 1)]


@pytest.mark.parametrize("shape", BAD_SHAPES, ids=[repr(s)[:40] for s in BAD_SHAPES])
@pytest.mark.parametrize("name,gf,nf", CONSTRUCTORS, ids=[c[0] for c in CONSTRUCTORS])
def test_bad_shapes_raise_like_numpy(name, gf, nf, shape):
    try:
        n = nf(shape)
    except (ValueError, MemoryError) as e:
        with pytest.raises(MemoryError if isinstance(e, MemoryError) else ValueError):
            gf(shape)
    else:  # a shape with a 0 is fine, however large the other dimensions
        g = gf(shape)
        assert g.shape == n.shape and g.size == 0


@pytest.mark.parametrize("shape", [2**45, (2**20, 2**25), (2**44, 2)], ids=repr)
def test_huge_allocation_is_memory_error(shape):
    for f in (ga.empty, ga.zeros):
        with pytest.raises(MemoryError):
            f(shape)
    with pytest.raises(MemoryError):
        ga.ones(shape, "u1")
    g = ga.zeros(3)
    with pytest.raises(MemoryError):
        g.resize(shape)
    assert g.tolist() == [0.0, 0.0, 0.0]
    assert ga.zeros(4).tolist() == [0.0] * 4


def test_huge_allocation_in_a_fresh_interpreter():
    """The first allocation of a process may be the impossible one."""
    code = textwrap.dedent("""
        import goarray as ga
        try:
            ga.empty(2**45)
        except MemoryError as e:
            print("MemoryError", e)
        print(ga.zeros(3).tolist())
    """)
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith("MemoryError")
    assert "[0.0, 0.0, 0.0]" in r.stdout


def test_go_panic_is_runtime_error():
    for _ in range(3):
        with pytest.raises(RuntimeError) as e:
            _goarray._panic()
        assert "panic" in str(e.value).lower()
    # the interpreter and the Go runtime are still usable
    g = ga.arange(10)
    assert g[::3].tolist() == [0, 3, 6, 9]
    assert np.asarray(g.reshape(2, 5)).sum() == 45


def test_go_panic_in_a_fresh_interpreter():
    code = textwrap.dedent("""
        import goarray as ga
        from goarray import _goarray
        try:
            _goarray._panic()
        except RuntimeError as e:
            print("RuntimeError", "panic" in str(e).lower())
        print(ga.arange(4).tolist())
    """)
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    assert r.stdout.splitlines() == ["RuntimeError True", "[0, 1, 2, 3]"]


def test_array_type_cannot_be_called():
    for args in [(), ((2, 3),), (np.zeros(3),)]:
        with pytest.raises(TypeError):
            ga.Array(*args)
    with pytest.raises(TypeError):
        _goarray._ArrayBase()


def test_unknown_dtype_lists_accepted_names():
    with pytest.raises(TypeError) as e:
        ga.zeros(3, "not-a-dtype")
    for name in DTYPE_NAMES:
        assert name in str(e.value)


def test_shape_type_errors_match_numpy():
    for shape in [2.5, (2, 2.5), "3", None, (None,), [[2]], object()]:
        try:
            np.empty(shape)
        except Exception as e:
            with pytest.raises(type(e)):
                ga.empty(shape)
        else:
            assert ga.empty(shape).shape == np.empty(shape).shape


def test_constructor_argument_errors():
    with pytest.raises(TypeError):
        ga.empty()
    with pytest.raises(TypeError):
        ga.zeros(3, "f8", "C", 1)
    with pytest.raises(TypeError):
        ga.zeros(3, bogus=1)
    with pytest.raises(TypeError):
        ga.zeros(3, "f8", dtype="f8")


def test_max_dims():
    assert ga.MAX_DIMS == 64
    assert ga.empty((1,) * ga.MAX_DIMS).ndim == np.empty((1,) * 64).ndim == 64
    with pytest.raises(ValueError):
        np.empty((1,) * 65)
    with pytest.raises(ValueError):
        ga.empty((1,) * (ga.MAX_DIMS + 1))
    g = ga.zeros((1,) * 64)
    with pytest.raises(Exception) as e:
        np.zeros((1,) * 64)[None]
    with pytest.raises(e.type):
        g[None]
