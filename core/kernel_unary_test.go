package core

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"
	"unsafe"
)

var unaryOps = map[string]UnaryOp{"negative": OpNegative, "absolute": OpAbsolute, "sqrt": OpSqrt, "exp": OpExp, "log": OpLog}

// ulpsApart is the number of representable values between a and b (both
// finite, of a float type of the given size), or a large number when their
// signs differ.
func ulpsApart(a, b float64, size int) float64 {
	if a == b {
		return 0
	}
	if math.Signbit(a) != math.Signbit(b) {
		return math.Inf(1)
	}
	var ia, ib int64
	switch size {
	case 2:
		ia, ib = int64(Float16FromFloat64(math.Abs(a))), int64(Float16FromFloat64(math.Abs(b)))
	case 4:
		ia, ib = int64(math.Float32bits(float32(math.Abs(a)))), int64(math.Float32bits(float32(math.Abs(b))))
	default:
		ia, ib = int64(math.Float64bits(math.Abs(a))), int64(math.Float64bits(math.Abs(b)))
	}
	return math.Abs(float64(ia - ib))
}

// floatParts returns the floating-point values in the bytes of one
// element of d (two for complex dtypes).
func floatParts(d DType, b []byte) []float64 {
	p := unsafe.Pointer(unsafe.SliceData(b))
	switch d {
	case Float16:
		return []float64{Float16ToFloat64(*(*uint16)(p))}
	case Float32:
		return []float64{float64(*(*float32)(p))}
	case Float64:
		return []float64{*(*float64)(p)}
	case Complex64:
		v := *(*[2]float32)(p)
		return []float64{float64(v[0]), float64(v[1])}
	case Complex128:
		v := *(*[2]float64)(p)
		return []float64{v[0], v[1]}
	}
	panic("not a floating dtype")
}

// closeToNumpy reports whether got matches numpy's want: exactly (NaN
// for NaN, signs of zeros and infinities included) where want has a
// non-finite or zero part, else within tol ulps per part, or within tol
// ulps of the element's largest part (the small part of a complex result
// carries the absolute error of the large one).
func closeToNumpy(d DType, got, want []byte, tol float64) bool {
	g, w := floatParts(d, got), floatParts(d, want)
	psize := d.Size() / len(g)
	scale := 0.0
	for _, v := range w {
		if !math.IsInf(v, 0) {
			scale = math.Max(scale, math.Abs(v))
		}
	}
	for i := range g {
		switch {
		case w[i] != w[i]:
			if g[i] == g[i] {
				return false
			}
		case math.IsInf(w[i], 0) || w[i] == 0 || g[i] == 0 || math.IsInf(g[i], 0):
			if g[i] != w[i] || math.Signbit(g[i]) != math.Signbit(w[i]) {
				return false
			}
		case ulpsApart(g[i], w[i], psize) <= tol:
		case len(g) == 2 && math.Abs(g[i]-w[i]) <= tol*ulpOf(scale, psize):
		default:
			return false
		}
	}
	return true
}

func ulpOf(v float64, size int) float64 {
	switch size {
	case 2:
		return math.Max(math.Ldexp(1, math.Ilogb(v)-10), 0x1p-24)
	case 4:
		return math.Max(math.Ldexp(1, math.Ilogb(v)-23), 0x1p-149)
	}
	return math.Max(math.Ldexp(1, math.Ilogb(v)-52), 0x1p-1074)
}

