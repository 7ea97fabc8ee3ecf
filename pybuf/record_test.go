package pybuf

import (
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"

	"github.com/goarray/goarray/core"
)

func TestNewRecord(t *testing.T) {
	shape, strides := []int{2, 3}, []int{24, 8}
	rec := NewRecord(shape, strides, core.Float64, false)
	want := Record{
		Shape: []int{2, 3}, Strides: []int{24, 8}, CStrides: []int{24, 8}, FStrides: []int{8, 16},
		Itemsize: 8, Format: "d", Bits: BitCContig,
	}
	if !reflect.DeepEqual(rec, want) {
		t.Fatalf("NewRecord = %+v, want %+v", rec, want)
	}
	shape[0], strides[0] = 99, 99
	if rec.Shape[0] != 2 || rec.Strides[0] != 24 {
		t.Errorf("NewRecord kept the caller's slices")
	}
	if r := NewRecord(nil, nil, core.Bool, true); r.Bits != BitCContig|BitFContig|BitReadOnly || r.Format != "?" {
		t.Errorf("0-d record = %+v, want C, F and read-only", r)
	}
}

func TestNewRecordPanicsOnBadLayout(t *testing.T) {
	for name, f := range map[string]func(){
		"lengths": func() { NewRecord([]int{2}, nil, core.Int8, false) },
		"dtype":   func() { NewRecord([]int{2}, []int{1}, core.InvalidDType, false) },
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%s: no panic", name)
				}
			}()
			f()
		}()
	}
}

func TestExportStridesOfEmptyArrays(t *testing.T) {
	// memoryview(numpy.empty(shape)) with C_CONTIGUOUS and F_CONTIGUOUS
	// requests, numpy 2.4.
	for _, tc := range []struct{ shape, c, f []int }{
		{[]int{3, 0}, []int{0, 8}, []int{8, 24}},
		{[]int{0, 3}, []int{24, 8}, []int{8, 0}},
		{[]int{2, 0, 3}, []int{0, 24, 8}, []int{8, 16, 0}},
		{[]int{0}, []int{8}, []int{8}},
	} {
		if got := exportStrides(tc.shape, 8, core.COrder); !slices.Equal(got, tc.c) {
			t.Errorf("C strides of %v = %v, want %v", tc.shape, got, tc.c)
		}
		if got := exportStrides(tc.shape, 8, core.FOrder); !slices.Equal(got, tc.f) {
			t.Errorf("F strides of %v = %v, want %v", tc.shape, got, tc.f)
		}
	}
}

func TestExportStridesAreStandardWithoutEmptyAxes(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for range 500 {
		shape := make([]int, rng.IntN(6))
		for i := range shape {
			shape[i] = 1 + rng.IntN(4)
		}
		for _, order := range []core.Order{core.COrder, core.FOrder} {
			want := core.StandardStrides(shape, 4, order)
			if got := exportStrides(shape, 4, order); !slices.Equal(got, want) {
				t.Fatalf("%c strides of %v = %v, want %v", order, shape, got, want)
			}
		}
	}
}

func TestWriteRecordMatchesNewRecord(t *testing.T) {
	layouts := []struct{ shape, strides []int }{
		{[]int{}, []int{}},
		{[]int{3}, []int{8}},
		{[]int{3, 0}, []int{8, 8}},
		{[]int{0, 3, 2}, []int{48, 16, 8}},
		{[]int{4, 3}, []int{8, 32}},
		{[]int{4, 1, 3}, []int{-24, 7, 8}},
		{[]int{2, 5}, []int{0, 16}},
	}
	for _, l := range layouts {
		for _, ro := range []bool{false, true} {
			r := NewRecord(l.shape, l.strides, core.Float64, ro)
			nd := len(l.shape)
			dst := make([]int, 4*nd)
			bits := WriteRecord(dst, l.shape, l.strides, core.Float64, ro)
			want := append(append(append(append([]int{}, r.Shape...), r.Strides...), r.CStrides...), r.FStrides...)
			if bits != r.Bits || !slices.Equal(dst, want) {
				t.Errorf("%v/%v ro=%v: WriteRecord = %v bits %d, NewRecord = %v bits %d", l.shape, l.strides, ro, dst, bits, want, r.Bits)
			}
		}
	}
}
