package core

import (
	"fmt"
	"math"
	"slices"
	"unsafe"
)

// ReduceOp selects a reduction kernel.
type ReduceOp uint8

// The reductions of Reduce. Sum and Prod accumulate in dst's dtype
// (numpy's dtype=); Min and Max need dst of src's dtype and propagate NaN,
// as numpy's do; All and Any write a Bool dst, CountNonzero an Int64 dst,
// from any src dtype (float16 and complex included).
const (
	OpSum ReduceOp = iota
	OpMin
	OpMax
	OpProd
	OpAll
	OpAny
	OpCountNonzero
)

var reduceNames = [...]string{"sum", "min", "max", "prod", "all", "any", "count_nonzero"}

func (op ReduceOp) String() string {
	if int(op) < len(reduceNames) {
		return reduceNames[op]
	}
	return fmt.Sprintf("ReduceOp(%d)", uint8(op))
}

// Reduce reduces src over axes (sorted, distinct, in range; all axes for a
// full reduction) into dst, whose shape is src's without those axes.
//
// Float sums are pairwise (numpy's algorithm), so their accuracy is at
// least numpy's. Every output is reduced in chunks whose boundaries depend
// only on the shapes, and partial results are combined in a fixed order,
// so the result is bit-identical for every thread count. dst must not
// overlap src (the Python layer reduces into a temporary then).
func Reduce(ex *Exec, op ReduceOp, dst, src *Array, axes []int) error {
	if int(op) >= len(reduceNames) {
		return fmt.Errorf("%w: unknown reduction %v", ErrValue, op)
	}
	s, nkept, nred, err := planReduce(op.String(), dst, src, axes)
	if err != nil {
		return err
	}
	if err := checkReduceDTypes(op, dst.dtype, src.dtype); err != nil {
		return err
	}
	if nred == 0 && (op == OpMin || op == OpMax) {
		return fmt.Errorf("%w: zero-size array to reduction operation %s which has no identity",
			ErrValue, map[ReduceOp]string{OpMin: "minimum", OpMax: "maximum"}[op])
	}
	if dst.Size() == 0 {
		return nil
	}
	return reduceDispatch(ex, op, dst, s, nkept, nred)
}

// ArgReduce writes to dst (Int64) the index of the first minimum (isMax
// false) or maximum of src over axes, counted in C order over the reduced
// axes (all axes: the index into the flattened array). A NaN is both the
// minimum and the maximum, as in numpy.
func ArgReduce(ex *Exec, isMax bool, dst, src *Array, axes []int) error {
	name := "argmin"
	if isMax {
		name = "argmax"
	}
	s, nkept, nred, err := planReduce(name, dst, src, axes)
	if err != nil {
		return err
	}
	if dst.dtype != Int64 {
		return fmt.Errorf("%w: %s writes int64 indices, not %v", ErrDType, name, dst.dtype)
	}
	if nred == 0 {
		return fmt.Errorf("%w: attempt to get %s of an empty sequence", ErrValue, name)
	}
	if dst.Size() == 0 {
		return nil
	}
	return argDispatch(ex, isMax, dst, s, nkept, nred)
}

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
	s, nkept, nred, err := planReduce(name, dst, src, axes)
	if err != nil {
		return err
	}
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
	mean, err := New(DefaultAllocator(), dst.shape, meanDT, COrder, false)
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

// planReduce checks dst and axes and returns src transposed so that the
// kept axes (in order) come first, their number, and the number of
// elements each output reduces.
func planReduce(name string, dst, src *Array, axes []int) (s *Array, nkept, nred int, err error) {
	if dst.readonly {
		return nil, 0, 0, fmt.Errorf("%w: output array is read-only", ErrReadOnly)
	}
	nd := src.NDim()
	red := make([]bool, nd)
	for i, ax := range axes {
		if ax < 0 || ax >= nd || (i > 0 && axes[i-1] >= ax) {
			return nil, 0, 0, fmt.Errorf("%w: reduction axes %v for an array of dimension %d", ErrAxis, axes, nd)
		}
		red[ax] = true
	}
	var kept, perm []int
	for i := 0; i < nd; i++ {
		if !red[i] {
			kept = append(kept, src.shape[i])
			perm = append(perm, i)
		}
	}
	perm = append(perm, axes...)
	if !slices.Equal(dst.shape, kept) {
		return nil, 0, 0, fmt.Errorf("%w: %s over axes %v of shape %s needs an output of shape %s, got %s",
			ErrShape, name, axes, shapeString(src.shape), shapeString(kept), shapeString(dst.shape))
	}
	nred = 1
	for _, ax := range axes {
		nred *= src.shape[ax]
	}
	s, err = src.Transpose(perm)
	return s, len(kept), nred, err
}

