package core

import (
	"fmt"
	"math"
	"unsafe"
)

// UnaryOp selects an elementwise kernel of one operand.
type UnaryOp uint8

// The unary kernels, numpy's ufuncs of the same names.
const (
	OpNegative UnaryOp = iota
	OpAbsolute
	OpSqrt
	OpExp
	OpLog
)

var unaryNames = [...]string{"negative", "absolute", "sqrt", "exp", "log"}

func (op UnaryOp) String() string {
	if int(op) < len(unaryNames) {
		return unaryNames[op]
	}
	return fmt.Sprintf("UnaryOp(%d)", uint8(op))
}

// Unary computes dst = op(src) elementwise, with src broadcast to dst's
// shape. dst has src's dtype, except for the absolute value of a complex
// dtype, which is real (float32 for complex64, float64 for complex128) as
// in numpy. negative refuses bool (as numpy does); sqrt, exp and log run on
// the floating-point and complex dtypes only (numpy computes them for
// integers in a floating dtype: callers cast first). float16 is computed in
// float32 and rounded, as numpy does. If dst overlaps src in a way that
// would change the result, src is copied first; checks happen before any
// element is written.
func Unary(ex *Exec, op UnaryOp, dst, src *Array) error {
	if op > OpLog {
		return fmt.Errorf("%w: unknown unary kernel %v", ErrValue, op)
	}
	want := src.dtype
	if op == OpAbsolute {
		want = realDType(src.dtype)
	}
	if dst.dtype != want || !want.Valid() {
		return fmt.Errorf("%w: %v of %v gives %v, not %v", ErrDType, op, src.dtype, want, dst.dtype)
	}
	run := unaryRunFor(op, src.dtype)
	if run == nil {
		if op == OpNegative && src.dtype == Bool {
			return fmt.Errorf("%w: the numpy boolean negative, the `-` operator, is not supported, "+
				"use the `~` operator or the logical_not function instead", ErrDType)
		}
		return fmt.Errorf("%w: %v is not implemented for %v (cast to a floating dtype first)", ErrDType, op, src.dtype)
	}
	if dst.readonly {
		return fmt.Errorf("%w: output array is read-only", ErrReadOnly)
	}
	sb, err := src.BroadcastTo(dst.shape)
	if err != nil {
		return fmt.Errorf("%w: non-broadcastable operand with shape %s doesn't match the output shape %s",
			ErrShape, shapeString(src.shape), shapeString(dst.shape))
	}
	if dst.Size() == 0 {
		return nil
	}
	if elementwiseOverlap(dst, sb) {
		c, err := sb.Copy(DefaultAllocator(), 'K')
		if err != nil {
			return err
		}
		defer c.Release()
		sb = c
	}
	grain := Grain
	if op >= OpSqrt {
		grain = Grain / 8 // a libm call per element: smaller chunks balance better
	}
	return runElementwise(ex, dst, sb, run, grain)
}

// realDType is the dtype of the real part of d (d itself if d is real).
func realDType(d DType) DType {
	switch d {
	case Complex64:
		return Float32
	case Complex128:
		return Float64
	}
	return d
}

// unaryRunFor returns the loop of op on dtype d, or nil if there is none.
func unaryRunFor(op UnaryOp, d DType) elemRun {
	switch op {
	case OpNegative:
		return negativeRunFor(d)
	case OpAbsolute:
		return absoluteRunFor(d)
	}
	var f64 func(float64) float64
	var c128 func(complex128) complex128
	switch op {
	case OpSqrt:
		f64, c128 = math.Sqrt, csqrt
	case OpExp:
		f64, c128 = math.Exp, cexp
	case OpLog:
		f64, c128 = logFull, clog
	}
	// float32 results computed in float64 and rounded once are within
	// half an ulp of the exact value (sqrt is correctly rounded).
	f32 := func(v float32) float32 { return float32(f64(float64(v))) }
	switch {
	case op == OpSqrt && d == Float32:
		return sqrtRun[float32]
	case op == OpSqrt && d == Float64:
		return sqrtRun[float64]
	case op == OpExp && d == Float32:
		return realFuncRun[float32](math.Exp)
	case op == OpExp && d == Float64:
		return realFuncRun[float64](math.Exp)
	case op == OpLog && d == Float32:
		return realFuncRun[float32](logFull)
	case op == OpLog && d == Float64:
		return realFuncRun[float64](logFull)
	}
	switch d {
	case Float16:
		return mapRun(func(h uint16) uint16 { return Float16FromFloat32(f32(Float16ToFloat32(h))) })
	case Float32:
		return mapRun(f32)
	case Float64:
		return mapRun(f64)
	case Complex64:
		return mapRun(func(v complex64) complex64 { return complex64(c128(complex128(v))) })
	case Complex128:
		return mapRun(c128)
	}
	return nil
}

