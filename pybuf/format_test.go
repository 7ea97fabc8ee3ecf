package pybuf

import (
	"errors"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/goarray/goarray/core"
)

// numpyFormats is memoryview(numpy.empty(0, dt)).format for every dtype,
// from numpy 2.4 on x86-64 Linux.
var numpyFormats = map[core.DType]string{
	core.Bool: "?", core.Int8: "b", core.Int16: "h", core.Int32: "i",
	core.Int64: "l", core.Uint8: "B", core.Uint16: "H", core.Uint32: "I",
	core.Uint64: "L", core.Float16: "e", core.Float32: "f", core.Float64: "d",
	core.Complex64: "Zf", core.Complex128: "Zd",
}

func TestFormatMatchesNumpy(t *testing.T) {
	for _, d := range core.DTypes() {
		if got, want := Format(d), numpyFormats[d]; got != want {
			t.Errorf("Format(%v) = %q, want %q", d, got, want)
		}
		if got, err := ParseFormat(Format(d)); err != nil || got != d {
			t.Errorf("ParseFormat(Format(%v)) = %v, %v", d, got, err)
		}
	}
	if got := Format(core.InvalidDType); got != "" {
		t.Errorf("Format(InvalidDType) = %q, want \"\"", got)
	}
}

// structPrefixes are the byte-order prefixes, in the column order of
// structTable.
var structPrefixes = [6]string{"", "@", "=", "<", ">", "!"}

// structTable holds, for every code, struct.calcsize(prefix+code) under each
// prefix as CPython 3.11 gives it on x86-64 Linux (-1: struct refuses it),
// and the dtype goarray must read for native and standard prefixes
// (InvalidDType: refused). The Z codes are PEP 3118 only, so struct refuses
// them; their sizes are twice the float's, as numpy reads them.
var structTable = []struct {
	code             string
	size             [6]int
	native, standard core.DType
}{
	{"?", [6]int{1, 1, 1, 1, 1, 1}, core.Bool, core.Bool},
	{"b", [6]int{1, 1, 1, 1, 1, 1}, core.Int8, core.Int8},
	{"B", [6]int{1, 1, 1, 1, 1, 1}, core.Uint8, core.Uint8},
	{"h", [6]int{2, 2, 2, 2, 2, 2}, core.Int16, core.Int16},
	{"H", [6]int{2, 2, 2, 2, 2, 2}, core.Uint16, core.Uint16},
	{"i", [6]int{4, 4, 4, 4, 4, 4}, core.Int32, core.Int32},
	{"I", [6]int{4, 4, 4, 4, 4, 4}, core.Uint32, core.Uint32},
	{"l", [6]int{8, 8, 4, 4, 4, 4}, core.Int64, core.Int32},
	{"L", [6]int{8, 8, 4, 4, 4, 4}, core.Uint64, core.Uint32},
	{"q", [6]int{8, 8, 8, 8, 8, 8}, core.Int64, core.Int64},
	{"Q", [6]int{8, 8, 8, 8, 8, 8}, core.Uint64, core.Uint64},
	{"n", [6]int{8, 8, -1, -1, -1, -1}, core.Int64, core.InvalidDType},
	{"N", [6]int{8, 8, -1, -1, -1, -1}, core.Uint64, core.InvalidDType},
	{"e", [6]int{2, 2, 2, 2, 2, 2}, core.Float16, core.Float16},
	{"f", [6]int{4, 4, 4, 4, 4, 4}, core.Float32, core.Float32},
	{"d", [6]int{8, 8, 8, 8, 8, 8}, core.Float64, core.Float64},
	{"g", [6]int{-1, -1, -1, -1, -1, -1}, core.InvalidDType, core.InvalidDType},
	{"c", [6]int{1, 1, 1, 1, 1, 1}, core.InvalidDType, core.InvalidDType},
	{"s", [6]int{1, 1, 1, 1, 1, 1}, core.InvalidDType, core.InvalidDType},
	{"p", [6]int{1, 1, 1, 1, 1, 1}, core.InvalidDType, core.InvalidDType},
	{"x", [6]int{1, 1, 1, 1, 1, 1}, core.InvalidDType, core.InvalidDType},
	{"P", [6]int{8, 8, -1, -1, -1, -1}, core.InvalidDType, core.InvalidDType},
	{"O", [6]int{-1, -1, -1, -1, -1, -1}, core.InvalidDType, core.InvalidDType},
	{"Zf", [6]int{8, 8, 8, 8, 8, 8}, core.Complex64, core.Complex64},
	{"Zd", [6]int{16, 16, 16, 16, 16, 16}, core.Complex128, core.Complex128},
	{"Zg", [6]int{-1, -1, -1, -1, -1, -1}, core.InvalidDType, core.InvalidDType},
}

