/* SPDX-License-Identifier: Apache-2.0 */
/* Blobs (vAccel's API): named files and buffers, mapped when read. */
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include "internal.h"

static bool is_dir(const char *path)
{
	struct stat st;
	return path && !stat(path, &st) && S_ISDIR(st.st_mode);
}

static bool is_file(const char *path)
{
	struct stat st;
	return path && !stat(path, &st) && S_ISREG(st.st_mode);
}

static char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');
	return strdup(slash ? slash + 1 : path);
}

/* Map a whole file, writable: shared (changes reach the file) or private. */
static int map_file(const char *path, bool shared, uint8_t **data, size_t *size)
{
	int fd = open(path, (shared ? O_RDWR : O_RDONLY) | O_CLOEXEC);
	if (fd < 0)
		return errno;
	struct stat st;
	if (fstat(fd, &st) || !S_ISREG(st.st_mode) || st.st_size <= 0 ||
	    (uint64_t)st.st_size > SIZE_MAX) {
		close(fd);
		vaccel_error("blob: %s: not a non-empty regular file", path);
		return VACCEL_EINVAL;
	}
	void *p = mmap(NULL, (size_t)st.st_size, PROT_READ | PROT_WRITE,
		       shared ? MAP_SHARED : MAP_PRIVATE, fd, 0);
	int err = p == MAP_FAILED ? errno : 0;
	close(fd);
	if (err) {
		vaccel_error("blob: cannot map %s: %s", path, strerror(err));
		return err;
	}
	*data = p;
	*size = (size_t)st.st_size;
	return VACCEL_OK;
}

