/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cuda-check [--tf32] [--quick]: the cuda plugin's SGEMM against OpenBLAS
 * and a double-precision reference, on shapes that catch the row-major to
 * column-major mapping (odd sizes, m != n != k), alpha and beta, leading
 * dimensions wider than the matrices (their padding must survive), 1x1,
 * k = 0, repeated calls of one size (the pool) and 4096.
 *
 * One profile with a cuda and an openblas instance; one session pinned to
 * each. Exit 0: all cases pass; 1: a case failed; 77: no CUDA device (the
 * cuda instance is unavailable), which the callers report as a skip.
 * TF32 rounds the inputs to 10 bits of mantissa: its tolerance is 2e-3 of
 * each element's magnitude instead of 1e-5.
 */
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <vaccel.h>

static struct vaccel_session on_gpu, on_cpu;
static double tolerance = 1e-5;
static int failures, cases;

static float value(uint32_t *s)
{
	*s = *s * 1103515245u + 12345u;
	return (float)((*s >> 8) & 0xffff) / 32768.0f - 1.0f;
}

/* Error of C[i][j] against a double reference, relative to its terms. */
static double cell_error(int64_t i, int64_t j, int64_t k, float alpha, const float *a,
			 int64_t lda, const float *b, int64_t ldb, float beta, float c0, float got)
{
	double sum = 0, mag = 0;
	for (int64_t p = 0; p < k; p++) {
		double t = (double)a[i * lda + p] * b[p * ldb + j];
		sum += t;
		mag += fabs(t);
	}
	double ref = alpha * sum + (beta == 0.0f ? 0.0 : beta * (double)c0);
	double scale = fabs(alpha) * mag + fabs(beta * (double)c0);
	double e = fabs((double)got - ref);
	return e / (scale > 0 ? scale : 1.0);
}

static void run_case(int64_t m, int64_t n, int64_t k, float alpha, float beta, int64_t pad,
		     int repeat)
{
	int64_t lda = k + pad, ldb = n + pad, ldc = n + pad;
	size_t na = (size_t)(m * lda) + 1, nb = (size_t)(k * ldb) + 1, nc = (size_t)(m * ldc) + 1;
	float *a = malloc(na * sizeof(float)), *b = malloc(nb * sizeof(float));
	float *c0 = malloc(nc * sizeof(float)), *cg = malloc(nc * sizeof(float)),
	      *cc = malloc(nc * sizeof(float));
	if (!a || !b || !c0 || !cg || !cc) {
		fprintf(stderr, "out of memory\n");
		exit(1);
	}
	uint32_t seed = (uint32_t)(m * 131 + n * 17 + k * 7 + pad);
	for (size_t i = 0; i < na; i++) a[i] = value(&seed);
	for (size_t i = 0; i < nb; i++) b[i] = value(&seed);
	for (size_t i = 0; i < nc; i++) c0[i] = value(&seed);

	char what[128];
	snprintf(what, sizeof(what), "%lldx%lldx%lld alpha=%g beta=%g pad=%lld", (long long)m,
		 (long long)n, (long long)k, alpha, beta, (long long)pad);
	cases++;
	int rg = 0, rc;
	for (int r = 0; r < repeat && !rg; r++) {
		memcpy(cg, c0, nc * sizeof(float));
		rg = vaccel_sgemm(&on_gpu, m, n, k, alpha, a, lda, b, ldb, beta, cg, ldc);
	}
	memcpy(cc, c0, nc * sizeof(float));
	rc = vaccel_sgemm(&on_cpu, m, n, k, alpha, a, lda, b, ldb, beta, cc, ldc);
	if (rg || rc) {
		printf("FAIL %s: cuda %s, openblas %s\n", what, vaccel_strerror(rg),
		       vaccel_strerror(rc));
		failures++;
		goto out;
	}
	/* Every cell against OpenBLAS; the reference on all cells, or a sample of big ones. */
	double worst = 0, vs_cpu = 0;
	/* About 5e7 multiply-adds of reference per case. */
	double work = (double)m * n * k;
	uint32_t stride = work > 5e7 ? (uint32_t)(work / 5e7) + 1 : 1, pick = 12345;
	bool sample = stride > 1;
	for (int64_t i = 0; i < m; i++) {
		for (int64_t j = 0; j < ldc; j++) {
			size_t x = (size_t)(i * ldc + j);
			if (j >= n) {
				if (memcmp(&cg[x], &c0[x], sizeof(float))) {
					printf("FAIL %s: padding C[%lld][%lld] changed\n", what,
					       (long long)i, (long long)j);
					failures++;
					goto out;
				}
				continue;
			}
			double d = fabs((double)cg[x] - cc[x]);
			if (!(d <= vs_cpu))
				vs_cpu = d;
			if (sample && (value(&pick), pick % stride))
				continue;
			double e = cell_error(i, j, k, alpha, a, lda, b, ldb, beta, c0[x], cg[x]);
			if (!(e <= worst))
				worst = e;
		}
	}
	bool ok = worst <= tolerance;
	printf("%s %s: relative error %.3g (tolerance %.3g%s), max |cuda - openblas| %.3g\n",
	       ok ? "ok  " : "FAIL", what, worst, tolerance, sample ? ", sampled" : "", vs_cpu);
	failures += !ok;
out:
	free(a); free(b); free(c0); free(cg); free(cc);
}

