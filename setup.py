"""Build goarray's extension: the Go package ./bindings compiled with
`go build -buildmode=c-archive`, linked by `gcc -shared` into
goarray/_goarray.abi3.so with a version script that exports only
PyInit__goarray (so Go's runtime symbols stay private to this library).

Environment knobs (all optional):
  GO           the go command (default: go on PATH)
  GOARRAY_GOEXPERIMENT  GOEXPERIMENT for the build, e.g. cgocheck2
  GOARRAY_SIMD  0 builds without GOEXPERIMENT=simd (the AVX2 min/max loops);
               by default it is added on amd64 (checked for AVX2 at run time)
  CC           the C compiler used by cgo and for linking (default: gcc); may
               hold arguments, e.g. "python -m ziglang cc -target x86_64-linux-gnu.2.17"
  GOARRAY_RELEASE  1 builds a release binary: no debug info, symbols stripped,
               no build-machine path in it (what `make wheel` sets)
  GOARRAY_PLAT_NAME  the wheel's platform tag (e.g. manylinux_2_17_x86_64)
"""
import os
import re
import shlex
import shutil
import subprocess
import sysconfig
import tempfile

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext
from setuptools.errors import CompileError

ROOT = os.path.dirname(os.path.abspath(__file__))
GO_MIN = (1, 26)


def _go_version(go):
    """(major, minor) of the Go toolchain, or None if it cannot tell."""
    try:
        v = subprocess.run([go, "env", "GOVERSION"], capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return None
    m = re.match(r"go(\d+)\.(\d+)", v)
    return (int(m[1]), int(m[2])) if m else None


def _missing(what):
    # A setuptools error ends the build with this one line (no traceback).
    raise CompileError(f"goarray cannot be built here: {what}. Install a binary wheel instead, "
                       f"or the missing tool, then retry.")


def _run(cmd, env):
    try:
        subprocess.run(cmd, cwd=ROOT, env=env, check=True)
    except subprocess.CalledProcessError as e:
        raise CompileError(f"{' '.join(cmd[:2])} ... failed with exit status {e.returncode} "
                           f"(its messages are above)") from None


class GoBuildExt(build_ext):
    def build_extension(self, ext):
        go = os.environ.get("GO") or shutil.which("go")
        want = "Go %d.%d or newer (https://go.dev/dl/)" % GO_MIN
        if not go:
            _missing(f"no `go` command on PATH; building from source needs {want}")
        have = _go_version(go)
        if have is None or have < GO_MIN:
            _missing(f"{go} is {'unusable' if have is None else 'Go %d.%d' % have}; building needs {want}")
        cc = shlex.split(os.environ.get("CC") or "gcc")
        if not shutil.which(cc[0]):
            _missing(f"no C compiler `{cc[0]}` on PATH (set CC, e.g. CC=gcc)")
        release = os.environ.get("GOARRAY_RELEASE", "0") == "1"
        out = self.get_ext_fullpath(ext.name)
        os.makedirs(os.path.dirname(out), exist_ok=True)
        include = sysconfig.get_paths()["include"]
        env = dict(os.environ)
        env["CGO_ENABLED"] = "1"
        env["CC"] = shlex.join(cc)
        cflags = f"-I{include} -O2"
        if release:
            # no debug info (and -trimpath, -s below: no path of this machine in
            # the binary); zig's glibc headers define _POSIX_C_SOURCE as
            # Python.h does (a warning, so an error under bindings' -Werror)
            if "zig" in " ".join(cc):
                cflags += " -Wno-macro-redefined"
        else:
            cflags += " -g"
        env["CGO_CFLAGS"] = cflags
        exp = [e for e in os.environ.get("GOARRAY_GOEXPERIMENT", "").split(",") if e]
        goarch = subprocess.run([go, "env", "GOARCH"], cwd=ROOT, env=env, check=True, capture_output=True,
                                text=True).stdout.strip()
        if goarch == "amd64" and os.environ.get("GOARRAY_SIMD", "1") != "0" and "simd" not in exp:
            exp.append("simd")
        if exp:
            env["GOEXPERIMENT"] = ",".join(exp)
        with tempfile.TemporaryDirectory() as tmp:
            archive = os.path.join(tmp, "libgoarray.a")
            # (-buildid=: Go's build ID hashes the C compiler's path, which
            # differs between build machines and venvs)
            ldflags = ["-ldflags=-s -w -buildid="] if release else []
            _run([go, "build", "-buildmode=c-archive", "-trimpath", "-buildvcs=false", *ldflags,
                  "-o", archive, "./bindings"], env)
            link = [*cc, "-shared", "-o", out,
                    "-Wl,--whole-archive", archive, "-Wl,--no-whole-archive",
                    "-Wl,--version-script=" + os.path.join("bindings", "exports.map"),
                    "-Wl,-z,noexecstack", "-Wl,--as-needed", "-lpthread", "-ldl"]
            if release:
                link += ["-s", "-Wl,--build-id=none"]
            _run(link, env)


setup(
    ext_modules=[Extension("goarray._goarray", sources=[], py_limited_api=True)],
    cmdclass={"build_ext": GoBuildExt},
    options={"bdist_wheel": {"py_limited_api": "cp311",
                             **({"plat_name": os.environ["GOARRAY_PLAT_NAME"]}
                                if os.environ.get("GOARRAY_PLAT_NAME") else {})}},
)
