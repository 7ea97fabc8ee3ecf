package main

/*
#include "shim.h"
*/
import "C"

import (
	"errors"
	"fmt"
	"runtime/debug"
	"strings"
	"unsafe"

	"github.com/goarray/goarray/core"
	"github.com/goarray/goarray/pybuf"
)

// errorKind is the one place that maps Go errors onto Python exceptions.
func errorKind(err error) C.int {
	switch {
	case errors.Is(err, core.ErrMemory):
		return C.GA_ERR_MEMORY
	case errors.Is(err, core.ErrAxis):
		return C.GA_ERR_AXIS
	case errors.Is(err, core.ErrIndex):
		return C.GA_ERR_INDEX
	case errors.Is(err, core.ErrDType), errors.Is(err, pybuf.ErrFormat):
		return C.GA_ERR_TYPE
	case errors.Is(err, core.ErrBusy), errors.Is(err, pybuf.ErrRequest), errors.Is(err, pybuf.ErrMisaligned):
		return C.GA_ERR_BUFFER
	case errors.Is(err, core.ErrShape), errors.Is(err, core.ErrValue), errors.Is(err, core.ErrReadOnly):
		return C.GA_ERR_VALUE
	}
	return C.GA_ERR_RUNTIME
}

// userMessage drops the sentinel prefixes ("goarray: invalid shape: ")
// that only repeat what the exception type says.
func userMessage(err error) string {
	msg := err.Error()
	for _, s := range []error{core.ErrShape, core.ErrDType, core.ErrIndex, core.ErrValue, core.ErrMemory,
		core.ErrBusy, core.ErrReadOnly, core.ErrAxis, pybuf.ErrFormat, pybuf.ErrRequest, pybuf.ErrMisaligned} {
		msg = strings.ReplaceAll(msg, s.Error()+": ", "")
	}
	return strings.ReplaceAll(msg, "pybuf: ", "")
}

func raise(kind C.int, msg string) {
	C.ga_raise(kind, (*C.char)(unsafe.Pointer(unsafe.StringData(msg))), C.Py_ssize_t(len(msg)))
}

// raiseErr sets the Python exception for err.
func raiseErr(err error) { raise(errorKind(err), userMessage(err)) }

// recoverPanic turns a panic in an exported function into RuntimeError
// instead of letting it abort the interpreter. Use as
// `defer recoverPanic(&rc, -1)`.
func recoverPanic[T any](ret *T, failed T) {
	if r := recover(); r != nil {
		raise(C.GA_ERR_RUNTIME, fmt.Sprintf("goarray: Go panic: %v\n%s", r, debug.Stack()))
		*ret = failed
	}
}
