package main

import (
	"fmt"

	"github.com/goarray/goarray/core"
)

// The reduction kernels besides "reduce" (kernels.go), which runs every
// core.ReduceOp: ints = (op, axes...).
func init() {
	// argreduce: ops = (dst int64, src), ints = (isMax, axes...).
	registerKernel("argreduce", func(ex *core.Exec, ops []*core.Array, ip []int, _ []float64) error {
		if len(ops) != 2 || len(ip) < 1 {
			return fmt.Errorf("%w: argreduce kernel needs 2 operands and a direction", core.ErrValue)
		}
		return core.ArgReduce(ex, ip[0] != 0, ops[0], ops[1], ip[1:])
	})
	// var: ops = (dst, src), ints = (std, axes...), floats = (ddof,).
	registerKernel("var", func(ex *core.Exec, ops []*core.Array, ip []int, fp []float64) error {
		if len(ops) != 2 || len(ip) < 1 || len(fp) != 1 {
			return fmt.Errorf("%w: var kernel needs 2 operands, std and ddof", core.ErrValue)
		}
		return core.Var(ex, ops[0], ops[1], ip[1:], fp[0], ip[0] != 0)
	})
}
