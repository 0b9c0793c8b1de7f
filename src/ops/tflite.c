/* SPDX-License-Identifier: Apache-2.0 */
/*
 * vAccel's TensorFlow Lite API: the tensor helpers, and the entry points of
 * the tflite ops, which pack tensors by their rows (a descriptor array and
 * one buffer per tensor, as torch's) and the rows' checks.
 */
#include <stdlib.h>
#include <string.h>
#include "ops.h"

#define DESC_BYTES (VACCEL_TFLITE_DESC_LEN * sizeof(int64_t))
#define MAX_TENSORS VACCEL_TFLITE_MAX_TENSORS

/* ---- tensors ---- */

int vaccel_tflite_tensor_init(struct vaccel_tflite_tensor *tensor, int nr_dims,
			      const int32_t *dims, enum vaccel_tflite_data_type type)
{
	if (!tensor || nr_dims < 1)
		return VACCEL_EINVAL;
	int32_t *d = calloc((size_t)nr_dims, sizeof(*d));
	if (!d)
		return VACCEL_ENOMEM;
	if (dims)
		memcpy(d, dims, (size_t)nr_dims * sizeof(*d));
	*tensor = (struct vaccel_tflite_tensor){ .nr_dims = nr_dims, .dims = d, .data_type = type };
	return VACCEL_OK;
}

int vaccel_tflite_tensor_release(struct vaccel_tflite_tensor *tensor)
{
	if (!tensor)
		return VACCEL_EINVAL;
	free(tensor->dims);
	if (tensor->owned)
		free(tensor->data);
	*tensor = (struct vaccel_tflite_tensor){ .data_type = tensor->data_type };
	return VACCEL_OK;
}

int vaccel_tflite_tensor_new(struct vaccel_tflite_tensor **tensor, int nr_dims,
			     const int32_t *dims, enum vaccel_tflite_data_type type)
{
	if (!tensor)
		return VACCEL_EINVAL;
	if (!(*tensor = calloc(1, sizeof(**tensor))))
		return VACCEL_ENOMEM;
	int ret = vaccel_tflite_tensor_init(*tensor, nr_dims, dims, type);
	if (ret) {
		free(*tensor);
		*tensor = NULL;
	}
	return ret;
}

int vaccel_tflite_tensor_allocate(struct vaccel_tflite_tensor **tensor, int nr_dims,
				  const int32_t *dims, enum vaccel_tflite_data_type type,
				  size_t total_size)
{
	int ret = vaccel_tflite_tensor_new(tensor, nr_dims, dims, type);
	if (ret || !total_size)
		return ret;
	if (!((*tensor)->data = calloc(1, total_size))) {
		vaccel_tflite_tensor_delete(*tensor);
		*tensor = NULL;
		return VACCEL_ENOMEM;
	}
	(*tensor)->size = total_size;
	(*tensor)->owned = true;
	return VACCEL_OK;
}

int vaccel_tflite_tensor_delete(struct vaccel_tflite_tensor *tensor)
{
	int ret = vaccel_tflite_tensor_release(tensor);
	if (!ret)
		free(tensor);
	return ret;
}

int vaccel_tflite_tensor_set_data(struct vaccel_tflite_tensor *tensor, void *data, size_t size)
{
	if (!tensor)
		return VACCEL_EINVAL;
	if (tensor->owned)
		vaccel_warn("tflite: tensor_set_data: the tensor's own data is not freed now "
			    "(take it first)");
	tensor->data = data;
	tensor->size = size;
	tensor->owned = false;
	return VACCEL_OK;
}

int vaccel_tflite_tensor_take_data(struct vaccel_tflite_tensor *tensor, void **data,
				   size_t *size)
{
	if (!tensor || !data || !size)
		return VACCEL_EINVAL;
	*data = tensor->data;
	*size = tensor->size;
	tensor->data = NULL;
	tensor->size = 0;
	tensor->owned = false;
	return VACCEL_OK;
}

/* ---- model_load, model_unload ---- */

static int model_op(vaccel_op_type_t op, struct vaccel_session *sess,
		    struct vaccel_resource *model)
{
	if (!sess || !model)
		return VACCEL_EINVAL;
	int64_t id = model->id;
	struct vaccel_arg read[] = { OP_ARG(&id, 8, INT64) };
	return op_run(sess, op, read, 1, NULL, 0);
}

int vaccel_tflite_model_load(struct vaccel_session *sess, struct vaccel_resource *model)
{
	return model_op(VACCEL_OP_TFLITE_MODEL_LOAD, sess, model);
}

int vaccel_tflite_model_unload(struct vaccel_session *sess, struct vaccel_resource *model)
{
	return model_op(VACCEL_OP_TFLITE_MODEL_UNLOAD, sess, model);
}

