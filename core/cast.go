package core

import (
	"fmt"
	"math"
	"math/bits"
	"unsafe"
)

// CopyCast copies src into dst converting every element to dst's dtype
// with numpy's "unsafe" casting (what ndarray.astype and numpy.copyto(...,
// casting="unsafe") do): integers wrap, floating-point values are rounded to
// nearest even, float to integer truncates toward zero, complex to real
// drops the imaginary part and anything to bool is "!= 0". Out-of-range
// float to integer conversions are undefined in numpy and give whatever the
// Go conversion gives. src is broadcast to dst's shape. If dst overlaps src
// in a way that would change the result, src is copied first; checks happen
// before any element is written.
//
// Deciding whether a cast is allowed (numpy's casting= rules) is the
// caller's business. A one-element src of dst's dtype is a fill (Array.Fill).
func CopyCast(ex *Exec, dst, src *Array) error {
	if !dst.dtype.Valid() || !src.dtype.Valid() {
		return fmt.Errorf("%w: cannot cast %v to %v", ErrDType, src.dtype, dst.dtype)
	}
	if dst.readonly {
		return fmt.Errorf("%w: assignment destination is read-only", ErrReadOnly)
	}
	sb, err := src.BroadcastTo(dst.shape)
	if err != nil {
		return fmt.Errorf("%w: could not broadcast input array from shape %s into shape %s",
			ErrShape, shapeString(src.shape), shapeString(dst.shape))
	}
	if dst.Size() == 0 {
		return nil
	}
	if src.Size() == 1 && src.dtype == dst.dtype && !elementwiseOverlap(dst, sb) {
		return dst.Fill(unsafe.Slice((*byte)(src.Data()), src.dtype.Size()))
	}
	if elementwiseOverlap(dst, sb) {
		c, err := sb.Copy(ex.allocator(), 'K')
		if err != nil {
			return err
		}
		defer c.Release()
		sb = c
	}
	return runElementwise(ex, dst, sb, elemRunFor(dst.dtype, src.dtype), Grain)
}

// runElementwise runs run over every element of dst and of src (already
// broadcast to dst's shape), in parallel chunks of grain elements.
func runElementwise(ex *Exec, dst, src *Array, run elemRun, grain int) error {
	r := makeRows(dst.shape, dst.strides, src.strides)
	dp, sp := dst.Data(), src.Data()
	return parallelChunks(ex, r.NRows*r.Inner, grain, elemChunksPerWorker, func(_, lo, hi int) {
		r.forSpan(lo, hi, func(offs []int, n int) {
			run(unsafe.Add(dp, offs[0]), r.InnerSt[0], unsafe.Add(sp, offs[1]), r.InnerSt[1], n)
		})
	})
}

// elementwiseOverlap reports whether an elementwise kernel that writes dst
// must copy the input in first: they share bytes and element i of dst does
// not sit exactly where element i of in starts (with in's elements at least
// as large, so writing element i only clobbers what was already read).
// It compares addresses, not Buffers: kernel operands that come from
// different exporters of one memory block have different Buffers.
func elementwiseOverlap(dst, in *Array) bool {
	if dst.Size() == 0 || in.Size() == 0 {
		return false
	}
	dlo, dhi := Extent(dst.shape, dst.strides, dst.dtype.Size())
	ilo, ihi := Extent(in.shape, in.strides, in.dtype.Size())
	dp, ip := uintptr(dst.Data()), uintptr(in.Data())
	if !(dp+uintptr(dlo) < ip+uintptr(ihi) && ip+uintptr(ilo) < dp+uintptr(dhi)) {
		return false
	}
	if dp != ip || dst.dtype.Size() > in.dtype.Size() || len(dst.shape) != len(in.shape) {
		return true
	}
	isize := in.dtype.Size()
	for i, d := range dst.shape {
		if d > 1 && (dst.strides[i] != in.strides[i] || absInt(in.strides[i]) < isize) {
			return true
		}
	}
	return false
}

func absInt(v int) int {
	if v < 0 {
		return -v
	}
	return v
}

// elemRun processes n elements: it reads them at s (byte stride ss) and
// writes the results at d (byte stride ds).
type elemRun func(d unsafe.Pointer, ds int, s unsafe.Pointer, ss int, n int)

// elemRunFor returns the conversion loop from src to dst.
func elemRunFor(dst, src DType) elemRun {
	if dst == src {
		size := dst.Size()
		return func(d unsafe.Pointer, ds int, s unsafe.Pointer, ss int, n int) {
			copyRun(d, ds, s, ss, n, size)
		}
	}
	switch src {
	case Bool:
		// numpy's bools are bytes holding 0 or 1: cast them as uint8.
		return castFromReal[uint8](dst)
	case Int8:
		return castFromReal[int8](dst)
	case Int16:
		return castFromReal[int16](dst)
	case Int32:
		return castFromReal[int32](dst)
	case Int64:
		return castFromReal[int64](dst)
	case Uint8:
		return castFromReal[uint8](dst)
	case Uint16:
		return castFromReal[uint16](dst)
	case Uint32:
		return castFromReal[uint32](dst)
	case Uint64:
		return castFromReal[uint64](dst)
	case Float16:
		return castFromHalf(dst)
	case Float32:
		return castFromReal[float32](dst)
	case Float64:
		return castFromReal[float64](dst)
	case Complex64:
		return castFromComplex[float32](dst)
	case Complex128:
		return castFromComplex[float64](dst)
	}
	panic("goarray/core: no cast from " + src.String())
}

