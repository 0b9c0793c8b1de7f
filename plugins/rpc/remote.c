/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The client side shared by the transports (rpc, virtio): every op of the
 * API is sent to the agent as a genop-encoded request on the process's
 * channel. Sessions map to remote sessions; resources are uploaded on
 * first use and registered to the remote session. The transport provides
 * the channel (remote.h).
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <vaccel/infer.h>
#include <vaccel/vision.h>
#include "remote.h"

/* The process's channel, shared by its sessions; replaced once dead. */
static struct chan *shared;
static pthread_mutex_t shared_lock = PTHREAD_MUTEX_INITIALIZER;

extern const struct vaccel_plugin vaccel_plugin_descriptor;
#define SELF (&vaccel_plugin_descriptor)

struct uploaded {
	const struct vaccel_resource *res;
	vaccel_id_t local_id;
	int64_t remote_id;
	vaccel_resource_type_t type;
	bool registered;    /* to the remote session, now */
};

/* A model the caller named by path: uploaded as a resource we own. */
struct path_model {
	char *path;
	struct vaccel_resource *res;
};

struct rpc_session {
	struct chan *conn;
	int64_t remote_id;
	pthread_mutex_t lock;
	struct uploaded *res;
	size_t nres;
	struct path_model *models;
	size_t nmodels;
};

void remote_fini(void)
{
	pthread_mutex_lock(&shared_lock);
	if (shared)
		chan_put(shared);
	shared = NULL;
	pthread_mutex_unlock(&shared_lock);
}

/* The shared connection, reconnecting if the last one died. */
static int get_conn(struct chan **out)
{
	int ret = VACCEL_OK;
	pthread_mutex_lock(&shared_lock);
	if (shared && !chan_alive(shared)) {
		chan_put(shared);
		shared = NULL;
	}
	if (!shared)
		ret = chan_open(&shared);
	if (!ret) {
		chan_get(shared);
		*out = shared;
	}
	pthread_mutex_unlock(&shared_lock);
	return ret;
}

int remote_session_init(struct vaccel_session *sess)
{
	struct rpc_session *s = calloc(1, sizeof(*s));
	if (!s)
		return VACCEL_ENOMEM;
	int ret = get_conn(&s->conn);
	if (ret) {
		free(s);
		return ret;
	}
	uint32_t flags = sess->hint;
	struct vaccel_wire_out args[] = { rpc_u32(&flags) };
	struct rpc_in dst[] = { { &s->remote_id, 8 } };
	ret = chan_call(s->conn, VACCEL_WIRE_SESSION_NEW, args, 1, dst, 1);
	if (ret) {
		chan_put(s->conn);
		free(s);
		return ret;
	}
	pthread_mutex_init(&s->lock, NULL);
	vaccel_session_set_plugin_data(sess, SELF, s);
	vaccel_debug("%s: session %lld is remote session %lld", remote_name, (long long)sess->id,
		     (long long)s->remote_id);
	return VACCEL_OK;
}

void remote_session_release(struct vaccel_session *sess)
{
	struct rpc_session *s = vaccel_session_get_plugin_data(sess, SELF);
	if (!s)
		return;
	/* The remote session goes first: it unregisters the uploads. A dead
	 * connection took everything with it on the agent's side already. */
	struct vaccel_wire_out args[] = { rpc_i64(&s->remote_id) };
	bool alive = chan_alive(s->conn);
	if (alive)
		chan_call(s->conn, VACCEL_WIRE_SESSION_RELEASE, args, 1, NULL, 0);
	for (size_t i = 0; alive && i < s->nres; i++) {
		struct vaccel_wire_out r[] = { rpc_i64(&s->res[i].remote_id) };
		chan_call(s->conn, VACCEL_WIRE_RESOURCE_RELEASE, r, 1, NULL, 0);
	}
	free(s->res);
	for (size_t i = 0; i < s->nmodels; i++) {
		vaccel_resource_delete(s->models[i].res);
		free(s->models[i].path);
	}
	free(s->models);
	chan_put(s->conn);
	pthread_mutex_destroy(&s->lock);
	free(s);
	vaccel_session_set_plugin_data(sess, SELF, NULL);
}

