"""Every entry of one unary operation gives the same answer.

``-a``, ``abs(a)``, ``+a``, ``~a``, ``np.negative(a)`` (with and without
``out=``), ``ga.negative(a)`` (with and without ``out=``, of goarray and
of numpy arrays) and the same entries of every unary ufunc goarray serves
(and of a few served by numpy's loops on views of goarray memory), plus
``np.clip``, ``ga.clip`` and ``Array.clip``: numpy's bytes, dtype and type
on ndarray copies, for every dtype, layout and 0-d and empty arrays (see
test_entry_points.py for the type contract).
"""
import operator

import numpy as np
import pytest

import goarray as ga
from test_entry_points import DTYPES, check_entries, numpy_out, outcome, values

# name -> (numpy ufunc, operator or None)
UNARY = {
    "negative": (np.negative, operator.neg),
    "absolute": (np.absolute, abs),
    "positive": (np.positive, operator.pos),
    "invert": (np.invert, operator.invert),
    "sqrt": (np.sqrt, None),
    "exp": (np.exp, None),
    "log": (np.log, None),
    "sin": (np.sin, None),
    "floor": (np.floor, None),
    "isnan": (np.isnan, None),
    "sign": (np.sign, None),
    "square": (np.square, None),
    "logical_not": (np.logical_not, None),
}
# ga.<name> for the ufuncs that have one (getattr: others may gain one)
GA_NAMES = {"absolute": ("absolute", "abs")}


def ga_functions(name):
    return [(n, getattr(ga, n)) for n in GA_NAMES.get(name, (name,)) if hasattr(ga, n)]


def unary_entries(name, g, n, ga_input=True):
    """(entry name, kind, goarray outcome, numpy outcome, out) of every
    entry of name on the goarray operand g (numpy's on n)."""
    uf, op = UNARY[name]
    want = outcome(uf, n)
    res = []
    if ga_input:
        if op is not None:
            res.append((f"{name} operator", "numpy", outcome(op, g), outcome(op, n), None))
        res.append((f"np.{name}", "numpy", outcome(uf, g), want, None))
    fns = ga_functions(name)
    for gname, f in fns:
        res.append((f"ga.{gname}", "array", outcome(f, g), want, None))
    if want[0] == "ok" and isinstance(want[1], np.ndarray):
        outs = ([(f"np.{name} out=", uf)] if ga_input else []) + [(f"ga.{gn} out=", f) for gn, f in fns]
        for ename, f in outs:
            o = ga.empty(want[1].shape, want[1].dtype)
            res.append((ename, "out", outcome(f, g, out=o), numpy_out(uf, want, n), o))
    return res


def layouts(dt):
    """(label, numpy operand, goarray operand of the same values)."""
    base = values((4, 10), dt, 3)
    return [
        ("(4,10)", base, ga.asarray(base)),
        ("0-d", values((), dt, 4), ga.asarray(values((), dt, 4))),
        ("empty", values((0, 3), dt, 5), ga.asarray(values((0, 3), dt, 5))),
        ("steps", base[:, ::3], ga.asarray(base)[:, ::3]),
        ("transposed", base.T, ga.asarray(base).T),
        ("reversed", base[::-1, 1:], ga.asarray(base)[::-1, 1:]),
    ]


def exact_unary(name, dt):
    """Whether numpy's bytes are the contract in the sweep: Go's float64
    and complex exp and log and its complex sqrt may differ from numpy's
    in the last bit or two (their documented notes), and the entries must
    still agree with each other bit for bit. Their NaNs are numpy's bits
    (test_unary_nans_are_numpys)."""
    if name in ("exp", "log"):
        return np.dtype(dt).kind == "b" or np.dtype(dt) in (np.float16, np.float32)
    if name == "sqrt":
        return np.dtype(dt).kind != "c"
    return True


@pytest.mark.parametrize("name", list(UNARY))
def test_unary_entries_every_dtype_and_layout(name):
    problems = []
    for dt in DTYPES:
        exact = exact_unary(name, dt)
        for label, n, g in layouts(dt):
            check_entries(unary_entries(name, g, n), f"{label} {dt}", problems, exact)
        # the ga. functions of numpy arrays (their result: a goarray array)
        n = values((3, 4), dt, 6)
        check_entries(unary_entries(name, n.copy(), n, ga_input=False), f"ndarray {dt}", problems, exact)
    if problems:
        pytest.fail(f"{len(problems)} mismatches:\n" + "\n".join(problems[:40]), pytrace=False)


CLIP_BOUNDS = [(-1, 3), (None, 2), (0.5, None), (np.int8(-3), np.int8(4)), (2.5, 1.5), (np.nan, 1.0)]


