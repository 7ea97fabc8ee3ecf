package registry

import (
	"fmt"
	"sync"

	"github.com/goarray/goarray/core"
)

// Arg is one argument of a kernel call, converted by its parameter's type.
type Arg struct {
	Type    ParamType
	Array   *core.Array // InArray, OutArray, OptInArray (nil: None)
	Int     int
	Ints    []int
	Float   float64
	Complex complex128
}

// Args are the arguments of one kernel call, one per parameter of the
// family, read by index with the accessor of the parameter's type.
type Args struct {
	fam  *Family
	args []Arg
}

// NewArgs checks args against f's parameters (their number and types) and
// returns them for Run.
func NewArgs(f *Family, args []Arg) (*Args, error) {
	if err := checkArgs(f, args); err != nil {
		return nil, err
	}
	return &Args{fam: f, args: args}, nil
}

func checkArgs(f *Family, args []Arg) error {
	if len(args) != len(f.Params) {
		return fmt.Errorf("%w: kernel family %s takes %d arguments (%s), got %d", core.ErrValue, f.Name,
			len(f.Params), paramList(f.Params), len(args))
	}
	for i, a := range args {
		p := f.Params[i]
		if a.Type != p.Type {
			return fmt.Errorf("%w: kernel family %s: argument %s is a %v, got a %v", core.ErrValue, f.Name,
				p.Name, p.Type, a.Type)
		}
		if a.Array == nil && (p.Type == InArray || p.Type == OutArray) {
			return fmt.Errorf("%w: kernel family %s: argument %s is required", core.ErrValue, f.Name, p.Name)
		}
	}
	return nil
}

func paramList(ps []Param) string {
	s := ""
	for i, p := range ps {
		if i > 0 {
			s += ", "
		}
		s += p.Name + " " + p.Type.String()
	}
	return s
}

// Len is the number of arguments.
func (a *Args) Len() int { return len(a.args) }

func (a *Args) at(i int, want ...ParamType) *Arg {
	if i < 0 || i >= len(a.args) {
		panic(fmt.Sprintf("registry: kernel family %s has no argument %d", a.fam.Name, i))
	}
	for _, t := range want {
		if a.args[i].Type == t {
			return &a.args[i]
		}
	}
	panic(fmt.Sprintf("registry: argument %s of kernel family %s is a %v, read as %v", a.fam.Params[i].Name,
		a.fam.Name, a.args[i].Type, want))
}

// Array is array argument i (nil for an optional array given as None).
func (a *Args) Array(i int) *core.Array { return a.at(i, InArray, OutArray, OptInArray).Array }

// Int is integer argument i.
func (a *Args) Int(i int) int { return a.at(i, Int).Int }

// Ints is integer-sequence argument i. It is valid during the call only
// (the Python bindings pass the caller's own storage): a kernel that keeps
// it copies it.
func (a *Args) Ints(i int) []int { return a.at(i, Ints).Ints }

// Float is float argument i.
func (a *Args) Float(i int) float64 { return a.at(i, Float).Float }

// Complex is complex argument i.
func (a *Args) Complex(i int) complex128 { return a.at(i, Complex).Complex }

// Frame holds the arguments of one call, reused from call to call (Get,
// Put) so that a call allocates nothing for them.
type Frame struct {
	Args [MaxParams]Arg
	args Args
}

var frames = sync.Pool{New: func() any { return new(Frame) }}

// GetFrame returns a frame whose Args are zero.
func GetFrame() *Frame { return frames.Get().(*Frame) }

// PutFrame returns a frame after its call (the call must not keep its
// Args).
func PutFrame(fr *Frame) {
	fr.Args = [MaxParams]Arg{}
	fr.args = Args{}
	frames.Put(fr)
}

// Call runs operation code op of family f on args.
func Call(ex *core.Exec, f *Family, op int, args []Arg) error {
	a, err := NewArgs(f, args)
	if err != nil {
		return err
	}
	return f.Run(ex, op, a)
}

// Call runs operation code op of family f on the frame's first n
// arguments.
func (fr *Frame) Call(ex *core.Exec, f *Family, op, n int) error {
	if err := checkArgs(f, fr.Args[:n]); err != nil {
		return err
	}
	fr.args = Args{fam: f, args: fr.Args[:n]}
	return f.Run(ex, op, &fr.args)
}
