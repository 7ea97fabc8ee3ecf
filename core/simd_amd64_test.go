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
				x[i] = math.Abs(x[i]) // min may be a zero (+0 only)
			}
			if trial%11 == 0 && rng.IntN(20) == 0 {
				x[i] = math.Copysign(0, -1) // zeros of one sign or both
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

func TestSIMDBinaryMatchesPortable(t *testing.T) {
	if !useSIMD {
		t.Skip("no AVX2 on this CPU")
	}
	defer func() { useSIMD = true }()
	rng := rand.New(rand.NewPCG(9, 1))
	specials := []float64{math.NaN(), 0, math.Copysign(0, -1), math.Inf(1), math.Inf(-1), 1e-310, 1e300}
	val := func() float64 {
		if rng.IntN(8) == 0 {
			return specials[rng.IntN(len(specials))]
		}
		return rng.NormFloat64() * math.Pow(10, float64(rng.IntN(9)-4))
	}
	for _, n := range []int{0, 1, 7, 8, 9, 15, 16, 17, 100, 1023} {
		for op := OpAdd; op <= OpMaximum; op++ {
			a, b := make([]float64, n), make([]float64, n)
			for i := range a {
				a[i], b[i] = val(), val()
			}
			a32, b32 := make([]float32, n), make([]float32, n)
			for i := range a {
				a32[i], b32[i] = float32(a[i]), float32(b[i])
			}
			got, want := make([]float64, n), make([]float64, n)
			got32, want32 := make([]float32, n), make([]float32, n)
			useSIMD = true
			binaryContig(op, got, a, b)
			binaryContig(op, got32, a32, b32)
			useSIMD = false
			binaryContig(op, want, a, b)
			binaryContig(op, want32, a32, b32)
			for i := range got {
				if math.Float64bits(got[i]) != math.Float64bits(want[i]) && !(got[i] != got[i] && want[i] != want[i]) {
					t.Fatalf("float64 %v n=%d [%d]: AVX2 %v, portable %v", op, n, i, got[i], want[i])
				}
				if math.Float32bits(got32[i]) != math.Float32bits(want32[i]) && !(got32[i] != got32[i] && want32[i] != want32[i]) {
					t.Fatalf("float32 %v n=%d [%d]: AVX2 %v, portable %v", op, n, i, got32[i], want32[i])
				}
			}
			// in place: d is a
			useSIMD = true
			c := append([]float64(nil), a...)
			binaryContig(op, c, c, b)
			for i := range c {
				if math.Float64bits(c[i]) != math.Float64bits(want[i]) && !(c[i] != c[i] && want[i] != want[i]) {
					t.Fatalf("in place float64 %v n=%d [%d]: %v, want %v", op, n, i, c[i], want[i])
				}
			}
		}
	}
}

func BenchmarkSIMDAdd(b *testing.B) {
	x, y, z := make([]float64, 1024), make([]float64, 1024), make([]float64, 1024)
	for _, simd := range []bool{true, false} {
		b.Run(map[bool]string{true: "avx2", false: "portable"}[simd], func(b *testing.B) {
			useSIMD = simd
			defer func() { useSIMD = true }()
			b.SetBytes(3 * 8 * 1024)
			for b.Loop() {
				binaryContig(OpAdd, z, x, y)
			}
		})
	}
}

func TestSIMDScaleMatchesPortable(t *testing.T) {
	if !useSIMD {
		t.Skip("no AVX2 on this CPU")
	}
	defer func() { useSIMD = true }()
	rng := rand.New(rand.NewPCG(2, 8))
	for _, n := range []int{15, 16, 17, 31, 33, 1000} {
		x := make([]float64, n)
		for i := range x {
			x[i] = rng.NormFloat64() * 1e3
		}
		x[0], x[n-1] = math.NaN(), math.Inf(-1)
		for _, s := range []float64{0.999999, -3, 0, math.Inf(1), 1e-320} {
			a, b := append([]float64(nil), x...), append([]float64(nil), x...)
			f, g := make([]float32, n), make([]float32, n)
			for i := range x {
				f[i], g[i] = float32(x[i]), float32(x[i])
			}
			useSIMD = true
			if okA, okF := simdScale(a, s), simdScale(f, float32(s)); okA != (n >= 16) || okF != (n >= 16) {
				t.Fatalf("n=%d: simdScale took float64 %v, float32 %v", n, okA, okF)
			} else if !okA {
				for i := range a {
					a[i] *= s
					f[i] *= float32(s)
				}
			}
			useSIMD = false
			for i := range b {
				b[i] *= s
				g[i] *= float32(s)
			}
			for i := range a {
				if math.Float64bits(a[i]) != math.Float64bits(b[i]) && !(a[i] != a[i] && b[i] != b[i]) {
					t.Fatalf("float64 n=%d s=%v [%d]: %v vs %v", n, s, i, a[i], b[i])
				}
				if math.Float32bits(f[i]) != math.Float32bits(g[i]) && !(f[i] != f[i] && g[i] != g[i]) {
					t.Fatalf("float32 n=%d s=%v [%d]: %v vs %v", n, s, i, f[i], g[i])
				}
			}
		}
	}
}
