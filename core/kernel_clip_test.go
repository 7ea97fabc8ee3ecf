package core

import (
	"errors"
	"math"
	"testing"
)

// clipCase runs Clip on float64 operands given as slices (nil: no bound).
func clipFloat64(t *testing.T, al Allocator, x, lo, hi []float64) []float64 {
	t.Helper()
	mk := func(v []float64) *Array {
		if v == nil {
			return nil
		}
		a := newFilled(t, al, Float64, []int{len(v)})
		for i, e := range v {
			Set(a, e, i)
		}
		return a
	}
	xs, los, his := mk(x), mk(lo), mk(hi)
	dst := newFilled(t, al, Float64, []int{len(x)})
	if err := Clip(nil, dst, xs, los, his); err != nil {
		t.Fatal(err)
	}
	out := make([]float64, len(x))
	for i := range out {
		out[i] = At[float64](dst, i)
	}
	for _, a := range []*Array{xs, los, his, dst} {
		if a != nil {
			a.Release()
		}
	}
	return out
}

func TestClipNumpySemantics(t *testing.T) {
	al := NewChecked(DefaultAllocator())
	defer al.AssertZero(t)
	nan, inf := math.NaN(), math.Inf(1)
	x := []float64{-5, 0, 1.5, 7, nan, inf, -inf}
	same := func(got, want []float64) bool {
		for i := range got {
			if got[i] != want[i] && !(got[i] != got[i] && want[i] != want[i]) {
				return false
			}
		}
		return true
	}
	cases := []struct {
		lo, hi, want []float64
	}{
		// numpy.clip(x, 0, 2), a NaN in x stays NaN
		{[]float64{0, 0, 0, 0, 0, 0, 0}, []float64{2, 2, 2, 2, 2, 2, 2}, []float64{0, 0, 1.5, 2, nan, 2, 0}},
		{nil, []float64{1, 1, 1, 1, 1, 1, 1}, []float64{-5, 0, 1, 1, nan, 1, -inf}}, // numpy.minimum
		{[]float64{1, 1, 1, 1, 1, 1, 1}, nil, []float64{1, 1, 1.5, 7, nan, inf, 1}}, // numpy.maximum
		{nil, nil, x}, // a copy
		{[]float64{nan, 0, 0, 0, 0, 0, 0}, []float64{1, nan, 9, 9, 9, 9, 9}, []float64{nan, nan, 1.5, 7, nan, 9, 0}}, // NaN bounds
		{[]float64{3, 3, 3, 3, 3, 3, 3}, []float64{1, 1, 1, 1, 1, 1, 1}, []float64{1, 1, 1, 1, nan, 1, 1}},           // lo > hi: hi
	}
	for _, c := range cases {
		if got := clipFloat64(t, al, x, c.lo, c.hi); !same(got, c.want) {
			t.Errorf("clip(x, %v, %v) = %v, want %v", c.lo, c.hi, got, c.want)
		}
	}
}

func TestClipDTypesLayoutsThreads(t *testing.T) {
	al := NewChecked(DefaultAllocator())
	defer al.AssertZero(t)
	// x: (3, 50000) of i%7 - 3 in each dtype, reversed; lo: a (50000,)
	// row of -1 or -2; hi: a scalar 2 (as a 0-d array). Expected
	// min(max(v, lo), hi) computed in float64, cast back.
	n := 50000
	for _, d := range DTypes() {
		toD := func(vals []float64, shape []int) *Array {
			f := newFilled(t, al, Float64, shape)
			fs, _ := Slice[float64](f)
			for i := range fs {
				fs[i] = vals[i%len(vals)]
			}
			a := newFilled(t, al, d, shape)
			if err := CopyCast(nil, a, f); err != nil {
				t.Fatal(err)
			}
			f.Release()
			return a
		}
		xv := []float64{-3, -2, -1, 0, 1, 2, 3}
		lov := []float64{-1, -2}
		if d.Kind() == 'u' || d == Bool {
			xv, lov = []float64{0, 1, 2, 3, 4, 5, 6}, []float64{1, 0}
		}
		base := toD(xv, []int{3, n})
		x := base.derive(base.offset+(n-1)*base.strides[1], base.shape, []int{base.strides[0], -base.strides[1]})
		lo := toD(lov, []int{n})
		hi := toD([]float64{2}, []int{})
		var first []byte
		for threads := 1; threads <= 3; threads++ {
			dst := newFilled(t, al, d, []int{3, n})
			if err := Clip(&Exec{Threads: threads}, dst, x, lo, hi); err != nil {
				t.Fatal(err)
			}
			got := newFilled(t, al, Float64, []int{3, n})
			CopyCast(nil, got, dst)
			gs, _ := Slice[float64](got)
			for i := 0; i < 3; i++ {
				for j := 0; j < n; j++ {
					v := xv[(i*n+n-1-j)%len(xv)]
					l, h := lov[j%len(lov)], 2.0
					if d == Bool { // bools are 0 or 1
						v, l, h = math.Min(v, 1), math.Min(l, 1), 1
					}
					want := math.Min(math.Max(v, l), h)
					if gs[i*n+j] != want {
						t.Fatalf("%v threads %d [%d,%d]: clip(%v, %v, %v) = %v", d, threads, i, j, v, l, h, gs[i*n+j])
					}
				}
			}
			b, _ := dst.Bytes()
			if threads == 1 {
				first = append([]byte(nil), b...)
			} else if string(b) != string(first) {
				t.Fatalf("%v: threads=%d differs from threads=1", d, threads)
			}
			got.Release()
			dst.Release()
		}
		base.Release()
		lo.Release()
		hi.Release()
	}
}

