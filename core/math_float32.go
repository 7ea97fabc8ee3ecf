package core

// numpy's float32 exp and log on x86 with AVX2/FMA3 or AVX-512F (its
// loops_exponent_log SIMD loops), transcribed element by element so that
// goarray's float32 results are numpy's bytes: a Cody-Waite reduction or
// an exponent/mantissa split, rational minimax polynomials evaluated with
// fused multiply-adds in float32, one float32 division. (Neither is
// correctly rounded: exp is within 2.52 ulp, log 3.83 ulp.)
//
// Each polynomial is evaluated twice over the same coefficients (the
// constants below): quickly (fmaQ: float32 values held in float64s, each
// fused multiply-add taken as the float64 sum rounded to float32) and,
// only for the rare elements where a quick step may round twice, exactly
// (fma32Finite). The two stay apart for speed: a step that may call
// fma32Finite is over Go's inlining budget, and a step chosen by a type
// parameter is an indirect call through the instantiation's dictionary;
// one Horner loop that recomputes a step exactly where needed, measured
// against these two paths (BenchmarkUnaryRandom), made float32 exp and
// log 25-75% slower.

import "math"

var (
	expf32XMax    = math.Float32frombits(0x42b17218) // 88.72283935546875
	expf32XMin    = math.Float32frombits(0xc2cff1b5) // -103.97208404541015625
	expf32Log2e   = math.Float32frombits(0x3fb8aa3b)
	expf32Magic   = math.Float32frombits(0x4b400000) // 0x1.8p23: adding it rounds to an integer
	expf32CodyHi  = math.Float32frombits(0xbf317200) // -ln 2, high part
	expf32CodyLo  = math.Float32frombits(0xb5bfbe8e) // -ln 2, low part
	logf32Ln2     = float32(0.693147180559945309417232121458176568)
	logf32Sqrt1_2 = float32(0.707106781186547524400844362104849039)
	nanF32        = math.Float32frombits(0x7fc00000)
	negNaNF32     = math.Float32frombits(0xffc00000)
)

// The polynomials' coefficients (numpy's npy_simd_data.h), rounded to
// float32 where they are used; the constant terms are 1, and 0 for log's
// numerator.
const (
	expP1, expP2, expP3, expP4, expP5 = 7.257664613233124478488e-01, 2.473615434895520810817e-01, 5.114512081637298353406e-02, 6.757896990527504603057e-03, 5.082762527590693718096e-04
	expQ1, expQ2                      = -2.742335390411667452936e-01, 2.159509375685829852307e-02
	logP1, logP2, logP3, logP4, logP5 = 9.999999999999998702752e-01, 2.112677543073053063722e+00, 1.480000633576506585156e+00, 3.808837741388407920751e-01, 2.589979117907922693523e-02
	logQ1, logQ2, logQ3, logQ4, logQ5 = 2.612677543073109236779e+00, 2.453006071784736363091e+00, 9.864942958519418960339e-01, 1.546476374983906719538e-01, 5.875095403124574342950e-03
)

// expF32Numpy is numpy's float32 exp: +NaN for a NaN, +inf from
// 88.72283935546875 up, 0 from -103.97208404541015625 down; else
// P(r)/Q(r) * 2^k with k = rint(x log2 e), r = x - k ln 2. The float32
// values are held in float64s (exactly) between the steps.
func expF32Numpy(x float32) float32 {
	switch {
	case x != x:
		return nanF32
	case x >= expf32XMax:
		return float32(math.Inf(1))
	case x <= expf32XMin:
		return 0
	}
	var bad bool
	k := float32(x * expf32Log2e)
	k = float32(float32(k+expf32Magic) - expf32Magic)
	kk := float64(k)
	r := fmaQ(kk, float64(expf32CodyHi), float64(x), &bad)
	r = fmaQ(kk, float64(expf32CodyLo), r, &bad)
	num := fmaQ(float64(float32(expP5)), r, float64(float32(expP4)), &bad)
	num = fmaQ(num, r, float64(float32(expP3)), &bad)
	num = fmaQ(num, r, float64(float32(expP2)), &bad)
	num = fmaQ(num, r, float64(float32(expP1)), &bad)
	num = fmaQ(num, r, 1, &bad)
	den := fmaQ(float64(float32(expQ2)), r, float64(float32(expQ1)), &bad)
	den = fmaQ(den, r, 1, &bad)
	poly := float32(float32(num) / float32(den))
	if bad {
		poly = expF32PolyExact(k, x)
	}
	// poly * 2^k, rounded once (AVX-512's scalef; AVX2's exponent add and
	// division by a power of two give the same)
	return float32(math.Ldexp(float64(poly), int(k)))
}

