package pybuf

import "encoding/binary"

// nativeOrder is numpy's byte-order character for this machine: '<' on
// little-endian machines (every platform goarray ships for), '>' otherwise.
// It is computed rather than assumed so that a big-endian build refuses
// little-endian formats instead of reading them with the wrong order.
var nativeOrder = func() byte {
	if binary.NativeEndian.Uint16([]byte{1, 0}) == 1 {
		return '<'
	}
	return '>'
}()
