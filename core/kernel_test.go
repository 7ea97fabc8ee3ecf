package core

import (
	"math"
	"math/rand/v2"
	"testing"
)

func filled(t testing.TB, alloc Allocator, shape []int, f func(i int) float64) *Array {
	a, err := New(alloc, shape, Float64, COrder, false)
	if err != nil {
		t.Fatal(err)
	}
	s, _ := Slice[float64](a)
	for i := range s {
		s[i] = f(i)
	}
	return a
}

func TestReduceSumMatchesNaive(t *testing.T) {
	al := NewChecked(DefaultAllocator())
	defer al.AssertZero(t)
	shape := []int{7, 33, 129}
	src := filled(t, al, shape, func(i int) float64 { return float64(i%97) - 40 })
	defer src.Release()
	for _, axes := range [][]int{{0, 1, 2}, {0}, {1}, {2}, {0, 2}, {1, 2}} {
		var kept []int
		for i, d := range shape {
			red := false
			for _, ax := range axes {
				red = red || ax == i
			}
			if !red {
				kept = append(kept, d)
			}
		}
		for _, threads := range []int{1, 2, 3} {
			dst, err := New(al, kept, Float64, COrder, false)
			if err != nil {
				t.Fatal(err)
			}
			if err := Reduce(&Exec{Threads: threads}, OpSum, dst, src, axes); err != nil {
				t.Fatal(err)
			}
			// naive
			want := make([]float64, dst.Size())
			idx := make([]int, 3)
			for i := 0; i < src.Size(); i++ {
				r := i
				for k := 2; k >= 0; k-- {
					idx[k] = r % shape[k]
					r /= shape[k]
				}
				o := 0
				for k := 0; k < 3; k++ {
					red := false
					for _, ax := range axes {
						red = red || ax == k
					}
					if !red {
						o = o*shape[k] + idx[k]
					}
				}
				want[o] += At[float64](src, idx...)
			}
			got, _ := Slice[float64](dst)
			for i := range want {
				if got[i] != want[i] {
					t.Fatalf("axes %v threads %d: out[%d] = %v, want %v", axes, threads, i, got[i], want[i])
				}
			}
			dst.Release()
		}
	}
}

func TestReduceThreadIndependent(t *testing.T) {
	al := NewChecked(DefaultAllocator())
	defer al.AssertZero(t)
	rng := rand.New(rand.NewPCG(1, 2))
	src := filled(t, al, []int{1 << 20}, func(int) float64 { return rng.NormFloat64() * 1e6 })
	defer src.Release()
	var first float64
	for threads := 1; threads <= 4; threads++ {
		dst, _ := New(al, []int{}, Float64, COrder, false)
		if err := Reduce(&Exec{Threads: threads}, OpSum, dst, src, []int{0}); err != nil {
			t.Fatal(err)
		}
		v := At[float64](dst)
		if threads == 1 {
			first = v
		} else if math.Float64bits(v) != math.Float64bits(first) {
			t.Errorf("threads=%d: %v != %v", threads, v, first)
		}
		dst.Release()
	}
}

func TestReduceMinMaxNaN(t *testing.T) {
	al := NewChecked(DefaultAllocator())
	defer al.AssertZero(t)
	src := filled(t, al, []int{100000}, func(i int) float64 { return float64(i) })
	defer src.Release()
	s, _ := Slice[float64](src)
	for _, op := range []ReduceOp{OpMin, OpMax} {
		dst, _ := New(al, []int{}, Float64, COrder, false)
		if err := Reduce(nil, op, dst, src, []int{0}); err != nil {
			t.Fatal(err)
		}
		want := 0.0
		if op == OpMax {
			want = 99999
		}
		if got := At[float64](dst); got != want {
			t.Errorf("%v = %v, want %v", op, got, want)
		}
		s[5000] = math.NaN()
		Reduce(nil, op, dst, src, []int{0})
		if got := At[float64](dst); !math.IsNaN(got) {
			t.Errorf("%v with a NaN = %v", op, got)
		}
		s[5000] = 5000
		dst.Release()
	}
}

func TestBinaryBroadcast(t *testing.T) {
	al := NewChecked(DefaultAllocator())
	defer al.AssertZero(t)
	x := filled(t, al, []int{3, 1}, func(i int) float64 { return float64(i) })
	y := filled(t, al, []int{4}, func(i int) float64 { return float64(10 * i) })
	d, _ := New(al, []int{3, 4}, Float64, COrder, false)
	defer x.Release()
	defer y.Release()
	defer d.Release()
	if err := Binary(nil, OpAdd, d, x, y); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 3; i++ {
		for j := 0; j < 4; j++ {
			if got := At[float64](d, i, j); got != float64(i+10*j) {
				t.Fatalf("d[%d,%d] = %v", i, j, got)
			}
		}
	}
	// in place with an overlapping, reversed input: as if the input were read first
	rev, _ := d.Index([]IndexItem{{Kind: IndexSlice, Step: -1, HasStep: true}})
	if err := Binary(nil, OpSubtract, d, d, rev); err != nil {
		t.Fatal(err)
	}
	if got := At[float64](d, 0, 1); got != (0+10)-(2+10) {
		t.Fatalf("overlap: d[0,1] = %v", got)
	}
}

func BenchmarkSumFloat64(b *testing.B) {
	src := filled(b, DefaultAllocator(), []int{10_000_000}, func(i int) float64 { return 1 })
	defer src.Release()
	dst, _ := New(DefaultAllocator(), []int{}, Float64, COrder, false)
	defer dst.Release()
	b.SetBytes(int64(src.NBytes()))
	for b.Loop() {
		Reduce(nil, OpSum, dst, src, []int{0})
	}
}

func BenchmarkAddFloat64(b *testing.B) {
	x := filled(b, DefaultAllocator(), []int{10_000_000}, func(i int) float64 { return 1 })
	d, _ := New(DefaultAllocator(), []int{10_000_000}, Float64, COrder, false)
	defer x.Release()
	defer d.Release()
	b.SetBytes(int64(3 * x.NBytes()))
	for b.Loop() {
		Binary(nil, OpAdd, d, x, x)
	}
}
