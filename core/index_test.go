package core_test

import (
	"errors"
	"fmt"
	"math"
	"math/big"
	"math/rand"
	"slices"
	"strings"
	"testing"

	"github.com/goarray/goarray/core"
)

const (
	maxInt = math.MaxInt64
	minInt = math.MinInt64
)

// opt is an optional slice bound: Python's None when !ok.
type opt struct {
	v  int
	ok bool
}

var none = opt{}

func v(x int) opt { return opt{x, true} }

func (o opt) String() string {
	if !o.ok {
		return "None"
	}
	return fmt.Sprint(o.v)
}

func sliceItem(start, stop, step opt) core.IndexItem {
	return core.IndexItem{Kind: core.IndexSlice, Start: start.v, Stop: stop.v, Step: step.v,
		HasStart: start.ok, HasStop: stop.ok, HasStep: step.ok}
}

// unpacked is what CPython's PySlice_Unpack gives the bindings for a slice:
// every bound present, None replaced by PY_SSIZE_T_MAX/MIN or 0, and the
// step clamped to -PY_SSIZE_T_MAX.
func unpacked(start, stop, step opt) core.IndexItem {
	st := 1
	if step.ok {
		st = max(step.v, -maxInt)
	}
	it := core.IndexItem{Kind: core.IndexSlice, Start: start.v, Stop: stop.v, Step: st, HasStart: true, HasStop: true, HasStep: true}
	if !start.ok {
		it.Start = 0
		if st < 0 {
			it.Start = maxInt
		}
	}
	if !stop.ok {
		it.Stop = maxInt
		if st < 0 {
			it.Stop = minInt
		}
	}
	return it
}

// pySliceIndices is CPython's slice.indices (_PySlice_GetLongIndices) and
// slice length in arbitrary precision, the reference for SliceIndices.
func pySliceIndices(start, stop, step opt, n int) (first, st, count int, err error) {
	bstep := big.NewInt(1)
	if step.ok {
		if step.v == 0 {
			return 0, 0, 0, errors.New("slice step cannot be zero")
		}
		bstep.SetInt64(int64(step.v))
	}
	length := big.NewInt(int64(n))
	neg := bstep.Sign() < 0
	lower, upper := big.NewInt(0), new(big.Int).Set(length)
	if neg {
		lower.SetInt64(-1)
		upper.Sub(length, big.NewInt(1))
	}
	bound := func(o opt, def *big.Int) *big.Int {
		if !o.ok {
			return new(big.Int).Set(def)
		}
		x := big.NewInt(int64(o.v))
		if x.Sign() < 0 {
			x.Add(x, length)
			if x.Cmp(lower) < 0 {
				x.Set(lower)
			}
		} else if x.Cmp(upper) > 0 {
			x.Set(upper)
		}
		return x
	}
	var bstart, bstop *big.Int
	if neg {
		bstart, bstop = bound(start, upper), bound(stop, lower)
	} else {
		bstart, bstop = bound(start, lower), bound(stop, upper)
	}
	// len(range(start, stop, step))
	cnt := new(big.Int)
	if neg && bstop.Cmp(bstart) < 0 {
		d := new(big.Int).Sub(bstart, bstop)
		d.Sub(d, big.NewInt(1))
		cnt.Quo(d, new(big.Int).Neg(bstep)).Add(cnt, big.NewInt(1))
	} else if !neg && bstart.Cmp(bstop) < 0 {
		d := new(big.Int).Sub(bstop, bstart)
		d.Sub(d, big.NewInt(1))
		cnt.Quo(d, bstep).Add(cnt, big.NewInt(1))
	}
	return int(bstart.Int64()), int(bstep.Int64()), int(cnt.Int64()), nil
}

