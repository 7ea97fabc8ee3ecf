package core

import (
	"fmt"
	"sort"
	"unsafe"
)

// loop is a coalesced strided iteration space shared by up to two operands:
// axes of length 1 are dropped and adjacent axes that are contiguous for
// every operand are merged, so a contiguous copy becomes one memmove.
type loop struct {
	shape []int
	st    [2][]int
}

func makeLoop(shape []int, strides ...[]int) loop {
	var l loop
	for i, d := range shape {
		if d == 1 {
			continue
		}
		l.shape = append(l.shape, d)
		for k := range strides {
			l.st[k] = append(l.st[k], strides[k][i])
		}
	}
	// Merge axis i into axis i+1 (inner) when every operand steps over it
	// as over one run.
	for i := len(l.shape) - 2; i >= 0; i-- {
		merge := true
		for k := range strides {
			if l.st[k][i] != l.st[k][i+1]*l.shape[i+1] {
				merge = false
			}
		}
		if !merge {
			continue
		}
		l.shape[i+1] *= l.shape[i]
		l.shape = append(l.shape[:i], l.shape[i+1:]...)
		for k := range strides {
			l.st[k] = append(l.st[k][:i], l.st[k][i+1:]...)
		}
	}
	if len(l.shape) == 0 {
		l.shape = []int{1}
		for k := range strides {
			l.st[k] = []int{0}
		}
	}
	return l
}

// forOuter calls fn with the byte offsets of every inner run (the last
// axis) for up to two operands.
func (l loop) forOuter(fn func(off0, off1 int)) {
	nd := len(l.shape)
	idx := make([]int, nd)
	off := [2]int{}
	for {
		fn(off[0], off[1])
		k := nd - 2
		for ; k >= 0; k-- {
			idx[k]++
			off[0] += l.st[0][k]
			if l.st[1] != nil {
				off[1] += l.st[1][k]
			}
			if idx[k] < l.shape[k] {
				break
			}
			off[0] -= l.st[0][k] * l.shape[k]
			if l.st[1] != nil {
				off[1] -= l.st[1][k] * l.shape[k]
			}
			idx[k] = 0
		}
		if k < 0 {
			return
		}
	}
}

func byteSlice(p unsafe.Pointer, n int) []byte { return unsafe.Slice((*byte)(p), n) }

// copyRun copies n elements of itemsize bytes from s (stride ss) to d
// (stride ds).
func copyRun(d unsafe.Pointer, ds int, s unsafe.Pointer, ss int, n, itemsize int) {
	if ds == itemsize && ss == itemsize {
		copy(byteSlice(d, n*itemsize), byteSlice(s, n*itemsize))
		return
	}
	switch itemsize {
	case 1:
		for i := 0; i < n; i++ {
			*(*uint8)(unsafe.Add(d, i*ds)) = *(*uint8)(unsafe.Add(s, i*ss))
		}
	case 2:
		for i := 0; i < n; i++ {
			*(*uint16)(unsafe.Add(d, i*ds)) = *(*uint16)(unsafe.Add(s, i*ss))
		}
	case 4:
		for i := 0; i < n; i++ {
			*(*uint32)(unsafe.Add(d, i*ds)) = *(*uint32)(unsafe.Add(s, i*ss))
		}
	case 8:
		for i := 0; i < n; i++ {
			*(*uint64)(unsafe.Add(d, i*ds)) = *(*uint64)(unsafe.Add(s, i*ss))
		}
	case 16:
		for i := 0; i < n; i++ {
			*(*[2]uint64)(unsafe.Add(d, i*ds)) = *(*[2]uint64)(unsafe.Add(s, i*ss))
		}
	default:
		for i := 0; i < n; i++ {
			copy(byteSlice(unsafe.Add(d, i*ds), itemsize), byteSlice(unsafe.Add(s, i*ss), itemsize))
		}
	}
}

// overlaps reports whether two layouts may share bytes.
func overlaps(a, b *Array) bool {
	// By address, not by Buffer: kernel operands wrap the same memory in
	// separate Buffers.
	if a.Size() == 0 || b.Size() == 0 {
		return false
	}
	alo, ahi := Extent(a.shape, a.strides, a.dtype.Size())
	blo, bhi := Extent(b.shape, b.strides, b.dtype.Size())
	ap, bp := int(uintptr(a.Data())), int(uintptr(b.Data()))
	return ap+alo < bp+bhi && bp+blo < ap+ahi
}

