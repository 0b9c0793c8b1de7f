/* SPDX-License-Identifier: Apache-2.0 */
/*
 * vAccel's Torch API: the tensor and buffer helpers, and the entry points
 * of the torch ops, which pack tensors by their rows (a descriptor array
 * and one buffer per tensor, so a tensor's data is never gathered or
 * copied on the way to a plugin) and the rows' checks.
 */
#include <stdlib.h>
#include <string.h>
#include "ops.h"

/* ---- buffers ---- */

int vaccel_torch_buffer_init(struct vaccel_torch_buffer *buffer, char *data, size_t size)
{
	if (!buffer)
		return VACCEL_EINVAL;
	buffer->data = data;
	buffer->size = size;
	return VACCEL_OK;
}

int vaccel_torch_buffer_release(struct vaccel_torch_buffer *buffer)
{
	if (!buffer)
		return VACCEL_EINVAL;
	free(buffer->data);
	buffer->data = NULL;
	buffer->size = 0;
	return VACCEL_OK;
}

int vaccel_torch_buffer_new(struct vaccel_torch_buffer **buffer, char *data, size_t size)
{
	if (!buffer)
		return VACCEL_EINVAL;
	struct vaccel_torch_buffer *b = calloc(1, sizeof(*b));
	if (!b)
		return VACCEL_ENOMEM;
	vaccel_torch_buffer_init(b, data, size);
	*buffer = b;
	return VACCEL_OK;
}

int vaccel_torch_buffer_delete(struct vaccel_torch_buffer *buffer)
{
	int ret = vaccel_torch_buffer_release(buffer);
	if (!ret)
		free(buffer);
	return ret;
}

int vaccel_torch_buffer_take_data(struct vaccel_torch_buffer *buffer, void **data, size_t *size)
{
	if (!buffer || !data || !size)
		return VACCEL_EINVAL;
	*data = buffer->data;
	*size = buffer->size;
	buffer->data = NULL;
	buffer->size = 0;
	return VACCEL_OK;
}

/* ---- tensors ---- */

int vaccel_torch_tensor_init(struct vaccel_torch_tensor *tensor, int64_t nr_dims,
			     const int64_t *dims, enum vaccel_torch_data_type type)
{
	if (!tensor || nr_dims < 1 || (uint64_t)nr_dims > SIZE_MAX / sizeof(int64_t))
		return VACCEL_EINVAL;
	int64_t *d = calloc((size_t)nr_dims, sizeof(*d));
	if (!d)
		return VACCEL_ENOMEM;
	if (dims)
		memcpy(d, dims, (size_t)nr_dims * sizeof(*d));
	*tensor = (struct vaccel_torch_tensor){ .nr_dims = nr_dims, .dims = d, .data_type = type };
	return VACCEL_OK;
}

int vaccel_torch_tensor_release(struct vaccel_torch_tensor *tensor)
{
	if (!tensor)
		return VACCEL_EINVAL;
	free(tensor->dims);
	if (tensor->owned)
		free(tensor->data);
	tensor->data = NULL;
	tensor->size = 0;
	tensor->owned = false;
	tensor->nr_dims = 0;
	tensor->dims = NULL;
	return VACCEL_OK;
}

int vaccel_torch_tensor_new(struct vaccel_torch_tensor **tensor, int64_t nr_dims,
			    const int64_t *dims, enum vaccel_torch_data_type type)
{
	if (!tensor)
		return VACCEL_EINVAL;
	struct vaccel_torch_tensor *t = calloc(1, sizeof(*t));
	if (!t)
		return VACCEL_ENOMEM;
	int ret = vaccel_torch_tensor_init(t, nr_dims, dims, type);
	if (ret) {
		free(t);
		return ret;
	}
	*tensor = t;
	return VACCEL_OK;
}

int vaccel_torch_tensor_allocate(struct vaccel_torch_tensor **tensor, int64_t nr_dims,
				 const int64_t *dims, enum vaccel_torch_data_type type,
				 size_t total_size)
{
	int ret = vaccel_torch_tensor_new(tensor, nr_dims, dims, type);
	if (ret || !total_size)
		return ret;
	(*tensor)->data = calloc(1, total_size);
	if (!(*tensor)->data) {
		vaccel_torch_tensor_delete(*tensor);
		*tensor = NULL;
		return VACCEL_ENOMEM;
	}
	(*tensor)->size = total_size;
	(*tensor)->owned = true;
	return VACCEL_OK;
}

