/* SPDX-License-Identifier: Apache-2.0 */
/*
 * noop-calls N: open one vAccel session, call vaccel_noop() N times, release
 * the session. For counting instructions per call (callgrind) across builds.
 */
#include <stdio.h>
#include <stdlib.h>
#include <vaccel.h>

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: %s N\n", argv[0]);
		return 2;
	}
	char *end;
	long n = strtol(argv[1], &end, 10);
	if (*end || n < 0) {
		fprintf(stderr, "%s: bad N '%s'\n", argv[0], argv[1]);
		return 2;
	}
	struct vaccel_session s;
	int ret = vaccel_session_init(&s, 0);
	if (ret) {
		fprintf(stderr, "vaccel_session_init: %d\n", ret);
		return 1;
	}
	for (long i = 0; i < n; i++) {
		ret = vaccel_noop(&s);
		if (ret) {
			fprintf(stderr, "vaccel_noop (call %ld): %d\n", i, ret);
			vaccel_session_release(&s);
			return 1;
		}
	}
	ret = vaccel_session_release(&s);
	if (ret) {
		fprintf(stderr, "vaccel_session_release: %d\n", ret);
		return 1;
	}
	return 0;
}
