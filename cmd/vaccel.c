/* SPDX-License-Identifier: Apache-2.0 */
/*
 * vaccel: the command. Global options come first, then a subcommand from
 * the table below; each subcommand lives in its own cmd-NAME.c.
 */
#include <argp.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <vaccel/plugin.h>
#include "cmd.h"

/* The commands in `vaccel --help` order, by group; each group ends in NULL. */
static const struct cmd_entry *const compute_commands[] = {
	&cmd_sgemm_entry, &cmd_noop_entry, &cmd_exec_entry, NULL
};
static const struct cmd_entry *const other_commands[] = {
	&cmd_infer_entry, &cmd_minmax_entry, &cmd_models_entry, &cmd_plugins_entry,
	&cmd_profile_entry, &cmd_agent_entry, &cmd_bench_entry, NULL
};
static const struct cmd_entry *const *const command_groups[] = {
	compute_commands, cmd_vision_commands, other_commands,
};

#define NR_GROUPS (sizeof(command_groups) / sizeof(command_groups[0]))

/* The command called `name`, or NULL. */
static const struct cmd_entry *find_command(const char *name)
{
	for (size_t g = 0; g < NR_GROUPS; g++)
		for (const struct cmd_entry *const *c = command_groups[g]; *c; c++)
			if (!strcmp((*c)->name, name))
				return *c;
	return NULL;
}

static void print_version(FILE *out, struct argp_state *state)
{
	(void)state;
	fprintf(out, "vaccel %s (plugin ABI %d)\n", vaccel_version(), VACCEL_PLUGIN_ABI_VERSION);
}
void (*argp_program_version_hook)(FILE *, struct argp_state *) = print_version;
const char *argp_program_bug_address = PACKAGE_BUGREPORT;

enum { OPT_LOG_LEVEL = 0x100, OPT_JSON };

static const struct argp_option global_options[] = {
	{ "profile", 'p', "NAME|PATH", 0,
	  "Profile to load (default: $VACCEL_PROFILE, then the lookup order of "
	  "vaccel-profile(5))", 0 },
	{ "log-level", OPT_LOG_LEVEL, "LEVEL", 0,
	  "1 error, 2 warn, 3 info, 4 debug (or the names)", 0 },
	{ "json", OPT_JSON, NULL, 0, "Print results as one JSON object", 0 },
	{ 0 }
};

struct global_args {
	struct cmd_ctx *ctx;
	int cmd_index; /* argv index of the subcommand, 0 when none */
};

static int parse_level(const char *s)
{
	static const char *const names[] = { NULL, "error", "warn", "info", "debug" };
	for (int i = 1; i <= 4; i++)
		if (!strcasecmp(s, names[i]))
			return i;
	if (!strcasecmp(s, "warning"))
		return 2;
	if (s[0] >= '1' && s[0] <= '4' && !s[1])
		return s[0] - '0';
	return 0;
}

static error_t parse_global(int key, char *arg, struct argp_state *state)
{
	struct global_args *g = state->input;
	switch (key) {
	case 'p':
		g->ctx->profile = arg;
		return 0;
	case OPT_LOG_LEVEL:
		if (!(g->ctx->log_level = parse_level(arg)))
			argp_error(state, "--log-level: '%s' is not 1..4 or error|warn|info|debug", arg);
		return 0;
	case OPT_JSON:
		g->ctx->json = true;
		return 0;
	case ARGP_KEY_ARG:
		/* The subcommand: stop here, it parses the rest itself. */
		g->cmd_index = state->next - 1;
		state->next = state->argc;
		return 0;
	case ARGP_KEY_END:
		if (!g->cmd_index)
			argp_error(state, "missing COMMAND");
		return 0;
	default:
		return ARGP_ERR_UNKNOWN;
	}
}

static char *help_filter(int key, const char *text, void *input)
{
	(void)input;
	if (key != ARGP_KEY_HELP_POST_DOC)
		return (char *)text;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	if (!f)
		return (char *)text;
	fputs("Commands:\n", f);
	for (size_t g = 0; g < NR_GROUPS; g++)
		for (const struct cmd_entry *const *c = command_groups[g]; *c; c++)
			fprintf(f, "  %-10s %s\n", (*c)->name, (*c)->summary);
	fputs("\nRun 'vaccel COMMAND --help' for a command's options. Exit status: "
	      "0 ok, 1 operation failed, 2 usage or profile error, 3 bad input "
	      "file, 4 operation not supported by the profile, 5 verification "
	      "failed (see vaccel(1)).", f);
	fclose(f);
	return buf;
}

static const struct argp global_argp = {
	global_options, parse_global, "COMMAND [ARG...]",
	"Run accelerated operations through the plugins a profile names.\v(commands)",
	NULL, help_filter, NULL
};

