package core

import (
	"fmt"
	"sync/atomic"
	"unsafe"
)

// The typed loops of the reductions (kernel_reduce.go has the engine that
// splits the work). Hot loops read through unsafe pointers: the engine
// guarantees that every element they touch is inside the operand.

// reduceDispatch picks the typed reducer: the accumulator is dst's dtype,
// the elements src's. Booleans are read as uint8.
func reduceDispatch(ex *Exec, op ReduceOp, dst, src *Array, nkept, nred int) error {
	switch op {
	case OpAll, OpAny, OpCountNonzero:
		return nonzeroDispatch(ex, op, dst, src, nkept, nred)
	case OpMin, OpMax:
		return minMaxDispatch(ex, op == OpMax, dst, src, nkept, nred)
	}
	prod := op == OpProd
	switch dst.dtype {
	case Uint8:
		return reduceInto[uint8](ex, prod, dst, src, nkept, nred)
	case Int8:
		return reduceInto[int8](ex, prod, dst, src, nkept, nred)
	case Int16:
		return reduceInto[int16](ex, prod, dst, src, nkept, nred)
	case Int32:
		return reduceInto[int32](ex, prod, dst, src, nkept, nred)
	case Int64:
		return reduceInto[int64](ex, prod, dst, src, nkept, nred)
	case Uint16:
		return reduceInto[uint16](ex, prod, dst, src, nkept, nred)
	case Uint32:
		return reduceInto[uint32](ex, prod, dst, src, nkept, nred)
	case Uint64:
		return reduceInto[uint64](ex, prod, dst, src, nkept, nred)
	case Float32:
		return reduceInto[float32](ex, prod, dst, src, nkept, nred)
	case Float64:
		return reduceInto[float64](ex, prod, dst, src, nkept, nred)
	case Complex64:
		return runReducer(ex, arithComplexReducer[complex64](prod), dst, src, nkept, nred)
	case Complex128:
		return runReducer(ex, arithComplexReducer[complex128](prod), dst, src, nkept, nred)
	}
	return fmt.Errorf("%w: %v into %v is not implemented", ErrDType, op, dst.dtype)
}

func reduceInto[Acc Real](ex *Exec, prod bool, dst, src *Array, nkept, nred int) error {
	fl := dst.dtype.Kind() == 'f'
	switch src.dtype {
	case Bool, Uint8:
		return runReducer(ex, arithReducer[uint8, Acc](prod, fl), dst, src, nkept, nred)
	case Int8:
		return runReducer(ex, arithReducer[int8, Acc](prod, fl), dst, src, nkept, nred)
	case Int16:
		return runReducer(ex, arithReducer[int16, Acc](prod, fl), dst, src, nkept, nred)
	case Int32:
		return runReducer(ex, arithReducer[int32, Acc](prod, fl), dst, src, nkept, nred)
	case Int64:
		return runReducer(ex, arithReducer[int64, Acc](prod, fl), dst, src, nkept, nred)
	case Uint16:
		return runReducer(ex, arithReducer[uint16, Acc](prod, fl), dst, src, nkept, nred)
	case Uint32:
		return runReducer(ex, arithReducer[uint32, Acc](prod, fl), dst, src, nkept, nred)
	case Uint64:
		return runReducer(ex, arithReducer[uint64, Acc](prod, fl), dst, src, nkept, nred)
	case Float32:
		return runReducer(ex, arithReducer[float32, Acc](prod, fl), dst, src, nkept, nred)
	case Float64:
		return runReducer(ex, arithReducer[float64, Acc](prod, fl), dst, src, nkept, nred)
	}
	return fmt.Errorf("%w: reduction of %v into %v is not implemented", ErrDType, src.dtype, dst.dtype)
}

func redAdd[T Number](a, b T) T { return a + b }
func redMul[T Number](a, b T) T { return a * b }

func redStore[T any](dst unsafe.Pointer, v T) { *(*T)(dst) = v }

