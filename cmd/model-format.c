/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Model formats: the file's first bytes say what it is (names lie: a .pt
 * may be a pickled legacy model, a .pb a SavedModel's or a frozen graph).
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include "model-format.h"

const struct model_format model_formats[] = {
	{ "TorchScript", ".pt/.pth: a zip archive (torch.jit.save)", VACCEL_OP_TORCH_MODEL_RUN },
	{ "ONNX, TensorFlow .pb, Caffe, Darknet, Torch7", "anything else `vaccel infer` gets",
	  VACCEL_OP_TENSOR_INFER },
	{ "TensorFlow frozen graph", ".pb: a GraphDef (vaccel_tf_*)", VACCEL_OP_TF_MODEL_RUN },
	{ "TensorFlow Lite", ".tflite: a TFL3 flatbuffer (vaccel_tflite_*)",
	  VACCEL_OP_TFLITE_MODEL_RUN },
};
const size_t model_formats_count = sizeof(model_formats) / sizeof(model_formats[0]);

/* A zip's local file header; TorchScript archives start with one. */
bool model_is_torchscript(const char *path)
{
	unsigned char magic[4];
	FILE *f = fopen(path, "rb");
	if (!f)
		return false;
	bool zip = fread(magic, 1, 4, f) == 4 && !memcmp(magic, "PK\3\4", 4);
	fclose(f);
	return zip;
}

/* Whether a plugin of the profile serves the op (noop, in tests, serves every op). */
static bool served(vaccel_op_type_t op)
{
	return vaccel_op_served_by(op, NULL) != NULL;
}

enum model_engine model_engine_for(const char *path)
{
	bool torch = served(VACCEL_OP_TORCH_MODEL_RUN), infer = served(VACCEL_OP_TENSOR_INFER);
	if (torch != infer)
		return torch ? ENGINE_TORCH : ENGINE_TENSOR_INFER;
	return model_is_torchscript(path) ? ENGINE_TORCH : ENGINE_TENSOR_INFER;
}
