package core_test

import (
	"errors"
	"math"
	"slices"
	"testing"

	"github.com/goarray/goarray/core"
)

// FuzzSliceIndices: SliceIndices against CPython's slice.indices computed
// in arbitrary precision, for any bounds and step, including the int limits.
func FuzzSliceIndices(f *testing.F) {
	for _, r := range sliceTable {
		f.Add(int64(r.start.v), int64(r.stop.v), int64(r.step.v), r.start.ok, r.stop.ok, r.step.ok, uint32(r.n))
	}
	f.Add(int64(math.MinInt64), int64(math.MaxInt64), int64(math.MinInt64), true, true, true, uint32(math.MaxUint32))
	f.Fuzz(func(t *testing.T, start, stop, step int64, hasStart, hasStop, hasStep bool, n uint32) {
		it := core.IndexItem{Kind: core.IndexSlice, Start: int(start), Stop: int(stop), Step: int(step),
			HasStart: hasStart, HasStop: hasStop, HasStep: hasStep}
		first, st, count, err := core.SliceIndices(it, int(n))
		wf, ws, wc, werr := pySliceIndices(opt{int(start), hasStart}, opt{int(stop), hasStop}, opt{int(step), hasStep}, int(n))
		if (err == nil) != (werr == nil) {
			t.Fatalf("%+v over %d: error %v, reference %v", it, n, err, werr)
		}
		if err != nil {
			if !errors.Is(err, core.ErrValue) {
				t.Fatalf("%+v: %v does not wrap ErrValue", it, err)
			}
			return
		}
		if count != wc || (count > 0 && (first != wf || st != ws)) {
			t.Fatalf("%+v over %d: (%d, %d, %d), CPython (%d, %d, %d)", it, n, first, st, count, wf, ws, wc)
		}
		if count > 0 {
			last := first + (count-1)*st // no overflow: both ends are indices of the axis
			if first < 0 || first >= int(n) || last < 0 || last >= int(n) {
				t.Fatalf("%+v over %d: selects %d..%d", it, n, first, last)
			}
		}
	})
}

// decodeIndex turns fuzz bytes into a shape of up to 4 small axes and a
// basic index of up to 6 items; item bounds include the int limits.
func decodeIndex(data []byte) (shape []int, items []core.IndexItem) {
	if len(data) == 0 {
		return nil, nil
	}
	nd := int(data[0]) % 5
	data = data[1:]
	for k := 0; k < nd && len(data) > 0; k++ {
		shape = append(shape, int(data[0])%7)
		data = data[1:]
	}
	val := func(b byte) int {
		switch b {
		case 127:
			return math.MaxInt64
		case 128:
			return math.MinInt64
		case 126:
			return math.MaxInt64 - 1
		case 129:
			return math.MinInt64 + 1
		}
		return int(int8(b)) % 12
	}
	for len(data) >= 4 && len(items) < 6 {
		kind, a, b, c := data[0], data[1], data[2], data[3]
		data = data[4:]
		switch kind % 8 {
		case 0, 1:
			items = append(items, core.IndexItem{Kind: core.IndexInt, Int: val(a)})
		case 2:
			items = append(items, core.IndexItem{Kind: core.IndexNewAxis})
		case 3:
			items = append(items, core.IndexItem{Kind: core.IndexEllipsis})
		default:
			items = append(items, core.IndexItem{Kind: core.IndexSlice, Start: val(a), Stop: val(b), Step: val(c),
				HasStart: kind&8 != 0, HasStop: kind&16 != 0, HasStep: kind&32 != 0})
		}
	}
	return shape, items
}

