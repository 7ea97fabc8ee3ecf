"""Leaks: creating and dropping 1e5 arrays, with and without live views
(memoryview, numpy, goarray views), leaves RSS flat after a warm-up round and
ga._allocated_bytes() back at its baseline."""
import gc
import os
import time

import numpy as np
import pytest

import goarray as ga

N = 100_000
ROUNDS = 2                 # measured rounds after the warm-up round
RSS_SLACK = 8 * 2**20      # bytes; a 40-byte leak per array would be 8 MB over 2e5 arrays


def rss():
    try:
        import psutil
        return psutil.Process().memory_info().rss
    except ImportError:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def plain(i):
    a = ga.zeros(16)
    return a


def with_memoryview(i):
    a = ga.empty((4, 4), "f4")
    m = memoryview(a)
    m.release()
    with memoryview(a) as m2:
        m2.nbytes


def with_numpy(i):
    a = ga.zeros(8, "i8")
    v = np.asarray(a)
    v[1] = i
    return v[1:]


def with_goarray_views(i):
    a = ga.ones((3, 4), "u2")
    v = a[1:, ::-1]
    w = v.T
    r = a.reshape(-1)
    return w, r


def mixed_sizes(i):
    if i % 100 == 0:
        a = ga.empty(200_000, "u1")        # the mmap tier
    else:
        a = ga.empty(i % 5000, "u1")       # slab classes up to 8 KiB
    return np.asarray(a), a[::2]


def kept_alive_then_dropped(i):
    # views outliving their array, released in batches
    kept = kept_alive_then_dropped.kept
    a = ga.arange(8.0)
    kept.append(np.asarray(a[2:]))
    kept.append(a[::3])
    if len(kept) >= 2000:
        kept.clear()


kept_alive_then_dropped.kept = []

WORKLOADS = [plain, with_memoryview, with_numpy, with_goarray_views, mixed_sizes, kept_alive_then_dropped]


def run(workload, n=N):
    for i in range(n):
        workload(i)
    if workload is kept_alive_then_dropped:
        kept_alive_then_dropped.kept.clear()


@pytest.mark.parametrize("workload", WORKLOADS, ids=[w.__name__ for w in WORKLOADS])
def test_no_leak(workload):
    gc.collect()
    base_alloc = ga._allocated_bytes()
    run(workload)                      # warm-up: pools, caches, free lists
    gc.collect()
    assert ga._allocated_bytes() == base_alloc
    warm = rss()
    for _ in range(ROUNDS):
        run(workload)
    gc.collect()
    grown = rss() - warm
    assert ga._allocated_bytes() == base_alloc
    assert grown < RSS_SLACK, f"RSS grew by {grown / 2**20:.1f} MiB over {ROUNDS * N} arrays"


def test_large_arrays_return_memory():
    """Big arrays come from their own mappings and go back to the OS."""
    gc.collect()
    base_alloc = ga._allocated_bytes()
    for _ in range(3):
        a = ga.ones(16 * 2**20, "u1")   # 16 MiB, touched
        del a
    warm = rss()
    for _ in range(20):
        a = ga.ones(16 * 2**20, "u1")
        v = np.asarray(a)
        del a, v
    gc.collect()
    assert rss() - warm < 32 * 2**20
    assert ga._allocated_bytes() == base_alloc


def test_large_kernel_results_are_reused_then_returned():
    """A freed large result is kept for the next result of its size (no
    page faults in a loop of ``c = a + b``), and goes back to the OS once
    it has been idle for about a second."""
    a = ga.ones(8 * 2**20, "u1")      # 8 MiB operands: above the small-block cache
    c = ga.add(a, a)
    addr = c._data
    del c
    c = ga.add(a, a)
    assert c._data == addr            # the freed mapping came back
    assert np.asarray(c)[::4096].tolist() == [2] * (8 * 2**20 // 4096)
    del c
    gc.collect()
    held = rss()                      # the freed result is still mapped, for reuse
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and rss() > held - 6 * 2**20:
        time.sleep(0.05)
    assert rss() <= held - 6 * 2**20, "an idle freed 8 MiB result was not unmapped"
    assert ga._allocated_bytes() >= 8 * 2**20   # a is still live
