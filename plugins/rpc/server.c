/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The agent side of the rpc transport. One thread accepts; one reader
 * thread per connection checks each frame and queues its request; a pool
 * of workers runs requests through this process's own libvaccel (the host
 * profile's plugins) and writes the replies. A connection owns the
 * sessions and resources it creates: other connections cannot name them,
 * and they are released when it closes.
 */
#define _GNU_SOURCE
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include "server.h"

#define MAX_LISTEN 16
#define MAX_PER_CONN 4096   /* sessions or resources one connection may hold */

struct sess_entry {
	int64_t id;
	struct vaccel_session *sess;
	int users;          /* requests running on it */
	bool released;      /* released by the client while in use */
};

struct res_entry {
	int64_t id;
	struct vaccel_resource *res;
	struct stored *st;
};

struct conn {
	uint64_t id;
	int fd;
	bool needs_token;
	pthread_mutex_t lock;          /* tables and inflight */
	pthread_cond_t idle;
	pthread_mutex_t send_lock;
	int inflight;
	struct sess_entry *sess;
	size_t nsess;
	struct res_entry *res;
	size_t nres;
};

struct job {
	struct conn *c;
	struct vaccel_wire_hdr h;
	void *payload;
	struct vaccel_wire_arg args[VACCEL_WIRE_MAX_ARGS];
	int nargs;
	struct job *next;
};

/* A reply under construction: args sent from memory the handler owns. */
struct reply {
	int status;
	struct rpc_out args[VACCEL_WIRE_MAX_ARGS];
	size_t n;
	void *owned[VACCEL_WIRE_MAX_ARGS]; /* freed after sending */
	size_t nowned;
	int64_t i64;                       /* storage for a scalar answer */
	uint64_t u64[5];
};

static struct {
	const struct vaccel_agent_config *cfg;
	pthread_mutex_t lock;
	pthread_cond_t work, conns_gone;
	struct job *head, *tail;
	bool stopping;
	int nconns;
	uint64_t next_conn;
	uint64_t requests, sessions, resources;
	uint64_t started_ms;
} A = { .lock = PTHREAD_MUTEX_INITIALIZER, .work = PTHREAD_COND_INITIALIZER,
	.conns_gone = PTHREAD_COND_INITIALIZER };

static uint64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static void counter_add(uint64_t *c, int64_t d)
{
	__atomic_add_fetch(c, (uint64_t)d, __ATOMIC_RELAXED);
}

/* ---- per-connection tables ---- */

static struct sess_entry *sess_find(struct conn *c, int64_t id)
{
	for (size_t i = 0; i < c->nsess; i++)
		if (c->sess[i].id == id && !c->sess[i].released)
			return &c->sess[i];
	return NULL;
}

static struct res_entry *res_find(struct conn *c, int64_t id)
{
	for (size_t i = 0; i < c->nres; i++)
		if (c->res[i].id == id)
			return &c->res[i];
	return NULL;
}

/* Take a session for a request; NULL if this connection has no such id. */
static struct vaccel_session *sess_acquire(struct conn *c, int64_t id)
{
	pthread_mutex_lock(&c->lock);
	struct sess_entry *e = sess_find(c, id);
	if (e)
		e->users++;
	pthread_mutex_unlock(&c->lock);
	return e ? e->sess : NULL;
}

static void sess_remove_at(struct conn *c, size_t i)
{
	vaccel_session_delete(c->sess[i].sess);
	c->sess[i] = c->sess[--c->nsess];
	counter_add(&A.sessions, -1);
}

static void sess_release(struct conn *c, struct vaccel_session *s)
{
	pthread_mutex_lock(&c->lock);
	for (size_t i = 0; i < c->nsess; i++) {
		if (c->sess[i].sess == s) {
			if (--c->sess[i].users == 0 && c->sess[i].released)
				sess_remove_at(c, i);
			break;
		}
	}
	pthread_mutex_unlock(&c->lock);
}

/* ---- argument helpers ---- */

static bool arg_i64(const struct vaccel_wire_arg *a, int64_t *v)
{
	if (!a->data || a->size != 8)
		return false;
	memcpy(v, a->data, 8);
	return true;
}

static bool arg_u32(const struct vaccel_wire_arg *a, uint32_t *v)
{
	if (!a->data || a->size != 4)
		return false;
	memcpy(v, a->data, 4);
	return true;
}

