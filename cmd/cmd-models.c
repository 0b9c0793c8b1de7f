/* SPDX-License-Identifier: Apache-2.0 */
/*
 * vaccel models list | fetch [NAME...]: the standard models of the
 * opencv plugin (configs/models.list) in the models directory, where
 * the opencv plugin looks for them.
 */
#include <argp.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cmd.h"
#include "models.h"

#ifndef VACCEL_MODEL_URL_DEFAULT
#define VACCEL_MODEL_URL_DEFAULT ""
#endif

struct models_args {
	const char *action;   /* "list" or "fetch" */
	char **names;
	int nr_names;
	struct model_source src;
};

enum { OPT_MIRROR = 0x100, OPT_URL, OPT_TIMEOUT };

static const struct argp_option options[] = {
	{ "mirror", OPT_MIRROR, "DIR", 0, "fetch: copy from DIR, a directory of the same "
	  "layout (default $VACCEL_MODEL_MIRROR)", 0 },
	{ "url", OPT_URL, "BASE", 0, "fetch: download BASE/PATH over http, https or file "
	  "(default $VACCEL_MODEL_URL, else the URL this vaccel was built with, if any)", 0 },
	{ "timeout", OPT_TIMEOUT, "SECONDS", 0, "fetch: give up on a server that does not "
	  "answer, or sends nothing, for this long (1..3600, default 30)", 0 },
	{ 0 }
};

static error_t parse_opt(int key, char *arg, struct argp_state *state)
{
	struct models_args *a = state->input;
	long v;
	switch (key) {
	case OPT_MIRROR:
		a->src.mirror = arg;
		return 0;
	case OPT_URL:
		a->src.url = arg;
		return 0;
	case OPT_TIMEOUT:
		if (!cmd_parse_long(arg, 1, 3600, &v))
			argp_error(state, "--timeout: '%s' is not a number of seconds in 1..3600", arg);
		a->src.timeout_s = v;
		return 0;
	case ARGP_KEY_ARG:
		if (!a->action) {
			if (strcmp(arg, "list") && strcmp(arg, "fetch"))
				argp_error(state, "'%s' is not list or fetch", arg);
			a->action = arg;
			return 0;
		}
		if (!strcmp(a->action, "list"))
			argp_error(state, "list takes no NAME");
		a->names = state->argv + state->next - 1;
		a->nr_names = state->argc - state->next + 1;
		state->next = state->argc;
		return 0;
	case ARGP_KEY_END:
		if (!a->action)
			argp_error(state, "missing list or fetch");
		return 0;
	default:
		return ARGP_ERR_UNKNOWN;
	}
}

static const struct argp argp = {
	options, parse_opt, "list | fetch [NAME...]",
	"List the standard models and their state, or fetch them (all, or the NAMEs) "
	"into $VACCEL_MODELS, else $XDG_CACHE_HOME/vaccel/models, else "
	"~/.cache/vaccel/models: copied from a mirror directory when one is given, "
	"else downloaded (libcurl) from a base URL. Every file is checked against "
	"its SHA-256; present, intact files are skipped; an interrupted download is "
	"continued by the next fetch.\v"
	"Exit status: 0 ok, 1 the download failed, 2 usage (no source), 3 a file "
	"was refused (wrong SHA-256) or cannot be written.",
	NULL, NULL, NULL
};

static const char *const state_names[] = {
	[MODEL_OK] = "ok", [MODEL_MISSING] = "missing", [MODEL_BAD_HASH] = "bad-sha256",
};

/* Every NAME must be one of the list's; false after printing which is not. */
static bool names_known(const struct model_list *l, const struct models_args *a)
{
	for (int i = 0; i < a->nr_names; i++) {
		bool found = false;
		for (size_t k = 0; k < l->count && !found; k++)
			found = !strcmp(l->files[k].name, a->names[i]);
		if (!found) {
			cmd_error("models: unknown model '%s' (see 'vaccel models list')", a->names[i]);
			return false;
		}
	}
	return true;
}