@pytest.mark.parametrize("dt", DTYPES)
def test_clip_entries(dt):
    """np.clip(a, lo, hi), ga.clip(a, lo, hi), a.clip(lo, hi) with and
    without out=, scalar and array bounds."""
    problems = []
    for label, n, g in layouts(dt)[:4]:
        bounds = list(CLIP_BOUNDS)
        if n.ndim == 2 and n.shape[1]:
            lo = values((n.shape[1],), dt, 9)
            bounds.append((lo, None))
        for lo, hi in bounds:
            want = outcome(np.clip, n, lo, hi)
            entries = [("np.clip", "numpy", outcome(np.clip, g, lo, hi), want, None),
                       ("ga.clip", "array", outcome(ga.clip, g, lo, hi), want, None),
                       ("Array.clip", "array", outcome(lambda: g.clip(lo, hi)), outcome(lambda: n.clip(lo, hi)),
                        None)]
            if want[0] == "ok" and isinstance(want[1], np.ndarray):
                for ename, f in (("np.clip out=", np.clip), ("ga.clip out=", ga.clip),
                                 ("Array.clip out=", lambda x, lo_, hi_, out: x.clip(lo_, hi_, out=out))):
                    o = ga.empty(want[1].shape, want[1].dtype)
                    entries.append((ename, "out", outcome(f, g, lo, hi, out=o), numpy_out(np.clip, want, n, lo, hi),
                                    o))
            check_entries(entries, f"{label} {dt} bounds {lo!r}, {hi!r}", problems)
    if problems:
        pytest.fail(f"{len(problems)} mismatches:\n" + "\n".join(problems[:40]), pytrace=False)


# ---- mismatches found: each pinned by one statement --------------------------------------

def _bytes(x):
    return np.asarray(x).tobytes().hex()


def test_exp_float32_gives_numpys_bytes():
    x = np.array([1.0], np.float32)
    assert _bytes(ga.exp(ga.asarray(x))) == _bytes(np.exp(x))   # 0x402df855, not the correctly rounded ...54


@pytest.mark.parametrize("name", ["exp", "log"])
def test_float32_exp_log_are_numpys_bitwise(name):
    """float32 exp and log are numpy's own SIMD algorithms (not correctly
    rounded): the same bytes for random values over the whole range, for
    random bit patterns (NaNs, infinities, subnormals) and strided."""
    rng = np.random.default_rng(11)
    f = getattr(np, name)
    wide = rng.uniform(-110, 90, 100_000) if name == "exp" else np.exp(rng.uniform(-105, 89, 100_000))
    bits = rng.integers(0, 2**32, 100_000, dtype=np.uint64).astype(np.uint32).view(np.float32)
    with np.errstate(all="ignore"):
        for x in (wide.astype(np.float32), bits, rng.uniform(-2, 2, 1000).astype(np.float32)):
            assert np.asarray(getattr(ga, name)(ga.asarray(x))).tobytes() == f(x).tobytes()
            assert np.asarray(getattr(ga, name)(ga.asarray(x)[::3])).tobytes() == f(x[::3]).tobytes()


def test_log_negative_gives_numpys_nan():
    x = np.array([-2.0])
    with np.errstate(all="ignore"):
        assert _bytes(ga.log(ga.asarray(x))) == _bytes(np.log(x))   # -nan, 0xfff8000000000000


def test_complex_sqrt_nan_payload():
    x = np.array([complex(np.nan, 0.0)])
    with np.errstate(all="ignore"):
        assert _bytes(ga.sqrt(ga.asarray(x))) == _bytes(np.sqrt(x))


def test_complex64_abs_gives_numpys_bytes():
    x = np.array([complex(-0.5, -3.0)], np.complex64)
    assert _bytes(abs(ga.asarray(x))) == _bytes(abs(x))


def test_clip_nan_bound_gives_numpys_nan():
    x = np.array([5.0])
    assert _bytes(ga.clip(ga.asarray(x), np.nan, 1.0)) == _bytes(np.clip(x, np.nan, 1.0))


def test_clip_nan_gives_numpys_nan():
    x = np.array([np.nan])
    assert _bytes(ga.clip(ga.asarray(x), 2.5, 3.0)) == _bytes(np.clip(x, 2.5, 3.0))


def test_np_clip_of_0d_gives_numpys_scalar():
    x = np.array(2.5)
    assert type(np.clip(ga.asarray(x), 0, 1)) is type(np.clip(x, 0, 1))   # numpy.float64


# ---- NaN bits, signed zeros and ties: numpy's, bit for bit ------------------------------

_UINT = {2: np.uint16, 4: np.uint32, 8: np.uint64}


def _special_reals(dt):
    """NaNs of both signs with and without a payload, signalling NaNs,
    infinities, signed zeros, negative numbers, subnormals, the extremes."""
    dt = np.dtype(dt)
    u = _UINT[dt.itemsize]
    bits = dt.itemsize * 8
    qnan = int(np.array([np.nan], dt).view(u)[0])
    quiet = 1 << (np.finfo(dt).nmant - 1)
    sign = 1 << (bits - 1)
    raw = [qnan, qnan | sign, qnan | 5, qnan | 5 | sign, (qnan & ~quiet) | 1, (qnan & ~quiet) | 1 | sign]
    fi = np.finfo(dt)
    nums = [0.0, -0.0, 1.0, -1.0, -2.0, 2.5, np.inf, -np.inf, fi.max, -fi.max, fi.tiny,
            fi.smallest_subnormal, -fi.smallest_subnormal, 1e-3, -1e-3, 100.0, -100.0, 0.5]
    return np.concatenate([np.array(raw, u).view(dt), np.array(nums, dt)])


