package main

/*
#include "shim.h"
*/
import "C"

import (
	"errors"
	"fmt"
	"slices"
	"unsafe"

	"github.com/goarray/goarray/core"
	"github.com/goarray/goarray/pybuf"
	"github.com/goarray/goarray/registry"
	_ "github.com/goarray/goarray/registry/builtin" // goarray's own kernels
)

// operand maps one C operand description onto a core Array.
func operand(op *C.GAOperand) (*core.Array, error) {
	nd := int(op.ndim)
	if op.dtype != 0 {
		// A goarray array or a buffer C made itself: its dtype and layout
		// were checked when it was made, no format to parse.
		// C's shape and strides are read in place (Py_ssize_t is int) and
		// copied into the Array: nothing to allocate for them
		d := core.DType(op.dtype)
		shape := cInts(op.shape, nd)
		var std [core.MaxDims]int
		strides := cInts(op.strides, nd)
		if op.strides == nil {
			strides = std[:nd]
			core.FillStandardStrides(strides, shape, d.Size())
		}
		return overLayout(unsafe.Pointer(op.data), shape, strides, d, op.readonly != 0)
	}
	f := pybuf.Foreign{
		Ptr:      unsafe.Pointer(op.data),
		Len:      int(op.len),
		Itemsize: int(op.itemsize),
		ReadOnly: op.readonly != 0,
	}
	if op.format != nil {
		f.Format = C.GoString(op.format)
	}
	if op.shape != nil {
		f.Shape = goShape(op.shape, C.int(nd))
	} else if nd == 0 && op.len == op.itemsize {
		f.Shape = []int{}
	}
	if op.strides != nil {
		f.Strides = goShape(op.strides, C.int(nd))
	}
	return f.Array()
}

// extentOf is the byte range [lo, hi) around data that elements of this
// layout occupy, or an error where it would reach beyond the address space
// (a DLPack producer's strides can be anything).
func extentOf(data unsafe.Pointer, shape, strides []int, d core.DType) (lo, hi int, err error) {
	lo, hi, ok := core.ExtentChecked(shape, strides, d.Size())
	if !ok || !core.AddressRangeOK(data, lo, hi) {
		return 0, 0, fmt.Errorf("%w: strides %v with shape %v reach beyond the address space", core.ErrValue,
			slices.Clone(strides), slices.Clone(shape))
	}
	if hi <= lo {
		lo, hi = 0, 0
	}
	return lo, hi, nil
}

// overLayout is a core Array over memory Go does not own: element 0 at
// data, with this layout.
func overLayout(data unsafe.Pointer, shape, strides []int, d core.DType, readonly bool) (*core.Array, error) {
	lo, hi, err := extentOf(data, shape, strides, d)
	if err != nil {
		return nil, err
	}
	return core.OverMemory(unsafe.Add(data, lo), hi-lo, -lo, shape, strides, d, readonly)
}

// goaFromBuffer makes o (allocated by C, holding the exporter's buffer) a
// view of the foreign memory, reinterpreted as dtype when it is not 0.
// Where C recognised the format (op.dtype set) and no other dtype is asked
// for, only the export record is written: numpy results wrapped by
// numpy_calls.c are often dropped before Go ever sees them.
//
//export goaFromBuffer
func goaFromBuffer(o *C.GAArray, op *C.GAOperand, dtype C.int) (rc C.int) {
	defer guard(&rc, -1, errSink{})
	if op.dtype != 0 && (dtype == 0 || dtype == op.dtype) {
		// C knows the dtype: the record alone, the Go array when Go first
		// needs one (arrayOf)
		if err := recordLayout(o, op); err != nil {
			raiseErr(err)
			return -1
		}
		return 0
	}
	a, err := operand(op)
	if err == nil && dtype != 0 && core.DType(dtype) != a.DType() {
		a, err = a.ViewAs(core.DType(dtype))
		if err == nil && !a.Aligned() {
			// the exporter's own format was aligned (operand checked it);
			// the bytes seen as dtype are not: refused as misaligned
			// foreign data always is
			err = fmt.Errorf("%w: the buffer's bytes seen as %v are not aligned to %d bytes; copy it first",
				pybuf.ErrMisaligned, a.DType(), a.DType().Alignment())
		}
	}
	if err != nil {
		raiseErr(err)
		return -1
	}
	attach(o, a)
	return 0
}

