/* SPDX-License-Identifier: Apache-2.0 */
/* SGEMM through openblas against a double reference: shapes, padding, alpha/beta. */
#include <math.h>
#include "unit.h"

static struct vaccel_session sess;

static void setup(void)
{
	ck_assert_int_eq(unit_profile("plugins: [openblas]\n"), 0);
	ck_assert_int_eq(vaccel_session_init(&sess, 0), 0);
}

static void teardown(void)
{
	vaccel_session_release(&sess);
}

static float value(unsigned *s)
{
	*s = *s * 1103515245u + 12345u;
	return (float)((*s >> 8) & 0xffff) / 32768.0f - 1.0f;
}

/* Run one case with the given padding; padding cells must stay untouched. */
static void run_case(int64_t m, int64_t n, int64_t k, float alpha, float beta, int64_t pad)
{
	int64_t lda = k + pad, ldb = n + pad, ldc = n + pad;
	size_t na = (size_t)(m * lda), nb = (size_t)(k * ldb), nc = (size_t)(m * ldc);
	float *a = malloc((na + 1) * sizeof(float)), *b = malloc((nb + 1) * sizeof(float));
	float *c = malloc((nc + 1) * sizeof(float)), *c0 = malloc((nc + 1) * sizeof(float));
	unsigned seed = (unsigned)(m * 131 + n * 17 + k);
	for (size_t i = 0; i < na; i++) a[i] = value(&seed);
	for (size_t i = 0; i < nb; i++) b[i] = value(&seed);
	for (size_t i = 0; i < nc; i++) c[i] = c0[i] = value(&seed);

	ck_assert_int_eq(vaccel_sgemm(&sess, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc), 0);
	for (int64_t i = 0; i < m; i++) {
		for (int64_t j = 0; j < ldc; j++) {
			float got = c[i * ldc + j];
			if (j >= n) {
				ck_assert_msg(got == c0[i * ldc + j], "padding C[%ld][%ld] changed",
					      (long)i, (long)j);
				continue;
			}
			double ref = 0, mag = 0;
			for (int64_t p = 0; p < k; p++) {
				ref += (double)a[i * lda + p] * b[p * ldb + j];
				mag += fabs((double)a[i * lda + p] * b[p * ldb + j]);
			}
			ref = alpha * ref + beta * (double)c0[i * ldc + j];
			double tol = 1e-5 * (fabs(alpha) * mag + fabs(beta * c0[i * ldc + j])) + 1e-6;
			ck_assert_msg(fabs(got - ref) <= tol,
				      "%ldx%ldx%ld a=%g b=%g pad=%ld: C[%ld][%ld]=%g want %g",
				      (long)m, (long)n, (long)k, alpha, beta, (long)pad, (long)i,
				      (long)j, got, ref);
		}
	}
	free(a); free(b); free(c); free(c0);
}

static const int64_t shapes[][3] = {
	{ 1, 1, 1 }, { 3, 5, 7 }, { 17, 1, 33 }, { 1, 31, 2 }, { 64, 65, 63 },
	{ 129, 7, 200 }, { 2, 300, 1 },
};

START_TEST(odd_shapes)
{
	const int64_t *s = shapes[_i];
	run_case(s[0], s[1], s[2], 1.0f, 0.0f, 0);
}
END_TEST

START_TEST(leading_dimension_padding)
{
	const int64_t *s = shapes[_i];
	run_case(s[0], s[1], s[2], 1.0f, 0.0f, 3);
	run_case(s[0], s[1], s[2], 0.5f, 1.0f, 16);
}
END_TEST

START_TEST(alpha_beta)
{
	static const float ab[][2] = { { 2.0f, 0.0f }, { 1.0f, 1.0f }, { -1.5f, 0.25f },
				       { 0.0f, 3.0f }, { 0.0f, 0.0f } };
	for (size_t i = 0; i < sizeof(ab) / sizeof(ab[0]); i++)
		run_case(13, 11, 9, ab[i][0], ab[i][1], 1);
}
END_TEST

