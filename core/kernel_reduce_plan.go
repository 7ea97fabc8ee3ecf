package core

// Reductions: the public entries (Reduce, ArgReduce), the plan of a
// reduction (which axes are kept, which reduced, and the transposed view of
// the source that puts the kept ones first) and the choice of the reducer
// family for an op. kernel_reduce_engine.go splits the work; the families'
// typed loops are in kernel_reduce_sum.go, kernel_reduce_minmax.go,
// kernel_reduce_arg.go, kernel_reduce_nonzero.go and kernel_reduce_var.go.

import (
	"fmt"
	"slices"
)

// ReduceOp selects a reduction kernel.
type ReduceOp uint8

// The reductions of Reduce. Sum and Prod accumulate in dst's dtype
// (numpy's dtype=); Min and Max need dst of src's dtype and propagate NaN,
// as numpy's do; All and Any write a Bool dst, CountNonzero an Int64 dst,
// from any src dtype (float16 and complex included).
const (
	OpSum ReduceOp = iota
	OpMin
	OpMax
	OpProd
	OpAll
	OpAny
	OpCountNonzero
)

var reduceNames = [...]string{"sum", "min", "max", "prod", "all", "any", "count_nonzero"}

func (op ReduceOp) String() string {
	if int(op) < len(reduceNames) {
		return reduceNames[op]
	}
	return fmt.Sprintf("ReduceOp(%d)", uint8(op))
}

// Reduce reduces src over axes (sorted, distinct, in range; all axes for a
// full reduction) into dst, whose shape is src's without those axes.
//
// Float sums are pairwise (numpy's algorithm), so their accuracy is at
// least numpy's. Every output is reduced in chunks whose boundaries depend
// only on the shapes, and partial results are combined in a fixed order,
// so the result is bit-identical for every thread count. dst must not
// overlap src (the Python layer reduces into a temporary then).
func Reduce(ex *Exec, op ReduceOp, dst, src *Array, axes []int) error {
	if int(op) >= len(reduceNames) {
		return fmt.Errorf("%w: unknown reduction %v", ErrValue, op)
	}
	var dims [2 * planDims]int
	s, nkept, nred, err := planReduce(op.String(), dst, src, axes, &dims)
	if err != nil {
		return err
	}
	if err := checkReduceDTypes(op, dst.dtype, src.dtype); err != nil {
		return err
	}
	if nred == 0 && (op == OpMin || op == OpMax) {
		return fmt.Errorf("%w: zero-size array to reduction operation %s which has no identity",
			ErrValue, map[ReduceOp]string{OpMin: "minimum", OpMax: "maximum"}[op])
	}
	if dst.Size() == 0 {
		return nil
	}
	return reduceDispatch(ex, op, dst, &s, nkept, nred)
}

// ArgReduce writes to dst (Int64) the index of the first minimum (isMax
// false) or maximum of src over axes, counted in C order over the reduced
// axes (all axes: the index into the flattened array). A NaN is both the
// minimum and the maximum, as in numpy.
func ArgReduce(ex *Exec, isMax bool, dst, src *Array, axes []int) error {
	name := "argmin"
	if isMax {
		name = "argmax"
	}
	var dims [2 * planDims]int
	s, nkept, nred, err := planReduce(name, dst, src, axes, &dims)
	if err != nil {
		return err
	}
	if dst.dtype != Int64 {
		return fmt.Errorf("%w: %s writes int64 indices, not %v", ErrDType, name, dst.dtype)
	}
	if nred == 0 {
		return fmt.Errorf("%w: attempt to get %s of an empty sequence", ErrValue, name)
	}
	if dst.Size() == 0 {
		return nil
	}
	return argDispatch(ex, isMax, dst, &s, nkept, nred)
}

// planDims is the number of axes whose permuted shape and strides
// planReduce keeps in its caller's storage.
const planDims = 8

// planReduce checks dst and axes and returns src with its axes permuted
// so that the kept ones (dst's) come first, in order, then the reduced
// ones, in order; the number of kept axes; and the number of elements each
// output reduces. The view's shape and strides live in dims when src has
// at most planDims axes (the caller keeps dims while it uses the view).
func planReduce(name string, dst, src *Array, axes []int, dims *[2 * planDims]int) (s Array, nkept, nred int, err error) {
	if dst.readonly {
		return s, 0, 0, fmt.Errorf("%w: output array is read-only", ErrReadOnly)
	}
	nd := src.NDim()
	for i, ax := range axes {
		if ax < 0 || ax >= nd || (i > 0 && axes[i-1] >= ax) {
			return s, 0, 0, fmt.Errorf("%w: reduction axes %v for an array of dimension %d", ErrAxis, axes, nd)
		}
	}
	var shape, strides []int
	if nd <= planDims {
		shape, strides = dims[:nd:nd], dims[planDims:planDims+nd:planDims+nd]
	} else {
		shape, strides = make([]int, nd), make([]int, nd)
	}
	nkept, nred = nd-len(axes), 1
	k, r := 0, nkept // the next kept and reduced positions
	for i := 0; i < nd; i++ {
		if r < nd && axes[r-nkept] == i {
			shape[r], strides[r] = src.shape[i], src.strides[i]
			nred *= src.shape[i]
			r++
		} else {
			shape[k], strides[k] = src.shape[i], src.strides[i]
			k++
		}
	}
	if kept := shape[:nkept]; !slices.Equal(dst.shape, kept) {
		return s, 0, 0, fmt.Errorf("%w: %s over axes %v of shape %s needs an output of shape %s, got %s",
			ErrShape, name, axes, shapeString(src.shape), shapeString(kept), shapeString(dst.shape))
	}
	s = Array{buf: src.buf, offset: src.offset, shape: shape, strides: strides, dtype: src.dtype, readonly: src.readonly}
	return s, nkept, nred, nil
}

func checkReduceDTypes(op ReduceOp, d, s DType) error {
	bad := false
	switch op {
	case OpSum, OpProd:
		bad = d == Bool || d == Float16 || s == Float16 || (d.Kind() == 'c' || s.Kind() == 'c') && d != s
	case OpMin, OpMax:
		bad = d != s || d == Float16
	case OpAll, OpAny:
		bad = d != Bool
	case OpCountNonzero:
		bad = d != Int64
	}
	if bad || !d.Valid() || !s.Valid() {
		return fmt.Errorf("%w: %v of %v into %v is not implemented", ErrDType, op, s, d)
	}
	return nil
}

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
		return runReducer(ex, &arithComplexReducer[complex64]{prod}, dst, src, nkept, nred)
	case Complex128:
		return runReducer(ex, &arithComplexReducer[complex128]{prod}, dst, src, nkept, nred)
	}
	return fmt.Errorf("%w: %v into %v is not implemented", ErrDType, op, dst.dtype)
}
