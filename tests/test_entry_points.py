"""Every entry of one elementwise operation gives the same answer.

``a + b``, ``a += b``, ``np.add(a, b)``, ``np.add(a, b, out=...)``,
``ga.add(a, b)`` and ``ga.add(a, b, out=...)`` (and the same entries of
every other binary ufunc goarray serves: arithmetic, comparisons, floor
division, remainder, power, bitwise and shift operators) give the same
bytes, dtype and type as numpy's call on ndarray copies of the operands,
and so as each other: for every pair of the 14 dtypes goarray holds, for
operands of one shape, broadcast, 0-d, empty, strided, transposed and
mixed with ndarrays, and for Python and numpy scalars on either side
(NEP 50: ``int8 array + 300`` raises numpy's OverflowError), and with
``dtype=``, ``casting=`` and an ``out=`` (goarray's or numpy's) of another
dtype. Where numpy raises, every entry raises the same exception class.

The type contract: where numpy returns an ndarray an entry returns a
goarray array; where numpy returns a numpy scalar (operands of no
dimension) the operator and the numpy ufunc return the same scalar type,
and the ``ga.`` function a 0-d goarray array (its documented result); an
``out=`` entry returns ``out`` and an in-place operator the array itself.

The helpers here serve test_entry_points_reduce.py and
test_entry_points_unary.py too.
"""
import operator
import warnings

import numpy as np
import pytest

import goarray as ga

DTYPES = ["bool", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64",
          "float16", "float32", "float64", "complex64", "complex128"]


# ---- values that reach the edges -------------------------------------------------

def _edges(dt):
    if dt.kind == "b":
        return [True, False]
    if dt.kind in "iu":
        info = np.iinfo(dt)
        return [info.max, info.min, 0, 1, info.max - 1] + ([-1, info.min + 1] if dt.kind == "i" else [])
    fin = np.finfo(dt)
    real = [np.nan, np.inf, -np.inf, -0.0, 0.0, 1.0, -1.5, float(fin.max), float(fin.tiny), 3.0]
    if dt.kind == "f":
        return real
    return [complex(np.nan, 0.0), complex(np.inf, -np.inf), complex(-0.0, 0.0), complex(1.0, -1.0),
            complex(0.0, np.nan), complex(-np.inf, 2.0), complex(float(fin.max), 1.0), 2.5j, complex(3.0, 0.5)]


def values(shape, dtype, seed):
    """A fresh C-contiguous ndarray of shape and dtype: the dtype's edge
    values (NaN, infinities, -0.0, the integer limits) from a seeded
    offset, the rest seeded random values."""
    dt = np.dtype(dtype)
    n = int(np.prod(shape, dtype=np.int64))
    rng = np.random.default_rng(seed)
    if dt.kind == "b":
        flat = rng.integers(0, 2, n).astype(dt)
    elif dt.kind in "iu":
        info = np.iinfo(dt)
        flat = rng.integers(info.min, info.max, n, dtype=dt, endpoint=True)
    else:
        with np.errstate(all="ignore"):
            x = rng.uniform(-100, 100, n)
            if dt.kind == "c":
                x = x + 1j * rng.uniform(-100, 100, n)
            flat = x.astype(dt)
    edges = _edges(dt)
    with np.errstate(all="ignore"):
        for i in range(min(n, len(edges))):
            flat[i] = edges[(i + seed) % len(edges)]
    return flat.reshape(shape)


# ---- comparing an entry's answer with numpy's -------------------------------------

def outcome(f, *args, **kwargs):
    """('ok', result) or ('raise', exception) of f(*args, **kwargs), with
    numpy's floating-point warnings off (goarray's kernels raise none)."""
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore")    # numpy's "Mean of empty slice" and cast warnings
        try:
            return "ok", f(*args, **kwargs)
        except Exception as e:  # noqa: BLE001 - every class is compared
            return "raise", e


