package main

import (
	"fmt"

	"github.com/goarray/goarray/core"
)

// The elementwise kernels of python/goarray/_unary.py.
func init() {
	// unary: ops (dst, src), ints (op).
	registerKernel("unary", func(ex *core.Exec, ops []*core.Array, ip []int, _ []float64) error {
		if len(ops) != 2 || len(ip) != 1 {
			return fmt.Errorf("%w: unary kernel needs 2 operands and an op", core.ErrValue)
		}
		return core.Unary(ex, core.UnaryOp(ip[0]), ops[0], ops[1])
	})
	// clip: ops (dst, x, then lo if ints[0] != 0, then hi if ints[1] != 0).
	registerKernel("clip", func(ex *core.Exec, ops []*core.Array, ip []int, _ []float64) error {
		if len(ip) != 2 || len(ops) != 2+btoi(ip[0] != 0)+btoi(ip[1] != 0) {
			return fmt.Errorf("%w: clip kernel needs (dst, x, [lo], [hi]) and two flags", core.ErrValue)
		}
		var lo, hi *core.Array
		rest := ops[2:]
		if ip[0] != 0 {
			lo, rest = rest[0], rest[1:]
		}
		if ip[1] != 0 {
			hi = rest[0]
		}
		return core.Clip(ex, ops[0], ops[1], lo, hi)
	})
	// copycast: ops (dst, src).
	registerKernel("copycast", func(ex *core.Exec, ops []*core.Array, _ []int, _ []float64) error {
		if len(ops) != 2 {
			return fmt.Errorf("%w: copycast kernel needs 2 operands", core.ErrValue)
		}
		return core.CopyCast(ex, ops[0], ops[1])
	})
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}
