/* SPDX-License-Identifier: Apache-2.0 */
/* vaccel profile check FILE | vaccel profile show */
#include <argp.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cmd.h"

/* Stop at the first word: the action and its file are positional. */
static error_t parse_opt(int key, char *arg, struct argp_state *state)
{
	(void)arg;
	if (key != ARGP_KEY_ARG)
		return ARGP_ERR_UNKNOWN;
	*(int *)state->input = state->next - 1;
	state->next = state->argc;
	return 0;
}

static const struct argp argp = {
	NULL, parse_opt, "check FILE\nshow",
	"check: validate a profile file (schema, types, that its plugins exist "
	"and accept their options) without loading it.\n"
	"show: print the profile in effect, after the lookup order and "
	"$VACCEL_PLUGINS.", NULL, NULL, NULL
};

static int check(struct cmd_ctx *ctx, const char *file)
{
	char err[512] = "";
	int ret = vaccel_profile_check(file, err, sizeof(err));
	if (ctx->json) {
		struct json j;
		json_begin(&j, stdout);
		json_str(&j, "command", "profile check");
		json_str(&j, "file", file);
		json_bool(&j, "ok", ret == 0);
		json_str(&j, "error", ret ? err : NULL);
		json_end(&j);
	} else if (!ret) {
		printf("%s: ok\n", file);
	}
	if (ret) {
		cmd_error("%s", err);
		/* The file itself missing is bad input; anything in it is a config error. */
		return access(file, R_OK) ? EXIT_INPUT : EXIT_USAGE;
	}
	return EXIT_OK;
}

static int show(struct cmd_ctx *ctx)
{
	int rc = cmd_bootstrap(ctx);
	if (rc)
		return rc;
	char *yaml = NULL;
	int ret = vaccel_profile_dump(&yaml);
	if (ret)
		return cmd_op_error(ctx, "profile show", ret);
	if (ctx->json) {
		struct json j;
		json_begin(&j, stdout);
		json_str(&j, "command", "profile show");
		json_str(&j, "source", vaccel_profile_source());
		json_array(&j, "plugins");
		for (size_t i = 0; i < vaccel_plugin_count(); i++) {
			struct vaccel_instance_info info;
			if (!vaccel_plugin_get_info(i, &info))
				json_str(&j, NULL, info.name);
		}
		json_close(&j, ']');
		json_str(&j, "yaml", yaml);
		json_end(&j);
	} else {
		fputs(yaml, stdout);
	}
	free(yaml);
	return EXIT_OK;
}

static int run(struct cmd_ctx *ctx, int argc, char **argv)
{
	int first = argc;
	argp_parse(&argp, argc, argv, ARGP_IN_ORDER, NULL, &first);
	int nargs = argc - first;
	const char *action = nargs > 0 ? argv[first] : NULL;
	if (action && !strcmp(action, "check") && nargs == 2)
		return check(ctx, argv[first + 1]);
	if (action && !strcmp(action, "show") && nargs == 1)
		return show(ctx);
	cmd_error("usage: vaccel profile check FILE | vaccel profile show");
	return EXIT_USAGE;
}

const struct cmd_entry cmd_profile_entry = {
	.name = "profile",
	.summary = "check a profile file, or show the one in effect",
	.run = run,
};