static const char *arg_str(const struct vaccel_wire_arg *a)
{
	if (!a->data || !a->size || !memchr(a->data, '\0', a->size))
		return NULL;
	return a->data;
}

static void reply_i64(struct reply *r, int64_t v)
{
	r->i64 = v;
	r->args[r->n++] = rpc_i64(&r->i64);
}

/* ---- request handlers, one per wire op ---- */

static int do_session_new(struct conn *c, struct job *j, struct reply *r)
{
	uint32_t flags;
	if (j->nargs != 1 || !arg_u32(&j->args[0], &flags))
		return VACCEL_EINVAL;
	struct vaccel_session *s;
	pthread_mutex_lock(&c->lock);
	bool full = c->nsess >= MAX_PER_CONN;
	pthread_mutex_unlock(&c->lock);
	if (full)
		return VACCEL_EBUSY;
	int ret = vaccel_session_new(&s, flags);
	if (ret)
		return ret;
	pthread_mutex_lock(&c->lock);
	void *grown = realloc(c->sess, (c->nsess + 1) * sizeof(*c->sess));
	if (grown) {
		c->sess = grown;
		c->sess[c->nsess++] = (struct sess_entry){ .id = s->id, .sess = s };
	}
	pthread_mutex_unlock(&c->lock);
	if (!grown) {
		vaccel_session_delete(s);
		return VACCEL_ENOMEM;
	}
	counter_add(&A.sessions, 1);
	reply_i64(r, s->id);
	return VACCEL_OK;
}

static int do_session_release(struct conn *c, struct job *j, struct reply *r)
{
	int64_t id;
	(void)r;
	if (j->nargs != 1 || !arg_i64(&j->args[0], &id))
		return VACCEL_EINVAL;
	int ret = VACCEL_ENOENT;
	pthread_mutex_lock(&c->lock);
	struct sess_entry *e = sess_find(c, id);
	if (e) {
		e->released = true;
		if (e->users == 0)
			sess_remove_at(c, (size_t)(e - c->sess));
		ret = VACCEL_OK;
	}
	pthread_mutex_unlock(&c->lock);
	return ret;
}

static int do_resource_new(struct conn *c, struct job *j, struct reply *r)
{
	uint32_t type;
	const char *name;
	if (j->nargs != 3 || !arg_u32(&j->args[0], &type) || !(name = arg_str(&j->args[1])) ||
	    !j->args[2].data || type >= VACCEL_RESOURCE_MAX)
		return VACCEL_EINVAL;
	if (!*name || strchr(name, '/') || !strcmp(name, ".") || !strcmp(name, ".."))
		return VACCEL_EINVAL;
	if (j->args[2].size > A.cfg->max_resource) {
		vaccel_warn("agent: connection %llu: resource of %llu bytes over the limit of %llu",
			    (unsigned long long)c->id, (unsigned long long)j->args[2].size,
			    (unsigned long long)A.cfg->max_resource);
		return EFBIG;
	}
	pthread_mutex_lock(&c->lock);
	bool full = c->nres >= MAX_PER_CONN;
	pthread_mutex_unlock(&c->lock);
	if (full)
		return VACCEL_EBUSY;
	struct stored *st;
	int ret = store_get(j->args[2].data, j->args[2].size, name, &st);
	if (ret)
		return ret;
	struct vaccel_resource *res;
	if ((ret = vaccel_resource_new(&res, store_path(st), type))) {
		store_put(st);
		return ret;
	}
	pthread_mutex_lock(&c->lock);
	void *grown = realloc(c->res, (c->nres + 1) * sizeof(*c->res));
	if (grown) {
		c->res = grown;
		c->res[c->nres++] = (struct res_entry){ res->id, res, st };
	}
	pthread_mutex_unlock(&c->lock);
	if (!grown) {
		vaccel_resource_delete(res);
		store_put(st);
		return VACCEL_ENOMEM;
	}
	counter_add(&A.resources, 1);
	reply_i64(r, res->id);
	return VACCEL_OK;
}

static int do_resource_release(struct conn *c, struct job *j, struct reply *r)
{
	int64_t id;
	(void)r;
	if (j->nargs != 1 || !arg_i64(&j->args[0], &id))
		return VACCEL_EINVAL;
	pthread_mutex_lock(&c->lock);
	struct res_entry *e = res_find(c, id);
	int ret = e ? vaccel_resource_release(e->res) : VACCEL_ENOENT;
	if (e && !ret) {
		free(e->res);
		store_put(e->st);
		*e = c->res[--c->nres];
		counter_add(&A.resources, -1);
	}
	pthread_mutex_unlock(&c->lock);
	return ret;
}

