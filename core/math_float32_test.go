package core

import (
	"math"
	"math/big"
	"math/rand"
	"testing"
)

// TestFma32RoundsOnce: fma32, and fmaQ (the quick fused multiply-add of
// the float32 exp and log polynomials) where it does not ask for a
// recomputation, against a*b + c computed exactly with math/big and
// rounded once to float32, bit for bit: random operands with exponents
// far apart, cancellations (exact, and within about 1e-7), sums that fall
// on float32 midpoints or below float32's normal range, and normal
// operands that straddle float32 rounding boundaries.
func TestFma32RoundsOnce(t *testing.T) {
	r := rand.New(rand.NewSource(3))
	exact := func(a, b, c float32) float32 {
		p := new(big.Float).SetPrec(400).SetFloat64(float64(a))
		p.Mul(p, new(big.Float).SetPrec(400).SetFloat64(float64(b)))
		p.Add(p, new(big.Float).SetPrec(400).SetFloat64(float64(c)))
		f, _ := p.Float32()
		return f
	}
	rnd := func() float32 {
		return float32(math.Ldexp(r.Float64()*2-1, r.Intn(80)-40))
	}
	check := func(a, b, c float32) {
		t.Helper()
		want := math.Float32bits(exact(a, b, c))
		if got := math.Float32bits(fma32(a, b, c)); got != want {
			t.Fatalf("fma32(%g, %g, %g) = %#x, want %#x", a, b, c, got, want)
		}
		var bad bool
		if got := math.Float32bits(float32(fmaQ(float64(a), float64(b), float64(c), &bad))); got != want && !bad {
			t.Fatalf("fmaQ(%g, %g, %g) = %#x, want %#x or a recomputation", a, b, c, got, want)
		}
	}
	for i := 0; i < 200000; i++ {
		a, b, c := rnd(), rnd(), rnd()
		if i%4 == 0 {
			c = -float32(float64(a) * float64(b)) // cancellation
		}
		if i%4 == 1 { // a*b = half an ulp of c less 2^-70: the float64 sum is a float32 midpoint
			c = 1 + float32(r.Intn(1<<20))*0x1p-23
			a, b = 0x1p-24*(1+0x1p-23), 1-0x1p-23
		}
		if i%4 == 2 { // sums below float32's normal range
			a = float32(math.Ldexp(r.Float64()*2-1, -r.Intn(30)-50))
			b = float32(math.Ldexp(r.Float64()*2-1, -r.Intn(30)-50))
			c = float32(math.Ldexp(r.Float64()*2-1, -r.Intn(30)-120))
		}
		check(a, b, c)
	}
	for i := 0; i < 200000; i++ {
		x, y := float32(r.NormFloat64()), float32(r.NormFloat64())
		z := -x * y * float32(1+r.NormFloat64()*1e-7) // near cancellation
		if i%3 == 0 {
			z = float32(r.NormFloat64() * math.Ldexp(1, r.Intn(60)-30))
		}
		check(x, y, z)
	}
}

// TestExpLogF32Numpy: values numpy 2.4 gives on x86 with AVX-512F.
func TestExpLogF32Numpy(t *testing.T) {
	for _, c := range []struct {
		f        func(float32) float32
		x        float32
		wantBits uint32
	}{
		{expF32Numpy, 1, 0x402df855}, // not the correctly rounded 0x402df854
		{expF32Numpy, -1, 0x3ebc5ab1},
		{expF32Numpy, 2.5, 0x4142eb7e},
		{expF32Numpy, float32(math.NaN()), 0x7fc00000},
		{expF32Numpy, 89, 0x7f800000},
		{expF32Numpy, -104, 0},
		{logF32Numpy, -1, 0xffc00000},
		{logF32Numpy, 0, 0xff800000},
		{logF32Numpy, float32(math.Inf(1)), 0x7f800000},
		{logF32Numpy, math.Float32frombits(0xffc00005), 0x7fc00000},
	} {
		if got := math.Float32bits(c.f(c.x)); got != c.wantBits {
			t.Errorf("f(%g) = %#x, want %#x", c.x, got, c.wantBits)
		}
	}
}
