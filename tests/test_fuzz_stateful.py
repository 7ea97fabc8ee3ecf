"""A stateful fuzzer with numpy as the oracle (hypothesis).

Random sequences of API calls run on goarray arrays and, side by side, on
numpy twins: creation, basic indexing (views, kept and written through
later), item assignment, reshape, transpose, ravel/flatten, copy/astype,
resize, binary operators and ufuncs, reductions, in-place operators,
pickling and DLPack. Each step compares results (values, shape, dtype and,
for errors, the exception type); after every step every array made so far,
views included, still equals its twin, so a view that should have been a
copy (or the reverse) is caught by a later write. Differences are bugs,
except the documented ones listed in KNOWN.
"""
import os
import pickle
import warnings

import numpy as np
import pytest
from hypothesis import HealthCheck, settings, strategies as st
from hypothesis.stateful import Bundle, RuleBasedStateMachine, invariant, precondition, rule

import goarray as ga

DTYPES = ["float64", "float32", "int64", "int32", "int16", "uint8", "bool", "complex128"]

# Differences found and not fixed here (the operators and the dispatch are
# being rewritten elsewhere); each is skipped where it would fire, and has a
# strict xfail regression test in test_hostile_regressions.py. Casts with
# dtype=, boolean axes and index-key errors (the dispatch rewrite) are not
# exercised.
KNOWN = {
    "bool ** 2": "numpy's ndarray.__pow__ turns ** 2 into square (int8 for bool); goarray calls "
                 "power (int64)",
}


def shapes(max_dims=3, max_side=4):
    return st.lists(st.integers(0, max_side), min_size=0, max_size=max_dims).map(tuple)


def basic_keys(ndim):
    item = st.one_of(
        st.integers(-5, 5),
        st.builds(slice, st.none() | st.integers(-6, 6), st.none() | st.integers(-6, 6),
                  st.none() | st.sampled_from([1, 2, 3, -1, -2])),
        st.none(),
    )
    return st.lists(item, min_size=0, max_size=ndim + 1).map(tuple) | st.just(Ellipsis)