func checkReduceDTypes(op ReduceOp, d, s DType) error {
	bad := false
	switch op {
	case OpSum, OpProd:
		bad = d == Bool || d == Float16 || s == Float16 || (d.Kind() == 'c' || s.Kind() == 'c') && d != s
	case OpMin, OpMax:
		bad = d != s || d == Float16
	case OpAll, OpAny:
		bad = d != Bool
	case OpCountNonzero:
		bad = d != Int64
	}
	if bad || !d.Valid() || !s.Valid() {
		return fmt.Errorf("%w: %v of %v into %v is not implemented", ErrDType, op, s, d)
	}
	return nil
}

// A reducer is a typed reduction with partial results of type P. The
// engine (runReducer) splits the work and combines the partial results;
// the reducer's functions run the typed loops.
type reducer[P any] struct {
	// run reduces the n >= 1 elements at p, stride bytes apart: the
	// elements pos, pos+1, ... (in C order over the reduced axes) of
	// output out (C order over the kept axes).
	run func(p unsafe.Pointer, stride, n, pos, out int) P
	// comb combines the partial results of two consecutive element ranges.
	comb func(a, b P) P
	// cols, if set, reduces len(acc) outputs at once (outputs out, out+1,
	// ..., whose elements are colStride bytes apart): it folds npos
	// reduced positions (posStride bytes apart, positions pos, pos+1, ...)
	// into acc, or starts acc from them if init.
	cols func(acc []P, p unsafe.Pointer, colStride, posStride, npos, pos, out int, init bool)
	// store writes a final result.
	store func(dst unsafe.Pointer, v P)
	// identity is the result of an empty reduction.
	identity P
	// exact: the result does not depend on the order of combination
	// (min, max, arg*, integer sums...), so column mode folds whole chunks
	// in sequence instead of pairwise leaves.
	exact bool
}

// Tuning of the engine. Chunks hold reduceGrain elements of one output
// (inner mode) or redColLeaf*2^k reduced positions of a block of outputs
// (column mode); none of these depend on the thread count.
const (
	reduceGrain = Grain
	redColLeaf  = 128      // positions summed in sequence before pairwise combination
	redColBytes = 64 << 10 // bytes of partial results per block of outputs (stay in L2)
	redColTasks = 16       // with fewer blocks, positions are split into chunks too
)

// reduceEngine holds one reduction: src has been transposed so that its
// first axes are dst's (kr iterates them: operand 0 dst, 1 src) and the
// rest are reduced (rr iterates them).
type reduceEngine[P any] struct {
	red    reducer[P]
	kr, rr rows
	dp, sp unsafe.Pointer
	nred   int
}

func runReducer[P any](ex *Exec, red reducer[P], dst, src *Array, nkept, nred int) error {
	if reduceSingleRun(src, nkept, nred) {
		// What inner mode does for one output in one chunk, without the engine.
		red.store(dst.Data(), red.run(src.Data(), src.strides[0], nred, 0, 0))
		return nil
	}
	e := &reduceEngine[P]{red: red, dp: dst.Data(), sp: src.Data(), nred: nred}
	e.kr = makeRows(dst.shape, dst.strides, src.strides[:nkept])
	e.rr = makeRows(src.shape[nkept:], src.strides[nkept:])
	if nred == 0 {
		e.outputs(0, e.nout(), func(_, d, _ int) { red.store(unsafe.Add(e.dp, d), red.identity) })
		return nil
	}
	// Column mode when the outputs are closer together in memory than the
	// elements of one reduction (sum(axis=0) of a C array): rows of
	// outputs are accumulated at once instead of walking each column.
	if red.cols != nil && e.kr.Inner >= 2 && redAbs(e.kr.InnerSt[1]) < redAbs(e.rr.InnerSt[0]) {
		return e.columns(ex)
	}
	return e.inner(ex)
}

