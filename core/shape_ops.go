package core

import (
	"fmt"
	"math"
	"strings"
)

// ErrAxis: an axis number out of range for the array (numpy's AxisError).
var ErrAxis = fmt.Errorf("%w: axis out of bounds", ErrIndex)

// shapeString formats a shape as numpy does: (3,), (2, 3), ().
func shapeString(shape []int) string {
	parts := make([]string, len(shape))
	for i, d := range shape {
		parts[i] = fmt.Sprint(d)
	}
	if len(shape) == 1 {
		return "(" + parts[0] + ",)"
	}
	return "(" + strings.Join(parts, ", ") + ")"
}

// ResolveShape replaces a single -1 in newShape with the length that keeps
// size elements, as numpy.reshape does.
func ResolveShape(size int, newShape []int) ([]int, error) {
	out := append([]int(nil), newShape...)
	unknown := -1
	known := 1
	for i, d := range out {
		switch {
		case d < 0: // numpy takes any negative length as the unknown one
			if unknown >= 0 {
				return nil, fmt.Errorf("%w: can only specify one unknown dimension", ErrShape)
			}
			unknown = i
		case d != 0 && known > math.MaxInt64/d:
			// numpy's _fix_unknown_dimension refuses a product that
			// overflows; unchecked, (2**62, 4) would wrap to size 0.
			return nil, fmt.Errorf("%w: cannot reshape array of size %d into shape %s", ErrShape, size, shapeString(newShape))
		default:
			known *= d
		}
	}
	if len(out) > MaxDims {
		return nil, fmt.Errorf("%w: %d dimensions exceed the maximum of %d", ErrShape, len(out), MaxDims)
	}
	if unknown >= 0 {
		if known == 0 || size%known != 0 {
			return nil, fmt.Errorf("%w: cannot reshape array of size %d into shape %s", ErrShape, size, shapeString(newShape))
		}
		out[unknown] = size / known
	} else if known != size {
		return nil, fmt.Errorf("%w: cannot reshape array of size %d into shape %s", ErrShape, size, shapeString(newShape))
	}
	return out, nil
}

// ReshapeView returns a view of a with newShape (which may hold one -1) whose
// elements, read in the given order, are a's elements in that order; ok is
// false when no view can express it and a copy is needed (numpy's
// _attempt_nocopy_reshape).
func (a *Array) ReshapeView(newShape []int, order Order) (v *Array, ok bool, err error) {
	shape, err := ResolveShape(a.Size(), newShape)
	if err != nil {
		return nil, false, err
	}
	isize := a.dtype.Size()
	if _, err := NumElements(shape, isize); err != nil {
		return nil, false, err
	}
	if sameShape(newShape, a.shape) {
		// numpy's PyArray_NewShape returns a plain view when nothing changes,
		// keeping the strides of length-1 axes that a relayout would redo.
		return a.view(a.offset, shape, append([]int(nil), a.strides...), a.dtype), true, nil
	}
	if (order == FOrder && a.IsFContiguous()) || (order != FOrder && a.IsCContiguous()) {
		return a.view(a.offset, shape, StandardStrides(shape, isize, order), a.dtype), true, nil
	}
	strides, ok := nocopyStrides(a.shape, a.strides, shape, isize, order == FOrder)
	if !ok {
		return nil, false, nil
	}
	return a.view(a.offset, shape, strides, a.dtype), true, nil
}

func nocopyStrides(oshape, ostrides, newdims []int, itemsize int, fOrder bool) ([]int, bool) {
	var olddims, oldstrides []int
	for i, d := range oshape {
		if d != 1 {
			olddims = append(olddims, d)
			oldstrides = append(oldstrides, ostrides[i])
		}
	}
	oldnd, newnd := len(olddims), len(newdims)
	newstrides := make([]int, newnd)
	oi, oj, ni, nj := 0, 1, 0, 1
	for ni < newnd && oi < oldnd {
		np, op := newdims[ni], olddims[oi]
		for np != op {
			if np < op {
				np *= newdims[nj]
				nj++
			} else {
				op *= olddims[oj]
				oj++
			}
		}
		for ok := oi; ok < oj-1; ok++ {
			if fOrder {
				if oldstrides[ok+1] != olddims[ok]*oldstrides[ok] {
					return nil, false
				}
			} else if oldstrides[ok] != olddims[ok+1]*oldstrides[ok+1] {
				return nil, false
			}
		}
		if fOrder {
			newstrides[ni] = oldstrides[oi]
			for nk := ni + 1; nk < nj; nk++ {
				newstrides[nk] = newstrides[nk-1] * newdims[nk-1]
			}
		} else {
			newstrides[nj-1] = oldstrides[oj-1]
			for nk := nj - 1; nk > ni; nk-- {
				newstrides[nk-1] = newstrides[nk] * newdims[nk]
			}
		}
		ni = nj
		nj++
		oi = oj
		oj++
	}
	last := itemsize
	if ni >= 1 {
		last = newstrides[ni-1]
		if fOrder {
			last *= newdims[ni-1]
		}
	}
	for nk := ni; nk < newnd; nk++ {
		newstrides[nk] = last
	}
	return newstrides, true
}

