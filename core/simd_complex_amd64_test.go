//go:build goexperiment.simd && amd64

package core

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// complexOperand draws a float64 part of a complex operand: normal values
// over a wide range, small integers times powers of two (exact products
// whose sums land on float32 and float64 rounding midpoints), values near
// float32's and float64's overflow and subnormal ranges, and the special
// values (NaNs of both signs and payloads, ±Inf, ±0).
func complexOperand(rng *rand.Rand, f32 bool) float64 {
	specials := []float64{math.NaN(), math.Float64frombits(0xfff8000000000000), math.Float64frombits(0x7ff4000000000001),
		0, math.Copysign(0, -1), math.Inf(1), math.Inf(-1), 1, -1}
	big, tiny := 1e300, 1e-310
	if f32 {
		big, tiny = 1e38, 1e-42
	}
	switch k := rng.IntN(16); {
	case k == 0:
		return specials[rng.IntN(len(specials))]
	case k <= 3:
		return float64(rng.IntN(1<<13)-1<<12) * math.Ldexp(1, rng.IntN(40)-20)
	case k == 4:
		return big * rng.NormFloat64()
	case k == 5:
		return tiny * rng.NormFloat64()
	case k == 6 && f32:
		return float64(float32(rng.NormFloat64()) * (1 + 0x1p-23)) // one more bit
	}
	return rng.NormFloat64() * math.Pow(10, float64(rng.IntN(13)-6))
}

// sameBits128 reports whether x and y have the same bits (NaNs included).
func sameBits128(x, y complex128) bool {
	return math.Float64bits(real(x)) == math.Float64bits(real(y)) && math.Float64bits(imag(x)) == math.Float64bits(imag(y))
}

func sameBits64(x, y complex64) bool {
	return math.Float32bits(real(x)) == math.Float32bits(real(y)) && math.Float32bits(imag(x)) == math.Float32bits(imag(y))
}

// The AVX2+FMA complex products give the portable loop's bits, NaN signs
// and payloads included: random and special operands, lengths with tails,
// in place, and the in-place product by a scalar (Scale).
func TestSIMDComplexMultiplyMatchesPortable(t *testing.T) {
	if !useSIMD || !hasFMA {
		t.Skip("no AVX2 and FMA on this CPU")
	}
	defer func() { useSIMD = true }()
	rng := rand.New(rand.NewPCG(4, 12))
	// cancelling products (ai*bi near ar*br) and operands from one list
	near := func(v float64) float64 { return v * (1 + rng.NormFloat64()*1e-7) }
	lengths := []int{0, 1, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 33, 100, 257, 1001, 4099}
	for trial := 0; trial < 300; trial++ {
		n := lengths[trial%len(lengths)]
		nanFree := trial%4 == 1 // the vector path all the way
		a, b := make([]complex128, n), make([]complex128, n)
		a32, b32 := make([]complex64, n), make([]complex64, n)
		for i := range a {
			ar, ai, br, bi := complexOperand(rng, false), complexOperand(rng, false), complexOperand(rng, false), complexOperand(rng, false)
			fr, fi, gr, gi := complexOperand(rng, true), complexOperand(rng, true), complexOperand(rng, true), complexOperand(rng, true)
			if trial%5 == 2 {
				ai, bi = near(ar), near(br)
				fi, gi = near(fr), near(gr)
			}
			if nanFree {
				ar, ai, br, bi = noNaN(ar), noNaN(ai), noNaN(br), noNaN(bi)
				fr, fi, gr, gi = noNaN(fr), noNaN(fi), noNaN(gr), noNaN(gi)
			}
			a[i], b[i] = complex(ar, ai), complex(br, bi)
			a32[i], b32[i] = complex(float32(fr), float32(fi)), complex(float32(gr), float32(gi))
		}
		checkCmul(t, n, a, b, a32, b32)
	}
}

func noNaN(v float64) float64 {
	if v != v {
		return 2.5
	}
	return v
}

