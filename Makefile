# goarray: build, test and benchmark.
#   make test    every check CI runs, on a machine with Go, a C compiler and
#                CPython 3.11+; it makes its own venvs (in .venvs/), so it
#                needs nothing installed beforehand:
#                  go vet, gofmt, go test (race; and core with GOEXPERIMENT=simd,
#                  as the extension is built), fuzz (short);
#                  the binary wheel (make wheel), built twice: the same bytes;
#                  the sdist: it builds with Go, and says what is missing without;
#                  the pytest suite in each of TEST_ENVS (Python, numpy, install),
#                  a missing Python reported and skipped;
#                  the docstrings' examples (doctest) and abi3audit
#   make wheel   the manylinux wheel (no Go needed to install it) into dist/
#   make sdist   the source distribution into dist/
#   make bench   benchmark scripts (print medians and ratios)
#   make fuzz    a longer fuzz run of the format parser
#   make codes   regenerates bindings/codes.h from the kernel registry
#   make clean   removes build output and the venvs
PYTHON ?= python3
PY_INCLUDE := $(shell $(PYTHON) -c "import sysconfig; print(sysconfig.get_paths()['include'])")
export CGO_CFLAGS := -I$(PY_INCLUDE)
FUZZTIME ?= 10s
PYTEST_ARGS ?=
export PYTEST_ARGS

# The venvs `make test` makes: .venvs/<name>. TOOLS builds the wheel and the sdist.
VENVS ?= .venvs
export VENVS
TOOLS := $(VENVS)/tools
TOOLS_PY := $(TOOLS)/bin/python
TOOLS_REQS := "setuptools>=77" wheel build "ziglang==0.17.1" "auditwheel>=6"

# The test environments: name = Python version, numpy requirement, install
# (src: `pip install '.[test]'` as a user does; cgocheck: the same built with
# GOEXPERIMENT=cgocheck2; wheel: the manylinux wheel with no Go on PATH).
# Each installs goarray's [test] extras. To add one: a TESTENV_<name> line
# and the name in TEST_ENVS.
# NUMPY_OLDEST: the floor declared in pyproject.toml (numpy >= 2.0), the
# oldest numpy 2.0.x.
NUMPY_OLDEST ?= 2.0.0
TESTENV_py311-numpy-oldest := 3.11 numpy==$(NUMPY_OLDEST) src
TESTENV_py311 := 3.11 numpy cgocheck
TESTENV_py312 := 3.12 numpy wheel
TESTENV_py313 := 3.13 numpy wheel
TESTENV_py311-wheel := 3.11 numpy wheel
TEST_ENVS ?= py311-numpy-oldest py311 py312 py313 py311-wheel
# where the doctests, abi3audit and the short stress run (the newest numpy:
# the docstrings show its reprs)
MAIN_ENV := py311

.PHONY: test go-checks vet go-test codes fuzz fuzz-long tools wheel wheel-repro sdist test-sdist \
	test-envs doctest abi3audit install bench clean

test: go-checks wheel-repro test-sdist test-envs doctest abi3audit stress-short

go-checks: vet go-test fuzz

vet:
	go vet ./...
	GOEXPERIMENT=simd go vet ./core/...
	@test -z "$$(gofmt -l core pybuf bindings registry)" || { gofmt -l core pybuf bindings registry; echo "gofmt needed"; exit 1; }

go-test:
	go test -race ./core/... ./pybuf/... ./registry/...
	go test ./...
	GOEXPERIMENT=simd go test ./core/...

# bindings/codes.h, the C header of the kernel registry's codes
# (registry/builtin's TestCodesHeaderUpToDate, in go-test, fails when it is
# stale)
codes:
	go run ./registry/gencodes > bindings/codes.h.tmp && mv bindings/codes.h.tmp bindings/codes.h

fuzz:
	go test -run='^$$' -fuzz=FuzzParseFormat -fuzztime=$(FUZZTIME) ./pybuf

fuzz-long:
	$(MAKE) fuzz FUZZTIME=10m

# ---- packaging -----------------------------------------------------------------

$(TOOLS_PY):
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS_PY) -m pip install -q --disable-pip-version-check --upgrade pip $(TOOLS_REQS)