func (e *reduceEngine[P]) nout() int { return e.kr.NRows * e.kr.Inner }

// outputs calls fn(out, dstOffset, srcOffset) for the outputs [lo, hi).
func (e *reduceEngine[P]) outputs(lo, hi int, fn func(o, d, s int)) {
	kr := &e.kr
	for o := lo; o < hi; {
		n := min(kr.Inner-o%kr.Inner, hi-o)
		d, s := redOffset(kr, o, 0), redOffset(kr, o, 1)
		for k := 0; k < n; k++ {
			fn(o+k, d+k*kr.InnerSt[0], s+k*kr.InnerSt[1])
		}
		o += n
	}
}

// inner reduces each output on its own, in chunks of reduceGrain of its
// elements; goroutines take whole outputs when they are small, else
// chunks, and the chunk results are combined as a balanced tree.
func (e *reduceEngine[P]) inner(ex *Exec) error {
	nout, nred := e.nout(), e.nred
	nch := (nred + reduceGrain - 1) / reduceGrain
	if nch == 1 {
		return parallelChunks(ex, nout, max(1, reduceGrain/nred), reduceChunksPerWorker, func(_, lo, hi int) {
			e.outputs(lo, hi, func(o, d, s int) { e.red.store(unsafe.Add(e.dp, d), e.chunk(o, s, 0, nred)) })
		})
	}
	parts := make([]P, nout*nch)
	soff := make([]int, nout)
	e.outputs(0, nout, func(o, _, s int) { soff[o] = s })
	err := parallelChunks(ex, nout*nch, 1, reduceChunksPerWorker, func(_, lo, hi int) {
		for w := lo; w < hi; w++ {
			o, c := w/nch, w%nch
			parts[w] = e.chunk(o, soff[o], c*reduceGrain, min(nred, (c+1)*reduceGrain))
		}
	})
	if err != nil {
		return err
	}
	e.outputs(0, nout, func(o, d, _ int) {
		p := parts[o*nch : (o+1)*nch]
		redTree(p, e.red.comb)
		e.red.store(unsafe.Add(e.dp, d), p[0])
	})
	return nil
}

// chunk reduces the elements [lo, hi) of output o (whose first element is
// at byte offset s of src); the runs it is made of are combined pairwise.
func (e *reduceEngine[P]) chunk(o, s, lo, hi int) P {
	base, rr := unsafe.Add(e.sp, s), &e.rr
	st := rr.InnerSt[0]
	if rr.NRows == 1 {
		return e.red.run(unsafe.Add(base, lo*st), st, hi-lo, lo, o)
	}
	var acc redPairs[P]
	for k := lo; k < hi; {
		n := min(rr.Inner-k%rr.Inner, hi-k)
		acc.push(e.red.run(unsafe.Add(base, redOffset(rr, k, 0)), st, n, k, o), e.red.comb)
		k += n
	}
	return acc.result(e.red.comb)
}

