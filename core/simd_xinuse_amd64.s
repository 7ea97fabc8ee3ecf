//go:build goexperiment.simd && amd64

#include "textflag.h"

// func xinuse() uint64
TEXT ·xinuse(SB), NOSPLIT, $0-8
	MOVL $1, CX
	BYTE $0x0f; BYTE $0x01; BYTE $0xd0 // XGETBV
	SHLQ $32, DX
	ORQ  DX, AX
	MOVQ AX, ret+0(FP)
	RET

// func hasXinuse() bool
TEXT ·hasXinuse(SB), NOSPLIT, $0-1
	MOVL  $0x0d, AX
	MOVL  $1, CX
	CPUID
	SHRL  $2, AX
	ANDL  $1, AX
	MOVB  AX, ret+0(FP)
	RET
