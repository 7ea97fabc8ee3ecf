//go:build !(goexperiment.simd && amd64)

package core

// Without GOEXPERIMENT=simd (or off amd64) the complex products run the
// portable loop; see simd_complex_amd64.go.

func simdCmul128(d, a, b []complex128) int { return 0 }

func simdCmul64(d, a, b []complex64) int { return 0 }