// sliceTable was printed by CPython 3 through ctypes: PySlice_Unpack then
// PySlice_AdjustIndices(n), which is what numpy and the bindings do.
var sliceTable = []struct {
	start, stop, step opt
	n                 int
	first, st, count  int
}{
	{none, none, none, 5, 0, 1, 5},
	{none, none, v(-1), 5, 4, -1, 5},
	{none, none, v(minInt), 5, 4, -maxInt, 1}, // slice.indices gives step -2**63
	{none, none, v(maxInt), 5, 0, maxInt, 1},
	{none, none, v(-maxInt), 5, 4, -maxInt, 1},
	{v(minInt), v(maxInt), none, 5, 0, 1, 5},
	{v(maxInt), v(minInt), v(-1), 5, 4, -1, 5},
	{v(minInt), v(maxInt), v(-1), 5, -1, -1, 0},
	{v(maxInt), v(minInt), none, 5, 5, 1, 0},
	{v(maxInt), none, v(-2), 10, 9, -2, 5},
	{v(minInt), none, v(2), 10, 0, 2, 5},
	{none, v(minInt), v(-1), 10, 9, -1, 10},
	{none, v(maxInt), v(1), 10, 0, 1, 10},
	{v(-1), none, v(-1), 0, -1, -1, 0},
	{none, none, none, 0, 0, 1, 0},
	{none, none, v(-1), 0, -1, -1, 0},
	{v(0), v(0), v(1), 0, 0, 1, 0},
	{v(3), none, v(maxInt), 10, 3, maxInt, 1},
	{v(9), none, v(-maxInt), 10, 9, -maxInt, 1},
	{none, none, v(-3), 10, 9, -3, 4},
	{v(-3), v(-8), v(-2), 10, 7, -2, 3},
	{v(-100), v(100), v(3), 10, 0, 3, 4},
	{v(100), v(-100), v(-3), 10, 9, -3, 4},
	{v(5), v(5), v(1), 10, 5, 1, 0},
	{v(5), v(4), v(-1), 10, 5, -1, 1},
	{v(-11), v(11), v(1), 10, 0, 1, 10},
	{v(-11), none, v(-1), 10, -1, -1, 0},
	{v(10), none, v(-1), 10, 9, -1, 10},
	{v(11), none, v(-1), 10, 9, -1, 10},
	{v(-10), none, v(-1), 10, 0, -1, 1},
	{v(1), v(-1), none, 1, 1, 1, 0},
	{v(0), v(1), v(-1), 1, 0, -1, 0},
	{none, v(-2), v(-1), 1, 0, -1, 1},
	{v(-2), none, none, 1, 0, 1, 1},
	{v(4), v(1), v(-2), 6, 4, -2, 2},
	{v(1), v(4), v(-2), 6, 1, -2, 0},
	{none, none, v(2), 7, 0, 2, 4},
	{none, none, v(-2), 7, 6, -2, 4},
}

func TestSliceIndicesTable(t *testing.T) {
	for _, tc := range sliceTable {
		name := fmt.Sprintf("slice(%v, %v, %v).indices(%d)", tc.start, tc.stop, tc.step, tc.n)
		// As the bindings pass it: PySlice_Unpack's sentinels, all present.
		first, st, count, err := core.SliceIndices(unpacked(tc.start, tc.stop, tc.step), tc.n)
		if err != nil || first != tc.first || st != tc.st || count != tc.count {
			t.Errorf("%s unpacked = %d, %d, %d, %v; CPython %d, %d, %d", name, first, st, count, err, tc.first, tc.st, tc.count)
		}
		// With None as absent bounds.
		first, st, count, err = core.SliceIndices(sliceItem(tc.start, tc.stop, tc.step), tc.n)
		wantStep := tc.st
		if tc.step.ok {
			wantStep = tc.step.v // slice.indices does not clamp the step
		}
		if err != nil || first != tc.first || st != wantStep || count != tc.count {
			t.Errorf("%s = %d, %d, %d, %v; CPython %d, %d, %d", name, first, st, count, err, tc.first, wantStep, tc.count)
		}
		// The reference agrees with CPython too.
		first, st, count, _ = pySliceIndices(tc.start, tc.stop, tc.step, tc.n)
		if first != tc.first || st != wantStep || count != tc.count {
			t.Errorf("reference %s = %d, %d, %d", name, first, st, count)
		}
	}
}

