package core

import (
	"encoding/hex"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
	"unsafe"
)

// compareTable holds numpy's answers (numpy 2.4.6: np.equal, not_equal,
// less, less_equal, greater, greater_equal of np.repeat(v, n) and
// np.tile(v, n)) for values v of each dtype, given as the bytes of the
// array: want[k][i*n+j] is op k of v[i] and v[j].
var compareTable = []struct {
	dt   DType
	hex  string
	want [6]string
}{
	{Float64, "000000000000f87f000000000000f0ff000000000000f8bf000000000000008000000000000000000100000000000000000000000000f83f000000000000f07f000000000000f8ff", // nan, -inf, -1.5, -0.0, 0.0, 5e-324, 1.5, inf, nan
		[6]string{"000000000010000000001000000000110000000110000000001000000000100000000010000000000",
			"111111111101111111110111111111001111111001111111110111111111011111111101111111111",
			"000000000001111110000111110000001110000001110000000110000000010000000000000000000",
			"000000000011111110001111110000111110000111110000001110000000110000000010000000000",
			"000000000000000000010000000011000000011000000011110000011111000011111100000000000",
			"000000000010000000011000000011110000011110000011111000011111100011111110000000000"}},
	{Float32, "0000c07f000080ff0000c0bf0000008000000000010000000000c03f0000807f", // nan, -inf, -1.5, -0.0, 0.0, 1e-45, 1.5, inf
		[6]string{"0000000001000000001000000001100000011000000001000000001000000001",
			"1111111110111111110111111110011111100111111110111111110111111110",
			"0000000000111111000111110000011100000111000000110000000100000000",
			"0000000001111111001111110001111100011111000001110000001100000001",
			"0000000000000000010000000110000001100000011110000111110001111110",
			"0000000001000000011000000111100001111000011111000111111001111111"}},
	{Float16, "007e00fcfffb00bc008000000100003c013cff7b007c", // nan, -inf, -65504, -1, -0.0, 0.0, 6e-08, 1, 1.0009765625, 65504, inf
		[6]string{"0000000000001000000000001000000000001000000000001100000000011000000000001000000000001000000000001000000000001000000000001",
			"1111111111110111111111110111111111110111111111110011111111100111111111110111111111110111111111110111111111110111111111110",
			"0000000000000111111111000111111110000111111100000011111000000111110000000111100000000111000000000110000000000100000000000",
			"0000000000001111111111001111111110001111111100001111111000011111110000001111100000001111000000001110000000001100000000001",
			"0000000000000000000000010000000000110000000001110000000011100000000111110000001111110000011111110000111111110001111111110",
			"0000000000001000000000011000000000111000000001111100000011111000000111111000001111111000011111111000111111111001111111111"}},
	{Complex128, "000000000000f03f0000000000000040000000000000f03f000000000000f87f000000000000f87f0000000000000040000000000000f87f000000000000f87f00000000000000400000000000000000000000000000f03f00000000000008400000000000000000000000000000f87f000000000000f07f0000000000000000000000000000f07f000000000000f87f0000000000000080000000000000000000000000000000000000000000000080000000000000f03f000000000000f0ff", // (1+2j), (1+nanj), (nan+2j), (nan+nanj), (2+0j), (1+3j), nanj, (inf+0j), (inf+nanj), (-0+0j), -0j, (1-infj)
		[6]string{"100000000000000000000000000000000000000000000000000010000000000001000000000000000000000000010000000000000000000000000110000000000110000000000001",
			"011111111111111111111111111111111111111111111111111101111111111110111111111111111111111111101111111111111111111111111001111111111001111111111110",
			"000011010000000000000000000000000000000000000000000000010000000010010000000000000000000000000000000000000000100011010001100011010001100011010000",
			"100011010000000000000000000000000000000000000000000010010000000011010000000000000000000000010000000000000000100011010111100011010111100011010001",
			"000000000111000000000000000000000000000000000000100001000111100000000111000000000000100011000111000000000000000000000000000000000000000000000110",
			"100000000111000000000000000000000000000000000000100011000111100001000111000000000000100011010111000000000000000000000110000000000110000000000111"}},
	{Complex64, "0000803f000000400000803f0000c07f0000c07f000000400000c07f0000c07f00000040000000000000803f00004040000000000000c07f0000807f000000000000807f0000c07f000000800000000000000000000000800000803f000080ff", // (1+2j), (1+nanj), (nan+2j), (nan+nanj), (2+0j), (1+3j), nanj, (inf+0j), (inf+nanj), (-0+0j), -0j, (1-infj)
		[6]string{"100000000000000000000000000000000000000000000000000010000000000001000000000000000000000000010000000000000000000000000110000000000110000000000001",
			"011111111111111111111111111111111111111111111111111101111111111110111111111111111111111111101111111111111111111111111001111111111001111111111110",
			"000011010000000000000000000000000000000000000000000000010000000010010000000000000000000000000000000000000000100011010001100011010001100011010000",
			"100011010000000000000000000000000000000000000000000010010000000011010000000000000000000000010000000000000000100011010111100011010111100011010001",
			"000000000111000000000000000000000000000000000000100001000111100000000111000000000000100011000111000000000000000000000000000000000000000000000110",
			"100000000111000000000000000000000000000000000000100011000111100001000111000000000000100011010111000000000000000000000110000000000110000000000111"}},
	{Int64, "0000000000000080ffffffffffffffff00000000000000000100000000000000ffffffffffffff7f", // -9223372036854775808, -1, 0, 1, 9223372036854775807
		[6]string{"1000001000001000001000001",
			"0111110111110111110111110",
			"0111100111000110000100000",
			"1111101111001110001100001",
			"0000010000110001110011110",
			"1000011000111001111011111"}},
	{Int32, "00000080ffffffff00000000ffffff7f", // -2147483648, -1, 0, 2147483647
		[6]string{"1000010000100001",
			"0111101111011110",
			"0111001100010000",
			"1111011100110001",
			"0000100011001110",
			"1000110011101111"}},
	{Int16, "00800000ff7f", // -32768, 0, 32767
		[6]string{"100010001",
			"011101110",
			"011001000",
			"111011001",
			"000100110",
			"100110111"}},
	{Int8, "80ff007f", // -128, -1, 0, 127
		[6]string{"1000010000100001",
			"0111101111011110",
			"0111001100010000",
			"1111011100110001",
			"0000100011001110",
			"1000110011101111"}},
	{Uint64, "00000000000000000100000000000000ffffffffffffff7f0000000000000080ffffffffffffffff", // 0, 1, 9223372036854775807, 9223372036854775808, 18446744073709551615
		[6]string{"1000001000001000001000001",
			"0111110111110111110111110",
			"0111100111000110000100000",
			"1111101111001110001100001",
			"0000010000110001110011110",
			"1000011000111001111011111"}},
	{Uint32, "0000000000000080ffffffff", // 0, 2147483648, 4294967295
		[6]string{"100010001",
			"011101110",
			"011001000",
			"111011001",
			"000100110",
			"100110111"}},
	{Uint16, "00000100ffff", // 0, 1, 65535
		[6]string{"100010001",
			"011101110",
			"011001000",
			"111011001",
			"000100110",
			"100110111"}},
	{Uint8, "0080ff", // 0, 128, 255
		[6]string{"100010001",
			"011101110",
			"011001000",
			"111011001",
			"000100110",
			"100110111"}},
	{Bool, "0001", // False, True
		[6]string{"1001",
			"0110",
			"0100",
			"1101",
			"0010",
			"1011"}},
}

