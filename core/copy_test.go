package core_test

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/goarray/goarray/core"
)

// itemDTypes has one dtype of each itemsize the copy kernels special-case.
var itemDTypes = []core.DType{core.Uint8, core.Int16, core.Float32, core.Int64, core.Complex128}

// layouts returns named views of a fresh arange of the given dtype and
// shape (3, 4, 5), covering negative, zero and non-unit strides.
func layouts(t *testing.T, alloc core.Allocator, d core.DType) map[string]*core.Array {
	a := arange(t, alloc, d, 3, 4, 5)
	row := index(t, a, "1, 2")
	bcast, err := row.BroadcastTo([]int{3, 4, 5})
	if err != nil {
		t.Fatal(err)
	}
	col := index(t, a, "2, :, 3, None") // shape (4, 1)
	bcast2, err := col.BroadcastTo([]int{3, 4, 5})
	if err != nil {
		t.Fatal(err)
	}
	return map[string]*core.Array{
		"contiguous":         a,
		"reversed":           index(t, a, "::-1, ::-1, ::-1"),
		"transposed":         transpose(t, a),
		"axes 2 0 1":         transpose(t, a, 2, 0, 1),
		"stepped":            index(t, a, "::2, 1::2, ::-3"),
		"row broadcast":      bcast,
		"column broadcast":   bcast2,
		"0-d":                index(t, a, "1, 2, 3, ..."),
		"empty":              index(t, a, ":, 3:1"),
		"new axes":           index(t, a, "None, 1, ..., None"),
		"single column":      index(t, a, ":, :, 2:3"),
		"mixed":              transpose(t, index(t, a, "::-2, :, 1:4"), 1, 2, 0),
		"reversed last only": index(t, a, "..., ::-1"),
	}
}

// destinations returns writable arrays of the given shape: a fresh C array,
// a fresh F array and a reversed strided window into a larger array. The
// larger array is returned too, to check what was not written.
func destinations(t *testing.T, alloc core.Allocator, d core.DType, shape []int) (map[string]*core.Array, *core.Array) {
	c := newArray(t, alloc, d, shape...)
	f, err := core.New(alloc, shape, d, core.FOrder, true)
	if err != nil {
		t.Fatal(err)
	}
	release(t, f)
	big := make([]int, len(shape))
	idx := make([]string, len(shape))
	for i, n := range shape {
		big[i] = 2*n + 1
		idx[i] = fmt.Sprintf("%d::-2", 2*n-1) // n elements, odd positions, reversed
		if n == 0 {
			idx[i] = ":0"
		}
	}
	host := arange(t, alloc, d, big...)
	return map[string]*core.Array{"C": c, "F": f, "window": index(t, host, strings.Join(idx, ", "))}, host
}

func TestCopyToLayouts(t *testing.T) {
	alloc := checkedAlloc(t)
	for _, d := range itemDTypes {
		for name, src := range layouts(t, alloc, d) {
			dsts, host := destinations(t, alloc, d, src.Shape())
			hostBefore := elements(t, host)
			for dname, dst := range dsts {
				if err := core.CopyTo(nil, dst, src); err != nil {
					t.Fatalf("%v %s -> %s: %v", d, name, dname, err)
				}
				if got, want := elements(t, dst), elements(t, src); !slices.Equal(got, want) {
					t.Errorf("%v %s -> %s: copied elements differ", d, name, dname)
				}
			}
			// Only the window's elements of the host changed.
			written := map[string]bool{}
			window := dsts["window"]
			forEachIndex(window.Shape(), func(idx []int) {
				off, _ := window.ElementOffset(idx...)
				written[fmt.Sprint(window.Offset()+off)] = true
			})
			i := 0
			forEachIndex(host.Shape(), func(idx []int) {
				off, _ := host.ElementOffset(idx...)
				if !written[fmt.Sprint(off)] && elementBytes(t, host, idx) != hostBefore[i] {
					t.Errorf("%v %s: element %v outside the window changed", d, name, idx)
				}
				i++
			})
		}
	}
}