func TestSliceIndicesGrid(t *testing.T) {
	bounds := []opt{none, v(minInt), v(minInt + 1), v(-maxInt / 2), v(-12), v(-11), v(-10), v(-6), v(-5), v(-4),
		v(-1), v(0), v(1), v(3), v(4), v(5), v(6), v(9), v(10), v(11), v(maxInt / 2), v(maxInt - 1), v(maxInt)}
	steps := []opt{none, v(1), v(2), v(3), v(7), v(-1), v(-2), v(-3), v(-7), v(maxInt), v(maxInt - 1), v(-maxInt), v(minInt)}
	lengths := []int{0, 1, 2, 5, 10, maxInt / 4, maxInt}
	for _, n := range lengths {
		for _, start := range bounds {
			for _, stop := range bounds {
				for _, step := range steps {
					wf, ws, wc, _ := pySliceIndices(start, stop, step, n)
					f, s, c, err := core.SliceIndices(sliceItem(start, stop, step), n)
					if err != nil || f != wf || s != ws || c != wc {
						t.Fatalf("slice(%v, %v, %v).indices(%d) = %d, %d, %d, %v; Python %d, %d, %d",
							start, stop, step, n, f, s, c, err, wf, ws, wc)
					}
					// The bindings' sentinel form selects the same elements.
					uf, us, uc, err := core.SliceIndices(unpacked(start, stop, step), n)
					if err != nil || uc != c || (c > 0 && uf != f) || (c > 1 && us != s) {
						t.Fatalf("unpacked slice(%v, %v, %v) on %d = %d, %d, %d, %v; with None %d, %d, %d",
							start, stop, step, n, uf, us, uc, err, f, s, c)
					}
				}
			}
		}
	}
}

func TestSliceIndicesZeroStep(t *testing.T) {
	for _, it := range []core.IndexItem{sliceItem(none, none, v(0)), unpacked(v(1), v(3), v(0))} {
		_, _, _, err := core.SliceIndices(it, 5)
		if !errors.Is(err, core.ErrValue) || !strings.Contains(err.Error(), "slice step cannot be zero") {
			t.Errorf("SliceIndices(%+v) = %v, want ErrValue", it, err)
		}
	}
}

// indexCases were printed by numpy 2.4 for a = np.arange(24).reshape(2, 3, 4)
// (int64): r = a[index]; r.shape, r.strides, and the byte offset of r's
// data from a's. (Where numpy would return a scalar, "..." is appended.)
var indexCases = []struct {
	index          string
	shape, strides []int
	offset         int
}{
	{"1", []int{3, 4}, []int{32, 8}, 96},
	{"-1", []int{3, 4}, []int{32, 8}, 96},
	{"1, ::-2, None", []int{2, 1, 4}, []int{-64, 0, 8}, 160},
	{"...", []int{2, 3, 4}, []int{96, 32, 8}, 0},
	{"", []int{2, 3, 4}, []int{96, 32, 8}, 0},
	{"..., 1", []int{2, 3}, []int{96, 32}, 8},
	{"1, ...", []int{3, 4}, []int{32, 8}, 96},
	{"None, ..., None", []int{1, 2, 3, 4, 1}, []int{0, 96, 32, 8, 0}, 0},
	{":, 1:3", []int{2, 2, 4}, []int{96, 32, 8}, 32},
	{"::-1, ::-1, ::-1", []int{2, 3, 4}, []int{-96, -32, -8}, 184},
	{":, 5:", []int{2, 0, 4}, []int{96, 32, 8}, 0},
	{":, 2:5:-2", []int{2, 0, 4}, []int{96, 32, 8}, 0},
	{"1, 2, 3, ...", []int{}, []int{}, 184},
	{"-2, -3, -4, ...", []int{}, []int{}, 0},
	{"None", []int{1, 2, 3, 4}, []int{0, 96, 32, 8}, 0},
	{"None, None, 1", []int{1, 1, 3, 4}, []int{0, 0, 32, 8}, 96},
	{":, None, :, None", []int{2, 1, 3, 1, 4}, []int{96, 0, 32, 0, 8}, 0},
	{"..., None", []int{2, 3, 4, 1}, []int{96, 32, 8, 0}, 0},
	{"1, ..., ::-3", []int{3, 2}, []int{32, -24}, 120},
	{"::2, -1:0:-1, 1::2", []int{1, 2, 2}, []int{192, -32, 16}, 72},
	{"0:0", []int{0, 3, 4}, []int{96, 32, 8}, 0},
	{":, :, 10:1:-3", []int{2, 3, 1}, []int{96, 32, -24}, 24},
	{":, :, -100:100:3", []int{2, 3, 2}, []int{96, 32, 24}, 0},
	{"1, :, None, ::-1", []int{3, 1, 4}, []int{32, 0, -8}, 120},
	{"..., ::-1, None", []int{2, 3, 4, 1}, []int{96, 32, -8, 0}, 24},
	{"1, 2", []int{4}, []int{8}, 160},
	{":, -1", []int{2, 4}, []int{96, 8}, 64},
	{"::-1, 1:, ...", []int{2, 2, 4}, []int{-96, 32, 8}, 128},
	{":, :, ::-1", []int{2, 3, 4}, []int{96, 32, -8}, 24},
	{"::5", []int{1, 3, 4}, []int{480, 32, 8}, 0},
	{"-5:5, ..., -3:", []int{2, 3, 3}, []int{96, 32, 8}, 8},
	{":, ::-1, 3:0:-2", []int{2, 3, 2}, []int{96, -32, -16}, 88},
	{"1, None, 2, None, 3", []int{1, 1}, []int{0, 0}, 184},
	{":, 7:-7:-1", []int{2, 3, 4}, []int{96, -32, 8}, 64},
}

