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

/* Every live resource, oldest first, for vaccel_resource_get_by_* (vAccel's). */
static pthread_mutex_t all_lock = PTHREAD_MUTEX_INITIALIZER;
static struct res_node {
	struct vaccel_resource *res;
	struct res_node *next;
} *all_head, **all_tail = &all_head;

static int resources_add(struct vaccel_resource *res)
{
	struct res_node *n = malloc(sizeof(*n));
	if (!n)
		return VACCEL_ENOMEM;
	*n = (struct res_node){ res, NULL };
	pthread_mutex_lock(&all_lock);
	*all_tail = n;
	all_tail = &n->next;
	pthread_mutex_unlock(&all_lock);
	return VACCEL_OK;
}

static void resources_remove(struct vaccel_resource *res)
{
	pthread_mutex_lock(&all_lock);
	for (struct res_node **it = &all_head; *it; it = &(*it)->next) {
		if ((*it)->res == res) {
			struct res_node *n = *it;
			*it = n->next;
			if (all_tail == &n->next)
				all_tail = it;
			free(n);
			break;
		}
	}
	pthread_mutex_unlock(&all_lock);
}

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

static void resource_free_priv(struct vaccel_resource_priv *pv)
{
	if (pv->path_owned && pv->path)
		unlink(pv->path);
	for (size_t i = 0; i < pv->nr_extra; i++) {
		if (pv->extra[i].owned && pv->extra[i].path)
			unlink(pv->extra[i].path);
		free(pv->extra[i].path);
		free(pv->extra[i].name);
		free(pv->extra[i].data);
	}
	free(pv->extra);
	if (pv->tmpdir) {
		rmdir(pv->tmpdir);
		free(pv->tmpdir);
	}
	free(pv->path);
	free(pv->name);
	free(pv->dir);
	free(pv->data);
	pthread_mutex_destroy(&pv->lock);
	free(pv);
}

/* Give the resource its id and make it visible; frees pv on failure. */
static int resource_publish(struct vaccel_resource *res, vaccel_resource_type_t type,
			    struct vaccel_resource_priv *pv)
{
	res->priv = pv;
	res->type = type;
	res->id = __atomic_fetch_add(&next_resource_id, 1, __ATOMIC_RELAXED);
	if (resources_add(res)) {
		resource_free_priv(pv);
		res->priv = NULL;
		res->id = 0;
		return VACCEL_ENOMEM;
	}
	vaccel_debug("resource %lld: %s %s%s", (long long)res->id,
		     vaccel_resource_type_short_name(type),
		     pv->dir ? pv->dir : pv->path ? pv->path : "(memory)",
		     pv->nr_extra ? " and more files" : "");
	return VACCEL_OK;
}

/* What a path names: 0 a regular file, 1 a directory, or an error. */
static int path_kind(const char *path, bool dir_ok)
{
	if (!strncmp(path, "http://", 7) || !strncmp(path, "https://", 8)) {
		vaccel_error("resource %s: remote files are not fetched by this libvaccel", path);
		return -VACCEL_ENOTSUP;
	}
	struct stat st;
	int bad = stat(path, &st) ? errno : 0;
	if (!bad && S_ISDIR(st.st_mode) && dir_ok)
		return 1;
	if (bad || !S_ISREG(st.st_mode)) {
		vaccel_error("resource %s: %s", path,
			     bad ? strerror(bad) : "not a regular file or directory");
		return -VACCEL_ENOENT;
	}
	return 0;
}

int vaccel_resource_init(struct vaccel_resource *res, const char *path,
			 vaccel_resource_type_t type)
{
	return vaccel_resource_init_multi(res, &path, 1, type);
}

int vaccel_resource_init_multi(struct vaccel_resource *res, const char **paths,
			       size_t nr_paths, vaccel_resource_type_t type)
{
	struct vaccel_resource_priv *pv;
	if (!paths || !nr_paths)
		return VACCEL_EINVAL;
	for (size_t i = 0; i < nr_paths; i++)
		if (!paths[i] || !*paths[i])
			return VACCEL_EINVAL;
	int ret = resource_setup(res, type, &pv);
	if (ret)
		return ret;
	for (size_t i = 0; i < nr_paths; i++) {
		int kind = path_kind(paths[i], nr_paths == 1);
		if (kind < 0) {
			resource_free_priv(pv);
			return -kind;
		}
		if (kind == 1) { /* a directory: vaccel_resource_directory */
			if (!(pv->dir = strdup(paths[i]))) {
				resource_free_priv(pv);
				return VACCEL_ENOMEM;
			}
		}
	}
	if (nr_paths > 1 && !(pv->extra = calloc(nr_paths - 1, sizeof(*pv->extra)))) {
		resource_free_priv(pv);
		return VACCEL_ENOMEM;
	}
	if (!pv->dir && !(pv->path = strdup(paths[0]))) {
		resource_free_priv(pv);
		return VACCEL_ENOMEM;
	}
	for (size_t i = 1; i < nr_paths; i++) {
		if (!(pv->extra[pv->nr_extra].path = strdup(paths[i]))) {
			resource_free_priv(pv);
			return VACCEL_ENOMEM;
		}
		pv->nr_extra++;
	}
	return resource_publish(res, type, pv);
}

