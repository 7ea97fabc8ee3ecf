// Package builtin registers goarray's own Go kernels in the default
// registry, through the API any Go package registering kernels uses.
// Importing it (for its effect) is what makes them callable.
package builtin

import (
	"errors"
	"fmt"

	"github.com/goarray/goarray/core"
	"github.com/goarray/goarray/registry"
)

// dtype sets of the loops.
var (
	ints     = []core.DType{core.Int8, core.Int16, core.Int32, core.Int64, core.Uint8, core.Uint16, core.Uint32, core.Uint64}
	reals    = append(append([]core.DType{}, ints...), core.Float32, core.Float64)
	arith    = append(append([]core.DType{}, reals...), core.Complex64, core.Complex128)
	inexact  = []core.DType{core.Float32, core.Float64, core.Complex64, core.Complex128}
	all      = core.DTypes()
	withBool = append([]core.DType{core.Bool}, arith...)
)

// The parameters most families share.
var (
	out = registry.Param{Name: "out", Type: registry.OutArray}
	x   = registry.Param{Name: "x", Type: registry.InArray}
)

// Register adds the built-in families and operations to r (the package's
// init adds them to the default registry).
func Register(r *registry.Registry) error {
	var errs []error
	fam := func(f registry.Family, ops ...registry.Op) {
		if err := r.RegisterFamily(f); err != nil {
			errs = append(errs, err)
			return
		}
		for i := range ops {
			ops[i].Family = f.Name
		}
		if err := r.RegisterOps(ops...); err != nil {
			errs = append(errs, err)
		}
	}
	y := registry.Param{Name: "y", Type: registry.InArray}
	axes := registry.Param{Name: "axes", Type: registry.Ints}

	fam(registry.Family{Name: "binary", Kind: registry.Elementwise, Params: []registry.Param{out, x, y},
		Run: func(ex *core.Exec, op int, a *registry.Args) error {
			return core.Binary(ex, core.BinaryOp(op), a.Array(0), a.Array(1), a.Array(2))
		}},
		registry.Op{Name: "add", Code: int(core.OpAdd), Arity: 2, Serves: "add", DTypes: arith},
		registry.Op{Name: "subtract", Code: int(core.OpSubtract), Arity: 2, Serves: "subtract", DTypes: arith},
		registry.Op{Name: "multiply", Code: int(core.OpMultiply), Arity: 2, Serves: "multiply", DTypes: arith},
		registry.Op{Name: "divide", Code: int(core.OpDivide), Arity: 2, Serves: "true_divide", DTypes: inexact},
		registry.Op{Name: "minimum", Code: int(core.OpMinimum), Arity: 2, Serves: "minimum", DTypes: reals},
		registry.Op{Name: "maximum", Code: int(core.OpMaximum), Arity: 2, Serves: "maximum", DTypes: reals},
		// comparisons: a bool result; int64 against uint64 too (numpy's qQ
		// and Qq loops, core.Binary)
		registry.Op{Name: "equal", Code: int(core.OpEqual), Arity: 2, Serves: "equal", DTypes: all, Result: core.Bool},
		registry.Op{Name: "not_equal", Code: int(core.OpNotEqual), Arity: 2, Serves: "not_equal", DTypes: all, Result: core.Bool},
		registry.Op{Name: "less", Code: int(core.OpLess), Arity: 2, Serves: "less", DTypes: all, Result: core.Bool},
		registry.Op{Name: "less_equal", Code: int(core.OpLessEqual), Arity: 2, Serves: "less_equal", DTypes: all, Result: core.Bool},
		registry.Op{Name: "greater", Code: int(core.OpGreater), Arity: 2, Serves: "greater", DTypes: all, Result: core.Bool},
		registry.Op{Name: "greater_equal", Code: int(core.OpGreaterEqual), Arity: 2, Serves: "greater_equal", DTypes: all, Result: core.Bool},
	)

	unaryFloat := append([]core.DType{core.Float16}, inexact...)
	signed := []core.DType{core.Int8, core.Int16, core.Int32, core.Int64, core.Uint8, core.Uint16, core.Uint32,
		core.Uint64, core.Float16, core.Float32, core.Float64, core.Complex64, core.Complex128}
	fam(registry.Family{Name: "unary", Kind: registry.Elementwise, Params: []registry.Param{out, x},
		Run: func(ex *core.Exec, op int, a *registry.Args) error {
			return core.Unary(ex, core.UnaryOp(op), a.Array(0), a.Array(1))
		}},
		registry.Op{Name: "negative", Code: int(core.OpNegative), Arity: 1, Serves: "negative", DTypes: signed},
		registry.Op{Name: "absolute", Code: int(core.OpAbsolute), Arity: 1, Serves: "absolute", DTypes: append([]core.DType{core.Bool}, signed...)},
		registry.Op{Name: "sqrt", Code: int(core.OpSqrt), Arity: 1, Serves: "sqrt", DTypes: unaryFloat},
		registry.Op{Name: "exp", Code: int(core.OpExp), Arity: 1, Serves: "exp", DTypes: unaryFloat},
		registry.Op{Name: "log", Code: int(core.OpLog), Arity: 1, Serves: "log", DTypes: unaryFloat},
	)

	fam(registry.Family{Name: "reduce", Kind: registry.Reduction, Params: []registry.Param{out, x, axes},
		Run: func(ex *core.Exec, op int, a *registry.Args) error {
			return core.Reduce(ex, core.ReduceOp(op), a.Array(0), a.Array(1), a.Ints(2))
		}},
		registry.Op{Name: "sum", Code: int(core.OpSum), Arity: 1, Serves: "sum", DTypes: withBool},
		registry.Op{Name: "min", Code: int(core.OpMin), Arity: 1, Serves: "min", DTypes: withBool},
		registry.Op{Name: "max", Code: int(core.OpMax), Arity: 1, Serves: "max", DTypes: withBool},
		registry.Op{Name: "prod", Code: int(core.OpProd), Arity: 1, Serves: "prod", DTypes: withBool},
		registry.Op{Name: "all", Code: int(core.OpAll), Arity: 1, Serves: "all", DTypes: all},
		registry.Op{Name: "any", Code: int(core.OpAny), Arity: 1, Serves: "any", DTypes: all},
		registry.Op{Name: "count_nonzero", Code: int(core.OpCountNonzero), Arity: 1, Serves: "count_nonzero", DTypes: all},
	)

	fam(registry.Family{Name: "argreduce", Kind: registry.Reduction, Params: []registry.Param{out, x, axes},
		Run: func(ex *core.Exec, op int, a *registry.Args) error {
			return core.ArgReduce(ex, op == argmax, a.Array(0), a.Array(1), a.Ints(2))
		}},
		registry.Op{Name: "argmin", Code: argmin, Arity: 1, Serves: "argmin", DTypes: withBool},
		registry.Op{Name: "argmax", Code: argmax, Arity: 1, Serves: "argmax", DTypes: withBool},
	)

	fam(registry.Family{Name: "var", Kind: registry.Reduction,
		Params: []registry.Param{out, x, axes, {Name: "ddof", Type: registry.Float}},
		Run: func(ex *core.Exec, op int, a *registry.Args) error {
			return core.Var(ex, a.Array(0), a.Array(1), a.Ints(2), a.Float(3), op == std)
		}},
		registry.Op{Name: "var", Code: variance, Arity: 1, Serves: "var", DTypes: arith},
		registry.Op{Name: "std", Code: std, Arity: 1, Serves: "std", DTypes: arith},
	)

	fam(registry.Family{Name: "clip", Kind: registry.Elementwise,
		Params: []registry.Param{out, x, {Name: "lo", Type: registry.OptInArray}, {Name: "hi", Type: registry.OptInArray}},
		Run: func(ex *core.Exec, op int, a *registry.Args) error {
			return core.Clip(ex, a.Array(0), a.Array(1), a.Array(2), a.Array(3))
		}},
		registry.Op{Name: "clip", Code: 0, Arity: 3, Serves: "clip", DTypes: reals},
	)

	fam(registry.Family{Name: "copycast", Kind: registry.Other, Params: []registry.Param{out, x},
		Run: func(ex *core.Exec, op int, a *registry.Args) error {
			return core.CopyCast(ex, a.Array(0), a.Array(1))
		}},
		registry.Op{Name: "copycast", Code: 0, Arity: 1, Serves: "copyto", DTypes: all},
	)

	fam(registry.Family{Name: "scale", Kind: registry.Elementwise,
		Params: []registry.Param{{Name: "a", Type: registry.OutArray}, {Name: "n", Type: registry.Int},
			{Name: "z", Type: registry.Complex}},
		Run: func(ex *core.Exec, op int, a *registry.Args) error {
			return scaleBy(ex, a.Array(0), a.Int(1), a.Complex(2))
		}},
		registry.Op{Name: "scale", Code: 0, Arity: 1, Serves: "multiply", DTypes: arith},
	)

	fam(registry.Family{Name: "matmul", Kind: registry.LinearAlgebra,
		Params: []registry.Param{out, {Name: "a", Type: registry.InArray}, {Name: "b", Type: registry.InArray}},
		Run: func(ex *core.Exec, op int, a *registry.Args) error {
			return core.Matmul(ex, a.Array(0), a.Array(1), a.Array(2))
		}},
		registry.Op{Name: "matmul", Code: 0, Arity: 2, Serves: "matmul", DTypes: reals},
	)
	return errors.Join(errs...)
}

