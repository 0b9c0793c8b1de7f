/* SPDX-License-Identifier: Apache-2.0 */
/* Operation types. They travel on the wire and in genop: vAccel's order. */
#ifndef VACCEL_OP_H
#define VACCEL_OP_H

typedef enum {
	VACCEL_OP_NOOP = 0,
	VACCEL_OP_EXEC,
	VACCEL_OP_EXEC_WITH_RESOURCE,
	VACCEL_OP_IMAGE_CLASSIFY,
	VACCEL_OP_IMAGE_DETECT,
	VACCEL_OP_IMAGE_SEGMENT,
	VACCEL_OP_IMAGE_POSE,
	VACCEL_OP_IMAGE_DEPTH,
	VACCEL_OP_TF_MODEL_LOAD,
	VACCEL_OP_TF_MODEL_UNLOAD,
	VACCEL_OP_TF_MODEL_RUN,
	VACCEL_OP_TFLITE_MODEL_LOAD,
	VACCEL_OP_TFLITE_MODEL_UNLOAD,
	VACCEL_OP_TFLITE_MODEL_RUN,
	VACCEL_OP_TORCH_MODEL_LOAD,
	VACCEL_OP_TORCH_MODEL_RUN,
	VACCEL_OP_TORCH_SGEMM,
	VACCEL_OP_BLAS_SGEMM,
	VACCEL_OP_FPGA_ARRAYCOPY,
	VACCEL_OP_FPGA_MMULT,
	VACCEL_OP_FPGA_PARALLEL,
	VACCEL_OP_FPGA_VECTORADD,
	VACCEL_OP_MINMAX,
	VACCEL_OP_OPENCV,
	/* vaccel's own additions follow vAccel's list. */
	VACCEL_OP_IMAGE_ANALYZE,     /* vaccel extension: <vaccel/vision.h> */
	VACCEL_OP_TENSOR_INFER,      /* vaccel extension: <vaccel/infer.h> */
	VACCEL_OP_MAX
} vaccel_op_type_t;

#ifdef __cplusplus
extern "C" {
#endif

/* vaccel extension: "noop", "blas_sgemm", ...; NULL when out of range. */
const char *vaccel_op_name(vaccel_op_type_t op);

#ifdef __cplusplus
}
#endif

#endif /* VACCEL_OP_H */