func TestClipComplexAndHalf(t *testing.T) {
	al := NewChecked(DefaultAllocator())
	defer al.AssertZero(t)
	nan := math.NaN()
	// numpy orders complex numbers lexicographically:
	// numpy.clip([1+2j, 3-1j, 2+5j, nan], 1+3j, 3+0j) = [1+3j, 3-1j, 2+5j, nan]
	x := newFilled(t, al, Complex128, []int{4})
	for i, v := range []complex128{1 + 2i, 3 - 1i, 2 + 5i, complex(nan, 0)} {
		Set(x, v, i)
	}
	lo, hi := newFilled(t, al, Complex128, []int{}), newFilled(t, al, Complex128, []int{})
	Set(lo, 1+3i)
	Set(hi, 3+0i)
	dst := newFilled(t, al, Complex128, []int{4})
	if err := Clip(nil, dst, x, lo, hi); err != nil {
		t.Fatal(err)
	}
	for i, want := range []complex128{1 + 3i, 3 - 1i, 2 + 5i} {
		if got := At[complex128](dst, i); got != want {
			t.Errorf("complex clip [%d] = %v, want %v", i, got, want)
		}
	}
	if got := At[complex128](dst, 3); real(got) == real(got) {
		t.Errorf("complex clip of NaN = %v", got)
	}
	// A bound with a NaN imaginary part: numpy.clip compares it like any
	// value, numpy.minimum (one bound) propagates it. numpy gives
	// clip([0, 2], -10, 1+nanj) = [0, 1+nanj], clip([0, 2], None, 1+nanj) = [1+nanj, 1+nanj].
	Set(x, complex128(0), 0)
	Set(x, complex128(2), 1)
	Set(lo, complex128(-10))
	Set(hi, complex(1, nan))
	for _, c := range []struct {
		lo       *Array
		wantNaN0 bool
	}{{lo, false}, {nil, true}} {
		if err := Clip(nil, dst, x, c.lo, hi); err != nil {
			t.Fatal(err)
		}
		if v := At[complex128](dst, 0); (imag(v) != imag(v)) != c.wantNaN0 {
			t.Errorf("complex clip with lo %v: [0] = %v", c.lo != nil, v)
		}
		if v := At[complex128](dst, 1); imag(v) == imag(v) {
			t.Errorf("complex clip with lo %v: [1] = %v, want 1+nanj", c.lo != nil, v)
		}
	}
	for _, a := range []*Array{x, lo, hi, dst} {
		a.Release()
	}
	// float16 compares values, not bits: -0 and 0 are equal, -1 < 0.5.
	h := newFilled(t, al, Float16, []int{4})
	for i, v := range []uint16{0xbc00, 0x8000, 0x3800, 0x7e00} { // -1, -0, 0.5, NaN
		Set(h, v, i)
	}
	hlo, hhi := newFilled(t, al, Float16, []int{}), newFilled(t, al, Float16, []int{})
	Set(hlo, uint16(0x0000)) // 0
	Set(hhi, uint16(0x3400)) // 0.25
	hd := newFilled(t, al, Float16, []int{4})
	if err := Clip(nil, hd, h, hlo, hhi); err != nil {
		t.Fatal(err)
	}
	for i, want := range []float32{0, 0, 0.25} {
		if got := Float16ToFloat32(At[uint16](hd, i)); got != want {
			t.Errorf("float16 clip [%d] = %v, want %v", i, got, want)
		}
	}
	if got := Float16ToFloat32(At[uint16](hd, 3)); got == got {
		t.Errorf("float16 clip of NaN = %v", got)
	}
	for _, a := range []*Array{h, hlo, hhi, hd} {
		a.Release()
	}
}

