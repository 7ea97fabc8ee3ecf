package core_test

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/goarray/goarray/core"
)

// reshapeBases builds the arrays of the reshape table from root =
// np.arange(24).reshape(2, 3, 4), as the numpy expressions in the comments.
func reshapeBases(t *testing.T, root *core.Array) map[string]*core.Array {
	return map[string]*core.Array{
		"contig":     root,                        // root
		"transposed": transpose(t, root),          // root.transpose()
		"lastStep2":  index(t, root, ":, :, ::2"), // root[:, :, ::2]
		"midStep2":   index(t, root, ":, ::2"),
		"reversed0":  index(t, root, "::-1"),
		"reversed2":  index(t, root, ":, :, ::-1"),
		"newAxis":    index(t, root, ":, None"),
		"swap01":     transpose(t, root, 1, 0, 2),
		"colSlice":   index(t, root, ":, :, :2"),
	}
}

// reshapeCases were printed by numpy 2.4: r = base.reshape(shape,
// order=order); view is np.shares_memory(r, root), and for views
// r.shape and r.strides.
var reshapeCases = []struct {
	base          string
	shape         []int
	order         core.Order
	view          bool
	want, strides []int
}{
	{"contig", []int{-1}, 'C', true, []int{24}, []int{8}},
	{"contig", []int{-1}, 'F', false, []int{24}, nil},
	{"contig", []int{2, -1}, 'C', true, []int{2, 12}, []int{96, 8}},
	{"contig", []int{2, -1}, 'F', false, []int{2, 12}, nil},
	{"contig", []int{-1, 2}, 'C', true, []int{12, 2}, []int{16, 8}},
	{"contig", []int{3, -1}, 'C', true, []int{3, 8}, []int{64, 8}},
	{"contig", []int{1, -1, 1}, 'C', true, []int{1, 24, 1}, []int{192, 8, 8}},
	{"contig", []int{1, -1, 1}, 'F', false, []int{1, 24, 1}, nil},
	{"contig", []int{2, 2, -1}, 'C', true, []int{2, 2, 6}, []int{96, 48, 8}},
	{"contig", []int{-1, 1, 2}, 'C', true, []int{12, 1, 2}, []int{16, 16, 8}},
	{"contig", []int{6, -1}, 'C', true, []int{6, 4}, []int{32, 8}},
	{"contig", []int{2, 3, 4}, 'C', true, []int{2, 3, 4}, []int{96, 32, 8}},
	{"contig", []int{2, 3, 4}, 'F', true, []int{2, 3, 4}, []int{96, 32, 8}},
	// Transpose then reshape(-1) needs a copy in C order, not in F order.
	{"transposed", []int{-1}, 'C', false, []int{24}, nil},
	{"transposed", []int{-1}, 'F', true, []int{24}, []int{8}},
	{"transposed", []int{2, -1}, 'C', false, []int{2, 12}, nil},
	{"transposed", []int{2, -1}, 'F', true, []int{2, 12}, []int{8, 16}},
	{"transposed", []int{-1, 2}, 'F', true, []int{12, 2}, []int{8, 96}},
	{"transposed", []int{3, -1}, 'F', true, []int{3, 8}, []int{8, 24}},
	{"transposed", []int{1, -1, 1}, 'F', true, []int{1, 24, 1}, []int{8, 8, 192}},
	{"transposed", []int{2, 2, -1}, 'F', true, []int{2, 2, 6}, []int{8, 16, 32}},
	{"transposed", []int{-1, 1, 2}, 'C', false, []int{12, 1, 2}, nil},
	{"transposed", []int{-1, 1, 2}, 'F', true, []int{12, 1, 2}, []int{8, 96, 96}},
	{"transposed", []int{6, -1}, 'F', true, []int{6, 4}, []int{8, 48}},
	{"transposed", []int{4, 3, 2}, 'C', true, []int{4, 3, 2}, []int{8, 32, 96}},
	{"transposed", []int{4, 3, 2}, 'F', true, []int{4, 3, 2}, []int{8, 32, 96}},
	// A strided last axis can still be regrouped in C order.
	{"lastStep2", []int{-1}, 'C', true, []int{12}, []int{16}},
	{"lastStep2", []int{-1}, 'F', false, []int{12}, nil},
	{"lastStep2", []int{2, -1}, 'C', true, []int{2, 6}, []int{96, 16}},
	{"lastStep2", []int{-1, 2}, 'C', true, []int{6, 2}, []int{32, 16}},
	{"lastStep2", []int{3, -1}, 'C', true, []int{3, 4}, []int{64, 16}},
	{"lastStep2", []int{1, -1, 1}, 'C', true, []int{1, 12, 1}, []int{192, 16, 16}},
	{"lastStep2", []int{2, 2, -1}, 'C', true, []int{2, 2, 3}, []int{96, 48, 16}},
	{"lastStep2", []int{-1, 1, 2}, 'C', true, []int{6, 1, 2}, []int{32, 32, 16}},
	{"lastStep2", []int{2, 3, 2}, 'F', true, []int{2, 3, 2}, []int{96, 32, 16}},
	// a[:, ::2].reshape works only when the strided axis stays alone.
	{"midStep2", []int{-1}, 'C', false, []int{16}, nil},
	{"midStep2", []int{2, -1}, 'C', false, []int{2, 8}, nil},
	{"midStep2", []int{-1, 2}, 'C', false, []int{8, 2}, nil},
	{"midStep2", []int{1, -1, 1}, 'C', false, []int{1, 16, 1}, nil},
	{"midStep2", []int{2, 2, -1}, 'C', true, []int{2, 2, 4}, []int{96, 64, 8}},
	{"midStep2", []int{2, 2, -1}, 'F', true, []int{2, 2, 4}, []int{96, 64, 8}},
	{"midStep2", []int{-1, 1, 2}, 'F', false, []int{8, 1, 2}, nil},
	{"midStep2", []int{2, 2, 4}, 'C', true, []int{2, 2, 4}, []int{96, 64, 8}},
	{"reversed0", []int{-1}, 'C', false, []int{24}, nil},
	{"reversed0", []int{2, -1}, 'C', true, []int{2, 12}, []int{-96, 8}},
	{"reversed0", []int{2, -1}, 'F', false, []int{2, 12}, nil},
	{"reversed0", []int{-1, 2}, 'C', false, []int{12, 2}, nil},
	{"reversed0", []int{2, 2, -1}, 'C', true, []int{2, 2, 6}, []int{-96, 48, 8}},
	{"reversed0", []int{2, 3, 4}, 'F', true, []int{2, 3, 4}, []int{-96, 32, 8}},
	{"reversed2", []int{-1}, 'C', false, []int{24}, nil},
	{"reversed2", []int{2, -1}, 'C', false, []int{2, 12}, nil},
	{"reversed2", []int{6, -1}, 'C', true, []int{6, 4}, []int{32, -8}},
	{"reversed2", []int{6, -1}, 'F', false, []int{6, 4}, nil},
	{"reversed2", []int{2, 3, 4}, 'C', true, []int{2, 3, 4}, []int{96, 32, -8}},
	// The same shape is a plain view: the zero stride of the new axis stays.
	{"newAxis", []int{-1}, 'C', true, []int{24}, []int{8}},
	{"newAxis", []int{-1}, 'F', false, []int{24}, nil},
	{"newAxis", []int{-1, 1, 2}, 'C', true, []int{12, 1, 2}, []int{16, 16, 8}},
	{"newAxis", []int{2, 1, 3, 4}, 'C', true, []int{2, 1, 3, 4}, []int{96, 0, 32, 8}},
	{"newAxis", []int{2, 1, 3, 4}, 'F', true, []int{2, 1, 3, 4}, []int{96, 0, 32, 8}},
	{"swap01", []int{-1}, 'C', false, []int{24}, nil},
	{"swap01", []int{-1}, 'F', false, []int{24}, nil},
	{"swap01", []int{6, -1}, 'C', false, []int{6, 4}, nil},
	{"swap01", []int{6, -1}, 'F', true, []int{6, 4}, []int{32, 8}},
	{"swap01", []int{3, 2, 4}, 'C', true, []int{3, 2, 4}, []int{32, 96, 8}},
	{"colSlice", []int{-1}, 'C', false, []int{12}, nil},
	{"colSlice", []int{2, -1}, 'C', false, []int{2, 6}, nil},
	{"colSlice", []int{-1, 2}, 'C', true, []int{6, 2}, []int{32, 8}},
	{"colSlice", []int{-1, 2}, 'F', false, []int{6, 2}, nil},
	{"colSlice", []int{-1, 1, 2}, 'C', true, []int{6, 1, 2}, []int{32, 16, 8}},
	{"colSlice", []int{3, -1}, 'C', false, []int{3, 4}, nil},
	{"colSlice", []int{2, 3, 2}, 'F', true, []int{2, 3, 2}, []int{96, 32, 8}},
}

