"""Every PEP 3118 request-flag combination, asked through _testbuffer: goarray
grants and refuses exactly what numpy grants and refuses for the same layout
(refusals are BufferError; numpy's are ValueError or BufferError), the granted
views agree with numpy's, and the C getbuffer agrees with pybuf's Go rule
(goarray._goarray._check_request)."""
from itertools import combinations

import pytest
from hypothesis import given

import goarray as ga
from goarray import _goarray
from conftest import DTYPE_PARAMS, LAYOUT_NAMES, make_pair, strided_pairs

tb = pytest.importorskip("_testbuffer")

FLAG_NAMES = ["PyBUF_WRITABLE", "PyBUF_FORMAT", "PyBUF_ND", "PyBUF_STRIDES", "PyBUF_C_CONTIGUOUS",
              "PyBUF_F_CONTIGUOUS", "PyBUF_ANY_CONTIGUOUS", "PyBUF_INDIRECT"]


def _all_requests():
    """Every distinct flags value made of a subset of FLAG_NAMES."""
    values = {}
    for r in range(len(FLAG_NAMES) + 1):
        for names in combinations(FLAG_NAMES, r):
            flags = 0
            for name in names:
                flags |= getattr(tb, name)
            values.setdefault(flags, "|".join(n[6:] for n in names) or "SIMPLE")
    return values


REQUESTS = _all_requests()
REFUSED_BY_NUMPY = (ValueError, BufferError)
MARK = "goarray.Array is "


def request(exporter, flags):
    """The granted view's description, or the refusal exception."""
    try:
        ex = tb.ndarray(exporter, getbuf=flags)
    except REFUSED_BY_NUMPY as e:
        return e
    return dict(ndim=ex.ndim, shape=ex.shape, strides=ex.strides, format=ex.format,
                readonly=ex.readonly, suboffsets=ex.suboffsets, itemsize=ex.itemsize,
                nbytes=ex.nbytes, contiguous=ex.contiguous, c_contiguous=ex.c_contiguous,
                f_contiguous=ex.f_contiguous, bytes=ex.tobytes())


def check_all_requests(g, n):
    exports = g._exports
    for flags, name in REQUESTS.items():
        got, ref = request(g, flags), request(n, flags)
        where = f"flags {name} (0x{flags:x})"
        if isinstance(ref, Exception):
            assert isinstance(got, BufferError), f"{where}: numpy refuses ({ref}), goarray gives {got!r}"
        else:
            assert isinstance(got, dict), f"{where}: numpy grants, goarray refuses: {got}"
            assert got == ref, where
        reason = _goarray._check_request(g._bits & 7, flags)
        if isinstance(got, BufferError):
            assert reason is not None, f"{where}: getbuffer refused ({got}) but pybuf.Check grants"
            assert MARK in str(got) and MARK in reason
            assert str(got).split(MARK, 1)[1] == reason.split(MARK, 1)[1], where
        else:
            assert reason is None, f"{where}: getbuffer granted but pybuf.Check refuses: {reason}"
        assert g._exports == exports, where
    return exports


@pytest.mark.parametrize("readonly", [False, True], ids=["rw", "ro"])
@pytest.mark.parametrize("layout", LAYOUT_NAMES)
@pytest.mark.parametrize("dt", DTYPE_PARAMS)
def test_requests_match_numpy(dt, layout, readonly):
    p = make_pair(layout, dt)
    if readonly:
        p.g.flags.writeable = False
        p.n.flags.writeable = False
    assert p.g.flags.writeable == p.n.flags.writeable
    check_all_requests(p.g, p.n)


@given(strided_pairs())
def test_random_layout_requests(p):
    check_all_requests(p.g, p.n)


def test_request_count_is_complete():
    # 4 (WRITABLE x FORMAT) x 18 structural combinations
    assert len(REQUESTS) == 72


@pytest.mark.parametrize("bits", range(8))
def test_check_request_rules(bits):
    """pybuf's rule is numpy's array_getbuffer, rule by rule, for every bit pattern."""
    c, f, ro = bits & 1, bits & 2, bits & 4
    for flags in REQUESTS:
        reason = _goarray._check_request(bits, flags)
        if (flags & tb.PyBUF_C_CONTIGUOUS) == tb.PyBUF_C_CONTIGUOUS and not c:
            expect = "not C-contiguous"
        elif (flags & tb.PyBUF_F_CONTIGUOUS) == tb.PyBUF_F_CONTIGUOUS and not f:
            expect = "not Fortran contiguous"
        elif (flags & tb.PyBUF_ANY_CONTIGUOUS) == tb.PyBUF_ANY_CONTIGUOUS and not c and not f:
            expect = "not contiguous"
        elif (flags & tb.PyBUF_STRIDES) != tb.PyBUF_STRIDES and not c:
            expect = "not C-contiguous, and"
        elif flags & tb.PyBUF_WRITABLE and ro:
            expect = "read-only"
        else:
            expect = None
        if expect is None:
            assert reason is None, (bits, flags, reason)
        else:
            assert reason is not None and reason.split(MARK, 1)[1].startswith(expect), (bits, flags, reason)


def test_exports_released_after_testbuffer_views():
    g = ga.zeros((3, 4))
    views = [tb.ndarray(g, getbuf=tb.PyBUF_FULL_RO) for _ in range(3)]
    assert g._exports == 3
    del views
    assert g._exports == 0
    g.resize((2, 2))
