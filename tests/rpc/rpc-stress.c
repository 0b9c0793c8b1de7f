/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Many clients at once: NPROC processes, each with THREADS threads sharing
 * one session, each thread doing its share of NOPS mixed ops (noop, SGEMM,
 * exec) against the agent the rpc profile names, checking every reply.
 * Usage: rpc-stress NPROC NOPS EXECLIB. Exit 0 when every reply was right.
 */
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <vaccel.h>

#define THREADS 2

static struct vaccel_session sess;
static const char *lib;
static int nops;

static int sgemm_once(unsigned *seed)
{
	float a[6 * 5], b[5 * 7], c[6 * 7], ref;
	for (int i = 0; i < 30; i++) a[i] = (float)(rand_r(seed) % 17) - 8;
	for (int i = 0; i < 35; i++) b[i] = (float)(rand_r(seed) % 13) - 6;
	for (int i = 0; i < 42; i++) c[i] = 1.0f;
	if (vaccel_sgemm(&sess, 6, 7, 5, 1.0f, a, 5, b, 7, 2.0f, c, 7))
		return -1;
	for (int i = 0; i < 6; i++)
		for (int j = 0; j < 7; j++) {
			ref = 2.0f;
			for (int p = 0; p < 5; p++)
				ref += a[i * 5 + p] * b[p * 7 + j];
			if (c[i * 7 + j] != ref) /* small integers: exact */
				return -1;
		}
	return 0;
}

static int exec_once(unsigned *seed)
{
	int32_t x = rand_r(seed) % 100000, y = rand_r(seed) % 100000, sum = -1;
	struct vaccel_arg r[] = { { &x, 4, VACCEL_ARG_INT32, 0, false }, { &y, 4, VACCEL_ARG_INT32, 0, false } };
	struct vaccel_arg w[] = { { &sum, 4, VACCEL_ARG_INT32, 0, false } };
	if (vaccel_exec(&sess, lib, "add_int32", r, 2, w, 1))
		return -1;
	return sum == x + y ? 0 : -1;
}

static void *thread(void *arg)
{
	unsigned seed = (unsigned)(uintptr_t)arg * 7919u + (unsigned)getpid();
	long bad = 0;
	for (int i = 0; i < nops / THREADS; i++) {
		int kind = rand_r(&seed) % 3;
		int rc = kind == 0 ? vaccel_noop(&sess) : kind == 1 ? sgemm_once(&seed) : exec_once(&seed);
		bad += rc != 0;
	}
	return (void *)bad;
}

static int child(void)
{
	if (vaccel_session_init(&sess, 0))
		return 1;
	pthread_t t[THREADS];
	long bad = 0;
	for (uintptr_t i = 0; i < THREADS; i++)
		pthread_create(&t[i], NULL, thread, (void *)(i + 1));
	for (int i = 0; i < THREADS; i++) {
		void *r;
		pthread_join(t[i], &r);
		bad += (long)r;
	}
	vaccel_session_release(&sess);
	if (bad)
		fprintf(stderr, "rpc-stress %d: %ld wrong replies\n", getpid(), bad);
	return bad ? 1 : 0;
}

int main(int argc, char **argv)
{
	if (argc != 4) {
		fprintf(stderr, "usage: rpc-stress NPROC NOPS EXECLIB\n");
		return 2;
	}
	int nproc = atoi(argv[1]);
	nops = atoi(argv[2]);
	lib = argv[3];
	for (int i = 0; i < nproc; i++) {
		pid_t p = fork();
		if (p == 0)
			_exit(child());
	}
	int failed = 0, status;
	while (wait(&status) > 0)
		failed += !WIFEXITED(status) || WEXITSTATUS(status);
	printf("%d processes x %d ops: %d failed\n", nproc, nops, failed);
	return failed ? 1 : 0;
}