func castFromReal[S Real](dst DType) elemRun {
	switch dst {
	case Bool:
		return mapRun(func(v S) uint8 { return b2u(v != 0) })
	case Int8:
		return convRun[S, int8]
	case Int16:
		return convRun[S, int16]
	case Int32:
		return convRun[S, int32]
	case Int64:
		return convRun[S, int64]
	case Uint8:
		return convRun[S, uint8]
	case Uint16:
		return convRun[S, uint16]
	case Uint32:
		return convRun[S, uint32]
	case Uint64:
		return convRun[S, uint64]
	case Float16:
		var zero S
		if _, ok := any(zero).(float32); ok {
			// Not through float64, which would quiet a signalling NaN.
			return mapRun(func(v S) uint16 { return Float16FromFloat32(float32(v)) })
		}
		// float64(v) is exact for every integer in float16's range.
		return mapRun(func(v S) uint16 { return Float16FromFloat64(float64(v)) })
	case Float32:
		return convRun[S, float32]
	case Float64:
		return convRun[S, float64]
	case Complex64:
		return mapRun(func(v S) [2]float32 { return [2]float32{float32(v), 0} })
	case Complex128:
		return mapRun(func(v S) [2]float64 { return [2]float64{float64(v), 0} })
	}
	panic("goarray/core: no cast to " + dst.String())
}

func castFromHalf(dst DType) elemRun {
	switch dst {
	case Bool:
		return mapRun(func(h uint16) uint8 { return b2u(h&0x7fff != 0) })
	case Float64:
		return mapRun(Float16ToFloat64)
	case Complex64:
		return mapRun(func(h uint16) [2]float32 { return [2]float32{Float16ToFloat32(h), 0} })
	case Complex128:
		return mapRun(func(h uint16) [2]float64 { return [2]float64{Float16ToFloat64(h), 0} })
	}
	// Every float16 is a float32: convert, then take float32's cast.
	switch dst {
	case Int8:
		return halfVia[int8]
	case Int16:
		return halfVia[int16]
	case Int32:
		return halfVia[int32]
	case Int64:
		return halfVia[int64]
	case Uint8:
		return halfVia[uint8]
	case Uint16:
		return halfVia[uint16]
	case Uint32:
		return halfVia[uint32]
	case Uint64:
		return halfVia[uint64]
	case Float16:
		return mapRun(func(h uint16) uint16 { return Float16FromFloat32(Float16ToFloat32(h)) })
	case Float32:
		return halfVia[float32]
	}
	panic("goarray/core: no cast to " + dst.String())
}

// halfVia casts float16 to D through float32, a block at a time. convRun
// is called directly (not through a function value), so the block stays
// on the stack.
func halfVia[D Real](d unsafe.Pointer, ds int, s unsafe.Pointer, ss int, n int) {
	var buf [256]float32
	for n > 0 {
		k := min(n, len(buf))
		for i := 0; i < k; i++ {
			buf[i] = Float16ToFloat32(*at[uint16](s, i*ss))
		}
		convRun[float32, D](d, ds, unsafe.Pointer(&buf), 4, k)
		d, s, n = unsafe.Add(d, k*ds), unsafe.Add(s, k*ss), n-k
	}
}

// castFromComplex casts complex elements, read as [2]F (real, imaginary).
func castFromComplex[F float32 | float64](dst DType) elemRun {
	switch dst {
	case Bool:
		return mapRun(func(v [2]F) uint8 { return b2u(v[0] != 0 || v[1] != 0) })
	case Complex64:
		return mapRun(func(v [2]F) [2]float32 { return [2]float32{float32(v[0]), float32(v[1])} })
	case Complex128:
		return mapRun(func(v [2]F) [2]float64 { return [2]float64{float64(v[0]), float64(v[1])} })
	}
	// complex -> real: the real part is the first F of each element, so
	// the cast from F with the complex stride reads just the real parts.
	var zero F
	if _, ok := any(zero).(float32); ok {
		return elemRunFor(dst, Float32)
	}
	return elemRunFor(dst, Float64)
}

func b2u(b bool) uint8 {
	if b {
		return 1
	}
	return 0
}

// convRun is a Go conversion between real types: truncation toward zero
// for float to integer, wrap-around between integers, round to nearest
// even between floating-point types and from integers, as C casts do.
func convRun[S, D Real](d unsafe.Pointer, ds int, s unsafe.Pointer, ss int, n int) {
	var zs S
	var zd D
	if ds == int(unsafe.Sizeof(zd)) && ss == int(unsafe.Sizeof(zs)) {
		dd, sl := sliceAt[D](d, n), sliceAt[S](s, n)
		for i := range dd {
			dd[i] = D(sl[i])
		}
		return
	}
	for i := 0; i < n; i++ {
		*at[D](d, i*ds) = D(*at[S](s, i*ss))
	}
}

