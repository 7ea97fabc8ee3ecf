package core

import (
	"math"
	"math/rand/v2"
	"testing"
)

func TestArgReduceRandomMatchesNaive(t *testing.T) {
	al := NewChecked(DefaultAllocator())
	defer al.AssertZero(t)
	rng := rand.New(rand.NewPCG(5, 6))
	for iter := 0; iter < 1500; iter++ {
		nd := 1 + rng.IntN(3)
		shape := make([]int, nd)
		for i := range shape {
			shape[i] = 1 + rng.IntN(5)
			if rng.IntN(6) == 0 {
				shape[i] = 1 + rng.IntN(2000)
			}
		}
		capSize(shape, 50000)
		var axes []int
		if rng.IntN(3) == 0 {
			for i := range shape {
				axes = append(axes, i)
			}
		} else {
			axes = []int{rng.IntN(nd)}
		}
		dt := []DType{Bool, Int8, Uint16, Int64, Float32, Float64}[rng.IntN(6)]
		withNaN := dt.Kind() == 'f' && rng.IntN(2) == 0
		owner, src := randomView(t, rng, al, shape, dt, func() float64 {
			if withNaN && rng.IntN(100) == 0 {
				return math.NaN()
			}
			return float64(rng.IntN(50))
		})
		for _, isMax := range []bool{false, true} {
			op := map[bool]string{false: "argmin", true: "argmax"}[isMax]
			want, kept := naiveReduce(op, src, axes)
			dst, _ := New(al, kept, Int64, COrder, false)
			if err := runAllThreads(t, dst, func(ex *Exec) error { return ArgReduce(ex, isMax, dst, src, axes) }); err != nil {
				t.Fatal(err)
			}
			i := 0
			forEach(dst, func(_ []int, off int) {
				if got := readF(dst, off); got != want[i] {
					t.Fatalf("iter %d: %s of %v %v over %v: out[%d] = %v, want %v", iter, op, dt, shape, axes, i, got, want[i])
				}
				i++
			})
			dst.Release()
		}
		owner.Release()
	}
}

// TestArgContigMatchesOneStream checks the two-stream argContig against the
// plain scan on short runs with ties, NaNs and sorted stretches.
func TestArgContigMatchesOneStream(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	for iter := 0; iter < 3000; iter++ {
		n := 1 + rng.IntN(3000)
		x := make([]float64, n)
		for i := range x {
			x[i] = float64(rng.IntN(20))
			if iter%3 == 0 {
				x[i] = float64(i % 97)
			}
		}
		for k := rng.IntN(3); k > 0 && iter%2 == 0; k-- {
			x[rng.IntN(n)] = math.NaN()
		}
		for _, isMax := range []bool{false, true} {
			v1, i1 := argContig1(isMax, x)
			v2, i2 := argContig(isMax, x)
			if i1 != i2 || !(v1 == v2 || math.IsNaN(v1) && math.IsNaN(v2)) {
				t.Fatalf("n=%d isMax=%v: argContig = (%v, %d), one stream (%v, %d)", n, isMax, v2, i2, v1, i1)
			}
		}
	}
}
