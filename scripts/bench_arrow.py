"""Benchmark: the Arrow PyCapsule interface, goarray to Arrow consumers and back.

Measures, in one process and one run, side by side:

- ``polars.Series(g)`` for a goarray float64 array beside
  ``polars.Series(ndarray)`` (polars' own zero-copy numpy path), at 1e3 and
  1e8 elements; target: within 2x of numpy's at both sizes (constant time);
- ``ga.from_arrow(pa_array)`` for 1e8 float64 elements beside
  ``ga.from_dlpack`` of the same pyarrow array and of a numpy array; target:
  at most 2 us, no copy (checked by address);
- a duckdb ``select sum(value)`` over a 1e7 float64 goarray array beside the
  same query over a numpy array (``column0``); target: within 1.5x.

The numpy array of each size is a view of the goarray array's memory, and the
pyarrow array a zero-copy export of it, so one block of each size is alive
at a time (1e8 float64 is 800 MB, freed before the next size). Each figure
is the median per call over several rounds of timeit repeats interleaved
over all rows; the spread (min-max of the per-round medians) is printed.

Prints a table, machine information and a "targets" section (PASS/MISS).
It never asserts: a missed target is information, not a failure.

    python scripts/bench_arrow.py              # the full run (make bench)
    python scripts/bench_arrow.py --quick      # smoke test: 1e6 instead of 1e8, fewer repeats
"""
import argparse
import gc
import os
import statistics
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import numpy as np  # noqa: E402

import goarray as ga  # noqa: E402
from _benchutil import Sampler, machine_info  # noqa: E402


def fmt_n(n):
    exp = len(str(n)) - 1
    return f"1e{exp}" if n == 10**exp else str(n)


class Rows:
    """Keyed statements sampled round-robin; medians and spread per key."""

    def __init__(self, repeat, rounds, target_s):
        self.repeat, self.rounds = repeat, rounds
        self.sampler = Sampler(target_s)
        self.rounds_medians = {}

    def run(self, rows):
        for _ in range(self.rounds):
            for key, stmt, names in rows:
                before = len(self.sampler.samples.get(key, []))
                self.sampler.sample(key, stmt, names, self.repeat)
                got = self.sampler.samples[key][before:]
                self.rounds_medians.setdefault(key, []).append(statistics.median(got))

    def ns(self, key):
        s = self.sampler.median(key)
        return None if s is None else s * 1e9

    def spread(self, key):
        m = self.rounds_medians.get(key) or [0]
        return min(m) * 1e9, max(m) * 1e9


def fmt_ns(v):
    if v is None:
        return "-"
    if v >= 1e6:
        return f"{v / 1e6:.2f} ms"
    if v >= 1e3:
        return f"{v / 1e3:.2f} us"
    return f"{v:.0f} ns"


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--quick", action="store_true", help="1e6 instead of 1e8, fewer repeats")
    args = p.parse_args()
    try:
        import duckdb
        import polars as pl
        import pyarrow as pa
    except ImportError as e:
        print(f"bench_arrow: skipped ({e}); pip install 'goarray[test]' for pyarrow, polars and duckdb")
        return 0
    big = 10**6 if args.quick else 10**8
    sql_n = 10**6 if args.quick else 10**7
    b = Rows(repeat=5 if args.quick else 7, rounds=2 if args.quick else 5, target_s=0.01 if args.quick else 0.02)
    table, copies = [], []

    for n in (10**3, big):
        g = ga.empty(n)
        x = np.asarray(g)  # numpy view of the same memory
        x[:] = 1.0
        s = pl.Series(g)
        copies.append((f"polars.Series(g) at {fmt_n(n)}", s.to_numpy().ctypes.data == g._data))
        del s
        kg, kn = ("polars.Series(ga.Array)", n), ("polars.Series(ndarray)", n)
        rows = [(kg, "S(g)", {"S": pl.Series, "g": g}), (kn, "S(x)", {"S": pl.Series, "x": x})]
        if n == big:
            a = pa.array(g)
            r = ga.from_arrow(a)
            copies.append((f"ga.from_arrow(pa_array) at {fmt_n(n)}", r._data == g._data == a.buffers()[1].address))
            del r
            rows += [(("ga.from_arrow(pa.Array)", n), "f(a)", {"f": ga.from_arrow, "a": a}),
                     (("ga.from_dlpack(pa.Array)", n), "f(a)", {"f": ga.from_dlpack, "a": a}),
                     (("ga.from_dlpack(ndarray)", n), "f(x)", {"f": ga.from_dlpack, "x": x})]
        b.run(rows)
        table += [k for k, _, _ in rows]
        rows = s = a = r = None  # noqa: F841
        del g, x
        gc.collect()

    g = ga.empty(sql_n)
    x = np.asarray(g)
    x[:] = np.arange(sql_n) % 7
    con = duckdb.connect()
    want = float(x.sum())
    got_g = con.sql("select sum(value) from g").fetchall()[0][0]
    got_n = con.sql("select sum(column0) from x").fetchall()[0][0]
    copies.append((f"duckdb sums agree at {fmt_n(sql_n)}", got_g == got_n == want))
    kdg, kdn = ("duckdb sum(ga.Array)", sql_n), ("duckdb sum(ndarray)", sql_n)
    b.run([(kdg, "con.sql('select sum(value) from g').fetchall()", {"con": con, "g": g}),
           (kdn, "con.sql('select sum(column0) from x').fetchall()", {"con": con, "x": x})])
    table += [kdg, kdn]
    con.close()
    del g, x
    gc.collect()

    print("Arrow PyCapsule interface: median per call (spread: min-max of the round medians)\n")
    print(f"{'operation':<28} {'n':>5} {'median':>10}   spread")
    for key in table:
        lo, hi = b.spread(key)
        print(f"{key[0]:<28} {fmt_n(key[1]):>5} {fmt_ns(b.ns(key)):>10}   {fmt_ns(lo)} - {fmt_ns(hi)}")
    print()
    for label, value in machine_info():
        print(f"{label:>10}: {value}")
    print(f"{'pyarrow':>10}: {pa.__version__}\n{'polars':>10}: {pl.__version__}\n{'duckdb':>10}: {duckdb.__version__}")
    print("\nzero-copy / agreement checks:")
    for label, ok in copies:
        print(f"  {'yes' if ok else 'NO '}  {label}")

    print("\ntargets:")

    def target(ok, text):
        print(f"  {'PASS' if ok else 'MISS'}  {text}")

    for n in (10**3, big):
        r = b.ns(("polars.Series(ga.Array)", n)) / b.ns(("polars.Series(ndarray)", n))
        target(r <= 2.0, f"polars.Series(ga.Array) / polars.Series(ndarray) at {fmt_n(n)}: {r:.2f}x (<= 2x)")
    t = b.ns(("ga.from_arrow(pa.Array)", big))
    target(t <= 2000, f"ga.from_arrow(pa.Array) at {fmt_n(big)}: {fmt_ns(t)} (<= 2 us); "
                      f"ga.from_dlpack(pa.Array) {fmt_ns(b.ns(('ga.from_dlpack(pa.Array)', big)))}, "
                      f"ga.from_dlpack(ndarray) {fmt_ns(b.ns(('ga.from_dlpack(ndarray)', big)))}")
    r = b.ns(kdg) / b.ns(kdn)
    target(r <= 1.5, f"duckdb sum(ga.Array) / sum(ndarray) at {fmt_n(sql_n)}: {r:.2f}x (<= 1.5x)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
