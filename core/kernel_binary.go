package core

import (
	"fmt"
	"math"
	"unsafe"
)

// Number is the set of element types arithmetic kernels run on (float16
// has no Go type and is not among them).
type Number interface {
	~int8 | ~int16 | ~int32 | ~int64 | ~uint8 | ~uint16 | ~uint32 | ~uint64 |
		~float32 | ~float64 | ~complex64 | ~complex128
}

// Real is Number without the complex types: the ordered element types.
type Real interface {
	~int8 | ~int16 | ~int32 | ~int64 | ~uint8 | ~uint16 | ~uint32 | ~uint64 | ~float32 | ~float64
}

// BinaryOp selects an elementwise kernel of two operands.
type BinaryOp uint8

// The binary kernels. Divide is numpy's true_divide on its operands' dtype
// (callers cast integers to a floating dtype first, as numpy does). The
// comparisons, from OpEqual on, are numpy's equal, not_equal, less,
// less_equal, greater and greater_equal: their output has dtype Bool (see
// kernel_compare.go).
const (
	OpAdd BinaryOp = iota
	OpSubtract
	OpMultiply
	OpDivide
	OpMinimum
	OpMaximum
	OpEqual
	OpNotEqual
	OpLess
	OpLessEqual
	OpGreater
	OpGreaterEqual
	numBinaryOps
)

var binaryNames = [numBinaryOps]string{"add", "subtract", "multiply", "divide", "minimum", "maximum",
	"equal", "not_equal", "less", "less_equal", "greater", "greater_equal"}

func (op BinaryOp) String() string {
	if int(op) < len(binaryNames) {
		return binaryNames[op]
	}
	return fmt.Sprintf("BinaryOp(%d)", uint8(op))
}

// Binary computes dst = op(x, y) elementwise with numpy's broadcasting of x
// and y to dst's shape. x and y must have one dtype; dst has that dtype
// too, except for a comparison (op.IsComparison()), whose dst has dtype
// Bool and whose operands may also be int64 with uint64 (compared exactly,
// as numpy's qQ and Qq loops do). If dst overlaps an input in a way that would change the result,
// that input is copied first (numpy's rule); checks happen before any
// element is written.
func Binary(ex *Exec, op BinaryOp, dst, x, y *Array) error {
	if op >= numBinaryOps {
		return fmt.Errorf("%w: unknown binary kernel %v", ErrValue, op)
	}
	if op.IsComparison() {
		if !compareDTypes(x.dtype, y.dtype) || dst.dtype != Bool {
			return fmt.Errorf("%w: %v needs operands of one dtype (or int64 with uint64) and a bool output, got %v, %v -> %v", ErrDType, op, x.dtype, y.dtype, dst.dtype)
		}
	} else if x.dtype != dst.dtype || y.dtype != dst.dtype {
		return fmt.Errorf("%w: %v needs operands of one dtype, got %v, %v -> %v", ErrDType, op, x.dtype, y.dtype, dst.dtype)
	}
	if dst.readonly {
		return fmt.Errorf("%w: output array is read-only", ErrReadOnly)
	}
	if (op == OpMinimum || op == OpMaximum) && dst.dtype.Kind() == 'c' {
		return fmt.Errorf("%w: %v is not implemented for %v", ErrDType, op, dst.dtype)
	}
	xb, err := x.BroadcastTo(dst.shape)
	if err != nil {
		return fmt.Errorf("%w: operands could not be broadcast together with shapes %s %s", ErrShape, shapeString(x.shape), shapeString(y.shape))
	}
	yb, err := y.BroadcastTo(dst.shape)
	if err != nil {
		return fmt.Errorf("%w: operands could not be broadcast together with shapes %s %s", ErrShape, shapeString(x.shape), shapeString(y.shape))
	}
	if dst.Size() == 0 {
		return nil
	}
	var tmps []*Array
	defer func() {
		for _, t := range tmps {
			t.Release()
		}
	}()
	for _, in := range []**Array{&xb, &yb} {
		if overlaps(dst, *in) && !sameLayout(dst, *in) {
			c, err := (*in).Copy(ex.allocator(), 'K')
			if err != nil {
				return err
			}
			tmps = append(tmps, c)
			*in = c
		}
	}
	if op.IsComparison() {
		return compareArrays(ex, op, dst, xb, yb)
	}
	switch dst.dtype {
	case Int8:
		return binaryTyped[int8](ex, op, dst, xb, yb)
	case Int16:
		return binaryTyped[int16](ex, op, dst, xb, yb)
	case Int32:
		return binaryTyped[int32](ex, op, dst, xb, yb)
	case Int64:
		return binaryTyped[int64](ex, op, dst, xb, yb)
	case Uint8:
		return binaryTyped[uint8](ex, op, dst, xb, yb)
	case Uint16:
		return binaryTyped[uint16](ex, op, dst, xb, yb)
	case Uint32:
		return binaryTyped[uint32](ex, op, dst, xb, yb)
	case Uint64:
		return binaryTyped[uint64](ex, op, dst, xb, yb)
	case Float32:
		return binaryTyped[float32](ex, op, dst, xb, yb)
	case Float64:
		return binaryTyped[float64](ex, op, dst, xb, yb)
	case Complex64:
		return binaryTyped[complex64](ex, op, dst, xb, yb)
	case Complex128:
		return binaryTyped[complex128](ex, op, dst, xb, yb)
	case Float16:
		if op == OpMinimum || op == OpMaximum {
			return binaryTyped[half](ex, op, dst, xb, yb)
		}
	}
	return fmt.Errorf("%w: %v is not implemented for %v", ErrDType, op, dst.dtype)
}