static bool wanted(const struct models_args *a, const struct model_file *f)
{
	for (int i = 0; i < a->nr_names; i++)
		if (!strcmp(a->names[i], f->name))
			return true;
	return a->nr_names == 0;
}

static void file_json(struct json *j, const struct model_file *f, const char *status)
{
	json_object(j, NULL);
	json_str(j, "name", f->name);
	json_str(j, "path", f->path);
	json_str(j, "sha256", f->sha256);
	json_str(j, "status", status);
	json_close(j, '}');
}

static int list(struct cmd_ctx *ctx, const struct model_list *l, const char *dir)
{
	struct json j;
	char actual[65];
	if (ctx->json) {
		json_begin(&j, stdout);
		json_str(&j, "command", "models list");
		json_str(&j, "dir", dir);
		json_str(&j, "list", l->source);
		json_array(&j, "files");
	} else {
		printf("models in %s (list: %s)\n", dir, l->source);
	}
	for (size_t i = 0; i < l->count; i++) {
		const char *s = state_names[model_check(dir, &l->files[i], actual)];
		if (ctx->json)
			file_json(&j, &l->files[i], s);
		else
			printf("  %-26s %-10s %s\n", l->files[i].name, s, l->files[i].path);
	}
	if (ctx->json) {
		json_close(&j, ']');
		json_end(&j);
	}
	return EXIT_OK;
}

static int fetch(struct cmd_ctx *ctx, const struct models_args *a,
		 const struct model_list *l, const char *dir)
{
	struct json j;
	char actual[65];
	int rc = EXIT_OK, fetched = 0, present = 0;
	if (ctx->json) {
		json_begin(&j, stdout);
		json_str(&j, "command", "models fetch");
		json_str(&j, "dir", dir);
		json_array(&j, "files");
	}
	for (size_t i = 0; i < l->count && !rc; i++) {
		const struct model_file *f = &l->files[i];
		if (!wanted(a, f))
			continue;
		bool ok = model_check(dir, f, actual) == MODEL_OK;
		if (!ok && (rc = model_fetch(dir, f, &a->src)))
			break;
		if (ok)
			present++;
		else
			fetched++;
		if (ctx->json)
			file_json(&j, f, ok ? "present" : "fetched");
		else
			printf("%-8s %s\n", ok ? "present" : "fetched", f->path);
	}
	if (ctx->json && !rc) {
		json_close(&j, ']');
		json_int(&j, "fetched", fetched);
		json_int(&j, "present", present);
		json_end(&j);
	} else if (ctx->json) {
		json_discard(&j);
	} else if (!rc) {
		printf("%d fetched, %d already present in %s\n", fetched, present, dir);
	}
	return rc;
}

static int run_models(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct models_args a = { 0 };
	struct model_list l;
	int rc;
	argp_parse(&argp, argc, argv, 0, NULL, &a);
	if (!a.src.mirror)
		a.src.mirror = getenv("VACCEL_MODEL_MIRROR");
	if (!a.src.url && !((a.src.url = getenv("VACCEL_MODEL_URL")) && *a.src.url))
		a.src.url = VACCEL_MODEL_URL_DEFAULT;
	if (!a.src.timeout_s)
		a.src.timeout_s = 30;
	a.src.progress = isatty(STDERR_FILENO);
	char *dir = models_dir();
	if (!dir || model_list_read(&l)) {
		rc = EXIT_USAGE;
	} else if (!names_known(&l, &a)) {
		rc = EXIT_USAGE;
	} else {
		rc = !strcmp(a.action, "list") ? list(ctx, &l, dir) : fetch(ctx, &a, &l, dir);
	}
	model_list_free(&l);
	free(dir);
	return rc;
}

const struct cmd_entry cmd_models_entry = {
	"models", "list or fetch the standard models (sha256-checked)", run_models
};
