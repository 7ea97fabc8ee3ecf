//go:build goexperiment.simd && amd64

package core

import (
	"encoding/binary"
	"simd/archsimd"
	"unsafe"
)

// AVX2 loops of the comparisons of contiguous float64, float32 and int64:
// eight elements a step, their eight mask bits (VMOVMSKPD/PS) turned into
// eight Bool bytes by one table load and one 8-byte store. The vector
// compares are IEEE 754's, as Go's operators (a NaN is unordered: false,
// but true for !=), so the results are the portable loop's.

// maskBytes[m] holds byte k = bit k of m.
var maskBytes = func() (t [256]uint64) {
	for m := range t {
		for k := range 8 {
			t[m] |= uint64(m>>k&1) << (8 * k)
		}
	}
	return t
}()

// simdCompare computes d = a op b for float64, float32 and int64; it
// reports false for other types and short inputs.
func simdCompare[T Real](op BinaryOp, d []bool, a, b []T) bool {
	if len(d) < 16 {
		return false
	}
	switch aa := any(a).(type) {
	case []float64:
		cmpF64(op, d, aa, any(b).([]float64), 0)
	case []float32:
		cmpF32(op, d, aa, any(b).([]float32), 0)
	case []int64:
		cmpI64(op, d, aa, any(b).([]int64), 0)
	default:
		return false
	}
	return true
}

// simdCompareScalar computes d = a op s (s op a when first) for len(d)
// contiguous float64, float32 or int64 elements at a and the one at s,
// held in a vector register; it reports false for other dtypes and short
// inputs.
func simdCompareScalar(dt DType, op BinaryOp, d []bool, a, s unsafe.Pointer, first bool) bool {
	n := len(d)
	if n < 16 {
		return false
	}
	if first {
		op = swapCompare(op)
	}
	switch dt {
	case Float64:
		cmpF64(op, d, sliceAt[float64](a, n), nil, *(*float64)(s))
	case Float32:
		cmpF32(op, d, sliceAt[float32](a, n), nil, *(*float32)(s))
	case Int64:
		cmpI64(op, d, sliceAt[int64](a, n), nil, *(*int64)(s))
	default:
		return false
	}
	return true
}

// cmpTail compares the elements past a vector loop: against b, or against
// the scalar s when b is nil.
func cmpTail[T Real](op BinaryOp, d []bool, a, b []T, s T) {
	if b == nil {
		var blk [16]T
		for i := range blk {
			blk[i] = s
		}
		b = blk[:len(d)]
	}
	cmpLoop(op, d, a, b)
}

// cmpF64 compares a with b, or with the scalar s when b is nil.
func cmpF64(op BinaryOp, d []bool, a, b []float64, s float64) {
	n := len(d)
	a = a[:n]
	scalar := b == nil
	pa, pb := unsafe.Pointer(&a[0]), unsafe.Pointer(&a[0])
	if !scalar {
		b = b[:n]
		pb = unsafe.Pointer(&b[0])
	}
	bc := archsimd.BroadcastFloat64x4(s)
	db := unsafe.Slice((*byte)(unsafe.Pointer(&d[0])), n)
	m := n &^ 7
	for i := 0; i < m; i += 8 {
		o := uintptr(i) * 8
		x0 := archsimd.LoadFloat64x4((*[4]float64)(unsafe.Add(pa, o)))
		x1 := archsimd.LoadFloat64x4((*[4]float64)(unsafe.Add(pa, o+32)))
		y0, y1 := bc, bc
		if !scalar {
			y0 = archsimd.LoadFloat64x4((*[4]float64)(unsafe.Add(pb, o)))
			y1 = archsimd.LoadFloat64x4((*[4]float64)(unsafe.Add(pb, o+32)))
		}
		var k0, k1 archsimd.Mask64x4
		switch op {
		case OpEqual:
			k0, k1 = x0.Equal(y0), x1.Equal(y1)
		case OpNotEqual:
			k0, k1 = x0.NotEqual(y0), x1.NotEqual(y1)
		case OpLess:
			k0, k1 = x0.Less(y0), x1.Less(y1)
		case OpLessEqual:
			k0, k1 = x0.LessEqual(y0), x1.LessEqual(y1)
		case OpGreater:
			k0, k1 = x0.Greater(y0), x1.Greater(y1)
		default:
			k0, k1 = x0.GreaterEqual(y0), x1.GreaterEqual(y1)
		}
		binary.LittleEndian.PutUint64(db[i:i+8], maskBytes[k0.ToBits()|k1.ToBits()<<4])
	}
	clearUpper()
	cmpTail(op, d[m:], a[m:], tailOf(b, m), s)
}

