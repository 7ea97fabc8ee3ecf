"""numpy calls on goarray arrays by their quick paths (bindings/numpy_calls.c:
__array_function__ and keyword-free ufunc calls in C; the cached plans of
sum/prod/min/max/mean over one axis) give what the general paths give:
the same bytes, dtype and type."""
import numpy as np
import pytest

import goarray as ga
from goarray import _moments, _protocols, _reductions

DTYPES = ["bool", "int8", "uint16", "int32", "int64", "uint64", "float16", "float32", "float64", "complex64",
          "complex128"]


def _ga(x):
    a = ga.empty(x.shape, x.dtype)
    np.asarray(a)[...] = x
    return a


def _values(shape, dtype, seed=0):
    rng = np.random.default_rng(seed)
    v = rng.standard_normal(shape) * 50
    if np.dtype(dtype).kind == "c":
        v = v + 1j * rng.standard_normal(shape)
    return v.astype(dtype)


def _same(got, want):
    assert type(got) is type(want)
    g, w = np.asarray(got), np.asarray(want)
    assert g.dtype == w.dtype and g.shape == w.shape
    assert g.tobytes() == w.tobytes()


# ---- reductions by plan against the general path -------------------------------------------------

def _unplanned(monkeypatch):
    monkeypatch.setattr(_reductions, "_planned", lambda *a: None)
    monkeypatch.setattr(_moments, "_planned_mean", lambda *a: None)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("shape,axis", [((100, 10), 0), ((100, 10), 1), ((100, 10), -1), ((3, 4, 5), 1),
                                        ((7,), 0), ((7,), None), ((0, 3), 0), ((3, 0), 1), ((2, 3), None)])
@pytest.mark.parametrize("f", [np.sum, np.prod, np.min, np.max, np.mean, ga.sum, ga.mean, ga.max])
def test_planned_reductions_match_general_path(monkeypatch, f, dtype, shape, axis):
    x = _values(shape, dtype)
    a = _ga(x)
    strided = _ga(np.concatenate([x, x], axis=-1))[..., ::2] if shape[-1] else a

    def run(arr):
        try:
            with np.errstate(all="ignore"):
                return f(arr, axis=axis)
        except Exception as e:  # noqa: BLE001
            return type(e), str(e)

    got = [run(a), run(a), run(strided)]   # the second and third reuse the plan
    monkeypatch.undo()
    _unplanned(monkeypatch)
    want = [run(a), run(a), run(strided)]
    for g, w in zip(got, want):
        if isinstance(w, tuple):
            assert g == w
        else:
            _same(g, w)


def test_mean_by_plan_matches_numpy_float64():
    x = _values((100, 10), "float64")
    a = _ga(x)
    for axis in (0, 1):
        _same(np.asarray(np.mean(a, axis=axis)), np.mean(x, axis=axis))


# ---- keyword-free ufunc calls in C -----------------------------------------------------------------

@pytest.mark.parametrize("dtype", DTYPES)
def test_plain_ufunc_calls(dtype):
    x = _values((4, 5), dtype)
    a = _ga(x)
    with np.errstate(all="ignore"):
        for uf, args, nargs in [(np.sin, (a,), (x,)), (np.floor_divide, (a, 3), (x, 3)),
                                (np.arctan2, (a, 2.5), (x, 2.5)), (np.logical_xor, (True, a), (True, x)),
                                (np.hypot, (a, a), (x, x)), (np.sin, (a.T,), (x.T,)),
                                (np.sin, (a[0],), (x[0],)), (np.sin, (a[1:3, 2],), (x[1:3, 2],))]:
            try:
                want = uf(*nargs)
            except TypeError as e:
                with pytest.raises(TypeError) as got:
                    uf(*args)
                assert str(got.value) == str(e)
                continue
            got = uf(*args)
            assert type(got) is ga.Array
            _same(np.asarray(got), want)
            if uf is np.sin and args[0].ndim > 1 and args[0].flags.f_contiguous and not args[0].flags.c_contiguous:
                assert got.strides == want.strides   # numpy's order="K", from the general path