/* A model resource: a VACCEL_RESOURCE_MODEL (registration checked by kind). */
int tflite_model_check(struct vaccel_session *sess, struct vaccel_arg *r, size_t nr,
		       struct vaccel_arg *w, size_t nw)
{
	(void)nr; (void)w; (void)nw;
	int64_t id = vaccel_plugin_arg_i64(&r[0]);
	struct vaccel_resource *res = session_resource_by_id(sess, id);
	if (res && res->type != VACCEL_RESOURCE_MODEL) {
		vaccel_error("tflite: resource %lld is a %s resource, not a model", (long long)id,
			     vaccel_resource_type_short_name(res->type));
		return VACCEL_EINVAL;
	}
	return VACCEL_OK;
}

/* ---- model_run ---- */

/* The bytes a described tensor holds; false for a bad description. */
static bool desc_bytes(const int64_t *d, size_t *bytes)
{
	return op_desc_bytes(d, vaccel_tflite_data_type_size(d[0]), VACCEL_TFLITE_MAX_DIMS, bytes);
}

/* Describe a caller's tensor; false (logged) when it is not well formed. */
static bool describe(int i, const struct vaccel_tflite_tensor *t, int64_t *d)
{
	size_t bytes;
	memset(d, 0, DESC_BYTES);
	if (!t || t->nr_dims < 1 || t->nr_dims > VACCEL_TFLITE_MAX_DIMS || !t->dims) {
		vaccel_error("tflite: input %d: %s", i, !t ? "no tensor" : "must have 1..8 dims");
		return false;
	}
	d[0] = t->data_type;
	d[1] = t->nr_dims;
	for (int k = 0; k < t->nr_dims; k++)
		d[2 + k] = t->dims[k];
	if (!desc_bytes(d, &bytes) || bytes != t->size || (bytes && !t->data)) {
		vaccel_error("tflite: input %d: data type %d, or its dims hold other than its %zu "
			     "bytes", i, (int)t->data_type, t->data ? t->size : 0);
		return false;
	}
	return true;
}

/* The outputs as new tensors, from the descriptors and the buffers. */
static int take_outputs(const int64_t *desc, void **bufs, const size_t *cap, int n,
			struct vaccel_tflite_tensor **outputs)
{
	for (int i = 0; i < n; i++) {
		const int64_t *d = desc + i * VACCEL_TFLITE_DESC_LEN;
		int32_t dims[VACCEL_TFLITE_MAX_DIMS];
		size_t bytes;
		if (!desc_bytes(d, &bytes) || bytes > cap[i]) {
			vaccel_error("tflite_model_run: output %d: the plugin described a bad "
				     "tensor", i);
			return VACCEL_EIO;
		}
		for (int64_t k = 0; k < d[1]; k++)
			dims[k] = (int32_t)d[2 + k];
		int ret = vaccel_tflite_tensor_new(&outputs[i], (int)d[1], dims,
						   (enum vaccel_tflite_data_type)d[0]);
		if (ret)
			return ret;
		outputs[i]->data = bufs[i];
		outputs[i]->size = bytes;
		outputs[i]->owned = true;
		bufs[i] = NULL;
	}
	return VACCEL_OK;
}

/* One call: its lists, output buffers of cap[i] bytes. */
struct run_call {
	int64_t id;
	struct vaccel_tflite_tensor *const *inputs;
	int nin, nout;
	int64_t in_desc[MAX_TENSORS * VACCEL_TFLITE_DESC_LEN];
	int64_t out_desc[MAX_TENSORS * VACCEL_TFLITE_DESC_LEN];
	void *bufs[MAX_TENSORS];
	size_t cap[MAX_TENSORS];
};

static int run_once(struct vaccel_session *sess, struct run_call *c)
{
	struct vaccel_arg read[2 + MAX_TENSORS], write[1 + MAX_TENSORS];
	read[0] = OP_ARG(&c->id, 8, INT64);
	read[1] = OP_ARG(c->in_desc, (size_t)c->nin * DESC_BYTES, INT64_ARRAY);
	for (int i = 0; i < c->nin; i++)
		read[2 + i] = OP_ARG(c->inputs[i]->data, c->inputs[i]->size, RAW);
	write[0] = OP_ARG(c->out_desc, (size_t)c->nout * DESC_BYTES, INT64_ARRAY);
	for (int i = 0; i < c->nout; i++)
		write[1 + i] = OP_ARG(c->bufs[i], c->cap[i], RAW);
	memset(c->out_desc, 0, (size_t)c->nout * DESC_BYTES);
	return op_run(sess, VACCEL_OP_TFLITE_MODEL_RUN, read, 2 + (size_t)c->nin, write,
		      1 + (size_t)c->nout);
}

