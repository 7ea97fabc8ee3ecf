package core

import (
	"runtime"
	"sync"
	"sync/atomic"
	"time"
)

// Grain is the number of elements in one chunk of a parallel kernel. The
// chunk boundaries depend only on the problem size, never on the number of
// threads, and partial results are combined in chunk order: a kernel gives
// bit-identical results whatever the thread count.
const Grain = 1 << 15

var numThreads atomic.Int64

// SetNumThreads sets the default number of goroutines a kernel may use
// (n <= 0 restores the default, GOMAXPROCS).
func SetNumThreads(n int) {
	if n < 0 {
		n = 0
	}
	numThreads.Store(int64(n))
}

// NumThreads returns the default number of goroutines a kernel may use.
func NumThreads() int {
	if n := numThreads.Load(); n > 0 {
		return int(n)
	}
	return runtime.GOMAXPROCS(0)
}

// Exec carries what every kernel call needs besides its operands: how many
// goroutines to use and how to learn that the caller wants to stop.
type Exec struct {
	// Threads is the number of goroutines (0: NumThreads()).
	Threads int
	// Interrupted, if set, is called by the calling goroutine between its
	// chunks (at most every CheckEvery); returning true stops the kernel
	// at the next chunk boundary of every goroutine. The Python bindings
	// use it to honour Ctrl-C.
	Interrupted func() bool
	// CheckEvery is the minimum time between calls of Interrupted
	// (0: 20 ms).
	CheckEvery time.Duration
	// Alloc allocates the temporaries a kernel needs (a copy of an input
	// that overlaps the output, var's means, ...), so that a Checked
	// allocator sees every byte a kernel takes (nil: DefaultAllocator()).
	Alloc Allocator
}

func (e *Exec) allocator() Allocator {
	if e == nil || e.Alloc == nil {
		return DefaultAllocator()
	}
	return e.Alloc
}

func (e *Exec) threads() int {
	if e == nil || e.Threads <= 0 {
		return NumThreads()
	}
	return e.Threads
}

// ErrInterrupted is returned by a kernel that Exec.Interrupted stopped.
var ErrInterrupted = errorString("goarray: kernel interrupted")

type errorString string

func (e errorString) Error() string { return string(e) }

// ParallelChunks calls body(chunk, lo, hi) for every chunk [lo, hi) of
// [0, n) of Grain elements (scaled by cost, the relative work per element,
// so cheap elements get bigger chunks: grain = Grain/cost, at least 1),
// spreading the chunks over up to e.threads() goroutines. The calling
// goroutine takes part and is the only one that calls e.Interrupted. It
// returns ErrInterrupted if the kernel was stopped, else nil.
func ParallelChunks(e *Exec, n, grain int, body func(chunk, lo, hi int)) error {
	return parallelChunks(e, n, grain, 1, body)
}

// Chunks per goroutine below which kernels use fewer goroutines: waking a
// goroutine on another core costs tens of microseconds on a virtual
// machine (measured here: a 1e5-element float64 sum took 46 us on one
// goroutine and 114 us on two), more than a few chunks of work.
// Reductions read one stream per element, elementwise kernels two or
// three, so the latter pay off sooner. Chunk boundaries do not depend on
// this, so results do not either.
var (
	reduceChunksPerWorker = 12
	elemChunksPerWorker   = 4
)

// chunkWorkers is the number of goroutines for nchunks chunks: at most
// threads, and few enough that each has at least minPer chunks (at least
// one goroutine).
func chunkWorkers(threads, nchunks, minPer int) int {
	return max(1, min(threads, nchunks/max(1, minPer)))
}

// parallelChunks is ParallelChunks giving each goroutine at least minPer
// chunks: with fewer chunks than threads*minPer, fewer goroutines run.
func parallelChunks(e *Exec, n, grain, minPer int, body func(chunk, lo, hi int)) error {
	if workersFor(e, n, grain, minPer) <= 1 {
		return serialRun(e, n, grain, body)
	}
	return parallelWorkers(e, n, grain, minPer, func(_, c, lo, hi int) { body(c, lo, hi) })
}

// chunkGrain is the chunk size parallelChunks uses for grain.
func chunkGrain(grain int) int {
	if grain <= 0 {
		return Grain
	}
	return grain
}

// workersFor is the number of goroutines parallelWorkers(e, n, grain,
// minPer, ...) runs, so that callers can make one scratch buffer per
// goroutine before the call.
func workersFor(e *Exec, n, grain, minPer int) int {
	if n <= 0 {
		return 0
	}
	g := chunkGrain(grain)
	return chunkWorkers(e.threads(), (n+g-1)/g, minPer)
}

