/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The remote plugin, shared by the transports (rpc, virtio): remote.c turns
 * every op into requests on a channel, by the op's row; each transport
 * provides its channel (struct chan_ops) and its plugin descriptor (with
 * REMOTE_ENTRIES). Built into libvaccel: profiles name them "rpc", "virtio".
 */
#ifndef VACCEL_REMOTE_H
#define VACCEL_REMOTE_H

#include <pthread.h>
#include <vaccel/infer.h>
#include <vaccel/plugin.h>
#include <vaccel/vision.h>
#include "wire/wire.h"

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

/* ---- what a transport provides: its channel ---- */
struct chan;
struct remote;
struct chan_ops {
	/* Open the instance's channel to its agent (errors are logged). */
	int (*open)(struct remote *r, struct chan **out);
	void (*get)(struct chan *c);
	void (*put)(struct chan *c);
	/* What the channel knows without asking (no system call: every call asks). */
	bool (*alive)(struct chan *c);
	/* Find out, with a system call if needed (between sessions, for listings). */
	bool (*probe)(struct chan *c);
	/* Whether the agent at the other end serves op (its handshake says). */
	bool (*serves)(struct chan *c, uint32_t op);
	/*
	 * One request and its reply. Write args (flag WRITE) are outputs: their
	 * data pointers are the caller's buffers, which get the results; dst
	 * lists where the reply's other args land (for GENOP, the write buffers
	 * again). Returns the agent's status or a transport error.
	 */
	int (*call)(struct chan *c, uint32_t op, const struct vaccel_wire_out *args, size_t n,
		    struct rpc_in *dst, size_t ndst);
};

/*
 * ---- what remote.c provides ----
 * One instance of a transport plugin starts with a struct remote, which is
 * the context its entry points receive; the transport's options follow.
 */
struct remote {
	const char *name;           /* "rpc", "virtio": for messages */
	const struct chan_ops *chan;
	char address[300];
	struct chan *shared;        /* the instance's channel, replaced once dead */
	pthread_mutex_t lock;
	int *live;                  /* the transport's count of live instances */
};

/*
 * The address a new instance of a transport serves: the environment
 * variable `env` for the first live instance, else its 'address' option;
 * NULL when neither is set. `live` counts the transport's instances.
 */
const char *remote_address(const struct vaccel_plugin_options *opts, const char *env,
			   const int *live);
/* Counted in *live until remote_fini. */
void remote_init(struct remote *r, const char *name, const struct chan_ops *chan,
		 const char *address, int *live);
void remote_fini(struct remote *r);
int remote_session_init(void *ctx, struct vaccel_session *sess);
void remote_session_release(void *ctx, struct vaccel_session *sess);
/* Any op of the op table, encoded by its row. */
int remote_any_op(void *ctx, struct vaccel_session *sess, const struct vaccel_op_args *a);
bool remote_serves(void *ctx, vaccel_op_type_t op);
void remote_describe(void *ctx, char *buf, size_t len);
/* The channel a session's requests go on, or NULL. */
struct chan *remote_session_chan(struct remote *r, struct vaccel_session *sess);

/* A transport's descriptor fields: VACCEL_PLUGIN_DEFINE(..., REMOTE_ENTRIES). */
#define REMOTE_ENTRIES                                 \
	.session_init = remote_session_init,           \
	.session_release = remote_session_release,     \
	.any_op = remote_any_op,                       \
	.serves = remote_serves,                       \
	.describe = remote_describe,                   \
	.type = VACCEL_PLUGIN_REMOTE

#endif
