package registry

import (
	"errors"
	"strings"
	"testing"

	"github.com/goarray/goarray/core"
)

func run(ex *core.Exec, op int, a *Args) error { return nil }

func TestRegisterRefusesWithoutPanicking(t *testing.T) {
	r := New()
	ok := Family{Name: "twice", Kind: Elementwise, Params: []Param{{"out", OutArray}, {"x", InArray}}, Run: run}
	if err := r.RegisterFamily(ok); err != nil {
		t.Fatal(err)
	}
	if r.Err() != nil {
		t.Fatal("no refusal yet, got", r.Err())
	}
	cases := []struct {
		f    Family
		want string
	}{
		{ok, `kernel family "twice" registered twice`},
		{Family{Name: "", Kind: Other, Run: run}, "kernel family name"},
		{Family{Name: "Bad", Kind: Other, Run: run}, "kernel family name"},
		{Family{Name: "nokind", Run: run}, "invalid kind"},
		{Family{Name: "norun", Kind: Other}, "no Run function"},
		{Family{Name: "dup", Kind: Other, Run: run, Params: []Param{{"a", Int}, {"a", Float}}}, `parameter "a" declared twice`},
		{Family{Name: "badtype", Kind: Other, Run: run, Params: []Param{{"a", ParamType(99)}}}, "invalid type 99"},
		{Family{Name: "noname", Kind: Other, Run: run, Params: []Param{{"", Int}}}, "invalid name"},
		{Family{Name: "many", Kind: Other, Run: run, Params: make([]Param, MaxParams+1)}, "parameters, at most"},
	}
	for _, c := range cases {
		err := r.RegisterFamily(c.f)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("RegisterFamily(%q): %v, want an error containing %q", c.f.Name, err, c.want)
		}
	}
	if len(r.Families()) != 1 {
		t.Fatalf("refused families were added: %d families", len(r.Families()))
	}
	good := Op{Name: "a", Family: "twice", Code: 0, Arity: 1, Serves: "a", DTypes: []core.DType{core.Float64}}
	if err := r.RegisterOps(good); err != nil {
		t.Fatal(err)
	}
	ops := []struct {
		op   Op
		want string
	}{
		{good, `operation "a" of "twice" registered twice`},
		{Op{Name: "b", Family: "twice", Code: 0, Serves: "b"}, "the same code 0"},
		{Op{Name: "c", Family: "nowhere", Code: 1, Serves: "c"}, "unknown kernel family"},
		{Op{Name: "d", Family: "twice", Code: -1, Serves: "d"}, "negative code"},
		{Op{Name: "e", Family: "twice", Code: 2, Arity: -1, Serves: "e"}, "negative code or arity"},
		{Op{Name: "f", Family: "twice", Code: 3, Serves: "f", DTypes: []core.DType{core.InvalidDType}}, "invalid dtype"},
		{Op{Name: "g", Family: "twice", Code: 4}, "no numpy function"},
		{Op{Name: "G", Family: "twice", Code: 5, Serves: "g"}, "lower-case"},
	}
	for _, c := range ops {
		err := r.RegisterOps(c.op)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("RegisterOps(%q): %v, want an error containing %q", c.op.Name, err, c.want)
		}
	}
	// one bad operation among good ones: the good ones are added
	if err := r.RegisterOps(Op{Name: "h", Family: "twice", Code: 6, Serves: "h"}, good); err == nil {
		t.Error("a duplicate among several operations was accepted")
	}
	if _, ok := r.Lookup("twice", "h"); !ok || len(r.Ops()) != 2 {
		t.Errorf("the good operation beside a refused one was not added: %v", r.Ops())
	}
	if !r.HasOp(0, 6) || r.HasOp(0, 1) || r.HasOp(1, 0) {
		t.Error("HasOp does not answer from the registered codes")
	}
	err := r.Err()
	if err == nil {
		t.Fatal("Err is nil after refusals")
	}
	n := len(cases) + len(ops) + 1
	if got := strings.Count(err.Error(), "\n") + 1; got != n {
		t.Errorf("Err reports %d refusals, want %d:\n%v", got, n, err)
	}
}

func TestArgsTyped(t *testing.T) {
	var got []any
	f := &Family{Name: "f", Kind: Other, Params: []Param{{"out", OutArray}, {"lo", OptInArray}, {"n", Int},
		{"axes", Ints}, {"d", Float}, {"z", Complex}},
		Run: func(ex *core.Exec, op int, a *Args) error {
			got = []any{op, a.Array(0), a.Array(1), a.Int(2), a.Ints(3), a.Float(4), a.Complex(5)}
			return nil
		}}
	arr, err := core.New(core.DefaultAllocator(), []int{2}, core.Float64, core.COrder, true)
	if err != nil {
		t.Fatal(err)
	}
	defer arr.Release()
	args := []Arg{{Type: OutArray, Array: arr}, {Type: OptInArray}, {Type: Int, Int: 7}, {Type: Ints, Ints: []int{0, 1}},
		{Type: Float, Float: 0.5}, {Type: Complex, Complex: 1 + 2i}}
	if err := Call(&core.Exec{}, f, 3, args); err != nil {
		t.Fatal(err)
	}
	if got[0] != 3 || got[1] != arr || got[2] != (*core.Array)(nil) || got[3] != 7 || got[5] != 0.5 || got[6] != 1+2i {
		t.Errorf("Run saw %v", got)
	}
	if err := Call(&core.Exec{}, f, 0, args[:2]); !errors.Is(err, core.ErrValue) || !strings.Contains(err.Error(), "takes 6 arguments") {
		t.Errorf("too few arguments: %v", err)
	}
	bad := append([]Arg(nil), args...)
	bad[2] = Arg{Type: Float}
	if err := Call(&core.Exec{}, f, 0, bad); !errors.Is(err, core.ErrValue) || !strings.Contains(err.Error(), "argument n is a int") {
		t.Errorf("a float for an int parameter: %v", err)
	}
	bad[2], bad[0] = args[2], Arg{Type: OutArray}
	if err := Call(&core.Exec{}, f, 0, bad); !errors.Is(err, core.ErrValue) || !strings.Contains(err.Error(), "out is required") {
		t.Errorf("None for a required array: %v", err)
	}
}

// What the extension's import checks (and raises as ImportError).
func TestCheckForImport(t *testing.T) {
	r := New()
	f := Family{Name: "f", Kind: Other, Run: run}
	if err := r.RegisterFamily(f); err != nil {
		t.Fatal(err)
	}
	if err := r.Check(1); err != nil {
		t.Fatalf("a sound registry: %v", err)
	}
	g := f
	g.Name = "g"
	if err := r.RegisterFamily(g); err != nil {
		t.Fatal(err)
	}
	if err := r.Check(1); err == nil || !strings.Contains(err.Error(), "2 families, the extension at most 1") {
		t.Errorf("too many families: %v", err)
	}
	_ = r.RegisterFamily(f) // a duplicate, as a third-party package might register
	err := r.Check(64)
	if err == nil || !strings.Contains(err.Error(), `refused registrations: kernel family "f" registered twice`) {
		t.Errorf("a refused registration: %v", err)
	}
}
