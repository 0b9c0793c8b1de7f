/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The plugin loader: find a plugin's file, dlopen it, check its descriptor
 * against our ABI, and keep the loaded plugins in priority order (the
 * registry). Bootstrap fills the registry; vaccel_plugin_load() may append
 * to it later (plugin-load.c). Entries never move nor change once counted,
 * so readers take the count and read without locks.
 */
#include <dlfcn.h>
#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "internal.h"

static struct vaccel_loaded_plugin *registry;
static size_t registry_len, registry_cap;

/* Room kept past the profile's instances for plugins loaded at run time. */
#define REGISTRY_ROOM 32

size_t registry_count(void)
{
	return __atomic_load_n(&registry_len, __ATOMIC_ACQUIRE);
}

size_t registry_capacity(void)
{
	return registry_cap;
}

struct vaccel_loaded_plugin *registry_get(size_t i)
{
	return i < registry_count() ? &registry[i] : NULL;
}

int registry_find(const char *name)
{
	for (size_t i = 0; i < registry_count(); i++)
		if (!strcmp(registry[i].desc.name, name))
			return (int)i;
	return -1;
}

/*
 * Called by bootstrap: takes ownership of the array, grown to keep room for
 * run-time loads (the array never moves after, as ops read it unlocked).
 */
int registry_set(struct vaccel_loaded_plugin *plugins, size_t n)
{
	struct vaccel_loaded_plugin *grown = realloc(plugins, (n + REGISTRY_ROOM) * sizeof(*grown));
	if (!grown)
		return VACCEL_ENOMEM;
	memset(grown + n, 0, REGISTRY_ROOM * sizeof(*grown));
	registry = grown;
	registry_cap = n + REGISTRY_ROOM;
	__atomic_store_n(&registry_len, n, __ATOMIC_RELEASE);
	return VACCEL_OK;
}

/*
 * Append an instance (its writer serialised by the caller): filled first,
 * then counted, so a reader that sees the count sees the entry.
 */
int registry_append(const struct vaccel_loaded_plugin *p)
{
	size_t n = registry_len;
	if (n >= registry_cap)
		return VACCEL_ENOSPC;
	registry[n] = *p;
	__atomic_store_n(&registry_len, n + 1, __ATOMIC_RELEASE);
	return VACCEL_OK;
}

/* Called by cleanup: hands the array back and empties the registry. */
struct vaccel_loaded_plugin *registry_take(size_t *n)
{
	struct vaccel_loaded_plugin *p = registry;
	*n = registry_len;
	registry = NULL;
	registry_cap = 0;
	__atomic_store_n(&registry_len, 0, __ATOMIC_RELEASE);
	return p;
}

/*
 * The remote plugin's transports are built into libvaccel (they share its
 * wire code with the agent): profiles name them like any plugin.
 */
extern const struct vaccel_plugin builtin_rpc_plugin, builtin_virtio_plugin;

static const struct vaccel_plugin *const builtins[] = {
	&builtin_rpc_plugin,
	&builtin_virtio_plugin,
};

#define BUILTIN_PREFIX "builtin:"

static const struct vaccel_plugin *builtin(const char *path)
{
	if (strncmp(path, BUILTIN_PREFIX, strlen(BUILTIN_PREFIX)))
		return NULL;
	for (size_t i = 0; i < ARRAY_SIZE(builtins); i++)
		if (!strcmp(path + strlen(BUILTIN_PREFIX), builtins[i]->name))
			return builtins[i];
	return NULL;
}

static int try_file(const char *dir, const char *sub, const char *name, char **path)
{
	char buf[PATH_MAX];
	if (snprintf(buf, sizeof(buf), "%s%s/libvaccel-%s.so", dir, sub, name) >=
	    (int)sizeof(buf))
		return VACCEL_ENOENT;
	if (access(buf, R_OK))
		return VACCEL_ENOENT;
	*path = strdup(buf);
	return *path ? VACCEL_OK : VACCEL_ENOMEM;
}

