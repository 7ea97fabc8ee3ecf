"""The kernel runtime: what every Go kernel call does around the arithmetic.

* The GIL is released for large operands: two threads run kernels at the
  same time, and pure-Python threads keep running during a kernel.
* Operands are pinned: a goarray owner cannot be resized (BufferError) and a
  foreign buffer (bytearray) cannot be resized while a kernel uses it; the
  pins are dropped when the kernel returns, also after an error or Ctrl-C.
* Ctrl-C stops a kernel running in the main thread within a chunk or two;
  a kernel in another thread runs to its end.
* Refusals (shapes, dtypes, read-only or mismatched out=) happen before any
  element is written.
* Any buffer exporter is an operand, read in place; misaligned and
  non-native byte-order buffers are computed as numpy computes them
  (through a native, aligned copy), never misread.
* The default thread count round-trips; results do not depend on it.
* In a forked child every kernel raises RuntimeError pointing at 'spawn'.

Overlap of two threads is shown by ordering, not by timing thresholds: the
interpreter's switch interval is raised far above the test's duration, so
the GIL changes hands only where a thread releases it itself. Two calls
whose [start, end] intervals overlap, or a counter in another thread that
advances during a call, then prove the call released the GIL.
"""
import array
import contextlib
import gc
import json
import mmap
import os
import select
import signal
import subprocess
import sys
import textwrap
import threading
import time

import numpy as np
import pytest
from numpy.testing import assert_array_equal

import goarray as ga

# Above the 16 KiB threshold from which kernels run without the GIL.
BIG = 2_000_000


@contextlib.contextmanager
def gil_handed_over_only_when_released(seconds=20.0):
    """No forced GIL switches for `seconds`: a thread keeps the GIL until it
    releases it itself (blocking call, sleep, or a kernel)."""
    old = sys.getswitchinterval()
    sys.setswitchinterval(seconds)
    try:
        yield
    finally:
        sys.setswitchinterval(old)


def overlapping(a, b):
    """Pairs of intervals (start, end) from a and b that overlap."""
    return [(x, y) for x in a for y in b if x[0] < y[1] and y[0] < x[1]]


# ---- GIL release -------------------------------------------------------------

