// Package pybuf computes everything goarray hands to Python's buffer
// protocol (PEP 3118) and to numpy's __array_interface__ that can be worked
// out without CPython's headers: format strings, type strings, and which
// buffer requests are granted with what shape, strides and format.
//
//	rec := pybuf.NewRecord([]int{2, 3}, []int{24, 8}, core.Float64, false)
//	reply, err := pybuf.Answer(rec, pybuf.BufRecordsRO)
//	// reply.Format == "d", reply.Shape == [2 3], reply.Strides == [24 8]
//
// # Why a separate package
//
// The bindings package is the only place with cgo and CPython. Keeping the
// protocol's rules here means they are plain Go, tested exhaustively with
// go test and no Python installed, and the C side of getbuffer never calls
// back into Go: it copies what a Record already holds, choosing what to
// hand out from a table the bindings fill at import with Answer's reply to
// every request for every combination of Record.Bits.
//
// # The reference is numpy
//
// Every answer matches what numpy gives for an ndarray of the same dtype and
// layout on 64-bit Linux: Format is memoryview(a).format, Typestr is
// a.dtype.str, and Check/Answer follow array_getbuffer in numpy's
// buffer.c rule by rule, in the same order. Where goarray's message differs
// from numpy's (it names the request that was refused), the condition does
// not.
//
// # Byte order
//
// goarray arrays are always in the machine's byte order. Formats and type
// strings that ask for the other order are refused rather than swapped.
package pybuf
