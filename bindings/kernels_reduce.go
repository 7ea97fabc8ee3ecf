package main

/*
#include "shim.h"
*/
import "C"

import (
	"fmt"
	"unsafe"

	"github.com/goarray/goarray/core"
)

// The reduction kernels besides "reduce" (kernels.go), which runs every
// core.ReduceOp: ints = (op, axes...).
func init() {
	// argreduce: ops = (dst int64, src), ints = (isMax, axes...).
	registerKernel("argreduce", func(ex *core.Exec, ops []*core.Array, ip []int, _ []float64) error {
		if len(ops) != 2 || len(ip) < 1 {
			return fmt.Errorf("%w: argreduce kernel needs 2 operands and a direction", core.ErrValue)
		}
		return core.ArgReduce(ex, ip[0] != 0, ops[0], ops[1], ip[1:])
	})
	// var: ops = (dst, src), ints = (std, axes...), floats = (ddof,).
	registerKernel("var", func(ex *core.Exec, ops []*core.Array, ip []int, fp []float64) error {
		if len(ops) != 2 || len(ip) < 1 || len(fp) != 1 {
			return fmt.Errorf("%w: var kernel needs 2 operands, std and ddof", core.ErrValue)
		}
		return core.Var(ex, ops[0], ops[1], ip[1:], fp[0], ip[0] != 0)
	})
}

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
