"""fork(): the Go runtime does not survive it, so in a forked child every call
that enters Go raises RuntimeError pointing at 'spawn'/'forkserver' (never
hanging: a child that has not answered within CHILD_TIMEOUT fails the test;
how fast it answers is a row of scripts/bench_dispatch.py), while the buffer protocol of existing arrays keeps working;
multiprocessing with 'spawn' works."""
import json
import multiprocessing
import os
import select
import signal
import sys
import time

import numpy as np
import pytest

import goarray as ga

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")

CHILD_TIMEOUT = 10.0


def run_in_child(fn, *args):
    """Run fn(*args) in a forked child; return its JSON-able result.

    The child reports through a pipe and always leaves with os._exit; the
    parent kills it if it has not answered within CHILD_TIMEOUT seconds."""
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:  # child
        code = 1
        try:
            os.close(r)
            try:
                out = {"ok": fn(*args)}
            except BaseException as e:  # report, never propagate into pytest
                out = {"error": f"{type(e).__name__}: {e}"}
            data = json.dumps(out).encode()
            view = memoryview(data)
            while view:
                view = view[os.write(w, view):]
            code = 0
        finally:
            os._exit(code)
    os.close(w)
    chunks = []
    deadline = time.monotonic() + CHILD_TIMEOUT
    try:
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                os.kill(pid, signal.SIGKILL)
                pytest.fail(f"forked child did not finish within {CHILD_TIMEOUT} s")
            ready, _, _ = select.select([r], [], [], left)
            if not ready:
                continue
            chunk = os.read(r, 65536)
            if not chunk:
                break
            chunks.append(chunk)
    finally:
        os.close(r)
        for _ in range(int(CHILD_TIMEOUT * 10)):
            done, status = os.waitpid(pid, os.WNOHANG)
            if done:
                break
            time.sleep(0.1)
        else:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            pytest.fail("forked child did not exit")
    assert os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0, f"child died: status {status}"
    out = json.loads(b"".join(chunks))
    if "error" in out:
        pytest.fail(f"child raised {out['error']}")
    return out["ok"]


def _attempt(call):
    """(exception type name, message, seconds) of one call in the child."""
    t = time.monotonic()
    try:
        call()
    except BaseException as e:
        return [type(e).__name__, str(e), time.monotonic() - t]
    return ["no error", "", time.monotonic() - t]


def _go_calls(a):
    return {
        "zeros": lambda: ga.zeros(3),
        "empty": lambda: ga.empty((2, 2), "f4"),
        "ones": lambda: ga.ones(3),
        "full": lambda: ga.full(2, 1.5),
        "array": lambda: ga.array([1, 2, 3]),
        "arange": lambda: ga.arange(5),
        "slice": lambda: a[1:],
        "int-index": lambda: a[0],
        "ellipsis": lambda: a[...],
        "reshape": lambda: a.reshape(-1),
        "transpose": lambda: a.T,
        "view": lambda: a.view("u1"),
        "copy": lambda: a.copy(),
        "astype": lambda: a.astype("f4"),
        "fill": lambda: a.fill(2.0),
        "broadcast_to": lambda: ga.broadcast_to(a, (2, 2, 3)),
        "resize": lambda: a.resize((4, 4)),
        "writeable": lambda: setattr(a.flags, "writeable", False),
        "allocated": lambda: ga._allocated_bytes(),
        "go_version": lambda: ga.go_version(),
        "panic": lambda: ga._goarray._panic(),
        "check_request": lambda: ga._goarray._check_request(1, 0),
    }


def _child_go_calls():
    a = _child_go_calls.array
    return {name: _attempt(call) for name, call in _go_calls(a).items()}


def test_go_calls_in_forked_child_raise_quickly():
    a = ga.arange(6.0).reshape(2, 3).copy()
    _child_go_calls.array = a
    results = run_in_child(_child_go_calls)
    assert set(results) == set(_go_calls(a))
    for name, (exc, msg, _seconds) in results.items():
        assert exc == "RuntimeError", f"{name}: {exc}: {msg}"
        assert "spawn" in msg or "forkserver" in msg, f"{name}: {msg}"
    # the parent is unaffected
    assert not ga._goarray._forked()
    assert a.reshape(-1).tolist() == [0.0, 1.0, 2.0, 3.0, 4.0, 5.0]
    assert ga.zeros(2).tolist() == [0.0, 0.0]


