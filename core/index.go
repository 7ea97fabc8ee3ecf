package core

import "fmt"

// IndexKind says what one item of a basic index is.
type IndexKind uint8

const (
	// IndexInt selects one position and removes the axis.
	IndexInt IndexKind = iota
	// IndexSlice selects start:stop:step of an axis.
	IndexSlice
	// IndexNewAxis inserts an axis of length 1 (numpy's None).
	IndexNewAxis
	// IndexEllipsis stands for as many full slices as needed (numpy's ...).
	IndexEllipsis
)

// IndexItem is one item of a basic (view-making) index. For slices, Start,
// Stop and Step are used only when HasStart/HasStop/HasStep are set, as
// Python's None does in slice(None, None, None).
type IndexItem struct {
	Kind                       IndexKind
	Int                        int
	Start, Stop, Step          int
	HasStart, HasStop, HasStep bool
}

// SliceIndices resolves a slice against an axis of length n exactly as
// Python's slice.indices does, returning the first index, the step and the
// number of selected elements.
func SliceIndices(it IndexItem, n int) (start, step, count int, err error) {
	step = 1
	if it.HasStep {
		if it.Step == 0 {
			return 0, 0, 0, fmt.Errorf("%w: slice step cannot be zero", ErrValue)
		}
		step = it.Step
	}
	var lower, upper int
	if step < 0 {
		lower, upper = -1, n-1
	} else {
		lower, upper = 0, n
	}
	clamp := func(v int, def int, has bool) int {
		if !has {
			return def
		}
		if v < 0 {
			v += n
			if v < lower {
				v = lower
			}
		} else if v > upper {
			v = upper
		}
		return v
	}
	if step < 0 {
		start = clamp(it.Start, upper, it.HasStart)
		stop := clamp(it.Stop, lower, it.HasStop)
		if stop < start {
			count = (start-stop-1)/(-step) + 1
		}
	} else {
		start = clamp(it.Start, lower, it.HasStart)
		stop := clamp(it.Stop, upper, it.HasStop)
		if start < stop {
			count = (stop-start-1)/step + 1
		}
	}
	return start, step, count, nil
}

// Index applies a basic index (integers, slices, new axes and at most one
// ellipsis) and returns a view. Missing trailing items select whole axes.
// Errors wrap ErrIndex, with numpy's wording.
func (a *Array) Index(items []IndexItem) (*Array, error) {
	consumed := 0
	ellipsis := -1
	for k, it := range items {
		switch it.Kind {
		case IndexInt, IndexSlice:
			consumed++
		case IndexEllipsis:
			if ellipsis >= 0 {
				return nil, fmt.Errorf("%w: an index can only have a single ellipsis ('...')", ErrIndex)
			}
			ellipsis = k
		case IndexNewAxis:
		default:
			return nil, fmt.Errorf("%w: unknown index kind %d", ErrIndex, it.Kind)
		}
	}
	nd := len(a.shape)
	if consumed > nd {
		return nil, fmt.Errorf("%w: too many indices for array: array is %d-dimensional, but %d were indexed", ErrIndex, nd, consumed)
	}
	// Built on the stack and copied into the view: a view costs one heap
	// allocation (see derive).
	var shapeBuf, strideBuf [16]int
	shape, strides := shapeBuf[:0], strideBuf[:0]
	offset := a.offset
	axis := 0
	full := func() {
		shape = append(shape, a.shape[axis])
		strides = append(strides, a.strides[axis])
		axis++
	}
	for _, it := range items {
		switch it.Kind {
		case IndexEllipsis:
			for r := nd - consumed; r > 0; r-- {
				full()
			}
		case IndexNewAxis:
			shape = append(shape, 1)
			strides = append(strides, 0)
		case IndexInt:
			n := a.shape[axis]
			i := it.Int
			if i < 0 {
				i += n
			}
			if i < 0 || i >= n {
				return nil, fmt.Errorf("%w: index %d is out of bounds for axis %d with size %d", ErrIndex, it.Int, axis, n)
			}
			offset += i * a.strides[axis]
			axis++
		case IndexSlice:
			start, step, count, err := SliceIndices(it, a.shape[axis])
			if err != nil {
				return nil, err
			}
			if count > 0 {
				offset += start * a.strides[axis]
			} else {
				// numpy points an empty slice at the axis start with step 1,
				// so its stride is the axis' own (a[:, 2:5:-2] has (32, 8)).
				step = 1
			}
			shape = append(shape, count)
			strides = append(strides, step*a.strides[axis])
			axis++
		}
	}
	for axis < nd {
		full()
	}
	if len(shape) > MaxDims {
		return nil, fmt.Errorf("%w: number of dimensions must be within [0, %d], indexing result would have %d", ErrIndex, MaxDims, len(shape))
	}
	return a.derive(offset, shape, strides), nil
}