// NormalizeAxis maps a possibly negative axis onto 0..ndim-1.
func NormalizeAxis(axis, ndim int) (int, error) {
	if axis < -ndim || axis >= ndim {
		return 0, fmt.Errorf("%w: axis %d is out of bounds for array of dimension %d", ErrAxis, axis, ndim)
	}
	if axis < 0 {
		axis += ndim
	}
	return axis, nil
}

// Transpose returns a view with the axes permuted; with no axes it reverses
// them, as numpy.transpose does.
func (a *Array) Transpose(axes []int) (*Array, error) {
	nd := len(a.shape)
	perm := make([]int, nd)
	if len(axes) == 0 {
		for i := range perm {
			perm[i] = nd - 1 - i
		}
	} else {
		if len(axes) != nd {
			return nil, fmt.Errorf("%w: axes don't match array (got %d axes for an array of dimension %d)", ErrValue, len(axes), nd)
		}
		seen := make([]bool, nd)
		for i, ax := range axes {
			n, err := NormalizeAxis(ax, nd)
			if err != nil {
				return nil, err
			}
			if seen[n] {
				return nil, fmt.Errorf("%w: repeated axis in transpose", ErrValue)
			}
			seen[n] = true
			perm[i] = n
		}
	}
	shape := make([]int, nd)
	strides := make([]int, nd)
	for i, p := range perm {
		shape[i] = a.shape[p]
		strides[i] = a.strides[p]
	}
	return a.view(a.offset, shape, strides, a.dtype), nil
}

// BroadcastTo returns a read-only view of a with the given shape, using zero
// strides for the broadcast axes (numpy.broadcast_to).
func (a *Array) BroadcastTo(shape []int) (*Array, error) {
	if _, err := NumElements(shape, a.dtype.Size()); err != nil {
		return nil, err
	}
	nd, ad := len(shape), len(a.shape)
	if ad > nd && nd == 0 {
		return nil, fmt.Errorf("%w: cannot broadcast a non-scalar to a scalar array", ErrShape)
	}
	if ad > nd {
		return nil, fmt.Errorf("%w: input operand has more dimensions (%d) than the requested shape %s", ErrShape, ad, shapeString(shape))
	}
	strides := make([]int, nd)
	for i := 0; i < nd; i++ {
		j := i - (nd - ad)
		if j < 0 {
			continue
		}
		switch {
		case shape[i] == 1 && a.shape[j] == 1:
			// numpy's broadcast_to (an nditer) gives length-1 axes stride 0;
			// a longer (or empty) axis does not broadcast to length 1.
			strides[i] = 0
		case a.shape[j] == shape[i]:
			strides[i] = a.strides[j]
		case a.shape[j] == 1:
			strides[i] = 0
		default:
			return nil, fmt.Errorf("%w: operands could not be broadcast together with remapped shapes [original->remapped]: %s and requested shape %s",
				ErrShape, shapeString(a.shape), shapeString(shape))
		}
	}
	v := a.view(a.offset, append([]int(nil), shape...), strides, a.dtype)
	v.readonly = true
	return v, nil
}

// ViewAs reinterprets the bytes as another dtype, as numpy's view(dtype):
// with a different itemsize the last axis must be contiguous and changes
// length. Like numpy it may give an array whose elements are not aligned
// (see Aligned).
func (a *Array) ViewAs(d DType) (*Array, error) {
	if !d.Valid() {
		return nil, fmt.Errorf("%w: %v", ErrDType, d)
	}
	old, nw := a.dtype.Size(), d.Size()
	shape := append([]int(nil), a.shape...)
	strides := append([]int(nil), a.strides...)
	if old != nw {
		nd := len(shape)
		if nd == 0 {
			return nil, fmt.Errorf("%w: Changing the dtype of a 0d array is only supported if the itemsize is unchanged", ErrValue)
		}
		ax := nd - 1
		if shape[ax] != 1 && a.Size() != 0 && strides[ax] != old {
			return nil, fmt.Errorf("%w: To change to a dtype of a different size, the last axis must be contiguous", ErrValue)
		}
		if nw < old {
			if old%nw != 0 {
				return nil, fmt.Errorf("%w: When changing to a smaller dtype, its size must be a divisor of the size of original dtype", ErrValue)
			}
			shape[ax] *= old / nw
		} else {
			total := shape[ax] * old
			if total%nw != 0 {
				return nil, fmt.Errorf("%w: When changing to a larger dtype, its size must be a divisor of the total size in bytes of the last axis of the array.", ErrValue)
			}
			shape[ax] = total / nw
		}
		strides[ax] = nw
	}
	return a.view(a.offset, shape, strides, d), nil
}

// Aligned reports whether every element's address is a multiple of the
// dtype's alignment (numpy's ALIGNED flag): true for arrays made by New,
// possibly false for views with byte offsets and reinterpreted dtypes.
func (a *Array) Aligned() bool {
	al := a.dtype.Alignment()
	if al <= 1 || a.Size() == 0 {
		return true
	}
	if uintptr(a.Data())%uintptr(al) != 0 {
		return false
	}
	for i, st := range a.strides {
		if a.shape[i] > 1 && st%al != 0 {
			return false
		}
	}
	return true
}