def _child_reads_exports(state):
    a, v, big = state["a"], state["v"], state["big"]
    out = {"forked": ga._goarray._forked()}
    out["numpy_view"] = v.tolist()
    out["numpy_sum_big"] = float(big.sum())
    v[0, 0] = 42.0   # writes through an inherited numpy view work (child's copy of the pages)
    out["after_write"] = np.asarray(a)[0, 0].item()
    with memoryview(a) as m:
        out["memoryview"] = [m.shape, m.strides, m.format, m.tolist()]
    out["interface"] = list(a.__array_interface__["shape"])
    out["interface_data"] = a.__array_interface__["data"][0] == a._data
    out["asarray"] = np.asarray(a).tolist()
    out["exports"] = a._exports
    out["attrs"] = [list(a.shape), list(a.strides), str(a.dtype), a.flags.c_contiguous]
    out["repr"] = repr(a)
    out["tolist"] = a.tolist()
    # dropping arrays in the child must not enter Go either
    del state["a"], a
    import gc
    gc.collect()
    return out


def test_existing_arrays_and_numpy_views_work_in_child():
    a = ga.arange(6.0).reshape(2, 3).copy()
    big = ga.ones(300_000, "f8")
    state = {"a": a, "v": np.asarray(a), "big": np.asarray(big)}
    out = run_in_child(_child_reads_exports, state)
    assert out["forked"] is True
    assert out["numpy_view"] == [[0.0, 1.0, 2.0], [3.0, 4.0, 5.0]]
    assert out["numpy_sum_big"] == 300_000.0
    assert out["after_write"] == 42.0
    assert out["memoryview"] == [[2, 3], [24, 8], "d", [[42.0, 1.0, 2.0], [3.0, 4.0, 5.0]]]
    assert out["interface"] == [2, 3] and out["interface_data"]
    assert out["asarray"] == [[42.0, 1.0, 2.0], [3.0, 4.0, 5.0]]
    assert out["attrs"] == [[2, 3], [24, 8], "float64", True]
    assert out["repr"].startswith("ga.Array(")
    assert out["tolist"] == [[42.0, 1.0, 2.0], [3.0, 4.0, 5.0]]
    # the child's writes are its own
    assert a[0, 0] == 0.0


def _child_many_forks_in_a_row():
    return [_attempt(lambda: ga.zeros(1))[0] for _ in range(3)]


def test_repeated_forks():
    for _ in range(3):
        assert run_in_child(_child_many_forks_in_a_row) == ["RuntimeError"] * 3
        assert ga.zeros(3).tolist() == [0.0, 0.0, 0.0]


def spawn_worker(n):
    """Runs in a 'spawn' child: a fresh interpreter with its own Go runtime."""
    import numpy as np
    import goarray as ga
    a = ga.arange(n, dtype="int64").reshape(2, -1)
    v = np.asarray(a[:, ::2])
    a[0, 0] = 100
    b = a.T.copy()
    return [a.tolist(), v.tolist(), b.shape, ga._goarray._forked(), int(np.asarray(b).sum())]


def test_multiprocessing_spawn():
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(1) as pool:
        res = pool.apply_async(spawn_worker, (6,))
        a, v, bshape, forked, total = res.get(timeout=120)
    assert a == [[100, 1, 2], [3, 4, 5]]
    assert v == [[100, 2], [3, 5]]
    assert tuple(bshape) == (3, 2)
    assert forked is False
    assert total == 100 + 1 + 2 + 3 + 4 + 5


def test_fork_context_child_gets_runtime_error():
    """multiprocessing's 'fork' start method: the child is told to use spawn."""
    if sys.platform != "linux":
        pytest.skip("fork start method")
    ctx = multiprocessing.get_context("fork")
    q = ctx.SimpleQueue()
    p = ctx.Process(target=_fork_target, args=(q,))
    p.start()
    p.join(CHILD_TIMEOUT)
    if p.is_alive():
        p.kill()
        p.join()
        pytest.fail("fork child hung")
    exc, msg, _seconds = q.get()
    assert exc == "RuntimeError" and ("spawn" in msg or "forkserver" in msg)


def _fork_target(q):
    q.put(_attempt(lambda: ga.zeros(2)))
