/*
 * A program written the way vAccel applications are: session, noop, sgemm,
 * profiling regions, error codes. Built against the *installed* headers
 * via pkg-config by installed-app.test.
 */
#include <stdio.h>
#include <stdlib.h>
#include <vaccel.h>

#define M 4
#define N 3
#define K 2

int main(void)
{
	struct vaccel_session sess;
	struct vaccel_prof_region region = VACCEL_PROF_REGION_INIT("app_sgemm");
	float a[M * K], b[K * N], c[M * N];
	int ret;

	for (int i = 0; i < M * K; i++)
		a[i] = (float)(i + 1);
	for (int i = 0; i < K * N; i++)
		b[i] = (float)(i % 2);
	ret = vaccel_session_init(&sess, 0);
	if (ret != VACCEL_OK) {
		fprintf(stderr, "could not initialize session: %d\n", ret);
		return 1;
	}
	printf("Initialized session with id: %lld\n", (long long)sess.id);

	ret = vaccel_noop(&sess);
	if (ret)
		fprintf(stderr, "noop: %d\n", ret);

	vaccel_prof_region_start(&region);
	ret = vaccel_sgemm(&sess, M, N, K, 1.0f, a, K, b, N, 0.0f, c, N);
	vaccel_prof_region_stop(&region);
	if (ret) {
		fprintf(stderr, "sgemm: %d\n", ret);
		vaccel_session_release(&sess);
		return 1;
	}
	/* Check against a reference computed here. */
	int bad = 0;
	for (int i = 0; i < M; i++)
		for (int j = 0; j < N; j++) {
			float ref = 0;
			for (int p = 0; p < K; p++)
				ref += a[i * K + p] * b[p * N + j];
			bad += c[i * N + j] != ref;
		}
	printf("sgemm: %s, c[0]=%g c[last]=%g\n", bad ? "WRONG" : "ok", c[0], c[M * N - 1]);

	unsigned char text[64], img[64];
	ret = vaccel_image_classification(&sess, "x", text, img, 1, sizeof(text), sizeof(img));
	printf("classify without a vision plugin: %s\n",
	       ret == VACCEL_ENOTSUP ? "ENOTSUP" : "unexpected");

	vaccel_prof_region_print(&region);
	vaccel_prof_region_release(&region);
	if (vaccel_session_release(&sess) != VACCEL_OK) {
		fprintf(stderr, "could not release session\n");
		return 1;
	}
	return bad || ret != VACCEL_ENOTSUP;
}
