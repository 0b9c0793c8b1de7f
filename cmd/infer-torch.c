/* SPDX-License-Identifier: Apache-2.0 */
/*
 * vaccel infer on a TorchScript model: the .npy tensor through vAccel's
 * torch API, so the torch plugin (or an agent's) runs it as any torch
 * program's call would.
 */
#include <stdlib.h>
#include <string.h>
#include "cmd.h"
#include "model-format.h"

/* The torch output as infer's tensor; the data moves, nothing is copied. */
static int take_output(struct vaccel_torch_tensor *t, struct vaccel_tensor *out)
{
	if (t->data_type != VACCEL_TORCH_FLOAT || t->nr_dims < 1 ||
	    t->nr_dims > VACCEL_TENSOR_MAX_DIMS) {
		vaccel_error("infer: the model's first output is of type %d with %lld dims "
			     "(infer writes float32, 1..%d dims)", (int)t->data_type,
			     (long long)t->nr_dims, VACCEL_TENSOR_MAX_DIMS);
		return VACCEL_EINVAL;
	}
	void *data;
	size_t size;
	int ret = vaccel_torch_tensor_take_data(t, &data, &size);
	if (ret)
		return ret;
	free(out->data);
	out->data = data;
	out->count = size / sizeof(float);
	out->ndims = (size_t)t->nr_dims;
	memcpy(out->dims, t->dims, out->ndims * sizeof(int64_t));
	return VACCEL_OK;
}

/* One timed call: the load (first only), then the run. */
static int run_once(struct vaccel_session *sess, struct vaccel_resource *model,
		    struct vaccel_torch_tensor *input, bool load, struct vaccel_tensor *out)
{
	struct vaccel_torch_tensor *output = NULL;
	int ret = load ? vaccel_torch_model_load(sess, model) : VACCEL_OK;
	if (!ret)
		ret = vaccel_torch_model_run(sess, model, NULL, &input, 1, &output, 1);
	if (!ret)
		ret = take_output(output, out);
	vaccel_torch_tensor_delete(output);
	return ret;
}

int infer_torch(struct vaccel_session *sess, const char *path, const struct vaccel_tensor *in,
		struct vaccel_tensor *out, long iterations, uint64_t *times)
{
	struct vaccel_resource model;
	struct vaccel_torch_tensor input;
	int ret = vaccel_resource_init(&model, path, VACCEL_RESOURCE_MODEL);
	if (ret)
		return ret;
	if ((ret = vaccel_resource_register(&model, sess)))
		goto release;
	if ((ret = vaccel_torch_tensor_init(&input, (int64_t)in->ndims, in->dims, VACCEL_TORCH_FLOAT)))
		goto unregister;
	vaccel_torch_tensor_set_data(&input, in->data, in->count * sizeof(float));
	for (long i = 0; i < iterations && !ret; i++) {
		uint64_t t0 = now_ns();
		ret = run_once(sess, &model, &input, i == 0, out);
		times[i] = now_ns() - t0;
	}
	vaccel_torch_tensor_release(&input);
unregister:
	vaccel_resource_unregister(&model, sess);
release:
	vaccel_resource_release(&model);
	return ret;
}