// parallelWorkers is parallelChunks telling body which goroutine runs it:
// worker is in [0, workersFor(e, n, grain, minPer)) (the caller is 0), and
// no two calls with one worker run at once, so body may use per-goroutine
// scratch.
func parallelWorkers(e *Exec, n, grain, minPer int, body func(worker, chunk, lo, hi int)) error {
	if n <= 0 {
		return nil
	}
	grain = chunkGrain(grain)
	nchunks := (n + grain - 1) / grain
	workers := chunkWorkers(e.threads(), nchunks, minPer)
	if workers <= 1 {
		return serialChunks(e, n, grain, nchunks, func(c, lo, hi int) { body(0, c, lo, hi) })
	}
	var next atomic.Int64
	var stop atomic.Bool
	run := func(worker int) {
		caller := worker == 0
		var last time.Time
		every := 20 * time.Millisecond
		if e != nil && e.CheckEvery > 0 {
			every = e.CheckEvery
		}
		if caller {
			last = time.Now()
		}
		for !stop.Load() {
			c := int(next.Add(1) - 1)
			if c >= nchunks {
				return
			}
			lo := c * grain
			// every chunk starts with clean upper vector halves, whatever
			// ran on this thread before (see cleanBlocks)
			upperClean()
			body(worker, c, lo, min(lo+grain, n))
			if caller && e != nil && e.Interrupted != nil {
				if now := time.Now(); now.Sub(last) >= every {
					last = now
					if e.Interrupted() {
						stop.Store(true)
						return
					}
				}
			}
		}
	}
	var wg sync.WaitGroup
	for w := 1; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			run(w)
		}()
	}
	run(0)
	wg.Wait()
	if stop.Load() {
		return ErrInterrupted
	}
	return nil
}

// serialRun is parallelChunks on the calling goroutine alone (what it
// does when workersFor is 1). body does not escape: a caller may pass a
// closure over its stack.
func serialRun(e *Exec, n, grain int, body func(chunk, lo, hi int)) error {
	if n <= 0 {
		return nil
	}
	grain = chunkGrain(grain)
	return serialChunks(e, n, grain, (n+grain-1)/grain, body)
}

// serialChunks is parallelChunks with one goroutine, the caller (worker 0
// of parallelWorkers): the same chunks in order, without the shared
// counters and closures the goroutines need (small kernels pay nothing
// for them), and without reading the clock unless e.Interrupted is set.
func serialChunks(e *Exec, n, grain, nchunks int, body func(chunk, lo, hi int)) error {
	var poll func() bool
	every := 20 * time.Millisecond
	if e != nil && e.Interrupted != nil {
		poll = e.Interrupted
		if e.CheckEvery > 0 {
			every = e.CheckEvery
		}
	}
	var last time.Time
	if poll != nil {
		last = time.Now()
	}
	for c := 0; c < nchunks; c++ {
		lo := c * grain
		// every chunk starts with clean upper vector halves (see
		// cleanBlocks)
		upperClean()
		body(c, lo, min(lo+grain, n))
		if poll != nil {
			if now := time.Now(); now.Sub(last) >= every {
				last = now
				if poll() {
					return ErrInterrupted
				}
			}
		}
	}
	return nil
}

// ParallelReduce computes part(lo, hi) for every chunk of [0, n) in
// parallel and combines the partial results in chunk order, as a balanced
// tree: the result does not depend on the number of goroutines. Its
// partial results (one per chunk) live on the Go heap, since T may hold
// pointers; core's kernels use reduceScratch, which takes them from the
// Exec's allocator.
func ParallelReduce[T any](e *Exec, n, grain int, part func(lo, hi int) T, combine func(a, b T) T) (T, error) {
	var zero T
	if n <= 0 {
		return zero, nil
	}
	grain = chunkGrain(grain)
	nchunks := (n + grain - 1) / grain
	if nchunks == 1 {
		return part(0, n), nil
	}
	return reduceParts(e, n, grain, make([]T, nchunks), part, combine)
}

// reduceScratch is ParallelReduce for a pointer-free T (see allocScratch),
// with the partial results in scratch from e's allocator.
func reduceScratch[T any](e *Exec, n, grain int, part func(lo, hi int) T, combine func(a, b T) T) (T, error) {
	var zero T
	if n <= 0 {
		return zero, nil
	}
	grain = chunkGrain(grain)
	nchunks := (n + grain - 1) / grain
	if nchunks == 1 {
		return part(0, n), nil
	}
	parts, buf, err := allocScratch[T](e, nchunks)
	if err != nil {
		return zero, err
	}
	defer buf.free()
	return reduceParts(e, n, grain, parts, part, combine)
}

// reduceParts is ParallelReduce with parts, one per chunk, given.
func reduceParts[T any](e *Exec, n, grain int, parts []T, part func(lo, hi int) T, combine func(a, b T) T) (T, error) {
	var zero T
	err := ParallelChunks(e, n, grain, func(c, lo, hi int) { parts[c] = part(lo, hi) })
	if err != nil {
		return zero, err
	}
	nchunks := len(parts)
	for width := 1; width < nchunks; width *= 2 {
		for i := 0; i+width < nchunks; i += 2 * width {
			parts[i] = combine(parts[i], parts[i+width])
		}
	}
	return parts[0], nil
}