// arithReducer sums (pairwise for a floating accumulator; integers are
// exact in any order) or multiplies In elements in Acc.
func arithReducer[In, Acc Real](prod, floatAcc bool) reducer[Acc] {
	var zi In
	size := int(unsafe.Sizeof(zi))
	_, same := any(zi).(Acc)
	r := reducer[Acc]{comb: redAdd[Acc], store: redStore[Acc], exact: !floatAcc}
	r.cols = func(acc []Acc, p unsafe.Pointer, cs, ps, npos, _, _ int, init bool) {
		colsArith[In, Acc](acc, p, cs, ps, npos, size, init, prod)
	}
	if prod {
		r.comb, r.identity = redMul[Acc], 1
		r.run = func(p unsafe.Pointer, stride, n, _, _ int) Acc { return prodRun[In, Acc](p, stride, size, n) }
		return r
	}
	r.run = func(p unsafe.Pointer, stride, n, _, _ int) Acc {
		switch {
		case !floatAcc:
			return sumInts[In, Acc](p, stride, size, n)
		case same && stride == size:
			return sumContig[Acc](p, n)
		}
		return sumConv[In, Acc](p, stride, n)
	}
	return r
}

func arithComplexReducer[C ~complex64 | ~complex128](prod bool) reducer[C] {
	var z C
	size := int(unsafe.Sizeof(z))
	r := reducer[C]{comb: redAdd[C], store: redStore[C]}
	r.cols = func(acc []C, p unsafe.Pointer, cs, ps, npos, _, _ int, init bool) {
		colsArithC(acc, p, cs, ps, npos, init, prod)
	}
	if prod {
		r.comb, r.identity = redMul[C], 1
		r.run = func(p unsafe.Pointer, stride, n, _, _ int) C {
			s := *(*C)(p)
			for i := 1; i < n; i++ {
				s *= *at[C](p, i*stride)
			}
			return s
		}
		return r
	}
	r.run = func(p unsafe.Pointer, stride, n, _, _ int) C {
		if stride == size {
			return pairwise1[C](p, n)
		}
		return sumStridedC[C](p, stride, n)
	}
	return r
}

// sumStridedC is sumConv for complex elements stride bytes apart.
func sumStridedC[C ~complex64 | ~complex128](p unsafe.Pointer, stride, n int) C {
	if n > 256 {
		n2 := n / 2
		n2 -= n2 % 8
		return sumStridedC[C](p, stride, n2) + sumStridedC[C](unsafe.Add(p, n2*stride), stride, n-n2)
	}
	var buf [256]C
	b := buf[:n]
	for i := range b {
		b[i] = *at[C](p, i*stride)
	}
	return pairwise1[C](unsafe.Pointer(&buf[0]), n)
}

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
	var buf [512]Acc
	b := buf[:n]
	for i := range b {
		b[i] = Acc(*at[In](p, i*stride))
	}
	return pairwise1[Acc](unsafe.Pointer(&buf[0]), n)
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

func prodRun[In, Acc Real](p unsafe.Pointer, stride, size, n int) Acc {
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
				acc[j] *= *at[C](row, j*cs)
			} else {
				acc[j] += *at[C](row, j*cs)
			}
		}
	}
}

// ---- min and max ----------------------------------------------------------

func minMaxDispatch(ex *Exec, isMax bool, dst, src *Array, nkept, nred int) error {
	switch src.dtype {
	case Bool, Uint8:
		return runReducer(ex, minMaxReducer[uint8](isMax), dst, src, nkept, nred)
	case Int8:
		return runReducer(ex, minMaxReducer[int8](isMax), dst, src, nkept, nred)
	case Int16:
		return runReducer(ex, minMaxReducer[int16](isMax), dst, src, nkept, nred)
	case Int32:
		return runReducer(ex, minMaxReducer[int32](isMax), dst, src, nkept, nred)
	case Int64:
		return runReducer(ex, minMaxReducer[int64](isMax), dst, src, nkept, nred)
	case Uint16:
		return runReducer(ex, minMaxReducer[uint16](isMax), dst, src, nkept, nred)
	case Uint32:
		return runReducer(ex, minMaxReducer[uint32](isMax), dst, src, nkept, nred)
	case Uint64:
		return runReducer(ex, minMaxReducer[uint64](isMax), dst, src, nkept, nred)
	case Float32:
		return runReducer(ex, minMaxReducer[float32](isMax), dst, src, nkept, nred)
	case Float64:
		return runReducer(ex, minMaxReducer[float64](isMax), dst, src, nkept, nred)
	case Complex64:
		return runReducer(ex, minMaxComplexReducer[complex64, float32](isMax), dst, src, nkept, nred)
	case Complex128:
		return runReducer(ex, minMaxComplexReducer[complex128, float64](isMax), dst, src, nkept, nred)
	}
	return fmt.Errorf("%w: min/max of %v is not implemented", ErrDType, src.dtype)
}

