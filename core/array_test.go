package core_test

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unsafe"

	"github.com/goarray/goarray/core"
)

// Helpers shared by the tests of this package (external, so that the tests
// use core as a Go programmer would).

// checkedAlloc returns a Checked wrapper of the default allocator that fails
// the test, when it ends, if any block allocated through it is still live.
func checkedAlloc(t testing.TB) *core.Checked {
	t.Helper()
	c := core.NewChecked(core.DefaultAllocator())
	t.Cleanup(func() {
		c.AssertZero(t)
		if n := c.Allocated(); n != 0 {
			t.Errorf("%d bytes still allocated at the end of the test", n)
		}
	})
	return c
}

// release frees a's buffer when the test ends (before checkedAlloc's
// assertion, as cleanups run last-registered first).
func release(t testing.TB, a *core.Array) *core.Array {
	t.Cleanup(a.Release)
	return a
}

// newArray allocates a zeroed C-order array and frees it at the end of t.
func newArray(t testing.TB, alloc core.Allocator, dtype core.DType, shape ...int) *core.Array {
	t.Helper()
	a, err := core.New(alloc, shape, dtype, core.COrder, true)
	if err != nil {
		t.Fatalf("New(%v, %v): %v", shape, dtype, err)
	}
	return release(t, a)
}

// arange returns a C-order array whose element with flat index i holds
// encode(i): numpy's np.arange(n).reshape(shape) for integer dtypes.
func arange(t testing.TB, alloc core.Allocator, dtype core.DType, shape ...int) *core.Array {
	t.Helper()
	a := newArray(t, alloc, dtype, shape...)
	b, _ := a.Bytes()
	isize := dtype.Size()
	for i := 0; i < a.Size(); i++ {
		copy(b[i*isize:], encode(i, isize))
	}
	return a
}

// encode is the bytes of element number i for an itemsize: i in little
// endian, and for 16-byte items i followed by ^i, so that every byte of a
// wide element matters.
func encode(i, isize int) []byte {
	var w [16]byte
	binary.LittleEndian.PutUint64(w[:8], uint64(i))
	binary.LittleEndian.PutUint64(w[8:], ^uint64(i))
	return w[:isize]
}

// forEachIndex calls fn with every multi-index of shape in C order. The
// slice is reused between calls.
func forEachIndex(shape []int, fn func(idx []int)) {
	for _, d := range shape {
		if d == 0 {
			return
		}
	}
	idx := make([]int, len(shape))
	for {
		fn(idx)
		k := len(shape) - 1
		for ; k >= 0; k-- {
			idx[k]++
			if idx[k] < shape[k] {
				break
			}
			idx[k] = 0
		}
		if k < 0 {
			return
		}
	}
}

// elementBytes returns the bytes of the element at idx.
func elementBytes(t testing.TB, a *core.Array, idx []int) string {
	t.Helper()
	off, err := a.ElementOffset(idx...)
	if err != nil {
		t.Fatalf("ElementOffset(%v) of %v: %v", idx, a, err)
	}
	return string(unsafe.Slice((*byte)(unsafe.Add(a.Data(), off)), a.DType().Size()))
}

// elements returns the bytes of every element, read in C order of the
// logical index.
func elements(t testing.TB, a *core.Array) []string {
	t.Helper()
	var out []string
	forEachIndex(a.Shape(), func(idx []int) { out = append(out, elementBytes(t, a, idx)) })
	return out
}

// elementsInOrder reads the elements in C or F order of the logical index.
func elementsInOrder(t testing.TB, a *core.Array, order core.Order) []string {
	t.Helper()
	if order == core.COrder {
		return elements(t, a)
	}
	v, err := a.Transpose(nil)
	if err != nil {
		t.Fatal(err)
	}
	return elements(t, v)
}

// int64s reads an int64 array in C order through core.At.
func int64s(a *core.Array) []int64 {
	var out []int64
	forEachIndex(a.Shape(), func(idx []int) { out = append(out, core.At[int64](a, idx...)) })
	return out
}

