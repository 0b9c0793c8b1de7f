/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Bootstrap: pick the profile, configure logging, load the profile's plugins
 * into the registry. Runs once, on the first API call or when the `vaccel`
 * command asks for a given profile; vaccel_cleanup() undoes it.
 */
#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "internal.h"

/* VACCEL_LOG_LEVEL, or vAccel's older name for it. */
static const char *env2_log_level(void)
{
	const char *v = getenv("VACCEL_LOG_LEVEL");
	return v ? v : getenv("VACCEL_DEBUG_LEVEL");
}

static pthread_mutex_t boot_lock = PTHREAD_MUTEX_INITIALIZER;
static bool booted;
static bool attempted; /* a failed bootstrap is not retried until cleanup */
static int boot_result;
static struct vaccel_profile *active;
/* vAccel's view of the settings in effect (vaccel_config()). */
static struct vaccel_config active_config = { .log_level = VACCEL_LOG_ERROR };
static char *rundir;

/* Report once: into the caller's buffer if it gave one, else to the log. */
static int report(int ret, const char *msg, char *errbuf, size_t errlen)
{
	if (errbuf && errlen)
		snprintf(errbuf, errlen, "%s", msg);
	else
		vaccel_error("%s", msg);
	return ret;
}

/*
 * A plugin list (VACCEL_PLUGINS, vAccel's config.plugins: names or paths,
 * ':'-separated) replaces the profile's.
 */
static int apply_env_plugins(struct vaccel_profile *p, const char *env, char *err,
			     size_t errlen)
{
	if (!env || !*env)
		return VACCEL_OK;
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	if (!f)
		return VACCEL_ENOMEM;
	fputs("version: 1\nplugins:\n", f);
	char *list = strdup(env), *save = NULL;
	for (char *it = list ? strtok_r(list, ":", &save) : NULL; it;
	     it = strtok_r(NULL, ":", &save))
		fprintf(f, "  - %s: \"%s\"\n", strchr(it, '/') ? "path" : "name", it);
	free(list);
	fclose(f);
	struct vaccel_profile *envp;
	int ret = profile_parse_string(text, "$VACCEL_PLUGINS", &envp, err, errlen);
	free(text);
	if (ret)
		return ret;
	/* Keep the profile's other settings, take the env's plugin list. */
	struct vaccel_profile_plugin *pls = p->plugins;
	size_t n = p->nr_plugins;
	p->plugins = envp->plugins;
	p->nr_plugins = envp->nr_plugins;
	envp->plugins = pls;
	envp->nr_plugins = n;
	profile_free(envp);
	return VACCEL_OK;
}

static void unload_all(struct vaccel_loaded_plugin *pls, size_t n, bool inited)
{
	for (size_t i = n; i-- > 0;) {
		if (inited && pls[i].desc.fini)
			pls[i].desc.fini(pls[i].ctx);
		plugin_close(&pls[i]);
	}
	free(pls);
}

static int load_plugins(struct vaccel_profile *p, char *err, size_t errlen)
{
	struct vaccel_loaded_plugin *pls = calloc(p->nr_plugins + 1, sizeof(*pls));
	if (!pls)
		return VACCEL_ENOMEM;
	size_t n = 0; /* instances loaded: optional plugins not installed are skipped */
	for (size_t i = 0; i < p->nr_plugins; i++) {
		struct vaccel_profile_plugin *pp = &p->plugins[i];
		struct vaccel_loaded_plugin *pl = &pls[n];
		char *path = NULL;
		int ret = plugin_resolve(pp->path ? pp->path : pp->name, &path, err, errlen);
		if (ret == VACCEL_ENOENT && pp->optional) {
			vaccel_debug("optional plugin %s skipped: %s", pp->name, err);
			err[0] = '\0';
			continue;
		}
		if (!ret) {
			ret = plugin_open(path, pl, err, errlen);
			free(path);
		}
		if (!ret)
			ret = plugin_check_options(pl, &pp->options, err, errlen);
		if (!ret && strcmp(pl->desc.name, pp->name) && !pp->path) {
			snprintf(err, errlen, "%s: plugin file for '%s' calls itself '%s'",
				 pl->path, pp->name, pl->desc.name);
			ret = VACCEL_ELIBBAD;
		}
		pl->options = &pp->options;
		pl->ops = pp->ops;
		if (!ret && (ret = plugin_init(pl, &pp->options)))
			snprintf(err, errlen, "plugin '%s' failed to initialise: %s",
				 pl->desc.name, vaccel_strerror(ret));
		if (ret) {
			/* Instances before this one were initialised; this one was not. */
			if (pl->path) /* opened: a file, or a built-in */
				plugin_close(pl);
			unload_all(pls, n, true);
			return ret;
		}
		vaccel_debug("loaded plugin %s %s from %s", pl->desc.name, pl->desc.version,
			     pl->path);
		n++;
	}
	int ret = registry_set(pls, n);
	if (ret) {
		snprintf(err, errlen, "out of memory");
		unload_all(pls, n, true);
	}
	return ret;
}

