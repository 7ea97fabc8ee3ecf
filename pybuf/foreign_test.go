package pybuf

import (
	"errors"
	"testing"
	"unsafe"
)

func TestForeignAlignment(t *testing.T) {
	var mem [64]byte
	base := uintptr(unsafe.Pointer(&mem[0]))
	odd := unsafe.Pointer(&mem[(8-base%8)%8+1]) // one byte past an 8-byte boundary
	f := Foreign{Ptr: odd, Len: 8, Itemsize: 4, Format: "i", Shape: []int{2}, Strides: []int{4}}
	if _, err := f.Array(); !errors.Is(err, ErrMisaligned) {
		t.Errorf("misaligned int32 buffer: err = %v, want ErrMisaligned", err)
	}
	// No element is ever loaded from an empty buffer, wherever it points
	// (an empty array.array's pointer need not be aligned).
	f = Foreign{Ptr: odd, Len: 0, Itemsize: 4, Format: "i", Shape: []int{0}, Strides: []int{4}}
	a, err := f.Array()
	if err != nil {
		t.Fatalf("empty misaligned buffer: %v", err)
	}
	if a.Size() != 0 {
		t.Errorf("size %d", a.Size())
	}
}
