/* SPDX-License-Identifier: Apache-2.0 */
/* Resources: a file or a buffer, with a refcount of sessions using it. */
#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "internal.h"
#include "wire/wire.h"

/* Files larger than this are refused when read into memory. */
/* 4 GiB; on a 32-bit machine what it can allocate (half its size_t, so
 * that read_file's len + 1 cannot wrap). ((size_t)4 << 30 was 0 there.) */
#define RESOURCE_MAX_BYTES \
	((uint64_t)SIZE_MAX / 2 < (4ULL << 30) ? SIZE_MAX / 2 : (size_t)(4ULL << 30))
_Static_assert(RESOURCE_MAX_BYTES >= (1u << 30), "resources of at least 1 GiB");

static vaccel_id_t next_resource_id = 1;

/*
 * Every live resource, oldest first, for vaccel_resource_get_by_* (vAccel's
 * global list): linked through the resource's own `entry`, as vAccel links
 * it, so that no side structure (nor an allocation that may fail) is needed.
 * all_lock guards the list and every resource's entry.
 */
static pthread_mutex_t all_lock = PTHREAD_MUTEX_INITIALIZER;
static struct vaccel_list_entry all_resources = LIST_ENTRY_INIT(all_resources);

#define RESOURCE_OF(e) LIST_CONTAINER(e, struct vaccel_resource, entry)

/* Every field as an empty resource of `type` has it (vAccel's init). */
static int resource_setup(struct vaccel_resource *res, vaccel_resource_type_t type)
{
	if (!res || (unsigned)type >= VACCEL_RESOURCE_MAX)
		return VACCEL_EINVAL;
	*res = (struct vaccel_resource){ .type = type, .path_type = VACCEL_PATH_LOCAL_FILE };
	list_init(&res->sessions);
	pthread_mutex_init(&res->sessions_lock, NULL);
	return VACCEL_OK;
}

/* Undo resource_setup and what init added: blobs, their files, rundir, paths. */
static void resource_clear(struct vaccel_resource *res)
{
	for (size_t i = 0; i < res->nr_blobs; i++)
		if (res->blobs[i] && vaccel_blob_delete(res->blobs[i]))
			vaccel_warn("resource %lld: cannot release blob %zu", (long long)res->id, i);
	free(res->blobs);
	if (res->rundir) {
		rmdir(res->rundir);
		free(res->rundir);
	}
	for (size_t i = 0; i < res->nr_paths; i++)
		free(res->paths[i]);
	free(res->paths);
	pthread_mutex_destroy(&res->sessions_lock);
	*res = (struct vaccel_resource){ .type = res->type };
}

/* Append a blob; blobs was allocated for all of them. */
static void add_blob(struct vaccel_resource *res, struct vaccel_blob *b)
{
	res->blobs[res->nr_blobs++] = b;
}