int main(int argc, char **argv)
{
	bool tf32 = false, quick = false;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--tf32"))
			tf32 = true;
		else if (!strcmp(argv[i], "--quick"))
			quick = true;
		else {
			fprintf(stderr, "usage: cuda-check [--tf32] [--quick]\n");
			return 2;
		}
	}
	if (tf32)
		tolerance = 2e-3;
	char path[] = "/tmp/cuda-check-XXXXXX.yaml", err[512] = "";
	int fd = mkstemps(path, 5);
	if (fd < 0)
		return 1;
	FILE *f = fdopen(fd, "w");
	fprintf(f, "plugins:\n  - name: cuda\n    options: { tf32: %s }\n  - name: openblas\n",
		tf32 ? "true" : "false");
	fclose(f);
	int ret = vaccel_bootstrap_profile(path, 0, err, sizeof(err));
	unlink(path);
	if (ret) {
		fprintf(stderr, "cuda-check: %s\n", err);
		return 1;
	}
	struct vaccel_instance_info info;
	if (vaccel_plugin_get_info(0, &info) || strcmp(info.name, "cuda")) {
		fprintf(stderr, "cuda-check: the profile's first instance is not cuda\n");
		return 1;
	}
	printf("cuda: %s\n", info.state);
	const char *by = vaccel_op_served_by(VACCEL_OP_BLAS_SGEMM, NULL);
	if (!by || strcmp(by, "cuda")) {
		printf("SKIP: needs a CUDA device (cuda: %s)\n", info.state);
		return 77;
	}
	if (vaccel_session_init(&on_gpu, 0) || vaccel_session_pin(&on_gpu, "cuda") ||
	    vaccel_session_init(&on_cpu, 0) || vaccel_session_pin(&on_cpu, "openblas")) {
		fprintf(stderr, "cuda-check: sessions\n");
		return 1;
	}
	static const struct { int64_t m, n, k; float alpha, beta; int64_t pad; int repeat; } t[] = {
		{ 1, 1, 1, 1, 0, 0, 1 },       { 1, 1, 1, 2.5f, -1, 3, 1 },
		{ 37, 23, 19, 1, 0, 0, 1 },    { 23, 37, 19, 0.5f, 2, 0, 1 },
		{ 19, 23, 37, -1.5f, 0.25f, 5, 1 }, { 129, 257, 65, 1, 1, 17, 1 },
		{ 1, 300, 200, 1, 0, 1, 1 },   { 300, 1, 200, 1, 0.5f, 2, 1 },
		{ 200, 300, 1, 1, 0, 0, 1 },   { 64, 64, 0, 1, 3, 2, 1 },
		{ 33, 35, 31, 0, 2, 4, 1 },    { 511, 513, 257, 1, 0, 0, 4 },
		{ 1000, 999, 1001, 0.75f, -0.5f, 9, 2 },
		{ 4096, 4096, 4096, 1, 0, 0, 2 },
	};
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		if (quick && t[i].m * t[i].n * t[i].k > 1e8)
			continue;
		run_case(t[i].m, t[i].n, t[i].k, t[i].alpha, t[i].beta, t[i].pad, t[i].repeat);
	}
	vaccel_session_release(&on_gpu);
	vaccel_session_release(&on_cpu);
	printf("cuda-check%s: %d cases, %d failed\n", tf32 ? " (tf32)" : "", cases, failures);
	return failures ? 1 : 0;
}
