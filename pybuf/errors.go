package pybuf

import "errors"

// Sentinel errors. Functions wrap them with a message that quotes what was
// asked and says what was wrong; callers test them with errors.Is.
var (
	// ErrFormat: a PEP 3118 format or numpy type string that goarray cannot
	// represent as one of its dtypes.
	ErrFormat = errors.New("pybuf: unsupported buffer format")
	// ErrRequest: a buffer request (PyBUF_* flags) that the array's layout
	// or writability cannot satisfy. The bindings raise it as BufferError.
	ErrRequest = errors.New("pybuf: buffer request refused")
)

// ErrMisaligned: a foreign buffer whose elements are not aligned to their
// size, which Go cannot load as typed values.
var ErrMisaligned = errors.New("pybuf: misaligned buffer")
