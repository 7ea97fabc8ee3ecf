package core

import (
	"fmt"
	"sync"
	"time"
	"unsafe"

	"golang.org/x/sys/unix"
)

const (
	// HugePageSize is the transparent huge page size on x86-64 and on arm64
	// with 4 KiB base pages. Blocks that may use huge pages are aligned to it,
	// because the kernel can only back an aligned 2 MiB range with one.
	HugePageSize = 2 << 20

	// DefaultHugePageThreshold is the block size from which MmapAllocator
	// aligns blocks to HugePageSize and asks for huge pages. Below it the
	// up-to-2 MiB of slack a huge page can add is too large a fraction.
	DefaultHugePageThreshold = 4 << 20
)

// osPageSize is the unit mmap works in; every mapping is a multiple of it.
var osPageSize = uintptr(unix.Getpagesize())

// MmapOptions configures NewMmapAllocator. The zero value gives the defaults.
type MmapOptions struct {
	// HugePageThreshold: blocks of at least this many bytes are aligned to
	// HugePageSize and advised MADV_HUGEPAGE. 0 means
	// DefaultHugePageThreshold; a negative value turns huge pages off.
	HugePageThreshold int
	// CacheBytes: freed blocks of up to CacheMaxBlock bytes are kept for
	// reuse, up to this many bytes in all, instead of being unmapped at
	// once. A mapping of a fresh block costs two system calls and a page
	// fault per page touched (about 0.7 ms for an 800 KB result here, 20×
	// numpy's malloc'd one); a kernel that makes a result of the same size
	// in a loop then reuses mapped, faulted-in memory. 0 keeps nothing.
	CacheBytes int
	// CacheMaxBlock: the largest block the cache keeps (0: 4 MiB).
	CacheMaxBlock int
	// LargeCacheBytes: freed blocks larger than CacheMaxBlock are kept for
	// reuse by an Allocate of the same mapped size that does not ask for
	// zeroed memory (a kernel's result), up to this many bytes in all (the
	// oldest go first), and unmapped once they have been idle for
	// LargeCacheIdle. A fresh 80 MB result costs ~20k page faults, in which
	// the kernel zeroes every page: as long as the kernel's own work. 0
	// keeps nothing.
	LargeCacheBytes int
	// LargeCacheIdle: how long a large freed block waits for reuse before
	// it is unmapped (0: one second).
	LargeCacheIdle time.Duration
}

// MmapAllocator gives every block its own anonymous private mapping, which
// Free unmaps, so freed memory goes straight back to the operating system.
// Fresh mappings read as zeros, so zeroing costs nothing. Sizes are rounded
// up to the page size (the capacity of the returned slice says by how much).
//
// A mapping costs two system calls and the page faults on first touch, about
// 2 µs in all, so small blocks belong in a SlabAllocator (see Tiered).
//
// Live blocks are recorded in a map: the bookkeeping is small next to the
// system calls, and it lets Free refuse (panic on) a double free or a slice
// it did not map instead of unmapping memory that someone else now owns.
type MmapAllocator struct {
	hugeThreshold int

	mu        sync.Mutex
	live      map[uintptr]uintptr // block address → mapped length
	allocated int64

	cacheLimit, cacheMax int
	cached               int                          // bytes held in cache
	cache                map[uintptr][]unsafe.Pointer // mapped length → free blocks

	largeLimit  int
	largeIdle   time.Duration
	largeCached int
	large       []largeBlock // oldest first
	largeTimer  *time.Timer  // armed while large holds blocks
}

// largeBlock is a freed mapping larger than cacheMax, kept for reuse.
type largeBlock struct {
	p     unsafe.Pointer
	n     uintptr
	freed time.Time
}

// NewMmapAllocator returns an MmapAllocator configured by opts.
func NewMmapAllocator(opts MmapOptions) *MmapAllocator {
	t := opts.HugePageThreshold
	if t == 0 {
		t = DefaultHugePageThreshold
	}
	cm := opts.CacheMaxBlock
	if cm == 0 {
		cm = 4 << 20
	}
	idle := opts.LargeCacheIdle
	if idle <= 0 {
		idle = time.Second
	}
	return &MmapAllocator{hugeThreshold: t, live: make(map[uintptr]uintptr),
		cacheLimit: max(opts.CacheBytes, 0), cacheMax: cm, cache: make(map[uintptr][]unsafe.Pointer),
		largeLimit: max(opts.LargeCacheBytes, 0), largeIdle: idle}
}

// HugePageThreshold reports the block size from which huge pages are used,
// or a negative number if they are not.
func (a *MmapAllocator) HugePageThreshold() int { return a.hugeThreshold }

