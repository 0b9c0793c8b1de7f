// SPDX-License-Identifier: Apache-2.0

package vaccel

/*
#include <stdlib.h>
#include <string.h>
#include <vaccel.h>
*/
import "C"

import "unsafe"

// bytesOf views n bytes at p, in the machine's own byte order.
func bytesOf(p unsafe.Pointer, n int) []byte { return unsafe.Slice((*byte)(p), n) }

// ArgType is a struct vaccel_arg's type field.
type ArgType uint32

const (
	ArgRaw          ArgType = C.VACCEL_ARG_RAW
	ArgInt32        ArgType = C.VACCEL_ARG_INT32
	ArgInt64        ArgType = C.VACCEL_ARG_INT64
	ArgUint8        ArgType = C.VACCEL_ARG_UINT8
	ArgFloat32      ArgType = C.VACCEL_ARG_FLOAT32
	ArgFloat32Array ArgType = C.VACCEL_ARG_FLOAT32_ARRAY
	ArgFloat64      ArgType = C.VACCEL_ARG_FLOAT64
	ArgFloat64Array ArgType = C.VACCEL_ARG_FLOAT64_ARRAY
	ArgString       ArgType = C.VACCEL_ARG_STRING
	ArgBuffer       ArgType = C.VACCEL_ARG_BUFFER
)

// ArgList is a list of struct vaccel_arg for Genop and Exec. Every
// buffer it points at is C memory it owns (cgo forbids C holding Go
// pointers): Add* copy their input, Expect* allocate the output, and after
// the op a buffer given to ExpectSerialArg receives its output.
type ArgList struct {
	args []C.struct_vaccel_arg
	arr  *C.struct_vaccel_arg // C copy of args, made for a call
	outs map[int]unsafe.Pointer
}

// Serializer turns a structure into bytes (pointer and size).
type Serializer func(buf unsafe.Pointer) (unsafe.Pointer, uint32)

// Deserializer turns bytes back into a structure.
type Deserializer func(buf unsafe.Pointer) unsafe.Pointer

// ArgsInit returns an empty list with room for size args.
func ArgsInit(size uint32) *ArgList {
	return &ArgList{args: make([]C.struct_vaccel_arg, 0, size), outs: map[int]unsafe.Pointer{}}
}

func (l *ArgList) add(buf unsafe.Pointer, size int, t ArgType) int {
	if l == nil || size < 0 {
		return EINVAL
	}
	l.args = append(l.args, C.struct_vaccel_arg{buf: buf, size: C.size_t(size), _type: C.vaccel_arg_type_t(t)})
	return OK
}

// AddArg adds a copy of data, of type t.
func (l *ArgList) AddArg(data []byte, t ArgType) int {
	var buf unsafe.Pointer
	if len(data) > 0 {
		buf = C.CBytes(data)
	}
	return l.add(buf, len(data), t)
}

// AddSerialArg adds a copy of size bytes at buf.
func (l *ArgList) AddSerialArg(buf unsafe.Pointer, size int) int {
	return l.AddArg(C.GoBytes(buf, C.int(size)), ArgRaw)
}

// AddBytesArg adds a copy of data.
func (l *ArgList) AddBytesArg(data []byte) int { return l.AddArg(data, ArgBuffer) }

// AddStringArg adds arg as a NUL-terminated string.
func (l *ArgList) AddStringArg(arg string) int {
	return l.add(unsafe.Pointer(C.CString(arg)), len(arg)+1, ArgString)
}

// AddUint8Arg adds a uint8 (genop's op type).
func (l *ArgList) AddUint8Arg(arg uint8) int { return l.AddArg([]byte{arg}, ArgUint8) }

// AddInt32Arg adds an int32.
func (l *ArgList) AddInt32Arg(arg int32) int {
	return l.AddArg(bytesOf(unsafe.Pointer(&arg), 4), ArgInt32)
}

// AddInt64Arg adds an int64.
func (l *ArgList) AddInt64Arg(arg int64) int {
	return l.AddArg(bytesOf(unsafe.Pointer(&arg), 8), ArgInt64)
}

