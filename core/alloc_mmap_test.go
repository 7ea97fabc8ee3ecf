package core

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"
	"unsafe"

	"golang.org/x/sys/unix"
)

func TestMmapAllocateSizesAlignmentAndZero(t *testing.T) {
	a := NewMmapAllocator(MmapOptions{})
	page := int(osPageSize)
	for _, size := range []int{0, 1, 8, 64, page - 1, page, page + 1, 100_000, 1 << 20} {
		b, err := a.Allocate(size, true)
		if err != nil {
			t.Fatalf("Allocate(%d): %v", size, err)
		}
		wantCap := max((size+page-1)/page*page, page)
		if len(b) != size || cap(b) != wantCap {
			t.Errorf("Allocate(%d): len %d cap %d, want len %d cap %d", size, len(b), cap(b), size, wantCap)
		}
		if unsafe.SliceData(b) == nil {
			t.Errorf("Allocate(%d): nil pointer", size)
		}
		if p := allocAddr(b); p%uintptr(page) != 0 {
			t.Errorf("Allocate(%d): address %#x is not page-aligned", size, p)
		}
		full := b[:cap(b)]
		for i, v := range full {
			if v != 0 {
				t.Fatalf("Allocate(%d): byte %d is %d, want 0", size, i, v)
			}
		}
		full[0], full[len(full)-1] = 1, 2
		a.Free(b)
	}
	allocRequireZero(t, a)
}

func TestMmapHugeBlocksAre2MiBAligned(t *testing.T) {
	for _, tc := range []struct {
		threshold, size int
		huge            bool
	}{
		{0, DefaultHugePageThreshold - 1, false},
		{0, DefaultHugePageThreshold, true},
		{0, 5<<20 + 1, true},
		{1 << 20, 1 << 20, true},
		{-1, 8 << 20, false},
	} {
		a := NewMmapAllocator(MmapOptions{HugePageThreshold: tc.threshold})
		b, err := a.Allocate(tc.size, false)
		if err != nil {
			t.Fatalf("threshold %d: Allocate(%d): %v", tc.threshold, tc.size, err)
		}
		if tc.huge && allocAddr(b)%HugePageSize != 0 {
			t.Errorf("threshold %d: Allocate(%d) at %#x, not 2 MiB-aligned", tc.threshold, tc.size, allocAddr(b))
		}
		if cap(b)%int(osPageSize) != 0 || cap(b) < tc.size {
			t.Errorf("threshold %d: Allocate(%d) has capacity %d", tc.threshold, tc.size, cap(b))
		}
		// The slack around an aligned block was unmapped: only the block's
		// own pages are mapped, so writing to both ends works.
		full := b[:cap(b)]
		full[0], full[len(full)-1] = 1, 1
		a.Free(b)
		allocRequireZero(t, a)
	}
}

func TestMmapOutOfMemory(t *testing.T) {
	a := NewMmapAllocator(MmapOptions{})
	const huge = 1 << 50
	b, err := a.Allocate(huge, false)
	if err == nil {
		a.Free(b)
		t.Fatalf("Allocate(1<<50) succeeded")
	}
	if !errors.Is(err, ErrMemory) {
		t.Errorf("Allocate(1<<50): %v does not wrap ErrMemory", err)
	}
	if !strings.Contains(err.Error(), strconv.Itoa(huge)) {
		t.Errorf("Allocate(1<<50): %q does not say how many bytes were asked for", err)
	}
	t.Log(err)
	allocRequireZero(t, a)
}

func TestMmapNegativeSize(t *testing.T) {
	a := NewMmapAllocator(MmapOptions{})
	if _, err := a.Allocate(-1, false); !errors.Is(err, ErrValue) {
		t.Errorf("Allocate(-1): %v, want ErrValue", err)
	}
	allocRequireZero(t, a)
}

func TestMmapFreeUnmaps(t *testing.T) {
	a := NewMmapAllocator(MmapOptions{})
	b, err := a.Allocate(64<<20, false)
	if err != nil {
		t.Fatal(err)
	}
	b[0] = 1
	if got := a.Allocated(); got != 64<<20 {
		t.Errorf("Allocated() = %d with a 64 MiB block live", got)
	}
	if err := mincore(allocAddr(b)); err != nil {
		t.Fatalf("mincore on a live block: %v", err)
	}
	a.Free(b)
	// mincore fails with ENOMEM on an address range that is not mapped.
	if err := mincore(allocAddr(b)); !errors.Is(err, unix.ENOMEM) {
		t.Errorf("mincore after Free: %v, want ENOMEM (block still mapped)", err)
	}
	allocRequireZero(t, a)
}

