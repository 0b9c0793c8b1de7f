/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The exec plugin: load a host library and call
 *   int fn(struct vaccel_arg *read, size_t nr_read,
 *          struct vaccel_arg *write, size_t nr_write)
 * Only libraries the profile allows are loaded: option `allow` lists paths
 * and sha256:HEX digests; `allow-any: true` lifts the check (local use).
 * The functions run in worker processes (worker.h) unless the profile says
 * `isolate: false`: then in this process, as vAccel does, and a crash in
 * one is this process's.
 */
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <vaccel/plugin.h>
#include "worker.h"

typedef int (*exec_fn)(struct vaccel_arg *read, size_t nr_read,
		       struct vaccel_arg *write, size_t nr_write);

static const char *const option_keys[] = { "allow", "allow-any", "isolate", "timeout-ms",
					   "workers", NULL };

/*
 * Opened libraries (in-process), or memfds of in-memory ones (isolated),
 * kept until fini so repeated calls cost a lookup.
 */
struct handle {
	char *key; /* realpath, or "sha256:HEX" for in-memory resources */
	void *dl;
	int fd;    /* a sealed memfd of the library's bytes (loaded from it), or -1 */
	char digest_key[72]; /* "sha256:HEX" of fd's bytes: what a worker loads */
	bool global; /* a dependency: loaded RTLD_GLOBAL, cached apart from a library */
	struct handle *next;
};

/* The largest library file copied to memory for its digest check. */
#define EXEC_MAX_COPIED_LIBRARY (1ull << 30)

/* One instance: its allow list and the libraries it opened. */
struct exec_ctx {
	bool allow_any;
	bool has_digests;            /* the allow list names some sha256: */
	const char *const *allow_list;
	size_t allow_len;
	struct handle *handles;
	pthread_mutex_t lock;
	struct exec_pool *pool;      /* the worker processes; NULL: in-process */
};

static void exec_fini(void *ctx);

static int exec_init(const struct vaccel_plugin_options *opts, void **ctxp)
{
	struct exec_ctx *x = calloc(1, sizeof(*x));
	if (!x)
		return VACCEL_ENOMEM;
	pthread_mutex_init(&x->lock, NULL);
	*ctxp = x;
	bool isolate = true;
	long timeout_ms = 30000, workers = 4;
	int ret = vaccel_plugin_option_bool(opts, "allow-any", false, &x->allow_any);
	if (!ret)
		ret = vaccel_plugin_option_bool(opts, "isolate", true, &isolate);
	if (!ret)
		ret = vaccel_plugin_option_long(opts, "timeout-ms", 30000, 1, 86400000, &timeout_ms);
	if (!ret)
		ret = vaccel_plugin_option_long(opts, "workers", 4, 1, 256, &workers);
	if (!ret && isolate)
		ret = exec_pool_new((unsigned)workers, (int)timeout_ms, &x->pool);
	if (ret) {
		exec_fini(x);
		return ret;
	}
	x->allow_len = vaccel_plugin_option_list(opts, "allow", &x->allow_list);
	for (size_t i = 0; i < x->allow_len; i++) {
		const char *a = x->allow_list[i];
		if (!strncmp(a, "sha256:", 7)) {
			x->has_digests = true;
			if (strlen(a + 7) != 64 || strspn(a + 7, "0123456789abcdef") != 64) {
				vaccel_plugin_option_error(opts, "allow",
					"'%s' is not sha256: and 64 lowercase hex digits", a);
				exec_fini(x);
				return VACCEL_EINVAL;
			}
		} else if (a[0] != '/') {
			vaccel_plugin_option_error(opts, "allow",
				"'%s' must be an absolute path or sha256:HEX", a);
			exec_fini(x);
			return VACCEL_EINVAL;
		}
	}
	return VACCEL_OK;
}

static void exec_fini(void *ctx)
{
	struct exec_ctx *x = ctx;
	while (x->handles) {
		struct handle *h = x->handles;
		x->handles = h->next;
		if (h->dl)
			dlclose(h->dl);
		if (h->fd >= 0)
			close(h->fd);
		free(h->key);
		free(h);
	}
	if (x->pool)
		exec_pool_free(x->pool);
	pthread_mutex_destroy(&x->lock);
	free(x);
}

/* Allowed if listed by real path or by the sha256 of its bytes. */
static bool allowed(const struct exec_ctx *x, const char *real, const char *digest)
{
	if (x->allow_any)
		return true;
	for (size_t i = 0; i < x->allow_len; i++) {
		const char *a = x->allow_list[i];
		if (!strncmp(a, "sha256:", 7)) {
			if (digest && !strcmp(a + 7, digest))
				return true;
		} else {
			char r[PATH_MAX];
			if (real && realpath(a, r) && !strcmp(r, real))
				return true;
		}
	}
	return false;
}