func TestReshapeView(t *testing.T) {
	alloc := checkedAlloc(t)
	root := arange(t, alloc, core.Int64, 2, 3, 4)
	bases := reshapeBases(t, root)
	for _, tc := range reshapeCases {
		name := fmt.Sprintf("%s.reshape(%v, order=%c)", tc.base, tc.shape, tc.order)
		base := bases[tc.base]
		v, ok, err := base.ReshapeView(tc.shape, tc.order)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if ok != tc.view {
			t.Errorf("%s: view %v, numpy %v", name, ok, tc.view)
			continue
		}
		if !ok {
			if v != nil {
				t.Errorf("%s: no view expected, got %v", name, v)
			}
			continue
		}
		if !slices.Equal(v.Shape(), tc.want) || !slices.Equal(v.Strides(), tc.strides) {
			t.Errorf("%s = %v; numpy shape %v strides %v", name, v, tc.want, tc.strides)
		}
		if v.Offset() != base.Offset() || v.Buffer() != root.Buffer() {
			t.Errorf("%s: offset %d, base's %d", name, v.Offset(), base.Offset())
		}
		// The definition: the elements read in the order are the same.
		if got, want := elementsInOrder(t, v, tc.order), elementsInOrder(t, base, tc.order); !slices.Equal(got, want) {
			t.Errorf("%s reads its elements in another order than the base", name)
		}
	}
}

