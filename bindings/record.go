package main

/*
#include "shim.h"
*/
import "C"

import (
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
// owns the array's buffer is the GA_OWNDATA bit on the C side.
func arrayOf(o *C.GAArray) *core.Array {
	return handles.Get(uintptr(o.handle))
}

// attach stores a (through a new handle) and its export record in o.
func attach(o *C.GAArray, a *core.Array) {
	o.handle = C.uintptr_t(handles.Add(a))
	writeRecord(o, a)
}

// writeRecord writes the export record pybuf computes for a into o's C
// memory, so that the buffer protocol can be served without calling Go.
func writeRecord(o *C.GAArray, a *core.Array) {
	nd := a.NDim()
	var p *C.Py_ssize_t
	if nd <= C.GA_INLINE_DIMS && o.dims == &o.inline_dims[0] {
		p = &o.inline_dims[0]
	} else {
		p = C.ga_dims_alloc(o, C.int(nd))
	}
	dims := unsafe.Slice((*int)(unsafe.Pointer(p)), 4*nd)
	bits := pybuf.WriteRecord(dims, a.Shape(), a.Strides(), a.DType(), a.ReadOnly())
	o.data = (*C.char)(a.Data())
	o.len = C.Py_ssize_t(a.NBytes())
	o.itemsize = C.Py_ssize_t(a.DType().Size())
	o.ndim = C.int(nd)
	o.dtype = C.int(a.DType())
	keep := o.bits &^ (C.GA_C_CONTIG | C.GA_F_CONTIG | C.GA_READONLY)
	o.bits = keep | C.uint(bits)
}

func goShape(p *C.Py_ssize_t, n C.int) []int {
	if n <= 0 {
		return []int{}
	}
	src := unsafe.Slice(p, int(n))
	out := make([]int, n)
	for i, v := range src {
		out[i] = int(v)
	}
	return out
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
