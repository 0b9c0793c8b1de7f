/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Which family of ops runs a model file: `vaccel infer` picks it by the
 * profile or, when the profile serves both, by the file's format; `vaccel
 * plugins` lists the formats and who serves them.
 */
#ifndef VACCEL_CMD_MODEL_FORMAT_H
#define VACCEL_CMD_MODEL_FORMAT_H

#include <stdbool.h>
#include <stddef.h>
#include <vaccel.h>

/* The ops a model file goes through. */
enum model_engine {
	ENGINE_TENSOR_INFER,  /* vaccel_tensor_infer (opencv: ONNX, TF .pb, Caffe, ...) */
	ENGINE_TORCH,         /* vaccel_torch_model_load/_run (TorchScript) */
};

/* One row of what `vaccel plugins` says about model formats. */
struct model_format {
	const char *name;      /* "TorchScript" */
	const char *files;     /* how it is recognised */
	vaccel_op_type_t op;   /* the op that runs it */
};

extern const struct model_format model_formats[];
extern const size_t model_formats_count;

/* Whether the file is a TorchScript archive (a zip, as torch.jit.save writes). */
bool model_is_torchscript(const char *path);

/*
 * The engine for `path`: the only one the profile serves, else the file's
 * format (a zip archive, as torch.jit.save writes, is TorchScript; anything
 * else goes to tensor_infer).
 */
enum model_engine model_engine_for(const char *path);

/*
 * infer-torch.c: run the TorchScript model at `path` on `in` `iterations`
 * times through vAccel's torch API (a model resource, model_load, then
 * model_run), timing each call in times[] (the first includes loading).
 * out gets the first output, float32; out->data is malloc'd, the caller
 * frees it (whatever it held is freed first). VACCEL_EINVAL when the
 * output is not float32 or has more than VACCEL_TENSOR_MAX_DIMS dims.
 */
int infer_torch(struct vaccel_session *sess, const char *path, const struct vaccel_tensor *in,
		struct vaccel_tensor *out, long iterations, uint64_t *times);

#endif /* VACCEL_CMD_MODEL_FORMAT_H */
