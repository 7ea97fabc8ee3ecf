package main

/*
#include "shim.h"
*/
import "C"

import (
	"fmt"
	"runtime"
	"runtime/debug"
	"unsafe"

	"github.com/goarray/goarray/core"
	"github.com/goarray/goarray/pybuf"
)

var alloc = core.DefaultAllocator()

//export goaInit
func goaInit() (rc C.int) {
	defer recoverPanic(&rc, -1)
	for _, d := range core.DTypes() {
		// Interned for the life of the process: the buffer protocol hands
		// these pointers to every consumer.
		C.ga_set_format(C.int(d), C.CString(pybuf.Format(d)), C.CString(pybuf.Typestr(d)))
	}
	return 0
}

//export goaNew
func goaNew(o *C.GAArray, dtype C.int, ndim C.int, shape *C.Py_ssize_t, order C.int, zero C.int) (rc C.int) {
	defer recoverPanic(&rc, -1)
	a, err := core.New(alloc, goShape(shape, ndim), core.DType(dtype), core.Order(order), zero != 0)
	if err != nil {
		raiseErr(err)
		return -1
	}
	o.bits |= C.GA_OWNDATA
	attach(o, a)
	return 0
}

//export goaNewLike
func goaNewLike(o *C.GAArray, dtype C.int, ndim C.int, shape, strides *C.Py_ssize_t, itemsize C.Py_ssize_t, zero C.int) (rc C.int) {
	defer recoverPanic(&rc, -1)
	a, err := core.NewLike(alloc, goShape(shape, ndim), goShape(strides, ndim), int(itemsize), core.DType(dtype), zero != 0)
	if err != nil {
		raiseErr(err)
		return -1
	}
	o.bits |= C.GA_OWNDATA
	attach(o, a)
	return 0
}

//export goaNewStrided
func goaNewStrided(o *C.GAArray, dtype C.int, ndim C.int, shape, strides *C.Py_ssize_t) (rc C.int) {
	defer recoverPanic(&rc, -1)
	a, err := core.NewStrided(alloc, goShape(shape, ndim), goShape(strides, ndim), core.DType(dtype))
	if err != nil {
		raiseErr(err)
		return -1
	}
	o.bits |= C.GA_OWNDATA
	attach(o, a)
	return 0
}

//export goaConfigure
func goaConfigure(zeroStridesForEmpty C.int) (rc C.int) {
	defer recoverPanic(&rc, -1)
	core.SetZeroStridesForEmpty(zeroStridesForEmpty != 0)
	return 0
}

//export goaRelease
func goaRelease(h C.uintptr_t, owner C.int) {
	defer func() { recover() }() // dealloc cannot raise; a panic here must not abort
	release(h, owner != 0)
}

// goaReleaseBatch releases handles queued by dealloc (see shim.c): each
// word is handle<<1 | owner. Batching saves a C-to-Go call per small array.
//
//export goaReleaseBatch
func goaReleaseBatch(words *C.uintptr_t, n C.int) {
	defer func() { recover() }()
	for _, w := range unsafe.Slice(words, int(n)) {
		release(w>>1, w&1 != 0)
	}
}

func release(h C.uintptr_t, owner bool) {
	a := handles.Remove(uintptr(h))
	if owner {
		a.Release()
	}
}

func newOwner(a *core.Array) *C.PyObject {
	o := C.ga_alloc_owner()
	if o == nil {
		a.Release()
		return nil
	}
	o.bits |= C.GA_OWNDATA
	attach(o, a)
	return (*C.PyObject)(unsafe.Pointer(o))
}

// Index items arrive as 5 Py_ssize_t each: kind, int-or-start, stop, step,
// and presence bits (1 start, 2 stop, 4 step).
const indexItemWords = 5

//export goaIndex
func goaIndex(self, out *C.GAArray, items *C.Py_ssize_t, n C.int) (rc C.int) {
	defer recoverPanic(&rc, -1)
	words := unsafe.Slice(items, int(n)*indexItemWords)
	var buf [16]core.IndexItem
	idx := buf[:0]
	for i := 0; i < int(n); i++ {
		w := words[i*indexItemWords:]
		it := core.IndexItem{Kind: core.IndexKind(w[0])}
		switch it.Kind {
		case core.IndexInt:
			it.Int = int(w[1])
		case core.IndexSlice:
			it.Start, it.Stop, it.Step = int(w[1]), int(w[2]), int(w[3])
			it.HasStart, it.HasStop, it.HasStep = w[4]&1 != 0, w[4]&2 != 0, w[4]&4 != 0
		}
		idx = append(idx, it)
	}
	v, err := arrayOf(self).Index(idx)
	if err != nil {
		raiseErr(err)
		return -1
	}
	if v.ReadOnly() {
		out.bits |= C.GA_READONLY
	}
	attach(out, v)
	return 0
}

// View operations selected by goaReshape's op argument.
const (
	opReshape = iota
	opTranspose
	opBroadcast
	opViewAs
	opCopy
)

