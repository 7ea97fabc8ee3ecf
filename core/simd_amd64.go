//go:build goexperiment.simd && amd64

package core

import (
	"simd/archsimd"
	"unsafe"
)

// AVX2 loops for float32/float64 min and max reductions and contiguous
// add, subtract, multiply, divide and scale, which the portable loops compute one
// element at a time (numpy's own loops use these instructions). They give bit-identical results to the portable loops
// (simd_other.go has the stubs used without GOEXPERIMENT=simd): inputs
// with a NaN, and zero results (where the order of signed zeros shows),
// are left to the portable loop. Sums stay portable: vector pairwise
// leaves measured slower here than the portable eight-accumulator loop
// (BenchmarkSIMD), because each 128-element leaf must leave its vector
// registers.

// useSIMD is whether the CPU has AVX2 (tests switch it off to compare).
var useSIMD = archsimd.X86.AVX2()

// simdMinMax is minContig/maxContig of x for float32 and float64; ok is
// false when the portable loop must decide (other types, short inputs,
// a NaN anywhere, a zero result).
func simdMinMax[T Real](isMax bool, x []T) (v T, ok bool) {
	switch s := any(x).(type) {
	case []float64:
		r, ok := minMaxF64(isMax, s)
		return T(r), ok
	case []float32:
		r, ok := minMaxF32(isMax, s)
		return T(r), ok
	}
	return v, false
}

func minMaxF64(isMax bool, x []float64) (float64, bool) {
	n := len(x)
	if n < 16 {
		return 0, false
	}
	// The two halves in lockstep: two memory streams keep more loads in
	// flight than one (as sumContig does).
	h := (n / 2) &^ 3
	pa := unsafe.Pointer(unsafe.SliceData(x))
	pb := unsafe.Add(pa, h*8)
	a := archsimd.LoadFloat64x4((*[4]float64)(pa))
	b := archsimd.LoadFloat64x4((*[4]float64)(pb))
	nan := a.IsNaN().Or(b.IsNaN())
	for i := 4; i < h; i += 4 {
		u := archsimd.LoadFloat64x4((*[4]float64)(unsafe.Add(pa, i*8)))
		w := archsimd.LoadFloat64x4((*[4]float64)(unsafe.Add(pb, i*8)))
		nan = nan.Or(u.IsNaN()).Or(w.IsNaN())
		if isMax {
			a, b = a.Max(u), b.Max(w)
		} else {
			a, b = a.Min(u), b.Min(w)
		}
	}
	if nan.ToBits() != 0 {
		archsimd.ClearAVXUpperBits()
		return 0, false
	}
	if isMax {
		a = a.Max(b)
	} else {
		a = a.Min(b)
	}
	var r [4]float64
	a.Store(&r)
	archsimd.ClearAVXUpperBits()
	return minMaxFinish(isMax, r[:], x[2*h:])
}

func minMaxF32(isMax bool, x []float32) (float32, bool) {
	n := len(x)
	if n < 32 {
		return 0, false
	}
	h := (n / 2) &^ 7
	pa := unsafe.Pointer(unsafe.SliceData(x))
	pb := unsafe.Add(pa, h*4)
	a := archsimd.LoadFloat32x8((*[8]float32)(pa))
	b := archsimd.LoadFloat32x8((*[8]float32)(pb))
	nan := a.IsNaN().Or(b.IsNaN())
	for i := 8; i < h; i += 8 {
		u := archsimd.LoadFloat32x8((*[8]float32)(unsafe.Add(pa, i*4)))
		w := archsimd.LoadFloat32x8((*[8]float32)(unsafe.Add(pb, i*4)))
		nan = nan.Or(u.IsNaN()).Or(w.IsNaN())
		if isMax {
			a, b = a.Max(u), b.Max(w)
		} else {
			a, b = a.Min(u), b.Min(w)
		}
	}
	if nan.ToBits() != 0 {
		archsimd.ClearAVXUpperBits()
		return 0, false
	}
	if isMax {
		a = a.Max(b)
	} else {
		a = a.Min(b)
	}
	var r [8]float32
	a.Store(&r)
	archsimd.ClearAVXUpperBits()
	return minMaxFinish(isMax, r[:], x[2*h:])
}

// minMaxFinish folds the vector lanes and the elements past the vector
// loop; ok is false for a NaN among the rest or a zero result.
func minMaxFinish[T ~float32 | ~float64](isMax bool, lanes, rest []T) (T, bool) {
	m := lanes[0]
	for _, v := range lanes[1:] {
		if isMax && v > m || !isMax && v < m {
			m = v
		}
	}
	for _, v := range rest {
		if v != v {
			return 0, false
		}
		if isMax && v > m || !isMax && v < m {
			m = v
		}
	}
	return m, m != 0
}

// simdBinary computes d = a op b for float32/float64 add, subtract,
// multiply and divide (the vector instructions round exactly as the
// scalar ones: same bits). It reports false for other types and ops.
// d may be a or b itself.
func simdBinary[T Number](op BinaryOp, d, a, b []T) bool {
	if op > OpDivide || len(d) < 8 {
		return false
	}
	switch dd := any(d).(type) {
	case []float64:
		binaryF64(op, dd, any(a).([]float64), any(b).([]float64))
	case []float32:
		binaryF32(op, dd, any(a).([]float32), any(b).([]float32))
	default:
		return false
	}
	return true
}