func TestReshapeViewFOrderArray(t *testing.T) {
	alloc := checkedAlloc(t)
	f, err := core.New(alloc, []int{2, 3}, core.Float32, core.FOrder, true)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Release()
	// numpy: np.zeros((2, 3), np.float32, order="F").reshape(-1, order="F")
	// is a view with strides (4,), .reshape(3, 2, order="F") (4, 12), and
	// .reshape(-1) (C order) a copy.
	for _, tc := range []struct {
		shape   []int
		order   core.Order
		view    bool
		strides []int
	}{
		{[]int{-1}, core.FOrder, true, []int{4}},
		{[]int{3, 2}, core.FOrder, true, []int{4, 12}},
		{[]int{-1}, core.COrder, false, nil},
		{[]int{3, 2}, core.COrder, false, nil},
	} {
		v, ok, err := f.ReshapeView(tc.shape, tc.order)
		if err != nil || ok != tc.view || (ok && !slices.Equal(v.Strides(), tc.strides)) {
			t.Errorf("F array .reshape(%v, order=%c) = %v, %v, %v; numpy view=%v strides %v", tc.shape, tc.order, v, ok, err, tc.view, tc.strides)
		}
	}
}

func TestReshapeViewEmpty(t *testing.T) {
	alloc := checkedAlloc(t)
	e := newArray(t, alloc, core.Int64, 3, 0) // np.arange(0).reshape(3, 0): strides (8, 8)
	for _, tc := range []struct {
		shape, want, strides []int
	}{
		// numpy: np.arange(0).reshape(3, 0).reshape(shape).strides
		{[]int{-1}, []int{0}, []int{8}},
		{[]int{0, 5}, []int{0, 5}, []int{40, 8}},
		{[]int{2, 0, 3}, []int{2, 0, 3}, []int{24, 24, 8}},
		{[]int{3, 0}, []int{3, 0}, []int{8, 8}},
		{[]int{5, -1}, []int{5, 0}, []int{8, 8}},
	} {
		v, ok, err := e.ReshapeView(tc.shape, core.COrder)
		if err != nil || !ok || !slices.Equal(v.Shape(), tc.want) || !slices.Equal(v.Strides(), tc.strides) {
			t.Errorf("empty.reshape(%v) = %v, %v, %v; want shape %v strides %v", tc.shape, v, ok, err, tc.want, tc.strides)
		}
	}
	// np.arange(0).reshape(0, -1): "cannot reshape array of size 0 into
	// shape (0,newaxis)"; an unknown dimension is ambiguous next to a 0.
	for _, shape := range [][]int{{0, -1}, {-1, 0}} {
		if v, _, err := e.ReshapeView(shape, core.COrder); !errors.Is(err, core.ErrShape) {
			t.Errorf("empty.reshape(%v) = %v, %v; want ErrShape", shape, v, err)
		}
	}
	// np.arange(0).reshape(0, 2**62, 4): "array is too big".
	if v, _, err := e.ReshapeView([]int{0, 1 << 62, 4}, core.COrder); !errors.Is(err, core.ErrShape) {
		t.Errorf("empty.reshape(0, 2**62, 4) = %v, %v; want ErrShape", v, err)
	}
}