/* Give the resource its id and make it visible. */
static int resource_publish(struct vaccel_resource *res)
{
	res->id = __atomic_fetch_add(&next_resource_id, 1, __ATOMIC_RELAXED);
	pthread_mutex_lock(&all_lock);
	list_add_tail(&all_resources, &res->entry);
	pthread_mutex_unlock(&all_lock);
	const char *where = vaccel_resource_path(res);
	vaccel_debug("resource %lld: %s %s%s", (long long)res->id,
		     vaccel_resource_type_short_name(res->type), where ? where : "(memory)",
		     res->nr_blobs > 1 ? " and more files" : "");
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

/* Append a FILE blob for path, growing blobs by one. */
static int add_file_blob(struct vaccel_resource *res, const char *path)
{
	struct vaccel_blob **grown = realloc(res->blobs, (res->nr_blobs + 1) * sizeof(*grown));
	if (!grown)
		return VACCEL_ENOMEM;
	res->blobs = grown;
	struct vaccel_blob *b;
	int ret = vaccel_blob_new(&b, path);
	if (!ret)
		add_blob(res, b);
	return ret;
}

/*
 * A FILE blob for each regular file under dir, subdirectories included, as
 * vAccel lists a directory resource's files. A directory made a resource
 * before these blobs existed, so what cannot be read is left out with a
 * warning, not an error; a link to a directory is not followed (no loops).
 */
static int add_dir_blobs(struct vaccel_resource *res, const char *dir)
{
	DIR *d = opendir(dir);
	if (!d) {
		vaccel_warn("resource: cannot list %s: %s; its files are not among the blobs",
			    dir, strerror(errno));
		return VACCEL_OK;
	}
	int ret = VACCEL_OK;
	for (struct dirent *e; !ret && (e = readdir(d));) {
		char *path;
		struct stat st, link;
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		if (asprintf(&path, "%s/%s", dir, e->d_name) < 0) {
			ret = VACCEL_ENOMEM;
			break;
		}
		if (stat(path, &st) || lstat(path, &link))
			vaccel_warn("resource: %s: %s; not among the blobs", path, strerror(errno));
		else if (S_ISDIR(st.st_mode) && !S_ISLNK(link.st_mode))
			ret = add_dir_blobs(res, path);
		else if (S_ISREG(st.st_mode))
			ret = add_file_blob(res, path);
		free(path);
	}
	closedir(d);
	return ret;
}

/*
 * The paths, and a FILE blob for each file, those of a directory too:
 * vAccel makes them when the resource is registered, here at init, so that
 * a plugin finds them on any resource it is given.
 */
static int take_paths(struct vaccel_resource *res, const char **paths, size_t nr_paths)
{
	if (!(res->paths = calloc(nr_paths, sizeof(*res->paths))) ||
	    !(res->blobs = calloc(nr_paths, sizeof(*res->blobs))))
		return VACCEL_ENOMEM;
	for (size_t i = 0; i < nr_paths; i++) {
		int kind = path_kind(paths[i], nr_paths == 1);
		if (kind < 0)
			return -kind;
		if (!(res->paths[i] = strdup(paths[i])))
			return VACCEL_ENOMEM;
		res->nr_paths++;
		if (kind == 1) {
			res->path_type = VACCEL_PATH_LOCAL_DIR;
			return add_dir_blobs(res, paths[i]);
		}
		struct vaccel_blob *b;
		int ret = vaccel_blob_new(&b, paths[i]);
		if (ret)
			return ret;
		add_blob(res, b);
	}
	return VACCEL_OK;
}

int vaccel_resource_init_multi(struct vaccel_resource *res, const char **paths,
			       size_t nr_paths, vaccel_resource_type_t type)
{
	if (!paths || !nr_paths)
		return VACCEL_EINVAL;
	for (size_t i = 0; i < nr_paths; i++)
		if (!paths[i] || !*paths[i])
			return VACCEL_EINVAL;
	int ret = resource_setup(res, type);
	if (ret)
		return ret;
	if ((ret = take_paths(res, paths, nr_paths))) {
		resource_clear(res);
		return ret;
	}
	return resource_publish(res);
}

/*
 * The resource's private directory for the files it writes (made on first
 * use), as vAccel's rundir; removed at release once its files are.
 */
static int resource_rundir(struct vaccel_resource *res)
{
	if (res->rundir)
		return VACCEL_OK;
	const char *base = getenv("TMPDIR");
	char dir[PATH_MAX];
	snprintf(dir, sizeof(dir), "%s/vaccel-res-XXXXXX", base && *base ? base : "/tmp");
	if (!mkdtemp(dir))
		return errno;
	if (!(res->rundir = strdup(dir))) {
		rmdir(dir);
		return VACCEL_ENOMEM;
	}
	return VACCEL_OK;
}

/*
 * A blob holding a copy of the bytes: in memory only (a BUFFER blob), or
 * written to a file of the resource's rundir and mapped there (MAPPED), so
 * plugins that need a path get one. A name taken already gets a random
 * suffix, as vAccel's blobs do; randomize: always.
 */
static int copy_blob(struct vaccel_resource *res, const void *data, size_t size,
		     const char *name, bool in_file, bool randomize)
{
	int ret = in_file ? resource_rundir(res) : VACCEL_OK;
	struct vaccel_blob *b;
	if (!ret)
		ret = vaccel_blob_from_buf(&b, data, size, true, name,
					   in_file ? res->rundir : NULL, randomize);
	if (!ret)
		add_blob(res, b);
	return ret;
}

static bool plain_name(const char *name)
{
	return name && *name && !strchr(name, '/') && strcmp(name, ".") && strcmp(name, "..");
}

int vaccel_resource_init_from_buf(struct vaccel_resource *res, const void *buf,
				  size_t nr_bytes, vaccel_resource_type_t type,
				  const char *filename, bool mem_only)
{
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
	int ret = resource_setup(res, type);
	if (ret)
		return ret;
	if (!(res->blobs = calloc(1, sizeof(*res->blobs))))
		ret = VACCEL_ENOMEM;
	else
		ret = copy_blob(res, buf, nr_bytes, filename, !mem_only, randomize);
	if (ret) {
		resource_clear(res);
		return ret;
	}
	return resource_publish(res);
}

/* One blob as one file of the resource: as vAccel copies it. */
static int take_blob(struct vaccel_resource *res, const struct vaccel_blob *b)
{
	if (b->type == VACCEL_BLOB_FILE) { /* the file itself, read on use */
		struct vaccel_blob *copy;
		int ret = vaccel_blob_new(&copy, b->path);
		if (!ret)
			add_blob(res, copy);
		return ret;
	}
	/* BUFFER: the bytes; MAPPED: the bytes, in a file of the resource's */
	bool in_file = b->type == VACCEL_BLOB_MAPPED;
	if (b->data && b->size)
		return copy_blob(res, b->data, b->size, b->name, in_file, false);
	if (!b->path)
		return VACCEL_EINVAL;
	void *data = NULL;
	size_t size;
	int ret = read_file(b->path, RESOURCE_MAX_BYTES, &data, &size);
	if (!ret)
		ret = copy_blob(res, data, size, b->name, in_file, false);
	free(data);
	return ret;
}

int vaccel_resource_init_from_blobs(struct vaccel_resource *res,
				    const struct vaccel_blob **blobs, size_t nr_blobs,
				    vaccel_resource_type_t type)
{
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
	int ret = resource_setup(res, type);
	if (ret)
		return ret;
	if (!(res->blobs = calloc(nr_blobs, sizeof(*res->blobs))))
		ret = VACCEL_ENOMEM;
	for (size_t i = 0; !ret && i < nr_blobs; i++)
		ret = take_blob(res, blobs[i]);
	if (ret) {
		vaccel_error("resource: cannot take blob: %s", vaccel_strerror(ret));
		resource_clear(res);
		return ret;
	}
	return resource_publish(res);
}

int vaccel_resource_release(struct vaccel_resource *res)
{
	if (!res || res->id <= 0)
		return VACCEL_EINVAL;
	if (__atomic_load_n(&res->refcount, __ATOMIC_ACQUIRE) > 0) {
		vaccel_error("resource %lld: still registered to a session, or in use by an op",
			     (long long)res->id);
		return VACCEL_EBUSY;
	}
	pthread_mutex_lock(&all_lock);
	list_unlink(&res->entry);
	pthread_mutex_unlock(&all_lock);
	resource_clear(res);
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
	__atomic_sub_fetch(&res->refcount, 1, __ATOMIC_ACQ_REL);
}

const char *vaccel_resource_path(const struct vaccel_resource *res)
{
	if (!res || res->id <= 0)
		return NULL;
	if (res->path_type == VACCEL_PATH_LOCAL_DIR)
		return res->paths[0];
	return res->nr_blobs ? res->blobs[0]->path : NULL;
}

/*
 * Blob i's bytes, read into it on first use (a FILE blob keeps them, owned,
 * until release); sessions_lock makes one thread read them.
 */
int resource_blob_bytes(struct vaccel_resource *res, size_t i, const void **data, size_t *size)
{
	if (i >= res->nr_blobs)
		return VACCEL_EINVAL;
	struct vaccel_blob *b = res->blobs[i];
	int ret = VACCEL_OK;
	pthread_mutex_lock(&res->sessions_lock);
	if (!b->data) {
		void *buf;
		size_t len;
		ret = read_file(b->path, RESOURCE_MAX_BYTES, &buf, &len);
		if (!ret) {
			b->data = buf;
			b->size = len;
			b->data_owned = true;
		} else {
			vaccel_error("resource %lld: cannot read %s: %s", (long long)res->id,
				     b->path, strerror(ret));
		}
	}
	*data = b->data;
	*size = b->size;
	pthread_mutex_unlock(&res->sessions_lock);
	return ret;
}

int vaccel_resource_bytes(struct vaccel_resource *res, const void **data, size_t *size)
{
	if (!res || res->id <= 0 || !data || !size)
		return VACCEL_EINVAL;
	if (res->path_type == VACCEL_PATH_LOCAL_DIR) {
		vaccel_error("resource %lld: %s is a directory, it has no bytes of its own",
			     (long long)res->id, res->paths[0]);
		return VACCEL_EINVAL;
	}
	return resource_blob_bytes(res, 0, data, size);
}

const char *resource_not_uploadable(const struct vaccel_resource *res)
{
	/* Its files would arrive side by side: a layout of subdirectories is lost. */
	if (res->path_type == VACCEL_PATH_LOCAL_DIR)
		return "a resource made from a directory (give its files to "
		       "vaccel_resource_init_multi instead)";
	if (!res->nr_blobs)
		return "a resource with no files";
	if (res->nr_blobs > VACCEL_WIRE_MAX_RESOURCE_FILES)
		return "a resource of more than 16 files";
	for (size_t i = 0; i < res->nr_blobs; i++)
		for (size_t k = 0; k < i; k++)
			if (res->blobs[i]->name && res->blobs[k]->name &&
			    !strcmp(res->blobs[i]->name, res->blobs[k]->name))
				return "a resource with two files of one name";
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
	for (struct vaccel_list_entry *e = all_resources.next; e != &all_resources; e = e->next) {
		if (RESOURCE_OF(e)->id == id) {
			*res = RESOURCE_OF(e);
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
	for (struct vaccel_list_entry *e = all_resources.next; e != &all_resources; e = e->next) {
		if (RESOURCE_OF(e)->type == type) {
			*res = RESOURCE_OF(e);
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
	for (struct vaccel_list_entry *e = all_resources.next; e != &all_resources; e = e->next)
		count += RESOURCE_OF(e)->type == type;
	struct vaccel_resource **arr = count ? malloc(count * sizeof(*arr)) : NULL;
	size_t k = 0;
	for (struct vaccel_list_entry *e = all_resources.next; arr && e != &all_resources;
	     e = e->next)
		if (RESOURCE_OF(e)->type == type)
			arr[k++] = RESOURCE_OF(e);
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
	if (!res) {
		vaccel_error("resource: refcount of an invalid resource");
		return -VACCEL_EINVAL;
	}
	return __atomic_load_n(&res->refcount, __ATOMIC_ACQUIRE);
}

/*
 * vAccel syncs a buffer resource with what a remote plugin changed. Here a
 * local plugin works on the resource's own bytes, so there is nothing to
 * copy; a session served by an agent would need a wire call we do not have.
 */
int vaccel_resource_sync(struct vaccel_resource *res, struct vaccel_session *sess)
{
	if (!res || res->id <= 0 || !sess || !sess->priv)
		return VACCEL_EINVAL;
	if (!vaccel_session_has_resource(sess, res)) {
		vaccel_error("session %lld: resource %lld not registered", (long long)sess->id,
			     (long long)res->id);
		return VACCEL_EPERM;
	}
	if (!res->nr_blobs || res->blobs[0]->type != VACCEL_BLOB_BUFFER) { /* mem_only, a BUFFER blob */
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
	if (res->id <= 0) {
		vaccel_error("resource: no directory for an uninitialised resource");
		return VACCEL_EINVAL;
	}
	const char *dir = res->path_type == VACCEL_PATH_LOCAL_DIR ? res->paths[0] : NULL;
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
