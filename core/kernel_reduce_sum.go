package core

// sum and prod: the typed loops (pairwise float sums, integer sums and
// products, complex sums) and their column forms.

import (
	"fmt"
	"unsafe"
)

func reduceInto[Acc Real](ex *Exec, prod bool, dst, src *Array, nkept, nred int) error {
	in := src.dtype
	if in == Bool {
		in = Uint8 // read as bytes
	}
	if !in.Valid() || in.Kind() == 'c' || in == Float16 {
		return fmt.Errorf("%w: reduction of %v into %v is not implemented", ErrDType, src.dtype, dst.dtype)
	}
	r := &arithReducer[Acc]{in: in, size: in.Size(), prod: prod, floatAcc: dst.dtype.Kind() == 'f',
		same: in == dst.dtype}
	return runReducer(ex, r, dst, src, nkept, nred)
}

func redStore[T any](dst unsafe.Pointer, v T) { *(*T)(dst) = v }

// arithReducer sums (pairwise for a floating accumulator; integers are
// exact in any order) or multiplies elements of dtype in in Acc. It is
// generic in Acc alone: its methods pick the loop for in (arithRun,
// colsArith, prodRun, generic in both), so that the engine's interface
// methods exist once per accumulator, not once per pair of dtypes.
type arithReducer[Acc Real] struct {
	in       DType
	size     int  // in's item size
	prod     bool // multiply (else add)
	floatAcc bool // Acc is a float type
	same     bool // in is Acc
}

func (r *arithReducer[Acc]) run(p unsafe.Pointer, stride, n, _, _ int) Acc {
	switch r.in {
	case Uint8:
		return arithRun[uint8, Acc](r, p, stride, n)
	case Int8:
		return arithRun[int8, Acc](r, p, stride, n)
	case Int16:
		return arithRun[int16, Acc](r, p, stride, n)
	case Int32:
		return arithRun[int32, Acc](r, p, stride, n)
	case Int64:
		return arithRun[int64, Acc](r, p, stride, n)
	case Uint16:
		return arithRun[uint16, Acc](r, p, stride, n)
	case Uint32:
		return arithRun[uint32, Acc](r, p, stride, n)
	case Uint64:
		return arithRun[uint64, Acc](r, p, stride, n)
	case Float32:
		return arithRun[float32, Acc](r, p, stride, n)
	}
	return arithRun[float64, Acc](r, p, stride, n)
}

// arithRun is arithReducer's run for In elements.
func arithRun[In, Acc Real](r *arithReducer[Acc], p unsafe.Pointer, stride, n int) Acc {
	size := r.size
	switch {
	case r.prod && !r.floatAcc:
		return prodInts[In, Acc](p, stride, size, n)
	case r.prod:
		// numpy's running product (its multiply.reduce loop)
		return prodRun[In, Acc](1, p, stride, size, n)
	case !r.floatAcc:
		return sumInts[In, Acc](p, stride, size, n)
	case r.same && stride == size && n < sumContigShort:
		return pairwise1[Acc](p, n) // sumContig's, one call less per short run
	case r.same && stride == size:
		return sumContig[Acc](p, n)
	}
	return sumConv[In, Acc](p, stride, n)
}

// run2: two short contiguous float sums in lockstep (pairwise2: each is
// pairwise1, which run computes for them).
func (r *arithReducer[Acc]) run2(p, q unsafe.Pointer, stride, n, _ int) (a, b Acc, ok bool) {
	if r.prod || !r.floatAcc || !r.same || stride != r.size || n < 8 || n >= sumContigShort {
		return a, b, false
	}
	switch any(a).(type) {
	case float64:
		x, y := pairwise2[float64](p, q, n)
		return Acc(x), Acc(y), true
	case float32:
		x, y := pairwise2[float32](p, q, n)
		return Acc(x), Acc(y), true
	}
	return a, b, false
}

func (r *arithReducer[Acc]) comb(a, b Acc) Acc {
	if r.prod {
		return a * b
	}
	return a + b
}