// pickReal is numpy's minimum/maximum of two values: a NaN wins, then a.
func pickReal[T Real](isMax bool, a, b T) T {
	if a != a {
		return a
	}
	if b != b {
		return b
	}
	if isMax == (b > a) && a != b {
		return b
	}
	return a
}

func minMaxReducer[T Real](isMax bool) reducer[T] {
	var z T
	size := int(unsafe.Sizeof(z))
	r := reducer[T]{store: redStore[T], exact: true}
	r.comb = func(a, b T) T { return pickReal(isMax, a, b) }
	r.run = func(p unsafe.Pointer, stride, n, _, _ int) T {
		if stride == size {
			if isMax {
				return maxContig(sliceAt[T](p, n))
			}
			return minContig(sliceAt[T](p, n))
		}
		m := *(*T)(p)
		if m != m {
			return m
		}
		for i := 1; i < n; i++ {
			v := *at[T](p, i*stride)
			if isMax && !(v <= m) || !isMax && !(v >= m) {
				if v != v {
					return v
				}
				m = v
			}
		}
		return m
	}
	r.cols = func(acc []T, p unsafe.Pointer, cs, ps, npos, _, _ int, init bool) {
		k := 0
		if init {
			for j := range acc {
				acc[j] = *at[T](p, j*cs)
			}
			k = 1
		}
		for ; k < npos; k++ {
			row := unsafe.Add(p, k*ps)
			if cs == size {
				k += colsMinMax(isMax, acc, row, ps, npos-k) - 1
				continue
			}
			for j := range acc {
				acc[j] = pickReal(isMax, acc[j], *at[T](row, j*cs))
			}
		}
	}
	return r
}

// colsMinMax folds up to four rows (ps bytes apart, the first at p) of
// len(acc) contiguous elements into acc and returns the number of rows it
// took. Four elements are compared with the column's extreme and only
// when one beats it (or is NaN) are they folded in: after the first rows
// of a chunk that is rare, so the branch is predictable, and the common
// path neither stores nor pays for Go's branch-free min/max (MINSD both
// ways, and sign flips for max).
func colsMinMax[T Real](isMax bool, acc []T, p unsafe.Pointer, ps, nrows int) int {
	n := len(acc)
	x0 := sliceAt[T](p, n)
	a := acc[:len(x0)]
	if nrows >= 4 {
		x1 := sliceAt[T](unsafe.Add(p, ps), n)[:len(x0)]
		x2 := sliceAt[T](unsafe.Add(p, 2*ps), n)[:len(x0)]
		x3 := sliceAt[T](unsafe.Add(p, 3*ps), n)[:len(x0)]
		if isMax {
			for j, v := range x0 {
				if m := a[j]; !(v <= m) || !(x1[j] <= m) || !(x2[j] <= m) || !(x3[j] <= m) {
					a[j] = pickReal(true, pickReal(true, m, v), pickReal(true, pickReal(true, x1[j], x2[j]), x3[j]))
				}
			}
		} else {
			for j, v := range x0 {
				if m := a[j]; !(v >= m) || !(x1[j] >= m) || !(x2[j] >= m) || !(x3[j] >= m) {
					a[j] = pickReal(false, pickReal(false, m, v), pickReal(false, pickReal(false, x1[j], x2[j]), x3[j]))
				}
			}
		}
		return 4
	}
	for j, v := range x0 {
		a[j] = pickReal(isMax, a[j], v)
	}
	return 1
}

