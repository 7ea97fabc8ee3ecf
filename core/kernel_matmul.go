package core

import (
	"fmt"
	"unsafe"
)

// Matmul computes dst = a @ b for 1-D and 2-D operands with numpy's rules
// (numpy.matmul and numpy.dot agree on them):
//
//	a (m, k) @ b (k, n) -> dst (m, n)
//	a (m, k) @ b (k,)   -> dst (m,)
//	a (k,)   @ b (k, n) -> dst (n,)
//	a (k,)   @ b (k,)   -> dst ()
//
// All three must have one dtype, an integer or a float one (not bool,
// float16 or complex); sums are accumulated in that dtype, as BLAS does
// for floats and numpy's own loops do for integers (integer products and
// sums wrap around, so their result does not depend on the order). Any strides work, negative and zero ones
// included: the matrix product packs blocks of a and b into contiguous
// panels, so the layout only changes the cost of packing. If dst shares
// memory with a or b, the product is computed into a temporary first.
//
// The sum behind each element is taken in an order that depends only on
// the shapes, so the result is identical for every ex.Threads. The work is
// split over blocks of rows (and of columns when there are few rows); if
// ex.Interrupted stops it, Matmul returns ErrInterrupted with dst partly
// written.
func Matmul(ex *Exec, dst, a, b *Array) error {
	if a.dtype != dst.dtype || b.dtype != dst.dtype || !matmulDType(dst.dtype) {
		return fmt.Errorf("%w: matmul needs operands of one integer or float32/float64 dtype, got %v @ %v -> %v",
			ErrDType, a.dtype, b.dtype, dst.dtype)
	}
	m, k, n, err := matmulShapes(dst, a, b)
	if err != nil {
		return err
	}
	if dst.readonly {
		return fmt.Errorf("%w: output array is read-only", ErrReadOnly)
	}
	out := dst
	if overlaps(dst, a) || overlaps(dst, b) {
		tmp, err := New(ex.allocator(), dst.shape, dst.dtype, COrder, false)
		if err != nil {
			return err
		}
		defer tmp.Release()
		out = tmp
	}
	c, am, bm := outMatrix(out), inMatrix(a, true), inMatrix(b, false)
	switch dst.dtype {
	case Float32:
		err = matmulTyped[float32](ex, c, am, bm, m, n, k)
	case Float64:
		err = matmulTyped[float64](ex, c, am, bm, m, n, k)
	case Int8:
		err = matmulTyped[int8](ex, c, am, bm, m, n, k)
	case Uint8:
		err = matmulTyped[uint8](ex, c, am, bm, m, n, k)
	case Int16:
		err = matmulTyped[int16](ex, c, am, bm, m, n, k)
	case Uint16:
		err = matmulTyped[uint16](ex, c, am, bm, m, n, k)
	case Int32:
		err = matmulTyped[int32](ex, c, am, bm, m, n, k)
	case Uint32:
		err = matmulTyped[uint32](ex, c, am, bm, m, n, k)
	case Int64:
		err = matmulTyped[int64](ex, c, am, bm, m, n, k)
	case Uint64:
		err = matmulTyped[uint64](ex, c, am, bm, m, n, k)
	}
	if err != nil || out == dst {
		return err
	}
	return CopyTo(ex, dst, out)
}

// matmulDType reports whether Matmul runs on dtype d.
func matmulDType(d DType) bool {
	switch d {
	case Float32, Float64, Int8, Uint8, Int16, Uint16, Int32, Uint32, Int64, Uint64:
		return true
	}
	return false
}

