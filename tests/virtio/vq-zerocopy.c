/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Zero-copy arguments: SGEMM on buffers from vaccel_shm_alloc (inside the
 * virtio region, so no copy; ordinary memory under other profiles), checked
 * against a reference, then the same op on ordinary buffers.
 */
#include <stdio.h>
#include <stdlib.h>
#include <vaccel.h>

#define N 64

static int run(struct vaccel_session *s, float *a, float *b, float *c)
{
	for (int i = 0; i < N * N; i++) {
		a[i] = (float)(i % 7) - 3;
		b[i] = (float)(i % 5) - 2;
		c[i] = 1;
	}
	if (vaccel_sgemm(s, N, N, N, 1.0f, a, N, b, N, 1.0f, c, N))
		return 1;
	for (int i = 0; i < N; i++)
		for (int j = 0; j < N; j++) {
			float ref = 1;
			for (int p = 0; p < N; p++)
				ref += a[i * N + p] * b[p * N + j];
			if (c[i * N + j] != ref)
				return 1;
		}
	return 0;
}

int main(void)
{
	struct vaccel_session s;
	if (vaccel_session_init(&s, 0))
		return 1;
	size_t bytes = N * N * sizeof(float);
	float *a = vaccel_shm_alloc(&s, bytes), *b = vaccel_shm_alloc(&s, bytes),
	      *c = vaccel_shm_alloc(&s, bytes);
	int bad = !a || !b || !c || run(&s, a, b, c);
	printf("shared buffers: %s\n", bad ? "WRONG" : "ok");
	bad |= vaccel_shm_free(&s, a) || vaccel_shm_free(&s, b) || vaccel_shm_free(&s, c);
	float *x = malloc(bytes), *y = malloc(bytes), *z = malloc(bytes);
	int bad2 = run(&s, x, y, z);
	printf("ordinary buffers: %s\n", bad2 ? "WRONG" : "ok");
	free(x); free(y); free(z);
	vaccel_session_release(&s);
	return bad || bad2;
}
