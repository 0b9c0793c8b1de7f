/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The infer workload on a TorchScript model: vAccel's torch API, as `vaccel
 * infer` sends such a model (cmd/infer-torch.c). The model is a resource
 * registered and loaded once, before the timed calls; each call is one
 * vaccel_torch_model_run on the workload's input tensor.
 */
#include <stdlib.h>
#include <vaccel.h>
#include <vaccel/infer.h>
#include "bench.h"

struct bench_torch {
	struct vaccel_session *sess;
	struct vaccel_resource model;
	struct vaccel_torch_tensor input;
	bool registered, tensor;
};

void bench_torch_free(struct bench_torch *t)
{
	if (!t)
		return;
	if (t->tensor)
		vaccel_torch_tensor_release(&t->input);
	if (t->registered)
		vaccel_resource_unregister(&t->model, t->sess);
	vaccel_resource_release(&t->model);
	free(t);
}

int bench_torch_call(struct bench_torch *t)
{
	struct vaccel_torch_tensor *in = &t->input, *out = NULL;
	int ret = vaccel_torch_model_run(t->sess, &t->model, NULL, &in, 1, &out, 1);
	vaccel_torch_tensor_delete(out);
	return ret;
}

int bench_torch_prepare(struct vaccel_session *sess, const char *path,
			const struct vaccel_tensor *in, struct bench_torch **out, char *err,
			size_t errlen)
{
	struct bench_torch *t = calloc(1, sizeof(*t));
	if (!t)
		return VACCEL_ENOMEM;
	t->sess = sess;
	const char *step = "model resource";
	int ret = vaccel_resource_init(&t->model, path, VACCEL_RESOURCE_MODEL);
	if (!ret && !(ret = vaccel_resource_register(&t->model, sess))) {
		t->registered = true;
		step = "input tensor";
		ret = vaccel_torch_tensor_init(&t->input, (int64_t)in->ndims, in->dims,
					       VACCEL_TORCH_FLOAT);
	}
	if (!ret) {
		t->tensor = true;
		vaccel_torch_tensor_set_data(&t->input, in->data, in->count * sizeof(float));
		step = "torch_model_load";
		ret = vaccel_torch_model_load(sess, &t->model);
	}
	if (ret) {
		snprintf(err, errlen, "infer %s (TorchScript): %s: %s", path, step, vaccel_strerror(ret));
		bench_torch_free(t);
		return ret;
	}
	*out = t;
	return VACCEL_OK;
}