// columns reduces blocks of up to colW neighbouring outputs at once:
// every reduced position adds a row of the block (numpy's order for
// sum(axis=0) of a C array, read at full memory speed). Positions are
// summed in sequence within leaves of redColLeaf and the leaves combined
// pairwise, so the accuracy is pairwise summation's, better than numpy's
// plain running sum there. With few blocks the positions are split into
// chunks too, for the goroutines.
func (e *reduceEngine[P]) columns(ex *Exec) error {
	kr, nred := &e.kr, e.nred
	var zero P
	colW := max(16, redColBytes/max(1, int(unsafe.Sizeof(zero))))
	w := min(kr.Inner, colW)
	nblk := (kr.Inner + w - 1) / w
	tasks := kr.NRows * nblk
	per := nred // positions per chunk: a power-of-two multiple of redColLeaf
	if tasks < redColTasks {
		// Exact reductions take longer chunks: each chunk starts its
		// columns afresh, and min/max branch less once they have seen
		// many rows.
		target := 4 * reduceGrain
		if e.red.exact {
			target *= 8
		}
		per = redColLeaf
		for per*w < target && per < nred {
			per *= 2
		}
	}
	nch := (nred + per - 1) / per
	var parts []P
	if nch > 1 {
		parts = make([]P, tasks*nch*w)
	}
	grain := 1
	if nch == 1 {
		grain = max(1, reduceGrain/(w*nred))
	}
	err := parallelChunks(ex, tasks*nch, grain, reduceChunksPerWorker, func(_, lo, hi int) {
		var stack redRowStack[P]
		for it := lo; it < hi; it++ {
			t, c := it/nch, it%nch
			o0 := (t/nblk)*kr.Inner + (t%nblk)*w
			bw := min(w, kr.Inner-o0%kr.Inner)
			var acc []P
			if nch > 1 {
				acc = parts[(t*nch+c)*w:][:bw]
			} else {
				acc = make([]P, bw)
			}
			e.colChunk(&stack, acc, redOffset(kr, o0, 1), c*per, min(nred, (c+1)*per), o0)
			if nch == 1 {
				e.storeCols(o0, acc)
			}
		}
	})
	if err != nil || nch == 1 {
		return err
	}
	for t := 0; t < tasks; t++ {
		o0 := (t/nblk)*kr.Inner + (t%nblk)*w
		bw := min(w, kr.Inner-o0%kr.Inner)
		part := func(c int) []P { return parts[(t*nch+c)*w:][:bw] }
		for width := 1; width < nch; width *= 2 {
			for i := 0; i+width < nch; i += 2 * width {
				redCombineRow(part(i), part(i+width), e.red.comb)
			}
		}
		e.storeCols(o0, part(0))
	}
	return nil
}

func (e *reduceEngine[P]) storeCols(o0 int, acc []P) {
	d, st := redOffset(&e.kr, o0, 0), e.kr.InnerSt[0]
	for j, v := range acc {
		e.red.store(unsafe.Add(e.dp, d+j*st), v)
	}
}

// colChunk reduces the positions [lo, hi) of the outputs o0, o0+1, ...
// (len(acc) of them, the first at byte offset s of src) into acc.
func (e *reduceEngine[P]) colChunk(stack *redRowStack[P], acc []P, s, lo, hi, o0 int) {
	base, rr := unsafe.Add(e.sp, s), &e.rr
	stack.reset(acc)
	leafLen := redColLeaf
	if e.red.exact {
		leafLen = hi - lo
	}
	for leaf := lo; leaf < hi; leaf += leafLen {
		buf := stack.next()
		init := true
		for k, end := leaf, min(hi, leaf+leafLen); k < end; {
			n := min(rr.Inner-k%rr.Inner, end-k)
			e.red.cols(buf, unsafe.Add(base, redOffset(rr, k, 0)), e.kr.InnerSt[1], rr.InnerSt[0], n, k, o0, init)
			init = false
			k += n
		}
		stack.push(e.red.comb)
	}
	stack.collapse(e.red.comb)
}

// redOffset is the byte offset in operand op of element k of r's
// iteration.
func redOffset(r *rows, k, op int) int {
	row := k / r.Inner
	off := (k - row*r.Inner) * r.InnerSt[op]
	st := r.st[op]
	for d := len(r.outer) - 1; d >= 0 && row > 0; d-- {
		n := r.outer[d]
		off += (row % n) * st[d]
		row /= n
	}
	return off
}

// redTree combines p[0], p[1], ... as a balanced tree (ParallelReduce's
// order) into p[0].
func redTree[P any](p []P, comb func(a, b P) P) {
	for width := 1; width < len(p); width *= 2 {
		for i := 0; i+width < len(p); i += 2 * width {
			p[i] = comb(p[i], p[i+width])
		}
	}
}

func redCombineRow[P any](a, b []P, comb func(a, b P) P) {
	b = b[:len(a)]
	for j := range a {
		a[j] = comb(a[j], b[j])
	}
}

