"""The Go kernel registry is the only source of dtype and operation codes:
Python's tables and C's header (bindings/codes.h) equal the registry's,
every kernel call names a registered family and operation, and no code is
written by hand in the Python package or the C files (a lint over the
sources, which is checked to catch the hand-written tables this package
once had)."""
import ast
import os
import re

import numpy as np
import pytest

import goarray as ga
from goarray import _dtypes, _goarray, _kernels, _reductions, _registry, _unary

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PKG = os.path.dirname(os.path.abspath(_registry.__file__))
BINDINGS = os.path.join(ROOT, "bindings")
HAVE_SOURCES = os.path.isdir(BINDINGS) and os.path.isfile(os.path.join(BINDINGS, "codes.h"))
needs_sources = pytest.mark.skipif(not HAVE_SOURCES, reason="the source tree (bindings/) is not beside the tests")


# ---- Python's tables are the registry's ------------------------------------

def test_dtype_table_is_the_registrys():
    assert len(_dtypes.DTYPES) == len(_registry.DTYPE_NAMES)
    for code, name in enumerate(_registry.DTYPE_NAMES):
        if not name:
            assert _dtypes.DTYPES[code] is None
        else:
            assert _dtypes.DTYPES[code] == np.dtype(name)
            assert _dtypes.resolve(name) == code == _registry.DTYPE_CODES[name]
    assert _dtypes.resolve(None) == _registry.DTYPE_CODES["float64"]
    # and what numpy calls each dtype is what goarray arrays report
    for code, dt in enumerate(_dtypes.DTYPES):
        if dt is not None:
            assert ga.empty(2, dt).dtype == dt


def test_op_tables_are_the_registrys():
    assert _kernels._BINARY == _registry.codes("binary")
    assert _unary._UNARY == _registry.codes("unary")
    assert _reductions._REDUCE == _registry.codes("reduce")
    for name, code in _kernels._BINARY.items():
        op = _registry.OPS["binary", name]
        assert op.code == code and op.arity == 2
        assert _kernels._UFUNCS[name] is getattr(np, op.serves)
        assert _kernels._FAST_BINARY[name] == frozenset(np.dtype(d) for d in op.dtypes)
    for name in _unary._UNARY:
        assert callable(getattr(np, _registry.OPS["unary", name].serves))
    for (fam, name), op in _registry.OPS.items():
        assert fam in _registry.FAMILIES and op.family == fam and op.name == name
        assert all(d in _registry.DTYPE_CODES for d in op.dtypes)
        assert hasattr(np, op.serves), f"{fam}.{name} serves numpy.{op.serves}, which numpy lacks"


def test_families_describe_typed_parameters():
    types = set(_registry.PARAM_TYPES)
    assert {"in_array", "out_array", "opt_in_array", "int", "ints", "float", "complex"} <= types
    for fam in _registry.FAMILIES.values():
        assert fam.kind in _registry.KINDS
        assert [p[0] for p in fam.params] and len({p[0] for p in fam.params}) == len(fam.params)
        assert all(t in types for _, t in fam.params)
    assert _registry.FAMILIES["clip"].params[2:] == (("lo", "opt_in_array"), ("hi", "opt_in_array"))
    assert _registry.FAMILIES["var"].params[-1] == ("ddof", "float")
    assert _registry.FAMILIES["matmul"].kind == "linalg"
    assert _registry.FAMILIES["reduce"].kind == "reduction"


