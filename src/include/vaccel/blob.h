/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Blobs (vAccel's API): a named file or buffer, the parts a resource can be
 * made of (vaccel_resource_init_from_blobs). struct vaccel_blob is laid out
 * as vAccel's; its fields are readable, the functions keep them consistent.
 */
#ifndef VACCEL_BLOB_H
#define VACCEL_BLOB_H

#include <vaccel/types.h>
#include <vaccel/utils/enum.h>

/*
 * vaccel_blob_type_t, with vaccel_blob_type_to_str, _to_base_str and
 * vaccel_blob_type_name:
 *   FILE    a file named by path; data read (mapped) on demand;
 *   BUFFER  bytes in memory, no file;
 *   MAPPED  a file whose bytes are mapped at data (a persisted buffer, or a
 *           FILE once read).
 */
#define VACCEL_BLOB_TYPE_ENUM_LIST(ITEM) \
	ITEM(FILE, 0, VACCEL_BLOB)       \
	ITEM(BUFFER, VACCEL_BLOB)        \
	ITEM(MAPPED, VACCEL_BLOB)
VACCEL_ENUM_DEF_WITH_STR_FUNCS(vaccel_blob_type, VACCEL_BLOB, VACCEL_BLOB_TYPE_ENUM_LIST)

struct vaccel_resource;

struct vaccel_blob {
	vaccel_blob_type_t type; /* VACCEL_BLOB_MAX once released */
	char *name;              /* file name, no directory part */
	char *path;              /* the file; NULL for a BUFFER blob */
	bool path_owned;         /* the file is the blob's: removed at release */
	uint8_t *data;           /* the bytes; NULL for a FILE blob not yet read */
	bool data_owned;         /* data is the blob's: freed / unmapped at release */
	size_t size;             /* 0 for a FILE blob not yet read */
};

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Write a buffer blob's bytes to dir/filename (an existing file: a unique
 * name beside it; randomize: always a unique name) and map them there: the
 * blob becomes MAPPED and owns the file. VACCEL_EEXIST if it has a path
 * already, VACCEL_ENOENT if dir is not a directory.
 */
int vaccel_blob_persist(struct vaccel_blob *blob, const char *dir,
			const char *filename, bool randomize);
/* A FILE blob for an existing regular file (VACCEL_EINVAL otherwise). */
int vaccel_blob_init(struct vaccel_blob *blob, const char *path);
/*
 * A BUFFER blob over buf (own: a copy the blob owns; otherwise buf must
 * outlive the blob); with a dir, persisted there at once (MAPPED).
 */
int vaccel_blob_init_from_buf(struct vaccel_blob *blob, const uint8_t *buf,
			      size_t size, bool own, const char *filename,
			      const char *dir, bool randomize);
/* Free what the blob owns, removing a file it persisted. */
int vaccel_blob_release(struct vaccel_blob *blob);
/* Heap forms; the caller owns *blob until _delete. */
int vaccel_blob_new(struct vaccel_blob **blob, const char *path);
int vaccel_blob_from_buf(struct vaccel_blob **blob, const uint8_t *buf,
			 size_t size, bool own, const char *filename,
			 const char *dir, bool randomize);
int vaccel_blob_delete(struct vaccel_blob *blob);
/* Map the file's bytes at data, once (the blob becomes MAPPED). */
int vaccel_blob_read(struct vaccel_blob *blob);
/* The bytes (read first if need be) and their size, or NULL. */
uint8_t *vaccel_blob_data(struct vaccel_blob *blob, size_t *size);
/* The file of a FILE or MAPPED blob, else NULL. */
const char *vaccel_blob_path(struct vaccel_blob *blob);
/* A type, a name, and a path or bytes. */
bool vaccel_blob_valid(const struct vaccel_blob *blob);

#ifdef __cplusplus
}
#endif

#endif /* VACCEL_BLOB_H */
