"""Every entry of the matrix product takes one route and gives numpy's
result: ``a @ b``, ``ndarray @ a``, ``a @= b``, ``np.matmul`` (with and
without ``out=``), ``np.dot`` (with and without ``out=``), ``ga.matmul``,
``ga.dot`` and ``Array.dot`` give the same bytes, dtype and type as numpy's
matmul or dot on ndarrays of the same values, for every pair of the dtypes
goarray holds and 1-D, 2-D and stacked operands; and the product runs with
the GIL released, in BLAS (floats) and in Go (integers).
"""
import contextlib
import sys
import threading
import time

import numpy as np
import pytest

import goarray as ga

DTYPES = ["bool", "int8", "uint8", "int16", "uint16", "int32", "uint32", "int64", "uint64",
          "float16", "float32", "float64", "complex64", "complex128"]
SHAPES = [((3, 4), (4, 5)), ((4,), (4, 5)), ((3, 4), (4,)), ((4,), (4,)), ((40, 30), (30, 20)),
          ((2, 3, 4), (4, 5))]


def values(shape, dtype, seed):
    rng = np.random.default_rng(seed)
    dt = np.dtype(dtype)
    if dt.kind == "b":
        return rng.integers(0, 2, shape).astype(dt)
    if dt.kind in "iu":
        info = np.iinfo(dt)
        return rng.integers(info.min, info.max, shape, dtype=dt, endpoint=True)
    x = rng.uniform(-2, 2, shape)
    if dt.kind == "c":
        x = x + 1j * rng.uniform(-2, 2, shape)
    return x.astype(dt)


def same(got, want):
    """got is want: same type (goarray array for arrays, numpy's scalar type
    for scalars), dtype, shape and bytes."""
    if isinstance(want, np.ndarray):
        assert type(got) is ga.Array, type(got)
    else:
        assert type(got) is type(want), (type(got), type(want))
    g = np.asarray(got)
    assert g.dtype == want.dtype and g.shape == np.shape(want)
    assert g.tobytes() == np.ascontiguousarray(want).tobytes()


def entries(a, b):
    """(name, function of (ga_a, ga_b) -> result, numpy's function of
    (a, b)) for every entry of a product."""
    def into(f, shape, dtype):
        def run(x, y):
            out = ga.empty(shape, dtype)
            r = f(x, y, out=out)
            assert r is out
            return r
        return run

    mm, dt = np.matmul(a, b), np.dot(a, b)
    out = [("a @ b", lambda x, y: x @ y, np.matmul),
           ("ndarray @ a", lambda x, y: np.asarray(x) @ y, np.matmul),
           ("a @ ndarray", lambda x, y: x @ np.asarray(y), np.matmul),
           ("np.matmul", np.matmul, np.matmul),
           ("ga.matmul", ga.matmul, np.matmul),
           ("np.dot", np.dot, np.dot),
           ("ga.dot", ga.dot, np.dot),
           ("Array.dot", lambda x, y: x.dot(y), np.dot)]
    if mm.ndim > 0:
        out += [("np.matmul out=", into(np.matmul, mm.shape, mm.dtype), np.matmul),
                ("ga.matmul out=", into(ga.matmul, mm.shape, mm.dtype), np.matmul),
                ("np.dot out=", into(np.dot, dt.shape, dt.dtype), np.dot),
                ("Array.dot out=", into(lambda x, y, out: x.dot(y, out=out), dt.shape, dt.dtype), np.dot)]
    return out


@pytest.mark.parametrize("da", DTYPES)
@pytest.mark.parametrize("db", DTYPES)
@pytest.mark.parametrize("shapes", SHAPES, ids=lambda s: f"{s[0]}@{s[1]}".replace(" ", ""))
def test_every_entry_gives_numpys_bytes(da, db, shapes):
    a, b = values(shapes[0], da, 1), values(shapes[1], db, 2)
    for name, f, ref in entries(a, b):
        try:
            want = ref(a, b)
        except (TypeError, ValueError) as e:
            with pytest.raises(TypeError if isinstance(e, TypeError) else ValueError):
                f(ga.asarray(a), ga.asarray(b))
            continue
        got = f(ga.asarray(a), ga.asarray(b))
        try:
            same(got, want)
        except AssertionError as e:
            raise AssertionError(f"{name}: {e}") from None


@pytest.mark.parametrize("dtype", DTYPES)
def test_inplace_matmul(dtype):
    a, b = values((6, 6), dtype, 3), values((6, 6), dtype, 4)
    want = a.copy()
    try:
        want @= b
    except TypeError as e:
        with pytest.raises(TypeError):
            x = ga.asarray(a)
            x @= ga.asarray(b)
        return
    x = ga.asarray(a)
    before = x
    x @= ga.asarray(b)
    assert x is before
    same(x, want)
    with pytest.raises(ValueError):
        y = ga.asarray(values((6, 6), dtype, 5))
        y @= ga.asarray(values((6, 3), dtype, 6))


@contextlib.contextmanager
def gil_handed_over_only_when_released(seconds=20.0):
    """No forced GIL switches: a thread keeps the GIL until it releases it."""
    old = sys.getswitchinterval()
    sys.setswitchinterval(seconds)
    try:
        yield
    finally:
        sys.setswitchinterval(old)


@pytest.mark.parametrize("dtype", ["float64", "float32", "complex128", "int64", "int32"])
@pytest.mark.parametrize("entry", ["a @ b", "np.dot", "ga.matmul"])
def test_product_releases_the_gil(dtype, entry):
    n = 400 if np.dtype(dtype).kind in "fc" else 300
    a, b = ga.asarray(values((n, n), dtype, 7)), ga.asarray(values((n, n), dtype, 8))
    f = {"a @ b": lambda: a @ b, "np.dot": lambda: np.dot(a, b), "ga.matmul": lambda: ga.matmul(a, b)}[entry]
    counter, stop, seen = [0], threading.Event(), {}

    def spin():
        while not stop.is_set():
            counter[0] += 1
            time.sleep(0.0002)   # without the GIL: the product's thread gets it back at once

    def work():
        for _ in range(20):
            before = counter[0]    # read with the GIL held, which only the product can let go of
            r = f()
            if counter[0] > before:
                seen["advanced"] = True
                break
        seen["result"] = r

    with gil_handed_over_only_when_released():
        spinner = threading.Thread(target=spin)
        spinner.start()
        try:
            while counter[0] == 0:
                time.sleep(0.001)
            worker = threading.Thread(target=work)
            worker.start()
            worker.join()
        finally:
            stop.set()
            spinner.join()
    same(seen["result"], np.matmul(np.asarray(a), np.asarray(b)))
    assert seen.get("advanced"), "a pure-Python thread did not run during the product: the GIL was held"
