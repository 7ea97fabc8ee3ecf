package pybuf

import (
	"fmt"
	"strings"

	"github.com/goarray/goarray/core"
)

// Format returns the PEP 3118 format of one element of d exactly as numpy
// exports it: memoryview(numpy.empty(0, d)).format on 64-bit Linux. numpy
// uses native order and size with no prefix, so a consumer that compares
// formats with numpy's (Cython, pybind11, memoryview.cast) sees the same
// string. It returns "" for an invalid dtype, which the bindings export as a
// NULL format (unsigned bytes).
func Format(d core.DType) string {
	switch {
	case !d.Valid():
		return ""
	case d == core.Complex64:
		return "Zf" // numpy's char is 'F'; PEP 3118 spells complex as Z+float
	case d == core.Complex128:
		return "Zd"
	}
	return string(d.Char())
}

// codeInfo is what the struct module knows about one type code.
type codeInfo struct {
	kind     byte // numpy's kind: 'b', 'i', 'u' or 'f'
	native   int  // size with '@', '^' or no prefix (64-bit Linux, LP64)
	standard int  // size with '=', '<', '>' or '!'; 0: only valid native
}

// formatCodes lists the codes goarray maps to a dtype, with the sizes
// struct.calcsize gives. 'l' is the trap: 8 bytes native but 4 standard,
// so "<l" is int32 while "l" is int64.
var formatCodes = map[byte]codeInfo{
	'?': {'b', 1, 1},
	'b': {'i', 1, 1}, 'B': {'u', 1, 1},
	'h': {'i', 2, 2}, 'H': {'u', 2, 2},
	'i': {'i', 4, 4}, 'I': {'u', 4, 4},
	'l': {'i', 8, 4}, 'L': {'u', 8, 4},
	'q': {'i', 8, 8}, 'Q': {'u', 8, 8},
	'n': {'i', 8, 0}, 'N': {'u', 8, 0},
	'e': {'f', 2, 2}, 'f': {'f', 4, 4}, 'd': {'f', 8, 8},
}

// refusedCodes explains the codes the struct module or PEP 3118 define that
// have no goarray dtype, so the error says why instead of "unknown".
var refusedCodes = map[byte]string{
	'g': "long double ('g') has no goarray dtype",
	'c': "characters ('c') are not numbers",
	's': "strings ('s') are not numbers",
	'p': "Pascal strings ('p') are not numbers",
	'x': "padding bytes ('x') hold no value",
	'P': "pointers ('P') are not numbers",
	'O': "Python objects ('O') cannot live in Go memory",
	'u': "UCS-2 characters ('u') are not numbers",
	'w': "UCS-4 characters ('w') are not numbers",
	't': "bit fields ('t') are not supported",
	'T': "structured types ('T{...}') are not supported",
	'(': "subarrays ('(shape)') are not supported",
	'&': "pointers ('&') are not supported",
	'{': "structured types are not supported",
	':': "named fields are not supported",
}

// ParseFormat maps a single-element PEP 3118 format, as a foreign exporter
// hands it to goarray, to a dtype. It reads it the way the struct module and
// numpy do: one optional byte-order prefix ('@' or '^' native, '=', '<', '>',
// '!' standard sizes), an optional repeat count of 1, then one code ('?',
// 'b', 'B', 'h', 'H', 'i', 'I', 'l', 'L', 'q', 'Q', 'n', 'N', 'e', 'f', 'd',
// 'Zf', 'Zd'). The dtype is chosen by kind and size, so "<l" (4 bytes
// standard) is int32 and "q" is int64. Anything goarray cannot hold in place
// is refused with an error wrapping ErrFormat that quotes f and says why;
// it never panics.
func ParseFormat(f string) (core.DType, error) {
	refuse := func(why string, args ...any) (core.DType, error) {
		return core.InvalidDType, fmt.Errorf("%w %q: %s", ErrFormat, f, fmt.Sprintf(why, args...))
	}
	if f == "" {
		return refuse("empty format")
	}
	rest := f
	prefix := byte('@')
	if strings.IndexByte("@^=<>!", rest[0]) >= 0 {
		prefix, rest = rest[0], rest[1:]
	}
	native := prefix == '@' || prefix == '^'

	// A repeat count of 1 is one element; anything else is a subarray or
	// nothing at all, neither of which is an element type.
	digits := len(rest) - len(strings.TrimLeft(rest, "0123456789"))
	if digits > 0 {
		count := strings.TrimLeft(rest[:digits], "0")
		if count != "1" {
			if count == "" {
				count = "0"
			}
			return refuse("repeat count %s: goarray exports exactly one element per item", count)
		}
		rest = rest[digits:]
	}
	if rest == "" {
		return refuse("no type code")
	}

	complexCode := rest[0] == 'Z'
	if complexCode {
		rest = rest[1:]
		if rest == "" {
			return refuse("'Z' must be followed by 'f' or 'd'")
		}
	}
	code, tail := rest[0], rest[1:]
	info, known := formatCodes[code]
	switch {
	case complexCode && code == 'g':
		return refuse("complex long double ('Zg') has no goarray dtype")
	case complexCode && code != 'f' && code != 'd':
		return refuse("'Z' must be followed by 'f' or 'd', not %q", code)
	case !known:
		if why, ok := refusedCodes[code]; ok {
			return refuse("%s", why)
		}
		if strings.IndexByte("@^=<>!", code) >= 0 {
			return refuse("a byte-order prefix may only come first, and once")
		}
		return refuse("unknown type code %q", code)
	case tail != "":
		return refuseTail(refuse, tail)
	}

	size := info.native
	if !native {
		size = info.standard
		if size == 0 {
			return refuse("%q has only a native size; it cannot follow %q", code, prefix)
		}
	}
	kind := info.kind
	if complexCode {
		kind, size = 'c', 2*size
	}
	if size > 1 && isForeignOrder(prefix) {
		return refuse("non-native byte order %q: goarray arrays are in this machine's order (%q)", prefix, nativeOrder)
	}
	d, ok := byKindSize(kind, size)
	if !ok {
		// Unreachable with the tables above; kept so a new code cannot panic.
		return refuse("no goarray dtype of kind %q and size %d", kind, size)
	}
	return d, nil
}

// refuseTail explains what follows a valid code: another field (goarray
// arrays have one element type, not records) or junk.
func refuseTail(refuse func(string, ...any) (core.DType, error), tail string) (core.DType, error) {
	c := tail[0]
	_, isCode := formatCodes[c]
	switch {
	case c == ':' || c == '{':
		return refuse("%s", refusedCodes[c])
	case isCode || refusedCodes[c] != "" || strings.IndexByte("@^=<>!Z0123456789", c) >= 0:
		return refuse("multiple fields: goarray arrays hold a single element type")
	}
	return refuse("trailing garbage %q after the type code", tail)
}

// isForeignOrder reports whether a prefix names the byte order this machine
// does not use. '=' and the native prefixes always mean this machine's.
func isForeignOrder(prefix byte) bool {
	switch prefix {
	case '<':
		return nativeOrder != '<'
	case '>', '!':
		return nativeOrder != '>'
	}
	return false
}