/* Run; on ENOBUFS once more, with the buffers sized as described. */
static int run_sized(struct vaccel_session *sess, struct run_call *c)
{
	int ret = VACCEL_OK;
	for (int attempt = 0; attempt < 2; attempt++) {
		for (int i = 0; i < c->nout && !ret; i++)
			if (!(c->bufs[i] = malloc(c->cap[i] ? c->cap[i] : 1)))
				ret = VACCEL_ENOMEM;
		if (!ret)
			ret = run_once(sess, c);
		if (ret != VACCEL_ENOBUFS || attempt)
			break;
		for (int i = 0; i < c->nout; i++) {
			free(c->bufs[i]);
			c->bufs[i] = NULL;
			if (!desc_bytes(c->out_desc + i * VACCEL_TFLITE_DESC_LEN, &c->cap[i]))
				return VACCEL_EIO;
		}
		ret = VACCEL_OK;
	}
	if (ret == VACCEL_ENOBUFS) {
		vaccel_error("tflite_model_run: the outputs outgrew their buffers twice");
		ret = VACCEL_EIO;
	}
	return ret;
}

static int run_checked(struct vaccel_session *sess, struct run_call *c,
		       struct vaccel_tflite_tensor **outputs)
{
	size_t largest = 64;
	for (int i = 0; i < c->nin; i++) {
		if (!describe(i, c->inputs[i], c->in_desc + i * VACCEL_TFLITE_DESC_LEN))
			return VACCEL_EINVAL;
		if (c->inputs[i]->size > largest)
			largest = c->inputs[i]->size;
	}
	for (int i = 0; i < c->nout; i++)
		c->cap[i] = largest;
	int ret = run_sized(sess, c);
	if (!ret)
		ret = take_outputs(c->out_desc, c->bufs, c->cap, c->nout, outputs);
	for (int i = 0; i < c->nout; i++) {
		free(c->bufs[i]);
		if (ret && outputs[i]) {
			vaccel_tflite_tensor_delete(outputs[i]);
			outputs[i] = NULL;
		}
	}
	return ret;
}

int vaccel_tflite_model_run(struct vaccel_session *sess, struct vaccel_resource *model,
			    struct vaccel_tflite_tensor *const *inputs, int nr_inputs,
			    struct vaccel_tflite_tensor **outputs, int nr_outputs,
			    uint8_t *status)
{
	int ret = VACCEL_EINVAL;
	struct run_call *c = NULL;
	if (!sess || !model || !inputs || !outputs || nr_inputs < 1 || nr_outputs < 1 ||
	    nr_inputs + nr_outputs > MAX_TENSORS)
		vaccel_error("tflite_model_run: needs a session, a model, 1 or more inputs and "
			     "outputs, %d tensors at most", MAX_TENSORS);
	else if (!(c = calloc(1, sizeof(*c))))
		ret = VACCEL_ENOMEM;
	if (c) {
		*c = (struct run_call){ .id = model->id, .inputs = inputs, .nin = nr_inputs,
					.nout = nr_outputs };
		for (int i = 0; i < nr_outputs; i++)
			outputs[i] = NULL;
		ret = run_checked(sess, c, outputs);
		free(c);
	}
	if (status)
		*status = (uint8_t)(ret > 255 ? 255 : ret);
	return ret;
}

/* read: model, in_desc, one buffer per input; write: out_desc, one buffer per output. */
int tflite_run_check(struct vaccel_session *sess, struct vaccel_arg *r, size_t nr,
		     struct vaccel_arg *w, size_t nw)
{
	size_t nin = r[1].size / DESC_BYTES, nout = w[0].size / DESC_BYTES;
	if (nin + nout > MAX_TENSORS || nin + 2 != nr || nout + 1 != nw || !nin || !nout) {
		vaccel_error("tflite_model_run: %zu input and %zu output descriptions for %zu "
			     "and %zu tensor args (1..%d in all)", nin, nout, nr > 2 ? nr - 2 : 0,
			     nw > 1 ? nw - 1 : 0, MAX_TENSORS);
		return VACCEL_EINVAL;
	}
	for (size_t i = 0; i < nin; i++) {
		int64_t d[VACCEL_TFLITE_DESC_LEN];
		size_t bytes;
		memcpy(d, (const char *)r[1].buf + i * DESC_BYTES, DESC_BYTES);
		if (!desc_bytes(d, &bytes) || bytes != r[2 + i].size) {
			vaccel_error("tflite_model_run: input %zu: a bad description, or its data "
				     "(%zu bytes) is not what its dims hold", i, r[2 + i].size);
			return VACCEL_EINVAL;
		}
	}
	for (size_t i = 1; i < nw; i++)
		if (w[i].type == VACCEL_ARG_STRING || (w[i].size && !w[i].buf))
			return VACCEL_EINVAL;
	return tflite_model_check(sess, r, nr, w, nw);
}
