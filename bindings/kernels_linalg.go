package main

import (
	"fmt"

	"github.com/goarray/goarray/core"
)

// Linear-algebra kernels. "matmul": ops are (out, a, b), 1-D or 2-D, one
// integer or float32/float64 dtype; numpy's shape rules are checked again in core.Matmul.
func init() {
	registerKernel("matmul", func(ex *core.Exec, ops []*core.Array, _ []int, _ []float64) error {
		if len(ops) != 3 {
			return fmt.Errorf("%w: matmul kernel needs 3 operands (out, a, b), got %d", core.ErrValue, len(ops))
		}
		return core.Matmul(ex, ops[0], ops[1], ops[2])
	})
}
