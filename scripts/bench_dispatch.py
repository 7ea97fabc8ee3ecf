"""Benchmark: what goarray's dispatch adds over numpy's own call, against the targets.

numpy's override machinery has a floor: a class whose ``__array_ufunc__``
and ``__array_function__`` return at once already pays for it on every
``np.add`` / ``np.concatenate`` call. So each statement below is timed on
goarray arrays and on numpy arrays of the same float64 values, and the
cost goarray *adds* (goarray time - numpy time, in microseconds) or the
ratio (goarray time / numpy time) is printed beside its target. The floors
are printed in the same run: the no-op override class, and
``ga.empty(1000)`` against ``np.empty(1000)``.

Every statement is sampled in each of several interleaved rounds (all rows
in one round, then the next), so background load spreads over all of
them. Within a round, a row's goarray and numpy statements are timed in
alternation, repeat by repeat, and the round's figure is the median of
the paired differences (or ratios): load that comes and goes between
repeats weighs on both sides alike. A row prints the median over rounds
and the spread (lowest and highest round). The 1000x1000 matmul rows run
in rounds of their own after the others.

    python scripts/bench_dispatch.py              # the full run (make bench)
    python scripts/bench_dispatch.py --quick      # smoke test: fewer rounds, no 1000x1000 matmul
    python scripts/bench_dispatch.py --no-matmul  # the dispatch rows only (before/after comparisons)
"""
import argparse
import json
import os
import statistics
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import numpy as np  # noqa: E402

import goarray as ga  # noqa: E402
from _benchutil import _timer, loop_count, machine_info  # noqa: E402


class NoOverride:
    """numpy's floor: protocols that return at once."""

    def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
        return self

    def __array_function__(self, func, types, args, kwargs):
        return self


# (label, goarray statement, numpy statement, kind, target): kind "added"
# compares goarray time - numpy time (us) with the target, "ratio" the ratio.
ROWS = [
    ("a < b", "a < b", "x < y", "added", 0.3),
    ("np.concatenate([a, b])", "np.concatenate([a, b])", "np.concatenate([x, y])", "added", 1.0),
    ("np.sin(a)", "np.sin(a)", "np.sin(x)", "added", 1.0),
    ("np.mean(a, axis=0), a (100, 10)", "np.mean(m, axis=0)", "np.mean(mx, axis=0)", "added", 1.0),
    ("np.add(a, b)", "np.add(a, b)", "np.add(x, y)", "added", 0.4),
    ("a + b", "a + b", "x + y", "added", 0.15),
    ("ga.sum(a, axis=0), a (100, 10), vs np.sum on an ndarray", "ga.sum(m, axis=0)", "np.sum(mx, axis=0)",
     "ratio", 1.0),
    ("ga.empty(1000) vs np.empty(1000)", "ga.empty(1000)", "np.empty(1000)", "ratio", 1.5),
]
MATMUL_ROWS = [
    ("a @ b, 1000x1000 float64", "A8 @ B8", "X8 @ Y8", "ratio", 1.25),
    ("a @ b, 1000x1000 float32", "A4 @ B4", "X4 @ Y4", "ratio", 1.25),
]
FLOORS = [
    ("np.add on a no-op override class", "np.add(o, o)"),
    ("np.concatenate on a no-op override class", "np.concatenate([o, o])"),
    ("np.add(x, y) on ndarrays", "np.add(x, y)"),
    ("np.concatenate([x, y]) on ndarrays", "np.concatenate([x, y])"),
    ("np.empty(1000)", "np.empty(1000)"),
    ("ga.empty(1000)", "ga.empty(1000)"),
]


def names(n=1000, matmul=True):
    rng = np.random.default_rng(0)
    a, b = ga.empty(n), ga.empty(n)
    np.asarray(a)[...] = rng.standard_normal(n)
    np.asarray(b)[...] = rng.standard_normal(n) + 3.0
    x, y = np.asarray(a).copy(), np.asarray(b).copy()
    d = {"np": np, "ga": ga, "a": a, "b": b, "x": x, "y": y, "m": a.reshape(100, 10),
         "mx": x.reshape(100, 10), "o": NoOverride()}
    if matmul:
        for bits, dt in ((8, np.float64), (4, np.float32)):
            X, Y = (rng.standard_normal((1000, 1000)).astype(dt) for _ in range(2))
            d[f"X{bits}"], d[f"Y{bits}"] = X, Y
            d[f"A{bits}"], d[f"B{bits}"] = ga.array(X), ga.array(Y)
    return d


class Rounds:
    """Per-round medians of keyed statements (loop count fixed by the first
    round), and of paired comparisons (rounds[("added" or "ratio",
    label)]: per round, the median of the repeat-by-repeat differences in
    seconds, or ratios)."""

    def __init__(self, target_s):
        self.target_s = target_s
        self.number = {}
        self.rounds = {}

    def _loops(self, key, timer):
        if key not in self.number:
            self.number[key] = loop_count(timer, self.target_s)
        n = self.number[key]
        timer.timeit(n)  # warm-up
        return n

    def sample(self, key, stmt, env, repeat):
        timer = _timer(stmt, env)
        n = self._loops(key, timer)
        t = statistics.median(timer.repeat(repeat=repeat, number=n)) / n
        self.rounds.setdefault(key, []).append(t)

    def pair(self, label, g_stmt, n_stmt, env, repeat):
        """goarray's and numpy's statements timed in alternation."""
        tg, tn = _timer(g_stmt, env), _timer(n_stmt, env)
        ng, nn = self._loops(("ga", label), tg), self._loops(("np", label), tn)
        gs, ns = [], []
        for _ in range(repeat):
            gs.append(tg.timeit(ng) / ng)
            ns.append(tn.timeit(nn) / nn)
        for key, v in ((("ga", label), statistics.median(gs)), (("np", label), statistics.median(ns)),
                       (("added", label), statistics.median(g - n for g, n in zip(gs, ns))),
                       (("ratio", label), statistics.median(g / n for g, n in zip(gs, ns)))):
            self.rounds.setdefault(key, []).append(v)


