package core

// Allocator hands out memory that lives outside the Go heap, so that it may
// be given to C and Python for as long as they like (cgo pointer rules) and
// is returned to the operating system when freed.
//
// Allocate returns a slice of length size whose capacity is the block that
// was reserved; Free must be given that slice (or any reslice of it that keeps
// its first element and capacity). Allocate(0, ...) returns a zero-length
// slice with a non-nil pointer. Blocks are aligned to at least 64 bytes.
// When zero is true the memory reads as zeros. Allocated reports the bytes
// currently reserved (capacities of the live blocks), so tests can assert
// that everything they allocated was freed. Implementations are safe for
// concurrent use.
type Allocator interface {
	Allocate(size int, zero bool) ([]byte, error)
	Free(b []byte)
	Allocated() int64
}
