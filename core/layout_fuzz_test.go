package core_test

import (
	"errors"
	"math"
	"math/big"
	"testing"
	"unsafe"

	"github.com/goarray/goarray/core"
)

// decodeLayout turns fuzz bytes into a layout of up to 5 axes: each axis
// takes one byte for its length and one for its stride, the stride byte
// selecting small multiples of the item size (positive, negative, zero) or
// extreme values near the int limits, which a foreign exporter may claim.
func decodeLayout(data []byte, itemsize int) (shape, strides []int) {
	extremes := []int{math.MaxInt64, math.MinInt64, 1 << 62, -(1 << 62), 1 << 61, 1 << 59, -(1 << 59),
		math.MaxInt64 / 2, math.MaxInt32, -math.MaxInt32}
	for len(data) >= 2 && len(shape) < 5 {
		d, s := int(data[0]), int(int8(data[1]))
		data = data[2:]
		switch {
		case d >= 250:
			d = []int{1 << 31, 1 << 40, math.MaxInt32, 1 << 62, math.MaxInt64, 1 << 20}[d-250]
		default:
			d %= 9
		}
		switch {
		case s >= 118:
			s = extremes[s-118]
		default:
			s *= itemsize
		}
		shape = append(shape, d)
		strides = append(strides, s)
	}
	return shape, strides
}

// bigExtent is the exact byte range [lo, hi) a non-empty layout touches.
func bigExtent(shape, strides []int, itemsize int) (lo, hi *big.Int) {
	lo, hi = new(big.Int), big.NewInt(int64(itemsize))
	for i, d := range shape {
		s := new(big.Int).Mul(big.NewInt(int64(strides[i])), big.NewInt(int64(d-1)))
		if s.Sign() < 0 {
			lo.Add(lo, s)
		} else {
			hi.Add(hi, s)
		}
	}
	return lo, hi
}

func nonEmpty(shape []int) bool {
	for _, d := range shape {
		if d == 0 {
			return false
		}
	}
	return true
}

// FuzzExtentChecked: ExtentChecked is exact where it says ok, and says not
// ok exactly where the exact range does not fit an int.
func FuzzExtentChecked(f *testing.F) {
	f.Add([]byte{3, 1, 4, 2}, uint8(3))
	f.Add([]byte{2, 118, 2, 118}, uint8(3))
	f.Add([]byte{2, 120, 2, 120, 2, 120}, uint8(0)) // (2,2,2) with 2**62-byte strides
	f.Add([]byte{3, 121}, uint8(3))                 // (3,) with -2**62
	f.Fuzz(func(t *testing.T, data []byte, sizeSel uint8) {
		itemsize := []int{1, 2, 4, 8, 16}[int(sizeSel)%5]
		shape, strides := decodeLayout(data, itemsize)
		lo, hi, ok := core.ExtentChecked(shape, strides, itemsize)
		if !nonEmpty(shape) {
			if !ok || lo != 0 || hi != 0 {
				t.Fatalf("empty layout %v %v: %d %d %v", shape, strides, lo, hi, ok)
			}
			return
		}
		blo, bhi := bigExtent(shape, strides, itemsize)
		span := new(big.Int).Sub(bhi, blo)
		fits := blo.IsInt64() && bhi.IsInt64() && span.IsInt64()
		if ok != fits {
			t.Fatalf("shape %v strides %v: ok=%v but the exact range [%v, %v) fits=%v", shape, strides, ok, blo, bhi, fits)
		}
		if ok && (int64(lo) != blo.Int64() || int64(hi) != bhi.Int64()) {
			t.Fatalf("shape %v strides %v: [%d, %d), exact [%v, %v)", shape, strides, lo, hi, blo, bhi)
		}
	})
}

// FuzzFromBuffer: a layout FromBuffer accepts keeps every element inside
// the buffer (checked exactly, in big integers); a refusal is an ErrShape
// or ErrValue error, never a panic.
func FuzzFromBuffer(f *testing.F) {
	f.Add([]byte{3, 1, 4, 2}, uint8(3), uint16(96), int64(0))
	f.Add([]byte{2, 120, 2, 120, 2, 120}, uint8(0), uint16(8), int64(0))
	f.Add([]byte{3, 121}, uint8(3), uint16(64), int64(56))
	f.Add([]byte{5, 255, 2, 1}, uint8(2), uint16(40), int64(36))
	mem := make([]byte, 1<<16)
	f.Fuzz(func(t *testing.T, data []byte, sizeSel uint8, n uint16, offset int64) {
		itemsize := []int{1, 2, 4, 8, 16}[int(sizeSel)%5]
		d := []core.DType{core.Uint8, core.Int16, core.Float32, core.Float64, core.Complex128}[int(sizeSel)%5]
		shape, strides := decodeLayout(data, itemsize)
		buf := core.WrapMemory(unsafe.Pointer(&mem[0]), int(n), nil)
		a, err := core.FromBuffer(buf, int(offset), shape, strides, d, false)
		if err != nil {
			if !errors.Is(err, core.ErrShape) && !errors.Is(err, core.ErrValue) {
				t.Fatalf("FromBuffer(%v, %v, offset %d, len %d): %v wraps neither ErrShape nor ErrValue", shape, strides, offset, n, err)
			}
			return
		}
		if !nonEmpty(shape) {
			return
		}
		blo, bhi := bigExtent(shape, strides, itemsize)
		off := big.NewInt(offset)
		if blo.Add(blo, off).Sign() < 0 || bhi.Add(bhi, off).Cmp(big.NewInt(int64(n))) > 0 {
			t.Fatalf("FromBuffer accepted shape %v strides %v offset %d over %d bytes: elements reach [%v, %v)", shape, strides, offset, n, blo, bhi)
		}
		if a.Size() <= 4096 {
			forEachIndex(a.Shape(), func(idx []int) {
				o, err := a.ElementOffset(idx...)
				o += a.Offset()
				if err != nil || o < 0 || o+itemsize > int(n) {
					t.Fatalf("element %v at offset %d (%v) outside %d bytes", idx, o, err, n)
				}
			})
		}
	})
}
