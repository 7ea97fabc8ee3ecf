package core

import (
	"fmt"
	"unsafe"
)

// The comparison kernels: numpy's equal, not_equal, less, less_equal,
// greater and greater_equal (OpEqual ... OpGreaterEqual) for every dtype,
// two operands of one dtype and a Bool result, with numpy's loops'
// semantics:
//
//   - integers compare exactly (both operands have one dtype, so uint64
//     values above the int64 range compare as themselves);
//   - floats compare as IEEE 754 does: a NaN is unordered, so every
//     comparison with one is false except !=, which is true; -0 == +0;
//   - float16 compares by value (each element converted exactly to
//     float32);
//   - bool: any nonzero byte reads as True, as numpy's bool loops read it;
//   - complex: == and != compare both parts; the orderings are numpy's
//     lexicographic ones, real part first:
//     a < b  is  ar < br && ai, bi not NaN  ||  ar == br && ai < bi
//     (<= likewise with ai <= bi; a > b is b < a, a >= b is b <= a).
//
// The loops run on contiguous runs; strided runs, broadcast operands, the
// scalar of BinaryScalarFlat, bool and float16 go through blocks of
// cmpBlock elements gathered into contiguous buffers on the stack, so
// every path ends in the same typed loop (and the same results). With
// AVX2 (simd_compare_amd64.go), contiguous float64, float32 and int64 run
// vector loops, against a vector of the scalar for BinaryScalarFlat.

// IsComparison reports whether op is one of the comparisons, whose output
// has dtype Bool.
func (op BinaryOp) IsComparison() bool { return op >= OpEqual && op < numBinaryOps }

// cmpBlock is the number of elements gathered at once.
const cmpBlock = 256

// cmpRun compares len(d) contiguous elements of dtype dt at a and b into
// d. d may be a or b itself only for Bool. (A switch and direct calls, not
// a function value: pointers to the blocks on the stack must not escape.)
func cmpRun(dt DType, op BinaryOp, d []bool, a, b unsafe.Pointer) {
	switch dt {
	case Bool:
		cmpBool(op, d, a, b)
	case Int8:
		cmpReal[int8](op, d, a, b)
	case Int16:
		cmpReal[int16](op, d, a, b)
	case Int32:
		cmpReal[int32](op, d, a, b)
	case Int64:
		cmpReal[int64](op, d, a, b)
	case Uint8:
		cmpReal[uint8](op, d, a, b)
	case Uint16:
		cmpReal[uint16](op, d, a, b)
	case Uint32:
		cmpReal[uint32](op, d, a, b)
	case Uint64:
		cmpReal[uint64](op, d, a, b)
	case Float16:
		cmpHalf(op, d, a, b)
	case Float32:
		cmpReal[float32](op, d, a, b)
	case Float64:
		cmpReal[float64](op, d, a, b)
	case Complex64:
		cmpComplex[float32](op, d, a, b)
	case Complex128:
		cmpComplex[float64](op, d, a, b)
	}
}

// compareDTypes reports whether a comparison runs on operands of dtypes x
// and y: one dtype, or int64 with uint64 (numpy's exact qQ and Qq loops).
func compareDTypes(x, y DType) bool {
	return x == y && x.Valid() || x == Int64 && y == Uint64 || x == Uint64 && y == Int64
}

// compareArrays is Binary for a comparison: dst (Bool) = op(x, y), x and y
// already broadcast to dst's shape, of dtypes compareDTypes accepts.
func compareArrays(ex *Exec, op BinaryOp, dst, x, y *Array) error {
	if !compareDTypes(x.dtype, y.dtype) {
		return fmt.Errorf("%w: %v is not implemented for %v and %v", ErrDType, op, x.dtype, y.dtype)
	}
	el := cmpElem{x.dtype, y.dtype, x.dtype.Size(), x.dtype.Alignment()}
	r := makeRows(dst.shape, dst.strides, x.strides, y.strides)
	dp, xp, yp := dst.Data(), x.Data(), y.Data()
	return parallelChunks(ex, r.NRows*r.Inner, Grain, elemChunksPerWorker, func(_, lo, hi int) {
		r.forSpan(lo, hi, func(offs []int, n int) {
			cmpStrided(el, op, unsafe.Add(dp, offs[0]), r.InnerSt[0],
				unsafe.Add(xp, offs[1]), r.InnerSt[1], unsafe.Add(yp, offs[2]), r.InnerSt[2], n)
		})
	})
}

