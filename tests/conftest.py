"""Shared helpers for the goarray test suite.

numpy is the reference throughout: every test builds the same thing with
goarray and with numpy and compares what can be observed (values, shape,
strides, dtype, flags, exceptions).

The vocabulary used by the test files:

* ``DTYPES``: the 14 dtypes goarray supports, as numpy.dtype objects.
* ``sample(shape, dtype, order)``: deterministic, mostly distinct values
  in a fresh numpy array that owns its memory.
* ``ga_from(n)``: a Go-backed owner with the same layout (C or F) and values
  as the contiguous numpy array ``n``, made only with ``ga.empty`` and the
  buffer protocol (so that layout tests do not depend on ``ga.array``).
* ``LAYOUTS``: named layouts (C, F, offsets, steps, negative strides, zero
  strides, empty, 0-d, 32 dimensions, ...), each a base shape, a base order
  and a function applied identically to a goarray and a numpy owner.
* ``make_pair(layout, dtype)``: ``Pair(g, n, g_owner, n_owner)``.
* ``strided_pairs()``: a hypothesis strategy of random strided layouts.
"""
import gc
import math
from dataclasses import dataclass

import numpy as np
import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

import goarray as ga

settings.register_profile(
    "goarray",
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    print_blob=True,
)
# A longer search for local bug hunting: pytest --hypothesis-profile=thorough
settings.register_profile("thorough", parent=settings.get_profile("goarray"), max_examples=1500)
settings.load_profile("goarray")

# goarray supports numpy >= 2.0 and follows the installed version where
# numpy changed; tests that take numpy as the reference for something an
# older numpy lacks skip there (with the version in the reason).
NUMPY = np.lib.NumpyVersion(np.__version__)
# DLPack 1.0 (numpy 2.1): __dlpack__(max_version=, copy=, dl_device=),
# from_dlpack(copy=, device=), versioned capsules, read-only exports;
# reshape(copy=); clip() without bounds; NEP 50 in copyto.
NUMPY_2_1 = NUMPY >= "2.1.0"

DTYPE_NAMES = ["bool", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64",
               "float16", "float32", "float64", "complex64", "complex128"]
DTYPES = [np.dtype(n) for n in DTYPE_NAMES]

# Formats memoryview cannot unpack on Python 3.11 (tolist/indexing).
UNPACKABLE_FORMATS = {"e", "Zf", "Zd"}


def dtype_param(dt):
    return pytest.param(dt, id=dt.name)


DTYPE_PARAMS = [dtype_param(d) for d in DTYPES]


def sample(shape, dtype, order="C"):
    """A fresh numpy array owning its memory, with deterministic values."""
    dt = np.dtype(dtype)
    shape = tuple(shape)
    k = np.arange(math.prod(shape))
    if dt.kind == "b":
        v = (k % 3) == 1
    elif dt.kind == "u":
        v = (k * 7 + 3) % 101
    elif dt.kind == "i":
        v = (k * 7 + 3) % 101 - 50
    elif dt.kind == "f":
        v = ((k * 7 + 3) % 101) * 0.5 - 20
    else:
        v = (((k * 7 + 3) % 101) * 0.5 - 20) + 1j * (k % 5 - 2)
    return np.array(v.astype(dt).reshape(shape), order=order)


def other_value(dtype, old):
    """A value of dtype different from old (a numpy scalar)."""
    dt = np.dtype(dtype)
    if dt.kind == "b":
        return np.bool_(not old)
    if dt.kind == "c":
        return dt.type(complex(old) + (3 + 1j))
    return dt.type(old + 1) if old < 100 else dt.type(old - 1)


def ga_from(n, order=None):
    """A Go-backed owner with n's values and n's (C or F) layout."""
    assert n.flags.c_contiguous or n.flags.f_contiguous
    if order is None:
        order = "F" if (n.flags.f_contiguous and not n.flags.c_contiguous) else "C"
    g = ga.empty(n.shape, n.dtype, order)
    np.copyto(np.asarray(g), n)
    return g


def _ident(x, xp):
    return x


SHAPE32 = (2,) + (1,) * 14 + (3,) + (1,) * 15 + (2,)   # 32 dims, 12 elements
assert len(SHAPE32) == 32