// matmulShapes checks the operands' shapes and returns the product's
// dimensions (a 1-D a is one row, a 1-D b one column).
func matmulShapes(dst, a, b *Array) (m, k, n int, err error) {
	if a.NDim() < 1 || a.NDim() > 2 || b.NDim() < 1 || b.NDim() > 2 {
		return 0, 0, 0, fmt.Errorf("%w: matmul takes 1-D and 2-D operands, got shapes %s and %s",
			ErrShape, shapeString(a.shape), shapeString(b.shape))
	}
	m, k, n = 1, a.shape[a.NDim()-1], 1
	want := []int{}
	if a.NDim() == 2 {
		m = a.shape[0]
		want = append(want, m)
	}
	if b.NDim() == 2 {
		n = b.shape[1]
		want = append(want, n)
	}
	if b.shape[0] != k {
		return 0, 0, 0, fmt.Errorf("%w: matmul: shapes %s and %s not aligned: %d (dim %d) != %d (dim 0)",
			ErrShape, shapeString(a.shape), shapeString(b.shape), k, a.NDim()-1, b.shape[0])
	}
	if !sameShape(dst.shape, want) {
		return 0, 0, 0, fmt.Errorf("%w: matmul of shapes %s and %s has shape %s, not the output's %s",
			ErrShape, shapeString(a.shape), shapeString(b.shape), shapeString(want), shapeString(dst.shape))
	}
	return m, k, n, nil
}

// stridedMat is a strided 2-D layout: element (i, j) is at p + i*rs + j*cs
// (byte strides). A vector is one of one row or one column.
type stridedMat struct {
	p      unsafe.Pointer
	rs, cs int
}

func (x stridedMat) at(i, j int) unsafe.Pointer { return unsafe.Add(x.p, i*x.rs+j*x.cs) }

// t is the transpose.
func (x stridedMat) t() stridedMat { return stridedMat{x.p, x.cs, x.rs} }

// inMatrix views a 1-D a operand as one row and a 1-D b operand as one
// column.
func inMatrix(x *Array, left bool) stridedMat {
	if x.NDim() == 2 {
		return stridedMat{x.Data(), x.strides[0], x.strides[1]}
	}
	if left {
		return stridedMat{x.Data(), 0, x.strides[0]}
	}
	return stridedMat{x.Data(), x.strides[0], 0}
}

// outMatrix views the output with the axes the inputs' ranks give it; for a
// 1-D output, the unused stride is never stepped over (its extent is 1).
func outMatrix(x *Array) stridedMat {
	switch x.NDim() {
	case 2:
		return stridedMat{x.Data(), x.strides[0], x.strides[1]}
	case 1:
		return stridedMat{x.Data(), x.strides[0], x.strides[0]}
	}
	return stridedMat{x.Data(), 0, 0}
}

// matmulMinWork is the fewest multiply-adds worth a goroutine of its own:
// below it, starting and joining goroutines costs more than it saves.
const matmulMinWork = 1 << 18

// limitThreads returns ex with at most one goroutine per matmulMinWork of
// the given work (multiply-adds).
func limitThreads(ex *Exec, work float64) *Exec {
	t := ex.threads()
	if w := work / matmulMinWork; t > 1 && w < float64(t) {
		lim := Exec{}
		if ex != nil {
			lim = *ex
		}
		lim.Threads = max(1, int(w))
		return &lim
	}
	return ex
}

func matmulTyped[T Real](ex *Exec, c, a, b stridedMat, m, n, k int) error {
	ex = limitThreads(ex, float64(m)*float64(n)*float64(k))
	switch {
	case m == 0 || n == 0:
		return nil
	case k == 0:
		for i := range m {
			for j := range n {
				*(*T)(c.at(i, j)) = 0
			}
		}
		return nil
	case m == 1 && n == 1:
		s, err := dotStrided[T](ex, a.p, a.cs, b.p, b.rs, k)
		*(*T)(c.p) = s
		return err
	case n == 1:
		return gemv[T](ex, c.p, c.rs, a, b.p, b.rs, m, k)
	case m == 1:
		// a row times b: the rows of b's transpose against a's one row.
		return gemv[T](ex, c.p, c.cs, b.t(), a.p, a.cs, n, k)
	}
	return gemm[T](ex, c, a, b, m, n, k)
}

// ---- vector products ---------------------------------------------------

// dotStrided is the dot product of k elements at x and y (byte strides),
// split into chunks of Grain summed in chunk order.
func dotStrided[T Real](ex *Exec, x unsafe.Pointer, xs int, y unsafe.Pointer, ys int, k int) (T, error) {
	return reduceScratch(ex, k, Grain, func(lo, hi int) T {
		return dotProduct[T](unsafe.Add(x, lo*xs), xs, unsafe.Add(y, lo*ys), ys, hi-lo)
	}, func(s, t T) T { return s + t })
}

