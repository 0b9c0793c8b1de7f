/* SPDX-License-Identifier: Apache-2.0 */
/* vaccel noop: the cost of reaching a plugin, per call. */
#include <argp.h>
#include <stdlib.h>
#include "cmd.h"
#include "progress.h"

enum { OPT_PLUGIN = 0x100 };

static const struct argp_option options[] = {
	{ "iterations", 'i', "N", 0, "Calls to make (default 1000)", 0 },
	{ "plugin", OPT_PLUGIN, "NAME", 0, "Pin the session to one plugin", 0 },
	{ 0 }
};

struct noop_args {
	long iterations;
	const char *plugin;
};

static error_t parse_opt(int key, char *arg, struct argp_state *state)
{
	struct noop_args *a = state->input;
	switch (key) {
	case 'i':
		if (!cmd_parse_long(arg, 1, 100000000, &a->iterations))
			argp_error(state, "--iterations: '%s' is not a count in 1..100000000", arg);
		return 0;
	case OPT_PLUGIN:
		a->plugin = arg;
		return 0;
	case ARGP_KEY_ARG:
		argp_error(state, "unexpected argument '%s'", arg);
		return 0;
	default:
		return ARGP_ERR_UNKNOWN;
	}
}

static const struct argp argp = {
	options, parse_opt, NULL,
	"Call vaccel_noop() N times and report the per-call latency (mean, p50, "
	"p99, min, max) in microseconds.", NULL, NULL, NULL
};

static int run(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct noop_args o = { .iterations = 1000 };
	struct vaccel_session sess = { 0 };
	int rc;

	argp_parse(&argp, argc, argv, 0, NULL, &o);
	if ((rc = cmd_bootstrap(ctx)))
		return rc;
	uint64_t *times = calloc((size_t)o.iterations, sizeof(*times));
	if (!times) {
		cmd_error("out of memory");
		return EXIT_OP_FAILED;
	}
	int ret = vaccel_session_init(&sess, 0);
	if (!ret && o.plugin && (ret = vaccel_session_pin(&sess, o.plugin))) {
		cmd_error("--plugin: no plugin '%s' in profile %s", o.plugin,
			  vaccel_profile_source());
		rc = EXIT_USAGE;
		goto out;
	}
	if (ret) {
		rc = cmd_op_error(ctx, "session", ret);
		goto out;
	}
	struct progress pr;
	progress_begin(&pr, "noop", (size_t)o.iterations);
	for (long i = 0; i < o.iterations; i++) {
		/* Calls take microseconds: the clock is read every 64K of them. */
		if (!(i & 0xffff))
			progress_step(&pr, (size_t)i);
		uint64_t t0 = now_ns();
		ret = vaccel_noop(&sess);
		times[i] = now_ns() - t0;
		if (ret) {
			progress_end(&pr);
			rc = cmd_op_error(ctx, "noop", ret);
			goto out;
		}
	}
	progress_end(&pr);
	struct latency l;
	latency_summary(times, (size_t)o.iterations, &l);
	const char *plugin = vaccel_op_served_by(VACCEL_OP_NOOP, o.plugin);
	if (ctx->json) {
		struct json j;
		json_begin(&j, stdout);
		json_str(&j, "command", "noop");
		json_str(&j, "plugin", plugin);
		json_int(&j, "iterations", o.iterations);
		json_object(&j, "latency_us");
		json_num(&j, "mean", l.mean);
		json_num(&j, "p50", l.p50);
		json_num(&j, "p99", l.p99);
		json_num(&j, "min", l.min);
		json_num(&j, "max", l.max);
		json_close(&j, '}');
		json_end(&j);
	} else {
		printf("noop plugin=%s iterations=%ld\n", plugin, o.iterations);
		printf("latency_us: mean %.3f p50 %.3f p99 %.3f min %.3f max %.3f\n",
		       l.mean, l.p50, l.p99, l.min, l.max);
	}
	rc = EXIT_OK;
out:
	if (sess.id > 0)
		vaccel_session_release(&sess);
	free(times);
	return rc;
}

const struct cmd_entry cmd_noop_entry = {
	.name = "noop",
	.summary = "call the no-op N times, report per-call latency",
	.run = run,
};
