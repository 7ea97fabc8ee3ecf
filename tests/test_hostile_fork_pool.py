"""multiprocessing Pools with the fork start method (Linux's default up to
Python 3.13), given goarray arguments and returning goarray results.

A forked worker cannot run Go, and a Pool whose worker fails to unpickle a
task loses it and waits forever; so arrays unpickled in a forked child are
rebuilt without Go as goarray._forked.ForkedArray, whose work numpy does.
Every wait here has a timeout and every pool is terminated, so a regression
fails instead of hanging the suite."""
import contextlib
import multiprocessing as mp
import os
import pickle
import sys

import numpy as np
import pytest

import goarray as ga
from goarray._forked import ForkedArray
from test_fork import run_in_child

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="fork start method")

TIMEOUT = 60


@contextlib.contextmanager
def pool(method=None, n=2):
    p = (mp.get_context(method) if method else mp).Pool(n)
    try:
        yield p
    finally:
        p.terminate()
        p.join()


def double(x):
    return x * 2


def describe(x):
    v = np.asarray(x)
    return [type(x).__name__, isinstance(x, ga.Array), v.shape, str(v.dtype), v.tolist(), x.flags.writeable]


def combine(x, y):
    return np.add(x, y).sum(axis=0)


def go_function(x):
    return ga.sum(x)


def numpy_rules(x):
    """Many operations a task might run, as [name, value] pairs."""
    n = np.array(x)
    out = []
    for name, f in [
        ("sum", lambda a: a.sum()), ("mean0", lambda a: a.mean(axis=0)), ("slice", lambda a: a[1:, ::-1]),
        ("T", lambda a: a.T), ("reshape", lambda a: a.reshape(-1)), ("ravel", lambda a: a.ravel("F")),
        ("add", lambda a: a + 1.5), ("rsub", lambda a: 2 - a), ("mul", lambda a: a * a), ("neg", lambda a: -a),
        ("cmp", lambda a: a > 2), ("sin", np.sin), ("np.sum", lambda a: np.sum(a, axis=1)),
        ("concat", lambda a: np.concatenate([a, a])), ("matmul", lambda a: a @ a.T), ("astype", lambda a: a.astype("f4")),
        ("copy", lambda a: a.copy()), ("where", lambda a: np.where(a > 2, a, 0)), ("fancy", lambda a: a[[1, 0]]),
        ("bool", lambda a: a[a > 2]), ("iter", lambda a: [r.tolist() for r in a]), ("max", lambda a: a.max()),
        ("argmax", lambda a: a.argmax()), ("clip", lambda a: a.clip(1, 3)), ("std", lambda a: a.std()),
    ]:
        r = f(x)
        want = f(n)
        if isinstance(want, np.ndarray):
            assert isinstance(r, ga.Array), (name, type(r))
            out.append([name, np.asarray(r).tolist() == want.tolist() and np.asarray(r).dtype == want.dtype])
        else:
            out.append([name, bool(np.all(np.asarray(r) == np.asarray(want)))])
    y, yn = x.copy(), n.copy()
    y0 = y
    for v in (y, yn):
        v += 1
        v[0, 0] = 100
        r = np.multiply(v, 2, out=v)
    out.append(["inplace", y is y0 and r is yn and np.asarray(y).tolist() == yn.tolist()])
    return out


# ---- plain Pool (default start method) ---------------------------------------

def test_plain_pool_map_np_sum_returns():
    """The issue's reproducer: it hung before."""
    a = ga.arange(1e5)
    ga.sum(a, threads=2)
    with pool() as p:
        got = p.map_async(np.sum, [a, a[::3]]).get(timeout=TIMEOUT)
    assert got == [np.sum(np.arange(1e5)), np.sum(np.arange(1e5)[::3])]


