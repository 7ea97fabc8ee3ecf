package core

import (
	"fmt"
	"math"
	"unsafe"
)

// UnaryOp selects an elementwise kernel of one operand.
type UnaryOp uint8

// The unary kernels, numpy's ufuncs of the same names.
const (
	OpNegative UnaryOp = iota
	OpAbsolute
	OpSqrt
	OpExp
	OpLog
)

var unaryNames = [...]string{"negative", "absolute", "sqrt", "exp", "log"}

func (op UnaryOp) String() string {
	if int(op) < len(unaryNames) {
		return unaryNames[op]
	}
	return fmt.Sprintf("UnaryOp(%d)", uint8(op))
}

// Unary computes dst = op(src) elementwise, with src broadcast to dst's
// shape. dst has src's dtype, except for the absolute value of a complex
// dtype, which is real (float32 for complex64, float64 for complex128) as
// in numpy. negative refuses bool (as numpy does); sqrt, exp and log run on
// the floating-point and complex dtypes only (numpy computes them for
// integers in a floating dtype: callers cast first). float16 is computed in
// float32 and rounded, as numpy does. If dst overlaps src in a way that
// would change the result, src is copied first; checks happen before any
// element is written.
func Unary(ex *Exec, op UnaryOp, dst, src *Array) error {
	if op > OpLog {
		return fmt.Errorf("%w: unknown unary kernel %v", ErrValue, op)
	}
	want := src.dtype
	if op == OpAbsolute {
		want = realDType(src.dtype)
	}
	if dst.dtype != want || !want.Valid() {
		return fmt.Errorf("%w: %v of %v gives %v, not %v", ErrDType, op, src.dtype, want, dst.dtype)
	}
	run := unaryRunFor(op, src.dtype)
	if run == nil {
		if op == OpNegative && src.dtype == Bool {
			return fmt.Errorf("%w: the numpy boolean negative, the `-` operator, is not supported, "+
				"use the `~` operator or the logical_not function instead", ErrDType)
		}
		return fmt.Errorf("%w: %v is not implemented for %v (cast to a floating dtype first)", ErrDType, op, src.dtype)
	}
	if dst.readonly {
		return fmt.Errorf("%w: output array is read-only", ErrReadOnly)
	}
	sb, err := src.BroadcastTo(dst.shape)
	if err != nil {
		return fmt.Errorf("%w: non-broadcastable operand with shape %s doesn't match the output shape %s",
			ErrShape, shapeString(src.shape), shapeString(dst.shape))
	}
	if dst.Size() == 0 {
		return nil
	}
	if elementwiseOverlap(dst, sb) {
		c, err := sb.Copy(ex.allocator(), 'K')
		if err != nil {
			return err
		}
		defer c.Release()
		sb = c
	}
	grain := Grain
	if op >= OpSqrt {
		grain = Grain / 8 // a libm call per element: smaller chunks balance better
	}
	return runElementwise(ex, dst, sb, run, grain)
}

// realDType is the dtype of the real part of d (d itself if d is real).
func realDType(d DType) DType {
	switch d {
	case Complex64:
		return Float32
	case Complex128:
		return Float64
	}
	return d
}

// unaryRunFor returns the loop of op on dtype d, or nil if there is none.
func unaryRunFor(op UnaryOp, d DType) elemRun {
	switch op {
	case OpNegative:
		return negativeRunFor(d)
	case OpAbsolute:
		return absoluteRunFor(d)
	}
	// f64 is the float64 function (float16 too is computed through it,
	// as numpy does), c128 the complex one (complex64 computed in it);
	// float32 exp and log are numpy's own SIMD algorithms (math_float32.go).
	var f64 func(float64) float64
	var c128 func(complex128) complex128
	switch op {
	case OpSqrt:
		f64, c128 = math.Sqrt, csqrtNumpy
	case OpExp:
		f64, c128 = expNumpy, cexpNumpy
	case OpLog:
		f64, c128 = logNumpy, clogNumpy
	}
	// float32 results computed in float64 and rounded once are within
	// half an ulp of the exact value (sqrt is correctly rounded).
	f32 := func(v float32) float32 { return float32(f64(float64(v))) }
	switch {
	case op == OpSqrt && d == Float32:
		return sqrtRun[float32]
	case op == OpSqrt && d == Float64:
		return sqrtRun[float64]
	case op == OpExp && d == Float32:
		return cleanBlocks(float32FuncRun(expF32Numpy))
	case op == OpLog && d == Float32:
		return cleanBlocks(float32FuncRun(logF32Numpy))
	case d == Float64:
		return cleanBlocks(realFuncRun[float64](f64))
	}
	switch d {
	case Float16:
		return cleanBlocks(mapRun(func(h uint16) uint16 { return Float16FromFloat32(f32(Float16ToFloat32(h))) }))
	case Complex64:
		return cleanBlocks(mapRun(func(v complex64) complex64 { return complex64(c128(complex128(v))) }))
	case Complex128:
		return cleanBlocks(mapRun(c128))
	}
	return nil
}