def mismatch(got, want, kind, out=None, exact=True):
    """Why the outcome got differs from numpy's outcome want, or None.

    kind says which type the entry owes: "numpy" (a goarray array where
    numpy has an ndarray, numpy's own scalar type where it has a scalar),
    "array" (always a goarray array: the ga. functions), "out" (out
    itself) or "self" (out itself, for in-place operators). exact=False
    compares values to a few units in the last place instead of bytes,
    exact="nan" compares bytes except that a NaN matches any NaN, and
    exact="zero" also lets -0.0 match 0.0."""
    if want[0] == "raise":
        if got[0] != "raise":
            return f"numpy raised {type(want[1]).__name__}({want[1]}); got {type(got[1]).__name__}"
        if type(got[1]) is not type(want[1]):
            return (f"numpy raised {type(want[1]).__module__}.{type(want[1]).__name__}({want[1]}); got "
                    f"{type(got[1]).__module__}.{type(got[1]).__name__}({got[1]})")
        return None
    if got[0] == "raise":
        return f"raised {type(got[1]).__name__}({got[1]}); numpy gave {np.asarray(want[1]).dtype}"
    g, w = got[1], want[1]
    if kind in ("out", "self"):
        if g is not out:
            return f"returned {type(g).__name__}, not the out/self array"
    elif kind == "array" or isinstance(w, np.ndarray):
        if type(g) is not ga.Array:
            return f"type {type(g).__name__}, want goarray.Array"
    elif type(g) is not type(w):
        return f"type {type(g).__name__}, numpy's is {type(w).__name__}"
    return value_mismatch(g, w, exact)


def value_mismatch(g, w, exact=True):
    """Why g's dtype, shape or bytes differ from w's, or None."""
    ga_, wa = np.asarray(g), np.asarray(w)
    if ga_.dtype != wa.dtype:
        return f"dtype {ga_.dtype}, numpy's is {wa.dtype}"
    if ga_.shape != wa.shape:
        return f"shape {ga_.shape}, numpy's is {wa.shape}"
    if exact is not True and wa.dtype.kind in "fc" and _close(ga_, wa, _mode(exact)):
        return None
    if ga_.tobytes() != np.ascontiguousarray(wa).tobytes():
        gf, wf = ga_.reshape(-1), np.ascontiguousarray(wa).reshape(-1)
        i = next(k for k in range(gf.size) if gf[k:k + 1].tobytes() != wf[k:k + 1].tobytes() and (
            exact is True or wa.dtype.kind not in "fc" or not _close(gf[k:k + 1], wf[k:k + 1], _mode(exact))))
        return (f"{'bytes' if exact is True else 'values'} differ at flat index {i} of {gf.size}: got {gf[i]!r} "
                f"({gf[i:i + 1].tobytes().hex()}), numpy's {wf[i]!r} ({wf[i:i + 1].tobytes().hex()})")
    return None


def _mode(exact):
    return exact if exact in ("nan", "zero") else False


def _close(g, w, nan_only):
    """g and w hold the same values, any NaN matching any NaN (nan_only;
    "zero": -0.0 matching 0.0 too), or also to a tolerance of a few units in the last place (of the
    modulus, for complex parts)."""
    g, w = np.atleast_1d(g), np.atleast_1d(w)
    with np.errstate(all="ignore"):
        scale = np.abs(w).astype(np.float64)     # complex parts: to the modulus
    gn, wn = np.isnan(g), np.isnan(w)      # complex: NaN in either part
    if not np.array_equal(gn, wn):
        return False
    parts = [(g.real, w.real), (g.imag, w.imag)] if w.dtype.kind == "c" else [(g, w)]
    for gp, wp in parts:
        gp, wp, sc = np.ascontiguousarray(gp)[~gn], np.ascontiguousarray(wp)[~wn], scale[~wn]
        if nan_only:
            if nan_only == "zero":      # -0.0 matches 0.0
                gp, wp = gp + 0.0, wp + 0.0
            if gp.tobytes() != wp.tobytes():
                return False
            continue
        fi = np.finfo(wp.dtype)
        with np.errstate(all="ignore"):
            err = np.abs(gp.astype(np.float64) - wp)
            ok = (gp == wp) | (err <= 8 * float(fi.eps) * sc) | (err <= float(fi.tiny))
        if not ok.all():
            return False
    return True