func TestCopyToOverlap(t *testing.T) {
	alloc := checkedAlloc(t)
	type overlap struct {
		name     string
		dst, src string // indexes into the same array
		shape    []int
	}
	cases := []overlap{
		{"shift right", "1:", ":-1", []int{10}},
		{"shift left", ":-1", "1:", []int{10}},
		{"reverse in place", "", "::-1", []int{10}},
		{"reverse overlapping halves", ":6", "-1:3:-1", []int{10}},
		{"rows down", "1:", ":-1", []int{4, 5}},
		{"rows up, columns reversed", ":-1, ::-1", "1:", []int{4, 5}},
		{"every other into the front", ":5", "::2", []int{10}},
		{"same layout", "::-1", "::-1", []int{10}},
		{"3-d shift", "1:, :, 1:", ":-1, :, :-1", []int{3, 2, 4}},
	}
	for _, d := range itemDTypes {
		for _, tc := range cases {
			a := arange(t, alloc, d, tc.shape...)
			dst, src := index(t, a, tc.dst), index(t, a, tc.src)
			want := elements(t, src) // numpy: dst[...] = src reads src first
			if err := core.CopyTo(nil, dst, src); err != nil {
				t.Fatalf("%v %s: %v", d, tc.name, err)
			}
			if got := elements(t, dst); !slices.Equal(got, want) {
				t.Errorf("%v %s: dst does not hold src's elements as they were before the copy", d, tc.name)
			}
		}
		// a[...] = a.T on a square matrix, and every row = the first.
		m := arange(t, alloc, d, 4, 4)
		mt := transpose(t, m)
		want := elements(t, mt)
		if err := core.CopyTo(nil, m, mt); err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(elements(t, m), want) {
			t.Errorf("%v: a[...] = a.T did not transpose", d)
		}
		b, err := index(t, m, "0").BroadcastTo([]int{4, 4})
		if err != nil {
			t.Fatal(err)
		}
		want = elements(t, b)
		if err := core.CopyTo(nil, m, b); err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(elements(t, m), want) {
			t.Errorf("%v: a[...] = broadcast(a[0]) did not repeat the first row", d)
		}
	}
	// A hand-computed case: np.arange(10); a[1:] = a[:-1].
	a := arange(t, alloc, core.Int64, 10)
	before := core.DefaultAllocator().Allocated()
	if err := core.CopyTo(nil, index(t, a, "1:"), index(t, a, ":-1")); err != nil {
		t.Fatal(err)
	}
	if after := core.DefaultAllocator().Allocated(); after != before {
		t.Errorf("CopyTo's temporary leaked: %d bytes allocated before, %d after", before, after)
	}
	if got := int64s(a); !slices.Equal(got, []int64{0, 0, 1, 2, 3, 4, 5, 6, 7, 8}) {
		t.Errorf("a[1:] = a[:-1] gave %v", got)
	}
}

func TestCopyToErrors(t *testing.T) {
	alloc := checkedAlloc(t)
	a := arange(t, alloc, core.Int64, 2, 3)
	b := newArray(t, alloc, core.Float64, 2, 3)
	c := newArray(t, alloc, core.Int64, 3, 2)
	if err := core.CopyTo(nil, b, a); !errors.Is(err, core.ErrDType) {
		t.Errorf("int64 into float64: %v, want ErrDType", err)
	}
	if err := core.CopyTo(nil, c, a); !errors.Is(err, core.ErrShape) || !strings.Contains(err.Error(), "(2, 3) into shape (3, 2)") {
		t.Errorf("(2, 3) into (3, 2): %v, want ErrShape", err)
	}
	if err := core.CopyTo(nil, index(t, a, "0"), a); !errors.Is(err, core.ErrShape) {
		t.Errorf("(2, 3) into (3,): %v, want ErrShape (CopyTo does not broadcast)", err)
	}
	ro, _ := index(t, c, "0").BroadcastTo([]int{2, 2})
	if err := core.CopyTo(nil, ro, index(t, a, ":, :2")); !errors.Is(err, core.ErrReadOnly) {
		t.Errorf("into a broadcast view: %v, want ErrReadOnly", err)
	}
	// Copying between empty arrays does nothing and succeeds.
	if err := core.CopyTo(nil, index(t, c, ":0"), index(t, a, ":0, :2")); err != nil {
		t.Errorf("empty copy: %v", err)
	}
}

