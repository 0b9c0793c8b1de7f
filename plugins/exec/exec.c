/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The exec plugin: load a host library and call
 *   int fn(struct vaccel_arg *read, size_t nr_read,
 *          struct vaccel_arg *write, size_t nr_write)
 * Only libraries the profile allows are loaded: option `allow` lists paths
 * and sha256:HEX digests; `allow-any: true` lifts the check (local use).
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <link.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <vaccel/plugin.h>

typedef int (*exec_fn)(struct vaccel_arg *read, size_t nr_read,
		       struct vaccel_arg *write, size_t nr_write);

static const char *const option_keys[] = { "allow", "allow-any", NULL };

/* Opened libraries, kept until fini so repeated calls cost a lookup. */
struct handle {
	char *key; /* realpath, or "sha256:HEX" for in-memory resources */
	void *dl;
	struct handle *next;
};

/* One instance: its allow list and the libraries it opened. */
struct exec_ctx {
	bool allow_any;
	bool has_digests;            /* the allow list names some sha256: */
	const char *const *allow_list;
	size_t allow_len;
	struct handle *handles;
	pthread_mutex_t lock;
};

static void exec_fini(void *ctx);

static int exec_init(const struct vaccel_plugin_options *opts, void **ctxp)
{
	struct exec_ctx *x = calloc(1, sizeof(*x));
	if (!x)
		return VACCEL_ENOMEM;
	pthread_mutex_init(&x->lock, NULL);
	*ctxp = x;
	int ret = vaccel_plugin_option_bool(opts, "allow-any", false, &x->allow_any);
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
		dlclose(h->dl);
		free(h->key);
		free(h);
	}
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

static void *cached(struct exec_ctx *x, const char *key)
{
	void *dl = NULL;
	pthread_mutex_lock(&x->lock);
	for (struct handle *h = x->handles; h && !dl; h = h->next)
		if (!strcmp(h->key, key))
			dl = h->dl;
	pthread_mutex_unlock(&x->lock);
	return dl;
}

static void *remember(struct exec_ctx *x, const char *key, void *dl)
{
	struct handle *h = malloc(sizeof(*h));
	char *k = strdup(key);
	if (!h || !k) {
		free(h);
		free(k);
		return dl; /* still usable, just not cached */
	}
	pthread_mutex_lock(&x->lock);
	h->key = k;
	h->dl = dl;
	h->next = x->handles;
	x->handles = h;
	pthread_mutex_unlock(&x->lock);
	return dl;
}

static int call(void *dl, const char *what, const char *fn_symbol,
		struct vaccel_arg *read, size_t nr_read, struct vaccel_arg *write,
		size_t nr_write)
{
	void *sym = dlsym(dl, fn_symbol);
	if (!sym) {
		vaccel_error("exec: %s has no symbol '%s'", what, fn_symbol);
		return VACCEL_ENOENT;
	}
	/* dlsym also finds what the library's dependencies define (libc's
	 * abort for a library that links libc): only its own symbols count. */
	struct link_map *lib = NULL, *owner = NULL;
	Dl_info info;
	if (dlinfo(dl, RTLD_DI_LINKMAP, &lib) || !dladdr1(sym, &info, (void **)&owner, RTLD_DL_LINKMAP) ||
	    !lib || owner != lib) {
		vaccel_error("exec: %s does not define '%s' itself (%s does)", what, fn_symbol,
			     owner && owner->l_name && *owner->l_name ? owner->l_name : "another object");
		return VACCEL_ENOENT;
	}
	exec_fn fn;
	memcpy(&fn, &sym, sizeof(fn));
	int rc = fn(read, nr_read, write, nr_write);
	if (rc) {
		vaccel_error("exec: %s:%s returned %d", what, fn_symbol, rc);
		return VACCEL_EIO;
	}
	return VACCEL_OK;
}

static int exec_path(struct exec_ctx *x, const char *library, const char *fn_symbol,
		     struct vaccel_arg *read, size_t nr_read, struct vaccel_arg *write,
		     size_t nr_write)
{
	char real[PATH_MAX], digest[65];
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
	void *dl = cached(x, real);
	if (!dl) {
		/* Hash only when the path alone does not decide and a digest could. */
		bool ok = allowed(x, real, NULL) ||
			  (x->has_digests && !vaccel_sha256_file(real, digest) &&
			   allowed(x, real, digest));
		if (!ok) {
			vaccel_error("exec: library %s is not allowed by the profile "
				     "(add its path or sha256 to the exec plugin's 'allow')",
				     library);
			return VACCEL_EPERM;
		}
		dl = dlopen(real, RTLD_NOW | RTLD_LOCAL);
		if (!dl) {
			vaccel_error("exec: cannot load %s: %s", library, dlerror());
			return VACCEL_EIO;
		}
		dl = remember(x, real, dl);
	}
	return call(dl, library, fn_symbol, read, nr_read, write, nr_write);
}

/* A mem_only resource has no file: load it from a sealed memfd. */
static void *open_from_memory(const void *data, size_t size)
{
	int fd = memfd_create("vaccel-exec", MFD_CLOEXEC);
	if (fd < 0)
		return NULL;
	void *dl = NULL;
	if (write(fd, data, size) == (ssize_t)size) {
		char path[64];
		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
		dl = dlopen(path, RTLD_NOW | RTLD_LOCAL);
	}
	close(fd);
	return dl;
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
	void *dl = cached(x, key);
	if (!dl) {
		if (!allowed(x, NULL, digest)) {
			vaccel_error("exec: in-memory library (%s) is not allowed by the profile",
				     key);
			return VACCEL_EPERM;
		}
		if (!(dl = open_from_memory(data, size))) {
			vaccel_error("exec: cannot load in-memory library: %s", dlerror());
			return VACCEL_EIO;
		}
		dl = remember(x, key, dl);
	}
	return call(dl, key, fn_symbol, read, nr_read, write, nr_write);
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
