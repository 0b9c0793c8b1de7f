/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The remote plugin, for every channel (rpc, virtio): every op of the op
 * table is sent to the agent as a genop request on the instance's
 * channel, encoded by the op's row with no per-op code. Sessions map to
 * remote sessions; resources are uploaded on first use and registered to
 * the remote session; a host file an op names travels as a resource. The
 * channel is the kind the instance's address names (chan.h).
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <vaccel/agent.h>
#include "wire/socket.h"
#include "wire/virtio.h"
#include "transport/remote.h"
#include "internal.h"

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
	const struct chan_ops *ops;  /* the conn's transport */
	int64_t remote_id;
	pthread_mutex_t lock;
	struct uploaded *res;
	size_t nres;
	struct path_model *models;
	size_t nmodels;
};

const char *remote_address(const struct vaccel_plugin_options *opts, const char *env,
			   const int *live)
{
	const char *value = getenv(env);
	bool first = __atomic_load_n(live, __ATOMIC_RELAXED) == 0;
	return first && value && *value ? value : vaccel_plugin_option(opts, "address");
}

int remote_new(const char *name, const char *address, int *live, struct remote **out)
{
	struct remote *r = calloc(1, sizeof(*r));
	if (!r)
		return VACCEL_ENOMEM;
	r->name = name;
	r->chan = chan_kind(address);
	r->live = live;
	__atomic_add_fetch(live, 1, __ATOMIC_RELAXED);
	snprintf(r->address, sizeof(r->address), "%s", address);
	pthread_mutex_init(&r->lock, NULL);
	*out = r;
	return VACCEL_OK;
}

bool remote_other_address(const char *address, const struct chan_ops *own)
{
	const struct chan_ops *kind = address ? chan_kind(address) : NULL;
	struct remote *r;
	if (!kind || kind == own || strlen(address) >= sizeof(r->address))
		return false;
	struct vaccel_addr a;
	const char *why;
	return kind != &socket_chan || !vaccel_addr_parse(address, &a, &why);
}

const char *const remote_option_keys[] = { "address", "timeout-ms", "token-file", "spin-us",
					    NULL };

int remote_options(struct remote *r, const struct vaccel_plugin_options *opts)
{
	long timeout_ms = 30000, spin_us = VIRTIO_DEFAULT_SPIN_US;
	int ret = vaccel_plugin_option_long(opts, "timeout-ms", 30000, 1, 86400000L, &timeout_ms);
	if (!ret)
		ret = vaccel_plugin_option_long(opts, "spin-us", VIRTIO_DEFAULT_SPIN_US, 0, 1000000L,
						&spin_us);
	const char *tf = vaccel_plugin_option(opts, "token-file");
	if (!ret && tf && (ret = vaccel_token_read(tf, &r->token))) {
		vaccel_plugin_option_error(opts, "token-file", "%s: %s", tf,
					   ret == VACCEL_EINVAL ? "empty" : strerror(ret));
		ret = VACCEL_EINVAL;
	}
	r->opts = (struct chan_options){ .token = r->token, .timeout_ms = (int)timeout_ms,
					 .spin_us = (unsigned)spin_us };
	return ret;
}

void remote_free(void *ctx)
{
	struct remote *r = ctx;
	__atomic_sub_fetch(r->live, 1, __ATOMIC_RELAXED);
	if (r->shared)
		r->chan->put(r->shared);
	pthread_mutex_destroy(&r->lock);
	free(r->token);
	free(r);
}

static int open_chan(struct remote *r, struct chan **out)
{
	char err[512];
	int ret = r->chan->open(r->address, &r->opts, out, err, sizeof(err));
	if (ret)
		vaccel_error("%s: cannot reach the agent: %s", r->name, err);
	return ret;
}

/* The instance's connection, reconnecting if the last one died. */
static int get_conn(struct remote *r, struct chan **out)
{
	int ret = VACCEL_OK;
	pthread_mutex_lock(&r->lock);
	if (r->shared && !r->chan->probe(r->shared)) {
		r->chan->put(r->shared);
		r->shared = NULL;
	}
	if (!r->shared)
		ret = open_chan(r, &r->shared);
	if (!ret) {
		r->chan->get(r->shared);
		*out = r->shared;
	}
	pthread_mutex_unlock(&r->lock);
	return ret;
}

