// SPDX-License-Identifier: Apache-2.0

// Package vaccel is the Go binding of libvaccel, shaped like vAccel's own
// (github.com/nubificus/vaccel-go): functions return the VACCEL_* code of
// the C call (OK on success), results come first where there are any.
//
// It builds with cgo against the installed library through pkg-config
// (vaccel.pc); make check points PKG_CONFIG_PATH at the build tree instead.
package vaccel

/*
#cgo pkg-config: vaccel
#include <stdlib.h>
#include <vaccel.h>
*/
import "C"

// Version is libvaccel's version.
func Version() string {
	return C.GoString(C.vaccel_version())
}
