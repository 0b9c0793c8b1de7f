/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A plugin's module: the C++ side behind its extern "C" edge, linked with
 * its framework's libraries and loaded on the plugin's first op, so that a
 * profile listing the plugin starts as fast as one without. The opencv,
 * torch, tf and tflite plugins load theirs through this one function.
 */
#ifndef VACCEL_PLUGIN_MODULE_H
#define VACCEL_PLUGIN_MODULE_H

#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <vaccel/plugin.h>

/*
 * dlopen `file` from the directory of the plugin's own file (the object
 * holding `anchor`, one of its functions) and return the module's exported
 * `symbol`, its handle in *handle. NULL on failure, logged as "PLUGIN:
 * cannot load its WHAT module PATH: why", with nothing left open.
 */
static inline const void *plugin_module_load(const void *anchor, const char *file,
					     const char *symbol, const char *plugin,
					     const char *what, void **handle)
{
	Dl_info self;
	char *path = NULL;
	if (dladdr(anchor, &self) && self.dli_fname) {
		const char *slash = strrchr(self.dli_fname, '/');
		int dir = slash ? (int)(slash + 1 - self.dli_fname) : 0;
		if (asprintf(&path, "%.*s%s", dir, self.dli_fname, file) < 0)
			path = NULL;
	}
	*handle = path ? dlopen(path, RTLD_NOW | RTLD_LOCAL) : NULL;
	const void *api = *handle ? dlsym(*handle, symbol) : NULL;
	if (!api && *handle) {
		vaccel_error("%s: cannot load its %s module %s: no %s in it", plugin, what, path,
			     symbol);
		dlclose(*handle);
		*handle = NULL;
	} else if (!api) {
		vaccel_error("%s: cannot load its %s module %s: %s", plugin, what,
			     path ? path : file, path ? dlerror() : "cannot find the plugin's own file");
	}
	free(path);
	return api;
}

#endif