// compareFlat is BinaryFlat and BinaryScalarFlat for a comparison.
func compareFlat(ex *Exec, op BinaryOp, dt DType, d, a, b unsafe.Pointer, n int, ops flatBinaryOperands) error {
	if !dt.Valid() {
		return fmt.Errorf("%w: %v is not implemented for %v", ErrDType, op, dt)
	}
	el := cmpElem{dt, dt, dt.Size(), dt.Alignment()}
	if n <= Grain {
		if n > 0 {
			cmpFlatRange(el, op, d, a, b, 0, n, ops)
		}
		return nil
	}
	return parallelChunks(ex, n, Grain, elemChunksPerWorker, func(_, lo, hi int) {
		cmpFlatRange(el, op, d, a, b, lo, hi, ops)
	})
}

// cmpFlatRange compares the elements [lo, hi) of a flat comparison.
func cmpFlatRange(el cmpElem, op BinaryOp, d, a, b unsafe.Pointer, lo, hi int, ops flatBinaryOperands) {
	dd := sliceAt[bool](unsafe.Add(d, lo), hi-lo)
	pa := unsafe.Add(a, lo*el.size)
	if ops == flatArrays {
		el.run(op, dd, pa, unsafe.Add(b, lo*el.size))
		return
	}
	if useSIMD && simdCompareScalar(el.dt, op, dd, pa, b, ops == flatScalarLeft) {
		return
	}
	// b is one element: compare against a block of copies of it.
	var blk cmpBuf
	el.gather(unsafe.Pointer(&blk), b, 0, min(cmpBlock, hi-lo))
	bp := unsafe.Pointer(&blk)
	for i := 0; i < len(dd); i += cmpBlock {
		j := min(i+cmpBlock, len(dd))
		if ops == flatScalarLeft {
			el.run(op, dd[i:j], bp, unsafe.Add(pa, i*el.size))
		} else {
			el.run(op, dd[i:j], unsafe.Add(pa, i*el.size), bp)
		}
	}
}

// cmpBuf holds cmpBlock elements of any dtype (16 bytes at most), aligned
// for all of them.
type cmpBuf [cmpBlock * 2]uint64

// cmpElem is the operands' dtypes (dt2, b's, is dt but for int64 with
// uint64) with the size and alignment of their elements.
type cmpElem struct {
	dt, dt2     DType
	size, align int
}

// run compares len(d) contiguous elements at a and b into d.
func (e cmpElem) run(op BinaryOp, d []bool, a, b unsafe.Pointer) {
	if e.dt2 != e.dt {
		cmpMixedInt(op, d, a, b, e.dt == Int64)
		return
	}
	cmpRun(e.dt, op, d, a, b)
}

// gather copies n elements at src, stride bytes apart, to dst
// (contiguous), in units of the element's alignment.
func (e cmpElem) gather(dst, src unsafe.Pointer, stride, n int) {
	if stride == 0 && n > 0 {
		// copies of one element: doubling copies (memmove) after the first
		b := unsafe.Slice((*byte)(dst), n*e.size)
		copy(b, unsafe.Slice((*byte)(src), e.size))
		for k := e.size; k < len(b); k *= 2 {
			copy(b[k:], b[:k])
		}
		return
	}
	switch e.size {
	case 1:
		gatherRun[uint8](dst, 1, src, stride, n)
	case 2:
		gatherRun[uint16](dst, 2, src, stride, n)
	case 4:
		gatherRun[uint32](dst, 4, src, stride, n)
	case 8:
		if e.align == 8 {
			gatherRun[uint64](dst, 8, src, stride, n)
		} else {
			gatherRun[[2]uint32](dst, 8, src, stride, n)
		}
	case 16:
		gatherRun[[2]uint64](dst, 16, src, stride, n)
	}
}

