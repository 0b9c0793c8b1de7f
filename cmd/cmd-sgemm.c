/* SPDX-License-Identifier: Apache-2.0 */
/*
 * vaccel sgemm: C = alpha*A*B + beta*C through the profile, with timing,
 * a checksum and, with --verify, the max error against a reference.
 */
#include <argp.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "cmd.h"
#include "progress.h"
#include "matrix.h"

enum { OPT_ALPHA = 0x100, OPT_BETA, OPT_SEED, OPT_A, OPT_B, OPT_C, OPT_VERIFY,
       OPT_TOL, OPT_PLUGIN };

static const struct argp_option options[] = {
	{ "m", 'm', "M", 0, "Rows of A and C (default 512)", 0 },
	{ "n", 'n', "N", 0, "Columns of B and C (default 512)", 0 },
	{ "k", 'k', "K", 0, "Columns of A, rows of B (default 512)", 0 },
	{ "alpha", OPT_ALPHA, "X", 0, "Scale of A*B (default 1)", 0 },
	{ "beta", OPT_BETA, "X", 0, "Scale of the input C (default 0)", 0 },
	{ "seed", OPT_SEED, "S", 0, "Seed of the random inputs (default 1)", 0 },
	{ "a", OPT_A, "FILE", 0, "Read A from a text matrix file", 0 },
	{ "b", OPT_B, "FILE", 0, "Read B from a text matrix file", 0 },
	{ "c", OPT_C, "FILE", 0, "Read the input C from a text matrix file", 0 },
	{ "iterations", 'i', "N", 0, "Run the op N times (default 1)", 0 },
	{ "verify", OPT_VERIFY, NULL, 0, "Compare with a double-precision reference", 0 },
	{ "tolerance", OPT_TOL, "X", 0,
	  "Largest error allowed by --verify, relative to the magnitude of each "
	  "result's terms (default 1e-5)", 0 },
	{ "output", 'o', "FILE", 0, "Write the result C as a text matrix ('-': stdout)", 0 },
	{ "plugin", OPT_PLUGIN, "NAME", 0, "Pin the session to one plugin", 0 },
	{ 0 }
};

struct sgemm_args {
	long m, n, k, iterations;
	bool m_set, n_set, k_set, verify;
	double alpha, beta, tolerance;
	unsigned long long seed;
	const char *a_file, *b_file, *c_file, *output, *plugin;
};

static error_t parse_opt(int key, char *arg, struct argp_state *state)
{
	struct sgemm_args *a = state->input;
	long v;
	switch (key) {
	case 'm': case 'n': case 'k':
		if (!cmd_parse_long(arg, 1, 1L << 20, &v))
			argp_error(state, "-%c: '%s' is not a size in 1..%ld", key, arg, 1L << 20);
		if (key == 'm') { a->m = v; a->m_set = true; }
		if (key == 'n') { a->n = v; a->n_set = true; }
		if (key == 'k') { a->k = v; a->k_set = true; }
		return 0;
	case OPT_ALPHA:
		if (!cmd_parse_double(arg, &a->alpha))
			argp_error(state, "--alpha: '%s' is not a number", arg);
		return 0;
	case OPT_BETA:
		if (!cmd_parse_double(arg, &a->beta))
			argp_error(state, "--beta: '%s' is not a number", arg);
		return 0;
	case OPT_TOL:
		if (!cmd_parse_double(arg, &a->tolerance) || a->tolerance < 0)
			argp_error(state, "--tolerance: '%s' is not a number >= 0", arg);
		return 0;
	case OPT_SEED:
		if (!cmd_parse_long(arg, 0, __LONG_MAX__, &v))
			argp_error(state, "--seed: '%s' is not a number >= 0", arg);
		a->seed = (unsigned long long)v;
		return 0;
	case 'i':
		if (!cmd_parse_long(arg, 1, 100000000, &a->iterations))
			argp_error(state, "--iterations: '%s' is not a count in 1..100000000", arg);
		return 0;
	case OPT_A: a->a_file = arg; return 0;
	case OPT_B: a->b_file = arg; return 0;
	case OPT_C: a->c_file = arg; return 0;
	case 'o': a->output = arg; return 0;
	case OPT_PLUGIN: a->plugin = arg; return 0;
	case OPT_VERIFY: a->verify = true; return 0;
	case ARGP_KEY_ARG:
		argp_error(state, "unexpected argument '%s'", arg);
		return 0;
	default:
		return ARGP_ERR_UNKNOWN;
	}
}