int vaccel_torch_tensor_delete(struct vaccel_torch_tensor *tensor)
{
	int ret = vaccel_torch_tensor_release(tensor);
	if (!ret)
		free(tensor);
	return ret;
}

int vaccel_torch_tensor_set_data(struct vaccel_torch_tensor *tensor, void *data, size_t size)
{
	if (!tensor)
		return VACCEL_EINVAL;
	if (tensor->owned)
		vaccel_warn("torch: tensor_set_data: the tensor's own data is not freed now "
			    "(take it first)");
	tensor->data = data;
	tensor->size = size;
	tensor->owned = false;
	return VACCEL_OK;
}

int vaccel_torch_tensor_take_data(struct vaccel_torch_tensor *tensor, void **data, size_t *size)
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

/* ---- descriptors: VACCEL_TORCH_DESC_LEN int64s per tensor ---- */

#define DESC_BYTES (VACCEL_TORCH_DESC_LEN * sizeof(int64_t))
#define MAX_TENSORS VACCEL_TORCH_MAX_TENSORS

/* The bytes a described tensor holds; false for a bad description. */
static bool desc_bytes(const int64_t *d, size_t *bytes)
{
	return op_desc_bytes(d, vaccel_torch_data_type_size(d[0]), VACCEL_TORCH_MAX_DIMS, bytes);
}

/* Describe a caller's tensor; false (logged) when it is not well formed. */
static bool describe(const char *what, int i, const struct vaccel_torch_tensor *t, int64_t *d)
{
	size_t bytes;
	memset(d, 0, DESC_BYTES);
	if (!t || t->nr_dims < 1 || t->nr_dims > VACCEL_TORCH_MAX_DIMS || !t->dims) {
		vaccel_error("torch: %s %d: %s", what, i,
			     !t ? "no tensor" : "must have 1..8 dims");
		return false;
	}
	d[0] = t->data_type;
	d[1] = t->nr_dims;
	memcpy(d + 2, t->dims, (size_t)t->nr_dims * sizeof(int64_t));
	if (!desc_bytes(d, &bytes)) {
		vaccel_error("torch: %s %d: unknown data type %d or a negative dim", what, i,
			     (int)t->data_type);
		return false;
	}
	if (bytes != t->size || (bytes && !t->data)) {
		vaccel_error("torch: %s %d: its dims hold %zu bytes of data, the tensor has %zu",
			     what, i, bytes, t->data ? t->size : 0);
		return false;
	}
	return true;
}

/* ---- model_load ---- */

int vaccel_torch_model_load(struct vaccel_session *sess, struct vaccel_resource *model)
{
	if (!sess || !model)
		return VACCEL_EINVAL;
	int64_t id = model->id;
	struct vaccel_arg read[] = { OP_ARG(&id, 8, INT64) };
	return op_run(sess, VACCEL_OP_TORCH_MODEL_LOAD, read, 1, NULL, 0);
}

/* A model resource: a VACCEL_RESOURCE_MODEL (registration checked by kind). */
static int check_model(struct vaccel_session *sess, const struct vaccel_arg *a, const char *op)
{
	int64_t id = vaccel_plugin_arg_i64(a);
	struct vaccel_resource *res = session_resource_by_id(sess, id);
	if (res && res->type != VACCEL_RESOURCE_MODEL) {
		vaccel_error("%s: resource %lld is a %s resource, not a model", op, (long long)id,
			     vaccel_resource_type_short_name(res->type));
		return VACCEL_EINVAL;
	}
	return VACCEL_OK;
}

int torch_load_check(struct vaccel_session *sess, struct vaccel_arg *r, size_t nr,
		     struct vaccel_arg *w, size_t nw)
{
	(void)nr; (void)w; (void)nw;
	return check_model(sess, &r[0], "torch_model_load");
}

/* ---- model_run ---- */

/*
 * What the last runs of a model needed, per thread: the first call sizes
 * its outputs by the largest input, later ones by what the model gave, so
 * a run fits at once (a too small guess costs a second run, ENOBUFS).
 */
