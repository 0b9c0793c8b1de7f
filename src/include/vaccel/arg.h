/* SPDX-License-Identifier: Apache-2.0 */
/* Arguments of vaccel_exec() and vaccel_genop(), laid out as vAccel's. */
#ifndef VACCEL_ARG_H
#define VACCEL_ARG_H

#include <vaccel/types.h>

/* Values travel on the wire: the order from 0 is vAccel's, never reorder. */
typedef enum {
	VACCEL_ARG_RAW = 0,
	VACCEL_ARG_INT8,
	VACCEL_ARG_INT8_ARRAY,
	VACCEL_ARG_INT16,
	VACCEL_ARG_INT16_ARRAY,
	VACCEL_ARG_INT32,
	VACCEL_ARG_INT32_ARRAY,
	VACCEL_ARG_INT64,
	VACCEL_ARG_INT64_ARRAY,
	VACCEL_ARG_UINT8,
	VACCEL_ARG_UINT8_ARRAY,
	VACCEL_ARG_UINT16,
	VACCEL_ARG_UINT16_ARRAY,
	VACCEL_ARG_UINT32,
	VACCEL_ARG_UINT32_ARRAY,
	VACCEL_ARG_UINT64,
	VACCEL_ARG_UINT64_ARRAY,
	VACCEL_ARG_FLOAT32,
	VACCEL_ARG_FLOAT32_ARRAY,
	VACCEL_ARG_FLOAT64,
	VACCEL_ARG_FLOAT64_ARRAY,
	VACCEL_ARG_BOOL,
	VACCEL_ARG_BOOL_ARRAY,
	VACCEL_ARG_CHAR,
	VACCEL_ARG_CHAR_ARRAY,
	VACCEL_ARG_UCHAR,
	VACCEL_ARG_UCHAR_ARRAY,
	VACCEL_ARG_STRING,
	VACCEL_ARG_BUFFER,
	VACCEL_ARG_CUSTOM,
	VACCEL_ARG_MAX
} vaccel_arg_type_t;

/*
 * One argument. `buf` points at `size` bytes the caller owns unless `owned`
 * is true, in which case whoever releases the arg frees `buf`.
 */
struct vaccel_arg {
	void *buf;
	size_t size;
	vaccel_arg_type_t type;
	bool owned;
};

#ifdef __cplusplus
extern "C" {
#endif

/* vaccel extension: the type's name ("int32", "float32_array", ...), or NULL. */
const char *vaccel_arg_type_name(vaccel_arg_type_t type);

/*
 * vaccel extension: size in bytes of one element of a scalar or array type,
 * 0 for RAW, STRING, BUFFER and CUSTOM (free-form bytes).
 */
size_t vaccel_arg_type_elem_size(vaccel_arg_type_t type);

#ifdef __cplusplus
}
#endif

#endif /* VACCEL_ARG_H */