/*
 * Write bytes to a file named `name` in the resource's private directory
 * (made on first use), so that plugins that need a path get one. A name
 * taken already gets a random suffix, as vAccel's blobs do.
 */
static int private_write(struct vaccel_resource_priv *pv, const char *name, const void *data,
			 size_t size, char **out)
{
	if (!pv->tmpdir) {
		const char *base = getenv("TMPDIR");
		char dir[PATH_MAX];
		snprintf(dir, sizeof(dir), "%s/vaccel-res-XXXXXX", base && *base ? base : "/tmp");
		if (!mkdtemp(dir))
			return errno;
		if (!(pv->tmpdir = strdup(dir))) {
			rmdir(dir);
			return VACCEL_ENOMEM;
		}
	}
	char file[PATH_MAX];
	if (snprintf(file, sizeof(file), "%s/%s", pv->tmpdir, name) >= (int)sizeof(file) - 7)
		return VACCEL_ENAMETOOLONG;
	int fd = open(file, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0 && errno == EEXIST) {
		strcat(file, ".XXXXXX");
		fd = mkstemp(file);
	}
	if (fd < 0)
		return errno;
	size_t done = 0;
	while (done < size) {
		ssize_t n = write(fd, (const char *)data + done, size - done);
		if (n <= 0) {
			close(fd);
			unlink(file);
			return VACCEL_EIO;
		}
		done += (size_t)n;
	}
	close(fd);
	if (!(*out = strdup(file))) {
		unlink(file);
		return VACCEL_ENOMEM;
	}
	return VACCEL_OK;
}

static bool plain_name(const char *name)
{
	return name && *name && !strchr(name, '/') && strcmp(name, ".") && strcmp(name, "..");
}

int vaccel_resource_init_from_buf(struct vaccel_resource *res, const void *buf,
				  size_t nr_bytes, vaccel_resource_type_t type,
				  const char *filename, bool mem_only)
{
	struct vaccel_resource_priv *pv;
	if (!buf || !nr_bytes)
		return VACCEL_EINVAL;
	/* No name: "file" with a random suffix, as vAccel names it. */
	bool randomize = !filename;
	if (randomize)
		filename = "file";
	if (!plain_name(filename)) {
		vaccel_error("resource: file name '%s' must be a plain name", filename);
		return VACCEL_EINVAL;
	}
	int ret = resource_setup(res, type, &pv);
	if (ret)
		return ret;
	if (!(pv->data = malloc(nr_bytes)) || !(pv->name = strdup(filename))) {
		resource_free_priv(pv);
		return VACCEL_ENOMEM;
	}
	memcpy(pv->data, buf, nr_bytes);
	pv->size = nr_bytes;
	pv->mem = true;
	if (!mem_only) {
		char name[NAME_MAX + 1];
		snprintf(name, sizeof(name), randomize ? "%s.%08lx" : "%s", filename,
			 (unsigned long)random());
		if ((ret = private_write(pv, name, pv->data, pv->size, &pv->path))) {
			resource_free_priv(pv);
			return ret;
		}
		pv->path_owned = true;
		pv->mem = false;
	}
	return resource_publish(res, type, pv);
}

/* One blob as one file of the resource: as vAccel copies it. */
static int take_blob(struct vaccel_resource_priv *pv, const struct vaccel_blob *b,
		     char **path, bool *owned, void **data, size_t *size, char **name)
{
	if (!(*name = strdup(b->name)))
		return VACCEL_ENOMEM;
	if (b->type == VACCEL_BLOB_FILE) { /* the file itself, read on use */
		if (!(*path = strdup(b->path)))
			return VACCEL_ENOMEM;
		return VACCEL_OK;
	}
	/* BUFFER: the bytes; MAPPED: the bytes, in a file of the resource's */
	const void *src = b->data;
	size_t n = b->size;
	if (!src || !n) {
		if (!b->path)
			return VACCEL_EINVAL;
		int ret = read_file(b->path, RESOURCE_MAX_BYTES, data, size);
		if (ret)
			return ret;
	} else {
		if (!(*data = malloc(n)))
			return VACCEL_ENOMEM;
		memcpy(*data, src, n);
		*size = n;
	}
	if (b->type == VACCEL_BLOB_MAPPED) {
		int ret = private_write(pv, b->name, *data, *size, path);
		if (ret)
			return ret;
		*owned = true;
	}
	return VACCEL_OK;
}

