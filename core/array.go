package core

import (
	"fmt"
	"slices"
	"sync/atomic"
	"unsafe"
)

// Array is an N-dimensional strided view of a Buffer: numpy's ndarray
// without the Python. Several Arrays may view one Buffer (slices, transposes,
// reshapes); only the code that made the Buffer frees it.
//
// Strides are in bytes and may be negative or zero; Offset is the byte
// position of the element with index (0, ..., 0) inside the Buffer.
// An Array is not safe for concurrent mutation (Resize, SetReadOnly), but
// concurrent reads and writes of elements by kernels are the caller's
// business, as with a Go slice.
type Array struct {
	buf      *Buffer
	offset   int
	shape    []int
	strides  []int
	dtype    DType
	readonly bool
	owner    bool // made by New or Copy: Resize may replace buf
}

// Raw is the plain-data description of an Array's layout, for kernels that
// walk memory themselves.
type Raw struct {
	Data    unsafe.Pointer // element (0, ..., 0)
	Shape   []int
	Strides []int // bytes
	DType   DType
}

// New allocates an Array of the given shape and dtype from alloc, laid out
// in C or Fortran order. If zero is true the elements are zero.
func New(alloc Allocator, shape []int, dtype DType, order Order, zero bool) (*Array, error) {
	if !dtype.Valid() {
		return nil, fmt.Errorf("%w: %v (accepted: %s)", ErrDType, dtype, DTypeNames())
	}
	if order != COrder && order != FOrder {
		return nil, fmt.Errorf("%w: order must be 'C' or 'F', not %q", ErrValue, rune(order))
	}
	n, err := NumElements(shape, dtype.Size())
	if err != nil {
		return nil, err
	}
	mem, err := alloc.Allocate(n*dtype.Size(), zero)
	if err != nil {
		return nil, fmt.Errorf("cannot allocate an array of shape %v and dtype %v: %w", shape, dtype, err)
	}
	// One heap object for the Array, its Buffer and (up to smallDims
	// dimensions) its shape and strides: making small arrays is dominated
	// by these allocations.
	o := &owned{}
	o.buf.mem, o.buf.alloc = mem, alloc
	a := &o.arr
	a.buf, a.dtype, a.owner = &o.buf, dtype, true
	nd := len(shape)
	if nd <= smallDims {
		a.shape, a.strides = o.dims[:nd:nd], o.dims[smallDims:smallDims+nd:smallDims+nd]
	} else {
		a.shape, a.strides = make([]int, nd), make([]int, nd)
	}
	copy(a.shape, shape)
	if n > 0 || !zeroStridesForEmpty.Load() {
		fillStandardStrides(a.strides, shape, dtype.Size(), order)
	}
	return a, nil
}

var zeroStridesForEmpty atomic.Bool

// SetZeroStridesForEmpty chooses the strides New gives an array with no
// elements: the standard strides of its shape (false, the default, and
// numpy before 2.4) or all zeros (true, as numpy 2.4's np.empty((3, 0))
// does). No element is ever addressed through them; the choice only
// decides which numpy version's strides a caller sees.
func SetZeroStridesForEmpty(zero bool) { zeroStridesForEmpty.Store(zero) }

const smallDims = 4

// owned is the single allocation behind a new Array.
type owned struct {
	arr  Array
	buf  Buffer
	dims [2 * smallDims]int
}

// FromBuffer makes an Array that views buf with the given layout. It checks
// that every element lies inside the buffer.
func FromBuffer(buf *Buffer, offset int, shape, strides []int, dtype DType, readonly bool) (*Array, error) {
	if err := checkLayout(buf.Len(), offset, shape, strides, dtype); err != nil {
		return nil, err
	}
	a := newLayout(shape, strides)
	a.buf, a.offset, a.dtype, a.readonly = buf, offset, dtype, readonly
	return a, nil
}

// OverMemory is FromBuffer(WrapMemory(p, n, nil), offset, ...), an Array
// over n bytes at p that Go does not own, made in one allocation for up to
// smallDims dimensions: the kernel calls of the Python bindings make one
// for every operand.
func OverMemory(p unsafe.Pointer, n, offset int, shape, strides []int, dtype DType, readonly bool) (*Array, error) {
	if err := checkLayout(n, offset, shape, strides, dtype); err != nil {
		return nil, err
	}
	nd := len(shape)
	if nd > smallDims {
		return FromBuffer(WrapMemory(p, n, nil), offset, shape, strides, dtype, readonly)
	}
	o := &owned{}
	o.buf.mem = unsafe.Slice((*byte)(p), n)
	a := &o.arr
	a.shape, a.strides = o.dims[:nd:nd], o.dims[smallDims:smallDims+nd:smallDims+nd]
	copy(a.shape, shape)
	copy(a.strides, strides)
	a.buf, a.offset, a.dtype, a.readonly = &o.buf, offset, dtype, readonly
	return a, nil
}

