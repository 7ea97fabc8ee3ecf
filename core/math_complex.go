package core

// The complex elementary functions of the unary kernels (and logFull, the
// real log they share). numpy calls the C library's csqrt, cexp and clog
// (glibc on Linux); these follow glibc's algorithms and C99 Annex G's special values (infinities,
// NaNs, signed zeros) so that goarray and numpy agree on them exactly and
// on finite values to an ulp or two. complex64 is computed in complex128.

import (
	"math"
	"unsafe"
)

// accurateHypot is sqrt(x*x + y*y) without undue overflow or underflow, correctly
// rounded in nearly all cases (Borges' fused correction, as glibc's).
// accurateHypot(±inf, NaN) is +inf, as C99 requires.
func accurateHypot(x, y float64) float64 {
	x, y = math.Abs(x), math.Abs(y)
	if math.IsInf(x, 0) || math.IsInf(y, 0) {
		return math.Inf(1)
	}
	if x != x || y != y {
		// numpy's |complex| (glibc's hypot): a NaN imaginary part beside
		// a real one is kept (quieted, its sign cleared); else the
		// default NaN.
		if x == x {
			return quietNaN(y)
		}
		return defaultNaN
	}
	if x < y {
		x, y = y, x
	}
	if y <= x*0x1p-54 { // includes y == 0; y*y is below half an ulp of x*x
		return x
	}
	scale := 1.0
	switch {
	case x > 0x1p+500:
		x, y, scale = x*0x1p-600, y*0x1p-600, 0x1p+600
	case x < 0x1p-450:
		x, y, scale = x*0x1p+600, y*0x1p+600, 0x1p-600
	}
	h := math.Sqrt(math.FMA(x, x, y*y))
	hh, xx := h*h, x*x
	e := math.FMA(-y, y, hh-xx) + math.FMA(h, h, -hh) - math.FMA(x, x, -xx)
	return (h - e/(2*h)) * scale
}

func csqrt(z complex128) complex128 {
	x, y := real(z), imag(z)
	switch {
	case math.IsInf(y, 0):
		return complex(math.Inf(1), y)
	case math.IsInf(x, -1):
		if y != y {
			return complex(math.NaN(), math.Copysign(math.Inf(1), y))
		}
		return complex(0, math.Copysign(math.Inf(1), y))
	case math.IsInf(x, 1):
		if y != y {
			return complex(x, math.NaN())
		}
		return complex(x, math.Copysign(0, y))
	case x != x || y != y:
		return complex(math.NaN(), math.NaN())
	case y == 0:
		if x < 0 {
			return complex(0, math.Copysign(math.Sqrt(-x), y))
		}
		return complex(math.Abs(math.Sqrt(x)), math.Copysign(0, y))
	case x == 0:
		var r float64
		if math.Abs(y) >= 2*minNormal64 {
			r = math.Sqrt(0.5 * math.Abs(y))
		} else {
			r = 0.5 * math.Sqrt(2*math.Abs(y))
		}
		return complex(r, math.Copysign(r, y))
	}
	scale := 0
	switch {
	case math.Abs(x) > math.MaxFloat64/4:
		scale, x, y = 1, math.Ldexp(x, -2), math.Ldexp(y, -2)
	case math.Abs(y) > math.MaxFloat64/4:
		scale = 1
		if math.Abs(x) >= 4*minNormal64 {
			x = math.Ldexp(x, -2)
		} else {
			x = 0
		}
		y = math.Ldexp(y, -2)
	case math.Abs(x) < 2*minNormal64 && math.Abs(y) < 2*minNormal64:
		scale = -(53 + 1) / 2
		x, y = math.Ldexp(x, -2*scale), math.Ldexp(y, -2*scale)
	}
	d := accurateHypot(x, y)
	var r, s float64
	// 2 Re(res) Im(res) = Im(z) avoids the cancellation in d - |Re z|.
	if x > 0 {
		r = math.Sqrt(0.5 * (d + x))
		if scale == 1 && math.Abs(y) < 1 {
			s = y / r
			r, scale = math.Ldexp(r, scale), 0
		} else {
			s = 0.5 * (y / r)
		}
	} else {
		s = math.Sqrt(0.5 * (d - x))
		if scale == 1 && math.Abs(y) < 1 {
			r = math.Abs(y / s)
			s, scale = math.Ldexp(s, scale), 0
		} else {
			r = math.Abs(0.5 * (y / s))
		}
	}
	if scale != 0 {
		r, s = math.Ldexp(r, scale), math.Ldexp(s, scale)
	}
	return complex(r, math.Copysign(s, y))
}