START_TEST(invalid_arguments)
{
	float a[4] = { 0 }, b[4] = { 0 }, c[4] = { 0 };
	ck_assert_int_eq(vaccel_sgemm(&sess, -1, 2, 2, 1, a, 2, b, 2, 0, c, 2), VACCEL_EINVAL);
	ck_assert_int_eq(vaccel_sgemm(&sess, 2, 2, 2, 1, a, 1, b, 2, 0, c, 2), VACCEL_EINVAL);
	ck_assert_int_eq(vaccel_sgemm(&sess, 2, 2, 2, 1, a, 2, b, 1, 0, c, 2), VACCEL_EINVAL);
	ck_assert_int_eq(vaccel_sgemm(&sess, 2, 2, 2, 1, a, 2, b, 2, 0, c, 1), VACCEL_EINVAL);
	ck_assert_int_eq(vaccel_sgemm(&sess, 2, 2, 2, 1, NULL, 2, b, 2, 0, c, 2), VACCEL_EINVAL);
	ck_assert_int_eq(vaccel_sgemm(NULL, 2, 2, 2, 1, a, 2, b, 2, 0, c, 2), VACCEL_EINVAL);
	/* Empty products are fine and touch nothing. */
	ck_assert_int_eq(vaccel_sgemm(&sess, 0, 0, 0, 1, NULL, 1, NULL, 1, 0, NULL, 1), 0);
}
END_TEST

/* genop carries the same op: read[0] = op, then the documented layout. */
START_TEST(genop_sgemm)
{
	float a[6] = { 1, 2, 3, 4, 5, 6 }, b[6] = { 1, 0, 0, 1, 1, 1 }, c[4] = { 9, 9, 9, 9 };
	uint32_t op = VACCEL_OP_BLAS_SGEMM;
	int64_t m = 2, n = 2, k = 3, lda = 3, ldb = 2, ldc = 2;
	float alpha = 1, beta = 0;
	struct vaccel_arg read[] = {
		{ &op, 4, VACCEL_ARG_UINT32, 0, false }, { &m, 8, VACCEL_ARG_INT64, 0, false },
		{ &n, 8, VACCEL_ARG_INT64, 0, false },   { &k, 8, VACCEL_ARG_INT64, 0, false },
		{ &alpha, 4, VACCEL_ARG_FLOAT32, 0, false }, { a, sizeof(a), VACCEL_ARG_FLOAT32_ARRAY, 0, false },
		{ &lda, 8, VACCEL_ARG_INT64, 0, false }, { b, sizeof(b), VACCEL_ARG_FLOAT32_ARRAY, 0, false },
		{ &ldb, 8, VACCEL_ARG_INT64, 0, false }, { &beta, 4, VACCEL_ARG_FLOAT32, 0, false },
		{ &ldc, 8, VACCEL_ARG_INT64, 0, false },
	};
	struct vaccel_arg write[] = { { c, sizeof(c), VACCEL_ARG_FLOAT32_ARRAY, 0, false } };
	ck_assert_int_eq(vaccel_genop(&sess, read, 11, write, 1), 0);
	/* [1 2 3; 4 5 6] x [1 0; 0 1; 1 1] = [4 5; 10 11] */
	ck_assert_float_eq(c[0], 4); ck_assert_float_eq(c[1], 5);
	ck_assert_float_eq(c[2], 10); ck_assert_float_eq(c[3], 11);
	/* A buffer shorter than its sizes say is refused before any work. */
	read[5].size = sizeof(float) * 5;
	ck_assert_int_eq(vaccel_genop(&sess, read, 11, write, 1), VACCEL_EINVAL);
	read[5].size = sizeof(a);
	ck_assert_int_eq(vaccel_genop(&sess, read, 10, write, 1), VACCEL_EINVAL);
	op = 9999;
	ck_assert_int_eq(vaccel_genop(&sess, read, 11, write, 1), VACCEL_EINVAL);
	op = VACCEL_OP_TF_MODEL_RUN;
	ck_assert_int_eq(vaccel_genop(&sess, read, 1, NULL, 0), VACCEL_ENOTSUP);
	op = VACCEL_OP_NOOP;
	ck_assert_int_eq(vaccel_genop(&sess, read, 1, NULL, 0), 0);
}
END_TEST

static Suite *unit_suite(void)
{
	Suite *s = suite_create("sgemm");
	TCase *tc = tcase_create("sgemm");
	int nr = (int)(sizeof(shapes) / sizeof(shapes[0]));
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_loop_test(tc, odd_shapes, 0, nr);
	tcase_add_loop_test(tc, leading_dimension_padding, 0, nr);
	tcase_add_test(tc, alpha_beta);
	tcase_add_test(tc, invalid_arguments);
	tcase_add_test(tc, genop_sgemm);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_MAIN()