def check_entries(entries, label, problems, exact=True):
    """entries: (entry name, kind, goarray outcome, numpy outcome, out).
    Each entry's outcome is numpy's (exactly, or to a tolerance where
    exact is False); and, in every case, entries whose numpy outcomes have
    the same bytes have the same bytes as each other."""
    first = {}
    for ename, kind, got, want, out in entries:
        why = mismatch(got, want, kind, out, exact)
        if why:
            problems.append(f"{ename} [{label}]: {why}")
            continue
        if want[0] != "ok":
            continue
        w = np.asarray(want[1])
        key = (w.dtype.str, w.shape, np.ascontiguousarray(w).tobytes())
        if key in first:
            other, g0 = first[key]
            why = value_mismatch(got[1], g0)
            if why:
                problems.append(f"{ename} [{label}]: differs from {other}: {why}")
        else:
            first[key] = (ename, got[1])


def numpy_out(f, want, *args, **kwargs):
    """numpy's outcome of f(*args, out=o, **kwargs), o a fresh ndarray of
    want's shape and dtype (the reference of an out= entry: numpy's answer
    with out= may differ from its answer without, float16 mean say)."""
    w = np.asarray(want[1])
    return outcome(f, *args, out=np.empty(w.shape, w.dtype), **kwargs)


def ga_view(base, f):
    """f (a slicing or transposing of an ndarray) applied to a goarray
    copy of base."""
    return f(ga.asarray(base))


# ---- binary operations ----------------------------------------------------------------

# name -> (numpy ufunc, operator, in-place operator, ga function name or None)
BINARY = {
    "add": (np.add, operator.add, operator.iadd, "add"),
    "subtract": (np.subtract, operator.sub, operator.isub, "subtract"),
    "multiply": (np.multiply, operator.mul, operator.imul, "multiply"),
    "true_divide": (np.true_divide, operator.truediv, operator.itruediv, "divide"),
    "minimum": (np.minimum, None, None, "minimum"),
    "maximum": (np.maximum, None, None, "maximum"),
    "less": (np.less, operator.lt, None, "less"),
    "less_equal": (np.less_equal, operator.le, None, "less_equal"),
    "greater": (np.greater, operator.gt, None, "greater"),
    "greater_equal": (np.greater_equal, operator.ge, None, "greater_equal"),
    "equal": (np.equal, operator.eq, None, "equal"),
    "not_equal": (np.not_equal, operator.ne, None, "not_equal"),
    "floor_divide": (np.floor_divide, operator.floordiv, operator.ifloordiv, "floor_divide"),
    "remainder": (np.remainder, operator.mod, operator.imod, "remainder"),
    "power": (np.power, operator.pow, operator.ipow, "power"),
    "bitwise_and": (np.bitwise_and, operator.and_, operator.iand, "bitwise_and"),
    "bitwise_or": (np.bitwise_or, operator.or_, operator.ior, "bitwise_or"),
    "bitwise_xor": (np.bitwise_xor, operator.xor, operator.ixor, "bitwise_xor"),
    "left_shift": (np.left_shift, operator.lshift, operator.ilshift, "left_shift"),
    "right_shift": (np.right_shift, operator.rshift, operator.irshift, "right_shift"),
}
# The ufuncs whose elementwise loops run in Go (the rest: numpy's loop on
# views of goarray memory); every dtype pair and layout runs for these.
GO_BINARY = ("add", "subtract", "multiply", "true_divide", "minimum", "maximum",
             "less", "less_equal", "greater", "greater_equal", "equal", "not_equal")


