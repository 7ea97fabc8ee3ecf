package core

// min and max: NaN-propagating typed loops, real and complex.

import (
	"fmt"
	"unsafe"
)

func minMaxDispatch(ex *Exec, isMax bool, dst, src *Array, nkept, nred int) error {
	switch src.dtype {
	case Bool, Uint8:
		return runReducer(ex, &minMaxReducer[uint8]{isMax: isMax}, dst, src, nkept, nred)
	case Int8:
		return runReducer(ex, &minMaxReducer[int8]{isMax: isMax}, dst, src, nkept, nred)
	case Int16:
		return runReducer(ex, &minMaxReducer[int16]{isMax: isMax}, dst, src, nkept, nred)
	case Int32:
		return runReducer(ex, &minMaxReducer[int32]{isMax: isMax}, dst, src, nkept, nred)
	case Int64:
		return runReducer(ex, &minMaxReducer[int64]{isMax: isMax}, dst, src, nkept, nred)
	case Uint16:
		return runReducer(ex, &minMaxReducer[uint16]{isMax: isMax}, dst, src, nkept, nred)
	case Uint32:
		return runReducer(ex, &minMaxReducer[uint32]{isMax: isMax}, dst, src, nkept, nred)
	case Uint64:
		return runReducer(ex, &minMaxReducer[uint64]{isMax: isMax}, dst, src, nkept, nred)
	case Float32:
		return runReducer(ex, &minMaxReducer[float32]{isMax: isMax}, dst, src, nkept, nred)
	case Float64:
		return runReducer(ex, &minMaxReducer[float64]{isMax: isMax}, dst, src, nkept, nred)
	case Complex64:
		return runReducer(ex, &minMaxComplexReducer[complex64, float32]{isMax: isMax}, dst, src, nkept, nred)
	case Complex128:
		return runReducer(ex, &minMaxComplexReducer[complex128, float64]{isMax: isMax}, dst, src, nkept, nred)
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

// minMaxReducer is min (or max if isMax) of real elements.
type minMaxReducer[T Real] struct {
	redBase[T]
	isMax bool
}

func (r *minMaxReducer[T]) run(p unsafe.Pointer, stride, n, _, _ int) T {
	isMax := r.isMax
	var z T
	if stride == int(unsafe.Sizeof(z)) {
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

func (r *minMaxReducer[T]) comb(a, b T) T { return pickReal(r.isMax, a, b) }

func (r *minMaxReducer[T]) cols(acc []T, p unsafe.Pointer, cs, ps, npos, _, _ int, init bool) {
	var z T
	size := int(unsafe.Sizeof(z))
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
			k += colsMinMax(r.isMax, acc, row, ps, npos-k) - 1
			continue
		}
		for j := range acc {
			acc[j] = pickReal(r.isMax, acc[j], *at[T](row, j*cs))
		}
	}
}

func (*minMaxReducer[T]) store(dst unsafe.Pointer, v T) { redStore(dst, v) }

func (*minMaxReducer[T]) exact() bool { return true }

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
	if useSIMD && len(x) >= 32 { // the vector loops take no fewer
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
	if useSIMD && len(x) >= 32 {
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

// minMaxComplexReducer is min (or max if isMax) of complex elements.
type minMaxComplexReducer[C ~complex64 | ~complex128, F ~float32 | ~float64] struct {
	redBase[C]
	isMax bool
}

func (r *minMaxComplexReducer[C, F]) run(p unsafe.Pointer, stride, n, _, _ int) C {
	m := *(*C)(p)
	for i := 1; i < n; i++ {
		m = r.comb(m, *at[C](p, i*stride))
	}
	return m
}

func (r *minMaxComplexReducer[C, F]) comb(a, b C) C { return pickComplex[C, F](r.isMax, a, b) }

func (r *minMaxComplexReducer[C, F]) cols(acc []C, p unsafe.Pointer, cs, ps, npos, _, _ int, init bool) {
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
			acc[j] = r.comb(acc[j], *at[C](row, j*cs))
		}
	}
}

func (*minMaxComplexReducer[C, F]) store(dst unsafe.Pointer, v C) { redStore(dst, v) }

func (*minMaxComplexReducer[C, F]) exact() bool { return false }