def outcome(f, *args):
    """(result, None) or (None, exception type) of f(*args)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            with np.errstate(all="ignore"):
                return f(*args), None
    except (ValueError, TypeError, IndexError, BufferError, OverflowError, ZeroDivisionError) as e:
        return None, type(e)


def assert_same(g, n, what):
    if isinstance(n, np.ndarray):
        assert isinstance(g, ga.Array), f"{what}: {type(g).__name__}, numpy gives an ndarray"
        v = np.asarray(g)
        assert v.shape == n.shape, f"{what}: shape {v.shape} vs numpy {n.shape}"
        assert v.dtype == n.dtype, f"{what}: dtype {v.dtype} vs numpy {n.dtype}"
        if n.dtype.kind in "fc":
            np.testing.assert_allclose(v, n, rtol=1e-5, atol=1e-6, equal_nan=True, err_msg=what)
        else:
            np.testing.assert_array_equal(v, n, err_msg=what)
    else:
        gv, nv = np.asarray(g), np.asarray(n)
        assert gv.dtype == nv.dtype, f"{what}: scalar dtype {gv.dtype} vs numpy {nv.dtype}"
        if nv.dtype.kind in "fc":
            np.testing.assert_allclose(gv, nv, rtol=1e-5, atol=1e-6, equal_nan=True, err_msg=what)
        else:
            np.testing.assert_array_equal(gv, nv, err_msg=what)


def both(fg, fn, what):
    """Run fg on goarray and fn on numpy; same error type or same result."""
    rg, eg = outcome(fg)
    rn, en = outcome(fn)
    if en is not None or eg is not None:
        assert eg == en, f"{what}: goarray {eg}, numpy {en}"
        return None, None
    assert_same(rg, rn, what)
    return rg, rn


class GoarrayVsNumpy(RuleBasedStateMachine):
    pairs = Bundle("pairs")

    def __init__(self):
        super().__init__()
        self.all = []          # every (goarray, numpy) pair made, views included

    def keep(self, g, n):
        if isinstance(n, np.ndarray) and isinstance(g, ga.Array):
            self.all.append((g, n))
            del self.all[:-40]
            return (g, n)
        return None

    @rule(target=pairs, dtype=st.sampled_from(DTYPES), shape=shapes(), order=st.sampled_from("CF"))
    def create(self, dtype, shape, order):
        n = (np.arange(int(np.prod(shape)), dtype="int64") % 7 - 2).astype(dtype).reshape(shape, order=order)
        n = np.array(n, order=order)
        g = ga.array(n)
        assert_same(g, n, "create")
        return self.keep(g, n)

    @rule(target=pairs, p=pairs, data=st.data())
    def index(self, p, data):
        if p is None:
            return None
        g, n = p
        key = data.draw(basic_keys(n.ndim))
        rg, rn = both(lambda: g[key], lambda: n[key], f"getitem {key!r}")
        return self.keep(rg, rn)

    @rule(p=pairs, data=st.data(), value=st.integers(-3, 3))
    def setitem(self, p, data, value):
        if p is None or not p[1].flags.writeable:
            return
        g, n = p
        key = data.draw(basic_keys(n.ndim))

        def setg():
            g[key] = value

        def setn():
            n[key] = value
        both(setg, setn, f"setitem {key!r}")

    @rule(target=pairs, p=pairs, data=st.data())
    def reshape(self, p, data):
        if p is None:
            return None
        g, n = p
        size = n.size
        cands = [(size,), (-1,), (1, size), (size, 1), (-1, 1)]
        if size % 2 == 0 and size:
            cands += [(2, -1), (-1, 2)]
        shape = data.draw(st.sampled_from(cands))
        order = data.draw(st.sampled_from("CFA"))
        rg, rn = both(lambda: g.reshape(shape, order=order), lambda: n.reshape(shape, order=order),
                      f"reshape {shape} {order}")
        return self.keep(rg, rn)

    @rule(target=pairs, p=pairs, how=st.sampled_from(["T", "ravelC", "ravelF", "ravelA", "ravelK", "flattenC",
                                                        "flattenF", "flattenK", "copyC", "copyF", "squeeze",
                                                        "swapaxes"]))
    def layout(self, p, how):
        if p is None:
            return None
        g, n = p
        f = {
            "T": lambda a: a.T, "ravelC": lambda a: a.ravel("C"), "ravelF": lambda a: a.ravel("F"),
            "ravelA": lambda a: a.ravel("A"), "ravelK": lambda a: a.ravel("K"),
            "flattenC": lambda a: a.flatten("C"), "flattenF": lambda a: a.flatten("F"),
            "flattenK": lambda a: a.flatten("K"), "copyC": lambda a: a.copy("C"), "copyF": lambda a: a.copy("F"),
            "squeeze": lambda a: a.squeeze(), "swapaxes": lambda a: a.swapaxes(0, -1),
        }[how]
        rg, rn = both(lambda: f(g), lambda: f(n), how)
        if rg is not None and how.startswith(("ravel", "flatten", "copy")):
            assert rg.flags.c_contiguous or rg.flags.f_contiguous, how
        return self.keep(rg, rn)

    @rule(target=pairs, p=pairs, dtype=st.sampled_from(DTYPES))
    def astype(self, p, dtype):
        if p is None:
            return None
        g, n = p
        rg, rn = both(lambda: g.astype(dtype), lambda: n.astype(dtype), f"astype {dtype}")
        return self.keep(rg, rn)

    @rule(target=pairs, p=pairs, q=pairs,
          op=st.sampled_from(["add", "sub", "mul", "truediv", "maximum", "minimum", "eq", "lt"]))
    def binary(self, p, q, op):
        if p is None or q is None:
            return None
        (g1, n1), (g2, n2) = p, q
        f = {"add": lambda a, b: a + b, "sub": lambda a, b: a - b, "mul": lambda a, b: a * b,
             "truediv": lambda a, b: a / b, "maximum": np.maximum, "minimum": np.minimum,
             "eq": lambda a, b: a == b, "lt": lambda a, b: a < b}[op]
        if op == "sub" and (n1.dtype == bool or n2.dtype == bool):
            return None   # numpy's TypeError for bool subtraction: both raise, nothing to keep
        rg, rn = both(lambda: f(g1, g2), lambda: f(n1, n2), op)
        return self.keep(rg, rn)

    @rule(target=pairs, p=pairs, scalar=st.sampled_from([2, -1, 0.5, True]),
          op=st.sampled_from(["add", "mul", "rsub", "pow"]))
    def with_scalar(self, p, scalar, op):
        if p is None:
            return None
        g, n = p
        if op == "pow" and n.dtype == bool:
            return None   # KNOWN["bool ** 2"]
        f = {"add": lambda a: a + scalar, "mul": lambda a: a * scalar, "rsub": lambda a: scalar - a,
             "pow": lambda a: a ** 2}[op]
        rg, rn = both(lambda: f(g), lambda: f(n), f"{op} {scalar!r}")
        return self.keep(rg, rn)

    @rule(target=pairs, p=pairs, f=st.sampled_from(["negative", "absolute", "sqrt", "exp", "sin", "floor"]))
    def unary(self, p, f):
        if p is None:
            return None
        g, n = p
        u = getattr(np, f)
        rg, rn = both(lambda: u(g), lambda: u(n), f)
        return self.keep(rg, rn)

    @rule(p=pairs, f=st.sampled_from(["sum", "prod", "min", "max", "mean", "any", "all", "argmax"]),
          axis=st.sampled_from([None, 0, -1]))
    def reduce(self, p, f, axis):
        if p is None:
            return
        g, n = p
        if f in ("mean",) and n.dtype.kind == "b":
            return
        both(lambda: getattr(g, f)(axis=axis), lambda: getattr(n, f)(axis=axis), f"{f} axis={axis}")
        both(lambda: getattr(np, f)(g, axis=axis), lambda: getattr(np, f)(n, axis=axis), f"np.{f} axis={axis}")

    @rule(p=pairs, op=st.sampled_from(["iadd", "imul"]))
    def inplace(self, p, op):
        if p is None or not p[1].flags.writeable or p[1].dtype == bool:
            return
        g, n = p

        def ig():
            x = g
            if op == "iadd":
                x += 1
            else:
                x *= 2
            assert x is g

        def inn():
            x = n
            if op == "iadd":
                x += 1
            else:
                x *= 2
        both(ig, inn, op)

    @rule(target=pairs, p=pairs, protocol=st.sampled_from([2, 4, 5]))
    def pickled(self, p, protocol):
        if p is None:
            return None
        g, n = p
        r = pickle.loads(pickle.dumps(g, protocol=protocol))
        assert_same(r, n, f"pickle {protocol}")
        assert r.flags.writeable == n.flags.writeable
        return self.keep(r, pickle.loads(pickle.dumps(n, protocol=protocol)))

    @rule(p=pairs)
    def dlpack(self, p):
        if p is None:
            return
        g, n = p
        rg, eg = outcome(np.from_dlpack, g)
        rn, en = outcome(np.from_dlpack, n)
        if eg is None and en is None:
            assert_same(ga.asarray(rg), rn, "from_dlpack")
            assert np.shares_memory(rg, np.asarray(g)) or g.size == 0

    @rule(target=pairs, dtype=st.sampled_from(DTYPES), shape=shapes(2), new=shapes(3, 5))
    def resize(self, dtype, shape, new):
        n = (np.arange(int(np.prod(shape)), dtype="int64") % 5).astype(dtype).reshape(shape).copy()
        g = ga.array(n)
        g.resize(new)
        n.resize(new, refcheck=False)
        assert_same(g, n, f"resize {shape} -> {new}")
        g.resize()
        assert g.shape == n.shape, "resize() without arguments"
        return self.keep(g, n)

    @invariant()
    def twins_agree(self):
        for g, n in self.all:
            assert_same(g, n, "invariant")


GoarrayVsNumpy.TestCase.settings = settings(max_examples=int(os.environ.get("GOARRAY_FUZZ_EXAMPLES", 60)), stateful_step_count=25, deadline=None,
                                            suppress_health_check=[HealthCheck.too_slow,
                                                                   HealthCheck.filter_too_much])
test_goarray_vs_numpy = GoarrayVsNumpy.TestCase


def test_fuzzer_can_fail():
    """The oracle is live: a goarray result that differs from numpy's fails."""
    with pytest.raises(AssertionError):
        assert_same(ga.arange(3.0), np.arange(3.0) + 1, "self-check")
    with pytest.raises(AssertionError):
        assert_same(ga.arange(3), np.arange(3.0), "dtype self-check")
