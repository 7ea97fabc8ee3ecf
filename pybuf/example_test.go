package pybuf_test

import (
	"fmt"

	"github.com/goarray/goarray/core"
	"github.com/goarray/goarray/pybuf"
)

func ExampleFormat() {
	for _, d := range []core.DType{core.Bool, core.Int64, core.Float32, core.Complex128} {
		fmt.Printf("%s %q\n", d, pybuf.Format(d))
	}
	// Output:
	// bool "?"
	// int64 "l"
	// float32 "f"
	// complex128 "Zd"
}

func ExampleParseFormat() {
	for _, f := range []string{"d", "<l", "l", "=Zf", ">d", "T{d:x:}"} {
		d, err := pybuf.ParseFormat(f)
		if err != nil {
			fmt.Println(err)
			continue
		}
		fmt.Printf("%q -> %s\n", f, d)
	}
	// Output:
	// "d" -> float64
	// "<l" -> int32
	// "l" -> int64
	// "=Zf" -> complex64
	// pybuf: unsupported buffer format ">d": non-native byte order '>': goarray arrays are in this machine's order ('<')
	// pybuf: unsupported buffer format "T{d:x:}": structured types ('T{...}') are not supported
}

func ExampleTypestr() {
	for _, d := range []core.DType{core.Bool, core.Uint16, core.Float64, core.Complex64} {
		fmt.Println(pybuf.Typestr(d), pybuf.Descr(d))
	}
	// Output:
	// |b1 [{ |b1}]
	// <u2 [{ <u2}]
	// <f8 [{ <f8}]
	// <c8 [{ <c8}]
}

func ExampleAnswer() {
	// The transpose of a C-ordered 2x3 float64 array.
	rec := pybuf.NewRecord([]int{3, 2}, []int{8, 24}, core.Float64, false)

	rep, err := pybuf.Answer(rec, pybuf.BufFullRO) // what memoryview() asks for
	fmt.Printf("%+v %v\n", rep, err)

	_, err = pybuf.Answer(rec, pybuf.BufContig) // needs one C-ordered block
	fmt.Println(err)
	// Output:
	// {NDim:2 Shape:[3 2] Strides:[8 24] Format:d ReadOnly:false} <nil>
	// pybuf: buffer request PyBUF_CONTIG refused: goarray.Array is not C-contiguous, and a request without PyBUF_STRIDES needs a C-contiguous block
}