def test_plain_ufunc_zero_d_and_mixed():
    a = _ga(np.array(2.0))
    assert type(np.sin(a)) is np.float64 and np.sin(a) == np.sin(2.0)
    b = _ga(np.arange(3.0))
    r = np.sin(b) + np.cos(np.arange(3.0))
    _same(np.asarray(r), np.sin(np.arange(3.0)) + np.cos(np.arange(3.0)))
    assert type(np.sin(b, out=ga.empty(3))) is ga.Array


def test_plain_ufunc_error_is_numpys():
    a = _ga(np.arange(3.0))
    with pytest.raises(TypeError) as got:
        np.bitwise_and(a, a)
    with pytest.raises(TypeError) as want:
        np.bitwise_and(np.arange(3.0), np.arange(3.0))
    assert str(got.value) == str(want.value)


# ---- __array_function__ in C ------------------------------------------------------------------------

def test_function_results_wrapped():
    a, b = _ga(np.arange(6.0)), _ga(np.arange(6.0, 12.0))
    r = np.concatenate([a, b])
    assert type(r) is ga.Array and r.flags.writeable
    _same(np.asarray(r), np.arange(12.0))
    assert np.atleast_1d(a) is a                     # an argument returned as the result
    parts = np.split(a, 3)                           # a list of results
    assert type(parts) is list and all(type(p) is ga.Array for p in parts)
    u, c = np.unique(_ga(np.array([1, 1, 2])), return_counts=True)
    assert type(u) is ga.Array and c.tolist() == [2, 1]
    s = np.full_like(a, "x", dtype="U1")             # a dtype goarray does not hold: numpy's
    assert type(s) is np.ndarray and s.dtype == np.dtype("U1")
    assert np.shape(a) == (6,) and np.ndim(a) == 1   # non-array results as numpy's


def test_function_many_arrays_and_nesting():
    arrays = [_ga(np.full(2, float(i))) for i in range(40)]   # more than C's pairs hold
    r = np.concatenate(arrays)
    assert type(r) is ga.Array
    _same(np.asarray(r), np.repeat(np.arange(40.0), 2))
    a = _ga(np.arange(4.0))
    r = np.block([[a, a], [a, a]])
    assert type(r) is ga.Array and r.shape == (2, 8)
    r = np.einsum("i,i->", a, a)
    assert r == 14.0


def test_function_mixed_with_ndarray_and_views_keep_memory():
    a = _ga(np.arange(6.0))
    x = np.arange(6.0)
    r = np.stack([a, x])
    assert type(r) is ga.Array and r.shape == (2, 6)
    v = np.reshape(a, (2, 3))
    assert type(v) is ga.Array and np.shares_memory(np.asarray(v), np.asarray(a))
    np.asarray(v)[0, 0] = 42.0
    assert a[0] == 42.0


def test_function_read_only_and_misaligned_results():
    a = _ga(np.arange(6.0))
    a.flags.writeable = False
    v = np.reshape(a, (3, 2))
    assert not v.flags.writeable
    raw = np.zeros(8 * 6 + 1, np.uint8)[1:].view(np.float64)   # misaligned: stays numpy's
    r = np.broadcast_arrays(_ga(np.arange(6.0)), raw)
    assert [type(x) for x in r] == [ga.Array, np.ndarray]


def test_function_errors_are_numpys():
    a = _ga(np.arange(6.0))
    with pytest.raises(ValueError) as got:
        np.concatenate([a, _ga(np.zeros((2, 2)))])
    with pytest.raises(ValueError) as want:
        np.concatenate([np.arange(6.0), np.zeros((2, 2))])
    assert str(got.value) == str(want.value)


def test_array_function_method_called_directly():
    a = _ga(np.arange(3.0))
    r = a.__array_function__(np.concatenate, (ga.Array,), ([a, a],), {})
    assert type(r) is ga.Array and r.shape == (6,)
    assert a.__array_function__(np.concatenate, (ga.Array, object), ([a, a],), {}) is NotImplemented
    assert _protocols.function(np.sum, (a,), {}) == 3.0