func TestClipErrorsAndOverlap(t *testing.T) {
	al := NewChecked(DefaultAllocator())
	defer al.AssertZero(t)
	f := newFilled(t, al, Float32, []int{4})
	defer f.Release()
	i := newFilled(t, al, Int32, []int{4})
	defer i.Release()
	if err := Clip(nil, f, i, nil, nil); !errors.Is(err, ErrDType) {
		t.Errorf("mixed dtypes: %v", err)
	}
	bad := newFilled(t, al, Float32, []int{3})
	defer bad.Release()
	if err := Clip(nil, f, f, bad, nil); !errors.Is(err, ErrShape) {
		t.Errorf("bad bound shape: %v", err)
	}
	// x reversed onto itself, with hi aliasing dst: inputs are read before
	// dst is written.
	a := newFilled(t, al, Int64, []int{1000})
	defer a.Release()
	for k := range 1000 {
		Set(a, int64(k), k)
	}
	rev := a.derive(a.offset+999*8, []int{1000}, []int{-8})
	if err := Clip(&Exec{Threads: 2}, a, rev, nil, a); err != nil {
		t.Fatal(err)
	}
	for k := range 1000 {
		if got, want := At[int64](a, k), int64(min(999-k, k)); got != want {
			t.Fatalf("[%d] = %d, want %d", k, got, want)
		}
	}
}

// TestClipFloatBitsAsNumpy: which operand's bits a NaN or a tie of signed
// zeros gives, in numpy's general loop (bounds that vary), its loop for
// constant bounds (scalars) and numpy.maximum/minimum (one bound). The
// expected operands were read off numpy 2.4's float64 clip.
func TestClipFloatBitsAsNumpy(t *testing.T) {
	al := NewChecked(DefaultAllocator())
	defer al.AssertZero(t)
	X, L, H := math.Float64frombits(0x7ff8000000000001), math.Float64frombits(0xfff8000000000002),
		math.Float64frombits(0x7ff8000000000003)
	pz, nz := 0.0, math.Copysign(0, -1)
	run := func(x float64, lo, hi *float64, scalar bool) uint64 {
		xs := newFilled(t, al, Float64, []int{3})
		for i := 0; i < 3; i++ {
			Set(xs, x, i)
		}
		mk := func(v *float64) *Array {
			if v == nil {
				return nil
			}
			shape := []int{3}
			if scalar {
				shape = nil
			}
			a := newFilled(t, al, Float64, shape)
			for i := 0; i < a.Size(); i++ {
				*at[float64](a.Data(), 8*i) = *v
			}
			return a
		}
		l, h := mk(lo), mk(hi)
		dst := newFilled(t, al, Float64, []int{3})
		if err := Clip(nil, dst, xs, l, h); err != nil {
			t.Fatal(err)
		}
		got := math.Float64bits(At[float64](dst, 2))
		for _, a := range []*Array{xs, l, h, dst} {
			if a != nil {
				a.Release()
			}
		}
		return got
	}
	five, one, two := 5.0, 1.0, 2.0
	cases := []struct {
		x       float64
		lo, hi  *float64
		scalar  bool
		want    float64
		comment string
	}{
		{X, &L, &H, false, X, "general: a NaN x wins"},
		{X, &one, &two, false, X, ""},
		{five, &L, &H, false, L, "then a NaN lo"},
		{five, &one, &H, false, H, "then a NaN hi"},
		{pz, &nz, &nz, false, nz, "a zero tie gives the bound"},
		{nz, &nz, &pz, false, pz, ""},
		{X, &L, &H, true, L, "constant bounds: a NaN lo wins"},
		{X, &one, &H, true, H, "then a NaN hi"},
		{X, &one, &two, true, X, "then x"},
		{five, &L, &two, true, L, ""},
		{pz, &nz, &nz, true, pz, "a zero tie gives x"},
		{nz, &pz, &pz, true, nz, ""},
		{X, &L, nil, true, X, "numpy.maximum: a NaN x wins"},
		{five, &L, nil, true, L, ""},
		{pz, &nz, nil, true, nz, "a zero tie gives the bound"},
		{X, nil, &H, true, X, "numpy.minimum"},
		{nz, nil, &pz, false, pz, ""},
	}
	for _, c := range cases {
		if got := run(c.x, c.lo, c.hi, c.scalar); got != math.Float64bits(c.want) {
			t.Errorf("%s: clip(%#x, scalar bounds %v) = %#x, want %#x", c.comment, math.Float64bits(c.x), c.scalar,
				got, math.Float64bits(c.want))
		}
	}
}