// CopyTo copies the elements of src into dst element by element. Both must
// have the same shape and dtype. Overlapping operands are handled as if src
// were read completely before dst is written (through a temporary from
// ex's allocator where the two overlap in different layouts).
func CopyTo(ex *Exec, dst, src *Array) error {
	if dst.dtype != src.dtype {
		return fmt.Errorf("%w: cannot copy %v into %v without a cast", ErrDType, src.dtype, dst.dtype)
	}
	if !sameShape(dst.shape, src.shape) {
		return fmt.Errorf("%w: cannot copy shape %s into shape %s", ErrShape, shapeString(src.shape), shapeString(dst.shape))
	}
	if dst.readonly {
		return fmt.Errorf("%w: assignment destination is read-only", ErrReadOnly)
	}
	if dst.Size() == 0 {
		return nil
	}
	if overlaps(dst, src) && !sameLayout(dst, src) {
		tmp, err := src.Copy(ex.allocator(), COrder)
		if err != nil {
			return err
		}
		defer tmp.Release()
		src = tmp
	}
	copyStrided(dst.Data(), dst.strides, src.Data(), src.strides, dst.shape, dst.dtype.Size())
	return nil
}

func copyStrided(d unsafe.Pointer, ds []int, s unsafe.Pointer, ss []int, shape []int, itemsize int) {
	l := makeLoop(shape, ds, ss)
	in := len(l.shape) - 1
	n, dst, sst := l.shape[in], l.st[0][in], l.st[1][in]
	l.forOuter(func(od, os int) {
		copyRun(unsafe.Add(d, od), dst, unsafe.Add(s, os), sst, n, itemsize)
	})
}