var compareOps = [6]BinaryOp{OpEqual, OpNotEqual, OpLess, OpLessEqual, OpGreater, OpGreaterEqual}

// bitsOf is a Bool array's elements (C order) as "0"/"1".
func bitsOf(a *Array) string {
	b := unsafe.Slice((*byte)(a.Data()), a.Size())
	s := make([]byte, len(b))
	for i, v := range b {
		s[i] = '0' + v
	}
	return string(s)
}

func fromHex(t *testing.T, al Allocator, dt DType, h string) *Array {
	t.Helper()
	raw, err := hex.DecodeString(h)
	if err != nil {
		t.Fatal(err)
	}
	a, err := New(al, []int{len(raw) / dt.Size()}, dt, COrder, false)
	if err != nil {
		t.Fatal(err)
	}
	copy(unsafe.Slice((*byte)(a.Data()), len(raw)), raw)
	return a
}

// Every entry of the binary family gives numpy's table: Binary of an
// (n, 1) and a (1, n) view, Binary of strided and reversed views, BinaryFlat
// of repeated and tiled copies, and BinaryScalarFlat of each value on
// either side.
func TestCompareMatchesNumpy(t *testing.T) {
	al := NewChecked(DefaultAllocator())
	defer al.AssertZero(t)
	for _, c := range compareTable {
		v := fromHex(t, al, c.dt, c.hex)
		n, sz := v.Size(), c.dt.Size()
		rep, _ := New(al, []int{n * n}, c.dt, COrder, false)
		til, _ := New(al, []int{n * n}, c.dt, COrder, false)
		vb := unsafe.Slice((*byte)(v.Data()), n*sz)
		rb, tb := unsafe.Slice((*byte)(rep.Data()), n*n*sz), unsafe.Slice((*byte)(til.Data()), n*n*sz)
		for i := range n {
			for j := range n {
				copy(rb[(i*n+j)*sz:], vb[i*sz:(i+1)*sz])
				copy(tb[(i*n+j)*sz:], vb[j*sz:(j+1)*sz])
			}
		}
		d, _ := New(al, []int{n, n}, Bool, COrder, false)
		flat, _ := New(al, []int{n * n}, Bool, COrder, false)
		row, _ := New(al, []int{n}, Bool, COrder, false)
		col := v.derive(v.offset, []int{n, 1}, []int{sz, 0})
		lin := v.derive(v.offset, []int{1, n}, []int{0, sz})
		for k, op := range compareOps {
			name := fmt.Sprintf("%v %v", c.dt, op)
			want := c.want[k]
			for _, threads := range []int{1, 2} {
				ex := &Exec{Threads: threads}
				if err := Binary(ex, op, d, col, lin); err != nil {
					t.Fatalf("%s: %v", name, err)
				}
				if got := bitsOf(d); got != want {
					t.Errorf("%s: Binary broadcast\n got %s\nwant %s", name, got, want)
				}
				// the output transposed: a strided Bool destination
				if err := Binary(ex, op, transposed(d), lin.derive(v.offset, []int{n, n}, []int{0, sz}), col.derive(v.offset, []int{n, n}, []int{sz, 0})); err != nil {
					t.Fatal(err)
				}
				if got := bitsOf(d); got != want {
					t.Errorf("%s: Binary into a transposed output\n got %s\nwant %s", name, got, want)
				}
				if err := BinaryFlat(ex, op, c.dt, flat.Data(), rep.Data(), til.Data(), n*n); err != nil {
					t.Fatal(err)
				}
				if got := bitsOf(flat); got != want {
					t.Errorf("%s: BinaryFlat\n got %s\nwant %s", name, got, want)
				}
				if err := Binary(ex, op, flat, rep, til); err != nil {
					t.Fatal(err)
				}
				if got := bitsOf(flat); got != want {
					t.Errorf("%s: Binary flat\n got %s\nwant %s", name, got, want)
				}
			}
			for i := range n {
				s := unsafe.Add(v.Data(), i*sz)
				// v[i] op v[j] for all j: the scalar first
				if err := BinaryScalarFlat(nil, op, c.dt, row.Data(), v.Data(), s, n, true); err != nil {
					t.Fatal(err)
				}
				if got := bitsOf(row); got != want[i*n:(i+1)*n] {
					t.Errorf("%s: scalar %d first: got %s want %s", name, i, got, want[i*n:(i+1)*n])
				}
				// v[j] op v[i] for all j: the scalar second
				if err := BinaryScalarFlat(nil, op, c.dt, row.Data(), v.Data(), s, n, false); err != nil {
					t.Fatal(err)
				}
				wc := make([]byte, n)
				for j := range n {
					wc[j] = want[j*n+i]
				}
				if got := bitsOf(row); got != string(wc) {
					t.Errorf("%s: scalar %d second: got %s want %s", name, i, got, wc)
				}
			}
		}
		for _, a := range []*Array{v, rep, til, d, flat, row} {
			a.Release()
		}
	}
}

