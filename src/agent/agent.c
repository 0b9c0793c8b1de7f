/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The agent's request executor, shared by every transport's server side:
 * a client (one connection, one virtqueue) owns the sessions and resources
 * it creates; requests decoded from the wire run here through this
 * process's own plugins. Specified in vaccel-protocol(7).
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "agent/agent.h"
#include <vaccel/infer.h>
#include "ids.h"
#include "store.h"
#include "../internal.h"
#include "../ops/ops.h"

#define MAX_PER_CLIENT 4096   /* sessions or resources one client may hold */

struct vaccel_agent_client {
	uint64_t id;
	struct vaccel_agent_limits lim;
	pthread_mutex_t lock;
	struct sess_entry *sess;
	size_t nsess;
	struct res_entry *res;
	size_t nres;
	/* The ids it is handed: base + 1, base + 2, ... per kind (ids.h). */
	int64_t sess_base, res_base;
	int64_t sess_made, res_made;
	char ns[AGENT_STORE_NS_LEN];  /* its uploads' namespace in the store */
	uint64_t requests;            /* its own, for STATUS (atomic) */
	bool operator;                /* STATUS gives it the whole agent's counts */
};

struct request {
	struct vaccel_wire_arg *args;
	int nargs;
};

/* Shared by every client of every transport in this process. */
static struct {
	uint64_t started_ms, clients, sessions, resources, requests, next_id;
} stats;

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

static struct vaccel_wire_out out_i64(const int64_t *v)
{
	return (struct vaccel_wire_out){ VACCEL_ARG_INT64, VACCEL_WIRE_ARG_DATA, v, 8 };
}

struct sess_entry {
	int64_t id;                 /* the connection's, not sess->id */
	struct vaccel_session *sess;
	int users;          /* requests running on it */
	bool released;      /* released by the client while in use */
};

#define MAX_RES_FILES VACCEL_WIRE_MAX_RESOURCE_FILES

struct res_entry {
	int64_t id;                 /* the connection's, not res->id */
	struct vaccel_resource *res;
	struct stored *st[MAX_RES_FILES]; /* its files in the store */
	size_t nst;
};

static void put_files(struct stored **st, size_t n)
{
	for (size_t i = 0; i < n; i++)
		agent_store_put(st[i]);
}






/* ---- per-connection tables ---- */

static struct sess_entry *sess_find(struct vaccel_agent_client *c, int64_t id)
{
	for (size_t i = 0; i < c->nsess; i++)
		if (c->sess[i].id == id && !c->sess[i].released)
			return &c->sess[i];
	return NULL;
}

static struct res_entry *res_find(struct vaccel_agent_client *c, int64_t id)
{
	for (size_t i = 0; i < c->nres; i++)
		if (c->res[i].id == id)
			return &c->res[i];
	return NULL;
}

/* Take a session for a request; NULL if this connection has no such id. */
static struct vaccel_session *sess_acquire(struct vaccel_agent_client *c, int64_t id)
{
	pthread_mutex_lock(&c->lock);
	struct sess_entry *e = sess_find(c, id);
	if (e)
		e->users++;
	pthread_mutex_unlock(&c->lock);
	return e ? e->sess : NULL;
}

static void sess_remove_at(struct vaccel_agent_client *c, size_t i)
{
	vaccel_session_delete(c->sess[i].sess);
	c->sess[i] = c->sess[--c->nsess];
	counter_add(&stats.sessions, -1);
}

static void sess_release(struct vaccel_agent_client *c, struct vaccel_session *s)
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

static void reply_i64(struct vaccel_agent_reply *r, int64_t v)
{
	r->i64 = v;
	r->args[r->n++] = out_i64(&r->i64);
}

/* ---- request handlers, one per wire op ---- */

