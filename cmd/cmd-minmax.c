/* SPDX-License-Identifier: Apache-2.0 */
/*
 * vaccel minmax: vAccel's minmax op on numbers from a file (one per line as
 * vAccel's example writes them, or several per line) or standard input.
 */
#include <argp.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "cmd.h"

#define MINMAX_MAX_VALUES (64L << 20) /* values one call takes: 512 MiB of doubles */

static const struct argp_option options[] = {
	{ "low", 'l', "N", 0, "Low threshold: smaller values are clamped up (default -2^31)", 0 },
	{ "high", 'H', "N", 0, "High threshold: larger values are clamped down (default 2^31-1)", 0 },
	{ "output", 'o', "FILE", 0, "Write the clamped values there, one per line", 0 },
	{ 0 }
};

struct minmax_args {
	long low, high;
	const char *input, *output;
};

static error_t parse_opt(int key, char *arg, struct argp_state *state)
{
	struct minmax_args *a = state->input;
	switch (key) {
	case 'l':
	case 'H':
		if (!cmd_parse_long(arg, INT_MIN, INT_MAX, key == 'l' ? &a->low : &a->high))
			argp_error(state, "--%s: '%s' is not an integer in %d..%d",
				   key == 'l' ? "low" : "high", arg, INT_MIN, INT_MAX);
		return 0;
	case 'o':
		a->output = arg;
		return 0;
	case ARGP_KEY_ARG:
		if (a->input)
			argp_error(state, "one input file at most (got '%s' too)", arg);
		a->input = arg;
		return 0;
	case ARGP_KEY_END:
		if (a->low > a->high)
			argp_error(state, "--low %ld is above --high %ld", a->low, a->high);
		return 0;
	default:
		return ARGP_ERR_UNKNOWN;
	}
}

static const struct argp argp = {
	options, parse_opt, "[FILE]",
	"Run vAccel's minmax op on the numbers in FILE (separated by blanks or "
	"newlines; standard input when FILE is absent or -): report their minimum "
	"and maximum, and clamp them to [--low, --high].", NULL, NULL, NULL
};

/* Append one value, growing the array; false when out of memory. */
static bool push(double **v, size_t *len, size_t *cap, double x)
{
	if (*len == *cap) {
		size_t want = *cap ? *cap * 2 : 1024;
		double *grown = realloc(*v, want * sizeof(**v));
		if (!grown)
			return false;
		*v = grown;
		*cap = want;
	}
	(*v)[(*len)++] = x;
	return true;
}

/* Numbers separated by blanks or newlines; *n gets the count. Exit code, after printing why. */
static int read_values(const char *path, double **out, int *n)
{
	FILE *f = !path || !strcmp(path, "-") ? stdin : cmd_fopen_read(path);
	const char *name = f == stdin ? "standard input" : path;
	if (!f) {
		cmd_error("%s: %s", path, strerror(errno));
		return EXIT_INPUT;
	}
	double *v = NULL, x;
	size_t len = 0, cap = 0;
	char line[256];
	int rc = EXIT_OK;
	for (long lineno = 1; rc == EXIT_OK && fgets(line, sizeof(line), f); lineno++) {
		if (!strchr(line, '\n') && !feof(f)) {
			cmd_error("%s:%ld: line longer than %zu bytes", name, lineno, sizeof(line) - 2);
			rc = EXIT_INPUT;
			break;
		}
		char *save = NULL;
		for (char *tok = strtok_r(line, " \t\r\n", &save); tok && rc == EXIT_OK;
		     tok = strtok_r(NULL, " \t\r\n", &save)) {
			if (!cmd_parse_double(tok, &x) || !isfinite(x)) {
				cmd_error("%s:%ld: '%s' is not a finite number", name, lineno, tok);
				rc = EXIT_INPUT;
			} else if (len == MINMAX_MAX_VALUES) {
				cmd_error("%s: more than %ld values", name, MINMAX_MAX_VALUES);
				rc = EXIT_INPUT;
			} else if (!push(&v, &len, &cap, x)) {
				cmd_error("out of memory");
				rc = EXIT_OP_FAILED;
			}
		}
	}
	if (rc == EXIT_OK && ferror(f)) {
		cmd_error("%s: read error", name);
		rc = EXIT_INPUT;
	}
	if (rc == EXIT_OK && !len) {
		cmd_error("%s: no numbers", name);
		rc = EXIT_INPUT;
	}
	if (f != stdin)
		fclose(f);
	if (rc) {
		free(v);
		return rc;
	}
	*out = v;
	*n = (int)len;
	return EXIT_OK;
}

static int write_values(const char *path, const double *v, int n)
{
	FILE *f = fopen(path, "w");
	if (!f) {
		cmd_error("--output %s: %s", path, strerror(errno));
		return EXIT_INPUT;
	}
	for (int i = 0; i < n; i++)
		fprintf(f, "%.17g\n", v[i]);
	if (ferror(f) | fclose(f)) {
		cmd_error("--output %s: write error", path);
		return EXIT_INPUT;
	}
	return EXIT_OK;
}

static void report(struct cmd_ctx *ctx, const struct minmax_args *o, int n, double min,
		   double max, int clamped)
{
	const char *plugin = vaccel_op_served_by(VACCEL_OP_MINMAX, NULL);
	if (ctx->json) {
		struct json j;
		json_begin(&j, stdout);
		json_str(&j, "command", "minmax");
		json_str(&j, "plugin", plugin);
		json_int(&j, "ndata", n);
		json_int(&j, "low", o->low);
		json_int(&j, "high", o->high);
		json_num(&j, "min", min);
		json_num(&j, "max", max);
		json_int(&j, "clamped", clamped);
		json_end(&j);
		return;
	}
	printf("minmax ndata=%d low=%ld high=%ld plugin=%s\n", n, o->low, o->high, plugin);
	printf("min: %.17g\nmax: %.17g\nclamped: %d\n", min, max, clamped);
}

static int run(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct minmax_args o = { .low = INT_MIN, .high = INT_MAX };
	struct vaccel_session sess = { 0 };
	double *in = NULL, *out = NULL, min = 0, max = 0;
	int n = 0, rc;

	argp_parse(&argp, argc, argv, 0, NULL, &o);
	if ((rc = cmd_bootstrap(ctx)) || (rc = read_values(o.input, &in, &n)))
		return rc;
	if (!(out = calloc((size_t)n, sizeof(*out)))) {
		cmd_error("out of memory");
		rc = EXIT_OP_FAILED;
		goto done;
	}
	int ret = vaccel_session_init(&sess, 0);
	if (!ret)
		ret = vaccel_minmax(&sess, in, n, (int)o.low, (int)o.high, out, &min, &max);
	if (ret) {
		rc = cmd_op_error(ctx, "minmax", ret);
		goto done;
	}
	int clamped = 0;
	for (int i = 0; i < n; i++)
		clamped += out[i] != in[i];
	if (o.output && (rc = write_values(o.output, out, n)))
		goto done;
	report(ctx, &o, n, min, max, clamped);
	rc = EXIT_OK;
done:
	if (sess.id > 0)
		vaccel_session_release(&sess);
	free(in);
	free(out);
	return rc;
}

const struct cmd_entry cmd_minmax_entry = {
	.name = "minmax",
	.summary = "minimum and maximum of numbers, clamped to thresholds",
	.run = run,
};
