package core

import (
	"fmt"
	"runtime"
	"slices"
	"strings"
	"sync"
	"unsafe"
)

// checkedPoison fills blocks allocated without zeroing, so that code which
// wrongly relies on fresh memory being zero fails under Checked.
const checkedPoison = 0xA5

// Checked wraps an Allocator for tests: it records every live block it
// handed out, with the stack that allocated it, panics on a double free or a
// free of a block it does not know, and AssertZero reports what was not
// freed. Blocks allocated without zeroing are filled with 0xA5 bytes, so
// code that relies on unrequested zeros shows up.
//
// Allocated counts only the blocks allocated through this Checked, so it can
// wrap a shared allocator such as DefaultAllocator().
type Checked struct {
	inner Allocator

	mu    sync.Mutex
	live  map[uintptr]checkedBlock
	freed map[uintptr]struct{} // freed and not handed out again
	bytes int64
}

type checkedBlock struct {
	size, cap int
	depth     int
	stack     [8]uintptr
}

// NewChecked wraps inner.
func NewChecked(inner Allocator) *Checked {
	return &Checked{inner: inner, live: make(map[uintptr]checkedBlock), freed: make(map[uintptr]struct{})}
}

// Allocate allocates from the wrapped allocator and records the block.
func (c *Checked) Allocate(size int, zero bool) ([]byte, error) {
	b, err := c.inner.Allocate(size, zero)
	if err != nil {
		return nil, err
	}
	if !zero {
		fill := b[:cap(b)]
		for i := range fill {
			fill[i] = checkedPoison
		}
	}
	blk := checkedBlock{size: size, cap: cap(b)}
	blk.depth = runtime.Callers(2, blk.stack[:])
	p := uintptr(unsafe.Pointer(unsafe.SliceData(b)))
	c.mu.Lock()
	defer c.mu.Unlock()
	if old, ok := c.live[p]; ok {
		panic(fmt.Sprintf("goarray: Checked: %v returned the block at %#x, which is still live (%d bytes)", c.inner, p, old.cap))
	}
	delete(c.freed, p)
	c.live[p] = blk
	c.bytes += int64(blk.cap)
	return b, nil
}

// Free checks that b is a live block with the capacity it was allocated with
// and frees it. It panics otherwise; freeing a nil slice does nothing.
func (c *Checked) Free(b []byte) {
	if cap(b) == 0 {
		return
	}
	p := uintptr(unsafe.Pointer(unsafe.SliceData(b)))
	c.mu.Lock()
	blk, ok := c.live[p]
	_, wasFreed := c.freed[p]
	if ok && blk.cap == cap(b) {
		delete(c.live, p)
		c.freed[p] = struct{}{}
		c.bytes -= int64(blk.cap)
	}
	c.mu.Unlock()
	switch {
	case !ok && wasFreed:
		panic(fmt.Sprintf("goarray: Checked: double free of the %d-byte block at %#x", cap(b), p))
	case !ok:
		panic(fmt.Sprintf("goarray: Checked: free of a %d-byte slice at %#x that this allocator did not hand out", cap(b), p))
	case blk.cap != cap(b):
		panic(fmt.Sprintf("goarray: Checked: free of the block at %#x with capacity %d, but it was allocated with capacity %d", p, cap(b), blk.cap))
	}
	c.inner.Free(b)
}

// Allocated reports the bytes (capacities) of the live blocks allocated
// through c.
func (c *Checked) Allocated() int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.bytes
}

// AssertZero reports through t.Errorf the blocks still live, with where they
// were allocated, if there are any.
func (c *Checked) AssertZero(t interface {
	Helper()
	Errorf(format string, args ...any)
}) {
	t.Helper()
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.live) == 0 {
		return
	}
	addrs := make([]uintptr, 0, len(c.live))
	for p := range c.live {
		addrs = append(addrs, p)
	}
	slices.Sort(addrs)
	const shown = 10
	var sb strings.Builder
	for i, p := range addrs {
		if i == shown {
			fmt.Fprintf(&sb, "\n... and %d more", len(addrs)-shown)
			break
		}
		blk := c.live[p]
		fmt.Fprintf(&sb, "\n%d bytes (capacity %d) at %#x, allocated at:", blk.size, blk.cap, p)
		frames := runtime.CallersFrames(blk.stack[:blk.depth])
		for {
			f, more := frames.Next()
			if f.PC != 0 {
				fmt.Fprintf(&sb, "\n\t%s\n\t\t%s:%d", f.Function, f.File, f.Line)
			}
			if !more {
				break
			}
		}
	}
	t.Errorf("goarray: Checked: %d bytes in %d blocks still allocated from %v:%s", c.bytes, len(c.live), c.inner, sb.String())
}

// String describes the wrapped allocator.
func (c *Checked) String() string { return fmt.Sprintf("checked %v", c.inner) }
