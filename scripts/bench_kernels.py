"""Benchmark: goarray's Go kernels against numpy on the same data.

For float64 and float32 at 1e3, 1e5 and 1e7 elements (and 1e8 for sum, min and max), in
one process and one run, times goarray and numpy on the same memory (numpy
works on zero-copy views of the goarray arrays): sum, mean, var, min, max,
add, multiply (fresh result and out=), scale in place (``ga.scale(a, s)``
against ``a *= s``) and ``ga.sum`` of a numpy array; a 1000x1000 dot.
Functions goarray does not have (yet) are skipped with a note.

Also measured: the machine's copy bandwidth (``np.copyto`` of 1e8 float64,
bytes read + written), two Python threads each running a kernel with
``threads=1`` on its own array against one thread doing both (``ga.exp`` on
1e5 elements, compute-bound, which the target judges, and ``ga.sum`` on 1e7,
memory-bound, for information), and the per-call overhead at 1 element.

Each figure is the median per call over timeit repeats, taken in several
rounds over all rows so background load skews no row alone. Ratios are
numpy time / goarray time: above 1, goarray is faster. GB/s counts the bytes
an operation must move at least once (reductions: read n items; add,
multiply: read 2n, write n; scale: read n, write n).

Prints tables, machine information and a "targets" section (PASS/MISS/INFO).
It never asserts: a missed target is information, not a failure.

    python scripts/bench_kernels.py              # the full run (make bench), about 2 minutes
    python scripts/bench_kernels.py --quick      # smoke test: small sizes, few repeats
    python scripts/bench_kernels.py --markdown   # tables as Markdown, for the README
"""
import argparse
import gc
import os
import statistics
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import numpy as np  # noqa: E402

import goarray as ga  # noqa: E402
from _benchutil import Sampler, machine_info  # noqa: E402

SCALE_BY = 0.999999   # close to 1: repeated in-place scaling stays far from overflow and subnormals


def fmt_n(n):
    if n < 10:
        return str(n)
    exp = len(str(n)) - 1
    return f"1e{exp}" if n == 10**exp else str(n)


def fmt_time(seconds):
    if seconds is None:
        return "-"
    ns = seconds * 1e9
    if ns < 10_000:
        return f"{ns:.0f} ns"
    if ns < 10_000_000:
        return f"{ns / 1e3:.1f} us"
    return f"{ns / 1e6:.2f} ms"


# ---- the operations ------------------------------------------------------------

class Op:
    """One row kind: a goarray statement and numpy's, over the names
    g, h, o (goarray arrays) and x, y, z (numpy views of the same memory),
    with the bytes moved per element (in items) for GB/s."""

    def __init__(self, name, ga_stmt, np_stmt, items, ga_func=None, note=None):
        self.name, self.ga_stmt, self.np_stmt, self.items = name, ga_stmt, np_stmt, items
        self.ga_func = ga_func   # the goarray attribute the row needs
        self.note = note

    def available(self):
        return self.ga_func is None or hasattr(ga, self.ga_func)


OPS = [
    Op("sum", "ga.sum(g)", "np.sum(x)", 1, "sum"),
    Op("sum of a numpy array", "ga.sum(x)", "np.sum(x)", 1, "sum"),
    Op("mean", "ga.mean(g)", "np.mean(x)", 1, "mean"),
    Op("var", "ga.var(g)", "np.var(x)", 1, "var"),
    Op("min", "ga.min(g)", "np.min(x)", 1, "min"),
    Op("max", "ga.max(g)", "np.max(x)", 1, "max"),
    Op("add", "ga.add(g, h)", "np.add(x, y)", 3, "add"),
    Op("add out=", "ga.add(g, h, out=o)", "np.add(x, y, out=z)", 3, "add"),
    Op("multiply", "ga.multiply(g, h)", "np.multiply(x, y)", 3, "multiply"),
    Op("multiply out=", "ga.multiply(g, h, out=o)", "np.multiply(x, y, out=z)", 3, "multiply"),
    Op("scale in place", "ga.scale(g, s)", "x *= s", 2, "scale"),
]
BIG_OPS = {"sum", "min", "max"}   # also timed at 1e8 elements: past any cache
REDUCTIONS = ["sum", "mean", "min", "max"]
ELEMENTWISE = ["add", "multiply"]
DTYPES = ["float64", "float32"]


