// Command gencodes writes bindings/codes.h, the C header of the kernel
// registry's codes, to standard output (make codes).
package main

import (
	"fmt"
	"os"

	"github.com/goarray/goarray/registry"
	_ "github.com/goarray/goarray/registry/builtin"
)

func main() {
	if err := registry.Err(); err != nil {
		fmt.Fprintln(os.Stderr, "gencodes: the kernel registry refused registrations:", err)
		os.Exit(1)
	}
	if err := registry.Default().WriteCHeader(os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "gencodes:", err)
		os.Exit(1)
	}
}
