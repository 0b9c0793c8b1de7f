/* SPDX-License-Identifier: Apache-2.0 */
/* The openblas plugin: SGEMM through cblas, thread count from the profile. */
#include <cblas.h>
#include <limits.h>
#include <vaccel/plugin.h>

/* Debian's OpenBLAS exports this; cblas.h declares it in newer releases. */
void openblas_set_num_threads(int num_threads);

static const char *const option_keys[] = { "threads", NULL };

static int openblas_init(const struct vaccel_plugin_options *opts)
{
	long threads;
	int ret = vaccel_plugin_option_long(opts, "threads", 0, 0, 1024, &threads);
	if (ret)
		return ret;
	if (threads > 0)
		openblas_set_num_threads((int)threads);
	vaccel_debug("openblas: %ld threads%s", threads, threads ? "" : " (OpenBLAS default)");
	return VACCEL_OK;
}

/* Reaching the plugin is the whole op: measures the native path. */
static int openblas_noop(struct vaccel_session *sess)
{
	(void)sess;
	return VACCEL_OK;
}

static int openblas_sgemm(struct vaccel_session *sess, int64_t m, int64_t n,
			  int64_t k, float alpha, float *a, int64_t lda, float *b,
			  int64_t ldb, float beta, float *c, int64_t ldc)
{
	(void)sess;
	/* cblas takes int: refuse what would not fit rather than wrap. */
	if (m > INT_MAX || n > INT_MAX || k > INT_MAX || lda > INT_MAX ||
	    ldb > INT_MAX || ldc > INT_MAX) {
		vaccel_error("openblas: sgemm dimension beyond %d", INT_MAX);
		return VACCEL_EINVAL;
	}
	if (m == 0 || n == 0)
		return VACCEL_OK;
	cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, (int)m, (int)n, (int)k,
		    alpha, a, (int)lda, b, (int)ldb, beta, c, (int)ldc);
	return VACCEL_OK;
}

VACCEL_PLUGIN_DEFINE(
	.name = "openblas",
	.version = PACKAGE_VERSION,
	.description = "SGEMM on the CPU through OpenBLAS",
	.option_keys = option_keys,
	.init = openblas_init,
	.ops = {
		.noop = openblas_noop,
		.sgemm = openblas_sgemm,
	});
