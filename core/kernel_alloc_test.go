package core_test

import (
	"sync/atomic"
	"testing"
	"unsafe"

	"github.com/goarray/goarray/core"
)

// tally counts the blocks allocated through it and the bytes still live,
// so a test can tell that a kernel took its temporaries from the allocator
// of its Exec and gave them all back.
type tally struct {
	core.Allocator
	n, live atomic.Int64
}

func (a *tally) Allocate(size int, zero bool) ([]byte, error) {
	b, err := a.Allocator.Allocate(size, zero)
	if err == nil {
		a.n.Add(1)
		a.live.Add(int64(cap(b)))
	}
	return b, err
}

func (a *tally) Free(b []byte) {
	a.live.Add(-int64(cap(b)))
	a.Allocator.Free(b)
}

// kernelCase runs one kernel on operands it allocates from al, with ex
// carrying al; temp says whether the call must allocate a temporary (an
// input that overlaps the output, var's means). It returns the arrays to
// release after the call.
type kernelCase struct {
	name string
	temp bool
	run  func(t *testing.T, al core.Allocator, ex *core.Exec) []*core.Array
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func kernelCases() []kernelCase {
	reduce := func(op core.ReduceOp, dst core.DType) kernelCase {
		return kernelCase{"reduce " + op.String(), false, func(t *testing.T, al core.Allocator, ex *core.Exec) []*core.Array {
			src := arange(t, al, core.Int32, 40, 30)
			out := newArray(t, al, dst, 30)
			must(t, core.Reduce(ex, op, out, src, []int{0}))
			return []*core.Array{src, out}
		}}
	}
	cases := []kernelCase{
		{"binary overlapping", true, func(t *testing.T, al core.Allocator, ex *core.Exec) []*core.Array {
			a := arange(t, al, core.Float64, 101)
			// a[1:] = a[:-1] + a[::-1][1:]: both inputs overlap the output.
			must(t, core.Binary(ex, core.OpAdd, index(t, a, "1:"), index(t, a, ":-1"), index(t, a, "99::-1")))
			return []*core.Array{a}
		}},
		{"binary", false, func(t *testing.T, al core.Allocator, ex *core.Exec) []*core.Array {
			x, y, d := arange(t, al, core.Int16, 7, 9), arange(t, al, core.Int16, 9), newArray(t, al, core.Int16, 7, 9)
			must(t, core.Binary(ex, core.OpMultiply, d, x, y))
			return []*core.Array{x, y, d}
		}},
		{"binary flat and scalar flat", false, func(t *testing.T, al core.Allocator, ex *core.Exec) []*core.Array {
			x, d := arange(t, al, core.Float32, 1000), newArray(t, al, core.Float32, 1000)
			must(t, core.BinaryFlat(ex, core.OpSubtract, core.Float32, d.Data(), x.Data(), x.Data(), 1000))
			s := float32(2)
			must(t, core.BinaryScalarFlat(ex, core.OpAdd, core.Float32, d.Data(), x.Data(), unsafe.Pointer(&s), 1000, true))
			must(t, core.Scale(ex, d, float32(3)))
			return []*core.Array{x, d}
		}},
		{"unary overlapping", true, func(t *testing.T, al core.Allocator, ex *core.Exec) []*core.Array {
			a := arange(t, al, core.Float64, 64)
			must(t, core.Unary(ex, core.OpSqrt, index(t, a, "1:"), index(t, a, ":-1")))
			return []*core.Array{a}
		}},
		{"unary complex", false, func(t *testing.T, al core.Allocator, ex *core.Exec) []*core.Array {
			x, d := arange(t, al, core.Complex128, 50), newArray(t, al, core.Complex128, 50)
			must(t, core.Unary(ex, core.OpExp, d, x))
			return []*core.Array{x, d}
		}},
		{"clip overlapping", true, func(t *testing.T, al core.Allocator, ex *core.Exec) []*core.Array {
			a := arange(t, al, core.Int64, 3, 20)
			lo, hi := index(t, a, "0"), index(t, a, "2")
			must(t, core.Clip(ex, index(t, a, "1:"), index(t, a, ":-1, ::-1"), lo, hi))
			return []*core.Array{a}
		}},
		{"cast overlapping", true, func(t *testing.T, al core.Allocator, ex *core.Exec) []*core.Array {
			a := arange(t, al, core.Int64, 40)
			must(t, core.CopyCast(ex, index(t, a, "1:"), index(t, a, ":-1")))
			return []*core.Array{a}
		}},
		{"cast", false, func(t *testing.T, al core.Allocator, ex *core.Exec) []*core.Array {
			x, d := arange(t, al, core.Int32, 5, 8), newArray(t, al, core.Float16, 8, 5)
			must(t, core.CopyCast(ex, d, transpose(t, x, 1, 0)))
			return []*core.Array{x, d}
		}},
		{"copy overlapping", true, func(t *testing.T, al core.Allocator, ex *core.Exec) []*core.Array {
			a := arange(t, al, core.Uint8, 6, 6)
			must(t, core.CopyTo(ex, a, transpose(t, a, 1, 0)))
			return []*core.Array{a}
		}},
		{"matmul overlapping", true, func(t *testing.T, al core.Allocator, ex *core.Exec) []*core.Array {
			a := arange(t, al, core.Float64, 9, 9)
			must(t, core.Matmul(ex, a, a, transpose(t, a, 1, 0)))
			return []*core.Array{a}
		}},
		{"matmul", false, func(t *testing.T, al core.Allocator, ex *core.Exec) []*core.Array {
			a, b, d := arange(t, al, core.Float32, 70, 40), arange(t, al, core.Float32, 40, 50), newArray(t, al, core.Float32, 70, 50)
			must(t, core.Matmul(ex, d, a, b))
			return []*core.Array{a, b, d}
		}},
		{"argmax", false, func(t *testing.T, al core.Allocator, ex *core.Exec) []*core.Array {
			src, out := arange(t, al, core.Float32, 30, 20), newArray(t, al, core.Int64, 20)
			must(t, core.ArgReduce(ex, true, out, src, []int{0}))
			return []*core.Array{src, out}
		}},
		{"var", true, func(t *testing.T, al core.Allocator, ex *core.Exec) []*core.Array {
			src, out := arange(t, al, core.Int64, 30, 20), newArray(t, al, core.Float64, 30)
			must(t, core.Var(ex, out, src, []int{1}, 1, false))
			return []*core.Array{src, out}
		}},
		{"std complex", true, func(t *testing.T, al core.Allocator, ex *core.Exec) []*core.Array {
			src, out := arange(t, al, core.Complex64, 30, 20), newArray(t, al, core.Float32, 20)
			must(t, core.Var(ex, out, src, []int{0}, 0, true))
			return []*core.Array{src, out}
		}},
		{"reduce flat", false, func(t *testing.T, al core.Allocator, ex *core.Exec) []*core.Array {
			src := arange(t, al, core.Float64, 5000)
			var out float64
			must(t, core.ReduceFlat(ex, core.OpSum, core.Float64, core.Float64, src.Data(), 5000, unsafe.Pointer(&out)))
			return []*core.Array{src}
		}},
	}
	for _, op := range []struct {
		op core.ReduceOp
		dt core.DType
	}{{core.OpSum, core.Int64}, {core.OpProd, core.Float64}, {core.OpMin, core.Int32}, {core.OpMax, core.Int32},
		{core.OpAll, core.Bool}, {core.OpAny, core.Bool}, {core.OpCountNonzero, core.Int64}} {
		cases = append(cases, reduce(op.op, op.dt))
	}
	return cases
}

// TestKernelsAllocateThroughExec runs every kernel family with a checked
// allocator in its Exec: the temporaries a kernel needs come from that
// allocator (Checked sees them), and none is outstanding once the kernel
// returns.
func TestKernelsAllocateThroughExec(t *testing.T) {
	for _, c := range kernelCases() {
		for _, threads := range []int{1, 3} {
			checked := core.NewChecked(core.DefaultAllocator())
			al := &tally{Allocator: checked}
			ex := &core.Exec{Threads: threads, Alloc: al}
			// The operands come from checked directly, so that al counts
			// only what the kernel allocates.
			ops := c.run(t, checked, ex)
			if got := al.n.Load(); c.temp && got == 0 {
				t.Errorf("%s (threads %d): no temporary came from the Exec's allocator", c.name, threads)
			} else if !c.temp && got != 0 {
				t.Errorf("%s (threads %d): %d unexpected allocations", c.name, threads, got)
			}
			if out := al.live.Load(); out != 0 {
				t.Errorf("%s (threads %d): %d bytes of temporaries outstanding after the kernel", c.name, threads, out)
			}
			for _, a := range ops {
				a.Release()
			}
			checked.AssertZero(t)
		}
	}
}
