package pybuf

import "fmt"

// RequestError is a refused buffer request: which flags were asked for and
// why the array cannot satisfy them. It wraps ErrRequest.
type RequestError struct {
	Flags  int    // the PyBUF_* flags of the request
	Reason string // what the array is, e.g. "not Fortran contiguous"
}

func (e *RequestError) Error() string {
	return fmt.Sprintf("pybuf: buffer request %s refused: goarray.Array is %s", FlagsString(e.Flags), e.Reason)
}

// Unwrap makes errors.Is(err, ErrRequest) hold.
func (e *RequestError) Unwrap() error { return ErrRequest }

// Reasons a request is refused, in RequestError.Reason.
const (
	ReasonNotC         = "not C-contiguous"
	ReasonNotF         = "not Fortran contiguous"
	ReasonNotContig    = "not contiguous"
	ReasonNeedsStrides = "not C-contiguous, and a request without PyBUF_STRIDES needs a C-contiguous block"
	ReasonReadOnly     = "read-only"
)

// Check decides whether a buffer request with the given flags is granted
// for an array whose Record has the given Bits. It applies numpy's rules
// (array_getbuffer in numpy/_core/src/multiarray/buffer.c) in numpy's order,
// so the first failing rule names the refusal, as numpy's message would.
// PyBUF_INDIRECT is granted: goarray never has suboffsets, and NULL
// suboffsets satisfy an INDIRECT consumer.
func Check(bits uint32, flags int) error {
	c := bits&BitCContig != 0
	f := bits&BitFContig != 0
	refuse := func(reason string) error { return &RequestError{Flags: flags, Reason: reason} }
	switch {
	case flags&BufCContiguous == BufCContiguous && !c:
		return refuse(ReasonNotC)
	case flags&BufFContiguous == BufFContiguous && !f:
		return refuse(ReasonNotF)
	case flags&BufAnyContiguous == BufAnyContiguous && !c && !f:
		return refuse(ReasonNotContig)
	case flags&BufStrides != BufStrides && !c:
		// Without strides the consumer walks the memory as one C-ordered
		// block (or as bytes, without ND).
		return refuse(ReasonNeedsStrides)
	case flags&BufWritable != 0 && bits&BitReadOnly != 0:
		return refuse(ReasonReadOnly)
	}
	return nil
}

// Reply is what a granted request fills into the Py_buffer, besides the
// pointer, length and itemsize that do not depend on the flags.
type Reply struct {
	NDim     int    // 0 unless PyBUF_ND was asked for
	Shape    []int  // nil unless PyBUF_ND was asked for
	Strides  []int  // nil unless PyBUF_STRIDES was asked for
	Format   string // "" (a NULL format, meaning unsigned bytes) unless PyBUF_FORMAT
	ReadOnly bool   // the array's writability, whatever was asked
}

// Answer checks a request with Check and, if it is granted, says what to
// hand back, as numpy does. A contiguous array gets freshly computed
// strides rather than its own, because an axis of length 1 may carry any
// stride and some consumers test contiguity by comparing strides; when an
// array is both C- and F-contiguous (a column, say), an F_CONTIGUOUS request
// gets the Fortran strides and every other request the C ones. The slices in
// the Reply are r's, not copies.
func Answer(r Record, flags int) (Reply, error) {
	if err := Check(r.Bits, flags); err != nil {
		return Reply{}, err
	}
	c := r.Bits&BitCContig != 0
	f := r.Bits&BitFContig != 0
	rep := Reply{ReadOnly: r.Bits&BitReadOnly != 0}
	if flags&BufFormat == BufFormat {
		rep.Format = r.Format
	}
	if flags&BufND == BufND {
		rep.NDim, rep.Shape = len(r.Shape), r.Shape
	}
	if flags&BufStrides == BufStrides {
		switch {
		case c && !(flags&BufFContiguous == BufFContiguous && f):
			rep.Strides = r.CStrides
		case f:
			rep.Strides = r.FStrides
		default:
			rep.Strides = r.Strides
		}
	}
	return rep, nil
}
