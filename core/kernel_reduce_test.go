package core

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
	"unsafe"
)

// readF reads the element at byte offset off of a as a float64.
func readF(a *Array, off int) float64 {
	p := unsafe.Add(a.Data(), off)
	switch a.dtype {
	case Bool, Uint8:
		return float64(*(*uint8)(p))
	case Int8:
		return float64(*(*int8)(p))
	case Int16:
		return float64(*(*int16)(p))
	case Int32:
		return float64(*(*int32)(p))
	case Int64:
		return float64(*(*int64)(p))
	case Uint16:
		return float64(*(*uint16)(p))
	case Uint32:
		return float64(*(*uint32)(p))
	case Uint64:
		return float64(*(*uint64)(p))
	case Float32:
		return float64(*(*float32)(p))
	case Float64:
		return *(*float64)(p)
	}
	panic("readF: " + a.dtype.String())
}

func writeF(a *Array, off int, v float64) {
	p := unsafe.Add(a.Data(), off)
	switch a.dtype {
	case Bool:
		*(*uint8)(p) = uint8(min(math.Abs(v), 1))
	case Uint8:
		*(*uint8)(p) = uint8(v)
	case Int8:
		*(*int8)(p) = int8(v)
	case Int16:
		*(*int16)(p) = int16(v)
	case Int32:
		*(*int32)(p) = int32(v)
	case Int64:
		*(*int64)(p) = int64(v)
	case Uint16:
		*(*uint16)(p) = uint16(v)
	case Uint32:
		*(*uint32)(p) = uint32(v)
	case Uint64:
		*(*uint64)(p) = uint64(v)
	case Float32:
		*(*float32)(p) = float32(v)
	case Float64:
		*(*float64)(p) = v
	default:
		panic("writeF: " + a.dtype.String())
	}
}

// forEach calls fn(index, byte offset) for every element of a in C order.
func forEach(a *Array, fn func(idx []int, off int)) {
	if a.Size() == 0 {
		return
	}
	idx := make([]int, a.NDim())
	for {
		off := 0
		for i, v := range idx {
			off += v * a.strides[i]
		}
		fn(idx, off)
		k := len(idx) - 1
		for ; k >= 0; k-- {
			if idx[k]++; idx[k] < a.shape[k] {
				break
			}
			idx[k] = 0
		}
		if k < 0 {
			return
		}
	}
}

// randomView makes an array of the given dtype whose layout is random
// (transposed, reversed, stepped) and whose values come from val.
func randomView(t testing.TB, rng *rand.Rand, al Allocator, shape []int, dt DType, val func() float64) (*Array, *Array) {
	base := slices.Clone(shape)
	step := rng.IntN(len(shape) + 1) // axis stepped by 2 (none if == len)
	if step < len(shape) {
		base[step] *= 2
	}
	owner, err := New(al, base, dt, COrder, true)
	if err != nil {
		t.Fatal(err)
	}
	items := make([]IndexItem, len(shape))
	for i := range items {
		items[i] = IndexItem{Kind: IndexSlice}
		if i == step {
			items[i].Step, items[i].HasStep = 2, true
		}
		if rng.IntN(3) == 0 {
			items[i].Step, items[i].HasStep = -items[i].Step, true
			if items[i].Step == 0 {
				items[i].Step = -1
			}
		}
	}
	v, err := owner.Index(items)
	if err != nil {
		t.Fatal(err)
	}
	forEach(v, func(_ []int, off int) { writeF(v, off, val()) })
	return owner, v
}

// naiveReduce reduces src over axes element by element in C order.
func naiveReduce(op string, src *Array, axes []int) (vals []float64, shape []int) {
	red := make([]bool, src.NDim())
	for _, ax := range axes {
		red[ax] = true
	}
	for i, d := range src.shape {
		if !red[i] {
			shape = append(shape, d)
		}
	}
	nout := 1
	for _, d := range shape {
		nout *= d
	}
	vals = make([]float64, nout)
	seen := make([]int, nout)
	best := make([]float64, nout)
	for o := range vals {
		switch op {
		case "prod", "all":
			vals[o] = 1
		}
	}
	forEach(src, func(idx []int, off int) {
		o, pos := 0, 0
		for i, v := range idx {
			if red[i] {
				pos = pos*src.shape[i] + v
			} else {
				o = o*src.shape[i] + v
			}
		}
		x := readF(src, off)
		first := seen[o] == 0
		seen[o]++
		switch op {
		case "sum":
			vals[o] += x
		case "prod":
			vals[o] *= x
		case "min", "max":
			if first || math.IsNaN(x) && !math.IsNaN(vals[o]) ||
				!math.IsNaN(vals[o]) && (op == "min" && x < vals[o] || op == "max" && x > vals[o]) {
				vals[o] = x
			}
		case "argmin", "argmax":
			if first || math.IsNaN(x) && !math.IsNaN(best[o]) ||
				!math.IsNaN(best[o]) && (op == "argmin" && x < best[o] || op == "argmax" && x > best[o]) {
				best[o], vals[o] = x, float64(pos)
			}
		case "all":
			if x == 0 {
				vals[o] = 0
			}
		case "any":
			if x != 0 {
				vals[o] = 1
			}
		case "count_nonzero":
			if x != 0 {
				vals[o]++
			}
		}
	})
	return vals, shape
}

