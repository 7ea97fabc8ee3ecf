"""Typical goarray code, type-checked with ``mypy --strict`` against the
package's stub (test_typing.py) and run as a script to show it is real.

Not collected by pytest (no test_ prefix).
"""
from typing import Any, assert_type

import numpy as np
import numpy.typing as npt

import goarray as ga


def normalise(x: ga.Array) -> ga.Array:
    """x scaled to mean 0 and standard deviation 1, in new Go memory."""
    centred = ga.subtract(x, ga.mean(x))
    return ga.divide(centred, ga.std(x))


def main() -> None:
    # creation
    a = ga.zeros((3, 4), dtype="float32")
    b = ga.ones(4, dtype=np.float32)
    c = ga.full((2, 2), 1.5, order="F")
    d = ga.arange(12.0).reshape(3, 4)
    e = ga.array([[1, 2], [3, 4]], dtype="int64", copy=True)
    f = ga.asarray(np.linspace(0.0, 1.0, 5))
    g = ga.empty_like(d, shape=(4, 3))
    h = ga.broadcast_to(ga.arange(4), (3, 4))
    assert_type(a, ga.Array)
    assert_type(g, ga.Array)

    # attributes and views
    assert_type(d.shape, tuple[int, ...])
    assert_type(d.dtype, np.dtype[Any])
    assert_type(d.flags.c_contiguous, bool)
    t = d.T.copy(order="K")
    row = d[1]
    assert d.ndim == 2 and t.shape == (4, 3) and h.strides[0] == 0 and c.flags.f_contiguous
    assert len(row) == 4 and e.tolist() == [[1, 2], [3, 4]]
    d.flags.writeable = True

    # kernels on goarray arrays, numpy arrays and other buffers
    s = ga.add(a, b, threads=1)
    ga.multiply(s, 2.0, out=s)
    ga.scale(s, 0.5)
    ga.copyto(a, s, casting="same_kind")
    ga.fill(a, 0)
    total = ga.sum(d, axis=0, keepdims=True)
    best = ga.argmax(d, axis=1)
    m = ga.mean(np.arange(10.0))
    prod = ga.matmul(d, np.ones(4))
    v = ga.dot(np.ones(3), np.ones(3))
    clipped = d.clip(1.0, 5.0)
    z = normalise(f)
    assert float(ga.sum(ga.exp(ga.log(ga.sqrt(ga.abs(ga.negative(f))))) ** 2)) > 0
    assert float(m) == 4.5 and float(v) == 3.0 and z.shape == (5,)
    assert total.shape == (1, 4) and best.tolist() == [3, 3, 3] and prod.shape == (3,)
    assert bool(ga.all(ga.maximum(clipped, 1.0) >= 1.0)) and ga.count_nonzero(a) == 0
    assert float(d.var(ddof=1)) > float(d.std()) and int(d.min()) == 0 and float(ga.max(d)) == 11.0

    # operators
    k = (d + 1) * 2 - d / 4
    k += 1
    k **= 2
    mask = (k > 10) & (d != 0)
    _ = -k, abs(k), k @ np.ones(4), 1.0 - k
    assert mask.dtype == np.bool_

    # numpy interop: zero-copy in both directions
    n: npt.NDArray[np.float64] = np.asarray(d)
    n[0, 0] = 42.0
    assert float(d[0, 0]) == 42.0
    assert isinstance(np.sin(d), ga.Array) and isinstance(np.concatenate([d, d]), ga.Array)
    view = ga.from_buffer(n)
    assert_type(ga.from_dlpack(n, copy=False), ga.Array)
    assert np.from_dlpack(view).shape == (3, 4)
    mv = memoryview(view)
    assert mv.shape == (3, 4)
    mv.release()

    # process-wide settings and build information
    previous = ga.get_num_threads()
    assert ga.set_num_threads(1) == 1
    ga.set_num_threads(previous)
    assert_type(ga.go_version(), str)
    assert_type(ga.allocator_info(), str)
    assert ga.MAX_DIMS >= 32

    # dask (optional at run time)
    try:
        registered = ga.register_dask()
    except ImportError:
        registered = False
    assert_type(registered, bool)


if __name__ == "__main__":
    main()
    print("typing_usage: OK")