int vaccel_resource_init_from_blobs(struct vaccel_resource *res,
				    const struct vaccel_blob **blobs, size_t nr_blobs,
				    vaccel_resource_type_t type)
{
	struct vaccel_resource_priv *pv;
	if (!blobs || !nr_blobs)
		return VACCEL_EINVAL;
	for (size_t i = 0; i < nr_blobs; i++) {
		if (!vaccel_blob_valid(blobs[i]) || !plain_name(blobs[i]->name)) {
			vaccel_error("resource: blob %zu is not a valid blob", i);
			return VACCEL_EINVAL;
		}
		if (blobs[i]->type == VACCEL_BLOB_FILE && path_kind(blobs[i]->path, false))
			return VACCEL_ENOENT;
	}
	int ret = resource_setup(res, type, &pv);
	if (ret)
		return ret;
	if (nr_blobs > 1 && !(pv->extra = calloc(nr_blobs - 1, sizeof(*pv->extra)))) {
		resource_free_priv(pv);
		return VACCEL_ENOMEM;
	}
	ret = take_blob(pv, blobs[0], &pv->path, &pv->path_owned, &pv->data, &pv->size,
			&pv->name);
	pv->mem = !ret && !pv->path;
	for (size_t i = 1; !ret && i < nr_blobs; i++) {
		struct res_file *f = &pv->extra[pv->nr_extra++];
		ret = take_blob(pv, blobs[i], &f->path, &f->owned, &f->data, &f->size, &f->name);
	}
	if (ret) {
		vaccel_error("resource: cannot take blob: %s", vaccel_strerror(ret));
		resource_free_priv(pv);
		return ret;
	}
	return resource_publish(res, type, pv);
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
	resources_remove(res);
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
	if (!res || !res->priv)
		return NULL;
	return res->priv->path ? res->priv->path : res->priv->dir;
}

