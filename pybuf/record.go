package pybuf

import (
	"fmt"

	"github.com/goarray/goarray/core"
)

// Bits of Record.Bits. They are what getbuffer tests on every request, kept
// as one word so the C side reads a single field.
const (
	BitCContig  uint32 = 1 << iota // numpy's C_CONTIGUOUS flag holds
	BitFContig                     // numpy's F_CONTIGUOUS flag holds
	BitReadOnly                    // writable requests are refused
)

// Record is everything getbuffer needs about one array or view, computed
// once when the array is made. The bindings copy it into C memory next to
// the Python object, so that answering a buffer request (which may happen
// on any thread, with or without the GIL held by Go) never calls into Go.
// What the C side hands out for each request is Answer's reply, tabulated
// once at import.
type Record struct {
	Shape    []int  // elements per axis
	Strides  []int  // the array's own byte strides
	CStrides []int  // strides handed out when the array is C-contiguous
	FStrides []int  // strides handed out when it is only F-contiguous
	Itemsize int    // bytes per element
	Format   string // PEP 3118 format of one element, see Format
	Bits     uint32 // BitCContig | BitFContig | BitReadOnly
}

// NewRecord computes the export record of an array with the given layout
// and dtype. It copies shape and strides, so the caller may reuse them. A
// layout whose shape and strides differ in length, or an invalid dtype, is a
// bug in the caller and panics.
func NewRecord(shape, strides []int, d core.DType, readonly bool) Record {
	if len(shape) != len(strides) {
		panic(fmt.Sprintf("pybuf.NewRecord: shape %v and strides %v differ in length", shape, strides))
	}
	if !d.Valid() {
		panic(fmt.Sprintf("pybuf.NewRecord: invalid dtype %v", d))
	}
	size := d.Size()
	r := Record{
		Shape:    append([]int{}, shape...),
		Strides:  append([]int{}, strides...),
		CStrides: exportStrides(shape, size, core.COrder),
		FStrides: exportStrides(shape, size, core.FOrder),
		Itemsize: size,
		Format:   Format(d),
	}
	if core.IsCContiguous(shape, strides, size) {
		r.Bits |= BitCContig
	}
	if core.IsFContiguous(shape, strides, size) {
		r.Bits |= BitFContig
	}
	if readonly {
		r.Bits |= BitReadOnly
	}
	return r
}

// exportStrides returns the strides numpy hands out for a contiguous array.
// They match core.StandardStrides except when an axis has length 0: numpy's
// buffer.c multiplies by the raw length, so every axis outside the empty
// one gets stride 0 (memoryview(numpy.empty((3, 0))).strides is (0, 8),
// not (8, 8)). No element is ever addressed through them, but a consumer
// comparing goarray's buffer with numpy's sees the same numbers.
func exportStrides(shape []int, itemsize int, order core.Order) []int {
	strides := core.StandardStrides(shape, itemsize, order)
	for i, d := range shape {
		if d != 0 {
			continue
		}
		for j := range strides {
			if (order == core.COrder && j < i) || (order == core.FOrder && j > i) {
				strides[j] = 0
			}
		}
	}
	return strides
}

// WriteRecord writes the record of a layout into dst without allocating,
// in the order the bindings keep it in C memory: shape, own strides, C
// export strides, F export strides (len(shape) ints each; dst must hold
// 4*len(shape)). It returns the Bits. It is NewRecord for the hot path of
// making an array, where a few heap allocations cost more than the rest.
func WriteRecord(dst []int, shape, strides []int, d core.DType, readonly bool) uint32 {
	nd := len(shape)
	size := d.Size()
	copy(dst[:nd], shape)
	copy(dst[nd:2*nd], strides)
	cs, fs := dst[2*nd:3*nd], dst[3*nd:4*nd]
	sd := size
	for k := nd - 1; k >= 0; k-- {
		cs[k] = sd
		sd *= shape[k]
	}
	sd = size
	for k := 0; k < nd; k++ {
		fs[k] = sd
		sd *= shape[k]
	}
	var bits uint32
	if core.IsCContiguous(shape, strides, size) {
		bits |= BitCContig
	}
	if core.IsFContiguous(shape, strides, size) {
		bits |= BitFContig
	}
	if readonly {
		bits |= BitReadOnly
	}
	return bits
}
