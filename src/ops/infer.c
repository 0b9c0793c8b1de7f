/* SPDX-License-Identifier: Apache-2.0 */
/*
 * vaccel_tensor_infer: the entry point packs the tensors by the op's row and
 * unpacks the output's shape; the row's check makes sure of the input's
 * shape and of the model, once, for every plugin.
 */
#include <string.h>
#include "ops.h"

int vaccel_tensor_infer(struct vaccel_session *sess, const char *model,
			struct vaccel_resource *model_res, const char *out_name,
			const struct vaccel_tensor *in, struct vaccel_tensor *out)
{
	if (!in || !out || in->ndims > VACCEL_TENSOR_MAX_DIMS)
		return VACCEL_EINVAL;
	if (model && model_res) {
		vaccel_error("tensor_infer: give a model path or a model resource, not both");
		return VACCEL_EINVAL;
	}
	if (!model && !model_res) {
		vaccel_error("tensor_infer: give a model path or a model resource");
		return VACCEL_EINVAL;
	}
	int64_t res_id = model_res ? model_res->id : 0;
	int64_t shape[1 + VACCEL_TENSOR_MAX_DIMS] = { 0 };
	const char *name = out_name ? out_name : "";
	struct vaccel_arg read[] = {
		OP_ARG(model ? model : "", model ? strlen(model) + 1 : 1, STRING),
		OP_ARG(&res_id, 8, INT64),
		OP_ARG(name, strlen(name) + 1, STRING),
		OP_ARG(in->dims, in->ndims * sizeof(int64_t), INT64_ARRAY),
		OP_ARG(in->data, in->data ? in->count * sizeof(float) : 0, FLOAT32_ARRAY),
	};
	struct vaccel_arg write[] = {
		OP_ARG(shape, sizeof(shape), INT64_ARRAY),
		OP_ARG(out->data, out->data ? out->count * sizeof(float) : 0, FLOAT32_ARRAY),
	};
	int ret = op_run(sess, VACCEL_OP_TENSOR_INFER, read, 5, write, 2);
	if (ret && ret != VACCEL_ENOBUFS)
		return ret;
	/* The shape says what the output holds, or needs (ENOBUFS). */
	out->ndims = shape[0] > 0 && shape[0] <= VACCEL_TENSOR_MAX_DIMS ? (size_t)shape[0] : 0;
	memcpy(out->dims, shape + 1, sizeof(out->dims));
	size_t n = out->ndims ? 1 : 0;
	for (size_t i = 0; i < out->ndims; i++)
		n *= shape[1 + i] > 0 ? (size_t)shape[1 + i] : 0;
	out->count = n;
	return ret;
}

/* Elements a shape holds; 0 for a bad shape (no dim may be < 1). */
static size_t shape_count(const int64_t *dims, size_t ndims)
{
	size_t n = 1;
	if (ndims < 1 || ndims > VACCEL_TENSOR_MAX_DIMS)
		return 0;
	for (size_t i = 0; i < ndims; i++) {
		if (dims[i] < 1 || (uint64_t)dims[i] > SIZE_MAX / sizeof(float) / n)
			return 0;
		n *= (size_t)dims[i];
	}
	return n;
}

/* The model: a path, a registered model resource with a file, or the session's. */
static int check_model(struct vaccel_session *sess, const char *path, struct vaccel_arg *id_arg)
{
	int64_t id = vaccel_plugin_arg_i64(id_arg);
	if (*path && id) {
		vaccel_error("tensor_infer: give a model path or a model resource, not both");
		return VACCEL_EINVAL;
	}
	if (*path)
		return VACCEL_OK;
	struct vaccel_resource *res = id ? vaccel_plugin_arg_resource(sess, id_arg)
				      : vaccel_session_find_resource(sess, VACCEL_RESOURCE_MODEL);
	if (!res) {
		vaccel_error("tensor_infer: no model: session %lld has no model resource",
			     (long long)sess->id);
		return VACCEL_ENOENT;
	}
	if (res->type != VACCEL_RESOURCE_MODEL || !vaccel_resource_path(res)) {
		vaccel_error("tensor_infer: resource %lld is not a model with a file (mem_only "
			     "models cannot be read by a plugin)", (long long)res->id);
		return VACCEL_EINVAL;
	}
	return VACCEL_OK;
}

/* read: model, model_resource, output_name, dims, data; write: shape, out_data. */
int infer_check(struct vaccel_session *sess, struct vaccel_arg *r, size_t nr,
		struct vaccel_arg *w, size_t nw)
{
	(void)nr; (void)nw; (void)w;
	int64_t dims[VACCEL_TENSOR_MAX_DIMS];
	size_t ndims = r[3].size / sizeof(int64_t);
	if (ndims > VACCEL_TENSOR_MAX_DIMS) {
		vaccel_error("tensor_infer: input shape has %zu dims (at most %d)", ndims,
			     VACCEL_TENSOR_MAX_DIMS);
		return VACCEL_EINVAL;
	}
	memcpy(dims, r[3].buf, r[3].size);
	size_t n = shape_count(dims, ndims);
	if (!n) {
		vaccel_error("tensor_infer: input shape has %zu dims (1..%d, each >= 1)", ndims,
			     VACCEL_TENSOR_MAX_DIMS);
		return VACCEL_EINVAL;
	}
	if (n != r[4].size / sizeof(float)) {
		vaccel_error("tensor_infer: input shape holds %zu elements, the data %zu", n,
			     r[4].size / sizeof(float));
		return VACCEL_EINVAL;
	}
	return check_model(sess, r[0].buf, &r[1]);
}
