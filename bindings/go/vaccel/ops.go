// SPDX-License-Identifier: Apache-2.0

package vaccel

/*
#include <stdlib.h>
#include <vaccel.h>
*/
import "C"

import (
	"os"
	"unsafe"
)

// outLen is the size of the image ops' text outputs.
const outLen = 512

// NoOp runs vaccel_noop.
func NoOp(sess *Session) int {
	return int(C.vaccel_noop(sess.c()))
}

// Sgemm: c = alpha·a·b + beta·c, row-major, a m×k, b k×n, c m×n.
func Sgemm(sess *Session, m, n, k int64, alpha float32, a []float32, lda int64,
	b []float32, ldb int64, beta float32, c []float32, ldc int64) int {
	if m <= 0 || n <= 0 || k <= 0 || int64(len(a)) < m*k || int64(len(b)) < k*n || int64(len(c)) < m*n {
		return EINVAL
	}
	// C copies: the library may hand them to a transport that keeps them
	// past a cgo call's rules.
	ca := C.CBytes(bytesOf(unsafe.Pointer(&a[0]), 4*len(a)))
	cb := C.CBytes(bytesOf(unsafe.Pointer(&b[0]), 4*len(b)))
	cc := C.CBytes(bytesOf(unsafe.Pointer(&c[0]), 4*len(c)))
	defer C.free(ca)
	defer C.free(cb)
	defer C.free(cc)
	ret := int(C.vaccel_sgemm(sess.c(), C.int64_t(m), C.int64_t(n), C.int64_t(k), C.float(alpha),
		(*C.float)(ca), C.int64_t(lda), (*C.float)(cb), C.int64_t(ldb), C.float(beta),
		(*C.float)(cc), C.int64_t(ldc)))
	if ret == OK {
		copy(c, unsafe.Slice((*float32)(cc), len(c)))
	}
	return ret
}

// cImage is a C copy of an image (nil for none).
func cImage(image []byte) unsafe.Pointer {
	if len(image) == 0 {
		return nil
	}
	return C.CBytes(image)
}

// ImageClassification classifies an image: its tag, and the op's code.
func ImageClassification(sess *Session, image []byte) (string, int) {
	img := cImage(image)
	defer C.free(img)
	text := (*C.uchar)(C.calloc(1, outLen))
	name := (*C.uchar)(C.calloc(1, outLen))
	defer C.free(unsafe.Pointer(text))
	defer C.free(unsafe.Pointer(name))
	ret := int(C.vaccel_image_classification(sess.c(), img, text, name,
		C.size_t(len(image)), outLen, outLen))
	if ret != OK {
		return "", ret
	}
	return C.GoString((*C.char)(unsafe.Pointer(text))), OK
}

// ImageClassificationFromFile classifies the image in a file.
func ImageClassificationFromFile(sess *Session, imagePath string) (string, int) {
	image, err := os.ReadFile(imagePath)
	if err != nil {
		return "", ENOENT
	}
	return ImageClassification(sess, image)
}

type imageOp func(*C.struct_vaccel_session, unsafe.Pointer, *C.uchar, C.size_t, C.size_t) C.int

func runImageOp(op imageOp, sess *Session, image []byte) (string, int) {
	img := cImage(image)
	defer C.free(img)
	name := (*C.uchar)(C.calloc(1, outLen))
	defer C.free(unsafe.Pointer(name))
	ret := int(op(sess.c(), img, name, C.size_t(len(image)), outLen))
	if ret != OK {
		return "", ret
	}
	return C.GoString((*C.char)(unsafe.Pointer(name))), OK
}

func detect(s *C.struct_vaccel_session, i unsafe.Pointer, o *C.uchar, li, lo C.size_t) C.int {
	return C.vaccel_image_detection(s, i, o, li, lo)
}

func segment(s *C.struct_vaccel_session, i unsafe.Pointer, o *C.uchar, li, lo C.size_t) C.int {
	return C.vaccel_image_segmentation(s, i, o, li, lo)
}

