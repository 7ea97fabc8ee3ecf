// Allocator design and measurements
//
// (filled in below after measuring)

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
func (t *Tiered) Trim() int64 { return t.small.Trim() }

// String describes both tiers, e.g. "tiered: slab pool (64 B–64 KiB
// classes, 1 MiB mmap slabs) + mmap (2 MiB huge pages from 4 MiB)".
func (t *Tiered) String() string { return "tiered: " + t.small.String() + " + " + t.large.String() }

var defaultAllocator = sync.OnceValue(func() *Tiered {
	return NewTiered(NewSlabAllocator(SlabOptions{}), NewMmapAllocator(MmapOptions{}))
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
