package pybuf

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/goarray/goarray/core"
)

// numpyRules restates array_getbuffer's checks as data, in numpy's order,
// with CPython's raw flag values: a rule applies when the request has all of
// mask's bits (or, with absent, lacks some of them), and then refuses the
// request unless the record has one of needAny and none of forbid.
var numpyRules = []struct {
	mask    int
	absent  bool
	needAny uint32
	forbid  uint32
	reason  string
}{
	{0x38, false, BitCContig, 0, "not C-contiguous"},
	{0x58, false, BitFContig, 0, "not Fortran contiguous"},
	{0x98, false, BitCContig | BitFContig, 0, "not contiguous"},
	{0x18, true, BitCContig, 0, "not C-contiguous, and a request without PyBUF_STRIDES needs a C-contiguous block"},
	{0x01, false, 0, BitReadOnly, "read-only"},
}

// modelRefusal is the reason numpy's rules give, or "" when they grant.
func modelRefusal(bits uint32, flags int) string {
	for _, r := range numpyRules {
		if (flags&r.mask == r.mask) == r.absent {
			continue
		}
		if (r.needAny != 0 && bits&r.needAny == 0) || bits&r.forbid != 0 {
			return r.reason
		}
	}
	return ""
}

// modelStrides says which strides numpy hands back, indexed by
// [C-contiguous][F-contiguous][F_CONTIGUOUS requested].
var modelStrides = [2][2][2]string{
	{{"own", "own"}, {"F", "F"}},
	{{"C", "C"}, {"C", "F"}},
}