// mathBlock is the number of elements between two clearings of the upper
// vector halves in the loops of scalar math (see cleanBlocks).
const mathBlock = 64

// cleanBlocks runs run over blocks of mathBlock elements, clearing the
// upper halves of the vector registers (upperClean) before each.
// math.Exp, math.FMA and the functions built on them mix VEX and legacy
// SSE instructions, and on Intel cores each such instruction pays a
// state-transition penalty while the upper halves are dirty (float64 exp
// ran 100-250 times slower). They get dirty on a thread that ran no AVX
// code of goarray's: the Go runtime built with GOEXPERIMENT=simd, on a CPU
// with AVX2 or AVX-512, restores the full YMM/ZMM registers after an
// asynchronous preemption (the signal that stops a goroutine after 10 ms
// of running) and leaves them dirty. Clearing them per block bounds what a
// preemption costs to the rest of one block, for one instruction a block;
// the results are the same bits.
func cleanBlocks(run elemRun) elemRun {
	if !useSIMD {
		return run
	}
	return func(d unsafe.Pointer, ds int, s unsafe.Pointer, ss int, n int) {
		for lo := 0; lo < n; lo += mathBlock {
			upperClean()
			run(unsafe.Add(d, lo*ds), ds, unsafe.Add(s, lo*ss), ss, min(mathBlock, n-lo))
		}
	}
}

func negativeRunFor(d DType) elemRun {
	switch d {
	case Int8:
		return negRun[int8]
	case Int16:
		return negRun[int16]
	case Int32:
		return negRun[int32]
	case Int64:
		return negRun[int64]
	case Uint8:
		return negRun[uint8]
	case Uint16:
		return negRun[uint16]
	case Uint32:
		return negRun[uint32]
	case Uint64:
		return negRun[uint64]
	case Float16: // flip the sign bit, NaN included, as numpy does
		return signBitRun[uint16](false, 1<<15)
	case Float32:
		return signBitRun[uint32](false, 1<<31)
	case Float64:
		return signBitRun[uint64](false, 1<<63)
	case Complex64:
		return complexParts(signBitRun[uint32](false, 1<<31), 4)
	case Complex128:
		return complexParts(signBitRun[uint64](false, 1<<63), 8)
	}
	return nil
}

func absoluteRunFor(d DType) elemRun {
	switch d {
	case Bool, Uint8, Uint16, Uint32, Uint64:
		return elemRunFor(d, d)
	case Int8:
		return absIntRun[int8]
	case Int16:
		return absIntRun[int16]
	case Int32:
		return absIntRun[int32]
	case Int64:
		return absIntRun[int64]
	case Float16: // clear the sign bit
		return signBitRun[uint16](true, 1<<15)
	case Float32:
		return signBitRun[uint32](true, 1<<31)
	case Float64:
		return signBitRun[uint64](true, 1<<63)
	case Complex64:
		return cleanBlocks(absComplexRun[float32])
	case Complex128:
		return cleanBlocks(absComplexRun[float64])
	}
	return nil
}

// sqrtRun and absComplexRun are the hot loops of sqrt and |complex|
// written out: a call through mapRun's function value costs as much as
// the square root itself.
func sqrtRun[T float32 | float64](d unsafe.Pointer, ds int, s unsafe.Pointer, ss int, n int) {
	var zero T
	size := int(unsafe.Sizeof(zero))
	if ds == size && ss == size {
		dd, sl := sliceAt[T](d, n), sliceAt[T](s, n)
		for i := range dd {
			dd[i] = T(math.Sqrt(float64(sl[i])))
		}
		return
	}
	for i := 0; i < n; i++ {
		*at[T](d, i*ds) = T(math.Sqrt(float64(*at[T](s, i*ss))))
	}
}