struct chan *remote_session_chan(struct vaccel_session *sess)
{
	struct rpc_session *s = vaccel_session_get_plugin_data(sess, SELF);
	return s ? s->conn : NULL;
}

static struct rpc_session *session_of(struct vaccel_session *sess)
{
	struct rpc_session *s = vaccel_session_get_plugin_data(sess, SELF);
	if (!s)
		vaccel_error("%s: session %lld has no remote session", remote_name, (long long)sess->id);
	return s;
}

/*
 * Send a genop: [remote session, op, reads...] with writes; write args
 * with `send_write_data` also carry their current contents (in/out).
 */
static int genop(struct vaccel_session *sess, uint32_t op, const struct vaccel_wire_out *reads,
		 size_t nr, struct vaccel_arg *writes, size_t nw, bool send_write_data)
{
	struct rpc_session *s = session_of(sess);
	if (!s)
		return VACCEL_EINVAL;
	if (2 + nr + nw > VACCEL_WIRE_MAX_ARGS)
		return VACCEL_EINVAL;
	struct vaccel_wire_out args[VACCEL_WIRE_MAX_ARGS];
	struct rpc_in dst[VACCEL_WIRE_MAX_ARGS];
	size_t n = 0;
	args[n++] = rpc_i64(&s->remote_id);
	args[n++] = rpc_u32(&op);
	for (size_t i = 0; i < nr; i++)
		args[n++] = reads[i];
	for (size_t i = 0; i < nw; i++) {
		uint32_t flags = VACCEL_WIRE_ARG_WRITE | (send_write_data ? VACCEL_WIRE_ARG_DATA : 0);
		args[n++] = (struct vaccel_wire_out){ writes[i].type, flags, writes[i].buf, writes[i].size };
		dst[i] = (struct rpc_in){ writes[i].buf, writes[i].size };
	}
	return chan_call(s->conn, VACCEL_WIRE_GENOP, args, n, dst, nw);
}

static struct vaccel_wire_out data_arg(uint32_t type, const void *p, uint64_t size)
{
	return (struct vaccel_wire_out){ type, VACCEL_WIRE_ARG_DATA, p, size };
}

int remote_noop(struct vaccel_session *sess)
{
	return genop(sess, VACCEL_OP_NOOP, NULL, 0, NULL, 0, false);
}

/* Bytes a row-major rows x cols matrix with leading dimension ld spans. */
static uint64_t span(int64_t rows, int64_t cols, int64_t ld)
{
	return rows && cols ? ((uint64_t)(rows - 1) * (uint64_t)ld + (uint64_t)cols) * sizeof(float) : 0;
}

int remote_sgemm(struct vaccel_session *sess, int64_t m, int64_t n, int64_t k, float alpha,
		     float *a, int64_t lda, float *b, int64_t ldb, float beta, float *c, int64_t ldc)
{
	struct vaccel_wire_out r[] = {
		data_arg(VACCEL_ARG_INT64, &m, 8), data_arg(VACCEL_ARG_INT64, &n, 8),
		data_arg(VACCEL_ARG_INT64, &k, 8), data_arg(VACCEL_ARG_FLOAT32, &alpha, 4),
		data_arg(VACCEL_ARG_FLOAT32_ARRAY, a, span(m, k, lda)),
		data_arg(VACCEL_ARG_INT64, &lda, 8),
		data_arg(VACCEL_ARG_FLOAT32_ARRAY, b, span(k, n, ldb)),
		data_arg(VACCEL_ARG_INT64, &ldb, 8), data_arg(VACCEL_ARG_FLOAT32, &beta, 4),
		data_arg(VACCEL_ARG_INT64, &ldc, 8),
	};
	struct vaccel_arg w[] = { { c, span(m, n, ldc), VACCEL_ARG_FLOAT32_ARRAY, false } };
	/* C is read only when beta != 0 (or padding must survive): send it then. */
	bool send_c = beta != 0.0f || ldc != n;
	return genop(sess, VACCEL_OP_BLAS_SGEMM, r, 10, w, 1, send_c);
}

static int reads_of(struct vaccel_arg *read, size_t nr_read, struct vaccel_wire_out *out, size_t max)
{
	if (nr_read > max)
		return VACCEL_EINVAL;
	for (size_t i = 0; i < nr_read; i++)
		out[i] = data_arg(read[i].type, read[i].buf, read[i].size);
	return VACCEL_OK;
}

