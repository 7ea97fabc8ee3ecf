"""dtype arguments: every spelling numpy accepts for the 14 supported dtypes
gives numpy's dtype; anything else is a TypeError naming the accepted dtypes."""
import numpy as np
import pytest

import goarray as ga
from conftest import DTYPE_NAMES, DTYPES

SPELLINGS = [
    # numpy.dtype objects and numpy scalar types
    *DTYPES, *[d.type for d in DTYPES],
    # names, kind+size codes, native-order codes, type characters
    *DTYPE_NAMES, *[d.str for d in DTYPES], *[d.char for d in DTYPES],
    "f4", "<f4", "=f4", "|b1", "?", "b1", "i1", "u1", "i2", "<i2", "u2", "i4", "u4", "i8", "<u8",
    "f2", "e", "f8", "d", "c8", "c16", "F", "D", "half", "single", "double", "float", "int", "uint",
    "intp", "uintp", "byte", "ubyte", "short", "ushort", "intc", "uintc", "longlong", "ulonglong",
    "cdouble", "csingle", "bool_", "long", "ulong",
    # Python types
    float, int, bool, complex,
    np.intp, np.uintp, np.longlong, np.double, np.single, np.half, np.csingle, np.cdouble,
]


@pytest.mark.parametrize("spelling", SPELLINGS, ids=[repr(s) for s in SPELLINGS])
def test_dtype_spellings(spelling):
    try:
        expected = np.dtype(spelling)
    except TypeError:
        pytest.skip(f"numpy {np.__version__} does not know {spelling!r}")
    for make in (lambda d: ga.zeros(2, d), lambda d: ga.empty((1, 2), dtype=d),
                 lambda d: ga.ones(2, dtype=d), lambda d: ga.array([1, 0], dtype=d),
                 lambda d: ga.full(2, 1, dtype=d), lambda d: ga.zeros(2).astype(d),
                 lambda d: ga.arange(2, dtype=d)):
        a = make(spelling)
        assert a.dtype == expected
        assert a.itemsize == expected.itemsize


def test_dtype_attribute_is_numpy_dtype():
    for d in DTYPES:
        a = ga.zeros(1, d)
        assert isinstance(a.dtype, np.dtype)
        assert a.dtype == d and a.dtype.str == d.str and a.dtype.name == d.name


def test_default_dtype_is_float64():
    assert ga.zeros(3).dtype == np.zeros(3).dtype
    assert ga.empty(3, None).dtype == np.empty(3, None).dtype
    assert ga.ones(3).dtype == np.ones(3).dtype


REFUSED = ["float128", "longdouble", "g", "clongdouble", "G", "U5", "S3", "V8", object, "O", str, bytes,
           "M8[s]", "m8[ns]", "datetime64", [("a", "f4"), ("b", "i4")], "(2,)f4", "foo", "float33",
           "int128", 3.5]


@pytest.mark.parametrize("bad", REFUSED, ids=[repr(b) for b in REFUSED])
def test_unsupported_dtype_is_type_error(bad):
    for make in (lambda d: ga.zeros(2, d), lambda d: ga.empty(2, dtype=d), lambda d: ga.ones(2, d),
                 lambda d: ga.full(2, 0, dtype=d), lambda d: ga.array([1], dtype=d),
                 lambda d: ga.zeros(2).astype(d), lambda d: ga.zeros(2).view(d)):
        with pytest.raises(TypeError) as e:
            make(bad)
        msg = str(e.value)
        for name in DTYPE_NAMES:
            assert name in msg, (bad, msg)


def test_unsupported_dtype_of_source_is_type_error():
    for src in [np.array(["a", "b"]), np.array([1, None], dtype=object), np.zeros(2, "M8[s]"),
                np.zeros(2, np.longdouble), np.zeros(2, [("a", "i4")])]:
        with pytest.raises(TypeError) as e:
            ga.array(src)
        assert "float64" in str(e.value) and "complex128" in str(e.value)