// realFuncRun applies f, computing float32 elements in float64.
func realFuncRun[T float32 | float64](f func(float64) float64) elemRun {
	var zero T
	size := int(unsafe.Sizeof(zero))
	return func(d unsafe.Pointer, ds int, s unsafe.Pointer, ss int, n int) {
		if ds == size && ss == size {
			dd, sl := sliceAt[T](d, n), sliceAt[T](s, n)
			for i := range dd {
				dd[i] = T(f(float64(sl[i])))
			}
			return
		}
		for i := 0; i < n; i++ {
			*at[T](d, i*ds) = T(f(float64(*at[T](s, i*ss))))
		}
	}
}

// float32FuncRun applies f to float32 elements.
func float32FuncRun(f func(float32) float32) elemRun {
	return func(d unsafe.Pointer, ds int, s unsafe.Pointer, ss int, n int) {
		if ds == 4 && ss == 4 {
			dd, sl := sliceAt[float32](d, n), sliceAt[float32](s, n)
			for i := range dd {
				dd[i] = f(sl[i])
			}
			return
		}
		for i := 0; i < n; i++ {
			*at[float32](d, i*ds) = f(*at[float32](s, i*ss))
		}
	}
}

func absComplexRun[F float32 | float64](d unsafe.Pointer, ds int, s unsafe.Pointer, ss int, n int) {
	for i := 0; i < n; i++ {
		v := *at[[2]F](s, i*ss)
		*at[F](d, i*ds) = cabsNumpy(v[0], v[1])
	}
}

// negRun is integer negation with wrap-around (numpy's, for unsigned too).
func negRun[T Number](d unsafe.Pointer, ds int, s unsafe.Pointer, ss int, n int) {
	var zero T
	size := int(unsafe.Sizeof(zero))
	if ds == size && ss == size {
		dd, sl := sliceAt[T](d, n), sliceAt[T](s, n)
		for i := range dd {
			dd[i] = -sl[i]
		}
		return
	}
	for i := 0; i < n; i++ {
		*at[T](d, i*ds) = -*at[T](s, i*ss)
	}
}

func absIntRun[T int8 | int16 | int32 | int64](d unsafe.Pointer, ds int, s unsafe.Pointer, ss int, n int) {
	for i := 0; i < n; i++ {
		v := *at[T](s, i*ss)
		if v < 0 {
			v = -v // the most negative value stays itself, as in numpy
		}
		*at[T](d, i*ds) = v
	}
}

// complexParts applies run, a loop over real values of partSize bytes, to
// both parts of complex elements: as one run of 2n values when the
// elements are contiguous, else to the real and the imaginary parts.
func complexParts(run elemRun, partSize int) elemRun {
	return func(d unsafe.Pointer, ds int, s unsafe.Pointer, ss int, n int) {
		if ds == 2*partSize && ss == 2*partSize {
			run(d, partSize, s, partSize, 2*n)
			return
		}
		run(d, ds, s, ss, n)
		run(unsafe.Add(d, partSize), ds, unsafe.Add(s, partSize), ss, n)
	}
}

// signBitRun flips (clear=false) or clears (clear=true) the sign bit of
// floating-point values read as the unsigned integers U.
func signBitRun[U uint16 | uint32 | uint64](clear bool, bit U) elemRun {
	var zero U
	size := int(unsafe.Sizeof(zero))
	return func(d unsafe.Pointer, ds int, s unsafe.Pointer, ss int, n int) {
		if ds == size && ss == size {
			dd, sl := sliceAt[U](d, n), sliceAt[U](s, n)
			if clear {
				for i := range dd {
					dd[i] = sl[i] &^ bit
				}
			} else {
				for i := range dd {
					dd[i] = sl[i] ^ bit
				}
			}
			return
		}
		for i := 0; i < n; i++ {
			v := *at[U](s, i*ss)
			if clear {
				v &^= bit
			} else {
				v ^= bit
			}
			*at[U](d, i*ds) = v
		}
	}
}
