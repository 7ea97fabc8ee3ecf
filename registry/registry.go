// Package registry describes every Go kernel goarray can call, once: the
// kernel families (one Go function serving several operations, with typed
// and named parameters) and the operations (one code each, the numpy
// ufunc or function they serve, the dtype loops they implement).
//
// The Python extension reads everything it needs from here: the C files get
// the dtype and operation codes from a header generated from the registry
// (bindings/codes.h, see WriteCHeader), the Python package gets the same
// tables at import, and every kernel call from Python names a family and an
// operation and passes its arguments by the family's parameter types.
//
// Registration never panics (a panic in an init function of the extension
// would end the Python process at import): a malformed or duplicate
// description is refused, the refusal returned and remembered, and Err
// reports every refusal, which the extension raises as ImportError.
package registry

import (
	"errors"
	"fmt"
	"sync"
	"sync/atomic"

	"github.com/goarray/goarray/core"
)

// Kind is what a family of kernels computes.
type Kind int

// The kinds of kernel families.
const (
	Elementwise Kind = iota + 1
	Reduction
	LinearAlgebra
	Other
)

var kindNames = [...]string{Elementwise: "elementwise", Reduction: "reduction", LinearAlgebra: "linalg", Other: "other"}

func (k Kind) String() string {
	if k >= Elementwise && int(k) < len(kindNames) {
		return kindNames[k]
	}
	return fmt.Sprintf("Kind(%d)", int(k))
}

// Valid reports whether k is one of the kinds.
func (k Kind) Valid() bool { return k >= Elementwise && k <= Other }

// ParamType is the type of one kernel parameter, which decides how a
// caller's argument is converted.
type ParamType int

// The parameter types.
const (
	// InArray is an array the kernel reads (any buffer exporter).
	InArray ParamType = iota + 1
	// OutArray is an array the kernel writes: it must be writable.
	OutArray
	// OptInArray is an array the kernel reads, or None (Args.Array: nil).
	OptInArray
	// Int is one integer.
	Int
	// Ints is a sequence of integers (axes, for instance).
	Ints
	// Float is one float64.
	Float
	// Complex is one complex128.
	Complex
)

var paramNames = [...]string{InArray: "in_array", OutArray: "out_array", OptInArray: "opt_in_array",
	Int: "int", Ints: "ints", Float: "float", Complex: "complex"}

func (t ParamType) String() string {
	if t >= InArray && int(t) < len(paramNames) {
		return paramNames[t]
	}
	return fmt.Sprintf("ParamType(%d)", int(t))
}

// Valid reports whether t is one of the parameter types.
func (t ParamType) Valid() bool { return t >= InArray && t <= Complex }

// IsArray reports whether t is one of the array types.
func (t ParamType) IsArray() bool { return t == InArray || t == OutArray || t == OptInArray }

// Param is one named, typed parameter of a family.
type Param struct {
	Name string
	Type ParamType
}

// MaxParams is the most parameters a family may declare.
const MaxParams = 8

// Family is one Go entry serving several operations: Run receives the
// operation's code and the arguments converted by Params.
//
// Run is called without the Python GIL and must not retain the arrays
// after it returns (their memory belongs to the caller). It returns
// errors wrapping core's (core.ErrValue, core.ErrDType, ...), which the
// extension maps onto Python exceptions, and core.ErrInterrupted when
// ex.Interrupted stopped it.
type Family struct {
	Name   string
	Kind   Kind
	Params []Param
	Run    func(ex *core.Exec, op int, args *Args) error
}

// Op is one operation of a family.
type Op struct {
	// Name is the operation's name in its family ("add").
	Name string
	// Family is the name of the family that computes it.
	Family string
	// Code is the operation's code passed to Family.Run (a core constant,
	// int(core.OpAdd)); codes are distinct within a family.
	Code int
	// Arity is the number of array inputs.
	Arity int
	// Serves is the numpy ufunc or function the operation computes
	// ("add", "true_divide", "sum").
	Serves string
	// DTypes are the dtype loops the kernel implements: the dtype of its
	// operands (for a reduction, of its source).
	DTypes []core.DType
	// Result is the dtype of an elementwise result when it is one dtype
	// whatever the operands' (core.Bool for the comparisons); zero when
	// the result has the operands' dtype or the family decides.
	Result core.DType
}

