/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Resources: libraries, data and models an application hands to a session
 * (vAccel's API). A resource is initialised, registered to one or more
 * sessions, unregistered, then released.
 */
#ifndef VACCEL_RESOURCE_H
#define VACCEL_RESOURCE_H

#include <pthread.h>
#include <vaccel/types.h>
#include <vaccel/blob.h>
#include <vaccel/list.h>
#include <vaccel/utils/enum.h>
#include <vaccel/utils/path.h>

struct vaccel_session;

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

/*
 * vAccel's layout, field for field (tests/compat/compat-layout.c checks it),
 * so that plugins and programs built for vAccel read it where vAccel puts
 * it. Everything but plugin_priv is libvaccel's: read-only to others.
 */
struct vaccel_resource {
	vaccel_id_t id;               /* > 0 once initialised */
	vaccel_id_t remote_id;        /* 0: an agent's id is its transport's */
	vaccel_resource_type_t type;
	vaccel_path_type_t path_type; /* LOCAL_DIR: made from a directory */
	char **paths;                 /* the paths given (init, init_multi), or NULL */
	size_t nr_paths;
	char *rundir;                 /* private directory of its files, or NULL */
	/*
	 * Its files and buffers, one blob each, made at init (a directory:
	 * the files under it). A file blob's data is read on first use
	 * (vaccel_resource_bytes), as vAccel reads it only when needed.
	 */
	struct vaccel_blob **blobs;
	size_t nr_blobs;
	struct vaccel_list_entry entry;    /* in the list of every live resource */
	struct vaccel_list_entry sessions; /* empty: sessions keep registrations */
	pthread_mutex_t sessions_lock;     /* guards the blobs' lazy reading */
	/* Sessions it is registered to and ops in flight using it (atomic). */
	unsigned int refcount;
	void *plugin_priv;            /* owned by plugins; NULL at init */
};

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Initialise from a file path. The path is copied; it must name a regular
 * file or a directory (VACCEL_ENOENT otherwise; VACCEL_ENOTSUP for an
 * http(s) URL, which vAccel downloads). A file's bytes are read on first
 * use; a directory is for plugins that take one (vaccel_resource_directory).
 */
int vaccel_resource_init(struct vaccel_resource *res, const char *path,
			 vaccel_resource_type_t type);

/*
 * Initialise from several files (regular files only when more than one;
 * one path is vaccel_resource_init). vaccel_resource_path and _bytes give
 * the first; an agent gets all of them, in order (up to 16, distinct names).
 * The exec plugin takes the last for the library, the ones before for its
 * dependencies, as vAccel.
 */
int vaccel_resource_init_multi(struct vaccel_resource *res, const char **paths,
			       size_t nr_paths, vaccel_resource_type_t type);

/*
 * Initialise from valid blobs, as vAccel: a FILE blob's file is used where
 * it is, a BUFFER blob's bytes are copied, a MAPPED blob's bytes are copied
 * into a file of the resource's own. The blobs stay the caller's.
 */
int vaccel_resource_init_from_blobs(struct vaccel_resource *res,
				    const struct vaccel_blob **blobs,
				    size_t nr_blobs,
				    vaccel_resource_type_t type);

/*
 * Initialise from memory: the nr_bytes at buf are copied. `filename` names
 * the resource (no directory part; NULL: "file" with a random suffix, as
 * vAccel). Unless mem_only, the bytes are also written to a private file so
 * plugins that need a path get one.
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
int vaccel_resource_multi_new(struct vaccel_resource **res, const char **paths,
			      size_t nr_paths, vaccel_resource_type_t type);
int vaccel_resource_from_blobs(struct vaccel_resource **res,
			       const struct vaccel_blob **blobs,
			       size_t nr_blobs, vaccel_resource_type_t type);
int vaccel_resource_delete(struct vaccel_resource *res);

/*
 * Every live (initialised, not released) resource, whatever the session:
 * by id, the first of a type (the oldest), or all of a type in a malloc'd
 * array the caller frees. VACCEL_ENOENT when none (with *nr_found 0),
 * VACCEL_EPERM before the library is bootstrapped.
 */
int vaccel_resource_get_by_id(struct vaccel_resource **res, vaccel_id_t id);
int vaccel_resource_get_by_type(struct vaccel_resource **res,
				vaccel_resource_type_t type);
int vaccel_resource_get_all_by_type(struct vaccel_resource ***res,
				    size_t *nr_found,
				    vaccel_resource_type_t type);

/*
 * The sessions the resource is registered to, and ops in flight using it;
 * -VACCEL_EINVAL for NULL.
 */
long int vaccel_resource_refcount(const struct vaccel_resource *res);

/* Attach to / detach from a session. Registering twice is VACCEL_EEXIST. */
int vaccel_resource_register(struct vaccel_resource *res,
			     struct vaccel_session *sess);
int vaccel_resource_unregister(struct vaccel_resource *res,
			       struct vaccel_session *sess);

/*
 * Make a buffer (memory-only) resource reflect what the session's plugin
 * changed: VACCEL_EPERM when not registered to sess, VACCEL_EINVAL for a
 * resource that is not a buffer, VACCEL_OK natively (plugins work on its
 * own bytes), VACCEL_ENOTSUP when an agent serves the session.
 */
int vaccel_resource_sync(struct vaccel_resource *res,
			 struct vaccel_session *sess);

/*
 * The directory of a resource made from one, copied into out_path (of
 * out_path_size bytes) or, with alloc_path, malloc'd there. VACCEL_ENOTSUP
 * for other resources, VACCEL_EINVAL when out_path is too small.
 */
int vaccel_resource_directory(struct vaccel_resource *res, char *out_path,
			      size_t out_path_size, char **alloc_path);

/*
 * vaccel extension, for plugins: the resource's file path (its first; the
 * directory of one made from a directory; NULL for a mem_only resource) and its bytes (read on first call, then cached; the
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