// mapRun applies f to every element.
func mapRun[S, D any](f func(S) D) elemRun {
	return func(d unsafe.Pointer, ds int, s unsafe.Pointer, ss int, n int) {
		for i := 0; i < n; i++ {
			*at[D](d, i*ds) = f(*at[S](s, i*ss))
		}
	}
}

// ---- float16 ----------------------------------------------------------------

// Float16ToFloat32 returns the value of the IEEE 754 binary16 (numpy
// float16) with bits h. The conversion is exact; a NaN keeps its sign and
// payload (shifted into the high bits), as numpy's npy_half_to_float does.
func Float16ToFloat32(h uint16) float32 {
	sign := uint32(h&0x8000) << 16
	exp := uint32(h>>10) & 0x1f
	man := uint32(h & 0x3ff)
	switch {
	case exp == 0x1f: // inf, NaN
		return math.Float32frombits(sign | 0x7f800000 | man<<13)
	case exp != 0:
		return math.Float32frombits(sign | (exp+127-15)<<23 | man<<13)
	case man == 0:
		return math.Float32frombits(sign)
	}
	// Subnormal: man * 2^-24 with the leading one at bit p.
	p := uint32(bits.Len32(man)) - 1
	return math.Float32frombits(sign | (p+127-24)<<23 | (man<<(23-p))&0x7fffff)
}

// Float16ToFloat64 is Float16ToFloat32 to float64 (exact; NaN payloads kept
// bit for bit, which a conversion through float32 would not guarantee).
func Float16ToFloat64(h uint16) float64 {
	sign := uint64(h&0x8000) << 48
	exp := uint64(h>>10) & 0x1f
	man := uint64(h & 0x3ff)
	switch {
	case exp == 0x1f:
		return math.Float64frombits(sign | 0x7ff0000000000000 | man<<42)
	case exp != 0:
		return math.Float64frombits(sign | (exp+1023-15)<<52 | man<<42)
	case man == 0:
		return math.Float64frombits(sign)
	}
	p := uint64(bits.Len64(man)) - 1
	return math.Float64frombits(sign | (p+1023-24)<<52 | (man<<(52-p))&(1<<52-1))
}

// Float16FromFloat32 rounds f to the nearest binary16 (ties to even),
// overflowing to ±inf and underflowing through the subnormals to ±0. A NaN
// keeps its sign and the high 10 bits of its payload (made non-zero so that
// it stays a NaN), as numpy's npy_float_to_half does.
func Float16FromFloat32(f float32) uint16 {
	b := math.Float32bits(f)
	sign := uint16(b>>16) & 0x8000
	exp := int(b>>23) & 0xff
	man := uint64(b & 0x7fffff)
	if exp == 0xff {
		return sign | halfInfNaN(man, 23)
	}
	return sign | halfRound(exp-127, man, 23)
}

// Float16FromFloat64 rounds f to the nearest binary16 directly (rounding
// through float32 first could round twice).
func Float16FromFloat64(f float64) uint16 {
	b := math.Float64bits(f)
	sign := uint16(b>>48) & 0x8000
	exp := int(b>>52) & 0x7ff
	man := b & (1<<52 - 1)
	if exp == 0x7ff {
		return sign | halfInfNaN(man, 52)
	}
	return sign | halfRound(exp-1023, man, 52)
}

func halfInfNaN(man uint64, manBits int) uint16 {
	if man == 0 {
		return 0x7c00
	}
	h := uint16(man >> (manBits - 10))
	if h == 0 {
		h = 1
	}
	return 0x7c00 | h
}

// halfRound rounds the finite value 1.man * 2^e (man of manBits bits; a
// source subnormal has e below float16's range and becomes zero) to the
// bits of a non-negative binary16.
func halfRound(e int, man uint64, manBits int) uint16 {
	switch {
	case e >= 16: // at least 2^16: beyond 65504 and the rounding threshold
		return 0x7c00
	case e < -25: // below half of the smallest subnormal (2^-24): zero
		return 0
	case e >= -14: // normal binary16: keep 10 mantissa bits
		q := roundShift(man, uint(manBits-10))
		// A carry out of the mantissa bumps the exponent (to inf from
		// e = 15), which is the right answer.
		return uint16(e+15)<<10 + uint16(q)
	}
	// Subnormal binary16: the value in units of 2^-24, rounded.
	sig := man | 1<<manBits
	return uint16(roundShift(sig, uint(manBits-(e+24))))
}

// roundShift returns v >> s rounded to nearest, ties to even (1 <= s < 64).
func roundShift(v uint64, s uint) uint64 {
	q := v >> s
	rem := v & (1<<s - 1)
	half := uint64(1) << (s - 1)
	if rem > half || (rem == half && q&1 == 1) {
		q++
	}
	return q
}
