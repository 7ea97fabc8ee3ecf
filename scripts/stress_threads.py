"""Thread stress: N threads run random operations on shared and private
goarray arrays at once, and every result is checked against numpy.

Operations: create, slice, export (memoryview, numpy.asarray, DLPack both
ways), resize, pickle (protocols 2, 4, 5 and out-of-band), kernels (binary,
reductions with threads=, unary, matmul, in place), copy/astype, item
assignment, and del. Shared arrays hold only two values (a constant and the
zeros a resize appends) so that readers can check them while other threads
resize and view them; private arrays are compared element for element with
a numpy twin. At the end: no thread died or hung, every failure is listed,
export counts are back to 0, and after gc the allocator holds the bytes it
held before the run and no Go handle is left.

    python scripts/stress_threads.py --threads 8 --seconds 120

prints operations per second, counts per operation and the failures, and
exits 1 on any failure. tests/test_stress_threads.py runs it for a few
seconds.
"""
import argparse
import faulthandler
import gc
import pickle
import random
import sys
import threading
import time
import traceback
import warnings

import numpy as np

import goarray as ga

BIG = 300_000   # elements: kernels on it release the GIL
DTYPES = ["float64", "float32", "int64", "int32", "uint8", "int16", "complex128", "bool"]


class Shared:
    """An array visible to every thread: all elements are VALUE or 0."""

    VALUE = 3

    def __init__(self, n):
        self.lock = threading.Lock()   # guards the slot, not the array
        # large ones run kernels without the GIL while other threads resize
        self.arrays = [ga.full(m, self.VALUE, dtype="int64") for m in (n, n, BIG, BIG)]

    def pick(self, rng):
        with self.lock:
            return self.arrays[rng.randrange(len(self.arrays))]

    def replace(self, rng, a):
        with self.lock:
            self.arrays[rng.randrange(len(self.arrays))] = a


def check_shared(v):
    """Every element of a view of a shared array is VALUE or 0."""
    n = np.asarray(v)
    bad = n[(n != Shared.VALUE) & (n != 0)]
    if bad.size:
        raise AssertionError(f"shared array holds {bad[:5]!r}, not only {Shared.VALUE} and 0")


def random_shape(rng, max_size=4000):
    nd = rng.randrange(0, 4)
    shape = []
    size = 1
    for _ in range(nd):
        d = rng.choice([0, 1, 2, 3, 5, 17, 64]) if rng.random() < 0.3 else rng.randrange(1, 40)
        if size * max(d, 1) > max_size:
            d = 1
        shape.append(d)
        size *= max(d, 1)
    return tuple(shape)


def random_key(rng, shape):
    key = []
    for d in shape:
        r = rng.random()
        if r < 0.2 and d:
            key.append(rng.randrange(-d, d))
        elif r < 0.6:
            start = rng.randrange(-d - 2, d + 3) if d else 0
            stop = rng.randrange(-d - 2, d + 3) if d else 0
            step = rng.choice([1, 2, 3, -1, -2, None])
            key.append(slice(start, stop, step))
        else:
            key.append(slice(None))
    if rng.random() < 0.2:
        key.insert(rng.randrange(len(key) + 1), None)
    if rng.random() < 0.1:
        key.append(Ellipsis)
    return tuple(key)


def new_private(rng):
    shape = random_shape(rng)
    dt = rng.choice(DTYPES)
    n = (np.arange(int(np.prod(shape, dtype=np.int64))) % 251).astype(dt).reshape(shape).copy()
    g = ga.array(n)
    return g, n


def same(g, n, what):
    v = np.asarray(g)
    if v.shape != n.shape or v.dtype != n.dtype or not np.array_equal(v, n, equal_nan=v.dtype.kind in "fc"):
        raise AssertionError(f"{what}: goarray {v.dtype}{v.shape} differs from numpy {n.dtype}{n.shape}")


# ---- the operations: each takes (rng, private, shared) -----------------------------

def op_create(rng, priv, shared):
    g, n = new_private(rng)
    same(g, n, "create")
    priv.append((g, n))


def op_slice(rng, priv, shared):
    if rng.random() < 0.5 and priv:
        g, n = rng.choice(priv)
        key = random_key(rng, n.shape)
        same(g[key], n[key], f"slice {key}")
        if isinstance(n[key], np.ndarray):   # a view of both, kept: later writes go to both
            priv.append((g[key], n[key]))
    else:
        a = shared.pick(rng)
        check_shared(a[rng.randrange(0, 5)::rng.randrange(1, 4)])


def op_memoryview(rng, priv, shared):
    a = shared.pick(rng) if rng.random() < 0.5 or not priv else rng.choice(priv)[0]
    with memoryview(a) as m:
        if m.ndim == 1 and m.format == "q":
            check_shared(m)
        m.tobytes()
        time.sleep(0)   # let other threads run while the export is live


