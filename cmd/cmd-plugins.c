/* SPDX-License-Identifier: Apache-2.0 */
/* vaccel plugins: the loaded instances, and the op table with who serves each op. */
#include <argp.h>
#include <string.h>
#include "cmd.h"
#include "model-format.h"

static const struct argp argp = {
	NULL, NULL, NULL,
	"List the profile's plugin instances in priority order (a plugin listed "
	"twice is two instances), then each op of the op table with its "
	"arguments and the plugin that serves it (\"-\" when none does), then "
	"the model formats and the plugin that takes each.",
	NULL, NULL, NULL
};

static const char *const kind_names[] = {
	[VACCEL_OP_ARG_SCALAR] = "scalar", [VACCEL_OP_ARG_BYTES] = "bytes",
	[VACCEL_OP_ARG_STRING] = "string", [VACCEL_OP_ARG_RESOURCE] = "resource",
	[VACCEL_OP_ARG_HOSTPATH] = "hostpath", [VACCEL_OP_ARG_REST] = "rest",
};

static void json_args(struct json *j, const char *key, const struct vaccel_op_arg_info *a,
		      size_t n)
{
	json_array(j, key);
	for (size_t i = 0; i < n; i++) {
		json_object(j, NULL);
		json_str(j, "name", a[i].name);
		json_str(j, "kind", kind_names[a[i].kind]);
		json_str(j, "type", a[i].kind == VACCEL_OP_ARG_REST ? NULL
				    : vaccel_arg_type_short_name(a[i].type));
		if (a[i].size)
			json_int(j, "size", a[i].size);
		json_bool(j, "empty_ok", a[i].flags & VACCEL_OP_ARG_EMPTY_OK);
		if (a[i].flags & VACCEL_OP_ARG_INOUT)
			json_bool(j, "inout", true);
		json_close(j, '}');
	}
	json_close(j, ']');
}

/* "m n k alpha ..." for the text listing. */
static void print_args(const struct vaccel_op_arg_info *a, size_t n)
{
	for (size_t i = 0; i < n; i++)
		printf("%s%s%s", i ? " " : "", a[i].name,
		       a[i].kind == VACCEL_OP_ARG_REST ? "..." : "");
}

static void list_instances(struct cmd_ctx *ctx, struct json *j)
{
	for (size_t i = 0; i < vaccel_plugin_count(); i++) {
		struct vaccel_instance_info info;
		if (vaccel_plugin_get_info(i, &info))
			continue;
		if (ctx->json) {
			json_object(j, NULL);
			json_str(j, "name", info.name);
			json_str(j, "version", info.version);
			json_str(j, "description", info.description);
			json_str(j, "path", info.path);
			json_str(j, "state", info.state[0] ? info.state : NULL);
			json_close(j, '}');
		} else {
			printf("  %-10s %-8s %s\n  %-10s %s\n", info.name, info.version,
			       info.description ? info.description : "", "", info.path);
			if (info.state[0])
				printf("  %-10s %s\n", "", info.state);
		}
	}
}

static void list_ops(struct cmd_ctx *ctx, struct json *j)
{
	/* "ops": op -> the plugin that serves it; "op_table": the rows. */
	if (ctx->json)
		json_object(j, "ops");
	else
		printf("ops:\n");
	for (int op = 0; op < VACCEL_OP_MAX; op++) {
		const char *by = vaccel_op_served_by(op, NULL);
		const struct vaccel_op_info *row = vaccel_op_info(op);
		if (ctx->json) {
			json_str(j, vaccel_op_name(op), by);
			continue;
		}
		if (!row) {
			printf("  %-20s %s\n", vaccel_op_name(op), by ? by : "-");
			continue;
		}
		printf("  %-20s %-10s (", vaccel_op_name(op), by ? by : "-");
		{
			print_args(row->read, row->nr_read);
			printf(") -> (");
			print_args(row->write, row->nr_write);
			printf(")\n");
		}
	}
	if (!ctx->json)
		return;
	json_close(j, '}');
	json_array(j, "op_table");
	for (int op = 0; op < VACCEL_OP_MAX; op++) {
		const struct vaccel_op_info *row = vaccel_op_info(op);
		if (!row)
			continue;
		json_object(j, NULL);
		json_int(j, "code", op);
		json_str(j, "name", row->name);
		json_str(j, "summary", row->summary);
		json_str(j, "served_by", vaccel_op_served_by(op, NULL));
		json_args(j, "read", row->read, row->nr_read);
		json_args(j, "write", row->write, row->nr_write);
		json_close(j, '}');
	}
	json_close(j, ']');
}

/* Model formats: the op that runs each, and so the plugin that takes it. */
static void list_models(struct cmd_ctx *ctx, struct json *j)
{
	if (ctx->json)
		json_array(j, "models");
	else
		printf("models:\n");
	for (size_t i = 0; i < model_formats_count; i++) {
		const struct model_format *m = &model_formats[i];
		const char *by = vaccel_op_served_by(m->op, NULL);
		if (!ctx->json) {
			printf("  %-18s %-10s %s: %s\n", vaccel_op_name(m->op), by ? by : "-",
			       m->name, m->files);
			continue;
		}
		json_object(j, NULL);
		json_str(j, "format", m->name);
		json_str(j, "files", m->files);
		json_str(j, "op", vaccel_op_name(m->op));
		json_str(j, "served_by", by);
		json_close(j, '}');
	}
	if (ctx->json)
		json_close(j, ']');
}

static int run(struct cmd_ctx *ctx, int argc, char **argv)
{
	int rc;
	argp_parse(&argp, argc, argv, 0, NULL, NULL);
	if ((rc = cmd_bootstrap(ctx)))
		return rc;
	struct json j;
	if (ctx->json) {
		json_begin(&j, stdout);
		json_str(&j, "command", "plugins");
		json_str(&j, "profile", vaccel_profile_source());
		json_array(&j, "plugins");
	} else {
		printf("profile: %s\nplugins:\n", vaccel_profile_source());
	}
	list_instances(ctx, &j);
	if (ctx->json)
		json_close(&j, ']');
	list_ops(ctx, &j);
	list_models(ctx, &j);
	if (ctx->json)
		json_end(&j);
	return EXIT_OK;
}

const struct cmd_entry cmd_plugins_entry = {
	.name = "plugins",
	.summary = "list plugin instances, the op table, and who serves each op",
	.run = run,
};