int remote_exec(struct vaccel_session *sess, const char *library, const char *fn_symbol,
		    struct vaccel_arg *read, size_t nr_read, struct vaccel_arg *write, size_t nr_write)
{
	struct vaccel_wire_out r[VACCEL_WIRE_MAX_ARGS];
	r[0] = data_arg(VACCEL_ARG_STRING, library, strlen(library) + 1);
	r[1] = data_arg(VACCEL_ARG_STRING, fn_symbol, strlen(fn_symbol) + 1);
	if (reads_of(read, nr_read, r + 2, VACCEL_WIRE_MAX_ARGS - 4))
		return VACCEL_EINVAL;
	return genop(sess, VACCEL_OP_EXEC, r, 2 + nr_read, write, nr_write, false);
}

/* Upload the resource to the agent once per session and register it there. */
static int remote_resource(struct vaccel_session *sess, struct rpc_session *s,
			   struct vaccel_resource *res, int64_t *remote);

/*
 * Before an image op: the remote session's model resources mirror the local
 * session's. The model registered here (if any) is uploaded and registered
 * there; models that are not (e.g. infer's, named by path) are unregistered
 * there, so that the agent's plugin takes the one the application chose.
 */
static int sync_model(struct vaccel_session *sess, struct rpc_session *s)
{
	struct vaccel_resource *m = vaccel_session_find_resource(sess, VACCEL_RESOURCE_MODEL);
	int64_t ids[VACCEL_WIRE_MAX_ARGS];
	size_t n = 0;
	pthread_mutex_lock(&s->lock);
	for (size_t i = 0; i < s->nres && n < VACCEL_WIRE_MAX_ARGS; i++) {
		struct uploaded *u = &s->res[i];
		if (u->type == VACCEL_RESOURCE_MODEL && u->registered && u->res != m) {
			u->registered = false;
			ids[n++] = u->remote_id;
		}
	}
	pthread_mutex_unlock(&s->lock);
	for (size_t i = 0; i < n; i++) {
		struct vaccel_wire_out reg[] = { rpc_i64(&ids[i]), rpc_i64(&s->remote_id) };
		chan_call(s->conn, VACCEL_WIRE_RESOURCE_UNREGISTER, reg, 2, NULL, 0);
	}
	int64_t remote;
	return m ? remote_resource(sess, s, m, &remote) : VACCEL_OK;
}

static int remote_resource(struct vaccel_session *sess, struct rpc_session *s,
			   struct vaccel_resource *res, int64_t *remote)
{
	pthread_mutex_lock(&s->lock);
	for (size_t i = 0; i < s->nres; i++) {
		struct uploaded *u = &s->res[i];
		if (u->res == res && u->local_id == res->id) {
			*remote = u->remote_id;
			bool again = !u->registered;
			u->registered = true;
			pthread_mutex_unlock(&s->lock);
			if (!again)
				return VACCEL_OK;
			struct vaccel_wire_out reg[] = { rpc_i64(remote), rpc_i64(&s->remote_id) };
			return chan_call(s->conn, VACCEL_WIRE_RESOURCE_REGISTER, reg, 2, NULL, 0);
		}
	}
	pthread_mutex_unlock(&s->lock);
	const void *data;
	size_t size;
	int ret = vaccel_resource_bytes(res, &data, &size);
	if (ret)
		return ret;
	const char *path = vaccel_resource_path(res);
	const char *name = path && strrchr(path, '/') ? strrchr(path, '/') + 1 : path ? path : "resource";
	uint32_t type = res->type;
	struct vaccel_wire_out args[] = { rpc_u32(&type), data_arg(VACCEL_ARG_STRING, name, strlen(name) + 1),
				  data_arg(VACCEL_ARG_BUFFER, data, size) };
	struct rpc_in dst[] = { { remote, 8 } };
	if ((ret = chan_call(s->conn, VACCEL_WIRE_RESOURCE_NEW, args, 3, dst, 1)))
		return ret;
	struct vaccel_wire_out reg[] = { rpc_i64(remote), rpc_i64(&s->remote_id) };
	if ((ret = chan_call(s->conn, VACCEL_WIRE_RESOURCE_REGISTER, reg, 2, NULL, 0))) {
		chan_call(s->conn, VACCEL_WIRE_RESOURCE_RELEASE, reg, 1, NULL, 0);
		return ret;
	}
	pthread_mutex_lock(&s->lock);
	struct uploaded *u = realloc(s->res, (s->nres + 1) * sizeof(*u));
	if (u) {
		s->res = u;
		s->res[s->nres++] = (struct uploaded){ res, res->id, *remote, res->type, true };
	}
	pthread_mutex_unlock(&s->lock);
	(void)sess;
	return u ? VACCEL_OK : VACCEL_ENOMEM;
}