#define HINTS 4
#define HINT_OUTPUTS 8
static __thread struct hint {
	int64_t sess, model;
	size_t bytes[HINT_OUTPUTS];
} hints[HINTS];
static __thread unsigned next_hint;

static struct hint *hint_for(int64_t sess, int64_t model)
{
	for (int i = 0; i < HINTS; i++)
		if (hints[i].sess == sess && hints[i].model == model)
			return &hints[i];
	return NULL;
}

static void hint_store(int64_t sess, int64_t model, const size_t *bytes, int n)
{
	struct hint *h = hint_for(sess, model);
	if (!h) {
		h = &hints[next_hint++ % HINTS];
		*h = (struct hint){ .sess = sess, .model = model };
	}
	for (int i = 0; i < n && i < HINT_OUTPUTS; i++)
		h->bytes[i] = bytes[i];
}

/* The outputs as new tensors, from the descriptors and the buffers. */
static int take_outputs(const int64_t *desc, void **bufs, const size_t *cap, int n,
			struct vaccel_torch_tensor **outputs)
{
	for (int i = 0; i < n; i++) {
		const int64_t *d = desc + i * VACCEL_TORCH_DESC_LEN;
		size_t bytes;
		if (!desc_bytes(d, &bytes) || bytes > cap[i]) {
			vaccel_error("torch_model_run: output %d: the plugin described %s", i,
				     bytes > cap[i] ? "more data than it returned" : "a bad tensor");
			return VACCEL_EIO;
		}
		int ret = vaccel_torch_tensor_new(&outputs[i], d[1], d + 2,
						  (enum vaccel_torch_data_type)d[0]);
		if (ret)
			return ret;
		outputs[i]->data = bufs[i];
		outputs[i]->size = bytes;
		outputs[i]->owned = true;
		bufs[i] = NULL;
	}
	return VACCEL_OK;
}

static int run_once(struct vaccel_session *sess, int64_t *id,
		    const struct vaccel_torch_buffer *opts, struct vaccel_torch_tensor *const *inputs,
		    int nin, int64_t *in_desc, int nout, int64_t *out_desc, void **bufs,
		    const size_t *cap)
{
	struct vaccel_arg read[3 + MAX_TENSORS], write[1 + MAX_TENSORS];
	read[0] = OP_ARG(id, 8, INT64);
	read[1] = OP_ARG(opts ? opts->data : NULL, opts && opts->data ? opts->size : 0, RAW);
	read[2] = OP_ARG(in_desc, (size_t)nin * DESC_BYTES, INT64_ARRAY);
	for (int i = 0; i < nin; i++)
		read[3 + i] = OP_ARG(inputs[i]->data, inputs[i]->size, RAW);
	write[0] = OP_ARG(out_desc, (size_t)nout * DESC_BYTES, INT64_ARRAY);
	for (int i = 0; i < nout; i++)
		write[1 + i] = OP_ARG(bufs[i], cap[i], RAW);
	return op_run(sess, VACCEL_OP_TORCH_MODEL_RUN, read, 3 + (size_t)nin, write,
		      1 + (size_t)nout);
}