int remote_session_init(void *ctx, struct vaccel_session *sess)
{
	struct remote *r = ctx;
	struct rpc_session *s = calloc(1, sizeof(*s));
	if (!s)
		return VACCEL_ENOMEM;
	s->ops = r->chan;
	int ret = get_conn(r, &s->conn);
	if (ret) {
		free(s);
		return ret;
	}
	/* The agent's session picks its plugins by the type bits; REMOTE was ours. */
	uint32_t flags = sess->hint & ~(uint32_t)VACCEL_PLUGIN_REMOTE;
	struct vaccel_wire_out args[] = { rpc_u32(&flags) };
	struct rpc_in dst[] = { { &s->remote_id, 8 } };
	ret = s->ops->call(s->conn, VACCEL_WIRE_SESSION_NEW, args, 1, dst, 1);
	if (ret) {
		s->ops->put(s->conn);
		free(s);
		return ret;
	}
	pthread_mutex_init(&s->lock, NULL);
	vaccel_session_set_plugin_data(sess, r, s);
	vaccel_debug("%s: session %lld is remote session %lld at %s", r->name, (long long)sess->id,
		     (long long)s->remote_id, r->address);
	return VACCEL_OK;
}

void remote_session_release(void *ctx, struct vaccel_session *sess)
{
	struct rpc_session *s = vaccel_session_get_plugin_data(sess, ctx);
	if (!s)
		return;
	/* The remote session goes first: it unregisters the uploads. A dead
	 * connection took everything with it on the agent's side already. */
	struct vaccel_wire_out args[] = { rpc_i64(&s->remote_id) };
	bool alive = s->ops->probe(s->conn);
	if (alive)
		s->ops->call(s->conn, VACCEL_WIRE_SESSION_RELEASE, args, 1, NULL, 0);
	for (size_t i = 0; alive && i < s->nres; i++) {
		struct vaccel_wire_out r[] = { rpc_i64(&s->res[i].remote_id) };
		s->ops->call(s->conn, VACCEL_WIRE_RESOURCE_RELEASE, r, 1, NULL, 0);
	}
	free(s->res);
	for (size_t i = 0; i < s->nmodels; i++) {
		vaccel_resource_delete(s->models[i].res);
		free(s->models[i].path);
	}
	free(s->models);
	s->ops->put(s->conn);
	pthread_mutex_destroy(&s->lock);
	free(s);
	vaccel_session_set_plugin_data(sess, ctx, NULL);
}

void *remote_shm_alloc(void *ctx, struct vaccel_session *sess, size_t size)
{
	struct remote *r = ctx;
	struct rpc_session *s = vaccel_session_get_plugin_data(sess, r);
	void *mem = NULL;
	/* A virtio instance at a socket address: that channel copies anyway. */
	if (!r->chan->alloc)
		return posix_memalign(&mem, 64, size) ? NULL : mem;
	return s ? r->chan->alloc(s->conn, size) : NULL;
}

int remote_shm_free(void *ctx, struct vaccel_session *sess, void *p)
{
	struct remote *r = ctx;
	struct rpc_session *s = vaccel_session_get_plugin_data(sess, r);
	if (!r->chan->free) {
		free(p);
		return VACCEL_OK;
	}
	return s ? r->chan->free(s->conn, p) : VACCEL_EINVAL;
}

bool remote_serves(void *ctx, vaccel_op_type_t op)
{
	struct remote *r = ctx;
	pthread_mutex_lock(&r->lock);
	/* Asked per op when a session resolves its slots: what is known suffices. */
	bool yes = !r->shared || !r->chan->alive(r->shared) || r->chan->serves(r->shared, op);
	pthread_mutex_unlock(&r->lock);
	return yes;
}