static int load_profile(const char *name, struct vaccel_profile **out, char *err,
			size_t errlen)
{
	char *path = NULL;
	int ret = profile_locate(name, &path, err, errlen);
	if (ret)
		return ret;
	if (path)
		ret = profile_parse_file(path, out, err, errlen);
	else
		ret = profile_parse_string(profile_builtin_default, "(built-in)", out,
					   err, errlen);
	free(path);
	return ret;
}

/*
 * Bootstrap with a profile (name, path or NULL for the lookup order) and
 * settings: the environment's (cfg NULL) or a vaccel_config's. A level or
 * log file given (log_level, the environment, cfg) wins over the profile's.
 */
static int bootstrap(const char *profile, int log_level, const struct vaccel_config *cfg,
		     char *errbuf, size_t errlen)
{
	char err[VACCEL_ERRBUF] = "";
	int ret;

	pthread_mutex_lock(&boot_lock);
	if (booted) {
		pthread_mutex_unlock(&boot_lock);
		return VACCEL_EALREADY;
	}
	struct vaccel_config settings;
	ret = cfg ? vaccel_config_init_from(&settings, (struct vaccel_config *)cfg)
		  : vaccel_config_init_from_env(&settings);
	if (ret) {
		pthread_mutex_unlock(&boot_lock);
		return ret;
	}
	/* Log level first, so loading itself can be traced. */
	int given_level = cfg ? (int)cfg->log_level
			      : log_level_parse(env2_log_level());
	if (log_level)
		given_level = log_level;
	log_configure(given_level, settings.log_file);

	struct vaccel_profile *p = NULL;
	ret = load_profile(profile, &p, err, sizeof(err));
	if (!ret)
		ret = apply_env_plugins(p, settings.plugins, err, sizeof(err));
	if (!ret) {
		if (!given_level && p->log_level)
			log_configure(p->log_level, NULL);
		if (!settings.log_file && p->log_file)
			log_configure(0, p->log_file);
		vaccel_debug("profile: %s", p->source);
		ret = load_plugins(p, err, sizeof(err));
	}
	if (ret) {
		profile_free(p);
		vaccel_config_release(&settings);
		report(ret, err, errbuf, errlen);
	} else {
		active = p;
		settings.log_level = (vaccel_log_level_t)vaccel_log_get_level();
		vaccel_config_release(&active_config);
		active_config = settings;
		prof_set_enabled(settings.profiling_enabled);
		__atomic_store_n(&booted, true, __ATOMIC_RELEASE);
	}
	boot_result = ret;
	attempted = true;
	pthread_mutex_unlock(&boot_lock);
	return ret;
}

int vaccel_bootstrap_profile(const char *profile, int log_level, char *errbuf, size_t errlen)
{
	return bootstrap(profile, log_level, NULL, errbuf, errlen);
}

int vaccel_bootstrap(void)
{
	int ret = bootstrap(NULL, 0, NULL, NULL, 0);
	return ret == VACCEL_EALREADY ? VACCEL_OK : ret;
}

