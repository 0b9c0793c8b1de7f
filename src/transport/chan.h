/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The client side of a channel to an agent, by address: sockets
 * (unix://, tcp://, vsock://, serial://: rpc-conn.c) and the shared-memory
 * virtqueue (virtio://, ivshmem://: virtio-driver.c). The remote plugin
 * (remote.c) and the agent's status request drive any of them through
 * these calls; nothing here knows an op of the op table.
 */
#ifndef VACCEL_CHAN_H
#define VACCEL_CHAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <vaccel/plugin.h>
#include "wire/wire.h"
#include "transport/calls.h"

/* Where one inline argument of a reply lands. */
struct rpc_in {
	void *buf;
	uint64_t size;       /* capacity in; bytes received out */
};

static inline struct vaccel_wire_out rpc_i64(const int64_t *v)
{
	return (struct vaccel_wire_out){ VACCEL_ARG_INT64, VACCEL_WIRE_ARG_DATA, v, 8 };
}

static inline struct vaccel_wire_out rpc_u32(const uint32_t *v)
{
	return (struct vaccel_wire_out){ VACCEL_ARG_UINT32, VACCEL_WIRE_ARG_DATA, v, 4 };
}

/* How a channel is opened: what each kind uses of it. */
struct chan_options {
	const char *token;      /* sockets: said in the hello (NULL: none) */
	int timeout_ms;         /* the handshake, and each request's reply */
	unsigned spin_us;       /* virtqueue: spin this long before sleeping */
};

/* A channel: each kind's own struct, whose first member is its struct calls. */
struct chan;

static inline struct calls *chan_calls(struct chan *c)
{
	return (struct calls *)(void *)c;
}

struct chan_ops {
	const char *const *schemes;   /* the address schemes it serves */
	/* Connect and say hello; the channel starts with one ref. */
	int (*open)(const char *address, const struct chan_options *o, struct chan **out,
		    char *err, size_t errlen);
	void (*get)(struct chan *c);
	void (*put)(struct chan *c);
	/* What the channel knows without asking (no system call: every call asks). */
	bool (*alive)(struct chan *c);
	/* Find out, with a system call if needed (between sessions, for listings). */
	bool (*probe)(struct chan *c);
	/* Whether the agent at the other end serves op (its handshake says). */
	bool (*serves)(struct chan *c, uint32_t op);
	/*
	 * One request and its reply: chan_call for every kind (calls.c). Write
	 * args (flag WRITE) are outputs: their data pointers are the caller's
	 * buffers, which get the results; dst lists where the reply's other
	 * args land (for GENOP, the write buffers again). Returns the agent's
	 * status or a transport error.
	 */
	int (*call)(struct chan *c, uint32_t op, const struct vaccel_wire_out *args, size_t n,
		    struct rpc_in *dst, size_t ndst);
	/*
	 * Send p's request frame, tagged p->id, from the args' own memory;
	 * p->chan is the channel's room for its record of the request. Not 0:
	 * nothing went out (the channel said why).
	 */
	int (*send)(struct chan *c, struct call *p, uint32_t op,
		    const struct vaccel_wire_out *args, size_t n);
	/*
	 * Receive replies for up to max_ms, landing each with the call it
	 * answers (calls_claim and calls_land, or calls_answer): 0, ETIMEDOUT
	 * when none came, another value when the channel is lost. Called by
	 * one waiting thread at a time.
	 */
	int (*receive)(struct chan *c, int max_ms);
	/*
	 * Optional: p, sent, is over (answered or failed); finish it in its
	 * caller's thread (the virtqueue reads the reply where it lies and
	 * takes back the request's buffers). Returns the call's status.
	 */
	int (*done)(struct chan *c, struct call *p, uint32_t op,
		    const struct vaccel_wire_out *args, size_t n);
	/* A buffer the channel carries without a copy, and back (NULL: none). */
	void *(*alloc)(struct chan *c, size_t size);
	int (*free)(struct chan *c, void *p);
};

extern const struct chan_ops socket_chan;     /* rpc-conn.c */
extern const struct chan_ops virtqueue_chan;  /* virtio-driver.c */

/* One request and its reply on any channel (calls.c). */
int chan_call(struct chan *c, uint32_t op, const struct vaccel_wire_out *args, size_t n,
	      struct rpc_in *dst, size_t ndst);

/* The channel kind whose scheme starts address, or NULL. */
const struct chan_ops *chan_kind(const char *address);

#endif