def fork_refusal_seconds(tries):
    """Seconds a Go-entering call takes to raise RuntimeError in a forked
    child (the fork tests check that it raises and never hangs; how fast it
    answers is measured here), one fork per try."""
    times = []
    for _ in range(tries):
        r, w = os.pipe()
        pid = os.fork()
        if pid == 0:
            try:
                t = time.perf_counter()
                try:
                    ga.zeros(2)
                    out = {"error": "no RuntimeError"}
                except RuntimeError:
                    out = {"seconds": time.perf_counter() - t}
                os.write(w, json.dumps(out).encode())
            finally:
                os._exit(0)
        os.close(w)
        with os.fdopen(r) as f:
            data = f.read()
        os.waitpid(pid, 0)
        got = json.loads(data) if data else {"error": "no answer"}
        if "seconds" in got:
            times.append(got["seconds"])
    return times


def us(s):
    return f"{s * 1e6:.2f} us"


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--quick", action="store_true", help="smoke test: fewer rounds, no matmul rows")
    p.add_argument("--no-matmul", action="store_true", help="leave out the 1000x1000 matmul rows")
    args = p.parse_args(argv)
    rounds, repeat, target_s = (2, 3, 0.005) if args.quick else (7, 7, 0.02)
    matmul = not (args.quick or args.no_matmul)
    rows = ROWS + (MATMUL_ROWS if matmul else [])
    env = names(matmul=matmul)
    r = Rounds(target_s)
    # The dispatch rows and floors first, then the matmul rows in rounds of
    # their own: a 1000x1000 product runs two threads over megabytes for
    # tens of milliseconds, and the microsecond rows timed right after one
    # read its aftermath (caches, freed mappings) as their own cost.
    for _ in range(rounds):
        for label, stmt in FLOORS:
            r.sample(("floor", label), stmt, env, repeat)
        for label, g, x, _, _ in ROWS:
            r.pair(label, g, x, env, repeat)
    for _ in range(rounds if matmul else 0):
        for label, g, x, _, _ in MATMUL_ROWS:
            r.pair(label, g, x, env, 1)

    print("## goarray dispatch benchmark: added over numpy, against the targets\n")
    for k, v in machine_info():
        print(f"- {k}: {v}")
    print(f"- method: {rounds} interleaved rounds over the dispatch rows and floors, then {rounds} over the "
          f"matmul rows; in each, a row's goarray and numpy statements alternate over {repeat} timeit repeats (matmul: 1) "
          f"and the round's figure is the median of the paired differences (ratios); a row prints the median over "
          f"rounds [lowest, highest round]; float64, 1e3 elements unless stated; added = goarray time - numpy time "
          f"on ndarrays of the same values\n")

    print("### numpy's floors\n")
    for label, _ in FLOORS:
        ts = r.rounds[("floor", label)]
        print(f"- {label}: {us(statistics.median(ts))} [{us(min(ts))}, {us(max(ts))}]")
    e_ga, e_np = r.rounds[("floor", "ga.empty(1000)")], r.rounds[("floor", "np.empty(1000)")]
    print(f"- ga.empty(1000) / np.empty(1000): {statistics.median(a / b for a, b in zip(e_ga, e_np)):.2f}x")
    o_add = statistics.median(r.rounds[("floor", "np.add on a no-op override class")])
    o_cat = statistics.median(r.rounds[("floor", "np.concatenate on a no-op override class")])
    print(f"- the override machinery alone: np.add {us(o_add)}, np.concatenate {us(o_cat)}\n")

    print("### targets\n")
    print("| statement | goarray | numpy | measured [spread] | target | verdict |")
    print("|:--|--:|--:|--:|--:|:--|")
    for label, _, _, kind, target in rows:
        tg, tn = r.rounds[("ga", label)], r.rounds[("np", label)]
        mg, mn = statistics.median(tg), statistics.median(tn)
        per_round = r.rounds[(kind, label)]
        if kind == "added":
            per_round = [d * 1e6 for d in per_round]
            m = statistics.median(per_round)
            measured = f"{m:+.2f} us [{min(per_round):+.2f}, {max(per_round):+.2f}]"
            goal = f"<= +{target} us"
        else:
            m = statistics.median(per_round)
            measured = f"{m:.2f}x [{min(per_round):.2f}, {max(per_round):.2f}]"
            goal = f"<= {target}x"
        verdict = "PASS" if m <= target else "MISS"
        print(f"| `{label}` | {us(mg)} | {us(mn)} | {measured} | {goal} | {verdict} |")

    if hasattr(os, "fork"):
        tries = 3 if args.quick else 9
        ts = fork_refusal_seconds(tries)
        print("\n### forked child\n")
        if ts:
            print(f"- a Go-entering call (ga.zeros(2)) in a forked child raises RuntimeError after "
                  f"{us(statistics.median(ts))} [{us(min(ts))}, {us(max(ts))}] ({len(ts)} of {tries} forks)")
        else:
            print(f"- no forked child raised RuntimeError ({tries} forks)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