func cmpF32(op BinaryOp, d []bool, a, b []float32, s float32) {
	n := len(d)
	a = a[:n]
	scalar := b == nil
	pa, pb := unsafe.Pointer(&a[0]), unsafe.Pointer(&a[0])
	if !scalar {
		b = b[:n]
		pb = unsafe.Pointer(&b[0])
	}
	bc := archsimd.BroadcastFloat32x8(s)
	db := unsafe.Slice((*byte)(unsafe.Pointer(&d[0])), n)
	m := n &^ 15
	for i := 0; i < m; i += 16 {
		o := uintptr(i) * 4
		x0 := archsimd.LoadFloat32x8((*[8]float32)(unsafe.Add(pa, o)))
		x1 := archsimd.LoadFloat32x8((*[8]float32)(unsafe.Add(pa, o+32)))
		y0, y1 := bc, bc
		if !scalar {
			y0 = archsimd.LoadFloat32x8((*[8]float32)(unsafe.Add(pb, o)))
			y1 = archsimd.LoadFloat32x8((*[8]float32)(unsafe.Add(pb, o+32)))
		}
		var k0, k1 archsimd.Mask32x8
		switch op {
		case OpEqual:
			k0, k1 = x0.Equal(y0), x1.Equal(y1)
		case OpNotEqual:
			k0, k1 = x0.NotEqual(y0), x1.NotEqual(y1)
		case OpLess:
			k0, k1 = x0.Less(y0), x1.Less(y1)
		case OpLessEqual:
			k0, k1 = x0.LessEqual(y0), x1.LessEqual(y1)
		case OpGreater:
			k0, k1 = x0.Greater(y0), x1.Greater(y1)
		default:
			k0, k1 = x0.GreaterEqual(y0), x1.GreaterEqual(y1)
		}
		binary.LittleEndian.PutUint64(db[i:i+8], maskBytes[k0.ToBits()])
		binary.LittleEndian.PutUint64(db[i+8:i+16], maskBytes[k1.ToBits()])
	}
	clearUpper()
	cmpTail(op, d[m:], a[m:], tailOf(b, m), s)
}

func cmpI64(op BinaryOp, d []bool, a, b []int64, s int64) {
	n := len(d)
	a = a[:n]
	scalar := b == nil
	pa, pb := unsafe.Pointer(&a[0]), unsafe.Pointer(&a[0])
	if !scalar {
		b = b[:n]
		pb = unsafe.Pointer(&b[0])
	}
	bc := archsimd.BroadcastInt64x4(s)
	db := unsafe.Slice((*byte)(unsafe.Pointer(&d[0])), n)
	m := n &^ 7
	for i := 0; i < m; i += 8 {
		o := uintptr(i) * 8
		x0 := archsimd.LoadInt64x4((*[4]int64)(unsafe.Add(pa, o)))
		x1 := archsimd.LoadInt64x4((*[4]int64)(unsafe.Add(pa, o+32)))
		y0, y1 := bc, bc
		if !scalar {
			y0 = archsimd.LoadInt64x4((*[4]int64)(unsafe.Add(pb, o)))
			y1 = archsimd.LoadInt64x4((*[4]int64)(unsafe.Add(pb, o+32)))
		}
		// AVX2 has == and > on int64: the other four are their
		// complements and swaps (the bits are inverted after ToBits).
		var k0, k1 archsimd.Mask64x4
		inv := uint8(0)
		switch op {
		case OpEqual:
			k0, k1 = x0.Equal(y0), x1.Equal(y1)
		case OpNotEqual:
			k0, k1, inv = x0.Equal(y0), x1.Equal(y1), 0xff
		case OpLess:
			k0, k1 = y0.Greater(x0), y1.Greater(x1)
		case OpLessEqual:
			k0, k1, inv = x0.Greater(y0), x1.Greater(y1), 0xff
		case OpGreater:
			k0, k1 = x0.Greater(y0), x1.Greater(y1)
		default:
			k0, k1, inv = y0.Greater(x0), y1.Greater(x1), 0xff
		}
		binary.LittleEndian.PutUint64(db[i:i+8], maskBytes[(k0.ToBits()|k1.ToBits()<<4)^inv])
	}
	clearUpper()
	cmpTail(op, d[m:], a[m:], tailOf(b, m), s)
}

// tailOf is b[m:], or nil for a scalar comparison.
func tailOf[T any](b []T, m int) []T {
	if b == nil {
		return nil
	}
	return b[m:]
}