int plugin_resolve(const char *name, char **path, char *err, size_t errlen)
{
	for (size_t i = 0; i < ARRAY_SIZE(builtins); i++) {
		if (!strcmp(name, builtins[i]->name)) {
			*path = malloc(strlen(BUILTIN_PREFIX) + strlen(name) + 1);
			if (!*path)
				return VACCEL_ENOMEM;
			strcat(strcpy(*path, BUILTIN_PREFIX), name);
			return VACCEL_OK;
		}
	}
	if (strchr(name, '/')) {
		if (access(name, R_OK)) {
			snprintf(err, errlen, "plugin %s: %s", name, strerror(errno));
			return VACCEL_ENOENT;
		}
		*path = strdup(name);
		return *path ? VACCEL_OK : VACCEL_ENOMEM;
	}
	/* VACCEL_PLUGIN_PATH first: lets tests and users add plugin dirs. */
	const char *env = getenv("VACCEL_PLUGIN_PATH");
	if (env && *env) {
		char *dirs = strdup(env), *save = NULL;
		if (!dirs)
			return VACCEL_ENOMEM;
		for (char *d = strtok_r(dirs, ":", &save); d; d = strtok_r(NULL, ":", &save)) {
			if (!try_file(d, "", name, path)) {
				free(dirs);
				return VACCEL_OK;
			}
		}
		free(dirs);
	}
	if (vaccel_in_build_tree()) {
		char sub[PATH_MAX];
		snprintf(sub, sizeof(sub), "/plugins/%s/.libs", name);
		if (!try_file(VACCEL_BUILDDIR, sub, name, path))
			return VACCEL_OK;
	}
	if (!try_file(VACCEL_PLUGINDIR, "", name, path))
		return VACCEL_OK;
	snprintf(err, errlen,
		 "plugin '%s' not found (looked for libvaccel-%s.so in %s%s%s%s)",
		 name, name, env && *env ? "$VACCEL_PLUGIN_PATH, " : "",
		 vaccel_in_build_tree() ? VACCEL_BUILDDIR "/plugins/, " : "",
		 VACCEL_PLUGINDIR, "");
	return VACCEL_ENOENT;
}

static int open_classic(void *h, const struct vaccel_classic_plugin *vp, const char *path,
			struct vaccel_loaded_plugin *out, char *err, size_t errlen)
{
	char why[VACCEL_ERRBUF] = "";
	int ret = classic_open(vp, out, why, sizeof(why));
	if (!ret && !(out->path = strdup(path)))
		ret = VACCEL_ENOMEM;
	if (ret) {
		snprintf(err, errlen, "plugin %s: %s", path, *why ? why : vaccel_strerror(ret));
		classic_close(out->classic);
		out->classic = NULL;
		dlclose(h);
		return ret;
	}
	out->handle = h;
	return VACCEL_OK;
}

int plugin_open(const char *path, struct vaccel_loaded_plugin *out, char *err,
		size_t errlen)
{
	memset(out, 0, sizeof(*out));
	const struct vaccel_plugin *b = builtin(path);
	if (b) {
		out->desc = *b;
		out->exported = b;
		out->path = strdup(path);
		return out->path ? VACCEL_OK : VACCEL_ENOMEM;
	}
	/*
	 * NODELETE: a plugin's libraries (OpenBLAS, OpenCV) start threads and
	 * register destructors; unmapping them at cleanup or exit races those.
	 */
	void *h = dlopen(path, RTLD_NOW | RTLD_LOCAL | RTLD_NODELETE);
	if (!h) {
		snprintf(err, errlen, "plugin %s: cannot load: %s", path, dlerror());
		return VACCEL_ELIBBAD;
	}
	return plugin_open_handle(h, path, out, err, errlen);
}

int plugin_open_handle(void *h, const char *path, struct vaccel_loaded_plugin *out,
		       char *err, size_t errlen)
{
	memset(out, 0, sizeof(*out));
	const struct vaccel_plugin *d = dlsym(h, VACCEL_PLUGIN_SYMBOL);
	/* vAccel's plugins export a pointer to their descriptor instead. */
	struct vaccel_classic_plugin *const *classic = d ? NULL : dlsym(h, "vaccel_plugin");
	if (classic && *classic)
		return open_classic(h, *classic, path, out, err, errlen);
	if (!d) {
		snprintf(err, errlen, "plugin %s: no '%s' descriptor (nor vAccel's "
			 "'vaccel_plugin'): not a vaccel plugin", path, VACCEL_PLUGIN_SYMBOL);
		goto refuse;
	}
	if (d->abi_version != VACCEL_PLUGIN_ABI_VERSION) {
		snprintf(err, errlen,
			 "plugin %s: built for plugin ABI version %u, this libvaccel %s speaks version %u",
			 path, d->abi_version, PACKAGE_VERSION, VACCEL_PLUGIN_ABI_VERSION);
		goto refuse;
	}
	if (d->size < offsetof(struct vaccel_plugin, ops)) {
		snprintf(err, errlen, "plugin %s: descriptor size %u is smaller than the ABI's header (%zu)",
			 path, d->size, offsetof(struct vaccel_plugin, ops));
		goto refuse;
	}
	if (!d->name || !*d->name || !d->version) {
		snprintf(err, errlen, "plugin %s: descriptor lacks a name or version", path);
		goto refuse;
	}
	/* Older plugins are shorter: the ops they do not know stay NULL. */
	memcpy(&out->desc, d, d->size < sizeof(*d) ? d->size : sizeof(*d));
	out->desc.size = sizeof(out->desc);
	out->exported = d;
	out->handle = h;
	out->path = strdup(path);
	if (!out->path) {
		dlclose(h);
		return VACCEL_ENOMEM;
	}
	return VACCEL_OK;
refuse:
	dlclose(h);
	return VACCEL_ELIBBAD;
}

