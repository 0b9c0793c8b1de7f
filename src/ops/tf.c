/* SPDX-License-Identifier: Apache-2.0 */
/*
 * vAccel's TensorFlow API: the buffer, node, tensor and status helpers, and
 * the entry points of the tf ops, which pack nodes and tensors by their
 * rows (node names in one arg, a descriptor array, one buffer per tensor)
 * and turn the plugin's answer or failure into vAccel's status.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "ops.h"

#define DESC_BYTES (VACCEL_TF_DESC_LEN * sizeof(int64_t))
#define MAX_TENSORS VACCEL_TF_MAX_TENSORS

/* ---- buffers ---- */

int vaccel_tf_buffer_init(struct vaccel_tf_buffer *buffer, void *data, size_t size)
{
	if (!buffer)
		return VACCEL_EINVAL;
	buffer->data = data;
	buffer->size = size;
	return VACCEL_OK;
}

int vaccel_tf_buffer_release(struct vaccel_tf_buffer *buffer)
{
	if (!buffer)
		return VACCEL_EINVAL;
	free(buffer->data);
	return vaccel_tf_buffer_init(buffer, NULL, 0);
}

int vaccel_tf_buffer_new(struct vaccel_tf_buffer **buffer, void *data, size_t size)
{
	if (!buffer)
		return VACCEL_EINVAL;
	if (!(*buffer = calloc(1, sizeof(**buffer))))
		return VACCEL_ENOMEM;
	return vaccel_tf_buffer_init(*buffer, data, size);
}

int vaccel_tf_buffer_delete(struct vaccel_tf_buffer *buffer)
{
	int ret = vaccel_tf_buffer_release(buffer);
	if (!ret)
		free(buffer);
	return ret;
}

int vaccel_tf_buffer_take_data(struct vaccel_tf_buffer *buffer, void **data, size_t *size)
{
	if (!buffer || !data || !size)
		return VACCEL_EINVAL;
	*data = buffer->data;
	*size = buffer->size;
	return vaccel_tf_buffer_init(buffer, NULL, 0);
}

/* ---- nodes ---- */

int vaccel_tf_node_init(struct vaccel_tf_node *node, const char *name, int id)
{
	if (!node || !name)
		return VACCEL_EINVAL;
	if (!(node->name = strdup(name)))
		return VACCEL_ENOMEM;
	node->id = id;
	return VACCEL_OK;
}

int vaccel_tf_node_release(struct vaccel_tf_node *node)
{
	if (!node)
		return VACCEL_EINVAL;
	free(node->name);
	node->name = NULL;
	node->id = 0;
	return VACCEL_OK;
}

int vaccel_tf_node_new(struct vaccel_tf_node **node, const char *name, int id)
{
	if (!node || !name)
		return VACCEL_EINVAL;
	if (!(*node = calloc(1, sizeof(**node))))
		return VACCEL_ENOMEM;
	int ret = vaccel_tf_node_init(*node, name, id);
	if (ret) {
		free(*node);
		*node = NULL;
	}
	return ret;
}

int vaccel_tf_node_delete(struct vaccel_tf_node *node)
{
	int ret = vaccel_tf_node_release(node);
	if (!ret)
		free(node);
	return ret;
}

/* ---- tensors ---- */

int vaccel_tf_tensor_init(struct vaccel_tf_tensor *tensor, int nr_dims, const int64_t *dims,
			  enum vaccel_tf_data_type type)
{
	if (!tensor || nr_dims < 1)
		return VACCEL_EINVAL;
	int64_t *d = calloc((size_t)nr_dims, sizeof(*d));
	if (!d)
		return VACCEL_ENOMEM;
	if (dims)
		memcpy(d, dims, (size_t)nr_dims * sizeof(*d));
	*tensor = (struct vaccel_tf_tensor){ .nr_dims = nr_dims, .dims = d, .data_type = type };
	return VACCEL_OK;
}

int vaccel_tf_tensor_release(struct vaccel_tf_tensor *tensor)
{
	if (!tensor)
		return VACCEL_EINVAL;
	free(tensor->dims);
	if (tensor->owned)
		free(tensor->data);
	*tensor = (struct vaccel_tf_tensor){ .data_type = tensor->data_type };
	return VACCEL_OK;
}

