/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Configuration: vAccel's struct vaccel_config (what
 * vaccel_bootstrap_with_config() of <vaccel/core.h> takes), and our
 * extensions for bootstrap with a profile and introspection. Applications
 * need none of this (the library bootstraps on first use from VACCEL_PROFILE
 * and the lookup order of vaccel-profile(5)); the `vaccel` command and the
 * agent use it to choose the profile and to report what is loaded.
 */
#ifndef VACCEL_CONFIG_H
#define VACCEL_CONFIG_H

#include <vaccel/types.h>
#include <vaccel/log.h>
#include <vaccel/op.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * vAccel's settings, laid out as vAccel's (32 bytes on LP64). The strings
 * are owned by the config (copied by _init, freed by _release).
 */
struct vaccel_config {
	char *plugins;                /* names or paths, ':'-separated; NULL: the profile's */
	vaccel_log_level_t log_level; /* 1..4; 0: the profile's */
	char *log_file;               /* NULL: stderr (or the profile's) */
	bool profiling_enabled;
	bool version_ignore;          /* accepted; our loader checks the ABI version */
};

int vaccel_config_init(struct vaccel_config *config, const char *plugins,
		       vaccel_log_level_t log_level, const char *log_file,
		       bool profiling_enabled, bool version_ignore);
/*
 * From VACCEL_PLUGINS, VACCEL_LOG_LEVEL (ERROR when unset), VACCEL_LOG_FILE,
 * VACCEL_PROFILING_ENABLED and VACCEL_VERSION_IGNORE (and vAccel's older
 * names VACCEL_BACKENDS, VACCEL_DEBUG_LEVEL, VACCEL_IGNORE_VERSION).
 */
int vaccel_config_init_from_env(struct vaccel_config *config);
int vaccel_config_init_from(struct vaccel_config *config,
			    struct vaccel_config *config_src);
int vaccel_config_release(struct vaccel_config *config);
/* Heap forms: free with vaccel_config_delete(). */
int vaccel_config_new(struct vaccel_config **config, const char *plugins,
		      vaccel_log_level_t log_level, const char *log_file,
		      bool profiling_enabled, bool version_ignore);
int vaccel_config_from_env(struct vaccel_config **config);
int vaccel_config_from(struct vaccel_config **config,
		       struct vaccel_config *config_src);
int vaccel_config_delete(struct vaccel_config *config);
/* Log the config at debug level. */
void vaccel_config_print_debug(struct vaccel_config *config);

/*
 * vaccel extension: load a profile and its plugins. `profile` is a name, a
 * path, or NULL for the lookup order; `log_level` 1..4 overrides the
 * environment and profile, 0 keeps them. On failure a message naming the
 * file, line, column and key is logged and copied into errbuf (if not
 * NULL). Returns VACCEL_EALREADY when the library was already bootstrapped.
 */
int vaccel_bootstrap_profile(const char *profile, int log_level, char *errbuf,
			     size_t errlen);

/* Where the active profile came from: a path or "(built-in)". */
const char *vaccel_profile_source(void);

/*
 * Parse and validate a profile file without loading it: schema, types, and
 * that every plugin it names can be found and accepts its options.
 */
int vaccel_profile_check(const char *path, char *errbuf, size_t errlen);

/* The active profile rendered as YAML into a malloc'd string (caller frees). */
int vaccel_profile_dump(char **yaml);

/*
 * A value of the active profile's `agent:` section (see vaccel-profile(5)):
 * *values gets its strings (a scalar is a list of one). VACCEL_ENOENT when
 * the key is absent.
 */
int vaccel_profile_agent_option(const char *key, const char *const **values, size_t *n);

/*
 * vaccel extension: one loaded plugin instance. (Named so that vAccel's
 * struct vaccel_plugin_info, a plugin's descriptor, keeps its name:
 * <vaccel/classic-plugin.h>.)
 */
struct vaccel_instance_info {
	const char *name;
	const char *version;
	const char *description;
	const char *path;
	/* What the instance says of itself (an agent's address and whether it
	 * is connected), "" when it says nothing. */
	char state[160];
};

/* Loaded plugin instances in priority order (a plugin listed twice is two). */
size_t vaccel_plugin_count(void);
int vaccel_plugin_get_info(size_t index, struct vaccel_instance_info *info);

/*
 * Name of the plugin that serves `op` for a session pinned to `pin` (NULL:
 * no pin), or NULL when no plugin does.
 */
const char *vaccel_op_served_by(vaccel_op_type_t op, const char *pin);

/* "1.2.3" */
const char *vaccel_version(void);

#ifdef __cplusplus
}
#endif

#endif /* VACCEL_CONFIG_H */
