package core_test

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/goarray/goarray/core"
)

// roundTrip stores v at the last element of a fresh array of dtype d and
// reads it back with At and through Slice.
func roundTrip[T core.Element](t *testing.T, alloc core.Allocator, d core.DType, v T) {
	t.Helper()
	a := newArray(t, alloc, d, 2, 3)
	core.Set(a, v, 1, -1)
	if got := core.At[T](a, -1, 2); got != v {
		t.Errorf("%v: At after Set(%v) = %v", d, v, got)
	}
	s, ok := core.Slice[T](a)
	if !ok || len(s) != 6 || s[5] != v || s[0] != *new(T) {
		t.Errorf("%v: Slice = %v, %v", d, s, ok)
	}
}

func TestAtSetEveryDType(t *testing.T) {
	alloc := checkedAlloc(t)
	roundTrip(t, alloc, core.Bool, true)
	roundTrip(t, alloc, core.Int8, int8(-128))
	roundTrip(t, alloc, core.Int16, int16(-30000))
	roundTrip(t, alloc, core.Int32, int32(math.MinInt32))
	roundTrip(t, alloc, core.Int64, int64(math.MinInt64))
	roundTrip(t, alloc, core.Uint8, uint8(255))
	roundTrip(t, alloc, core.Uint16, uint16(65535))
	roundTrip(t, alloc, core.Uint32, uint32(math.MaxUint32))
	roundTrip(t, alloc, core.Uint64, uint64(math.MaxUint64))
	roundTrip(t, alloc, core.Float16, uint16(0x3c00)) // 1.0 as float16 bits
	roundTrip(t, alloc, core.Float32, float32(-1.5))
	roundTrip(t, alloc, core.Float64, math.Inf(-1))
	roundTrip(t, alloc, core.Complex64, complex64(1+2i))
	roundTrip(t, alloc, core.Complex128, complex(math.MaxFloat64, -0.5))
	type celsius float64 // ~float64 is an Element
	roundTrip(t, alloc, core.Float64, celsius(21.5))
}

func TestAtStrided(t *testing.T) {
	alloc := checkedAlloc(t)
	a := arange(t, alloc, core.Int64, 3, 4)
	v := index(t, a, "::-1, 1::2") // [[9, 11], [5, 7], [1, 3]]
	for _, tc := range []struct {
		idx  []int
		want int64
	}{{[]int{0, 0}, 9}, {[]int{0, 1}, 11}, {[]int{2, 0}, 1}, {[]int{-1, -1}, 3}, {[]int{-3, -2}, 9}} {
		if got := core.At[int64](v, tc.idx...); got != tc.want {
			t.Errorf("a[::-1, 1::2][%v] = %d, want %d", tc.idx, got, tc.want)
		}
	}
	core.Set[int64](v, -1, 1, 1)
	if got := core.At[int64](a, 1, 3); got != -1 {
		t.Errorf("Set through a view: a[1, 3] = %d", got)
	}
	if got := core.At[int64](index(t, a, "2, 1, ...")); got != 9 {
		t.Errorf("At of a 0-d array = %d", got)
	}
}

// mustPanic runs f and returns what it panicked with, failing if it did not.
func mustPanic(t *testing.T, name string, f func()) (p any) {
	t.Helper()
	defer func() {
		p = recover()
		if p == nil {
			t.Errorf("%s did not panic", name)
		}
	}()
	f()
	return nil
}

func TestAccessPanics(t *testing.T) {
	alloc := checkedAlloc(t)
	a := arange(t, alloc, core.Int64, 2, 3)
	for _, tc := range []struct {
		name string
		f    func()
		want string
	}{
		{"At[int32] on int64", func() { core.At[int32](a, 0, 0) }, "element type int32 does not match dtype int64"},
		{"At[float32] on int64", func() { core.At[float32](a, 0, 0) }, "does not match dtype int64"},
		{"At[complex128] on int64", func() { core.At[complex128](a, 0, 0) }, "does not match dtype int64"},
		{"Set[uint8] on int64", func() { core.Set[uint8](a, 1, 0, 0) }, "does not match dtype int64"},
		{"At out of range", func() { core.At[int64](a, 2, 0) }, "index 2 is out of bounds for axis 0 with size 2"},
		{"At negative out of range", func() { core.At[int64](a, 0, -4) }, "index -4 is out of bounds for axis 1 with size 3"},
		{"At with too few indices", func() { core.At[int64](a, 0) }, "1 indices for an array of 2 dimensions"},
		{"Set with too many indices", func() { core.Set[int64](a, 1, 0, 0, 0) }, "3 indices for an array of 2 dimensions"},
	} {
		p := mustPanic(t, tc.name, tc.f)
		if !strings.Contains(fmt.Sprint(p), tc.want) {
			t.Errorf("%s panicked with %v, want %q", tc.name, p, tc.want)
		}
	}
	b, _ := index(t, a, "0").BroadcastTo([]int{2, 3})
	p := mustPanic(t, "Set on a read-only array", func() { core.Set[int64](b, 1, 0, 0) })
	if err, ok := p.(error); !ok || !errors.Is(err, core.ErrReadOnly) {
		t.Errorf("Set on a read-only array panicked with %v, want an error wrapping ErrReadOnly", p)
	}
	if got := core.At[int64](b, 1, 2); got != 2 {
		t.Errorf("At on a read-only broadcast view = %d", got)
	}
}

func TestSlice(t *testing.T) {
	alloc := checkedAlloc(t)
	a := arange(t, alloc, core.Int32, 3, 4)
	s, ok := core.Slice[int32](a)
	if !ok || len(s) != 12 || s[7] != 7 {
		t.Fatalf("Slice = %v, %v", s, ok)
	}
	s[7] = -7 // aliases the array's memory
	if got := core.At[int32](a, 1, 3); got != -7 {
		t.Errorf("a write through the slice reads back as %d", got)
	}
	row, ok := core.Slice[int32](index(t, a, "2"))
	if !ok || len(row) != 4 || row[0] != 8 {
		t.Errorf("Slice of a row = %v, %v", row, ok)
	}
	col, ok := core.Slice[int32](index(t, a, "1:2, None, :"))
	if !ok || len(col) != 4 || col[3] != -7 {
		t.Errorf("Slice of a C-contiguous view with a new axis = %v, %v", col, ok)
	}
	empty, ok := core.Slice[int32](index(t, a, ":0"))
	if !ok || empty == nil || len(empty) != 0 {
		t.Errorf("Slice of an empty view = %#v, %v; want an empty non-nil slice", empty, ok)
	}
	for name, v := range map[string]*core.Array{
		"a.T":       transpose(t, a),
		"a[:, ::2]": index(t, a, ":, ::2"),
		"a[::-1]":   index(t, a, "::-1"),
		"a[:, 1:3]": index(t, a, ":, 1:3"),
		"broadcast": func() *core.Array { b, _ := index(t, a, "0").BroadcastTo([]int{2, 4}); return b }(),
	} {
		if s, ok := core.Slice[int32](v); ok || s != nil {
			t.Errorf("Slice of %s (not C-contiguous) = %v, %v", name, s, ok)
		}
	}
	if s, ok := core.Slice[int64](a); ok || s != nil {
		t.Errorf("Slice[int64] of int32 = %v, %v", s, ok)
	}
	if s, ok := core.Slice[float32](a); !ok || len(s) != 12 {
		t.Errorf("Slice[float32] of int32 (same size, as documented) = %v, %v", len(s), ok)
	}
}