// minContig is the minimum of x (NaN if x holds one). Blocks of eight are
// compared with the running minimum without a dependency chain and only a
// block that holds a new minimum or a NaN is looked at closely (a tree of
// compares; every branch is predictable on sorted data too). The two
// halves of x are scanned in lockstep: two memory streams keep more loads
// in flight than one. (Go's min, MINSD both ways on amd64, is twice as
// slow as the fast path here, and max costs four more XORs.)
func minContig[T Real](x []T) T {
	if useSIMD {
		if v, ok := simdMinMax(false, x); ok {
			return v
		}
	}
	m := x[0]
	if m != m {
		return m
	}
	var z T
	sz := unsafe.Sizeof(z)
	h := len(x) / 2
	h -= h % 4
	pa := unsafe.Pointer(unsafe.SliceData(x))
	pb := unsafe.Add(pa, uintptr(h)*sz)
	for i := 0; i+4 <= h; i += 4 {
		u := (*[4]T)(unsafe.Add(pa, uintptr(i)*sz))
		v := (*[4]T)(unsafe.Add(pb, uintptr(i)*sz))
		if !(u[0] >= m) || !(u[1] >= m) || !(u[2] >= m) || !(u[3] >= m) ||
			!(v[0] >= m) || !(v[1] >= m) || !(v[2] >= m) || !(v[3] >= m) {
			// NaN check without eight branches: a sum is NaN if an element
			// is (or if infinities cancel: then look closer).
			if t := ((u[0] + u[1]) + (u[2] + u[3])) + ((v[0] + v[1]) + (v[2] + v[3])); t != t {
				if w := firstNaN(u, v); w != w {
					return w
				}
			}
			a, b, c, d := u[0], u[2], v[0], v[2]
			if u[1] < a {
				a = u[1]
			}
			if u[3] < b {
				b = u[3]
			}
			if v[1] < c {
				c = v[1]
			}
			if v[3] < d {
				d = v[3]
			}
			if b < a {
				a = b
			}
			if d < c {
				c = d
			}
			if c < a {
				a = c
			}
			if a < m {
				m = a
			}
		}
	}
	for _, w := range x[2*h:] {
		if !(w >= m) {
			if w != w {
				return w
			}
			m = w
		}
	}
	return m
}

// maxContig mirrors minContig.
func maxContig[T Real](x []T) T {
	if useSIMD {
		if v, ok := simdMinMax(true, x); ok {
			return v
		}
	}
	m := x[0]
	if m != m {
		return m
	}
	var z T
	sz := unsafe.Sizeof(z)
	h := len(x) / 2
	h -= h % 4
	pa := unsafe.Pointer(unsafe.SliceData(x))
	pb := unsafe.Add(pa, uintptr(h)*sz)
	for i := 0; i+4 <= h; i += 4 {
		u := (*[4]T)(unsafe.Add(pa, uintptr(i)*sz))
		v := (*[4]T)(unsafe.Add(pb, uintptr(i)*sz))
		if !(u[0] <= m) || !(u[1] <= m) || !(u[2] <= m) || !(u[3] <= m) ||
			!(v[0] <= m) || !(v[1] <= m) || !(v[2] <= m) || !(v[3] <= m) {
			// NaN check without eight branches: a sum is NaN if an element
			// is (or if infinities cancel: then look closer).
			if t := ((u[0] + u[1]) + (u[2] + u[3])) + ((v[0] + v[1]) + (v[2] + v[3])); t != t {
				if w := firstNaN(u, v); w != w {
					return w
				}
			}
			a, b, c, d := u[0], u[2], v[0], v[2]
			if u[1] > a {
				a = u[1]
			}
			if u[3] > b {
				b = u[3]
			}
			if v[1] > c {
				c = v[1]
			}
			if v[3] > d {
				d = v[3]
			}
			if b > a {
				a = b
			}
			if d > c {
				c = d
			}
			if c > a {
				a = c
			}
			if a > m {
				m = a
			}
		}
	}
	for _, w := range x[2*h:] {
		if !(w <= m) {
			if w != w {
				return w
			}
			m = w
		}
	}
	return m
}

// firstNaN returns the first NaN of u then v, if any (else v[3]).
func firstNaN[T Real](u, v *[4]T) T {
	for _, w := range u {
		if w != w {
			return w
		}
	}
	for _, w := range v {
		if w != w {
			return w
		}
	}
	return v[3]
}

// cparts splits a complex value of a type parameter (real and imag do not
// accept those yet, go.dev/issue/50937).
func cparts[C ~complex64 | ~complex128, F ~float32 | ~float64](c C) (F, F) {
	p := (*[2]F)(unsafe.Pointer(&c))
	return p[0], p[1]
}

// pickComplex is numpy's minimum/maximum of complex values: lexicographic,
// a NaN in either part wins, then a.
func pickComplex[C ~complex64 | ~complex128, F ~float32 | ~float64](isMax bool, a, b C) C {
	ar, ai := cparts[C, F](a)
	br, bi := cparts[C, F](b)
	if ar != ar || ai != ai {
		return a
	}
	var keep bool
	if isMax {
		keep = ar > br && bi == bi || ar == br && ai >= bi
	} else {
		keep = ar < br && bi == bi || ar == br && ai <= bi
	}
	if keep {
		return a
	}
	return b
}

