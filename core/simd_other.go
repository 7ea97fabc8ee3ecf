//go:build !(goexperiment.simd && amd64)

package core

import "unsafe"

// Without GOEXPERIMENT=simd (or off amd64) the portable loops run; see
// simd_amd64.go.

const useSIMD = false

func simdMinMax[T Real](isMax bool, x []T) (v T, ok bool) { return v, false }

// SIMD names the vector instructions the kernels use on this CPU ("" for
// none: this build has only the portable loops).
func SIMD() string { return "" }

func simdBinary[T Number](op BinaryOp, d, a, b []T) bool { return false }

func simdScale[T Number](d []T, s T) bool { return false }

func simdSum4[T Real](p unsafe.Pointer, q int) (r [4]T, ok bool) { return r, false }

func simdCompare[T Real](op BinaryOp, d []bool, a, b []T) bool { return false }

func simdCompareScalar(dt DType, op BinaryOp, d []bool, a, s unsafe.Pointer, first bool) bool {
	return false
}

func upperClean() {}