func TestIndex(t *testing.T) {
	alloc := checkedAlloc(t)
	a := arange(t, alloc, core.Int64, 2, 3, 4)
	for _, tc := range indexCases {
		r := index(t, a, tc.index)
		if !slices.Equal(r.Shape(), tc.shape) || !slices.Equal(r.Strides(), tc.strides) || r.Offset() != tc.offset {
			t.Errorf("a[%s] = %v; numpy: shape %v strides %v offset %d", tc.index, r, tc.shape, tc.strides, tc.offset)
		}
		if r.Buffer() != a.Buffer() || r.DType() != core.Int64 {
			t.Errorf("a[%s] is not a view of a", tc.index)
		}
	}
}

func TestIndexIsAView(t *testing.T) {
	alloc := checkedAlloc(t)
	a := arange(t, alloc, core.Int64, 2, 3, 4)
	r := index(t, a, "1, ::-1, 2")
	core.Set[int64](r, -5, 0) // a[1, 2, 2]
	if got := core.At[int64](a, 1, 2, 2); got != -5 {
		t.Errorf("a[1, 2, 2] = %d after writing through a view, want -5", got)
	}
	if got := int64s(index(t, r, "::-1")); !slices.Equal(got, []int64{14, 18, -5}) {
		t.Errorf("view of a view reads %v", got)
	}
}

func TestIndexZeroD(t *testing.T) {
	alloc := checkedAlloc(t)
	a := arange(t, alloc, core.Int64, 2, 3)
	s := index(t, a, "1, 2, ...")
	for _, tc := range []struct {
		index string
		shape []int
	}{{"", nil}, {"...", nil}, {"None", []int{1}}, {"None, ..., None", []int{1, 1}}} {
		r := index(t, s, tc.index)
		if !slices.Equal(r.Shape(), tc.shape) || r.Offset() != 40 {
			t.Errorf("scalar[%s] = %v, want shape %v at offset 40", tc.index, r, tc.shape)
		}
	}
	if _, err := s.Index([]core.IndexItem{{Kind: core.IndexInt}}); !errors.Is(err, core.ErrIndex) {
		t.Errorf("scalar[0] = %v, want ErrIndex", err)
	}
}