func (r *arithReducer[Acc]) cols(acc []Acc, p unsafe.Pointer, cs, ps, npos, _, _ int, init bool) {
	switch r.in {
	case Uint8:
		colsArith[uint8, Acc](acc, p, cs, ps, npos, r.size, init, r.prod)
	case Int8:
		colsArith[int8, Acc](acc, p, cs, ps, npos, r.size, init, r.prod)
	case Int16:
		colsArith[int16, Acc](acc, p, cs, ps, npos, r.size, init, r.prod)
	case Int32:
		colsArith[int32, Acc](acc, p, cs, ps, npos, r.size, init, r.prod)
	case Int64:
		colsArith[int64, Acc](acc, p, cs, ps, npos, r.size, init, r.prod)
	case Uint16:
		colsArith[uint16, Acc](acc, p, cs, ps, npos, r.size, init, r.prod)
	case Uint32:
		colsArith[uint32, Acc](acc, p, cs, ps, npos, r.size, init, r.prod)
	case Uint64:
		colsArith[uint64, Acc](acc, p, cs, ps, npos, r.size, init, r.prod)
	case Float32:
		colsArith[float32, Acc](acc, p, cs, ps, npos, r.size, init, r.prod)
	default:
		colsArith[float64, Acc](acc, p, cs, ps, npos, r.size, init, r.prod)
	}
}

func (*arithReducer[Acc]) store(dst unsafe.Pointer, v Acc) { redStore(dst, v) }

func (r *arithReducer[Acc]) identity() Acc {
	if r.prod {
		return 1
	}
	return 0
}

func (r *arithReducer[Acc]) exact() bool { return !r.floatAcc }

// running: a floating product is numpy's running product.
func (r *arithReducer[Acc]) running() bool { return r.prod && r.floatAcc }

func (r *arithReducer[Acc]) cont(acc Acc, p unsafe.Pointer, stride, n int) Acc {
	switch r.in {
	case Uint8:
		return prodRun[uint8, Acc](acc, p, stride, r.size, n)
	case Int8:
		return prodRun[int8, Acc](acc, p, stride, r.size, n)
	case Int16:
		return prodRun[int16, Acc](acc, p, stride, r.size, n)
	case Int32:
		return prodRun[int32, Acc](acc, p, stride, r.size, n)
	case Int64:
		return prodRun[int64, Acc](acc, p, stride, r.size, n)
	case Uint16:
		return prodRun[uint16, Acc](acc, p, stride, r.size, n)
	case Uint32:
		return prodRun[uint32, Acc](acc, p, stride, r.size, n)
	case Uint64:
		return prodRun[uint64, Acc](acc, p, stride, r.size, n)
	case Float32:
		return prodRun[float32, Acc](acc, p, stride, r.size, n)
	}
	return prodRun[float64, Acc](acc, p, stride, r.size, n)
}

// arithComplexReducer sums (pairwise) or multiplies (numpy's running
// product) complex elements.
type arithComplexReducer[C ~complex64 | ~complex128] struct{ prod bool }

func (r *arithComplexReducer[C]) run(p unsafe.Pointer, stride, n, _, _ int) C {
	if r.prod {
		return r.cont(1, p, stride, n)
	}
	var z C
	if stride == int(unsafe.Sizeof(z)) {
		return pairwise1[C](p, n)
	}
	return sumStridedC[C](p, stride, n)
}

func (*arithComplexReducer[C]) run2(_, _ unsafe.Pointer, _, _, _ int) (a, b C, ok bool) {
	return a, b, false
}

func (r *arithComplexReducer[C]) comb(a, b C) C {
	if r.prod {
		return cmulNaive(a, b)
	}
	return a + b
}

func (r *arithComplexReducer[C]) cols(acc []C, p unsafe.Pointer, cs, ps, npos, _, _ int, init bool) {
	colsArithC(acc, p, cs, ps, npos, init, r.prod)
}

func (*arithComplexReducer[C]) store(dst unsafe.Pointer, v C) { redStore(dst, v) }

