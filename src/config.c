/* SPDX-License-Identifier: Apache-2.0 */
/*
 * vAccel's struct vaccel_config: the settings vaccel_bootstrap_with_config()
 * takes, and what vaccel_bootstrap() reads from the environment.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "internal.h"

/* A variable, or the name vAccel used before (still honoured, as vAccel's). */
static const char *env2(const char *name, const char *old)
{
	const char *v = getenv(name);
	return v ? v : (old ? getenv(old) : NULL);
}

static bool env_bool(const char *name, const char *old)
{
	const char *v = env2(name, old);
	return v && (!strcmp(v, "1") || !strcasecmp(v, "true") || !strcasecmp(v, "yes"));
}

static int dup_or_null(char **dst, const char *src)
{
	*dst = src ? strdup(src) : NULL;
	return src && !*dst ? VACCEL_ENOMEM : VACCEL_OK;
}

int vaccel_config_init(struct vaccel_config *config, const char *plugins,
		       vaccel_log_level_t log_level, const char *log_file,
		       bool profiling_enabled, bool version_ignore)
{
	if (!config)
		return VACCEL_EINVAL;
	*config = (struct vaccel_config){ .log_level = log_level,
					  .profiling_enabled = profiling_enabled,
					  .version_ignore = version_ignore };
	if (dup_or_null(&config->plugins, plugins) || dup_or_null(&config->log_file, log_file)) {
		vaccel_config_release(config);
		return VACCEL_ENOMEM;
	}
	return VACCEL_OK;
}

int vaccel_config_init_from_env(struct vaccel_config *config)
{
	if (!config)
		return VACCEL_EINVAL;
	int level = log_level_parse(env2("VACCEL_LOG_LEVEL", "VACCEL_DEBUG_LEVEL"));
	return vaccel_config_init(config, env2("VACCEL_PLUGINS", "VACCEL_BACKENDS"),
				  level ? (vaccel_log_level_t)level : VACCEL_LOG_ERROR,
				  getenv("VACCEL_LOG_FILE"),
				  env_bool("VACCEL_PROFILING_ENABLED", NULL),
				  env_bool("VACCEL_VERSION_IGNORE", "VACCEL_IGNORE_VERSION"));
}

int vaccel_config_init_from(struct vaccel_config *config, struct vaccel_config *config_src)
{
	if (!config || !config_src)
		return VACCEL_EINVAL;
	return vaccel_config_init(config, config_src->plugins, config_src->log_level,
				  config_src->log_file, config_src->profiling_enabled,
				  config_src->version_ignore);
}

int vaccel_config_release(struct vaccel_config *config)
{
	if (!config)
		return VACCEL_EINVAL;
	free(config->plugins);
	free(config->log_file);
	*config = (struct vaccel_config){ .log_level = VACCEL_LOG_ERROR };
	return VACCEL_OK;
}

/* The heap forms: allocate, then initialise by `init`. */
static int config_alloc(struct vaccel_config **config, struct vaccel_config **out)
{
	if (!config)
		return VACCEL_EINVAL;
	*out = malloc(sizeof(**out));
	return *out ? VACCEL_OK : VACCEL_ENOMEM;
}

static int config_done(struct vaccel_config **config, struct vaccel_config *c, int ret)
{
	if (ret)
		free(c);
	else
		*config = c;
	return ret;
}

int vaccel_config_new(struct vaccel_config **config, const char *plugins,
		      vaccel_log_level_t log_level, const char *log_file,
		      bool profiling_enabled, bool version_ignore)
{
	struct vaccel_config *c;
	int ret = config_alloc(config, &c);
	return ret ? ret
		   : config_done(config, c,
				 vaccel_config_init(c, plugins, log_level, log_file,
						    profiling_enabled, version_ignore));
}

int vaccel_config_from_env(struct vaccel_config **config)
{
	struct vaccel_config *c;
	int ret = config_alloc(config, &c);
	return ret ? ret : config_done(config, c, vaccel_config_init_from_env(c));
}

int vaccel_config_from(struct vaccel_config **config, struct vaccel_config *config_src)
{
	struct vaccel_config *c;
	int ret = config_alloc(config, &c);
	return ret ? ret : config_done(config, c, vaccel_config_init_from(c, config_src));
}

int vaccel_config_delete(struct vaccel_config *config)
{
	int ret = vaccel_config_release(config);
	if (!ret)
		free(config);
	return ret;
}

void vaccel_config_print_debug(struct vaccel_config *config)
{
	if (!config)
		return;
	vaccel_debug("config: plugins %s, log level %d, log file %s, profiling %s, "
		     "version ignore %s",
		     config->plugins ? config->plugins : "(none)", (int)config->log_level,
		     config->log_file ? config->log_file : "(stderr)",
		     config->profiling_enabled ? "on" : "off",
		     config->version_ignore ? "on" : "off");
}
