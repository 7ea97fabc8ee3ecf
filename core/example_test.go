package core_test

import (
	"errors"
	"fmt"
	"unsafe"

	"github.com/goarray/goarray/core"
)

// The package example: make an array, take a view, read elements.
func Example() {
	alloc := core.DefaultAllocator()

	// a = np.arange(6, dtype=np.int64).reshape(2, 3)
	a, err := core.New(alloc, []int{2, 3}, core.Int64, core.COrder, false)
	if err != nil {
		panic(err)
	}
	defer a.Release() // a made the buffer, so a frees it, after its views
	data, _ := core.Slice[int64](a)
	for i := range data {
		data[i] = int64(i)
	}

	// v = a[:, ::-1].T, a view: no element is copied.
	v, err := a.Index([]core.IndexItem{
		{Kind: core.IndexSlice},
		{Kind: core.IndexSlice, Step: -1, HasStep: true},
	})
	if err != nil {
		panic(err)
	}
	v, _ = v.Transpose(nil)
	fmt.Println(v.Shape(), v.Strides(), v.Offset())
	for i := 0; i < v.Shape()[0]; i++ {
		row := make([]int64, v.Shape()[1])
		for j := range row {
			row[j] = core.At[int64](v, i, j)
		}
		fmt.Println(row)
	}

	// Writes through the view land in a.
	core.Set(v, int64(-1), 0, 0)
	fmt.Println(data)
	// Output:
	// [3 2] [-8 24] 16
	// [2 5]
	// [1 4]
	// [0 3]
	// [0 1 -1 3 4 5]
}

func ExampleArray_Index() {
	alloc := core.DefaultAllocator()
	a, _ := core.New(alloc, []int{2, 3, 4}, core.Int64, core.COrder, true)
	defer a.Release()

	// a[1, ::-2, None]
	v, err := a.Index([]core.IndexItem{
		{Kind: core.IndexInt, Int: 1},
		{Kind: core.IndexSlice, Step: -2, HasStep: true},
		{Kind: core.IndexNewAxis},
	})
	fmt.Println(v.Shape(), v.Strides(), v.Offset(), err)

	// a[..., 4] is out of range, as in numpy.
	_, err = a.Index([]core.IndexItem{{Kind: core.IndexEllipsis}, {Kind: core.IndexInt, Int: 4}})
	fmt.Println(errors.Is(err, core.ErrIndex), err)
	// Output:
	// [2 1 4] [-64 0 8] 160 <nil>
	// true goarray: index error: index 4 is out of bounds for axis 2 with size 4
}

func ExampleSliceIndices() {
	// slice(None, None, -3).indices(10) == (9, -1, -3): 4 elements
	start, step, count, _ := core.SliceIndices(core.IndexItem{Kind: core.IndexSlice, Step: -3, HasStep: true}, 10)
	fmt.Println(start, step, count)

	// Out-of-range bounds are clamped: slice(-100, 100, 3) on 10 elements.
	start, step, count, _ = core.SliceIndices(core.IndexItem{
		Kind: core.IndexSlice, Start: -100, Stop: 100, Step: 3,
		HasStart: true, HasStop: true, HasStep: true,
	}, 10)
	fmt.Println(start, step, count)
	// Output:
	// 9 -3 4
	// 0 3 4
}

func ExampleArray_ReshapeView() {
	alloc := core.DefaultAllocator()
	a, _ := core.New(alloc, []int{2, 3, 4}, core.Float64, core.COrder, true)
	defer a.Release()

	v, ok, _ := a.ReshapeView([]int{6, -1}, core.COrder)
	fmt.Println(v.Shape(), v.Strides(), ok)

	// A transposed array read in C order is not a strided view: copy it.
	t, _ := a.Transpose(nil)
	_, ok, _ = t.ReshapeView([]int{-1}, core.COrder)
	fmt.Println(ok)
	c, _ := t.Copy(alloc, core.COrder)
	defer c.Release()
	v, ok, _ = c.ReshapeView([]int{-1}, core.COrder)
	fmt.Println(v.Shape(), ok)

	_, _, err := a.ReshapeView([]int{5, -1}, core.COrder)
	fmt.Println(err)
	// Output:
	// [6 4] [32 8] true
	// false
	// [24] true
	// goarray: invalid shape: cannot reshape array of size 24 into shape (5, -1)
}

func ExampleArray_Transpose() {
	alloc := core.DefaultAllocator()
	a, _ := core.New(alloc, []int{2, 3, 4}, core.Int8, core.COrder, true)
	defer a.Release()

	t, _ := a.Transpose([]int{-1, 0, 1})
	fmt.Println(t.Shape(), t.Strides())
	_, err := a.Transpose([]int{0, 1, 3})
	fmt.Println(errors.Is(err, core.ErrAxis))
	// Output:
	// [4 2 3] [1 12 4]
	// true
}

func ExampleArray_BroadcastTo() {
	alloc := core.DefaultAllocator()
	row, _ := core.New(alloc, []int{3}, core.Int32, core.COrder, false)
	defer row.Release()
	s, _ := core.Slice[int32](row)
	copy(s, []int32{7, 8, 9})

	b, _ := row.BroadcastTo([]int{2, 3})
	fmt.Println(b.Shape(), b.Strides(), b.ReadOnly())
	fmt.Println(core.At[int32](b, 1, 2))
	// Output:
	// [2 3] [0 4] true
	// 9
}