func TestParseFormatAgainstStruct(t *testing.T) {
	if nativeOrder != '<' {
		t.Skip("expectations are for a little-endian machine")
	}
	for _, row := range structTable {
		for col, prefix := range structPrefixes {
			f := prefix + row.code
			want := row.native
			if col >= 2 {
				want = row.standard
			}
			if (prefix == ">" || prefix == "!") && want.Size() > 1 {
				want = core.InvalidDType // big-endian data on a little-endian machine
			}
			got, err := ParseFormat(f)
			if want == core.InvalidDType {
				if err == nil || !errors.Is(err, ErrFormat) || !strings.Contains(err.Error(), strconv.Quote(f)) {
					t.Errorf("ParseFormat(%q) = %v, %v; want an ErrFormat quoting the format", f, got, err)
				}
				continue
			}
			if err != nil || got != want {
				t.Errorf("ParseFormat(%q) = %v, %v; want %v", f, got, err, want)
			}
			if got.Size() != row.size[col] {
				t.Errorf("ParseFormat(%q) is %d bytes, struct says %d", f, got.Size(), row.size[col])
			}
		}
	}
}

func TestParseFormatAccepts(t *testing.T) {
	for f, want := range map[string]core.DType{
		"1d": core.Float64, "01d": core.Float64, "<1d": core.Float64,
		"1Zd": core.Complex128, "^d": core.Float64, "^l": core.Int64,
		">b": core.Int8, "!?": core.Bool, ">B": core.Uint8, "=q": core.Int64,
	} {
		if got, err := ParseFormat(f); err != nil || got != want {
			t.Errorf("ParseFormat(%q) = %v, %v; want %v", f, got, err, want)
		}
	}
}

func TestParseFormatRefusals(t *testing.T) {
	for f, why := range map[string]string{
		"":        "empty",
		"<":       "no type code",
		"y":       "unknown type code",
		"g":       "long double",
		"Zg":      "complex long double",
		"Ze":      "'Z' must be followed",
		"Z":       "'Z' must be followed",
		"c":       "characters",
		"s":       "strings",
		"10s":     "repeat count 10",
		"x":       "padding",
		"P":       "pointers",
		"O":       "Python objects",
		"T{d:a:}": "structured",
		"(2)d":    "subarrays",
		"d:a:":    "named fields",
		"dd":      "multiple fields",
		"d<d":     "multiple fields",
		"<<d":     "byte-order prefix may only come first",
		">d":      "non-native byte order",
		"!i":      "non-native byte order",
		"<n":      "only a native size",
		"=N":      "only a native size",
		"2d":      "repeat count 2",
		"0d":      "repeat count 0",
		"00":      "repeat count 0",
		"d ":      "trailing garbage",
		"d\x00":   "trailing garbage",
		" d":      "unknown type code",
	} {
		got, err := ParseFormat(f)
		if err == nil {
			t.Errorf("ParseFormat(%q) = %v, want an error", f, got)
			continue
		}
		msg := err.Error()
		if !errors.Is(err, ErrFormat) || !strings.Contains(msg, strconv.Quote(f)) || !strings.Contains(msg, why) {
			t.Errorf("ParseFormat(%q) error %q: want ErrFormat, the quoted format and %q", f, msg, why)
		}
	}
}

// impliedSize reads the itemsize a format describes from structTable,
// independently of ParseFormat: an optional prefix, an optional count of 1,
// then one code. ok is false for anything else.
var formatShape = regexp.MustCompile(`^([@^=<>!]?)(?:0*1)?(Z?.)$`)

func impliedSize(f string) (size int, ok bool) {
	m := formatShape.FindStringSubmatch(f)
	if m == nil {
		return 0, false
	}
	col := 0
	if m[1] != "^" {
		for i, p := range structPrefixes {
			if p == m[1] {
				col = i
			}
		}
	}
	for _, row := range structTable {
		if row.code == m[2] && row.size[col] > 0 {
			return row.size[col], true
		}
	}
	return 0, false
}

func FuzzParseFormat(f *testing.F) {
	for _, row := range structTable {
		for _, p := range append(structPrefixes[:], "^") {
			f.Add(p + row.code)
			f.Add(p + "1" + row.code)
		}
	}
	for _, junk := range []string{"", "Z", "2d", "0d", "dd", "d ", "<<d", "T{d:a:}",
		"(2)d", "d:x:", "Z1d", "\xff", "99999999999999999999d", "<", "1"} {
		f.Add(junk)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseFormat(s)
		if err != nil {
			if !errors.Is(err, ErrFormat) || d != core.InvalidDType {
				t.Fatalf("ParseFormat(%q) = %v, %v: errors must wrap ErrFormat and return InvalidDType", s, d, err)
			}
			return
		}
		if back, err := ParseFormat(Format(d)); err != nil || back != d {
			t.Fatalf("ParseFormat(%q) = %v, but Format gives %q which parses to %v, %v", s, d, Format(d), back, err)
		}
		size, ok := impliedSize(s)
		if !ok || size != d.Size() {
			t.Fatalf("ParseFormat(%q) = %v (%d bytes); the format implies %d bytes (ok=%v)", s, d, d.Size(), size, ok)
		}
	})
}
