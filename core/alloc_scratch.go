package core

import "unsafe"

// Kernel scratch: the buffers a kernel needs while it runs (matmul's
// packed panels, reductions' partial results) come from the allocator of
// its Exec, as its temporary arrays do, so that a Checked allocator sees
// every byte a kernel takes. The memory is outside the Go heap: the
// element types must hold no Go pointers (numbers, and structs of them).
//
// What stays on the Go heap is bookkeeping whose size does not grow with
// the operands' sizes: layout iterators (O(ndim) strides and counters),
// closures and goroutines (O(threads)), and fixed-size blocks on the
// stack (the scalar and gather blocks of the binary and comparison loops,
// redPairs' 64 levels). ParallelReduce, exported for any T (which may
// hold pointers), keeps its one-per-chunk partials on the Go heap; core's
// kernels use reduceScratch instead.

// scratch is a block taken from an allocator for a kernel's use.
type scratch struct {
	al Allocator
	b  []byte
}

// free gives the block back (nothing for an empty scratch).
func (s scratch) free() {
	if s.al != nil {
		s.al.Free(s.b)
	}
}

// allocScratch returns n elements of T, not zeroed, from ex's allocator,
// and the block to free once the kernel is done with them (on every path,
// errors and interrupts included). n == 0 allocates nothing.
func allocScratch[T any](ex *Exec, n int) ([]T, scratch, error) {
	if n <= 0 {
		return nil, scratch{}, nil
	}
	var z T
	al := ex.allocator()
	b, err := al.Allocate(n*int(unsafe.Sizeof(z)), false)
	if err != nil {
		return nil, scratch{}, err
	}
	return unsafe.Slice((*T)(unsafe.Pointer(unsafe.SliceData(b))), n), scratch{al, b}, nil
}
