"""The type stub python/goarray/__init__.pyi describes exactly the public API:
every name in goarray.__all__ and no other public name (each importable),
Array's and Flags' public members, and the functions' and methods'
parameter names, kinds and defaults. (test_typing.py type-checks code that
uses the stub.)"""
import ast
import inspect
import sys
from pathlib import Path

import pytest

import goarray as ga

SOURCE_STUB = Path(__file__).resolve().parents[1] / "python" / "goarray" / "__init__.pyi"
INSTALLED_STUB = Path(ga.__file__).with_suffix(".pyi")


def _stub_tree(path=SOURCE_STUB):
    assert path.is_file(), f"missing type stub {path}"
    return ast.parse(path.read_text(), filename=str(path))


def _public(name):
    return not name.startswith("_")


def _top_level_names(tree):
    names = {}
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names[node.name] = node
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names[node.target.id] = node
        elif isinstance(node, ast.Assign):
            for t in node.targets:
                if isinstance(t, ast.Name):
                    names[t.id] = node
        elif isinstance(node, ast.ImportFrom):
            for alias in node.names:  # only the explicit re-export form `import x as x`
                if alias.asname and alias.asname == alias.name:
                    names[alias.asname] = node
    return names


def test_stub_exists_in_source_tree():
    assert SOURCE_STUB.is_file(), f"missing type stub {SOURCE_STUB}"


def test_stub_is_installed_with_the_package():
    assert INSTALLED_STUB.is_file(), f"the installed package lacks {INSTALLED_STUB.name}"
    assert (Path(ga.__file__).parent / "py.typed").is_file()
    if SOURCE_STUB.is_file():
        assert INSTALLED_STUB.read_text() == SOURCE_STUB.read_text()


def test_stub_names_are_all():
    names = {n for n in _top_level_names(_stub_tree()) if _public(n)}
    missing = set(ga.__all__) - names
    extra = names - set(ga.__all__)
    assert not missing, f"in goarray.__all__ but not in the stub: {sorted(missing)}"
    assert not extra, f"public in the stub but not in goarray.__all__: {sorted(extra)}"


def test_all_names_exist():
    for name in ga.__all__:
        assert hasattr(ga, name), name
    assert len(set(ga.__all__)) == len(ga.__all__)


def test_stub_declares_all_if_present():
    tree = _stub_tree()
    for node in tree.body:
        if isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if any(isinstance(t, ast.Name) and t.id == "__all__" for t in targets):
                assert sorted(ast.literal_eval(node.value)) == sorted(ga.__all__)


def _class_members(cls_node):
    out = set()
    for node in cls_node.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            out.add(node.name)
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            out.add(node.target.id)
    return out


def _runtime_members(cls):
    """Public names and the dunders cls itself (not object) defines."""
    out = set()
    for name in dir(cls):
        if not name.startswith("_"):
            out.add(name)
        elif name.startswith("__") and name.endswith("__") and \
                any(name in k.__dict__ for k in cls.__mro__ if k is not object):
            out.add(name)
    return out


IGNORED_DUNDERS = {"__init__", "__new__", "__doc__", "__module__", "__slots__", "__hash__", "__dict__",
                   "__weakref__", "__weaklistoffset__", "__repr__", "__str__", "__class__", "__init_subclass__",
                   "__subclasshook__", "__reduce__", "__reduce_ex__", "__getattribute__", "__setattr__",
                   "__delattr__", "__dir__", "__eq__", "__ne__", "__lt__", "__le__", "__gt__", "__ge__",
                   "__format__", "__sizeof__", "__getstate__", "__qualname__", "__buffer__", "__release_buffer__",
                   "__delitem__"}  # __delitem__: a slot wrapper that always raises, as ndarray's


class _Plain:
    pass


# What the running interpreter puts in every class statement's namespace
# (3.13 adds __firstlineno__ and __static_attributes__; later versions may
# add more): not goarray's API, so not the stub's business.
IGNORED_DUNDERS |= {n for n in vars(_Plain) if n.startswith("__") and n.endswith("__")}


@pytest.mark.parametrize("cls", [ga.Array, ga.Flags], ids=lambda c: c.__name__)
def test_class_members_match_stub(cls):
    nodes = _top_level_names(_stub_tree())
    assert cls.__name__ in nodes
    stub = {m for m in _class_members(nodes[cls.__name__]) if m not in IGNORED_DUNDERS}
    runtime = {m for m in _runtime_members(cls) if m not in IGNORED_DUNDERS}
    missing = runtime - stub
    assert not missing, f"{cls.__name__} members missing from the stub: {sorted(missing)}"
    nonexistent = {m for m in stub if not hasattr(cls, m)}
    assert not nonexistent, f"stub declares {cls.__name__} members that do not exist: {sorted(nonexistent)}"


def _stub_params(fn_node):
    a = fn_node.args
    return [x.arg for x in a.posonlyargs + a.args] + ([f"*{a.vararg.arg}"] if a.vararg else []) + \
        [x.arg for x in a.kwonlyargs] + ([f"**{a.kwarg.arg}"] if a.kwarg else [])


