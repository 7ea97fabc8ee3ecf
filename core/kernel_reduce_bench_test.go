package core

import (
	"fmt"
	"testing"
)

// Reduction benchmarks: go test -run='^$' -bench=Reduce ./core
//
// On the 2-vCPU AMD EPYC VM (Go 1.26.8), quietest of several runs, float64:
// sum of 1e7 takes 3.9 ms with one goroutine and 2.3 ms with two (34 GB/s),
// 1e8 with two 24-25 ms; min and max within 5% of sum. A plain read of the
// same memory by two goroutines runs at about 35 GB/s: these kernels are
// memory-bound. sum over either axis of a 4000x4000 array: 4.3-4.5 ms.
// (The host is shared and noisy: single runs vary by up to 1.5x.)

func benchReduce(b *testing.B, op ReduceOp, shape, axes []int, threads int) {
	src := filled(b, DefaultAllocator(), shape, func(i int) float64 { return float64((i*7919)%10007) * 0.001 })
	defer src.Release()
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
	dst, _ := New(DefaultAllocator(), kept, Float64, COrder, false)
	defer dst.Release()
	b.SetBytes(int64(src.NBytes()))
	ex := &Exec{Threads: threads}
	for b.Loop() {
		if err := Reduce(ex, op, dst, src, axes); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkReduceFloat64(b *testing.B) {
	for _, op := range []ReduceOp{OpSum, OpMin, OpMax} {
		for _, n := range []int{1e7, 1e8} {
			for _, th := range []int{1, 2} {
				b.Run(fmt.Sprintf("%v/n=%.0e/threads=%d", op, float64(n), th), func(b *testing.B) {
					benchReduce(b, op, []int{n}, []int{0}, th)
				})
			}
		}
	}
}

func BenchmarkReduceAxis(b *testing.B) {
	for _, ax := range []int{0, 1} {
		for _, op := range []ReduceOp{OpSum, OpMax} {
			b.Run(fmt.Sprintf("%v/4000x4000/axis=%d", op, ax), func(b *testing.B) {
				benchReduce(b, op, []int{4000, 4000}, []int{ax}, 0)
			})
		}
	}
}

func BenchmarkArgmaxVar(b *testing.B) {
	src := filled(b, DefaultAllocator(), []int{10_000_000}, func(i int) float64 { return float64((i * 7919) % 10007) })
	defer src.Release()
	idx, _ := New(DefaultAllocator(), []int{}, Int64, COrder, false)
	defer idx.Release()
	v, _ := New(DefaultAllocator(), []int{}, Float64, COrder, false)
	defer v.Release()
	b.Run("argmax/n=1e7", func(b *testing.B) {
		b.SetBytes(int64(src.NBytes()))
		for b.Loop() {
			ArgReduce(nil, true, idx, src, []int{0})
		}
	})
	b.Run("var/n=1e7", func(b *testing.B) {
		b.SetBytes(int64(src.NBytes()))
		for b.Loop() {
			Var(nil, v, src, []int{0}, 0, false)
		}
	})
}

// Small reductions, where the engine's setup (its scratch included)
// matters: go test -run='^$' -bench=ReduceSmall -benchmem ./core
//
// On a 2-vCPU Intel Xeon VM (Go 1.26.8, GOEXPERIMENT=simd), medians of 5,
// float64 100x10 over axis 0 / axis 1: sum 0.50 / 0.63 us, min 0.79 /
// 1.4 us, argmax 1.8 / 1.5 us, var 2.0 / 2.3 us; two allocations each (the
// row iterators' storage and the reducer), five for var (its mean array,
// and two passes).
// The engine's fixed cost is about 0.16 us (sum of 2x2 over axis 1).
func BenchmarkReduceSmall(b *testing.B) {
	for _, ax := range []int{0, 1} {
		b.Run(fmt.Sprintf("sum/100x10/axis=%d", ax), func(b *testing.B) {
			benchReduce(b, OpSum, []int{100, 10}, []int{ax}, 0)
		})
	}
	for _, ax := range []int{0, 1} {
		b.Run(fmt.Sprintf("min/100x10/axis=%d", ax), func(b *testing.B) {
			benchReduce(b, OpMin, []int{100, 10}, []int{ax}, 0)
		})
		b.Run(fmt.Sprintf("argmax/100x10/axis=%d", ax), func(b *testing.B) {
			benchSmall(b, Int64, ax, func(dst, src *Array, axes []int) error { return ArgReduce(nil, true, dst, src, axes) })
		})
		b.Run(fmt.Sprintf("var/100x10/axis=%d", ax), func(b *testing.B) {
			benchSmall(b, Float64, ax, func(dst, src *Array, axes []int) error { return Var(nil, dst, src, axes, 0, false) })
		})
	}
	b.Run("sum/1000x1000/axis=0", func(b *testing.B) { benchReduce(b, OpSum, []int{1000, 1000}, []int{0}, 0) })
	b.Run("sum/4x100000/axis=1", func(b *testing.B) { benchReduce(b, OpSum, []int{4, 100000}, []int{1}, 0) })
}

// benchSmall times f reducing axis ax of a 100x10 float64 array into dst
// of dtype dt.
func benchSmall(b *testing.B, dt DType, ax int, f func(dst, src *Array, axes []int) error) {
	src := filled(b, DefaultAllocator(), []int{100, 10}, func(i int) float64 { return float64((i*7919)%10007) * 0.001 })
	defer src.Release()
	dst, _ := New(DefaultAllocator(), []int{[]int{10, 100}[ax]}, dt, COrder, false)
	defer dst.Release()
	axes := []int{ax}
	b.SetBytes(int64(src.NBytes()))
	for b.Loop() {
		if err := f(dst, src, axes); err != nil {
			b.Fatal(err)
		}
	}
}