func ExampleArray_ViewAs() {
	alloc := core.DefaultAllocator()
	a, _ := core.New(alloc, []int{2}, core.Float32, core.COrder, false)
	defer a.Release()
	core.Set(a, float32(1), 0)
	core.Set(a, float32(-2), 1)

	bits, _ := a.ViewAs(core.Uint32)
	fmt.Printf("%#08x %#08x\n", core.At[uint32](bits, 0), core.At[uint32](bits, 1))
	bytes, _ := a.ViewAs(core.Uint8)
	fmt.Println(bytes.Shape(), bytes.Strides())
	// Output:
	// 0x3f800000 0xc0000000
	// [8] [1]
}

func ExampleCopyTo() {
	alloc := core.DefaultAllocator()
	a, _ := core.New(alloc, []int{6}, core.Int64, core.COrder, false)
	defer a.Release()
	s, _ := core.Slice[int64](a)
	copy(s, []int64{0, 1, 2, 3, 4, 5})

	// a[1:] = a[:-1]: the operands overlap, and the result is as if the
	// source had been read first.
	dst, _ := a.Index([]core.IndexItem{{Kind: core.IndexSlice, Start: 1, HasStart: true}})
	src, _ := a.Index([]core.IndexItem{{Kind: core.IndexSlice, Stop: -1, HasStop: true}})
	if err := core.CopyTo(nil, dst, src); err != nil {
		panic(err)
	}
	fmt.Println(s)
	// Output:
	// [0 0 1 2 3 4]
}

func ExampleArray_Copy() {
	alloc := core.DefaultAllocator()
	a, _ := core.New(alloc, []int{2, 3, 4}, core.Int64, core.COrder, true)
	defer a.Release()
	t, _ := a.Transpose([]int{1, 0, 2})

	for _, order := range []core.Order{'C', 'F', 'A', 'K'} {
		c, _ := t.Copy(alloc, order)
		fmt.Printf("%c %v\n", order, c.Strides())
		c.Release()
	}
	// Output:
	// C [64 32 8]
	// F [8 24 48]
	// A [64 32 8]
	// K [32 96 8]
}

func ExampleArray_Fill() {
	alloc := core.DefaultAllocator()
	a, _ := core.New(alloc, []int{2, 4}, core.Int16, core.COrder, true)
	defer a.Release()

	// a[:, ::2] = 258, given as one element's native bytes.
	v, _ := a.Index([]core.IndexItem{{Kind: core.IndexSlice}, {Kind: core.IndexSlice, Step: 2, HasStep: true}})
	if err := v.Fill([]byte{2, 1}); err != nil {
		panic(err)
	}
	s, _ := core.Slice[int16](a)
	fmt.Println(s)
	// Output:
	// [258 0 258 0 258 0 258 0]
}

func ExampleArray_Resize() {
	alloc := core.DefaultAllocator()
	a, _ := core.New(alloc, []int{3}, core.Uint8, core.COrder, false)
	defer a.Release()
	s, _ := core.Slice[uint8](a)
	copy(s, []uint8{1, 2, 3})

	if err := a.Resize(alloc, []int{2, 3}); err != nil {
		panic(err)
	}
	s, _ = core.Slice[uint8](a) // the storage moved: take the slice again
	fmt.Println(a.Shape(), s)

	v, _ := a.Transpose(nil)
	fmt.Println(v.Resize(alloc, []int{10}))
	// Output:
	// [2 3] [1 2 3 0 0 0]
	// goarray: invalid value: cannot resize this array: it does not own its data
}

func ExampleSlice() {
	alloc := core.DefaultAllocator()
	a, _ := core.New(alloc, []int{2, 2}, core.Complex128, core.COrder, true)
	defer a.Release()

	s, ok := core.Slice[complex128](a)
	s[3] = 1 + 2i
	fmt.Println(ok, core.At[complex128](a, 1, 1))

	t, _ := a.Transpose(nil)
	_, ok = core.Slice[complex128](t) // not C-contiguous
	fmt.Println(ok)
	// Output:
	// true (1+2i)
	// false
}

func ExampleWrapMemory() {
	// Memory that someone else owns, here a block from an allocator that
	// the release function gives back.
	alloc := core.DefaultAllocator()
	mem, _ := alloc.Allocate(16, true)
	buf := core.WrapMemory(unsafe.Pointer(unsafe.SliceData(mem)), len(mem), func() {
		fmt.Println("released")
		alloc.Free(mem)
	})
	a, err := core.FromBuffer(buf, 0, []int{2}, []int{8}, core.Float64, false)
	if err != nil {
		panic(err)
	}
	core.Set(a, 0.5, 1)
	fmt.Println(core.At[float64](a, 1), buf.Owned())
	buf.Free() // the maker of the Buffer frees it, once
	// Output:
	// 0.5 false
	// released
}

func ExampleNewChecked() {
	// Tests wrap the allocator to find leaks and double frees.
	alloc := core.NewChecked(core.DefaultAllocator())
	a, _ := core.New(alloc, []int{100}, core.Float64, core.COrder, true)
	fmt.Println(alloc.Allocated() >= 800)
	a.Release()
	fmt.Println(alloc.Allocated())
	// Output:
	// true
	// 0
}
