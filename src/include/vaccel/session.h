/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Sessions: the context every operation runs in. Applications declare
 * struct vaccel_session on their stack (vAccel style) or get one from
 * vaccel_session_new(). Sessions are safe to use from several threads; one
 * session may be shared by threads calling ops concurrently.
 */
#ifndef VACCEL_SESSION_H
#define VACCEL_SESSION_H

#include <pthread.h>
#include <vaccel/types.h>
#include <vaccel/list.h>
#include <vaccel/resource.h>
#include <vaccel/utils/enum.h>

struct vaccel_session_priv;
struct vaccel_plugin;

/*
 * Session flags, vAccel's plugin types (vaccel_plugin_type_t, with the
 * generated _to_str/_to_base_str/_name helpers). Given to
 * vaccel_session_init they choose which plugin instances serve the
 * session, as in vAccel:
 *   0                  every instance, in the profile's order;
 *   REMOTE (and ALL, which includes it)
 *                      only transport instances (rpc, virtio): the ops run
 *                      on an agent; VACCEL_ENOTSUP when the profile has none;
 *   any other bits     the instances whose plugin has one of those types
 *                      (struct vaccel_plugin's `type`); when none has, every
 *                      instance, as vAccel falls back to a local plugin.
 */
#define VACCEL_PLUGIN_TYPE_ENUM_LIST(ITEM)     \
	ITEM(CPU, 0x0001, VACCEL_PLUGIN)        \
	ITEM(GPU, 0x0002, VACCEL_PLUGIN)        \
	ITEM(FPGA, 0x0004, VACCEL_PLUGIN)       \
	ITEM(SOFTWARE, 0x0008, VACCEL_PLUGIN)   \
	ITEM(TENSORFLOW, 0x0010, VACCEL_PLUGIN) \
	ITEM(TORCH, 0x0020, VACCEL_PLUGIN)      \
	ITEM(JETSON, 0x0040, VACCEL_PLUGIN)     \
	ITEM(GENERIC, 0x0080, VACCEL_PLUGIN)    \
	ITEM(DEBUG, 0x0100, VACCEL_PLUGIN)      \
	ITEM(REMOTE, 0x4000, VACCEL_PLUGIN)     \
	ITEM(ALL, 0xffff, VACCEL_PLUGIN)
VACCEL_ENUM_DEF_WITH_STR_FUNCS(vaccel_plugin_type, VACCEL_PLUGIN, VACCEL_PLUGIN_TYPE_ENUM_LIST)

/* PATH_MAX on Linux: the size of vAccel's rundir (session.c checks it). */
#define VACCEL_SESSION_RUNDIR_SIZE 4096

/*
 * vAccel's layout, field for field (tests/compat/compat-layout.c checks it),
 * so that plugins and programs built for vAccel read it where vAccel puts
 * it. All of it is libvaccel's: read-only to others.
 */
struct vaccel_session {
	vaccel_id_t id;     /* > 0 once initialised */
	vaccel_id_t remote_id; /* 0: each transport keeps its agent's id */
	uint32_t hint;      /* session flags given at init */
	bool is_virtio;     /* the ops run on an agent (VACCEL_PLUGIN_REMOTE) */
	/* <vaccel_rundir()>/session.<id>, made at init, removed at release
	 * if empty; "" when it could not be made */
	char rundir[VACCEL_SESSION_RUNDIR_SIZE];
	struct vaccel_list_entry entry;          /* in the list of live sessions */
	/* Empty lists: the registrations are in priv. */
	struct vaccel_list_entry resources[VACCEL_RESOURCE_MAX];
	size_t resource_counts[VACCEL_RESOURCE_MAX]; /* registered, per type */
	pthread_mutex_t resources_lock;          /* unused: priv has the lock */
	/* NULL: ops are routed per op among the profile's plugins (priv). */
	struct vaccel_plugin *plugin;
	/*
	 * libvaccel's state. vAccel's core leaves priv to the plugin serving
	 * the session; here plugins keep theirs with
	 * vaccel_session_set_plugin_data, so libvaccel holds this one.
	 */
	struct vaccel_session_priv *priv;
};

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Initialise a caller-allocated session; `flags` are VACCEL_PLUGIN_* bits
 * (above). Bootstraps the library if needed.
 */
int vaccel_session_init(struct vaccel_session *sess, uint32_t flags);

/* Release a session; resources still registered are unregistered. */
int vaccel_session_release(struct vaccel_session *sess);

/* Heap form: *sess is allocated and owned by the caller until _delete. */
int vaccel_session_new(struct vaccel_session **sess, uint32_t flags);
int vaccel_session_delete(struct vaccel_session *sess);

/*
 * The live session with this id: VACCEL_ENOENT when none, VACCEL_EPERM
 * before bootstrap (vAccel's).
 */
int vaccel_session_get_by_id(struct vaccel_session **sess, vaccel_id_t id);

/* Whether res is registered to sess. */
bool vaccel_session_has_resource(struct vaccel_session *sess,
				 struct vaccel_resource *res);

/*
 * The resource with this id registered to sess; VACCEL_ENOENT when none,
 * VACCEL_EINVAL for an id <= 0.
 */
int vaccel_session_resource_by_id(struct vaccel_session *sess,
				  struct vaccel_resource **res, vaccel_id_t id);

/* The first resource of `type` registered to sess (the oldest registration). */
int vaccel_session_resource_by_type(struct vaccel_session *sess,
				    struct vaccel_resource **res,
				    vaccel_resource_type_t type);

/*
 * Every resource of `type` registered to sess, in registration order, in a
 * malloc'd array the caller frees; VACCEL_ENOENT (and *nr_found 0) when none.
 */
int vaccel_session_resources_by_type(struct vaccel_session *sess,
				     struct vaccel_resource ***resources,
				     size_t *nr_found,
				     vaccel_resource_type_t type);

/*
 * Deprecated in vAccel: choose the session's plugins anew for `flags`.
 * VACCEL_ENOTSUP while resources are registered to it. A transport
 * instance kept by the update keeps its agent's session as it was.
 */
__attribute__((deprecated("The function will be removed in a future release")))
int vaccel_session_update(struct vaccel_session *sess, uint32_t flags);

/*
 * vaccel extension: pin the session to the plugin called `plugin` (a name as
 * `vaccel plugins` lists it). Every op of the session goes to that plugin,
 * or fails with VACCEL_ENOTSUP if it does not implement the op. NULL unpins.
 * Returns VACCEL_ENOENT when no loaded plugin has that name.
 */
int vaccel_session_pin(struct vaccel_session *sess, const char *plugin);

/* vaccel extension: the name of the pinned plugin, or NULL. */
const char *vaccel_session_pinned(const struct vaccel_session *sess);

/* Deprecated in vAccel (and here): the old names of the session calls. */
__attribute__((deprecated("Use vaccel_session_init() instead")))
int vaccel_sess_init(struct vaccel_session *sess, uint32_t flags);
__attribute__((deprecated("The function will be removed in a future release")))
int vaccel_sess_update(struct vaccel_session *sess, uint32_t flags);
__attribute__((deprecated("Use vaccel_session_release() instead")))
int vaccel_sess_free(struct vaccel_session *sess);
__attribute__((deprecated("Use vaccel_session_has_resource() instead")))
bool vaccel_sess_has_resource(struct vaccel_session *sess, struct vaccel_resource *res);

#ifdef __cplusplus
}
#endif

#endif /* VACCEL_SESSION_H */