// Registry holds families and operations. The package's functions use
// the default registry, which the extension reads; a Registry of one's own
// serves tests.
type Registry struct {
	mu       sync.RWMutex
	families []*Family
	byName   map[string]int
	ops      []Op
	codes    [][]int // per family: its operations' codes
	errs     []error
	// what calls read, without a lock: replaced whole by each registration
	table atomic.Pointer[table]
}

// table is the part of a registry a kernel call reads: never modified
// once published.
type table struct {
	families []*Family
	codes    [][]int
}

func (r *Registry) publish() {
	t := &table{families: append([]*Family(nil), r.families...), codes: make([][]int, len(r.codes))}
	for i, c := range r.codes {
		t.codes[i] = append([]int(nil), c...)
	}
	r.table.Store(t)
}

// New returns an empty registry.
func New() *Registry { return &Registry{byName: map[string]int{}} }

var std = New()

// Default is the registry the extension reads.
func Default() *Registry { return std }

// RegisterFamily adds a family to the default registry (see
// Registry.RegisterFamily).
func RegisterFamily(f Family) error { return std.RegisterFamily(f) }

// RegisterOps adds operations to the default registry (see
// Registry.RegisterOps).
func RegisterOps(ops ...Op) error { return std.RegisterOps(ops...) }

// Err reports every refused registration of the default registry, or nil.
func Err() error { return std.Err() }

func (r *Registry) refuse(err error) error {
	r.errs = append(r.errs, err)
	return err
}

// RegisterFamily adds f. A family without a name, kind, Run function or
// with malformed parameters, or whose name is taken, is refused: the
// error is returned and remembered for Err.
func (r *Registry) RegisterFamily(f Family) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if err := checkFamily(f); err != nil {
		return r.refuse(err)
	}
	if _, dup := r.byName[f.Name]; dup {
		return r.refuse(fmt.Errorf("kernel family %q registered twice", f.Name))
	}
	f.Params = append([]Param(nil), f.Params...)
	r.byName[f.Name] = len(r.families)
	r.families = append(r.families, &f)
	r.codes = append(r.codes, nil)
	r.publish()
	return nil
}

func checkFamily(f Family) error {
	if !isName(f.Name) {
		return fmt.Errorf("kernel family name %q: lower-case letters, digits and '_', starting with a letter", f.Name)
	}
	if !f.Kind.Valid() {
		return fmt.Errorf("kernel family %q: invalid kind %d", f.Name, int(f.Kind))
	}
	if f.Run == nil {
		return fmt.Errorf("kernel family %q: no Run function", f.Name)
	}
	if len(f.Params) > MaxParams {
		return fmt.Errorf("kernel family %q: %d parameters, at most %d", f.Name, len(f.Params), MaxParams)
	}
	seen := map[string]bool{}
	for i, p := range f.Params {
		if !isName(p.Name) {
			return fmt.Errorf("kernel family %q: parameter %d has the invalid name %q", f.Name, i, p.Name)
		}
		if seen[p.Name] {
			return fmt.Errorf("kernel family %q: parameter %q declared twice", f.Name, p.Name)
		}
		seen[p.Name] = true
		if !p.Type.Valid() {
			return fmt.Errorf("kernel family %q: parameter %q has the invalid type %d", f.Name, p.Name, int(p.Type))
		}
	}
	return nil
}