/* dlopen's flags: a dependency's symbols must be visible to the library. */
static int dl_flags(bool global)
{
	return RTLD_NOW | (global ? RTLD_GLOBAL : RTLD_LOCAL);
}

/* The cached handle of key (as a dependency when global), or NULL. */
static struct handle *cached(struct exec_ctx *x, const char *key, bool global)
{
	struct handle *found = NULL;
	pthread_mutex_lock(&x->lock);
	for (struct handle *h = x->handles; h && !found; h = h->next)
		if (!strcmp(h->key, key) && h->global == global)
			found = h;
	pthread_mutex_unlock(&x->lock);
	return found;
}

/* Keep dl or fd under key; false (the caller keeps them) when out of memory. */
static bool remember(struct exec_ctx *x, const char *key, bool global, void *dl, int fd,
		     const char *digest_key)
{
	struct handle *h = malloc(sizeof(*h));
	char *k = strdup(key);
	if (!h || !k) {
		free(h);
		free(k);
		return false;
	}
	pthread_mutex_lock(&x->lock);
	*h = (struct handle){ .key = k, .dl = dl, .fd = fd, .global = global, .next = x->handles };
	snprintf(h->digest_key, sizeof(h->digest_key), "%s", digest_key ? digest_key : "");
	x->handles = h;
	pthread_mutex_unlock(&x->lock);
	return true;
}

static int call(void *dl, const char *what, const char *fn_symbol,
		struct vaccel_arg *read, size_t nr_read, struct vaccel_arg *write,
		size_t nr_write)
{
	char err[EXEC_MSG_MAX];
	void *sym;
	if (exec_symbol(dl, fn_symbol, &sym, err, sizeof(err))) {
		vaccel_error("exec: %s %s", what, err);
		return VACCEL_ENOENT;
	}
	exec_fn fn;
	memcpy(&fn, &sym, sizeof(fn));
	size_t *sizes = calloc(nr_write + 1, sizeof(*sizes));
	if (!sizes)
		return VACCEL_ENOMEM;
	for (size_t i = 0; i < nr_write; i++)
		sizes[i] = write[i].size;
	int rc = fn(read, nr_read, write, nr_write);
	/* A function may shrink a write's size, never grow it past its buffer. */
	for (size_t i = 0; i < nr_write; i++)
		if (write[i].size > sizes[i])
			write[i].size = sizes[i];
	free(sizes);
	if (rc) {
		vaccel_error("exec: %s:%s returned %d", what, fn_symbol, rc);
		return VACCEL_EIO;
	}
	return VACCEL_OK;
}

/* A mem_only resource has no file: its bytes in a sealed memfd, or -1. */
static int memory_file(const void *data, size_t size)
{
	int fd = memfd_create("vaccel-exec", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	if (fd < 0)
		return -1;
	if (write(fd, data, size) != (ssize_t)size ||
	    fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE | F_SEAL_SEAL)) {
		close(fd);
		return -1;
	}
	return fd;
}

/*
 * Loaded in this process from the memfd, which stays open while the
 * library is: dlopen knows an object by its name, and a later memfd of the
 * same number, another library, would be taken for this one.
 */
static void *open_from_memory(int fd, bool global)
{
	char path[64];
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	return dlopen(path, dl_flags(global));
}

/* Copy an open file's bytes into fd; 0 or an errno. */
static int copy_all(int from, int to)
{
	char buf[1 << 16];
	for (;;) {
		ssize_t n = read(from, buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n ? errno : 0;
		for (ssize_t done = 0; done < n;) {
			ssize_t w = write(to, buf + done, (size_t)(n - done));
			if (w < 0 && errno != EINTR)
				return errno;
			done += w > 0 ? w : 0;
		}
	}
}

/*
 * A library file's bytes in a sealed memfd, and their digest: the bytes
 * that are hashed are the bytes that load, whatever happens to the file
 * afterwards. -1 with the reason logged.
 */
static int sealed_copy(const char *library, const char *real, char digest[65])
{
	/* O_NONBLOCK: a FIFO swapped in since the stat must not block the open. */
	int in = open(real, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	struct stat st;
	const char *why = NULL;
	int err = 0, fd = -1;
	if (in < 0 || fstat(in, &st))
		err = errno;
	else if (!S_ISREG(st.st_mode))
		why = "is not a regular file";
	else if (!st.st_size || (uint64_t)st.st_size > EXEC_MAX_COPIED_LIBRARY)
		why = st.st_size ? "is larger than the 1 GiB a library allowed by digest may be"
				 : "is empty";
	else if ((fd = memfd_create("vaccel-exec", MFD_CLOEXEC | MFD_ALLOW_SEALING)) < 0 ||
		 (err = copy_all(in, fd)) ||
		 fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE | F_SEAL_SEAL) ||
		 fstat(fd, &st))
		err = err ? err : errno;
	void *map = !err && !why ? mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0)
				 : MAP_FAILED;
	if (map != MAP_FAILED) {
		vaccel_sha256_hex(map, (size_t)st.st_size, digest);
		munmap(map, (size_t)st.st_size);
	} else if (!err && !why) {
		err = errno;
	}
	if (in >= 0)
		close(in);
	if (!err && !why)
		return fd;
	if (fd >= 0)
		close(fd);
	if (why)
		vaccel_error("exec: library %s %s", library, why);
	else
		vaccel_error("exec: library %s: cannot copy it for its digest check: %s", library,
			     strerror(err));
	return -1;
}