// parseIndex turns numpy's index syntax ("1, ::-2, None, ...") into items,
// so that test cases read like the numpy expressions they were checked
// against.
func parseIndex(s string) ([]core.IndexItem, error) {
	var items []core.IndexItem
	if strings.TrimSpace(s) == "" {
		return items, nil
	}
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		switch {
		case part == "None":
			items = append(items, core.IndexItem{Kind: core.IndexNewAxis})
		case part == "...":
			items = append(items, core.IndexItem{Kind: core.IndexEllipsis})
		case strings.Contains(part, ":"):
			f := strings.Split(part, ":")
			if len(f) > 3 {
				return nil, fmt.Errorf("bad slice %q", part)
			}
			it := core.IndexItem{Kind: core.IndexSlice}
			vals := []*int{&it.Start, &it.Stop, &it.Step}
			has := []*bool{&it.HasStart, &it.HasStop, &it.HasStep}
			for k, v := range f {
				if v = strings.TrimSpace(v); v == "" {
					continue
				}
				n, err := strconv.Atoi(v)
				if err != nil {
					return nil, err
				}
				*vals[k], *has[k] = n, true
			}
			items = append(items, it)
		default:
			n, err := strconv.Atoi(part)
			if err != nil {
				return nil, err
			}
			items = append(items, core.IndexItem{Kind: core.IndexInt, Int: n})
		}
	}
	return items, nil
}

// index applies a numpy-syntax index and fails the test on an error.
func index(t testing.TB, a *core.Array, s string) *core.Array {
	t.Helper()
	items, err := parseIndex(s)
	if err != nil {
		t.Fatal(err)
	}
	v, err := a.Index(items)
	if err != nil {
		t.Fatalf("a[%s]: %v", s, err)
	}
	return v
}

func transpose(t testing.TB, a *core.Array, axes ...int) *core.Array {
	t.Helper()
	v, err := a.Transpose(axes)
	if err != nil {
		t.Fatalf("Transpose(%v): %v", axes, err)
	}
	return v
}

// failingAllocator refuses every request.
type failingAllocator struct{}

func (failingAllocator) Allocate(size int, zero bool) ([]byte, error) {
	return nil, fmt.Errorf("%w: test allocator refuses %d bytes", core.ErrMemory, size)
}
func (failingAllocator) Free([]byte)      { panic("free of a block failingAllocator never gave") }
func (failingAllocator) Allocated() int64 { return 0 }

func TestNew(t *testing.T) {
	alloc := checkedAlloc(t)
	for _, tc := range []struct {
		shape   []int
		dtype   core.DType
		order   core.Order
		strides []int // numpy's np.empty(shape, dtype, order).strides
	}{
		{[]int{2, 3, 4}, core.Float64, core.COrder, []int{96, 32, 8}},
		{[]int{2, 3, 4}, core.Float64, core.FOrder, []int{8, 16, 48}},
		{[]int{5}, core.Int16, core.COrder, []int{2}},
		{[]int{}, core.Complex128, core.COrder, []int{}},
		{[]int{2, 1, 3}, core.Int32, core.COrder, []int{12, 12, 4}},
		{[]int{1, 2, 3, 4, 5}, core.Uint8, core.FOrder, []int{1, 1, 2, 6, 24}},
	} {
		a, err := core.New(alloc, tc.shape, tc.dtype, tc.order, false)
		if err != nil {
			t.Fatalf("New(%v, %v, %c): %v", tc.shape, tc.dtype, tc.order, err)
		}
		if !slices.Equal(a.Shape(), tc.shape) || !slices.Equal(a.Strides(), tc.strides) || a.DType() != tc.dtype {
			t.Errorf("New(%v, %v, %c) = %v, want strides %v", tc.shape, tc.dtype, tc.order, a, tc.strides)
		}
		n := 1
		for _, d := range tc.shape {
			n *= d
		}
		if a.Size() != n || a.NBytes() != n*tc.dtype.Size() || a.NDim() != len(tc.shape) || a.Offset() != 0 {
			t.Errorf("%v: Size %d NBytes %d NDim %d Offset %d", a, a.Size(), a.NBytes(), a.NDim(), a.Offset())
		}
		if a.ReadOnly() || !a.Buffer().Owned() || a.Buffer().Len() != a.NBytes() {
			t.Errorf("%v: ReadOnly %v, Owned %v, buffer %d bytes", a, a.ReadOnly(), a.Buffer().Owned(), a.Buffer().Len())
		}
		a.Release()
		if !a.Buffer().Freed() {
			t.Errorf("%v: buffer not freed by Release", a)
		}
	}
}

