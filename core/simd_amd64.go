//go:build goexperiment.simd && amd64

package core

import (
	"math"
	"simd/archsimd"
	"unsafe"
)

// AVX2 loops for float32/float64: float64 sums (four quarters of a chunk
// read in lockstep), min and max reductions, and contiguous add, subtract,
// multiply, divide and scale. numpy's own loops use these instructions;
// the portable loops here compute one element at a time. Every one gives
// the portable loop's bits (simd_other.go has the stubs used without
// GOEXPERIMENT=simd): sums keep pairwise1's accumulators and order; min
// and max leave inputs with a NaN, and zero results of inputs holding
// zeros of both signs (where the portable order shows), to the portable
// loop.

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
	if n < 32 {
		return 0, false
	}
	// Four quarters in lockstep: four memory streams keep enough loads in
	// flight to reach the memory bandwidth (two goroutines reading 1e8
	// float64 measured 20 GB/s with two streams each, 27-30 GB/s with four).
	q := (n / 4) &^ 3
	p0 := unsafe.Pointer(unsafe.SliceData(x))
	p1, p2, p3 := unsafe.Add(p0, q*8), unsafe.Add(p0, 2*q*8), unsafe.Add(p0, 3*q*8)
	a := archsimd.LoadFloat64x4((*[4]float64)(p0))
	b := archsimd.LoadFloat64x4((*[4]float64)(p1))
	c := archsimd.LoadFloat64x4((*[4]float64)(p2))
	d := archsimd.LoadFloat64x4((*[4]float64)(p3))
	nan := a.IsNaN().Or(b.IsNaN()).Or(c.IsNaN()).Or(d.IsNaN())
	for o := 32; o < q*8; o += 32 {
		u := archsimd.LoadFloat64x4((*[4]float64)(unsafe.Add(p0, o)))
		v := archsimd.LoadFloat64x4((*[4]float64)(unsafe.Add(p1, o)))
		w := archsimd.LoadFloat64x4((*[4]float64)(unsafe.Add(p2, o)))
		y := archsimd.LoadFloat64x4((*[4]float64)(unsafe.Add(p3, o)))
		nan = nan.Or(u.IsNaN()).Or(v.IsNaN()).Or(w.IsNaN()).Or(y.IsNaN())
		if isMax {
			a, b, c, d = a.Max(u), b.Max(v), c.Max(w), d.Max(y)
		} else {
			a, b, c, d = a.Min(u), b.Min(v), c.Min(w), d.Min(y)
		}
	}
	if nan.ToBits() != 0 {
		clearUpper()
		return 0, false
	}
	if isMax {
		a = a.Max(b).Max(c.Max(d))
	} else {
		a = a.Min(b).Min(c.Min(d))
	}
	var r [4]float64
	a.Store(&r)
	clearUpper()
	m, ok := minMaxFinish(isMax, r[:], x[4*q:])
	if ok && m == 0 {
		return zeroResult64(x)
	}
	return m, ok
}

// zeroResult64 is the zero minMaxF64 returns when the extreme is zero: the
// portable loop returns one of the zeros in x, so the answer is that zero
// when x holds zeros of one sign only; with both signs, ok is false (the
// portable loop decides). One more pass over x, at memory speed.
func zeroResult64(x []float64) (float64, bool) {
	p := unsafe.Pointer(unsafe.SliceData(x))
	pos, neg := archsimd.BroadcastInt64x4(0), archsimd.BroadcastInt64x4(math.MinInt64)
	var hp, hn archsimd.Mask64x4
	m := len(x) &^ 3
	for o := 0; o < m*8; o += 32 {
		v := archsimd.LoadFloat64x4((*[4]float64)(unsafe.Add(p, o))).AsInt64x4()
		hp, hn = hp.Or(v.Equal(pos)), hn.Or(v.Equal(neg))
	}
	anyPos, anyNeg := hp.ToBits() != 0, hn.ToBits() != 0
	clearUpper()
	for _, v := range x[m:] {
		if v == 0 {
			anyNeg = anyNeg || math.Signbit(v)
			anyPos = anyPos || !math.Signbit(v)
		}
	}
	if anyPos && anyNeg {
		return 0, false
	}
	if anyNeg {
		return math.Copysign(0, -1), true
	}
	return 0, true
}