def test_call_converts_by_the_familys_parameters():
    fam, add = _registry.entry("binary", "add")
    x = ga.arange(4.0)
    out = ga.empty(4)
    assert _goarray._call(fam, add, 0, out, x, np.arange(4.0)) is None
    assert out.tolist() == [0.0, 2.0, 4.0, 6.0]
    with pytest.raises(TypeError, match="binary takes 3 arguments, got 2"):
        _goarray._call(fam, add, 0, out, x)
    with pytest.raises(ValueError, match="no kernel family"):
        _goarray._call(len(_registry.FAMILIES), 0, 0)
    with pytest.raises(ValueError, match="has no operation"):
        _goarray._call(fam, 1000, 0, out, x, x)
    ro = ga.arange(4.0)
    ro.flags.writeable = False
    with pytest.raises(ValueError, match="output array is read-only"):
        _goarray._call(fam, add, 0, ro, x, x)
    with pytest.raises(ValueError, match="not a writable buffer"):
        _goarray._call(fam, add, 0, bytes(32), x, x)
    # a typed scalar parameter refuses what is not its type
    var_fam, var = _registry.entry("var", "var")
    res = ga.empty(())
    with pytest.raises(TypeError):
        _goarray._call(var_fam, var, 0, res, x, (0,), "one")
    _goarray._call(var_fam, var, 0, res, x, (0,), 1)   # an int where a float is declared: its value
    assert float(res) == pytest.approx(np.var(np.arange(4.0), ddof=1))
    # None only for an optional array
    clip_fam, clip = _registry.entry("clip", "clip")
    _goarray._call(clip_fam, clip, 0, out, x, None, ga.full(4, 2.0))
    assert out.tolist() == [0.0, 1.0, 2.0, 2.0]
    with pytest.raises(TypeError):
        _goarray._call(clip_fam, clip, 0, out, None, None, None)


def test_every_dispatched_op_is_registered(monkeypatch):
    """Every call the package makes names a registered family and one of
    its operations (recorded over calls of every kernel family)."""
    seen = set()
    real = _goarray._call

    def spy(family, op, threads, *args):
        seen.add((family, op))
        return real(family, op, threads, *args)

    monkeypatch.setattr(_goarray, "_call", spy)
    a = np.arange(12.0).reshape(3, 4)
    g = ga.asarray(a)
    i8 = ga.asarray(np.arange(12, dtype=np.int8).reshape(3, 4))
    for f in (ga.add, ga.subtract, ga.multiply, ga.divide, ga.minimum, ga.maximum):
        f(g, a[0])                       # broadcasting: the general path
        f(i8, 3.5)
    for f in (ga.negative, ga.absolute, ga.sqrt, ga.exp, ga.log):
        f(g + 1)
    for f in (ga.sum, ga.prod, ga.min, ga.max, ga.all, ga.any, ga.count_nonzero, ga.argmin, ga.argmax,
              ga.mean, ga.var, ga.std):
        f(g, axis=0)
        f(g)
    ga.clip(g, 1, 5)
    ga.clip(g, None, 5)
    ga.copyto(ga.empty((3, 4), np.float32), g)
    ga.scale(ga.asarray(a.copy()), 2.0, threads=1)
    ga.scale(ga.asarray(np.arange(4)), 3, threads=1)
    ga.matmul(ga.asarray(np.arange(6).reshape(2, 3)), ga.asarray(np.arange(6).reshape(3, 2)))
    g.astype(np.float32)
    registered = {(_registry.FAMILIES[f].code, o.code) for (f, _), o in _registry.OPS.items()}
    assert seen, "no kernel call recorded"
    assert seen <= registered, f"calls of unregistered operations: {seen - registered}"
    names = {f for f, _ in seen}
    assert names >= {_registry.family(f) for f in ("binary", "unary", "reduce", "argreduce", "var", "clip",
                                                   "copycast", "scale", "matmul")}


