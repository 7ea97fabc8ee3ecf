package core

// The reduction engine: it splits a planned reduction into chunks whose
// boundaries depend only on the shapes, runs a reducer's typed loops on
// them over goroutines and combines the partial results in a fixed order.
// Hot loops read through unsafe pointers: the engine guarantees that every
// element they touch is inside the operand.

import (
	"math/bits"
	"unsafe"
)

// A reducer is a typed reduction with partial results of type P: a small
// struct whose methods run the typed loops (a reduction builds no
// closures). The engine (runReducer) splits the work, calls them and
// combines the partial results.
type reducer[P any] interface {
	// run reduces the n >= 1 elements at p, stride bytes apart: the
	// elements pos, pos+1, ... (in C order over the reduced axes) of
	// output out (C order over the kept axes).
	run(p unsafe.Pointer, stride, n, pos, out int) P
	// run2 is run of the n elements at p (output out) and of those at q
	// (output out+1) from position 0, computed together so that both are
	// in flight at once (a short run's result is a chain of dependent
	// steps); ok is false where the reducer has no such form.
	run2(p, q unsafe.Pointer, stride, n, out int) (a, b P, ok bool)
	// comb combines the partial results of two consecutive element ranges.
	comb(a, b P) P
	// cols reduces len(acc) outputs at once (outputs out, out+1, ...,
	// whose elements are colStride bytes apart): it folds npos reduced
	// positions (posStride bytes apart, positions pos, pos+1, ...) into
	// acc, or starts acc from them if init.
	cols(acc []P, p unsafe.Pointer, colStride, posStride, npos, pos, out int, init bool)
	// store writes a final result.
	store(dst unsafe.Pointer, v P)
	// identity is the result of an empty reduction.
	identity() P
	// exact: the result does not depend on the order of combination
	// (min, max, arg*, integer sums...), so column mode folds whole chunks
	// in sequence instead of pairwise leaves.
	exact() bool
	// running: the reduction is a running result in element order
	// (numpy's float prod): cont continues acc over n elements, the runs
	// of a chunk continue one another and chunk results combine left to
	// right, so a reduction of up to reduceGrain elements per output is
	// exactly the running result. cont is called only if running.
	running() bool
	cont(acc P, p unsafe.Pointer, stride, n int) P
}

// redBase gives a reducer that embeds it the zero identity, no running
// result and no run2.
type redBase[P any] struct{}

func (redBase[P]) run2(_, _ unsafe.Pointer, _, _, _ int) (a, b P, ok bool) { return a, b, false }

func (redBase[P]) identity() P {
	var z P
	return z
}

func (redBase[P]) running() bool { return false }

func (redBase[P]) cont(acc P, _ unsafe.Pointer, _, _ int) P { return acc }

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
//
// runReducer keeps its engine on its goroutine's stack: when the work
// goes to several goroutines they share a copy on the heap (onHeap), so a
// reduction that runs on the calling goroutine alone allocates only its
// rows' storage and the reducer the interface holds (the engine's methods
// must not let their receiver escape: work on one goroutine goes through
// serialRun, whose body does not escape).
type reduceEngine[P any] struct {
	red    reducer[P]
	kr, rr rows
	dp, sp unsafe.Pointer
	nred   int
}

// runReducer runs red's reduction on the engine. The engine and its
// helpers are generic in the partial result type alone and call the
// reducer through the reducer interface: one copy of the engine per P, not
// one per reducer type (that made the extension 2 MB larger). The typed
// loops are the reducer's methods, each called once per run or block.
func runReducer[P any, R reducer[P]](ex *Exec, red R, dst, src *Array, nkept, nred int) error {
	return runEngine[P](ex, red, dst, src, nkept, nred)
}

func runEngine[P any](ex *Exec, red reducer[P], dst, src *Array, nkept, nred int) error {
	if reduceSingleRun(src, nkept, nred) {
		// What inner mode does for one output in one chunk, without the engine.
		red.store(dst.Data(), red.run(src.Data(), src.strides[0], nred, 0, 0))
		return nil
	}
	// kr's then rr's storage, in one allocation: escape analysis does not
	// tell e's fields apart, and e's data pointers go to the reducer's
	// methods, so whatever e points to is taken to escape.
	k := rowsLen(nkept, 2)
	axes := make([]int, k+rowsLen(len(src.shape)-nkept, 1))
	e := reduceEngine[P]{red: red, dp: dst.Data(), sp: src.Data(), nred: nred}
	e.kr = makeRowsIn(axes[:k], dst.shape, dst.strides, src.strides[:nkept])
	e.rr = makeRowsIn(axes[k:], src.shape[nkept:], src.strides[nkept:])
	if nred == 0 {
		e.outputs(0, e.nout(), func(_, d, _ int) { red.store(unsafe.Add(e.dp, d), red.identity()) })
		return nil
	}
	// Column mode when the outputs are closer together in memory than the
	// elements of one reduction (sum(axis=0) of a C array): rows of
	// outputs are accumulated at once instead of walking each column.
	if e.kr.Inner >= 2 && redAbs(e.kr.InnerSt[1]) < redAbs(e.rr.InnerSt[0]) {
		return e.columns(ex)
	}
	return e.inner(ex)
}