// half is the bits of a float16 element: only minimum and maximum run on
// it (they select an operand, so no arithmetic happens in float16).
type half uint16

func sameLayout(a, b *Array) bool {
	return a.Data() == b.Data() && sameShape(a.strides, b.strides)
}

func binaryTyped[T Number](ex *Exec, op BinaryOp, dst, x, y *Array) error {
	r := makeRows(dst.shape, dst.strides, x.strides, y.strides)
	var zero T
	size := int(unsafe.Sizeof(zero))
	dp, xp, yp := dst.Data(), x.Data(), y.Data()
	contig := r.InnerSt[0] == size && r.InnerSt[1] == size && r.InnerSt[2] == size
	return parallelChunks(ex, r.NRows*r.Inner, Grain, elemChunksPerWorker, func(_, lo, hi int) {
		r.forSpan(lo, hi, func(offs []int, n int) {
			d, a, b := unsafe.Add(dp, offs[0]), unsafe.Add(xp, offs[1]), unsafe.Add(yp, offs[2])
			if contig {
				binaryContig(op, sliceAt[T](d, n), sliceAt[T](a, n), sliceAt[T](b, n))
			} else {
				binaryStrided[T](op, d, r.InnerSt[0], a, r.InnerSt[1], b, r.InnerSt[2], n)
			}
		})
	})
}

func binaryContig[T Number](op BinaryOp, d, a, b []T) {
	if useSIMD && simdBinary(op, d, a, b) {
		return
	}
	a, b = a[:len(d)], b[:len(d)]
	switch op {
	case OpAdd:
		for i := range d {
			d[i] = a[i] + b[i]
		}
	case OpSubtract:
		for i := range d {
			d[i] = a[i] - b[i]
		}
	case OpMultiply:
		switch dd := any(d).(type) {
		case []complex128:
			cmulContig128(dd, any(a).([]complex128), any(b).([]complex128))
		case []complex64:
			cmulContig64(dd, any(a).([]complex64), any(b).([]complex64))
		default:
			for i := range d {
				d[i] = a[i] * b[i]
			}
		}
	case OpDivide:
		switch dd := any(d).(type) {
		case []complex128:
			aa, bb := any(a).([]complex128), any(b).([]complex128)
			for i := range dd {
				dd[i] = complexDivide(aa[i], bb[i])
			}
		case []complex64:
			aa, bb := any(a).([]complex64), any(b).([]complex64)
			for i := range dd {
				r, im := smithDivide(real(aa[i]), imag(aa[i]), real(bb[i]), imag(bb[i]))
				dd[i] = complex(r, im)
			}
		default:
			for i := range d {
				d[i] = a[i] / b[i]
			}
		}
	case OpMinimum, OpMaximum:
		minMaxContig(op == OpMaximum, d, a, b)
	}
}

// cmulContig128 is d[i] = cmul128(a[i], b[i]): the vector loop where the
// CPU has one (simdCmul128, the same bits), the rest one at a time. d may
// be a or b itself.
func cmulContig128(d, a, b []complex128) {
	a, b = a[:len(d)], b[:len(d)]
	k := simdCmul128(d, a, b)
	upperClean()
	for i := k; i < len(d); i++ {
		d[i] = cmul128(a[i], b[i])
	}
}