def binary_entries(name, gx, gy, nx, ny):
    """(entry name, kind, goarray outcome, numpy outcome, out) for every
    entry of the binary operation name that goarray has, on goarray
    operands (gx, gy) and on numpy's (nx, ny)."""
    uf, op, iop, gname = BINARY[name]
    gf = getattr(ga, gname, None) if gname else None
    want = outcome(uf, nx, ny)
    res = []
    if op is not None:
        res.append((f"{name} operator", "numpy", outcome(op, gx, gy), outcome(op, nx, ny), None))
    if iop is not None and isinstance(gx, ga.Array):
        c, nc = gx.copy(), np.array(nx)
        got, w = outcome(iop, c, gy), outcome(iop, nc, ny)
        res.append((f"{name} in-place operator", "self", got, ("ok", nc) if w[0] == "ok" else w, c))
    res.append((f"np.{uf.__name__}", "numpy", outcome(uf, gx, gy), want, None))
    if gf is not None:
        res.append((f"ga.{gname}", "array", outcome(gf, gx, gy), want, None))
    if want[0] == "ok" and isinstance(want[1], np.ndarray):
        for ename, f in ((f"np.{uf.__name__} out=", uf), (f"ga.{gname} out=", gf)):
            if f is not None:
                o = ga.empty(want[1].shape, want[1].dtype)
                res.append((ename, "out", outcome(f, gx, gy, out=o), numpy_out(uf, want, nx, ny), o))
    return res


def check_binary(name, nx, ny, gx, gy, label, problems):
    """Every entry of name on (gx, gy) against numpy's on (nx, ny); each
    mismatch appended to problems as a line naming the case."""
    entries = [e for e in binary_entries(name, gx, gy, nx, ny) if not known(e[0], nx, ny)]
    check_entries(entries, label, problems, exact=exact_binary(name, nx, ny))


def _dtype(x):
    return np.asarray(x).dtype if isinstance(x, (np.ndarray, np.generic)) else None


def exact_binary(name, nx, ny):
    """Whether numpy's bytes are the contract for name on (nx, ny) in the
    sweeps (the exceptions have their own xfail tests below)."""
    kinds = {d.kind for d in (_dtype(nx), _dtype(ny)) if d is not None} | \
        {"c" for v in (nx, ny) if type(v) is complex}
    if name == "multiply" and "c" in kinds:
        return False
    if name == "true_divide" and "c" in kinds:
        return "nan"    # numpy 2.0's complex quotients give other NaN signs than later numpy's (and Go's)
    return True


def known(entry, nx, ny):
    """Mismatches pinned by the xfail tests below (kept out of the sweeps
    so that each shows once, with its statement)."""
    if entry.split()[0] in ("np.minimum", "np.maximum", "ga.minimum", "ga.maximum"):
        try:
            return np.result_type(nx, ny) == np.float16   # test_float16_minimum_maximum_signed_zeros
        except Exception:  # noqa: BLE001 - numpy's refusal: not a known case
            return False
    if entry == "multiply in-place operator" and isinstance(nx, np.ndarray) and not nx.flags.c_contiguous:
        try:   # test_complex_multiply_same_bytes_whatever_the_layout
            return np.result_type(nx, ny).kind == "c"
        except Exception:  # noqa: BLE001
            return False
    return False


def operand_pairs(da, db):
    """(label, nx, ny, gx, gy): the layouts and operand kinds."""
    s = 0
    res = []

    def add(label, xshape, yshape, fx=lambda v: v, fy=lambda v: v, kinds=("ga", "ga")):
        nonlocal s
        s += 1
        bx, by = values(xshape, da, s), values(yshape, db, s + 7)
        nx, ny = fx(bx), fy(by)
        gx = ga_view(bx, fx) if kinds[0] == "ga" else fx(bx.copy())
        gy = ga_view(by, fy) if kinds[1] == "ga" else fy(by.copy())
        res.append((f"{label} {da}x{db}", nx, ny, gx, gy))

    add("same shape", (4, 5), (4, 5))
    add("(3,1)x(1,4)", (3, 1), (1, 4))
    add("0-d", (), ())
    add("0-d x (5,)", (), (5,))
    add("(5,) x 0-d", (5,), ())
    add("empty", (0, 3), (3,))
    add("steps", (4, 10), (4, 5), fx=lambda v: v[:, ::2])
    add("transposed", (5, 4), (4, 5), fx=lambda v: v.T, fy=lambda v: v[::-1])
    add("ga x ndarray", (4, 5), (4, 5), kinds=("ga", "nd"))
    add("ndarray x ga", (4, 5), (4, 5), kinds=("nd", "ga"))
    add("ga x ndarray broadcast", (3, 1), (4,), kinds=("ga", "nd"))
    add("ndarray x ga broadcast", (2, 1, 3), (4, 1), kinds=("nd", "ga"))
    return res