static int do_resource_link(struct conn *c, struct job *j, bool reg)
{
	int64_t rid, sid;
	if (j->nargs != 2 || !arg_i64(&j->args[0], &rid) || !arg_i64(&j->args[1], &sid))
		return VACCEL_EINVAL;
	pthread_mutex_lock(&c->lock);
	struct res_entry *re = res_find(c, rid);
	struct sess_entry *se = sess_find(c, sid);
	int ret = !re || !se ? VACCEL_ENOENT
		: reg ? vaccel_resource_register(re->res, se->sess)
		      : vaccel_resource_unregister(re->res, se->sess);
	pthread_mutex_unlock(&c->lock);
	return ret;
}

static int do_resource_register(struct conn *c, struct job *j, struct reply *r)
{
	(void)r;
	return do_resource_link(c, j, true);
}

static int do_resource_unregister(struct conn *c, struct job *j, struct reply *r)
{
	(void)r;
	return do_resource_link(c, j, false);
}

/*
 * GENOP: [session, op, reads..., writes...]. Reads point into the frame;
 * writes get buffers here, returned in the reply.
 */
static int do_genop(struct conn *c, struct job *j, struct reply *r)
{
	int64_t sid;
	uint32_t op;
	if (j->nargs < 2 || !arg_i64(&j->args[0], &sid) || !arg_u32(&j->args[1], &op))
		return VACCEL_EINVAL;
	struct vaccel_arg read[VACCEL_WIRE_MAX_ARGS], write[VACCEL_WIRE_MAX_ARGS];
	int nr = 0, nw = 0;
	uint64_t write_bytes = 0;
	read[nr++] = (struct vaccel_arg){ &op, 4, VACCEL_ARG_UINT32, false };
	for (int i = 2; i < j->nargs; i++) {
		struct vaccel_wire_arg *a = &j->args[i];
		if (!(a->flags & VACCEL_WIRE_ARG_WRITE)) {
			if (!(a->flags & VACCEL_WIRE_ARG_DATA))
				return VACCEL_EINVAL;
			read[nr++] = (struct vaccel_arg){ a->data, a->size, a->type, false };
			continue;
		}
		/* Output buffers are allocated here: bound them like a frame. */
		write_bytes += a->size;
		if (write_bytes > A.cfg->max_frame)
			return EFBIG;
		void *buf = calloc(1, a->size ? a->size : 1);
		if (!buf)
			return VACCEL_ENOMEM;
		if (a->flags & VACCEL_WIRE_ARG_DATA)
			memcpy(buf, a->data, a->size);
		r->owned[r->nowned++] = buf;
		write[nw++] = (struct vaccel_arg){ buf, a->size, a->type, false };
	}
	/* A remote client names models by uploaded resource, never by a path on
	 * this host: that would let it read any file the agent can. */
	if (op == VACCEL_OP_TENSOR_INFER) {
		const char *model = nr > 1 ? arg_str(&j->args[2]) : NULL;
		if (!model || (*model && strncmp(model, "resource:", 9))) {
			vaccel_warn("agent: connection %llu: tensor_infer with a host path refused",
				    (unsigned long long)c->id);
			return VACCEL_EPERM;
		}
	}
	/* A resource named by id must be this connection's. */
	int64_t rid;
	if (op == VACCEL_OP_EXEC_WITH_RESOURCE) {
		pthread_mutex_lock(&c->lock);
		bool mine = nr > 1 && arg_i64(&j->args[2], &rid) && res_find(c, rid);
		pthread_mutex_unlock(&c->lock);
		if (!mine)
			return VACCEL_ENOENT;
	}
	struct vaccel_session *s = sess_acquire(c, sid);
	if (!s)
		return VACCEL_ENOENT;
	int ret = vaccel_genop(s, read, nr, write, nw);
	sess_release(c, s);
	/* ENOBUFS still answers with the outputs: they say how much is needed. */
	if (ret && ret != VACCEL_ENOBUFS)
		return ret;
	for (int i = 0; i < nw; i++)
		r->args[r->n++] = (struct rpc_out){ write[i].type,
						    VACCEL_WIRE_ARG_WRITE | VACCEL_WIRE_ARG_DATA,
						    write[i].buf, write[i].size };
	return ret;
}

