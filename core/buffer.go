package core

import (
	"fmt"
	"sync"
	"unsafe"
)

// Buffer is a block of memory outside the Go heap that one or more Arrays
// view. A Buffer made by NewBuffer owns its memory and returns it to its
// Allocator on Free; a Buffer made by WrapMemory borrows memory owned by
// someone else (a C library, a Python exporter) and calls release instead.
//
// Ownership rule: whoever made the Buffer calls Free exactly once, after the
// last Array that views it is no longer used. Free is idempotent.
type Buffer struct {
	mu      sync.Mutex
	mem     []byte
	alloc   Allocator
	release func()
	freed   bool
}

// NewBuffer reserves nbytes from alloc (zeroed if zero is true).
func NewBuffer(alloc Allocator, nbytes int, zero bool) (*Buffer, error) {
	if nbytes < 0 {
		return nil, fmt.Errorf("%w: negative buffer size %d", ErrValue, nbytes)
	}
	mem, err := alloc.Allocate(nbytes, zero)
	if err != nil {
		return nil, err
	}
	return &Buffer{mem: mem, alloc: alloc}, nil
}

// WrapMemory makes a Buffer over n bytes at p that the caller owns. p must
// not point into the Go heap. release (may be nil) is called by Free.
func WrapMemory(p unsafe.Pointer, n int, release func()) *Buffer {
	return &Buffer{mem: unsafe.Slice((*byte)(p), n), release: release}
}

// Bytes returns the whole block. It is invalid after Free.
func (b *Buffer) Bytes() []byte { return b.mem }

// Len is the size of the block in bytes.
func (b *Buffer) Len() int { return len(b.mem) }

// Owned reports whether the Buffer owns its memory (it came from an
// Allocator rather than from WrapMemory).
func (b *Buffer) Owned() bool { return b.alloc != nil }

// Pointer returns the address of the first byte (non-nil even for an empty
// block from an Allocator).
func (b *Buffer) Pointer() unsafe.Pointer { return unsafe.Pointer(unsafe.SliceData(b.mem)) }

// Free returns the memory. Calling it again does nothing.
func (b *Buffer) Free() {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.freed {
		return
	}
	b.freed = true
	if b.alloc != nil {
		b.alloc.Free(b.mem)
	} else if b.release != nil {
		b.release()
	}
	b.mem = nil
}

// Freed reports whether Free has been called.
func (b *Buffer) Freed() bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.freed
}