func transposed(a *Array) *Array {
	t, err := a.Transpose(nil)
	if err != nil {
		panic(err)
	}
	return t
}

// refCompare is op of one pair of elements, for the random tests: the
// semantics TestCompareMatchesNumpy pins, one element at a time.
func refCompare(dt DType, op BinaryOp, x, y unsafe.Pointer) bool {
	var lt, eq, unordered bool
	switch dt {
	case Bool:
		a, b := *(*uint8)(x) != 0, *(*uint8)(y) != 0
		lt, eq = !a && b, a == b
	case Int8, Int16, Int32, Int64:
		a, b := loadInt(dt, x), loadInt(dt, y)
		lt, eq = a < b, a == b
	case Uint8, Uint16, Uint32, Uint64:
		a, b := loadUint(dt, x), loadUint(dt, y)
		lt, eq = a < b, a == b
	case Float16, Float32, Float64:
		a, b := loadFloat(dt, x), loadFloat(dt, y)
		lt, eq, unordered = a < b, a == b, math.IsNaN(a) || math.IsNaN(b)
	case Complex64, Complex128:
		var ar, ai, br, bi float64
		if dt == Complex64 {
			a, b := *(*complex64)(x), *(*complex64)(y)
			ar, ai, br, bi = float64(real(a)), float64(imag(a)), float64(real(b)), float64(imag(b))
		} else {
			a, b := *(*complex128)(x), *(*complex128)(y)
			ar, ai, br, bi = real(a), imag(a), real(b), imag(b)
		}
		nanI := math.IsNaN(ai) || math.IsNaN(bi)
		switch op {
		case OpEqual:
			return ar == br && ai == bi
		case OpNotEqual:
			return !(ar == br && ai == bi)
		case OpLess:
			return ar < br && !nanI || ar == br && ai < bi
		case OpLessEqual:
			return ar < br && !nanI || ar == br && ai <= bi
		case OpGreater:
			return ar > br && !nanI || ar == br && ai > bi
		case OpGreaterEqual:
			return ar > br && !nanI || ar == br && ai >= bi
		}
	}
	switch op {
	case OpEqual:
		return eq
	case OpNotEqual:
		return !eq
	case OpLess:
		return lt
	case OpLessEqual:
		return lt || eq
	case OpGreater:
		return !lt && !eq && !unordered
	case OpGreaterEqual:
		return !lt && !unordered
	}
	panic("not a comparison")
}

