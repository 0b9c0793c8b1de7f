/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The remote plugin: remote.c turns every op into requests on a channel
 * (chan.h), by the op's row, whichever channel the instance's address
 * names. Profiles name it "rpc" (socket addresses by default,
 * rpc-plugin.c) or "virtio" (virtqueue addresses by default,
 * virtio-plugin.c); either takes any channel's address. Each is a
 * descriptor with REMOTE_ENTRIES. Built into libvaccel.
 */
#ifndef VACCEL_REMOTE_H
#define VACCEL_REMOTE_H

#include <pthread.h>
#include <vaccel/plugin.h>
#include "transport/chan.h"

/* One instance of the plugin: the context its entry points receive. */
struct remote {
	const char *name;           /* "rpc", "virtio": for messages */
	const struct chan_ops *chan;/* the kind its address names */
	struct chan_options opts;
	char *token;                /* opts.token's memory, owned */
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
/*
 * A new instance at an address some channel kind serves (checked by the
 * caller), counted in *live until remote_free: VACCEL_OK, VACCEL_ENOMEM.
 */
int remote_new(const char *name, const char *address, int *live, struct remote **out);
void remote_free(void *ctx);
/*
 * A name is only a default scheme: "rpc" and "virtio" each take any
 * channel's address. Whether address is one that a kind other than `own`
 * serves, well formed (the name's own kind checks its own, with its
 * messages).
 */
bool remote_other_address(const char *address, const struct chan_ops *own);
/* The option keys of either name, whichever channel its address names. */
extern const char *const remote_option_keys[];
/* timeout-ms, token-file (sockets' hello) and spin-us (the virtqueue's). */
int remote_options(struct remote *r, const struct vaccel_plugin_options *opts);
int remote_session_init(void *ctx, struct vaccel_session *sess);
void remote_session_release(void *ctx, struct vaccel_session *sess);
/* Any op of the op table, encoded by its row. */
int remote_any_op(void *ctx, struct vaccel_session *sess, const struct vaccel_op_args *a);
bool remote_serves(void *ctx, vaccel_op_type_t op);
void remote_describe(void *ctx, char *buf, size_t len);
/* Buffers in the session's channel that travel without a copy (virtio). */
void *remote_shm_alloc(void *ctx, struct vaccel_session *sess, size_t size);
int remote_shm_free(void *ctx, struct vaccel_session *sess, void *p);

/* A transport's descriptor fields: VACCEL_PLUGIN_DEFINE(..., REMOTE_ENTRIES). */
#define REMOTE_ENTRIES                                 \
	.fini = remote_free,                           \
	.session_init = remote_session_init,           \
	.session_release = remote_session_release,     \
	.any_op = remote_any_op,                       \
	.serves = remote_serves,                       \
	.describe = remote_describe,                   \
	.type = VACCEL_PLUGIN_REMOTE

#endif