def test_two_threads_run_kernels_at_the_same_time():
    arrays = [ga.ones(BIG), np.full(BIG, 2.0)]   # a goarray owner and a numpy array
    expected = [float(BIG), 2.0 * BIG]
    intervals = [[], []]
    wrong = []
    start = threading.Barrier(2)
    calls = 30

    def work(i):
        start.wait()
        # Each thread keeps going until both have made `calls` calls (or a
        # deadline shorter than the switch interval: then nothing but the
        # kernels themselves could have let the other thread run).
        deadline = time.monotonic() + 8.0
        while time.monotonic() < deadline:
            t0 = time.monotonic()
            r = ga.sum(arrays[i], threads=1)
            t1 = time.monotonic()
            intervals[i].append((t0, t1))
            if r != expected[i]:
                wrong.append((i, r))
            if len(intervals[i]) >= calls and len(intervals[1 - i]) >= calls:
                break

    with gil_handed_over_only_when_released():
        threads = [threading.Thread(target=work, args=(i,)) for i in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert not wrong
    assert len(intervals[0]) >= calls and len(intervals[1]) >= calls, [len(x) for x in intervals]
    both = overlapping(intervals[0], intervals[1])
    assert both, "no call of one thread overlapped a call of the other: the GIL was not released"


def with_spinner(kernel):
    """Run kernel(counter) in a thread while another, pure-Python thread
    increments counter[0]; kernel reads the counter around its calls."""
    counter = [0]
    stop = threading.Event()

    def spin():
        while not stop.is_set():
            counter[0] += 1
            time.sleep(0.0002)   # sleeps without the GIL: the kernel thread gets it back at once

    with gil_handed_over_only_when_released():
        spinner = threading.Thread(target=spin)
        spinner.start()
        try:
            while counter[0] == 0:
                time.sleep(0.001)
            worker = threading.Thread(target=kernel, args=(counter,))
            worker.start()
            worker.join()
        finally:
            stop.set()
            spinner.join()


def test_pure_python_thread_runs_during_a_kernel():
    x = np.ones((4000, 5000))   # 160 MB: a kernel of tens of milliseconds
    seen = {}

    def kernel(counter):
        before = counter[0]          # read with the GIL held ...
        seen["value"] = ga.sum(x, threads=1)   # ... which only the kernel can let go of
        seen["advanced"] = counter[0] - before

    with_spinner(kernel)
    assert seen["value"] == x.size
    assert seen["advanced"] > 0, "the pure-Python thread did not run during the kernel"


def test_binary_kernel_and_scale_release_the_gil_too():
    a = ga.ones(10_000_000)
    b = np.full(10_000_000, 2.0)
    out = ga.empty(10_000_000)
    advanced = {}

    def kernel(counter):
        c0 = counter[0]
        ga.add(a, b, out=out, threads=1)
        c1 = counter[0]
        ga.scale(out, 0.5, threads=1)
        advanced["add"], advanced["scale"] = c1 - c0, counter[0] - c1

    with_spinner(kernel)
    assert np.asarray(out)[[0, -1]].tolist() == [1.5, 1.5]
    assert advanced["add"] > 0 and advanced["scale"] > 0, advanced


def test_small_kernels_still_work_from_many_threads():
    """Below the GIL-release threshold the kernel runs with the GIL held;
    mixing small and large calls from several threads stays correct."""
    small = ga.arange(100.0)
    big = ga.ones(BIG)
    errors = []

    def work(seed):
        for k in range(50):
            if ga.sum(small) != 4950.0 or ga.sum(big, threads=1 + (seed + k) % 3) != BIG:
                errors.append(seed)
            r = ga.add(small, seed)
            if np.asarray(r)[-1] != 99.0 + seed:
                errors.append(seed)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert small._exports == 0 and big._exports == 0


# ---- pinning -----------------------------------------------------------------

def resize_refusals_during(kernel, arr, wanted=3, seconds=20.0):
    """Messages of the BufferErrors arr.resize raised while another thread
    called kernel() over and over (at most `wanted`, within `seconds`)."""
    stop = threading.Event()

    def worker():
        while not stop.is_set():
            kernel()

    messages = []
    t = threading.Thread(target=worker)
    t.start()
    try:
        deadline = time.monotonic() + seconds
        while len(messages) < wanted and time.monotonic() < deadline:
            if arr._exports == 0:
                time.sleep(0.0005)   # let the worker (re)enter a kernel
                continue
            # The worker is inside the kernel, without the GIL.
            try:
                arr.resize(arr.shape)   # same shape: harmless if the kernel just ended
            except BufferError as e:
                messages.append(str(e))
    finally:
        stop.set()
        t.join()
    return messages


def test_resize_refused_while_a_kernel_uses_the_array():
    """A goarray owner used by a running kernel has its export count raised:
    resize raises BufferError during the kernel and works after it."""
    a = ga.ones(20_000_000)
    results = []
    refusals = resize_refusals_during(lambda: results.append(ga.sum(a, threads=1)), a)
    assert refusals, "resize was never refused during a kernel"
    assert "export" in refusals[0]
    assert results and all(r == 20_000_000 for r in results)
    assert a._exports == 0
    a.resize((1000,))            # no pin is left behind
    assert a.shape == (1000,)


def test_resize_refused_during_a_binary_kernel_on_an_output():
    out = ga.empty(10_000_000)
    x = np.ones(10_000_000)
    refusals = resize_refusals_during(lambda: ga.add(x, 1.0, out=out, threads=1), out, wanted=1)
    assert refusals
    assert out._exports == 0
    assert np.asarray(out)[[0, -1]].tolist() == [2.0, 2.0]
    out.resize((7,))
    assert out.shape == (7,)


def test_foreign_buffer_held_during_kernel():
    """A bytearray used by a running kernel cannot be resized meanwhile."""
    buf = bytearray(b"\x01") * 30_000_000
    stop = threading.Event()
    results = []

    def worker():
        while not stop.is_set():
            results.append(ga.sum(buf, threads=1))

    refusals = 0
    t = threading.Thread(target=worker)
    t.start()
    try:
        deadline = time.monotonic() + 20.0
        while refusals < 3 and time.monotonic() < deadline:
            try:
                buf.append(0)
            except BufferError:
                refusals += 1
            else:
                buf.pop()        # the kernel was not running: undo, try again
            time.sleep(0.0005)
    finally:
        stop.set()
        t.join()
    assert refusals >= 1
    assert all(r == 30_000_000 for r in results)
    buf.append(0)                # released after the kernel
    assert len(buf) == 30_000_001


def test_pins_dropped_after_errors():
    a = ga.ones(100_000)
    with pytest.raises(ValueError):
        ga.add(a, np.ones(7))
    with pytest.raises(TypeError):
        ga.add(a, np.array(["x"] * 100_000))
    with pytest.raises(ValueError):
        ga.add(np.ones(5), 1.0, out=a)
    ro = ga.ones(100_000)
    ro.flags.writeable = False
    with pytest.raises(ValueError):
        ga.add(a, 1.0, out=ro)
    with pytest.raises(ValueError):
        ga.sum(a, threads=0)
    assert a._exports == 0 and ro._exports == 0
    a.resize((3,))
    assert a.shape == (3,)


# ---- Ctrl-C ------------------------------------------------------------------

# The child prints "ready <monotonic time>" just before the long call, then
# a JSON line when KeyboardInterrupt arrives (with the time it was raised),
# then raises it again so that the interpreter exits with the usual traceback.
_CHILD_MAIN = """
import json, sys, time
import numpy as np
import goarray as ga

def calibrated(make, seconds):
    # the number of elements for which the call takes about `seconds`
    n = 2_000_000
    while True:
        t = time.monotonic()
        make(n)()
        dt = time.monotonic() - t
        if dt > 0.05 or n >= 10**8:
            break
        n *= 4
    return min(int(n * seconds / max(dt, 1e-6)), {cap})

{setup}
n = calibrated(make, 4.0)
call = make(n)
print("ready", time.monotonic(), n, flush=True)
interrupted = False
try:
    call()
except KeyboardInterrupt:
    t_exc = time.monotonic()
    interrupted = True
if interrupted:   # (out of the except block: its traceback holds the call's frame)
    {after}
    print(json.dumps({{"t_exc": t_exc, "extra": extra}}), flush=True)
    raise KeyboardInterrupt
print("completed", time.monotonic(), flush=True)
"""

_VARIANTS = {
    # a sum over a numpy array with zero strides: no memory, any length
    "sum-numpy": dict(setup="""
def make(n):
    x = np.broadcast_to(np.float64(1.0), (n,))
    return lambda: ga.sum(x, threads=1)
""", after="extra = None", cap=10**12),
    # the same on a goarray broadcast view: its owner is pinned, then released
    "sum-goarray": dict(setup="""
owner = ga.ones(1)
views = []
def make(n):
    v = ga.broadcast_to(owner, (n,))
    views.append(v)
    return lambda: ga.sum(v, threads=1)
""", after="""del call
    views.clear()
    extra = owner._exports""", cap=10**12),
    # every core: the other goroutines stop at their next chunk too
    "sum-all-threads": dict(setup="""
def make(n):
    x = np.broadcast_to(np.float64(1.0), (n,))
    return lambda: ga.sum(x)
""", after="extra = None", cap=10**12),
    # an elementwise kernel writing a fresh 1-d result (page faults and all)
    "add": dict(setup="""
def make(n):
    x = np.broadcast_to(np.float64(1.0), (n,))
    return lambda: ga.add(x, 2.0, threads=1)
""", after="extra = None", cap=2 * 10**8),
}


def _readline(proc, timeout):
    """One line of the child's stdout, or '' after timeout seconds."""
    ready, _, _ = select.select([proc.stdout], [], [], timeout)
    if not ready:
        return ""
    return proc.stdout.readline()


# The child installs Python's own SIGINT handler itself: a process that
# inherits SIGINT as ignored (a background shell, some CI runners) keeps it
# ignored, and Ctrl-C would never become KeyboardInterrupt.
_CHILD_SIGINT = "import signal; signal.signal(signal.SIGINT, signal.default_int_handler)\n"


def _ignore_sigint():
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _run_child(script, signal_after=0.3, timeout=60.0):
    """Start `script`, wait for its 'ready' line, send SIGINT signal_after
    seconds later; return (ready fields, time sent, stdout rest, stderr, rc).
    The child always starts with SIGINT ignored, the worst environment, so
    the result does not depend on how the test run itself was started."""
    proc = subprocess.Popen([sys.executable, "-c", _CHILD_SIGINT + script], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, bufsize=1, preexec_fn=_ignore_sigint)
    try:
        line = _readline(proc, timeout)
        if not line.startswith("ready"):
            proc.kill()
            out, err = proc.communicate()
            pytest.fail(f"child did not get ready: {line!r}{out!r}\n{err}")
        fields = line.split()
        time.sleep(signal_after)
        t_sent = time.monotonic()
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=timeout)
        exited = time.monotonic() - t_sent
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    assert exited < 10.0, f"the child took {exited:.1f} s to exit after SIGINT"
    return fields, t_sent, out, err, proc.returncode