func TestReshapeViewErrors(t *testing.T) {
	alloc := checkedAlloc(t)
	a := arange(t, alloc, core.Int64, 2, 3, 4)
	for _, tc := range []struct {
		shape []int
		msg   string // numpy's wording (numpy prints (5,5) and omits the -1)
	}{
		{[]int{5, 5}, "cannot reshape array of size 24 into shape (5, 5)"},
		{[]int{25}, "cannot reshape array of size 24 into shape (25,)"},
		{[]int{-1, 5}, "cannot reshape array of size 24 into shape (-1, 5)"},
		{[]int{-1, -1}, "can only specify one unknown dimension"},
		{[]int{-1, 0}, "cannot reshape array of size 24 into shape (-1, 0)"},
		{[]int{}, "cannot reshape array of size 24 into shape ()"},
		// The product of the known dimensions must be checked, not
		// wrapped: 2**62 * 4 * 8 wraps to 0, 2**62 * 4 to 0 too.
		{[]int{1 << 62, 4, 8}, "cannot reshape array of size 24 into shape"},
		{[]int{-1, 1 << 62, 4}, "cannot reshape array of size 24 into shape"},
		{make([]int, core.MaxDims+1), "65 dimensions exceed the maximum of 64"},
	} {
		v, ok, err := a.ReshapeView(tc.shape, core.COrder)
		if !errors.Is(err, core.ErrShape) || !strings.Contains(fmt.Sprint(err), tc.msg) || ok || v != nil {
			t.Errorf("reshape(%v) = %v, %v, %v; want ErrShape %q", tc.shape, v, ok, err, tc.msg)
		}
	}
}

func TestResolveShape(t *testing.T) {
	for _, tc := range []struct {
		size  int
		shape []int
		want  []int
	}{
		{24, []int{-1}, []int{24}},
		{24, []int{2, -1, 3}, []int{2, 4, 3}},
		{1, []int{}, []int{}},
		{1, []int{1, -1, 1}, []int{1, 1, 1}},
		{0, []int{0, 7}, []int{0, 7}},
		{0, []int{-1, 7}, []int{0, 7}},
	} {
		got, err := core.ResolveShape(tc.size, tc.shape)
		if err != nil || !slices.Equal(got, tc.want) {
			t.Errorf("ResolveShape(%d, %v) = %v, %v; want %v", tc.size, tc.shape, got, err, tc.want)
		}
	}
	in := []int{-1, 2}
	if _, err := core.ResolveShape(4, in); err != nil || in[0] != -1 {
		t.Errorf("ResolveShape modified its argument: %v, %v", in, err)
	}
	// A product that wraps around to the size must not pass:
	// 3 * 6148914691236517206 = 2**64 + 2 wraps to 2.
	if got, err := core.ResolveShape(2, []int{3, 6148914691236517206}); !errors.Is(err, core.ErrShape) {
		t.Errorf("ResolveShape(2, (3, 6148914691236517206)) = %v, %v; want ErrShape", got, err)
	}
}