func loadInt(dt DType, p unsafe.Pointer) int64 {
	switch dt {
	case Int8:
		return int64(*(*int8)(p))
	case Int16:
		return int64(*(*int16)(p))
	case Int32:
		return int64(*(*int32)(p))
	}
	return *(*int64)(p)
}

func loadUint(dt DType, p unsafe.Pointer) uint64 {
	switch dt {
	case Uint8:
		return uint64(*(*uint8)(p))
	case Uint16:
		return uint64(*(*uint16)(p))
	case Uint32:
		return uint64(*(*uint32)(p))
	}
	return *(*uint64)(p)
}

func loadFloat(dt DType, p unsafe.Pointer) float64 {
	switch dt {
	case Float16:
		return Float16ToFloat64(*(*uint16)(p))
	case Float32:
		return float64(*(*float32)(p))
	}
	return *(*float64)(p)
}

// randomOperand fills a with random elements that often repeat (so that
// equal pairs occur) and include NaN, infinities and zeros of both signs.
func randomOperand(rng *rand.Rand, a *Array) {
	sz := a.dtype.Size()
	b := unsafe.Slice((*byte)(a.Data()), a.NBytes())
	for i := 0; i < len(b); i += sz {
		e := b[i : i+sz]
		for k := range e {
			e[k] = byte(rng.IntN(3)) // small values collide often
		}
		if rng.IntN(4) == 0 {
			for k := range e {
				e[k] = byte(rng.Uint32())
			}
		}
		if rng.IntN(8) == 0 {
			specialElem(a.dtype, e, rng.IntN(5))
		}
	}
}