@pytest.mark.parametrize("variant", list(_VARIANTS))
def test_ctrl_c_stops_a_kernel_in_the_main_thread(variant):
    v = _VARIANTS[variant]
    script = _CHILD_MAIN.format(setup=textwrap.dedent(v["setup"]), after=v["after"], cap=v["cap"])
    fields, t_sent, out, err, rc = _run_child(script)
    t_call = float(fields[1])
    assert "completed" not in out, f"the kernel ended before the signal (n={fields[2]}): {out}"
    lines = [line for line in out.splitlines() if line.startswith("{")]
    assert lines, f"no KeyboardInterrupt in the child: rc={rc}\n{out}\n{err}"
    got = json.loads(lines[0])
    assert t_call < t_sent              # the signal came while the call was running
    latency = got["t_exc"] - t_sent
    assert 0 <= latency < 0.5, f"KeyboardInterrupt {latency:.3f} s after SIGINT"
    assert "KeyboardInterrupt" in err
    assert rc != 0
    if variant == "sum-goarray":
        assert got["extra"] == 0        # the owner's pin was dropped


_CHILD_THREAD = """
import json, threading, time
import numpy as np
import goarray as ga

n = 2_000_000
while True:   # about 2 s of kernel
    x = np.broadcast_to(np.float64(1.0), (n,))
    t = time.monotonic(); ga.sum(x, threads=1); dt = time.monotonic() - t
    if dt > 0.05:
        break
    n *= 4
n = int(n * 2.0 / dt)
x = np.broadcast_to(np.float64(1.0), (n,))
res = {"n": n}

done = threading.Event()

def work():
    res["value"] = float(ga.sum(x, threads=1))
    res["t_done"] = time.monotonic()
    done.set()

worker = threading.Thread(target=work)
worker.start()
print("ready", time.monotonic(), n, flush=True)
try:
    while not done.is_set():
        time.sleep(0.01)    # (not join: a join interrupted by Ctrl-C may return early on 3.11)
except KeyboardInterrupt:
    res["t_exc"] = time.monotonic()
done.wait()
worker.join()
print(json.dumps(res), flush=True)
"""


