/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A call on any channel (chan_call): the request gets an id and a place in
 * the pending table, goes out through the channel's send, and its caller
 * waits a bounded time for the reply. Replies are received by one waiting
 * caller at a time (the others sleep on `turn`), which lands every reply
 * with its own caller; a lone caller receives its own, with no hand-off.
 * A dead channel fails every waiting caller at once.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include "transport/chan.h"

void calls_init(struct calls *k, const struct chan_ops *ops, const char *name,
		const char *address, int timeout_ms, bool timeout_kills)
{
	k->ops = ops;
	k->name = name;
	k->address = address;
	k->timeout_ms = timeout_ms;
	k->timeout_kills = timeout_kills;
	k->receiving = k->dead = false;
	k->pending = NULL;
	k->next_id = 0;
	k->why[0] = '\0';
	pthread_mutex_init(&k->lock, NULL);
	pthread_condattr_t ca;
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&k->turn, &ca);
	pthread_condattr_destroy(&ca);
}

void calls_destroy(struct calls *k)
{
	pthread_cond_destroy(&k->turn);
	pthread_mutex_destroy(&k->lock);
}

/* Lock held. */
static void fail_locked(struct calls *k, const char *why)
{
	if (!k->dead)
		snprintf(k->why, sizeof(k->why), "%s", why);
	__atomic_store_n(&k->dead, true, __ATOMIC_RELAXED);
	for (struct call *p = k->pending; p; p = p->next) {
		if (p->state == CALL_WAITING) {
			p->state = CALL_DONE;
			p->status = VACCEL_EIO;
		}
	}
	pthread_cond_broadcast(&k->turn);
}

void calls_fail(struct calls *k, const char *why)
{
	pthread_mutex_lock(&k->lock);
	fail_locked(k, why);
	pthread_mutex_unlock(&k->lock);
}

/* The waiting call with this id; lock held. */
static struct call *find(struct calls *k, uint64_t id)
{
	for (struct call *p = k->pending; p; p = p->next)
		if (p->id == id && p->state == CALL_WAITING)
			return p;
	return NULL;
}

struct call *calls_claim(struct calls *k, uint64_t id)
{
	pthread_mutex_lock(&k->lock);
	struct call *p = find(k, id);
	if (p)
		p->state = CALL_RECEIVING;
	pthread_mutex_unlock(&k->lock);
	return p;
}

void calls_land(struct calls *k, struct call *p, int status)
{
	pthread_mutex_lock(&k->lock);
	p->state = CALL_DONE;
	p->status = status;
	pthread_mutex_unlock(&k->lock);
}

void calls_answer(struct calls *k, uint64_t id, int status)
{
	pthread_mutex_lock(&k->lock);
	struct call *p = find(k, id);
	if (p) {
		p->state = CALL_DONE;
		p->status = status;
		pthread_cond_broadcast(&k->turn);
	}
	pthread_mutex_unlock(&k->lock);
}

static struct timespec deadline_in(int ms)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	t.tv_sec += ms / 1000;
	t.tv_nsec += (long)(ms % 1000) * 1000000L;
	if (t.tv_nsec >= 1000000000L) {
		t.tv_sec++;
		t.tv_nsec -= 1000000000L;
	}
	return t;
}

static long ms_until(const struct timespec *t)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return (t->tv_sec - now.tv_sec) * 1000 + (t->tv_nsec - now.tv_nsec) / 1000000;
}

/* Time is up for p, still waiting; lock held. */
static void time_out(struct calls *k, struct call *p)
{
	char why[64];
	snprintf(why, sizeof(why), "no reply within %d ms", k->timeout_ms);
	if (k->timeout_kills) {
		/* The agent may still write into the request's buffers: nothing
		 * of this channel is reused. */
		fail_locked(k, why);
		return;
	}
	p->state = CALL_DONE;
	p->status = VACCEL_ETIMEDOUT;
	vaccel_error("%s: %s: %s", k->name, k->address, why);
}

/* Wait for p's reply, receiving while nobody else does; lock held. */
static void await(struct calls *k, struct call *p, struct chan *c)
{
	struct timespec deadline = deadline_in(k->timeout_ms);
	while (p->state != CALL_DONE) {
		long left_ms = ms_until(&deadline);
		int w = 0;
		if (left_ms > 0 && !k->receiving) {
			k->receiving = true;
			pthread_mutex_unlock(&k->lock);
			int r = k->ops->receive(c, (int)left_ms);
			pthread_mutex_lock(&k->lock);
			k->receiving = false;
			if (r && r != ETIMEDOUT)
				fail_locked(k, "connection lost during the call");
			pthread_cond_broadcast(&k->turn); /* a reply landed, or take over */
			w = r == ETIMEDOUT ? ETIMEDOUT : 0;
		} else if (left_ms > 0) {
			w = pthread_cond_timedwait(&k->turn, &k->lock, &deadline);
		} else {
			w = ETIMEDOUT;
		}
		/* Time is up, but a reply already being received is let finish. */
		if (w == ETIMEDOUT && p->state == CALL_WAITING)
			time_out(k, p);
	}
}

