package core

import (
	"fmt"
	"unsafe"
)

// ReduceFlat is Reduce of n contiguous elements of dtype src at p into the
// single value of dtype acc at out: a full reduction without Arrays, for
// callers (the Python bindings' fast path) that know the memory is one
// C-contiguous run. Its result is bit-identical to Reduce's on the same
// elements seen as a C-contiguous array of any shape: Reduce merges the
// axes of such an array into this one run.
//
// Up to one chunk of elements it runs on the calling goroutine and makes
// at most two small allocations (its operands and, off the direct loops,
// its reducer), so its cost on tiny inputs is close to a function call.
func ReduceFlat(ex *Exec, op ReduceOp, acc, src DType, p unsafe.Pointer, n int, out unsafe.Pointer) error {
	if int(op) >= len(reduceNames) {
		return fmt.Errorf("%w: unknown reduction %v", ErrValue, op)
	}
	if n < 0 {
		return fmt.Errorf("%w: negative element count %d", ErrValue, n)
	}
	if err := checkReduceDTypes(op, acc, src); err != nil {
		return err
	}
	if n == 0 && (op == OpMin || op == OpMax) {
		return fmt.Errorf("%w: zero-size array to reduction operation %s which has no identity",
			ErrValue, map[ReduceOp]string{OpMin: "minimum", OpMax: "maximum"}[op])
	}
	if n > 0 && n <= reduceGrain && acc == src && reduceFlatDirect(op, src, p, n, out) {
		return nil
	}
	f := &flatOperands{}
	f.dims[0], f.dims[1] = n, src.Size()
	f.srcBuf.mem = unsafe.Slice((*byte)(p), n*src.Size())
	f.dstBuf.mem = unsafe.Slice((*byte)(out), acc.Size())
	f.src = Array{buf: &f.srcBuf, shape: f.dims[0:1:1], strides: f.dims[1:2:2], dtype: src, readonly: true}
	f.dst = Array{buf: &f.dstBuf, shape: f.dims[2:2], strides: f.dims[2:2], dtype: acc}
	return reduceDispatch(ex, op, &f.dst, &f.src, 0, n)
}

// flatOperands holds ReduceFlat's two Arrays in one allocation.
type flatOperands struct {
	src, dst       Array
	srcBuf, dstBuf Buffer
	dims           [3]int
}

// reduceSingleRun reports whether a reduction is one output over one
// contiguous-or-strided run short enough for a single chunk: the engine's
// inner mode would then call run once and store the result, which the
// caller can do without building the engine.
func reduceSingleRun(src *Array, nkept, nred int) bool {
	return nkept == 0 && nred > 0 && nred <= reduceGrain && len(src.shape) == 1
}

// reduceFlatDirect runs the commonest single-chunk reductions (sum, min
// and max of float64, float32 and int64 into their own dtype) with the
// loops their reducers' run calls, allocating nothing. It reports false
// for the others.
func reduceFlatDirect(op ReduceOp, dt DType, p unsafe.Pointer, n int, out unsafe.Pointer) bool {
	switch dt {
	case Float64:
		return flatDirect[float64](op, true, p, n, out)
	case Float32:
		return flatDirect[float32](op, true, p, n, out)
	case Int64:
		return flatDirect[int64](op, false, p, n, out)
	}
	return false
}

func flatDirect[T Real](op ReduceOp, float bool, p unsafe.Pointer, n int, out unsafe.Pointer) bool {
	var z T
	switch op {
	case OpSum:
		if float {
			*(*T)(out) = sumContig[T](p, n)
		} else {
			*(*T)(out) = sumInts[T, T](p, int(unsafe.Sizeof(z)), int(unsafe.Sizeof(z)), n)
		}
	case OpMin:
		*(*T)(out) = minContig(sliceAt[T](p, n))
	case OpMax:
		*(*T)(out) = maxContig(sliceAt[T](p, n))
	default:
		return false
	}
	return true
}