def test_ctrl_c_does_not_stop_a_kernel_in_another_thread():
    fields, t_sent, out, err, rc = _run_child(_CHILD_THREAD)
    assert rc == 0, err
    res = json.loads(out.strip().splitlines()[-1])
    assert "t_exc" in res, "the main thread did not get KeyboardInterrupt"
    assert res["t_exc"] - t_sent < 0.5
    assert res["value"] == res["n"]             # the whole sum, not a part
    assert res["t_done"] > res["t_exc"]         # it kept running after the signal


# ---- refusals happen before any work --------------------------------------------

def test_mismatched_shapes_name_both_and_leave_out_untouched():
    out = ga.full((2, 3), 7.0)
    for name in ("add", "subtract", "multiply", "divide", "minimum", "maximum"):
        with pytest.raises(ValueError) as exc:
            getattr(ga, name)(np.ones((2, 3)), np.ones((2, 4)), out=out)
        msg = str(exc.value)
        assert "(2, 3)" in msg and "(2, 4)" in msg, msg
        assert np.asarray(out).tolist() == [[7.0] * 3] * 2


@pytest.mark.parametrize("bad", [np.array(["ab", "cd"]), np.array([None, 1], dtype=object),
                                 np.zeros(2, dtype=[("a", "f8"), ("b", "i4")]),
                                 np.array([1, 2], dtype="M8[s]"), np.array([1, 2], dtype="m8[s]")],
                         ids=["str", "object", "structured", "datetime", "timedelta"])
