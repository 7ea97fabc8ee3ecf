"""Benchmark: exporting Go-backed arrays to numpy, and making small ones.

Measures, in one process and one run, the cost of handing a goarray.Array to
numpy (``np.asarray(x)``) and to the buffer protocol (``memoryview(x)``) at
1e3 and 1e8 float64 elements, beside the same operations on a numpy array and
a bytearray of the same byte size; and the cost of creating and destroying a
small array (``ga.empty(1)``, ``ga.zeros(1)``, ``ga.empty(1000)``) beside
numpy's. Each figure is the median per call over many timeit repeats, taken
in several rounds over all rows so background load skews no row alone; the
1e8-element objects are made one at a time and freed before the next.

Prints a table, machine information and a "targets" section (PASS/MISS).
It never asserts: a missed target is information, not a failure.

    python scripts/bench_export.py              # the full run (make bench)
    python scripts/bench_export.py --quick      # smoke test: fewer repeats, no 1e8
    python scripts/bench_export.py --markdown   # tables as Markdown, for the README
"""
import argparse
import gc
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import numpy as np  # noqa: E402

import goarray as ga  # noqa: E402
from _benchutil import Sampler, machine_info  # noqa: E402

ITEMSIZE = 8  # float64
ASARRAY_MV = "np.asarray(memoryview(bytearray))"  # the reference: memoryview made in the loop


def fmt_n(n):
    if n < 10:
        return str(n)
    exp = len(str(n)) - 1
    return f"1e{exp}" if n == 10**exp else str(n)


class Bench:
    def __init__(self, repeat, target_s):
        self.repeat = repeat
        self.sampler = Sampler(target_s)

    def measure(self, label, n, stmt, names):
        self.sampler.sample((label, n), stmt, names, self.repeat)

    def ns(self, label, n):
        s = self.sampler.median((label, n))
        return None if s is None else s * 1e9


def run_exports(b, n):
    """Export costs at n float64 elements; one big object alive at a time."""
    x = ga.empty(n)
    b.measure("np.asarray(ga.Array)", n, "f(x)", {"f": np.asarray, "x": x})
    b.measure("memoryview(ga.Array)", n, "m(x)", {"m": memoryview, "x": x})
    del x
    gc.collect()

    x = np.empty(n)
    b.measure("np.asarray(ndarray)", n, "f(x)", {"f": np.asarray, "x": x})
    b.measure("memoryview(ndarray)", n, "m(x)", {"m": memoryview, "x": x})
    del x
    gc.collect()

    x = bytearray(n * ITEMSIZE)
    b.measure("np.asarray(bytearray)", n, "f(x)", {"f": np.asarray, "x": x})
    b.measure(ASARRAY_MV, n, "f(m(x))", {"f": np.asarray, "m": memoryview, "x": x})
    b.measure("np.frombuffer(bytearray)", n, "f(x)", {"f": np.frombuffer, "x": x})
    b.measure("memoryview(bytearray)", n, "m(x)", {"m": memoryview, "x": x})
    del x
    gc.collect()


def run_creation(b):
    """Create + destroy: the result is dropped at once, so dealloc is in the loop."""
    for label, fn, n in [("ga.empty(1)", ga.empty, 1), ("ga.zeros(1)", ga.zeros, 1),
                         ("ga.empty(1000)", ga.empty, 1000), ("np.empty(1)", np.empty, 1),
                         ("np.zeros(1)", np.zeros, 1), ("np.empty(1000)", np.empty, 1000)]:
        b.measure(label, n, "f(n)", {"f": fn, "n": n})


# (goarray operation, [reference operations]) per section of the table.
EXPORT_ROWS = [
    ("np.asarray(ga.Array)", ["np.asarray(ndarray)", ASARRAY_MV, "np.frombuffer(bytearray)",
                              "np.asarray(bytearray)"]),
    ("memoryview(ga.Array)", ["memoryview(ndarray)", "memoryview(bytearray)"]),
]
CREATE_ROWS = [
    ("ga.empty(1)", 1, "np.empty(1)"),
    ("ga.zeros(1)", 1, "np.zeros(1)"),
    ("ga.empty(1000)", 1000, "np.empty(1000)"),
]


def table_rows(b, sizes):
    """Rows of (goarray op, n, goarray ns, reference op, reference ns, ratio)."""
    rows = []
    for n in sizes:
        for ga_op, refs in EXPORT_ROWS:
            g = b.ns(ga_op, n)
            for ref in refs:
                r = b.ns(ref, n)
                rows.append((ga_op, fmt_n(n), g, ref, r, g / r))
    for ga_op, n, ref in CREATE_ROWS:
        g, r = b.ns(ga_op, n), b.ns(ref, n)
        rows.append((f"create+destroy {ga_op}", fmt_n(n), g, ref, r, g / r))
    return rows


HEADER = ("goarray operation", "n", "goarray ns", "reference", "ref ns", "goarray/ref")


