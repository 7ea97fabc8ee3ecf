package pybuf

import (
	"errors"
	"math"
	"math/big"
	"syscall"
	"testing"
	"unsafe"

	"github.com/goarray/goarray/core"
)

// FuzzForeignArray: any Py_buffer description an exporter (or a DLPack
// producer, through the same checks) may hand over. Foreign.Array either
// refuses with one of the package's or core's errors, never a panic, or
// gives an Array whose elements all lie, exactly, where the exporter's
// layout puts them: the same address for element 0 and the same
// (non-overflowing) byte range.
func FuzzForeignArray(f *testing.F) {
	f.Add("d", 8, []byte{3, 1, 4, 2}, uint8(0), false)
	f.Add("<i", 4, []byte{2, 120, 2, 120, 2, 120}, uint8(4), false)
	f.Add("B", 1, []byte{3, 121}, uint8(1), true)
	f.Add("Zd", 16, []byte{2, 119, 3, 0}, uint8(8), false)
	f.Add("T{d}", 8, []byte{1, 1}, uint8(0), false)
	f.Add("d", 4, []byte{1, 1}, uint8(0), false)
	f.Add("", 1, []byte{}, uint8(0), true)
	f.Add("h", 2, []byte{3, 0, 3, 124, 3, 0, 3, 0}, uint8(0), false) // -2**59 * 2 bytes: below address 0
	// Foreign memory is never Go memory: a layout's lowest address may lie
	// below the buffer, and a Go pointer below a Go object is a bad pointer
	// to the garbage collector. So the buffer is an anonymous mapping.
	mem, err := syscall.Mmap(-1, 0, 1<<16, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_ANON|syscall.MAP_PRIVATE)
	if err != nil {
		f.Fatal(err)
	}
	mem = mem[1<<15:] // room below the buffer for layouts with negative strides
	f.Fuzz(func(t *testing.T, format string, itemsize int, layout []byte, shift uint8, noStrides bool) {
		var shape, strides []int
		extremes := []int{math.MaxInt64, math.MinInt64, 1 << 62, -(1 << 62), 1 << 61, 1 << 59, -(1 << 59),
			math.MaxInt64 / 2, math.MaxInt32, -math.MaxInt32}
		for len(layout) >= 2 && len(shape) < 5 {
			d, s := int(layout[0]), int(int8(layout[1]))
			layout = layout[2:]
			if d >= 250 {
				d = []int{1 << 31, 1 << 40, -1, 1 << 62, math.MaxInt64, 1 << 20}[d-250]
			} else {
				d %= 9
			}
			if s >= 118 {
				s = extremes[s-118]
			} else {
				s *= max(itemsize, 1)
			}
			shape, strides = append(shape, d), append(strides, s)
		}
		if noStrides {
			strides = nil
		}
		ptr := unsafe.Pointer(&mem[int(shift)%64])
		fb := Foreign{Ptr: ptr, Len: 256 - int(shift)%64, Itemsize: itemsize, Format: format,
			Shape: shape, Strides: strides}
		var a *core.Array
		var err error
		func() {
			defer func() {
				if r := recover(); r != nil {
					t.Fatalf("Foreign%+v.Array() panicked: %v", fb, r)
				}
			}()
			a, err = fb.Array()
		}()
		if err != nil {
			for _, e := range []error{ErrFormat, ErrMisaligned, core.ErrShape, core.ErrValue} {
				if errors.Is(err, e) {
					return
				}
			}
			t.Fatalf("Foreign%+v.Array(): %v wraps none of the expected errors", fb, err)
		}
		if a.Size() == 0 {
			return
		}
		if a.Data() != ptr {
			t.Fatalf("Foreign%+v.Array(): element 0 at %p, not %p", fb, a.Data(), ptr)
		}
		if shape == nil { // PyBUF_SIMPLE's answer: Len bytes in one run
			shape = []int{fb.Len / max(itemsize, 1)}
		}
		st := strides
		if st == nil {
			st = core.StandardStrides(shape, itemsize, core.COrder)
		}
		lo, hi := new(big.Int), big.NewInt(int64(itemsize))
		for i, d := range shape {
			s := new(big.Int).Mul(big.NewInt(int64(st[i])), big.NewInt(int64(d-1)))
			if s.Sign() < 0 {
				lo.Add(lo, s)
			} else {
				hi.Add(hi, s)
			}
		}
		if !lo.IsInt64() || !hi.IsInt64() || !new(big.Int).Sub(hi, lo).IsInt64() {
			t.Fatalf("Foreign%+v.Array() accepted a layout whose byte range [%v, %v) overflows", fb, lo, hi)
		}
		addr := new(big.Int).SetUint64(uint64(uintptr(ptr)))
		top := new(big.Int).Lsh(big.NewInt(1), 64)
		if new(big.Int).Add(addr, lo).Sign() < 0 || new(big.Int).Add(addr, hi).Cmp(top) > 0 {
			t.Fatalf("Foreign%+v.Array() accepted memory [%#x%+v, %#x+%v) outside the address space", fb, addr, lo, addr, hi)
		}
		glo, ghi := core.Extent(a.Shape(), a.Strides(), a.DType().Size())
		if int64(glo) != lo.Int64() || int64(ghi) != hi.Int64() {
			t.Fatalf("Foreign%+v.Array(): range [%d, %d), the exporter's [%v, %v)", fb, glo, ghi, lo, hi)
		}
	})
}