// redPairs combines a sequence of partial results pairwise (a binary
// counter: equal-sized neighbours merge as soon as both exist).
type redPairs[P any] struct {
	v [64]P
	w [64]int
	n int
}

func (s *redPairs[P]) push(v P, comb func(a, b P) P) {
	s.v[s.n], s.w[s.n] = v, 1
	s.n++
	for s.n >= 2 && s.w[s.n-1] == s.w[s.n-2] {
		s.v[s.n-2] = comb(s.v[s.n-2], s.v[s.n-1])
		s.w[s.n-2] *= 2
		s.n--
	}
}

func (s *redPairs[P]) result(comb func(a, b P) P) P {
	for s.n > 1 {
		s.v[s.n-2] = comb(s.v[s.n-2], s.v[s.n-1])
		s.n--
	}
	return s.v[0]
}

// redRowStack is redPairs for rows of partial results; the bottom row is the
// caller's, the others are reused between chunks.
type redRowStack[P any] struct {
	bufs [][]P
	w    []int
	n    int
}

func (s *redRowStack[P]) reset(acc []P) {
	if len(s.bufs) == 0 {
		s.bufs = append(s.bufs, nil)
		s.w = append(s.w, 0)
	}
	s.bufs[0], s.n = acc, 0
}

// next returns the row to fill before the next push.
func (s *redRowStack[P]) next() []P {
	n := len(s.bufs[0])
	if s.n == len(s.bufs) {
		s.bufs = append(s.bufs, make([]P, n))
		s.w = append(s.w, 0)
	}
	if cap(s.bufs[s.n]) < n {
		s.bufs[s.n] = make([]P, n)
	}
	s.bufs[s.n] = s.bufs[s.n][:n]
	return s.bufs[s.n]
}

func (s *redRowStack[P]) push(comb func(a, b P) P) {
	s.w[s.n] = 1
	s.n++
	for s.n >= 2 && s.w[s.n-1] == s.w[s.n-2] {
		redCombineRow(s.bufs[s.n-2], s.bufs[s.n-1], comb)
		s.w[s.n-2] *= 2
		s.n--
	}
}

func (s *redRowStack[P]) collapse(comb func(a, b P) P) {
	for s.n > 1 {
		redCombineRow(s.bufs[s.n-2], s.bufs[s.n-1], comb)
		s.n--
	}
}

func redAbs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// varTyped is Var's second pass for a real mean dtype M (dst's).
func varTyped[M ~float32 | ~float64](ex *Exec, dst, src *Array, nkept, nred int, mean *Array, div float64, std bool) error {
	m, _ := Slice[M](mean)
	for i := range m {
		m[i] = M(float64(m[i]) / float64(nred))
	}
	finish := varFinish[M](div, std)
	switch src.dtype {
	case Bool, Uint8:
		return runReducer(ex, sqDevReducer[uint8, M](m, finish), dst, src, nkept, nred)
	case Int8:
		return runReducer(ex, sqDevReducer[int8, M](m, finish), dst, src, nkept, nred)
	case Int16:
		return runReducer(ex, sqDevReducer[int16, M](m, finish), dst, src, nkept, nred)
	case Int32:
		return runReducer(ex, sqDevReducer[int32, M](m, finish), dst, src, nkept, nred)
	case Int64:
		return runReducer(ex, sqDevReducer[int64, M](m, finish), dst, src, nkept, nred)
	case Uint16:
		return runReducer(ex, sqDevReducer[uint16, M](m, finish), dst, src, nkept, nred)
	case Uint32:
		return runReducer(ex, sqDevReducer[uint32, M](m, finish), dst, src, nkept, nred)
	case Uint64:
		return runReducer(ex, sqDevReducer[uint64, M](m, finish), dst, src, nkept, nred)
	case Float32:
		return runReducer(ex, sqDevReducer[float32, M](m, finish), dst, src, nkept, nred)
	case Float64:
		return runReducer(ex, sqDevReducer[float64, M](m, finish), dst, src, nkept, nred)
	}
	return fmt.Errorf("%w: var of %v into %v is not implemented", ErrDType, src.dtype, dst.dtype)
}