func TestIndexErrors(t *testing.T) {
	alloc := checkedAlloc(t)
	a := arange(t, alloc, core.Int64, 2, 3, 4)
	// The messages are numpy's for the same a[index].
	for _, tc := range []struct {
		index string
		want  error
		msg   string
	}{
		{"2", core.ErrIndex, "index 2 is out of bounds for axis 0 with size 2"},
		{"-3", core.ErrIndex, "index -3 is out of bounds for axis 0 with size 2"},
		{"0, 3", core.ErrIndex, "index 3 is out of bounds for axis 1 with size 3"},
		{"0, 0, 4", core.ErrIndex, "index 4 is out of bounds for axis 2 with size 4"},
		{"0, -4", core.ErrIndex, "index -4 is out of bounds for axis 1 with size 3"},
		{"..., 4", core.ErrIndex, "index 4 is out of bounds for axis 2 with size 4"},
		{"0, 0, 0, 0", core.ErrIndex, "too many indices for array: array is 3-dimensional, but 4 were indexed"},
		{"0, 0, 0, None, 0", core.ErrIndex, "too many indices for array: array is 3-dimensional, but 4 were indexed"},
		{"..., ...", core.ErrIndex, "an index can only have a single ellipsis ('...')"},
		{"1, ..., 1, ..., 1", core.ErrIndex, "an index can only have a single ellipsis ('...')"},
		{"::0", core.ErrValue, "slice step cannot be zero"},
		{"0, 1:2:0", core.ErrValue, "slice step cannot be zero"},
	} {
		items, err := parseIndex(tc.index)
		if err != nil {
			t.Fatal(err)
		}
		r, err := a.Index(items)
		if !errors.Is(err, tc.want) || !strings.HasSuffix(fmt.Sprint(err), tc.msg) {
			t.Errorf("a[%s] = %v, %v; want %v %q", tc.index, r, err, tc.want, tc.msg)
		}
	}
	items := []core.IndexItem{{Kind: core.IndexKind(9)}}
	if _, err := a.Index(items); !errors.Is(err, core.ErrIndex) {
		t.Errorf("unknown index kind: %v", err)
	}
	// numpy: a[(None,)*62] on a 3-d array is IndexError "number of
	// dimensions must be within [0, 64], indexing result would have 65".
	many := make([]core.IndexItem, core.MaxDims-3+1)
	for i := range many {
		many[i].Kind = core.IndexNewAxis
	}
	if r, err := a.Index(many); !errors.Is(err, core.ErrIndex) || !strings.Contains(fmt.Sprint(err), "would have 65") {
		t.Errorf("a[(None,)*62] = %v, %v; want ErrIndex", r, err)
	}
	if r, err := a.Index(many[1:]); err != nil || r.NDim() != core.MaxDims {
		t.Errorf("a[(None,)*61] = %v, %v; want 64 dimensions", r, err)
	}
}

// randomIndex draws a basic index for an array of shape: ints (sometimes
// out of range), slices with random or absent bounds, new axes and at most
// one ellipsis.
func randomIndex(rng *rand.Rand, shape []int) []core.IndexItem {
	n := rng.Intn(len(shape) + 2)
	items := make([]core.IndexItem, 0, n)
	ellipsis := false
	for k := 0; k < n; k++ {
		switch r := rng.Intn(10); {
		case r < 2:
			items = append(items, core.IndexItem{Kind: core.IndexInt, Int: rng.Intn(9) - 4})
		case r < 3:
			items = append(items, core.IndexItem{Kind: core.IndexNewAxis})
		case r < 4 && !ellipsis:
			ellipsis = true
			items = append(items, core.IndexItem{Kind: core.IndexEllipsis})
		default:
			bound := func() opt {
				if rng.Intn(3) == 0 {
					return none
				}
				return v(rng.Intn(15) - 7)
			}
			step := none
			if rng.Intn(2) == 0 {
				step = v([]int{1, 2, 3, -1, -2, -3}[rng.Intn(6)])
			}
			items = append(items, sliceItem(bound(), bound(), step))
		}
	}
	return items
}

// refIndex applies items by hand: it returns the result's shape and a
// function from a result index to the source index (nil for a new axis'
// position), or ok=false where numpy raises.
func refIndex(shape []int, items []core.IndexItem) (out []int, back func([]int) []int, ok bool) {
	consumed := 0
	for _, it := range items {
		if it.Kind == core.IndexInt || it.Kind == core.IndexSlice {
			consumed++
		}
	}
	if consumed > len(shape) {
		return nil, nil, false
	}
	// Expand the ellipsis and the implicit trailing full slices.
	var full []core.IndexItem
	expanded := false
	for _, it := range items {
		if it.Kind == core.IndexEllipsis {
			expanded = true
			for r := len(shape) - consumed; r > 0; r-- {
				full = append(full, core.IndexItem{Kind: core.IndexSlice})
			}
			continue
		}
		full = append(full, it)
	}
	if !expanded {
		for r := len(shape) - consumed; r > 0; r-- {
			full = append(full, core.IndexItem{Kind: core.IndexSlice})
		}
	}
	type axisMap struct {
		src         int // source axis, or -1 for a new axis
		first, step int
	}
	var maps []axisMap // one per output axis
	fixed := make([]int, len(shape))
	axis := 0
	for _, it := range full {
		switch it.Kind {
		case core.IndexNewAxis:
			maps = append(maps, axisMap{src: -1})
			out = append(out, 1)
		case core.IndexInt:
			i := it.Int
			if i < 0 {
				i += shape[axis]
			}
			if i < 0 || i >= shape[axis] {
				return nil, nil, false
			}
			fixed[axis] = i
			axis++
		case core.IndexSlice:
			f, s, c, _ := pySliceIndices(opt{it.Start, it.HasStart}, opt{it.Stop, it.HasStop}, opt{it.Step, it.HasStep}, shape[axis])
			maps = append(maps, axisMap{axis, f, s})
			out = append(out, c)
			axis++
		}
	}
	back = func(idx []int) []int {
		src := slices.Clone(fixed)
		for k, m := range maps {
			if m.src >= 0 {
				src[m.src] = m.first + idx[k]*m.step
			}
		}
		return src
	}
	return out, back, true
}