@needs_sources
def test_c_header_is_the_registrys():
    text = open(os.path.join(BINDINGS, "codes.h")).read()
    consts = {m[0]: int(m[1], 0) for m in re.findall(r"\b(GA_\w+) = (0x[0-9a-f]+|\d+)", text)}
    for name, code in _registry.DTYPE_CODES.items():
        assert consts[f"GA_DT_{name.upper()}"] == code
    assert consts["GA_NDTYPES"] == len(_registry.DTYPE_NAMES)
    sizes = re.search(r"#define GA_DT_ITEMSIZES \{([^}]*)\}", text).group(1)
    assert [int(v) for v in sizes.split(",")] == [0 if d is None else d.itemsize for d in _dtypes.DTYPES]
    for fam in _registry.FAMILIES.values():
        assert consts[f"GA_FAMILY_{fam.name.upper()}"] == fam.code
    assert consts["GA_NFAMILIES"] == len(_registry.FAMILIES)
    for fam in _registry.FAMILIES:
        assert consts[f"GA_NOPS_{fam.upper()}"] == max(_registry.codes(fam).values()) + 1
    for (fam, name), op in _registry.OPS.items():
        assert consts[f"GA_OP_{fam.upper()}_{name.upper()}"] == op.code
        mask = sum(1 << _registry.DTYPE_CODES[d] for d in op.dtypes)
        assert consts[f"GA_DTYPES_{fam.upper()}_{name.upper()}"] == mask


# ---- the flat path's array-and-scalar promotion is numpy's -----------------

@pytest.mark.parametrize("name", list(_kernels._BINARY))
def test_scalar_promotion_is_numpys(name):
    ufunc = _kernels._UFUNCS[name]
    scalars = (True, 3, -2, 2.5, 1e300, 1.5 - 2j)
    for dt in _dtypes.DTYPES[1:]:
        x = np.arange(1, 5).astype(dt)
        for s in scalars:
            for args in ((x, s), (s, x)):
                try:
                    with np.errstate(all="ignore"):
                        want = ufunc(*args)
                except Exception as e:   # numpy refuses: so does goarray, with the same class
                    with pytest.raises(type(e)):
                        getattr(ga, name)(*(ga.asarray(v) if v is x else v for v in args))
                    continue
                with np.errstate(all="ignore"):
                    got = getattr(ga, name)(*(ga.asarray(v) if v is x else v for v in args))
                assert got.dtype == want.dtype, (name, dt, s)
                np.testing.assert_array_equal(np.asarray(got), want)


# ---- no hand-written codes -------------------------------------------------

_CODE_NAMES = set(_registry.DTYPE_CODES) | {n for _, n in _registry.OPS} | set(_registry.FAMILIES)
_CODE_VARS = {"code", "op", "opcode", "op_code", "acc", "acc_code", "dtype_code", "dt_code", "family"}


def _is_int(node):
    return isinstance(node, ast.Constant) and type(node.value) is int


def _var_name(node):
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return None


def python_findings(source):
    """Hand-written dtype or operation codes in Python source: dicts mapping
    op or dtype names to ints, code variables compared with int literals,
    int literals returned by dtype resolvers, DTYPES[<int>], kernel calls
    with literal family or op codes."""
    found = []
    tree = ast.parse(source)
    funcs = {}
    for f in ast.walk(tree):
        if isinstance(f, (ast.FunctionDef, ast.AsyncFunctionDef)):
            for n in ast.walk(f):
                funcs.setdefault(id(n), f.name)
    for node in ast.walk(tree):
        if isinstance(node, ast.Dict):
            if any(isinstance(k, ast.Constant) and k.value in _CODE_NAMES and _is_int(v)
                   for k, v in zip(node.keys, node.values)):
                found.append((node.lineno, "a dict of op/dtype names to int codes"))
        elif isinstance(node, ast.Compare):
            sides = [node.left, *node.comparators]
            if any(_var_name(s) in _CODE_VARS for s in sides) and any(_is_int(s) for s in sides):
                found.append((node.lineno, "a code compared with an int literal"))
        elif isinstance(node, ast.Return) and node.value is not None and _is_int(node.value):
            fn = funcs.get(id(node), "")
            if re.search(r"resolve|code|dtype", fn):
                found.append((node.lineno, f"{fn} returns an int literal"))
        elif isinstance(node, ast.Subscript) and _var_name(node.value) == "DTYPES" and _is_int(node.slice):
            found.append((node.lineno, "DTYPES indexed by an int literal"))
        elif isinstance(node, ast.Call) and _var_name(node.func) in ("_call", "_kernel", "_reduce_scalar"):
            if any(_is_int(a) for a in node.args[:2]):
                found.append((node.lineno, "a kernel call with a literal code"))
    return found