def print_text_table(rows):
    w = [max(len(HEADER[i]), *(len(r[i]) for r in rows)) for i in (0, 3)]
    print(f"{HEADER[0]:<{w[0]}}  {HEADER[1]:>4}  {HEADER[2]:>10}  {HEADER[3]:<{w[1]}}  "
          f"{HEADER[4]:>10}  {HEADER[5]:>11}")
    print("-" * (w[0] + w[1] + 4 + 10 + 10 + 11 + 10))
    prev = None
    for op, n, g, ref, r, ratio in rows:
        same = prev == (op, n)
        left = f"{'':<{w[0]}}  {'':>4}  {'':>10}" if same else f"{op:<{w[0]}}  {n:>4}  {g:>10.1f}"
        print(f"{left}  {ref:<{w[1]}}  {r:>10.1f}  {ratio:>10.2f}x")
        prev = (op, n)


def print_markdown_table(rows):
    print("| " + " | ".join(HEADER) + " |")
    print("|:--|--:|--:|:--|--:|--:|")
    for op, n, g, ref, r, ratio in rows:
        print(f"| `{op}` | {n} | {g:.1f} | `{ref}` | {r:.1f} | {ratio:.2f}× |")


def targets(b, sizes):
    """(verdict, description, detail) per target; verdict is PASS, MISS or SKIP."""
    out = []
    small, big = 1_000, 100_000_000

    def check(desc, num, den, limit, skip_why=None):
        if skip_why or num is None or den is None:
            out.append(("SKIP", desc, skip_why or "not measured"))
            return
        ratio = num / den
        out.append(("PASS" if ratio <= limit else "MISS", desc,
                    f"{num:.1f} / {den:.1f} ns = {ratio:.2f}x (limit {limit}x)"))

    no_big = None if big in sizes else "1e8 not measured (--quick)"
    for op in ("np.asarray(ga.Array)", "memoryview(ga.Array)"):
        check(f"constant in size: {op} at 1e8 vs 1e3", b.ns(op, big), b.ns(op, small), 1.2, no_big)
    for n in sizes:
        check(f"np.asarray(ga.Array) no slower than {ASARRAY_MV} (in loop), n={fmt_n(n)}",
              b.ns("np.asarray(ga.Array)", n), b.ns(ASARRAY_MV, n), 1.0)
    for n in sizes:
        check(f"memoryview(ga.Array) within 1.1x of memoryview(bytearray), n={fmt_n(n)}",
              b.ns("memoryview(ga.Array)", n), b.ns("memoryview(bytearray)", n), 1.1)
    for ga_op, n, ref in CREATE_ROWS:
        check(f"create+destroy {ga_op} within 4x of {ref}", b.ns(ga_op, n), b.ns(ref, n), 4.0)
    return out


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--quick", action="store_true",
                   help="smoke test: fewer, shorter repeats and no 1e8-element arrays")
    p.add_argument("--markdown", action="store_true", help="print the tables as Markdown")
    args = p.parse_args(argv)

    # rounds x repeats per round = the repeats each median is taken over
    rounds, repeat, target_s = (1, 5, 0.005) if args.quick else (5, 3, 0.02)
    sizes = [1_000] if args.quick else [1_000, 100_000_000]
    started = time.perf_counter()
    before = ga._allocated_bytes()

    b = Bench(repeat, target_s)
    for _ in range(rounds):
        for n in sizes:
            run_exports(b, n)
        run_creation(b)
    elapsed = time.perf_counter() - started
    gc.collect()
    outstanding = ga._allocated_bytes() - before

    md = args.markdown
    title = "goarray export and creation benchmark" + (" (--quick)" if args.quick else "")
    print(f"## {title}\n" if md else f"{title}\n{'=' * len(title)}")
    for k, v in machine_info():
        print(f"- {k}: {v}" if md else f"{k + ':':<11}{v}")
    print(f"{'- ' if md else ''}method: median of {rounds * repeat} timeit repeats of ~{target_s * 1e3:g} ms "
          f"({rounds} round{'s' if rounds > 1 else ''} over all rows), ns per call, float64; "
          f"ratio = goarray / reference (below 1: goarray faster)")
    print()
    rows = table_rows(b, sizes)
    print_markdown_table(rows) if md else print_text_table(rows)
    print()
    bullet = "- " if md else ""
    print(f"{bullet}np.asarray(ndarray) returns its argument (no export): a floor, not a peer.")
    print(f"{bullet}{ASARRAY_MV}: the memoryview is made inside the timed loop.")
    print()
    print("### targets\n" if md else "targets\n-------")
    for verdict, desc, detail in targets(b, sizes):
        print(f"- **{verdict}** {desc}: {detail}" if md else f"{verdict:<5} {desc}: {detail}")
    print()
    print(f"{'- ' if md else ''}goarray bytes still allocated after the run: {outstanding}")
    print(f"{'- ' if md else ''}measured in {elapsed:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