const minNormal64 = 0x1p-1022

func cexp(z complex128) complex128 {
	x, y := real(z), imag(z)
	finiteY := !math.IsInf(y, 0) && y == y
	switch {
	case math.IsInf(x, 0):
		switch {
		case finiteY:
			v := 0.0
			if x > 0 {
				v = x
			}
			if y == 0 {
				return complex(v, y)
			}
			sin, cos := sincosTiny(y)
			return complex(math.Copysign(v, cos), math.Copysign(v, sin))
		case x > 0:
			return complex(x, y-y) // inf - inf or NaN: NaN
		default:
			return complex(0, math.Copysign(0, y))
		}
	case x != x:
		if y == 0 {
			return complex(x, y)
		}
		return complex(x, math.NaN())
	case !finiteY:
		return complex(math.NaN(), math.NaN())
	}
	const t = 709 // (max exponent - 1) * ln 2: exp(t) is finite
	sin, cos := sincosTiny(y)
	if x > t {
		et := math.Exp(t)
		x -= t
		sin, cos = sin*et, cos*et
		if x > t {
			x -= t
			sin, cos = sin*et, cos*et
		}
	}
	if x > t { // overflow: only the signs are left
		return complex(math.MaxFloat64*cos, math.MaxFloat64*sin)
	}
	e := math.Exp(x)
	return complex(e*cos, e*sin)
}

// sincosTiny is math.Sincos except that tiny arguments give (y, 1) exactly.
func sincosTiny(y float64) (sin, cos float64) {
	if math.Abs(y) <= minNormal64 {
		return y, 1
	}
	return math.Sincos(y)
}

func clog(z complex128) complex128 {
	x, y := real(z), imag(z)
	switch {
	case x == 0 && y == 0:
		return complex(math.Inf(-1), atan2Odd(y, x))
	case x != x || y != y:
		if math.IsInf(x, 0) || math.IsInf(y, 0) {
			return complex(math.Inf(1), math.NaN())
		}
		return complex(math.NaN(), math.NaN())
	}
	ax, ay := math.Abs(x), math.Abs(y)
	if ax < ay {
		ax, ay = ay, ax
	}
	scale := 0
	switch {
	case ax > math.MaxFloat64/2:
		scale, ax = -1, math.Ldexp(ax, -1)
		if ay >= 2*minNormal64 {
			ay = math.Ldexp(ay, -1)
		} else {
			ay = 0
		}
	case ax < minNormal64 && ay < minNormal64:
		scale, ax, ay = 53, math.Ldexp(ax, 53), math.Ldexp(ay, 53)
	}
	var re float64
	if scale == 0 && ax >= 0.5 && ax < 2 {
		// |z| near 1: log|z| = log1p(|z|^2 - 1) / 2 with |z|^2 - 1 exact
		// to about an ulp (log(hypot) would lose its relative accuracy).
		re = math.Log1p(x2y2m1(ax, ay)) / 2
	} else {
		re = logFull(accurateHypot(ax, ay)) - float64(scale)*math.Ln2
	}
	return complex(re, atan2Odd(y, x))
}

// logFull is math.Log, also right for subnormal x: the amd64 assembly of
// math.Log does not normalise them (log(5e-324) gives -709.09, not
// -744.44; golang/go#56600).
func logFull(x float64) float64 {
	if x > 0 && x < minNormal64 {
		return math.Log(x*0x1p52) - 52*math.Ln2
	}
	return math.Log(x)
}

// atan2Odd is math.Atan2 computed as the odd function of y it is: Go's
// math.Atan2 divides y by x first, and a quotient that underflows to +0
// for negative y and x gives +pi instead of -pi.
func atan2Odd(y, x float64) float64 {
	return math.Copysign(math.Atan2(math.Abs(y), x), y)
}

// x2y2m1 is x*x + y*y - 1 with the products and sums kept exact until the
// last rounding (error-free transformations).
func x2y2m1(x, y float64) float64 {
	px := x * x
	ex := math.FMA(x, x, -px)
	py := y * y
	ey := math.FMA(y, y, -py)
	s, e1 := twoSumExact(px, -1)
	s, e2 := twoSumExact(s, py)
	return s + (e1 + e2 + ex + ey)
}