func TestNewZeroes(t *testing.T) {
	// Checked poisons blocks allocated without zeroing, so this sees
	// whether New asked for zeros.
	alloc := checkedAlloc(t)
	a := newArray(t, alloc, core.Int64, 3, 5)
	for _, v := range int64s(a) {
		if v != 0 {
			t.Fatalf("New(zero=true) has element %#x", v)
		}
	}
}

func TestNewErrors(t *testing.T) {
	alloc := checkedAlloc(t)
	for _, tc := range []struct {
		shape []int
		dtype core.DType
		order core.Order
		want  error
	}{
		{[]int{2}, core.InvalidDType, core.COrder, core.ErrDType},
		{[]int{2}, core.DType(200), core.COrder, core.ErrDType},
		{[]int{2}, core.Int8, 'K', core.ErrValue},
		{[]int{-1}, core.Int8, core.COrder, core.ErrShape},
		{[]int{1 << 62, 4}, core.Int8, core.COrder, core.ErrShape},
		{make([]int, core.MaxDims+1), core.Int8, core.COrder, core.ErrShape},
	} {
		if a, err := core.New(alloc, tc.shape, tc.dtype, tc.order, true); !errors.Is(err, tc.want) {
			t.Errorf("New(%v, %v, %c) = %v, %v; want %v", tc.shape, tc.dtype, tc.order, a, err, tc.want)
		}
	}
	_, err := core.New(failingAllocator{}, []int{3, 4}, core.Float64, core.COrder, true)
	if !errors.Is(err, core.ErrMemory) || !strings.Contains(err.Error(), "shape [3 4]") {
		t.Errorf("New from a failing allocator: %v", err)
	}
}

