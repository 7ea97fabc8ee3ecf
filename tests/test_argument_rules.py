"""numpy's argument rules on every entry of goarray's kernels.

numpy is the reference: for each call, goarray either returns the same
dtype, shape, type and bytes as numpy's, or raises the same exception
class (with the same message where numpy's is a casting or loop error).

* Elementwise kernels follow ``ufunc.__call__`` for ``dtype=`` and
  ``casting=`` (default ``same_kind``), with and without ``out=``:
  ``ga.<ufunc>(...)`` and ``np.<ufunc>(goarray array, ...)``.
* Reductions follow ``ufunc.reduce`` for ``dtype=`` (inputs cast
  unsafely): ``ga.sum``, ``np.sum(garray)``, ``garray.sum()``,
  ``np.add.reduce(garray)``, and so for prod, mean, var, std.
* A boolean axis (``True``, ``np.True_``, inside a tuple) is numpy's
  TypeError for every reduction and arg-reduction, whatever the entry.
"""
import warnings

import numpy as np
import pytest

import goarray as ga
from test_kernels_unary import MAXULP, assert_close

ALL = ["bool", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64",
       "float16", "float32", "float64", "complex64", "complex128"]
# A cross-section for the pairwise products (every kind and width class).
SOME = ["bool", "int8", "int64", "uint8", "uint64", "float16", "float32", "float64", "complex64", "complex128"]
CASTINGS = ["no", "equiv", "safe", "same_kind", "unsafe"]
NUMPY_2_1 = np.lib.NumpyVersion(np.__version__) >= "2.1.0"

BINARY = ["add", "subtract", "multiply", "divide", "minimum", "maximum"]
UNARY = ["negative", "absolute", "sqrt", "exp", "log"]


def values(dtype, n=6):
    """Values that make unsafe casts visible (out of int8 range,
    fractions, negatives) without NaN or inf (whose integer casts numpy
    leaves to the platform)."""
    dt = np.dtype(dtype)
    base = np.array([0.5, 1.75, 300.0, -1.5, 7.0, -120.25, 2.0, 65.5][:n])
    if dt.kind == "b":
        return (np.arange(n) % 3 == 1)
    if dt.kind == "u":
        return np.array([1, 2, 200, 7, 0, 250, 3, 5][:n]).astype(dt)
    if dt.kind == "i":
        return np.array([1, -2, 100, -7, 0, 120, 3, -5][:n]).astype(dt)
    if dt.kind == "c":
        return (base + 1j * np.array([1.0, -2.0, 0.5, 0.0, 3.0, -1.0, 2.0, 0.25][:n])).astype(dt)
    return base.astype(dt)


def positive(dtype, n=6):
    """Values inside the domain of sqrt and log."""
    v = values(dtype, n)
    if v.dtype.kind in "iu":
        return np.abs(v.astype(np.int64)).astype(v.dtype) + np.ones(1, v.dtype)
    if v.dtype.kind == "b":
        return np.ones(n, bool)
    if v.dtype.kind == "f":
        return np.abs(v) + 1
    return v


def garray(n):
    g = ga.empty(n.shape, n.dtype)
    np.copyto(np.asarray(g), n)
    return g