func minMaxComplexReducer[C ~complex64 | ~complex128, F ~float32 | ~float64](isMax bool) reducer[C] {
	pick := func(a, b C) C { return pickComplex[C, F](isMax, a, b) }
	return reducer[C]{
		run: func(p unsafe.Pointer, stride, n, _, _ int) C {
			m := *(*C)(p)
			for i := 1; i < n; i++ {
				m = pick(m, *at[C](p, i*stride))
			}
			return m
		},
		comb: pick,
		cols: func(acc []C, p unsafe.Pointer, cs, ps, npos, _, _ int, init bool) {
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
					acc[j] = pick(acc[j], *at[C](row, j*cs))
				}
			}
		},
		store: redStore[C],
	}
}

// ---- argmin and argmax ----------------------------------------------------

// argPart is a partial result of argmin/argmax: the extreme value and its
// position among the output's reduced elements.
type argPart[T any] struct {
	v T
	i int
}

func argDispatch(ex *Exec, isMax bool, dst, src *Array, nkept, nred int) error {
	switch src.dtype {
	case Bool, Uint8:
		return runReducer(ex, argReducer[uint8](isMax), dst, src, nkept, nred)
	case Int8:
		return runReducer(ex, argReducer[int8](isMax), dst, src, nkept, nred)
	case Int16:
		return runReducer(ex, argReducer[int16](isMax), dst, src, nkept, nred)
	case Int32:
		return runReducer(ex, argReducer[int32](isMax), dst, src, nkept, nred)
	case Int64:
		return runReducer(ex, argReducer[int64](isMax), dst, src, nkept, nred)
	case Uint16:
		return runReducer(ex, argReducer[uint16](isMax), dst, src, nkept, nred)
	case Uint32:
		return runReducer(ex, argReducer[uint32](isMax), dst, src, nkept, nred)
	case Uint64:
		return runReducer(ex, argReducer[uint64](isMax), dst, src, nkept, nred)
	case Float32:
		return runReducer(ex, argReducer[float32](isMax), dst, src, nkept, nred)
	case Float64:
		return runReducer(ex, argReducer[float64](isMax), dst, src, nkept, nred)
	case Complex64:
		return runReducer(ex, argComplexReducer[complex64, float32](isMax), dst, src, nkept, nred)
	case Complex128:
		return runReducer(ex, argComplexReducer[complex128, float64](isMax), dst, src, nkept, nred)
	}
	return fmt.Errorf("%w: argmin/argmax of %v is not implemented", ErrDType, src.dtype)
}

func storeIndex[T any](dst unsafe.Pointer, v argPart[T]) { *(*int64)(dst) = int64(v.i) }

// argBetter reports whether v replaces the current extreme m: the first
// NaN wins and stays, ties keep the earlier element.
func argBetter[T Real](isMax bool, v, m T) bool {
	if m != m {
		return false
	}
	if isMax {
		return !(v <= m)
	}
	return !(v >= m)
}

func argReducer[T Real](isMax bool) reducer[argPart[T]] {
	var z T
	size := int(unsafe.Sizeof(z))
	return reducer[argPart[T]]{
		run: func(p unsafe.Pointer, stride, n, pos, _ int) argPart[T] {
			var v T
			var i int
			if stride == size {
				v, i = argContig(isMax, sliceAt[T](p, n))
			} else {
				v = *(*T)(p)
				for k := 1; k < n && v == v; k++ {
					if w := *at[T](p, k*stride); argBetter(isMax, w, v) {
						v, i = w, k
					}
				}
			}
			return argPart[T]{v, pos + i}
		},
		comb: func(a, b argPart[T]) argPart[T] {
			if argBetter(isMax, b.v, a.v) {
				return b
			}
			return a
		},
		cols: func(acc []argPart[T], p unsafe.Pointer, cs, ps, npos, pos, _ int, init bool) {
			k := 0
			if init {
				for j := range acc {
					acc[j] = argPart[T]{*at[T](p, j*cs), pos}
				}
				k = 1
			}
			for ; k < npos; k++ {
				row := unsafe.Add(p, k*ps)
				for j := range acc {
					if w := *at[T](row, j*cs); argBetter(isMax, w, acc[j].v) {
						acc[j] = argPart[T]{w, pos + k}
					}
				}
			}
		},
		store: storeIndex[T],
		exact: true,
	}
}

