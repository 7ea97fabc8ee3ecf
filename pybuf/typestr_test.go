package pybuf

import (
	"errors"
	"strconv"
	"strings"
	"testing"

	"github.com/goarray/goarray/core"
)

// numpyTypestrs is numpy.dtype(dt).str for every dtype, from numpy 2.4 on
// x86-64 Linux.
var numpyTypestrs = map[core.DType]string{
	core.Bool: "|b1", core.Int8: "|i1", core.Int16: "<i2", core.Int32: "<i4",
	core.Int64: "<i8", core.Uint8: "|u1", core.Uint16: "<u2", core.Uint32: "<u4",
	core.Uint64: "<u8", core.Float16: "<f2", core.Float32: "<f4", core.Float64: "<f8",
	core.Complex64: "<c8", core.Complex128: "<c16",
}

func TestTypestrRoundTrip(t *testing.T) {
	if nativeOrder != '<' {
		t.Skip("expectations are for a little-endian machine")
	}
	for _, d := range core.DTypes() {
		s := Typestr(d)
		if want := numpyTypestrs[d]; s != want {
			t.Errorf("Typestr(%v) = %q, want %q", d, s, want)
		}
		if got, err := ParseTypestr(s); err != nil || got != d {
			t.Errorf("ParseTypestr(%q) = %v, %v; want %v", s, got, err, d)
		}
		// '=' and '|' mean "this machine's order" for any size.
		for _, order := range []string{"=", "|"} {
			alt := order + s[1:]
			if got, err := ParseTypestr(alt); err != nil || got != d {
				t.Errorf("ParseTypestr(%q) = %v, %v; want %v", alt, got, err, d)
			}
		}
		descr := Descr(d)
		if len(descr) != 1 || descr[0] != (DescrField{"", s}) {
			t.Errorf("Descr(%v) = %v, want [{\"\" %q}]", d, descr, s)
		}
	}
	if Typestr(core.InvalidDType) != "" {
		t.Errorf("Typestr(InvalidDType) = %q, want \"\"", Typestr(core.InvalidDType))
	}
}

func TestParseTypestrAccepts(t *testing.T) {
	for s, want := range map[string]core.DType{
		">i1": core.Int8, ">b1": core.Bool, "<u1": core.Uint8, "<f08": core.Float64,
	} {
		if got, err := ParseTypestr(s); err != nil || got != want {
			t.Errorf("ParseTypestr(%q) = %v, %v; want %v", s, got, err, want)
		}
	}
}

func TestParseTypestrRefusals(t *testing.T) {
	if nativeOrder != '<' {
		t.Skip("expectations are for a little-endian machine")
	}
	for s, why := range map[string]string{
		"":                          "want a byte order",
		"<f":                        "want a byte order",
		"f8":                        "want a byte order",
		"?f8":                       "unknown byte order",
		">f8":                       "non-native byte order",
		">i2":                       "non-native byte order",
		"<f16":                      "no goarray dtype",
		"<c32":                      "no goarray dtype",
		"<i3":                       "no goarray dtype",
		"|b2":                       "no goarray dtype",
		"<M8":                       "kind 'M'",
		"|O8":                       "kind 'O'",
		"|S5":                       "kind 'S'",
		"|V16":                      "kind 'V'",
		"<f0":                       "itemsize",
		"<f-8":                      "itemsize",
		"<f+8":                      "itemsize",
		"<f 8":                      "itemsize",
		"<f8x":                      "itemsize",
		"<i99999":                   "itemsize",
		"<i99999999999999999999999": "itemsize",
	} {
		got, err := ParseTypestr(s)
		if err == nil {
			t.Errorf("ParseTypestr(%q) = %v, want an error", s, got)
			continue
		}
		msg := err.Error()
		if !errors.Is(err, ErrFormat) || !strings.Contains(msg, strconv.Quote(s)) || !strings.Contains(msg, why) {
			t.Errorf("ParseTypestr(%q) error %q: want ErrFormat, the quoted string and %q", s, msg, why)
		}
	}
}