/* "library" or "dependency", for messages. */
static const char *kind(bool global)
{
	return global ? "dependency" : "library";
}

/*
 * A library file's first use. Allowed by its path, it loads from that
 * path. Allowed by its digest, its bytes are copied into a sealed memfd
 * and the copy is hashed, then loaded (here, or by the workers from the
 * memfd), now and on every later call: a file replaced after the check
 * never runs unchecked. A dependency (global) passes the same check.
 */
static int admit(struct exec_ctx *x, const char *library, const char *real, bool global,
		 struct handle **out)
{
	char digest[65], key[72] = "";
	int fd = -1;
	if (!allowed(x, real, NULL)) {
		/* Bytes that cannot be checked are not allowed. */
		if (x->has_digests && (fd = sealed_copy(library, real, digest)) < 0)
			return VACCEL_EPERM;
		if (fd < 0 || !allowed(x, NULL, digest)) {
			if (fd >= 0)
				close(fd);
			vaccel_error("exec: %s %s is not allowed by the profile "
				     "(add its path or sha256 to the exec plugin's 'allow')",
				     kind(global), library);
			return VACCEL_EPERM;
		}
		snprintf(key, sizeof(key), "sha256:%s", digest);
	}
	/* Isolated, the worker loads and keeps it: here it is only known allowed. */
	void *dl = NULL;
	if (!x->pool) {
		dl = fd >= 0 ? open_from_memory(fd, global) : dlopen(real, dl_flags(global));
		if (!dl) {
			if (fd >= 0)
				close(fd);
			vaccel_error("exec: cannot load %s %s: %s", kind(global), library, dlerror());
			return VACCEL_EIO;
		}
	}
	if (!remember(x, real, global, dl, fd, key)) {
		if (dl)
			dlclose(dl);
		if (fd >= 0)
			close(fd);
		return VACCEL_ENOMEM;
	}
	*out = cached(x, real, global);
	return VACCEL_OK;
}

/* The handle of a library file: checked and loaded on first use. */
static int path_handle(struct exec_ctx *x, const char *library, bool global, struct handle **out)
{
	char real[PATH_MAX];
	struct stat st;
	if (!realpath(library, real) || stat(real, &st)) {
		vaccel_error("exec: %s %s: %s", kind(global), library, strerror(errno));
		return VACCEL_ENOENT;
	}
	/* Nothing else is opened, hashed or loaded: /dev/zero would hash forever. */
	if (!S_ISREG(st.st_mode)) {
		vaccel_error("exec: %s %s is not a regular file", kind(global), library);
		return VACCEL_EPERM;
	}
	*out = cached(x, real, global);
	return *out ? VACCEL_OK : admit(x, library, real, global, out);
}

/*
 * The handle of an in-memory library (no file: a mem_only resource or a
 * buffer blob), allowed by its digest only, loaded from a sealed memfd.
 */
static int memory_handle(struct exec_ctx *x, const char *name, const void *data, size_t size,
			 bool global, struct handle **out)
{
	char key[72], digest[65];
	vaccel_sha256_hex(data, size, digest);
	snprintf(key, sizeof(key), "sha256:%s", digest);
	if ((*out = cached(x, key, global)))
		return VACCEL_OK;
	if (!allowed(x, NULL, digest)) {
		vaccel_error("exec: in-memory %s %s (%s) is not allowed by the profile",
			     kind(global), name ? name : "resource", key);
		return VACCEL_EPERM;
	}
	int fd = memory_file(data, size);
	void *dl = fd >= 0 && !x->pool ? open_from_memory(fd, global) : NULL;
	if (fd < 0 || (!x->pool && !dl)) {
		vaccel_error("exec: cannot load in-memory %s %s: %s", kind(global),
			     name ? name : "resource", fd < 0 ? strerror(errno) : dlerror());
		if (fd >= 0)
			close(fd);
		return VACCEL_EIO;
	}
	if (!remember(x, key, global, dl, fd, key)) {
		if (dl)
			dlclose(dl);
		close(fd);
		return VACCEL_ENOMEM;
	}
	*out = cached(x, key, global);
	return VACCEL_OK;
}

