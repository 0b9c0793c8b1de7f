/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Private to libvaccel: the agent's core, shared by every channel's
 * server side (socket-server.c, virtio-device.c) through the connection
 * layer (conn.h). A client is one connection (or one virtqueue) and owns
 * what it creates; its requests run here through this process's own
 * plugins. Specified in vaccel-protocol(7).
 */
#ifndef VACCEL_AGENT_PRIVATE_H
#define VACCEL_AGENT_PRIVATE_H

#include <vaccel/agent.h>
#include "wire/wire.h"

/* One transport's server side: the address schemes it serves. */
struct agent_transport {
	const char *const *schemes;   /* "unix", "tcp", ... NULL-terminated */
	/* Listen on cfg->listen (addresses of its schemes), serve in background threads. */
	int (*start)(const struct vaccel_agent_config *cfg);
	/* Stop accepting, finish and answer requests in flight, release every client. */
	void (*stop)(void);
};

extern const struct agent_transport agent_socket_server;  /* socket-server.c */
extern const struct agent_transport agent_virtio_device;  /* virtio-device.c */


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
/*
 * Whether STATUS tells this client the whole agent's counts (the host's
 * operator) rather than its own connection's. Off for a new client.
 */
void vaccel_agent_client_set_operator(struct vaccel_agent_client *c, bool yes);
/* Tests and fuzzing only: clients made after this are handed ids 1, 2, ...
 * instead of ids from a random base of their own. */
void vaccel_agent_sequential_ids(bool on);
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

#endif
