package builtin

import (
	"bytes"
	"encoding/json"
	"os"
	"testing"

	"github.com/goarray/goarray/core"
	"github.com/goarray/goarray/registry"
)

func TestBuiltinRegistersCleanly(t *testing.T) {
	if err := registry.Err(); err != nil {
		t.Fatal(err)
	}
	// a second registration of the same kernels is refused, not a panic
	r := registry.New()
	if err := Register(r); err != nil {
		t.Fatal(err)
	}
	if err := Register(r); err == nil || r.Err() == nil {
		t.Fatal("registering the built-in kernels twice was accepted")
	}
}

// bindings/codes.h is what gencodes writes today (make codes).
func TestCodesHeaderUpToDate(t *testing.T) {
	var fresh bytes.Buffer
	if err := registry.Default().WriteCHeader(&fresh); err != nil {
		t.Fatal(err)
	}
	committed, err := os.ReadFile("../../bindings/codes.h")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(committed, fresh.Bytes()) {
		t.Fatal("bindings/codes.h differs from the registry's codes: run `make codes`")
	}
}

// Every dtype an operation lists is a loop its kernel runs.
func TestDTypesAreLoops(t *testing.T) {
	r := registry.Default()
	alloc := core.DefaultAllocator()
	arr := func(d core.DType) *core.Array {
		a, err := core.New(alloc, []int{2, 2}, d, core.COrder, true)
		if err != nil {
			t.Fatal(err)
		}
		return a
	}
	for _, o := range r.Ops() {
		code, _ := r.FamilyCode(o.Family)
		f := r.Family(code)
		for _, d := range o.DTypes {
			args := make([]registry.Arg, len(f.Params))
			for i, p := range f.Params {
				args[i].Type = p.Type
				switch p.Type {
				case registry.InArray, registry.OptInArray:
					args[i].Array = arr(d)
				case registry.OutArray:
					od := d
					switch {
					case o.Family == "unary" && o.Name == "absolute" && d == core.Complex64:
						od = core.Float32
					case o.Family == "unary" && o.Name == "absolute" && d == core.Complex128:
						od = core.Float64
					case o.Result != core.InvalidDType:
						od = o.Result
					case o.Family == "reduce" && (o.Name == "all" || o.Name == "any"):
						od = core.Bool
					case o.Family == "reduce" && o.Name == "count_nonzero", o.Family == "argreduce",
						o.Family == "reduce" && (o.Name == "sum" || o.Name == "prod") && d == core.Bool:
						od = core.Int64
					case o.Family == "var" && d == core.Complex64:
						od = core.Float32
					case o.Family == "var" && d == core.Complex128:
						od = core.Float64
					case o.Family == "var" && d.Kind() != 'f':
						od = core.Float64
					}
					if o.Family == "reduce" || o.Family == "argreduce" || o.Family == "var" {
						a, err := core.New(alloc, []int{2}, od, core.COrder, true)
						if err != nil {
							t.Fatal(err)
						}
						args[i].Array = a
					} else {
						args[i].Array = arr(od)
					}
				case registry.Ints:
					args[i].Ints = []int{0}
				}
			}
			if err := registry.Call(&core.Exec{}, f, o.Code, args); err != nil {
				t.Errorf("%s %s on %v: %v", o.Family, o.Name, d, err)
			}
		}
	}
}

// TestJSONIsTheDescription: the hand-written JSON parses as JSON and holds
// exactly Describe's contents.
func TestJSONIsTheDescription(t *testing.T) {
	r := registry.Default()
	b, err := r.JSON()
	if err != nil {
		t.Fatal(err)
	}
	var got registry.Description
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, b)
	}
	want := r.Describe()
	wb, _ := json.Marshal(want)
	gb, _ := json.Marshal(got)
	if string(wb) != string(gb) {
		t.Fatalf("JSON holds\n%s\nwant\n%s", gb, wb)
	}
}
