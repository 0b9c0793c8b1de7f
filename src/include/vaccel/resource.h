/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Resources: libraries, data and models an application hands to a session
 * (vAccel's API). A resource is initialised, registered to one or more
 * sessions, unregistered, then released.
 */
#ifndef VACCEL_RESOURCE_H
#define VACCEL_RESOURCE_H

#include <vaccel/types.h>
#include <vaccel/utils/enum.h>

struct vaccel_session;
struct vaccel_resource_priv;

/*
 * vaccel_resource_type_t with vAccel's generated helpers:
 * vaccel_resource_type_to_str ("VACCEL_RESOURCE_LIB"), _to_base_str ("LIB")
 * and vaccel_resource_type_name(type, buf, size) ("lib").
 */
#define VACCEL_RESOURCE_TYPE_ENUM_LIST(ITEM) \
	ITEM(LIB, 0, VACCEL_RESOURCE)        \
	ITEM(DATA, VACCEL_RESOURCE)          \
	ITEM(MODEL, VACCEL_RESOURCE)
VACCEL_ENUM_DEF_WITH_STR_FUNCS(vaccel_resource_type, VACCEL_RESOURCE,
			       VACCEL_RESOURCE_TYPE_ENUM_LIST)

struct vaccel_resource {
	vaccel_id_t id;               /* > 0 once initialised; read-only */
	vaccel_resource_type_t type;  /* read-only */
	struct vaccel_resource_priv *priv; /* private to libvaccel */
};

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Initialise from a file path. The path is copied; the file must exist and be
 * a regular file (VACCEL_ENOENT otherwise). Its bytes are read on first use.
 */
int vaccel_resource_init(struct vaccel_resource *res, const char *path,
			 vaccel_resource_type_t type);

/*
 * Initialise from memory: the nr_bytes at buf are copied. `filename` names
 * the resource (no directory part). Unless mem_only, the bytes are also
 * written to a private file so plugins that need a path get one.
 */
int vaccel_resource_init_from_buf(struct vaccel_resource *res, const void *buf,
				  size_t nr_bytes, vaccel_resource_type_t type,
				  const char *filename, bool mem_only);

/*
 * Release; VACCEL_EBUSY while still registered to a session or used by an
 * op in flight (an op holds the resources it names until it returns).
 */
int vaccel_resource_release(struct vaccel_resource *res);

/* Heap forms: the caller owns *res until _delete. */
int vaccel_resource_new(struct vaccel_resource **res, const char *path,
			vaccel_resource_type_t type);
int vaccel_resource_from_buf(struct vaccel_resource **res, const void *buf,
			     size_t nr_bytes, vaccel_resource_type_t type,
			     const char *filename, bool mem_only);
int vaccel_resource_delete(struct vaccel_resource *res);

/* Attach to / detach from a session. Registering twice is VACCEL_EEXIST. */
int vaccel_resource_register(struct vaccel_resource *res,
			     struct vaccel_session *sess);
int vaccel_resource_unregister(struct vaccel_resource *res,
			       struct vaccel_session *sess);

/*
 * vaccel extension, for plugins: the resource's file path (NULL for a
 * mem_only resource) and its bytes (read on first call, then cached; the
 * pointer stays valid until the resource is released).
 */
const char *vaccel_resource_path(const struct vaccel_resource *res);
int vaccel_resource_bytes(struct vaccel_resource *res, const void **data,
			  size_t *size);
/* vaccel extension: "lib", "data", "model" (static), NULL out of range. */
const char *vaccel_resource_type_short_name(vaccel_resource_type_t type);

/*
 * vaccel extension, for plugins: the first resource of `type` registered to
 * the session (most recent first), or NULL.
 */
struct vaccel_resource *vaccel_session_find_resource(
	struct vaccel_session *sess, vaccel_resource_type_t type);

#ifdef __cplusplus
}
#endif

#endif /* VACCEL_RESOURCE_H */
