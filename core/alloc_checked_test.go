package core

import (
	"fmt"
	"strings"
	"testing"
)

// recordingT collects what AssertZero reports.
type recordingT struct{ errors []string }

func (r *recordingT) Helper() {}
func (r *recordingT) Errorf(format string, args ...any) {
	r.errors = append(r.errors, fmt.Sprintf(format, args...))
}

func TestCheckedReportsLeaks(t *testing.T) {
	c := NewChecked(NewTiered(NewSlabAllocator(SlabOptions{}), NewMmapAllocator(MmapOptions{})))
	small, err := c.Allocate(10, true)
	if err != nil {
		t.Fatal(err)
	}
	large, err := c.Allocate(100<<10, true)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := c.Allocated(), int64(64+100<<10); got != want {
		t.Errorf("Allocated() = %d, want %d", got, want)
	}
	var rec recordingT
	c.AssertZero(&rec)
	if len(rec.errors) != 1 || !strings.Contains(rec.errors[0], "102464 bytes in 2 blocks") ||
		!strings.Contains(rec.errors[0], "TestCheckedReportsLeaks") {
		t.Errorf("AssertZero reported %q", rec.errors)
	}
	c.Free(small)
	c.Free(large)
	rec = recordingT{}
	c.AssertZero(&rec)
	if len(rec.errors) != 0 {
		t.Errorf("AssertZero with nothing live reported %q", rec.errors)
	}
	c.AssertZero(t)
	allocRequireZero(t, c.inner)
}

func TestCheckedPanicsOnBadFree(t *testing.T) {
	inner := NewSlabAllocator(SlabOptions{})
	c := NewChecked(inner)
	b, err := c.Allocate(100, false)
	if err != nil {
		t.Fatal(err)
	}
	other, err := inner.Allocate(100, false)
	if err != nil {
		t.Fatal(err)
	}
	allocExpectPanic(t, "did not hand out", func() { c.Free(other) })
	allocExpectPanic(t, "allocated with capacity 128", func() { c.Free(b[:10:100]) })
	c.Free(b)
	allocExpectPanic(t, "double free", func() { c.Free(b) })
	c.Free(nil)
	inner.Free(other)
	c.AssertZero(t)
	allocRequireReleased(t, inner)
}

func TestCheckedPoisonsUnzeroedBlocks(t *testing.T) {
	c := NewChecked(NewMmapAllocator(MmapOptions{}))
	b, err := c.Allocate(100, false)
	if err != nil {
		t.Fatal(err)
	}
	if b[0] != checkedPoison || b[99] != checkedPoison {
		t.Errorf("an unzeroed block starts %#x, want the %#x poison", b[0], checkedPoison)
	}
	z, err := c.Allocate(100, true)
	if err != nil {
		t.Fatal(err)
	}
	if z[0] != 0 {
		t.Errorf("a zeroed block starts %#x", z[0])
	}
	c.Free(b)
	c.Free(z)
	c.AssertZero(t)
	allocRequireZero(t, c.inner)
}

func TestCheckedString(t *testing.T) {
	if got := NewChecked(NewMmapAllocator(MmapOptions{HugePageThreshold: -1})).String(); got != "checked mmap (no huge pages)" {
		t.Errorf("String() = %q", got)
	}
}
