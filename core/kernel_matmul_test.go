package core

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
	"unsafe"
)

// matmulLayouts are the ways a test operand of a given shape is laid out:
// each makes a fresh owner from al and returns the view to use and the
// owner to release.
var matmulLayouts = []string{"C", "F", "T", "step", "neg", "bcast"}

func matmulOperand(t testing.TB, al Allocator, shape []int, d DType, layout string, rng *rand.Rand) (v, owner *Array) {
	t.Helper()
	var err error
	switch layout {
	case "C", "F":
		order := COrder
		if layout == "F" {
			order = FOrder
		}
		owner, err = New(al, shape, d, order, false)
		v = owner
	case "T": // the transpose of a C-contiguous array
		rev := append([]int(nil), shape...)
		for i, j := 0, len(rev)-1; i < j; i, j = i+1, j-1 {
			rev[i], rev[j] = rev[j], rev[i]
		}
		owner, err = New(al, rev, d, COrder, false)
		if err == nil {
			v, err = owner.Transpose(nil)
		}
	case "step", "neg": // every other element, or all of them backwards
		big := make([]int, len(shape))
		items := make([]IndexItem, len(shape))
		for i, n := range shape {
			if layout == "step" {
				big[i] = 2*n + 1
				items[i] = IndexItem{Kind: IndexSlice, Start: 1, HasStart: true, Stop: 2*n + 1, HasStop: true, Step: 2, HasStep: true}
			} else {
				big[i] = n
				items[i] = IndexItem{Kind: IndexSlice, Step: -1, HasStep: true}
			}
		}
		owner, err = New(al, big, d, COrder, false)
		if err == nil {
			v, err = owner.Index(items)
		}
	case "bcast": // the last axis repeated along the others (zero strides)
		owner, err = New(al, shape[len(shape)-1:], d, COrder, false)
		if err == nil {
			v, err = owner.BroadcastTo(shape)
		}
	default:
		t.Fatalf("unknown layout %q", layout)
	}
	if err != nil {
		t.Fatal(err)
	}
	fillRandom(owner, rng)
	return v, owner
}

// fillRandom writes values in [-1, 1) to every byte of a's buffer.
func fillRandom(a *Array, rng *rand.Rand) {
	n := a.buf.Len() / a.dtype.Size()
	switch a.dtype {
	case Float64:
		s := unsafe.Slice((*float64)(a.buf.Pointer()), n)
		for i := range s {
			s[i] = 2*rng.Float64() - 1
		}
	case Float32:
		s := unsafe.Slice((*float32)(a.buf.Pointer()), n)
		for i := range s {
			s[i] = 2*rng.Float32() - 1
		}
	}
}

// elem reads an element of a float32 or float64 array as float64.
func elem(a *Array, idx ...int) float64 {
	if a.dtype == Float32 {
		return float64(At[float32](a, idx...))
	}
	return At[float64](a, idx...)
}

// naiveMatmul is the triple loop, in float64, with the bound on the
// rounding error of a sum of k products taken in any order: k*eps*sum|ab|.
func naiveMatmul(a, b *Array) (want, bound [][]float64) {
	m, k, n := 1, a.shape[a.NDim()-1], 1
	if a.NDim() == 2 {
		m = a.shape[0]
	}
	if b.NDim() == 2 {
		n = b.shape[1]
	}
	// get reads x[i, j] (x[j] of a 1-D a, x[i] of a 1-D b) from the
	// strides directly: At would make the reference slow under -race.
	get := func(x *Array, i, j int, left bool) float64 {
		off := 0
		switch {
		case x.NDim() == 2:
			off = i*x.strides[0] + j*x.strides[1]
		case left:
			off = j * x.strides[0]
		default:
			off = i * x.strides[0]
		}
		if x.dtype == Float32 {
			return float64(*(*float32)(unsafe.Add(x.Data(), off)))
		}
		return *(*float64)(unsafe.Add(x.Data(), off))
	}
	eps := math.Pow(2, -52)
	if a.dtype == Float32 {
		eps = math.Pow(2, -23)
	}
	want, bound = make([][]float64, m), make([][]float64, m)
	for i := range m {
		want[i], bound[i] = make([]float64, n), make([]float64, n)
		for j := range n {
			var s, abs float64
			for p := range k {
				x, y := get(a, i, p, true), get(b, p, j, false)
				s += x * y
				abs += math.Abs(x * y)
			}
			want[i][j] = s
			bound[i][j] = float64(k+2)*eps*abs + 1e-300
		}
	}
	return want, bound
}