func TestTranspose(t *testing.T) {
	alloc := checkedAlloc(t)
	a := arange(t, alloc, core.Int64, 2, 3, 4)
	// numpy: np.arange(24).reshape(2, 3, 4).transpose(axes).shape, .strides
	for _, tc := range []struct {
		axes           []int
		shape, strides []int
	}{
		{nil, []int{4, 3, 2}, []int{8, 32, 96}},
		{[]int{}, []int{4, 3, 2}, []int{8, 32, 96}},
		{[]int{0, 1, 2}, []int{2, 3, 4}, []int{96, 32, 8}},
		{[]int{1, 0, 2}, []int{3, 2, 4}, []int{32, 96, 8}},
		{[]int{2, 0, 1}, []int{4, 2, 3}, []int{8, 96, 32}},
		{[]int{-1, -3, -2}, []int{4, 2, 3}, []int{8, 96, 32}},
		{[]int{-1, 1, 0}, []int{4, 3, 2}, []int{8, 32, 96}},
	} {
		v := transpose(t, a, tc.axes...)
		if !slices.Equal(v.Shape(), tc.shape) || !slices.Equal(v.Strides(), tc.strides) || v.Offset() != 0 || v.Buffer() != a.Buffer() {
			t.Errorf("transpose(%v) = %v; numpy shape %v strides %v", tc.axes, v, tc.shape, tc.strides)
		}
	}
	v := transpose(t, index(t, a, "1, ::-1"), 1, 0) // a[1, ::-1].T
	if got := core.At[int64](v, 3, 0); got != 23 {
		t.Errorf("a[1, ::-1].T[3, 0] = %d, want 23", got)
	}
	for _, tc := range []struct {
		axes []int
		want error
		msg  string
	}{
		{[]int{0, 1}, core.ErrValue, "axes don't match array"},
		{[]int{0, 1, 2, 3}, core.ErrValue, "axes don't match array"},
		{[]int{0, 0, 1}, core.ErrValue, "repeated axis in transpose"},
		{[]int{0, 1, -3}, core.ErrValue, "repeated axis in transpose"},
		{[]int{0, 1, 3}, core.ErrAxis, "axis 3 is out of bounds for array of dimension 3"},
		{[]int{-4, 1, 2}, core.ErrAxis, "axis -4 is out of bounds for array of dimension 3"},
	} {
		v, err := a.Transpose(tc.axes)
		if !errors.Is(err, tc.want) || !strings.Contains(fmt.Sprint(err), tc.msg) {
			t.Errorf("transpose(%v) = %v, %v; want %v %q", tc.axes, v, err, tc.want, tc.msg)
		}
	}
	// numpy's AxisError is both a ValueError and an IndexError.
	if !errors.Is(core.ErrAxis, core.ErrIndex) {
		t.Error("ErrAxis does not wrap ErrIndex")
	}
	s := index(t, a, "0, 0, 0, ...")
	if v, err := s.Transpose(nil); err != nil || v.NDim() != 0 {
		t.Errorf("0-d transpose = %v, %v", v, err)
	}
}

func TestNormalizeAxis(t *testing.T) {
	for _, tc := range []struct{ axis, ndim, want int }{{0, 1, 0}, {-1, 1, 0}, {2, 3, 2}, {-3, 3, 0}} {
		if got, err := core.NormalizeAxis(tc.axis, tc.ndim); err != nil || got != tc.want {
			t.Errorf("NormalizeAxis(%d, %d) = %d, %v", tc.axis, tc.ndim, got, err)
		}
	}
	for _, tc := range []struct{ axis, ndim int }{{1, 1}, {-2, 1}, {0, 0}, {-1, 0}} {
		if _, err := core.NormalizeAxis(tc.axis, tc.ndim); !errors.Is(err, core.ErrAxis) {
			t.Errorf("NormalizeAxis(%d, %d) = %v, want ErrAxis", tc.axis, tc.ndim, err)
		}
	}
}