/* Create dir/filename exclusively; unique: dir/filename.XXXXXX. */
static int create_file(const char *dir, const char *filename, bool unique, char **path, int *fd)
{
	char *p;
	if (asprintf(&p, unique ? "%s/%s.XXXXXX" : "%s/%s", dir, filename) < 0)
		return VACCEL_ENOMEM;
	*fd = unique ? mkstemp(p) : open(p, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (*fd < 0) {
		int err = errno;
		free(p);
		return err;
	}
	*path = p;
	return VACCEL_OK;
}

int vaccel_blob_persist(struct vaccel_blob *blob, const char *dir, const char *filename,
			bool randomize)
{
	if (!blob || !blob->data || !blob->size || (unsigned)blob->type >= VACCEL_BLOB_MAX) {
		vaccel_error("blob: invalid blob");
		return VACCEL_EINVAL;
	}
	if (!filename || !*filename || strchr(filename, '/')) {
		vaccel_error("blob: a blob needs a plain file name");
		return VACCEL_EINVAL;
	}
	if (!is_dir(dir)) {
		vaccel_error("blob: %s is not a directory", dir ? dir : "(null)");
		return VACCEL_ENOENT;
	}
	if (blob->path) {
		vaccel_error("blob: has a file already (%s), not overwriting", blob->path);
		return VACCEL_EEXIST;
	}
	char *path = NULL;
	int fd = -1;
	int ret = create_file(dir, filename, randomize, &path, &fd);
	if (ret == VACCEL_EEXIST) {
		vaccel_warn("blob: %s/%s exists, adding a random suffix", dir, filename);
		ret = create_file(dir, filename, true, &path, &fd);
	}
	if (ret) {
		vaccel_error("blob: cannot create a file for %s in %s: %s", filename, dir,
			     strerror(ret));
		return ret;
	}
	size_t done = 0;
	while (done < blob->size) {
		ssize_t n = write(fd, blob->data + done, blob->size - done);
		if (n <= 0) {
			vaccel_error("blob: cannot write %s: %s", path, strerror(errno));
			close(fd);
			unlink(path);
			free(path);
			return VACCEL_EIO;
		}
		done += (size_t)n;
	}
	close(fd);
	char *name = base_name(path);
	uint8_t *mapped;
	size_t size;
	ret = name ? map_file(path, true, &mapped, &size) : VACCEL_ENOMEM;
	if (ret) {
		unlink(path);
		free(path);
		free(name);
		return ret;
	}
	if (blob->data_owned)
		free(blob->data); /* a BUFFER blob's own copy */
	free(blob->name);
	blob->name = name;
	blob->path = path;
	blob->path_owned = true;
	blob->data = mapped;
	blob->size = size;
	blob->data_owned = true;
	blob->type = VACCEL_BLOB_MAPPED;
	return VACCEL_OK;
}

int vaccel_blob_init(struct vaccel_blob *blob, const char *path)
{
	if (!blob || !path)
		return VACCEL_EINVAL;
	if (!is_file(path)) {
		vaccel_error("blob: %s is not a regular file", path);
		return VACCEL_EINVAL;
	}
	char *copy = strdup(path), *name = copy ? base_name(copy) : NULL;
	if (!name) {
		free(copy);
		return VACCEL_ENOMEM;
	}
	*blob = (struct vaccel_blob){ .type = VACCEL_BLOB_FILE, .name = name, .path = copy };
	return VACCEL_OK;
}

int vaccel_blob_init_from_buf(struct vaccel_blob *blob, const uint8_t *buf, size_t size,
			      bool own, const char *filename, const char *dir, bool randomize)
{
	if (!blob || !buf || !size)
		return VACCEL_EINVAL;
	if (!filename) {
		vaccel_error("blob: a blob needs a name");
		return VACCEL_EINVAL;
	}
	*blob = (struct vaccel_blob){ .type = VACCEL_BLOB_BUFFER, .data = (uint8_t *)buf,
				      .size = size };
	int ret;
	if (dir) {
		/* persisted: the file's mapping replaces the buffer */
		if ((ret = vaccel_blob_persist(blob, dir, filename, randomize)))
			goto fail;
		return VACCEL_OK;
	}
	if (own) {
		if (!(blob->data = malloc(size))) {
			ret = VACCEL_ENOMEM;
			goto fail;
		}
		memcpy(blob->data, buf, size);
		blob->data_owned = true;
	}
	if (!(blob->name = strdup(filename))) {
		ret = VACCEL_ENOMEM;
		goto fail;
	}
	return VACCEL_OK;
fail:
	if (blob->data_owned)
		free(blob->data);
	*blob = (struct vaccel_blob){ .type = VACCEL_BLOB_MAX };
	return ret;
}

int vaccel_blob_release(struct vaccel_blob *blob)
{
	if (!blob)
		return VACCEL_EINVAL;
	if ((unsigned)blob->type >= VACCEL_BLOB_MAX) {
		vaccel_error("blob: cannot release an uninitialised blob");
		return VACCEL_EINVAL;
	}
	if (blob->data && blob->data_owned) {
		if (blob->type == VACCEL_BLOB_MAPPED) {
			if (munmap(blob->data, blob->size)) {
				int err = errno;
				vaccel_error("blob: cannot unmap %s: %s", blob->path, strerror(err));
				return err;
			}
		} else {
			free(blob->data);
		}
	}
	if (blob->path && blob->path_owned && unlink(blob->path))
		vaccel_warn("blob: cannot remove %s: %s", blob->path, strerror(errno));
	free(blob->path);
	free(blob->name);
	*blob = (struct vaccel_blob){ .type = VACCEL_BLOB_MAX };
	return VACCEL_OK;
}

int vaccel_blob_new(struct vaccel_blob **blob, const char *path)
{
	if (!blob)
		return VACCEL_EINVAL;
	struct vaccel_blob *b = malloc(sizeof(*b));
	if (!b)
		return VACCEL_ENOMEM;
	int ret = vaccel_blob_init(b, path);
	if (ret) {
		free(b);
		return ret;
	}
	*blob = b;
	return VACCEL_OK;
}

int vaccel_blob_from_buf(struct vaccel_blob **blob, const uint8_t *buf, size_t size, bool own,
			 const char *filename, const char *dir, bool randomize)
{
	if (!blob)
		return VACCEL_EINVAL;
	struct vaccel_blob *b = malloc(sizeof(*b));
	if (!b)
		return VACCEL_ENOMEM;
	int ret = vaccel_blob_init_from_buf(b, buf, size, own, filename, dir, randomize);
	if (ret) {
		free(b);
		return ret;
	}
	*blob = b;
	return VACCEL_OK;
}

int vaccel_blob_delete(struct vaccel_blob *blob)
{
	int ret = vaccel_blob_release(blob);
	if (ret)
		return ret;
	free(blob);
	return VACCEL_OK;
}

int vaccel_blob_read(struct vaccel_blob *blob)
{
	if (!blob || (unsigned)blob->type >= VACCEL_BLOB_MAX)
		return VACCEL_EINVAL;
	if (blob->data)
		return VACCEL_OK;
	if (!blob->path)
		return VACCEL_EINVAL;
	/* private: writes through data do not reach the caller's file */
	int ret = map_file(blob->path, false, &blob->data, &blob->size);
	if (!ret) {
		blob->type = VACCEL_BLOB_MAPPED;
		blob->data_owned = true;
	}
	return ret;
}

uint8_t *vaccel_blob_data(struct vaccel_blob *blob, size_t *size)
{
	if (!blob || (unsigned)blob->type >= VACCEL_BLOB_MAX)
		return NULL;
	if ((!blob->data || !blob->size) && vaccel_blob_read(blob))
		return NULL;
	if (size)
		*size = blob->size;
	return blob->data;
}

const char *vaccel_blob_path(struct vaccel_blob *blob)
{
	if (!blob || !blob->path)
		return NULL;
	return blob->type == VACCEL_BLOB_FILE || blob->type == VACCEL_BLOB_MAPPED ? blob->path
										   : NULL;
}

bool vaccel_blob_valid(const struct vaccel_blob *blob)
{
	return blob && (unsigned)blob->type < VACCEL_BLOB_MAX && blob->name &&
	       (blob->path || (blob->size && blob->data));
}