func binaryF64(op BinaryOp, d, a, b []float64) {
	n := len(d)
	a, b = a[:n], b[:n]
	pd, pa, pb := unsafe.Pointer(&d[0]), unsafe.Pointer(&a[0]), unsafe.Pointer(&b[0])
	m := n &^ 7
	for i := 0; i < m; i += 8 {
		o := uintptr(i) * 8
		x0 := archsimd.LoadFloat64x4((*[4]float64)(unsafe.Add(pa, o)))
		x1 := archsimd.LoadFloat64x4((*[4]float64)(unsafe.Add(pa, o+32)))
		y0 := archsimd.LoadFloat64x4((*[4]float64)(unsafe.Add(pb, o)))
		y1 := archsimd.LoadFloat64x4((*[4]float64)(unsafe.Add(pb, o+32)))
		switch op {
		case OpAdd:
			x0, x1 = x0.Add(y0), x1.Add(y1)
		case OpSubtract:
			x0, x1 = x0.Sub(y0), x1.Sub(y1)
		case OpMultiply:
			x0, x1 = x0.Mul(y0), x1.Mul(y1)
		default:
			x0, x1 = x0.Div(y0), x1.Div(y1)
		}
		x0.Store((*[4]float64)(unsafe.Add(pd, o)))
		x1.Store((*[4]float64)(unsafe.Add(pd, o+32)))
	}
	archsimd.ClearAVXUpperBits()
	binaryTail(op, d[m:], a[m:], b[m:])
}

func binaryF32(op BinaryOp, d, a, b []float32) {
	n := len(d)
	a, b = a[:n], b[:n]
	pd, pa, pb := unsafe.Pointer(&d[0]), unsafe.Pointer(&a[0]), unsafe.Pointer(&b[0])
	m := n &^ 15
	for i := 0; i < m; i += 16 {
		o := uintptr(i) * 4
		x0 := archsimd.LoadFloat32x8((*[8]float32)(unsafe.Add(pa, o)))
		x1 := archsimd.LoadFloat32x8((*[8]float32)(unsafe.Add(pa, o+32)))
		y0 := archsimd.LoadFloat32x8((*[8]float32)(unsafe.Add(pb, o)))
		y1 := archsimd.LoadFloat32x8((*[8]float32)(unsafe.Add(pb, o+32)))
		switch op {
		case OpAdd:
			x0, x1 = x0.Add(y0), x1.Add(y1)
		case OpSubtract:
			x0, x1 = x0.Sub(y0), x1.Sub(y1)
		case OpMultiply:
			x0, x1 = x0.Mul(y0), x1.Mul(y1)
		default:
			x0, x1 = x0.Div(y0), x1.Div(y1)
		}
		x0.Store((*[8]float32)(unsafe.Add(pd, o)))
		x1.Store((*[8]float32)(unsafe.Add(pd, o+32)))
	}
	archsimd.ClearAVXUpperBits()
	binaryTail(op, d[m:], a[m:], b[m:])
}

func binaryTail[T ~float32 | ~float64](op BinaryOp, d, a, b []T) {
	a, b = a[:len(d)], b[:len(d)]
	for i := range d {
		switch op {
		case OpAdd:
			d[i] = a[i] + b[i]
		case OpSubtract:
			d[i] = a[i] - b[i]
		case OpMultiply:
			d[i] = a[i] * b[i]
		default:
			d[i] = a[i] / b[i]
		}
	}
}

// SIMD names the vector instructions the kernels use on this CPU ("" for
// none).
func SIMD() string {
	if useSIMD {
		return "AVX2"
	}
	return ""
}

// simdScale multiplies d in place by s for float32 and float64 (the same
// bits as the scalar loop); it reports false for other types.
func simdScale[T Number](d []T, s T) bool {
	if len(d) < 16 {
		return false
	}
	switch dd := any(d).(type) {
	case []float64:
		f := archsimd.BroadcastFloat64x4(*(*float64)(unsafe.Pointer(&s)))
		p := unsafe.Pointer(&dd[0])
		m := len(dd) &^ 7
		for i := 0; i < m; i += 8 {
			q := unsafe.Add(p, i*8)
			x0 := archsimd.LoadFloat64x4((*[4]float64)(q))
			x1 := archsimd.LoadFloat64x4((*[4]float64)(unsafe.Add(q, 32)))
			x0.Mul(f).Store((*[4]float64)(q))
			x1.Mul(f).Store((*[4]float64)(unsafe.Add(q, 32)))
		}
		archsimd.ClearAVXUpperBits()
		for i := m; i < len(dd); i++ {
			dd[i] *= *(*float64)(unsafe.Pointer(&s))
		}
	case []float32:
		f := archsimd.BroadcastFloat32x8(*(*float32)(unsafe.Pointer(&s)))
		p := unsafe.Pointer(&dd[0])
		m := len(dd) &^ 15
		for i := 0; i < m; i += 16 {
			q := unsafe.Add(p, i*4)
			x0 := archsimd.LoadFloat32x8((*[8]float32)(q))
			x1 := archsimd.LoadFloat32x8((*[8]float32)(unsafe.Add(q, 32)))
			x0.Mul(f).Store((*[8]float32)(q))
			x1.Mul(f).Store((*[8]float32)(unsafe.Add(q, 32)))
		}
		archsimd.ClearAVXUpperBits()
		for i := m; i < len(dd); i++ {
			dd[i] *= *(*float32)(unsafe.Pointer(&s))
		}
	default:
		return false
	}
	return true
}
