/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The standard model set: its list, its directory, one file's check and
 * fetch. A fetched file is verified before it takes its final name, so an
 * interrupted or corrupt fetch never leaves a file that looks present; an
 * interrupted download is continued by the next fetch.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <vaccel/plugin.h>
#include "cmd.h"
#include "download.h"
#include "models.h"

bool cmd_in_build_tree(void)
{
	char self[PATH_MAX], build[PATH_MAX];
	if (!realpath("/proc/self/exe", self) || !realpath(VACCEL_BUILDDIR, build))
		return false;
	size_t n = strlen(build);
	return !strncmp(self, build, n) && self[n] == '/';
}

/* "HASH  PATH" with a 64-hex-digit hash and a task/name/file path. */
static int parse_line(const char *src, int lineno, char *line, struct model_file *f)
{
	char *path = line + 64;
	line[strcspn(line, "\n")] = '\0';
	bool hex = strlen(line) > 66 && strspn(line, "0123456789abcdef") == 64;
	if (!hex || path[0] != ' ' || path[1] != ' ' || strchr(path + 2, ' ') ||
	    strstr(path + 2, "..") || path[2] == '/') {
		cmd_error("%s:%d: not 'SHA256  RELATIVE/PATH'", src, lineno);
		return -1;
	}
	const char *slash = strchr(path + 2, '/');
	const char *end = slash ? strchr(slash + 1, '/') : NULL;
	if (!end) {
		cmd_error("%s:%d: path %s is not TASK/NAME/FILE", src, lineno, path + 2);
		return -1;
	}
	memcpy(f->sha256, line, 64);
	f->sha256[64] = '\0';
	f->path = strdup(path + 2);
	f->name = strndup(slash + 1, (size_t)(end - slash - 1));
	return f->path && f->name ? 0 : -1;
}

int model_list_read(struct model_list *l)
{
	char line[1024];
	int lineno = 0, ret = 0;
	memset(l, 0, sizeof(*l));
	l->source = strdup(cmd_in_build_tree() ? VACCEL_SRCDIR "/configs/models.list"
					   : VACCEL_DATADIR "/models.list");
	FILE *f = l->source ? fopen(l->source, "r") : NULL;
	if (!f) {
		cmd_error("%s: %s", l->source ? l->source : "models.list", strerror(errno));
		return -1;
	}
	while (!ret && fgets(line, sizeof(line), f)) {
		lineno++;
		if (line[0] == '#' || line[0] == '\n')
			continue;
		struct model_file *more = realloc(l->files, (l->count + 1) * sizeof(*more));
		if (!more) {
			ret = -1;
			break;
		}
		l->files = more;
		memset(&l->files[l->count], 0, sizeof(l->files[0]));
		ret = parse_line(l->source, lineno, line, &l->files[l->count++]);
	}
	fclose(f);
	return ret;
}

void model_list_free(struct model_list *l)
{
	for (size_t i = 0; i < l->count; i++) {
		free(l->files[i].path);
		free(l->files[i].name);
	}
	free(l->files);
	free(l->source);
	memset(l, 0, sizeof(*l));
}

char *models_dir(void)
{
	const char *env = getenv("VACCEL_MODELS"), *xdg = getenv("XDG_CACHE_HOME");
	const char *home = getenv("HOME");
	char *dir = NULL;
	if (env && *env)
		dir = strdup(env);
	else if (xdg && *xdg && asprintf(&dir, "%s/vaccel/models", xdg) < 0)
		dir = NULL;
	else if (!(xdg && *xdg) && asprintf(&dir, "%s/.cache/vaccel/models", home ? home : "") < 0)
		dir = NULL;
	return dir;
}

enum model_state model_check(const char *dir, const struct model_file *f, char actual[65])
{
	char *path;
	actual[0] = '\0';
	if (asprintf(&path, "%s/%s", dir, f->path) < 0)
		return MODEL_MISSING;
	int ret = vaccel_sha256_file(path, actual);
	free(path);
	if (ret)
		return MODEL_MISSING;
	return strcmp(actual, f->sha256) ? MODEL_BAD_HASH : MODEL_OK;
}

