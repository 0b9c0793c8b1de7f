/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Private to the agent: one client's connection, whatever channel carries
 * it (a socket, a virtqueue). The channel reads and checks requests and
 * answers them; this layer owns the client's state and runs its requests:
 * on the reading thread when nothing else of the connection runs and an
 * execution slot is free (no hand-off, the fast path), else in the pool,
 * with the requests and bytes in flight bounded per connection.
 */
#ifndef VACCEL_AGENT_CONN_H
#define VACCEL_AGENT_CONN_H

#include <pthread.h>
#include <vaccel/error.h>
#include "agent/agent.h"

struct agent_conn;

/* One request a channel read, as the connection runs it. */
struct agent_request {
	struct vaccel_agent_work work;   /* first: the pool runs it */
	struct agent_conn *conn;
	uint32_t op;                     /* a VACCEL_WIRE_* request */
	uint64_t bytes;                  /* counted in flight until answered */
	struct vaccel_wire_arg *args;    /* decoded, in the channel's memory */
	int nargs;
	bool queued;                     /* the pool runs it: it outlives the reading call */
};

/* What a channel does around each request it handed over. */
struct agent_channel_ops {
	/*
	 * Before the request runs: give its outputs memory, copy what the
	 * client could change under it. 0, or the status its reply carries
	 * (it then does not run).
	 */
	int (*prepare)(struct agent_request *rq);
	/* Send the reply on the channel (a client that cannot take it is cut off). */
	void (*answer)(struct agent_request *rq, struct vaccel_agent_reply *r);
	/* Release what the request holds, the request too when rq->queued. */
	void (*done)(struct agent_request *rq);
};

struct agent_conn {
	const struct agent_channel_ops *ops;
	struct vaccel_agent_client *client;
	struct vaccel_agent_limits lim;
	unsigned max_inflight;           /* requests read and not yet answered */
	uint64_t max_bytes;              /* their bytes; 0: not bounded here */
	pthread_mutex_t lock;            /* inflight, inflight_bytes */
	pthread_cond_t idle;             /* a request of this connection finished */
	unsigned inflight;
	uint64_t inflight_bytes;
	bool operator;                   /* its clients see the whole agent's STATUS */
};

/* A new client on a new connection; VACCEL_ENOMEM when there is no memory. */
int agent_conn_init(struct agent_conn *c, const struct agent_channel_ops *ops,
		    const struct vaccel_agent_limits *lim, unsigned max_inflight,
		    uint64_t max_bytes);
/* Wait for the requests in flight, release everything the client made. */
void agent_conn_fini(struct agent_conn *c);
/* A new client on the same connection (the old one's state released first). */
int agent_conn_restart(struct agent_conn *c);
/* The client left: release its state now (agent_conn_fini still follows). */
void agent_conn_drop_client(struct agent_conn *c);
uint64_t agent_conn_id(const struct agent_conn *c);
/* The connection is the host operator's: its clients, now and after a restart. */
void agent_conn_set_operator(struct agent_conn *c, bool yes);

/*
 * Before reading the next request: a client at its bound of requests or
 * bytes in flight is read no further until one is answered (its channel
 * fills and it waits; the agent's memory stays bounded).
 */
void agent_conn_wait_for_room(struct agent_conn *c);
void agent_conn_wait_idle(struct agent_conn *c);

/*
 * Run a request the channel read (rq->conn set). On this thread when the
 * connection has nothing else running and a slot is free: true, and rq is
 * done when this returns. Otherwise false: nothing happened, and the
 * channel hands agent_conn_queue a request that outlives the call.
 */
bool agent_conn_run_here(struct agent_conn *c, struct agent_request *rq);
void agent_conn_queue(struct agent_conn *c, struct agent_request *rq);

#endif
