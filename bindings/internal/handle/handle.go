// Package handle gives C code integers that stand for Go values, keeping
// the values reachable until the integer is released.
package handle

import "sync"

// Table gives C an integer for a Go value and keeps the value
// reachable until the integer is released: the contract of
// runtime/cgo.Handle, which this replaces on the hot path of goarray. cgo.Handle keeps
// its values in a sync.Map; measured with perf on `ga.empty(1)` in a loop,
// NewHandle + Value + Delete took ~25% of a create+destroy (~130 ns of
// ~560 ns). A slice indexed by the handle with a free list costs a few ns.
//
// Handle 0 is never issued, so C can use 0 for "none". The zero Table is
// ready to use. Calls come from
// C with the GIL held, but the mutex keeps the table safe without it.
type Table[T any] struct {
	mu    sync.Mutex
	slots []*T
	free  []uintptr
}

// Add stores v and returns its handle (never 0).
func (t *Table[T]) Add(v *T) uintptr {
	t.mu.Lock()
	defer t.mu.Unlock()
	if len(t.slots) == 0 {
		t.slots = append(t.slots, nil) // handle 0 means none
	}
	if n := len(t.free); n > 0 {
		h := t.free[n-1]
		t.free = t.free[:n-1]
		t.slots[h] = v
		return h
	}
	t.slots = append(t.slots, v)
	return uintptr(len(t.slots) - 1)
}

// Get returns the value for h; it panics on a handle that is not live, a
// bug that the exported functions turn into RuntimeError.
func (t *Table[T]) Get(h uintptr) *T {
	t.mu.Lock()
	defer t.mu.Unlock()
	if h == 0 || h >= uintptr(len(t.slots)) || t.slots[h] == nil {
		panic("goarray: invalid handle")
	}
	return t.slots[h]
}

// Remove releases h and returns its value.
func (t *Table[T]) Remove(h uintptr) *T {
	t.mu.Lock()
	defer t.mu.Unlock()
	if h == 0 || h >= uintptr(len(t.slots)) || t.slots[h] == nil {
		panic("goarray: invalid handle")
	}
	a := t.slots[h]
	t.slots[h] = nil
	t.free = append(t.free, h)
	return a
}

// Live counts the handles in use.
func (t *Table[T]) Live() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return max(len(t.slots)-1, 0) - len(t.free)
}