// copyCases were printed by numpy 2.4: base.copy(order).strides for the
// orders C, F, A and K, with root = np.arange(24).reshape(2, 3, 4).
var copyCases = []struct {
	name       string
	c, f, a, k []int
}{
	{"root.T", []int{48, 16, 8}, []int{8, 32, 96}, []int{8, 32, 96}, []int{8, 32, 96}},
	{"root[:, ::-1]", []int{96, 32, 8}, []int{8, 16, 48}, []int{96, 32, 8}, []int{96, 32, 8}},
	{"root.transpose(1, 0, 2)", []int{64, 32, 8}, []int{8, 24, 48}, []int{64, 32, 8}, []int{32, 96, 8}},
	{"root[:, :, ::2].transpose(2, 0, 1)", []int{48, 24, 8}, []int{8, 16, 32}, []int{48, 24, 8}, []int{8, 48, 16}},
	{"root[::-1, :, ::-2]", []int{48, 16, 8}, []int{8, 16, 48}, []int{48, 16, 8}, []int{48, 16, 8}},
	{"broadcast_to(arange(4), (3, 4))", []int{32, 8}, []int{8, 24}, []int{32, 8}, []int{8, 24}},
	{"broadcast_to(arange(3)[:, None], (2, 3, 4))", []int{96, 32, 8}, []int{8, 16, 48}, []int{96, 32, 8}, []int{32, 64, 8}},
	{"asfortranarray(root)[:, :, ::2]", []int{48, 16, 8}, []int{8, 16, 48}, []int{48, 16, 8}, []int{8, 16, 48}},
	{"root[:, None]", []int{96, 96, 32, 8}, []int{8, 16, 16, 48}, []int{96, 96, 32, 8}, []int{96, 96, 32, 8}},
	{"root.T[:, None]", []int{48, 48, 16, 8}, []int{8, 32, 32, 96}, []int{8, 32, 32, 96}, []int{8, 32, 32, 96}},
	{"root[:1].transpose(2, 1, 0)", []int{24, 8, 8}, []int{8, 32, 96}, []int{8, 32, 96}, []int{8, 32, 96}},
	{"root", []int{96, 32, 8}, []int{8, 16, 48}, []int{96, 32, 8}, []int{96, 32, 8}},
}

