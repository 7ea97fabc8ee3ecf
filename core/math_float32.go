package core

// numpy's float32 exp and log on x86 with AVX2/FMA3 or AVX-512F (its
// loops_exponent_log SIMD loops), transcribed element by element so that
// goarray's float32 results are numpy's bytes: a Cody-Waite reduction or
// an exponent/mantissa split, rational minimax polynomials evaluated with
// fused multiply-adds in float32, one float32 division. (Neither is
// correctly rounded: exp is within 2.52 ulp, log 3.83 ulp.)

import "math"

var (
	expf32XMax    = math.Float32frombits(0x42b17218) // 88.72283935546875
	expf32XMin    = math.Float32frombits(0xc2cff1b5) // -103.97208404541015625
	expf32Log2e   = math.Float32frombits(0x3fb8aa3b)
	expf32Magic   = math.Float32frombits(0x4b400000) // 0x1.8p23: adding it rounds to an integer
	expf32CodyHi  = math.Float32frombits(0xbf317200) // -ln 2, high part
	expf32CodyLo  = math.Float32frombits(0xb5bfbe8e) // -ln 2, low part
	expf32P       = [6]float32{1.0, 7.257664613233124478488e-01, 2.473615434895520810817e-01, 5.114512081637298353406e-02, 6.757896990527504603057e-03, 5.082762527590693718096e-04}
	expf32Q       = [3]float32{1.0, -2.742335390411667452936e-01, 2.159509375685829852307e-02}
	logf32P       = [6]float32{0, 9.999999999999998702752e-01, 2.112677543073053063722e+00, 1.480000633576506585156e+00, 3.808837741388407920751e-01, 2.589979117907922693523e-02}
	logf32Q       = [6]float32{1.0, 2.612677543073109236779e+00, 2.453006071784736363091e+00, 9.864942958519418960339e-01, 1.546476374983906719538e-01, 5.875095403124574342950e-03}
	logf32Ln2     = float32(0.693147180559945309417232121458176568)
	logf32Sqrt1_2 = float32(0.707106781186547524400844362104849039)
	nanF32        = math.Float32frombits(0x7fc00000)
	negNaNF32     = math.Float32frombits(0xffc00000)
)

// expF32Numpy is numpy's float32 exp: +NaN for a NaN, +inf from
// 88.72283935546875 up, 0 from -103.97208404541015625 down; else
// P(r)/Q(r) * 2^k with k = rint(x log2 e), r = x - k ln 2.
func expF32Numpy(x float32) float32 {
	switch {
	case x != x:
		return nanF32
	case x >= expf32XMax:
		return float32(math.Inf(1))
	case x <= expf32XMin:
		return 0
	}
	k := float32(x * expf32Log2e)
	k = float32(float32(k+expf32Magic) - expf32Magic)
	r := fma32(k, expf32CodyHi, x)
	r = fma32(k, expf32CodyLo, r)
	num := fma32(expf32P[5], r, expf32P[4])
	for i := 3; i >= 0; i-- {
		num = fma32(num, r, expf32P[i])
	}
	den := fma32(expf32Q[2], r, expf32Q[1])
	den = fma32(den, r, expf32Q[0])
	poly := float32(num / den)
	// poly * 2^k, rounded once (AVX-512's scalef; AVX2's exponent add and
	// division by a power of two give the same)
	return float32(math.Ldexp(float64(poly), int(k)))
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
	fm, e := math.Frexp(float64(x)) // fm in [0.5, 1), exact
	m, ef := float32(fm), float32(e)
	if m <= logf32Sqrt1_2 {
		m, ef = m+m, ef-1
	}
	y := float32(m - 1)
	num := fma32(logf32P[5], y, logf32P[4])
	for i := 3; i >= 0; i-- {
		num = fma32(num, y, logf32P[i])
	}
	den := fma32(logf32Q[5], y, logf32Q[4])
	for i := 3; i >= 0; i-- {
		den = fma32(den, y, logf32Q[i])
	}
	return fma32(ef, logf32Ln2, float32(num/den))
}

// fma32 is a*b + c rounded once to float32, as a float32 fused
// multiply-add: a*b is exact in float64 and the sum's rounding error is
// known exactly (TwoSum), so the float64 sum is rounded to float32 once,
// nudged first where it lies on a float32 midpoint the exact value is not.
func fma32(a, b, c float32) float32 {
	p, cc := float64(a)*float64(b), float64(c)
	s := p + cc
	if math.IsInf(s, 0) || s != s {
		return float32(s)
	}
	bb := s - p
	e := (p - (s - bb)) + (cc - bb)
	f := float32(s)
	if e == 0 || float64(f) == s || math.IsInf(float64(f), 0) {
		return f
	}
	n := math.Nextafter32(f, float32(math.Copysign(math.Inf(1), s-float64(f))))
	if s-float64(f) != float64(n)-s { // not a midpoint: f is the nearest
		return f
	}
	if (e > 0) == (float64(n) > s) {
		return n
	}
	return f
}
