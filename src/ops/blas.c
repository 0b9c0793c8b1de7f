/* SPDX-License-Identifier: Apache-2.0 */
/* BLAS ops: the entry point and the checks of the sgemm row. */
#include "ops.h"

/* Bytes a row-major rows x cols matrix with leading dimension ld spans. */
static uint64_t span(int64_t rows, int64_t cols, int64_t ld)
{
	if (rows <= 0 || cols <= 0 || ld < cols || (uint64_t)rows > UINT64_MAX / 4 / (uint64_t)ld)
		return 0;
	return ((uint64_t)(rows - 1) * (uint64_t)ld + (uint64_t)cols) * sizeof(float);
}

int vaccel_sgemm(struct vaccel_session *sess, int64_t m, int64_t n, int64_t k,
		 float alpha, float *a, int64_t lda, float *b, int64_t ldb,
		 float beta, float *c, int64_t ldc)
{
	struct vaccel_arg read[] = {
		OP_ARG(&m, 8, INT64), OP_ARG(&n, 8, INT64), OP_ARG(&k, 8, INT64),
		OP_ARG(&alpha, 4, FLOAT32), OP_ARG(a, a ? span(m, k, lda) : 0, FLOAT32_ARRAY),
		OP_ARG(&lda, 8, INT64), OP_ARG(b, b ? span(k, n, ldb) : 0, FLOAT32_ARRAY),
		OP_ARG(&ldb, 8, INT64), OP_ARG(&beta, 4, FLOAT32), OP_ARG(&ldc, 8, INT64),
	};
	struct vaccel_arg write[] = { OP_ARG(c, c ? span(m, n, ldc) : 0, FLOAT32_ARRAY) };
	return op_run(sess, VACCEL_OP_BLAS_SGEMM, read, 10, write, 1);
}

/* A matrix the sizes describe lies within its buffer. */
static bool fits(const struct vaccel_arg *buf, int64_t rows, int64_t cols, int64_t ld)
{
	return rows == 0 || cols == 0 || (span(rows, cols, ld) && span(rows, cols, ld) <= buf->size);
}

/* Row-major: A is m x k (lda >= k), B is k x n (ldb >= n), C m x n (ldc >= n). */
int sgemm_check(struct vaccel_session *sess, struct vaccel_arg *r, size_t nr,
		struct vaccel_arg *w, size_t nw)
{
	(void)sess; (void)nr; (void)nw;
	int64_t m = vaccel_plugin_arg_i64(&r[0]), n = vaccel_plugin_arg_i64(&r[1]),
		k = vaccel_plugin_arg_i64(&r[2]), lda = vaccel_plugin_arg_i64(&r[5]),
		ldb = vaccel_plugin_arg_i64(&r[7]), ldc = vaccel_plugin_arg_i64(&r[9]);
	if (m < 0 || n < 0 || k < 0) {
		vaccel_error("sgemm: negative size m=%lld n=%lld k=%lld", (long long)m,
			     (long long)n, (long long)k);
		return VACCEL_EINVAL;
	}
	if (lda < (k > 1 ? k : 1) || ldb < (n > 1 ? n : 1) || ldc < (n > 1 ? n : 1)) {
		vaccel_error("sgemm: leading dimension too small (lda=%lld < k=%lld, "
			     "ldb=%lld < n=%lld or ldc=%lld < n)", (long long)lda, (long long)k,
			     (long long)ldb, (long long)n, (long long)ldc);
		return VACCEL_EINVAL;
	}
	if (!fits(&r[4], m, k, lda) || !fits(&r[6], k, n, ldb) || !fits(&w[0], m, n, ldc)) {
		vaccel_error("sgemm: a matrix buffer is smaller than its sizes say (or NULL)");
		return VACCEL_EINVAL;
	}
	return VACCEL_OK;
}

/* C is read when beta != 0, and its padding must survive when ldc > n. */
bool sgemm_reads_c(const struct vaccel_arg *read, size_t index)
{
	(void)index;
	return vaccel_plugin_arg_f32(&read[8]) != 0.0f ||
	       vaccel_plugin_arg_i64(&read[9]) != vaccel_plugin_arg_i64(&read[1]);
}
