// Command bindings is the CPython extension module goarray._goarray: the
// only package with cgo and the CPython C API. It is built with
// -buildmode=c-archive and linked by gcc -shared into _goarray.abi3.so
// (see setup.py). The C files hold the module, the type and the protocols,
// one concept each (internal.h lists them); shim.h is what C and Go share;
// this package holds the Go functions the C files call.
//
// Rules kept here: every //export defers guard, the one panic handler, so
// a panic is a RuntimeError; errors.go sorts Go errors into the kinds C
// raises; Go writes into C memory only non-Go pointers (array storage lives
// outside the Go heap); Python objects keep their Go arrays alive through
// integer handles (record.go's handles, a table of internal/handle with the
// contract of runtime/cgo.Handle), released in dealloc.
//
// The limited API's version is defined in one place, pyapi.h. Python.h is
// found on the include path the build passes in CGO_CFLAGS, else among the
// system's headers, so `go vet ./...` needs no flags.
package main

/*
#cgo CFLAGS: -O2 -Wall -Werror -Wno-unused-parameter
#include "shim.h"
*/
import "C"

func main() {}