var reduceOpNames = map[ReduceOp]string{OpSum: "sum", OpProd: "prod", OpMin: "min", OpMax: "max",
	OpAll: "all", OpAny: "any", OpCountNonzero: "count_nonzero"}

// capSize shrinks the largest dimensions until the size is at most n.
func capSize(shape []int, n int) {
	for {
		size, big := 1, 0
		for i, d := range shape {
			size *= d
			if d > shape[big] {
				big = i
			}
		}
		if size <= n {
			return
		}
		shape[big] /= 2
	}
}

func randomAxes(rng *rand.Rand, nd int) []int {
	var axes []int
	for i := 0; i < nd; i++ {
		if rng.IntN(2) == 0 {
			axes = append(axes, i)
		}
	}
	if rng.IntN(4) == 0 {
		axes = nil
		for i := 0; i < nd; i++ {
			axes = append(axes, i)
		}
	}
	return axes
}

// runAllThreads runs f with 1, 2 and 3 goroutines and checks that the
// results (the bytes of dst) are identical.
func runAllThreads(t *testing.T, dst *Array, f func(ex *Exec) error) error {
	var first []byte
	for threads := 1; threads <= 3; threads++ {
		if err := f(&Exec{Threads: threads}); err != nil {
			return err
		}
		var got []byte
		forEach(dst, func(_ []int, off int) {
			got = append(got, unsafe.Slice((*byte)(unsafe.Add(dst.Data(), off)), dst.dtype.Size())...)
		})
		if threads == 1 {
			first = got
		} else if !slices.Equal(got, first) {
			t.Fatalf("threads=%d gives a different result from threads=1", threads)
		}
	}
	return nil
}

func TestReduceRandomMatchesNaive(t *testing.T) {
	al := NewChecked(DefaultAllocator())
	defer al.AssertZero(t)
	rng := rand.New(rand.NewPCG(3, 4))
	realDTypes := []DType{Bool, Int8, Int16, Int32, Int64, Uint8, Uint16, Uint32, Uint64, Float32, Float64}
	for iter := 0; iter < 3000; iter++ {
		nd := rng.IntN(5)
		shape := make([]int, nd)
		for i := range shape {
			shape[i] = rng.IntN(6)
			if rng.IntN(8) == 0 {
				shape[i] = 1 + rng.IntN(300)
			}
		}
		capSize(shape, 20000)
		axes := randomAxes(rng, nd)
		dt := realDTypes[rng.IntN(len(realDTypes))]
		op := ReduceOp(rng.IntN(7))
		withNaN := dt.Kind() == 'f' && rng.IntN(3) == 0
		owner, src := randomView(t, rng, al, shape, dt, func() float64 {
			if withNaN && rng.IntN(50) == 0 {
				return math.NaN()
			}
			if op == OpProd {
				return float64(rng.IntN(3)) // 0, 1, 2: products stay exact
			}
			return float64(rng.IntN(7))
		})
		want, kept := naiveReduce(reduceOpNames[op], src, axes)
		dt2 := dt
		switch op {
		case OpSum, OpProd:
			dt2 = map[byte]DType{'b': Int64, 'i': Int64, 'u': Uint64, 'f': Float64}[dt.Kind()]
			if op == OpProd && nd > 0 && src.Size() > 40 {
				dt2 = Float64 // int products could wrap; float64 holds 2^1023
			}
		case OpAll, OpAny:
			dt2 = Bool
		case OpCountNonzero:
			dt2 = Int64
		}
		dst, err := New(al, kept, dt2, COrder, false)
		if err != nil {
			t.Fatal(err)
		}
		name := fmt.Sprintf("iter %d: %v of %v %v over %v into %v", iter, op, dt, shape, axes, dt2)
		err = runAllThreads(t, dst, func(ex *Exec) error { return Reduce(ex, op, dst, src, axes) })
		nred := 1
		for _, ax := range axes {
			nred *= shape[ax]
		}
		if (op == OpMin || op == OpMax) && nred == 0 {
			if !errors.Is(err, ErrValue) {
				t.Fatalf("%s: err = %v, want ErrValue", name, err)
			}
		} else if err != nil {
			t.Fatalf("%s: %v", name, err)
		} else {
			i := 0
			forEach(dst, func(_ []int, off int) {
				got, w := readF(dst, off), want[i]
				if got != w && !(math.IsNaN(got) && math.IsNaN(w)) && !(op == OpProd && math.Abs(got-w) <= 1e-12*math.Abs(w)) {
					t.Fatalf("%s: out[%d] = %v, want %v", name, i, got, w)
				}
				i++
			})
		}
		dst.Release()
		owner.Release()
	}
}