int vaccel_tf_tensor_new(struct vaccel_tf_tensor **tensor, int nr_dims, const int64_t *dims,
			 enum vaccel_tf_data_type type)
{
	if (!tensor)
		return VACCEL_EINVAL;
	if (!(*tensor = calloc(1, sizeof(**tensor))))
		return VACCEL_ENOMEM;
	int ret = vaccel_tf_tensor_init(*tensor, nr_dims, dims, type);
	if (ret) {
		free(*tensor);
		*tensor = NULL;
	}
	return ret;
}

int vaccel_tf_tensor_allocate(struct vaccel_tf_tensor **tensor, int nr_dims,
			      const int64_t *dims, enum vaccel_tf_data_type type,
			      size_t total_size)
{
	int ret = vaccel_tf_tensor_new(tensor, nr_dims, dims, type);
	if (ret || !total_size)
		return ret;
	if (!((*tensor)->data = calloc(1, total_size))) {
		vaccel_tf_tensor_delete(*tensor);
		*tensor = NULL;
		return VACCEL_ENOMEM;
	}
	(*tensor)->size = total_size;
	(*tensor)->owned = true;
	return VACCEL_OK;
}

int vaccel_tf_tensor_delete(struct vaccel_tf_tensor *tensor)
{
	int ret = vaccel_tf_tensor_release(tensor);
	if (!ret)
		free(tensor);
	return ret;
}

int vaccel_tf_tensor_set_data(struct vaccel_tf_tensor *tensor, void *data, size_t size)
{
	if (!tensor)
		return VACCEL_EINVAL;
	if (tensor->owned)
		vaccel_warn("tf: tensor_set_data: the tensor's own data is not freed now "
			    "(take it first)");
	tensor->data = data;
	tensor->size = size;
	tensor->owned = false;
	return VACCEL_OK;
}

int vaccel_tf_tensor_take_data(struct vaccel_tf_tensor *tensor, void **data, size_t *size)
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

/* ---- statuses ---- */

int vaccel_tf_status_init(struct vaccel_tf_status *status, uint8_t code, const char *message)
{
	if (!status)
		return VACCEL_EINVAL;
	status->code = code;
	status->message = NULL;
	if (message && !(status->message = strdup(message)))
		return VACCEL_ENOMEM;
	return VACCEL_OK;
}

int vaccel_tf_status_release(struct vaccel_tf_status *status)
{
	if (!status)
		return VACCEL_EINVAL;
	free(status->message);
	status->message = NULL;
	status->code = 0;
	return VACCEL_OK;
}

int vaccel_tf_status_new(struct vaccel_tf_status **status, uint8_t code, const char *message)
{
	if (!status)
		return VACCEL_EINVAL;
	if (!(*status = calloc(1, sizeof(**status))))
		return VACCEL_ENOMEM;
	int ret = vaccel_tf_status_init(*status, code, message);
	if (ret) {
		free(*status);
		*status = NULL;
	}
	return ret;
}

int vaccel_tf_status_delete(struct vaccel_tf_status *status)
{
	int ret = vaccel_tf_status_release(status);
	if (!ret)
		free(status);
	return ret;
}

/*
 * The caller's status from the op's outcome: the plugin's status bytes
 * when it ran, else the error and the reason logged (here, or by the
 * agent: its message is logged on this side).
 */
static int set_status(struct vaccel_tf_status *status, int ret, const char *bytes)
{
	if (!status)
		return ret;
	if (!ret)
		vaccel_tf_status_init(status, (uint8_t)bytes[0], bytes + 1);
	else
		vaccel_tf_status_init(status, (uint8_t)(ret > 255 ? 255 : ret),
				      *vaccel_log_last_error() ? vaccel_log_last_error()
							       : vaccel_strerror(ret));
	return ret;
}

/* ---- model_load, model_unload ---- */