func TestBroadcastTo(t *testing.T) {
	alloc := checkedAlloc(t)
	r3 := arange(t, alloc, core.Int64, 3)
	m := arange(t, alloc, core.Int64, 2, 3)
	// numpy: np.broadcast_to(base, shape).strides
	for _, tc := range []struct {
		name    string
		base    *core.Array
		shape   []int
		strides []int
	}{
		{"arange(3) to (2, 3)", r3, []int{2, 3}, []int{0, 8}},
		{"arange(3)[:, None] to (2, 3, 4)", index(t, r3, ":, None"), []int{2, 3, 4}, []int{0, 8, 0}},
		{"arange(3)[:1] to (0,)", index(t, r3, ":1"), []int{0}, []int{0}},
		{"arange(3)[1] to (2, 2)", index(t, r3, "1, ..."), []int{2, 2}, []int{0, 0}},
		{"arange(3) to (3,)", r3, []int{3}, []int{8}},
		{"arange(3) to (0, 3)", r3, []int{0, 3}, []int{0, 8}},
		{"arange(3)[::-1] to (2, 3)", index(t, r3, "::-1"), []int{2, 3}, []int{0, -8}},
		{"m[:, :1] to (2, 5)", index(t, m, ":, :1"), []int{2, 5}, []int{24, 0}},
		{"arange(2)[:, None] to (2, 0)", index(t, index(t, r3, ":2"), ":, None"), []int{2, 0}, []int{8, 0}},
	} {
		v, err := tc.base.BroadcastTo(tc.shape)
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		if !slices.Equal(v.Shape(), tc.shape) || !slices.Equal(v.Strides(), tc.strides) || !v.ReadOnly() || v.Offset() != tc.base.Offset() {
			t.Errorf("%s = %v (read-only %v); numpy strides %v, read-only", tc.name, v, v.ReadOnly(), tc.strides)
		}
		if tc.base.ReadOnly() {
			t.Errorf("%s made its base read-only", tc.name)
		}
	}
	v, _ := r3.BroadcastTo([]int{2, 3})
	if got := int64s(v); !slices.Equal(got, []int64{0, 1, 2, 0, 1, 2}) {
		t.Errorf("broadcast elements %v", got)
	}
	for _, tc := range []struct {
		base  *core.Array
		shape []int
		msg   string // numpy's ValueError message
	}{
		{r3, []int{2, 4}, "operands could not be broadcast together with remapped shapes [original->remapped]: (3,) and requested shape (2, 4)"},
		{m, []int{3}, "input operand has more dimensions"},
		{r3, []int{}, "cannot broadcast a non-scalar to a scalar array"},
		{r3, []int{-1, 3}, "negative dimensions"},
		{m, []int{3, 3}, "could not be broadcast"},
		{r3, []int{1 << 62, 1 << 2, 3}, "too big"},
	} {
		v, err := tc.base.BroadcastTo(tc.shape)
		if !errors.Is(err, core.ErrShape) || !strings.Contains(fmt.Sprint(err), tc.msg) {
			t.Errorf("broadcast_to(%v, %v) = %v, %v; want ErrShape %q", tc.base.Shape(), tc.shape, v, err, tc.msg)
		}
	}
}