// dot sums x[i]*y[i] for i < n in four interleaved partial sums, so that
// the additions do not wait on each other.
func dotProduct[T Real](x unsafe.Pointer, xs int, y unsafe.Pointer, ys int, n int) T {
	var z T
	size := int(unsafe.Sizeof(z))
	var s0, s1, s2, s3 T
	i := 0
	if xs == size && ys == size {
		xv, yv := unsafe.Slice((*T)(x), n), unsafe.Slice((*T)(y), n)
		for ; i+4 <= n; i += 4 {
			s0 += xv[i] * yv[i]
			s1 += xv[i+1] * yv[i+1]
			s2 += xv[i+2] * yv[i+2]
			s3 += xv[i+3] * yv[i+3]
		}
		for ; i < n; i++ {
			s0 += xv[i] * yv[i]
		}
		return (s0 + s1) + (s2 + s3)
	}
	for ; i+4 <= n; i += 4 {
		px, py := unsafe.Add(x, i*xs), unsafe.Add(y, i*ys)
		s0 += *(*T)(px) * *(*T)(py)
		s1 += *(*T)(unsafe.Add(px, xs)) * *(*T)(unsafe.Add(py, ys))
		s2 += *(*T)(unsafe.Add(px, 2*xs)) * *(*T)(unsafe.Add(py, 2*ys))
		s3 += *(*T)(unsafe.Add(px, 3*xs)) * *(*T)(unsafe.Add(py, 3*ys))
	}
	for ; i < n; i++ {
		s0 += *(*T)(unsafe.Add(x, i*xs)) * *(*T)(unsafe.Add(y, i*ys))
	}
	return (s0 + s1) + (s2 + s3)
}

// gemvRows is the number of rows of a column-contiguous matrix that one
// chunk of gemv accumulates at once (a slice of them stays in L1).
const gemvRows = 256

// gemv computes y[i] = sum_p a[i, p] * x[p] for i < m, in parallel over
// blocks of rows. Each y[i] is the work of one goroutine.
func gemv[T Real](ex *Exec, y unsafe.Pointer, ys int, a stridedMat, x unsafe.Pointer, xs int, m, k int) error {
	var z T
	size := int(unsafe.Sizeof(z))
	if a.rs == size && a.cs != size {
		// Columns are contiguous, rows are not: walk the columns, adding
		// x[p] times a stretch of column p to a block of partial sums (the
		// same sum, term by term, as a row's dot product would take).
		grain := max(gemvRows, Grain/k)
		// One block of partial sums per goroutine, from ex's allocator.
		per := min(grain, m)
		sums, buf, err := allocScratch[T](ex, workersFor(ex, m, grain, 1)*per)
		if err != nil {
			return err
		}
		defer buf.free()
		return parallelWorkers(ex, m, grain, 1, func(w, _, lo, hi int) {
			acc := sums[w*per : w*per+hi-lo]
			clear(acc)
			p := 0
			// Four columns per sweep of acc: the same additions in the same
			// order, with a quarter of the loads and stores of acc.
			for ; p+4 <= k; p += 4 {
				x0, x1 := *(*T)(unsafe.Add(x, p*xs)), *(*T)(unsafe.Add(x, (p+1)*xs))
				x2, x3 := *(*T)(unsafe.Add(x, (p+2)*xs)), *(*T)(unsafe.Add(x, (p+3)*xs))
				c0 := unsafe.Slice((*T)(a.at(lo, p)), len(acc))
				c1 := unsafe.Slice((*T)(a.at(lo, p+1)), len(acc))
				c2 := unsafe.Slice((*T)(a.at(lo, p+2)), len(acc))
				c3 := unsafe.Slice((*T)(a.at(lo, p+3)), len(acc))
				for i := range acc {
					acc[i] = acc[i] + c0[i]*x0 + c1[i]*x1 + c2[i]*x2 + c3[i]*x3
				}
			}
			for ; p < k; p++ {
				xp := *(*T)(unsafe.Add(x, p*xs))
				col := unsafe.Slice((*T)(a.at(lo, p)), len(acc))
				for i := range acc {
					acc[i] += col[i] * xp
				}
			}
			for i, v := range acc {
				*(*T)(unsafe.Add(y, (lo+i)*ys)) = v
			}
		})
	}
	grain := max(1, Grain/k)
	return ParallelChunks(ex, m, grain, func(_, lo, hi int) {
		for i := lo; i < hi; i++ {
			*(*T)(unsafe.Add(y, i*ys)) = dotProduct[T](a.at(i, 0), a.cs, x, xs, k)
		}
	})
}

