/* SPDX-License-Identifier: Apache-2.0 */
/*
 * vaccel extension: generic tensor inference. One float32 input tensor
 * through a model file (any format the serving plugin reads: ONNX,
 * TensorFlow .pb, Caffe, ... for opencv), one float32 output tensor back.
 * Specified in libvaccel(3).
 */
#ifndef VACCEL_INFER_H
#define VACCEL_INFER_H

#include <stddef.h>
#include <stdint.h>

struct vaccel_session;
struct vaccel_resource;

/* Enough for image and sequence models; a fixed array keeps ownership simple. */
#define VACCEL_TENSOR_MAX_DIMS 8

/*
 * A dense float32 tensor in C (row-major) order. The caller owns `data`.
 * As an input: dims[0..ndims) give the shape and `count` the elements at
 * data, which must equal the product of the dims. As an output: `count` is
 * set by the caller to the capacity of `data` in elements, and on return
 * holds the elements of the result, with ndims and dims its shape.
 */
struct vaccel_tensor {
	size_t ndims;                           /* 1..VACCEL_TENSOR_MAX_DIMS */
	int64_t dims[VACCEL_TENSOR_MAX_DIMS];
	float *data;
	size_t count;
};

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Run the model on `in`; write the output named `out_name` (NULL: the
 * model's last output) into `out`. The model is a file path, or else
 * `model_res`, a VACCEL_RESOURCE_MODEL registered to the session (with a
 * file: not mem_only); give exactly one. Plugins load a model once and reuse
 * it for later calls.
 *
 * VACCEL_ENOBUFS when out->count (the capacity) is smaller than the result:
 * out->count, ndims and dims then say what it needs and data is untouched.
 * VACCEL_EINVAL for a bad shape, count or resource, VACCEL_ENOENT for a
 * missing model file, VACCEL_EIO when the model cannot be loaded or run on
 * this input, VACCEL_ENOTSUP when no plugin serves the op.
 */
int vaccel_tensor_infer(struct vaccel_session *sess, const char *model,
			struct vaccel_resource *model_res, const char *out_name,
			const struct vaccel_tensor *in, struct vaccel_tensor *out);

#ifdef __cplusplus
}
#endif

#endif /* VACCEL_INFER_H */