// onHeap returns a copy of e on the heap, with rows of its own, for
// goroutines to share.
func (e *reduceEngine[P]) onHeap() *reduceEngine[P] {
	return &reduceEngine[P]{red: e.red, kr: e.kr.clone(), rr: e.rr.clone(), dp: e.dp, sp: e.sp, nred: e.nred}
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
		grain := max(1, reduceGrain/nred)
		if workersFor(ex, nout, grain, reduceChunksPerWorker) <= 1 {
			return serialRun(ex, nout, grain, func(_, lo, hi int) { e.whole(lo, hi) })
		}
		h := e.onHeap()
		return parallelChunks(ex, nout, grain, reduceChunksPerWorker, func(_, lo, hi int) { h.whole(lo, hi) })
	}
	// The chunks' partial results and each output's offset in src, from
	// ex's allocator.
	parts, pbuf, err := allocScratch[P](ex, nout*nch)
	if err != nil {
		return err
	}
	defer pbuf.free()
	soff, sbuf, err := allocScratch[int](ex, nout)
	if err != nil {
		return err
	}
	defer sbuf.free()
	e.outputs(0, nout, func(o, _, s int) { soff[o] = s })
	if workersFor(ex, nout*nch, 1, reduceChunksPerWorker) <= 1 {
		err = serialRun(ex, nout*nch, 1, func(_, lo, hi int) { e.chunks(parts, soff, nch, lo, hi) })
	} else {
		h := e.onHeap()
		err = parallelChunks(ex, nout*nch, 1, reduceChunksPerWorker, func(_, lo, hi int) { h.chunks(parts, soff, nch, lo, hi) })
	}
	if err != nil {
		return err
	}
	e.outputs(0, nout, func(o, d, _ int) {
		p := parts[o*nch : (o+1)*nch]
		if e.red.running() {
			redFold(p, e.red)
		} else {
			redTree(p, e.red)
		}
		e.red.store(unsafe.Add(e.dp, d), p[0])
	})
	return nil
}

// chunks computes parts[w] for w in [lo, hi): the chunk w%nch of output
// w/nch (whose first element is at byte offset soff[w/nch] of src).
func (e *reduceEngine[P]) chunks(parts []P, soff []int, nch, lo, hi int) {
	for w := lo; w < hi; w++ {
		o, c := w/nch, w%nch
		parts[w] = e.chunk(o, soff[o], c*reduceGrain, min(e.nred, (c+1)*reduceGrain))
	}
}

// whole reduces the outputs [lo, hi), each in a single chunk.
func (e *reduceEngine[P]) whole(lo, hi int) {
	kr, rr, nred := &e.kr, &e.rr, e.nred
	if rr.NRows != 1 {
		e.outputs(lo, hi, func(o, d, s int) { e.red.store(unsafe.Add(e.dp, d), e.chunk(o, s, 0, nred)) })
		return
	}
	// One run per output: outputs' loop and chunk's single run, without
	// their calls (they cost as much as a short run's arithmetic).
	st, dst, sst := rr.InnerSt[0], kr.InnerSt[0], kr.InnerSt[1]
	for o := lo; o < hi; {
		n := min(kr.Inner-o%kr.Inner, hi-o)
		d, s := redOffset(kr, o, 0), redOffset(kr, o, 1)
		k := 0
		for ; k+2 <= n; k += 2 {
			a, b, ok := e.red.run2(unsafe.Add(e.sp, s+k*sst), unsafe.Add(e.sp, s+(k+1)*sst), st, nred, o+k)
			if !ok {
				break
			}
			e.red.store(unsafe.Add(e.dp, d+k*dst), a)
			e.red.store(unsafe.Add(e.dp, d+(k+1)*dst), b)
		}
		for ; k < n; k++ {
			e.red.store(unsafe.Add(e.dp, d+k*dst), e.red.run(unsafe.Add(e.sp, s+k*sst), st, nred, 0, o+k))
		}
		o += n
	}
}

