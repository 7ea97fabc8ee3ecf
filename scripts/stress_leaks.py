"""Leak check: RSS, live Go handles and allocator bytes over many cycles of
each export and kernel kind, the error paths included.

Each scenario runs a warm-up round, then a measured round of N cycles; after
gc the live handle count and the allocator's bytes must be where they were
before the round, and RSS may grow by at most BOUND (2 MiB) per 1e5 cycles.

    python scripts/stress_leaks.py --cycles 1000000          # every scenario
    python scripts/stress_leaks.py --cycles 100000 dlpack_out pickle5

prints one line per scenario (RSS growth per 1e5 cycles, handles, bytes) and
exits 1 if any scenario is over the bound. tests/test_stress_leaks.py runs
each scenario for 1e5 cycles.
"""
import argparse
import gc
import os
import pickle
import sys
import time

import numpy as np

import goarray as ga

BOUND = 2 * 2**20   # bytes of RSS growth allowed per 1e5 cycles


def rss():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


_A = ga.arange(64.0).reshape(8, 8)
_B = ga.ones((8, 8))
_RO = ga.arange(16.0)
_RO.flags.writeable = False
_NP = np.arange(32.0)


def s_memoryview(i):
    with memoryview(_A) as m:
        m[0, 0]


def s_asarray(i):
    v = np.asarray(_A)
    v[0, 0] += 0


def s_array_interface(i):
    a = ga.zeros(4)
    a.__array_interface__["data"]


def s_from_buffer(i):
    g = ga.from_buffer(_NP)
    g[1:3]


def s_dlpack_out(i):
    np.from_dlpack(_A)


def s_dlpack_capsule_dropped(i):
    _A.__dlpack__()          # the capsule is never consumed


def s_dlpack_in(i):
    ga.from_dlpack(_NP)


def s_pickle5(i):
    bufs = []
    pickle.loads(pickle.dumps(_A, protocol=5, buffer_callback=bufs.append), buffers=bufs)


def s_pickle4(i):
    pickle.loads(pickle.dumps(_A[::2], protocol=4))


def s_views(i):
    v = _A[1:, ::2].T
    v.reshape(-1)
    _A.ravel()[3]


def s_create(i):
    ga.empty(i % 300, "u1")
    ga.zeros((3, 4), "f4")


def s_kernel_binary(i):
    _A + _B
    _A * 2.0


def s_kernel_reduce(i):
    _A.sum()
    ga.sum(_A, axis=0)
    _A.max()


def s_kernel_unary(i):
    np.sqrt(_A)
    ga.negative(_B)


def s_kernel_matmul(i):
    _A @ _B


def s_ufunc_out(i):
    np.add(_A, 1.0, out=_B)


def s_fancy_index(i):
    _A[[0, 3, 5]]
    _A[_A > 30.0]


def s_resize(i):
    a = ga.arange(10.0)
    a.resize(20)
    a.resize(3)


def s_error_kernel(i):
    try:
        _A + ga.ones(3)
    except ValueError:
        pass


def s_error_export(i):
    try:
        memoryview(_RO).cast("B")[0] = 1
    except TypeError:
        pass
    try:
        _RO[0] = 1.0
    except ValueError:
        pass


def s_error_resize(i):
    a = ga.arange(4.0)
    v = a[1:]
    try:
        a.resize(8)
    except BufferError:
        pass
    del v


def s_error_dlpack(i):
    try:
        _A.__dlpack__(stream=1)
    except (RuntimeError, BufferError, ValueError, TypeError):
        pass


SCENARIOS = {name[2:]: f for name, f in globals().items() if name.startswith("s_")}


def measure(name, cycles=100_000):
    """Run scenario name for a warm-up round and a measured round of cycles;
    returns (rss growth per 1e5 cycles, handles delta, allocated delta, seconds)."""
    f = SCENARIOS[name]
    warm = min(max(cycles // 10, 2000), 20_000)
    for i in range(warm):
        f(i)
    gc.collect()
    r0, h0, a0 = rss(), ga._goarray._live_handles(), ga._allocated_bytes()
    t = time.perf_counter()
    for i in range(cycles):
        f(i)
    seconds = time.perf_counter() - t
    gc.collect()
    r1, h1, a1 = rss(), ga._goarray._live_handles(), ga._allocated_bytes()
    return (r1 - r0) * 100_000 / cycles, h1 - h0, a1 - a0, seconds


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--cycles", type=int, default=1_000_000)
    p.add_argument("names", nargs="*", help="scenarios (default all): " + ", ".join(SCENARIOS))
    args = p.parse_args()
    bad = False
    for name in args.names or SCENARIOS:
        growth, dh, da, s = measure(name, args.cycles)
        over = growth > BOUND or dh or da
        bad |= bool(over)
        print(f"{name:24s} RSS {growth / 2**20:+7.3f} MiB per 1e5 cycles, handles {dh:+d}, bytes {da:+d}, "
              f"{args.cycles / s:9.0f} cycles/s {'OVER' if over else 'ok'}")
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