/*
 * Call fn_symbol of the library hs[nr - 1], the dependencies hs[0 .. nr-2]
 * loaded before it: in a worker, which loads them all in order, or here,
 * where they are loaded already.
 */
static int run(struct exec_ctx *x, struct handle **hs, size_t nr, const char *what,
	       const char *fn_symbol, struct vaccel_arg *read, size_t nr_read,
	       struct vaccel_arg *write, size_t nr_write)
{
	if (!x->pool)
		return call(hs[nr - 1]->dl, what, fn_symbol, read, nr_read, write, nr_write);
	struct exec_object objs[EXEC_MAX_OBJECTS];
	for (size_t i = 0; i < nr; i++)
		objs[i] = (struct exec_object){ hs[i]->fd >= 0 ? hs[i]->digest_key : hs[i]->key,
						hs[i]->fd };
	return exec_pool_call(x->pool, objs, nr, what, fn_symbol, read, nr_read, write, nr_write);
}

/* read: library, symbol, the function's args; write: the function's. */
static int exec_exec(void *ctx, struct vaccel_session *sess, const struct vaccel_op_args *a)
{
	(void)sess;
	struct handle *h;
	const char *library = a->read[0].buf;
	int ret = path_handle(ctx, library, false, &h);
	if (ret)
		return ret;
	return run(ctx, &h, 1, library, a->read[1].buf, a->read + 2, a->nr_read - 2, a->write,
		   a->nr_write);
}

/*
 * Object i of a resource: its file, else its bytes (a mem_only resource,
 * a buffer blob). Object 0 of a directory resource is the directory, which
 * path_handle refuses as not a regular file.
 */
static int object_handle(struct exec_ctx *x, struct vaccel_resource *res, size_t i, bool global,
			 struct handle **out, const char **what)
{
	const char *path = i ? res->blobs[i]->path : vaccel_resource_path(res);
	const void *data = i ? res->blobs[i]->data : NULL;
	size_t size = i ? res->blobs[i]->size : 0;
	*what = path;
	if (path)
		return path_handle(x, path, global, out);
	int ret = i ? VACCEL_OK : vaccel_resource_bytes(res, &data, &size);
	if (!ret && !data)
		ret = VACCEL_EINVAL;
	if (ret)
		return ret;
	ret = memory_handle(x, res->nr_blobs ? res->blobs[i]->name : NULL, data, size, global, out);
	if (!ret)
		*what = (*out)->key;
	return ret;
}

/*
 * read: library resource, symbol, the function's args; write: the
 * function's. A resource of several files is, as in vAccel, its
 * dependencies then the library: the last is the library whose symbol is
 * called, the ones before are loaded first, in order, RTLD_GLOBAL, so the
 * library's undefined symbols resolve against them. Each must be allowed.
 */
static int exec_with_res(void *ctx, struct vaccel_session *sess, const struct vaccel_op_args *a)
{
	struct exec_ctx *x = ctx;
	struct vaccel_resource *res = vaccel_plugin_arg_resource(sess, &a->read[0]);
	if (!res)
		return VACCEL_ENOENT;
	size_t nr = res->path_type == VACCEL_PATH_LOCAL_DIR || res->nr_blobs < 2 ? 1 : res->nr_blobs;
	if (nr > EXEC_MAX_OBJECTS) {
		vaccel_error("exec: resource %lld has %zu files: at most %d (its dependencies "
			     "and the library) load for one call", (long long)res->id, nr,
			     EXEC_MAX_OBJECTS);
		return VACCEL_EINVAL;
	}
	struct handle *hs[EXEC_MAX_OBJECTS];
	const char *what = NULL;
	for (size_t i = 0; i < nr; i++) {
		int ret = object_handle(x, res, i, i + 1 < nr, &hs[i], &what);
		if (ret)
			return ret;
	}
	return run(x, hs, nr, what, a->read[1].buf, a->read + 2, a->nr_read - 2, a->write,
		   a->nr_write);
}

VACCEL_PLUGIN_DEFINE(
	.name = "exec",
	.version = PACKAGE_VERSION,
	.description = "calls functions of host libraries the profile allows",
	.type = VACCEL_PLUGIN_SOFTWARE | VACCEL_PLUGIN_GENERIC | VACCEL_PLUGIN_CPU,
	.option_keys = option_keys,
	.init = exec_init,
	.fini = exec_fini,
	.ops = {
		[VACCEL_OP_EXEC] = exec_exec,
		[VACCEL_OP_EXEC_WITH_RESOURCE] = exec_with_res,
	});
