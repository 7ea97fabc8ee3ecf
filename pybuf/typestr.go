package pybuf

import (
	"fmt"
	"strconv"

	"github.com/goarray/goarray/core"
)

// Typestr returns numpy's array-interface type string of d, the value of
// numpy.dtype(d).str: byte order ('|' when one byte has no order, else the
// machine's, '<' on every platform goarray ships for), kind and itemsize,
// e.g. "<f8", "|b1", "<c16". It returns "" for an invalid dtype.
func Typestr(d core.DType) string {
	if !d.Valid() {
		return ""
	}
	order := nativeOrder
	if d.Size() == 1 {
		order = '|'
	}
	return string([]byte{order, d.Kind()}) + strconv.Itoa(d.Size())
}

// ParseTypestr maps an __array_interface__ type string from a foreign
// exporter to a dtype. It accepts the byte orders numpy writes for data in
// this machine's order ('<' here, '|' and '=') plus any order for one-byte
// types, where order means nothing; kinds 'b', 'i', 'u', 'f', 'c'; and a
// decimal itemsize that names one of goarray's dtypes. Anything else
// (swapped bytes, long double "<f16", datetimes, strings, objects, records)
// is refused with an error wrapping ErrFormat that quotes s.
func ParseTypestr(s string) (core.DType, error) {
	refuse := func(why string, args ...any) (core.DType, error) {
		return core.InvalidDType, fmt.Errorf("%w: type string %q: %s", ErrFormat, s, fmt.Sprintf(why, args...))
	}
	if len(s) < 3 {
		return refuse("want a byte order, a kind and a size, like \"<f8\"")
	}
	order, kind, digits := s[0], s[1], s[2:]
	switch order {
	case '<', '>', '|', '=':
	default:
		return refuse("unknown byte order %q (want '<', '>', '|' or '=')", order)
	}
	switch kind {
	case 'b', 'i', 'u', 'f', 'c':
	default:
		return refuse("kind %q has no goarray dtype (want 'b', 'i', 'u', 'f' or 'c')", kind)
	}
	// Bounded so that a huge digit string is refused, not overflowed.
	size, err := strconv.Atoi(digits)
	if err != nil || size <= 0 || len(digits) > 3 || digits[0] < '0' || digits[0] > '9' {
		return refuse("itemsize %q is not a small positive decimal number", digits)
	}
	d, ok := byKindSize(kind, size)
	if !ok {
		return refuse("no goarray dtype of kind %q and itemsize %d", kind, size)
	}
	if size > 1 && (order == '<' || order == '>') && order != nativeOrder {
		return refuse("non-native byte order %q: goarray arrays are in this machine's order (%q)", order, nativeOrder)
	}
	return d, nil
}

// DescrField is one entry of numpy's __array_interface__ "descr": a field
// name ("" for a plain dtype) and its type string.
type DescrField struct {
	Name    string
	Typestr string
}

// Descr returns numpy's dtype.descr for d: a single unnamed field,
// [("", Typestr(d))]. The array interface requires descr alongside typestr;
// numpy only reads it for records, but consumers that build a dtype from it
// (numpy.dtype(descr)) then get the same dtype back.
func Descr(d core.DType) []DescrField {
	return []DescrField{{Name: "", Typestr: Typestr(d)}}
}
