package pybuf

import (
	"fmt"
	"unsafe"

	"github.com/goarray/goarray/core"
)

// Foreign describes memory another exporter handed out through the buffer
// protocol (a Py_buffer's fields): the pointer to the first element, the
// PEP 3118 format of one element, its itemsize, and the layout. Strides
// nil means C-contiguous. Suboffsets are not representable: the bindings
// never request PyBUF_INDIRECT, so an exporter that needs them refuses.
type Foreign struct {
	Ptr      unsafe.Pointer
	Len      int
	Itemsize int
	Format   string // "" means "B", as PEP 3118 says for a NULL format
	Shape    []int
	Strides  []int
	ReadOnly bool
}

// Array maps the foreign memory onto a core.Array that views it in place
// (the caller keeps the exporter's buffer held while the Array is used).
// It refuses, with an error naming the reason, a format goarray does not
// read (see ParseFormat), an itemsize that disagrees with the format, and
// elements that are not aligned to their size (Go loads and stores them as
// typed values).
func (f Foreign) Array() (*core.Array, error) {
	format := f.Format
	if format == "" {
		format = "B"
	}
	d, err := ParseFormat(format)
	if err != nil {
		return nil, err
	}
	if f.Itemsize != d.Size() {
		return nil, fmt.Errorf("%w: format %q has %d-byte elements but the buffer says its itemsize is %d",
			ErrFormat, format, d.Size(), f.Itemsize)
	}
	shape := f.Shape
	if shape == nil { // a 1-d run of Len bytes (a PyBUF_SIMPLE-shaped answer)
		shape = []int{f.Len / max(f.Itemsize, 1)}
	}
	strides := f.Strides
	if strides == nil {
		strides = core.StandardStrides(shape, d.Size(), core.COrder)
	}
	if len(strides) != len(shape) {
		return nil, fmt.Errorf("%w: buffer has %d dimensions but %d strides", ErrFormat, len(shape), len(strides))
	}
	n, err := core.NumElements(shape, d.Size())
	if err != nil {
		return nil, err
	}
	align := alignment(d)
	if n == 0 {
		align = 1 // no element is ever loaded: an empty array.array may point anywhere
	}
	if uintptr(f.Ptr)%uintptr(align) != 0 {
		return nil, fmt.Errorf("%w: buffer of format %q is not aligned to %d bytes (address %#x); copy it first",
			ErrMisaligned, format, align, uintptr(f.Ptr))
	}
	for i, st := range strides {
		if shape[i] > 1 && st%align != 0 {
			return nil, fmt.Errorf("%w: stride %d of axis %d is not a multiple of the %d-byte alignment of format %q; copy it first",
				ErrMisaligned, st, i, align, format)
		}
	}
	lo, hi, ok := core.ExtentChecked(shape, strides, d.Size())
	if !ok || !core.AddressRangeOK(f.Ptr, lo, hi) {
		return nil, fmt.Errorf("%w: strides %v with shape %v reach beyond the address space", core.ErrValue, strides, shape)
	}
	if hi <= lo { // no elements: any valid pointer will do
		lo, hi = 0, 0
	}
	buf := core.WrapMemory(unsafe.Add(f.Ptr, lo), hi-lo, nil)
	return core.FromBuffer(buf, -lo, shape, strides, d, f.ReadOnly)
}

// alignment is the address alignment Go needs to load an element.
func alignment(d core.DType) int {
	if d.Kind() == 'c' {
		return d.Size() / 2
	}
	return d.Size()
}
