//go:build goexperiment.simd && amd64

package core

import (
	"math/rand/v2"
	"simd/archsimd"
	"testing"
	"unsafe"
)

// Every AVX2 loop returns with clean upper vector halves (its
// VZEROUPPER ordered after its stores): scalar code after it, math.Exp
// among it, pays a penalty per instruction otherwise. XINUSE shows it
// without timing anything.
func TestSIMDLoopsLeaveUpperClean(t *testing.T) {
	if !useSIMD || !hasXinuse() {
		t.Skip("no AVX2 or no XGETBV with ECX=1 on this CPU")
	}
	// the observation itself: a 256-bit operation leaves the state dirty,
	// VZEROUPPER cleans it
	var v [4]float64
	dirty := func() { archsimd.BroadcastFloat64x4(1.5).Store(&v) }
	if !upperStaysDirty(dirty) {
		t.Fatalf("XINUSE %#x after a 256-bit store: the upper state does not show", xinuse())
	}
	if !upperClean3(func() { dirty(); clearUpper() }) {
		t.Fatalf("XINUSE %#x after VZEROUPPER", xinuse())
	}

	rng := rand.New(rand.NewPCG(1, 2))
	n := 1000
	f64, g64, d64 := make([]float64, n), make([]float64, n), make([]float64, n)
	f32, g32, d32 := make([]float32, n), make([]float32, n), make([]float32, n)
	i64 := make([]int64, n)
	zeros := make([]float64, n)
	zeros32 := make([]float32, n)
	for i := range n {
		f64[i], g64[i] = rng.NormFloat64(), rng.NormFloat64()
		f32[i], g32[i] = float32(f64[i]), float32(g64[i])
		i64[i] = rng.Int64()
	}
	nan := append([]float64(nil), f64...)
	nan[n/2] = nan[n/2] * 0 / 0
	b := make([]bool, n)
	s64, s32 := 0.5, float32(0.5)
	loops := map[string]func(){
		"min float64":        func() { minMaxF64(false, f64) },
		"max float32":        func() { minMaxF32(true, f32) },
		"max float64 NaN":    func() { minMaxF64(true, nan) },
		"max float64 zeros":  func() { minMaxF64(true, zeros) },
		"min float32 zeros":  func() { minMaxF32(false, zeros32) },
		"sum float64":        func() { simdSum4[float64](unsafe.Pointer(&f64[0]), 248) },
		"sum float32":        func() { simdSum4[float32](unsafe.Pointer(&f32[0]), 248) },
		"scale float64":      func() { simdScale(d64, 1.5) },
		"scale float32":      func() { simdScale(d32, 1.5) },
		"compare float64":    func() { simdCompare(OpLess, b, f64, g64) },
		"compare float32":    func() { simdCompare(OpEqual, b, f32, g32) },
		"compare int64":      func() { simdCompare(OpGreater, b, i64, i64) },
		"compare scalar f64": func() { simdCompareScalar(Float64, OpLess, b, unsafe.Pointer(&f64[0]), unsafe.Pointer(&s64), true) },
		"compare scalar f32": func() { simdCompareScalar(Float32, OpLess, b, unsafe.Pointer(&f32[0]), unsafe.Pointer(&s32), false) },
	}
	for _, op := range []BinaryOp{OpAdd, OpSubtract, OpMultiply, OpDivide} {
		loops[op.String()+" float64"] = func() { simdBinary(op, d64, f64, g64) }
		loops[op.String()+" float32"] = func() { simdBinary(op, d32, f32, g32) }
	}
	for name, loop := range loops {
		if !upperClean3(func() { dirty(); loop() }) {
			t.Errorf("%s: XINUSE %#x after the loop: upper halves left dirty", name, xinuse())
		}
		if !upperClean3(func() { clearUpper(); loop() }) {
			t.Errorf("%s: XINUSE %#x after the loop from a clean state", name, xinuse())
		}
	}
}

// upperClean3 reports whether the upper halves are clean right after f,
// in one of three tries (a preemption between f and the check, which
// restores the registers, may dirty them).
func upperClean3(f func()) bool {
	for range 3 {
		f()
		if xinuse()&dirtyUpper == 0 {
			return true
		}
	}
	return false
}

// upperStaysDirty reports whether the upper halves are dirty right after f.
func upperStaysDirty(f func()) bool {
	f()
	return xinuse()&dirtyUpper != 0
}
