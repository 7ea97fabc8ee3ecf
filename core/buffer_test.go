package core_test

import (
	"errors"
	"testing"
	"unsafe"

	"github.com/goarray/goarray/core"
)

func TestNewBuffer(t *testing.T) {
	alloc := checkedAlloc(t)
	for _, n := range []int{0, 1, 100, 1 << 20} {
		b, err := core.NewBuffer(alloc, n, true)
		if err != nil {
			t.Fatalf("NewBuffer(%d): %v", n, err)
		}
		if b.Len() != n || len(b.Bytes()) != n || !b.Owned() || b.Freed() || b.Pointer() == nil {
			t.Errorf("NewBuffer(%d): Len %d, Owned %v, Freed %v, Pointer %p", n, b.Len(), b.Owned(), b.Freed(), b.Pointer())
		}
		for i, c := range b.Bytes() {
			if c != 0 {
				t.Fatalf("NewBuffer(%d, zero): byte %d is %#x", n, i, c)
			}
		}
		if alloc.Allocated() < int64(n) {
			t.Errorf("NewBuffer(%d): only %d bytes allocated", n, alloc.Allocated())
		}
		b.Free()
		if !b.Freed() || b.Bytes() != nil || b.Len() != 0 {
			t.Errorf("after Free: Freed %v, Bytes %v", b.Freed(), b.Bytes())
		}
		b.Free() // idempotent: Checked panics on a double free
	}
}

func TestNewBufferErrors(t *testing.T) {
	alloc := checkedAlloc(t)
	if b, err := core.NewBuffer(alloc, -1, true); !errors.Is(err, core.ErrValue) {
		t.Errorf("NewBuffer(-1) = %v, %v; want ErrValue", b, err)
	}
	if b, err := core.NewBuffer(failingAllocator{}, 8, true); !errors.Is(err, core.ErrMemory) {
		t.Errorf("NewBuffer from a failing allocator = %v, %v; want ErrMemory", b, err)
	}
}

func TestWrapMemory(t *testing.T) {
	// Memory owned by "someone else": a block from the allocator, given
	// back by the release function.
	alloc := checkedAlloc(t)
	mem, err := alloc.Allocate(32, true)
	if err != nil {
		t.Fatal(err)
	}
	released := 0
	b := core.WrapMemory(unsafe.Pointer(unsafe.SliceData(mem)), len(mem), func() {
		released++
		alloc.Free(mem)
	})
	if b.Owned() || b.Len() != 32 || b.Pointer() != unsafe.Pointer(unsafe.SliceData(mem)) {
		t.Errorf("WrapMemory: Owned %v, Len %d", b.Owned(), b.Len())
	}
	a, err := core.FromBuffer(b, 0, []int{4}, []int{8}, core.Int64, false)
	if err != nil {
		t.Fatal(err)
	}
	core.Set[int64](a, 42, 3)
	if mem[24] != 42 {
		t.Errorf("a write through the Array did not reach the wrapped memory")
	}
	if err := a.Resize(alloc, []int{8}); !errors.Is(err, core.ErrValue) {
		t.Errorf("Resize of an array over borrowed memory = %v, want ErrValue", err)
	}
	b.Free()
	b.Free()
	if released != 1 || !b.Freed() {
		t.Errorf("release called %d times, Freed %v; want once", released, b.Freed())
	}
	core.WrapMemory(nil, 0, nil).Free() // a nil release is allowed
}