func (r *arithComplexReducer[C]) identity() C {
	if r.prod {
		return 1
	}
	return 0
}

func (*arithComplexReducer[C]) exact() bool { return false }

func (r *arithComplexReducer[C]) running() bool { return r.prod }

// cont is numpy's running product; its reduce loop multiplies with the
// four rounded products of the operands' precision.
func (*arithComplexReducer[C]) cont(acc C, p unsafe.Pointer, stride, n int) C {
	for i := 0; i < n; i++ {
		acc = cmulNaive(acc, *at[C](p, i*stride))
	}
	return acc
}

// sumStridedC is sumConv for complex elements stride bytes apart.
func sumStridedC[C ~complex64 | ~complex128](p unsafe.Pointer, stride, n int) C {
	if n > 256 {
		n2 := n / 2
		n2 -= n2 % 8
		return sumStridedC[C](p, stride, n2) + sumStridedC[C](unsafe.Add(p, n2*stride), stride, n-n2)
	}
	if n <= shortLeaf {
		var buf [shortLeaf]C
		return sumStridedCLeaf(buf[:n], p, stride)
	}
	var buf [256]C
	return sumStridedCLeaf(buf[:n], p, stride)
}

// sumStridedCLeaf is pairwise1 of the len(b) elements at p copied into b.
func sumStridedCLeaf[C ~complex64 | ~complex128](b []C, p unsafe.Pointer, stride int) C {
	for i := range b {
		b[i] = *at[C](p, i*stride)
	}
	return pairwise1[C](unsafe.Pointer(unsafe.SliceData(b)), len(b))
}

// shortLeaf: runs up to this long are converted into a small buffer (the
// stack buffers of the conversion leaves are zeroed at every call, which
// would cost a short run more than its sum).
const shortLeaf = 16

// pairwise1 is numpy's pairwise summation of n contiguous elements: 8
// accumulators over blocks of up to 128, halves summed recursively above.
func pairwise1[T Number](p unsafe.Pointer, n int) T {
	var z T
	sz := unsafe.Sizeof(z)
	if n < 8 {
		if n == 0 {
			return z
		}
		s := *(*T)(p)
		for i := 1; i < n; i++ {
			s += *(*T)(unsafe.Add(p, uintptr(i)*sz))
		}
		return s
	}
	if n <= 128 {
		x := (*[8]T)(p)
		r0, r1, r2, r3, r4, r5, r6, r7 := x[0], x[1], x[2], x[3], x[4], x[5], x[6], x[7]
		i := 8
		for ; i+8 <= n; i += 8 {
			b := (*[8]T)(unsafe.Add(p, uintptr(i)*sz))
			r0 += b[0]
			r1 += b[1]
			r2 += b[2]
			r3 += b[3]
			r4 += b[4]
			r5 += b[5]
			r6 += b[6]
			r7 += b[7]
		}
		s := ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7))
		for ; i < n; i++ {
			s += *(*T)(unsafe.Add(p, uintptr(i)*sz))
		}
		return s
	}
	n2 := n / 2
	n2 -= n2 % 8
	return pairwise1[T](p, n2) + pairwise1[T](unsafe.Add(p, uintptr(n2)*sz), n-n2)
}

// sumQuarters is sumContig's four-quarter sum for float64 (ok false for
// other types): each quarter is pairwise1 of q elements; the
// AVX2 build reads the four in lockstep (simd_amd64.go: four memory
// streams per goroutine), the portable one in turn, with the same bits.
func sumQuarters[T Real](p unsafe.Pointer, n, q int) (T, bool) {
	var z T
	if _, ok := any(z).(float64); !ok {
		// float32: the two lockstep halves are faster (the float32 vector
		// leaf's horizontal sums cost more than its four streams gain)
		return z, false
	}
	sz := int(unsafe.Sizeof(z))
	var s0, s1, s2, s3 T
	if r, ok := simdSum4[T](p, q); ok {
		s0, s1, s2, s3 = r[0], r[1], r[2], r[3]
	} else {
		s0 = pairwise1[T](p, q)
		s1 = pairwise1[T](unsafe.Add(p, q*sz), q)
		s2 = pairwise1[T](unsafe.Add(p, 2*q*sz), q)
		s3 = pairwise1[T](unsafe.Add(p, 3*q*sz), q)
	}
	s := (s0 + s1) + (s2 + s3)
	if r := n - 4*q; r > 0 {
		s += pairwise1[T](unsafe.Add(p, 4*q*sz), r)
	}
	return s, true
}

