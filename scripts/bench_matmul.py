"""Benchmark: matrix products of goarray arrays against numpy's on ndarrays.

For 1000x1000 float64 and float32 (the issue's target: goarray/numpy at
most 1.25), times ``a @ b`` on goarray arrays against ``x @ y`` on numpy
arrays of the same values, and for information ``np.dot`` and ``ga.matmul``
on goarray arrays, small float products (where the fixed cost of the call
shows) and integer products (goarray's Go kernel against numpy's own
integer loop, which has no BLAS).

Each figure is the median per call over repeats taken in interleaved rounds
(goarray, numpy, goarray, ...), so background load skews no row alone; the
spread is the range of the per-round medians of the ratio. Ratios are
goarray time / numpy time: below 1, goarray is faster. It never asserts.

    python scripts/bench_matmul.py            # about half a minute
    python scripts/bench_matmul.py --quick    # smoke test
"""
import argparse
import os
import statistics
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import numpy as np  # noqa: E402

import goarray as ga  # noqa: E402
from _benchutil import Sampler, machine_info  # noqa: E402

TARGET = 1.25


def rows(quick):
    big = 300 if quick else 1000
    out = []
    for dt in ("float64", "float32"):
        out.append((f"a @ b {big}x{big} {dt}", "g @ h", "x @ y", big, dt, True))
    for dt in ("float64", "float32"):
        out.append((f"np.dot {big}x{big} {dt}", "np.dot(g, h)", "np.dot(x, y)", big, dt, False))
        out.append((f"ga.matmul {big}x{big} {dt}", "ga.matmul(g, h)", "np.matmul(x, y)", big, dt, False))
    for n in (4, 32):
        out.append((f"a @ b {n}x{n} float64", "g @ h", "x @ y", n, "float64", False))
    for dt in ("int64", "int32"):
        n = 100 if quick else 300
        out.append((f"a @ b {n}x{n} {dt}", "g @ h", "x @ y", n, dt, False))
    return out


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--quick", action="store_true", help="smaller sizes, fewer rounds")
    args = p.parse_args()
    rounds, repeat = (2, 2) if args.quick else (5, 3)
    rng = np.random.default_rng(0)
    table = rows(args.quick)
    operands = {}
    for _, _, _, n, dt, _ in table:
        if (n, dt) not in operands:
            if np.dtype(dt).kind == "f":
                x, y = rng.uniform(-1, 1, (n, n)).astype(dt), rng.uniform(-1, 1, (n, n)).astype(dt)
            else:
                x, y = rng.integers(-100, 100, (n, n)).astype(dt), rng.integers(-100, 100, (n, n)).astype(dt)
            operands[n, dt] = {"np": np, "ga": ga, "x": x, "y": y, "g": ga.asarray(x), "h": ga.asarray(y)}
    s = Sampler(target_s=0.05)
    per_round = {name: [] for name, *_ in table}
    for _ in range(rounds):
        for name, gstmt, nstmt, n, dt, _ in table:
            names = operands[n, dt]
            before = (len(s.samples.get(("ga", name), [])), len(s.samples.get(("np", name), [])))
            s.sample(("ga", name), gstmt, names, repeat)
            s.sample(("np", name), nstmt, names, repeat)
            tg = statistics.median(s.samples["ga", name][before[0]:])
            tn = statistics.median(s.samples["np", name][before[1]:])
            per_round[name].append(tg / tn)
    for label, value in machine_info():
        print(f"{label:10} {value}")
    print(f"BLAS threads: numpy's default (OPENBLAS_NUM_THREADS={os.environ.get('OPENBLAS_NUM_THREADS', 'unset')})")
    print()
    print(f"{'product':32} {'goarray':>11} {'numpy':>11} {'ga/np':>7}  {'spread':>13}  target")
    for name, _, _, n, dt, target in table:
        tg, tn = s.median(("ga", name)), s.median(("np", name))
        ratio = tg / tn
        lo, hi = min(per_round[name]), max(per_round[name])
        verdict = ("PASS" if ratio <= TARGET else "MISS") + f" (<= {TARGET})" if target else "INFO"
        print(f"{name:32} {tg * 1e3:9.3f}ms {tn * 1e3:9.3f}ms {ratio:7.2f}  {lo:5.2f} - {hi:5.2f}  {verdict}")


if __name__ == "__main__":
    main()
