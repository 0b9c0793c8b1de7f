/* SPDX-License-Identifier: Apache-2.0 */
/*
 * vAccel's vaccel_plugin_load() and vaccel_plugin_parse_and_load(): a plugin
 * loaded after bootstrap, ours or one built for vAccel's API, becomes one
 * more instance at the end of the registry (so the profile's instances keep
 * their priority), with no options, and the live sessions are offered it
 * (session-adopt.c). Error values are vAccel's: VACCEL_ENOENT for a library
 * that cannot be opened, VACCEL_ELIBBAD for one that is not a plugin,
 * VACCEL_EEXIST for a plugin loaded already, the plugin's own for a failed
 * init.
 */
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "internal.h"

#define DL_FLAGS (RTLD_NOW | RTLD_LOCAL | RTLD_NODELETE)

/* A plugin loaded at run time has no profile entry, so no options. */
static const struct vaccel_plugin_options no_options = { .plugin = "(vaccel_plugin_load)" };

/*
 * dlopen's search, as vAccel's (a file name or a path); a bare name the
 * search misses is also looked up as ours (libvaccel-NAME.so in the plugin
 * directories), as VACCEL_PLUGINS does.
 */
static void *open_lib(const char *lib)
{
	void *h = dlopen(lib, DL_FLAGS);
	if (h || strchr(lib, '/'))
		return h;
	char why[VACCEL_ERRBUF] = "", *path = NULL;
	if (plugin_resolve(lib, &path, why, sizeof(why)) || !strncmp(path, "builtin:", 8)) {
		free(path);
		return NULL;
	}
	h = dlopen(path, DL_FLAGS);
	free(path);
	return h;
}

static bool loaded_already(const void *h)
{
	for (size_t i = 0; i < registry_count(); i++)
		if (registry_get(i)->handle == h)
			return true;
	return false;
}

struct load {
	const char *lib;
	void *handle; /* NULL once the instance owns it */
	const char *name; /* the plugin's, once loaded */
};

/* Make the instance and append it; under the bootstrap's lock. */
static int add_instance(void *arg)
{
	struct load *l = arg;
	if (loaded_already(l->handle)) {
		vaccel_error("plugin %s: already loaded", l->lib);
		return VACCEL_EEXIST;
	}
	struct vaccel_loaded_plugin pl;
	char err[VACCEL_ERRBUF] = "";
	void *h = l->handle;
	l->handle = NULL; /* plugin_open_handle closes it on failure */
	int ret = plugin_open_handle(h, l->lib, &pl, err, sizeof(err));
	if (ret) {
		vaccel_error("%s", err);
		return ret;
	}
	pl.options = &no_options;
	ret = plugin_init(&pl, &no_options);
	if (ret) {
		vaccel_error("Could not initialize plugin %s: %s", pl.desc.name,
			     vaccel_strerror(ret));
	} else if ((ret = registry_append(&pl))) {
		vaccel_error("plugin %s: no room for another instance until vaccel_cleanup()",
			     l->lib);
		if (pl.desc.fini)
			pl.desc.fini(pl.ctx);
	}
	if (ret)
		plugin_close(&pl);
	else
		l->name = pl.desc.name;
	return ret;
}

int vaccel_plugin_load(const char *lib)
{
	if (!lib)
		return VACCEL_EINVAL;
	if (vaccel_ensure_bootstrapped())
		return VACCEL_EBACKEND;
	struct load l = { lib, open_lib(lib), NULL };
	if (!l.handle) {
		const char *why = dlerror();
		vaccel_error("Could not dlopen plugin %s: %s", lib, why ? why : "not found");
		return VACCEL_ENOENT;
	}
	int ret = bootstrap_locked(add_instance, &l);
	if (l.handle)
		dlclose(l.handle);
	if (ret)
		return ret;
	sessions_adopt_all();
	vaccel_debug("Loaded plugin %s from %s", l.name, lib);
	return VACCEL_OK;
}

int vaccel_plugin_parse_and_load(const char *lib_str)
{
	if (!lib_str)
		return VACCEL_EINVAL;
	char *list = strdup(lib_str), *save = NULL;
	if (!list)
		return VACCEL_ENOMEM;
	int ret = VACCEL_OK;
	for (char *lib = strtok_r(list, ":", &save); lib && !ret; lib = strtok_r(NULL, ":", &save))
		ret = vaccel_plugin_load(lib);
	free(list);
	return ret;
}
