/* SPDX-License-Identifier: Apache-2.0 */
/* Names of codes, ops and arg types: tables indexed by value. */
#include <string.h>
#include "internal.h"

static const char *const op_names[VACCEL_OP_MAX] = {
	[VACCEL_OP_NOOP] = "noop",
	[VACCEL_OP_EXEC] = "exec",
	[VACCEL_OP_EXEC_WITH_RESOURCE] = "exec_with_resource",
	[VACCEL_OP_IMAGE_CLASSIFY] = "image_classify",
	[VACCEL_OP_IMAGE_DETECT] = "image_detect",
	[VACCEL_OP_IMAGE_SEGMENT] = "image_segment",
	[VACCEL_OP_IMAGE_POSE] = "image_pose",
	[VACCEL_OP_IMAGE_DEPTH] = "image_depth",
	[VACCEL_OP_TF_MODEL_LOAD] = "tf_model_load",
	[VACCEL_OP_TF_MODEL_UNLOAD] = "tf_model_unload",
	[VACCEL_OP_TF_MODEL_RUN] = "tf_model_run",
	[VACCEL_OP_TFLITE_MODEL_LOAD] = "tflite_model_load",
	[VACCEL_OP_TFLITE_MODEL_UNLOAD] = "tflite_model_unload",
	[VACCEL_OP_TFLITE_MODEL_RUN] = "tflite_model_run",
	[VACCEL_OP_TORCH_MODEL_LOAD] = "torch_model_load",
	[VACCEL_OP_TORCH_MODEL_RUN] = "torch_model_run",
	[VACCEL_OP_TORCH_SGEMM] = "torch_sgemm",
	[VACCEL_OP_BLAS_SGEMM] = "blas_sgemm",
	[VACCEL_OP_FPGA_ARRAYCOPY] = "fpga_arraycopy",
	[VACCEL_OP_FPGA_MMULT] = "fpga_mmult",
	[VACCEL_OP_FPGA_PARALLEL] = "fpga_parallel",
	[VACCEL_OP_FPGA_VECTORADD] = "fpga_vectoradd",
	[VACCEL_OP_MINMAX] = "minmax",
	[VACCEL_OP_OPENCV] = "opencv",
	[VACCEL_OP_IMAGE_ANALYZE] = "image_analyze",
	[VACCEL_OP_TENSOR_INFER] = "tensor_infer",
};

const char *vaccel_op_name(vaccel_op_type_t op)
{
	if ((unsigned)op >= VACCEL_OP_MAX)
		return NULL;
	return op_names[op];
}

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

const char *vaccel_arg_type_name(vaccel_arg_type_t type)
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

const char *vaccel_resource_type_name(vaccel_resource_type_t type)
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
	return strerror(err);
}

const char *vaccel_version(void)
{
	return PACKAGE_VERSION;
}