static int model_op(vaccel_op_type_t op, struct vaccel_session *sess,
		    struct vaccel_resource *model, struct vaccel_tf_status *status)
{
	/* The status's reason is this call's last error, not an earlier one's. */
	vaccel_log_clear_last_error();
	if (!sess || !model)
		return set_status(status, VACCEL_EINVAL, NULL);
	int64_t id = model->id;
	char bytes[VACCEL_TF_STATUS_LEN] = "";
	struct vaccel_arg read[] = { OP_ARG(&id, 8, INT64) };
	struct vaccel_arg write[] = { OP_ARG(bytes, sizeof(bytes), RAW) };
	int ret = op_run(sess, op, read, 1, write, 1);
	bytes[sizeof(bytes) - 1] = '\0';
	return set_status(status, ret, bytes);
}

int vaccel_tf_model_load(struct vaccel_session *sess, struct vaccel_resource *model,
			 struct vaccel_tf_status *status)
{
	return model_op(VACCEL_OP_TF_MODEL_LOAD, sess, model, status);
}

int vaccel_tf_model_unload(struct vaccel_session *sess, struct vaccel_resource *model,
			   struct vaccel_tf_status *status)
{
	return model_op(VACCEL_OP_TF_MODEL_UNLOAD, sess, model, status);
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

/* read: model; write: status. */
int tf_model_check(struct vaccel_session *sess, struct vaccel_arg *r, size_t nr,
		   struct vaccel_arg *w, size_t nw)
{
	(void)nr; (void)w; (void)nw;
	return check_model(sess, &r[0], "tf_model_load");
}

/* ---- model_run ---- */

/* The bytes a described tensor holds; false for a bad description. */
static bool desc_bytes(const int64_t *d, size_t *bytes)
{
	return op_desc_bytes(d, vaccel_tf_data_type_size(d[0]), VACCEL_TF_MAX_DIMS, bytes);
}

/* Describe a caller's tensor; false (logged) when it is not well formed. */
static bool describe(const char *what, int i, const struct vaccel_tf_tensor *t, int64_t *d)
{
	size_t bytes;
	memset(d, 0, DESC_BYTES);
	if (!t || t->nr_dims < 1 || t->nr_dims > VACCEL_TF_MAX_DIMS || !t->dims) {
		vaccel_error("tf: %s %d: %s", what, i, !t ? "no tensor" : "must have 1..8 dims");
		return false;
	}
	d[0] = t->data_type;
	d[1] = t->nr_dims;
	memcpy(d + 2, t->dims, (size_t)t->nr_dims * sizeof(int64_t));
	if (!desc_bytes(d, &bytes)) {
		vaccel_error("tf: %s %d: data type %d has no fixed size, or a dim is negative",
			     what, i, (int)t->data_type);
		return false;
	}
	if (bytes != t->size || (bytes && !t->data)) {
		vaccel_error("tf: %s %d: its dims hold %zu bytes of data, the tensor has %zu",
			     what, i, bytes, t->data ? t->size : 0);
		return false;
	}
	return true;
}

/* "name:id\0" for each node, one after another (malloc'd); NULL (logged) when not. */
static char *pack_nodes(const char *what, const struct vaccel_tf_node *nodes, int n, size_t *len)
{
	size_t total = 0;
	for (int i = 0; i < n; i++) {
		if (!nodes[i].name || !*nodes[i].name || strchr(nodes[i].name, ':') ||
		    nodes[i].id < 0) {
			vaccel_error("tf_model_run: %s node %d: needs a name without ':' and an "
				     "id >= 0", what, i);
			return NULL;
		}
		total += strlen(nodes[i].name) + 13;
	}
	char *buf = malloc(total ? total : 1), *p = buf;
	for (int i = 0; buf && i < n; i++)
		p += sprintf(p, "%s:%d", nodes[i].name, nodes[i].id) + 1;
	*len = buf ? (size_t)(p - buf) : 0;
	return buf;
}

/* The outputs as new tensors, from the descriptors and the buffers. */
static int take_outputs(const int64_t *desc, void **bufs, const size_t *cap, int n,
			struct vaccel_tf_tensor **outputs)
{
	for (int i = 0; i < n; i++) {
		const int64_t *d = desc + i * VACCEL_TF_DESC_LEN;
		size_t bytes;
		if (!desc_bytes(d, &bytes) || bytes > cap[i]) {
			vaccel_error("tf_model_run: output %d: the plugin described a bad tensor", i);
			return VACCEL_EIO;
		}
		int ret = vaccel_tf_tensor_new(&outputs[i], (int)d[1], d + 2,
					       (enum vaccel_tf_data_type)d[0]);
		if (ret)
			return ret;
		outputs[i]->data = bufs[i];
		outputs[i]->size = bytes;
		outputs[i]->owned = true;
		bufs[i] = NULL;
	}
	return VACCEL_OK;
}

/* One call's lists: what run_once packs. */
struct run_call {
	int64_t id;
	const struct vaccel_tf_buffer *opts;
	const char *in_nodes, *out_nodes;
	size_t in_len, out_len;
	struct vaccel_tf_tensor *const *inputs;
	int nin, nout;
	int64_t in_desc[MAX_TENSORS * VACCEL_TF_DESC_LEN];
	int64_t out_desc[MAX_TENSORS * VACCEL_TF_DESC_LEN];
	char status[VACCEL_TF_STATUS_LEN];
	void *bufs[MAX_TENSORS];
	size_t cap[MAX_TENSORS];
};

static int run_once(struct vaccel_session *sess, struct run_call *c)
{
	struct vaccel_arg read[5 + MAX_TENSORS], write[2 + MAX_TENSORS];
	read[0] = OP_ARG(&c->id, 8, INT64);
	read[1] = OP_ARG(c->opts ? c->opts->data : NULL, c->opts && c->opts->data ? c->opts->size : 0,
			 RAW);
	read[2] = OP_ARG(c->in_nodes, c->in_len, RAW);
	read[3] = OP_ARG(c->out_nodes, c->out_len, RAW);
	read[4] = OP_ARG(c->in_desc, (size_t)c->nin * DESC_BYTES, INT64_ARRAY);
	for (int i = 0; i < c->nin; i++)
		read[5 + i] = OP_ARG(c->inputs[i]->data, c->inputs[i]->size, RAW);
	write[0] = OP_ARG(c->status, sizeof(c->status), RAW);
	write[1] = OP_ARG(c->out_desc, (size_t)c->nout * DESC_BYTES, INT64_ARRAY);
	for (int i = 0; i < c->nout; i++)
		write[2 + i] = OP_ARG(c->bufs[i], c->cap[i], RAW);
	memset(c->out_desc, 0, (size_t)c->nout * DESC_BYTES);
	return op_run(sess, VACCEL_OP_TF_MODEL_RUN, read, 5 + (size_t)c->nin, write,
		      2 + (size_t)c->nout);
}

/* Run with output buffers of cap[i] bytes; on ENOBUFS once more, sized as described. */
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
			if (!desc_bytes(c->out_desc + i * VACCEL_TF_DESC_LEN, &c->cap[i]))
				return VACCEL_EIO;
		}
		ret = VACCEL_OK;
	}
	if (ret == VACCEL_ENOBUFS) {
		vaccel_error("tf_model_run: the outputs outgrew their buffers twice");
		ret = VACCEL_EIO;
	}
	return ret;
}