int remote_exec_res(struct vaccel_session *sess, struct vaccel_resource *res,
			const char *fn_symbol, struct vaccel_arg *read, size_t nr_read,
			struct vaccel_arg *write, size_t nr_write)
{
	struct rpc_session *s = session_of(sess);
	int64_t remote;
	if (!s)
		return VACCEL_EINVAL;
	int ret = remote_resource(sess, s, res, &remote);
	if (ret)
		return ret;
	struct vaccel_wire_out r[VACCEL_WIRE_MAX_ARGS];
	r[0] = data_arg(VACCEL_ARG_INT64, &remote, 8);
	r[1] = data_arg(VACCEL_ARG_STRING, fn_symbol, strlen(fn_symbol) + 1);
	if (reads_of(read, nr_read, r + 2, VACCEL_WIRE_MAX_ARGS - 4))
		return VACCEL_EINVAL;
	return genop(sess, VACCEL_OP_EXEC_WITH_RESOURCE, r, 2 + nr_read, write, nr_write, false);
}

/* An image op: the session's model resource goes along, then the genop. */
static int image_genop(struct vaccel_session *sess, uint32_t op, const struct vaccel_wire_out *r,
		       size_t nr, struct vaccel_arg *w, size_t nw)
{
	struct rpc_session *s = session_of(sess);
	int ret = s ? sync_model(sess, s) : VACCEL_EINVAL;
	return ret ? ret : genop(sess, op, r, nr, w, nw, false);
}

int remote_classify(struct vaccel_session *sess, const void *img, unsigned char *out_text,
			unsigned char *out_imgname, size_t len_img, size_t len_out_text,
			size_t len_out_imgname)
{
	struct vaccel_wire_out r[] = { data_arg(VACCEL_ARG_RAW, img, len_img) };
	struct vaccel_arg w[] = { { out_text, len_out_text, VACCEL_ARG_UCHAR_ARRAY, false },
				  { out_imgname, len_out_imgname, VACCEL_ARG_UCHAR_ARRAY, false } };
	return image_genop(sess, VACCEL_OP_IMAGE_CLASSIFY, r, 1, w, 2);
}

static int image_op(struct vaccel_session *sess, uint32_t op, const void *img,
		    unsigned char *out_imgname, size_t len_img, size_t len_out_imgname)
{
	struct vaccel_wire_out r[] = { data_arg(VACCEL_ARG_RAW, img, len_img) };
	struct vaccel_arg w[] = { { out_imgname, len_out_imgname, VACCEL_ARG_UCHAR_ARRAY, false } };
	return image_genop(sess, op, r, 1, w, 1);
}

int remote_detect(struct vaccel_session *s, const void *i, unsigned char *o, size_t l, size_t lo)
{
	return image_op(s, VACCEL_OP_IMAGE_DETECT, i, o, l, lo);
}

int remote_segment(struct vaccel_session *s, const void *i, unsigned char *o, size_t l, size_t lo)
{
	return image_op(s, VACCEL_OP_IMAGE_SEGMENT, i, o, l, lo);
}

int remote_pose(struct vaccel_session *s, const void *i, unsigned char *o, size_t l, size_t lo)
{
	return image_op(s, VACCEL_OP_IMAGE_POSE, i, o, l, lo);
}

int remote_depth(struct vaccel_session *s, const void *i, unsigned char *o, size_t l, size_t lo)
{
	return image_op(s, VACCEL_OP_IMAGE_DEPTH, i, o, l, lo);
}

