#!/bin/sh
# testenv.sh NAME PYTHON_VERSION NUMPY_REQUIREMENT INSTALL
#
# Makes (or reuses) the venv $VENVS/NAME with CPython PYTHON_VERSION, installs
# goarray with its [test] extras and NUMPY_REQUIREMENT into it, then runs the
# whole pytest suite ($PYTEST_ARGS added) against the installed package.
# INSTALL is how goarray gets there:
#   src       pip install '.[test]', build-isolated, as a user does
#   cgocheck  the same, built with GOEXPERIMENT=cgocheck2 (cgo's full
#             pointer checks: a Go pointer kept by C fails loudly)
#   wheel     the manylinux wheel in $WHEEL_DIR (make wheel), with no Go on
#             PATH for the install and the tests
# Without that Python, it says so and exits 0.
set -eu
name=$1 ver=$2 numpy=$3 how=$4
root=$(cd "$(dirname "$0")/.." && pwd)
VENVS=${VENVS:-$root/.venvs}
case $VENVS in /*) ;; *) VENVS=$root/$VENVS ;; esac
say() { printf '\n=== %s: %s\n' "$name" "$*"; }

py=$("$root/scripts/find_python.sh" "$ver") || {
    say "SKIPPED: no CPython $ver here (looked for python$ver on PATH and in pyenv's versions)"
    exit 0
}
venv=$VENVS/$name
if [ ! -x "$venv/bin/python" ]; then
    "$py" -m venv "$venv"
fi
vpy=$venv/bin/python
"$vpy" -m pip install -q --disable-pip-version-check --upgrade pip

path=$PATH
case $how in
src|cgocheck)
    if [ "$how" = cgocheck ]; then export GOARRAY_GOEXPERIMENT=cgocheck2; fi
    "$vpy" -m pip install -q --disable-pip-version-check --upgrade "$root[test]" "$numpy"
    unset GOARRAY_GOEXPERIMENT
    if [ "$how" = cgocheck ]; then
        "$vpy" -c "import goarray._goarray as g; e = g._info(3); assert 'cgocheck2' in e, e"
    fi
    ;;
wheel)
    whl=$(ls "${WHEEL_DIR:-$root/dist}"/goarray-*-manylinux_*.whl 2>/dev/null | tail -n 1)
    [ -n "$whl" ] || { echo "testenv: no manylinux wheel in ${WHEEL_DIR:-$root/dist} (make wheel)" >&2; exit 1; }
    # PATH without any directory holding a go command
    path=$(printf '%s' "$PATH" | tr ':' '\n' | while read -r d; do [ -x "$d/go" ] || printf '%s:' "$d"; done)
    path=${path%:}
    if PATH=$path command -v go >/dev/null 2>&1; then echo "testenv: go still on PATH" >&2; exit 1; fi
    PATH=$path GO= "$vpy" -m pip install -q --disable-pip-version-check --upgrade --force-reinstall --no-deps "$whl"
    PATH=$path GO= "$vpy" -m pip install -q --disable-pip-version-check --upgrade "$whl[test]" "$numpy"
    ;;
*)
    echo "testenv: unknown install kind $how" >&2; exit 2 ;;
esac

say "$("$vpy" -c "import sys, numpy, goarray; print('Python', sys.version.split()[0], '| numpy', numpy.__version__, '| goarray', goarray.__version__, '|', goarray._goarray.__file__)")"
cd "$root/tests"
PATH=$path "$vpy" -m pytest -q -p no:cacheprovider ${PYTEST_ARGS:-}
