package core

import (
	"math/rand"
	"testing"
)

// BenchmarkClip: float64 and float32 clip of random values in [-1, 1) to
// [-0.5, 0.5], with scalar bounds (0-d, broadcast) and with array bounds.
func BenchmarkClip(b *testing.B) {
	for _, d := range []DType{Float64, Float32} {
		for _, n := range []int{100_000, 10_000_000} {
			for _, scalar := range []bool{true, false} {
				name := d.String() + "/" + map[bool]string{true: "scalar", false: "array"}[scalar] + "/" + map[int]string{100_000: "1e5", 10_000_000: "1e7"}[n]
				b.Run(name, func(b *testing.B) {
					al := DefaultAllocator()
					mk := func(shape []int, v func(i int) float64) *Array {
						a, err := New(al, shape, d, 'C', false)
						if err != nil {
							b.Fatal(err)
						}
						for i := 0; i < a.Size(); i++ {
							if d == Float64 {
								*at[float64](a.Data(), 8*i) = v(i)
							} else {
								*at[float32](a.Data(), 4*i) = float32(v(i))
							}
						}
						return a
					}
					r := rand.New(rand.NewSource(1))
					x := mk([]int{n}, func(int) float64 { return 2*r.Float64() - 1 })
					var lo, hi *Array
					if scalar {
						lo, hi = mk(nil, func(int) float64 { return -0.5 }), mk(nil, func(int) float64 { return 0.5 })
					} else {
						lo, hi = mk([]int{n}, func(int) float64 { return -0.5 }), mk([]int{n}, func(int) float64 { return 0.5 })
					}
					dst := mk([]int{n}, func(int) float64 { return 0 })
					ex := &Exec{Threads: 1}
					b.SetBytes(int64(n) * int64(d.Size()))
					b.ResetTimer()
					for i := 0; i < b.N; i++ {
						if err := Clip(ex, dst, x, lo, hi); err != nil {
							b.Fatal(err)
						}
					}
				})
			}
		}
	}
}
