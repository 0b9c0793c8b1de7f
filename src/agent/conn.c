/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A client's connection in the agent, for every channel: its client
 * state, its requests in flight (bounded), and where each runs. The
 * channel (agent/socket-server.c, agent/virtio-device.c) reads requests
 * and answers them through its agent_channel_ops.
 */
#include <string.h>
#include "agent/conn.h"

int agent_conn_init(struct agent_conn *c, const struct agent_channel_ops *ops,
		    const struct vaccel_agent_limits *lim, unsigned max_inflight,
		    uint64_t max_bytes)
{
	*c = (struct agent_conn){ .ops = ops, .lim = *lim, .max_inflight = max_inflight,
				  .max_bytes = max_bytes };
	if (!(c->client = vaccel_agent_client_new(lim)))
		return VACCEL_ENOMEM;
	pthread_mutex_init(&c->lock, NULL);
	pthread_cond_init(&c->idle, NULL);
	return VACCEL_OK;
}

void agent_conn_fini(struct agent_conn *c)
{
	agent_conn_drop_client(c);
	pthread_mutex_destroy(&c->lock);
	pthread_cond_destroy(&c->idle);
}

void agent_conn_drop_client(struct agent_conn *c)
{
	agent_conn_wait_idle(c);
	vaccel_agent_client_free(c->client);
	c->client = NULL;
}

int agent_conn_restart(struct agent_conn *c)
{
	agent_conn_drop_client(c);
	c->client = vaccel_agent_client_new(&c->lim);
	if (c->client)
		vaccel_agent_client_set_operator(c->client, c->operator);
	return c->client ? VACCEL_OK : VACCEL_ENOMEM;
}

void agent_conn_set_operator(struct agent_conn *c, bool yes)
{
	c->operator = yes;
	if (c->client)
		vaccel_agent_client_set_operator(c->client, yes);
}

uint64_t agent_conn_id(const struct agent_conn *c)
{
	return c->client ? vaccel_agent_client_id(c->client) : 0;
}

static bool full(const struct agent_conn *c)
{
	return c->inflight >= c->max_inflight || (c->max_bytes && c->inflight_bytes >= c->max_bytes);
}

void agent_conn_wait_for_room(struct agent_conn *c)
{
	pthread_mutex_lock(&c->lock);
	while (full(c))
		pthread_cond_wait(&c->idle, &c->lock);
	pthread_mutex_unlock(&c->lock);
}

void agent_conn_wait_idle(struct agent_conn *c)
{
	pthread_mutex_lock(&c->lock);
	while (c->inflight)
		pthread_cond_wait(&c->idle, &c->lock);
	pthread_mutex_unlock(&c->lock);
}

/* Prepare, execute, answer, release; then it no longer counts in flight. */
static void run(struct agent_request *rq)
{
	struct agent_conn *c = rq->conn;
	struct vaccel_agent_reply r;
	int ret = c->ops->prepare(rq);
	if (ret) {
		memset(&r, 0, sizeof(r));
		r.status = ret;
	} else {
		vaccel_agent_execute(c->client, rq->op, rq->args, rq->nargs, &r);
	}
	c->ops->answer(rq, &r);
	uint64_t bytes = rq->bytes;
	c->ops->done(rq); /* rq may be gone now */
	pthread_mutex_lock(&c->lock);
	c->inflight--;
	c->inflight_bytes -= bytes;
	/* Waited on for room (the reader) and for idle (restart, close). */
	pthread_cond_broadcast(&c->idle);
	pthread_mutex_unlock(&c->lock);
}

static void run_queued(struct vaccel_agent_work *w)
{
	run((struct agent_request *)w);
}

bool agent_conn_run_here(struct agent_conn *c, struct agent_request *rq)
{
	pthread_mutex_lock(&c->lock);
	/* Pipelined requests go to the pool instead, so that they run in parallel. */
	bool here = c->inflight == 0 && vaccel_agent_slot_try();
	if (here) {
		c->inflight++;
		c->inflight_bytes += rq->bytes;
	}
	pthread_mutex_unlock(&c->lock);
	if (!here)
		return false;
	rq->queued = false;
	run(rq);
	vaccel_agent_slot_release();
	return true;
}

void agent_conn_queue(struct agent_conn *c, struct agent_request *rq)
{
	pthread_mutex_lock(&c->lock);
	c->inflight++;
	c->inflight_bytes += rq->bytes;
	pthread_mutex_unlock(&c->lock);
	rq->queued = true;
	rq->work.run = run_queued;
	vaccel_agent_pool_submit(&rq->work);
}
