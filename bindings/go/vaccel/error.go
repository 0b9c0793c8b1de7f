// SPDX-License-Identifier: Apache-2.0

package vaccel

/*
#include <vaccel.h>
*/
import "C"

// The VACCEL_* codes, with the values of <vaccel/error.h> (errno numbers).
const (
	OK           int = C.VACCEL_OK
	EINVAL       int = C.VACCEL_EINVAL
	ENOMEM       int = C.VACCEL_ENOMEM
	ENOTSUP      int = C.VACCEL_ENOTSUP
	ENOENT       int = C.VACCEL_ENOENT
	EIO          int = C.VACCEL_EIO
	EPERM        int = C.VACCEL_EPERM
	EBUSY        int = C.VACCEL_EBUSY
	EEXIST       int = C.VACCEL_EEXIST
	EALREADY     int = C.VACCEL_EALREADY
	ELIBBAD      int = C.VACCEL_ELIBBAD
	EBACKEND     int = C.VACCEL_EBACKEND
	ESESS        int = C.VACCEL_ESESS
	EREMOTE      int = C.VACCEL_EREMOTE
	EREMOTEIO    int = C.VACCEL_EREMOTE
	ETIMEDOUT    int = C.VACCEL_ETIMEDOUT
	ENOBUFS      int = C.VACCEL_ENOBUFS
	ECONNREFUSED int = C.VACCEL_ECONNREFUSED
)

// StrError describes a VACCEL_* code.
func StrError(code int) string {
	return C.GoString(C.vaccel_strerror(C.int(code)))
}