// cmulContig64 is cmulContig128 for complex64 (cmul64).
func cmulContig64(d, a, b []complex64) {
	a, b = a[:len(d)], b[:len(d)]
	k := simdCmul64(d, a, b)
	upperClean()
	for i := k; i < len(d); i++ {
		d[i] = cmul64(a[i], b[i])
	}
}

// cmul128 is numpy's complex product: its vector loop (simd_cmul, on every
// x86-64 CPU with FMA) computes the real part as fms(ar, br, ai*bi) and
// the imaginary part as fma(ar, bi, ai*br), each rounded once; Go's x*y
// rounds both products (a last-bit difference) and orders NaN operands
// otherwise.
func cmul128(x, y complex128) complex128 {
	ar, ai, br, bi := real(x), imag(x), real(y), imag(y)
	re, im := math.FMA(ar, br, -(ai*bi)), math.FMA(ar, bi, ai*br)
	if re != re || im != im {
		// which NaN: the instruction order of numpy's loop
		re, im = fms64(ar, br, mulNaN(ai, bi)), fma64(ar, bi, mulNaN(ai, br))
	}
	return complex(re, im)
}

// cmul64 is cmul128 in float32 arithmetic, as numpy's complex64 loop (a
// product that overflows float32 is inf there, not a finite float64).
func cmul64(x, y complex64) complex64 {
	ar, ai, br, bi := real(x), imag(x), real(y), imag(y)
	re, im := fma32Finite(ar, br, -(ai*bi)), fma32Finite(ar, bi, ai*br)
	if re != re || im != im {
		// which NaN: the instruction order of numpy's loop
		re, im = fms32(ar, br, mulNaN(ai, bi)), fma32(ar, bi, mulNaN(ai, br))
	}
	return complex(re, im)
}

// mulNaN is x*y, of two NaNs y's (as numpy's compiled vector multiply).
func mulNaN[F float32 | float64](x, y F) F {
	if y != y {
		return y
	}
	return x * y
}

// fma64 is x*y+z rounded once, with the NaN the x86 FMA instruction
// numpy's loop runs returns: an operand's NaN (x's, then y's, then z's)
// before the invalid-operation NaN of inf*0.
func fma64(x, y, z float64) float64 {
	switch {
	case x != x:
		return x
	case y != y:
		return y
	case z != z:
		return z
	}
	return math.FMA(x, y, z)
}

// fms64 is x*y-z rounded once: the instruction's subtraction leaves a NaN
// z's sign as it is.
func fms64(x, y, z float64) float64 {
	if z != z && x == x && y == y {
		return z
	}
	return fma64(x, y, -z)
}

// fms32 is fms64 for float32.
func fms32(x, y, z float32) float32 {
	if z != z && x == x && y == y {
		return z
	}
	return fma32(x, y, -z)
}

// fma32 is fma64 for float32: x*y is exact in float64, and the sum,
// rounded to odd in float64 (53 bits, more than float32's 24 + 2), rounds
// to float32 exactly as one rounding of x*y+z would.
func fma32(x, y, z float32) float32 {
	switch {
	case x != x:
		return x
	case y != y:
		return y
	case z != z:
		return z
	}
	return fma32Finite(x, y, z)
}

// fma32Finite is fma32 without its NaN order (an operand's NaN or inf*0
// gives some NaN).
func fma32Finite(x, y, z float32) float32 {
	p, c := float64(x)*float64(y), float64(z)
	s := p + c
	// Rounding s to float32 rounds p+c once, unless s is a float32
	// midpoint (its 29 bits below float32's last are 1000...0) or a
	// float32 subnormal (fewer bits): only then does its error matter.
	if b := math.Float64bits(s); b&(1<<29-1) != 1<<28 && math.Abs(s) >= 0x1p-126 {
		return float32(s)
	}
	if math.IsInf(s, 0) || s != s {
		return float32(s)
	}
	// the exact error of s (Knuth's two-sum), then round to odd: an inexact
	// s with an even last bit moves to its odd neighbour toward p+c.
	bb := s - p
	e := (p - (s - bb)) + (c - bb)
	if e != 0 && math.Float64bits(s)&1 == 0 {
		s = math.Nextafter(s, math.Copysign(math.Inf(1), e))
	}
	return float32(s)
}