int vaccel_resource_bytes(struct vaccel_resource *res, const void **data, size_t *size)
{
	if (!res || !res->priv || !data || !size)
		return VACCEL_EINVAL;
	struct vaccel_resource_priv *pv = res->priv;
	if (pv->dir) {
		vaccel_error("resource %lld: %s is a directory, it has no bytes of its own",
			     (long long)res->id, pv->dir);
		return VACCEL_EINVAL;
	}
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

const char *resource_not_uploadable(const struct vaccel_resource *res)
{
	if (res && res->priv && res->priv->dir)
		return "a resource made from a directory";
	if (res && res->priv && res->priv->nr_extra)
		return "a resource of several files or blobs";
	return NULL;
}

int vaccel_resource_multi_new(struct vaccel_resource **res, const char **paths,
			      size_t nr_paths, vaccel_resource_type_t type)
{
	if (!res)
		return VACCEL_EINVAL;
	struct vaccel_resource *r = calloc(1, sizeof(*r));
	if (!r)
		return VACCEL_ENOMEM;
	int ret = vaccel_resource_init_multi(r, paths, nr_paths, type);
	if (ret) {
		free(r);
		return ret;
	}
	*res = r;
	return VACCEL_OK;
}

int vaccel_resource_from_blobs(struct vaccel_resource **res, const struct vaccel_blob **blobs,
			       size_t nr_blobs, vaccel_resource_type_t type)
{
	if (!res)
		return VACCEL_EINVAL;
	struct vaccel_resource *r = calloc(1, sizeof(*r));
	if (!r)
		return VACCEL_ENOMEM;
	int ret = vaccel_resource_init_from_blobs(r, blobs, nr_blobs, type);
	if (ret) {
		free(r);
		return ret;
	}
	*res = r;
	return VACCEL_OK;
}

/* vAccel's lookups answer only once the library is bootstrapped. */
int vaccel_resource_get_by_id(struct vaccel_resource **res, vaccel_id_t id)
{
	if (!vaccel_is_initialized())
		return VACCEL_EPERM;
	if (!res)
		return VACCEL_EINVAL;
	int ret = VACCEL_ENOENT;
	pthread_mutex_lock(&all_lock);
	for (struct res_node *n = all_head; n; n = n->next) {
		if (n->res->id == id) {
			*res = n->res;
			ret = VACCEL_OK;
			break;
		}
	}
	pthread_mutex_unlock(&all_lock);
	return ret;
}

int vaccel_resource_get_by_type(struct vaccel_resource **res, vaccel_resource_type_t type)
{
	if (!vaccel_is_initialized())
		return VACCEL_EPERM;
	if (!res || (unsigned)type >= VACCEL_RESOURCE_MAX)
		return VACCEL_EINVAL;
	int ret = VACCEL_ENOENT;
	pthread_mutex_lock(&all_lock);
	for (struct res_node *n = all_head; n; n = n->next) {
		if (n->res->type == type) {
			*res = n->res;
			ret = VACCEL_OK;
			break;
		}
	}
	pthread_mutex_unlock(&all_lock);
	return ret;
}

int vaccel_resource_get_all_by_type(struct vaccel_resource ***res, size_t *nr_found,
				    vaccel_resource_type_t type)
{
	if (!vaccel_is_initialized())
		return VACCEL_EPERM;
	if (!res || !nr_found || (unsigned)type >= VACCEL_RESOURCE_MAX)
		return VACCEL_EINVAL;
	pthread_mutex_lock(&all_lock);
	size_t count = 0;
	for (struct res_node *n = all_head; n; n = n->next)
		count += n->res->type == type;
	struct vaccel_resource **arr = count ? malloc(count * sizeof(*arr)) : NULL;
	size_t k = 0;
	for (struct res_node *n = all_head; arr && n; n = n->next)
		if (n->res->type == type)
			arr[k++] = n->res;
	pthread_mutex_unlock(&all_lock);
	if (!count) {
		*nr_found = 0;
		return VACCEL_ENOENT;
	}
	if (!arr)
		return VACCEL_ENOMEM;
	*res = arr;
	*nr_found = count;
	return VACCEL_OK;
}

long int vaccel_resource_refcount(const struct vaccel_resource *res)
{
	if (!res || !res->priv) {
		vaccel_error("resource: refcount of an invalid resource");
		return -VACCEL_EINVAL;
	}
	return __atomic_load_n(&res->priv->refcount, __ATOMIC_ACQUIRE);
}

/*
 * vAccel syncs a buffer resource with what a remote plugin changed. Here a
 * local plugin works on the resource's own bytes, so there is nothing to
 * copy; a session served by an agent would need a wire call we do not have.
 */
int vaccel_resource_sync(struct vaccel_resource *res, struct vaccel_session *sess)
{
	if (!res || !res->priv || !sess || !sess->priv)
		return VACCEL_EINVAL;
	if (!vaccel_session_has_resource(sess, res)) {
		vaccel_error("session %lld: resource %lld not registered", (long long)sess->id,
			     (long long)res->id);
		return VACCEL_EPERM;
	}
	if (!res->priv->mem) {
		vaccel_error("resource %lld: cannot synchronize a resource that is not a buffer",
			     (long long)res->id);
		return VACCEL_EINVAL;
	}
	struct vaccel_session_priv *pv = sess->priv;
	bool remote = false;
	pthread_mutex_lock(&pv->lock);
	for (size_t i = 0; i < pv->nr_instances; i++)
		if (pv->joined[i] && (registry_get(i)->desc.type & VACCEL_PLUGIN_REMOTE))
			remote = true;
	pthread_mutex_unlock(&pv->lock);
	if (remote) {
		vaccel_error("session %lld: cannot synchronize resource %lld from an agent: "
			     "the transports have no call for it",
			     (long long)sess->id, (long long)res->id);
		return VACCEL_ENOTSUP;
	}
	return VACCEL_OK;
}

int vaccel_resource_directory(struct vaccel_resource *res, char *out_path,
			      size_t out_path_size, char **alloc_path)
{
	if (!res || (!alloc_path && !out_path))
		return VACCEL_EINVAL;
	if (res->id <= 0 || !res->priv) {
		vaccel_error("resource: no directory for an uninitialised resource");
		return VACCEL_EINVAL;
	}
	const char *dir = res->priv->dir;
	if (!dir) {
		vaccel_error("resource %lld: not made from a directory", (long long)res->id);
		return VACCEL_ENOTSUP;
	}
	if (alloc_path) {
		if (!(*alloc_path = strdup(dir)))
			return VACCEL_ENOMEM;
		return VACCEL_OK;
	}
	if (strlen(dir) >= out_path_size) {
		vaccel_error("resource %lld: buffer too small for the directory path",
			     (long long)res->id);
		return VACCEL_EINVAL;
	}
	strcpy(out_path, dir);
	return VACCEL_OK;
}

const char *resource_name(const struct vaccel_resource *res)
{
	return res && res->priv ? res->priv->name : NULL;
}
