package main

/*
#include "shim.h"
*/
import "C"

import (
	"errors"
	"fmt"
	"unsafe"

	"github.com/goarray/goarray/core"
	"github.com/goarray/goarray/pybuf"
)

// A kernel runs on operands that C collected (ops[0] is the output by
// convention) with integer and float parameters. Kernels run without the
// GIL: they must not call the C API (errors are returned, C raises them).
type kernel func(ex *core.Exec, ops []*core.Array, ip []int, fp []float64) error

var kernels = map[string]kernel{}

func registerKernel(name string, k kernel) {
	if _, dup := kernels[name]; dup {
		panic("goarray: kernel registered twice: " + name)
	}
	kernels[name] = k
}

// operands maps the C descriptions onto core Arrays that view the memory
// in place.
func operands(ops *C.GAOperand, n C.int) ([]*core.Array, error) {
	out := make([]*core.Array, n)
	for i := range out {
		a, err := operand(&unsafe.Slice(ops, int(n))[i])
		if err != nil {
			return nil, fmt.Errorf("operand %d: %w", i, err)
		}
		out[i] = a
	}
	return out, nil
}

// operand maps one C operand description onto a core Array.
func operand(op *C.GAOperand) (*core.Array, error) {
	nd := int(op.ndim)
	if op.dtype != 0 {
		// A goarray array or a buffer C made itself: its dtype and layout
		// were checked when it was made, no format to parse.
		d := core.DType(op.dtype)
		shape := goShape(op.shape, C.int(nd))
		strides := core.StandardStrides(shape, d.Size(), core.COrder)
		if op.strides != nil {
			strides = goShape(op.strides, C.int(nd))
		}
		lo, hi, ok := core.ExtentChecked(shape, strides, d.Size())
		if !ok || !core.AddressRangeOK(unsafe.Pointer(op.data), lo, hi) { // a DLPack producer's strides can be anything
			return nil, fmt.Errorf("%w: strides %v with shape %v reach beyond the address space", core.ErrValue, strides, shape)
		}
		if hi <= lo {
			lo, hi = 0, 0
		}
		buf := core.WrapMemory(unsafe.Add(unsafe.Pointer(op.data), lo), hi-lo, nil)
		return core.FromBuffer(buf, -lo, shape, strides, d, op.readonly != 0)
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

// goaFromBuffer makes o (allocated by C, holding the exporter's buffer) a
// view of the foreign memory, reinterpreted as dtype when it is not 0.
//
//export goaFromBuffer
func goaFromBuffer(o *C.GAArray, op *C.GAOperand, dtype C.int) (rc C.int) {
	defer guard(&rc, -1, errSink{})
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

// goaKernel runs the named kernel. C calls it with the GIL released when
// the operands are large (kernels.c's ga_call_begin); only then, and only
// on the main thread, is interruptible set and does the kernel poll for
// signals. On failure it writes the error kind to *kind and the message to
// errbuf and returns -1; an interrupt returns 1 with KeyboardInterrupt
// already set. Every kernel export follows these conventions.
//
//export goaKernel
func goaKernel(name *C.char, ops *C.GAOperand, nops C.int, ip *C.Py_ssize_t, nip C.int, fp *C.double, nfp C.int,
	threads C.int, interruptible C.int, kind *C.int, errbuf *C.char, errlen C.int) (rc C.int) {
	defer guard(&rc, -1, kernelSink(kind, errbuf, errlen))
	k, ok := kernels[C.GoString(name)]
	if !ok {
		return kernelStatus(fmt.Errorf("%w: unknown kernel %s", core.ErrValue, C.GoString(name)), kind, errbuf, errlen)
	}
	arrs, err := operands(ops, nops)
	if err == nil {
		ints := goShape(ip, nip)
		floats := make([]float64, nfp)
		for i, v := range unsafe.Slice(fp, int(nfp)) {
			floats[i] = float64(v)
		}
		err = k(kernelExec(threads, interruptible), arrs, ints, floats)
	}
	return kernelStatus(err, kind, errbuf, errlen)
}

// goaBinaryFlat is the layout-free path of the "binary" kernel for three
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
// operand is one scalar element instead of n (flat.c's GA_SCALAR_*): 0
// neither, 1 b (a op s), 2 a (s op b).
func binaryFlat(ex *core.Exec, op, dtype C.int, d, a, b unsafe.Pointer, n C.Py_ssize_t, mode C.int) error {
	o, dt := core.BinaryOp(op), core.DType(dtype)
	switch mode {
	case 1:
		return core.BinaryScalarFlat(ex, o, dt, d, a, b, int(n), false)
	case 2:
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

func init() {
	registerKernel("binary", func(ex *core.Exec, ops []*core.Array, ip []int, _ []float64) error {
		if len(ops) != 3 || len(ip) != 1 {
			return fmt.Errorf("%w: binary kernel needs 3 operands and an op", core.ErrValue)
		}
		return core.Binary(ex, core.BinaryOp(ip[0]), ops[0], ops[1], ops[2])
	})
	registerKernel("reduce", func(ex *core.Exec, ops []*core.Array, ip []int, _ []float64) error {
		if len(ops) != 2 || len(ip) < 1 {
			return fmt.Errorf("%w: reduce kernel needs 2 operands and an op", core.ErrValue)
		}
		return core.Reduce(ex, core.ReduceOp(ip[0]), ops[0], ops[1], ip[1:])
	})
	registerKernel("scale", func(ex *core.Exec, ops []*core.Array, ip []int, fp []float64) error {
		if len(ops) != 1 {
			return fmt.Errorf("%w: scale kernel needs 1 operand", core.ErrValue)
		}
		return scaleBy(ex, ops[0], ip, fp)
	})
}

// scaleBy multiplies a in place by the factor given as an int (ip) or a
// float/complex (fp: re, im), converted to a's dtype as numpy's *= casts.
func scaleBy(ex *core.Exec, a *core.Array, ip []int, fp []float64) error {
	var re, im float64
	var iv int
	isInt := len(ip) == 1
	if isInt {
		iv, re = ip[0], float64(ip[0])
	} else if len(fp) == 2 {
		re, im = fp[0], fp[1]
	} else {
		return fmt.Errorf("%w: scale needs one factor", core.ErrValue)
	}
	switch a.DType() {
	case core.Int8:
		return core.Scale(ex, a, int8(iv))
	case core.Int16:
		return core.Scale(ex, a, int16(iv))
	case core.Int32:
		return core.Scale(ex, a, int32(iv))
	case core.Int64:
		return core.Scale(ex, a, int64(iv))
	case core.Uint8:
		return core.Scale(ex, a, uint8(iv))
	case core.Uint16:
		return core.Scale(ex, a, uint16(iv))
	case core.Uint32:
		return core.Scale(ex, a, uint32(iv))
	case core.Uint64:
		return core.Scale(ex, a, uint64(iv))
	case core.Float32:
		return core.Scale(ex, a, float32(re))
	case core.Float64:
		return core.Scale(ex, a, re)
	case core.Complex64:
		return core.Scale(ex, a, complex64(complex(re, im)))
	case core.Complex128:
		return core.Scale(ex, a, complex(re, im))
	}
	return fmt.Errorf("%w: scale is not implemented for %v", core.ErrDType, a.DType())
}

// goaNewBinary is the small-input fast path of an elementwise kernel of two
// C-contiguous operands of one dtype and shape (see flat.c's ga_binary_flat):
// it allocates the result into o and computes it in one call, with the GIL
// held. On failure the Python exception is set and it returns -1.
//
//export goaNewBinary
func goaNewBinary(o *C.GAArray, op, dtype, ndim C.int, shape *C.Py_ssize_t, a, b unsafe.Pointer, n C.Py_ssize_t, mode C.int) (rc C.int) {
	defer guard(&rc, -1, errSink{})
	res, err := core.New(alloc, goShape(shape, ndim), core.DType(dtype), core.COrder, false)
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