// checkLayout is nil when every element of the layout lies inside a buffer
// of n bytes. shape and strides do not escape (the caller's may live on
// its stack): the error quotes copies.
func checkLayout(n, offset int, shape, strides []int, dtype DType) error {
	if !dtype.Valid() {
		return fmt.Errorf("%w: %v", ErrDType, dtype)
	}
	if len(shape) != len(strides) {
		return fmt.Errorf("%w: shape %v and strides %v differ in length", ErrShape, slices.Clone(shape),
			slices.Clone(strides))
	}
	size, err := NumElements(slices.Clone(shape), dtype.Size())
	if err != nil {
		return err
	}
	if size == 0 {
		return nil
	}
	// Every element must lie inside the buffer. The exact range is checked
	// (huge strides cannot wrap Extent's sums into a range that looks
	// valid, or look empty), and every stride is bounded too.
	lo, hi, ok := ExtentChecked(shape, strides, dtype.Size())
	bad := !ok || offset < 0 || offset > n || offset+lo < 0 || hi > n-offset
	for i, d := range shape {
		if d > 1 && (strides[i] > n/(d-1) || strides[i] < -(n/(d-1))) {
			bad = true
		}
	}
	if bad {
		return fmt.Errorf("%w: layout (offset %d, shape %v, strides %v) reaches outside a buffer of %d bytes",
			ErrValue, offset, slices.Clone(shape), slices.Clone(strides), n)
	}
	return nil
}

// newLayout is a new Array holding copies of shape and strides, next to it
// in one allocation for up to smallDims dimensions.
func newLayout(shape, strides []int) *Array {
	nd := len(shape)
	var v *Array
	if nd <= smallDims {
		d := &derived{}
		v = &d.arr
		v.shape, v.strides = d.dims[:nd:nd], d.dims[smallDims:smallDims+nd:smallDims+nd]
	} else {
		v = &Array{shape: make([]int, nd), strides: make([]int, nd)}
	}
	copy(v.shape, shape)
	copy(v.strides, strides)
	return v
}

// view returns an Array sharing a's buffer with a new layout.
func (a *Array) view(offset int, shape, strides []int, dtype DType) *Array {
	return &Array{buf: a.buf, offset: offset, shape: shape, strides: strides, dtype: dtype, readonly: a.readonly}
}

// derive is view for callers whose shape and strides live in temporary
// storage: it copies them, next to the new Array in one allocation when
// there are at most smallDims.
func (a *Array) derive(offset int, shape, strides []int) *Array {
	v := newLayout(shape, strides)
	v.buf, v.offset, v.dtype, v.readonly = a.buf, offset, a.dtype, a.readonly
	return v
}

// derived is the single allocation behind a view made by derive.
type derived struct {
	arr  Array
	dims [2 * smallDims]int
}

// Buffer returns the storage the Array views.
func (a *Array) Buffer() *Buffer { return a.buf }

// Shape returns the dimensions. The caller must not modify the slice.
func (a *Array) Shape() []int { return a.shape }

// Strides returns the byte strides. The caller must not modify the slice.
func (a *Array) Strides() []int { return a.strides }

// DType returns the element type.
func (a *Array) DType() DType { return a.dtype }

// NDim returns the number of dimensions.
func (a *Array) NDim() int { return len(a.shape) }

// Offset returns the byte offset of element (0, ..., 0) in the buffer.
func (a *Array) Offset() int { return a.offset }

// Size returns the number of elements.
func (a *Array) Size() int {
	n := 1
	for _, d := range a.shape {
		n *= d
	}
	return n
}

// NBytes returns Size() times the itemsize.
func (a *Array) NBytes() int { return a.Size() * a.dtype.Size() }

// ReadOnly reports whether writes through this Array are refused.
func (a *Array) ReadOnly() bool { return a.readonly }

// SetReadOnly marks the Array read-only or writable. Whether a view may be
// made writable again is the caller's policy (numpy allows it only when the
// base is writable).
func (a *Array) SetReadOnly(ro bool) { a.readonly = ro }

// IsCContiguous reports numpy's C_CONTIGUOUS flag.
func (a *Array) IsCContiguous() bool { return IsCContiguous(a.shape, a.strides, a.dtype.Size()) }

// IsFContiguous reports numpy's F_CONTIGUOUS flag.
func (a *Array) IsFContiguous() bool { return IsFContiguous(a.shape, a.strides, a.dtype.Size()) }

// Data returns the address of element (0, ..., 0).
func (a *Array) Data() unsafe.Pointer {
	return unsafe.Add(a.buf.Pointer(), a.offset)
}

// Raw returns the plain-data layout.
func (a *Array) Raw() Raw {
	return Raw{Data: a.Data(), Shape: a.shape, Strides: a.strides, DType: a.dtype}
}

// Bytes returns the elements as one byte slice when the Array is C- or
// F-contiguous (in memory order), and ok=false otherwise.
func (a *Array) Bytes() (b []byte, ok bool) {
	if !a.IsCContiguous() && !a.IsFContiguous() {
		return nil, false
	}
	n := a.NBytes()
	if n == 0 {
		return []byte{}, true
	}
	return unsafe.Slice((*byte)(a.Data()), n), true
}

// ElementOffset returns the byte offset from Data() of the element at idx,
// checking bounds (negative indices count from the end, as in numpy).
func (a *Array) ElementOffset(idx ...int) (int, error) {
	if len(idx) != len(a.shape) {
		return 0, fmt.Errorf("%w: %d indices for an array of %d dimensions", ErrIndex, len(idx), len(a.shape))
	}
	off := 0
	for k, i := range idx {
		n := a.shape[k]
		if i < 0 {
			i += n
		}
		if i < 0 || i >= n {
			return 0, fmt.Errorf("%w: index %d is out of bounds for axis %d with size %d", ErrIndex, idx[k], k, n)
		}
		off += i * a.strides[k]
	}
	return off, nil
}

// Release frees the Array's buffer. Use it only on an Array that owns its
// buffer and when no view of it is still in use.
func (a *Array) Release() { a.buf.Free() }

func (a *Array) String() string {
	return fmt.Sprintf("core.Array(shape=%v, strides=%v, dtype=%v, offset=%d)", a.shape, a.strides, a.dtype, a.offset)
}