def outcome(call):
    """('ok', value) or ('err', exception) of call(), warnings silenced
    (numpy's cast warnings are not what these tests compare)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            return "ok", call()
        except Exception as e:  # noqa: BLE001  (the exception is what is compared)
            return "err", e


def same(got, want, what, message=True, ulps=False):
    """got and want (outcome pairs) agree: same exception class (and
    message), or same type of result, dtype, shape and bytes (with ulps,
    float and complex values within test_kernels_unary's MAXULP: Go's exp,
    log and complex functions are not numpy's libm)."""
    if want[0] == "err":
        assert got[0] == "err", f"{what}: numpy raised {want[1]!r}, goarray returned {got[1]!r}"
        assert type(got[1]) is type(want[1]), f"{what}: {got[1]!r} where numpy raised {want[1]!r}"
        if message:
            assert str(got[1]) == str(want[1]), what
        return
    assert got[0] == "ok", f"{what}: goarray raised {got[1]!r}, numpy returned {want[1]!r}"
    g, n = got[1], want[1]
    if isinstance(n, np.ndarray):
        assert isinstance(g, ga.Array), f"{what}: {type(g)}"
        g = np.asarray(g)
    else:
        assert type(g) is type(n), f"{what}: {type(g)} where numpy gives {type(n)}"
        g, n = np.asarray(g), np.asarray(n)
    assert g.dtype == n.dtype, f"{what}: dtype {g.dtype}, numpy {n.dtype}"
    assert g.shape == n.shape, what
    if ulps and n.dtype.kind in "fc":
        if ulps is True:
            assert_close(g, n, MAXULP[n.dtype.char])
        else:   # (ulps, of the loop's dtype): a result rounded again into out
            assert_close(g, n, ulps[0], ulps[1])
        return
    assert g.tobytes() == n.tobytes(), f"{what}: {g!r} != {n!r}"


# ---- elementwise: dtype= and casting= ------------------------------------------------

def _np_ufunc(name):
    return np.true_divide if name == "divide" else getattr(np, name)


def check_elementwise(name, args, **kw):
    """ga.<name>(*args, **kw) and np.<name>(*goarray args, **kw) against
    numpy on numpy arrays."""
    ulps = name in ("exp", "log", "sqrt", "absolute")
    # numpy 2.0's call names the array as the input a leading Python
    # scalar's cast fails for (its resolve_dtypes names the scalar)
    message = NUMPY_2_1 or not isinstance(args[0], (int, float, complex))
    uf = _np_ufunc(name)
    want = outcome(lambda: uf(*args, **kw))
    gargs = [garray(a) if isinstance(a, np.ndarray) else a for a in args]
    what = f"{name}({', '.join(str(getattr(a, 'dtype', repr(a))) for a in args)}, {kw})"
    same(outcome(lambda: getattr(ga, name)(*gargs, **kw)), want, "ga." + what, message, ulps)
    same(outcome(lambda: uf(*gargs, **kw)), want, "np." + what, message, ulps)
    # numpy arrays (buffers) handed to goarray's kernels
    same(outcome(lambda: getattr(ga, name)(*args, **kw)), want, "ga(numpy)." + what, message, ulps)


def test_issue_examples():
    x = np.array([0.5, 1.7, 300.0, -1.5])
    g = garray(x)
    with pytest.raises(np.exceptions.UFuncTypeError if hasattr(np, "exceptions") and
                       hasattr(np.exceptions, "UFuncTypeError") else TypeError) as e:
        ga.add(g, g, dtype="int8")
    assert "Cannot cast ufunc 'add' input 0 from dtype('float64') to dtype('int8')" in str(e.value)
    with pytest.raises(TypeError, match="No loop matching"):
        ga.divide(g, g, dtype="int8")
    assert ga.sum(g, dtype="int8") == np.sum(x, dtype="int8")
    assert type(ga.sum(g, dtype="int8")) is np.int8
    with pytest.raises(TypeError):
        ga.sum(ga.ones((2, 3)), axis=True)


@pytest.mark.parametrize("name", BINARY)
@pytest.mark.parametrize("dtype", ALL)
def test_binary_dtype_and_casting(name, dtype):
    x, y = values(dtype), values(dtype)[::-1].copy()
    for want in [None] + ALL:
        for casting in CASTINGS:
            kw = {"casting": casting}
            if want is not None:
                kw["dtype"] = want
            check_elementwise(name, (x, y), **kw)


@pytest.mark.parametrize("name", BINARY)
@pytest.mark.parametrize("xd", SOME)
def test_binary_mixed_dtypes(name, xd):
    x = values(xd)
    for yd in SOME:
        y = values(yd)[::-1].copy()
        for want in (None, "int8", "float32", "float64", "complex128"):
            for casting in ("same_kind", "unsafe", "safe"):
                kw = {"casting": casting}
                if want is not None:
                    kw["dtype"] = want
                check_elementwise(name, (x, y), **kw)


@pytest.mark.parametrize("name", BINARY)
@pytest.mark.parametrize("xd", SOME)
def test_binary_python_scalars(name, xd):
    x = values(xd)
    for s in (True, 3, 300, -2, 1.5, 2.5j):
        for want in (None, "int8", "uint8", "int64", "float16", "float32", "float64", "complex64"):
            for casting in ("same_kind", "unsafe"):
                kw = {"casting": casting}
                if want is not None:
                    kw["dtype"] = want
                check_elementwise(name, (x, s), **kw)
                check_elementwise(name, (s, x), **kw)


@pytest.mark.parametrize("name", BINARY)
@pytest.mark.parametrize("xd", SOME)
def test_binary_out(name, xd):
    x, y = values(xd), values(xd)[::-1].copy()
    uf = _np_ufunc(name)
    for od in SOME:
        for want in (None, "float32", "int8"):
            for casting in ("same_kind", "unsafe", "no"):
                kw = {"casting": casting}
                if want is not None:
                    kw["dtype"] = want
                what = f"{name}({xd}, {xd}, out={od}, {kw})"
                n_out = np.zeros(6, od)
                want_res = outcome(lambda: uf(x, y, out=n_out, **kw))
                if want_res[0] == "ok":
                    want_res = ("ok", n_out)
                for entry in ("ga", "np"):
                    g_out = garray(np.zeros(6, od))
                    f = getattr(ga, name) if entry == "ga" else uf
                    got = outcome(lambda: f(garray(x), garray(y), out=g_out, **kw))
                    if got[0] == "ok":
                        assert got[1] is g_out, what
                    same(got, want_res, f"{entry}.{what}")
                    if want_res[0] == "err":   # a refused call leaves out untouched
                        assert not np.asarray(g_out).any(), what


@pytest.mark.parametrize("name", UNARY)
@pytest.mark.parametrize("dtype", ALL)
def test_unary_dtype_and_casting(name, dtype):
    x = positive(dtype) if name in ("sqrt", "log") else values(dtype)
    for want in [None] + ALL:
        for casting in CASTINGS:
            kw = {"casting": casting}
            if want is not None:
                kw["dtype"] = want
            check_elementwise(name, (x,), **kw)


@pytest.mark.parametrize("name", UNARY)
@pytest.mark.parametrize("od", [d for d in SOME if d not in ("bool", "float16")])
def test_unary_out(name, od):
    x = positive("float64") % 9
    uf = getattr(np, name)
    for casting in ("same_kind", "unsafe", "no"):
        for want in (None, "float32"):
            kw = {"casting": casting}
            if want is not None:
                kw["dtype"] = want
            n_out = np.zeros(6, od)
            want_res = outcome(lambda: uf(x, out=n_out, **kw))
            if want_res[0] == "ok":
                want_res = ("ok", n_out)
            for f in (getattr(ga, name), uf):
                g_out = garray(np.zeros(6, od))
                got = outcome(lambda: f(garray(x), out=g_out, **kw))
                loop = np.dtype(want or "float64")
                coarse = np.finfo(loop if np.dtype(od).kind not in "fc" or np.finfo(loop).eps > np.finfo(od).eps
                                  else od).dtype
                same(got, want_res, f"{name}(float64, out={od}, {kw})", ulps=(MAXULP[loop.char] + 1, coarse))


@pytest.mark.parametrize("casting", ["foo", "Same_Kind", 3])
def test_bad_casting_is_numpys_error(casting):
    x = values("float64")
    for name in ("add", "negative"):
        args = (x, x) if name == "add" else (x,)
        check_elementwise(name, args, casting=casting)


@pytest.mark.parametrize("bad", ["foo", ">f8", "U3", "datetime64[s]"])
def test_bad_dtype_is_typeerror(bad):
    x = garray(values("float64"))
    for call in (lambda: ga.add(x, x, dtype=bad), lambda: ga.negative(x, dtype=bad)):
        with pytest.raises(TypeError):
            call()


def test_in_place_operators_keep_same_kind():
    n = values("int64")
    g = garray(n)
    with pytest.raises(type(outcome(lambda: np.add(n, 1.5, out=n))[1])):
        g += 1.5
    assert np.asarray(g).tolist() == n.tolist()


# ---- reductions: dtype= ----------------------------------------------------------------

REDUCTIONS = ["sum", "prod", "mean", "var", "std"]


def reduction_entries(name, g):
    """The entries of a reduction on goarray array g: each a function of
    keyword arguments."""
    entries = {
        f"ga.{name}": lambda **kw: getattr(ga, name)(g, **kw),
        f"np.{name}": lambda **kw: getattr(np, name)(g, **kw),
        f"Array.{name}": lambda **kw: getattr(g, name)(**kw),
    }
    if name in ("sum", "prod"):
        uf = np.add if name == "sum" else np.multiply
        entries[f"np.{uf.__name__}.reduce"] = lambda axis=None, **kw: uf.reduce(g, axis=axis, **kw)
    return entries


@pytest.mark.parametrize("name", REDUCTIONS)
@pytest.mark.parametrize("dtype", ALL)
def test_reduction_dtype(name, dtype):
    n = values(dtype, 8).reshape(2, 4)
    g = garray(n)
    for want in [None] + ALL:
        for axis in (None, 0, 1):
            kw = {"axis": axis}
            if want is not None:
                kw["dtype"] = want
            ref = outcome(lambda: getattr(np, name)(n, **kw))
            for entry, f in reduction_entries(name, g).items():
                what = f"{entry}({dtype}, {kw})"
                got = outcome(lambda: f(**kw))
                if name in ("mean", "var", "std") and ref[0] == "ok" and got[0] == "ok" \
                        and np.asarray(ref[1]).dtype.kind in "fc":
                    # mean, var and std divide (and take a root): float
                    # results within rounding of numpy's
                    gv, nv = np.asarray(got[1]), np.asarray(ref[1])
                    assert gv.dtype == nv.dtype and gv.shape == nv.shape, what
                    assert type(got[1]) is type(ref[1]) or isinstance(got[1], ga.Array), what
                    tol = {2: 2e-3, 4: 1e-5, 8: 1e-12, 16: 1e-12}[nv.dtype.itemsize if nv.dtype.kind == "f"
                                                                   else nv.dtype.itemsize // 2 * 2]
                    np.testing.assert_allclose(gv.astype(np.complex128), nv.astype(np.complex128),
                                               rtol=tol, atol=tol, err_msg=what)
                    continue
                # complex products: Go's complex multiply is not numpy's to the last bit
                same(got, ref, what, message=False, ulps=name == "prod")


def test_sum_dtype_casts_unsafely_as_numpy():
    x = np.array([0.5, 1.7, 300.0, -1.5])
    g = garray(x)
    for f in (lambda: ga.sum(g, dtype="int8"), lambda: np.sum(g, dtype="int8"), lambda: g.sum(dtype="int8"),
              lambda: np.add.reduce(g, dtype="int8")):
        r = f()
        assert type(r) is np.int8 and r == np.sum(x, dtype="int8") == 44


@pytest.mark.parametrize("name", ["sum", "prod"])
@pytest.mark.parametrize("od", SOME)
def test_reduction_out_dtype(name, od):
    """No dtype=, an out= of another dtype: numpy's loop for the pair."""
    for xd in SOME:
        n = values(xd, 8).reshape(2, 4)
        n_out = np.zeros(4, od)
        ref = outcome(lambda: getattr(np, name)(n, axis=0, out=n_out))
        if ref[0] == "ok":
            ref = ("ok", n_out)
        g_out = garray(np.zeros(4, od))
        got = outcome(lambda: getattr(ga, name)(garray(n), axis=0, out=g_out))
        same(got, ref, f"{name}({xd}, axis=0, out={od})", message=False)


# ---- boolean axes -------------------------------------------------------------------------

AXIS_FUNCS = ["sum", "prod", "min", "max", "mean", "var", "std", "all", "any", "argmin", "argmax",
              "count_nonzero"]
METHODS = ["sum", "prod", "min", "max", "mean", "var", "std", "all", "any", "argmin", "argmax"]


@pytest.mark.parametrize("axis", [True, False, np.True_, np.False_, (True,), (0, True)])
@pytest.mark.parametrize("name", AXIS_FUNCS)
def test_boolean_axis_is_typeerror(name, axis):
    n = values("float64").reshape(2, 3)
    g = garray(n)
    ref = outcome(lambda: getattr(np, name)(n, axis=axis))
    if ref[0] == "ok":
        pytest.skip(f"numpy {np.__version__} accepts axis={axis!r} for {name}")
    assert isinstance(ref[1], TypeError)
    calls = {"ga": lambda: getattr(ga, name)(g, axis=axis),
             "np": lambda: getattr(np, name)(g, axis=axis),
             "ga(numpy)": lambda: getattr(ga, name)(n, axis=axis)}
    if name in METHODS:
        calls["method"] = lambda: getattr(g, name)(axis=axis)
    for entry, call in calls.items():
        got = outcome(call)
        assert got[0] == "err" and type(got[1]) is type(ref[1]), f"{entry}.{name}(axis={axis!r}): {got[1]!r}"


@pytest.mark.parametrize("axis", [True, np.True_, (True,)])
@pytest.mark.parametrize("uf", [np.add, np.multiply, np.minimum, np.maximum, np.logical_and, np.logical_or])
def test_boolean_axis_of_ufunc_reduce(uf, axis):
    n = values("float64").reshape(2, 3)
    ref = outcome(lambda: uf.reduce(n, axis=axis))
    got = outcome(lambda: uf.reduce(garray(n), axis=axis))
    assert ref[0] == "err"
    assert got[0] == "err" and type(got[1]) is type(ref[1]), got


@pytest.mark.parametrize("name", ["sum", "mean", "max", "argmax"])
def test_boolean_axis_message_is_numpys(name):
    n = values("float64").reshape(2, 3)
    ref = outcome(lambda: getattr(np, name)(n, axis=True))[1]
    got = outcome(lambda: getattr(ga, name)(garray(n), axis=True))[1]
    assert str(got) == str(ref)


@pytest.mark.parametrize("name", ["sum", "max", "argmax", "mean"])
def test_integer_axes_still_accepted(name):
    n = values("float64").reshape(2, 3)
    g = garray(n)
    for axis in (0, 1, -1, np.int64(1), np.intp(0)):
        same(outcome(lambda: getattr(ga, name)(g, axis=axis)), outcome(lambda: getattr(np, name)(n, axis=axis)),
             f"{name}(axis={axis!r})", message=False)


@pytest.mark.parametrize("name", ["cumsum", "cumprod", "nansum", "nanprod", "nanmean"])
@pytest.mark.parametrize("dtype", SOME)
def test_reductions_numpy_computes_take_dtype(name, dtype):
    """Reductions without a Go kernel (numpy's own, on zero-copy views):
    numpy's result for every dtype=, wrapped in Go memory."""
    n = values(dtype, 8).reshape(2, 4)
    g = garray(n)
    for want in (None, "int8", "uint8", "float16", "float64", "complex64"):
        for axis in (None, 1):
            kw = {"axis": axis} if want is None else {"axis": axis, "dtype": want}
            same(outcome(lambda: getattr(np, name)(g, **kw)), outcome(lambda: getattr(np, name)(n, **kw)),
                 f"np.{name}({dtype}, {kw})", message=False)
    for axis in (True, (True,)):
        got, ref = outcome(lambda: getattr(np, name)(g, axis=axis)), outcome(lambda: getattr(np, name)(n, axis=axis))
        assert got[0] == ref[0] == "err" and type(got[1]) is type(ref[1])
