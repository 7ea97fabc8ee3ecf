"""Index keys whose __index__ fails: a[obj] and a[obj] = v, with obj alone or
inside a tuple, raise what numpy raises for the same key on an ndarray of the
same shape. numpy answers IndexError ("only integers, slices ... are valid
indices") whatever __index__ raised, with no chained exception; a slice whose
bound fails lets that exception through (Python's slice handling). The array
is left unchanged, and keys whose __index__ works index as the int they
return."""
import numpy as np
import pytest

import goarray as ga
from conftest import DTYPE_PARAMS, ga_from, sample


class Failing:
    """An object whose __index__ raises exc."""

    def __init__(self, exc):
        self.exc = exc

    def __index__(self):
        raise self.exc

    def __repr__(self):
        return f"Failing({type(self.exc).__name__})"


class Index:
    """An object whose __index__ returns i."""

    def __init__(self, i):
        self.i = i

    def __index__(self):
        return self.i


class CustomError(Exception):
    pass


def _errors():
    return [ValueError("bad value"), TypeError("bad type"), ZeroDivisionError("div"), OverflowError("big"),
            RuntimeError("rt"), LookupError("lookup"), CustomError("custom"), KeyboardInterrupt()]


ERRORS = [pytest.param(e, id=type(e).__name__) for e in _errors()]

SHAPES = [(5,), (3, 4), (2, 3, 4)]


def _keys(ndim, bad):
    """Keys of the forms numpy indexes, with bad in them."""
    keys = [bad, (bad,)]
    if ndim >= 2:
        keys += [(bad, 1), (1, bad), (slice(None), bad), (bad, slice(1, 3)), (Ellipsis, bad), (None, bad),
                 (bad, Ellipsis), (bad, None, 0)]
    if ndim >= 3:
        keys += [(0, 1, bad), (bad, 0, 0), (0, slice(None, None, -1), bad)]
    return keys


def _outcome(f):
    try:
        return "ok", f()
    except BaseException as e:  # noqa: BLE001  (KeyboardInterrupt from __index__ is part of the contract)
        return "raised", e


def _assert_same_error(got, ref, where):
    kind_g, eg = got
    kind_n, en = ref
    assert kind_n == "raised", f"{where}: numpy accepted the key"
    assert kind_g == "raised", f"{where}: goarray accepted the key numpy refuses ({en!r})"
    assert type(eg) is type(en), f"{where}: goarray raised {eg!r}, numpy {en!r}"
    assert str(eg) == str(en), where
    assert eg.__cause__ is None and en.__cause__ is None, where
    assert (eg.__context__ is None) == (en.__context__ is None), where


def _pair(shape, dtype="int64"):
    n = sample(shape, dtype)
    return ga_from(n), n


@pytest.mark.parametrize("exc", ERRORS)
@pytest.mark.parametrize("shape", SHAPES, ids=str)
def test_getitem_failing_index_is_numpys_error(shape, exc):
    g, n = _pair(shape)
    for key in _keys(len(shape), Failing(exc)):
        got, ref = _outcome(lambda: g[key]), _outcome(lambda: n[key])
        _assert_same_error(got, ref, f"a[{key!r}]")
        if type(exc) is not KeyboardInterrupt and not isinstance(key, slice):
            assert type(got[1]) is IndexError, key


@pytest.mark.parametrize("exc", ERRORS)
@pytest.mark.parametrize("shape", SHAPES, ids=str)
def test_setitem_failing_index_is_numpys_error(shape, exc):
    g, n = _pair(shape)
    before = np.array(n)
    for key in _keys(len(shape), Failing(exc)):
        for value in (7, 2.5, np.int64(3)):
            def set_g():
                g[key] = value

            def set_n():
                n[key] = value

            got, ref = _outcome(set_g), _outcome(set_n)
            _assert_same_error(got, ref, f"a[{key!r}] = {value!r}")
    np.testing.assert_array_equal(np.asarray(g), before)
    np.testing.assert_array_equal(n, before)


def test_the_exception_is_indexerror_with_numpys_message():
    g = ga.arange(6).reshape(2, 3)
    for key in (Failing(ValueError("boom")), (Failing(ValueError("boom")), 0), (0, Failing(TypeError("t")))):
        with pytest.raises(IndexError, match="only integers, slices") as e:
            g[key]
        assert e.value.__cause__ is None and e.value.__context__ is None
        with pytest.raises(IndexError, match="only integers, slices"):
            g[key] = 1


@pytest.mark.parametrize("exc", ERRORS)
def test_slice_bound_failing_propagates_as_in_numpy(exc):
    g, n = _pair((3, 4))
    for key in (slice(Failing(exc), None), (0, slice(None, Failing(exc))), (slice(None), slice(None, None, Failing(exc)))):
        _assert_same_error(_outcome(lambda: g[key]), _outcome(lambda: n[key]), f"a[{key!r}]")

        def set_g():
            g[key] = 0

        def set_n():
            n[key] = 0

        _assert_same_error(_outcome(set_g), _outcome(set_n), f"a[{key!r}] = 0")


def test_failing_index_on_0d_array():
    g, n = ga.zeros(()), np.zeros(())
    for key in (Failing(ValueError("x")), (Failing(ValueError("x")),)):
        _assert_same_error(_outcome(lambda: g[key]), _outcome(lambda: n[key]), repr(key))


@pytest.mark.parametrize("dt", DTYPE_PARAMS)
def test_working_index_objects_index_as_their_int(dt):
    g, n = _pair((3, 4), dt)
    for key in (Index(1), (Index(2), Index(-1)), (Index(0), slice(Index(1), Index(3))), (Ellipsis, Index(3))):
        rg, rn = g[key], n[key]
        np.testing.assert_array_equal(np.asarray(rg), rn)
        assert np.asarray(rg).dtype == rn.dtype and np.shape(rg) == np.shape(rn)
    g[Index(1), Index(2)] = 1
    n[Index(1), Index(2)] = 1
    np.testing.assert_array_equal(np.asarray(g), n)


def test_out_of_range_index_objects_raise_numpys_error():
    g, n = _pair((3, 4))
    for key in (Index(3), (0, Index(-5)), Index(2**70), (Index(-(2**70)), 0)):
        got, ref = _outcome(lambda: g[key]), _outcome(lambda: n[key])
        _assert_same_error(got, ref, repr(key))
