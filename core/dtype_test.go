package core_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/goarray/goarray/core"
)

// numpyDTypes is np.dtype(name).{name, itemsize, kind, char} from numpy 2.4
// on 64-bit Linux.
var numpyDTypes = []struct {
	d    core.DType
	name string
	size int
	kind byte
	char byte
}{
	{core.Bool, "bool", 1, 'b', '?'},
	{core.Int8, "int8", 1, 'i', 'b'},
	{core.Int16, "int16", 2, 'i', 'h'},
	{core.Int32, "int32", 4, 'i', 'i'},
	{core.Int64, "int64", 8, 'i', 'l'},
	{core.Uint8, "uint8", 1, 'u', 'B'},
	{core.Uint16, "uint16", 2, 'u', 'H'},
	{core.Uint32, "uint32", 4, 'u', 'I'},
	{core.Uint64, "uint64", 8, 'u', 'L'},
	{core.Float16, "float16", 2, 'f', 'e'},
	{core.Float32, "float32", 4, 'f', 'f'},
	{core.Float64, "float64", 8, 'f', 'd'},
	{core.Complex64, "complex64", 8, 'c', 'F'},
	{core.Complex128, "complex128", 16, 'c', 'D'},
}

func TestDTypesMatchNumpy(t *testing.T) {
	all := core.DTypes()
	if len(all) != len(numpyDTypes) {
		t.Fatalf("DTypes() has %d dtypes, want %d", len(all), len(numpyDTypes))
	}
	for i, tc := range numpyDTypes {
		d := tc.d
		if all[i] != d || !d.Valid() || d.String() != tc.name || d.Size() != tc.size || d.Kind() != tc.kind || d.Char() != tc.char {
			t.Errorf("%v: DTypes()[%d] %v, Valid %v, Size %d, Kind %q, Char %q; want %s %d %q %q",
				d, i, all[i], d.Valid(), d.Size(), d.Kind(), d.Char(), tc.name, tc.size, tc.kind, tc.char)
		}
		if got, err := core.ParseDType(tc.name); err != nil || got != d {
			t.Errorf("ParseDType(%q) = %v, %v", tc.name, got, err)
		}
		if !strings.Contains(core.DTypeNames(), tc.name) {
			t.Errorf("DTypeNames() = %q lacks %s", core.DTypeNames(), tc.name)
		}
	}
}

func TestInvalidDType(t *testing.T) {
	for _, d := range []core.DType{core.InvalidDType, core.DType(15), core.DType(255)} {
		if d.Valid() || d.Size() != 0 || d.Kind() != 0 || d.Char() != 0 || !strings.HasPrefix(d.String(), "DType(") {
			t.Errorf("DType(%d): Valid %v Size %d Kind %q Char %q String %q", uint8(d), d.Valid(), d.Size(), d.Kind(), d.Char(), d.String())
		}
	}
	for _, name := range []string{"", "float", "f8", "Float64", "invalid", "object"} {
		d, err := core.ParseDType(name)
		if !errors.Is(err, core.ErrDType) || d != core.InvalidDType || !strings.Contains(err.Error(), "float64") {
			t.Errorf("ParseDType(%q) = %v, %v; want ErrDType listing the accepted names", name, d, err)
		}
	}
}