func minMaxF32(isMax bool, x []float32) (float32, bool) {
	n := len(x)
	if n < 64 {
		return 0, false
	}
	q := (n / 4) &^ 7
	p0 := unsafe.Pointer(unsafe.SliceData(x))
	p1, p2, p3 := unsafe.Add(p0, q*4), unsafe.Add(p0, 2*q*4), unsafe.Add(p0, 3*q*4)
	a := archsimd.LoadFloat32x8((*[8]float32)(p0))
	b := archsimd.LoadFloat32x8((*[8]float32)(p1))
	c := archsimd.LoadFloat32x8((*[8]float32)(p2))
	d := archsimd.LoadFloat32x8((*[8]float32)(p3))
	nan := a.IsNaN().Or(b.IsNaN()).Or(c.IsNaN()).Or(d.IsNaN())
	for o := 32; o < q*4; o += 32 {
		u := archsimd.LoadFloat32x8((*[8]float32)(unsafe.Add(p0, o)))
		v := archsimd.LoadFloat32x8((*[8]float32)(unsafe.Add(p1, o)))
		w := archsimd.LoadFloat32x8((*[8]float32)(unsafe.Add(p2, o)))
		y := archsimd.LoadFloat32x8((*[8]float32)(unsafe.Add(p3, o)))
		nan = nan.Or(u.IsNaN()).Or(v.IsNaN()).Or(w.IsNaN()).Or(y.IsNaN())
		if isMax {
			a, b, c, d = a.Max(u), b.Max(v), c.Max(w), d.Max(y)
		} else {
			a, b, c, d = a.Min(u), b.Min(v), c.Min(w), d.Min(y)
		}
	}
	if nan.ToBits() != 0 {
		clearUpper()
		return 0, false
	}
	if isMax {
		a = a.Max(b).Max(c.Max(d))
	} else {
		a = a.Min(b).Min(c.Min(d))
	}
	var r [8]float32
	a.Store(&r)
	clearUpper()
	m, ok := minMaxFinish(isMax, r[:], x[4*q:])
	if ok && m == 0 {
		return zeroResult32(x)
	}
	return m, ok
}

// zeroResult32 is zeroResult64 for float32.
func zeroResult32(x []float32) (float32, bool) {
	p := unsafe.Pointer(unsafe.SliceData(x))
	pos, neg := archsimd.BroadcastInt32x8(0), archsimd.BroadcastInt32x8(math.MinInt32)
	var hp, hn archsimd.Mask32x8
	m := len(x) &^ 7
	for o := 0; o < m*4; o += 32 {
		v := archsimd.LoadFloat32x8((*[8]float32)(unsafe.Add(p, o))).AsInt32x8()
		hp, hn = hp.Or(v.Equal(pos)), hn.Or(v.Equal(neg))
	}
	anyPos, anyNeg := hp.ToBits() != 0, hn.ToBits() != 0
	clearUpper()
	for _, v := range x[m:] {
		if v == 0 {
			anyNeg = anyNeg || math.Signbit(float64(v))
			anyPos = anyPos || !math.Signbit(float64(v))
		}
	}
	if anyPos && anyNeg {
		return 0, false
	}
	if anyNeg {
		return float32(math.Copysign(0, -1)), true
	}
	return 0, true
}

// minMaxFinish folds the vector lanes and the elements past the vector
// loop; ok is false for a NaN among the rest.
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
	return m, true
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
	clearUpper()
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
	clearUpper()
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
		clearUpper()
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
		clearUpper()
		for i := m; i < len(dd); i++ {
			dd[i] *= *(*float32)(unsafe.Pointer(&s))
		}
	default:
		return false
	}
	return true
}