func TestCopyOrders(t *testing.T) {
	alloc := checkedAlloc(t)
	root := arange(t, alloc, core.Int64, 2, 3, 4)
	fortran, err := root.Copy(alloc, core.FOrder)
	if err != nil {
		t.Fatal(err)
	}
	release(t, fortran)
	a4 := arange(t, alloc, core.Int64, 4)
	b1, _ := a4.BroadcastTo([]int{3, 4})
	b2, _ := index(t, index(t, a4, ":3"), ":, None").BroadcastTo([]int{2, 3, 4})
	bases := map[string]*core.Array{
		"root.T":                                      transpose(t, root),
		"root[:, ::-1]":                               index(t, root, ":, ::-1"),
		"root.transpose(1, 0, 2)":                     transpose(t, root, 1, 0, 2),
		"root[:, :, ::2].transpose(2, 0, 1)":          transpose(t, index(t, root, ":, :, ::2"), 2, 0, 1),
		"root[::-1, :, ::-2]":                         index(t, root, "::-1, :, ::-2"),
		"broadcast_to(arange(4), (3, 4))":             b1,
		"broadcast_to(arange(3)[:, None], (2, 3, 4))": b2,
		"asfortranarray(root)[:, :, ::2]":             index(t, fortran, ":, :, ::2"),
		"root[:, None]":                               index(t, root, ":, None"),
		"root.T[:, None]":                             index(t, transpose(t, root), ":, None"),
		"root[:1].transpose(2, 1, 0)":                 transpose(t, index(t, root, ":1"), 2, 1, 0),
		"root":                                        root,
	}
	for _, tc := range copyCases {
		base := bases[tc.name]
		for i, order := range []core.Order{'C', 'F', 'A', 'K'} {
			want := [][]int{tc.c, tc.f, tc.a, tc.k}[i]
			c, err := base.Copy(alloc, order)
			if err != nil {
				t.Fatalf("%s.copy(%c): %v", tc.name, order, err)
			}
			if !slices.Equal(c.Strides(), want) || !slices.Equal(c.Shape(), base.Shape()) || c.Offset() != 0 || c.ReadOnly() {
				t.Errorf("%s.copy(%c) = %v; numpy strides %v", tc.name, order, c, want)
			}
			if c.Buffer() == base.Buffer() || c.Buffer().Len() != c.NBytes() {
				t.Errorf("%s.copy(%c) does not have its own buffer of %d bytes", tc.name, order, c.NBytes())
			}
			if !slices.Equal(elements(t, c), elements(t, base)) {
				t.Errorf("%s.copy(%c) has other elements", tc.name, order)
			}
			c.Release()
		}
	}
}

func TestCopyEdgeCases(t *testing.T) {
	alloc := checkedAlloc(t)
	a := arange(t, alloc, core.Complex128, 3, 4)
	for _, order := range []core.Order{'C', 'F', 'A', 'K'} {
		for name, v := range map[string]*core.Array{"0-d": index(t, a, "1, 2, ..."), "empty": index(t, a, "::-1, 4:"), "empty 3-d": index(t, a, "None, :0, ::-1")} {
			c, err := v.Copy(alloc, order)
			if err != nil {
				t.Fatalf("%s.copy(%c): %v", name, order, err)
			}
			if !slices.Equal(c.Shape(), v.Shape()) || !slices.Equal(elements(t, c), elements(t, v)) {
				t.Errorf("%s.copy(%c) = %v", name, order, c)
			}
			c.Release()
		}
	}
	if _, err := a.Copy(alloc, 'X'); !errors.Is(err, core.ErrValue) {
		t.Errorf("copy(order='X') = %v, want ErrValue", err)
	}
	for _, order := range []core.Order{'C', 'K'} {
		if _, err := transpose(t, a).Copy(failingAllocator{}, order); !errors.Is(err, core.ErrMemory) {
			t.Errorf("copy(%c) from a failing allocator = %v, want ErrMemory", order, err)
		}
	}
}

