"""Matrix products against numpy: goarray's dot and matmul on 1-D and 2-D
operands.

numpy 2 is the reference for shapes, result dtype, scalars, ``out=`` and
error messages. Values are compared with numpy's within the bound that any
summation order satisfies: each element of a product of inner size k may be
off by about k * eps * (|a| @ |b|) (eps of the result dtype), which is what
``assert_product`` allows (with a factor of 2 for numpy's own error).
Operands come as goarray arrays, numpy arrays and memoryviews, contiguous,
transposed, strided, reversed and broadcast (zero strides).

Float and complex products are numpy's own (its BLAS on zero-copy views),
so they are also compared bit for bit; integer products run in Go and
must equal numpy's exactly (wrapping sums) for every thread count; bool,
float16 and stacks of more than two dimensions are numpy's too.
tests/test_matmul_entries.py checks that every entry takes this route.
"""
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import goarray as ga
from goarray import _linalg

FUNCS = ["matmul", "dot"]
FLOATS = [np.dtype(np.float32), np.dtype(np.float64)]


def rand(shape, dtype, seed):
    return np.random.default_rng(seed).uniform(-1, 1, shape).astype(dtype)


def assert_product(got, a, b, dtype=None):
    """got is a @ b, to the accuracy of a sum of k products in dtype."""
    a, b = np.asarray(a), np.asarray(b)
    dt = np.dtype(dtype) if dtype is not None else np.result_type(a, b)
    want = np.matmul(a.astype(np.float64), b.astype(np.float64))
    scale = np.matmul(np.abs(a).astype(np.float64), np.abs(b).astype(np.float64))
    k = a.shape[-1]
    bound = 2 * (k + 2) * np.finfo(dt).eps * scale + np.finfo(dt).tiny
    g = np.asarray(got, dtype=np.float64)
    assert g.shape == want.shape
    bad = ~(np.abs(g - want) <= bound)
    assert not bad.any(), f"{bad.sum()} of {bad.size} elements off, e.g. {g[bad][:3]} vs {want[bad][:3]}"


def shapes_for(m, k, n):
    """The 1-D/2-D operand shapes of an (m, k) @ (k, n) product."""
    out = [((m, k), (k, n))]
    if n == 1:
        out.append(((m, k), (k,)))
    if m == 1:
        out.append(((k,), (k, n)))
    if m == 1 and n == 1:
        out.append(((k,), (k,)))
    return out


DIMS = [(1, 1, 1), (0, 3, 4), (3, 0, 4), (3, 4, 0), (1, 0, 1), (1, 5, 1), (2, 3, 2), (7, 5, 11),
        (13, 1, 17), (1, 9, 13), (13, 9, 1), (33, 65, 31), (5, 515, 7), (131, 70, 3), (2, 3, 3100),
        (1, 70000, 1), (300, 40, 1), (1, 40, 300)]
SHAPES = [s for d in DIMS for s in shapes_for(*d)]


def sid(shapes):
    return f"{shapes[0]}@{shapes[1]}".replace(" ", "")


# ---- values -------------------------------------------------------------

@pytest.mark.parametrize("func", FUNCS)
@pytest.mark.parametrize("dtype", FLOATS, ids=str)
@pytest.mark.parametrize("shapes", SHAPES, ids=sid)
def test_matches_numpy(func, dtype, shapes):
    a, b = rand(shapes[0], dtype, 1), rand(shapes[1], dtype, 2)
    want = getattr(np, func)(a, b)
    for x, y in [(ga.asarray(a), ga.asarray(b)), (a, b), (ga.asarray(a), b), (a, ga.asarray(b))]:
        got = getattr(_linalg, func)(x, y)
        if want.ndim == 0:
            assert type(got) is type(want)          # a numpy scalar of numpy's dtype
        else:
            assert isinstance(got, ga.Array)
            assert got.shape == want.shape and got.dtype == want.dtype
        assert_product(got, a, b)


def _layouts(x):
    """numpy views of x's values (same shape) in different memory layouts."""
    yield "C", np.ascontiguousarray(x)
    yield "F", np.asfortranarray(x)
    yield "T", np.ascontiguousarray(x.T).T
    big = np.zeros(tuple(2 * d + 1 for d in x.shape), x.dtype)
    view = big[tuple(slice(1, None, 2) for _ in x.shape)]
    view[...] = x
    yield "strided", view
    rev = np.ascontiguousarray(x[(slice(None, None, -1),) * x.ndim])
    yield "reversed", rev[(slice(None, None, -1),) * x.ndim]


