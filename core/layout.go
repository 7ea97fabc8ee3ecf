package core

import (
	"fmt"
	"math"
	"math/bits"
	"unsafe"
)

// MaxDims is the largest number of dimensions an Array may have (numpy 2's
// NPY_MAXDIMS and the buffer protocol's PyBUF_MAX_NDIM).
const MaxDims = 64

// Order is a memory layout for new arrays.
type Order byte

const (
	// COrder: the last index varies fastest (row-major).
	COrder Order = 'C'
	// FOrder: the first index varies fastest (column-major, Fortran).
	FOrder Order = 'F'
)

// NumElements returns the product of shape, or an ErrShape error if a
// dimension is negative, there are more than MaxDims, or the byte size
// (times itemsize) does not fit in an int64. As in numpy, the nonzero
// dimensions must fit even when another one is zero: (0, 2**62, 4) float64
// is too big although it has no elements.
func NumElements(shape []int, itemsize int) (int, error) {
	if len(shape) > MaxDims {
		return 0, fmt.Errorf("%w: %d dimensions exceed the maximum of %d", ErrShape, len(shape), MaxDims)
	}
	for _, d := range shape {
		if d < 0 {
			return 0, fmt.Errorf("%w: negative dimensions are not allowed (shape %v)", ErrShape, shape)
		}
	}
	limit := math.MaxInt64
	if itemsize > 0 {
		limit = math.MaxInt64 / itemsize
	}
	n := 1
	zero := false
	for _, d := range shape {
		if d == 0 {
			zero = true
			continue
		}
		if n > limit/d {
			return 0, fmt.Errorf("%w: array of shape %v with itemsize %d is too big (byte size overflows int64)", ErrShape, shape, itemsize)
		}
		n *= d
	}
	if zero {
		return 0, nil
	}
	return n, nil
}

// StandardStrides returns the contiguous byte strides of shape in the given
// order. Dimensions of length 0 or 1 still get the stride they would have in
// a contiguous block, as numpy computes them.
func StandardStrides(shape []int, itemsize int, order Order) []int {
	strides := make([]int, len(shape))
	fillStandardStrides(strides, shape, itemsize, order)
	return strides
}

// FillStandardStrides writes StandardStrides(shape, itemsize, COrder)
// into strides (of len(shape)), for callers that keep them in their own
// storage.
func FillStandardStrides(strides, shape []int, itemsize int) {
	fillStandardStrides(strides, shape, itemsize, COrder)
}

func fillStandardStrides(strides, shape []int, itemsize int, order Order) {
	sd := itemsize
	if order == FOrder {
		for i := 0; i < len(shape); i++ {
			strides[i] = sd
			sd *= max(shape[i], 1)
		}
		return
	}
	for i := len(shape) - 1; i >= 0; i-- {
		strides[i] = sd
		sd *= max(shape[i], 1)
	}
}

// IsCContiguous reports numpy's C_CONTIGUOUS flag for a layout: every axis of
// length > 1 has the row-major stride. Arrays with a zero-length axis and 0-d
// arrays are contiguous.
func IsCContiguous(shape, strides []int, itemsize int) bool {
	sd := itemsize
	ok := true
	for i := len(shape) - 1; i >= 0; i-- {
		d := shape[i]
		if d == 0 {
			return true
		}
		if d != 1 {
			if strides[i] != sd {
				ok = false
			}
			sd *= d
		}
	}
	return ok
}

// IsFContiguous reports numpy's F_CONTIGUOUS flag for a layout (see
// IsCContiguous).
func IsFContiguous(shape, strides []int, itemsize int) bool {
	sd := itemsize
	ok := true
	for i := 0; i < len(shape); i++ {
		d := shape[i]
		if d == 0 {
			return true
		}
		if d != 1 {
			if strides[i] != sd {
				ok = false
			}
			sd *= d
		}
	}
	return ok
}

// ExtentChecked is Extent for layouts nobody has checked yet (a foreign
// exporter's or a DLPack producer's strides can be anything): ok is false
// when the byte range, or its length, does not fit in an int, where
// Extent's sums would wrap around into a range that looks valid.
func ExtentChecked(shape, strides []int, itemsize int) (lo, hi int, ok bool) {
	for _, d := range shape {
		if d == 0 {
			return 0, 0, true
		}
	}
	hi = itemsize
	for i, d := range shape {
		if d <= 1 {
			continue
		}
		// absInt(MinInt64) is MinInt64, which uint64 reads as 2**63: still exact
		hiProd, loProd := bits.Mul64(uint64(absInt(strides[i])), uint64(d-1))
		if hiProd != 0 || loProd > math.MaxInt64 {
			return 0, 0, false
		}
		s := int(loProd)
		if strides[i] < 0 {
			if lo < math.MinInt64+s {
				return 0, 0, false
			}
			lo -= s
		} else {
			if hi > math.MaxInt64-s {
				return 0, 0, false
			}
			hi += s
		}
	}
	if lo < 0 && hi > math.MaxInt64+lo { // hi - lo overflows
		return 0, 0, false
	}
	return lo, hi, true
}

// AddressRangeOK reports whether the bytes [p+lo, p+hi) (lo <= 0 <= hi, from
// ExtentChecked) lie inside the address space, without wrapping around
// either end: a foreign layout claiming memory below address 0 or above the
// top cannot describe real memory.
func AddressRangeOK(p unsafe.Pointer, lo, hi int) bool {
	base := uintptr(p)
	return uintptr(-lo) <= base && uintptr(hi) <= ^uintptr(0)-base
}

// Extent returns the lowest and one-past-highest byte offsets, relative to
// the first element, that a layout touches. For an empty layout both are 0.
func Extent(shape, strides []int, itemsize int) (lo, hi int) {
	for _, d := range shape {
		if d == 0 {
			return 0, 0
		}
	}
	for i, d := range shape {
		s := strides[i] * (d - 1)
		if s < 0 {
			lo += s
		} else {
			hi += s
		}
	}
	return lo, hi + itemsize
}