// complexDivide is numpy's complex division (Smith's method, with numpy's
// handling of a zero divisor), not Go's C99 Annex G one: the two disagree
// on infinities and signed zeros.
func complexDivide(x, y complex128) complex128 {
	r, i := smithDivide(real(x), imag(x), real(y), imag(y))
	return complex(r, i)
}

// smithDivide computes in the operands' own precision, as numpy does.
func smithDivide[F float32 | float64](ar, ai, br, bi F) (F, F) {
	abr, abi := F(math.Abs(float64(br))), F(math.Abs(float64(bi)))
	if abr >= abi {
		if abr == 0 && abi == 0 {
			return ar / abr, ai / abi
		}
		rat := bi / br
		scl := 1.0 / (br + bi*rat)
		return (ar + ai*rat) * scl, (ai - ar*rat) * scl
	}
	rat := br / bi
	scl := 1.0 / (bi + br*rat)
	return (ar*rat + ai) * scl, (ai*rat - ar) * scl
}

func binaryStrided[T Number](op BinaryOp, d unsafe.Pointer, ds int, a unsafe.Pointer, as int, b unsafe.Pointer, bs int, n int) {
	cplx := isComplex[T]()
	for i := 0; i < n; i++ {
		x, y := *at[T](a, i*as), *at[T](b, i*bs)
		var v T
		switch op {
		case OpAdd:
			v = x + y
		case OpSubtract:
			v = x - y
		case OpMultiply:
			if !cplx {
				v = x * y
				break
			}
			var one [1]T
			binaryContig(OpMultiply, one[:], []T{x}, []T{y})
			v = one[0]
		case OpDivide:
			var one [1]T
			binaryContig(OpDivide, one[:], []T{x}, []T{y})
			v = one[0]
		case OpMinimum, OpMaximum:
			var one [1]T
			minMaxContig(op == OpMaximum, one[:], []T{x}, []T{y})
			v = one[0]
		}
		*at[T](d, i*ds) = v
	}
}

// minMaxContig is numpy's minimum/maximum: a NaN in either operand gives
// NaN (the first operand's when both are NaN). Of equal operands (+0.0 and
// -0.0), numpy's float32 and float64 loops return the second, its float16
// loop the first. It is only called for real dtypes and float16 (Binary
// refuses complex ones).
func minMaxContig[T Number](isMax bool, d, a, b []T) {
	switch dd := any(d).(type) {
	case []half:
		minMaxHalf(isMax, dd, any(a).([]half), any(b).([]half))
	case []float64:
		minMaxFloat(isMax, dd, any(a).([]float64), any(b).([]float64))
	case []float32:
		minMaxFloat(isMax, dd, any(a).([]float32), any(b).([]float32))
	case []int8:
		minMaxInt(isMax, dd, any(a).([]int8), any(b).([]int8))
	case []int16:
		minMaxInt(isMax, dd, any(a).([]int16), any(b).([]int16))
	case []int32:
		minMaxInt(isMax, dd, any(a).([]int32), any(b).([]int32))
	case []int64:
		minMaxInt(isMax, dd, any(a).([]int64), any(b).([]int64))
	case []uint8:
		minMaxInt(isMax, dd, any(a).([]uint8), any(b).([]uint8))
	case []uint16:
		minMaxInt(isMax, dd, any(a).([]uint16), any(b).([]uint16))
	case []uint32:
		minMaxInt(isMax, dd, any(a).([]uint32), any(b).([]uint32))
	case []uint64:
		minMaxInt(isMax, dd, any(a).([]uint64), any(b).([]uint64))
	}
}

func minMaxFloat[T ~float32 | ~float64](isMax bool, d, a, b []T) {
	switch dd := any(d).(type) {
	case []float64:
		minMax64(isMax, dd, any(a).([]float64), any(b).([]float64))
	case []float32:
		minMax32(isMax, dd, any(a).([]float32), any(b).([]float32))
	}
}

// minMax64 is numpy's float64 minimum (maximum): x where x < y (x > y) or
// x is NaN, else y, so a NaN y gives y and equal operands (±0) give y.
// The choice is a bit mask, not a branch: random data would mispredict
// half the time.
func minMax64(isMax bool, d, a, b []float64) {
	a, b = a[:len(d)], b[:len(d)]
	for i := range d {
		x, y := a[i], b[i]
		var m1, m2 uint64
		if isMax {
			if x > y {
				m1 = ^uint64(0)
			}
		} else if x < y {
			m1 = ^uint64(0)
		}
		if x != x {
			m2 = ^uint64(0)
		}
		xb, yb := math.Float64bits(x), math.Float64bits(y)
		d[i] = math.Float64frombits(yb ^ ((xb ^ yb) & (m1 | m2)))
	}
}