// The codes of the operations of families that are not core constants.
const (
	argmin   = 0
	argmax   = 1
	variance = 0
	std      = 1
)

func init() {
	// refusals are kept by the registry: registry.Err reports them
	_ = Register(registry.Default())
}

// scaleBy multiplies a in place by n (integer dtypes: n's two's
// complement bits, as numpy's *= casts) or z (the other dtypes).
func scaleBy(ex *core.Exec, a *core.Array, n int, z complex128) error {
	re := real(z)
	switch a.DType() {
	case core.Int8:
		return core.Scale(ex, a, int8(n))
	case core.Int16:
		return core.Scale(ex, a, int16(n))
	case core.Int32:
		return core.Scale(ex, a, int32(n))
	case core.Int64:
		return core.Scale(ex, a, int64(n))
	case core.Uint8:
		return core.Scale(ex, a, uint8(n))
	case core.Uint16:
		return core.Scale(ex, a, uint16(n))
	case core.Uint32:
		return core.Scale(ex, a, uint32(n))
	case core.Uint64:
		return core.Scale(ex, a, uint64(n))
	case core.Float32:
		return core.Scale(ex, a, float32(re))
	case core.Float64:
		return core.Scale(ex, a, re)
	case core.Complex64:
		return core.Scale(ex, a, complex64(z))
	case core.Complex128:
		return core.Scale(ex, a, z)
	}
	return fmt.Errorf("%w: scale is not implemented for %v", core.ErrDType, a.DType())
}
