"""Build goarray's extension: the Go package ./bindings compiled with
`go build -buildmode=c-archive`, linked by `gcc -shared` into
goarray/_goarray.abi3.so with a version script that exports only
PyInit__goarray (so Go's runtime symbols stay private to this library).

Environment knobs (all optional):
  GO           the go command (default: go on PATH)
  GOARRAY_GOEXPERIMENT  GOEXPERIMENT for the build, e.g. cgocheck2
  GOARRAY_SIMD  0 builds without GOEXPERIMENT=simd (the AVX2 min/max loops);
               by default it is added on amd64 (checked for AVX2 at run time)
  CC           the C compiler used by cgo and for linking (default: gcc)
"""
import os
import shutil
import subprocess
import sysconfig
import tempfile

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

ROOT = os.path.dirname(os.path.abspath(__file__))
LIMITED_API = "0x030B0000"


class GoBuildExt(build_ext):
    def build_extension(self, ext):
        go = os.environ.get("GO") or shutil.which("go")
        if not go:
            raise RuntimeError("goarray needs the Go toolchain (1.26 or newer) on PATH to build")
        cc = os.environ.get("CC", "gcc")
        out = self.get_ext_fullpath(ext.name)
        os.makedirs(os.path.dirname(out), exist_ok=True)
        include = sysconfig.get_paths()["include"]
        env = dict(os.environ)
        env["CGO_ENABLED"] = "1"
        env["CC"] = cc
        env["CGO_CFLAGS"] = f"-I{include} -O2 -g"
        exp = [e for e in os.environ.get("GOARRAY_GOEXPERIMENT", "").split(",") if e]
        goarch = subprocess.run([go, "env", "GOARCH"], cwd=ROOT, env=env, check=True, capture_output=True,
                                text=True).stdout.strip()
        if goarch == "amd64" and os.environ.get("GOARRAY_SIMD", "1") != "0" and "simd" not in exp:
            exp.append("simd")
        if exp:
            env["GOEXPERIMENT"] = ",".join(exp)
        with tempfile.TemporaryDirectory() as tmp:
            archive = os.path.join(tmp, "libgoarray.a")
            subprocess.run([go, "build", "-buildmode=c-archive", "-trimpath", "-buildvcs=false",
                            "-o", archive, "./bindings"], cwd=ROOT, env=env, check=True)
            subprocess.run([cc, "-shared", "-o", out,
                            "-Wl,--whole-archive", archive, "-Wl,--no-whole-archive",
                            "-Wl,--version-script=" + os.path.join(ROOT, "bindings", "exports.map"),
                            "-Wl,-z,noexecstack", "-Wl,--as-needed", "-lpthread", "-ldl"],
                           cwd=ROOT, env=env, check=True)


setup(
    ext_modules=[Extension("goarray._goarray", sources=[], py_limited_api=True)],
    cmdclass={"build_ext": GoBuildExt},
    options={"bdist_wheel": {"py_limited_api": "cp311"}},
)
