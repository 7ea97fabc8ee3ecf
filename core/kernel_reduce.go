package core

import (
	"fmt"
	"slices"
	"unsafe"
)

// ReduceOp selects a reduction kernel.
type ReduceOp uint8

// The reductions. Sum accumulates in dst's dtype (numpy's dtype=); Min and
// Max need dst of src's dtype and propagate NaN, as numpy's do.
const (
	OpSum ReduceOp = iota
	OpMin
	OpMax
)

func (op ReduceOp) String() string {
	return [...]string{"sum", "min", "max"}[op]
}

// Reduce reduces src over axes (sorted, distinct, in range; all axes for a
// full reduction) into dst, whose shape is src's without those axes. Float
// sums are pairwise (numpy's algorithm within each chunk of Grain elements,
// chunks combined as a balanced tree), so their accuracy is at least
// numpy's and the result is the same for every thread count.
func Reduce(ex *Exec, op ReduceOp, dst, src *Array, axes []int) error {
	if dst.readonly {
		return fmt.Errorf("%w: output array is read-only", ErrReadOnly)
	}
	nd := src.NDim()
	red := make([]bool, nd)
	for i, ax := range axes {
		if ax < 0 || ax >= nd || (i > 0 && axes[i-1] >= ax) {
			return fmt.Errorf("%w: reduction axes %v for an array of dimension %d", ErrAxis, axes, nd)
		}
		red[ax] = true
	}
	var kept, perm []int
	for i := 0; i < nd; i++ {
		if !red[i] {
			kept = append(kept, src.shape[i])
			perm = append(perm, i)
		}
	}
	perm = append(perm, axes...)
	if !slices.Equal(dst.shape, kept) {
		return fmt.Errorf("%w: %v over axes %v of shape %s needs an output of shape %s, got %s",
			ErrShape, op, axes, shapeString(src.shape), shapeString(kept), shapeString(dst.shape))
	}
	if op != OpSum && dst.dtype != src.dtype {
		return fmt.Errorf("%w: %v of %v into %v", ErrDType, op, src.dtype, dst.dtype)
	}
	nred := 1
	for _, ax := range axes {
		nred *= src.shape[ax]
	}
	if nred == 0 && op != OpSum {
		return fmt.Errorf("%w: zero-size array to reduction operation %s which has no identity", ErrValue, [...]string{"", "minimum", "maximum"}[op])
	}
	if dst.Size() == 0 {
		return nil
	}
	s, err := src.Transpose(perm)
	if err != nil {
		return err
	}
	return reduceDispatch(ex, op, dst, s, len(kept))
}

// reduceDispatch picks the typed kernel: the accumulator is dst's dtype,
// the elements src's. Booleans are read as uint8.
func reduceDispatch(ex *Exec, op ReduceOp, dst, src *Array, nkept int) error {
	switch dst.dtype {
	case Bool, Uint8:
		return reduceIn[uint8](ex, op, dst, src, nkept)
	case Int8:
		return reduceIn[int8](ex, op, dst, src, nkept)
	case Int16:
		return reduceIn[int16](ex, op, dst, src, nkept)
	case Int32:
		return reduceIn[int32](ex, op, dst, src, nkept)
	case Int64:
		return reduceIn[int64](ex, op, dst, src, nkept)
	case Uint16:
		return reduceIn[uint16](ex, op, dst, src, nkept)
	case Uint32:
		return reduceIn[uint32](ex, op, dst, src, nkept)
	case Uint64:
		return reduceIn[uint64](ex, op, dst, src, nkept)
	case Float32:
		return reduceIn[float32](ex, op, dst, src, nkept)
	case Float64:
		return reduceIn[float64](ex, op, dst, src, nkept)
	case Complex64:
		return reduceComplexIn[complex64](ex, op, dst, src, nkept)
	case Complex128:
		return reduceComplexIn[complex128](ex, op, dst, src, nkept)
	}
	return fmt.Errorf("%w: %v into %v is not implemented", ErrDType, op, dst.dtype)
}