// goaCall runs operation op of the registry's kernel family of code
// family on the arguments C converted by the family's parameter types
// (kernels.c's _call). C calls it with the GIL released when the operands
// are large (kernels.c's ga_call_begin); only then, and only on the main
// thread, is interruptible set and does the kernel poll for signals. On
// failure it writes the error kind to *kind and the message to errbuf and
// returns -1; an interrupt returns 1 with KeyboardInterrupt already set.
// Every kernel export follows these conventions.
//
//export goaCall
func goaCall(family, op C.int, args *C.GAArg, nargs C.int, threads, interruptible C.int,
	kind *C.int, errbuf *C.char, errlen C.int) (rc C.int) {
	defer guard(&rc, -1, kernelSink(kind, errbuf, errlen))
	err := call(kernelExec(threads, interruptible), int(family), int(op), unsafe.Slice(args, int(nargs)))
	return kernelStatus(err, kind, errbuf, errlen)
}

// call converts C's arguments by the family's parameter types and runs it.
func call(ex *core.Exec, family, op int, cargs []C.GAArg) error {
	reg := registry.Default()
	f := reg.Family(family)
	if f == nil {
		return fmt.Errorf("%w: no kernel family %d", core.ErrValue, family)
	}
	if !reg.HasOp(family, op) {
		return fmt.Errorf("%w: kernel family %s has no operation %d", core.ErrValue, f.Name, op)
	}
	if len(cargs) != len(f.Params) {
		return fmt.Errorf("%w: kernel family %s takes %d arguments, got %d", core.ErrValue, f.Name, len(f.Params), len(cargs))
	}
	fr := registry.GetFrame()
	defer registry.PutFrame(fr)
	args := fr.Args[:len(cargs)]
	for i, p := range f.Params {
		ca := &cargs[i]
		args[i].Type = p.Type
		switch p.Type {
		case registry.InArray, registry.OutArray, registry.OptInArray:
			if ca.none != 0 {
				continue
			}
			a, err := operand(&ca.op)
			if err != nil {
				return fmt.Errorf("%s: %w", p.Name, err)
			}
			args[i].Array = a
		case registry.Int:
			args[i].Int = int(ca.i)
		case registry.Ints:
			// read in place: C keeps them until the call returns
			args[i].Ints = []int{}
			if ca.i > 0 {
				args[i].Ints = cInts(ca.ints, int(ca.i))
			}
		case registry.Float:
			args[i].Float = float64(ca.re)
		case registry.Complex:
			args[i].Complex = complex(float64(ca.re), float64(ca.im))
		}
	}
	return fr.Call(ex, f, op, len(args))
}

// registerFamilies hands C the parameter types of every family (kernels.c's
// ga_set_family), or reports why the registry cannot be used.
func registerFamilies() error {
	if err := registry.Default().Check(C.GA_MAX_FAMILIES); err != nil {
		return err
	}
	for i, f := range registry.Default().Families() {
		var types [registry.MaxParams]C.int
		for j, p := range f.Params {
			types[j] = C.int(p.Type)
		}
		// interned for the life of the process, as the family
		C.ga_set_family(C.int(i), C.CString(f.Name), C.int(len(f.Params)), &types[0])
	}
	return nil
}

// goaRegistryCheck is 0 when the kernel registry is usable, else -1 with
// the reason in buf (the module's import raises it as ImportError).
//
//export goaRegistryCheck
func goaRegistryCheck(buf *C.char, n C.int) (rc C.int) {
	defer guard(&rc, -1, errSink{})
	if err := registerFamilies(); err != nil {
		copyOut(err.Error(), buf, n)
		return -1
	}
	return 0
}

// goaRegistry is the registry's description as JSON (registry.Description),
// for goarray._registry; C frees it.
//
//export goaRegistry
func goaRegistry() (res *C.char) {
	defer guard(&res, nil, errSink{})
	b, err := registry.Default().JSON()
	if err != nil {
		raiseErr(err)
		return nil
	}
	return C.CString(string(b))
}

// goaBinaryFlat is the layout-free path of the binary family for three
// C-contiguous operands of one dtype and shape (see flat.c and kernels.c).
//
//export goaBinaryFlat
func goaBinaryFlat(op, dtype C.int, d, a, b unsafe.Pointer, n C.Py_ssize_t, mode, threads, interruptible C.int,
	kind *C.int, errbuf *C.char, errlen C.int) (rc C.int) {
	defer guard(&rc, -1, kernelSink(kind, errbuf, errlen))
	err := binaryFlat(kernelExec(threads, interruptible), op, dtype, d, a, b, n, mode)
	return kernelStatus(err, kind, errbuf, errlen)
}

