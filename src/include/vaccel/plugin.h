/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The plugin ABI, version 2: what a plugin exports and what libvaccel
 * offers it. Specified in vaccel-plugin(7).
 *
 * A plugin is a shared object exporting one descriptor, named by
 * VACCEL_PLUGIN_SYMBOL, of type struct vaccel_plugin. The descriptor carries
 * the ABI version it was built for and its own size. A profile may list a
 * plugin more than once: each listing is an *instance*, made by `init` from
 * its own options into a context that every other entry point receives. A
 * plugin keeps no global state.
 *
 * Every op reaches a plugin in one form, vAccel's genop form: the op's
 * inputs in `read`, its outputs in `write`, in the order of the op's row of
 * the op table (vaccel-plugin(7) lists every op's arguments). libvaccel has
 * checked the lists against that row before the call: the count, each
 * argument's kind and size, and the relations between sizes the row states
 * (a matrix fits its buffer, a tensor's data fills its shape).
 *
 * Growth rule (as SQLite's sqlite3_vfs): fields are only appended to the
 * end of struct vaccel_plugin. A plugin built against an older header has a
 * smaller `size`; the loader treats the missing tail as NULL. Any other
 * change bumps VACCEL_PLUGIN_ABI_VERSION, and the loader refuses plugins
 * built for another version.
 */
#ifndef VACCEL_PLUGIN_H
#define VACCEL_PLUGIN_H

#include <string.h>
#include <vaccel.h>
#include <vaccel/utils/attr.h>

#define VACCEL_PLUGIN_ABI_VERSION 2
#define VACCEL_PLUGIN_SYMBOL "vaccel_plugin_descriptor"
/* Slots in the ops array: room for vAccel's ops and ours, indexed by op. */
#define VACCEL_PLUGIN_MAX_OPS 64

struct vaccel_plugin_options;

/* One call of an op: the op (useful to a function serving several) and its lists. */
struct vaccel_op_args {
	vaccel_op_type_t op;
	struct vaccel_arg *read;
	size_t nr_read;
	struct vaccel_arg *write;
	size_t nr_write;
};

/* One op of one instance: VACCEL_OK or a VACCEL_* code. */
typedef int (*vaccel_op_fn)(void *ctx, struct vaccel_session *sess,
			    const struct vaccel_op_args *args);

struct vaccel_plugin {
	uint32_t abi_version;   /* VACCEL_PLUGIN_ABI_VERSION at build time */
	uint32_t size;          /* sizeof(struct vaccel_plugin) at build time */
	const char *name;       /* short name, as profiles spell it */
	const char *version;
	const char *description;
	/* NULL-terminated list of the option keys the plugin accepts. */
	const char *const *option_keys;

	/*
	 * Make an instance from its profile options: *ctx gets the context
	 * every other entry point receives (may stay NULL). 0 or VACCEL_E*.
	 */
	int (*init)(const struct vaccel_plugin_options *opts, void **ctx);
	/* Destroy the instance. */
	void (*fini)(void *ctx);
	/*
	 * Optional: a session was created / is being released. A session_init
	 * that fails with VACCEL_ECONNREFUSED or VACCEL_EREMOTE leaves the
	 * instance out of that session (its ops go to the next instance);
	 * any other failure fails the session. An op of an instance with a
	 * session_init that fails the same way (before doing any work) is
	 * passed to the next instance too.
	 */
	int (*session_init)(void *ctx, struct vaccel_session *sess);
	void (*session_release)(void *ctx, struct vaccel_session *sess);

	/* The ops the plugin implements, by op code (NULL: not served). */
	vaccel_op_fn ops[VACCEL_PLUGIN_MAX_OPS];
	/*
	 * Optional: serves every op of the op table that `ops` leaves NULL
	 * (the remote plugin, the noop plugin).
	 */
	vaccel_op_fn any_op;
	/*
	 * Optional: whether the instance serves `op` now (e.g. its agent's
	 * handshake lists the op). Asked when a session resolves its ops.
	 */
	bool (*serves)(void *ctx, vaccel_op_type_t op);
	/* Optional: one line on the instance's state, for `vaccel plugins`. */
	void (*describe)(void *ctx, char *buf, size_t len);
	/*
	 * vaccel extension, <vaccel/shm.h>: buffers in the transport's shared
	 * region, passed to ops without a copy. shm_free returns VACCEL_EINVAL
	 * for a pointer that is not the instance's.
	 */
	void *(*shm_alloc)(void *ctx, struct vaccel_session *sess, size_t size);
	int (*shm_free)(void *ctx, struct vaccel_session *sess, void *p);
	/*
	 * What the plugin is: VACCEL_PLUGIN_* bits of <vaccel/session.h>
	 * (CPU, GPU, DEBUG, ..., REMOTE for a transport). A session created
	 * with type flags is served by the plugins of those types. 0 (a
	 * plugin built before the field): none.
	 */
	uint32_t type;
	/* Append new fields here, never in between. */
};

/* Define the descriptor: VACCEL_PLUGIN_DEFINE(.name = "x", .ops = {...}). */
#define VACCEL_PLUGIN_DEFINE(...)                                         \
	__attribute__((visibility("default")))                            \
	const struct vaccel_plugin vaccel_plugin_descriptor = {           \
		.abi_version = VACCEL_PLUGIN_ABI_VERSION,                 \
		.size = sizeof(struct vaccel_plugin), __VA_ARGS__ }

/*
 * Scalar arguments by value. libvaccel checked each scalar's size against
 * the op's row, so these only copy (buffers need not be aligned).
 */
static inline int64_t vaccel_plugin_arg_i64(const struct vaccel_arg *a)
{
	int64_t v;
	memcpy(&v, a->buf, sizeof(v));
	return v;
}

static inline int32_t vaccel_plugin_arg_i32(const struct vaccel_arg *a)
{
	int32_t v;
	memcpy(&v, a->buf, sizeof(v));
	return v;
}

static inline uint32_t vaccel_plugin_arg_u32(const struct vaccel_arg *a)
{
	uint32_t v;
	memcpy(&v, a->buf, sizeof(v));
	return v;
}

static inline float vaccel_plugin_arg_f32(const struct vaccel_arg *a)
{
	float v;
	memcpy(&v, a->buf, sizeof(v));
	return v;
}

#ifdef __cplusplus
extern "C" {
#endif

/* Options: a scalar value, or NULL when the key is absent or a list. */
const char *vaccel_plugin_option(const struct vaccel_plugin_options *opts,
				 const char *key);
/*
 * A list value: *items gets the strings (owned by libvaccel, valid until the
 * instance's fini). A scalar counts as a list of one. Returns the count.
 */
size_t vaccel_plugin_option_list(const struct vaccel_plugin_options *opts,
				 const char *key, const char *const **items);
/* Typed getters: absent -> *out = def, 0; malformed -> logged, VACCEL_EINVAL. */
int vaccel_plugin_option_bool(const struct vaccel_plugin_options *opts,
			      const char *key, bool def, bool *out);
int vaccel_plugin_option_long(const struct vaccel_plugin_options *opts,
			      const char *key, long def, long min, long max,
			      long *out);
/* Log an error about an option, prefixed with its file:line:column. */
VACCEL_PRINTF_FORMAT(3, 4)
void vaccel_plugin_option_error(const struct vaccel_plugin_options *opts,
				const char *key, const char *fmt, ...);

/*
 * Per-session data of an instance (e.g. a remote session id), keyed by the
 * instance's context, which must then not be NULL.
 */
int vaccel_session_set_plugin_data(struct vaccel_session *sess, const void *ctx,
				   void *data);
void *vaccel_session_get_plugin_data(const struct vaccel_session *sess,
				     const void *ctx);

/*
 * A RESOURCE argument (an id) as the resource registered to the session;
 * NULL when it is not (libvaccel checked it before the call).
 */
struct vaccel_resource *vaccel_plugin_arg_resource(struct vaccel_session *sess,
						   const struct vaccel_arg *a);

/*
 * Whether the session is an agent's, made for a client on another machine
 * or in another process: files a plugin would leave on this host for the
 * caller (the vAccel image ops' output images) are out of its reach, so a
 * plugin should not make them.
 */
bool vaccel_plugin_session_remote(const struct vaccel_session *sess);

/*
 * True while the process hosting the plugin is stopping (an agent after
 * SIGINT or SIGTERM, finishing the requests in flight): a call that could
 * take long (a host function, a remote wait) should give up now, with
 * VACCEL_EAGAIN, so the stop is not held up.
 */
bool vaccel_plugin_stopping(void);

/* SHA-256 of a file as 64 lowercase hex digits + NUL. */
int vaccel_sha256_file(const char *path, char hex[65]);
void vaccel_sha256_hex(const void *data, size_t len, char hex[65]);

#ifdef __cplusplus
}
#endif

#endif /* VACCEL_PLUGIN_H */