// Allocate maps size bytes rounded up to the page size (one page for size 0).
// Mapped memory is always zero, so zero is ignored. A failed mmap returns an
// error wrapping ErrMemory and the system call's error.
func (a *MmapAllocator) Allocate(size int, zero bool) ([]byte, error) {
	if size < 0 {
		return nil, fmt.Errorf("%w: cannot allocate %d bytes: the size is negative", ErrValue, size)
	}
	align := osPageSize
	if a.hugeThreshold > 0 && size >= a.hugeThreshold {
		align = HugePageSize
	}
	if uintptr(size) > ^uintptr(0)-align-osPageSize {
		return nil, fmt.Errorf("%w: cannot allocate %d bytes: larger than the address space", ErrMemory, size)
	}
	n := roundUpPow2(max(uintptr(size), 1), osPageSize)
	if !zero && int(n) > a.cacheMax {
		// A fresh mapping reads as zeros for free (the kernel zeroes pages
		// as they are touched), so only unzeroed requests reuse large blocks.
		if p := a.fromLarge(n); p != nil {
			return unsafe.Slice((*byte)(p), n)[:size], nil
		}
	}
	if p := a.fromCache(n); p != nil {
		b := unsafe.Slice((*byte)(p), n)
		if zero {
			clear(b)
		}
		return b[:size], nil
	}
	p, err := mapAnon(n, align)
	if err != nil {
		if n != uintptr(size) {
			return nil, fmt.Errorf("%w: cannot allocate %d bytes: mmap of %d bytes failed: %w", ErrMemory, size, n, err)
		}
		return nil, fmt.Errorf("%w: cannot allocate %d bytes: mmap failed: %w", ErrMemory, size, err)
	}
	if align == HugePageSize {
		adviseHugePages(p, n)
	}
	a.mu.Lock()
	a.live[uintptr(p)] = n
	a.allocated += int64(n)
	a.mu.Unlock()
	return unsafe.Slice((*byte)(p), n)[:size], nil
}

// Free unmaps b, which must be a slice Allocate returned (or a reslice that
// keeps its first element and capacity). Freeing a nil slice does nothing.
// It panics on a double free, on a slice this allocator did not map, and if
// munmap fails.
func (a *MmapAllocator) Free(b []byte) {
	if cap(b) == 0 {
		return
	}
	p := unsafe.Pointer(unsafe.SliceData(b))
	a.mu.Lock()
	n, ok := a.live[uintptr(p)]
	if ok && n == uintptr(cap(b)) {
		delete(a.live, uintptr(p))
		a.allocated -= int64(n)
	}
	a.mu.Unlock()
	switch {
	case !ok:
		panic(fmt.Sprintf("goarray: MmapAllocator.Free of a %d-byte block at %p that is not live: freed twice, or not allocated by this allocator", cap(b), p))
	case n != uintptr(cap(b)):
		panic(fmt.Sprintf("goarray: MmapAllocator.Free of the block at %p with capacity %d, but it was allocated with capacity %d", p, cap(b), n))
	}
	if a.toCache(p, n) || a.toLarge(p, n) {
		return
	}
	munmapBlock(p, n)
}

func munmapBlock(p unsafe.Pointer, n uintptr) {
	if err := unix.MunmapPtr(p, n); err != nil {
		panic(fmt.Sprintf("goarray: munmap of %d bytes at %p failed: %v", n, p, err))
	}
}