def make_arrays(n, dtype, rng):
    """goarray arrays g, h, o and numpy views x, y, z of the same memory."""
    g, h, o = ga.empty(n, dtype), ga.empty(n, dtype), ga.empty(n, dtype)
    x, y, z = np.asarray(g), np.asarray(h), np.asarray(o)
    x[...] = rng.standard_normal(n, dtype=np.float64 if dtype == "float64" else np.float32)
    y[...] = rng.standard_normal(n, dtype=np.float64 if dtype == "float64" else np.float32) + 3.0
    z[...] = 0
    return {"ga": ga, "np": np, "g": g, "h": h, "o": o, "x": x, "y": y, "z": z, "s": SCALE_BY}


def run_size(sampler, n, dtype, ops, repeat, rng):
    names = make_arrays(n, dtype, rng)
    for op in ops:
        if not op.available():
            continue
        sampler.sample(("ga", op.name, dtype, n), op.ga_stmt, names, repeat)
        sampler.sample(("np", op.name, dtype, n), op.np_stmt, names, repeat)
    names.clear()
    gc.collect()


def run_dot(sampler, size, repeat, rng):
    if not hasattr(ga, "dot"):
        return
    for dtype in DTYPES:
        a = ga.array(rng.standard_normal((size, size)).astype(dtype))
        b = ga.array(rng.standard_normal((size, size)).astype(dtype))
        names = {"ga": ga, "np": np, "g": a, "h": b, "x": np.asarray(a), "y": np.asarray(b)}
        sampler.sample(("ga", "dot", dtype, size), "ga.dot(g, h)", names, repeat)
        sampler.sample(("np", "dot", dtype, size), "np.dot(x, y)", names, repeat)


def copy_bandwidth(n, repeat):
    """GB/s of np.copyto between two n-element float64 arrays (read + write)."""
    src = np.ones(n)
    dst = np.empty(n)
    np.copyto(dst, src)     # fault the pages in
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        np.copyto(dst, src)
        times.append(time.perf_counter() - t)
    del src, dst
    gc.collect()
    return 2 * n * 8 / min(times) / 1e9, 2 * n * 8 / statistics.median(times) / 1e9


def two_threads(n, reps, per_rep, kernel=None):
    """Median seconds for per_rep kernel(a, threads=1) calls (default
    ga.sum) on each of two n-element float64 arrays: one thread doing both
    arrays' calls, and two threads doing one array's calls each
    (persistent threads, released by a barrier)."""
    kernel = kernel or ga.sum
    arrays = [ga.full(n, 0.5), ga.full(n, 0.25)]
    one, two = [], []
    for _ in range(reps):
        t = time.perf_counter()
        for _ in range(per_rep):
            kernel(arrays[0], threads=1)
            kernel(arrays[1], threads=1)
        one.append(time.perf_counter() - t)

    start, end = threading.Barrier(3), threading.Barrier(3)

    def worker(a):
        for _ in range(reps):
            start.wait()
            for _ in range(per_rep):
                kernel(a, threads=1)
            end.wait()

    workers = [threading.Thread(target=worker, args=(a,)) for a in arrays]
    for w in workers:
        w.start()
    for _ in range(reps):
        start.wait()
        t = time.perf_counter()
        end.wait()
        two.append(time.perf_counter() - t)
    for w in workers:
        w.join()
    del arrays
    gc.collect()
    return statistics.median(one), statistics.median(two)