// argContig finds the first extreme of x. Its two halves are scanned in
// lockstep (two memory streams), each by blocks of eight compared with the
// half's current extreme; only a block holding a better element (or a NaN)
// is looked at element by element. A NaN sends it to argContig1, whose
// answer is the first NaN.
func argContig[T Real](isMax bool, x []T) (T, int) {
	h := len(x) / 2
	h -= h % 8
	if h < 64 {
		return argContig1(isMax, x)
	}
	var z T
	sz := unsafe.Sizeof(z)
	pa := unsafe.Pointer(unsafe.SliceData(x))
	pb := unsafe.Add(pa, uintptr(h)*sz)
	ma, ia, mb, ib := x[0], 0, x[h], 0
	nan := false
	for i := 0; i < h && !nan; i += 8 {
		u := (*[8]T)(unsafe.Add(pa, uintptr(i)*sz))
		v := (*[8]T)(unsafe.Add(pb, uintptr(i)*sz))
		if isMax {
			if !(u[0] <= ma) || !(u[1] <= ma) || !(u[2] <= ma) || !(u[3] <= ma) ||
				!(u[4] <= ma) || !(u[5] <= ma) || !(u[6] <= ma) || !(u[7] <= ma) {
				ma, ia, nan = argBlock(true, u, i, ma, ia)
			}
			if !(v[0] <= mb) || !(v[1] <= mb) || !(v[2] <= mb) || !(v[3] <= mb) ||
				!(v[4] <= mb) || !(v[5] <= mb) || !(v[6] <= mb) || !(v[7] <= mb) {
				var nb bool
				mb, ib, nb = argBlock(true, v, i, mb, ib)
				nan = nan || nb
			}
		} else {
			if !(u[0] >= ma) || !(u[1] >= ma) || !(u[2] >= ma) || !(u[3] >= ma) ||
				!(u[4] >= ma) || !(u[5] >= ma) || !(u[6] >= ma) || !(u[7] >= ma) {
				ma, ia, nan = argBlock(false, u, i, ma, ia)
			}
			if !(v[0] >= mb) || !(v[1] >= mb) || !(v[2] >= mb) || !(v[3] >= mb) ||
				!(v[4] >= mb) || !(v[5] >= mb) || !(v[6] >= mb) || !(v[7] >= mb) {
				var nb bool
				mb, ib, nb = argBlock(false, v, i, mb, ib)
				nan = nan || nb
			}
		}
	}
	if nan {
		return argContig1(isMax, x)
	}
	m, mi := ma, ia
	if isMax && mb > ma || !isMax && mb < ma {
		m, mi = mb, h+ib
	}
	for k := 2 * h; k < len(x); k++ {
		if w := x[k]; argBetter(isMax, w, m) {
			if w != w {
				return w, k // the halves hold no NaN
			}
			m, mi = w, k
		}
	}
	return m, mi
}

// argBlock folds a block (elements i, i+1, ...) into the extreme m at mi;
// nan reports a NaN in the block (m is then undefined).
func argBlock[T Real](isMax bool, b *[8]T, i int, m T, mi int) (T, int, bool) {
	for k, w := range b {
		if w != w {
			return m, mi, true
		}
		if isMax && w > m || !isMax && w < m {
			m, mi = w, i+k
		}
	}
	return m, mi, false
}

