package core

import (
	"fmt"
	"unsafe"
)

// View is a read-only typed view of an Array's elements, for kernels
// written in Go: the layout of the Array (shape, byte strides, first
// element) with element access typed as T. It does not own memory: it is
// valid as long as the Array's storage is. Make one with ViewOf.
type View[T Element] struct {
	data    unsafe.Pointer
	shape   []int
	strides []int
}

// MutView is a View that may also write elements. Make one with
// MutViewOf, which refuses read-only Arrays.
type MutView[T Element] struct {
	View[T]
}

// DTypeFor returns the dtype whose elements a Go value of type T holds
// (uint16 stands for both Uint16 and Float16 bits; ok is false for a type
// that is not one of the Element types themselves, e.g. a named float).
func DTypeFor[T Element]() (d DType, ok bool) {
	var zero T
	switch any(zero).(type) {
	case bool:
		return Bool, true
	case int8:
		return Int8, true
	case int16:
		return Int16, true
	case int32:
		return Int32, true
	case int64:
		return Int64, true
	case uint8:
		return Uint8, true
	case uint16:
		return Uint16, true
	case uint32:
		return Uint32, true
	case uint64:
		return Uint64, true
	case float32:
		return Float32, true
	case float64:
		return Float64, true
	case complex64:
		return Complex64, true
	case complex128:
		return Complex128, true
	}
	return InvalidDType, false
}

func matches[T Element](d DType) bool {
	want, ok := DTypeFor[T]()
	if !ok {
		var zero T
		return int(unsafe.Sizeof(zero)) == d.Size()
	}
	return want == d || (want == Uint16 && d == Float16)
}

// ViewOf returns a typed read-only view of a. It fails with ErrDType when
// T does not hold a's dtype.
func ViewOf[T Element](a *Array) (View[T], error) {
	if !matches[T](a.dtype) {
		var zero T
		return View[T]{}, fmt.Errorf("%w: a %T view of an array of dtype %v", ErrDType, zero, a.dtype)
	}
	return View[T]{data: a.Data(), shape: a.shape, strides: a.strides}, nil
}

// MutViewOf returns a typed writable view of a; it fails with ErrReadOnly
// on a read-only Array and with ErrDType as ViewOf does.
func MutViewOf[T Element](a *Array) (MutView[T], error) {
	if a.readonly {
		return MutView[T]{}, fmt.Errorf("%w: cannot make a mutable view", ErrReadOnly)
	}
	v, err := ViewOf[T](a)
	return MutView[T]{v}, err
}

// Len is the number of elements.
func (v View[T]) Len() int {
	n := 1
	for _, d := range v.shape {
		n *= d
	}
	return n
}

// Shape returns the dimensions (do not modify).
func (v View[T]) Shape() []int { return v.shape }

// Strides returns the byte strides (do not modify).
func (v View[T]) Strides() []int { return v.strides }

// NDim is the number of dimensions.
func (v View[T]) NDim() int { return len(v.shape) }

// Rows is the length of the first axis of a 2-D view (of a 1-D view: 1).
func (v View[T]) Rows() int {
	switch len(v.shape) {
	case 0:
		return 1
	case 1:
		return 1
	}
	return v.shape[0]
}

// Cols is the length of the last axis (1 for a 0-d view).
func (v View[T]) Cols() int {
	if len(v.shape) == 0 {
		return 1
	}
	return v.shape[len(v.shape)-1]
}

// Data returns the elements as a Go slice aliasing the memory, in C order,
// when the layout is C-contiguous; ok is false otherwise.
func (v View[T]) Data() (s []T, ok bool) {
	var zero T
	if !IsCContiguous(v.shape, v.strides, int(unsafe.Sizeof(zero))) {
		return nil, false
	}
	n := v.Len()
	if n == 0 {
		return []T{}, true
	}
	return unsafe.Slice((*T)(v.data), n), true
}

func (v View[T]) ptr(idx []int) unsafe.Pointer {
	if len(idx) != len(v.shape) {
		panic(fmt.Sprintf("goarray/core: %d indices for a %d-d view", len(idx), len(v.shape)))
	}
	off := 0
	for k, i := range idx {
		n := v.shape[k]
		if i < 0 {
			i += n
		}
		if i < 0 || i >= n {
			panic(fmt.Sprintf("goarray/core: index %d is out of bounds for axis %d with size %d", idx[k], k, n))
		}
		off += i * v.strides[k]
	}
	return unsafe.Add(v.data, off)
}

// At returns the element at idx (negative indices count from the end); it
// panics on an index out of range.
func (v View[T]) At(idx ...int) T { return *(*T)(v.ptr(idx)) }

// Set stores x at idx.
func (v MutView[T]) Set(x T, idx ...int) { *(*T)(v.ptr(idx)) = x }
