#!/bin/sh
# find_python.sh X.Y: print the path of a working CPython X.Y (one that can
# make a venv with pip), looked up on PATH (pythonX.Y), then in pyenv's
# versions (PYENV_ROOT, `pyenv root`, ~/.pyenv; the newest X.Y.z, never a
# free-threaded "t" build). Exits 1, printing nothing, when there is none.
# PYTHON_X_Y=/path/to/python (e.g. PYTHON_3_12) overrides the search.
set -u
v=$1
override=$(printenv "PYTHON_$(echo "$v" | tr . _)" || true)

works() {
    [ -n "$1" ] && [ -x "$1" ] && "$1" -c "import sys, venv, ensurepip; sys.exit(sys.version_info[:2] != tuple(map(int, '$v'.split('.'))) or hasattr(sys, '_is_gil_enabled') and not sys._is_gil_enabled())" 2>/dev/null
}

candidates() {
    [ -n "$override" ] && echo "$override"
    command -v "python$v" 2>/dev/null
    roots="${PYENV_ROOT:-} $(pyenv root 2>/dev/null || true) $HOME/.pyenv"
    for r in $roots; do
        [ -d "$r/versions" ] || continue
        ls -d "$r/versions/$v".* 2>/dev/null | grep -E "/$v\.[0-9]+$" | sort -t. -k3 -n -r | sed "s|\$|/bin/python$v|"
    done
}

for c in $(candidates); do
    if works "$c"; then
        echo "$c"
        exit 0
    fi
done
exit 1
