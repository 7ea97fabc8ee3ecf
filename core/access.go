package core

import (
	"fmt"
	"unsafe"
)

// Element is the set of Go types that can stand for an Array's elements.
// float16 has no Go type: read and write its bits as uint16.
type Element interface {
	~bool | ~int8 | ~int16 | ~int32 | ~int64 | ~uint8 | ~uint16 | ~uint32 | ~uint64 |
		~float32 | ~float64 | ~complex64 | ~complex128
}

func elementPtr[T Element](a *Array, idx []int) unsafe.Pointer {
	var zero T
	if int(unsafe.Sizeof(zero)) != a.dtype.Size() {
		panic(fmt.Sprintf("goarray/core: element type %T does not match dtype %v", zero, a.dtype))
	}
	off, err := a.ElementOffset(idx...)
	if err != nil {
		panic(err)
	}
	return unsafe.Add(a.Data(), off)
}

// At returns the element at idx. It panics if T's size differs from the
// dtype's or the index is out of range (programmer errors, as with slices).
func At[T Element](a *Array, idx ...int) T {
	return *(*T)(elementPtr[T](a, idx))
}

// Set stores v at idx. It panics like At, and also on a read-only Array.
func Set[T Element](a *Array, v T, idx ...int) {
	if a.readonly {
		panic(fmt.Errorf("goarray/core: Set on a read-only array: %w", ErrReadOnly))
	}
	*(*T)(elementPtr[T](a, idx)) = v
}

// Slice returns the elements of a C-contiguous Array as a Go slice that
// aliases its memory, or ok=false if the layout is not C-contiguous or T does
// not match the dtype's size.
func Slice[T Element](a *Array) (s []T, ok bool) {
	var zero T
	if int(unsafe.Sizeof(zero)) != a.dtype.Size() || !a.IsCContiguous() {
		return nil, false
	}
	n := a.Size()
	if n == 0 {
		return []T{}, true
	}
	return unsafe.Slice((*T)(a.Data()), n), true
}