// binaryFlat is d = a op b over n contiguous elements. mode says which
// operand is one scalar element instead of n (internal.h's GA_SCALAR_*).
func binaryFlat(ex *core.Exec, op, dtype C.int, d, a, b unsafe.Pointer, n C.Py_ssize_t, mode C.int) error {
	o, dt := core.BinaryOp(op), core.DType(dtype)
	switch mode {
	case C.GA_SCALAR_RIGHT:
		return core.BinaryScalarFlat(ex, o, dt, d, a, b, int(n), false)
	case C.GA_SCALAR_LEFT:
		return core.BinaryScalarFlat(ex, o, dt, d, b, a, int(n), true)
	}
	return core.BinaryFlat(ex, o, dt, d, a, b, int(n))
}

// kernelExec is the Exec of a kernel export: its thread count (0: the
// default), polling for Ctrl-C when C released the GIL on the main thread.
func kernelExec(threads, interruptible C.int) *core.Exec {
	ex := &core.Exec{Threads: int(threads)}
	if interruptible != 0 {
		ex.Interrupted = func() bool { return C.ga_check_interrupt() != 0 }
	}
	return ex
}

// kernelStatus is a kernel export's return code for err: 0 done, 1
// interrupted (KeyboardInterrupt is set), -1 failed (the error's kind and
// message written for C to raise).
func kernelStatus(err error, kind *C.int, errbuf *C.char, errlen C.int) C.int {
	if err == nil {
		return 0
	}
	if errors.Is(err, core.ErrInterrupted) {
		return 1
	}
	kernelSink(kind, errbuf, errlen).report(err)
	return -1
}

//export goaSetNumThreads
func goaSetNumThreads(n C.int) (rc C.int) {
	defer guard(&rc, -1, errSink{})
	core.SetNumThreads(int(n))
	return C.int(core.NumThreads())
}

//export goaNumThreads
func goaNumThreads() (rc C.int) {
	defer guard(&rc, -1, errSink{})
	return C.int(core.NumThreads())
}

// goaNewBinary is the small-input fast path of an elementwise kernel of two
// C-contiguous operands of one dtype and shape (see flat.c's ga_binary_flat):
// it allocates the result (of dtype rdtype: the registry's result dtype of
// op) into o and computes it in one call, with the GIL held. On failure the Python exception is set and it returns -1.
//
//export goaNewBinary
func goaNewBinary(o *C.GAArray, op, dtype, rdtype, ndim C.int, shape *C.Py_ssize_t, a, b unsafe.Pointer, n C.Py_ssize_t, mode C.int) (rc C.int) {
	defer guard(&rc, -1, errSink{})
	res, err := core.New(alloc, goShape(shape, ndim), core.DType(rdtype), core.COrder, false)
	if err != nil {
		raiseErr(err)
		return -1
	}
	o.bits |= C.GA_OWNDATA
	attach(o, res)
	if err := binaryFlat(&core.Exec{Threads: 1}, op, dtype, res.Data(), a, b, n, mode); err != nil {
		raiseErr(err)
		return -1
	}
	return 0
}

// goaScaleFlat is the fast path of scale (see flat.c's scale_fast): n
// contiguous float32 or float64 elements at p multiplied in place by s
// (rounded to float32 for a float32 array, as numpy's a *= s does).
//
//export goaScaleFlat
func goaScaleFlat(dtype C.int, p unsafe.Pointer, n C.Py_ssize_t, s C.double, threads, interruptible C.int,
	kind *C.int, errbuf *C.char, errlen C.int) (rc C.int) {
	defer guard(&rc, -1, kernelSink(kind, errbuf, errlen))
	d := core.DType(dtype)
	a, err := core.FromBuffer(core.WrapMemory(p, int(n)*d.Size(), nil), 0, []int{int(n)}, []int{d.Size()}, d, false)
	if err == nil {
		ex := kernelExec(threads, interruptible)
		switch d {
		case core.Float64:
			err = core.Scale(ex, a, float64(s))
		case core.Float32:
			err = core.Scale(ex, a, float32(s))
		default:
			err = fmt.Errorf("%w: scale fast path for %v", core.ErrDType, d)
		}
	}
	return kernelStatus(err, kind, errbuf, errlen)
}