// pairwise2 is pairwise1 of two equally long arrays in lockstep: two
// memory streams keep more loads in flight than one (about 1.4x the
// bandwidth of one core here), with each sum exactly pairwise1's.
func pairwise2[T ~float32 | ~float64](pa, pb unsafe.Pointer, n int) (T, T) {
	if n > 128 {
		var z T
		n2 := n / 2
		n2 -= n2 % 8
		o := uintptr(n2) * unsafe.Sizeof(z)
		a1, b1 := pairwise2[T](pa, pb, n2)
		a2, b2 := pairwise2[T](unsafe.Add(pa, o), unsafe.Add(pb, o), n-n2)
		return a1 + a2, b1 + b2
	}
	x, y := (*[8]T)(pa), (*[8]T)(pb)
	a0, a1, a2, a3, a4, a5, a6, a7 := x[0], x[1], x[2], x[3], x[4], x[5], x[6], x[7]
	b0, b1, b2, b3, b4, b5, b6, b7 := y[0], y[1], y[2], y[3], y[4], y[5], y[6], y[7]
	var z T
	sz := unsafe.Sizeof(z)
	i := 8
	for ; i+8 <= n; i += 8 {
		x := (*[8]T)(unsafe.Add(pa, uintptr(i)*sz))
		y := (*[8]T)(unsafe.Add(pb, uintptr(i)*sz))
		a0 += x[0]
		b0 += y[0]
		a1 += x[1]
		b1 += y[1]
		a2 += x[2]
		b2 += y[2]
		a3 += x[3]
		b3 += y[3]
		a4 += x[4]
		b4 += y[4]
		a5 += x[5]
		b5 += y[5]
		a6 += x[6]
		b6 += y[6]
		a7 += x[7]
		b7 += y[7]
	}
	sa := ((a0 + a1) + (a2 + a3)) + ((a4 + a5) + (a6 + a7))
	sb := ((b0 + b1) + (b2 + b3)) + ((b4 + b5) + (b6 + b7))
	for ; i < n; i++ {
		sa += *(*T)(unsafe.Add(pa, uintptr(i)*sz))
		sb += *(*T)(unsafe.Add(pb, uintptr(i)*sz))
	}
	return sa, sb
}

// sumContigShort: below this many elements sumContig is pairwise1 (no
// quarters, halves shorter than 128).
const sumContigShort = 256

// sumContig sums n contiguous elements. float64 runs of at least 4*128
// elements are four quarters (rounded down to blocks of 8) summed pairwise and
// combined as (q0+q1)+(q2+q3), plus the few left over (sumQuarters);
// otherwise the two halves pairwise in lockstep, plus the few left over.
func sumContig[T Real](p unsafe.Pointer, n int) T {
	var z T
	sz := int(unsafe.Sizeof(z))
	if q := (n / 4) &^ 7; q >= 128 {
		if s, ok := sumQuarters[T](p, n, q); ok {
			return s
		}
	}
	h := n / 2
	h -= h % 8
	if h < 128 {
		return pairwise1[T](p, n)
	}
	var a, b T
	switch any(z).(type) {
	case float64:
		x, y := pairwise2[float64](p, unsafe.Add(p, h*sz), h)
		a, b = T(x), T(y)
	case float32:
		x, y := pairwise2[float32](p, unsafe.Add(p, h*sz), h)
		a, b = T(x), T(y)
	default:
		return pairwise1[T](p, n)
	}
	s := a + b
	if r := n - 2*h; r > 0 {
		s += pairwise1[T](unsafe.Add(p, 2*h*sz), r)
	}
	return s
}