func pose(s *C.struct_vaccel_session, i unsafe.Pointer, o *C.uchar, li, lo C.size_t) C.int {
	return C.vaccel_image_pose(s, i, o, li, lo)
}

func depth(s *C.struct_vaccel_session, i unsafe.Pointer, o *C.uchar, li, lo C.size_t) C.int {
	return C.vaccel_image_depth(s, i, o, li, lo)
}

// ImageDetection detects objects: the output image's name, and the code.
func ImageDetection(sess *Session, image []byte) (string, int) {
	return runImageOp(detect, sess, image)
}

// ImageDetectionFromFile detects objects in the image in a file.
func ImageDetectionFromFile(sess *Session, imagePath string) (string, int) {
	image, err := os.ReadFile(imagePath)
	if err != nil {
		return "", ENOENT
	}
	return ImageDetection(sess, image)
}

// ImageSegmentation segments an image: the output image's name, and the code.
func ImageSegmentation(sess *Session, image []byte) (string, int) {
	return runImageOp(segment, sess, image)
}

// ImagePose estimates poses: the output image's name, and the code.
func ImagePose(sess *Session, image []byte) (string, int) {
	return runImageOp(pose, sess, image)
}

// ImageDepth estimates depth: the output image's name, and the code.
func ImageDepth(sess *Session, image []byte) (string, int) {
	return runImageOp(depth, sess, image)
}

// Exec calls funcname in library with the exec convention.
func Exec(sess *Session, library string, funcname string, read *ArgList, write *ArgList) int {
	cLib, cFunc := C.CString(library), C.CString(funcname)
	defer C.free(unsafe.Pointer(cLib))
	defer C.free(unsafe.Pointer(cFunc))
	r, nr := read.cArray()
	w, nw := write.cArray()
	ret := int(C.vaccel_exec(sess.c(), cLib, cFunc, r, C.size_t(nr), w, C.size_t(nw)))
	if ret == OK {
		write.afterCall()
	}
	return ret
}

// ExecWithResource calls funcname in a registered library resource.
func ExecWithResource(sess *Session, res *Resource, funcname string, read *ArgList, write *ArgList) int {
	if res == nil {
		return EINVAL
	}
	cFunc := C.CString(funcname)
	defer C.free(unsafe.Pointer(cFunc))
	r, nr := read.cArray()
	w, nw := write.cArray()
	ret := int(C.vaccel_exec_with_resource(sess.c(), res.cRes, cFunc, r, C.size_t(nr), w, C.size_t(nw)))
	if ret == OK {
		write.afterCall()
	}
	return ret
}

// Genop runs any op given as argument lists; read's first arg is the op type.
func Genop(sess *Session, read *ArgList, write *ArgList) int {
	r, nr := read.cArray()
	w, nw := write.cArray()
	ret := int(C.vaccel_genop(sess.c(), r, C.int(nr), w, C.int(nw)))
	if ret == OK {
		write.afterCall()
	}
	return ret
}

// Minmax runs vaccel_minmax over data with the thresholds low and high:
// its output values, min and max, and the code.
func Minmax(sess *Session, data []float64, low, high int) (out []float64, min, max float64, ret int) {
	if len(data) == 0 {
		return nil, 0, 0, EINVAL
	}
	in := C.CBytes(bytesOf(unsafe.Pointer(&data[0]), 8*len(data)))
	defer C.free(in)
	cOut := (*C.double)(C.calloc(C.size_t(len(data)), 8))
	defer C.free(unsafe.Pointer(cOut))
	var cMin, cMax C.double
	ret = int(C.vaccel_minmax(sess.c(), (*C.double)(in), C.int(len(data)), C.int(low), C.int(high),
		cOut, &cMin, &cMax))
	if ret != OK {
		return nil, 0, 0, ret
	}
	out = append([]float64(nil), unsafe.Slice((*float64)(unsafe.Pointer(cOut)), len(data))...)
	return out, float64(cMin), float64(cMax), OK
}