func TestFill(t *testing.T) {
	alloc := checkedAlloc(t)
	for _, d := range itemDTypes {
		value := encode(0x5a5a5a5a5a5a5a5a, d.Size())
		for name, v := range layouts(t, alloc, d) {
			if v.ReadOnly() {
				if err := v.Fill(value); !errors.Is(err, core.ErrReadOnly) {
					t.Errorf("%v %s (read-only): Fill = %v, want ErrReadOnly", d, name, err)
				}
				continue
			}
			if err := v.Fill(value); err != nil {
				t.Fatalf("%v %s: %v", d, name, err)
			}
			for _, e := range elements(t, v) {
				if e != string(value) {
					t.Fatalf("%v %s: element % x after Fill(% x)", d, name, e, value)
				}
			}
		}
	}
	// Only the selected elements change.
	a := arange(t, alloc, core.Int64, 3, 4)
	if err := index(t, a, "::2, ::-3").Fill(encode(99, 8)); err != nil {
		t.Fatal(err)
	}
	want := []int64{99, 1, 2, 99, 4, 5, 6, 7, 99, 9, 10, 99} // numpy
	if got := int64s(a); !slices.Equal(got, want) {
		t.Errorf("a[::2, ::-3] = 99 gave %v, want %v", got, want)
	}
	f, err := core.New(alloc, []int{3, 5}, core.Float32, core.FOrder, false)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Release()
	if err := f.Fill([]byte{0, 0, 0x80, 0x3f}); err != nil { // 1.0
		t.Fatal(err)
	}
	if b, _ := core.Slice[float32](transpose(t, f)); slices.ContainsFunc(b, func(x float32) bool { return x != 1 }) {
		t.Errorf("F-order fill: %v", b)
	}
	// A writable layout with a zero stride writes one element.
	buf, err := core.NewBuffer(alloc, 16, true)
	if err != nil {
		t.Fatal(err)
	}
	defer buf.Free()
	z, err := core.FromBuffer(buf, 8, []int{5}, []int{0}, core.Int64, false)
	if err != nil {
		t.Fatal(err)
	}
	if err := z.Fill(encode(7, 8)); err != nil || buf.Bytes()[8] != 7 || buf.Bytes()[0] != 0 {
		t.Errorf("zero-stride fill: %v, buffer % x", err, buf.Bytes())
	}
	if err := a.Fill([]byte{1, 2, 3}); !errors.Is(err, core.ErrValue) {
		t.Errorf("Fill with 3 bytes on int64: %v, want ErrValue", err)
	}
	if err := index(t, a, "3:").Fill(encode(1, 8)); err != nil {
		t.Errorf("Fill of an empty view: %v", err)
	}
}

func TestResize(t *testing.T) {
	alloc := checkedAlloc(t)
	// numpy: a = np.arange(6); a.resize((2, 4)) -> [[0..5, 0, 0]], strides
	// (32, 8); a.resize((3,)) -> [0, 1, 2].
	a := arange(t, alloc, core.Int64, 6)
	if err := a.Resize(alloc, []int{2, 4}); err != nil {
		t.Fatal(err)
	}
	if got := int64s(a); !slices.Equal(got, []int64{0, 1, 2, 3, 4, 5, 0, 0}) || !slices.Equal(a.Strides(), []int{32, 8}) {
		t.Errorf("grow: %v %v", a, got)
	}
	if err := a.Resize(alloc, []int{3}); err != nil {
		t.Fatal(err)
	}
	if got := int64s(a); !slices.Equal(got, []int64{0, 1, 2}) || a.Buffer().Len() != 24 {
		t.Errorf("shrink: %v %v", a, got)
	}
	p := a.Data()
	if err := a.Resize(alloc, []int{3, 1}); err != nil || a.Data() != p || !slices.Equal(a.Strides(), []int{8, 8}) {
		t.Errorf("same size: %v, %v; want the same memory", a, err)
	}
	if err := a.Resize(alloc, []int{0}); err != nil || a.Size() != 0 {
		t.Errorf("to empty: %v, %v", a, err)
	}
	if err := a.Resize(alloc, []int{2, 2}); err != nil || !slices.Equal(int64s(a), []int64{0, 0, 0, 0}) {
		t.Errorf("from empty: %v, %v, %v", a, err, int64s(a))
	}
	if err := a.Resize(alloc, []int{-1}); !errors.Is(err, core.ErrShape) {
		t.Errorf("negative shape: %v", err)
	}
	if err := a.Resize(failingAllocator{}, []int{100}); !errors.Is(err, core.ErrMemory) || !slices.Equal(a.Shape(), []int{2, 2}) {
		t.Errorf("failing allocator: %v, shape %v", err, a.Shape())
	}
	a.Release() // checkedAlloc then finds every replaced buffer freed
}

