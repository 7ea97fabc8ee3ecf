package core

import (
	"strings"
	"sync"
	"testing"
	"unsafe"
)

func TestTieredRoutesBySize(t *testing.T) {
	tr := NewTiered(NewSlabAllocator(SlabOptions{}), NewMmapAllocator(MmapOptions{}))
	for _, tc := range []struct{ size, cap, slab int }{
		{0, 64, 64},
		{64 << 10, 64 << 10, 64 << 10},
		{64<<10 + 1, 68 << 10, 0},
		{8 << 20, 8 << 20, 0},
	} {
		b, err := tr.Allocate(tc.size, true)
		if err != nil {
			t.Fatal(err)
		}
		if cap(b) != tc.cap {
			t.Errorf("Allocate(%d): cap %d, want %d", tc.size, cap(b), tc.cap)
		}
		if got := tr.Small().Allocated(); got != int64(tc.slab) {
			t.Errorf("Allocate(%d): slab pool holds %d bytes, want %d", tc.size, got, tc.slab)
		}
		if got := tr.Allocated(); got != int64(tc.cap) {
			t.Errorf("Allocate(%d): Allocated() = %d, want %d", tc.size, got, tc.cap)
		}
		tr.Free(b)
		allocRequireZero(t, tr)
	}
	allocRequireReleased(t, tr.Small())
}

func TestTieredConcurrent(t *testing.T) {
	tr := NewTiered(NewSlabAllocator(SlabOptions{}), NewMmapAllocator(MmapOptions{}))
	var wg sync.WaitGroup
	for w := range 8 {
		wg.Go(func() {
			for i := range 400 {
				size := (i*7919 + w*104729) % (256 << 10)
				b, err := tr.Allocate(size, i%2 == 0)
				if err != nil {
					t.Error(err)
					return
				}
				if len(b) > 0 {
					b[0], b[len(b)-1] = 1, 1
				}
				tr.Free(b)
			}
		})
	}
	wg.Wait()
	allocRequireZero(t, tr)
	allocRequireReleased(t, tr.Small())
}

func TestDefaultAllocator(t *testing.T) {
	a := DefaultAllocator()
	if DefaultAllocator() != a {
		t.Error("DefaultAllocator() returned two different allocators")
	}
	want := "tiered: slab pool (64 B–64 KiB classes, 1 MiB mmap slabs) + mmap (2 MiB huge pages from 4 MiB; up to 16 MiB of freed blocks ≤ 4 MiB kept for reuse; up to 256 MiB of larger ones for 1s)"
	if got := a.(interface{ String() string }).String(); got != want {
		t.Errorf("String() = %q, want %q", got, want)
	}
	c := NewChecked(a)
	b, err := c.Allocate(10, true)
	if err != nil {
		t.Fatal(err)
	}
	c.Free(b)
	c.AssertZero(t)
}

func TestFormatByteSize(t *testing.T) {
	for n, want := range map[int64]string{0: "0 B", 64: "64 B", 1536: "1536 B", 64 << 10: "64 KiB", 1536 << 10: "1536 KiB", 1 << 20: "1 MiB", 3 << 30: "3 GiB"} {
		if got := formatByteSize(n); got != want {
			t.Errorf("formatByteSize(%d) = %q, want %q", n, got, want)
		}
	}
}

func BenchmarkTieredAllocFree(b *testing.B) {
	for _, size := range []int{8, 8 << 10} {
		b.Run(allocBenchName(size), func(b *testing.B) {
			a := DefaultAllocator()
			before := a.Allocated()
			for b.Loop() {
				m, err := a.Allocate(size, true)
				if err != nil {
					b.Fatal(err)
				}
				m[0] = 1
				a.Free(m)
			}
			if a.Allocated() != before {
				b.Errorf("Allocated() went from %d to %d", before, a.Allocated())
			}
		})
	}
}

var allocBenchSink []byte

// BenchmarkGoHeapAlloc is the Go heap's cost for comparison; its memory may
// not be handed to C or Python to keep, which is why the allocators exist.
func BenchmarkGoHeapAlloc(b *testing.B) {
	for _, size := range []int{8, 8 << 10} {
		b.Run(allocBenchName(size), func(b *testing.B) {
			for b.Loop() {
				m := make([]byte, size)
				m[0] = 1
				allocBenchSink = m
			}
		})
	}
}

func allocBenchName(size int) string { return strings.ReplaceAll(formatByteSize(int64(size)), " ", "") }

func allocAddr(b []byte) uintptr { return uintptr(unsafe.Pointer(unsafe.SliceData(b))) }

// allocRequireZero fails t if a still holds live blocks.
func allocRequireZero(t testing.TB, a Allocator) {
	t.Helper()
	if n := a.Allocated(); n != 0 {
		t.Errorf("%v: Allocated() = %d, want 0", a, n)
	}
}

// allocExpectPanic fails t unless f panics with a message containing want.
func allocExpectPanic(t *testing.T, want string, f func()) {
	t.Helper()
	defer func() {
		t.Helper()
		r := recover()
		if r == nil {
			t.Errorf("no panic; want one mentioning %q", want)
			return
		}
		if msg, _ := r.(string); !strings.Contains(msg, want) {
			t.Errorf("panic %v; want one mentioning %q", r, want)
		}
	}()
	f()
}
