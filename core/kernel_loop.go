package core

import "unsafe"

// rows describes an elementwise iteration over operands that share a shape:
// the shape is coalesced (length-1 axes dropped, axes merged where every
// operand steps over them as one run) and split into an inner run (the last
// axis, length Inner) and NRows outer rows. Kernels parallelise over rows
// and run a typed loop over each inner run.
type rows struct {
	outer   []int   // outer shape (all but the last coalesced axis)
	st      [][]int // per operand: strides of all coalesced axes
	Inner   int     // elements in one inner run
	NRows   int     // number of inner runs
	InnerSt []int   // per operand: stride of the inner axis
}

func makeRows(shape []int, strides ...[]int) rows {
	var r rows
	r.st = make([][]int, len(strides))
	var sh []int
	for i, d := range shape {
		if d == 1 {
			continue
		}
		sh = append(sh, d)
		for k := range strides {
			r.st[k] = append(r.st[k], strides[k][i])
		}
	}
	for i := len(sh) - 2; i >= 0; i-- {
		merge := true
		for k := range strides {
			if r.st[k][i] != r.st[k][i+1]*sh[i+1] {
				merge = false
				break
			}
		}
		if !merge {
			continue
		}
		sh[i+1] *= sh[i]
		sh = append(sh[:i], sh[i+1:]...)
		for k := range strides {
			r.st[k] = append(r.st[k][:i], r.st[k][i+1:]...)
		}
	}
	if len(sh) == 0 {
		sh = []int{1}
		for k := range strides {
			r.st[k] = []int{0}
		}
	}
	nd := len(sh)
	r.outer = sh[:nd-1]
	r.Inner = sh[nd-1]
	r.NRows = 1
	for _, d := range r.outer {
		r.NRows *= d
	}
	r.InnerSt = make([]int, len(strides))
	for k := range strides {
		r.InnerSt[k] = r.st[k][nd-1]
	}
	return r
}

// forRows calls fn(row, offsets) for rows [lo, hi), where offsets[k] is the
// byte offset of the row's first element in operand k.
func (r rows) forRows(lo, hi int, fn func(row int, offs []int)) {
	nd := len(r.outer)
	idx := make([]int, nd)
	offs := make([]int, len(r.st))
	rem := lo
	for i := nd - 1; i >= 0; i-- {
		idx[i] = rem % r.outer[i]
		rem /= r.outer[i]
		for k := range r.st {
			offs[k] += idx[i] * r.st[k][i]
		}
	}
	for row := lo; row < hi; row++ {
		fn(row, offs)
		for i := nd - 1; i >= 0; i-- {
			idx[i]++
			for k := range r.st {
				offs[k] += r.st[k][i]
			}
			if idx[i] < r.outer[i] {
				break
			}
			for k := range r.st {
				offs[k] -= r.st[k][i] * r.outer[i]
			}
			idx[i] = 0
		}
	}
}

// forSpan calls fn(offsets, n) for the pieces of inner runs that hold the
// elements [lo, hi) of the iteration (in its order): offsets[k] is the byte
// offset of the piece's first element in operand k. Kernels split work by
// element ranges, so a single long run is shared by all goroutines.
func (r rows) forSpan(lo, hi int, fn func(offs []int, n int)) {
	if hi <= lo {
		return
	}
	row, skip := lo/r.Inner, lo%r.Inner
	last := (hi - 1) / r.Inner
	piece := make([]int, len(r.st))
	r.forRows(row, last+1, func(rw int, offs []int) {
		start, end := 0, r.Inner
		if rw == row {
			start = skip
		}
		if rw == last {
			end = hi - last*r.Inner
		}
		for k := range piece {
			piece[k] = offs[k] + start*r.InnerSt[k]
		}
		fn(piece, end-start)
	})
}

// rowGrain is the number of rows per chunk so that a chunk holds about
// Grain elements.
func (r rows) rowGrain() int { return max(1, Grain/max(r.Inner, 1)) }

// sliceAt views n elements of type T at p as a Go slice (p must be aligned
// and the elements contiguous).
func sliceAt[T any](p unsafe.Pointer, n int) []T { return unsafe.Slice((*T)(p), n) }

func at[T any](p unsafe.Pointer, off int) *T { return (*T)(unsafe.Add(p, off)) }