@pytest.mark.parametrize("func", FUNCS)
@pytest.mark.parametrize("dtype", FLOATS, ids=str)
@pytest.mark.parametrize("shapes", [((7, 5), (5, 11)), ((130, 70), (70, 9)), ((6, 300), (300, 2)),
                                    ((40, 30), (30,)), ((30,), (30, 40)), ((30,), (30,))], ids=sid)
def test_layouts(func, dtype, shapes):
    a, b = rand(shapes[0], dtype, 3), rand(shapes[1], dtype, 4)
    for la, x in _layouts(a):
        for lb, y in _layouts(b):
            assert_product(getattr(_linalg, func)(x, y), a, b)
    # goarray views: transposed and stepped slices of Go-backed arrays
    gbig = ga.asarray(np.ascontiguousarray(np.repeat(np.repeat(a, 2, axis=0), 2, axis=-1)
                                           if a.ndim == 2 else np.repeat(a, 2)))
    gx = gbig[::2, ::-2][:, ::-1] if a.ndim == 2 else gbig[::2]
    assert_product(getattr(_linalg, func)(gx, ga.asarray(np.ascontiguousarray(b.T)).T), a, b)


@pytest.mark.parametrize("func", FUNCS)
def test_broadcast_and_buffer_operands(func):
    row = rand((30,), np.float64, 5)
    a = np.broadcast_to(row, (20, 30))               # zero row stride
    b = rand((30, 7), np.float64, 6)
    assert_product(getattr(_linalg, func)(a, b), a, b)
    assert_product(getattr(_linalg, func)(memoryview(np.ascontiguousarray(b.T)), memoryview(row)), b.T, row)


def same_bits(got, want):
    g = np.asarray(got)
    assert g.dtype == want.dtype and g.shape == want.shape
    assert g.tobytes() == np.ascontiguousarray(want).tobytes()


@pytest.mark.parametrize("func", FUNCS)
@pytest.mark.parametrize("dtype", FLOATS + [np.dtype(np.complex64), np.dtype(np.complex128)], ids=str)
def test_floats_are_numpys_bits(func, dtype):
    a, b = rand((151, 301), dtype, 7), rand((301, 173), dtype, 8)
    want = getattr(np, func)(a, b)
    for t in (1, 2, None):
        same_bits(getattr(_linalg, func)(ga.asarray(a), ga.asarray(b), threads=t), want)
    v = rand((100000,), dtype, 9)
    assert getattr(_linalg, func)(v, v) == getattr(np, func)(v, v)


@pytest.mark.parametrize("func", FUNCS)
@pytest.mark.parametrize("dtype", ["int8", "uint8", "int16", "uint32", "int64", "uint64"])
def test_integers_in_go_same_bits_for_every_thread_count(func, dtype):
    rng = np.random.default_rng(20)
    info = np.iinfo(dtype)
    a = rng.integers(info.min, info.max, (151, 301), dtype=dtype, endpoint=True)
    b = rng.integers(info.min, info.max, (301, 173), dtype=dtype, endpoint=True)
    want = getattr(np, func)(a, b)
    for t in (1, 2, 3, None):
        same_bits(getattr(_linalg, func)(a, ga.asarray(b), threads=t), want)
    same_bits(getattr(_linalg, func)(a.T[::2].T, b[::2]), getattr(np, func)(a.T[::2].T, b[::2]))
    v = rng.integers(info.min, info.max, 100000, dtype=dtype, endpoint=True)
    assert getattr(_linalg, func)(v, v, threads=1) == getattr(_linalg, func)(v, v, threads=2) == getattr(np, func)(v, v)


@given(m=st.integers(0, 9), k=st.integers(0, 9), n=st.integers(0, 9), la=st.integers(0, 4),
       lb=st.integers(0, 4), ranks=st.integers(0, 3), func=st.sampled_from(FUNCS),
       dtype=st.sampled_from(FLOATS), threads=st.sampled_from([1, 2]))
def test_random_shapes_and_layouts(m, k, n, la, lb, ranks, func, dtype, threads):
    sa = (m, k) if ranks & 1 else (k,)
    sb = (k, n) if ranks & 2 else (k,)
    a, b = rand(sa, dtype, m * 100 + k), rand(sb, dtype, n * 100 + k)
    x, y = list(_layouts(a))[la][1], list(_layouts(b))[lb][1]
    got = getattr(_linalg, func)(x, y, threads=threads)
    want = getattr(np, func)(a, b)
    assert np.asarray(got).shape == want.shape and np.asarray(got).dtype == want.dtype
    assert_product(got, a, b)