static const struct argp argp = {
	options, parse_opt, NULL,
	"Multiply single-precision matrices, row-major: C = alpha*A*B + beta*C.\v"
	"Inputs are random (--seed) unless read from files: A's shape sets m and "
	"k, B's sets n (its rows must equal k), C must be m x n. Prints the checksum (sum of C), the time per call, GFLOP/s "
	"and, with --verify, the max error against a double-precision reference.",
	NULL, NULL, NULL
};

/* Load a file into *m or make a random rows x cols one; 0 or an exit code. */
static int load(const char *file, const char *name, long rows, long cols,
		bool rows_set, bool cols_set, struct matrix *m, uint64_t *seed)
{
	char err[512];
	if (file) {
		if (matrix_read(file, m, err, sizeof(err))) {
			cmd_error("%s", err);
			return EXIT_INPUT;
		}
		if ((rows_set && m->rows != rows) || (cols_set && m->cols != cols)) {
			cmd_error("%s: matrix %s is %lldx%lld, the options ask for %ldx%ld",
				  file, name, (long long)m->rows, (long long)m->cols, rows, cols);
			return EXIT_INPUT;
		}
		return EXIT_OK;
	}
	m->rows = rows;
	m->cols = cols;
	if (!(m->data = malloc((size_t)rows * (size_t)cols * sizeof(float)))) {
		cmd_error("matrix %s (%ldx%ld): out of memory", name, rows, cols);
		return EXIT_OP_FAILED;
	}
	matrix_random(m, seed);
	return EXIT_OK;
}

/*
 * The worst error of C against a double reference, each relative to the
 * magnitude of the terms that made the element (so large k is fair).
 */
static void verify(const struct sgemm_args *o, const struct matrix *A,
		   const struct matrix *B, const float *c0, const float *c,
		   double *max_abs, double *max_rel)
{
	*max_abs = *max_rel = 0;
	for (long i = 0; i < o->m; i++) {
		for (long j = 0; j < o->n; j++) {
			double sum = 0, mag = 0;
			for (long p = 0; p < o->k; p++) {
				double t = (double)A->data[i * o->k + p] * B->data[p * o->n + j];
				sum += t;
				mag += fabs(t);
			}
			double ref = o->alpha * sum + o->beta * c0[i * o->n + j];
			double scale = fabs(o->alpha) * mag + fabs(o->beta * c0[i * o->n + j]);
			double e = fabs((double)c[i * o->n + j] - ref);
			if (!(e <= *max_abs))
				*max_abs = e; /* NaN sticks */
			double r = scale > 0 ? e / scale : e;
			if (!(r <= *max_rel))
				*max_rel = r;
		}
	}
}

static void report(struct cmd_ctx *ctx, const struct sgemm_args *o,
		   const char *plugin, double checksum, double best_ms, double mean_ms,
		   double gflops, bool verified, double max_abs, double max_rel, bool ok)
{
	if (ctx->json) {
		struct json j;
		json_begin(&j, stdout);
		json_str(&j, "command", "sgemm");
		json_int(&j, "m", o->m);
		json_int(&j, "n", o->n);
		json_int(&j, "k", o->k);
		json_num(&j, "alpha", o->alpha);
		json_num(&j, "beta", o->beta);
		json_str(&j, "plugin", plugin);
		json_int(&j, "iterations", o->iterations);
		json_num(&j, "checksum", checksum);
		json_object(&j, "time_ms");
		json_num(&j, "best", best_ms);
		json_num(&j, "mean", mean_ms);
		json_close(&j, '}');
		json_num(&j, "gflops", gflops);
		json_bool(&j, "verified", verified);
		if (verified) {
			json_num(&j, "max_error", max_abs);
			json_num(&j, "max_rel_error", max_rel);
			json_num(&j, "tolerance", o->tolerance);
			json_bool(&j, "ok", ok);
		}
		json_end(&j);
		return;
	}
	printf("sgemm %ldx%ldx%ld alpha=%g beta=%g plugin=%s iterations=%ld\n", o->m,
	       o->n, o->k, o->alpha, o->beta, plugin, o->iterations);
	printf("checksum:  %.6f\n", checksum);
	if (verified)
		printf("max_error: %.3g (relative %.3g, tolerance %.3g): %s\n", max_abs,
		       max_rel, o->tolerance, ok ? "ok" : "FAILED");
	else
		printf("max_error: not computed (add --verify)\n");
	printf("time:      %.3f ms best, %.3f ms mean\n", best_ms, mean_ms);
	printf("gflops:    %.2f\n", gflops);
}