int vaccel_bootstrap_with_config(struct vaccel_config *config)
{
	if (!config)
		return VACCEL_EINVAL;
	/* As vAccel: bootstrapping again takes the new settings. */
	if (vaccel_is_initialized())
		vaccel_cleanup();
	return bootstrap(NULL, 0, config, NULL, 0);
}

bool vaccel_is_initialized(void)
{
	return __atomic_load_n(&booted, __ATOMIC_ACQUIRE);
}

const struct vaccel_config *vaccel_config(void)
{
	return &active_config;
}

const char *vaccel_rundir(void)
{
	if (!vaccel_is_initialized())
		return NULL;
	pthread_mutex_lock(&boot_lock);
	if (!rundir) {
		const char *base = getenv("XDG_RUNTIME_DIR");
		char *dir = NULL;
		if (asprintf(&dir, "%s/vaccel-XXXXXX", base && *base ? base : "/tmp") >= 0 &&
		    !mkdtemp(dir)) {
			vaccel_error("cannot create a run directory %s: %s", dir, strerror(errno));
			free(dir);
			dir = NULL;
		}
		rundir = dir;
	}
	pthread_mutex_unlock(&boot_lock);
	return rundir;
}

int bootstrap_locked(int (*fn)(void *arg), void *arg)
{
	pthread_mutex_lock(&boot_lock);
	int ret = booted ? fn(arg) : VACCEL_EBACKEND;
	pthread_mutex_unlock(&boot_lock);
	return ret;
}

int vaccel_ensure_bootstrapped(void)
{
	/* Fast path: once booted, the registry only grows (plugin-load.c). */
	if (__atomic_load_n(&booted, __ATOMIC_ACQUIRE))
		return VACCEL_OK;
	pthread_mutex_lock(&boot_lock);
	bool failed = attempted && boot_result;
	int result = boot_result;
	pthread_mutex_unlock(&boot_lock);
	if (failed)
		return result;
	/* vAccel's VACCEL_BOOTSTRAP_ENABLED=0: no bootstrap but an explicit one. */
	const char *on = getenv("VACCEL_BOOTSTRAP_ENABLED");
	if (on && !strcmp(on, "0")) {
		vaccel_error("libvaccel is not bootstrapped (VACCEL_BOOTSTRAP_ENABLED=0): "
			     "call vaccel_bootstrap() first");
		return VACCEL_ESESS;
	}
	int ret = bootstrap(NULL, 0, NULL, NULL, 0);
	return ret == VACCEL_EALREADY ? VACCEL_OK : ret;
}

/*
 * The empty run directories of sessions never released (an app that exits
 * with them open): removed with the process's, so that they do not pile up.
 * What a plugin left in one is kept, as the rest of the directory is.
 */
static void remove_empty_session_dirs(const char *dir)
{
	DIR *d = opendir(dir);
	if (!d)
		return;
	for (struct dirent *e; (e = readdir(d));) {
		char path[PATH_MAX];
		if (!strncmp(e->d_name, "session.", 8) &&
		    snprintf(path, sizeof(path), "%s/%s", dir, e->d_name) < (int)sizeof(path))
			rmdir(path);
	}
	closedir(d);
}

int vaccel_cleanup(void)
{
	pthread_mutex_lock(&boot_lock);
	if (booted) {
		size_t n;
		struct vaccel_loaded_plugin *pls = registry_take(&n);
		unload_all(pls, n, true);
		profile_free(active);
		active = NULL;
		vaccel_config_release(&active_config);
		prof_set_enabled(false);
		vaccel_log_shutdown(); /* as vAccel's cleanup: the log file is closed */
		if (rundir) {
			remove_empty_session_dirs(rundir);
			rmdir(rundir); /* what the app left there is its own */
			free(rundir);
			rundir = NULL;
		}
		__atomic_store_n(&booted, false, __ATOMIC_RELEASE);
	}
	boot_result = 0;
	attempted = false;
	pthread_mutex_unlock(&boot_lock);
	return VACCEL_OK;
}