static int do_session_new(struct vaccel_agent_client *c, struct request *j, struct vaccel_agent_reply *r)
{
	uint32_t flags;
	if (j->nargs != 1 || !vaccel_wire_arg_u32(&j->args[0], &flags))
		return VACCEL_EINVAL;
	struct vaccel_session *s;
	pthread_mutex_lock(&c->lock);
	bool full = c->nsess >= MAX_PER_CLIENT;
	pthread_mutex_unlock(&c->lock);
	if (full)
		return VACCEL_EBUSY;
	int ret = vaccel_session_new(&s, flags);
	if (ret)
		return ret;
	s->priv->remote_caller = true; /* plugins keep no host files for it */
	pthread_mutex_lock(&c->lock);
	void *grown = realloc(c->sess, (c->nsess + 1) * sizeof(*c->sess));
	int64_t id = c->sess_base + ++c->sess_made;
	if (grown) {
		c->sess = grown;
		c->sess[c->nsess++] = (struct sess_entry){ .id = id, .sess = s };
	}
	pthread_mutex_unlock(&c->lock);
	if (!grown) {
		vaccel_session_delete(s);
		return VACCEL_ENOMEM;
	}
	counter_add(&stats.sessions, 1);
	reply_i64(r, id);
	return VACCEL_OK;
}

