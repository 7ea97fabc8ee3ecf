package core

import (
	"fmt"
	"math"
	"unsafe"
)

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
			c, err := in.Copy(ex.allocator(), 'K')
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
		return clipFloatRun[float32](both)
	case Float64:
		return clipFloatRun[float64](both)
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
		*at[T](p[0], i*st[0]) = min(max(*at[T](p[1], i*st[1]), *at[T](p[2], i*st[2])), *at[T](p[3], i*st[3]))
	}
}

// clipFloatRun is numpy's float32 and float64 clip, bit for bit: which
// operand a NaN or a tie of signed zeros yields depends on numpy's loop.
//   - Bounds that change along the loop (numpy's general loop), or one
//     bound (numpy.maximum or numpy.minimum with the other bound at ±inf):
//     max(x, lo) is x if x is NaN or x > lo, else lo; min(t, hi) is t if
//     t is NaN or t < hi, else hi. A NaN x wins, then a NaN lo, then a
//     NaN hi; a tie gives the bound.
//   - Both bounds constant along the loop (numpy's loop for scalar
//     bounds): a NaN lo gives lo everywhere, else a NaN hi gives hi; else
//     x stays unless it is below lo (then lo) or above hi (then hi), so a
//     NaN x and a tie give x.
func clipFloatRun[F float32 | float64](both bool) clipRun {
	return func(p [4]unsafe.Pointer, st [4]int, n int) {
		if both && st[2] == 0 && st[3] == 0 {
			lo, hi := *at[F](p[2], 0), *at[F](p[3], 0)
			if lo != lo || hi != hi {
				nan := p[2]
				if lo == lo {
					nan = p[3]
				}
				fillClip[F](p[0], st[0], nan, n)
				return
			}
			clipConstRun(p, st, n, lo, hi)
			return
		}
		clipVaryRun[F](p, st, n)
	}
}

func fillClip[F float32 | float64](dst unsafe.Pointer, step int, src unsafe.Pointer, n int) {
	v := *at[F](src, 0)
	for i := 0; i < n; i++ {
		*at[F](dst, i*step) = v
	}
}

// clipConstRun clips to the non-NaN bounds lo and hi: x below lo is lo,
// then above hi is hi (so lo > hi gives hi), else x itself.
func clipConstRun[F float32 | float64](p [4]unsafe.Pointer, st [4]int, n int, lo, hi F) {
	for i := 0; i < n; i++ {
		x := *at[F](p[1], i*st[1])
		// Go's min and max give numpy's value (without a branch, which
		// random data would mispredict); only a NaN x and a zero tie need
		// numpy's choice of bits, and they are rare.
		r := min(max(x, lo), hi)
		if r != r || r == 0 {
			r = x
			if x < lo {
				r = lo
			}
			if r > hi {
				r = hi
			}
		}
		*at[F](p[0], i*st[0]) = r
	}
}

// clipVaryRun is numpy's general clip loop: max(x, lo) is x if x is NaN
// or x > lo, else lo; then min(t, hi) is t if t is NaN or t < hi, else hi.
func clipVaryRun[F float32 | float64](p [4]unsafe.Pointer, st [4]int, n int) {
	for i := 0; i < n; i++ {
		x, lo, hi := *at[F](p[1], i*st[1]), *at[F](p[2], i*st[2]), *at[F](p[3], i*st[3])
		r := min(max(x, lo), hi)
		if r != r || r == 0 {
			r = lo
			if x != x || x > lo {
				r = x
			}
			if !(r != r || r < hi) {
				r = hi
			}
		}
		*at[F](p[0], i*st[0]) = r
	}
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
		// numpy's Max and Min of complex values: a tie gives the bound.
		gt := func(a, b [2]F) bool { return a[0] > b[0] || (a[0] == b[0] && a[1] > b[1]) }
		lt := func(a, b [2]F) bool { return a[0] < b[0] || (a[0] == b[0] && a[1] < b[1]) }
		return func(p [4]unsafe.Pointer, st [4]int, n int) {
			for i := 0; i < n; i++ {
				v, lo, hi := *at[[2]F](p[1], i*st[1]), *at[[2]F](p[2], i*st[2]), *at[[2]F](p[3], i*st[3])
				if !isNaN(v) && !gt(v, lo) {
					v = lo
				}
				if !isNaN(v) && !lt(v, hi) {
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