func varComplex[C ~complex64 | ~complex128, F ~float32 | ~float64](ex *Exec, dst, src *Array, nkept, nred int, mean *Array, div float64, std bool) error {
	m, _ := Slice[C](mean)
	for i := range m {
		m[i] = C(complex128(m[i]) / complex(float64(nred), 0))
	}
	return runReducer(ex, sqDevComplexReducer[C, F](m, varFinish[F](div, std)), dst, src, nkept, nred)
}

// varFinish turns a sum of squared deviations into the variance (numpy
// divides in float64 and casts) or its square root.
func varFinish[F ~float32 | ~float64](div float64, std bool) func(dst unsafe.Pointer, s F) {
	return func(dst unsafe.Pointer, s F) {
		v := F(float64(s) / div)
		if std {
			v = F(math.Sqrt(float64(v)))
		}
		*(*F)(dst) = v
	}
}

// ---- var: the sum of squared deviations -----------------------------------

// sqDevReducer sums (x-m)^2 for the mean m of each output. numpy computes
// x-m in the promotion of the input and mean dtypes (float64 when M is
// float32 but In holds more than float32 does: int32, int64, float64)
// and accumulates the squares in M; so does this.
func sqDevReducer[In Real, M ~float32 | ~float64](mean []M, finish func(unsafe.Pointer, M)) reducer[M] {
	var zi In
	var zm M
	wide := unsafe.Sizeof(zm) == 4 && unsafe.Sizeof(zi) >= 4
	if _, ok := any(zi).(float32); ok {
		wide = false
	}
	_, same := any(zi).(M)
	return reducer[M]{
		run: func(p unsafe.Pointer, stride, n, _, out int) M {
			if same && stride == int(unsafe.Sizeof(zm)) {
				return sqDevContig(p, n, mean[out])
			}
			return sqDevSum[In](p, stride, n, mean[out], wide)
		},
		comb: redAdd[M],
		cols: func(acc []M, p unsafe.Pointer, cs, ps, npos, _, out int, init bool) {
			m := mean[out : out+len(acc)]
			if init {
				clear(acc)
			}
			for k := 0; k < npos; k++ {
				row := unsafe.Add(p, k*ps)
				for j := range acc {
					acc[j] += sqDev(*at[In](row, j*cs), m[j], wide)
				}
			}
		},
		store: finish,
	}
}

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
	var buf [512]M
	b := buf[:n]
	for i := range b {
		b[i] = sqDev(*at[In](p, i*stride), m, wide)
	}
	return pairwise1[M](unsafe.Pointer(&buf[0]), n)
}

func sqDevComplexReducer[C ~complex64 | ~complex128, F ~float32 | ~float64](mean []C, finish func(unsafe.Pointer, F)) reducer[F] {
	sq := func(v, m C) F {
		re, im := cparts[C, F](v - m)
		return re*re + im*im
	}
	return reducer[F]{
		run: func(p unsafe.Pointer, stride, n, _, out int) F {
			return sqDevSumC[C, F](p, stride, n, mean[out])
		},
		comb: redAdd[F],
		cols: func(acc []F, p unsafe.Pointer, cs, ps, npos, _, out int, init bool) {
			m := mean[out : out+len(acc)]
			if init {
				clear(acc)
			}
			for k := 0; k < npos; k++ {
				row := unsafe.Add(p, k*ps)
				for j := range acc {
					acc[j] += sq(*at[C](row, j*cs), m[j])
				}
			}
		},
		store: finish,
	}
}

// sqDevSumC is sqDevSum for complex elements: |x-m|^2 summed pairwise.
func sqDevSumC[C ~complex64 | ~complex128, F ~float32 | ~float64](p unsafe.Pointer, stride, n int, m C) F {
	if n > 512 {
		n2 := n / 2
		n2 -= n2 % 8
		return sqDevSumC[C, F](p, stride, n2, m) + sqDevSumC[C, F](unsafe.Add(p, n2*stride), stride, n-n2, m)
	}
	var buf [512]F
	b := buf[:n]
	for i := range b {
		re, im := cparts[C, F](*at[C](p, i*stride) - m)
		b[i] = re*re + im*im
	}
	return pairwise1[F](unsafe.Pointer(&buf[0]), n)
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