// checkProduct compares dst with the naive product of a and b.
func checkProduct(t *testing.T, name string, dst, a, b *Array) {
	t.Helper()
	want, bound := naiveMatmul(a, b)
	checkAgainst(t, name, dst, want, bound)
}

func checkAgainst(t *testing.T, name string, dst *Array, want, bound [][]float64) {
	t.Helper()
	for i := range want {
		for j := range want[i] {
			var got float64
			switch dst.NDim() {
			case 0:
				got = elem(dst)
			case 1:
				got = elem(dst, i+j) // one of i, j is 0
			default:
				got = elem(dst, i, j)
			}
			if d := math.Abs(got - want[i][j]); !(d <= bound[i][j]) {
				t.Fatalf("%s: out[%d,%d] = %v, want %v (|diff| %g > %g)", name, i, j, got, want[i][j], d, bound[i][j])
			}
		}
	}
}

func productShape(a, b []int) []int {
	var s []int
	if len(a) == 2 {
		s = append(s, a[0])
	}
	if len(b) == 2 {
		s = append(s, b[1])
	}
	return s
}

func TestMatmulMatchesNaive(t *testing.T) {
	al := NewChecked(DefaultAllocator())
	defer al.AssertZero(t)
	rng := rand.New(rand.NewPCG(1, 2))
	// (m, k, n): 1x1, empty, odd sizes, sizes around the tile and block
	// edges (mr, nr, kcBlock, mcBlock, gemvRows), a column count past
	// ncBlock and a dot product of several chunks.
	dims := [][3]int{
		{1, 1, 1}, {0, 3, 4}, {3, 0, 4}, {3, 4, 0}, {0, 0, 0}, {1, 0, 1}, {1, 7, 1}, {2, 3, 2}, {5, 7, 3},
		{7, 5, 11}, {13, 1, 17}, {2*mr + 1, 2*kcBlock + 3, 3*nr + 2}, {mcBlock + 5, 37, 2*nr + 1},
		{33, 65, 31}, {3, 5, ncBlock + 2*nr + 1}, {2*mcBlock + 3, kcBlock + 5, 4*nr + 1},
		{1, 9, 13}, {13, 9, 1}, {gemvRows + 44, 40, 1}, {1, 40, gemvRows + 44}, {1, 2*Grain + 5, 1},
	}
	for _, d := range []DType{Float64, Float32} {
		for di, mkn := range dims {
			m, k, n := mkn[0], mkn[1], mkn[2]
			ranks := [][2]int{{2, 2}}
			if m == 1 {
				ranks = append(ranks, [2]int{1, 2})
			}
			if n == 1 {
				ranks = append(ranks, [2]int{2, 1})
			}
			if m == 1 && n == 1 {
				ranks = append(ranks, [2]int{1, 1})
			}
			for _, rk := range ranks {
				ashape, bshape := []int{m, k}, []int{k, n}
				if rk[0] == 1 {
					ashape = []int{k}
				}
				if rk[1] == 1 {
					bshape = []int{k}
				}
				for li, la := range matmulLayouts {
					// Every layout of a against C b and against the same
					// layout of b, and one mixed pair, at a thread count
					// that cycles through 1, 2 and 3 and into an output
					// that is C-contiguous, transposed or reversed.
					for lbi, lb := range []string{"C", la, matmulLayouts[(li+di+1)%len(matmulLayouts)]} {
						threads := 1 + (li+di)%3
						name := fmt.Sprintf("%v %v@%v %s@%s threads=%d", d, ashape, bshape, la, lb, threads)
						a, ao := matmulOperand(t, al, ashape, d, la, rng)
						b, bo := matmulOperand(t, al, bshape, d, lb, rng)
						want, bound := naiveMatmul(a, b)
						lc := []string{"C", "T", "neg"}[(li+lbi)%3]
						c, co := matmulOperand(t, al, productShape(ashape, bshape), d, lc, rng)
						if err := Matmul(&Exec{Threads: threads}, c, a, b); err != nil {
							t.Fatalf("%s: %v", name, err)
						}
						checkAgainst(t, name+" out "+lc, c, want, bound)
						co.Release()
						ao.Release()
						bo.Release()
					}
				}
			}
		}
	}
}

