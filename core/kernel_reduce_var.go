package core

// var and std: numpy's two-pass algorithm (the mean, then the pairwise sum
// of squared deviations from it).

import (
	"fmt"
	"math"
	"unsafe"
)

// Var writes to dst the variance of src over axes (the standard deviation
// if std), with divisor max(n-ddof, 0) for n elements per output: numpy's
// two-pass algorithm (the mean first, then the pairwise sum of squared
// deviations). dst (Float32 or Float64) is the accumulator; src is any
// real dtype but float16, or the complex dtype of dst's precision.
func Var(ex *Exec, dst, src *Array, axes []int, ddof float64, std bool) error {
	name := "var"
	if std {
		name = "std"
	}
	var dims [2 * planDims]int
	plan, nkept, nred, err := planReduce(name, dst, src, axes, &dims)
	if err != nil {
		return err
	}
	s := &plan
	meanDT := dst.dtype
	switch {
	case dst.dtype != Float32 && dst.dtype != Float64:
		return fmt.Errorf("%w: %s accumulates in float32 or float64, not %v", ErrDType, name, dst.dtype)
	case src.dtype.Kind() == 'c':
		if src.dtype.Size() != 2*dst.dtype.Size() {
			return fmt.Errorf("%w: %s of %v into %v", ErrDType, name, src.dtype, dst.dtype)
		}
		meanDT = src.dtype
	case src.dtype == Float16:
		return fmt.Errorf("%w: %s of float16 is not implemented", ErrDType, name)
	}
	if dst.Size() == 0 {
		return nil
	}
	mean, err := New(ex.allocator(), dst.shape, meanDT, COrder, false)
	if err != nil {
		return err
	}
	defer mean.Release()
	if err := reduceDispatch(ex, OpSum, mean, s, nkept, nred); err != nil {
		return err
	}
	div := max(float64(nred)-ddof, 0)
	switch meanDT {
	case Float32:
		return varTyped[float32](ex, dst, s, nkept, nred, mean, div, std)
	case Float64:
		return varTyped[float64](ex, dst, s, nkept, nred, mean, div, std)
	case Complex64:
		return varComplex[complex64, float32](ex, dst, s, nkept, nred, mean, div, std)
	default:
		return varComplex[complex128, float64](ex, dst, s, nkept, nred, mean, div, std)
	}
}

// varTyped is Var's second pass for a real mean dtype M (dst's).
func varTyped[M ~float32 | ~float64](ex *Exec, dst, src *Array, nkept, nred int, mean *Array, div float64, std bool) error {
	m, _ := Slice[M](mean)
	for i := range m {
		m[i] = M(float64(m[i]) / float64(nred))
	}
	in := src.dtype
	if in == Bool {
		in = Uint8 // read as bytes
	}
	if !in.Valid() || in.Kind() == 'c' || in == Float16 {
		return fmt.Errorf("%w: var of %v into %v is not implemented", ErrDType, src.dtype, dst.dtype)
	}
	var zm M
	// numpy's x-m is in float64 where M is float32 and in holds more
	// than float32 does
	wide := unsafe.Sizeof(zm) == 4 && in.Size() >= 4 && in != Float32
	r := &sqDevReducer[M]{mean: m, finish: varFinish{div, std}, in: in, wide: wide, same: in == dst.dtype}
	return runReducer(ex, r, dst, src, nkept, nred)
}

func varComplex[C ~complex64 | ~complex128, F ~float32 | ~float64](ex *Exec, dst, src *Array, nkept, nred int, mean *Array, div float64, std bool) error {
	m, _ := Slice[C](mean)
	for i := range m {
		m[i] = C(complex128(m[i]) / complex(float64(nred), 0))
	}
	return runReducer(ex, &sqDevComplexReducer[C, F]{mean: m, finish: varFinish{div, std}}, dst, src, nkept, nred)
}

// varFinish turns a sum of squared deviations into the variance (numpy
// divides in float64 and casts) or, if std, its square root.
type varFinish struct {
	div float64
	std bool
}

func varStore[F ~float32 | ~float64](f varFinish, dst unsafe.Pointer, s F) {
	v := F(float64(s) / f.div)
	if f.std {
		v = F(math.Sqrt(float64(v)))
	}
	*(*F)(dst) = v
}

// ---- var: the sum of squared deviations -----------------------------------