func negativeRunFor(d DType) elemRun {
	switch d {
	case Int8:
		return negRun[int8]
	case Int16:
		return negRun[int16]
	case Int32:
		return negRun[int32]
	case Int64:
		return negRun[int64]
	case Uint8:
		return negRun[uint8]
	case Uint16:
		return negRun[uint16]
	case Uint32:
		return negRun[uint32]
	case Uint64:
		return negRun[uint64]
	case Float16: // flip the sign bit, NaN included, as numpy does
		return signBitRun[uint16](false, 1<<15)
	case Float32:
		return signBitRun[uint32](false, 1<<31)
	case Float64:
		return signBitRun[uint64](false, 1<<63)
	case Complex64:
		return complexParts(signBitRun[uint32](false, 1<<31), 4)
	case Complex128:
		return complexParts(signBitRun[uint64](false, 1<<63), 8)
	}
	return nil
}

func absoluteRunFor(d DType) elemRun {
	switch d {
	case Bool, Uint8, Uint16, Uint32, Uint64:
		return elemRunFor(d, d)
	case Int8:
		return absIntRun[int8]
	case Int16:
		return absIntRun[int16]
	case Int32:
		return absIntRun[int32]
	case Int64:
		return absIntRun[int64]
	case Float16: // clear the sign bit
		return signBitRun[uint16](true, 1<<15)
	case Float32:
		return signBitRun[uint32](true, 1<<31)
	case Float64:
		return signBitRun[uint64](true, 1<<63)
	case Complex64:
		return absComplexRun[float32]
	case Complex128:
		return absComplexRun[float64]
	}
	return nil
}

// sqrtRun and absComplexRun are the hot loops of sqrt and |complex|
// written out: a call through mapRun's function value costs as much as
// the square root itself.
func sqrtRun[T float32 | float64](d unsafe.Pointer, ds int, s unsafe.Pointer, ss int, n int) {
	var zero T
	size := int(unsafe.Sizeof(zero))
	if ds == size && ss == size {
		dd, sl := sliceAt[T](d, n), sliceAt[T](s, n)
		for i := range dd {
			dd[i] = T(math.Sqrt(float64(sl[i])))
		}
		return
	}
	for i := 0; i < n; i++ {
		*at[T](d, i*ds) = T(math.Sqrt(float64(*at[T](s, i*ss))))
	}
}

// realFuncRun applies f, computing float32 elements in float64.
func realFuncRun[T float32 | float64](f func(float64) float64) elemRun {
	var zero T
	size := int(unsafe.Sizeof(zero))
	return func(d unsafe.Pointer, ds int, s unsafe.Pointer, ss int, n int) {
		if ds == size && ss == size {
			dd, sl := sliceAt[T](d, n), sliceAt[T](s, n)
			for i := range dd {
				dd[i] = T(f(float64(sl[i])))
			}
			return
		}
		for i := 0; i < n; i++ {
			*at[T](d, i*ds) = T(f(float64(*at[T](s, i*ss))))
		}
	}
}

func absComplexRun[F float32 | float64](d unsafe.Pointer, ds int, s unsafe.Pointer, ss int, n int) {
	for i := 0; i < n; i++ {
		v := *at[[2]F](s, i*ss)
		*at[F](d, i*ds) = F(accurateHypot(float64(v[0]), float64(v[1])))
	}
}