def _specials(dt):
    dt = np.dtype(dt)
    if dt.kind == "f":
        return _special_reals(dt)
    r = _special_reals(np.dtype(f"f{dt.itemsize // 2}"))
    z = np.empty(len(r) * len(r), dt)
    z.real, z.imag = np.repeat(r, len(r)), np.tile(r, len(r))
    return z


FLOATS = ["float16", "float32", "float64", "complex64", "complex128"]


@pytest.mark.parametrize("name", ["negative", "absolute", "sqrt", "exp", "log"])
@pytest.mark.parametrize("dt", FLOATS)
def test_unary_nans_are_numpys(name, dt):
    """Every NaN a unary kernel returns has numpy's bits: an input NaN
    quieted, the x86 default -NaN of an invalid operation, the +NaN of
    numpy's float32 SIMD loops and of glibc's complex functions; and
    everything else is numpy's bytes where the kernel is exact."""
    x = _specials(dt)
    with np.errstate(all="ignore"):
        want = getattr(np, name)(x)
    got = np.asarray(getattr(ga, name)(ga.asarray(x)))
    assert got.dtype == want.dtype
    parts = want.dtype.itemsize // (2 if want.dtype.kind == "c" else 1)
    w, g = want.view(_UINT[parts]).ravel(), got.view(_UINT[parts]).ravel()
    nan = np.isnan(want.view(f"f{parts}").ravel())
    bad = np.flatnonzero(nan & (w != g))
    assert not bad.size, [(x.ravel()[i // (w.size // x.size)], hex(w[i]), hex(g[i])) for i in bad[:8]]
    assert np.array_equal(nan, np.isnan(got.view(f"f{parts}").ravel()))
    if exact_unary(name, dt) or name == "absolute" or (name == "log" and dt in ("float16", "float32", "float64")):
        assert w.tobytes() == g.tobytes()


# The bit-level rules below are those of numpy's loops from 2.1 on; numpy
# 2.0 computes strided |complex| with hypot and picks another NaN where
# clip's two bounds are NaN (values agree; other tests compare them).
_NEWER_LOOPS = pytest.mark.skipif(np.lib.NumpyVersion(np.__version__) < "2.1.0",
                                  reason="numpy 2.0's loops differ in these bits")


@_NEWER_LOOPS
@pytest.mark.parametrize("dt", ["complex64", "complex128"])
def test_complex_abs_is_numpys_bitwise(dt):
    """|complex| is numpy's SIMD algorithm (larger * sqrt(fma(r, r, 1)),
    r = smaller / larger, in the element's precision): the same bytes for
    1e5 random values at every scale, subnormal and huge included."""
    rng = np.random.default_rng(7)
    n = 100_000
    with np.errstate(over="ignore"):
        for mag in (lambda: 1.0, lambda: 10.0 ** rng.integers(-45, 39, n), lambda: 10.0 ** rng.integers(-320, 308, n)):
            x = (rng.standard_normal(n) * mag() + 1j * rng.standard_normal(n) * mag()).astype(dt)
            assert abs(ga.asarray(x)).tobytes() == np.abs(x).tobytes()
            assert np.asarray(ga.abs(x[::3])).tobytes() == np.abs(x[::3]).tobytes()


@_NEWER_LOOPS
@pytest.mark.parametrize("dt", FLOATS)
def test_clip_nans_and_ties_are_numpys(dt):
    """Which operand a NaN or a tie of signed zeros gives: numpy's general
    loop (bounds that vary), its loop for constant bounds (scalars, 0-d,
    broadcast) and numpy.maximum/minimum (one bound), bit for bit."""
    dtype = np.dtype(dt)
    r = _special_reals(dtype if dtype.kind == "f" else np.dtype(f"f{dtype.itemsize // 2}"))
    pick = [0, 1, 2, 4, 6, 7, 8, 9, 10, 12]          # NaNs, zeros, ±1, ±inf
    s = r[pick]
    if dtype.kind == "c":
        z = np.empty(len(s) * 4, dtype)
        z.real, z.imag = np.repeat(s, 4), np.tile(s[[3, 4, 5, 0]], len(s))
        s = z
    x = np.repeat(s, len(s) * len(s)).astype(dtype)      # every (x, lo, hi)
    lo = np.tile(np.repeat(s, len(s)), len(s)).astype(dtype)
    hi = np.tile(s, len(s) * len(s)).astype(dtype)
    g = ga.asarray(x)
    with np.errstate(all="ignore"):
        for args in ((lo, hi), (lo, None), (None, hi)):
            assert np.asarray(ga.clip(g, *args)).tobytes() == np.clip(x, *args).tobytes(), args is None
        for a in s:
            for b in s:
                for args in ((a, b), (np.array(a), np.array(b)), (a, None), (None, b)):
                    assert np.asarray(ga.clip(g, *args)).tobytes() == np.clip(x, *args).tobytes(), (a, b)
