// SPDX-License-Identifier: Apache-2.0

package vaccel

/*
#include <stdlib.h>
#include <vaccel.h>
*/
import "C"

import "unsafe"

// Session is a vAccel session. Its C struct lives in C memory, so C may
// keep pointers to it.
type Session struct {
	cSess *C.struct_vaccel_session
}

// Init starts the session; flags as vaccel_session_init takes them.
func (s *Session) Init(flags uint32) int {
	if s.cSess != nil {
		return EALREADY
	}
	c := (*C.struct_vaccel_session)(C.calloc(1, C.sizeof_struct_vaccel_session))
	if c == nil {
		return ENOMEM
	}
	if ret := int(C.vaccel_session_init(c, C.uint32_t(flags))); ret != OK {
		C.free(unsafe.Pointer(c))
		return ret
	}
	s.cSess = c
	return OK
}

// Release ends the session; registered resources are detached.
func (s *Session) Release() int {
	if s.cSess == nil {
		return EINVAL
	}
	ret := int(C.vaccel_session_release(s.cSess))
	if ret == OK {
		C.free(unsafe.Pointer(s.cSess))
		s.cSess = nil
	}
	return ret
}

// SessionInit is vaccel-go's older spelling of s.Init(flags).
func SessionInit(s *Session, flags uint32) int { return s.Init(flags) }

// SessionRelease is vaccel-go's older spelling of s.Release().
func SessionRelease(s *Session) int { return s.Release() }

// Register makes r available to the session's ops.
func (s *Session) Register(r *Resource) int {
	if s.cSess == nil || r.cRes == nil {
		return EINVAL
	}
	return int(C.vaccel_resource_register(r.cRes, s.cSess))
}

// Unregister undoes Register.
func (s *Session) Unregister(r *Resource) int {
	if s.cSess == nil || r.cRes == nil {
		return EINVAL
	}
	return int(C.vaccel_resource_unregister(r.cRes, s.cSess))
}

// GetID is the session's id (> 0 while it lives, 0 otherwise).
func (s *Session) GetID() int64 {
	if s.cSess == nil {
		return 0
	}
	return int64(s.cSess.id)
}

// GetFlags returns the flags given to Init.
func (s *Session) GetFlags() int32 {
	if s.cSess == nil {
		return 0
	}
	return int32(s.cSess.hint)
}

// c is the C session, or nil: every op then fails with EINVAL in C.
func (s *Session) c() *C.struct_vaccel_session {
	if s == nil {
		return nil
	}
	return s.cSess
}