static int do_session_release(struct vaccel_agent_client *c, struct request *j, struct vaccel_agent_reply *r)
{
	int64_t id;
	(void)r;
	if (j->nargs != 1 || !vaccel_wire_arg_i64(&j->args[0], &id))
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

/*
 * A resource's files as RESOURCE_NEW carries them after its type: (name,
 * bytes) pairs, one per file. Each name is a plain file name, distinct
 * from the others; their sizes together stay under the connection's limit.
 */
static int upload_files_check(struct vaccel_agent_client *c, struct request *j, size_t *nfiles)
{
	size_t k = (size_t)(j->nargs - 1) / 2;
	if (j->nargs < 3 || (j->nargs - 1) % 2 || k > MAX_RES_FILES)
		return VACCEL_EINVAL;
	uint64_t total = 0;
	for (size_t i = 0; i < k; i++) {
		const char *name = vaccel_wire_arg_str(&j->args[1 + 2 * i]);
		if (!name || !j->args[2 + 2 * i].data || !*name || strchr(name, '/') ||
		    !strcmp(name, ".") || !strcmp(name, ".."))
			return VACCEL_EINVAL;
		for (size_t p = 0; p < i; p++)
			if (!strcmp(name, vaccel_wire_arg_str(&j->args[1 + 2 * p])))
				return VACCEL_EINVAL;
		total += j->args[2 + 2 * i].size;
	}
	if (total > c->lim.max_resource) {
		vaccel_warn("agent: connection %llu: resource of %llu bytes over the limit of %llu",
			    (unsigned long long)c->id, (unsigned long long)total,
			    (unsigned long long)c->lim.max_resource);
		return EFBIG;
	}
	*nfiles = k;
	return VACCEL_OK;
}

/* RESOURCE_NEW: [type, (name, bytes) per file]; replies the connection's id. */
static int do_resource_new(struct vaccel_agent_client *c, struct request *j, struct vaccel_agent_reply *r)
{
	uint32_t type;
	size_t k;
	if (j->nargs < 1 || !vaccel_wire_arg_u32(&j->args[0], &type) || type >= VACCEL_RESOURCE_MAX)
		return VACCEL_EINVAL;
	int ret = upload_files_check(c, j, &k);
	if (ret)
		return ret;
	pthread_mutex_lock(&c->lock);
	bool full = c->nres >= MAX_PER_CLIENT;
	pthread_mutex_unlock(&c->lock);
	if (full)
		return VACCEL_EBUSY;
	struct res_entry e = { 0 };
	const char *paths[MAX_RES_FILES];
	for (; e.nst < k; e.nst++) {
		const struct vaccel_wire_arg *name = &j->args[1 + 2 * e.nst], *data = name + 1;
		if ((ret = agent_store_get(c->ns, data->data, data->size, vaccel_wire_arg_str(name),
					   &e.st[e.nst]))) {
			put_files(e.st, e.nst);
			return ret;
		}
		paths[e.nst] = agent_store_path(e.st[e.nst]);
	}
	ret = k == 1 ? vaccel_resource_new(&e.res, paths[0], type)
		     : vaccel_resource_multi_new(&e.res, paths, k, type);
	if (ret) {
		put_files(e.st, e.nst);
		return ret;
	}
	pthread_mutex_lock(&c->lock);
	void *grown = realloc(c->res, (c->nres + 1) * sizeof(*c->res));
	e.id = c->res_base + ++c->res_made;
	if (grown) {
		c->res = grown;
		c->res[c->nres++] = e;
	}
	pthread_mutex_unlock(&c->lock);
	if (!grown) {
		vaccel_resource_delete(e.res);
		put_files(e.st, e.nst);
		return VACCEL_ENOMEM;
	}
	counter_add(&stats.resources, 1);
	reply_i64(r, e.id);
	return VACCEL_OK;
}

static int do_resource_release(struct vaccel_agent_client *c, struct request *j, struct vaccel_agent_reply *r)
{
	int64_t id;
	(void)r;
	if (j->nargs != 1 || !vaccel_wire_arg_i64(&j->args[0], &id))
		return VACCEL_EINVAL;
	pthread_mutex_lock(&c->lock);
	struct res_entry *e = res_find(c, id);
	int ret = e ? vaccel_resource_release(e->res) : VACCEL_ENOENT;
	if (e && !ret) {
		free(e->res);
		put_files(e->st, e->nst);
		*e = c->res[--c->nres];
		counter_add(&stats.resources, -1);
	}
	pthread_mutex_unlock(&c->lock);
	return ret;
}

static int do_resource_link(struct vaccel_agent_client *c, struct request *j, bool reg)
{
	int64_t rid, sid;
	if (j->nargs != 2 || !vaccel_wire_arg_i64(&j->args[0], &rid) || !vaccel_wire_arg_i64(&j->args[1], &sid))
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

static int do_resource_register(struct vaccel_agent_client *c, struct request *j, struct vaccel_agent_reply *r)
{
	(void)r;
	return do_resource_link(c, j, true);
}

static int do_resource_unregister(struct vaccel_agent_client *c, struct request *j, struct vaccel_agent_reply *r)
{
	(void)r;
	return do_resource_link(c, j, false);
}

/*
 * The host's policy, on decoded arguments that passed their row's checks,
 * by each argument's kind (wherever it sits in the list): a client never
 * names a file of this host (it uploads it as a resource). A resource it
 * names is its own already: the row's check wants it registered to the
 * session, and a connection registers only its resources to its sessions.
 */
static int apply_policy(uint32_t op, struct vaccel_arg *read, size_t nr)
{
	const struct vaccel_op_info *info = vaccel_op_info(op);
	for (size_t i = 0; i < nr && i < info->nr_read; i++) {
		const struct vaccel_op_arg_info *spec = &info->read[i];
		if (spec->kind == VACCEL_OP_ARG_HOSTPATH && *(const char *)read[i].buf) {
			vaccel_error("agent: %s: arg %s: a client names no host file (upload it as "
				     "a resource)", info->name, spec->name);
			return VACCEL_EPERM;
		}
	}
	return VACCEL_OK;
}

/*
 * A resource a read arg names is the connection's id: the op table's
 * checks and the plugins want the process-wide one, copied here (never
 * written into the frame, which may be the client's shared memory). An id
 * of no resource of this connection is refused as an unregistered one is.
 */
static int map_resource_args(struct vaccel_agent_client *c, uint32_t op, struct vaccel_arg *read,
			     size_t nr, int64_t *host_ids)
{
	const struct vaccel_op_info *info = vaccel_op_info(op);
	int ret = VACCEL_OK;
	pthread_mutex_lock(&c->lock);
	for (size_t i = 0; i < nr && i < info->nr_read && !ret; i++) {
		int64_t id;
		if (info->read[i].kind != VACCEL_OP_ARG_RESOURCE || read[i].size != sizeof(id) ||
		    !read[i].buf)
			continue; /* the row's checks refuse it */
		memcpy(&id, read[i].buf, sizeof(id));
		struct res_entry *e = id ? res_find(c, id) : NULL;
		if (id && !e) {
			vaccel_error("%s: read arg %zu (%s): id %lld names no resource of this "
				     "connection", info->name, i, info->read[i].name, (long long)id);
			ret = VACCEL_EPERM;
		}
		host_ids[i] = e ? e->res->id : 0;
		read[i].buf = &host_ids[i];
	}
	pthread_mutex_unlock(&c->lock);
	return ret;
}

/* Split a GENOP's wire args into the op's read and write lists, in place. */
static int split_args(struct request *j, struct vaccel_arg *read, size_t *nr,
		      struct vaccel_arg *write, size_t *nw)
{
	*nr = *nw = 0;
	for (int i = 2; i < j->nargs; i++) {
		struct vaccel_wire_arg *a = &j->args[i];
		if (!(a->flags & VACCEL_WIRE_ARG_WRITE)) {
			if (!(a->flags & VACCEL_WIRE_ARG_DATA))
				return VACCEL_EINVAL;
			read[(*nr)++] = (struct vaccel_arg){ .buf = a->data, .size = a->size,
							     .type = a->type };
			continue;
		}
		/* The transport gave every output its memory (a buffer, or the
		 * shared region itself). */
		if (a->size && !a->data)
			return VACCEL_EINVAL;
		write[(*nw)++] = (struct vaccel_arg){ .buf = a->data, .size = a->size,
						      .type = a->type };
	}
	return VACCEL_OK;
}

/*
 * GENOP: [session, op, reads..., writes...]. Reads point into the frame,
 * writes at the memory the transport gave them; both are used in place.
 * The lists are checked against the op's row before the policy looks at
 * them, and the policy runs before any plugin does.
 */
static int do_genop(struct vaccel_agent_client *c, struct request *j, struct vaccel_agent_reply *r)
{
	int64_t sid;
	uint32_t op;
	struct vaccel_arg read[VACCEL_WIRE_MAX_ARGS], write[VACCEL_WIRE_MAX_ARGS];
	int64_t host_ids[VACCEL_WIRE_MAX_ARGS];
	size_t nr, nw;
	if (j->nargs < 2 || !vaccel_wire_arg_i64(&j->args[0], &sid) ||
	    !vaccel_wire_arg_u32(&j->args[1], &op) || split_args(j, read, &nr, write, &nw))
		return VACCEL_EINVAL;
	if (op >= VACCEL_OP_MAX || !vaccel_op_info(op)) {
		vaccel_error("agent: op %u is not served here", op);
		return VACCEL_ENOTSUP;
	}
	struct vaccel_session *s = sess_acquire(c, sid);
	if (!s)
		return VACCEL_ENOENT;
	const struct vaccel_op_args a = { op, read, nr, write, nw };
	int ret = map_resource_args(c, op, read, nr, host_ids);
	if (!ret)
		ret = op_check_lists(s, op, read, nr, write, nw);
	if (!ret)
		ret = apply_policy(op, read, nr);
	if (!ret)
		ret = op_run_checked(s, &a);
	sess_release(c, s);
	/* ENOBUFS still answers with the outputs: they say how much is needed. */
	if (ret && ret != VACCEL_ENOBUFS)
		return ret;
	for (size_t i = 0; i < nw; i++)
		r->args[r->n++] = (struct vaccel_wire_out){ write[i].type,
						    VACCEL_WIRE_ARG_WRITE | VACCEL_WIRE_ARG_DATA,
						    write[i].buf, write[i].size };
	return ret;
}

/*
 * Uptime and version, then counts: the whole agent's for the host's
 * operator (vaccel_agent_client_set_operator), else the asking
 * connection's own (itself, its sessions, resources and requests), so a
 * tenant learns nothing of the others' activity.
 */
static int do_status(struct vaccel_agent_client *c, struct request *j, struct vaccel_agent_reply *r)
{
	(void)j;
	static const char version[] = PACKAGE_VERSION;
	r->u64[0] = now_ms() - __atomic_load_n(&stats.started_ms, __ATOMIC_RELAXED);
	if (c->operator) {
		r->u64[1] = __atomic_load_n(&stats.clients, __ATOMIC_RELAXED);
		r->u64[2] = __atomic_load_n(&stats.sessions, __ATOMIC_RELAXED);
		r->u64[3] = __atomic_load_n(&stats.resources, __ATOMIC_RELAXED);
		r->u64[4] = __atomic_load_n(&stats.requests, __ATOMIC_RELAXED);
	} else {
		pthread_mutex_lock(&c->lock);
		r->u64[1] = 1;
		r->u64[2] = c->nsess;
		r->u64[3] = c->nres;
		pthread_mutex_unlock(&c->lock);
		r->u64[4] = __atomic_load_n(&c->requests, __ATOMIC_RELAXED);
	}
	r->args[r->n++] = (struct vaccel_wire_out){ VACCEL_ARG_STRING, VACCEL_WIRE_ARG_DATA, version, sizeof(version) };
	for (int i = 0; i < 5; i++)
		r->args[r->n++] = (struct vaccel_wire_out){ VACCEL_ARG_UINT64, VACCEL_WIRE_ARG_DATA, &r->u64[i], 8 };
	return VACCEL_OK;
}

typedef int (*handler)(struct vaccel_agent_client *, struct request *, struct vaccel_agent_reply *);

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


/*
 * The worker pool, shared by every transport, and its execution slots: at
 * most `workers` requests run at once, pool workers and fast-path runs on
 * a transport's own thread together.
 */
static struct {
	pthread_mutex_t lock;
	pthread_cond_t freed, work;
	unsigned used, max;
	struct vaccel_agent_work *head, *tail;
	bool stopping;
	pthread_t *threads;
	unsigned nthreads;
} pool = { PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, PTHREAD_COND_INITIALIZER,
	   0, 1, NULL, NULL, false, NULL, 0 };

bool vaccel_agent_slot_try(void)
{
	pthread_mutex_lock(&pool.lock);
	bool ok = pool.used < pool.max;
	pool.used += ok;
	pthread_mutex_unlock(&pool.lock);
	return ok;
}

void vaccel_agent_slot_release(void)
{
	pthread_mutex_lock(&pool.lock);
	pool.used--;
	pthread_cond_signal(&pool.freed);
	pthread_mutex_unlock(&pool.lock);
}

/* Take queued work and a slot; NULL once stopping and drained. Lock held. */
static struct vaccel_agent_work *next_work(void)
{
	while (!pool.head && !pool.stopping)
		pthread_cond_wait(&pool.work, &pool.lock);
	struct vaccel_agent_work *w = pool.head;
	if (!w)
		return NULL;
	pool.head = w->next;
	if (!pool.head)
		pool.tail = NULL;
	while (pool.used >= pool.max)
		pthread_cond_wait(&pool.freed, &pool.lock);
	pool.used++;
	return w;
}

static void *pool_worker(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&pool.lock);
	for (struct vaccel_agent_work *w; (w = next_work());) {
		pthread_mutex_unlock(&pool.lock);
		w->run(w);
		pthread_mutex_lock(&pool.lock);
		pool.used--;
		pthread_cond_signal(&pool.freed);
	}
	pthread_mutex_unlock(&pool.lock);
	return NULL;
}

int vaccel_agent_pool_start(unsigned workers)
{
	pool.max = workers ? workers : 1;
	pool.stopping = false;
	pool.threads = calloc(pool.max, sizeof(*pool.threads));
	for (pool.nthreads = 0; pool.threads && pool.nthreads < pool.max; pool.nthreads++)
		if (pthread_create(&pool.threads[pool.nthreads], NULL, pool_worker, NULL))
			break;
	if (pool.nthreads)
		return VACCEL_OK;
	free(pool.threads);
	pool.threads = NULL;
	return VACCEL_ENOMEM;
}

void vaccel_agent_pool_submit(struct vaccel_agent_work *w)
{
	w->next = NULL;
	pthread_mutex_lock(&pool.lock);
	if (pool.tail)
		pool.tail->next = w;
	else
		pool.head = w;
	pool.tail = w;
	pthread_cond_signal(&pool.work);
	pthread_mutex_unlock(&pool.lock);
}

/* Run what is queued, then end the workers. */
static void pool_stop(void)
{
	pthread_mutex_lock(&pool.lock);
	pool.stopping = true;
	pthread_cond_broadcast(&pool.work);
	pthread_mutex_unlock(&pool.lock);
	for (unsigned i = 0; i < pool.nthreads; i++)
		pthread_join(pool.threads[i], NULL);
	free(pool.threads);
	pool.threads = NULL;
	pool.nthreads = 0;
}

void vaccel_agent_init(void)
{
	uint64_t zero = 0;
	__atomic_compare_exchange_n(&stats.started_ms, &zero, now_ms(), false,
				    __ATOMIC_RELAXED, __ATOMIC_RELAXED);
}

static bool sequential_ids;

void vaccel_agent_sequential_ids(bool on)
{
	__atomic_store_n(&sequential_ids, on, __ATOMIC_RELAXED);
}

struct vaccel_agent_client *vaccel_agent_client_new(const struct vaccel_agent_limits *lim)
{
	struct vaccel_agent_client *c = calloc(1, sizeof(*c));
	if (!c)
		return NULL;
	vaccel_agent_init();
	c->id = __atomic_add_fetch(&stats.next_id, 1, __ATOMIC_RELAXED);
	c->lim = *lim;
	if (!__atomic_load_n(&sequential_ids, __ATOMIC_RELAXED)) {
		c->sess_base = agent_ids_base();
		c->res_base = agent_ids_base();
	}
	agent_store_ns_new(c->ns);
	pthread_mutex_init(&c->lock, NULL);
	counter_add(&stats.clients, 1);
	return c;
}

uint64_t vaccel_agent_client_id(const struct vaccel_agent_client *c)
{
	return c->id;
}

void vaccel_agent_client_set_operator(struct vaccel_agent_client *c, bool yes)
{
	c->operator = yes;
}

void vaccel_agent_client_free(struct vaccel_agent_client *c)
{
	if (!c)
		return;
	pthread_mutex_lock(&c->lock);
	size_t ns = c->nsess, nr = c->nres;
	while (c->nsess)
		sess_remove_at(c, c->nsess - 1);
	for (size_t i = 0; i < c->nres; i++) {
		vaccel_resource_delete(c->res[i].res);
		put_files(c->res[i].st, c->res[i].nst);
		counter_add(&stats.resources, -1);
	}
	c->nres = 0;
	pthread_mutex_unlock(&c->lock);
	agent_store_ns_drop(c->ns);
	if (ns || nr)
		vaccel_info("agent: client %llu gone: released %zu sessions, %zu resources",
			    (unsigned long long)c->id, ns, nr);
	free(c->sess);
	free(c->res);
	pthread_mutex_destroy(&c->lock);
	free(c);
	counter_add(&stats.clients, -1);
}

/* agent_ids_map for a client: its id for a process-wide one. */
static int64_t connection_id_of(void *ctx, bool session, int64_t host_id)
{
	struct vaccel_agent_client *c = ctx;
	int64_t id = -1;
	pthread_mutex_lock(&c->lock);
	for (size_t i = 0; session && i < c->nsess && id < 0; i++)
		if (c->sess[i].sess->id == host_id)
			id = c->sess[i].id;
	for (size_t i = 0; !session && i < c->nres && id < 0; i++)
		if (c->res[i].res->id == host_id)
			id = c->res[i].id;
	pthread_mutex_unlock(&c->lock);
	return id;
}

int vaccel_agent_execute(struct vaccel_agent_client *c, uint32_t op,
			 struct vaccel_wire_arg *args, int nargs, struct vaccel_agent_reply *r)
{
	struct request j = { args, nargs };
	memset(r, 0, sizeof(*r));
	if (op == 0 || op >= VACCEL_WIRE_OP_MAX || !handlers[op])
		return r->status = VACCEL_EINVAL;
	vaccel_log_clear_last_error();
	r->status = handlers[op](c, &j, r);
	counter_add(&stats.requests, 1);
	__atomic_add_fetch(&c->requests, 1, __ATOMIC_RELAXED);
	/* A failure carries the agent's message; ENOBUFS keeps its outputs. */
	if (r->status && r->status != VACCEL_ENOBUFS) {
		agent_ids_rewrite(vaccel_log_last_error(), r->message, sizeof(r->message),
				  connection_id_of, c);
		r->n = 0;
		if (r->message[0])
			r->args[r->n++] = (struct vaccel_wire_out){ VACCEL_ARG_STRING, VACCEL_WIRE_ARG_DATA,
								    r->message, strlen(r->message) + 1 };
	}
	return r->status;
}

void vaccel_agent_shutdown(void)
{
	pool_stop();
	agent_store_fini();
}
