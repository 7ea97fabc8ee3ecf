// Command bindings is the CPython extension module goarray._goarray: the
// only package with cgo and the CPython C API. It is built with
// -buildmode=c-archive and linked by gcc -shared into _goarray.abi3.so
// (see setup.py); shim.c holds the type and the buffer protocol, this
// package the Go functions shim.c calls.
//
// Rules kept here: every //export recovers panics into RuntimeError; Go
// writes into C memory only non-Go pointers (array storage lives outside
// the Go heap); Python objects keep their Go arrays alive through
// integer handles (handles.go, the contract of runtime/cgo.Handle), released
// in dealloc.
package main

/*
#cgo CFLAGS: -DPy_LIMITED_API=0x030B0000 -O2 -Wall -Werror -Wno-unused-parameter
#include "shim.h"
*/
import "C"

func main() {}
