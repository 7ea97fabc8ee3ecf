//go:build unix && !linux

package core

import "unsafe"

// adviseHugePages does nothing: MADV_HUGEPAGE is Linux's. Elsewhere the
// 2 MiB alignment still lets a kernel that promotes pages on its own do so.
func adviseHugePages(p unsafe.Pointer, n uintptr) {}