static int do_status(struct conn *c, struct job *j, struct reply *r)
{
	(void)c; (void)j;
	static const char version[] = PACKAGE_VERSION;
	pthread_mutex_lock(&A.lock);
	r->u64[1] = (uint64_t)A.nconns;
	pthread_mutex_unlock(&A.lock);
	r->u64[0] = now_ms() - A.started_ms;
	r->u64[2] = __atomic_load_n(&A.sessions, __ATOMIC_RELAXED);
	r->u64[3] = __atomic_load_n(&A.resources, __ATOMIC_RELAXED);
	r->u64[4] = __atomic_load_n(&A.requests, __ATOMIC_RELAXED);
	r->args[r->n++] = (struct rpc_out){ VACCEL_ARG_STRING, VACCEL_WIRE_ARG_DATA, version, sizeof(version) };
	for (int i = 0; i < 5; i++)
		r->args[r->n++] = (struct rpc_out){ VACCEL_ARG_UINT64, VACCEL_WIRE_ARG_DATA, &r->u64[i], 8 };
	return VACCEL_OK;
}

typedef int (*handler)(struct conn *, struct job *, struct reply *);

static const handler handlers[VACCEL_WIRE_OP_MAX] = {
	[VACCEL_WIRE_SESSION_NEW] = do_session_new,
	[VACCEL_WIRE_SESSION_RELEASE] = do_session_release,
	[VACCEL_WIRE_RESOURCE_NEW] = do_resource_new,
	[VACCEL_WIRE_RESOURCE_RELEASE] = do_resource_release,
	[VACCEL_WIRE_RESOURCE_REGISTER] = do_resource_register,
	[VACCEL_WIRE_RESOURCE_UNREGISTER] = do_resource_unregister,
	[VACCEL_WIRE_GENOP] = do_genop,
	[VACCEL_WIRE_STATUS] = do_status,
};

/* ---- frames ---- */

static int send_reply(struct conn *c, uint16_t type, uint64_t id, uint32_t op, struct reply *r)
{
	unsigned char hb[VACCEL_WIRE_HDR_SIZE], ab[VACCEL_WIRE_MAX_ARGS][VACCEL_WIRE_ARG_HDR_SIZE];
	struct iovec iov[1 + 3 * VACCEL_WIRE_MAX_ARGS];
	uint64_t len = 0;
	int niov = 1;
	if (r->status && r->status != VACCEL_ENOBUFS &&
	    !(r->n == 1 && r->args[0].type == VACCEL_ARG_STRING))
		r->n = 0; /* a failed request answers with its status, and a message */
	for (size_t i = 0; i < r->n; i++) {
		len += vaccel_wire_arg_size(r->args[i].size, true);
		niov += vaccel_wire_arg_iov(r->args[i].type, r->args[i].flags, r->args[i].data,
					    r->args[i].size, ab[i], &iov[niov]);
	}
	struct vaccel_wire_hdr h = { .magic = VACCEL_WIRE_MAGIC, .version = VACCEL_WIRE_VERSION,
				     .type = type, .id = id, .op = op, .status = r->status,
				     .nargs = (uint32_t)r->n, .len = (uint32_t)len };
	vaccel_wire_hdr_encode(&h, hb);
	iov[0] = (struct iovec){ hb, sizeof(hb) };
	pthread_mutex_lock(&c->send_lock);
	int rc = vaccel_sock_writev_all(c->fd, iov, niov);
	pthread_mutex_unlock(&c->send_lock);
	return rc;
}

static void *worker(void *arg)
{
	(void)arg;
	for (;;) {
		pthread_mutex_lock(&A.lock);
		while (!A.head && !A.stopping)
			pthread_cond_wait(&A.work, &A.lock);
		struct job *j = A.head;
		if (!j) { /* stopping and drained */
			pthread_mutex_unlock(&A.lock);
			return NULL;
		}
		A.head = j->next;
		if (!A.head)
			A.tail = NULL;
		pthread_mutex_unlock(&A.lock);

		struct reply r = { 0 };
		vaccel_log_clear_last_error();
		r.status = handlers[j->h.op](j->c, j, &r);
		/* A failure carries the agent's message: the client shows it. */
		const char *msg = vaccel_log_last_error();
		if (r.status && r.status != VACCEL_ENOBUFS && *msg) {
			r.args[0] = (struct rpc_out){ VACCEL_ARG_STRING, VACCEL_WIRE_ARG_DATA, msg,
						      strlen(msg) + 1 };
			r.n = 1;
		}
		send_reply(j->c, VACCEL_WIRE_REPLY, j->h.id, j->h.op, &r);
		for (size_t i = 0; i < r.nowned; i++)
			free(r.owned[i]);
		counter_add(&A.requests, 1);
		struct conn *c = j->c;
		free(j->payload);
		free(j);
		pthread_mutex_lock(&c->lock);
		if (--c->inflight == 0)
			pthread_cond_signal(&c->idle);
		pthread_mutex_unlock(&c->lock);
	}
}