def fail_on(problems):
    if problems:
        head = "\n".join(problems[:40])
        more = f"\n... and {len(problems) - 40} more" if len(problems) > 40 else ""
        pytest.fail(f"{len(problems)} mismatches:\n{head}{more}", pytrace=False)


@pytest.mark.parametrize("da", DTYPES)
@pytest.mark.parametrize("name", GO_BINARY)
def test_binary_entries_every_dtype_pair_and_layout(name, da):
    problems = []
    for db in DTYPES:
        for label, nx, ny, gx, gy in operand_pairs(da, db):
            check_binary(name, nx, ny, gx, gy, label, problems)
    fail_on(problems)


@pytest.mark.parametrize("da", DTYPES)
@pytest.mark.parametrize("name", [n for n in BINARY if n not in GO_BINARY])
def test_binary_entries_numpy_loops(name, da):
    """The operators numpy's loops serve (on views of goarray memory):
    every dtype pair, one shape, broadcast and 0-d."""
    problems = []
    for db in DTYPES:
        for label, nx, ny, gx, gy in operand_pairs(da, db)[:4]:
            check_binary(name, nx, ny, gx, gy, label, problems)
    fail_on(problems)


# ---- scalars ------------------------------------------------------------------------------

PY_SCALARS = [True, False, 0, 3, -1, 300, -129, 70000, 2**31, 2**63 - 1, 2**63, 2**64 - 1, 2**64, -2**63 - 1,
              1.5, -0.0, float("nan"), float("inf"), 1e300, 1e-320, 1 + 2j, complex(float("nan"), 1.0)]
NP_SCALARS = [np.bool_(True), np.int8(-5), np.uint8(200), np.int16(-300), np.uint16(60000), np.int32(7),
              np.uint32(4_000_000_000), np.int64(-2**62), np.uint64(2**64 - 1), np.float16(1.5),
              np.float32(-2.5), np.float64(np.nan), np.float64(1e300), np.complex64(1 - 1j),
              np.complex128(complex(np.inf, 1.0))]


@pytest.mark.parametrize("da", DTYPES)
@pytest.mark.parametrize("name", list(BINARY))
def test_binary_entries_with_scalars(name, da):
    """An array (of 1, 0 or several dimensions) and a Python or numpy
    scalar on either side, NEP 50 promotion included."""
    problems = []
    arrays = [("(2,3)", values((2, 3), da, 11)), ("0-d", values((), da, 12))]
    scalars = PY_SCALARS + NP_SCALARS if name in GO_BINARY else PY_SCALARS[::3] + NP_SCALARS[::2]
    for alabel, nx in arrays:
        gx = ga.asarray(nx)
        for s in scalars:
            label = f"{alabel} {da} and {type(s).__name__} {s!r}"
            check_binary(name, nx, s, gx, s, label + " (array left)", problems)
            check_binary(name, s, nx, s, gx, label + " (array right)", problems)
    fail_on(problems)


# ---- dtype=, casting= and out= of another dtype -----------------------------------------

def known_keywords(entry, nx, ny):
    """known(), and the complex64 product of these values (float32's
    largest value times an infinity: test_complex64_multiply_overflows_as_numpys)."""
    if entry.split()[0] in ("np.multiply", "ga.multiply") and _dtype(nx) == np.complex64 and \
            _dtype(ny) in (np.complex64, np.float16, np.float32):
        return True
    return known(entry, nx, ny)


KEYWORDS = [{"dtype": "int8"}, {"dtype": "float32"}, {"dtype": "complex128"}, {"dtype": "bool"},
            {"dtype": "float64", "casting": "unsafe"}, {"dtype": "int16", "casting": "unsafe"},
            {"casting": "no"}, {"casting": "safe"}, {"casting": "equiv"}]
OUT_DTYPES = ["int8", "uint16", "float32", "float64", "complex64", "bool"]
# the binary ufuncs with a Go kernel today (the others: numpy's loop)