// negRun is integer negation with wrap-around (numpy's, for unsigned too).
func negRun[T Number](d unsafe.Pointer, ds int, s unsafe.Pointer, ss int, n int) {
	var zero T
	size := int(unsafe.Sizeof(zero))
	if ds == size && ss == size {
		dd, sl := sliceAt[T](d, n), sliceAt[T](s, n)
		for i := range dd {
			dd[i] = -sl[i]
		}
		return
	}
	for i := 0; i < n; i++ {
		*at[T](d, i*ds) = -*at[T](s, i*ss)
	}
}

func absIntRun[T int8 | int16 | int32 | int64](d unsafe.Pointer, ds int, s unsafe.Pointer, ss int, n int) {
	for i := 0; i < n; i++ {
		v := *at[T](s, i*ss)
		if v < 0 {
			v = -v // the most negative value stays itself, as in numpy
		}
		*at[T](d, i*ds) = v
	}
}

// complexParts applies run, a loop over real values of partSize bytes, to
// both parts of complex elements: as one run of 2n values when the
// elements are contiguous, else to the real and the imaginary parts.
func complexParts(run elemRun, partSize int) elemRun {
	return func(d unsafe.Pointer, ds int, s unsafe.Pointer, ss int, n int) {
		if ds == 2*partSize && ss == 2*partSize {
			run(d, partSize, s, partSize, 2*n)
			return
		}
		run(d, ds, s, ss, n)
		run(unsafe.Add(d, partSize), ds, unsafe.Add(s, partSize), ss, n)
	}
}

// signBitRun flips (clear=false) or clears (clear=true) the sign bit of
// floating-point values read as the unsigned integers U.
func signBitRun[U uint16 | uint32 | uint64](clear bool, bit U) elemRun {
	var zero U
	size := int(unsafe.Sizeof(zero))
	return func(d unsafe.Pointer, ds int, s unsafe.Pointer, ss int, n int) {
		if ds == size && ss == size {
			dd, sl := sliceAt[U](d, n), sliceAt[U](s, n)
			if clear {
				for i := range dd {
					dd[i] = sl[i] &^ bit
				}
			} else {
				for i := range dd {
					dd[i] = sl[i] ^ bit
				}
			}
			return
		}
		for i := 0; i < n; i++ {
			v := *at[U](s, i*ss)
			if clear {
				v &^= bit
			} else {
				v ^= bit
			}
			*at[U](d, i*ds) = v
		}
	}
}

// ---- complex functions ----------------------------------------------------
//
// numpy calls the C library's csqrt, cexp and clog (glibc on Linux); these
// follow glibc's algorithms and C99 Annex G's special values (infinities,
// NaNs, signed zeros) so that goarray and numpy agree on them exactly and
// on finite values to an ulp or two. complex64 is computed in complex128.