// TestReduceLarge covers the chunked paths (inner mode with several chunks
// per output, column mode with position chunks) against a compensated
// reference, and their independence of the thread count.
func TestReduceLarge(t *testing.T) {
	al := NewChecked(DefaultAllocator())
	defer al.AssertZero(t)
	rng := rand.New(rand.NewPCG(7, 8))
	cases := []struct {
		shape, axes []int
	}{
		{[]int{300007}, []int{0}},
		{[]int{3, 100003}, []int{1}},
		{[]int{100003, 3}, []int{0}},
		{[]int{2000, 300}, []int{0}},
		{[]int{300, 2000}, []int{0}},
		{[]int{300, 2000}, []int{1}},
		{[]int{40, 50, 60}, []int{0, 2}},
		{[]int{40, 50, 60}, []int{0, 1}},
		{[]int{1500, 700}, []int{0, 1}},
	}
	for _, c := range cases {
		owner, src := randomView(t, rng, al, c.shape, Float64, func() float64 { return rng.NormFloat64() * 1e3 })
		_, kept := naiveReduce("sum", src, c.axes)
		for _, op := range []ReduceOp{OpSum, OpMin, OpMax} {
			dst, _ := New(al, kept, Float64, COrder, false)
			if err := runAllThreads(t, dst, func(ex *Exec) error { return Reduce(ex, op, dst, src, c.axes) }); err != nil {
				t.Fatal(err)
			}
			want := kahanReduce(reduceOpNames[op], src, c.axes)
			i := 0
			forEach(dst, func(_ []int, off int) {
				got := readF(dst, off)
				if math.Abs(got-want[i]) > 1e-9*want[len(want)-1]+1e-9 && op == OpSum || op != OpSum && got != want[i] {
					t.Fatalf("%v of %v (strides %v) over %v: out[%d] = %v, want %v", op, c.shape, src.strides, c.axes, i, got, want[i])
				}
				i++
			})
			dst.Release()
		}
		owner.Release()
	}
}

// kahanReduce is naiveReduce with compensated sums; the last element of
// the result is the largest magnitude of the sums' terms (for tolerances).
func kahanReduce(op string, src *Array, axes []int) []float64 {
	if op != "sum" {
		v, _ := naiveReduce(op, src, axes)
		return append(v, 0)
	}
	vals, kept := naiveReduce("count_nonzero", src, axes)
	n := len(vals)
	sum, comp := make([]float64, n), make([]float64, n)
	red := make([]bool, src.NDim())
	for _, ax := range axes {
		red[ax] = true
	}
	big := 0.0
	forEach(src, func(idx []int, off int) {
		o := 0
		for i, v := range idx {
			if !red[i] {
				o = o*src.shape[i] + v
			}
		}
		x := readF(src, off)
		big = max(big, math.Abs(x)*float64(src.Size()/max(1, n)))
		y := x - comp[o]
		s := sum[o] + y
		comp[o] = (s - sum[o]) - y
		sum[o] = s
	})
	_ = kept
	return append(sum, big)
}

