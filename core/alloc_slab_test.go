package core

import (
	"errors"
	"math/rand/v2"
	"sync"
	"testing"
	"unsafe"
)

func TestSlabClassesAndAlignment(t *testing.T) {
	a := NewSlabAllocator(SlabOptions{})
	defer allocRequireReleased(t, a)
	cases := map[int]int{0: 64, 1: 64, 63: 64, 64: 64, 65: 128, 127: 128, 128: 128, 129: 256,
		4095: 4096, 4096: 4096, 4097: 8192, 32<<10 + 1: 64 << 10, 64<<10 - 1: 64 << 10, 64 << 10: 64 << 10}
	var live [][]byte
	for size, class := range cases {
		b, err := a.Allocate(size, true)
		if err != nil {
			t.Fatalf("Allocate(%d): %v", size, err)
		}
		live = append(live, b)
		if len(b) != size || cap(b) != class {
			t.Errorf("Allocate(%d): len %d cap %d, want len %d cap %d", size, len(b), cap(b), size, class)
		}
		if unsafe.SliceData(b) == nil {
			t.Errorf("Allocate(%d): nil pointer", size)
		}
		if p := allocAddr(b); p%64 != 0 || p%uintptr(class) != 0 {
			t.Errorf("Allocate(%d): address %#x is not aligned to 64 and to its %d-byte class", size, p, class)
		}
	}
	if got, want := a.Allocated(), int64(sumValues(cases)); got != want {
		t.Errorf("Allocated() = %d, want %d", got, want)
	}
	for _, b := range live {
		a.Free(b)
	}
}

func TestSlabRejectsSizesOutsideItsClasses(t *testing.T) {
	a := NewSlabAllocator(SlabOptions{})
	defer allocRequireReleased(t, a)
	for _, size := range []int{-1, 64<<10 + 1, 1 << 30} {
		if _, err := a.Allocate(size, false); !errors.Is(err, ErrValue) {
			t.Errorf("Allocate(%d): %v, want ErrValue", size, err)
		}
	}
}

func TestSlabZeroesReusedBlocks(t *testing.T) {
	a := NewSlabAllocator(SlabOptions{})
	defer allocRequireReleased(t, a)
	for _, size := range []int{0, 8, 64, 100, 4096, 64 << 10} {
		b, err := a.Allocate(size, true)
		if err != nil {
			t.Fatal(err)
		}
		full := b[:cap(b)]
		for i := range full {
			full[i] = 0xFF
		}
		a.Free(b)
		// Free lists are LIFO: the block just freed comes back.
		c, err := a.Allocate(size, true)
		if err != nil {
			t.Fatal(err)
		}
		if allocAddr(c) != allocAddr(b) {
			t.Errorf("size %d: the freed block %#x was not reused (got %#x)", size, allocAddr(b), allocAddr(c))
		}
		for i, v := range c {
			if v != 0 {
				t.Fatalf("size %d: byte %d of a reused block is %#x, want 0", size, i, v)
			}
		}
		for i := range c {
			c[i] = 0xFF
		}
		a.Free(c)
		d, err := a.Allocate(size, false)
		if err != nil {
			t.Fatal(err)
		}
		if size > 8 && d[8] != 0xFF {
			t.Errorf("size %d: a reused block allocated without zero was cleared anyway", size)
		}
		a.Free(d)
	}
}

func TestSlabUnmapsEmptySlabs(t *testing.T) {
	const size, slab = 64 << 10, 1 << 20
	for _, tc := range []struct{ keep, wantMapped int }{{0, 1 * slab}, {-1, 0}, {2, 2 * slab}} {
		a := NewSlabAllocator(SlabOptions{KeepEmpty: tc.keep})
		var live [][]byte
		for range 3 * slab / size {
			b, err := a.Allocate(size, false)
			if err != nil {
				t.Fatal(err)
			}
			live = append(live, b)
		}
		if got := a.Mapped(); got != 3*slab {
			t.Errorf("KeepEmpty %d: Mapped() = %d with three full slabs", tc.keep, got)
		}
		for _, b := range live {
			a.Free(b)
		}
		if got := a.Mapped(); got != int64(tc.wantMapped) {
			t.Errorf("KeepEmpty %d: Mapped() = %d after freeing everything, want %d", tc.keep, got, tc.wantMapped)
		}
		allocRequireReleased(t, a)
	}
}