def test_unsupported_dtype_is_typeerror_and_out_untouched(bad):
    out = np.full(2, 7.0)
    with pytest.raises(TypeError):
        ga.add(bad, np.ones(2), out=out)
    with pytest.raises(TypeError):
        ga.multiply(np.ones(2), bad, out=out)
    with pytest.raises(TypeError):
        ga.sum(bad)
    with pytest.raises(TypeError):
        ga.scale(bad, 2)
    assert out.tolist() == [7.0, 7.0]


def test_readonly_outputs_refused_untouched():
    n = np.full(4, 7.0)
    n.flags.writeable = False
    g = ga.full(4, 7.0)
    g.flags.writeable = False
    m = memoryview(np.full(4, 7.0).tobytes()).cast("d")
    for out in (n, g, m):
        with pytest.raises((ValueError, BufferError)):
            ga.add(np.ones(4), 1.0, out=out)
        with pytest.raises((ValueError, BufferError)):
            ga.scale(out, 3.0)
        assert np.asarray(out).tolist() == [7.0] * 4
    # a reduction into a read-only out
    with pytest.raises((ValueError, BufferError)):
        ga.sum(np.ones((4, 3)), axis=1, out=n)
    assert n.tolist() == [7.0] * 4


def test_refused_out_dtype_and_shape_untouched():
    out = ga.full(3, 7, dtype="int64")
    with pytest.raises(TypeError):
        ga.add(np.ones(3), 0.5, out=out)        # float64 into int64: not same_kind
    with pytest.raises(ValueError):
        ga.add(np.ones(4, "int64"), 1, out=out)  # shape (numpy checks the casting first)
    with pytest.raises(ValueError):
        ga.sum(np.ones((4, 2)), axis=0, out=out)
    assert np.asarray(out).tolist() == [7, 7, 7]


# ---- any buffer in, read in place ------------------------------------------------

def _buffers():
    d = np.linspace(-3, 7, 1001)
    m = mmap.mmap(-1, d.nbytes)
    m[:] = d.tobytes()
    return {
        "bytearray": (bytearray(range(256)) * 40, np.frombuffer(bytearray(range(256)) * 40, np.uint8)),
        "memoryview-f8": (memoryview(d.copy()), d),
        "memoryview-strided": (memoryview(d.copy())[::-3], d[::-3]),
        "memoryview-2d": (memoryview(d[:1000].copy()).cast("B").cast("d", (25, 40)), d[:1000].reshape(25, 40)),
        "array-d": (array.array("d", d.tolist()), d),
        "array-i": (array.array("i", range(-500, 500)), np.arange(-500, 500, dtype=np.intc)),
        "array-f": (array.array("f", d.tolist()), d.astype(np.float32)),
        "mmap": (m, np.frombuffer(m, np.uint8)),
        "mmap-as-f8": (np.frombuffer(m, np.float64), d),
        "memoryview-bytes": (memoryview(bytes(range(200))), np.arange(200, dtype=np.uint8)),
    }