func reduceIn[Acc Real](ex *Exec, op ReduceOp, dst, src *Array, nkept int) error {
	switch src.dtype {
	case Bool, Uint8:
		return reduceTyped(ex, op, dst, src, nkept, realRun[uint8, Acc](op), realComb[Acc](op))
	case Int8:
		return reduceTyped(ex, op, dst, src, nkept, realRun[int8, Acc](op), realComb[Acc](op))
	case Int16:
		return reduceTyped(ex, op, dst, src, nkept, realRun[int16, Acc](op), realComb[Acc](op))
	case Int32:
		return reduceTyped(ex, op, dst, src, nkept, realRun[int32, Acc](op), realComb[Acc](op))
	case Int64:
		return reduceTyped(ex, op, dst, src, nkept, realRun[int64, Acc](op), realComb[Acc](op))
	case Uint16:
		return reduceTyped(ex, op, dst, src, nkept, realRun[uint16, Acc](op), realComb[Acc](op))
	case Uint32:
		return reduceTyped(ex, op, dst, src, nkept, realRun[uint32, Acc](op), realComb[Acc](op))
	case Uint64:
		return reduceTyped(ex, op, dst, src, nkept, realRun[uint64, Acc](op), realComb[Acc](op))
	case Float32:
		return reduceTyped(ex, op, dst, src, nkept, realRun[float32, Acc](op), realComb[Acc](op))
	case Float64:
		return reduceTyped(ex, op, dst, src, nkept, realRun[float64, Acc](op), realComb[Acc](op))
	}
	return fmt.Errorf("%w: %v of %v into %v is not implemented", ErrDType, op, src.dtype, dst.dtype)
}

func reduceComplexIn[Acc ~complex64 | ~complex128](ex *Exec, op ReduceOp, dst, src *Array, nkept int) error {
	if op != OpSum {
		return fmt.Errorf("%w: %v is not implemented for %v", ErrDType, op, src.dtype)
	}
	if src.dtype != dst.dtype {
		return fmt.Errorf("%w: sum of %v into %v is not implemented", ErrDType, src.dtype, dst.dtype)
	}
	size := dst.dtype.Size()
	run := func(p unsafe.Pointer, stride, n int) Acc {
		if stride == size {
			return pairwiseSum(sliceAt[Acc](p, n))
		}
		var s Acc
		for i := 0; i < n; i++ {
			s += *at[Acc](p, i*stride)
		}
		return s
	}
	return reduceTyped(ex, op, dst, src, nkept, run, func(a, b Acc) Acc { return a + b })
}

// runFunc reduces one run of n elements at p, stride bytes apart.
type runFunc[Acc any] func(p unsafe.Pointer, stride, n int) Acc

func realComb[Acc Real](op ReduceOp) func(a, b Acc) Acc {
	switch op {
	case OpMin:
		return func(a, b Acc) Acc { return pickReal(false, a, b) }
	case OpMax:
		return func(a, b Acc) Acc { return pickReal(true, a, b) }
	}
	return func(a, b Acc) Acc { return a + b }
}

func realRun[In, Acc Real](op ReduceOp) runFunc[Acc] {
	var zero In
	size := int(unsafe.Sizeof(zero))
	return func(p unsafe.Pointer, stride, n int) Acc {
		if stride == size {
			x := sliceAt[In](p, n)
			if op == OpSum {
				if xa, ok := any(x).([]Acc); ok {
					return pairwiseSum(xa)
				}
				return pairwiseConv[In, Acc](x)
			}
			if xa, ok := any(x).([]Acc); ok {
				return minMaxRun(op == OpMax, xa)
			}
		}
		if op == OpSum {
			var s Acc
			for i := 0; i < n; i++ {
				s += Acc(*at[In](p, i*stride))
			}
			return s
		}
		acc := Acc(*at[In](p, 0))
		for i := 1; i < n; i++ {
			acc = pickReal(op == OpMax, acc, Acc(*at[In](p, i*stride)))
		}
		return acc
	}
}