func TestReduceFloat32OnesExact(t *testing.T) {
	if testing.Short() {
		t.Skip("allocates 128 MiB")
	}
	n := 1<<25 + 3 // beyond 2^24, where a naive float32 sum stops counting
	src, _ := New(DefaultAllocator(), []int{n}, Float32, COrder, false)
	defer src.Release()
	s, _ := Slice[float32](src)
	for i := range s {
		s[i] = 1
	}
	dst, _ := New(DefaultAllocator(), []int{}, Float32, COrder, false)
	defer dst.Release()
	if err := Reduce(nil, OpSum, dst, src, []int{0}); err != nil {
		t.Fatal(err)
	}
	if got := At[float32](dst); got != float32(n) {
		t.Errorf("sum of %d float32 ones = %v", n, got)
	}
}

func TestReduceNaNPositions(t *testing.T) {
	al := NewChecked(DefaultAllocator())
	defer al.AssertZero(t)
	n := 3*Grain + 17
	src := filled(t, al, []int{n}, func(i int) float64 { return float64((i * 7919) % 1000) })
	defer src.Release()
	s, _ := Slice[float64](src)
	dst, _ := New(al, []int{}, Float64, COrder, false)
	idx, _ := New(al, []int{}, Int64, COrder, false)
	defer dst.Release()
	defer idx.Release()
	for _, pos := range []int{0, 1, 7, 8, 100, Grain - 1, Grain, 2*Grain + 5, n - 1} {
		old := s[pos]
		s[pos] = math.NaN()
		s[min(n-1, pos+3)] = math.NaN() // a later NaN must not win
		for _, op := range []ReduceOp{OpMin, OpMax} {
			if err := Reduce(&Exec{Threads: 2}, op, dst, src, []int{0}); err != nil {
				t.Fatal(err)
			}
			if got := At[float64](dst); !math.IsNaN(got) {
				t.Errorf("%v with a NaN at %d = %v", op, pos, got)
			}
		}
		for _, isMax := range []bool{false, true} {
			if err := ArgReduce(&Exec{Threads: 2}, isMax, idx, src, []int{0}); err != nil {
				t.Fatal(err)
			}
			if got := At[int64](idx); got != int64(pos) {
				t.Errorf("argmin/max (max %v) with a NaN at %d = %d", isMax, pos, got)
			}
		}
		s[pos] = old
		s[min(n-1, pos+3)] = float64(((pos + 3) * 7919) % 1000)
	}
}

// TestMinMaxMonotonic exercises the branch-free fallback of minContig and
// maxContig (every block holds a new extreme) and NaN after the switch.
func TestMinMaxMonotonic(t *testing.T) {
	for _, n := range []int{1, 2, 9, 100, 5000, 40000} {
		up := make([]float64, n)
		down := make([]float64, n)
		for i := range up {
			up[i], down[i] = float64(i), float64(n-i)
		}
		if got := maxContig(up); got != float64(n-1) {
			t.Errorf("max of 0..%d = %v", n-1, got)
		}
		if got := minContig(down); got != 1 {
			t.Errorf("min of %d..1 = %v", n, got)
		}
		if n > 2 {
			up[n-2], down[n-2] = math.NaN(), math.NaN()
			if got := maxContig(up); !math.IsNaN(got) {
				t.Errorf("max with a NaN, n=%d: %v", n, got)
			}
			if got := minContig(down); !math.IsNaN(got) {
				t.Errorf("min with a NaN, n=%d: %v", n, got)
			}
		}
	}
	// +inf and -inf in one block sum to NaN: the NaN test must look closer.
	inf := make([]float64, 64)
	for i := range inf {
		inf[i] = float64(i % 5)
	}
	inf[9], inf[10], inf[41], inf[42] = math.Inf(1), math.Inf(-1), math.Inf(-1), math.Inf(1)
	if minContig(inf) != math.Inf(-1) || maxContig(inf) != math.Inf(1) {
		t.Errorf("min/max with infinities: %v %v", minContig(inf), maxContig(inf))
	}
	ints := []int8{5, -3, 7, 127, -128, 0, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4}
	if minContig(ints) != -128 || maxContig(ints) != 127 {
		t.Errorf("int8 min/max: %d %d", minContig(ints), maxContig(ints))
	}
}