@pytest.mark.parametrize("kind", list(_buffers()))
def test_reductions_on_any_buffer(kind):
    buf, ref = _buffers()[kind]
    r = ga.sum(buf)
    e = np.sum(ref)
    assert np.asarray(r).dtype == e.dtype
    # sums may differ from numpy's in the last bits (another summation order)
    rtol = 1e-5 if ref.dtype == np.float32 else 1e-12
    if e.dtype.kind == "f":
        np.testing.assert_allclose(r, e, rtol=rtol)
    else:
        assert r == e
    assert ga.min(buf) == np.min(ref) and ga.max(buf) == np.max(ref)
    np.testing.assert_allclose(ga.mean(buf), np.mean(ref), rtol=rtol)


@pytest.mark.parametrize("kind", ["bytearray", "array-d", "mmap", "memoryview-f8"])
def test_outputs_written_in_place_in_foreign_buffers(kind):
    """A writable foreign buffer as out= (or scale target) is written where it is."""
    buf, ref = _buffers()[kind]
    view = np.asarray(buf) if kind != "mmap" else np.frombuffer(buf, np.uint8)
    before = view.copy()
    expected = np.add(before, before) if before.dtype.kind != "f" else before + before
    ga.add(buf, buf, out=buf)
    assert_array_equal(np.frombuffer(buf, before.dtype) if kind == "mmap" else np.asarray(buf),
                       expected.astype(before.dtype))
    if before.dtype.kind == "f":
        ga.scale(buf, 0.5)
        assert_array_equal(np.asarray(buf), before)


_NO_COPY_CHILD = """
import mmap, resource, numpy as np, goarray as ga
n = 400 * 2**20
m = mmap.mmap(-1, n)
m.write(b"\\x01" * n)                 # every page touched: resident now
b = bytearray(m)
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
r1 = ga.sum(m)
r2 = ga.sum(b)
r3 = ga.max(memoryview(m))
grew = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - base
print(int(r1), int(r2), int(r3), grew)
"""


