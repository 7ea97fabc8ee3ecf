package core

import (
	"fmt"
	"unsafe"
)

// BinaryFlat computes d[i] = op(a[i], b[i]) for n contiguous elements of
// dtype: Binary without layouts, for callers that know all three operands
// are C-contiguous arrays of one shape that do not partially overlap (d may
// be a or b itself). For a comparison (op.IsComparison()) d holds n
// elements of Bool, and a and b n elements of dtype (d may be a or b
// itself only when dtype is Bool). It allocates nothing for inputs of up to
// Grain elements, so its cost on tiny arrays is a function call.
func BinaryFlat(ex *Exec, op BinaryOp, dtype DType, d, a, b unsafe.Pointer, n int) error {
	return flatBinary(ex, op, dtype, d, a, b, n, flatArrays)
}

// The operands of a flat binary kernel: two arrays, or an array and one
// scalar element on either side.
type flatBinaryOperands uint8

const (
	flatArrays      flatBinaryOperands = iota // d = a op b
	flatScalarRight                           // d = a op s, s at b
	flatScalarLeft                            // d = s op a, s at b
)

// flatBinary is the dtype dispatch of BinaryFlat and BinaryScalarFlat.
func flatBinary(ex *Exec, op BinaryOp, dtype DType, d, a, b unsafe.Pointer, n int, ops flatBinaryOperands) error {
	if op >= numBinaryOps {
		return fmt.Errorf("%w: unknown binary kernel %v", ErrValue, op)
	}
	if op.IsComparison() {
		return compareFlat(ex, op, dtype, d, a, b, n, ops)
	}
	switch dtype {
	case Int8:
		return flatTyped[int8](ex, op, d, a, b, n, ops)
	case Int16:
		return flatTyped[int16](ex, op, d, a, b, n, ops)
	case Int32:
		return flatTyped[int32](ex, op, d, a, b, n, ops)
	case Int64:
		return flatTyped[int64](ex, op, d, a, b, n, ops)
	case Uint8:
		return flatTyped[uint8](ex, op, d, a, b, n, ops)
	case Uint16:
		return flatTyped[uint16](ex, op, d, a, b, n, ops)
	case Uint32:
		return flatTyped[uint32](ex, op, d, a, b, n, ops)
	case Uint64:
		return flatTyped[uint64](ex, op, d, a, b, n, ops)
	case Float32:
		return flatTyped[float32](ex, op, d, a, b, n, ops)
	case Float64:
		return flatTyped[float64](ex, op, d, a, b, n, ops)
	case Complex64:
		if op == OpMinimum || op == OpMaximum {
			break
		}
		return flatTyped[complex64](ex, op, d, a, b, n, ops)
	case Complex128:
		if op == OpMinimum || op == OpMaximum {
			break
		}
		return flatTyped[complex128](ex, op, d, a, b, n, ops)
	case Float16:
		if op == OpMinimum || op == OpMaximum {
			return flatTyped[half](ex, op, d, a, b, n, ops)
		}
	}
	return fmt.Errorf("%w: %v is not implemented for %v", ErrDType, op, dtype)
}

func flatTyped[T Number](ex *Exec, op BinaryOp, d, a, b unsafe.Pointer, n int, ops flatBinaryOperands) error {
	if ops == flatArrays {
		return binaryFlat[T](ex, op, d, a, b, n)
	}
	return binaryScalarFlat[T](ex, op, d, a, b, n, ops == flatScalarLeft)
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
// d may be a itself. For a comparison d holds n elements of Bool (and may
// be a itself only when dtype is Bool); s < a with scalarFirst is a > s.
func BinaryScalarFlat(ex *Exec, op BinaryOp, dtype DType, d, a, s unsafe.Pointer, n int, scalarFirst bool) error {
	ops := flatScalarRight
	if scalarFirst {
		ops = flatScalarLeft
	}
	return flatBinary(ex, op, dtype, d, a, s, n, ops)
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