// TestMatmulThreadIndependent: the same bits for every thread count.
func TestMatmulThreadIndependent(t *testing.T) {
	al := NewChecked(DefaultAllocator())
	defer al.AssertZero(t)
	rng := rand.New(rand.NewPCG(3, 4))
	for _, d := range []DType{Float64, Float32} {
		for _, sh := range [][2][]int{
			{{151, 301}, {301, 173}}, {{2, 5000}, {5000, 7}}, {{3, 300}, {300, 3000}},
			{{150, 300}, {300}}, {{300}, {300, 150}}, {{100000}, {100000}},
		} {
			a, ao := matmulOperand(t, al, sh[0], d, "C", rng)
			b, bo := matmulOperand(t, al, sh[1], d, "T", rng)
			var ref []byte
			for _, threads := range []int{1, 2, 3, 7} {
				c, err := New(al, productShape(sh[0], sh[1]), d, COrder, false)
				if err != nil {
					t.Fatal(err)
				}
				if err := Matmul(&Exec{Threads: threads}, c, a, b); err != nil {
					t.Fatal(err)
				}
				got, _ := c.Bytes()
				if ref == nil {
					ref = append([]byte{}, got...)
					checkProduct(t, fmt.Sprintf("%v %v@%v", d, sh[0], sh[1]), c, a, b)
				} else if string(got) != string(ref) {
					t.Fatalf("%v %v@%v: threads=%d differs from threads=1", d, sh[0], sh[1], threads)
				}
				c.Release()
			}
			ao.Release()
			bo.Release()
		}
	}
}

// TestMatmulOverlap: an output that is also an input, through the same
// Array or through another Buffer over the same memory, gets the product
// of the inputs as they were.
func TestMatmulOverlap(t *testing.T) {
	al := NewChecked(DefaultAllocator())
	defer al.AssertZero(t)
	for _, n := range []int{1, 4, 37} {
		for _, target := range []string{"a", "b", "alias a", "alias b"} {
			rng := rand.New(rand.NewPCG(5, uint64(n)))
			x, _ := matmulOperand(t, al, []int{n, n}, Float64, "C", rng)
			y, _ := matmulOperand(t, al, []int{n, n}, Float64, "T", rng)
			want, _ := New(al, []int{n, n}, Float64, COrder, false)
			if err := Matmul(nil, want, x, y); err != nil {
				t.Fatal(err)
			}
			out := map[string]*Array{"a": x, "b": y}[target]
			if out == nil {
				src := map[string]*Array{"alias a": x, "alias b": y}[target]
				var err error
				out, err = FromBuffer(WrapMemory(src.buf.Pointer(), src.buf.Len(), nil), src.offset, src.shape, src.strides, Float64, false)
				if err != nil {
					t.Fatal(err)
				}
			}
			if err := Matmul(&Exec{Threads: 2}, out, x, y); err != nil {
				t.Fatal(err)
			}
			for i := range n {
				for j := range n {
					if g, w := At[float64](out, i, j), At[float64](want, i, j); g != w {
						t.Fatalf("n=%d out=%s: [%d,%d] = %v, want %v", n, target, i, j, g, w)
					}
				}
			}
			x.Release()
			y.Release()
			want.Release()
		}
	}
}

func TestMatmulErrors(t *testing.T) {
	al := NewChecked(DefaultAllocator())
	defer al.AssertZero(t)
	mk := func(d DType, shape ...int) *Array {
		a, err := New(al, shape, d, COrder, true)
		if err != nil {
			t.Fatal(err)
		}
		return a
	}
	f64, f32, i64 := Float64, Float32, Int64
	cases := []struct {
		name    string
		c, a, b *Array
		want    error
		msg     string
	}{
		{"mixed dtypes", mk(f64, 2, 2), mk(f32, 2, 3), mk(f64, 3, 2), ErrDType, "float32 @ float64"},
		{"mixed int dtypes", mk(i64, 2, 2), mk(i64, 2, 3), mk(f64, 3, 2), ErrDType, "int64 @ float64"},
		{"bool dtype", mk(Bool, 2, 2), mk(Bool, 2, 3), mk(Bool, 3, 2), ErrDType, "bool"},
		{"complex dtype", mk(Complex128, 2, 2), mk(Complex128, 2, 3), mk(Complex128, 3, 2), ErrDType, "complex128"},
		{"inner mismatch", mk(f64, 2, 2), mk(f64, 2, 3), mk(f64, 4, 2), ErrShape, "shapes (2, 3) and (4, 2) not aligned: 3 (dim 1) != 4 (dim 0)"},
		{"vector mismatch", mk(f64), mk(f64, 3), mk(f64, 4), ErrShape, "3 (dim 0) != 4 (dim 0)"},
		{"3-D", mk(f64, 2, 2), mk(f64, 1, 2, 3), mk(f64, 3, 2), ErrShape, "1-D and 2-D"},
		{"0-D", mk(f64), mk(f64), mk(f64), ErrShape, "1-D and 2-D"},
		{"output shape", mk(f64, 2, 3), mk(f64, 2, 3), mk(f64, 3, 2), ErrShape, "has shape (2, 2), not the output's (2, 3)"},
		{"output rank", mk(f64, 2, 1), mk(f64, 2, 3), mk(f64, 3), ErrShape, "has shape (2,)"},
	}
	ro := mk(f64, 2, 2)
	ro.SetReadOnly(true)
	cases = append(cases, struct {
		name    string
		c, a, b *Array
		want    error
		msg     string
	}{"read-only", ro, mk(f64, 2, 3), mk(f64, 3, 2), ErrReadOnly, "read-only"})
	for _, tc := range cases {
		err := Matmul(nil, tc.c, tc.a, tc.b)
		if !errors.Is(err, tc.want) || !strings.Contains(err.Error(), tc.msg) {
			t.Errorf("%s: got %v, want %v containing %q", tc.name, err, tc.want, tc.msg)
		}
		for _, x := range []*Array{tc.c, tc.a, tc.b} {
			x.Release()
		}
	}
}

