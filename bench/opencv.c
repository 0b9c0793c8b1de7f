/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The opencv baselines: OpenCV dnn called directly, without vaccel, for the
 * classify and infer workloads. The work runs in vaccel-bench-opencv
 * (bench/opencv-direct.cpp, C++ as OpenCV is), a child that prints one
 * timed call's nanoseconds per line; here they become the baseline's
 * samples.
 */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "bench.h"

extern char **environ;

static void fail(struct bench_baseline *out, const char *what, const char *why)
{
	snprintf(out->error, sizeof(out->error), "%s: %s", what, why);
	bench_stats(NULL, 0, 0, &out->s);
}

/* The child's lines into s; 0, or an errno. */
static int read_samples(FILE *f, struct bench_samples *s)
{
	char line[64];
	while (fgets(line, sizeof(line), f)) {
		if (s->n == s->cap) {
			size_t cap = s->cap ? 2 * s->cap : 256;
			uint64_t *ns = cap <= BENCH_MAX_SAMPLES ? realloc(s->ns, cap * sizeof(*ns)) : NULL;
			if (!ns)
				return ENOMEM;
			s->ns = ns;
			s->cap = cap;
		}
		s->ns[s->n++] = strtoull(line, NULL, 10);
	}
	return ferror(f) ? EIO : 0;
}

/* The first line the child wrote to `fd` (its stderr), without the newline. */
static void first_line(int fd, char *buf, size_t len)
{
	ssize_t n = read(fd, buf, len - 1);
	buf[n > 0 ? n : 0] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
}

/*
 * Run the child with its stdout and stderr on pipes: the samples from one,
 * the reason it failed from the other (read after stdout ends: it writes a
 * line at most). 0 when it exited 0; else an errno, with `why` set when
 * the child said why.
 */
static int run_child(const char *helper, char *const argv[], struct bench_samples *s,
		     char *why, size_t whylen)
{
	int out[2], err[2];
	if (pipe2(out, O_CLOEXEC))
		return errno;
	if (pipe2(err, O_CLOEXEC)) {
		int ret = errno;
		close(out[0]);
		close(out[1]);
		return ret;
	}
	posix_spawn_file_actions_t fa;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, out[1], STDOUT_FILENO);
	posix_spawn_file_actions_adddup2(&fa, err[1], STDERR_FILENO);
	pid_t pid;
	int ret = posix_spawn(&pid, helper, &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	close(out[1]);
	close(err[1]);
	if (ret) {
		close(out[0]);
		close(err[0]);
		return ret;
	}
	FILE *f = fdopen(out[0], "r");
	ret = f ? read_samples(f, s) : errno;
	if (f)
		fclose(f); /* a child still writing then gets EPIPE and stops */
	else
		close(out[0]);
	first_line(err[0], why, whylen);
	close(err[0]);
	int st;
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return errno;
	return ret ? ret : WIFEXITED(st) && !WEXITSTATUS(st) ? 0 : ECHILD;
}

void bench_baseline_opencv(const char *helper, const struct bench_workload *w, const char *model,
			   const struct bench_budget *b, struct bench_baseline *out)
{
	char input[300], runs[24], secs[32], warm[24];
	const char *base = strrchr(w->path, '/');
	memset(out, 0, sizeof(*out));
	out->gb_per_s = NAN;
	out->gflops = NAN;
	base = base ? base + 1 : w->path;
	snprintf(out->name, sizeof(out->name), "opencv-%s:%.40s",
		 w->kind == BENCH_CLASSIFY ? "classify" : "infer", base);
	if (access(helper, X_OK)) {
		fail(out, helper, "not built (configure found no OpenCV)");
		return;
	}
	if (access(model, R_OK)) {
		fail(out, model[0] ? model : "the standard classify model",
		     w->kind == BENCH_CLASSIFY ? "not there (vaccel models fetch mobilenet_v2)"
					       : strerror(errno));
		return;
	}
	if (w->kind == BENCH_CLASSIFY) {
		snprintf(input, sizeof(input), "%s", w->path);
	} else {
		size_t o = 0;
		for (size_t i = 0; i < w->ndims && o < sizeof(input); i++)
			o += (size_t)snprintf(input + o, sizeof(input) - o, "%s%lld", i ? "x" : "",
					      (long long)w->dims[i]);
	}
	snprintf(runs, sizeof(runs), "%ld", b->iterations);
	snprintf(secs, sizeof(secs), "%g", b->duration_s);
	long warmup = b->warmup_iterations > 0 ? b->warmup_iterations : 1;
	snprintf(warm, sizeof(warm), "%ld", warmup);
	char *argv[] = { "vaccel-bench-opencv", w->kind == BENCH_CLASSIFY ? "classify" : "infer",
			 (char *)model, input, runs, secs, warm, NULL };
	struct bench_samples s = { 0 };
	char why[sizeof(out->error)] = "";
	int ret = run_child(helper, argv, &s, why, sizeof(why));
	if (ret || !s.n) {
		fail(out, "vaccel-bench-opencv", why[0] ? why : strerror(ret ? ret : EPROTO));
	} else {
		double wall = 0;
		for (size_t i = 0; i < s.n; i++)
			wall += (double)s.ns[i] / 1e9;
		bench_stats(s.ns, s.n, wall, &out->s);
	}
	bench_samples_free(&s);
}