// chunk reduces the elements [lo, hi) of output o (whose first element is
// at byte offset s of src); the runs it is made of are combined pairwise.
func (e *reduceEngine[P]) chunk(o, s, lo, hi int) P {
	base, rr := unsafe.Add(e.sp, s), &e.rr
	st := rr.InnerSt[0]
	if rr.NRows == 1 {
		return e.red.run(unsafe.Add(base, lo*st), st, hi-lo, lo, o)
	}
	if e.red.running() {
		acc := e.red.identity()
		for k := lo; k < hi; {
			n := min(rr.Inner-k%rr.Inner, hi-k)
			acc = e.red.cont(acc, unsafe.Add(base, redOffset(rr, k, 0)), st, n)
			k += n
		}
		return acc
	}
	var acc redPairs[P]
	for k := lo; k < hi; {
		n := min(rr.Inner-k%rr.Inner, hi-k)
		acc.push(e.red.run(unsafe.Add(base, redOffset(rr, k, 0)), st, n, k, o), e.red)
		k += n
	}
	return acc.result(e.red)
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
		if e.red.exact() || e.red.running() {
			target *= 8
		}
		per = redColLeaf
		for per*w < target && per < nred {
			per *= 2
		}
	}
	nch := (nred + per - 1) / per
	grain := 1
	if nch == 1 {
		grain = max(1, reduceGrain/(w*nred))
	}
	// Scratch from ex's allocator: with several chunks per block, every
	// chunk's row of partial results (combined below); and per goroutine,
	// the rows of its pairwise stack (one per level: leaves per chunk
	// fit in depth bits), plus its block's accumulator row when each
	// block is one chunk.
	var parts []P
	if nch > 1 {
		var pbuf scratch
		var err error
		if parts, pbuf, err = allocScratch[P](ex, tasks*nch*w); err != nil {
			return err
		}
		defer pbuf.free()
	}
	leaf := redColLeaf
	if e.red.exact() || e.red.running() {
		leaf = per
	}
	rowsPer := bits.Len(uint((per + leaf - 1) / leaf))
	if nch == 1 {
		rowsPer++
	}
	workers := workersFor(ex, tasks*nch, grain, reduceChunksPerWorker)
	rowBuf, rbuf, err := allocScratch[P](ex, workers*rowsPer*w)
	if err != nil {
		return err
	}
	defer rbuf.free()
	cp := colPlan[P]{w: w, nblk: nblk, nch: nch, per: per, rowsPer: rowsPer, parts: parts, rowBuf: rowBuf}
	if workers <= 1 {
		err = serialRun(ex, tasks*nch, grain, func(_, lo, hi int) { e.colTasks(&cp, 0, lo, hi) })
	} else {
		h, hcp := e.onHeap(), cp
		err = parallelWorkers(ex, tasks*nch, grain, reduceChunksPerWorker, func(wk, _, lo, hi int) { h.colTasks(&hcp, wk, lo, hi) })
	}
	if err != nil || nch == 1 {
		return err
	}
	for t := 0; t < tasks; t++ {
		o0 := (t/nblk)*kr.Inner + (t%nblk)*w
		bw := min(w, kr.Inner-o0%kr.Inner)
		part := func(c int) []P { return parts[(t*nch+c)*w:][:bw] }
		if e.red.running() {
			for c := 1; c < nch; c++ {
				redCombineRow(part(0), part(c), e.red)
			}
			e.storeCols(o0, part(0))
			continue
		}
		for width := 1; width < nch; width *= 2 {
			for i := 0; i+width < nch; i += 2 * width {
				redCombineRow(part(i), part(i+width), e.red)
			}
		}
		e.storeCols(o0, part(0))
	}
	return nil
}

// colPlan is the split of a column-mode reduction: blocks of w outputs
// (nblk per row of kr), each reduced in nch chunks of per positions; the
// chunks' rows of partial results when nch > 1, and per goroutine rowsPer
// rows of scratch in rowBuf.
type colPlan[P any] struct {
	w, nblk, nch, per, rowsPer int
	parts, rowBuf              []P
}

// colTasks runs the tasks [lo, hi) of plan c on goroutine wk: task it is
// the chunk it%nch of block it/nch.
func (e *reduceEngine[P]) colTasks(c *colPlan[P], wk, lo, hi int) {
	kr, w, nch := &e.kr, c.w, c.nch
	var stack redRowStack[P]
	mine := c.rowBuf[wk*c.rowsPer*w : (wk+1)*c.rowsPer*w]
	for it := lo; it < hi; it++ {
		t, ch := it/nch, it%nch
		o0 := (t/c.nblk)*kr.Inner + (t%c.nblk)*w
		bw := min(w, kr.Inner-o0%kr.Inner)
		acc, spare := mine[:bw], mine[w:]
		if nch > 1 {
			acc, spare = c.parts[(t*nch+ch)*w:][:bw], mine
		}
		stack.reset(acc, spare)
		e.colChunk(&stack, redOffset(kr, o0, 1), ch*c.per, min(e.nred, (ch+1)*c.per), o0)
		if nch == 1 {
			e.storeCols(o0, acc)
		}
	}
}

