/* SPDX-License-Identifier: Apache-2.0 */
/*
 * vaccel extension: the host agent. A transport plugin that can serve
 * exports, beside its plugin descriptor, a struct vaccel_agent_server named
 * VACCEL_AGENT_SYMBOL; `vaccel agent` finds it with vaccel_plugin_symbol().
 */
#ifndef VACCEL_AGENT_H
#define VACCEL_AGENT_H

#include <vaccel/types.h>
#include <vaccel/wire.h>

#define VACCEL_AGENT_SYMBOL "vaccel_agent_server"

struct vaccel_agent_config {
	const char *const *listen;  /* addresses: unix://, tcp://, vsock:// */
	size_t nr_listen;
	unsigned workers;           /* requests executed in parallel */
	uint32_t max_frame;         /* largest frame accepted, bytes */
	uint64_t max_resource;      /* largest resource accepted, bytes */
	unsigned socket_mode;       /* mode of UNIX sockets, e.g. 0600 */
	const char *token;          /* shared token TCP clients must present, or NULL */
};

struct vaccel_agent_status {
	char version[32];
	uint64_t uptime_ms;
	uint64_t connections;       /* open now */
	uint64_t sessions;          /* live now */
	uint64_t resources;         /* live now */
	uint64_t requests;          /* served since start */
};

struct vaccel_agent_server {
	uint32_t size;              /* sizeof at build time, for growth */
	const char *schemes;        /* address schemes it serves, space-separated */
	/*
	 * Listen on cfg->listen (addresses of this server's schemes) and serve
	 * in background threads; errors are logged. One server instance per
	 * process.
	 */
	int (*start)(const struct vaccel_agent_config *cfg);
	/* Stop accepting, finish and answer requests in flight, release
	 * every client, remove socket files. */
	void (*stop)(void);
	/* Ask the agent at `address` for its status. */
	int (*status)(const char *address, const char *token,
		      struct vaccel_agent_status *out, char *err, size_t errlen);
};

/*
 * The request executor every transport's server side shares: a client
 * is one connection (or one virtqueue) and owns what it creates.
 */
struct vaccel_wire_arg;
struct vaccel_agent_client;

struct vaccel_agent_limits {
	uint32_t max_frame;
	uint64_t max_resource;
};

/* A reply: args point into this struct or at the request's write args. */
struct vaccel_agent_reply {
	int status;
	struct vaccel_wire_out args[VACCEL_WIRE_MAX_ARGS];
	size_t n;
	int64_t i64;
	uint64_t u64[5];
	char message[512];          /* the error message a failure carries */
};

#ifdef __cplusplus
extern "C" {
#endif

/* Start the uptime clock (once; later calls do nothing). */
void vaccel_agent_init(void);
/*
 * The worker pool every transport submits requests to: at most `workers`
 * requests run at once. A transport may instead run a request on the
 * thread that read it (no hand-off, the fast path) when it gets one of the
 * same execution slots with _try, and gives it back with _release.
 */
struct vaccel_agent_work {
	void (*run)(struct vaccel_agent_work *w);   /* called on a pool thread */
	struct vaccel_agent_work *next;             /* the pool's */
};
int vaccel_agent_pool_start(unsigned workers);
void vaccel_agent_pool_submit(struct vaccel_agent_work *w);
bool vaccel_agent_slot_try(void);
void vaccel_agent_slot_release(void);
/* After the transports stopped: run what is queued, end the pool, remove
 * the resource store's directory. */
void vaccel_agent_shutdown(void);
struct vaccel_agent_client *vaccel_agent_client_new(const struct vaccel_agent_limits *lim);
uint64_t vaccel_agent_client_id(const struct vaccel_agent_client *c);
/* Release every session and resource the client created, then the client. */
void vaccel_agent_client_free(struct vaccel_agent_client *c);
/*
 * Run one request (a VACCEL_WIRE_* op) with its decoded args. Write args
 * must point at memory the transport provides (DATA ones holding their
 * input); outputs are written there in place. Thread-safe: requests of one
 * client may run concurrently. Returns reply->status.
 */
int vaccel_agent_execute(struct vaccel_agent_client *c, uint32_t op,
			 struct vaccel_wire_arg *args, int nargs,
			 struct vaccel_agent_reply *reply);

/*
 * Find the plugin `plugin` as the loader would and return its exported
 * symbol `symbol` (the plugin stays loaded). VACCEL_ENOENT when either is
 * missing, with the reason in err.
 */
int vaccel_plugin_symbol(const char *plugin, const char *symbol, void **out,
			 char *err, size_t errlen);

#ifdef __cplusplus
}
#endif

#endif