func TestFromBuffer(t *testing.T) {
	alloc := checkedAlloc(t)
	buf, err := core.NewBuffer(alloc, 64, true)
	if err != nil {
		t.Fatal(err)
	}
	defer buf.Free()
	for _, tc := range []struct {
		name            string
		offset          int
		shape, strides  []int
		dtype           core.DType
		ok              bool
		wantElementZero int // byte offset of element (0, ..., 0) in the buffer
	}{
		{"whole buffer", 0, []int{8}, []int{8}, core.Int64, true, 0},
		{"reversed", 56, []int{8}, []int{-8}, core.Int64, true, 56},
		{"2-d with gap", 4, []int{3, 2}, []int{20, 4}, core.Int32, true, 4},
		{"zero strides", 63, []int{5, 7}, []int{0, 0}, core.Uint8, true, 63},
		{"0-d at the end", 63, nil, nil, core.Uint8, true, 63},
		{"empty, far away", 1 << 40, []int{0, 3}, []int{1 << 50, -1 << 50}, core.Int64, true, 1 << 40},
		{"one past the end", 1, []int{8}, []int{8}, core.Int64, false, 0},
		{"reversed from too early", 48, []int{8}, []int{-8}, core.Int64, false, 0},
		{"negative offset", -1, []int{1}, []int{1}, core.Uint8, false, 0},
		{"0-d past the end", 64, nil, nil, core.Uint8, false, 0},
		// Strides whose products overflow must not wrap into range:
		// (1<<62+1)*4 wraps to 4, inside a 64-byte buffer.
		{"stride overflow", 0, []int{5}, []int{1<<62 + 1}, core.Uint8, false, 0},
		{"negative stride overflow", 63, []int{5}, []int{-(1<<62 + 1)}, core.Uint8, false, 0},
		// offset+lo wraps to a large positive number.
		{"offset underflow", math.MinInt64, []int{2}, []int{-8}, core.Int64, false, 0},
		{"offset overflow", math.MaxInt64 - 4, []int{1}, []int{8}, core.Int64, false, 0},
	} {
		a, err := core.FromBuffer(buf, tc.offset, tc.shape, tc.strides, tc.dtype, true)
		if !tc.ok {
			if !errors.Is(err, core.ErrValue) {
				t.Errorf("%s: FromBuffer = %v, %v; want an ErrValue error", tc.name, a, err)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		if !a.ReadOnly() || a.Offset() != tc.offset || !slices.Equal(a.Strides(), tc.strides) || a.Buffer() != buf {
			t.Errorf("%s: got %v", tc.name, a)
		}
		if a.Size() > 0 && uintptr(a.Data())-uintptr(buf.Pointer()) != uintptr(tc.wantElementZero) {
			t.Errorf("%s: Data() is %d bytes into the buffer", tc.name, uintptr(a.Data())-uintptr(buf.Pointer()))
		}
	}
	for _, tc := range []struct {
		shape, strides []int
		dtype          core.DType
		want           error
	}{
		{[]int{2}, []int{8, 8}, core.Int64, core.ErrShape},
		{[]int{-2}, []int{8}, core.Int64, core.ErrShape},
		{[]int{2}, []int{8}, core.InvalidDType, core.ErrDType},
	} {
		if _, err := core.FromBuffer(buf, 0, tc.shape, tc.strides, tc.dtype, false); !errors.Is(err, tc.want) {
			t.Errorf("FromBuffer(%v, %v, %v) = %v, want %v", tc.shape, tc.strides, tc.dtype, err, tc.want)
		}
	}
}

func TestFromBufferSharesMemory(t *testing.T) {
	alloc := checkedAlloc(t)
	buf, err := core.NewBuffer(alloc, 6*8, true)
	if err != nil {
		t.Fatal(err)
	}
	defer buf.Free()
	rows, err := core.FromBuffer(buf, 0, []int{2, 3}, []int{24, 8}, core.Int64, false)
	if err != nil {
		t.Fatal(err)
	}
	cols, err := core.FromBuffer(buf, 0, []int{3, 2}, []int{8, 24}, core.Int64, false)
	if err != nil {
		t.Fatal(err)
	}
	core.Set[int64](rows, 7, 1, 0)
	if got := core.At[int64](cols, 0, 1); got != 7 {
		t.Errorf("the other layout reads %d, want 7", got)
	}
}

func TestElementOffset(t *testing.T) {
	alloc := checkedAlloc(t)
	a := transpose(t, arange(t, alloc, core.Int64, 2, 3, 4), 2, 0, 1) // shape (4, 2, 3), strides (8, 96, 32)
	for _, tc := range []struct {
		idx  []int
		want int
	}{
		{[]int{0, 0, 0}, 0},
		{[]int{1, 1, 1}, 8 + 96 + 32},
		{[]int{-1, -1, -1}, 3*8 + 96 + 2*32},
		{[]int{-4, -2, -3}, 0},
	} {
		got, err := a.ElementOffset(tc.idx...)
		if err != nil || got != tc.want {
			t.Errorf("ElementOffset(%v) = %d, %v; want %d", tc.idx, got, err, tc.want)
		}
	}
	for _, tc := range []struct {
		idx  []int
		want string
	}{
		{[]int{4, 0, 0}, "index 4 is out of bounds for axis 0 with size 4"},
		{[]int{0, -3, 0}, "index -3 is out of bounds for axis 1 with size 2"},
		{[]int{0, 0}, "2 indices for an array of 3 dimensions"},
		{[]int{0, 0, 0, 0}, "4 indices for an array of 3 dimensions"},
	} {
		_, err := a.ElementOffset(tc.idx...)
		if !errors.Is(err, core.ErrIndex) || !strings.Contains(fmt.Sprint(err), tc.want) {
			t.Errorf("ElementOffset(%v) = %v, want ErrIndex %q", tc.idx, err, tc.want)
		}
	}
	scalar := index(t, a, "1, 1, 1")
	if off, err := scalar.ElementOffset(); err != nil || off != 0 {
		t.Errorf("ElementOffset() of a 0-d array = %d, %v", off, err)
	}
}

func TestBytes(t *testing.T) {
	alloc := checkedAlloc(t)
	a := arange(t, alloc, core.Int16, 2, 3)
	for _, tc := range []struct {
		name string
		v    *core.Array
		ok   bool
		want []byte
	}{
		{"C", a, true, []byte{0, 0, 1, 0, 2, 0, 3, 0, 4, 0, 5, 0}},
		{"F (transpose)", transpose(t, a), true, []byte{0, 0, 1, 0, 2, 0, 3, 0, 4, 0, 5, 0}},
		{"row", index(t, a, "1"), true, []byte{3, 0, 4, 0, 5, 0}},
		{"column", index(t, a, ":, 1"), false, nil},
		{"reversed", index(t, a, "::-1"), false, nil},
		{"empty", index(t, a, "2:"), true, []byte{}},
		{"0-d", index(t, a, "1, 2"), true, []byte{5, 0}},
	} {
		b, ok := tc.v.Bytes()
		if ok != tc.ok || !slices.Equal(b, tc.want) || (ok && b == nil) {
			t.Errorf("%s: Bytes() = %v, %v; want %v, %v", tc.name, b, ok, tc.want, tc.ok)
		}
	}
}

func TestRawAndData(t *testing.T) {
	alloc := checkedAlloc(t)
	a := arange(t, alloc, core.Int64, 3, 4)
	v := index(t, a, "1:, ::-2")
	r := v.Raw()
	if r.DType != core.Int64 || !slices.Equal(r.Shape, []int{2, 2}) || !slices.Equal(r.Strides, []int{32, -16}) {
		t.Errorf("Raw() = %+v", r)
	}
	if got := *(*int64)(r.Data); got != 7 {
		t.Errorf("*Raw().Data = %d, want a[1, 3] = 7", got)
	}
	if uintptr(r.Data)-uintptr(a.Data()) != uintptr(v.Offset()) || v.Offset() != 56 {
		t.Errorf("Data() is %d bytes after the base's, Offset() %d; want 56", uintptr(r.Data)-uintptr(a.Data()), v.Offset())
	}
	if got, want := v.String(), "core.Array(shape=[2 2], strides=[32 -16], dtype=int64, offset=56)"; got != want {
		t.Errorf("String() = %q, want %q", got, want)
	}
}

func TestReadOnlyPropagates(t *testing.T) {
	alloc := checkedAlloc(t)
	a := arange(t, alloc, core.Int64, 2, 3)
	a.SetReadOnly(true)
	views := map[string]*core.Array{"index": index(t, a, "::-1"), "transpose": transpose(t, a)}
	if v, _, err := a.ReshapeView([]int{-1}, core.COrder); err == nil {
		views["reshape"] = v
	}
	if v, err := a.ViewAs(core.Int32); err == nil {
		views["view"] = v
	}
	for name, v := range views {
		if !v.ReadOnly() {
			t.Errorf("%s of a read-only array is writable", name)
		}
	}
	a.SetReadOnly(false)
	if a.ReadOnly() || !views["index"].ReadOnly() {
		t.Errorf("SetReadOnly(false): base %v, view %v", a.ReadOnly(), views["index"].ReadOnly())
	}
	c, err := views["index"].Copy(alloc, core.COrder)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Release()
	if c.ReadOnly() {
		t.Error("a copy of a read-only view is read-only (numpy's copies are writable)")
	}
}
