package core

// all, any and count_nonzero: every dtype read as unsigned words.

import (
	"fmt"
	"sync/atomic"
	"unsafe"
)

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
	if op == OpCountNonzero {
		return runReducer(ex, &countReducer[U]{mask: mask, lanes: lanes}, dst, src, nkept, nred)
	}
	r := &allAnyReducer[U]{mask: mask, lanes: lanes, isAny: op == OpAny}
	if dst.Size() == 1 {
		r.decided = new(atomic.Bool)
	}
	return runReducer(ex, r, dst, src, nkept, nred)
}

// countReducer is count_nonzero of elements of lanes words U (masked).
type countReducer[U redWord] struct {
	redBase[int64]
	mask  U
	lanes int
}

func (r *countReducer[U]) run(p unsafe.Pointer, stride, n, _, _ int) int64 {
	var z U
	mask, lanes := r.mask, r.lanes
	var c0, c1 int64
	if lanes == 1 && stride == int(unsafe.Sizeof(z)) {
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

func (*countReducer[U]) comb(a, b int64) int64 { return a + b }

func (r *countReducer[U]) cols(acc []int64, p unsafe.Pointer, cs, ps, npos, _, _ int, init bool) {
	if init {
		clear(acc)
	}
	for k := 0; k < npos; k++ {
		row := unsafe.Add(p, k*ps)
		for j := range acc {
			acc[j] += nz01(nzWord(row, j*cs, r.lanes, r.mask))
		}
	}
}

func (*countReducer[U]) store(dst unsafe.Pointer, v int64) { redStore(dst, v) }

func (*countReducer[U]) exact() bool { return true }

// allAnyReducer is all (or any if isAny) of elements of lanes words U
// (masked). all stops at the first zero, any at the first nonzero; with
// one output (decided set), a chunk that decided the result stops the
// others.
type allAnyReducer[U redWord] struct {
	redBase[bool]
	mask    U
	lanes   int
	isAny   bool
	decided *atomic.Bool
}

func (r *allAnyReducer[U]) run(p unsafe.Pointer, stride, n, _, _ int) bool {
	mask, lanes, isAny := r.mask, r.lanes, r.isAny
	if r.decided != nil && r.decided.Load() {
		return isAny
	}
	var z U
	size := int(unsafe.Sizeof(z))
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
	if r.decided != nil && res == isAny {
		r.decided.Store(true)
	}
	return res
}

func (r *allAnyReducer[U]) comb(a, b bool) bool {
	if r.isAny {
		return a || b
	}
	return a && b
}

func (r *allAnyReducer[U]) cols(acc []bool, p unsafe.Pointer, cs, ps, npos, _, _ int, init bool) {
	if init {
		for j := range acc {
			acc[j] = !r.isAny
		}
	}
	for k := 0; k < npos; k++ {
		row := unsafe.Add(p, k*ps)
		for j := range acc {
			if nz := nzWord(row, j*cs, r.lanes, r.mask) != 0; nz == r.isAny {
				acc[j] = r.isAny
			}
		}
	}
}

func (*allAnyReducer[U]) store(dst unsafe.Pointer, v bool) { redStore(dst, v) }

func (r *allAnyReducer[U]) identity() bool { return !r.isAny }

func (*allAnyReducer[U]) exact() bool { return true }