// argContig1 is argContig in one stream, NaN-aware.
func argContig1[T Real](isMax bool, x []T) (T, int) {
	m, mi := x[0], 0
	if m != m {
		return m, 0
	}
	var z T
	sz := unsafe.Sizeof(z)
	p := unsafe.Pointer(unsafe.SliceData(x))
	i := 1
	for ; i+8 <= len(x); i += 8 {
		b := (*[8]T)(unsafe.Add(p, uintptr(i)*sz))
		var e T // the block's extreme (NaN if it holds one), a tree
		if isMax {
			if b[0] <= m && b[1] <= m && b[2] <= m && b[3] <= m && b[4] <= m && b[5] <= m && b[6] <= m && b[7] <= m {
				continue
			}
			e = max(max(max(b[0], b[1]), max(b[2], b[3])), max(max(b[4], b[5]), max(b[6], b[7])))
		} else {
			if b[0] >= m && b[1] >= m && b[2] >= m && b[3] >= m && b[4] >= m && b[5] >= m && b[6] >= m && b[7] >= m {
				continue
			}
			e = min(min(min(b[0], b[1]), min(b[2], b[3])), min(min(b[4], b[5]), min(b[6], b[7])))
		}
		if e != e {
			for k, w := range b {
				if w != w {
					return w, i + k
				}
			}
		}
		if isMax && e > m || !isMax && e < m {
			for k, w := range b {
				if w == e {
					m, mi = e, i+k
					break
				}
			}
		}
	}
	for ; i < len(x); i++ {
		if w := x[i]; argBetter(isMax, w, m) {
			if w != w {
				return w, i
			}
			m, mi = w, i
		}
	}
	return m, mi
}

// argBetterComplex is numpy's complex argmin/argmax rule: lexicographic,
// the first NaN (in either part) wins.
func argBetterComplex[C ~complex64 | ~complex128, F ~float32 | ~float64](isMax bool, v, m C) bool {
	mr, mi := cparts[C, F](m)
	vr, vi := cparts[C, F](v)
	if mr != mr || mi != mi {
		return false
	}
	if vr != vr || vi != vi {
		return true
	}
	if isMax {
		return vr > mr || vr == mr && vi > mi
	}
	return vr < mr || vr == mr && vi < mi
}

func argComplexReducer[C ~complex64 | ~complex128, F ~float32 | ~float64](isMax bool) reducer[argPart[C]] {
	better := func(v, m C) bool { return argBetterComplex[C, F](isMax, v, m) }
	return reducer[argPart[C]]{
		run: func(p unsafe.Pointer, stride, n, pos, _ int) argPart[C] {
			m := argPart[C]{*(*C)(p), pos}
			for k := 1; k < n; k++ {
				if w := *at[C](p, k*stride); better(w, m.v) {
					m = argPart[C]{w, pos + k}
				}
			}
			return m
		},
		comb: func(a, b argPart[C]) argPart[C] {
			if better(b.v, a.v) {
				return b
			}
			return a
		},
		cols: func(acc []argPart[C], p unsafe.Pointer, cs, ps, npos, pos, _ int, init bool) {
			k := 0
			if init {
				for j := range acc {
					acc[j] = argPart[C]{*at[C](p, j*cs), pos}
				}
				k = 1
			}
			for ; k < npos; k++ {
				row := unsafe.Add(p, k*ps)
				for j := range acc {
					if w := *at[C](row, j*cs); better(w, acc[j].v) {
						acc[j] = argPart[C]{w, pos + k}
					}
				}
			}
		},
		store: storeIndex[C],
		exact: true,
	}
}

// ---- all, any, count_nonzero ----------------------------------------------

// nonzeroDispatch reads every dtype as unsigned words: an element is
// nonzero when its words, or-ed and masked, are (floats drop the sign bit,
// so -0.0 is zero and NaN is not; complex elements are two words).
func nonzeroDispatch(ex *Exec, op ReduceOp, dst, src *Array, nkept, nred int) error {
	switch src.dtype {
	case Bool, Int8, Uint8:
		return nonzeroTyped[uint8](ex, op, dst, src, nkept, nred, 0xFF, 1)
	case Int16, Uint16:
		return nonzeroTyped[uint16](ex, op, dst, src, nkept, nred, 0xFFFF, 1)
	case Float16:
		return nonzeroTyped[uint16](ex, op, dst, src, nkept, nred, 0x7FFF, 1)
	case Int32, Uint32:
		return nonzeroTyped[uint32](ex, op, dst, src, nkept, nred, 0xFFFFFFFF, 1)
	case Float32:
		return nonzeroTyped[uint32](ex, op, dst, src, nkept, nred, 0x7FFFFFFF, 1)
	case Complex64:
		return nonzeroTyped[uint32](ex, op, dst, src, nkept, nred, 0x7FFFFFFF, 2)
	case Int64, Uint64:
		return nonzeroTyped[uint64](ex, op, dst, src, nkept, nred, 1<<64-1, 1)
	case Float64:
		return nonzeroTyped[uint64](ex, op, dst, src, nkept, nred, 1<<63-1, 1)
	case Complex128:
		return nonzeroTyped[uint64](ex, op, dst, src, nkept, nred, 1<<63-1, 2)
	}
	return fmt.Errorf("%w: %v of %v is not implemented", ErrDType, op, src.dtype)
}