func (e *reduceEngine[P]) storeCols(o0 int, acc []P) {
	d, st := redOffset(&e.kr, o0, 0), e.kr.InnerSt[0]
	for j, v := range acc {
		e.red.store(unsafe.Add(e.dp, d+j*st), v)
	}
}

// colChunk reduces the positions [lo, hi) of the outputs o0, o0+1, ...
// (as many as the stack's accumulator row holds, the first at byte offset
// s of src) into that row.
func (e *reduceEngine[P]) colChunk(stack *redRowStack[P], s, lo, hi, o0 int) {
	base, rr := unsafe.Add(e.sp, s), &e.rr
	leafLen := redColLeaf
	if e.red.exact() || e.red.running() {
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
		stack.push(e.red)
	}
	stack.collapse(e.red)
}

// redOffset is the byte offset in operand op of element k of r's
// iteration.
func redOffset(r *rows, k, op int) int {
	row := k / r.Inner
	off := (k - row*r.Inner) * r.InnerSt[op]
	st := r.strides(op)
	for d := len(r.outer) - 1; d >= 0 && row > 0; d-- {
		n := r.outer[d]
		off += (row % n) * st[d]
		row /= n
	}
	return off
}

// redTree combines p[0], p[1], ... as a balanced tree (ParallelReduce's
// order) into p[0].
func redTree[P any](p []P, red reducer[P]) {
	for width := 1; width < len(p); width *= 2 {
		for i := 0; i+width < len(p); i += 2 * width {
			p[i] = red.comb(p[i], p[i+width])
		}
	}
}

// redFold combines p[0], p[1], ... left to right into p[0].
func redFold[P any](p []P, red reducer[P]) {
	for i := 1; i < len(p); i++ {
		p[0] = red.comb(p[0], p[i])
	}
}

func redCombineRow[P any](a, b []P, red reducer[P]) {
	b = b[:len(a)]
	for j := range a {
		a[j] = red.comb(a[j], b[j])
	}
}

// redPairs combines a sequence of partial results pairwise (a binary
// counter: equal-sized neighbours merge as soon as both exist).
type redPairs[P any] struct {
	v [64]P
	w [64]int
	n int
}

func (s *redPairs[P]) push(v P, red reducer[P]) {
	s.v[s.n], s.w[s.n] = v, 1
	s.n++
	for s.n >= 2 && s.w[s.n-1] == s.w[s.n-2] {
		s.v[s.n-2] = red.comb(s.v[s.n-2], s.v[s.n-1])
		s.w[s.n-2] *= 2
		s.n--
	}
}

func (s *redPairs[P]) result(red reducer[P]) P {
	for s.n > 1 {
		s.v[s.n-2] = red.comb(s.v[s.n-2], s.v[s.n-1])
		s.n--
	}
	return s.v[0]
}

// redRowStack is redPairs for rows of partial results: the bottom row is
// the caller's accumulator, the others are carved from spare scratch
// (len(acc) elements each; a chunk of L leaves needs bits.Len(L) of them).
type redRowStack[P any] struct {
	acc, spare []P
	w          [64]int
	n          int
}

func (s *redRowStack[P]) reset(acc, spare []P) { s.acc, s.spare, s.n = acc, spare, 0 }

func (s *redRowStack[P]) row(i int) []P {
	if i == 0 {
		return s.acc
	}
	n := len(s.acc)
	return s.spare[(i-1)*n : i*n]
}

// next returns the row to fill before the next push.
func (s *redRowStack[P]) next() []P { return s.row(s.n) }

func (s *redRowStack[P]) push(red reducer[P]) {
	s.w[s.n] = 1
	s.n++
	for s.n >= 2 && s.w[s.n-1] == s.w[s.n-2] {
		redCombineRow(s.row(s.n-2), s.row(s.n-1), red)
		s.w[s.n-2] *= 2
		s.n--
	}
}

func (s *redRowStack[P]) collapse(red reducer[P]) {
	for s.n > 1 {
		redCombineRow(s.row(s.n-2), s.row(s.n-1), red)
		s.n--
	}
}

func redAbs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}