static int run_checked(struct vaccel_session *sess, struct run_call *c,
		       const struct vaccel_tf_node *in_nodes, const struct vaccel_tf_node *out_nodes,
		       struct vaccel_tf_tensor **outputs)
{
	size_t largest = 64;
	char *in = NULL, *out = NULL;
	for (int i = 0; i < c->nin; i++) {
		if (!describe("input", i, c->inputs[i], c->in_desc + i * VACCEL_TF_DESC_LEN))
			return VACCEL_EINVAL;
		if (c->inputs[i]->size > largest)
			largest = c->inputs[i]->size;
	}
	for (int i = 0; i < c->nout; i++)
		c->cap[i] = largest;
	int ret = VACCEL_EINVAL;
	if ((in = pack_nodes("input", in_nodes, c->nin, &c->in_len)) &&
	    (out = pack_nodes("output", out_nodes, c->nout, &c->out_len))) {
		c->in_nodes = in;
		c->out_nodes = out;
		ret = run_sized(sess, c);
	}
	if (!ret)
		ret = take_outputs(c->out_desc, c->bufs, c->cap, c->nout, outputs);
	for (int i = 0; i < c->nout; i++) {
		free(c->bufs[i]);
		if (ret && outputs[i]) {
			vaccel_tf_tensor_delete(outputs[i]);
			outputs[i] = NULL;
		}
	}
	free(in);
	free(out);
	return ret;
}