int vaccel_torch_model_run(struct vaccel_session *sess, struct vaccel_resource *model,
			   const struct vaccel_torch_buffer *run_options,
			   struct vaccel_torch_tensor *const *inputs, int nr_inputs,
			   struct vaccel_torch_tensor **outputs, int nr_outputs)
{
	if (!sess || !model || !inputs || !outputs || nr_inputs < 1 || nr_outputs < 1 ||
	    nr_inputs + nr_outputs > MAX_TENSORS) {
		vaccel_error("torch_model_run: needs a session, a model, 1 or more inputs and "
			     "outputs, %d tensors at most", MAX_TENSORS);
		return VACCEL_EINVAL;
	}
	int64_t in_desc[MAX_TENSORS * VACCEL_TORCH_DESC_LEN];
	int64_t out_desc[MAX_TENSORS * VACCEL_TORCH_DESC_LEN];
	void *bufs[MAX_TENSORS] = { NULL };
	size_t cap[MAX_TENSORS], largest = 64;
	for (int i = 0; i < nr_inputs; i++) {
		if (!describe("input", i, inputs[i], in_desc + i * VACCEL_TORCH_DESC_LEN))
			return VACCEL_EINVAL;
		if (inputs[i]->size > largest)
			largest = inputs[i]->size;
	}
	for (int i = 0; i < nr_outputs; i++)
		outputs[i] = NULL;
	int64_t id = model->id;
	struct hint *h = hint_for(sess->id, id);
	for (int i = 0; i < nr_outputs; i++)
		cap[i] = h && i < HINT_OUTPUTS && h->bytes[i] ? h->bytes[i] : largest;
	int ret = VACCEL_OK;
	for (int attempt = 0; attempt < 2; attempt++) {
		for (int i = 0; i < nr_outputs && !ret; i++)
			if (!(bufs[i] = malloc(cap[i] ? cap[i] : 1)))
				ret = VACCEL_ENOMEM;
		memset(out_desc, 0, (size_t)nr_outputs * DESC_BYTES);
		if (!ret)
			ret = run_once(sess, &id, run_options, inputs, nr_inputs, in_desc,
				       nr_outputs, out_desc, bufs, cap);
		if (ret != VACCEL_ENOBUFS || attempt)
			break;
		/* The descriptors say what each output needs. */
		for (int i = 0; i < nr_outputs; i++) {
			if (!desc_bytes(out_desc + i * VACCEL_TORCH_DESC_LEN, &cap[i])) {
				vaccel_error("torch_model_run: output %d: no size after ENOBUFS", i);
				ret = VACCEL_EIO;
				break;
			}
			free(bufs[i]);
			bufs[i] = NULL;
		}
		if (ret != VACCEL_ENOBUFS)
			break;
		ret = VACCEL_OK;
	}
	if (!ret) {
		size_t need[MAX_TENSORS];
		for (int i = 0; i < nr_outputs; i++)
			if (!desc_bytes(out_desc + i * VACCEL_TORCH_DESC_LEN, &need[i]))
				need[i] = 0;
		hint_store(sess->id, id, need, nr_outputs);
		ret = take_outputs(out_desc, bufs, cap, nr_outputs, outputs);
	}
	for (int i = 0; i < nr_outputs; i++) {
		free(bufs[i]);
		if (ret && outputs[i]) {
			vaccel_torch_tensor_delete(outputs[i]);
			outputs[i] = NULL;
		}
	}
	if (ret == VACCEL_ENOBUFS) {
		vaccel_error("torch_model_run: the outputs outgrew their buffers twice");
		ret = VACCEL_EIO;
	}
	return ret;
}

/*
 * read: model, run_options, in_desc, one buffer per input; write: out_desc,
 * one buffer per output. Each input fills its description exactly.
 */
int torch_run_check(struct vaccel_session *sess, struct vaccel_arg *r, size_t nr,
		    struct vaccel_arg *w, size_t nw)
{
	size_t nin = r[2].size / DESC_BYTES, nout = w[0].size / DESC_BYTES;
	if (nin + nout > MAX_TENSORS) {
		vaccel_error("torch_model_run: %zu tensors, at most %d", nin + nout, MAX_TENSORS);
		return VACCEL_EINVAL;
	}
	if (nin + 3 != nr || nout + 1 != nw) {
		vaccel_error("torch_model_run: %zu input and %zu output descriptions for %zu and "
			     "%zu tensor args", nin, nout, nr > 3 ? nr - 3 : 0, nw ? nw - 1 : 0);
		return VACCEL_EINVAL;
	}
	for (size_t i = 0; i < nin; i++) {
		int64_t d[VACCEL_TORCH_DESC_LEN];
		size_t bytes;
		memcpy(d, (const char *)r[2].buf + i * DESC_BYTES, DESC_BYTES);
		if (!desc_bytes(d, &bytes)) {
			vaccel_error("torch_model_run: input %zu: bad description (type %lld, "
				     "%lld dims)", i, (long long)d[0], (long long)d[1]);
			return VACCEL_EINVAL;
		}
		if (bytes != r[3 + i].size) {
			vaccel_error("torch_model_run: input %zu: its dims hold %zu bytes, its "
				     "data %zu", i, bytes, r[3 + i].size);
			return VACCEL_EINVAL;
		}
	}
	for (size_t i = 1; i < nw; i++)
		if (w[i].type == VACCEL_ARG_STRING || (w[i].size && !w[i].buf))
			return VACCEL_EINVAL;
	return check_model(sess, &r[0], "torch_model_run");
}