func TestMmapBadFreePanics(t *testing.T) {
	a := NewMmapAllocator(MmapOptions{})
	b, err := a.Allocate(100, false)
	if err != nil {
		t.Fatal(err)
	}
	allocExpectPanic(t, "capacity", func() { a.Free(b[:50:60]) })
	a.Free(b[:0])
	allocExpectPanic(t, "freed twice", func() { a.Free(b) })
	allocExpectPanic(t, "not allocated by this allocator", func() { a.Free(make([]byte, 4096)) })
	a.Free(nil)
	allocRequireZero(t, a)
}

// mincore asks whether the page at addr is resident; it fails with ENOMEM
// if the page is not mapped.
func mincore(addr uintptr) error {
	var vec [1]byte
	_, _, errno := unix.Syscall(unix.SYS_MINCORE, addr, osPageSize, uintptr(unsafe.Pointer(&vec[0])))
	if errno != 0 {
		return errno
	}
	return nil
}

// TestMmapHugePages checks that a 64 MiB block is advised MADV_HUGEPAGE (the
// "hg" VmFlag) and, where THP is enabled, backed by huge pages once touched.
func TestMmapHugePages(t *testing.T) {
	enabled, err := os.ReadFile("/sys/kernel/mm/transparent_hugepage/enabled")
	if err != nil {
		t.Skipf("transparent huge pages unavailable: %v", err)
	}
	a := NewMmapAllocator(MmapOptions{})
	b, err := a.Allocate(64<<20, false)
	if err != nil {
		t.Fatal(err)
	}
	defer func() {
		a.Free(b)
		allocRequireZero(t, a)
	}()
	for i := 0; i < len(b); i += int(osPageSize) {
		b[i] = 1
	}
	flags, hugeKiB, err := smapsEntry(allocAddr(b))
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("THP %q; block VmFlags %q; AnonHugePages %d kB", strings.TrimSpace(string(enabled)), flags, hugeKiB)
	if !strings.Contains(" "+flags+" ", " hg ") {
		t.Errorf("the 64 MiB block was not advised MADV_HUGEPAGE: VmFlags %q", flags)
	}
	if hugeKiB == 0 {
		if strings.Contains(string(enabled), "[never]") {
			t.Logf("no huge pages: THP is off (%s)", strings.TrimSpace(string(enabled)))
		} else {
			t.Errorf("a touched 64 MiB MADV_HUGEPAGE block has no huge pages although THP is %q (memory too fragmented?)", strings.TrimSpace(string(enabled)))
		}
	}
}

// smapsEntry returns the VmFlags and AnonHugePages (kB) of the mapping that
// contains addr, from /proc/self/smaps.
func smapsEntry(addr uintptr) (flags string, hugeKiB int, err error) {
	f, err := os.Open("/proc/self/smaps")
	if err != nil {
		return "", 0, err
	}
	defer f.Close()
	in := false
	found := false
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		fields := strings.Fields(line)
		if len(fields) == 0 {
			continue
		}
		if lo, hi, ok := strings.Cut(fields[0], "-"); ok && !strings.HasSuffix(fields[0], ":") {
			l, err1 := strconv.ParseUint(lo, 16, 64)
			h, err2 := strconv.ParseUint(hi, 16, 64)
			if err1 == nil && err2 == nil {
				if in {
					break
				}
				in = uint64(addr) >= l && uint64(addr) < h
				found = found || in
				continue
			}
		}
		if !in {
			continue
		}
		switch fields[0] {
		case "AnonHugePages:":
			hugeKiB, _ = strconv.Atoi(fields[1])
		case "VmFlags:":
			flags = strings.Join(fields[1:], " ")
		}
	}
	if err := sc.Err(); err != nil {
		return "", 0, err
	}
	if !found {
		return "", 0, fmt.Errorf("no mapping contains %#x in /proc/self/smaps", addr)
	}
	return flags, hugeKiB, nil
}

func BenchmarkMmapAllocFree(b *testing.B) {
	for _, size := range []int{8, 8 << 10} {
		b.Run(allocBenchName(size), func(b *testing.B) {
			a := NewMmapAllocator(MmapOptions{})
			for b.Loop() {
				m, err := a.Allocate(size, true)
				if err != nil {
					b.Fatal(err)
				}
				m[0] = 1 // fault the page in, as an array would
				a.Free(m)
			}
			allocRequireZero(b, a)
		})
	}
}

