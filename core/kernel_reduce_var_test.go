package core

import (
	"math"
	"math/rand/v2"
	"testing"
)

func TestVarMatchesTwoPass(t *testing.T) {
	al := NewChecked(DefaultAllocator())
	defer al.AssertZero(t)
	rng := rand.New(rand.NewPCG(9, 10))
	for _, c := range []struct{ shape, axes []int }{
		{[]int{1000}, []int{0}}, {[]int{70000}, []int{0}}, {[]int{30, 40}, []int{0}}, {[]int{30, 40}, []int{1}},
		{[]int{3000, 20}, []int{0}}, {[]int{5, 6, 7}, []int{0, 2}}, {[]int{0, 4}, []int{0}},
	} {
		for _, dt := range []DType{Float64, Float32, Int16} {
			owner, src := randomView(t, rng, al, c.shape, dt, func() float64 { return float64(rng.IntN(1000)) + 1e4 })
			_, kept := naiveReduce("sum", src, c.axes)
			acc := Float64
			if dt == Float32 {
				acc = Float32
			}
			for _, std := range []bool{false, true} {
				dst, _ := New(al, kept, acc, COrder, false)
				if err := runAllThreads(t, dst, func(ex *Exec) error { return Var(ex, dst, src, c.axes, 1, std) }); err != nil {
					t.Fatal(err)
				}
				want := naiveVar(src, c.axes, 1, std)
				i := 0
				forEach(dst, func(_ []int, off int) {
					got := readF(dst, off)
					tol := 1e-12
					if acc == Float32 {
						tol = 1e-5
					}
					if math.Abs(got-want[i]) > tol*math.Abs(want[i]) && !(math.IsNaN(got) && math.IsNaN(want[i])) {
						t.Fatalf("var(std=%v) of %v %v over %v: out[%d] = %v, want %v", std, dt, c.shape, c.axes, i, got, want[i])
					}
					i++
				})
				dst.Release()
			}
			owner.Release()
		}
	}
}

func naiveVar(src *Array, axes []int, ddof float64, std bool) []float64 {
	sums, _ := naiveReduce("sum", src, axes)
	n := 1
	for _, ax := range axes {
		n *= src.shape[ax]
	}
	red := make([]bool, src.NDim())
	for _, ax := range axes {
		red[ax] = true
	}
	ss := make([]float64, len(sums))
	forEach(src, func(idx []int, off int) {
		o := 0
		for i, v := range idx {
			if !red[i] {
				o = o*src.shape[i] + v
			}
		}
		d := readF(src, off) - sums[o]/float64(n)
		ss[o] += d * d
	})
	for i := range ss {
		ss[i] /= max(float64(n)-ddof, 0)
		if std {
			ss[i] = math.Sqrt(ss[i])
		}
	}
	return ss
}
