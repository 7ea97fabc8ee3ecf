package core

import "unsafe"

func sliceAtPtr(x []float64) unsafe.Pointer { return unsafe.Pointer(&x[0]) }
