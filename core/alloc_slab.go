package core

import (
	"fmt"
	"math/bits"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"unsafe"

	"golang.org/x/sys/cpu"
	"golang.org/x/sys/unix"
)

const (
	// MinSlabClass is the smallest SlabAllocator block. Every block is
	// aligned to its own size, so to at least 64 bytes (a cache line, and
	// enough for any SIMD load).
	MinSlabClass = 64

	// DefaultSlabMaxClass is the largest block a default SlabAllocator
	// serves; Tiered sends anything larger to mmap.
	DefaultSlabMaxClass = 64 << 10

	// DefaultSlabSize is the size of the mappings a SlabAllocator carves
	// into blocks.
	DefaultSlabSize = 1 << 20

	// DefaultSlabKeepEmpty is how many slabs with no live block each class
	// keeps mapped, so that allocating and freeing around a slab boundary
	// does not map and unmap a slab every time.
	DefaultSlabKeepEmpty = 1

	// DefaultSlabReleaseBlocks is how many blocks' worth of slabs must have
	// been unmapped since the pool's high-water mark (and at least half of
	// them) before the pool gives memory back after a burst: see
	// SlabOptions.ReleaseBlocks.
	DefaultSlabReleaseBlocks = 16 << 10
)

// minSlabShift is log2(MinSlabClass): class i holds blocks of 64<<i bytes.
const minSlabShift = 6

// SlabOptions configures NewSlabAllocator. Zero fields take the defaults.
type SlabOptions struct {
	// MaxClass is the largest block size, a power of two from MinSlabClass
	// to SlabSize. Default DefaultSlabMaxClass.
	MaxClass int
	// SlabSize is the size of each mapping, a power of two and a multiple
	// of the page size. Default DefaultSlabSize.
	SlabSize int
	// KeepEmpty is how many all-free slabs each class keeps mapped; the
	// rest are unmapped as soon as their last block is freed. 0 means
	// DefaultSlabKeepEmpty; a negative value keeps none.
	KeepEmpty int
	// ReleaseBlocks bounds what a burst of small arrays leaves behind once
	// they are gone. Every array costs, beside its block, a few hundred
	// bytes of Go heap (its core.Array, its handle), and the Go runtime
	// only returns that to the OS after a collection, which nothing
	// triggers once the program stops allocating. So when slabs holding
	// ReleaseBlocks blocks or more have been unmapped since the high-water
	// mark of mapped blocks, and at most half of that mark is still
	// mapped, the pool unmaps its kept empty slabs (Trim) and runs
	// debug.FreeOSMemory, then measures the next burst from where it is.
	// Each release halves what is mapped, so what stays behind is under
	// 2*ReleaseBlocks blocks' worth of Go heap (about 5 MiB by default) and
	// the slabs still holding live blocks. 0 means DefaultSlabReleaseBlocks;
	// a negative value never releases.
	ReleaseBlocks int
}

// SlabAllocator is a pool of small blocks outside the Go heap, for arrays
// too small to be worth a mapping of their own. Requests are rounded up to a
// power-of-two size class from MinSlabClass to MaxClass (the capacity of the
// returned slice is the class size). Each class carves slabs, SlabSize-
// aligned anonymous mappings, into blocks, so every block is aligned to its
// class size. A slab is unmapped when its last block is freed, except for
// KeepEmpty slabs per class kept for reuse; Trim unmaps those too. After a
// burst of frees the pool gives back memory on its own, kept slabs and the
// Go heap the freed arrays used (SlabOptions.ReleaseBlocks).
//
// Each class has its own mutex. Its free blocks are threaded into a list
// through their first four bytes; the rest of the bookkeeping (slabs by
// address, one bit per block) lives on the Go heap, so a double free and a
// free of a slice from elsewhere panic rather than corrupt the pool, and so
// does a list link overwritten after a free with an impossible value.
//
// Blocks never handed out before are still zero from mmap; only reused blocks
// are cleared when zero is requested.
type SlabAllocator struct {
	maxClass  int
	slabSize  uintptr
	keepEmpty int
	classes   []slabClass
	mapped    atomic.Int64

	// Release after a burst (SlabOptions.ReleaseBlocks): blocks in mapped
	// slabs now and at the high-water mark since the last release.
	releaseBlocks int64
	blocks        atomic.Int64
	peakBlocks    atomic.Int64
	releasing     atomic.Bool
	releases      atomic.Int64
	freeOSMemory  func() // debug.FreeOSMemory; tests count calls instead
}