func gatherRun[T any](dst unsafe.Pointer, ds int, src unsafe.Pointer, ss, n int) {
	for i := range n {
		*(*T)(unsafe.Add(dst, i*ds)) = *(*T)(unsafe.Add(src, i*ss))
	}
}

// cmpStrided compares n elements at a and b (byte strides as and bs) into
// n Bool elements at d (byte stride ds). Contiguous operands are read and
// written in place; the others go through blocks on the stack.
func cmpStrided(el cmpElem, op BinaryOp, d unsafe.Pointer, ds int, a unsafe.Pointer, as int, b unsafe.Pointer, bs int, n int) {
	if ds == 1 && as == el.size && bs == el.size {
		el.run(op, sliceAt[bool](d, n), a, b)
		return
	}
	var xa, xb cmpBuf
	var xd [cmpBlock]bool
	for lo := 0; lo < n; lo += cmpBlock {
		m := min(cmpBlock, n-lo)
		pa, pb := unsafe.Add(a, lo*as), unsafe.Add(b, lo*bs)
		if as != el.size {
			// a broadcast operand (stride 0) is gathered once
			if as != 0 || lo == 0 {
				el.gather(unsafe.Pointer(&xa), pa, as, m)
			}
			pa = unsafe.Pointer(&xa)
		}
		if bs != el.size {
			if bs != 0 || lo == 0 {
				el.gather(unsafe.Pointer(&xb), pb, bs, m)
			}
			pb = unsafe.Pointer(&xb)
		}
		if ds == 1 {
			el.run(op, sliceAt[bool](unsafe.Add(d, lo), m), pa, pb)
			continue
		}
		el.run(op, xd[:m], pa, pb)
		for i, v := range xd[:m] {
			*(*bool)(unsafe.Add(d, (lo+i)*ds)) = v
		}
	}
}

// cmpReal is the comparison of integers and floats (Go's operators are
// IEEE 754's on floats, as numpy's loops are).
func cmpReal[T Real](op BinaryOp, d []bool, ap, bp unsafe.Pointer) {
	a, b := sliceAt[T](ap, len(d)), sliceAt[T](bp, len(d))
	if useSIMD && simdCompare(op, d, a, b) {
		return
	}
	cmpLoop(op, d, a, b)
}

// cmpLoop is cmpReal's portable loop (the vector loops' tails too).
func cmpLoop[T Real](op BinaryOp, d []bool, a, b []T) {
	a, b = a[:len(d)], b[:len(d)]
	switch op {
	case OpEqual:
		for i := range d {
			d[i] = a[i] == b[i]
		}
	case OpNotEqual:
		for i := range d {
			d[i] = a[i] != b[i]
		}
	case OpLess:
		for i := range d {
			d[i] = a[i] < b[i]
		}
	case OpLessEqual:
		for i := range d {
			d[i] = a[i] <= b[i]
		}
	case OpGreater:
		for i := range d {
			d[i] = a[i] > b[i]
		}
	case OpGreaterEqual:
		for i := range d {
			d[i] = a[i] >= b[i]
		}
	}
}

// cmpBool reads every nonzero byte as True and compares the 0/1 values.
// The operands of a block are read before its results are written, so d
// may be a or b.
func cmpBool(op BinaryOp, d []bool, ap, bp unsafe.Pointer) {
	a, b := sliceAt[uint8](ap, len(d)), sliceAt[uint8](bp, len(d))
	var x, y [cmpBlock]uint8
	for lo := 0; lo < len(d); lo += cmpBlock {
		m := min(cmpBlock, len(d)-lo)
		for i, v := range a[lo : lo+m] {
			x[i] = boolByte(v)
		}
		for i, v := range b[lo : lo+m] {
			y[i] = boolByte(v)
		}
		cmpReal[uint8](op, d[lo:lo+m], unsafe.Pointer(&x), unsafe.Pointer(&y))
	}
}