func TestMatmulInterrupted(t *testing.T) {
	al := NewChecked(DefaultAllocator())
	defer al.AssertZero(t)
	rng := rand.New(rand.NewPCG(7, 8))
	for _, sh := range [][2][]int{{{600, 64}, {64, 64}}, {{64, 200000}, {200000}}, {{300000}, {300000}}} {
		a, ao := matmulOperand(t, al, sh[0], Float64, "C", rng)
		b, bo := matmulOperand(t, al, sh[1], Float64, "C", rng)
		c, _ := New(al, productShape(sh[0], sh[1]), Float64, COrder, false)
		calls := 0
		ex := &Exec{Threads: 1, CheckEvery: 1, Interrupted: func() bool { calls++; return true }}
		if err := Matmul(ex, c, a, b); !errors.Is(err, ErrInterrupted) || calls != 1 {
			t.Errorf("%v@%v: got %v after %d polls, want ErrInterrupted after 1", sh[0], sh[1], err, calls)
		}
		ao.Release()
		bo.Release()
		c.Release()
	}
}

// a @ b for a 2x3 and a 3x2 matrix, with b a transposed view.
func ExampleMatmul() {
	al := DefaultAllocator()
	a, _ := New(al, []int{2, 3}, Float64, COrder, false)
	defer a.Release()
	bt, _ := New(al, []int{2, 3}, Float64, COrder, false)
	defer bt.Release()
	as, _ := Slice[float64](a)
	bs, _ := Slice[float64](bt)
	copy(as, []float64{1, 2, 3, 4, 5, 6})
	copy(bs, []float64{1, 0, 1, 0, 1, 0})
	b, _ := bt.Transpose(nil) // (3, 2), not contiguous
	c, _ := New(al, []int{2, 2}, Float64, COrder, false)
	defer c.Release()
	if err := Matmul(&Exec{Threads: 2}, c, a, b); err != nil {
		panic(err)
	}
	cs, _ := Slice[float64](c)
	fmt.Println(cs)
	// Output:
	// [4 2 10 5]
}

// ---- benchmarks ----------------------------------------------------------

