package core

import (
	"fmt"
	"unsafe"
)

// BinaryFlat computes d[i] = op(a[i], b[i]) for n contiguous elements of
// dtype: Binary without layouts, for callers that know all three operands
// are C-contiguous arrays of one shape that do not partially overlap (d may
// be a or b itself). It allocates nothing for inputs of up to Grain
// elements, so its cost on tiny arrays is a function call.
func BinaryFlat(ex *Exec, op BinaryOp, dtype DType, d, a, b unsafe.Pointer, n int) error {
	switch dtype {
	case Int8:
		return binaryFlat[int8](ex, op, d, a, b, n)
	case Int16:
		return binaryFlat[int16](ex, op, d, a, b, n)
	case Int32:
		return binaryFlat[int32](ex, op, d, a, b, n)
	case Int64:
		return binaryFlat[int64](ex, op, d, a, b, n)
	case Uint8:
		return binaryFlat[uint8](ex, op, d, a, b, n)
	case Uint16:
		return binaryFlat[uint16](ex, op, d, a, b, n)
	case Uint32:
		return binaryFlat[uint32](ex, op, d, a, b, n)
	case Uint64:
		return binaryFlat[uint64](ex, op, d, a, b, n)
	case Float32:
		return binaryFlat[float32](ex, op, d, a, b, n)
	case Float64:
		return binaryFlat[float64](ex, op, d, a, b, n)
	case Complex64:
		if op == OpMinimum || op == OpMaximum {
			break
		}
		return binaryFlat[complex64](ex, op, d, a, b, n)
	case Complex128:
		if op == OpMinimum || op == OpMaximum {
			break
		}
		return binaryFlat[complex128](ex, op, d, a, b, n)
	}
	return fmt.Errorf("%w: %v is not implemented for %v", ErrDType, op, dtype)
}

func binaryFlat[T Number](ex *Exec, op BinaryOp, d, a, b unsafe.Pointer, n int) error {
	if op > OpMaximum {
		return fmt.Errorf("%w: unknown binary kernel %v", ErrValue, op)
	}
	if n <= Grain {
		if n > 0 {
			binaryContig(op, sliceAt[T](d, n), sliceAt[T](a, n), sliceAt[T](b, n))
		}
		return nil
	}
	var zero T
	size := int(unsafe.Sizeof(zero))
	return parallelChunks(ex, n, Grain, elemChunksPerWorker, func(_, lo, hi int) {
		off := lo * size
		binaryContig(op, sliceAt[T](unsafe.Add(d, off), hi-lo), sliceAt[T](unsafe.Add(a, off), hi-lo), sliceAt[T](unsafe.Add(b, off), hi-lo))
	})
}

// BinaryScalarFlat computes d = a op s for n contiguous elements at d and
// a and the one element of dtype at s (s op a when scalarFirst), with the
// same loops and results as BinaryFlat of a and an array filled with s.
// d may be a itself.
func BinaryScalarFlat(ex *Exec, op BinaryOp, dtype DType, d, a, s unsafe.Pointer, n int, scalarFirst bool) error {
	switch dtype {
	case Int8:
		return binaryScalarFlat[int8](ex, op, d, a, s, n, scalarFirst)
	case Int16:
		return binaryScalarFlat[int16](ex, op, d, a, s, n, scalarFirst)
	case Int32:
		return binaryScalarFlat[int32](ex, op, d, a, s, n, scalarFirst)
	case Int64:
		return binaryScalarFlat[int64](ex, op, d, a, s, n, scalarFirst)
	case Uint8:
		return binaryScalarFlat[uint8](ex, op, d, a, s, n, scalarFirst)
	case Uint16:
		return binaryScalarFlat[uint16](ex, op, d, a, s, n, scalarFirst)
	case Uint32:
		return binaryScalarFlat[uint32](ex, op, d, a, s, n, scalarFirst)
	case Uint64:
		return binaryScalarFlat[uint64](ex, op, d, a, s, n, scalarFirst)
	case Float32:
		return binaryScalarFlat[float32](ex, op, d, a, s, n, scalarFirst)
	case Float64:
		return binaryScalarFlat[float64](ex, op, d, a, s, n, scalarFirst)
	case Complex64:
		if op == OpMinimum || op == OpMaximum {
			break
		}
		return binaryScalarFlat[complex64](ex, op, d, a, s, n, scalarFirst)
	case Complex128:
		if op == OpMinimum || op == OpMaximum {
			break
		}
		return binaryScalarFlat[complex128](ex, op, d, a, s, n, scalarFirst)
	}
	return fmt.Errorf("%w: %v is not implemented for %v", ErrDType, op, dtype)
}

// scalarBlock is how many copies of the scalar the loops read beside the
// array: the block stays in L1 and the vector loops of binaryContig apply.
const scalarBlock = 256

func binaryScalarFlat[T Number](ex *Exec, op BinaryOp, d, a, s unsafe.Pointer, n int, scalarFirst bool) error {
	if op > OpMaximum {
		return fmt.Errorf("%w: unknown binary kernel %v", ErrValue, op)
	}
	v := *(*T)(s)
	run := func(lo, hi int) {
		var blk [scalarBlock]T
		for i := range blk {
			blk[i] = v
		}
		dd, aa := sliceAt[T](d, n), sliceAt[T](a, n)
		for i := lo; i < hi; i += scalarBlock {
			j := min(i+scalarBlock, hi)
			if scalarFirst {
				binaryContig(op, dd[i:j], blk[:j-i], aa[i:j])
			} else {
				binaryContig(op, dd[i:j], aa[i:j], blk[:j-i])
			}
		}
	}
	if n <= Grain {
		if n > 0 {
			run(0, n)
		}
		return nil
	}
	return parallelChunks(ex, n, Grain, elemChunksPerWorker, func(_, lo, hi int) { run(lo, hi) })
}
