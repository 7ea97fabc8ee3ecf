package main

/*
#include "shim.h"
*/
import "C"

import (
	"errors"
	"fmt"
	"runtime"
	"runtime/debug"
	"slices"
	"unsafe"

	"github.com/goarray/goarray/core"
	"github.com/goarray/goarray/pybuf"
)

var alloc = core.DefaultAllocator()

//export goaInit
func goaInit() (rc C.int) {
	defer guard(&rc, -1, errSink{})
	for _, d := range core.DTypes() {
		// Interned for the life of the process: the buffer protocol hands
		// these pointers to every consumer.
		C.ga_set_format(C.int(d), C.CString(pybuf.Format(d)), C.CString(pybuf.Typestr(d)))
	}
	setReplies()
	return 0
}

// setReplies fills getbuffer's table (buffer.c) with pybuf.Answer's reply
// to every request for every combination of the record bits, so that C
// serves buffers by pybuf's rules without calling Go.
func setReplies() {
	// A record whose slices tell apart which strides Answer hands out.
	own, cs, fs := []int{1}, []int{2}, []int{3}
	var reasons []string
	for bits := uint32(0); bits < 8; bits++ {
		rec := pybuf.Record{Shape: []int{1}, Strides: own, CStrides: cs, FStrides: fs, Format: "x", Bits: bits}
		for flags := 0; flags <= C.GA_REQUEST_FLAGS; flags++ {
			var reply C.int
			rep, err := pybuf.Answer(rec, flags)
			var refused *pybuf.RequestError
			switch {
			case errors.As(err, &refused):
				i := slices.Index(reasons, refused.Reason)
				if i < 0 {
					reasons = append(reasons, refused.Reason)
					i = len(reasons) - 1
					if len(reasons) > C.GA_REPLY_REFUSED {
						panic("goarray: more refusal reasons than buffer.c's table holds")
					}
					C.ga_set_refusal(C.int(i+1), C.CString(refused.Reason))
				}
				reply = C.int(i + 1)
			case err != nil:
				panic(err)
			default:
				if rep.Format != "" {
					reply |= C.GA_REPLY_FORMAT
				}
				if rep.Shape != nil {
					reply |= C.GA_REPLY_ND
				}
				switch {
				case rep.Strides == nil:
				case &rep.Strides[0] == &own[0]:
					reply |= C.GA_REPLY_STRIDES_OWN
				case &rep.Strides[0] == &cs[0]:
					reply |= C.GA_REPLY_STRIDES_C
				case &rep.Strides[0] == &fs[0]:
					reply |= C.GA_REPLY_STRIDES_F
				}
			}
			C.ga_set_reply(C.uint(bits), C.int(flags), reply)
		}
	}
}

//export goaNew
func goaNew(o *C.GAArray, dtype C.int, ndim C.int, shape *C.Py_ssize_t, order C.int, zero C.int) (rc C.int) {
	defer guard(&rc, -1, errSink{})
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
	defer guard(&rc, -1, errSink{})
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
	defer guard(&rc, -1, errSink{})
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
	defer guard(&rc, -1, errSink{})
	core.SetZeroStridesForEmpty(zeroStridesForEmpty != 0)
	return 0
}

// goaRelease releases the Go array of an object being deallocated, which
// cannot raise: a failure is reported as unraisable.
//
//export goaRelease
func goaRelease(h C.uintptr_t, owner C.int) {
	var failed bool
	defer guard(&failed, true, unraisable)
	release(h, owner != 0)
}

// goaReleaseBatch releases handles queued by dealloc (see array.c): each
// word is handle<<1 | owner. Batching saves a C-to-Go call per small array.
//
//export goaReleaseBatch
func goaReleaseBatch(words *C.uintptr_t, n C.int) {
	var failed bool
	defer guard(&failed, true, unraisable)
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
	defer guard(&rc, -1, errSink{})
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
	a, err := arrayOf(self)
	var v *core.Array
	if err == nil {
		v, err = a.Index(idx)
	}
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

// View operations selected by goaShapeOp's op argument (methods.c's OP_*).
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
	defer guard(&res, nil, errSink{})
	a, err := arrayOf(self)
	if err != nil {
		raiseErr(err)
		return nil
	}
	args := goShape(ints, n)
	var v *core.Array
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
			// A copy in the requested order; methods.c reshapes it again,
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
	defer guard(&rc, -1, errSink{})
	a, err := arrayOf(self)
	if err == nil {
		err = a.Resize(alloc, goShape(shape, n))
	}
	if err != nil {
		raiseErr(err)
		return -1
	}
	writeRecord(self, a)
	return 0
}

//export goaFill
func goaFill(self *C.GAArray, value *C.char, n C.Py_ssize_t) (rc C.int) {
	defer guard(&rc, -1, errSink{})
	b := C.GoBytes(unsafe.Pointer(value), C.int(n))
	a, err := arrayOf(self)
	if err == nil {
		err = a.Fill(b)
	}
	if err != nil {
		raiseErr(err)
		return -1
	}
	return 0
}

//export goaCopyInto
func goaCopyInto(dst, src *C.GAArray) (rc C.int) {
	defer guard(&rc, -1, errSink{})
	d, err := arrayOf(dst)
	var s *core.Array
	if err == nil {
		s, err = arrayOf(src)
	}
	if err == nil {
		err = core.CopyTo(nil, d, s)
	}
	if err != nil {
		raiseErr(err)
		return -1
	}
	return 0
}

//export goaSetReadOnly
func goaSetReadOnly(self *C.GAArray, ro C.int) (rc C.int) {
	defer guard(&rc, -1, errSink{})
	a, err := arrayOf(self)
	if err != nil {
		raiseErr(err)
		return -1
	}
	a.SetReadOnly(ro != 0)
	return 0
}

//export goaAllocated
func goaAllocated() (n C.longlong) {
	defer guard(&n, -1, errSink{})
	return C.longlong(alloc.Allocated())
}

//export goaLiveHandles
func goaLiveHandles() (n C.longlong) {
	defer guard(&n, -1, errSink{})
	return C.longlong(handles.Live())
}

//export goaInfo
func goaInfo(what C.int, buf *C.char, n C.int) (rc C.int) {
	defer guard(&rc, -1, errSink{})
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
	return 0
}

// goaCheckRequest answers with pybuf's rule whether a request with these
// flags is granted for an object with these bits: 0, or -1 and the reason in
// buf. tests/test_buffer_flags.py compares it with what getbuffer does.
//
//export goaCheckRequest
func goaCheckRequest(bits C.uint, flags C.int, buf *C.char, n C.int) (rc C.int) {
	defer guard(&rc, -2, errSink{})
	if err := pybuf.Check(uint32(bits), int(flags)); err != nil {
		copyOut(err.Error(), buf, n)
		return -1
	}
	return 0
}

//export goaPanic
func goaPanic() (res *C.PyObject) {
	defer guard(&res, nil, errSink{})
	var m map[string]int
	m["deliberate"] = 1 // nil map write: a real runtime panic
	return nil
}
