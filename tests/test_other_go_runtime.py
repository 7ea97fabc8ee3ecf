"""Importing goarray next to another Go-built shared library warns: Go does
not support two Go runtimes in one process (golang/go#65050)."""
import shutil
import subprocess
import sys
import textwrap

import pytest

GO = shutil.which("go")


@pytest.fixture(scope="module")
def go_shared_lib(tmp_path_factory):
    if GO is None:
        pytest.skip("the go command is needed to build a second Go library")
    d = tmp_path_factory.mktemp("golib")
    (d / "go.mod").write_text("module golib\n\ngo 1.22\n")
    (d / "main.go").write_text(textwrap.dedent("""\
        package main

        import "C"

        //export Answer
        func Answer() C.int { return 42 }

        func main() {}
        """))
    lib = d / "libgolib.so"
    subprocess.run([GO, "build", "-buildmode=c-shared", "-o", str(lib), "."], cwd=d, check=True)
    return lib


def run(code):
    return subprocess.run([sys.executable, "-W", "always", "-c", code], capture_output=True, text=True, timeout=120)


def test_warns_when_another_go_runtime_is_loaded(go_shared_lib):
    r = run(f"import ctypes; assert ctypes.CDLL({str(go_shared_lib)!r}).Answer() == 42\n"
            "import goarray, numpy as np\n"
            "assert np.asarray(goarray.arange(3)).sum() == 3\n")
    assert r.returncode == 0, r.stderr
    assert "RuntimeWarning" in r.stderr and "another Go runtime" in r.stderr, r.stderr
    assert str(go_shared_lib) in r.stderr


def test_no_warning_alone():
    r = run("import goarray")
    assert r.returncode == 0, r.stderr
    assert "another Go runtime" not in r.stderr