// sqDevReducer sums (x-m)^2 for the mean m of each output. numpy computes
// x-m in the promotion of the input and mean dtypes (float64 when M is
// float32 but In holds more than float32 does: int32, int64, float64)
// and accumulates the squares in M; so does this.
type sqDevReducer[M ~float32 | ~float64] struct {
	redBase[M]
	mean   []M
	finish varFinish
	in     DType // the elements' dtype (generic in M alone, as arithReducer)
	wide   bool  // x-m in float64
	same   bool  // in is M
}

func (r *sqDevReducer[M]) run(p unsafe.Pointer, stride, n, _, out int) M {
	var zm M
	m := r.mean[out]
	if r.same && stride == int(unsafe.Sizeof(zm)) {
		return sqDevContig(p, n, m)
	}
	switch r.in {
	case Uint8:
		return sqDevSum[uint8](p, stride, n, m, r.wide)
	case Int8:
		return sqDevSum[int8](p, stride, n, m, r.wide)
	case Int16:
		return sqDevSum[int16](p, stride, n, m, r.wide)
	case Int32:
		return sqDevSum[int32](p, stride, n, m, r.wide)
	case Int64:
		return sqDevSum[int64](p, stride, n, m, r.wide)
	case Uint16:
		return sqDevSum[uint16](p, stride, n, m, r.wide)
	case Uint32:
		return sqDevSum[uint32](p, stride, n, m, r.wide)
	case Uint64:
		return sqDevSum[uint64](p, stride, n, m, r.wide)
	case Float32:
		return sqDevSum[float32](p, stride, n, m, r.wide)
	}
	return sqDevSum[float64](p, stride, n, m, r.wide)
}

func (*sqDevReducer[M]) comb(a, b M) M { return a + b }

func (r *sqDevReducer[M]) cols(acc []M, p unsafe.Pointer, cs, ps, npos, _, out int, init bool) {
	m := r.mean[out : out+len(acc)]
	switch r.in {
	case Uint8:
		sqDevCols[uint8](acc, p, cs, ps, npos, m, init, r.wide)
	case Int8:
		sqDevCols[int8](acc, p, cs, ps, npos, m, init, r.wide)
	case Int16:
		sqDevCols[int16](acc, p, cs, ps, npos, m, init, r.wide)
	case Int32:
		sqDevCols[int32](acc, p, cs, ps, npos, m, init, r.wide)
	case Int64:
		sqDevCols[int64](acc, p, cs, ps, npos, m, init, r.wide)
	case Uint16:
		sqDevCols[uint16](acc, p, cs, ps, npos, m, init, r.wide)
	case Uint32:
		sqDevCols[uint32](acc, p, cs, ps, npos, m, init, r.wide)
	case Uint64:
		sqDevCols[uint64](acc, p, cs, ps, npos, m, init, r.wide)
	case Float32:
		sqDevCols[float32](acc, p, cs, ps, npos, m, init, r.wide)
	default:
		sqDevCols[float64](acc, p, cs, ps, npos, m, init, r.wide)
	}
}

// sqDevCols is sqDevReducer's cols for In elements.
func sqDevCols[In Real, M ~float32 | ~float64](acc []M, p unsafe.Pointer, cs, ps, npos int, m []M, init, wide bool) {
	if init {
		clear(acc)
	}
	for k := 0; k < npos; k++ {
		row := unsafe.Add(p, k*ps)
		for j := range acc {
			acc[j] += sqDev(*at[In](row, j*cs), m[j], wide)
		}
	}
}

func (r *sqDevReducer[M]) store(dst unsafe.Pointer, v M) { varStore(r.finish, dst, v) }

func (*sqDevReducer[M]) exact() bool { return false }

func sqDev[In Real, M ~float32 | ~float64](x In, m M, wide bool) M {
	if wide {
		d := float64(x) - float64(m)
		return M(d * d)
	}
	d := M(x) - m
	return d * d
}

// sqDevSum is the pairwise sum of (x-m)^2 over n elements (sumConv's
// structure).
func sqDevSum[In Real, M ~float32 | ~float64](p unsafe.Pointer, stride, n int, m M, wide bool) M {
	if n > 512 {
		n2 := n / 2
		n2 -= n2 % 8
		return sqDevSum[In](p, stride, n2, m, wide) + sqDevSum[In](unsafe.Add(p, n2*stride), stride, n-n2, m, wide)
	}
	if n <= shortLeaf {
		var buf [shortLeaf]M
		return sqDevLeaf[In](buf[:n], p, stride, m, wide)
	}
	var buf [512]M
	return sqDevLeaf[In](buf[:n], p, stride, m, wide)
}

