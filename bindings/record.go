package main

/*
#include "shim.h"
*/
import "C"

import (
	"runtime/cgo"
	"unsafe"

	"github.com/goarray/goarray/core"
	"github.com/goarray/goarray/pybuf"
)

// ref is what a Python object's cgo.Handle points to.
type ref struct {
	arr   *core.Array
	owner bool // frees arr's buffer when the Python object dies
}

func arrayOf(o *C.GAArray) *ref {
	return cgo.Handle(o.handle).Value().(*ref)
}

// attach stores a (through a new handle) and its export record in o.
func attach(o *C.GAArray, a *core.Array, owner bool) {
	o.handle = C.uintptr_t(cgo.NewHandle(&ref{arr: a, owner: owner}))
	writeRecord(o, a)
}

// writeRecord copies the export record pybuf computes for a into o's C
// memory, so that the buffer protocol can be served without calling Go.
func writeRecord(o *C.GAArray, a *core.Array) {
	rec := pybuf.NewRecord(a.Shape(), a.Strides(), a.DType(), a.ReadOnly())
	nd := a.NDim()
	o.data = (*C.char)(a.Data())
	o.len = C.Py_ssize_t(a.NBytes())
	o.itemsize = C.Py_ssize_t(rec.Itemsize)
	o.ndim = C.int(nd)
	o.dtype = C.int(a.DType())
	keep := o.bits &^ (C.GA_C_CONTIG | C.GA_F_CONTIG | C.GA_READONLY)
	o.bits = keep | C.uint(rec.Bits)
	dims := unsafe.Slice((*C.Py_ssize_t)(C.ga_dims_alloc(o, C.int(nd))), 4*nd)
	for i := 0; i < nd; i++ {
		dims[i] = C.Py_ssize_t(rec.Shape[i])
		dims[nd+i] = C.Py_ssize_t(rec.Strides[i])
		dims[2*nd+i] = C.Py_ssize_t(rec.CStrides[i])
		dims[3*nd+i] = C.Py_ssize_t(rec.FStrides[i])
	}
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