static void queue_job(struct job *j)
{
	pthread_mutex_lock(&j->c->lock);
	j->c->inflight++;
	pthread_mutex_unlock(&j->c->lock);
	pthread_mutex_lock(&A.lock);
	if (A.tail)
		A.tail->next = j;
	else
		A.head = j;
	A.tail = j;
	pthread_cond_signal(&A.work);
	pthread_mutex_unlock(&A.lock);
}

/* Read one frame; NULL with *why set when the connection must close. */
static struct job *read_frame(struct conn *c, const char **why)
{
	unsigned char hb[VACCEL_WIRE_HDR_SIZE];
	struct job *j = calloc(1, sizeof(*j));
	*why = NULL;
	if (!j) {
		*why = "out of memory";
		return NULL;
	}
	j->c = c;
	if (vaccel_sock_read_all(c->fd, hb, sizeof(hb)))
		goto fail; /* closed: no complaint */
	/* Every length is checked here, before the payload is allocated. */
	if (vaccel_wire_hdr_decode(hb, A.cfg->max_frame, &j->h, why))
		goto fail;
	if (!(j->payload = malloc(j->h.len ? j->h.len : 1))) {
		*why = "out of memory for the frame";
		goto fail;
	}
	if (vaccel_sock_read_all(c->fd, j->payload, j->h.len)) {
		*why = "truncated frame";
		goto fail;
	}
	j->nargs = vaccel_wire_args_decode(j->payload, j->h.len, j->h.nargs, j->args,
					   VACCEL_WIRE_MAX_ARGS, why);
	if (j->nargs < 0)
		goto fail;
	return j;
fail:
	free(j->payload);
	free(j);
	return NULL;
}

static bool token_ok(const struct vaccel_wire_arg *a)
{
	const char *want = A.cfg->token;
	size_t n = strlen(want);
	if (!a->data || a->size != n)
		return false;
	/* Constant time: do not leak how much of the token matched. */
	unsigned char diff = 0;
	for (size_t i = 0; i < n; i++)
		diff |= (unsigned char)(((const char *)a->data)[i] ^ want[i]);
	return diff == 0;
}

static int handshake(struct conn *c, const char **why)
{
	struct job *j = read_frame(c, why);
	if (!j)
		return -1;
	uint32_t version = 0;
	int ok = 0;
	if (j->h.type != VACCEL_WIRE_HELLO || j->nargs != 2 || !arg_u32(&j->args[0], &version))
		*why = "expected HELLO";
	else if (version != VACCEL_WIRE_VERSION)
		*why = "unsupported protocol version in HELLO";
	else
		ok = 1;
	struct reply r = { 0 };
	if (ok && c->needs_token && !token_ok(&j->args[1])) {
		r.status = VACCEL_EPERM;
		*why = "bad or missing token";
		ok = 0;
	}
	if (ok || r.status) {
		static const char name[] = PACKAGE_VERSION;
		uint32_t wversion = VACCEL_WIRE_VERSION, max_frame = A.cfg->max_frame, ops[8] = { 0 };
		for (uint32_t op = 0; op < VACCEL_OP_MAX && op < 256; op++)
			if (vaccel_op_served_by(op, NULL))
				ops[op / 32] |= 1u << (op % 32);
		r.args[r.n++] = rpc_u32(&wversion);
		r.args[r.n++] = rpc_u32(&max_frame);
		r.args[r.n++] = (struct rpc_out){ VACCEL_ARG_STRING, VACCEL_WIRE_ARG_DATA, name, sizeof(name) };
		r.args[r.n++] = (struct rpc_out){ VACCEL_ARG_UINT32_ARRAY, VACCEL_WIRE_ARG_DATA, ops, sizeof(ops) };
		send_reply(c, VACCEL_WIRE_WELCOME, j->h.id, 0, &r);
	}
	free(j->payload);
	free(j);
	return ok ? 0 : -1;
}

