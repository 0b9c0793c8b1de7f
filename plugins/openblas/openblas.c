/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The openblas plugin: CPU math. SGEMM through cblas (thread count from the
 * profile) and vAccel's minmax.
 */
#include <cblas.h>
#include <limits.h>
#include <vaccel/plugin.h>

/* Debian's OpenBLAS exports this; cblas.h declares it in newer releases. */
void openblas_set_num_threads(int num_threads);

static const char *const option_keys[] = { "threads", NULL };

/* OpenBLAS's thread count is the process's: the last instance's wins. */
static int openblas_init(const struct vaccel_plugin_options *opts, void **ctx)
{
	long threads;
	(void)ctx;
	int ret = vaccel_plugin_option_long(opts, "threads", 0, 0, 1024, &threads);
	if (ret)
		return ret;
	if (threads > 0)
		openblas_set_num_threads((int)threads);
	vaccel_debug("openblas: %ld threads%s", threads, threads ? "" : " (OpenBLAS default)");
	return VACCEL_OK;
}

/* Reaching the plugin is the whole op: measures the native path. */
static int openblas_noop(void *ctx, struct vaccel_session *sess, const struct vaccel_op_args *a)
{
	(void)ctx; (void)sess; (void)a;
	return VACCEL_OK;
}

/* read: m n k alpha a lda b ldb beta ldc; write: c (checked by libvaccel). */
static int openblas_sgemm(void *ctx, struct vaccel_session *sess, const struct vaccel_op_args *a)
{
	const struct vaccel_arg *r = a->read;
	(void)ctx; (void)sess;
	int64_t m = vaccel_plugin_arg_i64(&r[0]), n = vaccel_plugin_arg_i64(&r[1]),
		k = vaccel_plugin_arg_i64(&r[2]), lda = vaccel_plugin_arg_i64(&r[5]),
		ldb = vaccel_plugin_arg_i64(&r[7]), ldc = vaccel_plugin_arg_i64(&r[9]);
	/* cblas takes int: refuse what would not fit rather than wrap. */
	if (m > INT_MAX || n > INT_MAX || k > INT_MAX || lda > INT_MAX ||
	    ldb > INT_MAX || ldc > INT_MAX) {
		vaccel_error("openblas: sgemm dimension beyond %d", INT_MAX);
		return VACCEL_EINVAL;
	}
	if (m == 0 || n == 0)
		return VACCEL_OK;
	cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, (int)m, (int)n, (int)k,
		    vaccel_plugin_arg_f32(&r[3]), r[4].buf, (int)lda, r[6].buf, (int)ldb,
		    vaccel_plugin_arg_f32(&r[8]), a->write[0].buf, (int)ldc);
	return VACCEL_OK;
}

/*
 * read: indata ndata low high; write: outdata min max. outdata is indata
 * clamped to [low, high]; min and max are indata's.
 */
static int openblas_minmax(void *ctx, struct vaccel_session *sess, const struct vaccel_op_args *a)
{
	const struct vaccel_arg *r = a->read, *w = a->write;
	(void)ctx; (void)sess;
	const double *in = r[0].buf;
	double *out = w[0].buf, lo = vaccel_plugin_arg_i32(&r[2]),
	       hi = vaccel_plugin_arg_i32(&r[3]), min = in[0], max = in[0];
	/* Read once: a call in the loop's condition is a call per element. */
	const int32_t n = vaccel_plugin_arg_i32(&r[1]);
	for (int32_t i = 0; i < n; i++) {
		double v = in[i];
		min = v < min ? v : min;
		max = v > max ? v : max;
		out[i] = v < lo ? lo : v > hi ? hi : v;
	}
	memcpy(w[1].buf, &min, sizeof(min));
	memcpy(w[2].buf, &max, sizeof(max));
	return VACCEL_OK;
}

VACCEL_PLUGIN_DEFINE(
	.name = "openblas",
	.version = PACKAGE_VERSION,
	.description = "SGEMM on the CPU through OpenBLAS, and minmax",
	.type = VACCEL_PLUGIN_CPU,
	.option_keys = option_keys,
	.init = openblas_init,
	.ops = {
		[VACCEL_OP_NOOP] = openblas_noop,
		[VACCEL_OP_BLAS_SGEMM] = openblas_sgemm,
		[VACCEL_OP_MINMAX] = openblas_minmax,
	});