func TestUnaryMatchesNumpy(t *testing.T) {
	al := NewChecked(DefaultAllocator())
	defer al.AssertZero(t)
	type group struct {
		op        UnaryOp
		d         DType
		in, out   [][]byte
		inS, outS []string
	}
	var groups []*group
	for _, f := range readTestdata(t, "unary_numpy.txt") {
		op, ok := unaryOps[f[0]]
		d, err := ParseDType(f[1])
		if !ok || err != nil {
			t.Fatalf("bad line %v", f)
		}
		if n := len(groups); n == 0 || groups[n-1].op != op || groups[n-1].d != d {
			groups = append(groups, &group{op: op, d: d})
		}
		g := groups[len(groups)-1]
		outD := d
		if op == OpAbsolute {
			outD = realDType(d)
		}
		g.in, g.out = append(g.in, parseBits(t, d, f[2])), append(g.out, parseBits(t, outD, f[3]))
		g.inS, g.outS = append(g.inS, f[2]), append(g.outS, f[3])
	}
	// Go's math and glibc's libm are each within an ulp of the exact
	// result (they differ by at most one on these values); numpy's float32
	// exp and log are SIMD approximations, a little looser.
	tol := map[DType]float64{Float16: 1, Float32: 2, Float64: 1, Complex64: 1, Complex128: 2}
	for _, g := range groups {
		outD := g.d
		if g.op == OpAbsolute {
			outD = realDType(g.d)
		}
		src := newFilled(t, al, g.d, []int{len(g.in)}, g.in...)
		dst := newFilled(t, al, outD, []int{len(g.in)})
		if err := Unary(nil, g.op, dst, src); err != nil {
			t.Fatal(err)
		}
		bad := 0
		for i := range g.in {
			got := elemBytes(dst, i)
			if !closeToNumpy(outD, got, g.out[i], tol[g.d]) {
				bad++
				t.Errorf("%v(%v %s) = %x %v, numpy %s %v", g.op, g.d, g.inS[i], got, floatParts(outD, got), g.outS[i], floatParts(outD, g.out[i]))
			}
		}
		if bad == 0 {
			t.Logf("%v %v: %d values match", g.op, g.d, len(g.in))
		}
		src.Release()
		dst.Release()
	}
}

// TestUnaryIntegersAndSignBits checks the bit-level results numpy gives
// for negative and absolute: wrap-around, sign bits of zeros and NaNs.
func TestUnaryIntegersAndSignBits(t *testing.T) {
	al := NewChecked(DefaultAllocator())
	defer al.AssertZero(t)
	cases := []struct {
		op      UnaryOp
		d       DType
		in, out string
	}{
		{OpNegative, Int8, "80", "80"}, // -(-128) wraps
		{OpNegative, Uint8, "1", "ff"}, // numpy's unsigned negative wraps
		{OpNegative, Uint64, "2", "fffffffffffffffe"},
		{OpNegative, Float64, "0", "8000000000000000"},
		{OpNegative, Float32, "7fc00000", "ffc00000"}, // NaN's sign flips
		{OpNegative, Float16, "3c00", "bc00"},
		{OpNegative, Complex64, "3f800000.80000000", "bf800000.0"},
		{OpAbsolute, Int8, "80", "80"},
		{OpAbsolute, Int64, "fffffffffffffffb", "5"},
		{OpAbsolute, Uint16, "ffff", "ffff"},
		{OpAbsolute, Bool, "1", "1"},
		{OpAbsolute, Float64, "8000000000000000", "0"},
		{OpAbsolute, Float32, "ffc00001", "7fc00001"}, // NaN payload kept
		{OpAbsolute, Float16, "fc00", "7c00"},
		{OpAbsolute, Complex128, "c008000000000000.4010000000000000", "4014000000000000"}, // |-3+4i| = 5
		{OpAbsolute, Complex64, "7f800000.7fc00000", "7f800000"},                          // |inf + nan i| = inf
		{OpSqrt, Float64, "8000000000000000", "8000000000000000"},                         // sqrt(-0) = -0
	}
	for _, c := range cases {
		outD := c.d
		if c.op == OpAbsolute {
			outD = realDType(c.d)
		}
		src := newFilled(t, al, c.d, []int{5}, parseBits(t, c.d, c.in))
		dst := newFilled(t, al, outD, []int{5})
		if err := Unary(nil, c.op, dst, src); err != nil {
			t.Fatal(err)
		}
		want := parseBits(t, outD, c.out)
		for i := 0; i < 5; i++ {
			if got := elemBytes(dst, i); string(got) != string(want) {
				t.Errorf("%v(%v %s) = %x, want %s", c.op, c.d, c.in, got, c.out)
			}
		}
		src.Release()
		dst.Release()
	}
}

