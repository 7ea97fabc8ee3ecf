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

// errorKind is the one place that sorts Go errors into the kinds C raises
// (errors.c maps each kind onto its Python exception class).
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

// raiseErr sets the Python exception for err (the GIL is held).
func raiseErr(err error) {
	msg := userMessage(err)
	C.ga_raise(errorKind(err), (*C.char)(unsafe.Pointer(unsafe.StringData(msg))), C.Py_ssize_t(len(msg)))
}

// errSink is where an export reports a failure. The zero errSink raises
// it at once (the export holds the GIL). A kernel export, which may run
// without the GIL, writes the kind and message into C's buffers instead;
// C raises them once it holds the GIL again (kernels.c's ga_call_end). An
// export that cannot raise (a release from dealloc) reports it as
// unraisable.
type errSink struct {
	kind       *C.int
	buf        *C.char
	n          C.int
	unraisable bool
}

// kernelSink reports into a kernel export's kind and errbuf arguments.
func kernelSink(kind *C.int, buf *C.char, n C.int) errSink {
	return errSink{kind: kind, buf: buf, n: n}
}

// unraisable reports through sys.unraisablehook (the GIL is held).
var unraisable = errSink{unraisable: true}

func (s errSink) report(err error) {
	switch {
	case s.kind != nil:
		*s.kind = errorKind(err)
		copyOut(userMessage(err), s.buf, s.n)
	case s.unraisable:
		msg := userMessage(err)
		C.ga_unraisable(errorKind(err), (*C.char)(unsafe.Pointer(unsafe.StringData(msg))), C.Py_ssize_t(len(msg)))
	default:
		raiseErr(err)
	}
}

// errPanic marks a recovered panic: a bug in goarray, a RuntimeError in
// Python (errorKind's default).
var errPanic = errors.New("goarray: Go panic")

// guard is the one panic handler. Every export defers it first, so that a
// panic reaches Python as a RuntimeError with the Go stack instead of
// aborting the interpreter, and the export returns failed:
//
//	defer guard(&rc, -1, errSink{})
func guard[T any](ret *T, failed T, sink errSink) {
	if r := recover(); r != nil {
		sink.report(fmt.Errorf("%w: %v\n%s", errPanic, r, debug.Stack()))
		*ret = failed
	}
}

// copyOut writes s into the C buffer buf of n bytes, NUL-terminated.
func copyOut(s string, buf *C.char, n C.int) {
	dst := unsafe.Slice((*byte)(unsafe.Pointer(buf)), int(n))
	k := copy(dst[:len(dst)-1], s)
	dst[k] = 0
}