func TestMmapCacheReusesFreedBlocks(t *testing.T) {
	a := NewMmapAllocator(MmapOptions{CacheBytes: 1 << 20, CacheMaxBlock: 256 << 10})
	b, err := a.Allocate(100_000, true)
	if err != nil {
		t.Fatal(err)
	}
	b[5] = 7
	p := &b[0]
	a.Free(b)
	if a.Allocated() != 0 {
		t.Fatalf("Allocated after Free = %d", a.Allocated())
	}
	c, err := a.Allocate(100_000, true)
	if err != nil {
		t.Fatal(err)
	}
	if &c[0] != p {
		t.Error("a freed block of the same size was not reused")
	}
	if c[5] != 0 {
		t.Error("a reused block asked for zeroed was not cleared")
	}
	a.Free(c)
	big, _ := a.Allocate(512<<10, false) // above CacheMaxBlock: unmapped on Free
	a.Free(big)
	if got := a.TrimCache(); got != int64(roundUpPow2(100_000, osPageSize)) {
		t.Errorf("TrimCache released %d bytes", got)
	}
	if a.Allocated() != 0 {
		t.Errorf("Allocated = %d", a.Allocated())
	}
}

func TestMmapLargeCacheReuseEvictionAndIdleRelease(t *testing.T) {
	const mb = 1 << 20
	idle := 200 * time.Millisecond
	a := NewMmapAllocator(MmapOptions{CacheMaxBlock: mb, LargeCacheBytes: 10 * mb, LargeCacheIdle: idle})
	alloc := func(size int, zero bool) []byte {
		t.Helper()
		b, err := a.Allocate(size, zero)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	b := alloc(4*mb, false)
	b[7] = 9
	p := allocAddr(b)
	a.Free(b)
	if a.Allocated() != 0 || a.CachedBytes() != 4*mb {
		t.Fatalf("after Free: Allocated %d, CachedBytes %d", a.Allocated(), a.CachedBytes())
	}
	// A request for zeroed memory takes a fresh mapping (zero for free).
	z := alloc(4*mb, true)
	if allocAddr(z) == p || z[7] != 0 {
		t.Error("a zeroed request reused a cached large block")
	}
	a.Free(z) // now two 4 MiB blocks are cached
	// An unzeroed request of the same mapped size reuses the newest one.
	c := alloc(4*mb-100, false)
	if allocAddr(c) != allocAddr(z) {
		t.Error("an unzeroed request of the same size did not reuse the newest cached block")
	}
	if a.Allocated() != 4*mb || a.CachedBytes() != 4*mb {
		t.Errorf("Allocated %d, CachedBytes %d", a.Allocated(), a.CachedBytes())
	}
	a.Free(c)
	// A third block passes the 10 MiB limit: the oldest (p) is unmapped.
	d := alloc(4*mb, false)
	if allocAddr(d) == p {
		t.Fatal("reused the older block, not the newest")
	}
	a.Free(d) // cached: c/d's block and p
	e := alloc(3*mb, false)
	a.Free(e) // 4 + 4 + 3 > 10: p goes
	if err := mincore(p); !errors.Is(err, unix.ENOMEM) {
		t.Errorf("the oldest block is still mapped after eviction: %v", err)
	}
	if got := a.CachedBytes(); got != 7*mb {
		t.Errorf("CachedBytes = %d, want 7 MiB", got)
	}
	// Blocks larger than the whole limit are unmapped at once.
	f := alloc(11*mb, false)
	a.Free(f)
	if err := mincore(allocAddr(f)); !errors.Is(err, unix.ENOMEM) {
		t.Errorf("a block above LargeCacheBytes stayed mapped: %v", err)
	}
	// Idle blocks go back to the OS.
	deadline := time.Now().Add(20 * idle)
	for a.CachedBytes() != 0 && time.Now().Before(deadline) {
		time.Sleep(idle / 4)
	}
	if got := a.CachedBytes(); got != 0 {
		t.Fatalf("CachedBytes = %d after %v idle", got, 20*idle)
	}
	if err := mincore(allocAddr(e)); !errors.Is(err, unix.ENOMEM) {
		t.Errorf("an idle block is still mapped: %v", err)
	}
	// The timer re-arms for blocks freed after it fired.
	g := alloc(2*mb, false)
	a.Free(g)
	time.Sleep(3 * idle)
	if got := a.CachedBytes(); got != 0 {
		t.Errorf("CachedBytes = %d: the timer did not re-arm", got)
	}
	h := alloc(2*mb, false)
	a.Free(h)
	if got := a.TrimCache(); got != 2*mb {
		t.Errorf("TrimCache released %d bytes, want 2 MiB", got)
	}
	allocRequireZero(t, a)
}
