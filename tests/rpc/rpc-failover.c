/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Two agents behind one profile (two rpc instances): a session's sgemm
 * runs on the first; the first agent is killed; the same session's next
 * sgemm runs on the second, with the same result. Usage: rpc-failover
 * PID-OF-THE-FIRST-AGENT (VACCEL_PROFILE names the two-instance profile).
 * Prints TAP-like lines; exit 0 when all passed.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <vaccel.h>

static int count, failures;

static void check(bool ok, const char *what)
{
	printf("%s %d - %s\n", ok ? "ok" : "not ok", ++count, what);
	failures += !ok;
}

/* [1 2; 3 4] x [5 6; 7 8] = [19 22; 43 50] */
static bool sgemm_ok(struct vaccel_session *s)
{
	float a[4] = { 1, 2, 3, 4 }, b[4] = { 5, 6, 7, 8 }, c[4] = { 0 };
	int ret = vaccel_sgemm(s, 2, 2, 2, 1.0f, a, 2, b, 2, 0.0f, c, 2);
	return !ret && c[0] == 19 && c[1] == 22 && c[2] == 43 && c[3] == 50;
}

int main(int argc, char **argv)
{
	if (argc != 2)
		return 2;
	pid_t first = (pid_t)atol(argv[1]);
	struct vaccel_session s;
	check(vaccel_session_init(&s, 0) == 0, "a session on two instances");
	check(sgemm_ok(&s), "sgemm on the first agent");
	check(kill(first, SIGKILL) == 0, "the first agent killed");
	for (int i = 0; i < 500 && kill(first, 0) == 0; i++)
		usleep(10000);
	usleep(50000); /* its socket closed: the connection reads end-of-stream */
	check(sgemm_ok(&s), "the same session's sgemm, now on the second agent");
	check(sgemm_ok(&s), "and the next one");
	check(vaccel_session_release(&s) == 0, "released");
	struct vaccel_session t;
	check(vaccel_session_init(&t, 0) == 0 && sgemm_ok(&t), "a new session: the second agent");
	vaccel_session_release(&t);
	printf("1..%d\n", count);
	return failures ? 1 : 0;
}