func specialElem(dt DType, e []byte, k int) {
	p := unsafe.Pointer(&e[0])
	f := []float64{math.NaN(), math.Inf(1), math.Inf(-1), 0, math.Copysign(0, -1)}[k]
	switch dt {
	case Float16:
		*(*uint16)(p) = Float16FromFloat64(f)
	case Float32:
		*(*float32)(p) = float32(f)
	case Float64:
		*(*float64)(p) = f
	case Complex64:
		(*[2]float32)(p)[k%2] = float32(f)
	case Complex128:
		(*[2]float64)(p)[k%2] = f
	case Bool:
		e[0] = byte(k) // bytes other than 0 and 1 read as True
	}
}

// Large operands, several chunks: every path and thread count gives the
// element-by-element answer.
func TestCompareRandom(t *testing.T) {
	al := NewChecked(DefaultAllocator())
	defer al.AssertZero(t)
	rng := rand.New(rand.NewPCG(3, 4))
	for _, dt := range DTypes() {
		for _, n := range []int{0, 1, 31, 300, 2*Grain + 77} {
			x, _ := New(al, []int{2 * n}, dt, COrder, false)
			y, _ := New(al, []int{n}, dt, COrder, false)
			randomOperand(rng, x)
			randomOperand(rng, y)
			sz := dt.Size()
			// every other element of x, backwards
			xs := x.derive(x.offset+max(0, 2*n-1)*sz, []int{n}, []int{-2 * sz})
			xc, _ := xs.Copy(al, COrder)
			for _, op := range compareOps {
				want := make([]byte, n)
				for i := range n {
					if refCompare(dt, op, unsafe.Add(xc.Data(), i*sz), unsafe.Add(y.Data(), i*sz)) {
						want[i] = '1'
					} else {
						want[i] = '0'
					}
				}
				name := fmt.Sprintf("%v %v n=%d", dt, op, n)
				d, _ := New(al, []int{n}, Bool, COrder, false)
				for _, threads := range []int{1, 2, 3} {
					ex := &Exec{Threads: threads}
					must := func(err error) {
						t.Helper()
						if err != nil {
							t.Fatalf("%s: %v", name, err)
						}
					}
					check := func(path string) {
						t.Helper()
						if got := bitsOf(d); got != string(want) {
							t.Fatalf("%s threads=%d: %s differs from the element-wise answer", name, threads, path)
						}
					}
					must(Binary(ex, op, d, xs, y))
					check("Binary strided")
					must(Binary(ex, op, d, xc, y))
					check("Binary contiguous")
					must(BinaryFlat(ex, op, dt, d.Data(), xc.Data(), y.Data(), n))
					check("BinaryFlat")
				}
				d.Release()
			}
			x.Release()
			y.Release()
			xc.Release()
		}
	}
}

// BinaryScalarFlat with many chunks agrees with Binary against the scalar
// broadcast, on either side.
func TestCompareScalarFlatRandom(t *testing.T) {
	al := NewChecked(DefaultAllocator())
	defer al.AssertZero(t)
	rng := rand.New(rand.NewPCG(5, 6))
	for _, dt := range DTypes() {
		n := 2*Grain + 300
		a, _ := New(al, []int{n}, dt, COrder, false)
		s, _ := New(al, []int{}, dt, COrder, false)
		randomOperand(rng, a)
		want, _ := New(al, []int{n}, Bool, COrder, false)
		got, _ := New(al, []int{n}, Bool, COrder, false)
		sb := unsafe.Slice((*byte)(s.Data()), dt.Size())
		// scalars: an element of a, then NaN, +inf, -inf, 0 and -0 (for
		// float dtypes)
		for k := -1; k < 5; k++ {
			copy(sb, unsafe.Slice((*byte)(a.Data()), dt.Size()))
			if k >= 0 {
				specialElem(dt, sb, k)
			}
			for _, op := range compareOps {
				for _, first := range []bool{false, true} {
					x, y := a, s
					if first {
						x, y = s, a
					}
					if err := Binary(&Exec{Threads: 1}, op, want, x, y); err != nil {
						t.Fatal(err)
					}
					if err := BinaryScalarFlat(&Exec{Threads: 2}, op, dt, got.Data(), a.Data(), s.Data(), n, first); err != nil {
						t.Fatal(err)
					}
					if bitsOf(got) != bitsOf(want) {
						t.Fatalf("%v %v first=%v scalar %d: BinaryScalarFlat differs from Binary", dt, op, first, k)
					}
				}
			}
		}
		for _, x := range []*Array{a, s, want, got} {
			x.Release()
		}
	}
}