func TestViewAs(t *testing.T) {
	alloc := checkedAlloc(t)
	a := arange(t, alloc, core.Int64, 2, 3)       // np.arange(6).reshape(2, 3)
	a34 := arange(t, alloc, core.Int64, 3, 4)     // np.arange(12).reshape(3, 4)
	i16 := arange(t, alloc, core.Int16, 4)        // np.arange(4, dtype=np.int16)
	i8 := arange(t, alloc, core.Int8, 3)          // np.arange(3, dtype=np.int8)
	i32 := arange(t, alloc, core.Int32, 2, 3)     // np.arange(6, dtype=np.int32).reshape(2, 3)
	empty := newArray(t, alloc, core.Int64, 3, 0) // np.arange(0).reshape(3, 0)
	reshape := func(b *core.Array, shape ...int) *core.Array {
		v, ok, err := b.ReshapeView(shape, core.COrder)
		if err != nil || !ok {
			t.Fatalf("reshape: %v %v", ok, err)
		}
		return v
	}
	// numpy: expr.view(dtype).shape, .strides
	for _, tc := range []struct {
		expr           string
		base           *core.Array
		dtype          core.DType
		shape, strides []int
	}{
		{"a", a, core.Int32, []int{2, 6}, []int{24, 4}},
		{"a", a, core.Uint8, []int{2, 24}, []int{24, 1}},
		{"a", a, core.Float64, []int{2, 3}, []int{24, 8}},
		{"a.reshape(3, 2)", reshape(a, 3, 2), core.Complex128, []int{3, 1}, []int{16, 16}},
		{"a[:, :1]", index(t, a, ":, :1"), core.Int32, []int{2, 2}, []int{24, 4}},
		{"a[:, 1:2]", index(t, a, ":, 1:2"), core.Int16, []int{2, 4}, []int{24, 2}},
		{"arange(2)[:, None]", index(t, index(t, a, "0, :2"), ":, None"), core.Int32, []int{2, 2}, []int{8, 4}},
		{"a[1, 2, ...]", index(t, a, "1, 2, ..."), core.Float64, []int{}, []int{}},
		{"arange(0).reshape(3, 0)", empty, core.Int32, []int{3, 0}, []int{8, 4}},
		{"arange(4, int16)", i16, core.Int32, []int{2}, []int{4}},
		{"a[::-1]", index(t, a, "::-1"), core.Int32, []int{2, 6}, []int{-24, 4}},
		{"arange(12).reshape(3, 4)[:, 1:3]", index(t, a34, ":, 1:3"), core.Complex128, []int{3, 1}, []int{32, 16}},
		{"a[:, 2:0]", index(t, a, ":, 2:0"), core.Int32, []int{2, 0}, []int{24, 4}},
		{"a[:, 3:]", index(t, a, ":, 3:"), core.Complex128, []int{2, 0}, []int{24, 16}},
		{"arange(4, int32)", index(t, i32, "0, :2"), core.Int64, []int{1}, []int{8}},
	} {
		v, err := tc.base.ViewAs(tc.dtype)
		if err != nil || !slices.Equal(v.Shape(), tc.shape) || !slices.Equal(v.Strides(), tc.strides) || v.DType() != tc.dtype {
			t.Errorf("%s.view(%v) = %v, %v; numpy shape %v strides %v", tc.expr, tc.dtype, v, err, tc.shape, tc.strides)
			continue
		}
		if v.Offset() != tc.base.Offset() || v.Buffer() != tc.base.Buffer() {
			t.Errorf("%s.view(%v) moved the data", tc.expr, tc.dtype)
		}
	}
	v, _ := a.ViewAs(core.Int32)
	if got := core.At[int32](v, 1, 2); got != 4 { // little endian: a[1, 1] = 4 in words 2, 3
		t.Errorf("a.view(int32)[1, 2] = %d, want 4", got)
	}
	for _, tc := range []struct {
		expr  string
		base  *core.Array
		dtype core.DType
		msg   string // numpy's ValueError message
	}{
		{"a", a, core.Complex128, "When changing to a larger dtype, its size must be a divisor of the total size in bytes of the last axis of the array."},
		{"a[:, ::2]", index(t, a, ":, ::2"), core.Int32, "To change to a dtype of a different size, the last axis must be contiguous"},
		{"a.T", transpose(t, a), core.Int32, "To change to a dtype of a different size, the last axis must be contiguous"},
		{"a[:, ::-1]", index(t, a, ":, ::-1"), core.Int32, "the last axis must be contiguous"},
		{"a[1, 2, ...]", index(t, a, "1, 2, ..."), core.Int32, "Changing the dtype of a 0d array is only supported if the itemsize is unchanged"},
		{"arange(3, int8)", i8, core.Int16, "When changing to a larger dtype"},
		{"arange(4, int16)[::-1]", index(t, i16, "::-1"), core.Int32, "the last axis must be contiguous"},
		{"arange(4, int32).reshape(2, 2)", index(t, i32, ":, :2"), core.Complex128, "When changing to a larger dtype"},
		{"arange(6, int32).reshape(2, 3)[:, ::2]", index(t, i32, ":, ::2"), core.Int64, "the last axis must be contiguous"},
		{"a", a, core.InvalidDType, ""},
	} {
		v, err := tc.base.ViewAs(tc.dtype)
		want := core.ErrValue
		if !tc.dtype.Valid() {
			want = core.ErrDType
		}
		if !errors.Is(err, want) || !strings.Contains(fmt.Sprint(err), tc.msg) {
			t.Errorf("%s.view(%v) = %v, %v; want %v %q", tc.expr, tc.dtype, v, err, want, tc.msg)
		}
	}
}

func TestAlignedAfterViewAs(t *testing.T) {
	al := core.NewChecked(core.DefaultAllocator())
	defer al.AssertZero(t)
	a, _ := core.New(al, []int{17}, core.Uint8, core.COrder, true)
	defer a.Release()
	odd, err := a.Index([]core.IndexItem{{Kind: core.IndexSlice, Start: 1, HasStart: true}})
	if err != nil {
		t.Fatal(err)
	}
	defer odd.Release()
	v, err := odd.ViewAs(core.Float64) // numpy allows it: an unaligned array
	if err != nil {
		t.Fatal(err)
	}
	if v.Aligned() {
		t.Error("float64 view of bytes at an odd address reports aligned")
	}
	v.Release()
	if !odd.Aligned() || !a.Aligned() {
		t.Error("uint8 arrays are always aligned")
	}
	whole, err := a.Index([]core.IndexItem{{Kind: core.IndexSlice, Stop: 16, HasStop: true}})
	if err != nil {
		t.Fatal(err)
	}
	defer whole.Release()
	c, err := whole.ViewAs(core.Complex128)
	if err != nil {
		t.Fatal(err)
	}
	if !c.Aligned() {
		t.Error("complex128 view of a fresh block reports unaligned")
	}
	c.Release()
}