type slabClass struct {
	mu      sync.Mutex
	size    uintptr // block size
	shift   uint    // log2(size)
	blocks  int32   // blocks per slab
	slabs   map[uintptr]*slab
	partial *slab // slabs with a free block, most recently freed into first
	empty   int   // slabs with no live block (all on the partial list)
	live    int64 // bytes in live blocks
	_       cpu.CacheLinePad
}

type slab struct {
	base       unsafe.Pointer
	freeHead   int32 // first block of the free list, or -1
	bump       int32 // blocks from bump on have never been handed out
	live       int32
	class      *slabClass
	used       []uint64 // bit i is set while block i is live
	prev, next *slab    // partial list links
	listed     bool     // on the partial list
}

// NewSlabAllocator returns a SlabAllocator configured by opts. It panics if
// the options are inconsistent.
func NewSlabAllocator(opts SlabOptions) *SlabAllocator {
	if opts.MaxClass == 0 {
		opts.MaxClass = DefaultSlabMaxClass
	}
	if opts.SlabSize == 0 {
		opts.SlabSize = DefaultSlabSize
	}
	switch {
	case opts.KeepEmpty == 0:
		opts.KeepEmpty = DefaultSlabKeepEmpty
	case opts.KeepEmpty < 0:
		opts.KeepEmpty = 0
	}
	if opts.ReleaseBlocks == 0 {
		opts.ReleaseBlocks = DefaultSlabReleaseBlocks
	}
	if !isPow2(opts.SlabSize) || uintptr(opts.SlabSize)%osPageSize != 0 || opts.SlabSize/MinSlabClass > 1<<31-1 {
		panic(fmt.Sprintf("goarray: NewSlabAllocator: slab size %d is not a power of two, a multiple of the %d-byte page and at most 128 GiB", opts.SlabSize, osPageSize))
	}
	if !isPow2(opts.MaxClass) || opts.MaxClass < MinSlabClass || opts.MaxClass > opts.SlabSize {
		panic(fmt.Sprintf("goarray: NewSlabAllocator: largest class %d is not a power of two from %d to the slab size %d", opts.MaxClass, MinSlabClass, opts.SlabSize))
	}
	a := &SlabAllocator{
		maxClass:  opts.MaxClass,
		slabSize:  uintptr(opts.SlabSize),
		keepEmpty: opts.KeepEmpty,
		classes:   make([]slabClass, bits.TrailingZeros(uint(opts.MaxClass))-minSlabShift+1),

		releaseBlocks: int64(opts.ReleaseBlocks),
		freeOSMemory:  debug.FreeOSMemory,
	}
	for i := range a.classes {
		c := &a.classes[i]
		c.shift = uint(i + minSlabShift)
		c.size = 1 << c.shift
		c.blocks = int32(a.slabSize >> c.shift)
		c.slabs = make(map[uintptr]*slab)
	}
	return a
}

// MaxClass is the largest block size served.
func (a *SlabAllocator) MaxClass() int { return a.maxClass }

