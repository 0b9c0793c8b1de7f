/* SPDX-License-Identifier: Apache-2.0 */
/* Resources: a file or a buffer, with a refcount of sessions using it. */
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "internal.h"

/* Files larger than this are refused when read into memory. */
/* 4 GiB; on a 32-bit machine what it can allocate (half its size_t, so
 * that read_file's len + 1 cannot wrap). ((size_t)4 << 30 was 0 there.) */
#define RESOURCE_MAX_BYTES \
	((uint64_t)SIZE_MAX / 2 < (4ULL << 30) ? SIZE_MAX / 2 : (size_t)(4ULL << 30))
_Static_assert(RESOURCE_MAX_BYTES >= (1u << 30), "resources of at least 1 GiB");

static vaccel_id_t next_resource_id = 1;

static int resource_setup(struct vaccel_resource *res, vaccel_resource_type_t type,
			  struct vaccel_resource_priv **out)
{
	if (!res || (unsigned)type >= VACCEL_RESOURCE_MAX)
		return VACCEL_EINVAL;
	struct vaccel_resource_priv *pv = calloc(1, sizeof(*pv));
	if (!pv)
		return VACCEL_ENOMEM;
	pthread_mutex_init(&pv->lock, NULL);
	*out = pv;
	return VACCEL_OK;
}

static void resource_publish(struct vaccel_resource *res, vaccel_resource_type_t type,
			     struct vaccel_resource_priv *pv)
{
	res->priv = pv;
	res->type = type;
	res->id = __atomic_fetch_add(&next_resource_id, 1, __ATOMIC_RELAXED);
	vaccel_debug("resource %lld: %s %s", (long long)res->id,
		     vaccel_resource_type_short_name(type), pv->path ? pv->path : "(memory)");
}

static void resource_free_priv(struct vaccel_resource_priv *pv)
{
	if (pv->tmpdir) {
		if (pv->path)
			unlink(pv->path);
		rmdir(pv->tmpdir);
		free(pv->tmpdir);
	}
	free(pv->path);
	free(pv->data);
	pthread_mutex_destroy(&pv->lock);
	free(pv);
}

int vaccel_resource_init(struct vaccel_resource *res, const char *path,
			 vaccel_resource_type_t type)
{
	struct vaccel_resource_priv *pv;
	if (!path || !*path)
		return VACCEL_EINVAL;
	int ret = resource_setup(res, type, &pv);
	if (ret)
		return ret;
	struct stat st;
	int bad = stat(path, &st) ? errno : 0;
	if (bad || !S_ISREG(st.st_mode)) {
		vaccel_error("resource %s: %s", path, bad ? strerror(bad) : "not a regular file");
		resource_free_priv(pv);
		return VACCEL_ENOENT;
	}
	if (!(pv->path = strdup(path))) {
		resource_free_priv(pv);
		return VACCEL_ENOMEM;
	}
	resource_publish(res, type, pv);
	return VACCEL_OK;
}

/* Write the buffer to a private directory so path-based plugins can use it. */
static int write_private_file(struct vaccel_resource_priv *pv, const char *filename)
{
	const char *base = getenv("TMPDIR");
	char dir[PATH_MAX], file[PATH_MAX];
	snprintf(dir, sizeof(dir), "%s/vaccel-res-XXXXXX", base && *base ? base : "/tmp");
	if (!mkdtemp(dir))
		return errno;
	if (snprintf(file, sizeof(file), "%s/%s", dir, filename) >= (int)sizeof(file)) {
		rmdir(dir);
		return VACCEL_EINVAL;
	}
	int fd = open(file, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0) {
		int err = errno;
		rmdir(dir);
		return err;
	}
	size_t done = 0;
	while (done < pv->size) {
		ssize_t n = write(fd, (char *)pv->data + done, pv->size - done);
		if (n <= 0) {
			close(fd);
			unlink(file);
			rmdir(dir);
			return VACCEL_EIO;
		}
		done += (size_t)n;
	}
	close(fd);
	pv->tmpdir = strdup(dir);
	pv->path = strdup(file);
	if (pv->tmpdir && pv->path)
		return VACCEL_OK;
	/* Nothing may stay on disk that no one will remove. */
	unlink(file);
	rmdir(dir);
	free(pv->tmpdir);
	free(pv->path);
	pv->tmpdir = pv->path = NULL;
	return VACCEL_ENOMEM;
}

