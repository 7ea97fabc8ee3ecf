"""The Go kernel registry (Go package ``registry``), as goarray reads it at
import: the dtype codes, the kernel families with their typed parameters,
and the operations with their codes, the numpy function each serves and
the dtype loops each implements. Every dtype and operation code the
Python package uses comes from here; every kernel call is
``_goarray._call(family, op, threads, *args)`` with these codes and the
family's parameters in order.
"""
import json
from typing import NamedTuple

from . import _goarray


class Op(NamedTuple):
    """One operation of a kernel family."""
    name: str
    family: str
    code: int
    arity: int
    serves: str          # the numpy ufunc or function it computes
    dtypes: tuple        # numpy names of its dtype loops
    result: str          # numpy name of its result dtype when that is fixed ("bool"), else ""


class Family(NamedTuple):
    """One kernel family: its code (the argument of _goarray._call), kind
    and (name, type) parameters."""
    name: str
    code: int
    kind: str
    params: tuple


_DESC = json.loads(_goarray._registry())

#: numpy's name of each dtype code ("" for the invalid code)
DTYPE_NAMES = tuple(_DESC["dtypes"])
#: dtype code of each numpy name
DTYPE_CODES = {name: code for code, name in enumerate(DTYPE_NAMES) if name}
KINDS = dict(_DESC["kinds"])
PARAM_TYPES = dict(_DESC["param_types"])
#: family name -> Family
FAMILIES = {f["name"]: Family(f["name"], i, f["kind"], tuple(tuple(p) for p in f["params"]))
            for i, f in enumerate(_DESC["families"])}
#: family name -> code (the first argument of _goarray._call)
FAMILY_CODES = {name: f.code for name, f in FAMILIES.items()}
#: (family, op name) -> Op
OPS = {(o["family"], o["name"]): Op(o["name"], o["family"], o["code"], o["arity"], o["serves"], tuple(o["dtypes"]), o["result"])
       for o in _DESC["ops"]}


def family(name):
    """The code of kernel family `name` (KeyError when it is not registered)."""
    return FAMILIES[name].code


def codes(family_name):
    """{operation name: code} of a family, in registration order."""
    return {o.name: o.code for o in OPS.values() if o.family == family_name}


def entry(family_name, op_name):
    """(family code, operation code): the first two arguments of
    _goarray._call for the operation."""
    return FAMILIES[family_name].code, OPS[family_name, op_name].code