// Allocate returns a block of the smallest class that holds size bytes
// (the smallest class for 0). A size above MaxClass returns an error wrapping
// ErrValue; a failed slab mapping one wrapping ErrMemory.
func (a *SlabAllocator) Allocate(size int, zero bool) ([]byte, error) {
	if size < 0 || size > a.maxClass {
		return nil, fmt.Errorf("%w: cannot allocate %d bytes from a slab pool: sizes go from 0 to %d", ErrValue, size, a.maxClass)
	}
	c := &a.classes[slabClassIndex(size)]
	c.mu.Lock()
	s := c.partial
	if s == nil {
		var err error
		if s, err = a.newSlab(c); err != nil {
			c.mu.Unlock()
			return nil, fmt.Errorf("%w: cannot allocate %d bytes: %w", ErrMemory, size, err)
		}
	}
	var i int32
	fresh := s.freeHead < 0
	if fresh {
		i = s.bump
		s.bump++
	} else {
		i = s.freeHead
		next := *(*int32)(unsafe.Add(s.base, uintptr(i)<<c.shift))
		if next < -1 || next >= s.bump || next >= 0 && s.used[next>>6]&(1<<(next&63)) != 0 {
			c.mu.Unlock()
			panic(fmt.Sprintf("goarray: SlabAllocator: the free %d-byte block at %p was written to after it was freed (its free-list link reads %d)", c.size, unsafe.Add(s.base, uintptr(i)<<c.shift), next))
		}
		s.freeHead = next
	}
	if s.live == 0 {
		c.empty--
	}
	s.used[i>>6] |= 1 << (i & 63)
	s.live++
	if s.live == c.blocks {
		c.unlink(s)
	}
	c.live += int64(c.size)
	c.mu.Unlock()
	b := unsafe.Slice((*byte)(unsafe.Add(s.base, uintptr(i)<<c.shift)), c.size)[:size]
	if zero && !fresh {
		clear(b)
	}
	return b, nil
}

// Free returns b, a slice Allocate returned (or a reslice that keeps its
// first element and capacity), to its class. Freeing a nil slice does
// nothing. It panics on a double free and on a slice that is not a block of
// this pool.
func (a *SlabAllocator) Free(b []byte) {
	n := cap(b)
	if n == 0 {
		return
	}
	p := unsafe.Pointer(unsafe.SliceData(b))
	if n < MinSlabClass || n > a.maxClass || !isPow2(n) {
		panic(fmt.Sprintf("goarray: SlabAllocator.Free of a slice at %p with capacity %d, which is no block size of this pool", p, n))
	}
	c := &a.classes[bits.TrailingZeros(uint(n))-minSlabShift]
	base := uintptr(p) &^ (a.slabSize - 1)
	c.mu.Lock()
	s := c.partial // usually the block's slab; the map lookup costs ~8 ns
	if s == nil || uintptr(s.base) != base {
		s = c.slabs[base]
	}
	off := uintptr(p) - base
	if s == nil || off&(c.size-1) != 0 {
		c.mu.Unlock()
		panic(fmt.Sprintf("goarray: SlabAllocator.Free of a %d-byte slice at %p that is not a block of this pool", n, p))
	}
	i := int32(off >> c.shift)
	w, bit := &s.used[i>>6], uint64(1)<<(i&63)
	if *w&bit == 0 {
		c.mu.Unlock()
		panic(fmt.Sprintf("goarray: SlabAllocator.Free of the %d-byte block at %p, which is already free (double free)", n, p))
	}
	*w &^= bit
	*(*int32)(p) = s.freeHead
	s.freeHead = i
	if s.live == c.blocks {
		c.push(s)
	}
	s.live--
	c.live -= int64(c.size)
	var release *slab
	if s.live == 0 {
		c.empty++
		if c.empty > a.keepEmpty {
			c.unlink(s)
			delete(c.slabs, base)
			c.empty--
			release = s
		}
	}
	c.mu.Unlock()
	if release != nil {
		a.unmapSlab(release, c)
		a.maybeRelease()
	}
}

// maybeRelease gives memory back after a burst (SlabOptions.ReleaseBlocks).
// It runs on the freeing thread, after the class lock is dropped, about
// once per halving of the mapped slabs, and costs one Go collection of
// what is still live.
func (a *SlabAllocator) maybeRelease() {
	if a.releaseBlocks < 0 {
		return
	}
	now, peak := a.blocks.Load(), a.peakBlocks.Load()
	if peak-now < a.releaseBlocks || now > peak/2 || !a.releasing.CompareAndSwap(false, true) {
		return
	}
	defer a.releasing.Store(false)
	a.Trim()
	a.freeOSMemory()
	a.releases.Add(1)
	a.peakBlocks.Store(a.blocks.Load())
}

