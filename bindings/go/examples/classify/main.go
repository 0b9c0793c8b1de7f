// SPDX-License-Identifier: Apache-2.0

// classify IMAGE [MODEL]: the image's top classes, with the profile's
// model or with MODEL registered as a resource.
package main

import (
	"fmt"
	"os"

	"github.com/nubificus/vaccel-go/vaccel"
)

func main() {
	if len(os.Args) < 2 || len(os.Args) > 3 {
		fmt.Fprintf(os.Stderr, "Usage: %s <image> [model]\n", os.Args[0])
		os.Exit(2)
	}
	var session vaccel.Session
	if err := session.Init(0); err != vaccel.OK {
		fmt.Fprintf(os.Stderr, "error initializing session: %s\n", vaccel.StrError(err))
		os.Exit(1)
	}
	defer session.Release()
	if len(os.Args) == 3 {
		var model vaccel.Resource
		if err := model.Init(os.Args[2], vaccel.ResourceModel); err != vaccel.OK {
			fmt.Fprintf(os.Stderr, "%s: %s\n", os.Args[2], vaccel.StrError(err))
			os.Exit(1)
		}
		defer model.Release()
		if err := session.Register(&model); err != vaccel.OK {
			fmt.Fprintf(os.Stderr, "registering the model: %s\n", vaccel.StrError(err))
			os.Exit(1)
		}
	}
	out, err := vaccel.ImageClassificationFromFile(&session, os.Args[1])
	if err != vaccel.OK {
		fmt.Fprintf(os.Stderr, "classification failed: %s\n", vaccel.StrError(err))
		session.Release()
		os.Exit(1)
	}
	fmt.Print(out)
}