def _strip_c(text):
    """C text without comments and string literals (newlines kept)."""
    def blank(m):
        return re.sub(r"[^\n]", " ", m.group(0))
    return re.sub(r'/\*.*?\*/|//[^\n]*|"(?:\\.|[^"\\\n])*"', blank, text, flags=re.S)


_C_VAR = r"(?:dt|dtype|acc|op|code|family)"
_C_CMP = re.compile(r"\b" + _C_VAR + r"\s*(==|!=|<=|>=|<|>)\s*(\d+)\b|\b(\d+)\s*(==|!=|<=|>=|<|>)\s*" + _C_VAR + r"\b")


def c_findings(text):
    """Hand-written dtype or operation codes in C source."""
    found = []
    code = _strip_c(text)
    lines = code.split("\n")
    fn = ""
    for no, line in enumerate(lines, 1):
        m = re.match(r"^[A-Za-z].*?\b(\w+)\s*\([^;]*\)\s*\{\s*$", line)
        if m:
            fn = m.group(1)
        for m in _C_CMP.finditer(line):
            op, lit = (m.group(1), m.group(2)) if m.group(1) else (m.group(4), m.group(3))
            if lit == "0" and op in ("<", ">=") and m.group(1):
                continue   # a lower bound (x >= 0, x < 0: an error return)
            found.append((no, f"a code compared with {lit}"))
        if re.search(r"\breturn\s+([2-9]|\d\d+)\s*;", line) and re.search(r"dtype|acc", fn):
            found.append((no, f"{fn} returns an int literal"))
        if re.search(r"\b(formats|typestrs|dtype_objs|scalar_types)\s*\[\s*\d+\s*\]|"
                     r"\b(ga_scalar_from|ga_dtype_itemsize)\s*\(\s*\d+", line):
            found.append((no, "a dtype table indexed by an int literal"))
        if re.search(r"\bGA_FAST\s*\(\s*\w+\s*,\s*\w+\s*,\s*\d", line):
            found.append((no, "GA_FAST with a literal op code"))
    # a kernel's name compared as a string
    for m in re.finditer(r'strcmp\s*\([^;]*?"(\w+)"\s*\)', text):
        if m.group(1) in _registry.FAMILIES:
            found.append((text.count("\n", 0, m.start()) + 1, f"the kernel name {m.group(1)!r} compared"))
    # case labels whose innermost switch is on a code
    for c in re.finditer(r"\bcase\s+(\d+)\s*:", code):
        depth, i = 0, c.start()
        while i > 0:
            i -= 1
            ch = code[i]
            if ch == "}":
                depth += 1
            elif ch == "{":
                if depth == 0:
                    break
                depth -= 1
        sw = re.search(r"\bswitch\s*\(([^)]*)\)\s*$", code[:i])
        last = re.search(r"([.>]?)\s*(\w+)\s*$", sw.group(1)) if sw else None
        if last and (last.group(2) in ("dt", "dtype", "acc", "op", "family") or last.group(2) == "code" and not last.group(1)):
            found.append((code.count("\n", 0, c.start()) + 1, f"case {c.group(1)} of a switch on a code"))
    return sorted(set(found))


def _sources(ext, where):
    return sorted(os.path.join(where, f) for f in os.listdir(where) if f.endswith(ext))


def test_python_package_writes_no_code_by_hand():
    bad = []
    for path in _sources(".py", PKG):
        for no, what in python_findings(open(path).read()):
            bad.append(f"{os.path.basename(path)}:{no}: {what}")
    assert not bad, "hand-written codes (take them from goarray._registry):\n" + "\n".join(bad)


