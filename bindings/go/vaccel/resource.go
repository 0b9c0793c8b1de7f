// SPDX-License-Identifier: Apache-2.0

package vaccel

/*
#include <stdlib.h>
#include <vaccel.h>
*/
import "C"

import "unsafe"

// ResourceType says what a resource holds.
type ResourceType int

const (
	ResourceLib   ResourceType = C.VACCEL_RESOURCE_LIB
	ResourceData  ResourceType = C.VACCEL_RESOURCE_DATA
	ResourceModel ResourceType = C.VACCEL_RESOURCE_MODEL
)

// ToCEnum is the C enum value.
func (t ResourceType) ToCEnum() C.vaccel_resource_type_t {
	return C.vaccel_resource_type_t(t)
}

// Resource is a file (a model, a library, data) a session's ops use.
type Resource struct {
	cRes *C.struct_vaccel_resource
}

func (r *Resource) alloc() int {
	if r.cRes != nil {
		return EALREADY
	}
	r.cRes = (*C.struct_vaccel_resource)(C.calloc(1, C.sizeof_struct_vaccel_resource))
	if r.cRes == nil {
		return ENOMEM
	}
	return OK
}

func (r *Resource) done(ret int) int {
	if ret != OK {
		C.free(unsafe.Pointer(r.cRes))
		r.cRes = nil
	}
	return ret
}

// Init makes a resource of the file at path.
func (r *Resource) Init(path string, resType ResourceType) int {
	if ret := r.alloc(); ret != OK {
		return ret
	}
	cPath := C.CString(path)
	defer C.free(unsafe.Pointer(cPath))
	return r.done(int(C.vaccel_resource_init(r.cRes, cPath, resType.ToCEnum())))
}

// InitFromBuf makes a resource holding a copy of bytes; filename names it
// ("" for none); memOnly keeps it off the file system.
func (r *Resource) InitFromBuf(bytes []byte, resType ResourceType, filename string, memOnly bool) int {
	if len(bytes) == 0 {
		return EINVAL
	}
	if ret := r.alloc(); ret != OK {
		return ret
	}
	var cName *C.char
	if filename != "" {
		cName = C.CString(filename)
		defer C.free(unsafe.Pointer(cName))
	}
	buf := C.CBytes(bytes)
	defer C.free(buf)
	return r.done(int(C.vaccel_resource_init_from_buf(r.cRes, buf, C.size_t(len(bytes)),
		resType.ToCEnum(), cName, C.bool(memOnly))))
}

// Release frees the resource.
func (r *Resource) Release() int {
	if r.cRes == nil {
		return EINVAL
	}
	ret := int(C.vaccel_resource_release(r.cRes))
	if ret == OK {
		C.free(unsafe.Pointer(r.cRes))
		r.cRes = nil
	}
	return ret
}

// GetID is the resource's id (> 0 while it lives).
func (r *Resource) GetID() int64 {
	if r.cRes == nil {
		return 0
	}
	return int64(r.cRes.id)
}

// GetPath is the file behind the resource.
func (r *Resource) GetPath() string {
	if r.cRes == nil {
		return ""
	}
	return C.GoString(C.vaccel_resource_path(r.cRes))
}