/* genop: read [task, image]; write [text, image bytes, uint64 image size]. */
int remote_analyze(struct vaccel_session *sess, vaccel_op_type_t task, const void *img,
		       size_t len_img, char *out_text, size_t len_out_text,
		       unsigned char *out_img, size_t len_out_img, size_t *out_img_size)
{
	uint32_t t = task;
	uint64_t size = 0;
	struct vaccel_wire_out r[] = { rpc_u32(&t), data_arg(VACCEL_ARG_RAW, img, len_img) };
	struct vaccel_arg w[] = { { out_text, len_out_text, VACCEL_ARG_CHAR_ARRAY, false },
				  { out_img, len_out_img, VACCEL_ARG_UCHAR_ARRAY, false },
				  { &size, 8, VACCEL_ARG_UINT64, false } };
	int ret = image_genop(sess, VACCEL_OP_IMAGE_ANALYZE, r, 2, w, 3);
	if (out_img_size)
		*out_img_size = (size_t)size;
	return ret;
}

/* The resource holding the model at `path`, created once per session. */
static struct vaccel_resource *model_resource(struct rpc_session *s, const char *path)
{
	struct vaccel_resource *res = NULL;
	pthread_mutex_lock(&s->lock);
	for (size_t i = 0; i < s->nmodels && !res; i++)
		if (!strcmp(s->models[i].path, path))
			res = s->models[i].res;
	if (!res && !vaccel_resource_new(&res, path, VACCEL_RESOURCE_MODEL)) {
		struct path_model *m = realloc(s->models, (s->nmodels + 1) * sizeof(*m));
		char *copy = strdup(path);
		if (m && copy) {
			s->models = m;
			s->models[s->nmodels++] = (struct path_model){ copy, res };
		} else {
			free(copy);
			if (m)
				s->models = m;
			vaccel_resource_delete(res);
			res = NULL;
		}
	}
	pthread_mutex_unlock(&s->lock);
	return res;
}

/*
 * The model always travels as an uploaded resource (the agent never opens
 * a path a client names); genop: read [model "resource:ID", output name,
 * dims, data]; write [shape, output data].
 */
int remote_infer(struct vaccel_session *sess, const char *model,
		     struct vaccel_resource *model_res, const char *out_name,
		     const struct vaccel_tensor *in, struct vaccel_tensor *out)
{
	struct rpc_session *s = session_of(sess);
	int64_t remote;
	if (!s)
		return VACCEL_EINVAL;
	struct vaccel_resource *res = model_res ? model_res : model_resource(s, model);
	if (!res)
		return VACCEL_ENOENT;
	int ret = remote_resource(sess, s, res, &remote);
	if (ret)
		return ret;
	char name[40];
	snprintf(name, sizeof(name), "resource:%lld", (long long)remote);
	const char *oname = out_name ? out_name : "";
	int64_t shape[1 + VACCEL_TENSOR_MAX_DIMS] = { 0 };
	struct vaccel_wire_out r[] = {
		data_arg(VACCEL_ARG_STRING, name, strlen(name) + 1),
		data_arg(VACCEL_ARG_STRING, oname, strlen(oname) + 1),
		data_arg(VACCEL_ARG_INT64_ARRAY, in->dims, in->ndims * sizeof(int64_t)),
		data_arg(VACCEL_ARG_FLOAT32_ARRAY, in->data, in->count * sizeof(float)),
	};
	struct vaccel_arg w[] = { { shape, sizeof(shape), VACCEL_ARG_INT64_ARRAY, false },
				  { out->data, out->count * sizeof(float), VACCEL_ARG_FLOAT32_ARRAY, false } };
	ret = genop(sess, VACCEL_OP_TENSOR_INFER, r, 4, w, 2, false);
	if (!ret || ret == VACCEL_ENOBUFS) {
		out->ndims = shape[0] > 0 && shape[0] <= VACCEL_TENSOR_MAX_DIMS ? (size_t)shape[0] : 0;
		memcpy(out->dims, shape + 1, sizeof(out->dims));
		/* As a local plugin does: count becomes the elements produced. */
		size_t n = out->ndims ? 1 : 0;
		for (size_t i = 0; i < out->ndims; i++)
			n *= shape[1 + i] > 0 ? (size_t)shape[1 + i] : 0;
		if ((!ret && n <= out->count) || ret == VACCEL_ENOBUFS)
			out->count = n;
	}
	return ret;
}