/* ---- sgemm ---- */

/* A matrix of rows x cols floats in tensor *t; false (logged) when not. */
static bool matrix(const char *name, struct vaccel_torch_tensor **t, int rows, int cols)
{
	size_t need = (size_t)rows * (size_t)cols * sizeof(float);
	if (!t || !*t || !(*t)->data || (*t)->size < need) {
		vaccel_error("torch_sgemm: %s must hold %d x %d floats (%zu bytes), has %zu", name,
			     rows, cols, need, t && *t && (*t)->data ? (*t)->size : 0);
		return false;
	}
	if ((*t)->data_type != VACCEL_TORCH_FLOAT) {
		vaccel_error("torch_sgemm: %s is not VACCEL_TORCH_FLOAT", name);
		return false;
	}
	return true;
}

int vaccel_torch_sgemm(struct vaccel_session *sess, struct vaccel_torch_tensor **in_A,
		       struct vaccel_torch_tensor **in_B, struct vaccel_torch_tensor **in_C,
		       int M, int N, int K, struct vaccel_torch_tensor **out)
{
	if (!sess || !out || M < 1 || N < 1 || K < 1) {
		vaccel_error("torch_sgemm: needs a session, an out tensor and M, N, K >= 1");
		return VACCEL_EINVAL;
	}
	bool has_c = in_C && *in_C && (*in_C)->data;
	if (!matrix("A", in_A, M, K) || !matrix("B", in_B, K, N) ||
	    (has_c && !matrix("C", in_C, M, N)) || (*out && !matrix("out", out, M, N)))
		return VACCEL_EINVAL;
	size_t mn = (size_t)M * (size_t)N * sizeof(float);
	struct vaccel_torch_tensor *made = NULL;
	if (!*out) {
		int64_t dims[2] = { M, N };
		int ret = vaccel_torch_tensor_allocate(&made, 2, dims, VACCEL_TORCH_FLOAT, mn);
		if (ret)
			return ret;
	}
	struct vaccel_torch_tensor *o = made ? made : *out;
	int32_t m = M, n = N, k = K;
	struct vaccel_arg read[] = {
		OP_ARG(&m, 4, INT32), OP_ARG(&n, 4, INT32), OP_ARG(&k, 4, INT32),
		OP_ARG((*in_A)->data, (size_t)M * K * sizeof(float), FLOAT32_ARRAY),
		OP_ARG((*in_B)->data, (size_t)K * N * sizeof(float), FLOAT32_ARRAY),
		OP_ARG(has_c ? (*in_C)->data : NULL, has_c ? mn : 0, FLOAT32_ARRAY),
	};
	struct vaccel_arg write[] = { OP_ARG(o->data, mn, FLOAT32_ARRAY) };
	int ret = op_run(sess, VACCEL_OP_TORCH_SGEMM, read, 6, write, 1);
	if (made && ret)
		vaccel_torch_tensor_delete(made);
	else if (made)
		*out = made;
	return ret;
}

/* read: m, n, k, a (m x k), b (k x n), c (m x n or empty); write: out (m x n). */
int torch_sgemm_check(struct vaccel_session *sess, struct vaccel_arg *r, size_t nr,
		      struct vaccel_arg *w, size_t nw)
{
	(void)sess; (void)nr; (void)nw;
	int64_t m = vaccel_plugin_arg_i32(&r[0]), n = vaccel_plugin_arg_i32(&r[1]),
		k = vaccel_plugin_arg_i32(&r[2]);
	if (m < 1 || n < 1 || k < 1) {
		vaccel_error("torch_sgemm: M, N, K must be >= 1 (are %lld, %lld, %lld)",
			     (long long)m, (long long)n, (long long)k);
		return VACCEL_EINVAL;
	}
	uint64_t f = sizeof(float);
	if (r[3].size != (uint64_t)(m * k) * f || r[4].size != (uint64_t)(k * n) * f ||
	    (r[5].size && r[5].size != (uint64_t)(m * n) * f) || w[0].size != (uint64_t)(m * n) * f) {
		vaccel_error("torch_sgemm: A, B, C and out must hold M x K, K x N, M x N (or "
			     "none) and M x N floats");
		return VACCEL_EINVAL;
	}
	return VACCEL_OK;
}