func boolByte(v uint8) uint8 {
	if v != 0 {
		return 1
	}
	return 0
}

// cmpHalf compares float16 elements by value: converted (exactly) to
// float32 a block at a time.
func cmpHalf(op BinaryOp, d []bool, ap, bp unsafe.Pointer) {
	a, b := sliceAt[uint16](ap, len(d)), sliceAt[uint16](bp, len(d))
	var x, y [cmpBlock]float32
	for lo := 0; lo < len(d); lo += cmpBlock {
		m := min(cmpBlock, len(d)-lo)
		for i, h := range a[lo : lo+m] {
			x[i] = Float16ToFloat32(h)
		}
		for i, h := range b[lo : lo+m] {
			y[i] = Float16ToFloat32(h)
		}
		cmpReal[float32](op, d[lo:lo+m], unsafe.Pointer(&x), unsafe.Pointer(&y))
	}
}

// cmpComplex compares complex elements (real and imaginary parts of F,
// interleaved) with numpy's rules.
func cmpComplex[F float32 | float64](op BinaryOp, d []bool, ap, bp unsafe.Pointer) {
	n := len(d)
	a, b := sliceAt[[2]F](ap, n), sliceAt[[2]F](bp, n)
	a, b = a[:n], b[:n]
	switch op {
	case OpEqual:
		for i := range d {
			d[i] = a[i][0] == b[i][0] && a[i][1] == b[i][1]
		}
	case OpNotEqual:
		for i := range d {
			d[i] = a[i][0] != b[i][0] || a[i][1] != b[i][1]
		}
	case OpLess:
		for i := range d {
			d[i] = complexLess(a[i], b[i])
		}
	case OpLessEqual:
		for i := range d {
			d[i] = complexLessEqual(a[i], b[i])
		}
	case OpGreater:
		for i := range d {
			d[i] = complexLess(b[i], a[i])
		}
	case OpGreaterEqual:
		for i := range d {
			d[i] = complexLessEqual(b[i], a[i])
		}
	}
}

// complexLess is numpy's CLT: the real parts decide unless they are equal
// (and a NaN imaginary part makes a real-part decision false).
func complexLess[F float32 | float64](x, y [2]F) bool {
	return x[0] < y[0] && x[1] == x[1] && y[1] == y[1] || x[0] == y[0] && x[1] < y[1]
}

// complexLessEqual is numpy's CLE.
func complexLessEqual[F float32 | float64](x, y [2]F) bool {
	return x[0] < y[0] && x[1] == x[1] && y[1] == y[1] || x[0] == y[0] && x[1] <= y[1]
}

// cmpMixedInt compares int64 with uint64 elements exactly, as numpy's qQ
// and Qq loops do: a holds the int64 operand when signedFirst, else b.
func cmpMixedInt(op BinaryOp, d []bool, ap, bp unsafe.Pointer, signedFirst bool) {
	n := len(d)
	if !signedFirst {
		ap, bp, op = bp, ap, swapCompare(op)
	}
	s, u := sliceAt[int64](ap, n), sliceAt[uint64](bp, n)
	s, u = s[:len(d)], u[:len(d)]
	for i := range d {
		x, y := s[i], u[i]
		lt := x < 0 || uint64(x) < y
		eq := x >= 0 && uint64(x) == y
		var v bool
		switch op {
		case OpEqual:
			v = eq
		case OpNotEqual:
			v = !eq
		case OpLess:
			v = lt
		case OpLessEqual:
			v = lt || eq
		case OpGreater:
			v = !lt && !eq
		case OpGreaterEqual:
			v = !lt
		}
		d[i] = v
	}
}

// swapCompare is the comparison of swapped operands: s < a is a > s (for
// NaN too: both are false).
func swapCompare(op BinaryOp) BinaryOp {
	switch op {
	case OpLess:
		return OpGreater
	case OpLessEqual:
		return OpGreaterEqual
	case OpGreater:
		return OpLess
	case OpGreaterEqual:
		return OpLessEqual
	}
	return op
}