static void untrack_fd(int fd);

/* Everything the connection created goes with it. */
static void conn_cleanup(struct conn *c)
{
	untrack_fd(c->fd);
	pthread_mutex_lock(&c->lock);
	while (c->inflight)
		pthread_cond_wait(&c->idle, &c->lock);
	size_t ns = c->nsess, nr = c->nres;
	while (c->nsess)
		sess_remove_at(c, c->nsess - 1);
	for (size_t i = 0; i < c->nres; i++) {
		vaccel_resource_delete(c->res[i].res);
		store_put(c->res[i].st);
		counter_add(&A.resources, -1);
	}
	c->nres = 0;
	pthread_mutex_unlock(&c->lock);
	if (ns || nr)
		vaccel_info("agent: connection %llu closed: released %zu sessions, %zu resources",
			    (unsigned long long)c->id, ns, nr);
	close(c->fd);
	free(c->sess);
	free(c->res);
	pthread_mutex_destroy(&c->lock);
	pthread_mutex_destroy(&c->send_lock);
	pthread_cond_destroy(&c->idle);
	free(c);
}

static void *reader(void *arg)
{
	struct conn *c = arg;
	const char *why = NULL;
	if (!handshake(c, &why)) {
		for (;;) {
			struct job *j = read_frame(c, &why);
			if (!j)
				break;
			if (j->h.type != VACCEL_WIRE_REQUEST)
				why = "not a request";
			else if (j->h.op == 0 || j->h.op >= VACCEL_WIRE_OP_MAX)
				why = "unknown request op";
			if (why) {
				free(j->payload);
				free(j);
				break;
			}
			queue_job(j);
		}
	}
	if (why)
		vaccel_error("agent: connection %llu: closing: %s", (unsigned long long)c->id, why);
	conn_cleanup(c);
	pthread_mutex_lock(&A.lock);
	if (--A.nconns == 0)
		pthread_cond_broadcast(&A.conns_gone);
	pthread_mutex_unlock(&A.lock);
	return NULL;
}

/* ---- listening and the main loop ---- */

static int fds_open[MAX_LISTEN];

static void untrack_fd(int fd);

static void start_conn(int fd, bool tcp)
{
	struct conn *c = calloc(1, sizeof(*c));
	pthread_t t;
	pthread_attr_t attr;
	if (!c) {
		close(fd);
		return;
	}
	c->fd = fd;
	c->needs_token = tcp && A.cfg->token;
	pthread_mutex_init(&c->lock, NULL);
	pthread_mutex_init(&c->send_lock, NULL);
	pthread_cond_init(&c->idle, NULL);
	pthread_mutex_lock(&A.lock);
	c->id = ++A.next_conn;
	A.nconns++;
	pthread_mutex_unlock(&A.lock);
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	if (pthread_create(&t, &attr, reader, c)) {
		vaccel_error("agent: cannot start a reader thread");
		conn_cleanup(c);
		pthread_mutex_lock(&A.lock);
		A.nconns--;
		pthread_mutex_unlock(&A.lock);
	}
	pthread_attr_destroy(&attr);
}

/* Connections are tracked only by their fds, to wake them at shutdown. */
static int *live_fds;
static size_t nlive;

static void untrack_fd(int fd)
{
	pthread_mutex_lock(&A.lock);
	for (size_t i = 0; i < nlive; i++) {
		if (live_fds[i] == fd) {
			live_fds[i] = live_fds[--nlive];
			break;
		}
	}
	pthread_mutex_unlock(&A.lock);
}

