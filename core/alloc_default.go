// Allocator design and measurements. (A file comment, not the package doc,
// which lives in doc.go.)
//
// Array storage is handed to Python and numpy zero-copy, so it must live
// outside the Go heap (cgo pointer rules) and go back to the OS when freed.
// One anonymous mmap per array does both, but costs two system calls and a
// page fault, far more than numpy's np.empty (~88 ns create+destroy); the
// target is a Python-level create+destroy within 4x of np.empty, which
// leaves the allocator tens of nanoseconds. Hence DefaultAllocator is a
// Tiered allocator:
//
//   - up to 64 KiB: SlabAllocator. Power-of-two classes from 64 B (so every
//     block is aligned to its class size, at least 64 B) to 64 KiB, carved
//     from 1 MiB slabs that are themselves mmaps aligned to 1 MiB, so Free
//     finds a block's slab by masking its address. One mutex per class;
//     free blocks form a list threaded through their first 4 bytes; the
//     slab records (a map by address, one bit per block) live on the Go
//     heap, so double frees and foreign slices panic in every build. A slab
//     is unmapped when its last block is freed, except that each class keeps
//     one empty slab (DefaultSlabKeepEmpty), so allocating and freeing
//     across a slab boundary does not map and unmap every time; at most
//     11 MiB of address space (and only the pages ever touched) is
//     retained, and Trim gives even that back.
//   - above 64 KiB: MmapAllocator, one mapping per block, rounded up to the
//     page; from 4 MiB blocks are 2 MiB-aligned and advised MADV_HUGEPAGE
//     (a touched 64 MiB block shows AnonHugePages: 65536 kB here, THP
//     "[madvise]").
//
// Measured with
//
//	go test -run=^$ -bench=Alloc -benchtime=200000x ./core/
//
// on a 2-vCPU AMD EPYC Firecracker VM (Go 1.26.8, linux/amd64), the
// quietest of several runs; the shared host is noisy, and other runs gave
// 21-48 ns for the 8 B slab and tiered cases and 130-230 ns for 8 KiB. Each
// op allocates, writes the first byte and frees; zero=true unless noted:
//
//	BenchmarkTieredAllocFree/8B-2                 28.06 ns/op
//	BenchmarkTieredAllocFree/8KiB-2              129.7 ns/op
//	BenchmarkGoHeapAlloc/8B-2                     21.82 ns/op
//	BenchmarkGoHeapAlloc/8KiB-2                 3605 ns/op
//	BenchmarkMmapAllocFree/8B-2                 9063 ns/op
//	BenchmarkMmapAllocFree/8KiB-2               9007 ns/op
//	BenchmarkSlabAllocFree/8B-2                   25.25 ns/op
//	BenchmarkSlabAllocFree/8KiB-2                198.5 ns/op (mostly clearing the reused block)
//	BenchmarkSlabAllocFree/8KiB-nozero-2          21.75 ns/op
//	BenchmarkSlabAllocFreeParallel-2              22.30 ns/op
//
// So a small block costs about what the Go heap charges (which may not be
// handed out), and ~350x less than its own mmap (system calls and page
// faults are slow in this VM: a bare mmap+munmap of one page is ~7 µs, ~10
// µs with a touch; the ~1.9 µs figure for an mmap per array was measured on
// another machine).
//
// The alternative considered was C malloc/free through cgo. A throwaway
// benchmark (cgo wrappers of malloc, calloc and free; each op allocates,
// writes the first byte, frees; same machine, same -benchtime):
//
//	BenchmarkCMallocFree/8B-2                     85.9-144 ns/op
//	BenchmarkCMallocFree/8KiB-2                   88.2-107 ns/op
//	BenchmarkCCallocFree/8B-2                     86.1-100 ns/op
//	BenchmarkCCallocFree/8KiB-2                  235-285 ns/op
//
// Two cgo crossings cost more than the whole slab round trip, core would no
// longer be pure Go, and glibc keeps small freed chunks in its arenas
// instead of returning them to the OS.

package core

import (
	"fmt"
	"sync"
)

// Tiered serves small requests from a SlabAllocator and the rest from an
// MmapAllocator: a request of up to the slab pool's MaxClass bytes gets a
// pooled block, a larger one its own mapping. Free tells the two apart by
// capacity, since pooled blocks are never larger than MaxClass and mappings
// always are.
type Tiered struct {
	small *SlabAllocator
	large *MmapAllocator
}

// NewTiered combines small and large.
func NewTiered(small *SlabAllocator, large *MmapAllocator) *Tiered {
	return &Tiered{small: small, large: large}
}

// Small is the slab pool for blocks of up to Small().MaxClass() bytes.
func (t *Tiered) Small() *SlabAllocator { return t.small }

// Large is the allocator for blocks above Small().MaxClass() bytes.
func (t *Tiered) Large() *MmapAllocator { return t.large }

// Allocate returns a block from the tier that serves size bytes.
func (t *Tiered) Allocate(size int, zero bool) ([]byte, error) {
	if size <= t.small.maxClass {
		return t.small.Allocate(size, zero)
	}
	return t.large.Allocate(size, zero)
}

// Free returns b to the tier it came from.
func (t *Tiered) Free(b []byte) {
	if cap(b) <= t.small.maxClass {
		t.small.Free(b)
		return
	}
	t.large.Free(b)
}

// Allocated reports the bytes reserved for live blocks in both tiers.
func (t *Tiered) Allocated() int64 { return t.small.Allocated() + t.large.Allocated() }

// Trim unmaps the slab pool's idle slabs; see SlabAllocator.Trim.
func (t *Tiered) Trim() int64 { return t.small.Trim() + t.large.TrimCache() }

// String describes both tiers, e.g. "tiered: slab pool (64 B–64 KiB
// classes, 1 MiB mmap slabs) + mmap (2 MiB huge pages from 4 MiB)".
func (t *Tiered) String() string { return "tiered: " + t.small.String() + " + " + t.large.String() }

var defaultAllocator = sync.OnceValue(func() *Tiered {
	return NewTiered(NewSlabAllocator(SlabOptions{}), NewMmapAllocator(MmapOptions{CacheBytes: 16 << 20, LargeCacheBytes: 256 << 20}))
})

// DefaultAllocator returns the process-wide allocator: a Tiered with the
// default slab pool and mmap settings, made on first use.
func DefaultAllocator() Allocator { return defaultAllocator() }

// formatByteSize writes n in the largest binary unit that divides it
// exactly: "64 B", "64 KiB", "2 MiB".
func formatByteSize(n int64) string {
	for _, u := range []struct {
		shift uint
		name  string
	}{{40, "TiB"}, {30, "GiB"}, {20, "MiB"}, {10, "KiB"}} {
		if n != 0 && n%(1<<u.shift) == 0 {
			return fmt.Sprintf("%d %s", n>>u.shift, u.name)
		}
	}
	return fmt.Sprintf("%d B", n)
}
