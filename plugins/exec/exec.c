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
	int fd;    /* a sealed memfd of the library's bytes, or -1 */
	char digest_key[72]; /* "sha256:HEX" of fd's bytes: what a worker loads */
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

/* The cached handle of key, or NULL. */
static struct handle *cached(struct exec_ctx *x, const char *key)
{
	struct handle *found = NULL;
	pthread_mutex_lock(&x->lock);
	for (struct handle *h = x->handles; h && !found; h = h->next)
		if (!strcmp(h->key, key))
			found = h;
	pthread_mutex_unlock(&x->lock);
	return found;
}

/* Keep dl or fd under key; false (the caller keeps them) when out of memory. */
static bool remember(struct exec_ctx *x, const char *key, void *dl, int fd,
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
	*h = (struct handle){ .key = k, .dl = dl, .fd = fd, .next = x->handles };
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

/* Loaded in this process from the memfd, which is then closed. */
static void *open_from_memory(int fd)
{
	char path[64];
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	void *dl = dlopen(path, RTLD_NOW | RTLD_LOCAL);
	close(fd);
	return dl;
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

/*
 * A library file's first use. Allowed by its path, it loads from that
 * path. Allowed by its digest, its bytes are copied into a sealed memfd
 * and the copy is hashed, then loaded (here, or by the workers from the
 * memfd), now and on every later call: a file replaced after the check
 * never runs unchecked.
 */
static int admit(struct exec_ctx *x, const char *library, const char *real,
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
			vaccel_error("exec: library %s is not allowed by the profile "
				     "(add its path or sha256 to the exec plugin's 'allow')", library);
			return VACCEL_EPERM;
		}
		snprintf(key, sizeof(key), "sha256:%s", digest);
	}
	/* Isolated, the worker loads and keeps it: here it is only known allowed. */
	void *dl = NULL;
	if (!x->pool) {
		dl = fd >= 0 ? open_from_memory(fd) : dlopen(real, RTLD_NOW | RTLD_LOCAL);
		fd = -1;
		if (!dl) {
			vaccel_error("exec: cannot load %s: %s", library, dlerror());
			return VACCEL_EIO;
		}
	}
	if (!remember(x, real, dl, fd, key)) {
		if (dl)
			dlclose(dl);
		if (fd >= 0)
			close(fd);
		return VACCEL_ENOMEM;
	}
	*out = cached(x, real);
	return VACCEL_OK;
}

static int exec_path(struct exec_ctx *x, const char *library, const char *fn_symbol,
		     struct vaccel_arg *read, size_t nr_read, struct vaccel_arg *write,
		     size_t nr_write)
{
	char real[PATH_MAX];
	struct stat st;
	if (!realpath(library, real) || stat(real, &st)) {
		vaccel_error("exec: library %s: %s", library, strerror(errno));
		return VACCEL_ENOENT;
	}
	/* Nothing else is opened, hashed or loaded: /dev/zero would hash forever. */
	if (!S_ISREG(st.st_mode)) {
		vaccel_error("exec: library %s is not a regular file", library);
		return VACCEL_EPERM;
	}
	struct handle *h = cached(x, real);
	int ret = h ? VACCEL_OK : admit(x, library, real, &h);
	if (ret)
		return ret;
	if (x->pool)
		return exec_pool_call(x->pool, h->fd >= 0 ? h->digest_key : real, h->fd, library,
				      fn_symbol, read, nr_read, write, nr_write);
	return call(h->dl, library, fn_symbol, read, nr_read, write, nr_write);
}

/* read: library, symbol, the function's args; write: the function's. */
static int exec_exec(void *ctx, struct vaccel_session *sess, const struct vaccel_op_args *a)
{
	(void)sess;
	return exec_path(ctx, a->read[0].buf, a->read[1].buf, a->read + 2, a->nr_read - 2,
			 a->write, a->nr_write);
}

/* read: library resource, symbol, the function's args; write: the function's. */
static int exec_with_res(void *ctx, struct vaccel_session *sess, const struct vaccel_op_args *a)
{
	struct exec_ctx *x = ctx;
	struct vaccel_resource *res = vaccel_plugin_arg_resource(sess, &a->read[0]);
	const char *fn_symbol = a->read[1].buf;
	struct vaccel_arg *read = a->read + 2, *write = a->write;
	size_t nr_read = a->nr_read - 2, nr_write = a->nr_write;
	if (!res)
		return VACCEL_ENOENT;
	const char *path = vaccel_resource_path(res);
	if (path)
		return exec_path(x, path, fn_symbol, read, nr_read, write, nr_write);
	const void *data;
	size_t size;
	int ret = vaccel_resource_bytes(res, &data, &size);
	if (ret)
		return ret;
	char key[72], digest[65];
	vaccel_sha256_hex(data, size, digest);
	snprintf(key, sizeof(key), "sha256:%s", digest);
	struct handle *h = cached(x, key);
	if (!h) {
		if (!allowed(x, NULL, digest)) {
			vaccel_error("exec: in-memory library (%s) is not allowed by the profile",
				     key);
			return VACCEL_EPERM;
		}
		int fd = memory_file(data, size);
		void *dl = fd >= 0 && !x->pool ? open_from_memory(fd) : NULL;
		if (fd < 0 || (!x->pool && !dl)) {
			vaccel_error("exec: cannot load in-memory library: %s",
				     fd < 0 ? strerror(errno) : dlerror());
			return VACCEL_EIO;
		}
		if (!remember(x, key, dl, x->pool ? fd : -1, key)) {
			if (dl)
				dlclose(dl);
			else
				close(fd);
			return VACCEL_ENOMEM;
		}
		h = cached(x, key);
	}
	if (x->pool)
		return exec_pool_call(x->pool, key, h->fd, key, fn_symbol, read, nr_read, write,
				      nr_write);
	return call(h->dl, key, fn_symbol, read, nr_read, write, nr_write);
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