int vaccel_resource_init_from_buf(struct vaccel_resource *res, const void *buf,
				  size_t nr_bytes, vaccel_resource_type_t type,
				  const char *filename, bool mem_only)
{
	struct vaccel_resource_priv *pv;
	if (!buf || !nr_bytes)
		return VACCEL_EINVAL;
	if (!mem_only && (!filename || !*filename || strchr(filename, '/') ||
			  !strcmp(filename, ".") || !strcmp(filename, ".."))) {
		vaccel_error("resource: file name '%s' must be a plain name",
			     filename ? filename : "(null)");
		return VACCEL_EINVAL;
	}
	int ret = resource_setup(res, type, &pv);
	if (ret)
		return ret;
	if (!(pv->data = malloc(nr_bytes))) {
		resource_free_priv(pv);
		return VACCEL_ENOMEM;
	}
	memcpy(pv->data, buf, nr_bytes);
	pv->size = nr_bytes;
	if (!mem_only && (ret = write_private_file(pv, filename))) {
		resource_free_priv(pv);
		return ret;
	}
	resource_publish(res, type, pv);
	return VACCEL_OK;
}

int vaccel_resource_release(struct vaccel_resource *res)
{
	if (!res || !res->priv || res->id <= 0)
		return VACCEL_EINVAL;
	if (__atomic_load_n(&res->priv->refcount, __ATOMIC_ACQUIRE) > 0) {
		vaccel_error("resource %lld: still registered to a session, or in use by an op",
			     (long long)res->id);
		return VACCEL_EBUSY;
	}
	resource_free_priv(res->priv);
	res->priv = NULL;
	res->id = 0;
	return VACCEL_OK;
}

int vaccel_resource_new(struct vaccel_resource **res, const char *path,
			vaccel_resource_type_t type)
{
	if (!res)
		return VACCEL_EINVAL;
	struct vaccel_resource *r = calloc(1, sizeof(*r));
	if (!r)
		return VACCEL_ENOMEM;
	int ret = vaccel_resource_init(r, path, type);
	if (ret) {
		free(r);
		return ret;
	}
	*res = r;
	return VACCEL_OK;
}

int vaccel_resource_from_buf(struct vaccel_resource **res, const void *buf,
			     size_t nr_bytes, vaccel_resource_type_t type,
			     const char *filename, bool mem_only)
{
	if (!res)
		return VACCEL_EINVAL;
	struct vaccel_resource *r = calloc(1, sizeof(*r));
	if (!r)
		return VACCEL_ENOMEM;
	int ret = vaccel_resource_init_from_buf(r, buf, nr_bytes, type, filename, mem_only);
	if (ret) {
		free(r);
		return ret;
	}
	*res = r;
	return VACCEL_OK;
}

int vaccel_resource_delete(struct vaccel_resource *res)
{
	int ret = vaccel_resource_release(res);
	if (ret)
		return ret;
	free(res);
	return VACCEL_OK;
}

void resource_drop_session(struct vaccel_resource *res)
{
	__atomic_sub_fetch(&res->priv->refcount, 1, __ATOMIC_ACQ_REL);
}

const char *vaccel_resource_path(const struct vaccel_resource *res)
{
	return res && res->priv ? res->priv->path : NULL;
}

int vaccel_resource_bytes(struct vaccel_resource *res, const void **data, size_t *size)
{
	if (!res || !res->priv || !data || !size)
		return VACCEL_EINVAL;
	struct vaccel_resource_priv *pv = res->priv;
	int ret = VACCEL_OK;
	pthread_mutex_lock(&pv->lock);
	if (!pv->data) {
		void *buf;
		size_t len;
		ret = read_file(pv->path, RESOURCE_MAX_BYTES, &buf, &len);
		if (!ret) {
			pv->data = buf;
			pv->size = len;
		} else {
			vaccel_error("resource %lld: cannot read %s: %s", (long long)res->id,
				     pv->path, strerror(ret));
		}
	}
	*data = pv->data;
	*size = pv->size;
	pthread_mutex_unlock(&pv->lock);
	return ret;
}
