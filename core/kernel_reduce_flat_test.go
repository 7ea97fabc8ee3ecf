package core

import (
	"bytes"
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
	"unsafe"
)

// ReduceFlat gives Reduce's bytes for every op, dtype pair and size,
// including sizes of several chunks and C-contiguous arrays of more than
// one axis (which Reduce merges into one run).
func TestReduceFlatMatchesReduce(t *testing.T) {
	al := NewChecked(DefaultAllocator())
	defer al.AssertZero(t)
	rng := rand.New(rand.NewPCG(7, 11))
	sizes := []int{0, 1, 2, 7, 8, 129, 1000, reduceGrain, reduceGrain + 1, 3*reduceGrain + 5}
	ops := []ReduceOp{OpSum, OpMin, OpMax, OpProd, OpAll, OpAny, OpCountNonzero}
	for _, src := range DTypes() {
		for _, op := range ops {
			accs := []DType{src, Int64, Uint64, Float64, Float32, Bool, Complex128}
			for _, acc := range accs {
				if checkReduceDTypes(op, acc, src) != nil {
					continue
				}
				for _, n := range sizes {
					name := fmt.Sprintf("%v/%v->%v/n=%d", op, src, acc, n)
					shape := []int{n}
					if n > 0 && n%7 == 0 {
						shape = []int{7, n / 7}
					}
					a, err := New(al, shape, src, COrder, false)
					if err != nil {
						t.Fatal(err)
					}
					fillRandomBytes(rng, a)
					dst, _ := New(al, nil, acc, COrder, true)
					axes := make([]int, len(shape))
					for i := range axes {
						axes[i] = i
					}
					errRef := Reduce(&Exec{Threads: 2}, op, dst, a, axes)
					out := make([]byte, 16)
					errFlat := ReduceFlat(&Exec{Threads: 2}, op, acc, src, a.Data(), n, unsafe.Pointer(&out[0]))
					if (errRef == nil) != (errFlat == nil) {
						t.Fatalf("%s: Reduce error %v, ReduceFlat error %v", name, errRef, errFlat)
					}
					if errRef == nil {
						want := unsafe.Slice((*byte)(dst.Data()), acc.Size())
						if !bytes.Equal(out[:acc.Size()], want) {
							t.Fatalf("%s: ReduceFlat % x, Reduce % x", name, out[:acc.Size()], want)
						}
					}
					a.Release()
					dst.Release()
				}
			}
		}
	}
}

// fillRandomBytes writes values of a's dtype: small integers, bools of 0
// and 1, floats with a few NaNs and zeros (so min/max/all/any have
// something to find).
func fillRandomBytes(rng *rand.Rand, a *Array) {
	n := a.Size()
	p := a.Data()
	for i := 0; i < n; i++ {
		q := unsafe.Add(p, i*a.dtype.Size())
		v := rng.NormFloat64() * 10
		if rng.IntN(50) == 0 {
			v = 0
		}
		if rng.IntN(200) == 0 {
			v = math.NaN()
		}
		switch a.dtype {
		case Bool:
			*(*uint8)(q) = uint8(rng.IntN(40) / 39)
		case Float16:
			*(*uint16)(q) = Float16FromFloat64(v)
		case Complex64:
			*(*complex64)(q) = complex(float32(v), float32(rng.NormFloat64()))
		case Complex128:
			*(*complex128)(q) = complex(v, rng.NormFloat64())
		case Float32:
			*(*float32)(q) = float32(v)
		case Float64:
			*(*float64)(q) = v
		default:
			if math.IsNaN(v) {
				v = 3
			}
			writeF(a, i*a.dtype.Size(), math.Round(v))
		}
	}
}

func TestReduceFlatErrors(t *testing.T) {
	var out [16]byte
	var in [8]byte
	if err := ReduceFlat(nil, OpMin, Float64, Float64, unsafe.Pointer(&in[0]), 0, unsafe.Pointer(&out[0])); err == nil {
		t.Error("min of nothing: no error")
	}
	if err := ReduceFlat(nil, OpSum, Float16, Float16, unsafe.Pointer(&in[0]), 1, unsafe.Pointer(&out[0])); err == nil {
		t.Error("float16 sum: no error")
	}
	if err := ReduceFlat(nil, ReduceOp(99), Float64, Float64, unsafe.Pointer(&in[0]), 1, unsafe.Pointer(&out[0])); err == nil {
		t.Error("unknown op: no error")
	}
}

func BenchmarkReduceFlatOne(b *testing.B) {
	x := 1.5
	var out float64
	b.ReportAllocs()
	for b.Loop() {
		if err := ReduceFlat(nil, OpSum, Float64, Float64, unsafe.Pointer(&x), 1, unsafe.Pointer(&out)); err != nil {
			b.Fatal(err)
		}
	}
}
