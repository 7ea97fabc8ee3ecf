package core

import (
	"fmt"
	"strings"
)

// DType identifies the element type of an Array. The values match numpy's
// builtin numeric dtypes; the zero value is invalid.
type DType uint8

// The supported element types.
const (
	InvalidDType DType = iota
	Bool
	Int8
	Int16
	Int32
	Int64
	Uint8
	Uint16
	Uint32
	Uint64
	Float16
	Float32
	Float64
	Complex64
	Complex128
	numDTypes
)

type dtypeInfo struct {
	name string // numpy's name, e.g. "float32"
	size int    // bytes per element
	kind byte   // numpy's kind: 'b', 'i', 'u', 'f', 'c'
	char byte   // numpy's type character, e.g. 'f'
}

var dtypeTable = [numDTypes]dtypeInfo{
	InvalidDType: {"invalid", 0, 0, 0},
	Bool:         {"bool", 1, 'b', '?'},
	Int8:         {"int8", 1, 'i', 'b'},
	Int16:        {"int16", 2, 'i', 'h'},
	Int32:        {"int32", 4, 'i', 'i'},
	Int64:        {"int64", 8, 'i', 'l'},
	Uint8:        {"uint8", 1, 'u', 'B'},
	Uint16:       {"uint16", 2, 'u', 'H'},
	Uint32:       {"uint32", 4, 'u', 'I'},
	Uint64:       {"uint64", 8, 'u', 'L'},
	Float16:      {"float16", 2, 'f', 'e'},
	Float32:      {"float32", 4, 'f', 'f'},
	Float64:      {"float64", 8, 'f', 'd'},
	Complex64:    {"complex64", 8, 'c', 'F'},
	Complex128:   {"complex128", 16, 'c', 'D'},
}

// DTypes lists every supported dtype in a fixed order.
func DTypes() []DType {
	out := make([]DType, 0, numDTypes-1)
	for d := Bool; d < numDTypes; d++ {
		out = append(out, d)
	}
	return out
}

// Valid reports whether d is one of the supported dtypes.
func (d DType) Valid() bool { return d > InvalidDType && d < numDTypes }

// Size is the number of bytes of one element.
func (d DType) Size() int {
	if !d.Valid() {
		return 0
	}
	return dtypeTable[d].size
}

// Alignment is the address alignment an element needs to be loaded as a
// Go value: its size, or for complex types the size of one part.
func (d DType) Alignment() int {
	if d.Kind() == 'c' {
		return d.Size() / 2
	}
	return d.Size()
}

// String returns numpy's name of the dtype ("float32").
func (d DType) String() string {
	if !d.Valid() {
		return fmt.Sprintf("DType(%d)", uint8(d))
	}
	return dtypeTable[d].name
}

// Kind returns numpy's kind character: 'b' bool, 'i' signed, 'u' unsigned,
// 'f' floating, 'c' complex.
func (d DType) Kind() byte {
	if !d.Valid() {
		return 0
	}
	return dtypeTable[d].kind
}

// Char returns numpy's single-character type code (numpy.dtype.char on
// 64-bit Linux).
func (d DType) Char() byte {
	if !d.Valid() {
		return 0
	}
	return dtypeTable[d].char
}

// DTypeNames lists numpy's names of the supported dtypes, for error messages.
func DTypeNames() string {
	names := make([]string, 0, numDTypes-1)
	for _, d := range DTypes() {
		names = append(names, d.String())
	}
	return strings.Join(names, ", ")
}

// ParseDType maps numpy's name of a dtype ("float32") to a DType.
func ParseDType(name string) (DType, error) {
	for _, d := range DTypes() {
		if dtypeTable[d].name == name {
			return d, nil
		}
	}
	return InvalidDType, fmt.Errorf("%w: unknown dtype %q (accepted: %s)", ErrDType, name, DTypeNames())
}