# name -> (base shape, base order, function(x, xp) with xp = numpy or goarray)
LAYOUTS = {
    "c1": ((7,), "C", _ident),
    "c2": ((3, 4), "C", _ident),
    "f2": ((3, 4), "F", _ident),
    "c3": ((2, 3, 4), "C", _ident),
    "f3": ((2, 3, 4), "F", _ident),
    "0d": ((), "C", _ident),
    "single": ((1,), "C", _ident),
    "ones": ((1, 1, 1), "C", _ident),
    "offset": ((5, 6), "C", lambda x, xp: x[1:, 2:]),
    "offset1d": ((9,), "C", lambda x, xp: x[3:7]),
    "step": ((6, 7), "C", lambda x, xp: x[::2, 1::3]),
    "neg1d": ((7,), "C", lambda x, xp: x[::-1]),
    "neg": ((4, 5), "C", lambda x, xp: x[::-1, ::-2]),
    "negF": ((4, 5), "F", lambda x, xp: x[:, ::-1]),
    "T": ((3, 4), "C", lambda x, xp: x.T),
    "perm3": ((2, 3, 4), "C", lambda x, xp: x.transpose(1, 2, 0)),
    "col": ((3, 4), "C", lambda x, xp: x[:, 1:2]),
    "row": ((3, 4), "C", lambda x, xp: x[1:2]),
    "elem0d": ((3, 4), "C", lambda x, xp: x[1, 2, ...]),
    "newaxis": ((3, 4), "C", lambda x, xp: x[:, None, ::2]),
    "bcast-row": ((4,), "C", lambda x, xp: xp.broadcast_to(x, (3, 4))),
    "bcast-0d": ((), "C", lambda x, xp: xp.broadcast_to(x, (2, 3))),
    "bcast-col": ((3, 1), "C", lambda x, xp: xp.broadcast_to(x, (2, 3, 5))),
    "zero": ((3, 0, 2), "C", _ident),
    "zero-slice": ((4, 3), "C", lambda x, xp: x[2:2]),
    "zero-offset": ((4, 3), "C", lambda x, xp: x[1:, 3:]),
    "ndim32": (SHAPE32, "C", _ident),
    "ndim32F": (SHAPE32, "F", _ident),
    "ndim32-strided": (SHAPE32, "C", lambda x, xp: x[::-1, ..., 1:]),
}
LAYOUT_NAMES = list(LAYOUTS)
# Layouts that can be written to (not broadcast).
WRITABLE_LAYOUTS = [k for k in LAYOUT_NAMES if not k.startswith("bcast")]


@dataclass
class Pair:
    g: object           # the goarray array under test
    n: np.ndarray       # numpy's array built the same way
    g_owner: object     # the goarray owner g views (or g)
    n_owner: np.ndarray


def make_pair(layout, dtype):
    shape, order, fn = LAYOUTS[layout]
    n_owner = sample(shape, dtype, order)
    g_owner = ga_from(n_owner, order)
    return Pair(fn(g_owner, ga), fn(n_owner, np), g_owner, n_owner)


def first_index(shape):
    return tuple(0 for _ in shape)


def last_index(shape):
    return tuple(d - 1 for d in shape)


def assert_values(g, n):
    """Same dtype, shape and bytes (in C order)."""
    v = np.asarray(g)
    assert v.dtype == n.dtype
    assert v.shape == n.shape
    assert v.tobytes() == n.tobytes()


def assert_matches(g, n, strides=True):
    """g (a ga.Array) describes the same array as numpy's n."""
    assert isinstance(g, ga.Array), type(g)
    assert g.shape == n.shape
    assert g.dtype == n.dtype
    assert g.ndim == n.ndim
    assert g.size == n.size
    assert g.itemsize == n.itemsize
    assert g.nbytes == n.nbytes
    if strides and n.size > 0:
        assert g.strides == n.strides
    assert_values(g, n)


def alive_bytes():
    gc.collect()
    return ga._allocated_bytes()


@pytest.fixture
def no_leak():
    """Asserts ga._allocated_bytes() is back to its starting value."""
    start = alive_bytes()
    yield
    assert alive_bytes() == start


@pytest.fixture(scope="session")
def testbuffer():
    return pytest.importorskip("_testbuffer")


# ---- hypothesis: random strided layouts -----------------------------------

@dataclass
class Strided:
    dtype: np.dtype
    shape: tuple
    order: str
    index: tuple
    perm: tuple

    def build(self):
        n_owner = sample(self.shape, self.dtype, self.order)
        g_owner = ga_from(n_owner, self.order)
        n = n_owner[self.index].transpose(self.perm)
        g = g_owner[self.index].transpose(self.perm)
        return Pair(g, n, g_owner, n_owner)


@st.composite
def _axis_item(draw, n):
    """One index item for an axis of length n: a slice, or an integer."""
    if n > 0 and draw(st.integers(0, 4)) == 0:
        return draw(st.integers(-n, n - 1))
    bound = st.one_of(st.none(), st.integers(-n - 2, n + 2))
    step = draw(st.one_of(st.none(), st.integers(-3, 3).filter(bool)))
    s = slice(draw(bound), draw(bound), step)
    if len(range(*s.indices(n))) == 0 and s.step not in (None, 1):
        # numpy resets the step of an empty slice to 1; that corner is
        # tested in test_indexing.py, not relied upon to build layouts.
        s = slice(s.start, s.stop, None)
    return s


@st.composite
def strided_layouts(draw, dtypes=DTYPES, max_dims=4, max_side=5, min_side=0):
    dtype = draw(st.sampled_from(dtypes))
    ndim = draw(st.integers(0, max_dims))
    shape = tuple(draw(st.lists(st.integers(min_side, max_side), min_size=ndim, max_size=ndim)))
    order = draw(st.sampled_from("CF"))
    index = []
    for d in shape:
        index.append(draw(_axis_item(d)))
        if draw(st.integers(0, 6)) == 0:
            index.append(None)
    index.append(Ellipsis)  # never a scalar
    index = tuple(index)
    rdim = np.empty(shape, dtype="u1")[index].ndim
    perm = tuple(draw(st.permutations(range(rdim))))
    return Strided(np.dtype(dtype), shape, order, index, perm)


def strided_pairs(**kw):
    return strided_layouts(**kw).map(lambda s: s.build())