func TestSlabBadFreePanics(t *testing.T) {
	a := NewSlabAllocator(SlabOptions{})
	defer allocRequireReleased(t, a)
	b, err := a.Allocate(200, false)
	if err != nil {
		t.Fatal(err)
	}
	allocExpectPanic(t, "not a block of this pool", func() { a.Free(b[128:]) })
	allocExpectPanic(t, "no block size", func() { a.Free(b[:10:100]) })
	allocExpectPanic(t, "not a block of this pool", func() { a.Free(make([]byte, 256)) })
	a.Free(b[:0])
	allocExpectPanic(t, "double free", func() { a.Free(b) })
	a.Free(nil)
}

func TestSlabDetectsWriteAfterFree(t *testing.T) {
	a := NewSlabAllocator(SlabOptions{})
	defer allocRequireReleased(t, a)
	b, err := a.Allocate(64, false)
	if err != nil {
		t.Fatal(err)
	}
	a.Free(b)
	b[0], b[1], b[2], b[3] = 0x12, 0x34, 0x56, 0x78 // overwrites the free-list link
	allocExpectPanic(t, "written to after it was freed", func() { _, _ = a.Allocate(64, false) })
	b[0], b[1], b[2], b[3] = 0xFF, 0xFF, 0xFF, 0xFF // restore the end-of-list link (-1)
	c, err := a.Allocate(64, false)
	if err != nil {
		t.Fatal(err)
	}
	a.Free(c)
	if got := a.Mapped(); got != DefaultSlabSize {
		t.Errorf("Mapped() = %d after the pool recovered, want the one kept slab", got)
	}
}

func TestSlabConcurrent(t *testing.T) {
	a := NewSlabAllocator(SlabOptions{})
	defer allocRequireReleased(t, a)
	const workers, rounds = 8, 3000
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			rng := rand.New(rand.NewPCG(uint64(w), 1))
			var held [][]byte
			for range rounds {
				if len(held) > 0 && rng.IntN(3) == 0 {
					k := rng.IntN(len(held))
					b := held[k]
					for i, v := range b {
						if v != byte(w) {
							t.Errorf("worker %d: byte %d of its block is %d: another goroutine wrote it", w, i, v)
							break
						}
					}
					a.Free(b)
					held[k] = held[len(held)-1]
					held = held[:len(held)-1]
					continue
				}
				b, err := a.Allocate(rng.IntN(8<<10), true)
				if err != nil {
					t.Error(err)
					return
				}
				for i := range b {
					if b[i] != 0 {
						t.Errorf("worker %d: fresh zeroed block has byte %d = %d", w, i, b[i])
						break
					}
					b[i] = byte(w)
				}
				held = append(held, b)
			}
			for _, b := range held {
				a.Free(b)
			}
		})
	}
	wg.Wait()
}

func TestNewSlabAllocatorRejectsBadOptions(t *testing.T) {
	for _, opts := range []SlabOptions{{MaxClass: 100}, {MaxClass: 32}, {SlabSize: 3 << 20}, {SlabSize: 1 << 10}, {MaxClass: 2 << 20}} {
		allocExpectPanic(t, "NewSlabAllocator", func() { NewSlabAllocator(opts) })
	}
	a := NewSlabAllocator(SlabOptions{MaxClass: 1 << 20, SlabSize: 1 << 20})
	b, err := a.Allocate(1<<20, true)
	if err != nil {
		t.Fatal(err)
	}
	a.Free(b)
	allocRequireReleased(t, a)
}