// TestIndexComposedProperty indexes random arrays twice (a view of a view)
// and checks every element against the source element that the two indexes
// select, composed by hand.
func TestIndexComposedProperty(t *testing.T) {
	alloc := checkedAlloc(t)
	rng := rand.New(rand.NewSource(20241122))
	composed, elems := 0, 0
	for iter := 0; iter < 5000; iter++ {
		shape := make([]int, rng.Intn(5))
		for i := range shape {
			shape[i] = 1 + rng.Intn(6)
			if rng.Intn(10) == 0 {
				shape[i] = 0
			}
		}
		a, err := core.New(alloc, shape, core.Int64, core.COrder, false)
		if err != nil {
			t.Fatal(err)
		}
		if b, ok := core.Slice[int64](a); ok {
			for i := range b {
				b[i] = int64(i)
			}
		}
		// flat is the C-order number of a source index.
		flat := func(src []int) int64 {
			f := 0
			for k, i := range src {
				f = f*shape[k] + i
			}
			return int64(f)
		}
		it1, it2 := randomIndex(rng, shape), randomIndex(rng, shape)
		v1, err1 := a.Index(it1)
		shape1, back1, ok1 := refIndex(shape, it1)
		if (err1 == nil) != ok1 {
			t.Fatalf("shape %v index %+v: error %v, reference ok=%v", shape, it1, err1, ok1)
		}
		if err1 != nil {
			a.Release()
			continue
		}
		if !slices.Equal(v1.Shape(), shape1) {
			t.Fatalf("shape %v index %+v: shape %v, reference %v", shape, it1, v1.Shape(), shape1)
		}
		v2, err2 := v1.Index(it2)
		shape2, back2, ok2 := refIndex(shape1, it2)
		if (err2 == nil) != ok2 {
			t.Fatalf("shape %v index %+v then %+v: error %v, reference ok=%v", shape, it1, it2, err2, ok2)
		}
		if err2 == nil {
			if !slices.Equal(v2.Shape(), shape2) {
				t.Fatalf("shape %v index %+v then %+v: shape %v, reference %v", shape, it1, it2, v2.Shape(), shape2)
			}
			composed++
			forEachIndex(shape2, func(idx []int) {
				elems++
				got := core.At[int64](v2, idx...)
				if want := flat(back1(back2(idx))); got != want {
					t.Fatalf("shape %v index %+v then %+v: v[%v] = %d, want source element %d", shape, it1, it2, idx, got, want)
				}
			})
		}
		a.Release()
	}
	if composed < 2000 || elems < 10000 {
		t.Errorf("only %d of the random index pairs were valid, reading %d elements: the generator needs tuning", composed, elems)
	}
}

func BenchmarkIndex(b *testing.B) {
	alloc := core.NewChecked(core.DefaultAllocator())
	a, err := core.New(alloc, []int{10, 20, 30}, core.Float64, core.COrder, true)
	if err != nil {
		b.Fatal(err)
	}
	defer func() {
		a.Release()
		alloc.AssertZero(b)
	}()
	items, _ := parseIndex("1, ::-2, None, 3:-3")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := a.Index(items); err != nil {
			b.Fatal(err)
		}
	}
}