void remote_describe(void *ctx, char *buf, size_t len)
{
	struct remote *r = ctx;
	pthread_mutex_lock(&r->lock);
	const char *state = !r->shared ? "not connected" : r->chan->probe(r->shared) ? "connected"
										   : "connection lost";
	pthread_mutex_unlock(&r->lock);
	snprintf(buf, len, "%s (%s)", r->address, state);
}

static struct vaccel_wire_out data_arg(uint32_t type, const void *p, uint64_t size)
{
	return (struct vaccel_wire_out){ type, VACCEL_WIRE_ARG_DATA, p, size };
}

/* Upload the resource to the agent once per session and register it there. */
static int remote_resource(struct rpc_session *s, struct vaccel_resource *res,
			   int64_t *remote);

/*
 * Before an image op: the remote session's model resources mirror the local
 * session's. The model registered here (if any) is uploaded and registered
 * there; models that are not (e.g. one an op names by path) are unregistered
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
		s->ops->call(s->conn, VACCEL_WIRE_RESOURCE_UNREGISTER, reg, 2, NULL, 0);
	}
	int64_t remote;
	return m ? remote_resource(s, m, &remote) : VACCEL_OK;
}

static int remote_resource(struct rpc_session *s, struct vaccel_resource *res,
			   int64_t *remote)
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
			return s->ops->call(s->conn, VACCEL_WIRE_RESOURCE_REGISTER, reg, 2, NULL, 0);
		}
	}
	pthread_mutex_unlock(&s->lock);
	const char *why = resource_not_uploadable(res);
	if (why) {
		vaccel_error("resource %lld: %s cannot go to an agent: it takes up to %d files, "
			     "each a plain name and its bytes", (long long)res->id, why,
			     VACCEL_WIRE_MAX_RESOURCE_FILES);
		return VACCEL_ENOTSUP;
	}
	/* [type, (name, bytes) per file]: its blobs, in order. */
	uint32_t type = res->type;
	struct vaccel_wire_out args[1 + 2 * VACCEL_WIRE_MAX_RESOURCE_FILES];
	char unnamed[VACCEL_WIRE_MAX_RESOURCE_FILES][16];
	size_t n = 0;
	args[n++] = rpc_u32(&type);
	for (size_t i = 0; i < res->nr_blobs; i++) {
		const void *data;
		size_t size;
		int ret = resource_blob_bytes(res, i, &data, &size);
		if (ret)
			return ret;
		const char *name = res->blobs[i]->name;
		if (!name || !*name) {
			snprintf(unnamed[i], sizeof(unnamed[i]), "resource.%zu", i);
			name = unnamed[i];
		}
		args[n++] = data_arg(VACCEL_ARG_STRING, name, strlen(name) + 1);
		args[n++] = data_arg(VACCEL_ARG_BUFFER, data, size);
	}
	struct rpc_in dst[] = { { remote, 8 } };
	int ret = s->ops->call(s->conn, VACCEL_WIRE_RESOURCE_NEW, args, n, dst, 1);
	if (ret)
		return ret;
	struct vaccel_wire_out reg[] = { rpc_i64(remote), rpc_i64(&s->remote_id) };
	if ((ret = s->ops->call(s->conn, VACCEL_WIRE_RESOURCE_REGISTER, reg, 2, NULL, 0))) {
		s->ops->call(s->conn, VACCEL_WIRE_RESOURCE_RELEASE, reg, 1, NULL, 0);
		return ret;
	}
	pthread_mutex_lock(&s->lock);
	struct uploaded *u = realloc(s->res, (s->nres + 1) * sizeof(*u));
	if (u) {
		s->res = u;
		s->res[s->nres++] = (struct uploaded){ res, res->id, *remote, res->type, true };
	}
	pthread_mutex_unlock(&s->lock);
	return u ? VACCEL_OK : VACCEL_ENOMEM;
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
 * The remote ids that replace a request's resource arguments: a RESOURCE
 * arg's resource is uploaded; a HOSTPATH arg's file is uploaded as a model
 * resource (the agent never opens a path a client names), travels in its
 * carrier arg, and the path itself is sent empty.
 */