// A bool comparison may write over one of its operands (d is a).
func TestCompareBoolInPlace(t *testing.T) {
	a := []byte{0, 1, 2, 0, 1, 255}
	b := []byte{0, 0, 1, 1, 1, 0}
	p := func(s []byte) unsafe.Pointer { return unsafe.Pointer(&s[0]) }
	if err := BinaryFlat(nil, OpEqual, Bool, p(a), p(a), p(b), len(a)); err != nil {
		t.Fatal(err)
	}
	if want := []byte{1, 0, 1, 0, 1, 0}; string(a) != string(want) {
		t.Fatalf("in place: got %v want %v", a, want)
	}
}

func TestCompareErrors(t *testing.T) {
	al := NewChecked(DefaultAllocator())
	defer al.AssertZero(t)
	f64, _ := New(al, []int{3}, Float64, COrder, false)
	f32, _ := New(al, []int{3}, Float32, COrder, false)
	bo, _ := New(al, []int{3}, Bool, COrder, false)
	defer f64.Release()
	defer f32.Release()
	defer bo.Release()
	for _, c := range []struct {
		name    string
		op      BinaryOp
		d, x, y *Array
		want    error
	}{
		{"non-bool output", OpLess, f64, f64, f64, ErrDType},
		{"mixed operands", OpLess, bo, f64, f32, ErrDType},
		{"bool output for add", OpAdd, bo, f64, f64, ErrDType},
		{"unknown op", BinaryOp(200), bo, f64, f64, ErrValue},
	} {
		if err := Binary(nil, c.op, c.d, c.x, c.y); !errors.Is(err, c.want) {
			t.Errorf("%s: got %v, want %v", c.name, err, c.want)
		}
	}
	bo.SetReadOnly(true)
	if err := Binary(nil, OpEqual, bo, f64, f64); !errors.Is(err, ErrReadOnly) {
		t.Errorf("read-only output: %v", err)
	}
	bo.SetReadOnly(false)
	var buf [64]byte
	p := unsafe.Pointer(&buf[0])
	if err := BinaryFlat(nil, OpLess, DType(99), p, p, p, 1); !errors.Is(err, ErrDType) {
		t.Errorf("invalid dtype: %v", err)
	}
	if err := BinaryScalarFlat(nil, BinaryOp(200), Float64, p, p, p, 1, false); !errors.Is(err, ErrValue) {
		t.Errorf("unknown op: %v", err)
	}
	for op := OpAdd; op < numBinaryOps; op++ {
		if op.IsComparison() != (op >= OpEqual) {
			t.Errorf("%v.IsComparison() = %v", op, op.IsComparison())
		}
	}
	if OpGreaterEqual.String() != "greater_equal" || OpEqual != 6 {
		t.Errorf("op names or codes moved: %v = %d", OpGreaterEqual, OpEqual)
	}
}

// The flat paths allocate nothing up to Grain elements.
func TestCompareFlatAllocatesNothing(t *testing.T) {
	a, b, d := make([]float64, 1000), make([]float64, 1000), make([]bool, 1000)
	pa, pb, pd := unsafe.Pointer(&a[0]), unsafe.Pointer(&b[0]), unsafe.Pointer(&d[0])
	allocs := testing.AllocsPerRun(100, func() {
		_ = BinaryFlat(nil, OpLess, Float64, pd, pa, pb, 1000)
		_ = BinaryScalarFlat(nil, OpGreater, Float64, pd, pa, pb, 1000, true)
	})
	if allocs != 0 {
		t.Errorf("%v allocations", allocs)
	}
}