// FuzzIndex: Array.Index against refIndex (the index applied by hand):
// the same refusals (more than one ellipsis aside, which refIndex does not
// model), the same shape, and every element the one the index selects.
func FuzzIndex(f *testing.F) {
	f.Add([]byte{2, 3, 4, 4, 1, 5, 2, 0, 1, 0, 0})
	f.Add([]byte{3, 2, 0, 5, 3, 0, 0, 0, 2, 0, 0, 0, 60, 127, 128, 255})
	f.Add([]byte{1, 6, 60, 128, 127, 128})
	f.Add([]byte{0, 2, 0, 0, 0, 3, 0, 0, 0})
	f.Fuzz(func(t *testing.T, data []byte) {
		shape, items := decodeIndex(data)
		ellipses := 0
		for _, it := range items {
			if it.Kind == core.IndexEllipsis {
				ellipses++
			}
		}
		a, err := core.New(core.DefaultAllocator(), shape, core.Int64, core.COrder, false)
		if err != nil {
			t.Fatal(err)
		}
		defer a.Release()
		if b, ok := core.Slice[int64](a); ok {
			for i := range b {
				b[i] = int64(i)
			}
		}
		v, err := a.Index(items)
		if ellipses > 1 {
			if err == nil || !errors.Is(err, core.ErrIndex) {
				t.Fatalf("shape %v index %+v (two ellipses): %v", shape, items, err)
			}
			return
		}
		want, back, ok := refIndex(shape, items)
		for _, it := range items {
			if it.Kind == core.IndexSlice && it.HasStep && it.Step == 0 {
				ok = false // Python's "slice step cannot be zero", which refIndex does not model
			}
		}
		if (err == nil) != ok {
			t.Fatalf("shape %v index %+v: error %v, reference ok=%v", shape, items, err, ok)
		}
		if err != nil {
			if !errors.Is(err, core.ErrIndex) && !errors.Is(err, core.ErrValue) {
				t.Fatalf("shape %v index %+v: %v wraps neither ErrIndex nor ErrValue", shape, items, err)
			}
			return
		}
		if !slices.Equal(v.Shape(), want) {
			t.Fatalf("shape %v index %+v: shape %v, reference %v", shape, items, v.Shape(), want)
		}
		forEachIndex(want, func(idx []int) {
			src := back(idx)
			flat := 0
			for k, i := range src {
				flat = flat*shape[k] + i
			}
			if got := core.At[int64](v, idx...); got != int64(flat) {
				t.Fatalf("shape %v index %+v: v[%v] = %d, want element %d", shape, items, idx, got, flat)
			}
		})
	})
}

// refBroadcast is numpy.broadcast_to's rule: the result shape, or false.
func refBroadcast(src, target []int) bool {
	if len(src) > len(target) {
		return false
	}
	for i := range src {
		s, d := src[len(src)-1-i], target[len(target)-1-i]
		if s != d && s != 1 {
			return false
		}
	}
	return true
}

// FuzzBroadcastTo: BroadcastTo against numpy's rule; an accepted view is
// read-only, has the target shape, and each element is the source element
// its index maps to (broadcast axes read index 0).
func FuzzBroadcastTo(f *testing.F) {
	f.Add([]byte{1, 3}, []byte{2, 4, 3})
	f.Add([]byte{2, 1, 3}, []byte{3, 2, 5, 3})
	f.Add([]byte{1, 0}, []byte{2, 3, 0})
	f.Add([]byte{1, 2}, []byte{1, 3})
	f.Add([]byte{0}, []byte{2, 250, 251})
	f.Fuzz(func(t *testing.T, srcData, tgtData []byte) {
		dims := func(data []byte) []int {
			if len(data) == 0 {
				return nil
			}
			nd := int(data[0]) % 6
			var out []int
			for _, b := range data[1:] {
				if len(out) == nd {
					break
				}
				switch {
				case b >= 250:
					out = append(out, []int{1 << 31, 1 << 40, 1 << 62, math.MaxInt64, -1, -1}[b-250])
				default:
					out = append(out, int(b)%5)
				}
			}
			return out
		}
		src, target := dims(srcData), dims(tgtData)
		for _, d := range src {
			if d < 0 || d > 4 {
				return // source arrays are small and real
			}
		}
		a, err := core.New(core.DefaultAllocator(), src, core.Int32, core.COrder, false)
		if err != nil {
			t.Fatal(err)
		}
		defer a.Release()
		if b, ok := core.Slice[int32](a); ok {
			for i := range b {
				b[i] = int32(i)
			}
		}
		v, err := a.BroadcastTo(target)
		_, sizeErr := core.NumElements(target, 4)
		ok := sizeErr == nil && refBroadcast(src, target)
		if (err == nil) != ok {
			t.Fatalf("broadcast %v to %v: error %v, numpy's rule says ok=%v", src, target, err, ok)
		}
		if err != nil {
			if !errors.Is(err, core.ErrShape) {
				t.Fatalf("broadcast %v to %v: %v does not wrap ErrShape", src, target, err)
			}
			return
		}
		if !slices.Equal(v.Shape(), target) || !v.ReadOnly() {
			t.Fatalf("broadcast %v to %v: shape %v read-only %v", src, target, v.Shape(), v.ReadOnly())
		}
		if v.Size() > 1<<14 {
			return
		}
		off := len(target) - len(src)
		forEachIndex(target, func(idx []int) {
			flat := 0
			for k, d := range src {
				i := idx[off+k]
				if d == 1 {
					i = 0
				}
				flat = flat*d + i
			}
			if got := core.At[int32](v, idx...); got != int32(flat) {
				t.Fatalf("broadcast %v to %v: v[%v] = %d, want %d", src, target, idx, got, flat)
			}
		})
	})
}