// reduceTyped: src has been transposed so its first nkept axes are dst's
// and the rest are reduced; run reduces one inner run, comb combines two
// partial results.
func reduceTyped[Acc Number](ex *Exec, op ReduceOp, dst, src *Array, nkept int, run runFunc[Acc], comb func(a, b Acc) Acc) error {
	rr := makeRows(src.shape[nkept:], src.strides[nkept:])
	one := func(base unsafe.Pointer, lo, hi int) Acc { // rows [lo, hi) of one reduction
		var acc Acc
		first := true
		rr.forRows(lo, hi, func(_ int, offs []int) {
			v := run(unsafe.Add(base, offs[0]), rr.InnerSt[0], rr.Inner)
			if first {
				acc, first = v, false
			} else {
				acc = comb(acc, v)
			}
		})
		return acc
	}
	span := func(base unsafe.Pointer, lo, hi int) Acc { // elements [lo, hi) of one reduction
		var acc Acc
		first := true
		rr.forSpan(lo, hi, func(offs []int, n int) {
			v := run(unsafe.Add(base, offs[0]), rr.InnerSt[0], n)
			if first {
				acc, first = v, false
			} else {
				acc = comb(acc, v)
			}
		})
		return acc
	}
	empty := rr.NRows*rr.Inner == 0
	kr := makeRows(dst.shape, dst.strides, src.strides[:nkept])
	if dst.Size() < 2*ex.threads() {
		// Few outputs: parallelise each reduction over its rows.
		var err error
		kr.forRows(0, kr.NRows, func(_ int, offs []int) {
			base := unsafe.Add(src.Data(), offs[1])
			for i := 0; i < kr.Inner && err == nil; i++ {
				b := unsafe.Add(base, i*kr.InnerSt[1])
				var v Acc
				if !empty {
					v, err = ParallelReduce(ex, rr.NRows*rr.Inner, Grain, func(lo, hi int) Acc { return span(b, lo, hi) }, comb)
				}
				*at[Acc](dst.Data(), offs[0]+i*kr.InnerSt[0]) = v
			}
		})
		return err
	}
	// Many outputs: each goroutine takes whole rows of outputs.
	grain := max(1, Grain/max(rr.NRows*rr.Inner*kr.Inner, 1))
	return ParallelChunks(ex, kr.NRows, grain, func(_, lo, hi int) {
		kr.forRows(lo, hi, func(_ int, offs []int) {
			for i := 0; i < kr.Inner; i++ {
				var v Acc
				if !empty {
					v = one(unsafe.Add(src.Data(), offs[1]+i*kr.InnerSt[1]), 0, rr.NRows)
				}
				*at[Acc](dst.Data(), offs[0]+i*kr.InnerSt[0]) = v
			}
		})
	})
}

// pickReal is numpy's minimum/maximum of two values: a NaN wins.
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

func minMaxRun[T Real](isMax bool, x []T) T {
	acc := x[0]
	for _, v := range x[1:] {
		if v != v {
			return v
		}
		if isMax {
			if v > acc {
				acc = v
			}
		} else if v < acc {
			acc = v
		}
	}
	return acc
}

// pairwiseSum is numpy's pairwise summation (8 accumulators over blocks of
// up to 128 elements, halves summed recursively above that).
func pairwiseSum[T Number](x []T) T {
	n := len(x)
	switch {
	case n < 8:
		var s T
		for _, v := range x {
			s += v
		}
		return s
	case n <= 128:
		r0, r1, r2, r3, r4, r5, r6, r7 := x[0], x[1], x[2], x[3], x[4], x[5], x[6], x[7]
		i := 8
		for ; i+8 <= n; i += 8 {
			b := x[i : i+8 : i+8]
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
			s += x[i]
		}
		return s
	}
	n2 := n / 2
	n2 -= n2 % 8
	return pairwiseSum(x[:n2]) + pairwiseSum(x[n2:])
}

// pairwiseConv sums x in the accumulator type: leaves of up to 512
// elements are converted into a buffer and summed pairwise, and the leaves
// are combined pairwise too.
func pairwiseConv[In, Acc Real](x []In) Acc {
	if len(x) > 512 {
		n2 := len(x) / 2
		n2 -= n2 % 8
		return pairwiseConv[In, Acc](x[:n2]) + pairwiseConv[In, Acc](x[n2:])
	}
	var buf [512]Acc
	b := buf[:len(x)]
	for i, v := range x {
		b[i] = Acc(v)
	}
	return pairwiseSum(b)
}