/* The value of a global option at argv[*i]: "--name=V", or the next word. */
static const char *option_value(int argc, char **argv, int *i, const char *name)
{
	size_t n = strlen(name);
	if (argv[*i][n] == '=')
		return argv[*i] + n + 1;
	return *i + 1 < argc ? argv[++*i] : NULL;
}

/*
 * Users put --json, --profile and --log-level after the subcommand too
 * (`vaccel sgemm -m 8 --json`): take them out of its arguments, up to a
 * "--", and apply them as if given first. Returns the new argc, or -1
 * after a usage error.
 */
static int hoist_globals(struct cmd_ctx *ctx, int argc, char **argv)
{
	int out = 1;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v;
		if (!strcmp(a, "--")) {
			while (i < argc)
				argv[out++] = argv[i++];
			break;
		}
		if (!strcmp(a, "--json")) {
			ctx->json = true;
		} else if (!strcmp(a, "-p") || !strcmp(a, "--profile") || !strncmp(a, "--profile=", 10)) {
			if (!(v = option_value(argc, argv, &i, a[1] == 'p' ? "-p" : "--profile"))) {
				cmd_error("%s needs a profile name or path", a);
				return -1;
			}
			ctx->profile = v;
		} else if (!strcmp(a, "--log-level") || !strncmp(a, "--log-level=", 12)) {
			if (!(v = option_value(argc, argv, &i, "--log-level")) || !(ctx->log_level = parse_level(v))) {
				cmd_error("--log-level: '%s' is not 1..4 or error|warn|info|debug", v ? v : "");
				return -1;
			}
		} else {
			argv[out++] = argv[i];
		}
	}
	argv[out] = NULL;
	return out;
}

int main(int argc, char **argv)
{
	struct cmd_ctx ctx = { 0 };
	struct global_args g = { .ctx = &ctx };

	argp_err_exit_status = EXIT_USAGE; /* argp's own usage errors, too */
	/* Messages name the program "vaccel", not the path it ran from (in a
	 * build tree, libtool's .libs/lt-vaccel). */
	static char name_vaccel[] = "vaccel";
	argv[0] = program_invocation_name = program_invocation_short_name = name_vaccel;
	/* Results reach a pipe (a CI log) as they come, not at exit. */
	setvbuf(stdout, NULL, _IOLBF, 0);

	argp_parse(&global_argp, argc, argv, ARGP_IN_ORDER, NULL, &g);
	const char *name = argv[g.cmd_index];
	const struct cmd_entry *cmd = find_command(name);
	if (!cmd) {
		cmd_error("unknown command '%s' (see 'vaccel --help')", name);
		return EXIT_USAGE;
	}
	/* argp names the program after argv[0]: say "vaccel NAME". */
	char prog[64];
	snprintf(prog, sizeof(prog), "vaccel %s", name);
	ctx.name = name;
	argv[g.cmd_index] = prog;
	int sub_argc = hoist_globals(&ctx, argc - g.cmd_index, argv + g.cmd_index);
	if (sub_argc < 0)
		return EXIT_USAGE;
	int rc = cmd->run(&ctx, sub_argc, argv + g.cmd_index);
	/* Output that could not be written is a failure, not a success. */
	if (fflush(stdout) || ferror(stdout)) {
		cmd_error("writing standard output: %s", strerror(errno ? errno : EIO));
		return rc ? rc : EXIT_OP_FAILED;
	}
	return rc;
}

/* ---- helpers shared by the subcommands ---- */

void cmd_error(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("vaccel: error: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}

int cmd_bootstrap(struct cmd_ctx *ctx)
{
	char err[512] = "";
	int ret = vaccel_bootstrap_profile(ctx->profile, ctx->log_level, err, sizeof(err));
	if (ret && ret != VACCEL_EALREADY) {
		cmd_error("%s", err);
		return EXIT_USAGE;
	}
	return EXIT_OK;
}

int cmd_op_error(struct cmd_ctx *ctx, const char *op, int err)
{
	if (err == VACCEL_ENOTSUP) {
		cmd_error("%s: no plugin of profile %s serves this operation", op,
			  vaccel_profile_source() ? vaccel_profile_source() : "?");
		return EXIT_UNSUPPORTED;
	}
	(void)ctx;
	cmd_error("%s failed: %s", op, vaccel_strerror(err));
	return EXIT_OP_FAILED;
}

bool cmd_parse_long(const char *s, long min, long max, long *out)
{
	char *end;
	errno = 0;
	long v = strtol(s, &end, 0);
	if (!*s || *end || errno || v < min || v > max)
		return false;
	*out = v;
	return true;
}

bool cmd_parse_double(const char *s, double *out)
{
	char *end;
	errno = 0;
	double v = strtod(s, &end);
	if (!*s || *end || errno)
		return false;
	*out = v;
	return true;
}
