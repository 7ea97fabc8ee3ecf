package main

/*
#include "shim.h"
*/
import "C"

import (
	"slices"
	"unsafe"

	"github.com/goarray/goarray/bindings/internal/handle"
	"github.com/goarray/goarray/core"
	"github.com/goarray/goarray/pybuf"
)

// Py_ssize_t and Go's int must agree: the record is written as []int.
var _ [unsafe.Sizeof(C.Py_ssize_t(0)) - unsafe.Sizeof(int(0))]byte
var _ [unsafe.Sizeof(int(0)) - unsafe.Sizeof(C.Py_ssize_t(0))]byte

// handles keeps the Go arrays of live Python objects reachable.
var handles handle.Table[core.Array]

// arrayOf returns the Go array behind a Python object. Whether the object
// owns the array's buffer is the GA_OWNDATA bit on the C side. An array
// whose record was written without a Go array (a foreign buffer's, by
// goaFromBuffer or by C) gets its Go array here, at the first need, after
// the checks every foreign layout passes; the GIL, held by every caller,
// keeps two threads from attaching one each.
func arrayOf(o *C.GAArray) (*core.Array, error) {
	if o.handle != 0 {
		return handles.Get(uintptr(o.handle)), nil
	}
	nd := int(o.ndim)
	rec := cInts(o.dims, 2*nd)
	a, err := overLayout(unsafe.Pointer(o.data), rec[:nd], rec[nd:], core.DType(o.dtype), o.bits&C.GA_READONLY != 0)
	if err != nil {
		return nil, err
	}
	o.handle = C.uintptr_t(handles.Add(a))
	return a, nil
}

// recordLayout writes into o the export record of the layout op describes
// (a dtype code C recognised, shape and strides), without a Go array.
func recordLayout(o *C.GAArray, op *C.GAOperand) error {
	nd := int(op.ndim)
	d := core.DType(op.dtype)
	shape := unsafe.Slice((*int)(unsafe.Pointer(op.shape)), nd)
	var strides []int
	if op.strides != nil {
		strides = unsafe.Slice((*int)(unsafe.Pointer(op.strides)), nd)
	} else {
		strides = core.StandardStrides(shape, d.Size(), core.COrder)
	}
	if _, _, err := extentOf(unsafe.Pointer(op.data), shape, strides, d); err != nil {
		return err
	}
	size := d.Size()
	for _, n := range shape {
		size *= n
	}
	writeLayout(o, unsafe.Pointer(op.data), size, shape, strides, d, op.readonly != 0)
	return nil
}

// attach stores a (through a new handle) and its export record in o.
func attach(o *C.GAArray, a *core.Array) {
	o.handle = C.uintptr_t(handles.Add(a))
	writeRecord(o, a)
}

// writeRecord writes the export record pybuf computes for a into o's C
// memory, so that the buffer protocol can be served without calling Go.
func writeRecord(o *C.GAArray, a *core.Array) {
	writeLayout(o, a.Data(), a.NBytes(), a.Shape(), a.Strides(), a.DType(), a.ReadOnly())
}

// writeLayout writes the export record of one layout into o.
func writeLayout(o *C.GAArray, data unsafe.Pointer, nbytes int, shape, strides []int, d core.DType, readonly bool) {
	nd := len(shape)
	var p *C.Py_ssize_t
	if nd <= C.GA_INLINE_DIMS && o.dims == &o.inline_dims[0] {
		p = &o.inline_dims[0]
	} else {
		p = C.ga_dims_alloc(o, C.int(nd))
	}
	dims := unsafe.Slice((*int)(unsafe.Pointer(p)), 4*nd)
	bits := pybuf.WriteRecord(dims, shape, strides, d, readonly)
	o.data = (*C.char)(data)
	o.len = C.Py_ssize_t(nbytes)
	o.itemsize = C.Py_ssize_t(d.Size())
	o.ndim = C.int(nd)
	o.dtype = C.int(d)
	keep := o.bits &^ (C.GA_C_CONTIG | C.GA_F_CONTIG | C.GA_READONLY)
	o.bits = keep | C.uint(bits)
}

// cInts is C's n Py_ssize_t at p read in place as ints (nil for a NULL
// p): valid while C keeps them.
func cInts(p *C.Py_ssize_t, n int) []int {
	if p == nil {
		return nil
	}
	return unsafe.Slice((*int)(unsafe.Pointer(p)), n)
}

// goShape is a copy of cInts(p, n) that Go may keep (empty, not nil, for
// n <= 0).
func goShape(p *C.Py_ssize_t, n C.int) []int {
	if n <= 0 {
		return []int{}
	}
	return slices.Clone(cInts(p, int(n)))
}

// The object's bits that getbuffer tests are pybuf's record bits: these
// fail to compile if shim.h's GA_C_CONTIG, GA_F_CONTIG or GA_READONLY
// drift from pybuf.BitCContig, BitFContig or BitReadOnly.
var _ [C.GA_C_CONTIG - pybuf.BitCContig]byte
var _ [pybuf.BitCContig - C.GA_C_CONTIG]byte
var _ [C.GA_F_CONTIG - pybuf.BitFContig]byte
var _ [pybuf.BitFContig - C.GA_F_CONTIG]byte
var _ [C.GA_READONLY - pybuf.BitReadOnly]byte
var _ [pybuf.BitReadOnly - C.GA_READONLY]byte
