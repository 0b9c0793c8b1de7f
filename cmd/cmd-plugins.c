/* SPDX-License-Identifier: Apache-2.0 */
/* vaccel plugins: what is loaded and which plugin serves which op. */
#include <argp.h>
#include "cmd.h"

static const struct argp argp = {
	NULL, NULL, NULL,
	"List the profile's plugins in priority order, then each op and the "
	"plugin that serves it (\"-\" when none does).", NULL, NULL, NULL
};

static int run(struct cmd_ctx *ctx, int argc, char **argv)
{
	int rc;
	argp_parse(&argp, argc, argv, 0, NULL, NULL);
	if ((rc = cmd_bootstrap(ctx)))
		return rc;
	size_t n = vaccel_plugin_count();
	struct json j;
	if (ctx->json) {
		json_begin(&j, stdout);
		json_str(&j, "command", "plugins");
		json_str(&j, "profile", vaccel_profile_source());
		json_array(&j, "plugins");
	} else {
		printf("profile: %s\nplugins:\n", vaccel_profile_source());
	}
	for (size_t i = 0; i < n; i++) {
		struct vaccel_plugin_info info;
		if (vaccel_plugin_get_info(i, &info))
			continue;
		if (ctx->json) {
			json_object(&j, NULL);
			json_str(&j, "name", info.name);
			json_str(&j, "version", info.version);
			json_str(&j, "description", info.description);
			json_str(&j, "path", info.path);
			json_close(&j, '}');
		} else {
			printf("  %-10s %-8s %s\n  %-10s %s\n", info.name, info.version,
			       info.description ? info.description : "", "", info.path);
		}
	}
	if (ctx->json) {
		json_close(&j, ']');
		json_object(&j, "ops");
	} else {
		printf("ops:\n");
	}
	for (int op = 0; op < VACCEL_OP_MAX; op++) {
		const char *by = vaccel_op_served_by(op, NULL);
		if (ctx->json)
			json_str(&j, vaccel_op_name(op), by);
		else
			printf("  %-20s %s\n", vaccel_op_name(op), by ? by : "-");
	}
	if (ctx->json) {
		json_close(&j, '}');
		json_end(&j);
	}
	return EXIT_OK;
}

const struct cmd_entry cmd_plugins_entry = {
	.name = "plugins",
	.summary = "list loaded plugins and which op each serves",
	.run = run,
};