# ---- dtypes -------------------------------------------------------------

@pytest.mark.parametrize("func", FUNCS)
@pytest.mark.parametrize("da, db", [("float32", "float64"), ("int32", "float64"), ("int8", "float32"),
                                    ("bool", "float32"), ("int64", "float32"), ("uint16", "float32")])
def test_promotion_to_float(func, da, db):
    a = (np.arange(12).reshape(3, 4) % 3).astype(da)
    b = rand((4, 2), db, 10)
    want = getattr(np, func)(a, b)
    got = getattr(_linalg, func)(a, b)
    assert got.dtype == want.dtype
    assert_product(got, a, b, want.dtype)
    got = getattr(_linalg, func)(ga.asarray(b.T), ga.asarray(a.T))
    assert got.dtype == want.dtype


@pytest.mark.parametrize("func", FUNCS)
@pytest.mark.parametrize("da, db", [("int64", "int64"), ("int8", "uint8"), ("bool", "bool"),
                                    ("float16", "float16"), ("complex64", "float32"),
                                    ("complex128", "complex128"), ("float64", "complex64")])
def test_other_result_dtypes_match_numpy(func, da, db):
    for shape in ((2, 3), (30, 40)):
        a = (np.arange(np.prod(shape)).reshape(shape) % 7 - 2).astype(da)
        b = (np.arange(np.prod(shape)).reshape(shape).T % 5 - 1).astype(db)
        want = getattr(np, func)(a, b)
        got = getattr(_linalg, func)(ga.asarray(a), b)
        assert isinstance(got, ga.Array)
        same_bits(got, want)


# ---- shapes and errors ----------------------------------------------------

def builtin_class(e):
    """The builtin exception class of numpy's exception e (numpy's
    UFuncTypeError is a TypeError, and so on)."""
    return next(c for c in (TypeError, ValueError, type(e)) if isinstance(e, c))


def same_error(func, a, b, **kw):
    """goarray raises numpy's (builtin) exception class with numpy's message."""
    with pytest.raises(Exception) as want:
        getattr(np, func)(a, b, **kw)
    with pytest.raises(builtin_class(want.value)) as got:
        getattr(_linalg, func)(a, b, **kw)
    assert str(got.value) == str(want.value)


@pytest.mark.parametrize("func", FUNCS)
@pytest.mark.parametrize("sa, sb", [((2, 3), (4, 2)), ((2, 3), (4,)), ((4,), (2, 3)), ((3,), (4,)),
                                    ((0,), (1,)), ((2, 0), (1, 2))])
def test_shape_mismatch_message(func, sa, sb):
    same_error(func, np.ones(sa), np.ones(sb))
    with pytest.raises(ValueError):
        getattr(_linalg, func)(ga.ones(sa), ga.ones(sb))


@pytest.mark.parametrize("a, b", [(2.0, np.ones(3)), (np.ones(3), 2.0), (np.float64(2), np.ones((2, 2))),
                                  (np.ones((2, 2)), np.array(3.0))])
def test_matmul_refuses_scalars(a, b):
    same_error("matmul", a, b)


@pytest.mark.parametrize("func", FUNCS)
def test_more_than_two_dimensions_match_numpy(func):
    for sa, sb in (((2, 3, 4), (4, 2)), ((3,), (2, 3, 4)), ((2, 1, 3, 4), (5, 4, 2)), ((2, 3, 4), (2, 4, 5))):
        for dt in ("float64", "int32"):
            a, b = np.arange(np.prod(sa), dtype=dt).reshape(sa), np.arange(np.prod(sb), dtype=dt).reshape(sb) % 3
            try:
                want = getattr(np, func)(a, b)
            except ValueError:
                same_error(func, a, b)
                continue
            got = getattr(_linalg, func)(ga.asarray(a), b)
            assert isinstance(got, ga.Array)
            same_bits(got, want)


@pytest.mark.parametrize("a, b", [(2.0, np.ones(3, np.float32)), (np.arange(4, dtype=np.int8), 3),
                                  (np.float32(2), np.ones((2, 3))), (2.5, 4.0), (np.ones((2, 2)), np.array(3.0))])
def test_dot_with_a_scalar_multiplies(a, b):
    want = np.dot(a, b)
    got = _linalg.dot(a, b)
    assert np.asarray(got).dtype == want.dtype
    assert np.array_equal(np.asarray(got), want)
    if want.ndim == 0:
        assert type(got) is type(want)


