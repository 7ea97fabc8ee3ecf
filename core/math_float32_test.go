package core

import (
	"math"
	"math/big"
	"math/rand"
	"testing"
)

// TestFma32RoundsOnce: fma32 against a*b + c computed exactly with
// math/big and rounded once to float32, on random operands (exponents
// far apart and cancellations included) and on sums that fall on float32
// midpoints.
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
	for i := 0; i < 200000; i++ {
		a, b, c := rnd(), rnd(), rnd()
		if i%4 == 0 {
			c = -float32(float64(a) * float64(b)) // cancellation
		}
		if i%4 == 1 { // a*b = half an ulp of c less 2^-70: the float64 sum is a float32 midpoint
			c = 1 + float32(r.Intn(1<<20))*0x1p-23
			a, b = 0x1p-24*(1+0x1p-23), 1-0x1p-23
		}
		if got, want := fma32(a, b, c), exact(a, b, c); math.Float32bits(got) != math.Float32bits(want) {
			t.Fatalf("fma32(%g, %g, %g) = %g, want %g", a, b, c, got, want)
		}
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