/*
 * mkdir -p for the directories of `path`; the ones it made are recorded in
 * made[] (up to 16, outermost first) so a failed fetch can remove them.
 */
static int make_parents(char *path, char **made, int *nr_made)
{
	for (char *s = strchr(path + 1, '/'); s; s = strchr(s + 1, '/')) {
		*s = '\0';
		int ret = mkdir(path, 0755);
		if (!ret && *nr_made < 16)
			made[(*nr_made)++] = strdup(path);
		*s = '/';
		if (ret && errno != EEXIST) {
			cmd_error("cannot create the directories of %s: %s", path, strerror(errno));
			return -1;
		}
	}
	return 0;
}

/* Remove the directories a failed fetch made, innermost first, if empty. */
static void unmake_parents(char **made, int nr_made, bool failed)
{
	for (int i = nr_made; i-- > 0;) {
		if (failed)
			rmdir(made[i]); /* fails, harmlessly, when not empty */
		free(made[i]);
	}
}

static int copy_file(const char *from, const char *to)
{
	char buf[1 << 16];
	size_t n;
	FILE *in = fopen(from, "rb"), *out = in ? fopen(to, "wb") : NULL;
	int ret = in && out ? EXIT_OK : EXIT_INPUT;
	if (!in)
		cmd_error("mirror: %s: %s", from, strerror(errno));
	else if (!out)
		cmd_error("%s: %s", to, strerror(errno));
	while (!ret && (n = fread(buf, 1, sizeof(buf), in)) > 0)
		if (fwrite(buf, 1, n, out) != n) {
			cmd_error("%s: %s", to, strerror(errno));
			ret = EXIT_INPUT;
		}
	if (in && ferror(in) && !ret) {
		cmd_error("mirror: %s: read error", from);
		ret = EXIT_INPUT;
	}
	if (in)
		fclose(in);
	if (out && fclose(out) && !ret) {
		cmd_error("%s: %s", to, strerror(errno));
		ret = EXIT_INPUT;
	}
	if (ret)
		unlink(to);
	return ret;
}

/* Copy or download f's bytes to `part`; says where they came from in *from. */
static int get_bytes(const struct model_file *f, const struct model_source *src,
		     const char *part, char **from)
{
	if (src->mirror && *src->mirror) {
		if (asprintf(from, "%s/%s", src->mirror, f->path) < 0)
			return EXIT_OP_FAILED;
		return copy_file(*from, part);
	}
	if (!src->url || !*src->url) {
		cmd_error("%s: no source: give --mirror DIR (a directory of the same layout, "
			  "or VACCEL_MODEL_MIRROR) or --url BASE (or VACCEL_MODEL_URL); this "
			  "vaccel was built without a default URL (configure --with-model-url)",
			  f->path);
		return EXIT_USAGE;
	}
	if (asprintf(from, "%s/%s", src->url, f->path) < 0)
		return EXIT_OP_FAILED;
	const struct download_opts o = { src->timeout_s, src->progress, f->path };
	return download(*from, part, &o);
}

int model_fetch(const char *dir, const struct model_file *f, const struct model_source *src)
{
	char *dest = NULL, *part = NULL, *from = NULL, *made[16], actual[65] = "";
	int ret = EXIT_OP_FAILED, nr_made = 0;
	if (asprintf(&dest, "%s/%s", dir, f->path) < 0 ||
	    asprintf(&part, "%s.part", dest) < 0)
		goto out;
	if (make_parents(dest, made, &nr_made)) {
		ret = EXIT_INPUT;
		goto out;
	}
	if ((ret = get_bytes(f, src, part, &from)))
		goto out;
	if (vaccel_sha256_file(part, actual) || strcmp(actual, f->sha256)) {
		cmd_error("%s (from %s): sha256 %s, expected %s: refused", f->path, from,
			  actual, f->sha256);
		unlink(part);
		ret = EXIT_INPUT;
		goto out;
	}
	if (rename(part, dest)) {
		cmd_error("%s: %s", dest, strerror(errno));
		unlink(part);
		ret = EXIT_INPUT;
	}
out:
	unmake_parents(made, nr_made, ret != EXIT_OK);
	free(dest);
	free(part);
	free(from);
	return ret;
}
