/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The calls in flight on one channel, written once above the channels:
 * request ids, the pending table, which waiting thread receives replies
 * (one at a time, no thread of our own: a lone caller receives its own
 * reply, with no hand-off) and each call's deadline. A channel only sends
 * a request frame and receives the next reply (chan.h); this layer matches
 * replies to their callers.
 */
#ifndef VACCEL_CALLS_H
#define VACCEL_CALLS_H

#include <pthread.h>
#include <stdalign.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct rpc_in;
struct chan_ops;

enum call_state { CALL_WAITING, CALL_RECEIVING, CALL_DONE };

/* Room in each call for the channel's own record of the request. */
#define CALL_CHAN_BYTES 1280

/* One request, from its send to its reply; lives on its caller's stack. */
struct call {
	uint64_t id;
	uint16_t type;           /* the frame's: REQUEST, or HELLO (chan_hello) */
	enum call_state state;
	int status;              /* the reply's, or why there is none */
	struct rpc_in *dst;      /* where the reply's inline args land */
	size_t ndst;
	struct call *next;
	char message[512];       /* the agent's error message, if it sent one */
	alignas(max_align_t) unsigned char chan[CALL_CHAN_BYTES]; /* the channel's */
};

/* The calls of one channel: the first member of every struct chan. */
struct calls {
	const struct chan_ops *ops; /* the channel's kind */
	pthread_mutex_t lock;    /* everything below */
	pthread_cond_t turn;     /* a reply landed, or the receiving role is free */
	bool receiving;          /* a waiting thread receives replies */
	bool dead;
	bool timeout_kills;      /* a call timed out kills the channel (virtqueue) */
	struct call *pending;
	uint64_t next_id;
	int timeout_ms;
	const char *name;        /* "rpc", "virtio": for messages */
	const char *address;
	char why[160];           /* why the channel died */
	/* From the agent's WELCOME (chan_hello): */
	uint32_t max_frame;      /* the largest frame it takes */
	uint32_t served[8];      /* bitmap of the op types it serves */
};

void calls_init(struct calls *k, const struct chan_ops *ops, const char *name, const char *address, int timeout_ms,
		bool timeout_kills);
void calls_destroy(struct calls *k);

/* Whether the channel died (no system call, no lock). */
static inline bool calls_dead(struct calls *k)
{
	return __atomic_load_n(&k->dead, __ATOMIC_RELAXED);
}

/* The channel died: every waiting call fails with VACCEL_EIO; the first why stays. */
void calls_fail(struct calls *k, const char *why);

/* For a channel's receive: the waiting call id answers (now receiving), or NULL. */
struct call *calls_claim(struct calls *k, uint64_t id);
/* For a channel's receive: the claimed call's reply has landed. */
void calls_land(struct calls *k, struct call *p, int status);
/* Both at once, for a reply that stays where it lies (the virtqueue's). */
void calls_answer(struct calls *k, uint64_t id, int status);

/*
 * The handshake, the same on every channel: a HELLO (the protocol version,
 * the token or nothing) as the channel's first call, answered by a WELCOME
 * whose op bitmap chan_serves() reads. 0, or a VACCEL_* code with the
 * reason in err: VACCEL_EPERM (token refused), VACCEL_EBACKEND (the two
 * ends speak different protocol versions, both named), VACCEL_EIO (no
 * answer).
 */
struct chan;
int chan_hello(struct chan *c, const char *token, char *err, size_t errlen);
/* Whether the agent serves op, as its WELCOME said. */
bool chan_serves(struct chan *c, uint32_t op);

#endif