func BenchmarkCompare(b *testing.B) {
	for _, dt := range []DType{Float64, Float32, Int64} {
		for _, n := range []int{1000, 100_000} {
			x := filled(b, DefaultAllocator(), []int{n}, func(i int) float64 { return float64(i % 17) })
			y := filled(b, DefaultAllocator(), []int{n}, func(i int) float64 { return float64(i % 13) })
			xc, _ := New(DefaultAllocator(), []int{n}, dt, COrder, false)
			yc, _ := New(DefaultAllocator(), []int{n}, dt, COrder, false)
			_ = CopyCast(nil, xc, x)
			_ = CopyCast(nil, yc, y)
			d, _ := New(DefaultAllocator(), []int{n}, Bool, COrder, false)
			b.Run(fmt.Sprintf("less/%v/n=%d", dt, n), func(b *testing.B) {
				b.SetBytes(int64(n * (2*dt.Size() + 1)))
				for b.Loop() {
					_ = BinaryFlat(nil, OpLess, dt, d.Data(), xc.Data(), yc.Data(), n)
				}
			})
			b.Run(fmt.Sprintf("scalar/%v/n=%d", dt, n), func(b *testing.B) {
				b.SetBytes(int64(n * (dt.Size() + 1)))
				for b.Loop() {
					_ = BinaryScalarFlat(nil, OpGreaterEqual, dt, d.Data(), xc.Data(), yc.Data(), n, true)
				}
			})
			for _, a := range []*Array{x, y, xc, yc, d} {
				a.Release()
			}
		}
	}
}

// int64 with uint64 compare exactly, as numpy's qQ and Qq loops do:
// numpy 2.4.6's answers for s[:, None] op u[None, :] and u[:, None] op
// s[None, :].
func TestCompareInt64Uint64(t *testing.T) {
	al := NewChecked(DefaultAllocator())
	defer al.AssertZero(t)
	s, _ := New(al, []int{5}, Int64, COrder, false)
	u, _ := New(al, []int{5}, Uint64, COrder, false)
	d, _ := New(al, []int{5, 5}, Bool, COrder, false)
	defer s.Release()
	defer u.Release()
	defer d.Release()
	copy(sliceAt[int64](s.Data(), 5), []int64{math.MinInt64, -1, 0, 1, math.MaxInt64})
	copy(sliceAt[uint64](u.Data(), 5), []uint64{0, 1, math.MaxInt64, 1 << 63, math.MaxUint64})
	want := map[bool][6]string{
		true:  {"0000000000100000100000100", "1111111111011111011111011", "1111111111011110011100011", "1111111111111110111100111", "0000000000000001000011000", "0000000000100001100011100"},
		false: {"0010000010000010000000000", "1101111101111101111111111", "0001100001000000000000000", "0011100011000010000000000", "1100011100111101111111111", "1110011110111111111111111"},
	}
	for _, signedFirst := range []bool{true, false} {
		x, y := s, u
		if !signedFirst {
			x, y = u, s
		}
		col := x.derive(x.offset, []int{5, 1}, []int{8, 0})
		row := y.derive(y.offset, []int{1, 5}, []int{0, 8})
		for k, op := range compareOps {
			for _, threads := range []int{1, 2} {
				if err := Binary(&Exec{Threads: threads}, op, d, col, row); err != nil {
					t.Fatal(err)
				}
				if got := bitsOf(d); got != want[signedFirst][k] {
					t.Errorf("%v %v %v: got %s want %s", x.dtype, op, y.dtype, got, want[signedFirst][k])
				}
				// a transposed output: the strided path
				colT := x.derive(x.offset, []int{5, 5}, []int{0, 8})
				rowT := y.derive(y.offset, []int{5, 5}, []int{8, 0})
				if err := Binary(&Exec{Threads: threads}, op, transposed(d), colT, rowT); err != nil {
					t.Fatal(err)
				}
				if got := bitsOf(d); got != want[signedFirst][k] {
					t.Errorf("%v %v %v transposed: got %s want %s", x.dtype, op, y.dtype, got, want[signedFirst][k])
				}
			}
		}
	}
	if err := Binary(nil, OpLess, d, s, s.derive(s.offset, []int{5}, []int{8})); err != nil {
		t.Errorf("int64 with int64: %v", err)
	}
	i32, _ := New(al, []int{5}, Int32, COrder, false)
	defer i32.Release()
	if err := Binary(nil, OpLess, d.derive(d.offset, []int{5}, []int{1}), i32, u); !errors.Is(err, ErrDType) {
		t.Errorf("int32 with uint64: %v", err)
	}
}
