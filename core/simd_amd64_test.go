//go:build goexperiment.simd && amd64

package core

import (
	"math"
	"math/rand/v2"
	"testing"
	"unsafe"
)

// The AVX2 loops give the portable loops' bits: min/max with NaNs, zeros
// of both signs and infinities mixed in (sums, which stay portable, too).
func TestSIMDMatchesPortable(t *testing.T) {
	if !useSIMD {
		t.Skip("no AVX2 on this CPU")
	}
	defer func() { useSIMD = true }()
	rng := rand.New(rand.NewPCG(3, 5))
	specials := []float64{math.NaN(), 0, math.Copysign(0, -1), math.Inf(1), math.Inf(-1), 1e300}
	for trial := 0; trial < 400; trial++ {
		n := rng.IntN(700)
		if trial%50 == 0 {
			n = 1 << (10 + trial/50)
		}
		x := make([]float64, n)
		for i := range x {
			x[i] = rng.NormFloat64() * math.Pow(10, float64(rng.IntN(6)))
			if rng.IntN(10) == 0 && trial%3 == 0 {
				x[i] = specials[rng.IntN(len(specials))]
			}
			if trial%7 == 0 {
				x[i] = math.Abs(x[i]) // min may be a zero
			}
		}
		f := make([]float32, n)
		for i, v := range x {
			f[i] = float32(v)
		}
		compare(t, x, n)
		compare(t, f, n)
	}
}

func compare[T ~float32 | ~float64](t *testing.T, x []T, n int) {
	t.Helper()
	run := func() (s, s2a, s2b T, mn, mx T) {
		if n == 0 {
			return
		}
		p := unsafe.Pointer(unsafe.SliceData(x))
		s = sumContig[T](p, n)
		if h := n / 2; h >= 8 {
			h -= h % 8
			s2a, s2b = pairwise2[T](p, unsafe.Add(p, h*int(unsafe.Sizeof(x[0]))), h)
		}
		return s, s2a, s2b, minContig(x), maxContig(x)
	}
	useSIMD = true
	a := [5]T{}
	a[0], a[1], a[2], a[3], a[4] = run()
	useSIMD = false
	b := [5]T{}
	b[0], b[1], b[2], b[3], b[4] = run()
	useSIMD = true
	for i := range a {
		if math.Float64bits(float64(a[i])) != math.Float64bits(float64(b[i])) && !(a[i] != a[i] && b[i] != b[i]) {
			t.Fatalf("%T n=%d result %d: AVX2 %v, portable %v", x[0], n, i, a[i], b[i])
		}
	}
}

func BenchmarkSIMDSum(b *testing.B) {
	x := make([]float64, 1<<16)
	for i := range x {
		x[i] = float64(i % 13)
	}
	f := make([]float32, 1<<16)
	for i := range f {
		f[i] = float32(i%17) + 1
	}
	for _, simd := range []bool{true, false} {
		name := map[bool]string{true: "avx2", false: "portable"}[simd]
		b.Run("sum64/"+name, func(b *testing.B) {
			useSIMD = simd
			defer func() { useSIMD = true }()
			b.SetBytes(int64(len(x) * 8))
			for b.Loop() {
				sumContig[float64](unsafe.Pointer(&x[0]), len(x))
			}
		})
		b.Run("sum32/"+name, func(b *testing.B) {
			useSIMD = simd
			defer func() { useSIMD = true }()
			b.SetBytes(int64(len(f) * 4))
			for b.Loop() {
				sumContig[float32](unsafe.Pointer(&f[0]), len(f))
			}
		})
		b.Run("max64/"+name, func(b *testing.B) {
			useSIMD = simd
			defer func() { useSIMD = true }()
			b.SetBytes(int64(len(x) * 8))
			for b.Loop() {
				maxContig(x)
			}
		})
		b.Run("min32/"+name, func(b *testing.B) {
			useSIMD = simd
			defer func() { useSIMD = true }()
			b.SetBytes(int64(len(f) * 4))
			for b.Loop() {
				minContig(f)
			}
		})
	}
}