func checkCmul(t *testing.T, n int, a, b []complex128, a32, b32 []complex64) {
	t.Helper()
	want, want32 := make([]complex128, n), make([]complex64, n)
	useSIMD = false
	binaryContig(OpMultiply, want, a, b)
	binaryContig(OpMultiply, want32, a32, b32)
	for i := range want {
		if w := cmul128(a[i], b[i]); !sameBits128(want[i], w) {
			t.Fatalf("portable loop %v, cmul128 %v", want[i], w)
		}
	}
	useSIMD = true
	got, got32 := make([]complex128, n), make([]complex64, n)
	binaryContig(OpMultiply, got, a, b)
	binaryContig(OpMultiply, got32, a32, b32)
	// in place: d is a, then d is b
	inA, inA32 := append([]complex128(nil), a...), append([]complex64(nil), a32...)
	binaryContig(OpMultiply, inA, inA, b)
	binaryContig(OpMultiply, inA32, inA32, b32)
	inB, inB32 := append([]complex128(nil), b...), append([]complex64(nil), b32...)
	binaryContig(OpMultiply, inB, a, inB)
	binaryContig(OpMultiply, inB32, a32, inB32)
	for i := range got {
		for k, g := range []complex128{got[i], inA[i], inB[i]} {
			if !sameBits128(g, want[i]) {
				t.Fatalf("complex128 n=%d [%d] (%d): (%v)*(%v): AVX2 %v (%#x %#x), portable %v (%#x %#x)", n, i, k, a[i], b[i],
					g, math.Float64bits(real(g)), math.Float64bits(imag(g)), want[i], math.Float64bits(real(want[i])), math.Float64bits(imag(want[i])))
			}
		}
		for k, g := range []complex64{got32[i], inA32[i], inB32[i]} {
			if !sameBits64(g, want32[i]) {
				t.Fatalf("complex64 n=%d [%d] (%d): (%v)*(%v): AVX2 %v (%#x %#x), portable %v (%#x %#x)", n, i, k, a32[i], b32[i],
					g, math.Float32bits(real(g)), math.Float32bits(imag(g)), want32[i], math.Float32bits(real(want32[i])), math.Float32bits(imag(want32[i])))
			}
		}
	}
	if n == 0 {
		return
	}
	// d *= s, s one of b's elements
	s, s32 := b[n/2], b32[n/2]
	sc, sc32 := append([]complex128(nil), a...), append([]complex64(nil), a32...)
	scaleContig(sc, s)
	scaleContig(sc32, s32)
	for i := range sc {
		if w := cmul128(a[i], s); !sameBits128(sc[i], w) {
			t.Fatalf("complex128 scale n=%d [%d]: (%v)*(%v) = %v, portable %v", n, i, a[i], s, sc[i], w)
		}
		if w := cmul64(a32[i], s32); !sameBits64(sc32[i], w) {
			t.Fatalf("complex64 scale n=%d [%d]: (%v)*(%v) = %v, portable %v", n, i, a32[i], s32, sc32[i], w)
		}
	}
}

// Every pair of special and boundary values, in every position of a
// vector block and of the tail.
func TestSIMDComplexMultiplySpecials(t *testing.T) {
	if !useSIMD || !hasFMA {
		t.Skip("no AVX2 and FMA on this CPU")
	}
	defer func() { useSIMD = true }()
	vals := []float64{0, math.Copysign(0, -1), 1, -1, 0.5, 3, math.Inf(1), math.Inf(-1), math.NaN(),
		math.Float64frombits(0xfff8000000000000), math.Float64frombits(0x7ff0000000000001), math.MaxFloat64, 1e200,
		math.SmallestNonzeroFloat64, 1e-160, math.MaxFloat32, 2e19, 1e-40, math.SmallestNonzeroFloat32}
	var a, b []complex128
	for _, ar := range vals {
		for _, ai := range vals {
			for _, br := range vals {
				for _, bi := range vals[:12] {
					a, b = append(a, complex(ar, ai)), append(b, complex(br, bi))
				}
			}
		}
	}
	a32, b32 := make([]complex64, len(a)), make([]complex64, len(b))
	for i := range a {
		a32[i], b32[i] = complex64(a[i]), complex64(b[i])
	}
	for _, off := range []int{0, 1, 2, 3, 5, 7} {
		n := len(a) - off
		checkCmul(t, n, a[off:], b[off:], a32[off:], b32[off:])
	}
}

// BenchmarkComplexMultiply: one goroutine's contiguous complex products,
// the AVX2+FMA loop and the portable one, random operands without NaNs.
// The portable runs start with clean upper vector halves, as they do on a
// CPU with AVX2 (upperClean; without it, the SSE instructions among
// math.FMA's VEX ones pay a merge penalty each after the AVX2 runs).
func BenchmarkComplexMultiply(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, n := range []int{1000, 100000, 10000000} {
		x, y, z := make([]complex128, n), make([]complex128, n), make([]complex128, n)
		for i := range x {
			x[i] = complex(rng.NormFloat64(), rng.NormFloat64())
			y[i] = complex(rng.NormFloat64(), rng.NormFloat64())
		}
		x32, y32, z32 := make([]complex64, n), make([]complex64, n), make([]complex64, n)
		for i := range x {
			x32[i], y32[i] = complex64(x[i]), complex64(y[i])
		}
		for _, simd := range []bool{true, false} {
			name := map[bool]string{true: "avx2", false: "portable"}[simd]
			b.Run(fmt.Sprintf("c128/%d/%s", n, name), func(b *testing.B) {
				useSIMD = simd
				defer func() { useSIMD = true }()
				b.SetBytes(int64(3 * 16 * n))
				for b.Loop() {
					if !simd {
						clearUpper()
					}
					binaryContig(OpMultiply, z, x, y)
				}
			})
			b.Run(fmt.Sprintf("c64/%d/%s", n, name), func(b *testing.B) {
				useSIMD = simd
				defer func() { useSIMD = true }()
				b.SetBytes(int64(3 * 8 * n))
				for b.Loop() {
					if !simd {
						clearUpper()
					}
					binaryContig(OpMultiply, z32, x32, y32)
				}
			})
		}
	}
}
