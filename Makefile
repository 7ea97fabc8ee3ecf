# goarray: build, test and benchmark.
#   make test    every check CI runs: go vet, go test (race; and core with
#                GOEXPERIMENT=simd, as the extension is built), fuzz (short),
#                the extension built with GOEXPERIMENT=cgocheck2 + pytest,
#                then the normal build + pytest + the docstrings' examples
#                (doctest), abi3audit
#   make bench   benchmark scripts (print medians and ratios)
#   make fuzz    a longer fuzz run of the format parser
PYTHON ?= python3
PY_INCLUDE := $(shell $(PYTHON) -c "import sysconfig; print(sysconfig.get_paths()['include'])")
export CGO_CFLAGS := -I$(PY_INCLUDE)
FUZZTIME ?= 10s
PYTEST_ARGS ?=

.PHONY: test go-test vet fuzz fuzz-long install test-cgocheck pytest abi3audit bench clean

test: vet go-test fuzz test-cgocheck install pytest abi3audit stress-short

vet:
	go vet ./...
	GOEXPERIMENT=simd go vet ./core/...
	@test -z "$$(gofmt -l core pybuf bindings)" || { gofmt -l core pybuf bindings; echo "gofmt needed"; exit 1; }

go-test:
	go test -race ./core/... ./pybuf/...
	go test ./...
	GOEXPERIMENT=simd go test ./core/...

fuzz:
	go test -run='^$$' -fuzz=FuzzParseFormat -fuzztime=$(FUZZTIME) ./pybuf

fuzz-long:
	$(MAKE) fuzz FUZZTIME=10m

# The extension with cgo's full pointer checks (a Go pointer kept by C fails
# loudly), then the whole pytest suite against it.
test-cgocheck:
	GOARRAY_GOEXPERIMENT=cgocheck2 $(PYTHON) -m pip install --no-build-isolation --no-deps --force-reinstall -q .
	$(PYTHON) -c "import goarray._goarray as g; e = g._info(3); assert 'cgocheck2' in e, e; print('built with GOEXPERIMENT=' + e)"
	cd tests && $(PYTHON) -m pytest -q -p no:cacheprovider $(PYTEST_ARGS)

install:
	$(PYTHON) -m pip install --no-build-isolation --no-deps --force-reinstall -q .

# The test suite, then the examples in the docstrings (doctest) of the
# installed package, run from an empty directory so that the installed
# package, not the source tree, is what gets imported.
pytest:
	cd tests && $(PYTHON) -m pytest -q $(PYTEST_ARGS)
	tmp=$$(mktemp -d) && cd "$$tmp" && \
	  pkg=$$($(PYTHON) -c "import goarray, os; print(os.path.dirname(goarray.__file__))") && \
	  $(PYTHON) -m pytest -q -p no:cacheprovider --doctest-modules "$$pkg"; \
	  rc=$$?; rm -rf "$$tmp"; exit $$rc

abi3audit:
	$(PYTHON) -m abi3audit --strict --assume-minimum-abi3 3.11 $$($(PYTHON) -c "import goarray._goarray as m; print(m.__file__)")

bench:
	$(PYTHON) scripts/bench_export.py
	$(PYTHON) scripts/bench_kernels.py
	$(PYTHON) scripts/bench_matmul.py
	$(PYTHON) scripts/bench_protocols.py
	$(PYTHON) scripts/bench_dispatch.py
	$(PYTHON) scripts/bench_arrow.py

clean:
	rm -rf build dist python/*.egg-info

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

stress-short:
	$(PYTHON) scripts/stress_threads.py --threads 8 --seconds 10

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