// simdSum4 is pairwise1 of each of the four consecutive runs of q
// elements at p (q a multiple of 8), read in lockstep: four memory streams
// keep more loads in flight than one. The lanes of each run's two (float64)
// or one (float32) vector accumulators are pairwise1's eight, combined in
// its order, so the sums are pairwise1's bits. ok is false when the CPU
// lacks AVX2 or T is not float32/float64.
func simdSum4[T Real](p unsafe.Pointer, q int) (r [4]T, ok bool) {
	if !useSIMD || q%8 != 0 {
		return r, false
	}
	var z T
	o := uintptr(q) * unsafe.Sizeof(z)
	p1, p2, p3 := unsafe.Add(p, o), unsafe.Add(p, 2*o), unsafe.Add(p, 3*o)
	switch any(z).(type) {
	case float64:
		a, b, c, d := pairwise4F64(p, p1, p2, p3, q)
		v := [4]float64{a, b, c, d}
		return *(*[4]T)(unsafe.Pointer(&v)), true
	case float32:
		a, b, c, d := pairwise4F32(p, p1, p2, p3, q)
		v := [4]float32{a, b, c, d}
		return *(*[4]T)(unsafe.Pointer(&v)), true
	}
	return r, false
}

// pairwise4F64 is pairwise1's recursion over four runs of n (a multiple of
// 8) float64 at once.
func pairwise4F64(p0, p1, p2, p3 unsafe.Pointer, n int) (float64, float64, float64, float64) {
	if n > 128 {
		n2 := (n / 2) &^ 7
		o := n2 * 8
		a1, b1, c1, d1 := pairwise4F64(p0, p1, p2, p3, n2)
		a2, b2, c2, d2 := pairwise4F64(unsafe.Add(p0, o), unsafe.Add(p1, o), unsafe.Add(p2, o), unsafe.Add(p3, o), n-n2)
		return a1 + a2, b1 + b2, c1 + c2, d1 + d2
	}
	l0, h0 := archsimd.LoadFloat64x4((*[4]float64)(p0)), archsimd.LoadFloat64x4((*[4]float64)(unsafe.Add(p0, 32)))
	l1, h1 := archsimd.LoadFloat64x4((*[4]float64)(p1)), archsimd.LoadFloat64x4((*[4]float64)(unsafe.Add(p1, 32)))
	l2, h2 := archsimd.LoadFloat64x4((*[4]float64)(p2)), archsimd.LoadFloat64x4((*[4]float64)(unsafe.Add(p2, 32)))
	l3, h3 := archsimd.LoadFloat64x4((*[4]float64)(p3)), archsimd.LoadFloat64x4((*[4]float64)(unsafe.Add(p3, 32)))
	for o := 64; o < n*8; o += 64 {
		l0 = l0.Add(archsimd.LoadFloat64x4((*[4]float64)(unsafe.Add(p0, o))))
		h0 = h0.Add(archsimd.LoadFloat64x4((*[4]float64)(unsafe.Add(p0, o+32))))
		l1 = l1.Add(archsimd.LoadFloat64x4((*[4]float64)(unsafe.Add(p1, o))))
		h1 = h1.Add(archsimd.LoadFloat64x4((*[4]float64)(unsafe.Add(p1, o+32))))
		l2 = l2.Add(archsimd.LoadFloat64x4((*[4]float64)(unsafe.Add(p2, o))))
		h2 = h2.Add(archsimd.LoadFloat64x4((*[4]float64)(unsafe.Add(p2, o+32))))
		l3 = l3.Add(archsimd.LoadFloat64x4((*[4]float64)(unsafe.Add(p3, o))))
		h3 = h3.Add(archsimd.LoadFloat64x4((*[4]float64)(unsafe.Add(p3, o+32))))
	}
	// lanes (r0..r3), (r4..r7): (r0+r1, r4+r5, r2+r3, r6+r7), then
	// ((r0+r1)+(r2+r3), (r4+r5)+(r6+r7)) and their sum
	t0, t1, t2, t3 := l0.AddPairsGrouped(h0), l1.AddPairsGrouped(h1), l2.AddPairsGrouped(h2), l3.AddPairsGrouped(h3)
	u0, u1 := t0.GetLo().Add(t0.GetHi()), t1.GetLo().Add(t1.GetHi())
	u2, u3 := t2.GetLo().Add(t2.GetHi()), t3.GetLo().Add(t3.GetHi())
	var r [8]float64
	u0.Store((*[2]float64)(r[0:2]))
	u1.Store((*[2]float64)(r[2:4]))
	u2.Store((*[2]float64)(r[4:6]))
	u3.Store((*[2]float64)(r[6:8]))
	clearUpper()
	return r[0] + r[1], r[2] + r[3], r[4] + r[5], r[6] + r[7]
}

