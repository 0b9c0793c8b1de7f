/* SPDX-License-Identifier: Apache-2.0 */
/* BLAS ops: argument checks happen here once, not in every plugin. */
#include "../internal.h"

int vaccel_sgemm(struct vaccel_session *sess, int64_t m, int64_t n, int64_t k,
		 float alpha, float *a, int64_t lda, float *b, int64_t ldb,
		 float beta, float *c, int64_t ldc)
{
	const struct vaccel_plugin *p;
	int ret = router_route(sess, VACCEL_OP_BLAS_SGEMM, &p);
	if (ret)
		return ret;
	/* Row-major: A is m x k (lda >= k), B is k x n (ldb >= n), C m x n. */
	if (m < 0 || n < 0 || k < 0) {
		vaccel_error("sgemm: negative size m=%lld n=%lld k=%lld",
			     (long long)m, (long long)n, (long long)k);
		return VACCEL_EINVAL;
	}
	if (lda < (k > 1 ? k : 1) || ldb < (n > 1 ? n : 1) || ldc < (n > 1 ? n : 1)) {
		vaccel_error("sgemm: leading dimension too small (lda=%lld < k=%lld, "
			     "ldb=%lld < n=%lld or ldc=%lld < n)",
			     (long long)lda, (long long)k, (long long)ldb,
			     (long long)n, (long long)ldc);
		return VACCEL_EINVAL;
	}
	if ((m && n && !c) || (m && k && !a) || (k && n && !b)) {
		vaccel_error("sgemm: NULL matrix");
		return VACCEL_EINVAL;
	}
	return p->ops.sgemm(sess, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
}