// RegisterOps adds operations of registered families. Each malformed or
// duplicate operation (an unknown family, a name or code taken in its
// family, a negative arity, an invalid dtype) is refused and the others
// added; the refusals are returned joined and remembered for Err.
func (r *Registry) RegisterOps(ops ...Op) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	var errs []error
	for _, op := range ops {
		if err := r.checkOp(op); err != nil {
			errs = append(errs, r.refuse(err))
			continue
		}
		op.DTypes = append([]core.DType(nil), op.DTypes...)
		r.ops = append(r.ops, op)
		i := r.byName[op.Family]
		r.codes[i] = append(r.codes[i], op.Code)
	}
	r.publish()
	return errors.Join(errs...)
}

func (r *Registry) checkOp(op Op) error {
	if _, ok := r.byName[op.Family]; !ok {
		return fmt.Errorf("operation %q: unknown kernel family %q (register the family first)", op.Name, op.Family)
	}
	if !isName(op.Name) {
		return fmt.Errorf("operation %q of %q: lower-case letters, digits and '_', starting with a letter", op.Name, op.Family)
	}
	if op.Code < 0 || op.Arity < 0 {
		return fmt.Errorf("operation %q of %q: negative code or arity", op.Name, op.Family)
	}
	if op.Serves == "" {
		return fmt.Errorf("operation %q of %q: no numpy function named as served", op.Name, op.Family)
	}
	for _, d := range op.DTypes {
		if !d.Valid() {
			return fmt.Errorf("operation %q of %q: invalid dtype %d", op.Name, op.Family, int(d))
		}
	}
	if op.Result != core.InvalidDType && !op.Result.Valid() {
		return fmt.Errorf("operation %q of %q: invalid result dtype %d", op.Name, op.Family, int(op.Result))
	}
	for _, o := range r.ops {
		if o.Family != op.Family {
			continue
		}
		if o.Name == op.Name {
			return fmt.Errorf("operation %q of %q registered twice", op.Name, op.Family)
		}
		if o.Code == op.Code {
			return fmt.Errorf("operations %q and %q of %q have the same code %d", o.Name, op.Name, op.Family, op.Code)
		}
	}
	return nil
}

// Err reports every refused registration (joined), or nil.
func (r *Registry) Err() error {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return errors.Join(r.errs...)
}

// Check is nil when r can serve an extension that holds at most
// maxFamilies families, else the reason it cannot (the extension's import
// raises it as ImportError): the refused registrations, or too many
// families.
func (r *Registry) Check(maxFamilies int) error {
	if err := r.Err(); err != nil {
		return fmt.Errorf("the kernel registry refused registrations: %w", err)
	}
	if n := len(r.Families()); n > maxFamilies {
		return fmt.Errorf("the kernel registry holds %d families, the extension at most %d", n, maxFamilies)
	}
	return nil
}

// Families lists the families in registration order; a family's index in
// it is its code.
func (r *Registry) Families() []*Family {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return append([]*Family(nil), r.families...)
}

// Family returns the family of code i, or nil.
func (r *Registry) Family(i int) *Family {
	t := r.table.Load()
	if t == nil || i < 0 || i >= len(t.families) {
		return nil
	}
	return t.families[i]
}

// HasOp reports whether the family of code family has an operation of
// code op.
func (r *Registry) HasOp(family, op int) bool {
	t := r.table.Load()
	if t == nil || family < 0 || family >= len(t.codes) {
		return false
	}
	for _, c := range t.codes[family] {
		if c == op {
			return true
		}
	}
	return false
}

// FamilyCode returns the code of the named family.
func (r *Registry) FamilyCode(name string) (int, bool) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	i, ok := r.byName[name]
	return i, ok
}

// Ops lists the operations in registration order.
func (r *Registry) Ops() []Op {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return append([]Op(nil), r.ops...)
}

// Lookup returns the operation of the family with the name.
func (r *Registry) Lookup(family, name string) (Op, bool) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	for _, o := range r.ops {
		if o.Family == family && o.Name == name {
			return o, true
		}
	}
	return Op{}, false
}

func isName(s string) bool {
	if s == "" || s[0] < 'a' || s[0] > 'z' {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_') {
			return false
		}
	}
	return true
}