def _runtime_params(fn):
    sig = inspect.signature(fn)
    out = []
    for p in sig.parameters.values():
        if p.kind is p.VAR_POSITIONAL:
            out.append(f"*{p.name}")
        elif p.kind is p.VAR_KEYWORD:
            out.append(f"**{p.name}")
        else:
            out.append(p.name)
    return out


def test_function_parameters_match_stub():
    nodes = _top_level_names(_stub_tree())
    for name in ga.__all__:
        obj = getattr(ga, name)
        if not callable(obj) or isinstance(obj, type):
            continue
        node = nodes.get(name)
        assert isinstance(node, ast.FunctionDef), f"{name} is not a function in the stub"
        try:
            runtime = _runtime_params(obj)
        except (TypeError, ValueError):
            pytest.fail(f"{name} has no introspectable signature")
        assert _stub_params(node) == runtime, name


_NO_DEFAULT = object()


def _stub_signature(fn_node):
    """(name, kind, default) of each parameter: kind is "pos", "kw", "*" or
    "**"; default a Python value (literal_eval of the stub's) or _NO_DEFAULT."""
    a = fn_node.args
    positional = a.posonlyargs + a.args
    defaults = [_NO_DEFAULT] * (len(positional) - len(a.defaults)) + [ast.literal_eval(d) for d in a.defaults]
    out = [(x.arg, "pos", d) for x, d in zip(positional, defaults)]
    if a.vararg:
        out.append((a.vararg.arg, "*", _NO_DEFAULT))
    out += [(x.arg, "kw", _NO_DEFAULT if d is None else ast.literal_eval(d))
            for x, d in zip(a.kwonlyargs, a.kw_defaults)]
    if a.kwarg:
        out.append((a.kwarg.arg, "**", _NO_DEFAULT))
    return out


def _runtime_signature(fn, drop_self=False):
    kinds = {inspect.Parameter.POSITIONAL_ONLY: "pos", inspect.Parameter.POSITIONAL_OR_KEYWORD: "pos",
             inspect.Parameter.KEYWORD_ONLY: "kw", inspect.Parameter.VAR_POSITIONAL: "*",
             inspect.Parameter.VAR_KEYWORD: "**"}
    out = [(p.name, kinds[p.kind], _NO_DEFAULT if p.default is p.empty else p.default)
           for p in inspect.signature(fn).parameters.values()]
    return out[1:] if drop_self else out


def _show(sig):
    return [(n, k, "<required>" if d is _NO_DEFAULT else d) for n, k, d in sig]


def test_function_defaults_match_stub():
    """Every function's parameters in the stub have the implementation's
    kinds (positional or keyword-only) and default values."""
    nodes = _top_level_names(_stub_tree())
    for name in ga.__all__:
        obj = getattr(ga, name)
        if not callable(obj) or isinstance(obj, type):
            continue
        assert _show(_stub_signature(nodes[name])) == _show(_runtime_signature(obj)), name


def test_method_defaults_match_stub():
    nodes = _top_level_names(_stub_tree())
    for node in nodes["Array"].body:
        if not isinstance(node, ast.FunctionDef) or node.name.startswith("__"):
            continue
        if any(isinstance(d, ast.Name) and d.id == "property" for d in node.decorator_list):
            continue
        try:
            runtime = _runtime_signature(getattr(ga.Array, node.name), drop_self=True)
        except (TypeError, ValueError):
            continue  # a C method without a text signature
        stub = _stub_signature(node)
        assert stub and stub[0][0] == "self", node.name
        assert _show(stub[1:]) == _show(runtime), node.name


def test_stub_names_are_importable():
    """Every public name the stub declares can be imported from goarray,
    and every member it declares on Array and Flags exists."""
    nodes = _top_level_names(_stub_tree())
    namespace = {}
    for name in (n for n in nodes if _public(n)):
        exec(f"from goarray import {name}", namespace)  # noqa: S102
        assert namespace[name] is getattr(ga, name)
    # Python 3.12 (PEP 688) names the buffer slots __buffer__ and
    # __release_buffer__; 3.11 has the slots without the names.
    unnamed = {"__buffer__", "__release_buffer__"} if sys.version_info < (3, 12) else set()
    for cls in (ga.Array, ga.Flags):
        for member in _class_members(nodes[cls.__name__]) - unnamed:
            assert hasattr(cls, member), f"{cls.__name__}.{member}"


def test_method_parameters_match_stub():
    nodes = _top_level_names(_stub_tree())
    cls_node = nodes["Array"]
    for node in cls_node.body:
        if not isinstance(node, ast.FunctionDef) or node.name.startswith("__"):
            continue
        if any(isinstance(d, ast.Name) and d.id == "property" for d in node.decorator_list):
            continue
        fn = getattr(ga.Array, node.name)
        try:
            runtime = _runtime_params(fn)
        except (TypeError, ValueError):
            continue
        assert _stub_params(node) == runtime, node.name
