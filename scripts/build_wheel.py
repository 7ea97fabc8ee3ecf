"""Build goarray's binary wheel: a manylinux wheel that needs no Go to install.

    python scripts/build_wheel.py [--out dist] [--arch x86_64]

cgo compiles and links with `zig cc` (the `ziglang` package) targeting glibc
2.17, so the extension runs on any Linux with glibc >= 2.17 (manylinux2014).
The binary is built with GOARRAY_RELEASE=1 (no debug info, stripped, no path
of this machine in it). The wheel is then rewritten with its entries sorted,
every timestamp set to SOURCE_DATE_EPOCH (default: the last commit's time)
and fixed permissions, so two builds of one commit give the same bytes.
Finally `auditwheel show` must confirm the platform tag the wheel carries,
and the extension must be at most MAX_SO_BYTES.

Needs, in the running interpreter: setuptools>=77, wheel, ziglang, auditwheel.
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
GLIBC = (2, 17)                      # zig's oldest glibc target; manylinux2014
MAX_SO_BYTES = 6 * 1000 * 1000
ARCHES = {"x86_64": ("x86_64-linux-gnu", "amd64"), "aarch64": ("aarch64-linux-gnu", "arm64")}


def source_date_epoch():
    if os.environ.get("SOURCE_DATE_EPOCH"):
        return int(os.environ["SOURCE_DATE_EPOCH"])
    try:
        out = subprocess.run(["git", "log", "-1", "--format=%ct"], cwd=ROOT, capture_output=True, text=True,
                             check=True).stdout.strip()
        return int(out)
    except (OSError, subprocess.CalledProcessError, ValueError):
        return 315532800  # 1980-01-01, the earliest time a zip entry can hold


def build(out_dir, arch, epoch):
    triple, goarch = ARCHES[arch]
    plat = f"manylinux_{GLIBC[0]}_{GLIBC[1]}_{arch}"
    env = dict(os.environ)
    env.update({
        "CC": f"{sys.executable} -m ziglang cc -target {triple}.{GLIBC[0]}.{GLIBC[1]}",
        "GOARCH": goarch,
        "GOARRAY_RELEASE": "1",
        "GOARRAY_PLAT_NAME": plat,
        "SOURCE_DATE_EPOCH": str(epoch),
        "ZIG_GLOBAL_CACHE_DIR": env.get("ZIG_GLOBAL_CACHE_DIR") or os.path.join(ROOT, "build", "zig-cache"),
    })
    if goarch != "amd64":
        env["GOARRAY_SIMD"] = "0"
    with tempfile.TemporaryDirectory() as tmp:
        # a copy of the sources, so that no build/ or egg-info of an earlier
        # build leaks into the wheel
        src = os.path.join(tmp, "src")
        files = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout
        for rel in sorted(f.decode() for f in files.split(b"\0") if f):
            if os.path.isfile(os.path.join(ROOT, rel)):
                os.makedirs(os.path.join(src, os.path.dirname(rel)), exist_ok=True)
                shutil.copy2(os.path.join(ROOT, rel), os.path.join(src, rel))
        raw = os.path.join(tmp, "raw")
        subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation",
                        "-w", raw, src], env=env, check=True)
        (name,) = os.listdir(raw)
        if plat not in name:
            sys.exit(f"build_wheel: the wheel {name} does not carry the tag {plat}")
        os.makedirs(out_dir, exist_ok=True)
        dest = os.path.join(out_dir, name)
        normalize(os.path.join(raw, name), dest, epoch)
    return dest, plat


def normalize(src, dest, epoch):
    """Rewrite the wheel with sorted entries (RECORD last), every timestamp
    `epoch` and fixed permissions: the same inputs give the same bytes."""
    import time
    stamp = time.gmtime(max(epoch, 315532800))[:6]
    with zipfile.ZipFile(src) as zin:
        names = zin.namelist()
        record = [n for n in names if n.endswith(".dist-info/RECORD")]
        order = sorted(n for n in names if n not in record) + record
        tmp = dest + ".tmp"
        with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as zout:
            for n in order:
                info = zipfile.ZipInfo(n, date_time=stamp)
                info.compress_type = zipfile.ZIP_DEFLATED
                mode = 0o755 if n.endswith(".so") else 0o644
                info.external_attr = (0o100000 | mode) << 16
                info.create_system = 3
                zout.writestr(info, zin.read(n), compresslevel=9)
    os.replace(tmp, dest)


def check(wheel, plat):
    with zipfile.ZipFile(wheel) as z:
        sos = [i for i in z.infolist() if i.filename.endswith(".so")]
        if len(sos) != 1:
            sys.exit(f"build_wheel: expected one extension in {wheel}, found {[i.filename for i in sos]}")
        so = sos[0]
        data = z.read(so)
    if so.file_size > MAX_SO_BYTES:
        sys.exit(f"build_wheel: {so.filename} is {so.file_size} bytes, over the {MAX_SO_BYTES} limit")
    home = os.path.expanduser("~")
    for path in {ROOT, home, tempfile.gettempdir() + "/", sys.prefix, sys.base_prefix}:
        if len(path) > 4 and path.encode() in data:
            sys.exit(f"build_wheel: {so.filename} holds the build path {path!r}")
    show = subprocess.run([sys.executable, "-m", "auditwheel", "show", wheel], capture_output=True, text=True)
    text = " ".join((show.stdout + show.stderr).split())
    # "... constrains the platform tag to "manylinux_2_17_x86_64"" or
    # "... is consistent with the following platform tag: "manylinux_2_17_aarch64""
    tags = re.findall(r'platform tag(?: to|:) "(manylinux_(\d+)_(\d+)_\w+)"', text)
    if show.returncode or not tags:
        sys.exit(f"build_wheel: auditwheel show gave no manylinux tag:\n{show.stdout}{show.stderr}")
    for tag, major, minor in tags:
        if (int(major), int(minor)) > GLIBC:
            sys.exit(f"build_wheel: auditwheel says {tag}, newer than the {plat} the wheel claims")
    print(f"{os.path.basename(wheel)}: auditwheel: {tags[0][0]}; {so.filename} {so.file_size} bytes")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default=os.path.join(ROOT, "dist"))
    ap.add_argument("--arch", default="x86_64", choices=sorted(ARCHES))
    args = ap.parse_args()
    wheel, plat = build(os.path.abspath(args.out), args.arch, source_date_epoch())
    check(wheel, plat)


if __name__ == "__main__":
    main()
