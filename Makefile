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

test: vet go-test fuzz test-cgocheck install pytest abi3audit

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