tools: $(TOOLS_PY)

# manylinux_2_17 wheel, built with zig cc (see scripts/build_wheel.py)
wheel: $(TOOLS_PY)
	rm -f dist/goarray-*-manylinux_*.whl
	$(TOOLS_PY) scripts/build_wheel.py --out dist

# a second build must give the same bytes
wheel-repro: wheel
	rm -rf build/wheel-again
	$(TOOLS_PY) scripts/build_wheel.py --out build/wheel-again
	cmp dist/goarray-*-manylinux_*.whl build/wheel-again/goarray-*-manylinux_*.whl
	@echo "wheel reproducible: two builds, the same bytes"

sdist: $(TOOLS_PY)
	rm -f dist/goarray-*.tar.gz
	$(TOOLS_PY) -m build --sdist --outdir dist .

# The sdist holds what a build needs (it builds, with Go on PATH), and
# without Go the build ends with one line saying so.
test-sdist: sdist
	rm -rf build/sdist-check && mkdir -p build/sdist-check
	$(TOOLS_PY) -m pip wheel -q --no-deps -w build/sdist-check dist/goarray-*.tar.gz
	ls build/sdist-check/goarray-*.whl
	nogo=$$(printf '%s' "$$PATH" | tr ':' '\n' | while read -r d; do [ -x "$$d/go" ] || printf '%s:' "$$d"; done); \
	  if PATH="$$nogo" GO= $(TOOLS_PY) -m pip wheel -q --no-deps --no-build-isolation -w build/sdist-check/nogo \
	       dist/goarray-*.tar.gz >build/sdist-check/nogo.log 2>&1; then \
	    echo "the sdist built without Go?"; exit 1; fi; \
	  grep -q "error: goarray cannot be built here: no .go. command on PATH" build/sdist-check/nogo.log || \
	    { cat build/sdist-check/nogo.log; echo "no clear message without Go"; exit 1; }; \
	  ! grep -q "^Traceback" build/sdist-check/nogo.log || { cat build/sdist-check/nogo.log; exit 1; }
	@echo "sdist: builds with Go; without Go: $$(grep -o 'goarray cannot be built here: [^.]*' build/sdist-check/nogo.log)"

# ---- the pytest suite in each test environment -------------------------------

# every environment runs, even after one fails; the failures are named at the end
test-envs:
	@failed=""; for e in $(TEST_ENVS); do $(MAKE) --no-print-directory testenv-$$e || failed="$$failed $$e"; done; \
	  if [ -n "$$failed" ]; then echo "pytest failed in:$$failed"; exit 1; fi

# testenv-<name> for every TESTENV_<name> (a wheel environment needs
# dist/'s wheel first)
ALL_TEST_ENVS := $(patsubst TESTENV_%,%,$(filter TESTENV_%,$(.VARIABLES)))
define testenv_rule
.PHONY: testenv-$(1)
testenv-$(1): $(if $(filter wheel,$(TESTENV_$(1))),wheel)
	scripts/testenv.sh $(1) $(TESTENV_$(1))
endef
$(foreach e,$(ALL_TEST_ENVS),$(eval $(call testenv_rule,$(e))))

# The examples in the docstrings (doctest) of the installed package, run from
# an empty directory so that the installed package, not the source tree, is
# what gets imported.
doctest:
	@py=$(VENVS)/$(MAIN_ENV)/bin/python; test -x $$py || { echo "doctest: no $$py (make testenv-$(MAIN_ENV))"; exit 1; }; \
	  py=$$(cd $$(dirname $$py) && pwd)/python; tmp=$$(mktemp -d) && cd "$$tmp" && \
	  pkg=$$($$py -c "import goarray, os; print(os.path.dirname(goarray.__file__))") && \
	  $$py -m pytest -q -p no:cacheprovider --doctest-modules "$$pkg"; \
	  rc=$$?; rm -rf "$$tmp"; exit $$rc