// pairwise4F32 is pairwise4F64 for float32: one 8-lane accumulator a run.
func pairwise4F32(p0, p1, p2, p3 unsafe.Pointer, n int) (float32, float32, float32, float32) {
	if n > 128 {
		n2 := (n / 2) &^ 7
		o := n2 * 4
		a1, b1, c1, d1 := pairwise4F32(p0, p1, p2, p3, n2)
		a2, b2, c2, d2 := pairwise4F32(unsafe.Add(p0, o), unsafe.Add(p1, o), unsafe.Add(p2, o), unsafe.Add(p3, o), n-n2)
		return a1 + a2, b1 + b2, c1 + c2, d1 + d2
	}
	r0 := archsimd.LoadFloat32x8((*[8]float32)(p0))
	r1 := archsimd.LoadFloat32x8((*[8]float32)(p1))
	r2 := archsimd.LoadFloat32x8((*[8]float32)(p2))
	r3 := archsimd.LoadFloat32x8((*[8]float32)(p3))
	for o := 32; o < n*4; o += 32 {
		r0 = r0.Add(archsimd.LoadFloat32x8((*[8]float32)(unsafe.Add(p0, o))))
		r1 = r1.Add(archsimd.LoadFloat32x8((*[8]float32)(unsafe.Add(p1, o))))
		r2 = r2.Add(archsimd.LoadFloat32x8((*[8]float32)(unsafe.Add(p2, o))))
		r3 = r3.Add(archsimd.LoadFloat32x8((*[8]float32)(unsafe.Add(p3, o))))
	}
	// (r0+r1, r2+r3, ., ., r4+r5, r6+r7, ., .), then ((r0+r1)+(r2+r3)) in
	// the low group and ((r4+r5)+(r6+r7)) in the high one
	h0, h1, h2, h3 := r0.AddPairsGrouped(r0), r1.AddPairsGrouped(r1), r2.AddPairsGrouped(r2), r3.AddPairsGrouped(r3)
	h0, h1, h2, h3 = h0.AddPairsGrouped(h0), h1.AddPairsGrouped(h1), h2.AddPairsGrouped(h2), h3.AddPairsGrouped(h3)
	var r [32]float32
	h0.Store((*[8]float32)(r[0:8]))
	h1.Store((*[8]float32)(r[8:16]))
	h2.Store((*[8]float32)(r[16:24]))
	h3.Store((*[8]float32)(r[24:32]))
	clearUpper()
	return r[0] + r[4], r[8] + r[12], r[16] + r[20], r[24] + r[28]
}

// clearUpper clears the upper halves of the vector registers (VZEROUPPER)
// before scalar float code runs: on Intel cores, legacy SSE instructions
// (Go's scalar float64 arithmetic) after 256-bit AVX ones with dirty upper
// halves pay a state-transition or merge penalty each. The compiler
// schedules ClearAVXUpperBits freely among values that do not touch
// memory, so callers store their vector results to memory first; the
// instruction is ordered after those stores.
func clearUpper() { archsimd.ClearAVXUpperBits() }

// upperClean clears dirty upper vector halves before a scalar loop that
// mixes VEX (math.FMA) and legacy SSE instructions: with dirty upper
// halves left by other code, every SSE instruction pays a merge penalty.
func upperClean() {
	if useSIMD {
		clearUpper()
	}
}
