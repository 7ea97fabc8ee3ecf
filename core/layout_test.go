package core_test

import (
	"errors"
	"math"
	"slices"
	"testing"

	"github.com/goarray/goarray/core"
)

func TestNumElements(t *testing.T) {
	for _, tc := range []struct {
		shape    []int
		itemsize int
		want     int
		ok       bool
	}{
		{[]int{2, 3, 4}, 8, 24, true},
		{[]int{}, 8, 1, true},
		{nil, 1, 1, true},
		{[]int{0}, 8, 0, true},
		{[]int{5, 0, 7}, 8, 0, true},
		{make([]int, core.MaxDims), 8, 0, true},
		{slices.Repeat([]int{1}, core.MaxDims), 8, 1, true},
		{[]int{1 << 31, 1 << 31}, 1, 1 << 62, true},
		{[]int{math.MaxInt64}, 1, math.MaxInt64, true},
		{[]int{math.MaxInt64 / 8}, 8, math.MaxInt64 / 8, true},
		{[]int{0, 1 << 40}, 8, 0, true},
		{[]int{-1}, 1, 0, false},
		{[]int{3, -2}, 1, 0, false},
		{[]int{0, -1}, 1, 0, false},
		{make([]int, core.MaxDims+1), 1, 0, false},
		{[]int{1 << 32, 1 << 32}, 1, 0, false},
		{[]int{1 << 31, 1 << 31}, 2, 0, false},
		{[]int{math.MaxInt64}, 2, 0, false},
		{[]int{math.MaxInt64/8 + 1}, 8, 0, false},
		{[]int{3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3}, 1, 0, false},
		// numpy: np.empty((0, 2**62, 4)) raises "array is too big" although
		// it has no elements; the nonzero dimensions must fit.
		{[]int{0, 1 << 62, 4}, 8, 0, false},
		{[]int{1 << 62, 0, 4}, 1, 0, false},
	} {
		got, err := core.NumElements(tc.shape, tc.itemsize)
		if tc.ok != (err == nil) || got != tc.want {
			t.Errorf("NumElements(%v, %d) = %d, %v; want %d, ok=%v", tc.shape, tc.itemsize, got, err, tc.want, tc.ok)
		}
		if err != nil && !errors.Is(err, core.ErrShape) {
			t.Errorf("NumElements(%v, %d): %v does not wrap ErrShape", tc.shape, tc.itemsize, err)
		}
	}
}

func TestStandardStrides(t *testing.T) {
	for _, tc := range []struct {
		shape    []int
		itemsize int
		order    core.Order
		want     []int
	}{
		// np.empty(shape, order=order).strides, except for zero-length
		// axes: numpy 2.4 gives fresh empty arrays all-zero strides but
		// the reshape of one, np.arange(0).reshape(3, 0), (8, 8); these
		// are the latter, numpy's _array_fill_strides rule.
		{[]int{2, 3, 4}, 8, core.COrder, []int{96, 32, 8}},
		{[]int{2, 3, 4}, 8, core.FOrder, []int{8, 16, 48}},
		{[]int{2, 1, 3}, 8, core.COrder, []int{24, 24, 8}},
		{[]int{2, 1, 3}, 8, core.FOrder, []int{8, 16, 16}},
		{[]int{3, 0}, 8, core.COrder, []int{8, 8}},
		{[]int{2, 0, 3}, 4, core.COrder, []int{12, 12, 4}},
		{[]int{2, 0, 3}, 4, core.FOrder, []int{4, 8, 8}},
		{[]int{7}, 16, core.FOrder, []int{16}},
		{[]int{}, 8, core.COrder, []int{}},
	} {
		if got := core.StandardStrides(tc.shape, tc.itemsize, tc.order); !slices.Equal(got, tc.want) {
			t.Errorf("StandardStrides(%v, %d, %c) = %v, want %v", tc.shape, tc.itemsize, tc.order, got, tc.want)
		}
	}
}

func TestContiguity(t *testing.T) {
	// numpy's flags of np.lib.stride_tricks.as_strided(x, shape, strides)
	// (relaxed strides: axes of length 1 do not count, size 0 is both).
	for _, tc := range []struct {
		shape, strides []int
		itemsize       int
		c, f           bool
	}{
		{[]int{2, 3}, []int{24, 8}, 8, true, false},
		{[]int{2, 3}, []int{8, 16}, 8, false, true},
		{[]int{2, 3}, []int{-24, 8}, 8, false, false},
		{[]int{2, 3}, []int{48, 16}, 8, false, false},
		{[]int{1, 3}, []int{0, 8}, 8, true, true},
		{[]int{3, 1}, []int{8, 984}, 8, true, true},
		{[]int{1, 1}, []int{5, 7}, 8, true, true},
		{[]int{0, 3}, []int{1, 1}, 8, true, true},
		{[]int{3, 0}, []int{-5, 1000}, 8, true, true},
		{[]int{}, []int{}, 8, true, true},
		{[]int{5}, []int{8}, 8, true, true},
		{[]int{5}, []int{-8}, 8, false, false},
		{[]int{5}, []int{0}, 8, false, false},
		{[]int{2, 2}, []int{16, 8}, 8, true, false},
		{[]int{2, 2}, []int{16, 8}, 4, false, false},
		{[]int{2, 1, 3}, []int{24, 1234, 8}, 8, true, false},
		{[]int{3, 1, 2}, []int{8, -1, 24}, 8, false, true},
	} {
		c := core.IsCContiguous(tc.shape, tc.strides, tc.itemsize)
		f := core.IsFContiguous(tc.shape, tc.strides, tc.itemsize)
		if c != tc.c || f != tc.f {
			t.Errorf("shape %v strides %v itemsize %d: C %v F %v; numpy says C %v F %v", tc.shape, tc.strides, tc.itemsize, c, f, tc.c, tc.f)
		}
	}
}

func TestExtent(t *testing.T) {
	for _, tc := range []struct {
		shape, strides []int
		itemsize       int
		lo, hi         int
	}{
		{[]int{2, 3}, []int{24, 8}, 8, 0, 48},
		{[]int{2, 3}, []int{-24, 8}, 8, -24, 24},
		{[]int{2, 3}, []int{24, -8}, 8, -16, 32},
		{[]int{2, 3}, []int{-24, -8}, 8, -40, 8},
		{[]int{3}, []int{0}, 8, 0, 8},
		{[]int{4, 5}, []int{0, 2}, 2, 0, 10},
		{[]int{2, 0}, []int{24, 8}, 8, 0, 0},
		{[]int{0}, []int{-8}, 8, 0, 0},
		{[]int{}, []int{}, 16, 0, 16},
		{[]int{1, 1}, []int{-100, 100}, 4, 0, 4},
	} {
		lo, hi := core.Extent(tc.shape, tc.strides, tc.itemsize)
		if lo != tc.lo || hi != tc.hi {
			t.Errorf("Extent(%v, %v, %d) = %d, %d; want %d, %d", tc.shape, tc.strides, tc.itemsize, lo, hi, tc.lo, tc.hi)
		}
	}
}