// Releases reports how many times the pool has given memory back after a
// burst (see SlabOptions.ReleaseBlocks).
func (a *SlabAllocator) Releases() int64 { return a.releases.Load() }

// Allocated reports the bytes in live blocks (their class sizes).
func (a *SlabAllocator) Allocated() int64 {
	var n int64
	for i := range a.classes {
		c := &a.classes[i]
		c.mu.Lock()
		n += c.live
		c.mu.Unlock()
	}
	return n
}

// Mapped reports the bytes of slabs currently mapped, live blocks or not.
func (a *SlabAllocator) Mapped() int64 { return a.mapped.Load() }

// Trim unmaps every slab with no live block and reports the bytes returned
// to the operating system.
func (a *SlabAllocator) Trim() int64 {
	var idle []*slab
	for i := range a.classes {
		c := &a.classes[i]
		c.mu.Lock()
		for s := c.partial; s != nil; {
			next := s.next
			if s.live == 0 {
				c.unlink(s)
				delete(c.slabs, uintptr(s.base))
				c.empty--
				idle = append(idle, s)
			}
			s = next
		}
		c.mu.Unlock()
	}
	for _, s := range idle {
		a.unmapSlab(s, s.class)
	}
	return int64(len(idle)) * int64(a.slabSize)
}

// String describes the pool, e.g.
// "slab pool (64 B–64 KiB classes, 1 MiB mmap slabs)".
func (a *SlabAllocator) String() string {
	return fmt.Sprintf("slab pool (%s–%s classes, %s mmap slabs)",
		formatByteSize(MinSlabClass), formatByteSize(int64(a.maxClass)), formatByteSize(int64(a.slabSize)))
}

// newSlab maps a slab for c and puts it on the partial list. c.mu is held:
// the class waits for the mapping, which is rare next to block reuse.
func (a *SlabAllocator) newSlab(c *slabClass) (*slab, error) {
	p, err := mapAnon(a.slabSize, a.slabSize)
	if err != nil {
		return nil, fmt.Errorf("mmap of a %d-byte slab for %d-byte blocks failed: %w", a.slabSize, c.size, err)
	}
	a.mapped.Add(int64(a.slabSize))
	n := a.blocks.Add(int64(c.blocks))
	for peak := a.peakBlocks.Load(); n > peak && !a.peakBlocks.CompareAndSwap(peak, n); peak = a.peakBlocks.Load() {
	}
	s := &slab{base: p, freeHead: -1, class: c, used: make([]uint64, (c.blocks+63)/64)}
	c.slabs[uintptr(p)] = s
	c.push(s)
	c.empty++
	return s, nil
}

func (a *SlabAllocator) unmapSlab(s *slab, c *slabClass) {
	if err := unix.MunmapPtr(s.base, a.slabSize); err != nil {
		panic(fmt.Sprintf("goarray: munmap of the %d-byte slab at %p failed: %v", a.slabSize, s.base, err))
	}
	a.mapped.Add(-int64(a.slabSize))
	a.blocks.Add(-int64(c.blocks))
}

// push puts s at the head of the partial list.
func (c *slabClass) push(s *slab) {
	s.prev, s.next, s.listed = nil, c.partial, true
	if c.partial != nil {
		c.partial.prev = s
	}
	c.partial = s
}

// unlink takes s off the partial list.
func (c *slabClass) unlink(s *slab) {
	if !s.listed {
		return
	}
	if s.prev != nil {
		s.prev.next = s.next
	} else {
		c.partial = s.next
	}
	if s.next != nil {
		s.next.prev = s.prev
	}
	s.prev, s.next, s.listed = nil, nil, false
}

// slabClassIndex is the class of a request: 0 for up to 64 bytes, then one
// per power of two.
func slabClassIndex(size int) int {
	if size <= MinSlabClass {
		return 0
	}
	return bits.Len(uint(size-1)) - minSlabShift
}

func isPow2(n int) bool { return n > 0 && n&(n-1) == 0 }