// TestUnaryLayoutsAndThreads runs every op and dtype on a reversed,
// strided, broadcast source of more than one chunk and checks each
// element against the op on that element alone, for 1, 2 and 3 threads.
func TestUnaryLayoutsAndThreads(t *testing.T) {
	al := NewChecked(DefaultAllocator())
	defer al.AssertZero(t)
	samples := map[DType][][]byte{}
	for _, f := range readTestdata(t, "cast_numpy.txt") {
		d, _ := ParseDType(f[0])
		samples[d] = append(samples[d], parseBits(t, d, f[1]))
	}
	for op := OpNegative; op <= OpLog; op++ {
		for _, d := range DTypes() {
			if unaryRunFor(op, d) == nil {
				continue
			}
			outD := d
			if op == OpAbsolute {
				outD = realDType(d)
			}
			n := len(samples[d])
			want := make([][]byte, n)
			for i, b := range samples[d] {
				s := newFilled(t, al, d, []int{}, b)
				o := newFilled(t, al, outD, []int{})
				if err := Unary(nil, op, o, s); err != nil {
					t.Fatal(err)
				}
				want[i] = elemBytes(o)
				s.Release()
				o.Release()
			}
			base := newFilled(t, al, d, []int{70, 1000}, samples[d]...)
			src := base.derive(base.offset+999*base.strides[1], []int{70, 2, 500}, []int{base.strides[0], 0, -2 * base.strides[1]})
			for threads := 1; threads <= 3; threads++ {
				big := newFilled(t, al, outD, []int{500, 2, 70})
				dst := big.derive(big.offset, []int{70, 2, 500}, []int{big.strides[2], big.strides[1], big.strides[0]})
				if err := Unary(&Exec{Threads: threads}, op, dst, src); err != nil {
					t.Fatal(err)
				}
				for i := 0; i < 70; i++ {
					for k := 0; k < 500; k++ {
						j := (i*1000 + 999 - 2*k) % n
						for m := 0; m < 2; m++ {
							off := i*dst.strides[0] + m*dst.strides[1] + k*dst.strides[2]
							got := unsafe.Slice((*byte)(unsafe.Add(dst.Data(), off)), outD.Size())
							if string(got) != string(want[j]) {
								t.Fatalf("%v %v threads %d at (%d,%d,%d): %x, want %x", op, d, threads, i, m, k, got, want[j])
							}
						}
					}
				}
				big.Release()
			}
			base.Release()
		}
	}
}

func TestUnaryOverlap(t *testing.T) {
	al := NewChecked(DefaultAllocator())
	defer al.AssertZero(t)
	a := newFilled(t, al, Float64, []int{100000})
	for i := range 100000 {
		Set(a, float64(i), i)
	}
	defer a.Release()
	if err := Unary(&Exec{Threads: 3}, OpNegative, a, a); err != nil { // in place
		t.Fatal(err)
	}
	rev := a.derive(a.offset+99999*8, []int{100000}, []int{-8})
	if err := Unary(&Exec{Threads: 3}, OpNegative, a, rev); err != nil { // reversed onto itself
		t.Fatal(err)
	}
	for i := range 100000 {
		if got := At[float64](a, i); got != float64(99999-i) {
			t.Fatalf("[%d] = %v, want %v", i, got, 99999-i)
		}
	}
	// |z| in place: the float64 result of element i is written over the
	// real part of complex element i, after it was read.
	c := newFilled(t, al, Complex128, []int{1000})
	defer c.Release()
	for i := range 1000 {
		Set(c, complex(3*float64(i), 4*float64(i)), i)
	}
	re := c.derive(c.offset, c.shape, c.strides)
	re.dtype = Float64
	if err := Unary(nil, OpAbsolute, re, c); err != nil {
		t.Fatal(err)
	}
	for i := range 1000 {
		if got := At[float64](re, i); got != 5*float64(i) {
			t.Fatalf("|c[%d]| = %v, want %v", i, got, 5*i)
		}
	}
}