def test_fork_pool_imap_starmap_and_goarray_results():
    a = ga.arange(12.0).reshape(3, 4)
    with pool("fork") as p:
        doubled = p.map_async(double, [a, a[:, ::2], ga.arange(5, dtype="int16")]).get(timeout=TIMEOUT)
        it = p.imap(double, [a.T, ga.ones(3, dtype="complex64")], chunksize=1)
        imapped = [it.next(timeout=TIMEOUT) for _ in range(2)]
        it = p.imap_unordered(np.sum, [a, a.T], chunksize=1)
        sums = sorted(it.next(timeout=TIMEOUT) for _ in range(2))
        starred = p.starmap_async(combine, [(a, ga.ones(4)), (a.T, ga.arange(3.0))]).get(timeout=TIMEOUT)
    n = np.arange(12.0).reshape(3, 4)
    for got, want in zip(doubled + imapped + starred,
                         [n * 2, n[:, ::2] * 2, np.arange(5, dtype="int16") * 2, n.T * 2,
                          np.ones(3, "complex64") * 2, (n + 1).sum(axis=0), (n.T + np.arange(3.0)).sum(axis=0)]):
        # results come back as ordinary Go-backed arrays
        assert type(got) is ga.Array
        assert got.dtype == want.dtype and got.tolist() == want.tolist()
        assert (got + 1).tolist() == (want + 1).tolist()
    assert sums == [n.sum(), n.sum()]


@pytest.mark.parametrize("protocol", [2, 4, 5])
def test_forked_worker_sees_goarray_arrays(protocol):
    arrays = [ga.arange(6.0).reshape(2, 3), ga.arange(6.0).reshape(2, 3).T, ga.arange(8, dtype="u1")[::2]]
    ro = ga.arange(3.0)
    ro.flags.writeable = False
    arrays.append(ro)

    def roundtrip(x):
        return pickle.loads(pickle.dumps(x, protocol=protocol))

    results = run_in_child(lambda: [describe(roundtrip(x)) for x in arrays])
    for x, (tname, is_array, shape, dtype, values, writeable) in zip(arrays, results):
        assert tname == "ForkedArray" and is_array
        assert tuple(shape) == x.shape and dtype == str(x.dtype) and values == x.tolist()
        assert writeable == x.flags.writeable


def test_forked_worker_out_of_band_buffers():
    a = ga.arange(12.0).reshape(3, 4)

    def child():
        bufs = []
        data = pickle.dumps(a, protocol=5, buffer_callback=bufs.append)
        b = pickle.loads(data, buffers=bufs)
        b[0, 0] = -1          # a view of the buffer, as in the parent
        return [type(b).__name__, np.asarray(b).tolist(), a[0, 0].item()]

    tname, values, a00 = run_in_child(child)
    assert tname == "ForkedArray"
    assert values[0][0] == -1 and a00 == -1     # the out-of-band buffer is a's memory (the child's copy)
    assert a[0, 0] == 0                          # the parent's array is untouched


def test_numpy_answers_in_forked_worker():
    a = ga.arange(6.0).reshape(2, 3)
    with pool("fork") as p:
        (results,) = p.map_async(numpy_rules, [a]).get(timeout=TIMEOUT)
    bad = [name for name, ok in results if not ok]
    assert not bad, bad


def test_go_only_calls_in_worker_are_reported_not_hung():
    """goarray's own functions need Go: the worker raises the fork
    RuntimeError, and the Pool reports it to the parent; the pool lives on."""
    a = ga.arange(4.0)
    with pool("fork") as p:
        with pytest.raises(RuntimeError, match="fork"):
            p.map_async(go_function, [a]).get(timeout=TIMEOUT)
        assert p.map_async(np.sum, [a]).get(timeout=TIMEOUT) == [6.0]


def test_forked_array_resize_refused_in_child():
    a = ga.arange(4.0)

    def child():
        b = pickle.loads(pickle.dumps(a, protocol=4))
        try:
            b.resize(8)
        except RuntimeError as e:
            return str(e)
        return "no error"

    assert "fork" in run_in_child(child)


def test_forked_wrap_refused_in_parent():
    with pytest.raises(RuntimeError, match="fork"):
        ga._goarray._forked_wrap(np.zeros(3), 12, 8)
    assert not isinstance(pickle.loads(pickle.dumps(ga.zeros(2))), ForkedArray)


def test_spawn_pool_unchanged():
    a = ga.arange(6.0)
    with pool("spawn", 1) as p:
        got = p.map_async(np.sum, [a]).get(timeout=120)
    assert got == [15.0]
