"""Leak check per export and kernel kind, error paths included
(scripts/stress_leaks.py; `make stress` runs it for 1e6 cycles): 1e5 cycles
of each scenario leave the live Go handle count and the allocator's bytes
where they were, and grow RSS by at most 2 MiB.

Beyond tests/test_leaks.py (create/drop with views), this covers every
export path (memoryview, numpy, __array_interface__, from_buffer, DLPack
out, in and never consumed, pickle 4 and 5), every kernel kind (binary,
reduction, unary, matmul, out=, fancy indexing, resize) and the refusal
paths (shape errors, read-only writes, resize with a live view, a bad
DLPack stream), and it checks the handle count, not RSS alone."""
import os
import sys

import pytest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir, "scripts"))
import stress_leaks  # noqa: E402

CYCLES = 100_000


@pytest.mark.parametrize("name", sorted(stress_leaks.SCENARIOS))
def test_no_leak(name):
    growth, handles, allocated, _ = stress_leaks.measure(name, CYCLES)
    assert handles == 0, f"{name}: {handles:+d} Go handles after {CYCLES} cycles"
    assert allocated == 0, f"{name}: {allocated:+d} bytes still allocated after {CYCLES} cycles"
    if "libasan" in os.environ.get("LD_PRELOAD", ""):
        return   # AddressSanitizer's quarantine keeps freed memory: RSS says nothing (make sanitize)
    if growth > stress_leaks.BOUND:   # RSS is noisy: confirm with a second round before failing
        growth, _, _, _ = stress_leaks.measure(name, CYCLES)
    assert growth <= stress_leaks.BOUND, f"{name}: RSS grew {growth / 2**20:.2f} MiB per 1e5 cycles"


def test_leak_check_can_fail():
    """The check sees a real leak: keeping 64 bytes per cycle is over the bound."""
    kept = []
    stress_leaks.SCENARIOS["_leaky"] = lambda i: kept.append(bytearray(64))
    try:
        growth, _, _, _ = stress_leaks.measure("_leaky", CYCLES)
    finally:
        del stress_leaks.SCENARIOS["_leaky"]
    assert growth > stress_leaks.BOUND
    kept.clear()