def test_threads_must_be_positive():
    with pytest.raises(ValueError, match="threads must be at least 1"):
        _linalg.matmul(np.ones((2, 2)), np.ones((2, 2)), threads=0)


# ---- out= -------------------------------------------------------------------

@pytest.mark.parametrize("dtype", FLOATS, ids=str)
def test_matmul_out(dtype, no_leak):
    a, b = rand((5, 7), dtype, 11), rand((7, 3), dtype, 12)
    for out in [ga.empty((5, 3), dtype), np.empty((5, 3), dtype), np.empty((10, 9), dtype)[::2, ::-3],
                ga.empty((3, 5), dtype).T, (np.empty((5, 3), dtype),)]:
        r = _linalg.matmul(a, b, out=out)
        target = out[0] if isinstance(out, tuple) else out
        assert r is target
        assert_product(target, a, b)
    # casting with 'same_kind', into extra leading axes, into a 0-d array
    for odt in ("float32", "float64", "complex128"):
        out = np.empty((5, 3), odt)
        assert _linalg.matmul(a, b, out=out) is out
        assert np.allclose(out, np.matmul(a, b), rtol=1e-5, atol=1e-5)
    out = np.empty((2, 5, 3), dtype)
    _linalg.matmul(a, b, out=out)
    assert_product(out[0], a, b)
    assert_product(out[1], a, b)
    out0 = np.empty((), dtype)
    assert _linalg.matmul(a[0], b[:, 0], out=out0) is out0
    assert_product(out0, a[0], b[:, 0])


@pytest.mark.parametrize("out", [np.empty((5, 4)), np.empty((4,)), np.empty(()), np.empty((3, 3)),
                                 np.empty((2, 2), np.int64), (np.empty((2, 2)), np.empty((2, 2))),
                                 [[0.0, 0.0], [0.0, 0.0]]])
def test_matmul_out_errors(out):
    a, b = np.ones((2, 3)), np.ones((3, 2))
    with pytest.raises(Exception) as want:
        np.matmul(a, b, out=out)
    with pytest.raises(builtin_class(want.value)):
        _linalg.matmul(a, b, out=out)


def test_matmul_out_messages():
    a, b = np.ones((2, 3)), np.ones((3, 2))
    same_error("matmul", a, b, out=np.empty((2, 3)))
    same_error("matmul", a, b, out=np.empty((2, 2), np.int64))
    same_error("matmul", a, b, out=(np.empty((2, 2)), np.empty((2, 2))))
    ro = np.empty((2, 2))
    ro.flags.writeable = False
    same_error("matmul", a, b, out=ro)
    same_error("matmul", a, b, out=np.empty((2,)))


def test_dot_out():
    a, b = rand((5, 7), np.float64, 13), rand((7, 3), np.float64, 14)
    for out in [np.empty((5, 3)), ga.empty((5, 3))]:
        assert _linalg.dot(a, b, out=out) is out
        assert_product(out, a, b)
    v = rand((7,), np.float64, 15)
    out0 = np.empty(())
    r = _linalg.dot(v, v, out=out0)
    assert type(r) is np.float64 and r == out0[()]


@pytest.mark.parametrize("out", [np.empty((5, 4)), np.empty((5, 3), np.float32), np.empty((10, 3))[::2],
                                 np.empty((3, 5)).T, np.empty((15,)), (np.empty((5, 3)),), [[0.0] * 3] * 5])
def test_dot_out_messages(out):
    same_error("dot", rand((5, 7), np.float64, 16), rand((7, 3), np.float64, 17), out=out)


def test_dot_out_read_only():
    ro = np.empty((2, 2))
    ro.flags.writeable = False
    same_error("dot", np.ones((2, 3)), np.ones((3, 2)), out=ro)


@pytest.mark.parametrize("func", FUNCS)
def test_out_overlapping_an_input(func):
    for n in (1, 4, 37):
        a, b = rand((n, n), np.float64, 18), rand((n, n), np.float64, 19)
        want = np.matmul(a, b)
        for which in ("a", "b"):
            x, y = a.copy(), b.copy()
            out = x if which == "a" else y
            getattr(_linalg, func)(x, y, out=out)
            assert_product(out, a, b)
            assert np.allclose(out, want)
        g = ga.array(a)                                    # Go memory, seen through two buffers:
        getattr(_linalg, func)(g, np.asarray(g), out=g)    # a goarray array and a numpy view
        assert_product(g, a, a)
