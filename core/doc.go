// Package core is the pure-Go engine of goarray: N-dimensional strided
// arrays with numpy's semantics, over memory that lives outside the Go heap
// so that Python, numpy and C can use it without a copy. It knows nothing of
// Python; Go programmers import it to make arrays and write kernels.
//
// Make an array, take a view, read elements:
//
//	alloc := core.DefaultAllocator()
//
//	// a = np.arange(6, dtype=np.int64).reshape(2, 3)
//	a, err := core.New(alloc, []int{2, 3}, core.Int64, core.COrder, false)
//	if err != nil {
//		return err
//	}
//	defer a.Release() // a made the buffer, so a frees it, after its views
//	data, _ := core.Slice[int64](a)
//	for i := range data {
//		data[i] = int64(i)
//	}
//
//	// v = a[:, ::-1].T, a view: no element is copied.
//	v, _ := a.Index([]core.IndexItem{
//		{Kind: core.IndexSlice},
//		{Kind: core.IndexSlice, Step: -1, HasStep: true},
//	})
//	v, _ = v.Transpose(nil)
//	fmt.Println(v.Shape(), v.Strides(), v.Offset()) // [3 2] [-8 24] 16
//	fmt.Println(core.At[int64](v, 0, 1))            // 5
//
// The same program, with its output checked, is the package Example.
//
// numpy is the reference for every semantic here: shapes, strides, which
// operations give views, error conditions and, where it is practical, the
// wording of error messages. A difference from numpy is a bug unless the
// documentation of the function says why.
//
// # Buffers, arrays and views
//
// A [Buffer] is a block of bytes. An [Array] is a layout over a Buffer: a
// dtype, a shape, strides in bytes (which may be negative or zero) and the
// byte offset of element (0, ..., 0). [Raw] is the same layout as plain
// data, for kernels that walk memory themselves.
//
// [New] allocates a Buffer and returns an Array laid out over all of it in
// C (row-major) or Fortran order. Every other Array is a view of an existing
// Buffer:
//
//   - [Array.Index] applies a basic index (integers, slices, new axes and
//     one ellipsis), as numpy's a[1, ::-2, None, ...];
//   - [Array.ReshapeView] regroups the axes when strides can express it
//     (numpy's reshape without a copy) and says so when they cannot;
//   - [Array.Transpose] permutes the axes;
//   - [Array.BroadcastTo] repeats axes of length 1 with stride 0 (read-only);
//   - [Array.ViewAs] reinterprets the bytes as another dtype;
//   - [FromBuffer] lays any checked layout over a Buffer.
//
// Views share the Buffer: a write through one is seen through all. A view
// inherits its base's read-only flag.
//
// # Ownership
//
// The memory of a Buffer is not managed by the Go garbage collector. The
// rules are those of a C library:
//
//   - Whoever made a Buffer frees it, exactly once, after the last Array that
//     views it is no longer used. For an Array from [New] or [Array.Copy],
//     that is [Array.Release] on that Array; for a Buffer from [NewBuffer] or
//     [WrapMemory], [Buffer.Free]. Free is idempotent, so a second call is
//     harmless, but a use after it is not: nothing keeps the memory alive.
//   - Views never free. Release on a view frees the shared Buffer, which is
//     almost never what is meant.
//   - A Buffer from [WrapMemory] borrows memory someone else owns (a C
//     library, a Python exporter): Free calls the release function it was
//     given instead of returning the memory to an Allocator.
//   - [Array.Resize] replaces the Buffer of an Array that owns it (made by New
//     or Copy) and frees the old one, so no view or export of the old storage
//     may be alive. It refuses views, layouts made by FromBuffer, and
//     borrowed memory.
//   - Go slices and pointers into the memory ([Slice], [Array.Bytes],
//     [Array.Data], [Buffer.Bytes]) alias it and are invalid once it is
//     freed or moved by Resize.
//
// Because the memory is outside the Go heap, its address can be handed to C
// and kept there, which cgo forbids for Go memory.
//
// # The Allocator seam
//
// Where memory comes from is the [Allocator] interface, three methods in
// the style of Apache Arrow's memory package: Allocate(size, zero), Free and
// Allocated. An Allocator returns blocks outside the Go heap, aligned to at
// least 64 bytes, zeroed on request, and is safe for concurrent use.
//
// [DefaultAllocator] is the process-wide choice (a [Tiered] allocator: a
// slab pool for small blocks, one mmap each for large ones); every
// constructor takes the Allocator explicitly, so a program or test can pass
// its own. [Checked], from [NewChecked], wraps another Allocator for tests:
// it poisons blocks that were not asked to be zero, panics on a double or
// foreign free, and reports where every block still live was allocated. The
// tests of this package end with the checked allocator holding zero bytes.
//
// Kernels take the temporaries they need (a copy of an input that overlaps
// the output, the means of var) from the Allocator of their [Exec]
// (Exec.Alloc, DefaultAllocator when nil), so a Checked there sees every
// byte a kernel allocates outside the Go heap.
//
// # Indexing
//
// [IndexItem] is one item of a basic index. A slice's bounds and step count
// only when HasStart, HasStop and HasStep are set, as Python's None. They are
// resolved by [SliceIndices] exactly as Python's slice.indices; the values
// CPython's PySlice_Unpack produces for omitted bounds (PY_SSIZE_T_MAX and
// PY_SSIZE_T_MIN, all Has flags set) select the same elements. An empty
// slice gets the axis' own stride, as in numpy. Errors wrap [ErrIndex] with
// numpy's messages; a zero step wraps [ErrValue].
//
// # Copying, filling and resizing
//
// [CopyTo] copies element by element between arrays of the same shape and
// dtype, with any strides; when source and destination share memory the
// result is as if the source had been read completely first (numpy's
// a[1:] = a[:-1]). [Array.Copy] makes a new array in order 'C', 'F', 'A' or
// 'K', with numpy's strides for each. Both coalesce axes so that contiguous
// runs are copied with one memmove. [Array.Fill] stores one element's bytes
// everywhere; [Array.Resize] is numpy's ndarray.resize.
//
// # Element access
//
// [At], [Set] and [Slice] are generic over [Element], the Go types of the
// dtypes (float16 is read and written as its uint16 bits). The Go type must
// have the dtype's size. At and Set panic on a wrong type size, an index out
// of range or, for Set, a read-only array: those are programmer errors, as
// with Go slices. Slice returns ok=false unless the array is C-contiguous.
//
// # Layouts
//
// [NumElements], [StandardStrides], [IsCContiguous], [IsFContiguous] and
// [Extent] are the layout rules as functions of shape and strides. The
// contiguity flags are numpy's relaxed ones: axes of length 1 do not count
// and an array with no elements is both C- and F-contiguous. Arrays have at
// most [MaxDims] (64) dimensions, and a shape whose byte size overflows an
// int64 is refused even when another dimension is zero, as numpy does.
//
// # Errors
//
// Functions return errors wrapping one of the sentinels [ErrShape],
// [ErrDType], [ErrIndex], [ErrAxis] (which wraps ErrIndex, as numpy's
// AxisError is an IndexError), [ErrValue], [ErrMemory], [ErrBusy] and
// [ErrReadOnly], with a message that says what was asked and what was wrong.
// Test them with errors.Is; the Python bindings map each to the exception
// numpy raises.
//
// # Concurrency
//
// Making views and reading layouts is safe from several goroutines. Resize
// and SetReadOnly mutate the Array and need the caller's synchronisation.
// Reads and writes of elements are the caller's business, as with a Go
// slice: kernels may split an array between goroutines.
package core