// AddFloat32Arg adds a float32.
func (l *ArgList) AddFloat32Arg(arg float32) int {
	return l.AddArg(bytesOf(unsafe.Pointer(&arg), 4), ArgFloat32)
}

// AddFloat32ArrayArg adds a copy of a []float32.
func (l *ArgList) AddFloat32ArrayArg(arg []float32) int {
	if len(arg) == 0 {
		return l.AddArg(nil, ArgFloat32Array)
	}
	return l.AddArg(bytesOf(unsafe.Pointer(&arg[0]), 4*len(arg)), ArgFloat32Array)
}

// AddNonSerialArg adds a structure through its serializer.
func (l *ArgList) AddNonSerialArg(nonSerialBuf unsafe.Pointer, argtype uint32, serialize Serializer) int {
	buf, size := serialize(nonSerialBuf)
	return l.add(unsafe.Pointer(C.CBytes(C.GoBytes(buf, C.int(size)))), int(size), ArgType(argtype))
}

// ExpectArg adds an output of size bytes, zeroed.
func (l *ArgList) ExpectArg(size int, t ArgType) int {
	if size <= 0 {
		return EINVAL
	}
	return l.add(C.calloc(1, C.size_t(size)), size, t)
}

// ExpectSerialArg adds an output of size bytes that lands in buf after the op.
func (l *ArgList) ExpectSerialArg(buf unsafe.Pointer, size int) int {
	ret := l.ExpectArg(size, ArgRaw)
	if ret == OK && buf != nil {
		l.outs[len(l.args)-1] = buf
	}
	return ret
}

// ExpectNonSerialArg adds an output of expectedSize bytes.
func (l *ArgList) ExpectNonSerialArg(expectedSize int) int {
	return l.ExpectArg(expectedSize, ArgRaw)
}

// Len is the number of args.
func (l *ArgList) Len() int {
	if l == nil {
		return 0
	}
	return len(l.args)
}

// ExtractSerialArg is the C buffer of arg idx (valid until Delete).
func (l *ArgList) ExtractSerialArg(idx int) unsafe.Pointer {
	if l == nil || idx < 0 || idx >= len(l.args) {
		return nil
	}
	return l.args[idx].buf
}

// ExtractBytes is a copy of arg idx's bytes.
func (l *ArgList) ExtractBytes(idx int) []byte {
	p := l.ExtractSerialArg(idx)
	if p == nil {
		return nil
	}
	return C.GoBytes(p, C.int(l.args[idx].size))
}

// ExtractNonSerialArg deserializes arg idx.
func (l *ArgList) ExtractNonSerialArg(idx int, deserialize Deserializer) unsafe.Pointer {
	return deserialize(l.ExtractSerialArg(idx))
}

// cArray lays the list out in C memory for a call; nil for an empty list.
func (l *ArgList) cArray() (*C.struct_vaccel_arg, int) {
	if l == nil || len(l.args) == 0 {
		return nil, 0
	}
	if l.arr != nil {
		C.free(unsafe.Pointer(l.arr))
	}
	n := len(l.args)
	l.arr = (*C.struct_vaccel_arg)(C.calloc(C.size_t(n), C.sizeof_struct_vaccel_arg))
	copy(unsafe.Slice(l.arr, n), l.args)
	return l.arr, n
}

// afterCall copies outputs into the buffers ExpectSerialArg was given.
func (l *ArgList) afterCall() {
	if l == nil || l.arr == nil {
		return
	}
	c := unsafe.Slice(l.arr, len(l.args))
	for i := range l.args {
		if c[i].size < l.args[i].size {
			l.args[i].size = c[i].size
		}
	}
	for i, dst := range l.outs {
		C.memcpy(dst, l.args[i].buf, l.args[i].size)
	}
}

// Delete frees every buffer of the list.
func (l *ArgList) Delete() int {
	if l == nil {
		return EINVAL
	}
	for _, a := range l.args {
		C.free(a.buf)
	}
	if l.arr != nil {
		C.free(unsafe.Pointer(l.arr))
	}
	l.args, l.arr, l.outs = nil, nil, map[int]unsafe.Pointer{}
	return OK
}
