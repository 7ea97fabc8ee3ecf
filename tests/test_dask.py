"""goarray arrays as dask.array chunks, against numpy: the local threaded
scheduler, and dask.distributed worker processes (started with spawn)
that receive and return goarray chunks by pickle protocol 5."""
import subprocess
import sys

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal

import goarray as ga

da = pytest.importorskip("dask.array")
dask = pytest.importorskip("dask")


@pytest.fixture(autouse=True)
def threaded():
    assert ga.register_dask() in (True, False)
    with dask.config.set(scheduler="threads"):
        yield


def data(shape=(40, 30), dtype="float64"):
    n = np.arange(np.prod(shape), dtype=dtype).reshape(shape) % 17 - 8
    g = ga.empty(shape, dtype)
    np.asarray(g)[...] = n
    return g, n


def test_import_goarray_does_not_import_dask():
    code = "import sys, goarray; print('dask' in sys.modules, 'dask.array' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False", "False"]


def test_registered_when_dask_array_is_imported_first():
    code = ("import dask.array, goarray, goarray._dask as d; print(d._registered); "
            "x = dask.array.from_array(goarray.arange(4.0), chunks=2); print(type(goarray.arange(4.0) + x).__module__)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert out[0] == "True" and out[1].startswith("dask.array")


def test_from_array_over_goarray_chunks():
    g, n = data()
    x = da.from_array(g, chunks=(16, 7))
    assert type(x._meta) is ga.Array and x._meta.size == 0         # zero-size meta from slicing
    for block in (x.blocks[0, 0], x.blocks[-1, -1]):
        assert type(block.compute()) is ga.Array
    assert type(x.compute()) is ga.Array
    assert_array_equal(np.asarray(x.compute()), n)
    for axis in (None, 0, 1, (0, 1), -1):
        for keepdims in (False, True):
            for red in ("sum", "mean", "min", "max", "prod", "std", "var", "any", "all"):
                got = getattr(x, red)(axis=axis, keepdims=keepdims).compute()
                want = getattr(n, red)(axis=axis, keepdims=keepdims)
                assert np.shape(got) == np.shape(want)
                if np.ndim(want):
                    assert type(got) is ga.Array
                assert_allclose(np.asarray(got), want, rtol=1e-12)
    assert_array_equal(np.asarray(x.argmax(axis=0).compute()), n.argmax(axis=0))


def test_concatenate_stack_and_slicing():
    g, n = data()
    x = da.from_array(g, chunks=(16, 7))
    for got, want in ((da.concatenate([x, x], axis=0), np.concatenate([n, n], axis=0)),
                      (da.concatenate([x, x[:, :5]], axis=1), np.concatenate([n, n[:, :5]], axis=1)),
                      (da.stack([x, x]), np.stack([n, n])),
                      (x[3:30:2, ::-3], n[3:30:2, ::-3]),
                      (x.T @ x, n.T @ n),
                      (x[x > 0], n[n > 0])):
        r = got.compute()
        assert type(r) is ga.Array
        assert_allclose(np.asarray(r), want)


def test_ufuncs_with_dtype_and_out():
    g, n = data()
    x = da.from_array(g, chunks=(16, 7))
    r = np.add(x, 1.5, dtype="float32")
    assert isinstance(r, da.Array) and r.dtype == np.float32
    got = r.compute()
    assert type(got) is ga.Array and got.dtype == np.float32
    assert_array_equal(np.asarray(got), np.add(n, 1.5, dtype="float32"))
    assert_allclose(np.asarray(np.sin(x).compute()), np.sin(n))
    y = da.zeros_like(x)
    np.multiply(x, 2, out=y)
    assert_array_equal(np.asarray(y.compute()), n * 2)
    assert_array_equal(np.asarray((g + x).compute()), n + n)     # dask wins over goarray


def test_map_blocks_with_go_kernels():
    g, n = data((400, 300))
    x = da.from_array(g, chunks=(100, 100))
    r = x.map_blocks(ga.sqrt, dtype=np.float64)
    got = r.compute()
    assert type(got) is ga.Array
    with np.errstate(invalid="ignore"):
        assert_allclose(np.asarray(got), np.sqrt(n), equal_nan=True)
    s = x.map_blocks(lambda b: ga.sum(b, axis=1, keepdims=True), chunks=(100, 1)).sum(axis=1)
    assert_allclose(np.asarray(s.compute()), n.sum(axis=1))
    assert_allclose(float(x.map_blocks(ga.multiply, x).sum().compute()), float((n * n).sum()))


@pytest.fixture(scope="module")
def cluster():
    distributed = pytest.importorskip("distributed")
    with dask.config.set({"distributed.worker.multiprocessing-method": "spawn"}):
        with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                      dashboard_address=None) as c:
            with distributed.Client(c) as client:
                yield client


def test_distributed_worker_processes(cluster):
    """Chunks cross process boundaries by pickle protocol 5 (goarray in the
    spawned workers too; the fork limitation does not bite)."""
    client = cluster
    g, n = data((400, 300))
    x = da.from_array(g, chunks=(100, 150))
    a = da.from_array(ga.abs(g), chunks=(100, 150))
    got = a.map_blocks(ga.sqrt, dtype=np.float64).sum(axis=0).compute(scheduler=client)
    assert type(got) is ga.Array
    assert_allclose(np.asarray(got), np.sqrt(np.abs(n)).sum(axis=0))
    y = (x + 1).compute(scheduler=client)
    assert type(y) is ga.Array
    assert_array_equal(np.asarray(y), n + 1)
    fut = client.submit(lambda a: (type(a).__module__, ga.sum(a)), g)
    mod, total = fut.result()
    assert mod == "goarray._array" and total == n.sum()
    back = client.submit(lambda a: a * 2, g).result()
    assert type(back) is ga.Array and back.dtype == g.dtype and back.shape == g.shape
    assert_array_equal(np.asarray(back), n * 2)
    pids = set(client.run(lambda: __import__("os").getpid()).values())
    assert len(pids) == 2 and __import__("os").getpid() not in pids