def op_asarray(rng, priv, shared):
    if priv and rng.random() < 0.5:
        g, n = rng.choice(priv)
        same(np.asarray(g), n, "asarray")
    else:
        v = np.asarray(shared.pick(rng))
        check_shared(v)
        time.sleep(0)
        check_shared(v)


def op_dlpack(rng, priv, shared):
    if priv and rng.random() < 0.5:
        g, n = rng.choice(priv)
        if g.dtype == np.bool_ and np.lib.NumpyVersion(np.__version__) < "1.25.0":
            return
        try:
            t = np.from_dlpack(g)
        except BufferError:        # strides that are not whole elements cannot go out
            return
        same(t, n, "np.from_dlpack")
        same(ga.from_dlpack(n.copy()), n, "ga.from_dlpack")
    else:
        check_shared(np.from_dlpack(shared.pick(rng)))


def op_resize(rng, priv, shared):
    if rng.random() < 0.5:
        a = shared.pick(rng)
        try:
            a.resize(rng.randrange(0, 3000))
        except BufferError:        # a live export or view somewhere: refused, as numpy refuses
            return "resize_refused"
        check_shared(a)
        return "resize_shared"
    else:
        g, n = new_private(rng)
        new = random_shape(rng)
        g.resize(new)
        n.resize(new, refcheck=False)
        same(g, n, f"resize to {new}")
        priv.append((g, n))


def op_pickle(rng, priv, shared):
    if not priv:
        return
    g, n = rng.choice(priv)
    proto = rng.choice([2, 4, 5, "oob"])
    if proto == "oob":
        bufs = []
        r = pickle.loads(pickle.dumps(g, protocol=5, buffer_callback=bufs.append), buffers=bufs)
    else:
        r = pickle.loads(pickle.dumps(g, protocol=proto))
    same(r, n, f"pickle {proto}")


def op_kernel(rng, priv, shared):
    if not priv:
        return
    g, n = rng.choice(priv)
    k = rng.randrange(8)
    with np.errstate(all="ignore"):
        if k == 0:
            same(g + g, n + n, "add")
        elif k == 1 and n.dtype.kind in "fi":
            same(g * 2, n * 2, "mul scalar")
        elif k == 2 and n.dtype.kind in "fiu" and n.size:
            r, want = ga.sum(g, threads=2), n.sum()
            if n.dtype.kind == "f" and not np.isclose(r, want, rtol=1e-4):
                raise AssertionError(f"sum {r} != {want}")
            if n.dtype.kind in "iu" and r != want:
                raise AssertionError(f"sum {r} != {want}")
        elif k == 3 and n.dtype.kind == "f":
            np.testing.assert_allclose(np.asarray(np.sqrt(abs(g))), np.sqrt(abs(n)), rtol=1e-6)
        elif k == 4 and n.ndim == 2 and n.dtype.kind == "f":
            np.testing.assert_allclose(np.asarray(g @ g.T), n @ n.T, rtol=1e-4, atol=1e-3)
        elif k == 5:
            same(g.copy(), n, "copy")
            same(g.astype("float64"), n.astype("float64"), "astype")
        elif k == 6 and n.ndim and n.size and n.dtype.kind in "fiu":
            c, cn = g.copy(), n.copy()
            c += 1
            cn += 1
            same(c, cn, "iadd")
        elif k == 7 and n.size:
            a = shared.pick(rng)
            check_shared(np.asarray(a))
            if a.size:
                s = int(ga.sum(a[::2], threads=2))
                if s % Shared.VALUE:
                    raise AssertionError(f"sum of a shared view {s} is no multiple of {Shared.VALUE}")


def op_setitem(rng, priv, shared):
    if not priv:
        return
    g, n = rng.choice(priv)
    if not n.size or not n.ndim or not g.flags.writeable or not n.flags.writeable:
        return
    key = random_key(rng, n.shape)
    try:
        n[key] = 7
    except ValueError:
        return
    g[key] = 7
    same(g, n, f"setitem {key}")


def op_share(rng, priv, shared):
    """Publish a fresh shared array (the old one is dropped while others may use it)."""
    n = BIG if rng.random() < 0.3 else rng.randrange(0, 3000)
    shared.replace(rng, ga.full(n, Shared.VALUE, dtype="int64"))