int plugin_init(struct vaccel_loaded_plugin *p, const struct vaccel_plugin_options *opts)
{
	if (p->classic)
		return classic_start(p->classic, &p->ctx);
	return p->desc.init ? p->desc.init(opts, &p->ctx) : VACCEL_OK;
}

void plugin_close(struct vaccel_loaded_plugin *p)
{
	classic_close(p->classic);
	if (p->handle)
		dlclose(p->handle);
	free(p->path);
	memset(p, 0, sizeof(*p));
}

int plugin_check_options(const struct vaccel_loaded_plugin *p,
			 const struct vaccel_plugin_options *opts, char *err,
			 size_t errlen)
{
	for (size_t i = 0; opts && i < opts->nr; i++) {
		const struct vaccel_option *o = &opts->items[i];
		bool known = false;
		for (const char *const *k = p->desc.option_keys; k && *k; k++)
			known = known || !strcmp(*k, o->key);
		if (known)
			continue;
		char list[256] = "";
		for (const char *const *k = p->desc.option_keys; k && *k; k++) {
			if (*list)
				strncat(list, ", ", sizeof(list) - strlen(list) - 1);
			strncat(list, *k, sizeof(list) - strlen(list) - 1);
		}
		snprintf(err, errlen, "%s:%d:%d: unknown option '%s' for plugin '%s' (it accepts: %s)",
			 o->loc.file, o->loc.line, o->loc.column, o->key,
			 p->desc.name, *list ? list : "none");
		return VACCEL_EINVAL;
	}
	return VACCEL_OK;
}

/* ---- options, as plugins read them ---- */

static const struct vaccel_option *find_option(const struct vaccel_plugin_options *opts,
					       const char *key)
{
	for (size_t i = 0; opts && i < opts->nr; i++)
		if (!strcmp(opts->items[i].key, key))
			return &opts->items[i];
	return NULL;
}

const char *vaccel_plugin_option(const struct vaccel_plugin_options *opts,
				 const char *key)
{
	const struct vaccel_option *o = find_option(opts, key);
	return o && !o->is_list ? o->values[0] : NULL;
}

size_t vaccel_plugin_option_list(const struct vaccel_plugin_options *opts,
				 const char *key, const char *const **items)
{
	const struct vaccel_option *o = find_option(opts, key);
	*items = o ? (const char *const *)o->values : NULL;
	return o ? o->nr_values : 0;
}

void vaccel_plugin_option_error(const struct vaccel_plugin_options *opts,
				const char *key, const char *fmt, ...)
{
	const struct vaccel_option *o = find_option(opts, key);
	char msg[VACCEL_ERRBUF];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (o && o->loc.line)
		vaccel_error("%s:%d:%d: plugin '%s' option '%s': %s", o->loc.file,
			     o->loc.line, o->loc.column, opts->plugin, key, msg);
	else
		vaccel_error("plugin '%s' option '%s': %s",
			     opts && opts->plugin ? opts->plugin : "?", key, msg);
}

int vaccel_plugin_option_bool(const struct vaccel_plugin_options *opts,
			      const char *key, bool def, bool *out)
{
	const struct vaccel_option *o = find_option(opts, key);
	*out = def;
	if (!o)
		return VACCEL_OK;
	const char *v = o->is_list ? NULL : o->values[0];
	if (v && (!strcmp(v, "true") || !strcmp(v, "yes") || !strcmp(v, "on"))) {
		*out = true;
		return VACCEL_OK;
	}
	if (v && (!strcmp(v, "false") || !strcmp(v, "no") || !strcmp(v, "off"))) {
		*out = false;
		return VACCEL_OK;
	}
	vaccel_plugin_option_error(opts, key, "expected true or false, got '%s'",
				   v ? v : "a list");
	return VACCEL_EINVAL;
}

int vaccel_plugin_option_long(const struct vaccel_plugin_options *opts,
			      const char *key, long def, long min, long max,
			      long *out)
{
	const struct vaccel_option *o = find_option(opts, key);
	*out = def;
	if (!o)
		return VACCEL_OK;
	const char *v = o->is_list ? NULL : o->values[0];
	char *end;
	errno = 0;
	long n = v ? strtol(v, &end, 10) : 0;
	if (!v || !*v || *end || errno || n < min || n > max) {
		vaccel_plugin_option_error(opts, key, "expected an integer in %ld..%ld, got '%s'",
					   min, max, v ? v : "a list");
		return VACCEL_EINVAL;
	}
	*out = n;
	return VACCEL_OK;
}