def test_foreign_inputs_are_not_copied():
    """Summing a 400 MiB mmap and bytearray does not raise the peak RSS by
    anything like their size (a copy would add 400 MiB)."""
    out = subprocess.run([sys.executable, "-c", _NO_COPY_CHILD], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    r1, r2, r3, grew_kib = map(int, out.stdout.split())
    assert r1 == r2 == 400 * 2**20 and r3 == 1
    assert grew_kib < 64 * 1024, f"peak RSS grew by {grew_kib / 1024:.0f} MiB"


def _misaligned(n, dtype=np.float64):
    dt = np.dtype(dtype)
    raw = bytearray(dt.itemsize * n + 1)
    x = np.frombuffer(raw, dtype=dt, offset=1)
    assert x.ctypes.data % dt.itemsize != 0
    return x


def _computed(call, expected):
    """call() gives numpy's result: same dtype and shape, values exactly."""
    got = call()
    g = np.asarray(got)
    assert g.dtype == np.asarray(expected).dtype
    assert_array_equal(g, expected, strict=True)
    return got


@pytest.mark.parametrize("n", [1, 1000, 100_000])
def test_misaligned_buffers_are_computed(n):
    """numpy's loops read misaligned memory; the kernels read a native,
    aligned copy of an input and write an output through one."""
    x = _misaligned(n)
    x[...] = np.linspace(-1, 1, n)
    _computed(lambda: ga.add(x, 1.0), x + 1.0)
    _computed(lambda: ga.multiply(x, x), x * x)
    _computed(lambda: ga.max(x), np.max(x))
    _computed(lambda: ga.negative(x), -x)
    np.testing.assert_allclose(ga.sum(x), np.sum(x), rtol=0, atol=1e-12 * n)
    # as an output: written in place
    out = _misaligned(n)
    out[...] = 7.0
    assert ga.add(np.ones(n), x, out=out) is out
    assert_array_equal(out, 1.0 + x)
    col = _misaligned(n)
    assert ga.sum(x.reshape(n, 1), axis=1, out=col) is col
    assert_array_equal(col, x)
    before = x.copy()
    assert ga.scale(x, 3.0) is x
    assert_array_equal(x, before * 3.0)


def test_empty_misaligned_buffer():
    """An empty operand whose pointer may not be aligned (an empty
    array.array may have one): nothing is read, numpy's result."""
    e = array.array("i")
    assert ga.sum(e) == 0 and type(ga.sum(e)) is np.int64
    r = _computed(lambda: ga.add(e, 1), np.asarray(e) + 1)
    assert isinstance(r, ga.Array) and r.shape == (0,)


@pytest.mark.parametrize("dtype", [">f8", ">i4", ">c16", ">u2"])
def test_non_native_byte_order_is_computed(dtype):
    """numpy's loops read non-native byte order through a native copy; so
    do the kernels (the result is native, as numpy's)."""
    x = np.arange(-5, 20).astype(dtype)
    _computed(lambda: ga.sum(x), np.sum(x))
    _computed(lambda: ga.add(x, x), x + x)
    _computed(lambda: ga.sum(memoryview(x)), np.sum(x))
    _computed(lambda: ga.negative(x), -x)
    before = x.copy()
    assert ga.scale(x, 2) is x
    assert x.dtype == np.dtype(dtype)
    assert_array_equal(x, before * 2)


def test_non_native_byte_order_output_written_correctly():
    out = np.zeros(6, dtype=">f8")
    assert ga.add(np.arange(6.0), 0.5, out=out) is out
    assert out.tolist() == [0.5, 1.5, 2.5, 3.5, 4.5, 5.5]
    total = np.zeros((), dtype=">f8")
    ga.sum(np.arange(6.0).reshape(1, 6), axis=(0, 1), out=total)
    assert total == 15.0


def test_structured_dtype_is_typeerror():
    s = np.zeros(4, dtype=[("a", "f8"), ("b", "i4")])
    for call in (lambda: ga.sum(s), lambda: ga.add(s, 1.0), lambda: ga.sum(memoryview(s)),
                 lambda: ga.max(s), lambda: ga.scale(s, 2.0)):
        with pytest.raises(TypeError, match="structured"):
            call()


# ---- thread count ------------------------------------------------------------

@pytest.fixture
def restore_threads():
    old = ga.get_num_threads()
    yield
    ga.set_num_threads(None)
    default = ga.get_num_threads()
    ga.set_num_threads(old if old != default else None)


def test_set_get_num_threads_round_trip(restore_threads):
    ga.set_num_threads(None)
    default = ga.get_num_threads()
    assert default >= 1
    for n in (1, 3, 7, default):
        ga.set_num_threads(n)
        assert ga.get_num_threads() == n
    ga.set_num_threads(0)
    assert ga.get_num_threads() == default
    with pytest.raises(TypeError):
        ga.set_num_threads(2.5)
    with pytest.raises(ValueError):
        ga.set_num_threads(-1)
    assert ga.get_num_threads() == default


def test_threads_zero_or_negative_is_valueerror():
    x = np.ones(10)
    for bad in (0, -2):
        with pytest.raises(ValueError):
            ga.sum(x, threads=bad)
        with pytest.raises(ValueError):
            ga.add(x, x, threads=bad)
        with pytest.raises(ValueError):
            ga.scale(x.copy(), 2.0, threads=bad)


def test_results_do_not_depend_on_thread_count(restore_threads):
    rng = np.random.default_rng(7)
    x = rng.standard_normal(1_000_003) * 10.0 ** rng.integers(-8, 8, 1_000_003)
    x32 = x.astype(np.float32)
    g = ga.array(x)
    ref = {}
    for t in (1, 2, 3, 8):
        got = (ga.sum(x, threads=t), ga.sum(g, threads=t), ga.sum(x32, threads=t), ga.mean(x, threads=t),
               np.asarray(ga.sum(x[:999_999].reshape(333, 3003), axis=1, threads=t)).tobytes(),
               np.asarray(ga.sum(x[:999_999].reshape(333, 3003), axis=0, threads=t)).tobytes())
        ga.set_num_threads(t)
        got_default = (ga.sum(x), ga.sum(g), ga.sum(x32), ga.mean(x),
                       np.asarray(ga.sum(x[:999_999].reshape(333, 3003), axis=1)).tobytes(),
                       np.asarray(ga.sum(x[:999_999].reshape(333, 3003), axis=0)).tobytes())
        for a, b in zip(got, got_default):
            assert (a.tobytes() if isinstance(a, np.generic) else a) == \
                (b.tobytes() if isinstance(b, np.generic) else b)
        ref.setdefault("first", got)
        for a, b in zip(got, ref["first"]):
            assert (a.tobytes() if isinstance(a, np.generic) else a) == \
                (b.tobytes() if isinstance(b, np.generic) else b), t
    np.testing.assert_allclose(ref["first"][0], np.sum(x), rtol=1e-9)


# ---- fork ------------------------------------------------------------------------

def _in_forked_child(fn):
    """fn() in a forked child; returns what it returns (JSON-able)."""
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:
        code = 1
        try:
            os.close(r)
            try:
                data = json.dumps({"ok": fn()})
            except BaseException as e:  # noqa: BLE001 - reported to the parent
                data = json.dumps({"error": f"{type(e).__name__}: {e}"})
            os.write(w, data.encode())
            code = 0
        finally:
            os._exit(code)
    os.close(w)
    chunks = []
    deadline = time.monotonic() + 15
    try:
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                os.kill(pid, signal.SIGKILL)
                pytest.fail("forked child hung")
            ready, _, _ = select.select([r], [], [], left)
            if ready:
                chunk = os.read(r, 65536)
                if not chunk:
                    break
                chunks.append(chunk)
    finally:
        os.close(r)
    _, status = os.waitpid(pid, 0)
    assert os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0
    out = json.loads(b"".join(chunks))
    assert "error" not in out, out
    return out["ok"]


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")
def test_kernels_after_fork_raise_runtimeerror():
    g = ga.ones(100_000)
    n = np.ones(100_000)
    small = np.ones(3)
    calls = {
        "add-numpy": lambda: ga.add(n, n),
        "add-numpy-out": lambda: ga.add(n, n, out=n),
        "add-goarray": lambda: ga.add(g, g),
        "add-small": lambda: ga.add(small, 1.0, out=small),
        "multiply-goarray-out": lambda: ga.multiply(g, 2.0, out=g),
        "sum-numpy": lambda: ga.sum(n),
        "sum-goarray": lambda: ga.sum(g),
        "min": lambda: ga.min(n),
        "max": lambda: ga.max(g),
        "mean": lambda: ga.mean(n),
        "scale-numpy": lambda: ga.scale(n, 2.0),
        "scale-goarray": lambda: ga.scale(g, 2.0),
        "get_num_threads": lambda: ga.get_num_threads(),
        "set_num_threads": lambda: ga.set_num_threads(2),
    }

    def child():
        res = {}
        for name, call in calls.items():
            t = time.monotonic()
            try:
                call()
                res[name] = ["no error", "", time.monotonic() - t]
            except BaseException as e:  # noqa: BLE001
                res[name] = [type(e).__name__, str(e), time.monotonic() - t]
        res["untouched"] = bool((n == 1).all() and (small == 1).all())
        return res

    res = _in_forked_child(child)
    assert res.pop("untouched")
    for name, (exc, msg, _seconds) in res.items():
        assert exc == "RuntimeError", f"{name}: {exc} {msg}"
        assert "spawn" in msg, f"{name}: {msg}"
    # the parent still works
    assert ga.sum(g) == 100_000.0
    assert g._exports == 0
    gc.collect()
