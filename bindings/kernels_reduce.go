package main

/*
#include "shim.h"
*/
import "C"

import (
	"unsafe"

	"github.com/goarray/goarray/core"
)

// goaReduceFlat is the fast path of a full reduction of one C-contiguous
// operand (see flat.c's fast_reduce): n elements of dtype src at p
// reduced by op into the acc value at out.
//
//export goaReduceFlat
func goaReduceFlat(op, acc, src C.int, p unsafe.Pointer, n C.Py_ssize_t, out unsafe.Pointer, threads, interruptible C.int,
	kind *C.int, errbuf *C.char, errlen C.int) (rc C.int) {
	defer guard(&rc, -1, kernelSink(kind, errbuf, errlen))
	err := core.ReduceFlat(kernelExec(threads, interruptible), core.ReduceOp(op), core.DType(acc), core.DType(src), p, int(n), out)
	return kernelStatus(err, kind, errbuf, errlen)
}
