"""A Go kernel's error reaches the caller; numpy never recomputes a call
after its Go kernel failed. Calls a Go kernel does not cover are decided
before Go runs, and numpy computes them or raises its own error."""
import numpy as np
import pytest

import goarray as ga
from goarray import _goarray, _gocover
from goarray._compat import CLIP_NO_BOUNDS_ERROR, UFUNC_CASTS_WEAK_UNCHECKED


class KernelFailure(ValueError):
    """What a Go error of kind value becomes (TypeError, OverflowError and
    the others are raised the same way)."""


@pytest.fixture
def failing_kernel(monkeypatch):
    """Every general Go kernel call fails, as a Go error would; counts calls."""
    calls = []

    def kernel(*args, **kwargs):
        calls.append(args[0])
        raise KernelFailure("the Go kernel failed")

    monkeypatch.setattr(_goarray, "_call", kernel)
    return calls


def _m():
    a = ga.empty((4, 3))
    np.asarray(a)[...] = np.arange(12.0).reshape(4, 3)
    return a


CALLS = [
    ("np.add broadcast", lambda a: np.add(a, a[0])),
    ("np.subtract out=", lambda a: np.subtract(a, a[0], out=ga.empty((4, 3)))),
    ("operator broadcast", lambda a: a * a[0]),
    ("in-place broadcast", lambda a: a.__iadd__(a[0])),
    ("np.sqrt", lambda a: np.sqrt(a)),
    ("np.negative operator", lambda a: -a),
    ("np.add.reduce", lambda a: np.add.reduce(a, axis=0)),
    ("np.sum axis", lambda a: np.sum(a, axis=0)),
    ("np.max axis", lambda a: np.max(a, axis=1)),
    ("np.mean axis", lambda a: np.mean(a, axis=0)),
    ("np.argmax axis", lambda a: np.argmax(a, axis=0)),
]


@pytest.mark.parametrize("name,call", CALLS, ids=[c[0] for c in CALLS])
def test_go_error_is_raised_not_retried(failing_kernel, name, call):
    a = _m()
    with pytest.raises(KernelFailure, match="the Go kernel failed"):
        call(a)
    assert failing_kernel, "the call never reached its Go kernel"


@pytest.mark.parametrize("name,call", CALLS, ids=[c[0] for c in CALLS])
def test_same_calls_compute_numpys_values(name, call):
    a = _m()
    x = np.asarray(a).copy()
    got = call(a)
    want = call(x)
    assert type(got) is (ga.Array if isinstance(want, np.ndarray) else type(want))
    np.testing.assert_array_equal(np.asarray(got), want)
    assert np.asarray(got).dtype == want.dtype


def _same_error(call, a, x):
    with pytest.raises(Exception) as want:
        call(x)
    with pytest.raises(type(want.value)) as got:
        call(a)
    assert str(got.value) == str(want.value)


REFUSED = [
    ("shapes", lambda a: np.add(a, a[:, :2])),
    ("shapes operator", lambda a: a + a[:, :2]),
    ("out shape", lambda a: np.add(a, 1.0, out=ga.empty((3, 4)) if isinstance(a, ga.Array) else np.empty((3, 4)))),
    ("string operand", lambda a: np.add(a, "x")),
    ("dtype same_kind", lambda a: np.add(a, a, dtype="int8")),
    ("dtype no loop", lambda a: np.divide(a, a, dtype="int8")),
    ("casting", lambda a: np.sqrt(a, casting="bogus")),
    ("int out of range", lambda a: np.add(a.astype("int8"), 300)),
    ("axis out of range", lambda a: np.sum(a, axis=5)),
    ("bool axis", lambda a: np.sum(a, axis=True)),
    ("duplicate axes", lambda a: np.mean(a, axis=(0, 0))),
    ("reduce out shape", lambda a: np.sum(a, axis=0, out=ga.empty(4) if isinstance(a, ga.Array) else np.empty(4))),
    ("argmax tuple axis", lambda a: np.argmax(a, axis=(0,))),
    ("matmul shapes", lambda a: np.matmul(a, a)),
    ("dot shapes", lambda a: np.dot(a, a)),
]