static int serve(const struct vaccel_agent_config *cfg)
{
	struct vaccel_addr addrs[MAX_LISTEN];
	struct pollfd pfd[MAX_LISTEN + 1];
	size_t n = 0;
	char err[512];
	int ret = VACCEL_OK;

	A.cfg = cfg;
	A.started_ms = now_ms();
	if (!cfg->nr_listen || cfg->nr_listen > MAX_LISTEN) {
		vaccel_error("agent: give 1..%d addresses to listen on", MAX_LISTEN);
		return VACCEL_EINVAL;
	}
	if ((ret = store_init())) {
		vaccel_error("agent: cannot create the resource store: %s", strerror(ret));
		return ret;
	}
	/* Signals arrive on a descriptor, in this thread only. */
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	int sfd = signalfd(-1, &set, SFD_CLOEXEC);

	for (n = 0; n < cfg->nr_listen; n++) {
		const char *why;
		if (vaccel_addr_parse(cfg->listen[n], &addrs[n], &why)) {
			vaccel_error("agent: address '%s': %s", cfg->listen[n], why);
			ret = VACCEL_EINVAL;
			break;
		}
		int fd = vaccel_sock_listen(&addrs[n], cfg->socket_mode, err, sizeof(err));
		if (fd < 0) {
			vaccel_error("agent: cannot listen on %s", err);
			ret = -fd;
			break;
		}
		fds_open[n] = fd;
		pfd[n] = (struct pollfd){ .fd = fd, .events = POLLIN };
		vaccel_info("agent: listening on %s", cfg->listen[n]);
	}
	pthread_t *workers = calloc(cfg->workers, sizeof(*workers));
	unsigned started = 0;
	if (!ret && workers)
		for (; started < cfg->workers; started++)
			if (pthread_create(&workers[started], NULL, worker, NULL))
				break;
	if (!ret && !started)
		ret = VACCEL_ENOMEM;
	if (!ret)
		fprintf(stderr, "vaccel agent %s: ready, %u workers\n", PACKAGE_VERSION, started);

	pfd[n] = (struct pollfd){ .fd = sfd, .events = POLLIN };
	while (!ret) {
		if (poll(pfd, n + 1, -1) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (pfd[n].revents) {
			struct signalfd_siginfo si;
			if (read(sfd, &si, sizeof(si)) > 0)
				vaccel_info("agent: signal %u: stopping", si.ssi_signo);
			break;
		}
		for (size_t i = 0; i < n; i++) {
			if (!(pfd[i].revents & POLLIN))
				continue;
			int fd = accept4(pfd[i].fd, NULL, NULL, SOCK_CLOEXEC);
			if (fd < 0)
				continue;
			pthread_mutex_lock(&A.lock);
			int *grown = realloc(live_fds, (nlive + 1) * sizeof(int));
			if (grown) {
				live_fds = grown;
				live_fds[nlive++] = fd;
			}
			pthread_mutex_unlock(&A.lock);
			start_conn(fd, addrs[i].kind == VACCEL_ADDR_TCP);
		}
	}

	/* Stop: no new connections; readers see end of stream, in-flight
	 * requests finish and are answered, then everything is released. */
	for (size_t i = 0; i < n; i++) {
		close(fds_open[i]);
		if (addrs[i].kind == VACCEL_ADDR_UNIX)
			unlink(addrs[i].path);
	}
	pthread_mutex_lock(&A.lock);
	for (size_t i = 0; i < nlive; i++)
		shutdown(live_fds[i], SHUT_RD);
	while (A.nconns)
		pthread_cond_wait(&A.conns_gone, &A.lock);
	A.stopping = true;
	pthread_cond_broadcast(&A.work);
	pthread_mutex_unlock(&A.lock);
	for (unsigned i = 0; i < started; i++)
		pthread_join(workers[i], NULL);
	free(workers);
	free(live_fds);
	if (sfd >= 0)
		close(sfd);
	store_fini();
	return ret;
}

static int status(const char *address, const char *token, struct vaccel_agent_status *out,
		  char *err, size_t errlen)
{
	struct rpc_conn *c;
	int ret = rpc_conn_open(address, token, 5000, &c, err, errlen);
	if (ret)
		return ret;
	memset(out, 0, sizeof(*out));
	struct rpc_in dst[] = { { out->version, sizeof(out->version) - 1 }, { &out->uptime_ms, 8 },
				{ &out->connections, 8 }, { &out->sessions, 8 },
				{ &out->resources, 8 }, { &out->requests, 8 } };
	ret = rpc_call(c, VACCEL_WIRE_STATUS, NULL, 0, dst, 6);
	rpc_conn_put(c);
	if (ret)
		snprintf(err, errlen, "%s: status request failed: %s", address, vaccel_strerror(ret));
	return ret;
}

__attribute__((visibility("default")))
const struct vaccel_agent_server vaccel_agent_server = {
	.size = sizeof(struct vaccel_agent_server),
	.serve = serve,
	.status = status,
};