type redWord interface {
	~uint8 | ~uint16 | ~uint32 | ~uint64
}

// nzWord is element i (stride bytes apart) or-ed over its lanes and masked.
func nzWord[U redWord](p unsafe.Pointer, off, lanes int, mask U) U {
	v := *at[U](p, off)
	if lanes == 2 {
		var z U
		v |= *at[U](p, off+int(unsafe.Sizeof(z)))
	}
	return v & mask
}

// nz01 is 1 if u != 0, else 0, without a branch.
func nz01[U redWord](u U) int64 {
	var z U
	return int64((u | -u) >> (8*unsafe.Sizeof(z) - 1))
}

func nonzeroTyped[U redWord](ex *Exec, op ReduceOp, dst, src *Array, nkept, nred int, mask U, lanes int) error {
	var z U
	size := int(unsafe.Sizeof(z)) * lanes
	if op == OpCountNonzero {
		r := reducer[int64]{comb: redAdd[int64], store: redStore[int64], exact: true}
		r.run = func(p unsafe.Pointer, stride, n, _, _ int) int64 {
			var c0, c1 int64
			if lanes == 1 && stride == size {
				x := sliceAt[U](p, n)
				i := 0
				for ; i+2 <= n; i += 2 {
					c0 += nz01(x[i] & mask)
					c1 += nz01(x[i+1] & mask)
				}
				if i < n {
					c0 += nz01(x[i] & mask)
				}
				return c0 + c1
			}
			for i := 0; i < n; i++ {
				c0 += nz01(nzWord(p, i*stride, lanes, mask))
			}
			return c0
		}
		r.cols = func(acc []int64, p unsafe.Pointer, cs, ps, npos, _, _ int, init bool) {
			if init {
				clear(acc)
			}
			for k := 0; k < npos; k++ {
				row := unsafe.Add(p, k*ps)
				for j := range acc {
					acc[j] += nz01(nzWord(row, j*cs, lanes, mask))
				}
			}
		}
		return runReducer(ex, r, dst, src, nkept, nred)
	}
	// all stops at the first zero, any at the first nonzero; with one
	// output, a chunk that decided the result stops the others.
	isAny := op == OpAny
	single := dst.Size() == 1
	var decided atomic.Bool
	r := reducer[bool]{identity: !isAny, store: redStore[bool], exact: true}
	if isAny {
		r.comb = func(a, b bool) bool { return a || b }
	} else {
		r.comb = func(a, b bool) bool { return a && b }
	}
	r.run = func(p unsafe.Pointer, stride, n, _, _ int) bool {
		if single && decided.Load() {
			return isAny
		}
		res := !isAny
		i := 0
		if lanes == 1 && stride == size {
			// blocks of eight words: or-ed for any, each tested for all
			for ; i+8 <= n; i += 8 {
				b := (*[8]U)(unsafe.Add(p, i*size))
				if isAny {
					if (b[0]|b[1]|b[2]|b[3]|b[4]|b[5]|b[6]|b[7])&mask != 0 {
						res = true
						break
					}
				} else if b[0]&mask == 0 || b[1]&mask == 0 || b[2]&mask == 0 || b[3]&mask == 0 ||
					b[4]&mask == 0 || b[5]&mask == 0 || b[6]&mask == 0 || b[7]&mask == 0 {
					res = false
					break
				}
			}
		}
		if res != isAny {
			for ; i < n; i++ {
				if (nzWord(p, i*stride, lanes, mask) != 0) == isAny {
					res = isAny
					break
				}
			}
		}
		if single && res == isAny {
			decided.Store(true)
		}
		return res
	}
	r.cols = func(acc []bool, p unsafe.Pointer, cs, ps, npos, _, _ int, init bool) {
		if init {
			for j := range acc {
				acc[j] = !isAny
			}
		}
		for k := 0; k < npos; k++ {
			row := unsafe.Add(p, k*ps)
			for j := range acc {
				if nz := nzWord(row, j*cs, lanes, mask) != 0; nz == isAny {
					acc[j] = isAny
				}
			}
		}
	}
	return runReducer(ex, r, dst, src, nkept, nred)
}