// sqDevLeaf is pairwise1 of (x-m)^2 for the len(b) elements x at p,
// computed into b.
func sqDevLeaf[In Real, M ~float32 | ~float64](b []M, p unsafe.Pointer, stride int, m M, wide bool) M {
	for i := range b {
		b[i] = sqDev(*at[In](p, i*stride), m, wide)
	}
	return pairwise1[M](unsafe.Pointer(unsafe.SliceData(b)), len(b))
}

// sqDevComplexReducer sums |x-m|^2 for the mean m of each output.
type sqDevComplexReducer[C ~complex64 | ~complex128, F ~float32 | ~float64] struct {
	redBase[F]
	mean   []C
	finish varFinish
}

func (r *sqDevComplexReducer[C, F]) run(p unsafe.Pointer, stride, n, _, out int) F {
	return sqDevSumC[C, F](p, stride, n, r.mean[out])
}

func (*sqDevComplexReducer[C, F]) comb(a, b F) F { return a + b }

func (r *sqDevComplexReducer[C, F]) cols(acc []F, p unsafe.Pointer, cs, ps, npos, _, out int, init bool) {
	m := r.mean[out : out+len(acc)]
	if init {
		clear(acc)
	}
	for k := 0; k < npos; k++ {
		row := unsafe.Add(p, k*ps)
		for j := range acc {
			re, im := cparts[C, F](*at[C](row, j*cs) - m[j])
			acc[j] += re*re + im*im
		}
	}
}

func (r *sqDevComplexReducer[C, F]) store(dst unsafe.Pointer, v F) { varStore(r.finish, dst, v) }

func (*sqDevComplexReducer[C, F]) exact() bool { return false }

// sqDevSumC is sqDevSum for complex elements: |x-m|^2 summed pairwise.
func sqDevSumC[C ~complex64 | ~complex128, F ~float32 | ~float64](p unsafe.Pointer, stride, n int, m C) F {
	if n > 512 {
		n2 := n / 2
		n2 -= n2 % 8
		return sqDevSumC[C, F](p, stride, n2, m) + sqDevSumC[C, F](unsafe.Add(p, n2*stride), stride, n-n2, m)
	}
	if n <= shortLeaf {
		var buf [shortLeaf]F
		return sqDevLeafC(buf[:n], p, stride, m)
	}
	var buf [512]F
	return sqDevLeafC(buf[:n], p, stride, m)
}

// sqDevLeafC is sqDevLeaf for complex elements: |x-m|^2.
func sqDevLeafC[C ~complex64 | ~complex128, F ~float32 | ~float64](b []F, p unsafe.Pointer, stride int, m C) F {
	for i := range b {
		re, im := cparts[C, F](*at[C](p, i*stride) - m)
		b[i] = re*re + im*im
	}
	return pairwise1[F](unsafe.Pointer(unsafe.SliceData(b)), len(b))
}

// sqDevContig is pairwise1 of (x-m)^2 over n contiguous elements of the
// mean's dtype, without the conversion buffer.
func sqDevContig[M ~float32 | ~float64](p unsafe.Pointer, n int, m M) M {
	const leaf = 128
	if n > leaf {
		n2 := n / 2
		n2 -= n2 % 8
		return sqDevContig(p, n2, m) + sqDevContig(unsafe.Add(p, n2*int(unsafe.Sizeof(m))), n-n2, m)
	}
	x := sliceAt[M](p, n)
	if n < 8 {
		var s M
		for i, v := range x {
			if d := v - m; i == 0 {
				s = d * d
			} else {
				s += d * d
			}
		}
		return s
	}
	var r [8]M
	for k := range r {
		d := x[k] - m
		r[k] = d * d
	}
	i := 8
	for ; i+8 <= n; i += 8 {
		b := (*[8]M)(x[i:])
		d0, d1, d2, d3 := b[0]-m, b[1]-m, b[2]-m, b[3]-m
		d4, d5, d6, d7 := b[4]-m, b[5]-m, b[6]-m, b[7]-m
		r[0] += d0 * d0
		r[1] += d1 * d1
		r[2] += d2 * d2
		r[3] += d3 * d3
		r[4] += d4 * d4
		r[5] += d5 * d5
		r[6] += d6 * d6
		r[7] += d7 * d7
	}
	s := ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]))
	for ; i < n; i++ {
		d := x[i] - m
		s += d * d
	}
	return s
}