@pytest.mark.parametrize("name", GO_BINARY)
def test_binary_keywords(name):
    """np.<ufunc>(a, b, **kw) and ga.<function>(a, b, **kw) with dtype= and
    casting=, and with out= of every other dtype (goarray's and numpy's
    out): numpy's answer or numpy's exception class, for every dtype pair."""
    uf, _, _, gname = BINARY[name]
    gf = getattr(ga, gname, None)
    problems = []
    for da in DTYPES:
        for db in DTYPES:
            nx, ny = values((2, 3), da, 31), values((2, 3), db, 32)
            gx, gy = ga.asarray(nx), ga.asarray(ny)
            for kw in KEYWORDS:
                want = outcome(uf, nx, ny, **kw)
                entries = [(f"np.{uf.__name__}", "numpy", outcome(uf, gx, gy, **kw), want, None)]
                if gf is not None:
                    entries.append((f"ga.{gname}", "array", outcome(gf, gx, gy, **kw), want, None))
                entries = [e for e in entries if not known_keywords(e[0], nx, ny)]
                check_entries(entries, f"{da}x{db} {kw}", problems, exact_binary(name, nx, ny))
            for dto in OUT_DTYPES:
                for casting in ("same_kind", "unsafe"):
                    want = outcome(uf, nx, ny, out=np.zeros((2, 3), dto), casting=casting)
                    entries = []
                    for ename, f in ((f"np.{uf.__name__}", uf), (f"ga.{gname}", gf)):
                        if f is None:
                            continue
                        o = ga.zeros((2, 3), dto)
                        entries.append((f"{ename} out=goarray {dto}", "out", outcome(f, gx, gy, out=o, casting=casting),
                                        want, o))
                        o = np.zeros((2, 3), dto)
                        entries.append((f"{ename} out=ndarray {dto}", "out", outcome(f, gx, gy, out=o, casting=casting),
                                        want, o))
                    entries = [e for e in entries if not known_keywords(e[0], nx, ny)]
                    check_entries(entries, f"{da}x{db} casting={casting}", problems, exact_binary(name, nx, ny))
    fail_on(problems)


# ---- mismatches found: each pinned by one statement --------------------------------------

def _bytes(x):
    return np.asarray(x).tobytes().hex()


@pytest.mark.parametrize("f", ["minimum", "maximum"])
def test_float16_minimum_maximum_signed_zeros(f):
    x, y = np.array([0.0, -0.0], np.float16), np.array([-0.0, 0.0], np.float16)
    want = getattr(np, f)(x, y)                               # [0.0, -0.0]
    assert _bytes(getattr(ga, f)(ga.asarray(x), ga.asarray(y))) == _bytes(want)
    assert _bytes(getattr(np, f)(ga.asarray(x), ga.asarray(y))) == _bytes(want)


def test_complex_multiply_gives_numpys_bytes():
    x, y = np.array([complex(1.5, -2.25)]), np.array([complex(3.1, 0.7)])
    assert _bytes(ga.asarray(x) * ga.asarray(y)) == _bytes(x * y)


def test_complex_multiply_nan_sign():
    x, y = np.array([complex(np.inf, -np.inf)]), np.array([np.nan])
    with np.errstate(all="ignore"):
        assert _bytes(ga.asarray(x) * ga.asarray(y)) == _bytes(x * y)


def test_complex_multiply_same_bytes_whatever_the_layout():
    x = ga.asarray(np.full((2, 2), complex(np.inf, -np.inf))).T
    y = ga.asarray(np.full((2, 2), np.nan))
    with np.errstate(all="ignore"):
        strided = x * y
        c = x.copy()
        c *= y
        want = np.asarray(x) * np.asarray(y)
    assert _bytes(c) == _bytes(strided) == _bytes(want)


def test_complex64_multiply_overflows_as_numpys():
    x = np.array([complex(-np.inf, 2.0)], np.complex64)
    y = np.array([complex(float(np.finfo(np.float32).max), 1.0)], np.complex64)
    with np.errstate(all="ignore"):
        assert _bytes(ga.asarray(x) * ga.asarray(y)) == _bytes(x * y)