def op_big_kernel(rng, priv, shared):
    """GIL-free kernels on a shared array while others export, view and resize it."""
    a = shared.pick(rng)
    k = rng.randrange(4)
    if k == 0:
        s = int(ga.sum(a, threads=2))
        if s % Shared.VALUE:
            raise AssertionError(f"sum of a shared array {s} is no multiple of {Shared.VALUE}")
    elif k == 1:
        r = np.asarray(a + a)
        bad = r[(r != 2 * Shared.VALUE) & (r != 0)]
        if bad.size:
            raise AssertionError(f"a + a of a shared array holds {bad[:5]!r}")
    elif k == 2:
        m = int(ga.max(a[::3], threads=2)) if a.size else 0
        if m not in (0, Shared.VALUE):
            raise AssertionError(f"max of a shared array is {m}")
    else:
        check_shared(np.multiply(a, 1))


def op_del(rng, priv, shared):
    for _ in range(min(len(priv), rng.randrange(1, 8))):
        priv.pop(rng.randrange(len(priv)))


OPS = [op_create, op_slice, op_memoryview, op_asarray, op_dlpack, op_resize, op_pickle, op_kernel,
       op_setitem, op_share, op_del, op_big_kernel]
WEIGHTS = [10, 14, 8, 8, 6, 6, 6, 14, 6, 2, 10, 4]


def worker(seed, shared, deadline, stats, failures, stop):
    warnings.simplefilter("ignore", np.exceptions.ComplexWarning)   # astype of complex, as numpy warns
    rng = random.Random(seed)
    priv = []
    counts = {}
    while time.monotonic() < deadline and not stop.is_set():
        op = rng.choices(OPS, WEIGHTS)[0]
        try:
            label = op(rng, priv, shared)
            if label:
                counts[label] = counts.get(label, 0) + 1
                continue
        except Exception as e:   # any failure is a finding: report with the seed
            failures.append(f"{op.__name__} (seed {seed}): {type(e).__name__}: {e}\n{traceback.format_exc(limit=4)}")
            if len(failures) > 50:
                stop.set()
        counts[op.__name__] = counts.get(op.__name__, 0) + 1
        if len(priv) > 60:
            del priv[:30]
    priv.clear()
    stats.append(counts)


def run(threads=8, seconds=5.0, seed=None, join_slack=60.0):
    """Run the stress; returns a dict: ops, seconds, ops_per_s, counts,
    failures, hung, exports_left, allocated_before/after, handles_before/after."""
    seed = random.randrange(2**32) if seed is None else seed
    gc.collect()
    allocated_before = ga._allocated_bytes()
    handles_before = ga._goarray._live_handles()
    shared = Shared(1000)
    stats, failures, stop = [], [], threading.Event()
    t0 = time.monotonic()
    deadline = t0 + seconds
    ts = [threading.Thread(target=worker, args=(seed + i, shared, deadline, stats, failures, stop), daemon=True)
          for i in range(threads)]
    for t in ts:
        t.start()
    for t in ts:
        t.join(max(0.0, deadline + join_slack - time.monotonic()))
    hung = [t.name for t in ts if t.is_alive()]
    elapsed = time.monotonic() - t0
    exports_left = [a._exports for a in shared.arrays]
    del shared
    gc.collect()
    counts = {}
    for c in stats:
        for k, v in c.items():
            counts[k] = counts.get(k, 0) + v
    ops = sum(v for k, v in counts.items() if k.startswith("op_")) + sum(
        v for k, v in counts.items() if k.startswith("resize_"))
    return {
        "seed": seed, "threads": threads, "ops": ops, "seconds": elapsed, "ops_per_s": ops / elapsed,
        "counts": counts, "failures": failures, "hung": hung, "exports_left": exports_left,
        "allocated_before": allocated_before, "allocated_after": ga._allocated_bytes(),
        "handles_before": handles_before, "handles_after": ga._goarray._live_handles(),
    }


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--threads", type=int, default=8)
    p.add_argument("--seconds", type=float, default=120.0)
    p.add_argument("--seed", type=int, default=None)
    args = p.parse_args()
    faulthandler.enable()
    faulthandler.dump_traceback_later(args.seconds + 120, exit=True)   # a deadlock prints every stack
    r = run(args.threads, args.seconds, args.seed)
    print(f"seed {r['seed']}: {r['ops']} operations in {r['seconds']:.1f} s on {r['threads']} threads "
          f"= {r['ops_per_s']:.0f} ops/s")
    print("  " + ", ".join(f"{k.removeprefix('op_')} {v}" for k, v in sorted(r["counts"].items())))
    print(f"  exports left {r['exports_left']}, allocated bytes {r['allocated_before']} -> "
          f"{r['allocated_after']}, live handles {r['handles_before']} -> {r['handles_after']}")
    for f in r["failures"]:
        print("FAILURE", f)
    bad = (r["failures"] or r["hung"] or any(r["exports_left"])
           or r["allocated_after"] != r["allocated_before"] or r["handles_after"] != r["handles_before"])
    print("FAILED" if bad else "ok: zero failures")
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
