package core

import "errors"

// Sentinel errors. Functions wrap them with %w and a message that says what
// was asked and what was wrong; callers test them with errors.Is.
var (
	// ErrShape: a shape, axis or reshape request that cannot be satisfied.
	ErrShape = errors.New("goarray: invalid shape")
	// ErrDType: an unsupported dtype or an itemsize mismatch.
	ErrDType = errors.New("goarray: invalid dtype")
	// ErrIndex: an index out of range or of an unsupported kind.
	ErrIndex = errors.New("goarray: index error")
	// ErrValue: any other invalid argument.
	ErrValue = errors.New("goarray: invalid value")
	// ErrMemory: the allocator could not provide the memory.
	ErrMemory = errors.New("goarray: out of memory")
	// ErrBusy: the storage is exported or viewed and cannot move.
	ErrBusy = errors.New("goarray: buffer in use")
	// ErrReadOnly: a write to a read-only array.
	ErrReadOnly = errors.New("goarray: array is read-only")
)
