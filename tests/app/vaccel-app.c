/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A program written the way vAccel applications are: session, noop, sgemm,
 * image classification, profiling regions, error codes. Built against the
 * *installed* headers via pkg-config by installed-app.test.
 *
 * vaccel-app [IMAGE]: with IMAGE (and VACCEL_PROFILE naming a vision
 * profile) it classifies the image and prints the best class; a vision
 * profile need not serve sgemm. Without, classification must be ENOTSUP.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <vaccel.h>

#define M 4
#define N 3
#define K 2

/* Classify the image file at `path`; 0 when a class came back. */
static int classify_file(struct vaccel_session *sess, const char *path)
{
	static unsigned char img[16 << 20];
	unsigned char text[1024], out_name[512];
	FILE *f = fopen(path, "rb");
	if (!f) {
		perror(path);
		return 1;
	}
	size_t len = fread(img, 1, sizeof(img), f);
	fclose(f);
	int ret = vaccel_image_classification(sess, img, text, out_name, len, sizeof(text),
					      sizeof(out_name));
	if (ret) {
		fprintf(stderr, "classify %s: %s\n", path, vaccel_strerror(ret));
		return 1;
	}
	text[strcspn((char *)text, "\n")] = '\0'; /* the best class: its first line */
	printf("classify: %s\n", text);
	remove((char *)out_name); /* the annotated copy vAccel's API writes */
	return 0;
}

int main(int argc, char **argv)
{
	const char *image = argc > 1 ? argv[1] : NULL;
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
	if (ret == VACCEL_ENOTSUP && image) {
		printf("sgemm: not served by this profile\n");
	} else if (ret) {
		fprintf(stderr, "sgemm: %d\n", ret);
		vaccel_session_release(&sess);
		return 1;
	}
	/* Check against a reference computed here. */
	int bad = 0;
	for (int i = 0; i < M && !ret; i++)
		for (int j = 0; j < N; j++) {
			float ref = 0;
			for (int p = 0; p < K; p++)
				ref += a[i * K + p] * b[p * N + j];
			bad += c[i * N + j] != ref;
		}
	if (!ret)
		printf("sgemm: %s, c[0]=%g c[last]=%g\n", bad ? "WRONG" : "ok", c[0],
		       c[M * N - 1]);

	if (image) {
		bad += classify_file(&sess, image);
	} else {
		unsigned char text[64], img[64];
		ret = vaccel_image_classification(&sess, "x", text, img, 1, sizeof(text),
						  sizeof(img));
		printf("classify without a vision plugin: %s\n",
		       ret == VACCEL_ENOTSUP ? "ENOTSUP" : "unexpected");
		bad += ret != VACCEL_ENOTSUP;
	}

	vaccel_prof_region_print(&region);
	vaccel_prof_region_release(&region);
	if (vaccel_session_release(&sess) != VACCEL_OK) {
		fprintf(stderr, "could not release session\n");
		return 1;
	}
	return bad != 0;
}
