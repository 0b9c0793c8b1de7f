/* SPDX-License-Identifier: Apache-2.0 */
/* Names of codes and arg types: tables indexed by value (ops: ops/table.c). */
#include <string.h>
#include "internal.h"

static const struct {
	const char *name;
	size_t elem;
} arg_types[VACCEL_ARG_MAX] = {
	[VACCEL_ARG_RAW] = { "raw", 0 },
	[VACCEL_ARG_INT8] = { "int8", 1 },
	[VACCEL_ARG_INT8_ARRAY] = { "int8_array", 1 },
	[VACCEL_ARG_INT16] = { "int16", 2 },
	[VACCEL_ARG_INT16_ARRAY] = { "int16_array", 2 },
	[VACCEL_ARG_INT32] = { "int32", 4 },
	[VACCEL_ARG_INT32_ARRAY] = { "int32_array", 4 },
	[VACCEL_ARG_INT64] = { "int64", 8 },
	[VACCEL_ARG_INT64_ARRAY] = { "int64_array", 8 },
	[VACCEL_ARG_UINT8] = { "uint8", 1 },
	[VACCEL_ARG_UINT8_ARRAY] = { "uint8_array", 1 },
	[VACCEL_ARG_UINT16] = { "uint16", 2 },
	[VACCEL_ARG_UINT16_ARRAY] = { "uint16_array", 2 },
	[VACCEL_ARG_UINT32] = { "uint32", 4 },
	[VACCEL_ARG_UINT32_ARRAY] = { "uint32_array", 4 },
	[VACCEL_ARG_UINT64] = { "uint64", 8 },
	[VACCEL_ARG_UINT64_ARRAY] = { "uint64_array", 8 },
	[VACCEL_ARG_FLOAT32] = { "float32", 4 },
	[VACCEL_ARG_FLOAT32_ARRAY] = { "float32_array", 4 },
	[VACCEL_ARG_FLOAT64] = { "float64", 8 },
	[VACCEL_ARG_FLOAT64_ARRAY] = { "float64_array", 8 },
	[VACCEL_ARG_BOOL] = { "bool", 1 },
	[VACCEL_ARG_BOOL_ARRAY] = { "bool_array", 1 },
	[VACCEL_ARG_CHAR] = { "char", 1 },
	[VACCEL_ARG_CHAR_ARRAY] = { "char_array", 1 },
	[VACCEL_ARG_UCHAR] = { "uchar", 1 },
	[VACCEL_ARG_UCHAR_ARRAY] = { "uchar_array", 1 },
	[VACCEL_ARG_STRING] = { "string", 0 },
	[VACCEL_ARG_BUFFER] = { "buffer", 0 },
	[VACCEL_ARG_CUSTOM] = { "custom", 0 },
};

const char *vaccel_arg_type_short_name(vaccel_arg_type_t type)
{
	if ((unsigned)type >= VACCEL_ARG_MAX)
		return NULL;
	return arg_types[type].name;
}

size_t vaccel_arg_type_elem_size(vaccel_arg_type_t type)
{
	if ((unsigned)type >= VACCEL_ARG_MAX)
		return 0;
	return arg_types[type].elem;
}

static const char *const resource_types[VACCEL_RESOURCE_MAX] = {
	[VACCEL_RESOURCE_LIB] = "lib",
	[VACCEL_RESOURCE_DATA] = "data",
	[VACCEL_RESOURCE_MODEL] = "model",
};

const char *vaccel_resource_type_short_name(vaccel_resource_type_t type)
{
	if ((unsigned)type >= VACCEL_RESOURCE_MAX)
		return NULL;
	return resource_types[type];
}

const char *vaccel_strerror(int err)
{
	if (err == VACCEL_OK)
		return "success";
	if (err == VACCEL_ENOTSUP)
		return "operation not supported by any loaded plugin";
	if (err == VACCEL_ELIBBAD)
		return "plugin refused";
	/* vAccel's names for errno values whose own text would mislead. */
	if (err == VACCEL_ESESS)
		return "session error";
	if (err == VACCEL_EBACKEND)
		return "backend error";
	if (err == VACCEL_EREMOTEIO)
		return "remote I/O error";
	return strerror(err);
}

const char *vaccel_version(void)
{
	return PACKAGE_VERSION;
}