static int upload_args(struct rpc_session *s, struct vaccel_session *sess,
		       const struct vaccel_op_info *info, struct vaccel_arg *read, size_t nr,
		       int64_t *ids, bool *swapped)
{
	for (size_t i = 0; i < nr && i < info->nr_read; i++) {
		const struct vaccel_op_arg_info *spec = &info->read[i];
		struct vaccel_resource *res = NULL;
		size_t slot = i;
		if (spec->kind == VACCEL_OP_ARG_RESOURCE && vaccel_plugin_arg_i64(&read[i]))
			res = vaccel_plugin_arg_resource(sess, &read[i]);
		else if (spec->kind == VACCEL_OP_ARG_HOSTPATH && *(const char *)read[i].buf) {
			if (!(res = model_resource(s, read[i].buf)))
				return VACCEL_ENOENT;
			slot = (size_t)spec->carrier;
			swapped[i] = true;
		} else {
			continue;
		}
		if (!res || slot >= nr)
			return VACCEL_EINVAL;
		int ret = remote_resource(s, res, &ids[slot]);
		if (ret)
			return ret;
		swapped[slot] = true;
	}
	return VACCEL_OK;
}

int remote_any_op(void *ctx, struct vaccel_session *sess, const struct vaccel_op_args *a)
{
	struct remote *r = ctx;
	struct vaccel_arg *read = a->read, *write = a->write;
	size_t nr = a->nr_read, nw = a->nr_write;
	vaccel_op_type_t op = a->op;
	struct rpc_session *s = vaccel_session_get_plugin_data(sess, r);
	const struct vaccel_op_info *info = vaccel_op_info(op);
	if (!s || !info)
		return VACCEL_EINVAL;
	/* Nothing is sent on a lost connection: another instance may serve the op. */
	if (!s->ops->alive(s->conn)) {
		vaccel_error("%s: %s: the connection to the agent is lost", r->name, r->address);
		return VACCEL_EREMOTE;
	}
	if (2 + nr + nw > VACCEL_WIRE_MAX_ARGS) {
		vaccel_error("%s: %s with %zu args: at most %d travel", r->name, info->name,
			     nr + nw, VACCEL_WIRE_MAX_ARGS - 2);
		return VACCEL_EINVAL;
	}
	int64_t ids[VACCEL_WIRE_MAX_ARGS];
	bool swapped[VACCEL_WIRE_MAX_ARGS] = { false };
	int ret = (info->flags & VACCEL_OP_SESSION_MODEL) ? sync_model(sess, s) : VACCEL_OK;
	if (ret || (ret = upload_args(s, sess, info, read, nr, ids, swapped)))
		return ret;
	uint32_t op32 = (uint32_t)op;
	struct vaccel_wire_out args[VACCEL_WIRE_MAX_ARGS];
	struct rpc_in dst[VACCEL_WIRE_MAX_ARGS];
	size_t n = 0;
	args[n++] = rpc_i64(&s->remote_id);
	args[n++] = rpc_u32(&op32);
	for (size_t i = 0; i < nr; i++) {
		bool path = i < info->nr_read && info->read[i].kind == VACCEL_OP_ARG_HOSTPATH;
		args[n++] = !swapped[i] ? data_arg(read[i].type, read[i].buf, read[i].size)
			    : path ? data_arg(VACCEL_ARG_STRING, "", 1)
				   : data_arg(VACCEL_ARG_INT64, &ids[i], sizeof(ids[i]));
	}
	for (size_t i = 0; i < nw; i++) {
		/* An output the op also reads travels both ways, when it is read. */
		bool in = i < info->nr_write && (info->write[i].flags & VACCEL_OP_ARG_INOUT) &&
			  (!info->reads_output || info->reads_output(read, i));
		uint32_t flags = VACCEL_WIRE_ARG_WRITE | (in ? VACCEL_WIRE_ARG_DATA : 0);
		args[n++] = (struct vaccel_wire_out){ write[i].type, flags, write[i].buf, write[i].size };
		dst[i] = (struct rpc_in){ write[i].buf, write[i].size };
	}
	return s->ops->call(s->conn, VACCEL_WIRE_GENOP, args, n, dst, nw);
}
