package core

import "unsafe"

// rows describes an elementwise iteration over operands that share a shape:
// the shape is coalesced (length-1 axes dropped, axes merged where every
// operand steps over them as one run) and split into an inner run (the last
// axis, length Inner) and NRows outer rows. Kernels parallelise over rows
// and run a typed loop over each inner run.
type rows struct {
	outer   []int // outer shape (all but the last coalesced axis)
	st      []int // strides of all coalesced axes: operand k's from st[k*sst]
	sst     int   // distance in st between two operands' strides
	Inner   int   // elements in one inner run
	NRows   int   // number of inner runs
	InnerSt []int // per operand: stride of the inner axis
}

// strides returns operand k's strides of the coalesced axes.
func (r *rows) strides(k int) []int { return r.st[k*r.sst:][:len(r.outer)+1] }

// makeRows is makeRowsIn with storage of its own (one allocation).
func makeRows(shape []int, strides ...[]int) rows { return makeRowsIn(nil, shape, strides...) }

// rowsLen is the number of ints of storage makeRowsIn needs for ndim axes
// and nops operands.
func rowsLen(ndim, nops int) int { return max(ndim, 1)*(1+nops) + nops }

// makeRowsIn coalesces shape for the operands' strides (one slice per
// operand). The rows' slices live in buf when it holds rowsLen of them,
// else in one new allocation: the caller keeps buf unchanged while it
// uses the rows.
func makeRowsIn(buf []int, shape []int, strides ...[]int) rows {
	nops, m := len(strides), max(len(shape), 1)
	need := rowsLen(len(shape), nops)
	if len(buf) < need {
		buf = make([]int, need)
	}
	// operand k's strides at st[k*m:], m apart whatever the axes left
	sh, st, innerSt := buf[:0:m], buf[m:m+m*nops], buf[m+m*nops:need]
	for i, d := range shape {
		if d == 1 {
			continue
		}
		for k := range strides {
			st[k*m+len(sh)] = strides[k][i]
		}
		sh = append(sh, d)
	}
	for i := len(sh) - 2; i >= 0; i-- {
		merge := true
		for k := 0; k < nops; k++ {
			if s := st[k*m:]; s[i] != s[i+1]*sh[i+1] {
				merge = false
				break
			}
		}
		if !merge {
			continue
		}
		sh[i+1] *= sh[i]
		for k := 0; k < nops; k++ {
			s := st[k*m : k*m+len(sh)]
			copy(s[i:], s[i+1:])
		}
		sh = append(sh[:i], sh[i+1:]...)
	}
	if len(sh) == 0 {
		sh = append(sh, 1)
		for k := 0; k < nops; k++ {
			st[k*m] = 0
		}
	}
	nd := len(sh)
	r := rows{outer: sh[:nd-1], st: st, sst: m, Inner: sh[nd-1], NRows: 1, InnerSt: innerSt}
	for _, d := range r.outer {
		r.NRows *= d
	}
	for k := range innerSt {
		innerSt[k] = st[k*m+nd-1]
	}
	return r
}

// clone returns a copy of r in storage of its own.
func (r *rows) clone() rows {
	nd, nops := len(r.outer)+1, len(r.InnerSt)
	buf := make([]int, rowsLen(nd, nops))
	c := rows{outer: buf[:nd-1], st: buf[nd : nd+nd*nops], sst: nd, Inner: r.Inner, NRows: r.NRows, InnerSt: buf[nd+nd*nops:]}
	copy(c.outer, r.outer)
	for k := 0; k < nops; k++ {
		copy(c.st[k*nd:(k+1)*nd], r.strides(k))
	}
	copy(c.InnerSt, r.InnerSt)
	return c
}

// forRows calls fn(row, offsets) for rows [lo, hi), where offsets[k] is the
// byte offset of the row's first element in operand k.
func (r rows) forRows(lo, hi int, fn func(row int, offs []int)) {
	nd, nops := len(r.outer), len(r.InnerSt)
	idx := make([]int, nd)
	offs := make([]int, nops)
	rem := lo
	for i := nd - 1; i >= 0; i-- {
		idx[i] = rem % r.outer[i]
		rem /= r.outer[i]
		for k := 0; k < nops; k++ {
			offs[k] += idx[i] * r.st[k*r.sst+i]
		}
	}
	for row := lo; row < hi; row++ {
		fn(row, offs)
		for i := nd - 1; i >= 0; i-- {
			idx[i]++
			for k := 0; k < nops; k++ {
				offs[k] += r.st[k*r.sst+i]
			}
			if idx[i] < r.outer[i] {
				break
			}
			for k := 0; k < nops; k++ {
				offs[k] -= r.st[k*r.sst+i] * r.outer[i]
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
	piece := make([]int, len(r.InnerSt))
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
