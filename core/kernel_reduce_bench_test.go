package core

import (
	"fmt"
	"testing"
)

func benchReduce(b *testing.B, op ReduceOp, shape, axes []int, threads int) {
	src := filled(b, DefaultAllocator(), shape, func(i int) float64 { return float64(i%1000) * 0.001 })
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
