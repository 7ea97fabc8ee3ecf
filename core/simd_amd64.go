//go:build goexperiment.simd && amd64

package core

import (
	"simd/archsimd"
	"unsafe"
)

// AVX2 loops for float32/float64 min and max, which the portable loops
// compute one compare at a time (numpy's own loops use these
// instructions). They give bit-identical results to the portable loops
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
	p := unsafe.Pointer(unsafe.SliceData(x))
	a := archsimd.LoadFloat64x4((*[4]float64)(p))
	b := archsimd.LoadFloat64x4((*[4]float64)(unsafe.Add(p, 32)))
	nan := a.IsNaN().Or(b.IsNaN())
	i := 8
	for ; i+8 <= n; i += 8 {
		q := unsafe.Add(p, i*8)
		u := archsimd.LoadFloat64x4((*[4]float64)(q))
		w := archsimd.LoadFloat64x4((*[4]float64)(unsafe.Add(q, 32)))
		nan = nan.Or(u.IsNaN()).Or(w.IsNaN())
		if isMax {
			a, b = a.Max(u), b.Max(w)
		} else {
			a, b = a.Min(u), b.Min(w)
		}
	}
	if nan.ToBits() != 0 {
		return 0, false
	}
	if isMax {
		a = a.Max(b)
	} else {
		a = a.Min(b)
	}
	var r [4]float64
	a.Store(&r)
	m := r[0]
	for _, v := range r[1:] {
		if isMax && v > m || !isMax && v < m {
			m = v
		}
	}
	for _, v := range x[i:] {
		if v != v {
			return 0, false
		}
		if isMax && v > m || !isMax && v < m {
			m = v
		}
	}
	return m, m != 0
}

func minMaxF32(isMax bool, x []float32) (float32, bool) {
	n := len(x)
	if n < 32 {
		return 0, false
	}
	p := unsafe.Pointer(unsafe.SliceData(x))
	a := archsimd.LoadFloat32x8((*[8]float32)(p))
	b := archsimd.LoadFloat32x8((*[8]float32)(unsafe.Add(p, 32)))
	nan := a.IsNaN().Or(b.IsNaN())
	i := 16
	for ; i+16 <= n; i += 16 {
		q := unsafe.Add(p, i*4)
		u := archsimd.LoadFloat32x8((*[8]float32)(q))
		w := archsimd.LoadFloat32x8((*[8]float32)(unsafe.Add(q, 32)))
		nan = nan.Or(u.IsNaN()).Or(w.IsNaN())
		if isMax {
			a, b = a.Max(u), b.Max(w)
		} else {
			a, b = a.Min(u), b.Min(w)
		}
	}
	if nan.ToBits() != 0 {
		return 0, false
	}
	if isMax {
		a = a.Max(b)
	} else {
		a = a.Min(b)
	}
	var r [8]float32
	a.Store(&r)
	m := r[0]
	for _, v := range r[1:] {
		if isMax && v > m || !isMax && v < m {
			m = v
		}
	}
	for _, v := range x[i:] {
		if v != v {
			return 0, false
		}
		if isMax && v > m || !isMax && v < m {
			m = v
		}
	}
	return m, m != 0
}

// SIMD names the vector instructions the kernels use on this CPU ("" for
// none).
func SIMD() string {
	if useSIMD {
		return "AVX2"
	}
	return ""
}