// minMax32 is minMax64 for float32.
func minMax32(isMax bool, d, a, b []float32) {
	a, b = a[:len(d)], b[:len(d)]
	for i := range d {
		x, y := a[i], b[i]
		var m1, m2 uint32
		if isMax {
			if x > y {
				m1 = ^uint32(0)
			}
		} else if x < y {
			m1 = ^uint32(0)
		}
		if x != x {
			m2 = ^uint32(0)
		}
		xb, yb := math.Float32bits(x), math.Float32bits(y)
		d[i] = math.Float32frombits(yb ^ ((xb ^ yb) & (m1 | m2)))
	}
}

// minMaxHalf is numpy's float16 loop: maximum is x when x >= y or x is
// NaN, else y (minimum with <=), so equal operands give x.
func minMaxHalf(isMax bool, d, a, b []half) {
	a, b = a[:len(d)], b[:len(d)]
	for i := range d {
		x, y := a[i], b[i]
		fx, fy := Float16ToFloat32(uint16(x)), Float16ToFloat32(uint16(y))
		if fx != fx || (isMax && fx >= fy) || (!isMax && fx <= fy) {
			d[i] = x
		} else {
			d[i] = y
		}
	}
}

func minMaxInt[T Real](isMax bool, d, a, b []T) {
	a, b = a[:len(d)], b[:len(d)]
	if isMax {
		for i := range d {
			d[i] = max(a[i], b[i])
		}
		return
	}
	for i := range d {
		d[i] = min(a[i], b[i])
	}
}

// Scale multiplies every element of dst by s in place (dst *= s).
func Scale[T Number](ex *Exec, dst *Array, s T) error {
	if !matches[T](dst.dtype) {
		var zero T
		return fmt.Errorf("%w: scale factor of type %T for an array of dtype %v", ErrDType, zero, dst.dtype)
	}
	if dst.readonly {
		return fmt.Errorf("%w: output array is read-only", ErrReadOnly)
	}
	if dst.Size() == 0 {
		return nil
	}
	r := makeRows(dst.shape, dst.strides)
	size := dst.dtype.Size()
	dp := dst.Data()
	return parallelChunks(ex, r.NRows*r.Inner, Grain, elemChunksPerWorker, func(_, lo, hi int) {
		r.forSpan(lo, hi, func(offs []int, n int) {
			p := unsafe.Add(dp, offs[0])
			if r.InnerSt[0] == size {
				d := sliceAt[T](p, n)
				if useSIMD && simdScale(d, s) {
					return
				}
				scaleContig(d, s)
				return
			}
			if dst.dtype.Kind() != 'c' {
				for i := 0; i < n; i++ {
					*at[T](p, i*r.InnerSt[0]) *= s
				}
				return
			}
			for i := 0; i < n; i++ {
				one := [1]T{*at[T](p, i*r.InnerSt[0])}
				scaleContig(one[:], s)
				*at[T](p, i*r.InnerSt[0]) = one[0]
			}
		})
	})
}

// scaleContig is d *= s (numpy's complex product for complex types).
func scaleContig[T Number](d []T, s T) {
	switch dd := any(d).(type) {
	case []complex128:
		scaleComplex(dd, any(s).(complex128), cmul128, cmulContig128)
	case []complex64:
		scaleComplex(dd, any(s).(complex64), cmul64, cmulContig64)
	default:
		for i := range d {
			d[i] *= s
		}
	}
}

func isComplex[T Number]() bool {
	var z T
	switch any(z).(type) {
	case complex64, complex128:
		return true
	}
	return false
}

// scaleComplex is d = d*s through the contiguous product loop contig, by
// blocks of d and as many copies of s (short d one element at a time, by
// mul).
func scaleComplex[T complex64 | complex128](d []T, s T, mul func(a, b T) T, contig func(dst, a, b []T)) {
	if len(d) < 16 {
		upperClean()
		for i := range d {
			d[i] = mul(d[i], s)
		}
		return
	}
	var blk [scalarBlock]T
	for i := range blk[:min(len(d), scalarBlock)] {
		blk[i] = s
	}
	for i := 0; i < len(d); i += scalarBlock {
		j := min(i+scalarBlock, len(d))
		contig(d[i:j], d[i:j], blk[:j-i])
	}
}
