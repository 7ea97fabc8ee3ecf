package core

import (
	"bufio"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"math"
	"os"
	"strconv"
	"strings"
	"testing"
	"unsafe"
)

// readTestdata returns the non-comment lines of testdata/name, split into
// fields.
func readTestdata(t *testing.T, name string) [][]string {
	t.Helper()
	f, err := os.Open("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out [][]string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if line := sc.Text(); line != "" && !strings.HasPrefix(line, "#") {
			out = append(out, strings.Fields(line))
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// float16Sweeps rebuilds the inputs of testdata/float16_numpy.txt (see the
// generator there) and returns Go's outputs, as little-endian bytes.
func float16Sweeps() map[string][]byte {
	out := map[string][]byte{}
	le := binary.LittleEndian
	var h32, h64 []byte
	for h := 0; h < 1<<16; h++ {
		h32 = le.AppendUint32(h32, math.Float32bits(Float16ToFloat32(uint16(h))))
		h64 = le.AppendUint64(h64, math.Float64bits(Float16ToFloat64(uint16(h))))
	}
	out["half_to_float32"], out["half_to_float64"] = h32, h64
	var p32, p64 []byte
	for h := 0; h < 1<<16; h++ {
		if h&0x7fff >= 0x7c00 {
			continue
		}
		val := Float16ToFloat64(uint16(h))
		next := Float16ToFloat64(uint16(h + 1))
		if h&0x7fff == 0x7bff {
			next = math.Copysign(65536, val)
		}
		mid := (val + next) / 2
		a, b := math.Float32bits(float32(val)), math.Float32bits(float32(mid))
		for _, p := range []uint32{a, a + 1, a - 1, b - 1, b, b + 1} {
			p32 = le.AppendUint16(p32, Float16FromFloat32(math.Float32frombits(p)))
		}
		c, d := math.Float64bits(val), math.Float64bits(mid)
		for _, p := range []uint64{c, c + 1, c - 1, d - 1, d, d + 1} {
			p64 = le.AppendUint16(p64, Float16FromFloat64(math.Float64frombits(p)))
		}
	}
	out["float32_to_half"], out["float64_to_half"] = p32, p64
	var b32, b64 []byte
	for _, p := range float16BitSweep32() {
		b32 = le.AppendUint16(b32, Float16FromFloat32(math.Float32frombits(p)))
	}
	for _, p := range float16BitSweep64() {
		b64 = le.AppendUint16(b64, Float16FromFloat64(math.Float64frombits(p)))
	}
	out["float32_bits_to_half"], out["float64_bits_to_half"] = b32, b64
	return out
}

const golden = 0x9E3779B97F4A7C15

// float16BitSweep32 is a stride through every float32 bit pattern, then
// random patterns with exponents around float16's range.
func float16BitSweep32() []uint32 {
	var s []uint32
	for k := uint64(0); k < 65552; k++ {
		s = append(s, uint32(k*65521))
	}
	for k := uint64(0); k < 1<<16; k++ {
		s = append(s, uint32((k&1)<<31|(101+k%44)<<23|(k*2654435761)&0x7fffff))
	}
	return s
}

func float16BitSweep64() []uint64 {
	var s []uint64
	for k := uint64(0); k < 1<<16; k++ {
		s = append(s, k*golden)
	}
	for k := uint64(0); k < 1<<16; k++ {
		s = append(s, (k&1)<<63|(997+k%44)<<52|(k*golden)>>12)
	}
	return s
}

func TestFloat16MatchesNumpy(t *testing.T) {
	got := float16Sweeps()
	for _, f := range readTestdata(t, "float16_numpy.txt") {
		name, want := f[0], f[1]
		b, ok := got[name]
		if !ok {
			t.Fatalf("unknown sweep %q", name)
		}
		sum := sha256.Sum256(b)
		if h := hex.EncodeToString(sum[:]); h != want {
			t.Errorf("%s: digest %s, numpy's %s (TestFloat16Reference shows which values differ)", name, h, want)
		}
	}
}

// refFloat16 rounds a non-NaN x to binary16 the slow, obvious way: the
// nearest of all finite binary16 values, ties to the even significand,
// overflowing to inf from 65520 (where 65504's successor would be 65536).
func refFloat16(x float64) uint16 {
	sign := uint16(0)
	if math.Signbit(x) {
		sign, x = 0x8000, -x
	}
	if x >= 65520 {
		return sign | 0x7c00
	}
	lo, hi := 0, 0x7bff // the largest finite binary16 not above x
	for lo < hi {
		m := (lo + hi + 1) / 2
		if Float16ToFloat64(uint16(m)) <= x {
			lo = m
		} else {
			hi = m - 1
		}
	}
	below := Float16ToFloat64(uint16(lo))
	above := 65536.0
	if lo < 0x7bff {
		above = Float16ToFloat64(uint16(lo + 1))
	}
	mid := (below + above) / 2 // exact
	if x > mid || (x == mid && lo&1 == 1) {
		lo++
	}
	return sign | uint16(lo)
}

func TestFloat16Reference(t *testing.T) {
	for h := 0; h < 1<<16; h++ {
		f := Float16ToFloat64(uint16(h))
		e, m := h>>10&0x1f, float64(h&0x3ff)
		want := math.Ldexp(m, -24) // subnormal
		if e > 0 {
			want = math.Ldexp(1+m/1024, e-15)
		}
		if h&0x8000 != 0 {
			want = -want
		}
		switch {
		case e == 0x1f && m == 0:
			if !math.IsInf(f, 0) || math.Signbit(f) != (h&0x8000 != 0) {
				t.Fatalf("%#04x -> %v, want inf", h, f)
			}
		case e == 0x1f:
			if f == f {
				t.Fatalf("%#04x -> %v, want NaN", h, f)
			}
		case f != want || math.Signbit(f) != math.Signbit(want):
			t.Fatalf("%#04x -> %v, want %v", h, f, want)
		}
		if f32 := Float16ToFloat32(uint16(h)); math.Float64bits(float64(f32)) != math.Float64bits(f) && f == f {
			t.Fatalf("%#04x: float32 %v, float64 %v", h, f32, f)
		}
		if f == f && Float16FromFloat64(f) != uint16(h) {
			t.Fatalf("%#04x does not round-trip: %#04x", h, Float16FromFloat64(f))
		}
	}
	check := func(x float64, got uint16, what string) {
		if x != x {
			if got&0x7c00 != 0x7c00 || got&0x3ff == 0 {
				t.Fatalf("%s: NaN %#x -> %#04x, not a NaN", what, math.Float64bits(x), got)
			}
			return
		}
		if want := refFloat16(x); got != want {
			t.Fatalf("%s: %v (%#x) -> %#04x, want %#04x", what, x, math.Float64bits(x), got, want)
		}
	}
	for _, p := range float16BitSweep32() {
		f := math.Float32frombits(p)
		check(float64(f), Float16FromFloat32(f), "float32")
	}
	for _, p := range float16BitSweep64() {
		f := math.Float64frombits(p)
		check(f, Float16FromFloat64(f), "float64")
	}
	for h := 0; h < 0x7c00; h++ {
		val := Float16ToFloat64(uint16(h))
		next := 65536.0
		if h < 0x7bff {
			next = Float16ToFloat64(uint16(h + 1))
		}
		mid := (val + next) / 2
		for _, x := range []float64{mid, math.Nextafter(mid, 0), math.Nextafter(mid, math.Inf(1))} {
			check(x, Float16FromFloat64(x), "float64")
			check(-x, Float16FromFloat64(-x), "float64")
			f := float32(x)
			check(float64(f), Float16FromFloat32(f), "float32")
			f = math.Nextafter32(float32(mid), 0)
			check(float64(f), Float16FromFloat32(f), "float32")
		}
	}
}

// parseBits reads "hex" or "hex.hex" (complex: real.imag) as the bytes of
// one element of d.
func parseBits(t *testing.T, d DType, s string) []byte {
	t.Helper()
	parts := strings.Split(s, ".")
	size := d.Size() / len(parts)
	var b []byte
	for _, p := range parts {
		v, err := strconv.ParseUint(p, 16, 64)
		if err != nil {
			t.Fatalf("bad bits %q: %v", s, err)
		}
		var w [8]byte
		binary.LittleEndian.PutUint64(w[:], v)
		b = append(b, w[:size]...)
	}
	if len(b) != d.Size() {
		t.Fatalf("bits %q do not fit %v", s, d)
	}
	return b
}

// newFilled makes a C-contiguous array of shape whose element i has the
// bytes of elems[i % len(elems)].
func newFilled(t *testing.T, al Allocator, d DType, shape []int, elems ...[]byte) *Array {
	t.Helper()
	a, err := New(al, shape, d, COrder, true)
	if err != nil {
		t.Fatal(err)
	}
	if b, _ := a.Bytes(); len(elems) > 0 {
		for i := 0; i < a.Size(); i++ {
			copy(b[i*d.Size():], elems[i%len(elems)])
		}
	}
	return a
}

// elemBytes returns the bytes of the element at idx.
func elemBytes(a *Array, idx ...int) []byte {
	off, err := a.ElementOffset(idx...)
	if err != nil {
		panic(err)
	}
	return append([]byte(nil), unsafe.Slice((*byte)(unsafe.Add(a.Data(), off)), a.dtype.Size())...)
}

func TestCopyCastMatchesNumpy(t *testing.T) {
	al := NewChecked(DefaultAllocator())
	defer al.AssertZero(t)
	lines := readTestdata(t, "cast_numpy.txt")
	if len(lines) < 80 {
		t.Fatalf("only %d cases", len(lines))
	}
	for _, f := range lines {
		sd, err := ParseDType(f[0])
		if err != nil {
			t.Fatal(err)
		}
		src := newFilled(t, al, sd, []int{3}, parseBits(t, sd, f[1]))
		for k, dd := range DTypes() {
			if f[2+k] == "-" {
				continue
			}
			want := parseBits(t, dd, f[2+k])
			dst := newFilled(t, al, dd, []int{3})
			if err := CopyCast(nil, dst, src); err != nil {
				t.Fatal(err)
			}
			for i := 0; i < 3; i++ {
				if got := elemBytes(dst, i); string(got) != string(want) {
					t.Errorf("%v %s -> %v: got %x, numpy %x", sd, f[1], dd, got, want)
				}
			}
			dst.Release()
		}
		src.Release()
	}
}

// TestCopyCastLayouts casts strided, reversed and broadcast sources into
// strided destinations, with several thread counts, and compares every
// element with the cast of a single contiguous element.
func TestCopyCastLayouts(t *testing.T) {
	al := NewChecked(DefaultAllocator())
	defer al.AssertZero(t)
	samples := map[DType][][]byte{}
	for _, f := range readTestdata(t, "cast_numpy.txt") {
		d, _ := ParseDType(f[0])
		samples[d] = append(samples[d], parseBits(t, d, f[1]))
	}
	castOne := func(dd DType, sd DType, b []byte) []byte {
		s := newFilled(t, al, sd, []int{}, b)
		d := newFilled(t, al, dd, []int{})
		if err := CopyCast(nil, d, s); err != nil {
			t.Fatal(err)
		}
		out := elemBytes(d)
		s.Release()
		d.Release()
		return out
	}
	for _, sd := range DTypes() {
		for _, dd := range DTypes() {
			// The source: (60, 1000) of repeating samples, viewed reversed
			// on axis 1 with step 3, then broadcast on a new middle axis:
			// 40080 elements, more than one chunk.
			n := len(samples[sd])
			base := newFilled(t, al, sd, []int{60, 1000}, samples[sd]...)
			rev := base.derive(base.offset+999*base.strides[1], []int{60, 334}, []int{base.strides[0], -3 * base.strides[1]})
			src := rev.derive(rev.offset, []int{60, 2, 334}, []int{rev.strides[0], 0, rev.strides[1]})
			want := make([][]byte, n)
			for i, b := range samples[sd] {
				want[i] = castOne(dd, sd, b)
			}
			for _, threads := range []int{1, 3} {
				big := newFilled(t, al, dd, []int{2, 60, 334})
				dst := big.derive(big.offset, []int{60, 2, 334}, []int{big.strides[1], big.strides[0], big.strides[2]})
				if err := CopyCast(&Exec{Threads: threads}, dst, src); err != nil {
					t.Fatal(err)
				}
				size := dd.Size()
				for i := 0; i < 60; i++ {
					for k := 0; k < 334; k++ {
						j := (i*1000 + 999 - 3*k) % n
						for m := 0; m < 2; m++ {
							off := i*dst.strides[0] + m*dst.strides[1] + k*dst.strides[2]
							got := unsafe.Slice((*byte)(unsafe.Add(dst.Data(), off)), size)
							if string(got) != string(want[j]) {
								t.Fatalf("%v -> %v threads %d at (%d,%d,%d): %x, want %x", sd, dd, threads, i, m, k, got, want[j])
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

func TestCopyCastOverlap(t *testing.T) {
	al := NewChecked(DefaultAllocator())
	defer al.AssertZero(t)
	// In place with the same layout and a narrower or equal type: no copy
	// is needed and the result is right.
	a := newFilled(t, al, Int64, []int{6})
	for i := range 6 {
		Set(a, int64(i*10-20), i)
	}
	asF := a.derive(a.offset, a.shape, a.strides)
	asF.dtype = Float64
	if err := CopyCast(nil, asF, a); err != nil {
		t.Fatal(err)
	}
	for i := range 6 {
		if got := At[float64](asF, i); got != float64(i*10-20) {
			t.Errorf("in place int64 -> float64 [%d] = %v", i, got)
		}
	}
	// Reversed onto itself: src must be read before dst is written.
	b := newFilled(t, al, Int32, []int{2000})
	for i := range 2000 {
		Set(b, int32(i), i)
	}
	rev := b.derive(b.offset+1999*4, []int{2000}, []int{-4})
	if err := CopyCast(&Exec{Threads: 2}, b, rev); err != nil {
		t.Fatal(err)
	}
	for i := range 2000 {
		if got := At[int32](b, i); got != int32(1999-i) {
			t.Fatalf("reversed copy [%d] = %d", i, got)
		}
	}
	// A wider destination over a narrower source in the same bytes:
	// int16 elements 0..n-1 read as int32 from the start.
	c := newFilled(t, al, Int16, []int{64})
	for i := range 64 {
		Set(c, int16(i), i)
	}
	wide := c.derive(c.offset, []int{32}, []int{4})
	wide.dtype = Int32
	src := c.derive(c.offset, []int{32}, []int{2})
	if err := CopyCast(nil, wide, src); err != nil {
		t.Fatal(err)
	}
	for i := range 32 {
		if got := At[int32](wide, i); got != int32(i) {
			t.Fatalf("widening in place [%d] = %d", i, got)
		}
	}
	a.Release()
	b.Release()
	c.Release()
}

func TestCopyCastErrorsAndFill(t *testing.T) {
	al := NewChecked(DefaultAllocator())
	defer al.AssertZero(t)
	dst := newFilled(t, al, Float32, []int{3, 4})
	defer dst.Release()
	src := newFilled(t, al, Int8, []int{2})
	defer src.Release()
	if err := CopyCast(nil, dst, src); !errors.Is(err, ErrShape) ||
		!strings.Contains(err.Error(), "could not broadcast input array from shape (2,) into shape (3, 4)") {
		t.Errorf("shape mismatch: %v", err)
	}
	ro := dst.derive(dst.offset, dst.shape, dst.strides)
	ro.readonly = true
	if err := CopyCast(nil, ro, src); !errors.Is(err, ErrReadOnly) {
		t.Errorf("read-only: %v", err)
	}
	// A single element of the same dtype fills (Array.Fill), strided
	// destinations included.
	one := newFilled(t, al, Float32, []int{1}, parseBits(t, Float32, "40490fdb"))
	defer one.Release()
	col := dst.derive(dst.offset+4, []int{3, 2}, []int{dst.strides[0], 8})
	if err := CopyCast(nil, col, one); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 3; i++ {
		for j := 0; j < 4; j++ {
			want := float32(0)
			if j%2 == 1 {
				want = math.Pi
			}
			if got := At[float32](dst, i, j); got != want {
				t.Errorf("fill [%d,%d] = %v, want %v", i, j, got, want)
			}
		}
	}
	// Zero-size destinations accept any broadcastable source.
	empty := newFilled(t, al, Complex64, []int{0, 2})
	defer empty.Release()
	if err := CopyCast(nil, empty, src.derive(src.offset, []int{2}, src.strides)); err != nil {
		t.Errorf("empty: %v", err)
	}
}

func ExampleCopyCast() {
	src, _ := New(DefaultAllocator(), []int{4}, Float64, COrder, false)
	defer src.Release()
	for i, v := range []float64{-1.7, 0.5, 2.9, 70000} {
		Set(src, v, i)
	}
	i16, _ := New(DefaultAllocator(), []int{4}, Int16, COrder, false)
	defer i16.Release()
	h, _ := New(DefaultAllocator(), []int{4}, Float16, COrder, false)
	defer h.Release()
	CopyCast(nil, i16, src) // truncates toward zero; 70000 wraps (numpy: undefined)
	CopyCast(nil, h, src)   // rounds to nearest even; 70000 overflows to inf
	for i := 0; i < 3; i++ {
		fmt.Print(At[int16](i16, i), " ", Float16ToFloat32(At[uint16](h, i)), "; ")
	}
	fmt.Println(Float16ToFloat32(At[uint16](h, 3)))
	// Output: -1 -1.7001953; 0 0.5; 2 2.9003906; +Inf
}
