package core

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"testing"
	"unsafe"
)

// BinaryScalarFlat gives Binary's bytes for an array and a broadcast 0-d
// array holding the scalar, for every op, dtype, order and thread count.
func TestBinaryScalarFlatMatchesBinary(t *testing.T) {
	al := NewChecked(DefaultAllocator())
	defer al.AssertZero(t)
	rng := rand.New(rand.NewPCG(1, 2))
	for _, dt := range DTypes() {
		if dt == Bool || dt == Float16 {
			continue
		}
		for op := OpAdd; op <= OpMaximum; op++ {
			if dt.Kind() == 'c' && (op == OpMinimum || op == OpMaximum) {
				continue
			}
			for _, n := range []int{0, 1, 7, 300, 3*Grain + 5} {
				for _, first := range []bool{false, true} {
					name := fmt.Sprintf("%v/%v/n=%d/first=%v", dt, op, n, first)
					a, _ := New(al, []int{n}, dt, COrder, false)
					s, _ := New(al, []int{}, dt, COrder, false)
					for _, x := range []*Array{a, s} {
						b := unsafe.Slice((*byte)(x.Data()), x.NBytes())
						for i := range b {
							b[i] = byte(rng.Uint32())
						}
						if dt.Kind() == 'i' || dt.Kind() == 'u' {
							// integer division by zero is a separate rule; keep divisors odd
							for i := 0; i < len(b); i += dt.Size() {
								b[i] |= 1
							}
						}
					}
					want, _ := New(al, []int{n}, dt, COrder, false)
					x, y := a, s
					if first {
						x, y = s, a
					}
					if err := Binary(&Exec{Threads: 1}, op, want, x, y); err != nil {
						t.Fatalf("%s: Binary: %v", name, err)
					}
					for _, threads := range []int{1, 2} {
						got, _ := New(al, []int{n}, dt, COrder, false)
						err := BinaryScalarFlat(&Exec{Threads: threads}, op, dt, got.Data(), a.Data(), s.Data(), n, first)
						if err != nil {
							t.Fatalf("%s: %v", name, err)
						}
						gb := unsafe.Slice((*byte)(got.Data()), got.NBytes())
						wb := unsafe.Slice((*byte)(want.Data()), want.NBytes())
						if !sameBitsOrNaN(dt, gb, wb) {
							t.Fatalf("%s threads=%d: results differ from Binary", name, threads)
						}
						// in place: d is a itself
						if threads == 1 && n > 0 {
							c, _ := a.Copy(al, COrder)
							if err := BinaryScalarFlat(nil, op, dt, c.Data(), c.Data(), s.Data(), n, first); err != nil {
								t.Fatal(err)
							}
							if !sameBitsOrNaN(dt, unsafe.Slice((*byte)(c.Data()), c.NBytes()), wb) {
								t.Fatalf("%s: in place differs", name)
							}
							c.Release()
						}
						got.Release()
					}
					a.Release()
					s.Release()
					want.Release()
				}
			}
		}
	}
}

// sameBitsOrNaN compares element by element; float elements that are NaN
// in both count as equal (the NaN a vector loop propagates may carry
// another payload than the scalar loop's).
func sameBitsOrNaN(dt DType, got, want []byte) bool {
	if bytes.Equal(got, want) {
		return true
	}
	sz := dt.Size()
	for i := 0; i < len(got); i += sz {
		g, w := got[i:i+sz], want[i:i+sz]
		if bytes.Equal(g, w) {
			continue
		}
		if !(isNaNBytes(dt, g) && isNaNBytes(dt, w)) {
			return false
		}
	}
	return true
}

func isNaNBytes(dt DType, b []byte) bool {
	switch dt {
	case Float32:
		f := *(*float32)(unsafe.Pointer(&b[0]))
		return f != f
	case Float64:
		f := *(*float64)(unsafe.Pointer(&b[0]))
		return f != f
	case Complex64:
		c := *(*complex64)(unsafe.Pointer(&b[0]))
		return real(c) != real(c) || imag(c) != imag(c)
	case Complex128:
		c := *(*complex128)(unsafe.Pointer(&b[0]))
		return real(c) != real(c) || imag(c) != imag(c)
	}
	return false
}

func TestBinaryScalarFlatErrors(t *testing.T) {
	var d, a, s [16]byte
	p := func(b *[16]byte) unsafe.Pointer { return unsafe.Pointer(&b[0]) }
	if err := BinaryScalarFlat(nil, OpMinimum, Complex128, p(&d), p(&a), p(&s), 1, false); err == nil {
		t.Error("complex minimum: no error")
	}
	if err := BinaryScalarFlat(nil, OpAdd, Bool, p(&d), p(&a), p(&s), 1, false); err == nil {
		t.Error("bool: no error")
	}
	if err := BinaryScalarFlat(nil, BinaryOp(255), Float64, p(&d), p(&a), p(&s), 1, false); err == nil {
		t.Error("unknown op: no error")
	}
}