func TestUnaryErrors(t *testing.T) {
	al := NewChecked(DefaultAllocator())
	defer al.AssertZero(t)
	mk := func(d DType, shape ...int) *Array { return newFilled(t, al, d, shape) }
	b, i32, f32, f64, f64x3, c64 := mk(Bool, 3), mk(Int32, 3), mk(Float32, 3), mk(Float64, 2, 3), mk(Float64, 3), mk(Complex64, 3)
	empty, c64x2 := mk(Float32, 0, 3), mk(Complex64, 2)
	defer func() {
		for _, a := range []*Array{b, i32, f32, f64, f64x3, c64, empty, c64x2} {
			a.Release()
		}
	}()
	ro := f32.derive(f32.offset, f32.shape, f32.strides)
	ro.readonly = true
	cases := []struct {
		err      error
		op       UnaryOp
		dst, src *Array
		msg      string
	}{
		{ErrDType, OpNegative, b, b, "boolean negative"},
		{ErrDType, OpSqrt, i32, i32, "sqrt is not implemented for int32"},
		{ErrDType, OpExp, f64, f32, "exp of float32 gives float32, not float64"},
		{ErrDType, OpAbsolute, c64, c64, "absolute of complex64 gives float32, not complex64"},
		{ErrReadOnly, OpLog, ro, f32, "read-only"},
		{ErrShape, OpLog, f64x3, f64, "shape (2, 3) doesn't match the output shape (3,)"},
		{ErrShape, OpAbsolute, empty, c64x2, "shape (2,) doesn't match the output shape (0, 3)"},
		{ErrValue, UnaryOp(99), f32, f32, "unknown unary kernel UnaryOp(99)"},
	}
	for _, c := range cases {
		err := Unary(nil, c.op, c.dst, c.src)
		if !errors.Is(err, c.err) || !strings.Contains(err.Error(), c.msg) {
			t.Errorf("%v(%v -> %v) = %v, want %v containing %q", c.op, c.src.dtype, c.dst.dtype, err, c.err, c.msg)
		}
	}
	if err := Unary(nil, OpAbsolute, empty, c64); err != nil { // (3,) broadcasts to (0, 3)
		t.Errorf("empty output: %v", err)
	}
}

func ExampleUnary() {
	src, _ := New(DefaultAllocator(), []int{3}, Complex128, COrder, false)
	defer src.Release()
	for i, v := range []complex128{3 + 4i, -4, complex(0, math.Inf(1))} {
		Set(src, v, i)
	}
	abs, _ := New(DefaultAllocator(), []int{3}, Float64, COrder, false) // |complex128| is float64
	defer abs.Release()
	root, _ := New(DefaultAllocator(), []int{3}, Complex128, COrder, false)
	defer root.Release()
	Unary(nil, OpAbsolute, abs, src)
	Unary(nil, OpSqrt, root, src)
	for i := 0; i < 3; i++ {
		fmt.Println(At[float64](abs, i), At[complex128](root, i))
	}
	// Output:
	// 5 (2+1i)
	// 4 (0+2i)
	// +Inf (+Inf+Infi)
}

func BenchmarkUnary(b *testing.B) {
	for _, c := range []struct {
		op UnaryOp
		d  DType
	}{{OpNegative, Float64}, {OpAbsolute, Float32}, {OpSqrt, Float64}, {OpExp, Float64}, {OpLog, Float32}, {OpExp, Complex128}} {
		b.Run(fmt.Sprintf("%v/%v", c.op, c.d), func(b *testing.B) {
			src, _ := New(DefaultAllocator(), []int{1 << 20}, c.d, COrder, true)
			dst, _ := New(DefaultAllocator(), []int{1 << 20}, c.d, COrder, false)
			defer src.Release()
			defer dst.Release()
			b.SetBytes(int64(src.NBytes()))
			for b.Loop() {
				Unary(nil, c.op, dst, src)
			}
		})
	}
}

func BenchmarkCopyCast(b *testing.B) {
	for _, c := range [][2]DType{{Float64, Float32}, {Int32, Float64}, {Float32, Float16}, {Float16, Float32}} {
		b.Run(fmt.Sprintf("%v->%v", c[0], c[1]), func(b *testing.B) {
			src, _ := New(DefaultAllocator(), []int{1 << 20}, c[0], COrder, true)
			dst, _ := New(DefaultAllocator(), []int{1 << 20}, c[1], COrder, false)
			defer src.Release()
			defer dst.Release()
			b.SetBytes(int64(src.NBytes()))
			for b.Loop() {
				CopyCast(nil, dst, src)
			}
		})
	}
}