__attribute__((destructor)) static void vaccel_fini(void)
{
	/* vAccel's VACCEL_CLEANUP_ENABLED=0 leaves everything at exit. */
	const char *on = getenv("VACCEL_CLEANUP_ENABLED");
	if (on && !strcmp(on, "0"))
		return;
	vaccel_cleanup();
}

const char *vaccel_profile_source(void)
{
	return active ? active->source : NULL;
}

int vaccel_profile_dump(char **yaml)
{
	int ret = vaccel_ensure_bootstrapped();
	if (ret)
		return ret;
	*yaml = profile_to_yaml(active);
	return *yaml ? VACCEL_OK : VACCEL_ENOMEM;
}

/*
 * Make an instance and destroy it: the plugin checks its options' values
 * (types, ranges, files) as loading would. Its message becomes the error.
 */
static int try_init(struct vaccel_loaded_plugin *lp, const struct vaccel_plugin_options *opts,
		    char *err, size_t errlen)
{
	void *ctx = NULL;
	if (!lp->desc.init)
		return VACCEL_OK;
	vaccel_log_clear_last_error();
	log_quiet(true);
	int ret = lp->desc.init(opts, &ctx);
	log_quiet(false);
	if (!ret) {
		if (lp->desc.fini)
			lp->desc.fini(ctx);
		return VACCEL_OK;
	}
	snprintf(err, errlen, "%s", *vaccel_log_last_error() ? vaccel_log_last_error()
			      : "plugin refused its options");
	return VACCEL_EINVAL;
}

int vaccel_profile_check(const char *path, char *errbuf, size_t errlen)
{
	char err[VACCEL_ERRBUF] = "";
	struct vaccel_profile *p = NULL;
	int ret = profile_parse_file(path, &p, err, sizeof(err));
	for (size_t i = 0; !ret && i < p->nr_plugins; i++) {
		struct vaccel_profile_plugin *pp = &p->plugins[i];
		struct vaccel_loaded_plugin lp;
		char *file = NULL;
		ret = plugin_resolve(pp->path ? pp->path : pp->name, &file, err, sizeof(err));
		if (ret == VACCEL_ENOENT && pp->optional) {
			ret = VACCEL_OK; /* loading skips it too */
			continue;
		}
		if (ret) {
			/* Say where in the profile the missing plugin was named. */
			char msg[VACCEL_ERRBUF];
			snprintf(msg, sizeof(msg), "%s:%d:%d: %s", path, pp->loc.line,
				 pp->loc.column, err);
			snprintf(err, sizeof(err), "%s", msg);
			break;
		}
		ret = plugin_open(file, &lp, err, sizeof(err));
		free(file);
		if (!ret) {
			ret = plugin_check_options(&lp, &pp->options, err, sizeof(err));
			if (!ret)
				ret = try_init(&lp, &pp->options, err, sizeof(err));
			plugin_close(&lp);
		}
	}
	profile_free(p);
	if (ret)
		report(ret, err, errbuf, errlen);
	return ret;
}

int vaccel_profile_agent_option(const char *key, const char *const **values, size_t *n)
{
	int ret = vaccel_ensure_bootstrapped();
	if (ret)
		return ret;
	*n = vaccel_plugin_option_list(&active->agent, key, values);
	return *n ? VACCEL_OK : VACCEL_ENOENT;
}

size_t vaccel_plugin_count(void)
{
	return vaccel_ensure_bootstrapped() ? 0 : registry_count();
}

int vaccel_plugin_get_info(size_t index, struct vaccel_instance_info *info)
{
	int ret = vaccel_ensure_bootstrapped();
	if (ret)
		return ret;
	struct vaccel_loaded_plugin *p = registry_get(index);
	if (!p || !info)
		return VACCEL_EINVAL;
	*info = (struct vaccel_instance_info){ .name = p->desc.name,
					     .version = p->desc.version,
					     .description = p->desc.description,
					     .path = p->path };
	if (p->desc.describe)
		p->desc.describe(p->ctx, info->state, sizeof(info->state));
	return VACCEL_OK;
}