@pytest.mark.parametrize("name,call", REFUSED, ids=[c[0] for c in REFUSED])
def test_refused_calls_raise_numpys_error(failing_kernel, name, call):
    a = _m()
    _same_error(call, a, np.asarray(a).copy())
    assert failing_kernel == [], "a call numpy refuses reached a Go kernel"


def test_read_only_out_is_numpys_error(failing_kernel):
    a = _m()
    o = ga.empty((4, 3))
    o.flags.writeable = False
    x = np.asarray(a).copy()
    xo = np.empty((4, 3))
    xo.flags.writeable = False
    _same_error(lambda v: np.add(v, v[0], out=o if v is a else xo), a, x)
    assert failing_kernel == []


def test_cover_decisions():
    a = _m()
    assert _gocover.ufunc_call(np.add, (a, a[0]), None)
    # numpy < 2.1 converts a Python scalar to dtype= by its own rules: numpy's call decides
    for scalar, dtype in ((2, "float32"), (2.5, "int8")):   # numpy accepts both
        assert _gocover.ufunc_call(np.add, (a, scalar), {"dtype": dtype, "casting": "unsafe"}) is \
            (not UFUNC_CASTS_WEAK_UNCHECKED)
    assert _gocover.ufunc_call(np.add, (a, [1, 2, 3]), None) is False
    assert _gocover.ufunc_call(np.add, (a, a), {"out": (ga.empty((4, 3)), ga.empty((4, 3)))}) is False
    assert _gocover.ufunc_call(np.add, (a.astype("int8"), 127), None)
    assert _gocover.ufunc_call(np.add, (a.astype("int8"), 128), None) is False
    assert _gocover.reduction(a, 1)
    assert _gocover.reduction(a, -3) is False
    assert _gocover.reduction(a, (0, 1), keepdims=True, out=ga.empty((1, 1)))
    assert _gocover.reduction(a, 0, out=ga.empty((1, 3))) is False
    assert _gocover.reduction(a, 0, dtype="U3") is False


GO_COVERED = [
    ("clip int bounds", lambda a: np.clip(a.astype("int16"), 0, 10)),
    # numpy < 2.1 refuses clip without bounds (its error, test_clip_missing_bound_is_numpys_error)
    *([] if CLIP_NO_BOUNDS_ERROR else [("clip no bounds", lambda a: np.clip(a, None, None))]),
    ("clip array bound", lambda a: np.clip(a, a[0], 5.0)),
    # numpy < 2.1 converts a Python scalar to dtype= by its own rules: numpy computes it
    *([] if UFUNC_CASTS_WEAK_UNCHECKED else
      [("unsafe dtype with a scalar", lambda a: np.add(a, 2, dtype="float32", casting="unsafe"))]),
    ("out tuple", lambda a: np.multiply(a, 2.0, out=(ga.empty((4, 3)),))),
    ("dot", lambda a: np.dot(a, a.T)),
    ("matmul", lambda a: np.matmul(a, a.T)),
]


@pytest.mark.parametrize("name,call", GO_COVERED, ids=[c[0] for c in GO_COVERED])
def test_covered_calls_compute_in_go(name, call):
    """Calls the Go kernels cover stay theirs: the result owns Go memory
    (numpy's results are wrapped, with numpy's array as base)."""
    a = _m()
    got = call(a)
    assert type(got) is ga.Array and got.base is None and got.flags.owndata
    want = call(np.asarray(a).copy())
    np.testing.assert_array_equal(np.asarray(got), want)
    assert got.dtype == want.dtype


def test_clip_missing_bound_is_numpys_error(failing_kernel):
    a = _m()
    _same_error(lambda v: np.clip(v, 1), a, np.asarray(a).copy())
    assert failing_kernel == []