# the source build and the wheel use only the stable ABI of 3.11
abi3audit:
	@py=$(VENVS)/$(MAIN_ENV)/bin/python; test -x $$py || { echo "abi3audit: no $$py (make testenv-$(MAIN_ENV))"; exit 1; }; \
	  set -e; $$py -m abi3audit --strict --assume-minimum-abi3 3.11 $$($$py -c "import goarray._goarray as m; print(m.__file__)"); \
	  for w in dist/goarray-*-manylinux_*.whl; do test -f "$$w" && $$py -m abi3audit --strict --assume-minimum-abi3 3.11 "$$w"; done; \
	  echo "abi3audit: the installed extension and the wheel use only the 3.11 stable ABI"

# for development in an activated venv: rebuild the extension in place
install:
	$(PYTHON) -m pip install --no-build-isolation --no-deps --force-reinstall -q .

bench:
	$(PYTHON) scripts/bench_export.py
	$(PYTHON) scripts/bench_kernels.py
	$(PYTHON) scripts/bench_matmul.py
	$(PYTHON) scripts/bench_protocols.py
	$(PYTHON) scripts/bench_dispatch.py
	$(PYTHON) scripts/bench_arrow.py

clean:
	rm -rf build dist python/*.egg-info $(VENVS)

# ---- hostile suites --------------------------------------------------------
#   make stress     the thread stress for STRESS_SECONDS, the leak check for
#                   LEAK_CYCLES cycles of every scenario, the stateful numpy
#                   fuzzer with FUZZ_EXAMPLES examples, and every Go fuzz
#                   target for STRESS_FUZZTIME (minutes in all)
#   make sanitize   the extension built with go build -asan (GCC >= 7) and the
#                   Python suite run with libasan preloaded (this Python is
#                   not an ASan build, so leak detection is off); ASan's
#                   logs are printed and an ERROR report fails the target; the normal
#                   build is reinstalled afterwards
STRESS_SECONDS ?= 300
LEAK_CYCLES ?= 1000000
FUZZ_EXAMPLES ?= 2000
STRESS_FUZZTIME ?= 60s
CORE_FUZZ := FuzzExtentChecked FuzzFromBuffer FuzzSliceIndices FuzzIndex FuzzBroadcastTo
PYBUF_FUZZ := FuzzForeignArray FuzzParseFormat
ASAN_LIB = $(shell gcc -print-file-name=libasan.so)
# ASan's reports (one file per process; numpy's huge test allocations must
# fail as malloc does, not abort: allocator_may_return_null)
ASAN_LOG ?= /tmp/goarray-asan

.PHONY: stress stress-short sanitize

# the short thread stress of make test, in the main test environment
stress-short:
	$(VENVS)/$(MAIN_ENV)/bin/python scripts/stress_threads.py --threads 8 --seconds 10

stress: install
	$(PYTHON) scripts/stress_threads.py --threads 8 --seconds $(STRESS_SECONDS)
	$(PYTHON) scripts/stress_leaks.py --cycles $(LEAK_CYCLES)
	cd tests && GOARRAY_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) $(PYTHON) -m pytest -q -p no:randomly test_fuzz_stateful.py
	for t in $(CORE_FUZZ); do go test -run='^$$' -fuzz="^$$t\$$" -fuzztime=$(STRESS_FUZZTIME) ./core || exit 1; done
	for t in $(PYBUF_FUZZ); do go test -run='^$$' -fuzz="^$$t\$$" -fuzztime=$(STRESS_FUZZTIME) ./pybuf || exit 1; done

sanitize:
	@test -f "$(ASAN_LIB)" || { echo "libasan.so not found (gcc -print-file-name=libasan.so): GCC >= 7 is needed"; exit 1; }
	GOFLAGS=-asan $(PYTHON) -m pip install --no-build-isolation --no-deps --force-reinstall -q .
	rm -f $(ASAN_LOG).*
	cd tests && LD_PRELOAD=$(ASAN_LIB) ASAN_OPTIONS=detect_leaks=0:allocator_may_return_null=1:log_path=$(ASAN_LOG) \
	  $(PYTHON) -m pytest -q -p no:cacheprovider $(PYTEST_ARGS); \
	  rc=$$?; cat $(ASAN_LOG).* 2>/dev/null; grep -qs "ERROR: AddressSanitizer" $(ASAN_LOG).* && rc=1; \
	  cd .. && $(PYTHON) -m pip install --no-build-isolation --no-deps --force-reinstall -q . && exit $$rc