// goaShapeOp makes a view (into out, an object C allocated for it) or a
// copy (a new owner object) of self. It returns out, the new owner, or nil
// with an exception set.
//
//export goaShapeOp
func goaShapeOp(self, out *C.GAArray, op C.int, ints *C.Py_ssize_t, n C.int, arg C.int) (res *C.PyObject) {
	defer recoverPanic(&res, nil)
	a := arrayOf(self)
	args := goShape(ints, n)
	var v *core.Array
	var err error
	switch op {
	case opReshape:
		// arg: the order in the low byte, then the copy mode: 0 a view
		// when possible, 1 always copy, 2 never copy.
		order, mode := core.Order(arg&0xff), arg>>8
		var ok bool
		v, ok, err = a.ReshapeView(args, order)
		if err == nil && (!ok || mode == 1) {
			if mode == 2 {
				err = fmt.Errorf("%w: Unable to avoid creating a copy while reshaping.", core.ErrValue)
				break
			}
			// A copy in the requested order; shim.c reshapes it again,
			// which is then a view of the copy, as numpy's result is.
			var c *core.Array
			if c, err = a.Copy(alloc, order); err == nil {
				return newOwner(c)
			}
		}
	case opTranspose:
		v, err = a.Transpose(args)
	case opBroadcast:
		v, err = a.BroadcastTo(args)
	case opViewAs:
		v, err = a.ViewAs(core.DType(arg))
	case opCopy:
		var c *core.Array
		if c, err = a.Copy(alloc, core.Order(arg)); err == nil {
			return newOwner(c)
		}
	default:
		err = fmt.Errorf("%w: unknown shape operation %d", core.ErrValue, op)
	}
	if err != nil {
		raiseErr(err)
		return nil
	}
	if v.ReadOnly() {
		out.bits |= C.GA_READONLY
	}
	attach(out, v)
	return (*C.PyObject)(unsafe.Pointer(out))
}

//export goaResize
func goaResize(self *C.GAArray, shape *C.Py_ssize_t, n C.int) (rc C.int) {
	defer recoverPanic(&rc, -1)
	a := arrayOf(self)
	if err := a.Resize(alloc, goShape(shape, n)); err != nil {
		raiseErr(err)
		return -1
	}
	writeRecord(self, a)
	return 0
}

//export goaFill
func goaFill(self *C.GAArray, value *C.char, n C.Py_ssize_t) (rc C.int) {
	defer recoverPanic(&rc, -1)
	b := C.GoBytes(unsafe.Pointer(value), C.int(n))
	if err := arrayOf(self).Fill(b); err != nil {
		raiseErr(err)
		return -1
	}
	return 0
}

//export goaCopyInto
func goaCopyInto(dst, src *C.GAArray) (rc C.int) {
	defer recoverPanic(&rc, -1)
	if err := core.CopyTo(nil, arrayOf(dst), arrayOf(src)); err != nil {
		raiseErr(err)
		return -1
	}
	return 0
}

//export goaSetReadOnly
func goaSetReadOnly(self *C.GAArray, ro C.int) (rc C.int) {
	defer recoverPanic(&rc, -1)
	arrayOf(self).SetReadOnly(ro != 0)
	return 0
}

//export goaAllocated
func goaAllocated() (n C.longlong) {
	defer recoverPanic(&n, -1)
	return C.longlong(alloc.Allocated())
}

//export goaLiveHandles
func goaLiveHandles() (n C.longlong) {
	defer recoverPanic(&n, -1)
	return C.longlong(handles.Live())
}

// copyOut writes s into the C buffer buf of n bytes, NUL-terminated.
func copyOut(s string, buf *C.char, n C.int) {
	dst := unsafe.Slice((*byte)(unsafe.Pointer(buf)), int(n))
	k := copy(dst[:len(dst)-1], s)
	dst[k] = 0
}

//export goaInfo
func goaInfo(what C.int, buf *C.char, n C.int) {
	defer func() { recover() }()
	var s string
	switch what {
	case 0:
		s = runtime.Version()
	case 1:
		s = fmt.Sprint(alloc)
	case 2:
		s = fmt.Sprintf("%d", runtime.GOMAXPROCS(0))
	case 3:
		if bi, ok := debug.ReadBuildInfo(); ok {
			for _, kv := range bi.Settings {
				if kv.Key == "GOEXPERIMENT" {
					s = kv.Value
				}
			}
		}
	case 4:
		s = core.SIMD()
	}
	copyOut(s, buf, n)
}

// goaCheckRequest answers with pybuf's rule whether a request with these
// flags is granted for an object with these bits: 0, or -1 and the reason in
// buf. The test suite compares it with what shim.c's getbuffer does.
//
//export goaCheckRequest
func goaCheckRequest(bits C.uint, flags C.int, buf *C.char, n C.int) (rc C.int) {
	defer recoverPanic(&rc, -2)
	if err := pybuf.Check(uint32(bits), int(flags)); err != nil {
		copyOut(err.Error(), buf, n)
		return -1
	}
	return 0
}

//export goaPanic
func goaPanic() (res *C.PyObject) {
	defer recoverPanic(&res, nil)
	var m map[string]int
	m["deliberate"] = 1 // nil map write: a real runtime panic
	return nil
}
