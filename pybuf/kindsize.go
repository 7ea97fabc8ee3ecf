package pybuf

import "github.com/goarray/goarray/core"

// byKindSize finds the dtype with numpy's kind character and itemsize, the
// pair both format strings and type strings reduce to. Going through core's
// table keeps pybuf from keeping a second list of dtypes.
func byKindSize(kind byte, size int) (core.DType, bool) {
	for _, d := range core.DTypes() {
		if d.Kind() == kind && d.Size() == size {
			return d, true
		}
	}
	return core.InvalidDType, false
}