// sumConv sums n elements (stride bytes apart) converted to Acc: leaves of
// up to 512 are converted into a buffer and summed pairwise, and the
// leaves are combined pairwise too.
func sumConv[In, Acc Real](p unsafe.Pointer, stride, n int) Acc {
	if n > 512 {
		n2 := n / 2
		n2 -= n2 % 8
		return sumConv[In, Acc](p, stride, n2) + sumConv[In, Acc](unsafe.Add(p, n2*stride), stride, n-n2)
	}
	if n <= shortLeaf {
		var buf [shortLeaf]Acc
		return sumConvLeaf[In](buf[:n], p, stride)
	}
	var buf [512]Acc
	return sumConvLeaf[In](buf[:n], p, stride)
}

// sumConvLeaf is pairwise1 of the len(b) elements at p converted into b.
func sumConvLeaf[In, Acc Real](b []Acc, p unsafe.Pointer, stride int) Acc {
	for i := range b {
		b[i] = Acc(*at[In](p, i*stride))
	}
	return pairwise1[Acc](unsafe.Pointer(unsafe.SliceData(b)), len(b))
}

// sumInts sums into an integer accumulator (wrapping, like numpy: exact in
// any order); contiguous elements are read as two streams in lockstep.
func sumInts[In, Acc Real](p unsafe.Pointer, stride, size, n int) Acc {
	var s0, s1, s2, s3 Acc
	if stride != size {
		for i := 0; i < n; i++ {
			s0 += Acc(*at[In](p, i*stride))
		}
		return s0
	}
	h := n / 2
	h -= h % 2
	q := unsafe.Add(p, h*size)
	for i := 0; i < h; i += 2 {
		a := (*[2]In)(unsafe.Add(p, i*size))
		b := (*[2]In)(unsafe.Add(q, i*size))
		s0 += Acc(a[0])
		s1 += Acc(a[1])
		s2 += Acc(b[0])
		s3 += Acc(b[1])
	}
	for i := 2 * h; i < n; i++ {
		s0 += Acc(*at[In](p, i*size))
	}
	return (s0 + s1) + (s2 + s3)
}

// prodInts multiplies integers with four accumulators (wrap-around
// products are the same in any order).
func prodInts[In, Acc Real](p unsafe.Pointer, stride, size, n int) Acc {
	var r0, r1, r2, r3 Acc = 1, 1, 1, 1
	i := 0
	if stride == size {
		x := sliceAt[In](p, n)
		for ; i+4 <= n; i += 4 {
			b := x[i : i+4 : i+4]
			r0 *= Acc(b[0])
			r1 *= Acc(b[1])
			r2 *= Acc(b[2])
			r3 *= Acc(b[3])
		}
		for ; i < n; i++ {
			r0 *= Acc(x[i])
		}
		return (r0 * r1) * (r2 * r3)
	}
	for ; i < n; i++ {
		r0 *= Acc(*at[In](p, i*stride))
	}
	return r0
}

// prodRun multiplies acc by the n elements at p in order: numpy's
// running product for a floating accumulator (the order decides where a
// product overflows and whether a zero meets an infinity); integers wrap
// the same in any order.
func prodRun[In, Acc Real](acc Acc, p unsafe.Pointer, stride, size, n int) Acc {
	if stride == size {
		for _, v := range sliceAt[In](p, n) {
			acc *= Acc(v)
		}
		return acc
	}
	for i := 0; i < n; i++ {
		acc *= Acc(*at[In](p, i*stride))
	}
	return acc
}