func TestSlabString(t *testing.T) {
	if got, want := NewSlabAllocator(SlabOptions{}).String(), "slab pool (64 B–64 KiB classes, 1 MiB mmap slabs)"; got != want {
		t.Errorf("String() = %q, want %q", got, want)
	}
}

func sumValues(m map[int]int) (n int) {
	for _, v := range m {
		n += v
	}
	return n
}

// allocRequireReleased checks that a has no live block and, after Trim, no
// slab mapped.
func allocRequireReleased(t testing.TB, a *SlabAllocator) {
	t.Helper()
	allocRequireZero(t, a)
	a.Trim()
	if n := a.Mapped(); n != 0 {
		t.Errorf("%d bytes of slabs still mapped after Trim", n)
	}
}

func BenchmarkSlabAllocFree(b *testing.B) {
	for _, tc := range []struct {
		size int
		zero bool
	}{{8, true}, {8 << 10, true}, {8 << 10, false}} {
		name := allocBenchName(tc.size)
		if !tc.zero {
			name += "-nozero"
		}
		b.Run(name, func(b *testing.B) {
			a := NewSlabAllocator(SlabOptions{})
			for b.Loop() {
				m, err := a.Allocate(tc.size, tc.zero)
				if err != nil {
					b.Fatal(err)
				}
				m[0] = 1
				a.Free(m)
			}
			allocRequireReleased(b, a)
		})
	}
}

// BenchmarkSlabAllocFreeParallel measures the per-class mutex under
// contention: every goroutine allocates from the same class.
func BenchmarkSlabAllocFreeParallel(b *testing.B) {
	a := NewSlabAllocator(SlabOptions{})
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			m, err := a.Allocate(8, true)
			if err != nil {
				b.Error(err)
				return
			}
			m[0] = 1
			a.Free(m)
		}
	})
	allocRequireReleased(b, a)
}

func TestSlabReleaseAfterBurst(t *testing.T) {
	for _, tc := range []struct {
		name          string
		releaseBlocks int
		wantRelease   bool
	}{
		{"default", 0, true},
		{"never", -1, false},
	} {
		a := NewSlabAllocator(SlabOptions{ReleaseBlocks: tc.releaseBlocks})
		var calls int
		a.freeOSMemory = func() { calls++ }
		perSlab := DefaultSlabSize / MinSlabClass
		var blocks [][]byte
		for i := 0; i < 6*perSlab; i++ { // six slabs of 64-byte blocks
			b, err := a.Allocate(8, false)
			if err != nil {
				t.Fatal(err)
			}
			b[0] = 1
			blocks = append(blocks, b)
		}
		if got := a.Mapped(); got != 6*DefaultSlabSize {
			t.Fatalf("%s: Mapped() = %d with six full slabs", tc.name, got)
		}
		for _, b := range blocks {
			a.Free(b)
		}
		if tc.wantRelease {
			if calls == 0 || a.Releases() != int64(calls) {
				t.Errorf("%s: %d releases (%d reported) after freeing six slabs", tc.name, calls, a.Releases())
			}
			// the release trimmed the kept slabs; at most the slab freed
			// after the last release stays mapped
			if got := a.Mapped(); got > DefaultSlabSize {
				t.Errorf("%s: Mapped() = %d after the burst, want at most one slab", tc.name, got)
			}
		} else {
			if calls != 0 || a.Releases() != 0 {
				t.Errorf("%s: %d releases, want none", tc.name, calls)
			}
			if got := a.Mapped(); got != DefaultSlabSize {
				t.Errorf("%s: Mapped() = %d, want the one kept slab", tc.name, got)
			}
		}
		if a.Allocated() != 0 {
			t.Errorf("%s: Allocated() = %d after freeing everything", tc.name, a.Allocated())
		}
		// a small churn never releases
		before := a.Releases()
		for i := 0; i < 3; i++ {
			b, _ := a.Allocate(8, false)
			a.Free(b)
		}
		if a.Releases() != before {
			t.Errorf("%s: a small churn released", tc.name)
		}
	}
}