_SPECIAL = [0.0, -0.0, 1.0, -2.5, np.inf, -np.inf, np.nan, -np.nan, 3.4028235e38, 1e-30, 1.5, 0.7]


@pytest.mark.parametrize("dt", ["complex64", "complex128"])
def test_complex_multiply_special_values_bytes(dt):
    """Every pair of special parts (signed zeros, infinities, NaNs of both
    signs, float32 overflow) and random finite values: numpy's bytes from
    the operator, in place, strided and np.multiply."""
    vals = [complex(a, b) for a in _SPECIAL for b in _SPECIAL]
    x = np.array([v for v in vals for _ in vals], dt)
    y = np.array([w for _ in vals for w in vals], dt)
    rng = np.random.default_rng(5)
    r = rng.standard_normal((2, 2, 3000)) * rng.choice([1.0, 1e15, 1e-15], (2, 1, 3000))
    x, y = np.concatenate([x, (r[0, 0] + 1j * r[0, 1]).astype(dt)]), np.concatenate([y, (r[1, 0] + 1j * r[1, 1]).astype(dt)])
    with np.errstate(all="ignore"):
        want = x * y
        gx, gy = ga.asarray(x), ga.asarray(y)
        assert _bytes(gx * gy) == _bytes(want)
        assert _bytes(np.multiply(gx, gy)) == _bytes(want)
        assert _bytes(ga.asarray(x[::-1]) * ga.asarray(y[::-1])) == _bytes(want[::-1])
        c = ga.asarray(x.copy())
        c *= gy
        assert _bytes(c) == _bytes(want)
        # a scalar operand: the bytes of the product with an array of it
        # (numpy's scalar-operand loops are compiled with other instruction
        # orders: where two NaNs meet, their NaN's sign differs from its
        # array loop's; the values agree)
        for s in (complex(np.inf, -np.inf), complex(1.5, -2.25), complex(np.nan, 0.0)):
            sv, full = np.array(s, dt)[()], np.full(x.shape, s, dt)
            assert _bytes(gx * sv) == _bytes(x * full)
            assert _bytes(sv * gx) == _bytes(full * x)
            np.testing.assert_array_equal(np.asarray(gx * sv), x * sv)
            np.testing.assert_array_equal(np.asarray(sv * gx), sv * x)


@pytest.mark.parametrize("dt", ["float16", "float32", "float64"])
@pytest.mark.parametrize("f", ["minimum", "maximum"])
def test_minimum_maximum_special_values_bytes(dt, f):
    """Signed zeros and NaNs of both signs in every order, arrays, strided
    views and scalars: numpy's bytes (float16: the first of two equal
    operands; float32/float64: the second; the first NaN)."""
    v = [0.0, -0.0, 1.0, -1.0, np.inf, -np.inf, np.nan, -np.nan]
    x = np.array([a for a in v for _ in v] * 40, dt)
    y = np.array([b for _ in v for b in v] * 40, dt)
    uf, gf = getattr(np, f), getattr(ga, f)
    want = uf(x, y)
    assert _bytes(gf(ga.asarray(x), ga.asarray(y))) == _bytes(want)
    assert _bytes(uf(ga.asarray(x), ga.asarray(y))) == _bytes(want)
    assert _bytes(gf(ga.asarray(x)[::2], ga.asarray(y)[::2])) == _bytes(want[::2])
    for s in v:
        sv = np.array(s, dt)[()]
        assert _bytes(gf(ga.asarray(x), sv)) == _bytes(uf(x, sv))
        assert _bytes(gf(sv, ga.asarray(x))) == _bytes(uf(sv, x))
        assert _bytes(gf(ga.asarray(x), s)) == _bytes(uf(x, s))


@pytest.mark.parametrize("call", ["less", "sin"])
def test_numpy_loop_with_ndarray_out_returns_out(call):
    g = ga.asarray(np.arange(3.0))
    if call == "less":
        o = np.zeros(3, bool)
        assert np.less(g, g, out=o) is o
    else:
        o = np.zeros(3)
        assert np.sin(g, out=o) is o
