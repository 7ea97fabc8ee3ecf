"""Fuzzing the DLPack import's shape and stride checks (bindings/dlpack_import.c,
then the Go layout checks) with hostile tensors: any shape and strides,
extremes included. goarray either refuses with BufferError or ValueError,
or makes an array with exactly the tensor's shape and byte strides whose
byte range fits in an address; the producer's deleter runs exactly once
either way; and where the tensor stays inside its memory, the values are
numpy's."""
import gc
import math

import numpy as np
from hypothesis import given, settings, strategies as st

import goarray as ga
from conftest import NUMPY_2_1
from test_dlpack import CProducer

EXTREMES = [0, 1, 2, 3, 2**31, 2**32, 2**40, 2**59, 2**61, 2**62, 2**63 - 1]
dims = st.one_of(st.integers(0, 4), st.sampled_from(EXTREMES), st.integers(-3, -1))
strides = st.one_of(st.integers(-4, 4), st.sampled_from(EXTREMES + [-e for e in EXTREMES[1:]] + [-2**63]))


def exact_range(shape, strides_bytes, itemsize):
    if any(d == 0 for d in shape):
        return 0, 0
    lo = sum(s * (d - 1) for d, s in zip(shape, strides_bytes) if s < 0)
    hi = sum(s * (d - 1) for d, s in zip(shape, strides_bytes) if s > 0) + itemsize
    return lo, hi


@settings(max_examples=400, deadline=None)
@given(st.lists(st.tuples(dims, strides), max_size=4), st.booleans(), st.sampled_from(["f8", "i2", "u1", "c16"]))
def test_hostile_tensor_shapes(axes, no_strides, dtype):
    x = np.arange(24).astype(dtype)
    shape = tuple(d for d, _ in axes)
    st_ = None if no_strides else tuple(s for _, s in axes)
    p = CProducer(x, shape=shape, strides=st_)
    try:
        g = ga.from_dlpack(p)
    except (BufferError, ValueError):
        g = None
    item = x.itemsize
    if g is not None:
        assert g.shape == shape
        nbytes = math.prod(shape) * item
        assert nbytes < 2**63 and g.nbytes == nbytes
        if g.size:
            want = tuple(s * item for s in st_) if st_ is not None else None
            if want is not None:
                assert tuple(s for s, d in zip(g.strides, shape) if d > 1) == \
                    tuple(s for s, d in zip(want, shape) if d > 1)
            lo, hi = exact_range(shape, g.strides, item)
            assert -2**63 <= lo and hi < 2**63 and hi - lo < 2**63
            if lo >= 0 and hi <= x.nbytes and g.size <= 4096:   # inside the producer's memory: numpy's values
                if NUMPY_2_1:
                    n = np.from_dlpack(CProducer(x, shape=shape, strides=st_))
                else:  # numpy 2.0 reads no versioned (DLPack 1.0) capsules: the same elements, strided
                    n = np.lib.stride_tricks.as_strided(x, shape, g.strides)
                assert np.asarray(g).tobytes() == n.tobytes()
        del g
    gc.collect()
    assert p.deleted == 1