def overhead(sampler, repeat):
    g = ga.ones(1)
    x = np.ones(1)
    names = {"ga": ga, "np": np, "g": g, "x": x}
    for key, stmt in [("ga.sum(goarray[1])", "ga.sum(g)"), ("ga.add(goarray[1], goarray[1])", "ga.add(g, g)"),
                      ("ga.sum(ndarray[1])", "ga.sum(x)"), ("ga.add(ndarray[1], ndarray[1])", "ga.add(x, x)"),
                      ("np.add(ndarray[1], ndarray[1])", "np.add(x, x)"), ("np.sum(ndarray[1])", "np.sum(x)")]:
        sampler.sample(("overhead", key), stmt, names, repeat)


OVERHEAD_ROWS = ["ga.sum(goarray[1])", "ga.add(goarray[1], goarray[1])", "ga.sum(ndarray[1])",
                 "ga.add(ndarray[1], ndarray[1])", "np.add(ndarray[1], ndarray[1])", "np.sum(ndarray[1])"]


# ---- printing ------------------------------------------------------------------

def kernel_rows(sampler, sizes, big):
    rows = []
    for op in OPS:
        if not op.available():
            continue
        for dtype in DTYPES:
            item = np.dtype(dtype).itemsize
            for n in sizes + ([big] if big and op.name in BIG_OPS else []):
                tg = sampler.median(("ga", op.name, dtype, n))
                tn = sampler.median(("np", op.name, dtype, n))
                if tg is None or tn is None:
                    continue
                gbs = (lambda t: op.items * n * item / t / 1e9) if n >= 100_000 else (lambda t: None)
                rows.append((op.name, dtype, fmt_n(n), tg, tn, tn / tg, gbs(tg), gbs(tn)))
    return rows


KERNEL_HEADER = ("operation", "dtype", "n", "goarray", "numpy", "numpy/goarray", "goarray GB/s", "numpy GB/s")


def print_table(header, rows, md, fmts, left=2):
    """rows under header, cell i formatted by fmts[i]; the first `left`
    columns are text (left-aligned), the rest numbers."""
    cells = [[f(v) for f, v in zip(fmts, r)] for r in rows]
    if md:
        print("| " + " | ".join(header) + " |")
        print("|" + "|".join(":--" if i < left else "--:" for i in range(len(header))) + "|")
        for c in cells:
            print("| " + " | ".join(c) + " |")
        return
    w = [max(len(h), *(len(c[i]) for c in cells)) if cells else len(h) for i, h in enumerate(header)]
    print("  ".join(h.ljust(w[i]) if i < left else h.rjust(w[i]) for i, h in enumerate(header)))
    print("-" * (sum(w) + 2 * (len(w) - 1)))
    for c in cells:
        print("  ".join(v.ljust(w[i]) if i < left else v.rjust(w[i]) for i, v in enumerate(c)))


def _s(v):
    return str(v)


def _ratio(v):
    return "-" if v is None else f"{v:.2f}x"


def _gbs(v):
    return "-" if v is None else f"{v:.1f}"