// allRequests is every subset of the flag bits CPython defines.
func allRequests() []int {
	bitsUsed := []int{0x1, 0x4, 0x8, 0x10, 0x20, 0x40, 0x80, 0x100}
	var out []int
	for subset := 0; subset < 1<<len(bitsUsed); subset++ {
		flags := 0
		for i, b := range bitsUsed {
			if subset&(1<<i) != 0 {
				flags |= b
			}
		}
		out = append(out, flags)
	}
	return out
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

func TestCheckAndAnswerAgainstModel(t *testing.T) {
	for bits := uint32(0); bits < 8; bits++ {
		rec := Record{
			Shape: []int{2, 3}, Strides: []int{100, 200},
			CStrides: []int{24, 8}, FStrides: []int{8, 16},
			Itemsize: 8, Format: "d", Bits: bits,
		}
		for _, flags := range allRequests() {
			want := modelRefusal(bits, flags)
			checkErr := Check(bits, flags)
			rep, err := Answer(rec, flags)
			if (checkErr == nil) != (err == nil) {
				t.Fatalf("bits %d flags %#x: Check says %v, Answer says %v", bits, flags, checkErr, err)
			}
			if want != "" {
				var re *RequestError
				if !errors.As(err, &re) || !errors.Is(err, ErrRequest) || re.Reason != want || re.Flags != flags ||
					!strings.Contains(err.Error(), FlagsString(flags)+" refused") {
					t.Errorf("bits %d flags %s: got %v, want refusal %q", bits, FlagsString(flags), err, want)
				}
				continue
			}
			if err != nil {
				t.Errorf("bits %d flags %s: refused (%v), numpy grants it", bits, FlagsString(flags), err)
				continue
			}
			var wantRep Reply
			wantRep.ReadOnly = bits&4 != 0
			if flags&0x4 != 0 {
				wantRep.Format = "d"
			}
			if flags&0x8 != 0 {
				wantRep.NDim, wantRep.Shape = 2, rec.Shape
			}
			if flags&0x18 == 0x18 {
				pick := modelStrides[b2i(bits&1 != 0)][b2i(bits&2 != 0)][b2i(flags&0x58 == 0x58)]
				wantRep.Strides = map[string][]int{"own": rec.Strides, "C": rec.CStrides, "F": rec.FStrides}[pick]
			}
			if !reflect.DeepEqual(rep, wantRep) {
				t.Errorf("bits %d flags %s: Answer = %+v, want %+v", bits, FlagsString(flags), rep, wantRep)
			}
		}
	}
}

func TestColumnBothContiguous(t *testing.T) {
	// A (3, 1) column is C- and F-contiguous whatever its second stride.
	rec := NewRecord([]int{3, 1}, []int{8, 100}, core.Float64, false)
	if rec.Bits != BitCContig|BitFContig {
		t.Fatalf("Bits = %b, want C and F", rec.Bits)
	}
	for _, tc := range []struct {
		flags int
		want  []int
	}{
		{BufFContiguous, []int{8, 24}},
		{BufFContiguous | BufCContiguous, []int{8, 24}},
		{BufCContiguous, []int{8, 8}},
		{BufAnyContiguous, []int{8, 8}},
		{BufStrided, []int{8, 8}},
		{BufFullRO, []int{8, 8}},
	} {
		rep, err := Answer(rec, tc.flags)
		if err != nil || !reflect.DeepEqual(rep.Strides, tc.want) {
			t.Errorf("%s: strides %v, %v; want %v", FlagsString(tc.flags), rep.Strides, err, tc.want)
		}
	}
}

func TestTransposed(t *testing.T) {
	// The transpose of a C-ordered (2, 3) float64 array: F- but not C-contiguous.
	rec := NewRecord([]int{3, 2}, []int{8, 24}, core.Float64, false)
	for _, flags := range []int{BufStrided, BufRecordsRO, BufFull, BufFContiguous, BufAnyContiguous} {
		rep, err := Answer(rec, flags)
		if err != nil || !reflect.DeepEqual(rep.Strides, []int{8, 24}) {
			t.Errorf("%s: %+v, %v; want strides [8 24]", FlagsString(flags), rep, err)
		}
	}
	for _, flags := range []int{BufSimple, BufND, BufContig, BufCContiguous, BufWritable | BufFormat} {
		if _, err := Answer(rec, flags); !errors.Is(err, ErrRequest) || !strings.Contains(err.Error(), "not C-contiguous") {
			t.Errorf("%s: %v, want a not C-contiguous refusal", FlagsString(flags), err)
		}
	}
	want := "pybuf: buffer request PyBUF_C_CONTIGUOUS refused: goarray.Array is not C-contiguous"
	if _, err := Answer(rec, BufCContiguous); err == nil || err.Error() != want {
		t.Errorf("message %q, want %q", err, want)
	}
}

func TestStepSliced(t *testing.T) {
	// a[::2] of a float64 vector: neither C- nor F-contiguous.
	rec := NewRecord([]int{4}, []int{16}, core.Float64, false)
	rep, err := Answer(rec, BufRecords)
	if err != nil || !reflect.DeepEqual(rep.Strides, []int{16}) || rep.Format != "d" || rep.NDim != 1 {
		t.Errorf("RECORDS: %+v, %v", rep, err)
	}
	want := "pybuf: buffer request PyBUF_ANY_CONTIGUOUS refused: goarray.Array is not contiguous"
	if _, err := Answer(rec, BufAnyContiguous); err == nil || err.Error() != want {
		t.Errorf("message %q, want %q", err, want)
	}
	want = "pybuf: buffer request PyBUF_F_CONTIGUOUS refused: goarray.Array is not Fortran contiguous"
	if _, err := Answer(rec, BufFContiguous); err == nil || err.Error() != want {
		t.Errorf("message %q, want %q", err, want)
	}
}

func TestReadOnly(t *testing.T) {
	rec := NewRecord([]int{2, 3}, []int{12, 4}, core.Int32, true)
	for _, flags := range []int{BufWritable, BufContig, BufStrided, BufRecords, BufFull} {
		_, err := Answer(rec, flags)
		var re *RequestError
		if !errors.As(err, &re) || re.Reason != ReasonReadOnly {
			t.Errorf("%s on a read-only array: %v, want a read-only refusal", FlagsString(flags), err)
		}
	}
	rep, err := Answer(rec, BufRecordsRO)
	if err != nil || !rep.ReadOnly || rep.Format != "i" {
		t.Errorf("RECORDS_RO on a read-only array: %+v, %v", rep, err)
	}
	// A read-only request on a writable array gets a writable buffer.
	rep, err = Answer(NewRecord([]int{2}, []int{4}, core.Int32, false), BufSimple)
	if err != nil || rep.ReadOnly || rep.NDim != 0 || rep.Shape != nil || rep.Strides != nil || rep.Format != "" {
		t.Errorf("SIMPLE: %+v, %v", rep, err)
	}
}
