package pybuf

import (
	"fmt"
	"strings"
)

// Buffer request flags, with the values of CPython's PyBUF_* constants so the
// bindings pass the int they are given straight through. Each "contiguous"
// and the INDIRECT flag include STRIDES (and so ND), as in CPython: a
// request is tested with (flags&F)==F, never flags&F != 0.
const (
	BufSimple        = 0
	BufWritable      = 0x0001
	BufFormat        = 0x0004
	BufND            = 0x0008
	BufStrides       = 0x0010 | BufND
	BufCContiguous   = 0x0020 | BufStrides
	BufFContiguous   = 0x0040 | BufStrides
	BufAnyContiguous = 0x0080 | BufStrides
	BufIndirect      = 0x0100 | BufStrides

	BufContig     = BufND | BufWritable
	BufContigRO   = BufND
	BufStrided    = BufStrides | BufWritable
	BufStridedRO  = BufStrides
	BufRecords    = BufStrides | BufWritable | BufFormat
	BufRecordsRO  = BufStrides | BufFormat
	BufFull       = BufIndirect | BufWritable | BufFormat
	BufFullRO     = BufIndirect | BufFormat
	bufNamePrefix = "PyBUF_"
)

// flagNames gives the names FlagsString prefers for a whole request: the
// single flags first, then CPython's composite names.
var flagNames = []struct {
	flags int
	name  string
}{
	{BufSimple, "SIMPLE"}, {BufWritable, "WRITABLE"}, {BufFormat, "FORMAT"},
	{BufND, "ND"}, {BufStrides, "STRIDES"}, {BufCContiguous, "C_CONTIGUOUS"},
	{BufFContiguous, "F_CONTIGUOUS"}, {BufAnyContiguous, "ANY_CONTIGUOUS"},
	{BufIndirect, "INDIRECT"}, {BufContig, "CONTIG"}, {BufStrided, "STRIDED"},
	{BufRecords, "RECORDS"}, {BufRecordsRO, "RECORDS_RO"}, {BufFull, "FULL"},
	{BufFullRO, "FULL_RO"},
}

// flagParts is the order in which FlagsString spells out a request that
// has no single name: the flags that imply others come first, so
// C_CONTIGUOUS is not followed by the STRIDES and ND it already includes.
var flagParts = []struct {
	flags int
	name  string
}{
	{BufCContiguous, "C_CONTIGUOUS"}, {BufFContiguous, "F_CONTIGUOUS"},
	{BufAnyContiguous, "ANY_CONTIGUOUS"}, {BufIndirect, "INDIRECT"},
	{BufStrides, "STRIDES"}, {BufND, "ND"}, {BufFormat, "FORMAT"},
	{BufWritable, "WRITABLE"},
}

// FlagsString names a buffer request for error messages, as a CPython
// programmer would write it: "PyBUF_RECORDS_RO", or
// "PyBUF_C_CONTIGUOUS|PyBUF_FORMAT" when no single name fits. Bits that
// are not part of a whole flag (0x20 without STRIDES, say, or bits CPython
// does not define) are shown in hex so nothing the caller sent is hidden.
func FlagsString(flags int) string {
	for _, n := range flagNames {
		if flags == n.flags {
			return bufNamePrefix + n.name
		}
	}
	var parts []string
	covered := 0
	for _, p := range flagParts {
		if flags&p.flags == p.flags && p.flags&^covered != 0 {
			parts = append(parts, bufNamePrefix+p.name)
			covered |= p.flags
		}
	}
	if rest := flags &^ covered; rest != 0 {
		parts = append(parts, fmt.Sprintf("%#x", rest))
	}
	return strings.Join(parts, "|")
}
