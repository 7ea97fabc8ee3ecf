package core

import (
	"math/rand"
	"testing"
)

// BenchmarkUnaryRandom: one goroutine's exp, log, sqrt, negative and |complex|
// over random values (exp's in [-50, 50], the others' positive) at 1e5
// and 1e7 elements.
func BenchmarkUnaryRandom(b *testing.B) {
	cases := []struct {
		op   UnaryOp
		d    DType
		name string
	}{
		{OpExp, Float64, "exp/float64"}, {OpExp, Float32, "exp/float32"},
		{OpLog, Float64, "log/float64"}, {OpLog, Float32, "log/float32"},
		{OpSqrt, Float64, "sqrt/float64"}, {OpNegative, Float64, "negative/float64"},
		{OpAbsolute, Complex64, "absolute/complex64"}, {OpAbsolute, Complex128, "absolute/complex128"},
		{OpLog, Complex128, "log/complex128"}, {OpSqrt, Complex64, "sqrt/complex64"},
	}
	for _, c := range cases {
		for _, n := range []int{100_000, 10_000_000} {
			b.Run(c.name+"/"+map[int]string{100_000: "1e5", 10_000_000: "1e7"}[n], func(b *testing.B) {
				al := DefaultAllocator()
				src, err := New(al, []int{n}, c.d, COrder, false)
				if err != nil {
					b.Fatal(err)
				}
				defer src.Release()
				r := rand.New(rand.NewSource(1))
				parts := 1
				if c.d == Complex64 || c.d == Complex128 {
					parts = 2
				}
				for i := 0; i < n*parts; i++ {
					v := r.Float64() * 100
					if c.op == OpExp {
						v -= 50
					}
					if c.d == Float32 || c.d == Complex64 {
						*at[float32](src.Data(), 4*i) = float32(v)
					} else {
						*at[float64](src.Data(), 8*i) = v
					}
				}
				rd := c.d
				if c.op == OpAbsolute {
					rd = realDType(c.d)
				}
				dst, err := New(al, []int{n}, rd, COrder, false)
				if err != nil {
					b.Fatal(err)
				}
				defer dst.Release()
				ex := &Exec{Threads: 1}
				b.SetBytes(int64(n * c.d.Size()))
				b.ResetTimer()
				for i := 0; i < b.N; i++ {
					if err := Unary(ex, c.op, dst, src); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}
