package core

import (
	"unsafe"

	"golang.org/x/sys/unix"
)

// adviseHugePages asks the kernel to back [p, p+n) with transparent huge
// pages. The advice is a hint: it fails with EINVAL where THP is compiled
// out, and any failure only means ordinary pages, so errors are ignored.
func adviseHugePages(p unsafe.Pointer, n uintptr) {
	_ = unix.Madvise(unsafe.Slice((*byte)(p), n), unix.MADV_HUGEPAGE)
}
