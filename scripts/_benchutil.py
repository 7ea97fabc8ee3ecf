"""Shared helpers for the benchmark scripts: timing and machine description.

Benchmarks print medians and ratios measured in one run; they never assert.
"""
import os
import platform
import statistics
import timeit


def time_call(stmt, names, repeat=15, target_s=0.02):
    """Median seconds per execution of ``stmt`` (a string of Python code).

    ``names`` maps the names ``stmt`` uses to objects; they are bound as
    locals of the timing function (timeit's setup), so the loop pays no
    global or attribute lookups. The loop count is chosen so one repeat takes
    about ``target_s``; the median over ``repeat`` repeats is returned.
    Like timeit, the garbage collector is off while timing.
    """
    setup = "; ".join(f"{k} = _names[{k!r}]" for k in names) or "pass"
    timer = timeit.Timer(stmt, setup=setup, globals={"_names": names})
    number = 1
    while True:  # calibrate: grow the loop until it is long enough to scale from
        t = timer.timeit(number)
        if t >= target_s / 10 or number >= 10**8:
            break
        number *= 10
    number = max(1, round(number * target_s / max(t, 1e-9)))
    timer.timeit(number)  # warm-up at the final loop count
    times = timer.repeat(repeat=repeat, number=number)
    return statistics.median(times) / number


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
