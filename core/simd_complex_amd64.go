//go:build goexperiment.simd && amd64

package core

import (
	"simd/archsimd"
	"unsafe"
)

// AVX2+FMA loops of numpy's complex product of contiguous complex128 and
// complex64 (cmul128, cmul64), with their bits. A vector holds (re, im)
// pairs: two complex128 in a Float64x4, four complex64 in a Float32x8.
// With a = (ar, ai) and b = (br, bi), VFMADDSUB of (ar, ar) * (br, bi) and
// (ai*bi, ai*br) gives fma(ar, br, -(ai*bi)) in the real lane and
// fma(ar, bi, ai*br) in the imaginary one: cmul128's two fused steps
// (the negation is exact), each rounded once, as math.FMA rounds. In
// float32 lanes the instruction's result is the correctly rounded float32
// of the exact ar*br - ai*bi: what fma32Finite computes, overflow to inf
// and subnormals included. A block whose results hold a NaN is computed
// again by cmul128/cmul64, which give numpy's NaN order.

// hasFMA is whether the CPU has the FMA instructions (every AVX2 CPU
// numpy's dispatch meets has; the loops need both).
var hasFMA = archsimd.X86.FMA()

// simdCmul128 computes d[i] = cmul128(a[i], b[i]) for the leading elements
// of d, a multiple of four, and returns their count (0 without AVX2 and
// FMA). d may be a or b itself.
func simdCmul128(d, a, b []complex128) int {
	if !useSIMD || !hasFMA || len(d) < 4 {
		return 0
	}
	n := len(d) &^ 3
	a, b = a[:n], b[:n]
	pd, pa, pb := unsafe.Pointer(&d[0]), unsafe.Pointer(&a[0]), unsafe.Pointer(&b[0])
	for i := 0; i < n; i += 4 {
		i = cmul128Run(pd, pa, pb, i, n)
		clearUpper()
		if i == n {
			break
		}
		for j := i; j < i+4; j++ {
			d[j] = cmul128(a[j], b[j])
		}
	}
	return n
}

// cmul128Run stores the products of blocks of four elements from i on,
// up to n (a multiple of four), and returns n, or the start of the first
// block with a NaN among its results (that block not stored).
func cmul128Run(pd, pa, pb unsafe.Pointer, i, n int) int {
	for ; i < n; i += 4 {
		o := uintptr(i) * 16
		x0 := archsimd.LoadFloat64x4((*[4]float64)(unsafe.Add(pa, o)))
		x1 := archsimd.LoadFloat64x4((*[4]float64)(unsafe.Add(pa, o+32)))
		y0 := archsimd.LoadFloat64x4((*[4]float64)(unsafe.Add(pb, o)))
		y1 := archsimd.LoadFloat64x4((*[4]float64)(unsafe.Add(pb, o+32)))
		// (ar, ar) * (br, bi) -+ (ai, ai) * (bi, br): VFMADDSUB subtracts
		// in the even lanes and adds in the odd ones (Intel's definition;
		// the tests check the bits)
		r0 := x0.SelectFromPairGrouped(0, 2, x0).MulAddSub(y0,
			x0.SelectFromPairGrouped(1, 3, x0).Mul(y0.SelectFromPairGrouped(1, 2, y0)))
		r1 := x1.SelectFromPairGrouped(0, 2, x1).MulAddSub(y1,
			x1.SelectFromPairGrouped(1, 3, x1).Mul(y1.SelectFromPairGrouped(1, 2, y1)))
		if r0.IsNaN().Or(r1.IsNaN()).ToBits() != 0 {
			return i
		}
		r0.Store((*[4]float64)(unsafe.Add(pd, o)))
		r1.Store((*[4]float64)(unsafe.Add(pd, o+32)))
	}
	return n
}

// simdCmul64 is simdCmul128 for complex64 (cmul64's bits), eight elements
// a block.
func simdCmul64(d, a, b []complex64) int {
	if !useSIMD || !hasFMA || len(d) < 8 {
		return 0
	}
	n := len(d) &^ 7
	a, b = a[:n], b[:n]
	pd, pa, pb := unsafe.Pointer(&d[0]), unsafe.Pointer(&a[0]), unsafe.Pointer(&b[0])
	for i := 0; i < n; i += 8 {
		i = cmul64Run(pd, pa, pb, i, n)
		clearUpper()
		if i == n {
			break
		}
		for j := i; j < i+8; j++ {
			d[j] = cmul64(a[j], b[j])
		}
	}
	return n
}

// cmul64Run is cmul128Run for complex64, blocks of eight.
func cmul64Run(pd, pa, pb unsafe.Pointer, i, n int) int {
	for ; i < n; i += 8 {
		o := uintptr(i) * 8
		x0 := archsimd.LoadFloat32x8((*[8]float32)(unsafe.Add(pa, o)))
		x1 := archsimd.LoadFloat32x8((*[8]float32)(unsafe.Add(pa, o+32)))
		y0 := archsimd.LoadFloat32x8((*[8]float32)(unsafe.Add(pb, o)))
		y1 := archsimd.LoadFloat32x8((*[8]float32)(unsafe.Add(pb, o+32)))
		r0 := x0.SelectFromPairGrouped(0, 0, 6, 6, x0).MulAddSub(y0,
			x0.SelectFromPairGrouped(1, 1, 7, 7, x0).Mul(y0.SelectFromPairGrouped(1, 0, 7, 6, y0)))
		r1 := x1.SelectFromPairGrouped(0, 0, 6, 6, x1).MulAddSub(y1,
			x1.SelectFromPairGrouped(1, 1, 7, 7, x1).Mul(y1.SelectFromPairGrouped(1, 0, 7, 6, y1)))
		if r0.IsNaN().Or(r1.IsNaN()).ToBits() != 0 {
			return i
		}
		r0.Store((*[8]float32)(unsafe.Add(pd, o)))
		r1.Store((*[8]float32)(unsafe.Add(pd, o+32)))
	}
	return n
}