static void unlink_call(struct calls *k, struct call *p)
{
	for (struct call **it = &k->pending; *it; it = &(*it)->next) {
		if (*it == p) {
			*it = p->next;
			break;
		}
	}
}

/*
 * Send a frame of `type` and wait for its answer: p, on the caller's stack,
 * not zeroed (the channel's room is filled as used), ends with the status
 * and the agent's message.
 */
static int call(struct chan *c, struct call *p, uint16_t type, uint32_t op,
		const struct vaccel_wire_out *args, size_t n, struct rpc_in *dst, size_t ndst)
{
	struct calls *k = chan_calls(c);
	p->type = type;
	p->state = CALL_WAITING;
	p->status = VACCEL_OK;
	p->dst = dst;
	p->ndst = ndst;
	p->message[0] = '\0';

	pthread_mutex_lock(&k->lock);
	p->id = ++k->next_id;
	p->next = k->pending;
	k->pending = p;
	pthread_mutex_unlock(&k->lock);

	/* Not sent: the channel said why, and the agent ran nothing of it. */
	int sent = k->ops->send(c, p, op, args, n);
	pthread_mutex_lock(&k->lock);
	if (!sent)
		await(k, p, c);
	unlink_call(k, p);
	pthread_mutex_unlock(&k->lock);
	if (sent)
		return sent;
	return k->ops->done ? k->ops->done(c, p, op, args, n) : p->status;
}

int chan_call(struct chan *c, uint32_t op, const struct vaccel_wire_out *args, size_t n,
	      struct rpc_in *dst, size_t ndst)
{
	struct calls *k = chan_calls(c);
	struct call p;
	int ret = call(c, &p, VACCEL_WIRE_REQUEST, op, args, n, dst, ndst);
	if (ret == VACCEL_EIO && calls_dead(k))
		vaccel_error("%s: %s: %s", k->name, k->address, k->why);
	else if (ret && p.message[0])
		vaccel_error("agent %s: %s", k->address, p.message);
	return ret;
}

/* ---- the handshake ---- */

int chan_hello(struct chan *c, const char *token, char *err, size_t errlen)
{
	struct calls *k = chan_calls(c);
	uint32_t version = VACCEL_WIRE_VERSION, agent_version = 0;
	char agent_name[64] = "";
	struct vaccel_wire_out hello[] = {
		rpc_u32(&version),
		{ VACCEL_ARG_BUFFER, VACCEL_WIRE_ARG_DATA, token, token ? strlen(token) : 0 },
	};
	struct rpc_in dst[] = { { &agent_version, 4 }, { &k->max_frame, 4 },
				{ agent_name, sizeof(agent_name) - 1 }, { k->served, sizeof(k->served) } };
	struct call p;
	k->max_frame = VACCEL_WIRE_DEFAULT_MAX_FRAME; /* until the agent says */
	int ret = call(c, &p, VACCEL_WIRE_HELLO, 0, hello, 2, dst, 4);
	if (ret == VACCEL_EPERM) {
		snprintf(err, errlen, "%s: agent refused the connection: bad or missing token",
			 k->address);
	} else if (ret == VACCEL_EBACKEND && p.message[0]) {
		snprintf(err, errlen, "%s: %s", k->address, p.message);
	} else if (ret) {
		snprintf(err, errlen, "%s: handshake failed: %s", k->address,
			 calls_dead(k) ? k->why : p.message[0] ? p.message : vaccel_strerror(ret));
		return VACCEL_EIO;
	}
	if (ret)
		return ret;
	if (k->max_frame < VACCEL_WIRE_HDR_SIZE)
		k->max_frame = VACCEL_WIRE_HDR_SIZE;
	vaccel_debug("%s: %s: agent %s, protocol %u, max frame %u", k->name, k->address,
		     agent_name, agent_version, k->max_frame);
	return VACCEL_OK;
}

bool chan_serves(struct chan *c, uint32_t op)
{
	const struct calls *k = chan_calls(c);
	return op < 256 && (k->served[op / 32] & (1u << (op % 32)));
}