// colsArith adds (or multiplies) npos rows of len(acc) elements into acc,
// four rows per pass over acc (in sequence, so the result is the same as
// one row at a time).
func colsArith[In, Acc Real](acc []Acc, p unsafe.Pointer, cs, ps, npos, size int, init, mul bool) {
	k := 0
	if init {
		for j := range acc {
			acc[j] = Acc(*at[In](p, j*cs))
		}
		k = 1
	}
	if cs != size {
		for ; k < npos; k++ {
			row := unsafe.Add(p, k*ps)
			for j := range acc {
				if mul {
					acc[j] *= Acc(*at[In](row, j*cs))
				} else {
					acc[j] += Acc(*at[In](row, j*cs))
				}
			}
		}
		return
	}
	n := len(acc)
	if mul {
		for ; k < npos; k++ {
			x := sliceAt[In](unsafe.Add(p, k*ps), n)
			a := acc[:len(x)]
			for j, v := range x {
				a[j] *= Acc(v)
			}
		}
		return
	}
	for ; k+8 <= npos; k += 8 {
		x0 := sliceAt[In](unsafe.Add(p, k*ps), n)
		x1 := sliceAt[In](unsafe.Add(p, (k+1)*ps), n)[:len(x0)]
		x2 := sliceAt[In](unsafe.Add(p, (k+2)*ps), n)[:len(x0)]
		x3 := sliceAt[In](unsafe.Add(p, (k+3)*ps), n)[:len(x0)]
		x4 := sliceAt[In](unsafe.Add(p, (k+4)*ps), n)[:len(x0)]
		x5 := sliceAt[In](unsafe.Add(p, (k+5)*ps), n)[:len(x0)]
		x6 := sliceAt[In](unsafe.Add(p, (k+6)*ps), n)[:len(x0)]
		x7 := sliceAt[In](unsafe.Add(p, (k+7)*ps), n)[:len(x0)]
		a := acc[:len(x0)]
		for j, v := range x0 {
			a[j] = a[j] + Acc(v) + Acc(x1[j]) + Acc(x2[j]) + Acc(x3[j]) + Acc(x4[j]) + Acc(x5[j]) + Acc(x6[j]) + Acc(x7[j])
		}
	}
	for ; k+4 <= npos; k += 4 {
		x0 := sliceAt[In](unsafe.Add(p, k*ps), n)
		x1 := sliceAt[In](unsafe.Add(p, (k+1)*ps), n)[:len(x0)]
		x2 := sliceAt[In](unsafe.Add(p, (k+2)*ps), n)[:len(x0)]
		x3 := sliceAt[In](unsafe.Add(p, (k+3)*ps), n)[:len(x0)]
		a := acc[:len(x0)]
		for j, v := range x0 {
			a[j] = a[j] + Acc(v) + Acc(x1[j]) + Acc(x2[j]) + Acc(x3[j])
		}
	}
	for ; k < npos; k++ {
		x := sliceAt[In](unsafe.Add(p, k*ps), n)
		a := acc[:len(x)]
		for j, v := range x {
			a[j] += Acc(v)
		}
	}
}

func colsArithC[C ~complex64 | ~complex128](acc []C, p unsafe.Pointer, cs, ps, npos int, init, mul bool) {
	k := 0
	if init {
		for j := range acc {
			acc[j] = *at[C](p, j*cs)
		}
		k = 1
	}
	for ; k < npos; k++ {
		row := unsafe.Add(p, k*ps)
		for j := range acc {
			if mul {
				acc[j] = cmulNaive(acc[j], *at[C](row, j*cs))
			} else {
				acc[j] += *at[C](row, j*cs)
			}
		}
	}
}

// cmulNaive is (ar*br - ai*bi) + (ar*bi + ai*br)i with every product
// rounded in the components' precision (no fused multiply-add): numpy's
// scalar complex loop, which its reductions run. Go's complex64 product
// computes in float64; the conversions here keep each step in C's
// precision.
func cmulNaive[C ~complex64 | ~complex128](x, y C) C {
	switch v := any(x).(type) {
	case complex64:
		w := any(y).(complex64)
		ar, ai, br, bi := real(v), imag(v), real(w), imag(w)
		return C(complex(float32(ar*br)-float32(ai*bi), float32(ar*bi)+float32(ai*br)))
	case complex128:
		w := any(y).(complex128)
		ar, ai, br, bi := real(v), imag(v), real(w), imag(w)
		return C(complex(float64(ar*br)-float64(ai*bi), float64(ar*bi)+float64(ai*br)))
	}
	return x * y
}