// ---- matrix product ----------------------------------------------------------

// Blocking of the matrix product (GotoBLAS's scheme, in Go). C is computed
// in tiles of mr x nr elements held in registers; a tile is the sum over k
// of a column of an A panel (mr rows, packed) times a row of a B panel (nr
// columns, packed). A block of kcBlock x ncBlock of B is packed once and
// shared by all goroutines (it stays in L3, one of its panels in L1); each
// goroutine packs a block of at most mcBlock x kcBlock of A (it stays in L2)
// and sweeps it over the B panels it was given.
//
// The tile size is set by the Go compiler (without SIMD: one element per
// instruction), which has 15 X registers for floats and issues a tile's
// products before its sums, so each accumulator needs a second register:
// 2 x 3 and 3 x 2 tiles fit and reach about 9 GFLOP/s per core on an AMD
// EPYC (BenchmarkMatmulMicroKernel), while 2 x 4, 3 x 3 and 4 x 4 tiles
// spill and fall to 3-5 GFLOP/s.
const (
	mr       = 2
	nr       = 3
	kcBlock  = 256
	mcBlock  = 128 // a multiple of mr
	ncBlock  = 3072
	minSplit = 16 // fewest B panels per goroutine when columns are split
)

// blocksOf is the number of blocks of size b that cover n elements.
func blocksOf(n, b int) int { return (n + b - 1) / b }

func gemm[T Real](ex *Exec, c, a, b stridedMat, m, n, k int) error {
	// Goroutines are started for each block of k: with few rows and
	// columns and a long k, one block may not be worth more than one.
	ex = limitThreads(ex, float64(m)*float64(min(n, ncBlock))*float64(min(k, kcBlock)))
	threads := ex.threads()
	// Row blocks: a multiple of the thread count, of about mcBlock rows,
	// so that goroutines get equal shares.
	blocks := blocksOf(m, mcBlock)
	blocks = min(blocksOf(blocks, threads)*threads, blocksOf(m, mr))
	rows := blocksOf(blocksOf(m, blocks), mr) * mr
	blocks = blocksOf(m, rows)
	// Few row blocks (a short, wide product): split the columns too.
	splitsOf := func(panels int) int {
		if blocks >= threads {
			return 1
		}
		return max(1, min(blocksOf(threads, blocks), panels/minSplit))
	}

	// The packed B block, shared, and one packed A block per goroutine
	// (the first column block has the most panels, so the most tasks),
	// from ex's allocator.
	kc := min(k, kcBlock)
	bp, bbuf, err := allocScratch[T](ex, kc*min(blocksOf(n, nr)*nr, ncBlock))
	if err != nil {
		return err
	}
	defer bbuf.free()
	workers := workersFor(ex, blocks*splitsOf(blocksOf(min(ncBlock, n), nr)), 1, 1)
	ap, abuf, err := allocScratch[T](ex, workers*rows*kc)
	if err != nil {
		return err
	}
	defer abuf.free()
	for jc := 0; jc < n; jc += ncBlock {
		ncur := min(ncBlock, n-jc)
		panels := blocksOf(ncur, nr)
		splits := splitsOf(panels)
		for pc := 0; pc < k; pc += kcBlock {
			kcur := min(kcBlock, k-pc)
			packB(bp, b, pc, jc, kcur, ncur)
			err := parallelWorkers(ex, blocks*splits, 1, 1, func(w, task, _, _ int) {
				blk, s := task/splits, task%splits
				i0 := blk * rows
				mcur := min(rows, m-i0)
				apw := ap[w*rows*kc : w*rows*kc+rows*kcur]
				packA(apw, a, i0, pc, mcur, kcur)
				macroKernel(apw, bp, c, i0, jc, mcur, ncur, kcur, s*panels/splits, (s+1)*panels/splits, pc == 0)
			})
			if err != nil {
				return err
			}
		}
	}
	return nil
}

