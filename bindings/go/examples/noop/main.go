// SPDX-License-Identifier: Apache-2.0

// noop: a session, one vaccel_noop, the session released.
package main

import (
	"fmt"
	"os"

	"github.com/nubificus/vaccel-go/vaccel"
)

func main() {
	var session vaccel.Session
	if err := session.Init(0); err != vaccel.OK {
		fmt.Fprintf(os.Stderr, "error initializing session: %s\n", vaccel.StrError(err))
		os.Exit(1)
	}
	if err := vaccel.NoOp(&session); err != vaccel.OK {
		fmt.Fprintf(os.Stderr, "noop: %s\n", vaccel.StrError(err))
		os.Exit(1)
	}
	fmt.Println("noop: ok")
	if err := session.Release(); err != vaccel.OK {
		fmt.Fprintf(os.Stderr, "releasing the session: %s\n", vaccel.StrError(err))
		os.Exit(1)
	}
}
