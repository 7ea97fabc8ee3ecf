package core

import (
	"fmt"
	"math"
	"testing"
	"unsafe"
)

// The engine's inner mode reduces short runs two outputs at a time
// (run2) and one at a time otherwise; either way every output must be
// bit-identical to the flat kernel on its row, for every thread count.
func TestReduceRowsMatchFlatKernel(t *testing.T) {
	testRowsMatchFlat[float64](t, Float64)
	testRowsMatchFlat[float32](t, Float32)
}

func testRowsMatchFlat[T float32 | float64](t *testing.T, dt DType) {
	al := NewChecked(DefaultAllocator())
	defer al.AssertZero(t)
	type shape struct{ rows, n int }
	var shapes []shape
	for _, rows := range []int{1, 2, 5} {
		for _, n := range []int{1, 2, 7, 8, 9, 15, 16, 17, 63, 64, 127, 128, 129, 200, 255, 256, 257, 600} {
			shapes = append(shapes, shape{rows, n})
		}
	}
	shapes = append(shapes, shape{50001, 16}) // enough chunks for two goroutines
	for _, sh := range shapes {
		src, err := New(al, []int{sh.rows, sh.n}, dt, COrder, false)
		if err != nil {
			t.Fatal(err)
		}
		x, _ := Slice[T](src)
		for i := range x {
			// magnitudes that make the order of the additions show
			x[i] = T(math.Ldexp(float64((i*7919)%1009)-504.5, (i*31)%40-20))
		}
		for _, th := range []int{1, 2} {
			dst, err := New(al, []int{sh.rows}, dt, COrder, false)
			if err != nil {
				t.Fatal(err)
			}
			name := fmt.Sprintf("%v/%dx%d/threads=%d", dt, sh.rows, sh.n, th)
			if err := Reduce(&Exec{Threads: th, Alloc: al}, OpSum, dst, src, []int{1}); err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			got, _ := Slice[T](dst)
			for r := range sh.rows {
				want := sumContig[T](unsafe.Pointer(&x[r*sh.n]), sh.n)
				if math.Float64bits(float64(got[r])) != math.Float64bits(float64(want)) {
					t.Errorf("%s: row %d: %v, want %v", name, r, got[r], want)
					break
				}
			}
			dst.Release()
		}
		src.Release()
	}
}
