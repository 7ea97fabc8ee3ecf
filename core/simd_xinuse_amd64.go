//go:build goexperiment.simd && amd64

package core

// xinuse is XGETBV with ECX=1: the XINUSE bits, which state components
// are in use. Bit 2 (the upper halves of YMM0-15) and bit 6 (the upper
// halves of ZMM0-15) are what VZEROUPPER clears. Only where hasXinuse.
func xinuse() uint64

// hasXinuse reports whether the CPU has XGETBV with ECX=1
// (CPUID.(EAX=0DH,ECX=1):EAX[2]); the AVX2 CPUs useSIMD requires have
// CPUID leaf 0DH.
func hasXinuse() bool

// dirtyUpper is the XINUSE bits of dirty upper halves of YMM0-15/ZMM0-15.
const dirtyUpper = 1<<2 | 1<<6
