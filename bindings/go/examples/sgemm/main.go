// SPDX-License-Identifier: Apache-2.0

// sgemm: C = A·B for a 2×3 A and a 3×2 B, printed row by row.
package main

import (
	"fmt"
	"os"

	"github.com/nubificus/vaccel-go/vaccel"
)

func main() {
	a := []float32{1, 2, 3, 4, 5, 6}
	b := []float32{7, 8, 9, 10, 11, 12}
	c := make([]float32, 4)
	var session vaccel.Session
	if err := session.Init(0); err != vaccel.OK {
		fmt.Fprintf(os.Stderr, "error initializing session: %s\n", vaccel.StrError(err))
		os.Exit(1)
	}
	defer session.Release()
	if err := vaccel.Sgemm(&session, 2, 2, 3, 1, a, 3, b, 2, 0, c, 2); err != vaccel.OK {
		fmt.Fprintf(os.Stderr, "sgemm: %s\n", vaccel.StrError(err))
		session.Release()
		os.Exit(1)
	}
	fmt.Printf("%g %g\n%g %g\n", c[0], c[1], c[2], c[3])
}