func benchMatmul(b *testing.B, d DType, m, k, n int, la, lb string, threads int) {
	al := DefaultAllocator()
	rng := rand.New(rand.NewPCG(9, 10))
	x, xo := matmulOperand(b, al, []int{m, k}, d, la, rng)
	y, yo := matmulOperand(b, al, []int{k, n}, d, lb, rng)
	c, _ := New(al, productShape(x.shape, y.shape), d, COrder, false)
	defer func() { xo.Release(); yo.Release(); c.Release() }()
	ex := &Exec{Threads: threads}
	b.ResetTimer()
	for range b.N {
		if err := Matmul(ex, c, x, y); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(2*float64(m)*float64(k)*float64(n)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
}

func BenchmarkMatmul(b *testing.B) {
	for _, d := range []DType{Float64, Float32} {
		for _, size := range []int{8, 64, 96, 128, 256, 1000} {
			for _, threads := range []int{1, 0} {
				b.Run(fmt.Sprintf("%v/%d/threads=%d", d, size, threads), func(b *testing.B) {
					benchMatmul(b, d, size, size, size, "C", "C", threads)
				})
			}
		}
	}
}

func BenchmarkMatmulLayouts(b *testing.B) {
	for _, l := range [][2]string{{"T", "T"}, {"F", "C"}, {"step", "neg"}} {
		b.Run(l[0]+"@"+l[1], func(b *testing.B) { benchMatmul(b, Float64, 500, 500, 500, l[0], l[1], 0) })
	}
}

func BenchmarkMatmulVector(b *testing.B) {
	for _, l := range []string{"C", "T"} {
		b.Run("gemv/"+l, func(b *testing.B) { benchMatmul(b, Float64, 2000, 2000, 1, l, "C", 0) })
		b.Run("gevm/"+l, func(b *testing.B) { benchMatmul(b, Float64, 1, 2000, 2000, "C", l, 0) })
	}
}

func BenchmarkMatmulMicroKernel(b *testing.B) {
	b.Run("float64", benchMicroKernel[float64])
	b.Run("float32", benchMicroKernel[float32])
}

func benchMicroKernel[T Real](b *testing.B) {
	a := make([]T, kcBlock*mr)
	p := make([]T, kcBlock*nr)
	for i := range a {
		a[i] = T(i % 7)
	}
	for i := range p {
		p[i] = T(i % 5)
	}
	var tile [mr * nr]T
	for range b.N {
		microKernel(kcBlock, unsafe.Pointer(&a[0]), unsafe.Pointer(&p[0]), &tile)
	}
	b.ReportMetric(2*float64(kcBlock*mr*nr)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
}

// TestMatmulIntegersWrapLikeNumpy checks integer products against the
// triple loop in the element type: numpy's integer matmul and dot
// accumulate in the result dtype and wrap around, so every summation order
// gives the same bits.
func TestMatmulIntegersWrapLikeNumpy(t *testing.T) {
	al := NewChecked(DefaultAllocator())
	defer al.AssertZero(t)
	rng := rand.New(rand.NewPCG(5, 6))
	shapes := [][2][]int{{{2, 3}, {3, 2}}, {{7, 300}, {300, 5}}, {{33, 65}, {65, 31}}, {{130, 9}, {9, 131}},
		{{40, 30}, {30}}, {{30}, {30, 40}}, {{70000}, {70000}}, {{0, 3}, {3, 4}}, {{3, 0}, {0, 4}}}
	for _, d := range []DType{Int8, Uint8, Int16, Uint16, Int32, Uint32, Int64, Uint64} {
		for _, sh := range shapes {
			for _, layout := range []string{"C", "T", "neg"} {
				a, ao := matmulOperand(t, al, sh[0], d, layout, rng)
				b, bo := matmulOperand(t, al, sh[1], d, "C", rng)
				for _, o := range []*Array{ao, bo} {
					raw := unsafe.Slice((*byte)(o.buf.Pointer()), o.buf.Len())
					for i := range raw {
						raw[i] = byte(rng.Uint32())
					}
				}
				for _, threads := range []int{1, 2} {
					c, err := New(al, productShape(sh[0], sh[1]), d, COrder, false)
					if err != nil {
						t.Fatal(err)
					}
					if err := Matmul(&Exec{Threads: threads}, c, a, b); err != nil {
						t.Fatal(err)
					}
					var ok bool
					switch d {
					case Int8:
						ok = intProductIs[int8](c, a, b)
					case Uint8:
						ok = intProductIs[uint8](c, a, b)
					case Int16:
						ok = intProductIs[int16](c, a, b)
					case Uint16:
						ok = intProductIs[uint16](c, a, b)
					case Int32:
						ok = intProductIs[int32](c, a, b)
					case Uint32:
						ok = intProductIs[uint32](c, a, b)
					case Int64:
						ok = intProductIs[int64](c, a, b)
					case Uint64:
						ok = intProductIs[uint64](c, a, b)
					}
					if !ok {
						t.Errorf("%v %v@%v (%s, threads %d): not the wrapped triple loop", d, sh[0], sh[1], layout, threads)
					}
					c.Release()
				}
				ao.Release()
				bo.Release()
			}
		}
	}
}

// intProductIs reports whether c holds a @ b computed by the triple loop in T.
func intProductIs[T Real](c, a, b *Array) bool {
	m, k, n := 1, a.shape[a.NDim()-1], 1
	if a.NDim() == 2 {
		m = a.shape[0]
	}
	if b.NDim() == 2 {
		n = b.shape[1]
	}
	am, bm, cm := inMatrix(a, true), inMatrix(b, false), outMatrix(c)
	for i := range m {
		for j := range n {
			var s T
			for p := range k {
				s += *(*T)(am.at(i, p)) * *(*T)(bm.at(p, j))
			}
			if *(*T)(cm.at(i, j)) != s {
				return false
			}
		}
	}
	return true
}
