/* SPDX-License-Identifier: Apache-2.0 */
/*
 * vaccel_tensor_infer: the tensors are checked and the model resolved to a
 * file here, once, so that every plugin gets the same guarantees.
 */
#include "../internal.h"

/* Elements a shape holds; 0 for a bad shape (no dim may be < 1). */
static size_t shape_count(const struct vaccel_tensor *t)
{
	size_t n = 1;
	if (t->ndims < 1 || t->ndims > VACCEL_TENSOR_MAX_DIMS)
		return 0;
	for (size_t i = 0; i < t->ndims; i++) {
		if (t->dims[i] < 1 || (uint64_t)t->dims[i] > SIZE_MAX / sizeof(float) / n)
			return 0;
		n *= (size_t)t->dims[i];
	}
	return n;
}

static int check_input(const struct vaccel_tensor *in)
{
	size_t n = shape_count(in);
	if (!n) {
		vaccel_error("tensor_infer: input shape has %zu dims (1..%d, each >= 1)",
			     in->ndims, VACCEL_TENSOR_MAX_DIMS);
		return VACCEL_EINVAL;
	}
	if (n != in->count || !in->data) {
		vaccel_error("tensor_infer: input shape holds %zu elements, count is %zu", n,
			     in->count);
		return VACCEL_EINVAL;
	}
	return VACCEL_OK;
}

/* Exactly one of a path and a registered model resource with a file. */
static int resolve_model(struct vaccel_session *sess, const char *model,
			 struct vaccel_resource *res, const char **path)
{
	if (!model == !res) {
		vaccel_error("tensor_infer: give a model path or a model resource, not %s",
			     model ? "both" : "neither");
		return VACCEL_EINVAL;
	}
	if (model) {
		*path = model;
		return VACCEL_OK;
	}
	if (res->id <= 0 || res->type != VACCEL_RESOURCE_MODEL ||
	    !resource_is_registered_to(res, sess)) {
		vaccel_error("tensor_infer: resource %lld is not a model registered to "
			     "session %lld", (long long)res->id, (long long)sess->id);
		return VACCEL_EINVAL;
	}
	if (!(*path = vaccel_resource_path(res))) {
		vaccel_error("tensor_infer: model resource %lld is mem_only; a plugin "
			     "needs a file", (long long)res->id);
		return VACCEL_EINVAL;
	}
	return VACCEL_OK;
}

int vaccel_tensor_infer(struct vaccel_session *sess, const char *model,
			struct vaccel_resource *model_res, const char *out_name,
			const struct vaccel_tensor *in, struct vaccel_tensor *out)
{
	const struct vaccel_plugin *p;
	const char *path;
	int ret = router_route(sess, VACCEL_OP_TENSOR_INFER, &p);
	if (ret)
		return ret;
	if (!in || !out || (out->count && !out->data))
		return VACCEL_EINVAL;
	if ((ret = check_input(in)) || (ret = resolve_model(sess, model, model_res, &path)))
		return ret;
	return p->ops.tensor_infer(sess, path, model_res, out_name, in, out);
}