@needs_sources
def test_c_files_write_no_code_by_hand():
    bad = []
    for path in _sources(".c", BINDINGS):
        base = os.path.basename(path)
        for no, what in c_findings(open(path).read()):
            bad.append(f"{base}:{no}: {what}")
    assert not bad, "hand-written codes (take them from codes.h):\n" + "\n".join(bad)


# The lint catches the hand-written tables this package had before the registry.
_OLD_PY = {
    "_kernels.py": '_BINARY = {"add": 0, "subtract": 1, "multiply": 2, "divide": 3, "minimum": 4, "maximum": 5}\n',
    "_unary.py": '_UNARY = {"negative": 0, "absolute": 1, "sqrt": 2, "exp": 3, "log": 4}\n',
    "_reductions.py": '_REDUCE = {"sum": 0, "min": 1, "max": 2, "prod": 3, "all": 4, "any": 5, "count_nonzero": 6}\n',
    "_dtypes.py": "def resolve(obj):\n    if obj is None:\n        return 12\n    return code_of_numpy(obj)\n",
    "call": "_goarray._call(2, 0, 0, out, x, axes)\n",
    "compare": "if code == 12:\n    pass\n",
}
_OLD_C = {
    "flat.c acc": "static int f(int op, int dt) {\n    if (dt == 10) return op == 4 || op == 5 ? 1 : 0;\n}\n",
    "flat.c switch": "static int fast_reduce_acc(int op, int dt) {\n    switch (op) {\n    case 0: case 3:\n"
                     "        if (dt >= 1 && dt <= 4) return 5;\n        return dt;\n    }\n    return 0;\n}\n",
    "flat.c GA_FAST": "GA_FAST(sum, fast_reduce, 0, 0)\n",
    "kernels.c": "static int g(const char *name, GAArray *o) {\n"
                 "    if (strcmp(name, \"binary\") != 0) return 0;\n    if (o->dtype == 10) return 0;\n}\n",
    "kernels.c acc": "static int h(long acc) {\n    if (acc < 1 || acc > 14 || acc == 10) return 1;\n}\n",
    "forked.c": "static int k(int dtype) {\n    if (dtype < 1 || dtype > 14) return -1;\n}\n",
    "scalar_as": "static int s(int dt) {\n    switch (dt) {\n    case 2: return 1;\n    }\n}\n",
}


@pytest.mark.parametrize("name", list(_OLD_PY))
def test_lint_catches_old_python(name):
    assert python_findings(_OLD_PY[name]), name


@pytest.mark.parametrize("name", list(_OLD_C))
def test_lint_catches_old_c(name):
    assert c_findings(_OLD_C[name]), name


def test_lint_passes_names():
    assert not python_findings('_BINARY = _registry.codes("binary")\nif code == _DEFAULT:\n    pass\n')
    assert not c_findings("static int f(int dt) {\n    if (dt == GA_DT_FLOAT16 || dt >= 0) return GA_DT_BOOL;\n"
                          "    switch (dt) {\n    case GA_DT_INT8: return 1;\n    }\n}\n")


def test_reduction_callers_take_their_codes_from_the_registry():
    from goarray import _argreduce, _moments, _reductions
    assert _argreduce._ARGREDUCE == _registry.codes("argreduce")
    assert _moments._VAR == _registry.codes("var")
    assert _reductions._REDUCE == _registry.codes("reduce")

def test_registry_comparisons_are_numpys():
    """The binary operations the registry gives a bool result are those
    whose numpy ufunc returns bool for any operands."""
    from goarray import _kernels
    f8 = np.dtype(np.float64)
    want = {n for n, u in _kernels._UFUNCS.items() if u.resolve_dtypes((f8, f8, None))[2] == np.dtype(bool)}
    assert _kernels.COMPARISONS == want == {"equal", "not_equal", "less", "less_equal", "greater", "greater_equal"}