func twoSumExact(a, b float64) (s, e float64) {
	s = a + b
	bb := s - a
	e = (a - (s - bb)) + (b - bb)
	return s, e
}

// numpy's NaNs (x86, glibc): an operation on a NaN returns it quieted
// (payload and sign kept); an invalid operation on numbers gives the
// default NaN, 0xfff8000000000000 (the sign bit set) from the hardware,
// or +NaN, 0x7ff8000000000000, where the C library returns one.
var defaultNaN = math.Float64frombits(0x7ff8000000000000)

// negDefaultNaN is the NaN an x86 invalid operation gives.
var negDefaultNaN = math.Float64frombits(0xfff8000000000000)

// quietNaN is the NaN x quieted, as an arithmetic operation on it returns it.
func quietNaN(x float64) float64 {
	return math.Float64frombits(math.Float64bits(x) | 1<<51)
}

// expNumpy is numpy's float64 (and float16) exp: a NaN comes back quieted.
func expNumpy(x float64) float64 {
	if x != x {
		return quietNaN(x)
	}
	return math.Exp(x)
}

// logNumpy is numpy's float64 (and float16) log: a NaN comes back
// quieted, a negative number (-inf, -0 excluded) gives -NaN.
func logNumpy(x float64) float64 {
	switch {
	case x != x:
		return quietNaN(x)
	case x < 0:
		return negDefaultNaN
	}
	return logFull(x)
}

// defaultNaNs makes every NaN part of z the default +NaN, as numpy's
// complex sqrt, exp and log (glibc's) return them.
func defaultNaNs(z complex128) complex128 {
	re, im := real(z), imag(z)
	if re != re {
		re = defaultNaN
	}
	if im != im {
		im = defaultNaN
	}
	return complex(re, im)
}

func csqrtNumpy(z complex128) complex128 { return defaultNaNs(csqrt(z)) }

func clogNumpy(z complex128) complex128 { return defaultNaNs(clog(z)) }

// cexpNumpy: exp(+inf + iy) for y NaN or infinite is (+inf, y - y), the
// NaN of that subtraction (y quieted, or the x86 default -NaN); every
// other NaN part is +NaN.
func cexpNumpy(z complex128) complex128 {
	if math.IsInf(real(z), 1) {
		return cexp(z)
	}
	return defaultNaNs(cexp(z))
}

// cabsNumpy is |re + i im| as numpy's SIMD loop computes it in F: with
// l and s the larger and the smaller of |re| and |im|, l * sqrt(fma(r, r,
// 1)) for r = s / l (r = 0 where l is 0 or s infinite), each step rounded
// to F. An infinite part gives +inf; else a NaN imaginary part beside a
// real one is kept (quieted, its sign cleared), any other NaN is the
// default +NaN.
func cabsNumpy[F float32 | float64](re, im F) F {
	re, im = F(math.Abs(float64(re))), F(math.Abs(float64(im)))
	inf := F(math.Inf(1))
	switch {
	case re == inf || im == inf:
		return inf
	case im != im:
		if re == re {
			return F(quietNaN(float64(im)))
		}
		return F(defaultNaN)
	case re != re:
		return F(defaultNaN)
	}
	l, s := max(re, im), min(re, im)
	var r F
	if l != 0 {
		r = s / l
	}
	return F(math.Sqrt(float64(fmaOne(r)))) * l
}

// fmaOne is r*r + 1 rounded once to F (a fused multiply-add in F).
func fmaOne[F float32 | float64](r F) F {
	if unsafe.Sizeof(r) == 8 {
		return F(math.FMA(float64(r), float64(r), 1))
	}
	// float32: r*r is exact in float64; 1 + p rounded to float64 and then
	// to float32 could round twice, so a float64 sum that lands on a
	// float32 midpoint is nudged toward the exact value first.
	p := float64(r) * float64(r)
	sum := 1 + p
	e := p - (sum - 1) // the sum's rounding error (|p| <= 1: exact)
	if b := math.Float64bits(sum); b&(1<<29-1) == 1<<28 && e != 0 {
		if e > 0 {
			b++
		} else {
			b--
		}
		sum = math.Float64frombits(b)
	}
	return F(sum)
}