// fromLarge takes the most recently freed large block of exactly n mapped
// bytes, recording it live, or returns nil.
func (a *MmapAllocator) fromLarge(n uintptr) unsafe.Pointer {
	if a.largeLimit == 0 {
		return nil
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	for i := len(a.large) - 1; i >= 0; i-- {
		if b := a.large[i]; b.n == n {
			a.large = append(a.large[:i], a.large[i+1:]...)
			a.largeCached -= int(n)
			a.live[uintptr(b.p)] = n
			a.allocated += int64(n)
			return b.p
		}
	}
	return nil
}

// toLarge keeps a freed block larger than cacheMax for reuse, unmapping
// the oldest kept blocks when the total would pass largeLimit.
func (a *MmapAllocator) toLarge(p unsafe.Pointer, n uintptr) bool {
	if int(n) <= a.cacheMax || int(n) > a.largeLimit {
		return false
	}
	a.mu.Lock()
	var evict []largeBlock
	for a.largeCached+int(n) > a.largeLimit {
		evict = append(evict, a.large[0])
		a.largeCached -= int(a.large[0].n)
		a.large = a.large[1:]
	}
	a.large = append(a.large, largeBlock{p, n, time.Now()})
	a.largeCached += int(n)
	if a.largeTimer == nil {
		a.largeTimer = time.AfterFunc(a.largeIdle, a.expireLarge)
	} else if len(a.large) == 1 {
		a.largeTimer.Reset(a.largeIdle)
	}
	a.mu.Unlock()
	for _, b := range evict {
		munmapBlock(b.p, b.n)
	}
	return true
}

// expireLarge unmaps the large blocks idle for largeIdle and re-arms the
// timer for the next one to expire.
func (a *MmapAllocator) expireLarge() {
	a.mu.Lock()
	now := time.Now()
	i := 0
	for i < len(a.large) && now.Sub(a.large[i].freed) >= a.largeIdle {
		i++
	}
	expired := append([]largeBlock(nil), a.large[:i]...)
	a.large = append(a.large[:0], a.large[i:]...)
	for _, b := range expired {
		a.largeCached -= int(b.n)
	}
	if len(a.large) > 0 {
		a.largeTimer.Reset(a.largeIdle - now.Sub(a.large[0].freed))
	}
	a.mu.Unlock()
	for _, b := range expired {
		munmapBlock(b.p, b.n)
	}
}

// CachedBytes reports the bytes of freed blocks held for reuse.
func (a *MmapAllocator) CachedBytes() int64 {
	a.mu.Lock()
	defer a.mu.Unlock()
	return int64(a.cached + a.largeCached)
}

// fromCache takes a cached block of exactly n mapped bytes, recording it
// live, or returns nil.
func (a *MmapAllocator) fromCache(n uintptr) unsafe.Pointer {
	if a.cacheLimit == 0 {
		return nil
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	blocks := a.cache[n]
	if len(blocks) == 0 {
		return nil
	}
	p := blocks[len(blocks)-1]
	a.cache[n] = blocks[:len(blocks)-1]
	a.cached -= int(n)
	a.live[uintptr(p)] = n
	a.allocated += int64(n)
	return p
}

// toCache keeps a freed block for reuse if it fits the cache.
func (a *MmapAllocator) toCache(p unsafe.Pointer, n uintptr) bool {
	if int(n) > a.cacheMax || a.cacheLimit == 0 {
		return false
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.cached+int(n) > a.cacheLimit {
		return false
	}
	a.cache[n] = append(a.cache[n], p)
	a.cached += int(n)
	return true
}

// TrimCache unmaps every cached block and returns the bytes released.
func (a *MmapAllocator) TrimCache() int64 {
	a.mu.Lock()
	var all []unsafe.Pointer
	var sizes []uintptr
	for n, blocks := range a.cache {
		for _, p := range blocks {
			all = append(all, p)
			sizes = append(sizes, n)
		}
		delete(a.cache, n)
	}
	for _, b := range a.large {
		all = append(all, b.p)
		sizes = append(sizes, b.n)
	}
	freed := int64(a.cached + a.largeCached)
	a.cached, a.large, a.largeCached = 0, nil, 0
	a.mu.Unlock()
	for i, p := range all {
		if err := unix.MunmapPtr(p, sizes[i]); err != nil {
			panic(fmt.Sprintf("goarray: munmap of %d bytes at %p failed: %v", sizes[i], p, err))
		}
	}
	return freed
}

// Allocated reports the bytes currently mapped for live blocks.
func (a *MmapAllocator) Allocated() int64 {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.allocated
}

// String describes the allocator, e.g. "mmap (2 MiB huge pages from 4 MiB)".
func (a *MmapAllocator) String() string {
	if a.hugeThreshold < 0 {
		return "mmap (no huge pages)"
	}
	desc := fmt.Sprintf("mmap (%s huge pages from %s", formatByteSize(HugePageSize), formatByteSize(int64(a.hugeThreshold)))
	if a.cacheLimit > 0 {
		desc += fmt.Sprintf("; up to %s of freed blocks ≤ %s kept for reuse", formatByteSize(int64(a.cacheLimit)), formatByteSize(int64(a.cacheMax)))
	}
	if a.largeLimit > 0 {
		desc += fmt.Sprintf("; up to %s of larger ones for %v", formatByteSize(int64(a.largeLimit)), a.largeIdle)
	}
	return desc + ")"
}

// mapAnon maps n bytes (a multiple of the page size) of zeroed, private,
// read-write memory whose address is a multiple of align (a power of two).
// For an alignment above the page size it maps align-page extra bytes and
// unmaps the slack on either side.
func mapAnon(n, align uintptr) (unsafe.Pointer, error) {
	const prot, flags = unix.PROT_READ | unix.PROT_WRITE, unix.MAP_PRIVATE | unix.MAP_ANON
	if align <= osPageSize {
		return unix.MmapPtr(-1, 0, nil, n, prot, flags)
	}
	over := n + align - osPageSize
	p, err := unix.MmapPtr(-1, 0, nil, over, prot, flags)
	if err != nil {
		return nil, err
	}
	head := (align - uintptr(p)&(align-1)) & (align - 1)
	tail := over - head - n
	if head > 0 {
		unmapSlack(p, head)
	}
	if tail > 0 {
		unmapSlack(unsafe.Add(p, head+n), tail)
	}
	return unsafe.Add(p, head), nil
}

// unmapSlack unmaps part of a mapping mapAnon just made; failing would mean
// the kernel refused to split a mapping we own, which is a bug, not a
// shortage.
func unmapSlack(p unsafe.Pointer, n uintptr) {
	if err := unix.MunmapPtr(p, n); err != nil {
		panic(fmt.Sprintf("goarray: munmap of %d slack bytes at %p failed: %v", n, p, err))
	}
}

// roundUpPow2 rounds n up to a multiple of align, a power of two.
func roundUpPow2(n, align uintptr) uintptr { return (n + align - 1) &^ (align - 1) }