// accurateHypot is sqrt(x*x + y*y) without undue overflow or underflow, correctly
// rounded in nearly all cases (Borges' fused correction, as glibc's).
// accurateHypot(±inf, NaN) is +inf, as C99 requires.
func accurateHypot(x, y float64) float64 {
	x, y = math.Abs(x), math.Abs(y)
	if math.IsInf(x, 0) || math.IsInf(y, 0) {
		return math.Inf(1)
	}
	if x != x || y != y {
		return math.NaN()
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

// ---- clip -------------------------------------------------------------------

// Clip computes dst = min(max(x, lo), hi) elementwise as numpy.clip does,
// with x, lo and hi broadcast to dst's shape. A nil lo or hi is no bound on
// that side (numpy.clip then calls numpy.maximum or numpy.minimum alone,
// which agree; with neither bound it is a copy). All operands share dst's
// dtype. A NaN in x or in a bound gives NaN; where lo > hi the result is
// hi; complex values are ordered lexicographically (real part first), as
// numpy orders them. If dst overlaps an input in a way that would change
// the result, that input is copied first; checks happen before any element
// is written.
func Clip(ex *Exec, dst, x, lo, hi *Array) error {
	if x == nil {
		return fmt.Errorf("%w: clip needs an input array", ErrValue)
	}
	ins := [3]*Array{x, lo, hi}
	for _, in := range ins {
		if in != nil && in.dtype != dst.dtype {
			return fmt.Errorf("%w: clip needs operands of one dtype, got %v for an output of %v", ErrDType, in.dtype, dst.dtype)
		}
	}
	run := clipRunFor(dst.dtype, lo != nil && hi != nil)
	if run == nil {
		return fmt.Errorf("%w: clip is not implemented for %v", ErrDType, dst.dtype)
	}
	if dst.readonly {
		return fmt.Errorf("%w: output array is read-only", ErrReadOnly)
	}
	for k, in := range ins {
		if in == nil {
			continue
		}
		b, err := in.BroadcastTo(dst.shape)
		if err != nil {
			return fmt.Errorf("%w: operand with shape %s could not be broadcast to the output shape %s",
				ErrShape, shapeString(in.shape), shapeString(dst.shape))
		}
		ins[k] = b
	}
	if dst.Size() == 0 {
		return nil
	}
	// A missing bound is the identity of max (lo) or min (hi), read with
	// stride 0: every loop then clips on both sides.
	identity := clipIdentities(dst.dtype)
	ptrs := [4]unsafe.Pointer{dst.Data()}
	strides := [][]int{dst.strides, nil, nil, nil}
	for k, in := range ins {
		if in == nil {
			ptrs[k+1] = unsafe.Pointer(&identity[k-1])
			strides[k+1] = make([]int, len(dst.shape))
			continue
		}
		if elementwiseOverlap(dst, in) {
			c, err := in.Copy(DefaultAllocator(), 'K')
			if err != nil {
				return err
			}
			defer c.Release()
			in = c
		}
		ptrs[k+1], strides[k+1] = in.Data(), in.strides
	}
	r := makeRows(dst.shape, strides...)
	return parallelChunks(ex, r.NRows*r.Inner, Grain, elemChunksPerWorker, func(_, lo, hi int) {
		r.forSpan(lo, hi, func(offs []int, n int) {
			var p [4]unsafe.Pointer
			var st [4]int
			for k := range p {
				p[k], st[k] = unsafe.Add(ptrs[k], offs[k]), r.InnerSt[k]
			}
			run(p, st, n)
		})
	})
}

// clipRun clips n elements: p and st are the addresses and byte strides of
// dst, x, lo and hi.
type clipRun func(p [4]unsafe.Pointer, st [4]int, n int)

// clipRunFor returns the loop for dtype d; both says whether both bounds
// are given (for complex dtypes, numpy.clip and numpy.maximum/minimum
// differ on NaNs: see clipComplexRun).
func clipRunFor(d DType, both bool) clipRun {
	switch d {
	case Bool, Uint8:
		return clipRealRun[uint8]
	case Int8:
		return clipRealRun[int8]
	case Int16:
		return clipRealRun[int16]
	case Int32:
		return clipRealRun[int32]
	case Int64:
		return clipRealRun[int64]
	case Uint16:
		return clipRealRun[uint16]
	case Uint32:
		return clipRealRun[uint32]
	case Uint64:
		return clipRealRun[uint64]
	case Float16:
		return clipHalfRun
	case Float32:
		return clipRealRun[float32]
	case Float64:
		return clipRealRun[float64]
	case Complex64:
		return clipComplexRun[float32](both)
	case Complex128:
		return clipComplexRun[float64](both)
	}
	return nil
}

// clipIdentities returns the bits of the smallest and the largest value of
// d (-inf and +inf for floating dtypes, both parts for complex ones).
func clipIdentities(d DType) *[2][16]byte {
	var b [2][16]byte
	lo, hi := unsafe.Pointer(&b[0]), unsafe.Pointer(&b[1])
	switch d {
	case Bool, Uint8, Uint16, Uint32, Uint64:
		for i := 0; i < d.Size(); i++ {
			b[1][i] = 0xff
		}
		if d == Bool {
			b[1][0] = 1
		}
	case Int8:
		*(*int8)(lo), *(*int8)(hi) = math.MinInt8, math.MaxInt8
	case Int16:
		*(*int16)(lo), *(*int16)(hi) = math.MinInt16, math.MaxInt16
	case Int32:
		*(*int32)(lo), *(*int32)(hi) = math.MinInt32, math.MaxInt32
	case Int64:
		*(*int64)(lo), *(*int64)(hi) = math.MinInt64, math.MaxInt64
	case Float16:
		*(*uint16)(lo), *(*uint16)(hi) = 0xfc00, 0x7c00
	case Float32, Complex64:
		*(*[2]float32)(lo) = [2]float32{float32(math.Inf(-1)), float32(math.Inf(-1))}
		*(*[2]float32)(hi) = [2]float32{float32(math.Inf(1)), float32(math.Inf(1))}
	case Float64, Complex128:
		*(*[2]float64)(lo) = [2]float64{math.Inf(-1), math.Inf(-1)}
		*(*[2]float64)(hi) = [2]float64{math.Inf(1), math.Inf(1)}
	}
	return &b
}

func clipRealRun[T Real](p [4]unsafe.Pointer, st [4]int, n int) {
	for i := 0; i < n; i++ {
		*at[T](p[0], i*st[0]) = clipReal(*at[T](p[1], i*st[1]), *at[T](p[2], i*st[2]), *at[T](p[3], i*st[3]))
	}
}

// clipReal is numpy's _NPY_CLIP: min(max(v, lo), hi), where a NaN operand
// gives NaN. Go's min and max have exactly that rule for floats and
// compile without branches, which matters: random data makes the branches
// of a comparison unpredictable.
func clipReal[T Real](v, lo, hi T) T {
	return min(max(v, lo), hi)
}

func clipHalfRun(p [4]unsafe.Pointer, st [4]int, n int) {
	for i := 0; i < n; i++ {
		v, lo, hi := *at[uint16](p[1], i*st[1]), *at[uint16](p[2], i*st[2]), *at[uint16](p[3], i*st[3])
		fv, flo, fhi := Float16ToFloat32(v), Float16ToFloat32(lo), Float16ToFloat32(hi)
		switch {
		case fv != fv:
		case flo != flo || flo > fv:
			v, fv = lo, flo
		}
		if fv == fv && (fhi != fhi || fhi < fv) {
			v = hi
		}
		*at[uint16](p[0], i*st[0]) = v
	}
}

// clipComplexRun orders complex values lexicographically, as numpy does,
// with numpy's two NaN rules: numpy.clip (both bounds) keeps x when it has
// a NaN and otherwise compares plainly, so a bound with a NaN only wins
// where the comparison says so; numpy.maximum and numpy.minimum (one
// bound) return a NaN operand, x's first.
func clipComplexRun[F float32 | float64](both bool) clipRun {
	isNaN := func(c [2]F) bool { return c[0] != c[0] || c[1] != c[1] }
	if both {
		ge := func(a, b [2]F) bool { return a[0] > b[0] || (a[0] == b[0] && a[1] >= b[1]) }
		le := func(a, b [2]F) bool { return a[0] < b[0] || (a[0] == b[0] && a[1] <= b[1]) }
		return func(p [4]unsafe.Pointer, st [4]int, n int) {
			for i := 0; i < n; i++ {
				v, lo, hi := *at[[2]F](p[1], i*st[1]), *at[[2]F](p[2], i*st[2]), *at[[2]F](p[3], i*st[3])
				if !isNaN(v) && !ge(v, lo) {
					v = lo
				}
				if !isNaN(v) && !le(v, hi) {
					v = hi
				}
				*at[[2]F](p[0], i*st[0]) = v
			}
		}
	}
	less := func(a, b [2]F) bool { return a[0] < b[0] || (a[0] == b[0] && a[1] < b[1]) }
	return func(p [4]unsafe.Pointer, st [4]int, n int) {
		for i := 0; i < n; i++ {
			v, lo, hi := *at[[2]F](p[1], i*st[1]), *at[[2]F](p[2], i*st[2]), *at[[2]F](p[3], i*st[3])
			switch {
			case isNaN(v):
			case isNaN(lo) || less(v, lo):
				v = lo
			}
			if !isNaN(v) && (isNaN(hi) || less(hi, v)) {
				v = hi
			}
			*at[[2]F](p[0], i*st[0]) = v
		}
	}
}