int vaccel_tf_model_run(struct vaccel_session *sess, struct vaccel_resource *model,
			const struct vaccel_tf_buffer *run_options,
			const struct vaccel_tf_node *in_nodes,
			struct vaccel_tf_tensor *const *in_tensors, int nr_inputs,
			const struct vaccel_tf_node *out_nodes,
			struct vaccel_tf_tensor **out_tensors, int nr_outputs,
			struct vaccel_tf_status *status)
{
	vaccel_log_clear_last_error();
	if (!sess || !model || !in_nodes || !in_tensors || !out_nodes || !out_tensors ||
	    nr_inputs < 1 || nr_outputs < 1 || nr_inputs + nr_outputs > MAX_TENSORS) {
		vaccel_error("tf_model_run: needs a session, a model, 1 or more input and "
			     "output nodes and tensors, %d tensors at most", MAX_TENSORS);
		return set_status(status, VACCEL_EINVAL, NULL);
	}
	struct run_call *c = calloc(1, sizeof(*c));
	if (!c)
		return set_status(status, VACCEL_ENOMEM, NULL);
	*c = (struct run_call){ .id = model->id, .opts = run_options, .inputs = in_tensors,
				.nin = nr_inputs, .nout = nr_outputs };
	for (int i = 0; i < nr_outputs; i++)
		out_tensors[i] = NULL;
	int ret = run_checked(sess, c, in_nodes, out_nodes, out_tensors);
	c->status[sizeof(c->status) - 1] = '\0';
	ret = set_status(status, ret, c->status);
	free(c);
	return ret;
}

/* Whether `buf` holds exactly n NUL-terminated, non-empty strings. */
static bool node_list(const struct vaccel_arg *a, size_t n)
{
	const char *p = a->buf, *end = p + a->size;
	size_t count = 0;
	while (p < end) {
		const char *nul = memchr(p, '\0', (size_t)(end - p));
		if (!nul || nul == p)
			return false;
		count++;
		p = nul + 1;
	}
	return count == n;
}

/*
 * read: model, run_options, in_nodes, out_nodes, in_desc, one buffer per
 * input; write: status, out_desc, one buffer per output.
 */
int tf_run_check(struct vaccel_session *sess, struct vaccel_arg *r, size_t nr,
		 struct vaccel_arg *w, size_t nw)
{
	size_t nin = r[4].size / DESC_BYTES, nout = w[1].size / DESC_BYTES;
	if (nin + nout > MAX_TENSORS || nin + 5 != nr || nout + 2 != nw || !nin || !nout) {
		vaccel_error("tf_model_run: %zu input and %zu output descriptions for %zu and "
			     "%zu tensor args (1..%d in all)", nin, nout, nr > 5 ? nr - 5 : 0,
			     nw > 2 ? nw - 2 : 0, MAX_TENSORS);
		return VACCEL_EINVAL;
	}
	if (!node_list(&r[2], nin) || !node_list(&r[3], nout)) {
		vaccel_error("tf_model_run: the node lists do not name %zu inputs and %zu outputs",
			     nin, nout);
		return VACCEL_EINVAL;
	}
	for (size_t i = 0; i < nin; i++) {
		int64_t d[VACCEL_TF_DESC_LEN];
		size_t bytes;
		memcpy(d, (const char *)r[4].buf + i * DESC_BYTES, DESC_BYTES);
		if (!desc_bytes(d, &bytes) || bytes != r[5 + i].size) {
			vaccel_error("tf_model_run: input %zu: a bad description, or its data (%zu "
				     "bytes) is not what its dims hold", i, r[5 + i].size);
			return VACCEL_EINVAL;
		}
	}
	for (size_t i = 2; i < nw; i++)
		if (w[i].type == VACCEL_ARG_STRING || (w[i].size && !w[i].buf))
			return VACCEL_EINVAL;
	return check_model(sess, &r[0], "tf_model_run");
}