// packA copies a[i0:i0+mc, p0:p0+kc] into panels of mr rows: panel r holds,
// for each p, the mr elements a[i0+r*mr : i0+r*mr+mr, p0+p] (zeros past the
// last row).
func packA[T Real](dst []T, a stridedMat, i0, p0, mc, kc int) {
	for r := 0; r*mr < mc; r++ {
		pan := dst[r*mr*kc : (r+1)*mr*kc]
		valid := min(mr, mc-r*mr)
		for ii := range mr {
			if ii >= valid {
				for p := range kc {
					pan[p*mr+ii] = 0
				}
				continue
			}
			src := a.at(i0+r*mr+ii, p0)
			for p := range kc {
				pan[p*mr+ii] = *(*T)(unsafe.Add(src, p*a.cs))
			}
		}
	}
}

// packB copies b[p0:p0+kc, j0:j0+nc] into panels of nr columns: panel q
// holds, for each p, the nr elements b[p0+p, j0+q*nr : j0+q*nr+nr] (zeros
// past the last column).
func packB[T Real](dst []T, b stridedMat, p0, j0, kc, nc int) {
	for q := 0; q*nr < nc; q++ {
		pan := dst[q*nr*kc : (q+1)*nr*kc]
		valid := min(nr, nc-q*nr)
		for p := range kc {
			src := b.at(p0+p, j0+q*nr)
			row := pan[p*nr : p*nr+nr]
			for jj := range valid {
				row[jj] = *(*T)(unsafe.Add(src, jj*b.cs))
			}
			for jj := valid; jj < nr; jj++ {
				row[jj] = 0
			}
		}
	}
}

// macroKernel computes the tiles of C for the packed A block (mc rows from
// i0) and B panels [q0, q1) (columns from j0), storing them when first and
// adding to C otherwise.
func macroKernel[T Real](ap, bp []T, c stridedMat, i0, j0, mc, nc, kc, q0, q1 int, first bool) {
	var tile [mr * nr]T
	for q := q0; q < q1; q++ {
		jj := q * nr
		nv := min(nr, nc-jj)
		bpan := unsafe.Pointer(&bp[q*nr*kc])
		for ii := 0; ii < mc; ii += mr {
			mv := min(mr, mc-ii)
			microKernel(kc, unsafe.Pointer(&ap[ii*kc]), bpan, &tile)
			for i := range mv {
				row := c.at(i0+ii+i, j0+jj)
				for j := range nv {
					p := (*T)(unsafe.Add(row, j*c.cs))
					if first {
						*p = tile[i*nr+j]
					} else {
						*p += tile[i*nr+j]
					}
				}
			}
		}
	}
}

// microKernel computes the mr x nr tile of products of kc columns of an A
// panel (mr elements each, at a) and kc rows of a B panel (nr elements
// each, at b). The pointers step through packed buffers that hold kc of
// each, as packA and packB lay them out.
func microKernel[T Real](kc int, a, b unsafe.Pointer, tile *[mr * nr]T) {
	var c00, c01, c02, c10, c11, c12 T
	var z T
	const sa, sb = mr, nr
	size := unsafe.Sizeof(z)
	for p := range uintptr(kc) {
		// Address each step from the start (not by advancing a and b) so
		// that no pointer ever points past the buffers (checkptr).
		av := (*[mr]T)(unsafe.Add(a, p*sa*size))
		bv := (*[nr]T)(unsafe.Add(b, p*sb*size))
		// Column by column: the order of the loads matters to the code the
		// compiler makes (row by row, float32 runs at half the speed).
		a0, a1 := av[0], av[1]
		b0 := bv[0]
		c00 += a0 * b0
		c10 += a1 * b0
		b1 := bv[1]
		c01 += a0 * b1
		c11 += a1 * b1
		b2 := bv[2]
		c02 += a0 * b2
		c12 += a1 * b2
	}
	*tile = [mr * nr]T{c00, c01, c02, c10, c11, c12}
}
