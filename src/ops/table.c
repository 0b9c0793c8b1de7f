/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The op table: one row per op, with vAccel's op code, its name, and the
 * arguments of its genop form. Everything else is derived from a row: the
 * checks every call passes (call.c), the transports' encoding and the
 * agent's policy, the noop plugin's service, the listings of `vaccel
 * plugins` and vaccel-plugin(7). Adding an op is adding a row here, its
 * entry point, and a native implementation in a plugin.
 */
#include "../internal.h"
#include "ops.h"

/* ---- argument shorthands ---- */

#define SCALAR(n, t, sz) { .name = n, .kind = VACCEL_OP_ARG_SCALAR, .type = VACCEL_ARG_##t, .size = sz }
#define I32(n) SCALAR(n, INT32, 4)
#define U32(n) SCALAR(n, UINT32, 4)
#define I64(n) SCALAR(n, INT64, 8)
#define U64(n) SCALAR(n, UINT64, 8)
#define F32(n) SCALAR(n, FLOAT32, 4)
#define F64(n) SCALAR(n, FLOAT64, 8)
/* A buffer of elements of `el` bytes; fl: VACCEL_OP_ARG_* flags. */
#define BYTES(n, t, el, fl) \
	{ .name = n, .kind = VACCEL_OP_ARG_BYTES, .type = VACCEL_ARG_##t, .elem = el, .flags = fl }
#define FIXED(n, t, sz) { .name = n, .kind = VACCEL_OP_ARG_BYTES, .type = VACCEL_ARG_##t, .size = sz }
#define STRING(n, fl) { .name = n, .kind = VACCEL_OP_ARG_STRING, .type = VACCEL_ARG_STRING, .flags = fl }
#define RESOURCE(n, fl) { .name = n, .kind = VACCEL_OP_ARG_RESOURCE, .type = VACCEL_ARG_INT64, .size = 8, .flags = fl }
/* A host file, carried to an agent as the resource in read arg `c`. */
#define HOSTPATH(n, c) \
	{ .name = n, .kind = VACCEL_OP_ARG_HOSTPATH, .type = VACCEL_ARG_STRING, .flags = VACCEL_OP_ARG_EMPTY_OK, .carrier = c }
#define REST(n) { .name = n, .kind = VACCEL_OP_ARG_REST }
#define EMPTY VACCEL_OP_ARG_EMPTY_OK

#define ARGS(...) (const struct vaccel_op_arg_info[]){ __VA_ARGS__ }
#define COUNT(...) (sizeof(ARGS(__VA_ARGS__)) / sizeof(struct vaccel_op_arg_info))
#define READ(...) .read = ARGS(__VA_ARGS__), .nr_read = COUNT(__VA_ARGS__)
#define WRITE(...) .write = ARGS(__VA_ARGS__), .nr_write = COUNT(__VA_ARGS__)

#define ROW(code, nm, sum, ...) \
	[code] = { .info = { .op = code, .name = nm, .summary = sum, __VA_ARGS__ }
#define IMAGE_OP (VACCEL_OP_SESSION_MODEL | VACCEL_OP_IMAGE_TASK)
#define IMAGE_IN READ(BYTES("image", RAW, 1, 0))

const struct op_row op_rows[VACCEL_OP_MAX] = {
	ROW(VACCEL_OP_NOOP, "noop", "reach a plugin, do nothing"), .classic = classic_noop },
	ROW(VACCEL_OP_EXEC, "exec", "call a function of a host library",
	    READ(STRING("library", 0), STRING("symbol", 0), REST("args")),
	    WRITE(REST("args"))), .classic = classic_exec },
	ROW(VACCEL_OP_EXEC_WITH_RESOURCE, "exec_with_resource",
	    "call a function of a library resource",
	    READ(RESOURCE("library", 0), STRING("symbol", 0), REST("args")),
	    WRITE(REST("args"))), .check = exec_res_check,
	    .classic = classic_exec_with_resource },
	/* vAccel's genop order: the image name first, then the text. */
	ROW(VACCEL_OP_IMAGE_CLASSIFY, "image_classify", "classify an image",
	    .flags = IMAGE_OP, IMAGE_IN,
	    WRITE(BYTES("image_name", UCHAR_ARRAY, 1, EMPTY),
		  BYTES("text", UCHAR_ARRAY, 1, EMPTY))), .classic = classic_classify },
	ROW(VACCEL_OP_IMAGE_DETECT, "image_detect", "detect objects in an image",
	    .flags = IMAGE_OP, IMAGE_IN, WRITE(BYTES("image_name", UCHAR_ARRAY, 1, EMPTY))),
	    .classic = classic_image },
	ROW(VACCEL_OP_IMAGE_SEGMENT, "image_segment", "label the pixels of an image",
	    .flags = IMAGE_OP, IMAGE_IN, WRITE(BYTES("image_name", UCHAR_ARRAY, 1, EMPTY))),
	    .classic = classic_image },
	ROW(VACCEL_OP_IMAGE_POSE, "image_pose", "find body keypoints in an image",
	    .flags = IMAGE_OP, IMAGE_IN, WRITE(BYTES("image_name", UCHAR_ARRAY, 1, EMPTY))),
	    .classic = classic_image },
	ROW(VACCEL_OP_IMAGE_DEPTH, "image_depth", "estimate the depth of an image",
	    .flags = IMAGE_OP, IMAGE_IN, WRITE(BYTES("image_name", UCHAR_ARRAY, 1, EMPTY))),
	    .classic = classic_image },
	/* Status: VACCEL_TF_STATUS_LEN bytes, the code then the message (<vaccel/tf.h>). */
	ROW(VACCEL_OP_TF_MODEL_LOAD, "tf_model_load",
	    "load a TensorFlow frozen graph resource for the session's runs",
	    READ(RESOURCE("model", 0)), WRITE(FIXED("status", RAW, VACCEL_TF_STATUS_LEN))),
	    .check = tf_model_check, .classic = classic_tf_model },
	ROW(VACCEL_OP_TF_MODEL_UNLOAD, "tf_model_unload",
	    "forget the session's loaded graph of a model resource",
	    READ(RESOURCE("model", 0)), WRITE(FIXED("status", RAW, VACCEL_TF_STATUS_LEN))),
	    .check = tf_model_check, .classic = classic_tf_model },
	/* Nodes: "name:id" strings, NUL-terminated; tensors as torch's. */
	ROW(VACCEL_OP_TF_MODEL_RUN, "tf_model_run",
	    "a TensorFlow graph: feed N input nodes, fetch M output nodes",
	    READ(RESOURCE("model", 0), BYTES("run_options", RAW, 1, EMPTY),
		 BYTES("in_nodes", RAW, 1, 0), BYTES("out_nodes", RAW, 1, 0),
		 BYTES("in_desc", INT64_ARRAY, VACCEL_TF_DESC_LEN * 8, 0), REST("inputs")),
	    WRITE(FIXED("status", RAW, VACCEL_TF_STATUS_LEN),
		  BYTES("out_desc", INT64_ARRAY, VACCEL_TF_DESC_LEN * 8, 0), REST("outputs"))),
	    .check = tf_run_check, .classic = classic_tf_run },
	ROW(VACCEL_OP_TFLITE_MODEL_LOAD, "tflite_model_load",
	    "load a TensorFlow Lite model resource for the session's runs",
	    READ(RESOURCE("model", 0))), .check = tflite_model_check, .classic = classic_model },
	ROW(VACCEL_OP_TFLITE_MODEL_UNLOAD, "tflite_model_unload",
	    "forget the session's loaded TensorFlow Lite model",
	    READ(RESOURCE("model", 0))), .check = tflite_model_check, .classic = classic_model },
	/* Tensors as torch's (<vaccel/tflite.h>). */
	ROW(VACCEL_OP_TFLITE_MODEL_RUN, "tflite_model_run",
	    "a TensorFlow Lite model on tensors: N inputs, M outputs",
	    READ(RESOURCE("model", 0),
		 BYTES("in_desc", INT64_ARRAY, VACCEL_TFLITE_DESC_LEN * 8, 0), REST("inputs")),
	    WRITE(BYTES("out_desc", INT64_ARRAY, VACCEL_TFLITE_DESC_LEN * 8, 0),
		  REST("outputs"))), .check = tflite_run_check, .classic = classic_tflite_run },
	ROW(VACCEL_OP_TORCH_MODEL_LOAD, "torch_model_load",
	    "load a TorchScript model resource for the session's runs",
	    READ(RESOURCE("model", 0))), .check = torch_load_check, .classic = classic_model },
	/* Tensors: VACCEL_TORCH_DESC_LEN int64s each in a descriptor array
	 * (<vaccel/torch.h>), their data one arg each. */
	ROW(VACCEL_OP_TORCH_MODEL_RUN, "torch_model_run",
	    "a TorchScript model's forward() on tensors: N inputs, M outputs",
	    READ(RESOURCE("model", 0), BYTES("run_options", RAW, 1, EMPTY),
		 BYTES("in_desc", INT64_ARRAY, VACCEL_TORCH_DESC_LEN * 8, 0), REST("inputs")),
	    WRITE(BYTES("out_desc", INT64_ARRAY, VACCEL_TORCH_DESC_LEN * 8, 0),
		  REST("outputs"))), .check = torch_run_check, .classic = classic_torch_run },
	ROW(VACCEL_OP_TORCH_SGEMM, "torch_sgemm",
	    "out = A * B + C, float32, row-major (vAccel's torch SGEMM)",
	    READ(I32("m"), I32("n"), I32("k"), BYTES("a", FLOAT32_ARRAY, 4, 0),
		 BYTES("b", FLOAT32_ARRAY, 4, 0), BYTES("c", FLOAT32_ARRAY, 4, EMPTY)),
	    WRITE(BYTES("out", FLOAT32_ARRAY, 4, 0))), .check = torch_sgemm_check,
	    .classic = classic_torch_sgemm },
	ROW(VACCEL_OP_BLAS_SGEMM, "blas_sgemm",
	    "C = alpha * A * B + beta * C, single precision, row-major",
	    READ(I64("m"), I64("n"), I64("k"), F32("alpha"),
		 BYTES("a", FLOAT32_ARRAY, 4, EMPTY), I64("lda"),
		 BYTES("b", FLOAT32_ARRAY, 4, EMPTY), I64("ldb"), F32("beta"), I64("ldc")),
	    WRITE(BYTES("c", FLOAT32_ARRAY, 4, EMPTY | VACCEL_OP_ARG_INOUT)),
	    .reads_output = sgemm_reads_c), .check = sgemm_check, .classic = classic_sgemm },
	/* vAccel's FPGA ops (deprecated there): lengths are the buffers'. */
	ROW(VACCEL_OP_FPGA_ARRAYCOPY, "fpga_arraycopy", "copy an int32 array (vAccel's FPGA example)",
	    READ(BYTES("a", INT32_ARRAY, 4, EMPTY)), WRITE(BYTES("out_a", INT32_ARRAY, 4, EMPTY))),
	    .check = fpga_check, .classic = classic_fpga_arraycopy },
	ROW(VACCEL_OP_FPGA_MMULT, "fpga_mmult", "multiply float32 arrays (vAccel's FPGA example)",
	    READ(BYTES("a", FLOAT32_ARRAY, 4, EMPTY), BYTES("b", FLOAT32_ARRAY, 4, EMPTY)),
	    WRITE(BYTES("c", FLOAT32_ARRAY, 4, EMPTY))), .check = fpga_check,
	    .classic = classic_fpga_mmult },
	ROW(VACCEL_OP_FPGA_PARALLEL, "fpga_parallel",
	    "add and multiply float32 arrays (vAccel's FPGA example)",
	    READ(BYTES("a", FLOAT32_ARRAY, 4, EMPTY), BYTES("b", FLOAT32_ARRAY, 4, EMPTY)),
	    WRITE(BYTES("add_output", FLOAT32_ARRAY, 4, EMPTY),
		  BYTES("mult_output", FLOAT32_ARRAY, 4, EMPTY))), .check = fpga_check,
	    .classic = classic_fpga_parallel },
	ROW(VACCEL_OP_FPGA_VECTORADD, "fpga_vectoradd", "add float32 arrays (vAccel's FPGA example)",
	    READ(BYTES("a", FLOAT32_ARRAY, 4, EMPTY), BYTES("b", FLOAT32_ARRAY, 4, EMPTY)),
	    WRITE(BYTES("c", FLOAT32_ARRAY, 4, EMPTY))), .check = fpga_check,
	    .classic = classic_fpga_vadd },
	ROW(VACCEL_OP_MINMAX, "minmax",
	    "clamp an array to [low, high]; its minimum and maximum",
	    READ(BYTES("indata", FLOAT64_ARRAY, 8, EMPTY), I32("ndata"),
		 I32("low_threshold"), I32("high_threshold")),
	    WRITE(BYTES("outdata", FLOAT64_ARRAY, 8, EMPTY), F64("min"), F64("max"))),
	    .check = minmax_check, .classic = classic_minmax },
	ROW(VACCEL_OP_OPENCV, "opencv", "vAccel's OpenCV op: lists as its plugin reads them",
	    READ(REST("args")), WRITE(REST("args"))), .classic = classic_lists },
	ROW(VACCEL_OP_IMAGE_ANALYZE, "image_analyze",
	    "an image op with result lines and the output image's bytes",
	    .flags = VACCEL_OP_SESSION_MODEL,
	    READ(U32("task"), BYTES("image", RAW, 1, 0)),
	    WRITE(BYTES("text", CHAR_ARRAY, 1, 0), BYTES("out_image", UCHAR_ARRAY, 1, EMPTY),
		  U64("out_image_size"))), .check = analyze_check },
	ROW(VACCEL_OP_TENSOR_INFER, "tensor_infer", "a float32 tensor through a model",
	    .flags = VACCEL_OP_SESSION_MODEL,
	    READ(HOSTPATH("model", 1), RESOURCE("model_resource", EMPTY),
		 STRING("output_name", EMPTY), BYTES("dims", INT64_ARRAY, 8, 0),
		 BYTES("data", FLOAT32_ARRAY, 4, EMPTY)),
	    WRITE(FIXED("shape", INT64_ARRAY, OP_SHAPE_BYTES),
		  BYTES("out_data", FLOAT32_ARRAY, 4, EMPTY))), .check = infer_check },
};

const struct vaccel_op_info *vaccel_op_info(vaccel_op_type_t op)
{
	/* An op without a summary has a name and a code, but no row yet. */
	if ((unsigned)op >= VACCEL_OP_MAX || !op_rows[op].info.summary)
		return NULL;
	return &op_rows[op].info;
}

const char *vaccel_op_name(vaccel_op_type_t op)
{
	return (unsigned)op < VACCEL_OP_MAX ? op_rows[op].info.name : NULL;
}
