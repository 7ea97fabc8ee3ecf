package pybuf

import "testing"

func TestFlagValuesMatchCPython(t *testing.T) {
	// Values from CPython's Include/pybuffer.h.
	for name, c := range map[string]struct{ got, want int }{
		"SIMPLE": {BufSimple, 0}, "WRITABLE": {BufWritable, 0x1}, "FORMAT": {BufFormat, 0x4},
		"ND": {BufND, 0x8}, "STRIDES": {BufStrides, 0x18}, "C_CONTIGUOUS": {BufCContiguous, 0x38},
		"F_CONTIGUOUS": {BufFContiguous, 0x58}, "ANY_CONTIGUOUS": {BufAnyContiguous, 0x98},
		"INDIRECT": {BufIndirect, 0x118}, "CONTIG": {BufContig, 0x9}, "CONTIG_RO": {BufContigRO, 0x8},
		"STRIDED": {BufStrided, 0x19}, "STRIDED_RO": {BufStridedRO, 0x18}, "RECORDS": {BufRecords, 0x1d},
		"RECORDS_RO": {BufRecordsRO, 0x1c}, "FULL": {BufFull, 0x11d}, "FULL_RO": {BufFullRO, 0x11c},
	} {
		if c.got != c.want {
			t.Errorf("PyBUF_%s = %#x, want %#x", name, c.got, c.want)
		}
	}
}

func TestFlagsString(t *testing.T) {
	for flags, want := range map[int]string{
		BufSimple:                    "PyBUF_SIMPLE",
		BufWritable:                  "PyBUF_WRITABLE",
		BufContigRO:                  "PyBUF_ND",
		BufStridedRO:                 "PyBUF_STRIDES",
		BufFContiguous:               "PyBUF_F_CONTIGUOUS",
		BufRecordsRO:                 "PyBUF_RECORDS_RO",
		BufFullRO:                    "PyBUF_FULL_RO",
		BufCContiguous | BufFormat:   "PyBUF_C_CONTIGUOUS|PyBUF_FORMAT",
		BufCContiguous | BufWritable: "PyBUF_C_CONTIGUOUS|PyBUF_WRITABLE",
		BufCContiguous | BufFContiguous | BufFormat | BufWritable: "PyBUF_C_CONTIGUOUS|PyBUF_F_CONTIGUOUS|PyBUF_FORMAT|PyBUF_WRITABLE",
		BufIndirect | BufAnyContiguous:                            "PyBUF_ANY_CONTIGUOUS|PyBUF_INDIRECT",
		BufND | BufWritable | BufFormat:                           "PyBUF_ND|PyBUF_FORMAT|PyBUF_WRITABLE",
		0x20 | BufFormat:                                          "PyBUF_FORMAT|0x20",
		0x2:                                                       "0x2",
		0x200 | BufND:                                             "PyBUF_ND|0x200",
	} {
		if got := FlagsString(flags); got != want {
			t.Errorf("FlagsString(%#x) = %q, want %q", flags, got, want)
		}
	}
}