def targets(sampler, sizes, big, threads_result, compute_threads_result):
    """(verdict, description, detail) per target; PASS, MISS or SKIP."""
    out = []
    large = [n for n in sizes + ([big] if big else []) if n >= 10_000_000]

    def speedup(desc, op, dtype, n, limit):
        tg, tn = sampler.median(("ga", op, dtype, n)), sampler.median(("np", op, dtype, n))
        if tg is None or tn is None:
            return
        r = tn / tg
        out.append(("PASS" if r >= limit else "MISS", desc,
                    f"numpy {fmt_time(tn)} / goarray {fmt_time(tg)} = {r:.2f}x (target >= {limit}x)"))

    if not large:
        out.append(("SKIP", "memory-bound reductions >= 1.8x numpy at >= 1e7", "no size >= 1e7 measured (--quick)"))
        out.append(("SKIP", "elementwise add/multiply >= 1.5x numpy at >= 1e7", "no size >= 1e7 measured (--quick)"))
    for op in REDUCTIONS:
        if not hasattr(ga, op):
            out.append(("SKIP", f"{op} >= 1.8x numpy", f"ga.{op} does not exist"))
            continue
        for dtype in DTYPES:
            for n in large:
                speedup(f"{op} {dtype} n={fmt_n(n)} >= 1.8x numpy", op, dtype, n, 1.8)
    for op in ELEMENTWISE:
        for dtype in DTYPES:
            for n in large:
                if n in sizes:
                    speedup(f"{op} {dtype} n={fmt_n(n)} >= 1.5x numpy", op, dtype, n, 1.5)
    ref = sampler.median(("overhead", "np.add(ndarray[1], ndarray[1])"))
    t = sampler.median(("overhead", "ga.sum(goarray[1])"))
    out.append(("PASS" if t <= ref else "MISS", "per-call overhead: ga.sum(goarray[1]) no slower than np.add at 1 element",
                f"{fmt_time(t)} vs {fmt_time(ref)} = {t / ref:.2f}x (target <= 1.0x)"))
    t = sampler.median(("overhead", "ga.add(goarray[1], goarray[1])"))
    out.append(("INFO", "per-call cost of ga.add(goarray[1], goarray[1]), which makes a new array, against np.add",
                f"{fmt_time(t)} vs {fmt_time(ref)} = {t / ref:.2f}x"))
    n2, one, two = compute_threads_result
    sp = one / two
    out.append(("PASS" if sp >= 1.6 else "MISS",
                f"two Python threads, ga.exp(threads=1) on their own {fmt_n(n2)} array, vs one thread doing both",
                f"{fmt_time(one)} / {fmt_time(two)} = {sp:.2f}x speed-up (target >= 1.6x)"))
    n2, one, two = threads_result
    out.append(("INFO", f"the same with ga.sum on {fmt_n(n2)}-element arrays (memory-bound)",
                f"{fmt_time(one)} / {fmt_time(two)} = {one / two:.2f}x speed-up"))
    return out


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--quick", action="store_true", help="smoke test: sizes up to 1e5, few repeats, no 1e8")
    p.add_argument("--markdown", action="store_true", help="print the tables as Markdown")
    args = p.parse_args(argv)

    if args.quick:
        rounds, repeat, target_s = 1, 3, 0.005
        sizes, big, copy_n, dot_n, thread_n = [1_000, 100_000], None, 10_000_000, 200, 1_000_000
    else:
        rounds, repeat, target_s = 3, 5, 0.02
        sizes, big, copy_n, dot_n, thread_n = [1_000, 100_000, 10_000_000], 100_000_000, 100_000_000, 1000, \
            10_000_000
    started = time.perf_counter()
    before = ga._allocated_bytes()
    rng = np.random.default_rng(2024)
    sampler = Sampler(target_s)

    copy_best, copy_median = copy_bandwidth(copy_n, 3 if args.quick else 7)
    for _ in range(rounds):
        for dtype in DTYPES:
            for n in sizes:
                run_size(sampler, n, dtype, OPS, repeat, rng)
            if big:
                run_size(sampler, big, dtype, [op for op in OPS if op.name in BIG_OPS], repeat, rng)
        overhead(sampler, repeat)
    run_dot(sampler, dot_n, 3, rng)
    one, two = two_threads(thread_n, 5 if args.quick else 15, 3)
    # The same with a kernel whose speed one core sets (exp: a libm call per
    # element, on arrays that stay in each core's cache): what it measures
    # is whether the two threads' kernels overlap. The memory-bound sum
    # above also shares the machine's memory bandwidth between the threads.
    exp_n = 100_000
    one_c, two_c = two_threads(exp_n, 5 if args.quick else 15, 10, ga.exp)
    elapsed = time.perf_counter() - started
    gc.collect()
    outstanding = ga._allocated_bytes() - before

    md = args.markdown
    bullet = "- " if md else ""
    title = "goarray kernel benchmark" + (" (--quick)" if args.quick else "")
    print(f"## {title}\n" if md else f"{title}\n{'=' * len(title)}")
    for k, v in machine_info():
        print(f"- {k}: {v}" if md else f"{k + ':':<11}{v}")
    print(f"{bullet}goarray threads: {ga.get_num_threads()} (numpy's reductions and ufuncs: one thread)")
    print(f"{bullet}copy bandwidth: {copy_median:.1f} GB/s median, {copy_best:.1f} GB/s best "
          f"(np.copyto, {fmt_n(copy_n)} float64, bytes read + written)")
    print(f"{bullet}method: median of {rounds * repeat} timeit repeats of ~{target_s * 1e3:g} ms "
          f"({rounds} round{'s' if rounds > 1 else ''} over all rows); numpy runs on zero-copy views of the "
          f"same goarray arrays; ratio = numpy time / goarray time (above 1: goarray faster)")
    print()
    print("### kernels\n" if md else "kernels\n-------")
    rows = kernel_rows(sampler, sizes, big)
    print_table(KERNEL_HEADER, rows, md, [_s, _s, _s, fmt_time, fmt_time, _ratio, _gbs, _gbs])
    missing = [f"ga.{op.ga_func}" for op in OPS if not op.available()]
    if not hasattr(ga, "dot"):
        missing.append("ga.dot")
    for m in sorted(set(missing)):
        print(f"{bullet}{m} does not exist (yet): its rows are skipped")
    print(f"{bullet}\"sum of a numpy array\": ga.sum reading a numpy array's buffer (the foreign-buffer path)")
    print(f"{bullet}\"add\"/\"multiply\" allocate a fresh result per call (page faults included) in both libraries")
    print()
    if hasattr(ga, "dot"):
        print(f"### dot {dot_n}x{dot_n}\n" if md else f"dot {dot_n}x{dot_n}\n{'-' * (8 + 2 * len(str(dot_n)))}")
        drows = []
        for dtype in DTYPES:
            tg, tn = sampler.median(("ga", "dot", dtype, dot_n)), sampler.median(("np", "dot", dtype, dot_n))
            if tg is not None and tn is not None:
                gflops = 2 * dot_n**3 / 1e9
                drows.append((dtype, fmt_time(tg), fmt_time(tn), tn / tg, gflops / tg, gflops / tn))
        print_table(("dtype", "goarray", "numpy", "numpy/goarray", "goarray GFLOP/s", "numpy GFLOP/s"),
                    drows, md, [_s, _s, _s, _ratio, _gbs, _gbs], left=1)
        print()
    print("### per-call overhead, 1 element\n" if md else "per-call overhead, 1 element\n----------------------------")
    ref = sampler.median(("overhead", "np.add(ndarray[1], ndarray[1])"))
    orows = [(k, fmt_time(sampler.median(("overhead", k))), sampler.median(("overhead", k)) / ref)
             for k in OVERHEAD_ROWS]
    print_table(("call", "time", "time / np.add's"), orows, md, [_s, _s, _ratio], left=1)
    print()
    print("### two Python threads\n" if md else "two Python threads\n------------------")
    print(f"{bullet}ga.sum(threads=1), 3 calls on each of two {fmt_n(thread_n)} float64 arrays (memory-bound: "
          f"the threads share the memory bandwidth): one thread {fmt_time(one)}, two threads (one array each) "
          f"{fmt_time(two)}: speed-up {one / two:.2f}x")
    print(f"{bullet}ga.exp(threads=1), 10 calls on each of two {fmt_n(exp_n)} float64 arrays (compute-bound, "
          f"in cache): one thread {fmt_time(one_c)}, two threads {fmt_time(two_c)}: speed-up {one_c / two_c:.2f}x")
    print()
    print("### targets\n" if md else "targets\n-------")
    for verdict, desc, detail in targets(sampler, sizes, big, (thread_n, one, two), (exp_n, one_c, two_c)):
        print(f"- **{verdict}** {desc}: {detail}" if md else f"{verdict:<5} {desc}: {detail}")
    print()
    print(f"{bullet}goarray bytes still allocated after the run: {outstanding}")
    print(f"{bullet}measured in {elapsed:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