func TestResizeFortran(t *testing.T) {
	alloc := checkedAlloc(t)
	// numpy: f = np.zeros((2, 3), order="F"); f[:] = np.arange(6).reshape(2, 3);
	// f.resize((3, 4)) keeps memory order and F strides (8, 24):
	// [[0, 4, 0, 0], [3, 2, 0, 0], [1, 5, 0, 0]].
	f, err := core.New(alloc, []int{2, 3}, core.Int64, core.FOrder, false)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Release()
	if err := core.CopyTo(nil, f, arange(t, alloc, core.Int64, 2, 3)); err != nil {
		t.Fatal(err)
	}
	if err := f.Resize(alloc, []int{3, 4}); err != nil {
		t.Fatal(err)
	}
	want := []int64{0, 4, 0, 0, 3, 2, 0, 0, 1, 5, 0, 0}
	if got := int64s(f); !slices.Equal(got, want) || !slices.Equal(f.Strides(), []int{8, 24}) {
		t.Errorf("F resize: %v %v; numpy %v strides (8, 24)", f, got, want)
	}
}

func TestResizeRefused(t *testing.T) {
	alloc := checkedAlloc(t)
	a := arange(t, alloc, core.Int64, 2, 3)
	whole, _, _ := a.ReshapeView([]int{-1}, core.COrder)
	k, err := transpose(t, index(t, arange(t, alloc, core.Int64, 2, 3, 4), ":, :, ::2"), 2, 0, 1).Copy(alloc, 'K')
	if err != nil {
		t.Fatal(err)
	}
	release(t, k)
	buf, err := core.NewBuffer(alloc, 48, true)
	if err != nil {
		t.Fatal(err)
	}
	defer buf.Free()
	fb, err := core.FromBuffer(buf, 0, []int{6}, []int{8}, core.Int64, false)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		v    *core.Array
		msg  string // numpy's ValueError message
	}{
		// Views that cover the whole buffer from offset 0 too: resizing
		// one would free the memory its base still uses.
		{"reshape view", whole, "cannot resize this array: it does not own its data"},
		{"a[...]", index(t, a, "..."), "it does not own its data"},
		{"a[1:]", index(t, a, "1:"), "it does not own its data"},
		{"a.T", transpose(t, a), "it does not own its data"},
		{"FromBuffer over an owned buffer", fb, "it does not own its data"},
		{"copy(order=K) of a strided array", k, "resize only works on single-segment arrays"},
	} {
		if err := tc.v.Resize(alloc, []int{12}); !errors.Is(err, core.ErrValue) || !strings.Contains(err.Error(), tc.msg) {
			t.Errorf("%s: Resize = %v, want ErrValue %q", tc.name, err, tc.msg)
		}
	}
	if a.Buffer().Freed() || !slices.Equal(int64s(a), []int64{0, 1, 2, 3, 4, 5}) {
		t.Error("a refused resize of a view changed the base")
	}
	c, err := transpose(t, a).Copy(alloc, core.COrder)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Release()
	if err := c.Resize(alloc, []int{7}); err != nil || !slices.Equal(int64s(c), []int64{0, 3, 1, 4, 2, 5, 0}) {
		t.Errorf("Resize of a copy: %v, %v", err, int64s(c))
	}
}

func BenchmarkCopyContiguous(b *testing.B) {
	alloc := core.NewChecked(core.DefaultAllocator())
	const n = 1 << 20
	src, _ := core.New(alloc, []int{n}, core.Float64, core.COrder, true)
	dst, _ := core.New(alloc, []int{n}, core.Float64, core.COrder, true)
	defer func() {
		src.Release()
		dst.Release()
		alloc.AssertZero(b)
	}()
	b.SetBytes(n * 8)
	for b.Loop() {
		if err := core.CopyTo(nil, dst, src); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkCopyStrided(b *testing.B) {
	alloc := core.NewChecked(core.DefaultAllocator())
	const n = 1024
	src, _ := core.New(alloc, []int{n, n}, core.Float64, core.COrder, true)
	dst, _ := core.New(alloc, []int{n, n}, core.Float64, core.COrder, true)
	defer func() {
		src.Release()
		dst.Release()
		alloc.AssertZero(b)
	}()
	srcT, _ := src.Transpose(nil)
	b.SetBytes(n * n * 8)
	for b.Loop() {
		if err := core.CopyTo(nil, dst, srcT); err != nil {
			b.Fatal(err)
		}
	}
}
