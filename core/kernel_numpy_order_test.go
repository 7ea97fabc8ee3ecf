package core

import (
	"math"
	"math/rand/v2"
	"testing"
	"unsafe"
)

// numpy's complex product (numpy 2.x on x86-64 with FMA): the bits numpy
// gives, taken from numpy itself.
func TestComplexMultiplyNumpyBits(t *testing.T) {
	r := cmul128(complex(1.5, -2.25), complex(3.1, 0.7))
	if math.Float64bits(real(r)) != 4618694745347483238 || math.Float64bits(imag(r)) != 13841729012230206260 {
		t.Errorf("(1.5-2.25i)(3.1+0.7i) = %v (%x %x)", r, math.Float64bits(real(r)), math.Float64bits(imag(r)))
	}
	// float32 arithmetic: 2 * 3.4e38 overflows, inf - inf is NaN
	q := cmul64(complex(float32(math.Inf(-1)), 2), complex(float32(math.MaxFloat32), 1))
	if math.Float32bits(real(q)) != 4286578688 || math.Float32bits(imag(q)) != 4290772992 {
		t.Errorf("complex64 overflow: %v (%x %x)", q, math.Float32bits(real(q)), math.Float32bits(imag(q)))
	}
	// (inf-inf i) * (nan+0i): both parts numpy's +NaN
	n := cmul128(complex(math.Inf(1), math.Inf(-1)), complex(math.Float64frombits(0x7ff8000000000000), 0))
	if math.Float64bits(real(n)) != 0x7ff8000000000000 || math.Float64bits(imag(n)) != 0x7ff8000000000000 {
		t.Errorf("(inf-inf i)*nan = %x %x", math.Float64bits(real(n)), math.Float64bits(imag(n)))
	}
}

// numpy's float16 minimum/maximum return the first of two equal operands
// (+0.0 and -0.0) and the first NaN; float32/float64 the second of equal
// ones: through Binary and BinaryFlat alike.
func TestMinMaxSignedZeroOperand(t *testing.T) {
	const pz, nz = 0x0000, 0x8000
	a, b := []uint16{pz, nz, 0x7e00, 0xfe00}, []uint16{nz, pz, 0xfe00, 0x7e00}
	for _, op := range []BinaryOp{OpMinimum, OpMaximum} {
		d := make([]uint16, 4)
		if err := BinaryFlat(nil, op, Float16, unsafe.Pointer(&d[0]), unsafe.Pointer(&a[0]), unsafe.Pointer(&b[0]), 4); err != nil {
			t.Fatal(err)
		}
		for i := range d {
			if d[i] != a[i] {
				t.Errorf("float16 %v(%#x, %#x) = %#x, want the first", op, a[i], b[i], d[i])
			}
		}
		x, y := []float64{0, math.Copysign(0, -1)}, []float64{math.Copysign(0, -1), 0}
		e := make([]float64, 2)
		if err := BinaryFlat(nil, op, Float64, unsafe.Pointer(&e[0]), unsafe.Pointer(&x[0]), unsafe.Pointer(&y[0]), 2); err != nil {
			t.Fatal(err)
		}
		for i := range e {
			if math.Signbit(e[i]) != math.Signbit(y[i]) {
				t.Errorf("float64 %v(%v, %v) = %v, want the second", op, x[i], y[i], e[i])
			}
		}
	}
	if err := BinaryFlat(nil, OpAdd, Float16, unsafe.Pointer(&a[0]), unsafe.Pointer(&a[0]), unsafe.Pointer(&b[0]), 4); err == nil {
		t.Error("float16 add: no error")
	}
}

// prod of floats is numpy's running product within Grain elements (a zero
// first, then products that overflow: 0.0, not 0 * inf), and the same bits
// for every thread count beyond.
func TestProdRunningOrder(t *testing.T) {
	al := NewChecked(DefaultAllocator())
	defer al.AssertZero(t)
	src := filled(t, al, []int{8}, func(i int) float64 {
		if i == 0 {
			return 0
		}
		return 1e300
	})
	defer src.Release()
	dst, _ := New(al, []int{}, Float64, COrder, false)
	defer dst.Release()
	if err := Reduce(nil, OpProd, dst, src, []int{0}); err != nil {
		t.Fatal(err)
	}
	if v := At[float64](dst); v != 0 || math.Signbit(v) {
		t.Errorf("prod(0, 1e300 x 7) = %v, want 0", v)
	}
	rng := rand.New(rand.NewPCG(4, 9))
	for _, n := range []int{Grain, 5*Grain + 17} {
		big := filled(t, al, []int{n}, func(int) float64 { return 1 + rng.NormFloat64()*1e-3 })
		s, _ := Slice[float64](big)
		want := 1.0
		for _, v := range s {
			want *= v
		}
		var first float64
		for threads := 1; threads <= 3; threads++ {
			if err := Reduce(&Exec{Threads: threads}, OpProd, dst, big, []int{0}); err != nil {
				t.Fatal(err)
			}
			v := At[float64](dst)
			if threads == 1 {
				first = v
			} else if math.Float64bits(v) != math.Float64bits(first) {
				t.Errorf("n=%d threads=%d: %v != %v", n, threads, v, first)
			}
			if n <= Grain && v != want {
				t.Errorf("n=%d: %v, want the running product %v", n, v, want)
			}
		}
		big.Release()
	}
}
