"""The type stub in use: ``mypy --strict`` accepts typical goarray code
(typing_usage.py, which also runs), accepts the stub itself, and rejects
misuse, so the stub is not all ``Any``. Skipped without mypy (it is in the
test extras)."""
import importlib.util
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
USAGE = ROOT / "tests" / "typing_usage.py"
STUB = ROOT / "python" / "goarray" / "__init__.pyi"

needs_mypy = pytest.mark.skipif(importlib.util.find_spec("mypy") is None, reason="mypy is not installed")


def mypy(tmp_path, *args):
    """python -m mypy --strict args, from the repository root (so that
    ``import goarray`` is the installed package and its stub)."""
    cmd = [sys.executable, "-m", "mypy", "--strict", "--no-error-summary", "--show-error-codes",
           f"--cache-dir={tmp_path / 'mypy-cache'}", *args]
    return subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=600)


def explain(res):
    return f"mypy exited {res.returncode}:\n{res.stdout}{res.stderr}"


@needs_mypy
def test_usage_type_checks(tmp_path):
    res = mypy(tmp_path, str(USAGE.relative_to(ROOT)))
    print(res.stdout, res.stderr)
    assert res.returncode == 0, explain(res)


@needs_mypy
def test_stub_type_checks(tmp_path):
    res = mypy(tmp_path, str(STUB.relative_to(ROOT)))
    print(res.stdout, res.stderr)
    assert res.returncode == 0, explain(res)


MISUSE = '''\
import goarray as ga
a: ga.Array = ga.zeros(3, order="X")
s: str = ga.ones(3)
ga.set_num_threads("4")
ga.add(a, a, threads="all")
ga.no_such_function(a)
a.reshape(3, order="Q")
n: int = a.ndim
ga.copyto(a, a, casting="sometimes")
'''
MISUSE_LINES = {2, 3, 4, 5, 6, 7, 9}


@needs_mypy
def test_stub_rejects_misuse(tmp_path):
    res = mypy(tmp_path, "-c", MISUSE)
    print(res.stdout, res.stderr)
    assert res.returncode == 1, explain(res)
    lines = {int(m) for m in re.findall(r"^<string>:(\d+): error", res.stdout, re.M)}
    assert lines == MISUSE_LINES, explain(res)


def test_usage_runs():
    """typing_usage.py is real code: it runs and its checks hold."""
    res = subprocess.run([sys.executable, str(USAGE)], cwd=ROOT / "tests", capture_output=True, text=True,
                         timeout=300)
    assert res.returncode == 0, res.stdout + res.stderr
    assert res.stdout.strip().endswith("typing_usage: OK"), res.stdout