func sameShape(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// Copy returns a new Array from alloc with a's elements, laid out in the
// given order: 'C', 'F', 'A' (F if a is F- but not C-contiguous, else C) or
// 'K' (the order of a's strides, as numpy's copy(order="K")).
func (a *Array) Copy(alloc Allocator, order Order) (*Array, error) {
	switch order {
	case 'A':
		order = COrder
		if a.IsFContiguous() && !a.IsCContiguous() {
			order = FOrder
		}
	case 'K':
		return a.copyKeepOrder(alloc)
	case COrder, FOrder:
	default:
		return nil, fmt.Errorf("%w: order must be one of 'C', 'F', 'A', 'K', not %q", ErrValue, rune(order))
	}
	out, err := New(alloc, a.shape, a.dtype, order, false)
	if err != nil {
		return nil, err
	}
	if a.Size() > 0 {
		copyStrided(out.Data(), out.strides, a.Data(), a.strides, a.shape, a.dtype.Size())
	}
	return out, nil
}

func (a *Array) copyKeepOrder(alloc Allocator) (*Array, error) {
	out, err := NewLike(alloc, a.shape, a.strides, a.dtype.Size(), a.dtype, false)
	if err != nil {
		return nil, err
	}
	if a.Size() > 0 {
		copyStrided(out.Data(), out.strides, a.Data(), a.strides, a.shape, a.dtype.Size())
	}
	return out, nil
}

// NewLike allocates an Array of the given shape and dtype whose memory
// order follows the layout that likeStrides (of elements of likeItemsize
// bytes) describes, as numpy's order="K"
// (PyArray_NewLikeArray): a C- or F-contiguous layout is kept as it is;
// otherwise the axes are laid out by decreasing absolute stride (ties in
// axis order), so a transposed or reversed view copies into a transposed,
// forward layout.
func NewLike(alloc Allocator, shape, likeStrides []int, likeItemsize int, dtype DType, zero bool) (*Array, error) {
	if len(shape) != len(likeStrides) {
		return nil, fmt.Errorf("%w: shape %v and strides %v differ in length", ErrShape, shape, likeStrides)
	}
	if IsCContiguous(shape, likeStrides, likeItemsize) || len(shape) <= 1 {
		return New(alloc, shape, dtype, COrder, zero)
	}
	if IsFContiguous(shape, likeStrides, likeItemsize) {
		return New(alloc, shape, dtype, FOrder, zero)
	}
	nd := len(shape)
	perm := make([]int, nd)
	for i := range perm {
		perm[i] = i
	}
	abs := func(v int) int {
		if v < 0 {
			return -v
		}
		return v
	}
	sort.SliceStable(perm, func(i, j int) bool { return abs(likeStrides[perm[i]]) > abs(likeStrides[perm[j]]) })
	pshape := make([]int, nd)
	for i, p := range perm {
		pshape[i] = shape[p]
	}
	tmp, err := New(alloc, pshape, dtype, COrder, zero)
	if err != nil {
		return nil, err
	}
	strides := make([]int, nd)
	for i, p := range perm {
		strides[p] = tmp.strides[i]
	}
	tmp.shape = append([]int(nil), shape...)
	tmp.strides = strides
	return tmp, nil
}

// NewStrided allocates an Array with exactly the given strides, which must
// describe a dense layout: non-negative multiples of the itemsize whose
// elements fill a block of Size()*itemsize bytes, as every array numpy
// allocates does. goarray uses it to take over numpy results with their
// strides unchanged.
func NewStrided(alloc Allocator, shape, strides []int, dtype DType) (*Array, error) {
	if len(shape) != len(strides) {
		return nil, fmt.Errorf("%w: shape %v and strides %v differ in length", ErrShape, shape, strides)
	}
	isize := dtype.Size()
	n, err := NumElements(shape, isize)
	if err != nil {
		return nil, err
	}
	for _, st := range strides {
		if st < 0 || st%isize != 0 {
			return nil, fmt.Errorf("%w: strides %v are not a dense layout for itemsize %d", ErrValue, strides, isize)
		}
	}
	if n > 0 {
		if lo, hi := Extent(shape, strides, isize); lo != 0 || hi != n*isize {
			return nil, fmt.Errorf("%w: strides %v of shape %v do not fill a block of %d bytes", ErrValue, strides, shape, n*isize)
		}
	}
	a, err := New(alloc, shape, dtype, COrder, false)
	if err != nil {
		return nil, err
	}
	copy(a.strides, strides)
	return a, nil
}

// Fill sets every element to the bytes of value (one element, native
// byte order).
func (a *Array) Fill(value []byte) error {
	isize := a.dtype.Size()
	if len(value) != isize {
		return fmt.Errorf("%w: fill value has %d bytes, dtype %v needs %d", ErrValue, len(value), a.dtype, isize)
	}
	if a.readonly {
		return fmt.Errorf("%w: assignment destination is read-only", ErrReadOnly)
	}
	if a.Size() == 0 {
		return nil
	}
	if b, ok := a.Bytes(); ok {
		copy(b, value)
		for n := isize; n < len(b); n *= 2 {
			copy(b[n:], b[:n])
		}
		return nil
	}
	l := makeLoop(a.shape, a.strides)
	in := len(l.shape) - 1
	n, st := l.shape[in], l.st[0][in]
	base := a.Data()
	src := unsafe.Pointer(unsafe.SliceData(value))
	l.forOuter(func(off, _ int) {
		copyRun(unsafe.Add(base, off), st, src, 0, n, isize)
	})
	return nil
}

// Resize gives an owning, contiguous Array a new shape in place, as numpy's
// ndarray.resize: the bytes are kept in memory order, new bytes are zero,
// and the layout becomes C-contiguous, or F-contiguous if the Array was F-
// but not C-contiguous. Only an Array made by New or Copy owns its buffer;
// views and FromBuffer layouts are refused. The storage moves, so the
// caller must make sure no view or export of it is alive.
func (a *Array) Resize(alloc Allocator, newShape []int) error {
	if !a.owner || !a.buf.Owned() {
		return fmt.Errorf("%w: cannot resize this array: it does not own its data", ErrValue)
	}
	cContig, fContig := a.IsCContiguous(), a.IsFContiguous()
	if a.offset != 0 || (!cContig && !fContig) {
		return fmt.Errorf("%w: resize only works on single-segment arrays", ErrValue)
	}
	isize := a.dtype.Size()
	n, err := NumElements(newShape, isize)
	if err != nil {
		return err
	}
	order := COrder
	if fContig && !cContig {
		order = FOrder
	}
	nb := n * isize
	if nb == a.buf.Len() {
		a.shape = append([]int(nil), newShape...)
		a.strides = StandardStrides(newShape, isize, order)
		return nil
	}
	nbuf, err := NewBuffer(alloc, nb, true)
	if err != nil {
		return fmt.Errorf("cannot resize to shape %s: %w", shapeString(newShape), err)
	}
	copy(nbuf.mem, a.buf.mem)
	a.buf.Free()
	a.buf = nbuf
	a.shape = append([]int(nil), newShape...)
	a.strides = StandardStrides(newShape, isize, order)
	return nil
}
