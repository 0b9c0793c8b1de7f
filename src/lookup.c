/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Where things are found: profiles by name (vaccel-profile(5) gives the
 * order) and whether we run from the build tree, where plugins and shipped
 * profiles sit beside the sources instead of under the install prefix.
 */
#include <dlfcn.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "internal.h"

bool vaccel_in_build_tree(void)
{
	static int cached = -1;
	if (cached >= 0)
		return cached;
	Dl_info info;
	char self[PATH_MAX], build[PATH_MAX];
	cached = 0;
	/* Our own file: .../builddir/.libs/libvaccel.so.N when uninstalled. */
	if (dladdr((void *)vaccel_in_build_tree, &info) && info.dli_fname &&
	    realpath(info.dli_fname, self) && realpath(VACCEL_BUILDDIR, build)) {
		size_t n = strlen(build);
		cached = !strncmp(self, build, n) && self[n] == '/';
	}
	return cached;
}

static bool file_exists(const char *path)
{
	return access(path, R_OK) == 0;
}

/* The user's config dir: $XDG_CONFIG_HOME/vaccel or ~/.config/vaccel. */
static int user_config_dir(char *buf, size_t len)
{
	const char *xdg = getenv("XDG_CONFIG_HOME");
	const char *home = getenv("HOME");
	if (xdg && *xdg)
		return snprintf(buf, len, "%s/vaccel", xdg) < (int)len ? 0 : -1;
	if (home && *home)
		return snprintf(buf, len, "%s/.config/vaccel", home) < (int)len ? 0 : -1;
	return -1;
}

static bool looks_like_path(const char *name)
{
	size_t n = strlen(name);
	return strchr(name, '/') || (n > 5 && !strcmp(name + n - 5, ".yaml")) ||
	       (n > 4 && !strcmp(name + n - 4, ".yml"));
}

/* Try DIR/NAME.yaml for each dir in order; on success *path is malloc'd. */
static int search_dirs(const char *const *dirs, size_t nr, const char *name,
		       char **path)
{
	char buf[PATH_MAX];
	for (size_t i = 0; i < nr; i++) {
		if (!dirs[i])
			continue;
		if (snprintf(buf, sizeof(buf), "%s/%s.yaml", dirs[i], name) >= (int)sizeof(buf))
			continue;
		if (file_exists(buf)) {
			*path = strdup(buf);
			return *path ? VACCEL_OK : VACCEL_ENOMEM;
		}
	}
	return VACCEL_ENOENT;
}

int profile_locate(const char *name, char **path, char *err, size_t errlen)
{
	char user[PATH_MAX];
	const char *user_dir = user_config_dir(user, sizeof(user)) ? NULL : user;
	*path = NULL;

	if (!name || !*name)
		name = getenv("VACCEL_PROFILE");
	if (!name || !*name) {
		/* No choice made: a default profile if the user or admin wrote one. */
		const char *dirs[] = { user_dir, VACCEL_SYSCONFDIR };
		int ret = search_dirs(dirs, ARRAY_SIZE(dirs), "default", path);
		return ret == VACCEL_ENOENT ? VACCEL_OK : ret; /* built-in */
	}
	if (looks_like_path(name)) {
		if (!file_exists(name)) {
			snprintf(err, errlen, "profile %s: %s", name, strerror(errno));
			return VACCEL_ENOENT;
		}
		*path = strdup(name);
		return *path ? VACCEL_OK : VACCEL_ENOMEM;
	}
	const char *shipped = vaccel_in_build_tree() ? VACCEL_SRCDIR "/configs"
						     : VACCEL_PROFILEDIR;
	const char *dirs[] = { user_dir, VACCEL_SYSCONFDIR, shipped };
	int ret = search_dirs(dirs, ARRAY_SIZE(dirs), name, path);
	if (ret == VACCEL_ENOENT)
		snprintf(err, errlen,
			 "profile '%s' not found (looked for %s.yaml in %s, %s and %s)",
			 name, name, user_dir ? user_dir : "(no user dir)",
			 VACCEL_SYSCONFDIR, shipped);
	return ret;
}