// expF32PolyExact is expF32Numpy's P(r)/Q(r) with every fused multiply-add
// exact (the slow path of the rare elements where a quick one may round
// twice).
func expF32PolyExact(k, x float32) float32 {
	r := fma32Finite(k, expf32CodyHi, x)
	r = fma32Finite(k, expf32CodyLo, r)
	num := fma32Finite(fma32Finite(fma32Finite(fma32Finite(fma32Finite(expP5, r, expP4), r, expP3), r, expP2), r, expP1), r, 1)
	den := fma32Finite(fma32Finite(expQ2, r, expQ1), r, 1)
	return num / den
}

// logF32Numpy is numpy's float32 log: +NaN for a NaN, -NaN for a
// negative number, -inf for ±0, +inf for +inf; else with x = m 2^e,
// m in (sqrt(1/2), sqrt(2)], P(m-1)/Q(m-1) + e ln 2.
func logF32Numpy(x float32) float32 {
	switch {
	case x != x:
		return nanF32
	case x < 0:
		return negNaNF32
	case x == 0:
		return float32(math.Inf(-1))
	case math.IsInf(float64(x), 1):
		return x
	}
	var bad bool
	m, ef := frexp32(x)
	if m <= logf32Sqrt1_2 {
		m, ef = m+m, ef-1
	}
	y := float64(float32(m - 1))
	num := fmaQ(float64(float32(logP5)), y, float64(float32(logP4)), &bad)
	num = fmaQ(num, y, float64(float32(logP3)), &bad)
	num = fmaQ(num, y, float64(float32(logP2)), &bad)
	num = fmaQ(num, y, float64(float32(logP1)), &bad)
	num = fmaQ(num, y, 0, &bad)
	den := fmaQ(float64(float32(logQ5)), y, float64(float32(logQ4)), &bad)
	den = fmaQ(den, y, float64(float32(logQ3)), &bad)
	den = fmaQ(den, y, float64(float32(logQ2)), &bad)
	den = fmaQ(den, y, float64(float32(logQ1)), &bad)
	den = fmaQ(den, y, 1, &bad)
	v := fmaQ(float64(ef), float64(logf32Ln2), float64(float32(float32(num)/float32(den))), &bad)
	if bad {
		return logF32Exact(float32(y), ef)
	}
	return float32(v)
}

// logF32Exact is logF32Numpy's P(y)/Q(y) + e ln 2 with every fused
// multiply-add exact (the slow path of the rare elements where a quick one
// may round twice).
func logF32Exact(y, ef float32) float32 {
	num := fma32Finite(fma32Finite(fma32Finite(fma32Finite(fma32Finite(logP5, y, logP4), y, logP3), y, logP2), y, logP1), y, 0)
	den := fma32Finite(fma32Finite(fma32Finite(fma32Finite(fma32Finite(logQ5, y, logQ4), y, logQ3), y, logQ2), y, logQ1), y, 1)
	return fma32Finite(ef, logf32Ln2, num/den)
}

// frexp32 is x = m 2^e with m in [0.5, 1), for finite x > 0 (subnormals
// included), e as a float32.
func frexp32(x float32) (m, e float32) {
	b, bias := math.Float32bits(x), int32(126)
	if b < 0x00800000 { // subnormal: scale by 2^23 first
		b, bias = math.Float32bits(x*0x1p23), 126+23
	}
	return math.Float32frombits(b&0x007fffff | 126<<23), float32(int32(b>>23) - bias)
}

// fmaQ is fma32 of float32 values held in float64s, without its check:
// the float64 sum rounded to float32, right unless the sum lies on a
// float32 midpoint or below the normal range, which sets *bad (the caller
// then recomputes exactly).
func fmaQ(a, b, c float64, bad *bool) float64 {
	s := a*b + c
	if u := math.Float64bits(s); u&(1<<29-1) == 1<<28 || u&^(1<<63) < 0x3810000000000000 {
		*bad = true
	}
	return float64(float32(s))
}
