package core

// argmin and argmax: the first extreme's position among an output's
// reduced elements (a NaN counts as both extremes, as in numpy).

import (
	"fmt"
	"unsafe"
)

// argPart is a partial result of argmin/argmax: the extreme value and its
// position among the output's reduced elements.
type argPart[T any] struct {
	v T
	i int
}

func argDispatch(ex *Exec, isMax bool, dst, src *Array, nkept, nred int) error {
	switch src.dtype {
	case Bool, Uint8:
		return runReducer(ex, &argReducer[uint8]{isMax: isMax}, dst, src, nkept, nred)
	case Int8:
		return runReducer(ex, &argReducer[int8]{isMax: isMax}, dst, src, nkept, nred)
	case Int16:
		return runReducer(ex, &argReducer[int16]{isMax: isMax}, dst, src, nkept, nred)
	case Int32:
		return runReducer(ex, &argReducer[int32]{isMax: isMax}, dst, src, nkept, nred)
	case Int64:
		return runReducer(ex, &argReducer[int64]{isMax: isMax}, dst, src, nkept, nred)
	case Uint16:
		return runReducer(ex, &argReducer[uint16]{isMax: isMax}, dst, src, nkept, nred)
	case Uint32:
		return runReducer(ex, &argReducer[uint32]{isMax: isMax}, dst, src, nkept, nred)
	case Uint64:
		return runReducer(ex, &argReducer[uint64]{isMax: isMax}, dst, src, nkept, nred)
	case Float32:
		return runReducer(ex, &argReducer[float32]{isMax: isMax}, dst, src, nkept, nred)
	case Float64:
		return runReducer(ex, &argReducer[float64]{isMax: isMax}, dst, src, nkept, nred)
	case Complex64:
		return runReducer(ex, &argComplexReducer[complex64, float32]{isMax: isMax}, dst, src, nkept, nred)
	case Complex128:
		return runReducer(ex, &argComplexReducer[complex128, float64]{isMax: isMax}, dst, src, nkept, nred)
	}
	return fmt.Errorf("%w: argmin/argmax of %v is not implemented", ErrDType, src.dtype)
}

func storeIndex[T any](dst unsafe.Pointer, v argPart[T]) { *(*int64)(dst) = int64(v.i) }

// argReducer is argmin (or argmax if isMax) of real elements.
type argReducer[T Real] struct {
	redBase[argPart[T]]
	isMax bool
}

func (r *argReducer[T]) run(p unsafe.Pointer, stride, n, pos, _ int) argPart[T] {
	var z T
	var v T
	var i int
	if stride == int(unsafe.Sizeof(z)) {
		v, i = argContig(r.isMax, sliceAt[T](p, n))
	} else {
		v = *(*T)(p)
		for k := 1; k < n && v == v; k++ {
			if w := *at[T](p, k*stride); argBetter(r.isMax, w, v) {
				v, i = w, k
			}
		}
	}
	return argPart[T]{v, pos + i}
}

func (r *argReducer[T]) comb(a, b argPart[T]) argPart[T] {
	if argBetter(r.isMax, b.v, a.v) {
		return b
	}
	return a
}

func (r *argReducer[T]) cols(acc []argPart[T], p unsafe.Pointer, cs, ps, npos, pos, _ int, init bool) {
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
			if w := *at[T](row, j*cs); argBetter(r.isMax, w, acc[j].v) {
				acc[j] = argPart[T]{w, pos + k}
			}
		}
	}
}

func (*argReducer[T]) store(dst unsafe.Pointer, v argPart[T]) { storeIndex(dst, v) }

func (*argReducer[T]) exact() bool { return true }

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

// argComplexReducer is argmin (or argmax if isMax) of complex elements.
type argComplexReducer[C ~complex64 | ~complex128, F ~float32 | ~float64] struct {
	redBase[argPart[C]]
	isMax bool
}

func (r *argComplexReducer[C, F]) better(v, m C) bool { return argBetterComplex[C, F](r.isMax, v, m) }

func (r *argComplexReducer[C, F]) run(p unsafe.Pointer, stride, n, pos, _ int) argPart[C] {
	m := argPart[C]{*(*C)(p), pos}
	for k := 1; k < n; k++ {
		if w := *at[C](p, k*stride); r.better(w, m.v) {
			m = argPart[C]{w, pos + k}
		}
	}
	return m
}

func (r *argComplexReducer[C, F]) comb(a, b argPart[C]) argPart[C] {
	if r.better(b.v, a.v) {
		return b
	}
	return a
}

func (r *argComplexReducer[C, F]) cols(acc []argPart[C], p unsafe.Pointer, cs, ps, npos, pos, _ int, init bool) {
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
			if w := *at[C](row, j*cs); r.better(w, acc[j].v) {
				acc[j] = argPart[C]{w, pos + k}
			}
		}
	}
}

func (*argComplexReducer[C, F]) store(dst unsafe.Pointer, v argPart[C]) { storeIndex(dst, v) }

func (*argComplexReducer[C, F]) exact() bool { return true }
