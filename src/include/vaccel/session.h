/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Sessions: the context every operation runs in. Applications declare
 * struct vaccel_session on their stack (vAccel style) or get one from
 * vaccel_session_new(). Sessions are safe to use from several threads; one
 * session may be shared by threads calling ops concurrently.
 */
#ifndef VACCEL_SESSION_H
#define VACCEL_SESSION_H

#include <vaccel/types.h>

struct vaccel_session_priv;

struct vaccel_session {
	vaccel_id_t id;     /* > 0 once initialised; read-only */
	uint32_t hint;      /* session flags given at init */
	struct vaccel_session_priv *priv; /* private to libvaccel */
};

#ifdef __cplusplus
extern "C" {
#endif

/* Initialise a caller-allocated session. Bootstraps the library if needed. */
int vaccel_session_init(struct vaccel_session *sess, uint32_t flags);

/* Release a session; resources still registered are unregistered. */
int vaccel_session_release(struct vaccel_session *sess);

/* Heap form: *sess is allocated and owned by the caller until _delete. */
int vaccel_session_new(struct vaccel_session **sess, uint32_t flags);
int vaccel_session_delete(struct vaccel_session *sess);

/*
 * vaccel extension: pin the session to the plugin called `plugin` (a name as
 * `vaccel plugins` lists it). Every op of the session goes to that plugin,
 * or fails with VACCEL_ENOTSUP if it does not implement the op. NULL unpins.
 * Returns VACCEL_ENOENT when no loaded plugin has that name.
 */
int vaccel_session_pin(struct vaccel_session *sess, const char *plugin);

/* vaccel extension: the name of the pinned plugin, or NULL. */
const char *vaccel_session_pinned(const struct vaccel_session *sess);

#ifdef __cplusplus
}
#endif

#endif /* VACCEL_SESSION_H */
