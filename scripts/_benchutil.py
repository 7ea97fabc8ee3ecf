"""Shared helpers for the benchmark scripts: timing and machine description.

Benchmarks print medians and ratios measured in one run; they never assert.
"""
import os
import platform
import statistics
import timeit


def _timer(stmt, names):
    # names become locals of timeit's inner function (via setup): no global lookups in the loop.
    setup = "; ".join(f"{k} = _names[{k!r}]" for k in names) or "pass"
    return timeit.Timer(stmt, setup=setup, globals={"_names": names})


def loop_count(timer, target_s):
    """Executions per repeat so that one repeat takes about ``target_s``."""
    number = 1
    while True:  # grow the loop until it is long enough to scale from
        t = timer.timeit(number)
        if t >= target_s / 10 or number >= 10**8:
            break
        number *= 10
    return max(1, round(number * target_s / max(t, 1e-9)))


def time_call(stmt, names, repeat=15, target_s=0.02):
    """Median seconds per execution of ``stmt`` (a string of Python code).

    ``names`` maps the names ``stmt`` uses to objects. The loop count is
    chosen so one repeat takes about ``target_s``; the median over ``repeat``
    repeats is returned. Like timeit, the garbage collector is off while timing.
    """
    s = Sampler(target_s)
    s.sample("x", stmt, names, repeat)
    return s.median("x")


class Sampler:
    """Per-call times of keyed statements, gathered over several rounds.

    Sampling every statement in each of several rounds spreads the machine's
    background load over all of them, so ratios between statements measured
    in the same run are less skewed by when each one happened to run. The
    loop count of a key is fixed by its first round.
    """

    def __init__(self, target_s=0.02):
        self.target_s = target_s
        self.number = {}
        self.samples = {}

    def sample(self, key, stmt, names, repeat):
        timer = _timer(stmt, names)
        if key not in self.number:
            self.number[key] = loop_count(timer, self.target_s)
        n = self.number[key]
        timer.timeit(n)  # warm-up
        self.samples.setdefault(key, []).extend(t / n for t in timer.repeat(repeat=repeat, number=n))

    def median(self, key):
        """Median seconds per call of ``key``, or None if never sampled."""
        got = self.samples.get(key)
        return statistics.median(got) if got else None


def cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine() or "unknown"


def nproc():
    """CPUs this process may run on (what `nproc` prints), and the total."""
    total = os.cpu_count() or 0
    try:
        usable = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        usable = total
    return usable, total


def machine_info():
    """(label, value) pairs describing the machine and the software measured."""
    import numpy as np
    import goarray as ga
    usable, total = nproc()
    return [
        ("cpu", cpu_model()),
        ("nproc", f"{usable}" + (f" (of {total})" if total != usable else "")),
        ("platform", f"{platform.system()} {platform.release()} {platform.machine()}"),
        ("python", f"{platform.python_implementation()} {platform.python_version()}"),
        ("numpy", np.__version__),
        ("goarray", f"{ga.__version__}, built with {ga.go_version()}"),
        ("allocator", ga.allocator_info()),
    ]