func TestReduceComplex(t *testing.T) {
	al := NewChecked(DefaultAllocator())
	defer al.AssertZero(t)
	src, _ := New(al, []int{3, 50000}, Complex128, COrder, false)
	defer src.Release()
	s, _ := Slice[complex128](src)
	for i := range s {
		s[i] = complex(float64(i%7), float64(i%5)-2)
	}
	s[70000] = complex(7, -9) // the maximum of row 1 (largest real part, first of them)
	s[70001] = complex(7, -10)
	dst, _ := New(al, []int{3}, Complex128, COrder, false)
	defer dst.Release()
	if err := Reduce(nil, OpMax, dst, src, []int{1}); err != nil {
		t.Fatal(err)
	}
	if got := At[complex128](dst, 1); got != complex(7, -9) {
		t.Errorf("complex max = %v", got)
	}
	idx, _ := New(al, []int{3}, Int64, COrder, false)
	defer idx.Release()
	if err := ArgReduce(nil, true, idx, src, []int{1}); err != nil {
		t.Fatal(err)
	}
	if got := At[int64](idx, 1); got != 20000 {
		t.Errorf("complex argmax = %d", got)
	}
	s[3] = complex(1, math.NaN())
	ArgReduce(nil, false, idx, src, []int{1})
	Reduce(nil, OpMin, dst, src, []int{1})
	if got := At[int64](idx, 0); got != 3 {
		t.Errorf("complex argmin with a NaN = %d", got)
	}
	if got := At[complex128](dst, 0); !math.IsNaN(imag(got)) {
		t.Errorf("complex min with a NaN = %v", got)
	}
	if err := Reduce(nil, OpSum, dst, src, []int{1}); err != nil {
		t.Fatal(err)
	}
	if err := Reduce(nil, OpCountNonzero, idx, src, []int{1}); err != nil {
		t.Fatal(err)
	}
	if got := At[int64](idx, 2); got != 50000-50000/35-1 {
		t.Errorf("count_nonzero of complex row = %d", got)
	}
}

func TestReduceErrors(t *testing.T) {
	al := NewChecked(DefaultAllocator())
	defer al.AssertZero(t)
	src, _ := New(al, []int{2, 0}, Float64, COrder, true)
	defer src.Release()
	d1, _ := New(al, []int{2}, Float64, COrder, true)
	defer d1.Release()
	i1, _ := New(al, []int{2}, Int64, COrder, true)
	defer i1.Release()
	for _, c := range []struct {
		err  error
		want error
	}{
		{Reduce(nil, OpMin, d1, src, []int{1}), ErrValue},
		{ArgReduce(nil, false, i1, src, []int{1}), ErrValue},
		{Reduce(nil, OpMin, i1, src, []int{1}), ErrDType},
		{Reduce(nil, OpAll, d1, src, []int{1}), ErrDType},
		{Reduce(nil, OpSum, d1, src, []int{0}), ErrShape},
		{Reduce(nil, OpSum, d1, src, []int{2}), ErrAxis},
		{Reduce(nil, OpSum, d1, src, []int{1, 1}), ErrAxis},
		{Reduce(nil, ReduceOp(99), d1, src, []int{1}), ErrValue},
		{ArgReduce(nil, false, d1, src, []int{0}), ErrShape},
		{Var(nil, i1, src, []int{1}, 0, false), ErrDType},
	} {
		if !errors.Is(c.err, c.want) {
			t.Errorf("got %v, want %v", c.err, c.want)
		}
	}
	if err := Reduce(nil, OpSum, d1, src, []int{1}); err != nil || At[float64](d1, 1) != 0 {
		t.Errorf("empty sum: %v %v", err, At[float64](d1, 1))
	}
	if err := Reduce(nil, OpProd, d1, src, []int{1}); err != nil || At[float64](d1, 0) != 1 {
		t.Errorf("empty prod: %v %v", err, At[float64](d1, 0))
	}
	if err := Var(nil, d1, src, []int{1}, 0, false); err != nil || !math.IsNaN(At[float64](d1, 0)) {
		t.Errorf("empty var: %v %v", err, At[float64](d1, 0))
	}
	d1.SetReadOnly(true)
	if err := Reduce(nil, OpSum, d1, src, []int{1}); !errors.Is(err, ErrReadOnly) {
		t.Errorf("read-only output: %v", err)
	}
}

func TestReduceInterrupted(t *testing.T) {
	src := filled(t, DefaultAllocator(), []int{64 * Grain}, func(i int) float64 { return 1 })
	defer src.Release()
	dst, _ := New(DefaultAllocator(), []int{}, Float64, COrder, false)
	defer dst.Release()
	ex := &Exec{Threads: 1, Interrupted: func() bool { return true }, CheckEvery: 1}
	if err := Reduce(ex, OpSum, dst, src, []int{0}); !errors.Is(err, ErrInterrupted) {
		t.Errorf("err = %v, want ErrInterrupted", err)
	}
}
