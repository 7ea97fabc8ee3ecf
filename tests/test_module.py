"""Module-level information: go_version, allocator_info, MAX_DIMS, __version__,
and the module importing cleanly in a fresh interpreter."""
import re
import subprocess
import sys

import numpy as np

import goarray as ga


def test_go_version():
    v = ga.go_version()
    assert isinstance(v, str)
    assert re.match(r"go\d+\.\d+", v), v


def test_allocator_info():
    info = ga.allocator_info()
    assert isinstance(info, str) and info.strip()


def test_version_and_max_dims():
    assert isinstance(ga.__version__, str) and ga.__version__
    assert ga.MAX_DIMS == 64
    np.empty((1,) * ga.MAX_DIMS)  # numpy agrees on the limit


def test_import_in_fresh_interpreter_is_quiet():
    r = subprocess.run([sys.executable, "-W", "error", "-c",
                        "import goarray as ga, numpy as np; a = ga.arange(3); print(np.asarray(a).tolist())"],
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == "[0, 1, 2]"
    assert r.stderr == ""
