package core_test

import (
	"errors"
	"fmt"
	"runtime"
	"sync/atomic"
	"testing"
	"time"
	"unsafe"

	"github.com/goarray/goarray/core"
)

// tally counts the blocks and bytes allocated through it and the bytes
// still live, so a test can tell that a kernel took its temporaries from
// the allocator of its Exec and gave them all back. With failAt > 0 the
// failAt-th request (and every later one) fails.
type tally struct {
	core.Allocator
	n, bytes, live atomic.Int64
	failAt         int64
}

var errRefused = errors.New("test allocator refuses the request")

func (a *tally) Allocate(size int, zero bool) ([]byte, error) {
	if k := a.n.Add(1); a.failAt > 0 && k >= a.failAt {
		return nil, fmt.Errorf("%w: %w (%d bytes)", core.ErrMemory, errRefused, size)
	}
	b, err := a.Allocator.Allocate(size, zero)
	if err == nil {
		a.bytes.Add(int64(size))
		a.live.Add(int64(cap(b)))
	}
	return b, err
}

func (a *tally) Free(b []byte) {
	a.live.Add(-int64(cap(b)))
	a.Allocator.Free(b)
}

// kernelCase runs one kernel on operands it allocates from al, with ex
// carrying the allocator under test; temp says whether the call must
// allocate from it (a temporary array: an input that overlaps the output,
// var's means; or scratch: matmul's packed panels, gemv's partial sums,
// reductions' partial results). It returns the kernel's error.
type kernelCase struct {
	name string
	temp bool
	run  func(t *testing.T, al core.Allocator, ex *core.Exec) error
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func kernelCases() []kernelCase {
	reduce := func(op core.ReduceOp, dst core.DType) kernelCase {
		// axis 0 of a C array: column mode, one row of partial results per
		// block of outputs
		return kernelCase{"reduce " + op.String(), true, func(t *testing.T, al core.Allocator, ex *core.Exec) error {
			return core.Reduce(ex, op, newArray(t, al, dst, 30), arange(t, al, core.Int32, 40, 30), []int{0})
		}}
	}
	cases := []kernelCase{
		{"binary overlapping", true, func(t *testing.T, al core.Allocator, ex *core.Exec) error {
			a := arange(t, al, core.Float64, 101)
			// a[1:] = a[:-1] + a[::-1][1:]: both inputs overlap the output.
			return core.Binary(ex, core.OpAdd, index(t, a, "1:"), index(t, a, ":-1"), index(t, a, "99::-1"))
		}},
		{"binary", false, func(t *testing.T, al core.Allocator, ex *core.Exec) error {
			return core.Binary(ex, core.OpMultiply, newArray(t, al, core.Int16, 7, 9), arange(t, al, core.Int16, 7, 9), arange(t, al, core.Int16, 9))
		}},
		{"binary flat and scalar flat", false, func(t *testing.T, al core.Allocator, ex *core.Exec) error {
			x, d := arange(t, al, core.Float32, 1000), newArray(t, al, core.Float32, 1000)
			if err := core.BinaryFlat(ex, core.OpSubtract, core.Float32, d.Data(), x.Data(), x.Data(), 1000); err != nil {
				return err
			}
			s := float32(2)
			if err := core.BinaryScalarFlat(ex, core.OpAdd, core.Float32, d.Data(), x.Data(), unsafe.Pointer(&s), 1000, true); err != nil {
				return err
			}
			return core.Scale(ex, d, float32(3))
		}},
		{"compare", false, func(t *testing.T, al core.Allocator, ex *core.Exec) error {
			x, y, d := arange(t, al, core.Float64, 7, 9), arange(t, al, core.Float64, 9), newArray(t, al, core.Bool, 7, 9)
			if err := core.Binary(ex, core.OpLess, d, x, y); err != nil {
				return err
			}
			s := 20.0
			return core.BinaryScalarFlat(ex, core.OpGreaterEqual, core.Float64, d.Data(), x.Data(), unsafe.Pointer(&s), 63, true)
		}},
		{"compare overlapping", true, func(t *testing.T, al core.Allocator, ex *core.Exec) error {
			a := arange(t, al, core.Bool, 101)
			return core.Binary(ex, core.OpNotEqual, index(t, a, "1:"), index(t, a, ":-1"), index(t, a, "99::-1"))
		}},
		{"unary overlapping", true, func(t *testing.T, al core.Allocator, ex *core.Exec) error {
			a := arange(t, al, core.Float64, 64)
			return core.Unary(ex, core.OpSqrt, index(t, a, "1:"), index(t, a, ":-1"))
		}},
		{"unary complex", false, func(t *testing.T, al core.Allocator, ex *core.Exec) error {
			return core.Unary(ex, core.OpExp, newArray(t, al, core.Complex128, 50), arange(t, al, core.Complex128, 50))
		}},
		{"clip overlapping", true, func(t *testing.T, al core.Allocator, ex *core.Exec) error {
			a := arange(t, al, core.Int64, 3, 20)
			lo, hi := index(t, a, "0"), index(t, a, "2")
			return core.Clip(ex, index(t, a, "1:"), index(t, a, ":-1, ::-1"), lo, hi)
		}},
		{"cast overlapping", true, func(t *testing.T, al core.Allocator, ex *core.Exec) error {
			a := arange(t, al, core.Int64, 40)
			return core.CopyCast(ex, index(t, a, "1:"), index(t, a, ":-1"))
		}},
		{"cast", false, func(t *testing.T, al core.Allocator, ex *core.Exec) error {
			return core.CopyCast(ex, newArray(t, al, core.Float16, 8, 5), transpose(t, arange(t, al, core.Int32, 5, 8), 1, 0))
		}},
		{"copy overlapping", true, func(t *testing.T, al core.Allocator, ex *core.Exec) error {
			a := arange(t, al, core.Uint8, 6, 6)
			return core.CopyTo(ex, a, transpose(t, a, 1, 0))
		}},
		{"matmul overlapping", true, func(t *testing.T, al core.Allocator, ex *core.Exec) error {
			a := arange(t, al, core.Float64, 9, 9)
			return core.Matmul(ex, a, a, transpose(t, a, 1, 0))
		}},
		{"matmul", true, func(t *testing.T, al core.Allocator, ex *core.Exec) error {
			// the packed panels of a and b
			return core.Matmul(ex, newArray(t, al, core.Float32, 70, 50), arange(t, al, core.Float32, 70, 40), arange(t, al, core.Float32, 40, 50))
		}},
		{"matmul gemv", true, func(t *testing.T, al core.Allocator, ex *core.Exec) error {
			// a with contiguous columns: blocks of partial sums
			a := transpose(t, arange(t, al, core.Int64, 30, 600), 1, 0)
			return core.Matmul(ex, newArray(t, al, core.Int64, 600), a, arange(t, al, core.Int64, 30))
		}},
		{"dot", true, func(t *testing.T, al core.Allocator, ex *core.Exec) error {
			// longer than a chunk: one partial sum per chunk
			n := 3*core.Grain + 1
			return core.Matmul(ex, newArray(t, al, core.Float64), arange(t, al, core.Float64, n), arange(t, al, core.Float64, n))
		}},
		{"argmax", true, func(t *testing.T, al core.Allocator, ex *core.Exec) error {
			return core.ArgReduce(ex, true, newArray(t, al, core.Int64, 20), arange(t, al, core.Float32, 30, 20), []int{0})
		}},
		{"argmax flat", false, func(t *testing.T, al core.Allocator, ex *core.Exec) error {
			return core.ArgReduce(ex, true, newArray(t, al, core.Int64), arange(t, al, core.Float32, 600), []int{0})
		}},
		{"var", true, func(t *testing.T, al core.Allocator, ex *core.Exec) error {
			return core.Var(ex, newArray(t, al, core.Float64, 30), arange(t, al, core.Int64, 30, 20), []int{1}, 1, false)
		}},
		{"std complex", true, func(t *testing.T, al core.Allocator, ex *core.Exec) error {
			return core.Var(ex, newArray(t, al, core.Float32, 20), arange(t, al, core.Complex64, 30, 20), []int{0}, 0, true)
		}},
		{"reduce flat", false, func(t *testing.T, al core.Allocator, ex *core.Exec) error {
			src := arange(t, al, core.Float64, 5000)
			var out float64
			return core.ReduceFlat(ex, core.OpSum, core.Float64, core.Float64, src.Data(), 5000, unsafe.Pointer(&out))
		}},
		{"reduce rows", false, func(t *testing.T, al core.Allocator, ex *core.Exec) error {
			// axis 1, each output in one chunk: nothing to keep
			return core.Reduce(ex, core.OpSum, newArray(t, al, core.Int64, 40), arange(t, al, core.Int32, 40, 30), []int{1})
		}},
		{"reduce long rows", true, func(t *testing.T, al core.Allocator, ex *core.Exec) error {
			// outputs of several chunks each: the chunks' partial results
			return core.Reduce(ex, core.OpSum, newArray(t, al, core.Float64, 3), arange(t, al, core.Float64, 3, 2*core.Grain+5), []int{1})
		}},
		{"reduce long columns", true, func(t *testing.T, al core.Allocator, ex *core.Exec) error {
			// few blocks of outputs, their positions split into chunks
			return core.Reduce(ex, core.OpMax, newArray(t, al, core.Float32, 40), arange(t, al, core.Float32, 9000, 40), []int{0})
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

// TestKernelsAllocateThroughExec runs every kernel family with a counting
// allocator in its Exec: the temporaries and scratch a kernel needs come
// from that allocator (it sees them), and none is outstanding once the
// kernel returns.
func TestKernelsAllocateThroughExec(t *testing.T) {
	for _, c := range kernelCases() {
		for _, threads := range []int{1, 3} {
			checked := core.NewChecked(core.DefaultAllocator())
			al := &tally{Allocator: checked}
			ex := &core.Exec{Threads: threads, Alloc: al}
			// The operands come from checked directly, so that al counts
			// only what the kernel allocates.
			t.Run(fmt.Sprintf("%s/threads=%d", c.name, threads), func(t *testing.T) {
				must(t, c.run(t, checked, ex))
				if got := al.n.Load(); c.temp && got == 0 {
					t.Errorf("no temporary came from the Exec's allocator")
				} else if !c.temp && got != 0 {
					t.Errorf("%d unexpected allocations", got)
				}
				if out := al.live.Load(); out != 0 {
					t.Errorf("%d bytes of temporaries outstanding after the kernel", out)
				}
			})
			checked.AssertZero(t)
		}
	}
}

// When the allocator refuses a request (the first, the second, ...), the
// kernel returns its error, and every block it had taken is back.
func TestKernelsFreeScratchOnErrors(t *testing.T) {
	for _, c := range kernelCases() {
		if !c.temp {
			continue
		}
		for fail := int64(1); ; fail++ {
			checked := core.NewChecked(core.DefaultAllocator())
			al := &tally{Allocator: checked, failAt: fail}
			done := false
			t.Run(fmt.Sprintf("%s/fail=%d", c.name, fail), func(t *testing.T) {
				err := c.run(t, checked, &core.Exec{Threads: 2, Alloc: al})
				switch {
				case al.n.Load() < fail:
					done = true // every request was served
					must(t, err)
				case !errors.Is(err, errRefused):
					t.Errorf("the refused allocation gave %v", err)
				}
				if out := al.live.Load(); out != 0 {
					t.Errorf("%d bytes outstanding after the error", out)
				}
			})
			checked.AssertZero(t)
			if done || fail > 10 {
				break
			}
		}
	}
}

// An interrupted kernel gives back its scratch too.
func TestKernelsFreeScratchOnInterrupt(t *testing.T) {
	for _, c := range kernelCases() {
		checked := core.NewChecked(core.DefaultAllocator())
		al := &tally{Allocator: checked}
		ex := &core.Exec{Threads: 2, Alloc: al, CheckEvery: time.Nanosecond, Interrupted: func() bool { return true }}
		t.Run(c.name, func(t *testing.T) {
			if err := c.run(t, checked, ex); err != nil && !errors.Is(err, core.ErrInterrupted) {
				t.Fatal(err)
			}
			if out := al.live.Load(); out != 0 {
				t.Errorf("%d bytes outstanding after the interrupt", out)
			}
		})
		checked.AssertZero(t)
	}
}

// The large scratch of matmul and the reductions is not taken from the Go
// heap: a kernel whose scratch runs to tens or hundreds of KiB takes it from the
// Exec's allocator and allocates only small bookkeeping (closures,
// goroutines) on the Go heap.
func TestKernelScratchOffGoHeap(t *testing.T) {
	// setup makes the operands and returns the kernel call.
	cases := []struct {
		name  string
		setup func(t *testing.T, al core.Allocator) func(ex *core.Exec) error
	}{
		{"gemm", func(t *testing.T, al core.Allocator) func(ex *core.Exec) error {
			d, a, b := newArray(t, al, core.Float64, 300, 300), arange(t, al, core.Float64, 300, 300), arange(t, al, core.Float64, 300, 300)
			return func(ex *core.Exec) error { return core.Matmul(ex, d, a, b) }
		}},
		{"gemv", func(t *testing.T, al core.Allocator) func(ex *core.Exec) error {
			d, a, x := newArray(t, al, core.Float64, 40000), transpose(t, arange(t, al, core.Float64, 4, 40000), 1, 0), arange(t, al, core.Float64, 4)
			return func(ex *core.Exec) error { return core.Matmul(ex, d, a, x) }
		}},
		{"reduce columns", func(t *testing.T, al core.Allocator) func(ex *core.Exec) error {
			d, src := newArray(t, al, core.Float64, 20000), arange(t, al, core.Float64, 300, 20000)
			return func(ex *core.Exec) error { return core.Reduce(ex, core.OpSum, d, src, []int{0}) }
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			checked := checkedAlloc(t)
			al := &tally{Allocator: checked}
			ex := &core.Exec{Threads: 2, Alloc: al}
			call := c.setup(t, checked)
			heap := int64(-1)
			for range 3 { // the smallest of three runs: no stray allocation counts
				var before, after runtime.MemStats
				runtime.ReadMemStats(&before)
				must(t, call(ex))
				runtime.ReadMemStats(&after)
				if d := int64(after.TotalAlloc - before.TotalAlloc); heap < 0 || d < heap {
					heap = d
				}
			}
			if got := al.bytes.Load() / 3; got < 48<<10 {
				t.Errorf("%d bytes of scratch from the allocator, expected tens of KiB at least", got)
			}
			t.Logf("%d bytes of scratch from the allocator, %d on the Go heap", al.bytes.Load()/3, heap)
			if heap > 16<<10 {
				t.Errorf("%d bytes allocated on the Go heap", heap)
			}
			if out := al.live.Load(); out != 0 {
				t.Errorf("%d bytes outstanding", out)
			}
		})
	}
}