static int run(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct sgemm_args o = { .m = 512, .n = 512, .k = 512, .alpha = 1, .beta = 0,
				.seed = 1, .iterations = 1, .tolerance = 1e-5 };
	struct matrix A = { 0 }, B = { 0 }, C = { 0 };
	struct vaccel_session sess = { 0 };
	float *c0 = NULL;
	uint64_t *times = NULL;
	int rc;

	argp_parse(&argp, argc, argv, 0, NULL, &o);
	if ((rc = cmd_bootstrap(ctx)))
		return rc;

	uint64_t seed = o.seed;
	if ((rc = load(o.a_file, "A", o.m, o.k, o.m_set, o.k_set, &A, &seed)))
		goto out;
	o.m = A.rows;
	o.k = A.cols;
	if ((rc = load(o.b_file, "B", o.k, o.n, true, o.n_set, &B, &seed)))
		goto out;
	o.n = B.cols;
	if ((rc = load(o.c_file, "C", o.m, o.n, true, true, &C, &seed)))
		goto out;
	size_t c_bytes = (size_t)o.m * (size_t)o.n * sizeof(float);
	times = calloc((size_t)o.iterations, sizeof(*times));
	c0 = malloc(c_bytes);
	if (!times || !c0) {
		cmd_error("out of memory");
		rc = EXIT_OP_FAILED;
		goto out;
	}
	memcpy(c0, C.data, c_bytes);

	int ret = vaccel_session_init(&sess, 0);
	if (!ret && o.plugin)
		ret = vaccel_session_pin(&sess, o.plugin);
	if (ret) {
		rc = ret == VACCEL_ENOENT ? EXIT_USAGE : cmd_op_error(ctx, "session", ret);
		if (ret == VACCEL_ENOENT)
			cmd_error("--plugin: no plugin '%s' in profile %s", o.plugin,
				  vaccel_profile_source());
		goto out;
	}
	const char *plugin = vaccel_op_served_by(VACCEL_OP_BLAS_SGEMM, o.plugin);
	struct progress pr;
	progress_begin(&pr, "sgemm", (size_t)o.iterations);
	for (long it = 0; it < o.iterations; it++) {
		progress_step(&pr, (size_t)it);
		/* Every call sees the same input C, so beta != 0 stays comparable. */
		if (it)
			memcpy(C.data, c0, c_bytes);
		uint64_t t0 = now_ns();
		ret = vaccel_sgemm(&sess, o.m, o.n, o.k, (float)o.alpha, A.data, o.k,
				   B.data, o.n, (float)o.beta, C.data, o.n);
		times[it] = now_ns() - t0;
		if (ret) {
			progress_end(&pr);
			rc = cmd_op_error(ctx, "sgemm", ret);
			goto out;
		}
	}
	progress_end(&pr);

	double checksum = 0, best = (double)times[0], sum = 0;
	for (size_t i = 0; i < (size_t)o.m * (size_t)o.n; i++)
		checksum += C.data[i];
	for (long it = 0; it < o.iterations; it++) {
		sum += (double)times[it];
		if ((double)times[it] < best)
			best = (double)times[it];
	}
	double max_abs = 0, max_rel = 0;
	bool ok = true;
	if (o.verify) {
		verify(&o, &A, &B, c0, C.data, &max_abs, &max_rel);
		ok = max_rel <= o.tolerance;
	}
	double gflops = best > 0 ? 2.0 * o.m * o.n * o.k / best : 0;
	report(ctx, &o, plugin, checksum, best / 1e6, sum / o.iterations / 1e6, gflops,
	       o.verify, max_abs, max_rel, ok);
	rc = EXIT_OK;
	if (o.output) {
		char err[512];
		if (matrix_write(o.output, &C, err, sizeof(err))) {
			cmd_error("%s", err);
			rc = EXIT_INPUT;
		}
	}
	if (!ok) {
		cmd_error("sgemm: max relative error %.3g exceeds tolerance %.3g", max_rel,
			  o.tolerance);
		rc = EXIT_VERIFY;
	}
out:
	if (sess.id > 0)
		vaccel_session_release(&sess);
	free(A.data);
	free(B.data);
	free(C.data);
	free(c0);
	free(times);
	return rc;
}

const struct cmd_entry cmd_sgemm_entry = {
	.name = "sgemm",
	.summary = "multiply matrices (SGEMM), time it, verify it",
	.run = run,
};
