"""Benchmark: numpy's protocols on goarray arrays against numpy on numpy arrays.

The same statements, ``a + b``, ``np.add(a, b)``, ``np.sum(a)``,
``a += 1`` (and a few more), run on goarray arrays (through the operator
slots, ``__array_ufunc__`` and ``__array_function__``) and on numpy arrays
of the same float64 values, at 1e3 and 1e7 elements, in one run. Prints
medians and the ratio goarray time / numpy time (below 1: goarray is
faster), then the targets: at 1e3 the protocol dispatch costs at most 2x
numpy's own call; at 1e7 ``a + b`` is at least as fast as numpy's.

    python scripts/bench_protocols.py              # the full run (make bench)
    python scripts/bench_protocols.py --quick      # smoke test
    python scripts/bench_protocols.py --markdown   # tables as Markdown, for the README
"""
import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import numpy as np  # noqa: E402

import goarray as ga  # noqa: E402
from _benchutil import Sampler, machine_info  # noqa: E402

ROWS = [
    ("a + b", "a + b", "x + y"),
    ("np.add(a, b)", "np.add(a, b)", "np.add(x, y)"),
    ("np.sum(a)", "np.sum(a)", "np.sum(x)"),
    ("a += 1", "a += 1", "x += 1"),
    ("a * 2.5", "a * 2.5", "x * 2.5"),
    ("a < b", "a < b", "x < y"),
    ("np.sin(a)", "np.sin(a)", "np.sin(x)"),
    ("np.mean(a, axis=0)", "np.mean(m, axis=0)", "np.mean(mx, axis=0)"),
    ("np.concatenate([a, b])", "np.concatenate([a, b])", "np.concatenate([x, y])"),
]
TARGET_ROWS = {"a + b", "np.add(a, b)", "np.sum(a)", "a += 1"}


def fmt_time(s):
    ns = s * 1e9
    if ns < 10_000:
        return f"{ns:.0f} ns"
    if ns < 10_000_000:
        return f"{ns / 1e3:.1f} us"
    return f"{ns / 1e6:.2f} ms"


def names_for(n):
    a, b = ga.empty(n), ga.empty(n)
    np.asarray(a)[...] = np.random.default_rng(0).standard_normal(n)
    np.asarray(b)[...] = np.random.default_rng(1).standard_normal(n) + 3.0
    x, y = np.asarray(a).copy(), np.asarray(b).copy()
    m, mx = a.reshape(-1, 10), x.reshape(-1, 10)
    return {"np": np, "ga": ga, "a": a, "b": b, "x": x, "y": y, "m": m, "mx": mx}


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--quick", action="store_true", help="smoke test: 1e3 only, few repeats")
    p.add_argument("--markdown", action="store_true", help="print the table as Markdown")
    args = p.parse_args(argv)
    sizes = [1000] if args.quick else [1000, 10_000_000]
    repeat, rounds = (3, 1) if args.quick else (9, 3)
    sampler = Sampler(0.005 if args.quick else 0.02)
    all_names = {n: names_for(n) for n in sizes}
    for _ in range(rounds):
        for n in sizes:
            for label, g, x in ROWS:
                sampler.sample(("ga", label, n), g, all_names[n], repeat)
                sampler.sample(("np", label, n), x, all_names[n], repeat)
    print("## goarray protocol benchmark\n")
    for k, v in machine_info():
        print(f"- {k}: {v}")
    print(f"- method: median of {repeat * rounds} timeit repeats ({rounds} rounds over all rows); float64; "
          "the goarray column runs the statement on goarray arrays, the numpy column on numpy arrays; "
          "ratio = goarray time / numpy time (below 1: goarray faster)\n")
    header = ("statement", "n", "goarray", "numpy", "goarray/numpy")
    rows = []
    for label, _, _ in ROWS:
        for n in sizes:
            tg, tn = sampler.median(("ga", label, n)), sampler.median(("np", label, n))
            rows.append((label, f"1e{len(str(n)) - 1}", fmt_time(tg), fmt_time(tn), f"{tg / tn:.2f}x"))
    if args.markdown:
        print("| " + " | ".join(header) + " |")
        print("|:--|--:|--:|--:|--:|")
        for r in rows:
            print("| `" + r[0] + "` | " + " | ".join(r[1:]) + " |")
    else:
        w = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(header)]
        print("  ".join(h.ljust(w[i]) if i == 0 else h.rjust(w[i]) for i, h in enumerate(header)))
        for r in rows:
            print("  ".join(v.ljust(w[i]) if i == 0 else v.rjust(w[i]) for i, v in enumerate(r)))
    print("\n### targets\n")
    for label in (r[0] for r in ROWS if r[0] in TARGET_ROWS):
        tg, tn = sampler.median(("ga", label, 1000)), sampler.median(("np", label, 1000))
        verdict = "PASS" if tg <= 2 * tn else "MISS"
        print(f"- **{verdict}** `{label}` at 1e3 within 2x of numpy's: {fmt_time(tg)} vs {fmt_time(tn)} "
              f"= {tg / tn:.2f}x (target <= 2x)")
    if 10_000_000 in sizes:
        tg, tn = sampler.median(("ga", "a + b", 10_000_000)), sampler.median(("np", "a + b", 10_000_000))
        verdict = "PASS" if tg <= tn else "MISS"
        print(f"- **{verdict}** `a + b` at 1e7 at least as fast as numpy's: {fmt_time(tg)} vs {fmt_time(tn)} "
              f"= {tg / tn:.2f}x (target <= 1x)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
