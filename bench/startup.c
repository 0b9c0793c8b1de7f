/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The `startup` baseline: the real vaccel binary (/proc/self/exe, never a
 * libtool wrapper) run whole, `vaccel --profile HOST noop -i 1`. Timed by
 * hyperfine when it is on PATH (the tool users time commands with), else
 * by a fork-exec-wait loop of our own; the baseline says which.
 */
#include <errno.h>
#include <fcntl.h>
#include <json-c/json.h>
#include <math.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "bench.h"

extern char **environ;

/* A run lasts milliseconds: two warm-up runs, at most a hundred timed. */
static long timed_runs(const struct bench_budget *b)
{
	if (!b->iterations || b->iterations > 100)
		return 100;
	return b->iterations < 2 ? 2 : b->iterations; /* hyperfine's minimum */
}

static void fail(struct bench_baseline *out, int err, const char *what)
{
	/* ECHILD: reap's word for a run that did not exit 0 (or could not start). */
	snprintf(out->error, sizeof(out->error), "%s: %s", what,
		 err == ECHILD ? "it did not run to exit status 0" : strerror(err));
	bench_stats(NULL, 0, 0, &out->s);
}

/* Wait for pid; 0 when it exited 0, else ECHILD (or waitpid's errno). */
static int reap(pid_t pid)
{
	int st;
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return errno;
	return WIFEXITED(st) && !WEXITSTATUS(st) ? 0 : ECHILD;
}

/* Run argv with stdout and stderr on /dev/null; 0 when it exited 0. */
static int run_quiet(const char *path, char *const argv[])
{
	posix_spawn_file_actions_t fa;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
	posix_spawn_file_actions_adddup2(&fa, STDOUT_FILENO, STDERR_FILENO);
	pid_t pid;
	int ret = posix_spawn(&pid, path, &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	return ret ? ret : reap(pid);
}

/* ---- our own loop ---- */

struct startup {
	const char *exe, *profile;
};

static int run_once(void *ctx)
{
	struct startup *x = ctx;
	char *argv[] = { "vaccel", "--profile", (char *)x->profile, "noop", "-i", "1", NULL };
	return run_quiet(x->exe, argv);
}

static void by_loop(const char *exe, const char *profile, const struct bench_budget *b,
		    struct bench_baseline *out)
{
	struct startup x = { exe, profile };
	struct bench_budget sb = *b;
	sb.warmup_s = 0;
	sb.warmup_iterations = 2;
	sb.iterations = timed_runs(b);
	struct bench_samples s = { 0 };
	int ret = bench_sample(&sb, run_once, &x, NULL, &s);
	if (ret)
		fail(out, ret, "vaccel --profile HOST noop -i 1");
	else
		bench_stats(s.ns, s.n, (double)(s.t_end - s.t_start) / 1e9, &out->s);
	bench_samples_free(&s);
	snprintf(out->measured_by, sizeof(out->measured_by), "fork-exec");
}

/* ---- hyperfine ---- */

/* hyperfine's full path on PATH, or false. */
static bool find_hyperfine(char *out, size_t len)
{
	const char *path = getenv("PATH");
	if (!path)
		return false;
	for (const char *p = path; *p;) {
		size_t n = strcspn(p, ":");
		if (n && (size_t)snprintf(out, len, "%.*s/hyperfine", (int)n, p) < len &&
		    access(out, X_OK) == 0)
			return true;
		p += n + (p[n] == ':');
	}
	return false;
}

/* A word of hyperfine's command line (it splits like a shell): single-quoted. */
static void quote(char *dst, size_t len, const char *word)
{
	size_t o = 0;
	dst[o++] = '\'';
	for (const char *c = word; *c && o + 5 < len; c++) {
		if (*c == '\'') {
			memcpy(dst + o, "'\\''", 4);
			o += 4;
		} else {
			dst[o++] = *c;
		}
	}
	dst[o++] = '\'';
	dst[o] = '\0';
}

/* The run times (seconds) of hyperfine's --export-json file, as samples. */
static int read_times(const char *file, struct bench_baseline *out)
{
	json_object *doc = json_object_from_file(file), *results, *times;
	if (!doc)
		return EPROTO;
	int ret = EPROTO;
	if (json_object_object_get_ex(doc, "results", &results) &&
	    json_object_array_length(results) == 1 &&
	    json_object_object_get_ex(json_object_array_get_idx(results, 0), "times", &times)) {
		size_t n = json_object_array_length(times);
		uint64_t *ns = calloc(n ? n : 1, sizeof(*ns));
		double wall = 0;
		for (size_t i = 0; ns && i < n; i++) {
			double t = json_object_get_double(json_object_array_get_idx(times, i));
			ns[i] = (uint64_t)llround(t * 1e9);
			wall += t;
		}
		if (ns && n) {
			bench_stats(ns, n, wall, &out->s);
			ret = 0;
		}
		free(ns);
	}
	json_object_put(doc);
	return ret;
}

static int by_hyperfine(const char *hyperfine, const char *exe, const char *profile,
			const struct bench_budget *b, struct bench_baseline *out)
{
	char dir[] = "/tmp/vaccel-bench-startup-XXXXXX", file[64], runs[24];
	char qexe[8200], qprofile[8200], cmd[16600];
	if (!mkdtemp(dir))
		return errno;
	snprintf(file, sizeof(file), "%s/times.json", dir);
	snprintf(runs, sizeof(runs), "%ld", timed_runs(b));
	quote(qexe, sizeof(qexe), exe);
	quote(qprofile, sizeof(qprofile), profile);
	snprintf(cmd, sizeof(cmd), "%s --profile %s noop -i 1", qexe, qprofile);
	char *argv[] = { "hyperfine", "--shell=none", "--style", "none", "--warmup", "2",
			 "--runs", runs, "--export-json", file, cmd, NULL };
	int ret = run_quiet(hyperfine, argv);
	if (!ret)
		ret = read_times(file, out);
	unlink(file);
	rmdir(dir);
	if (!ret)
		snprintf(out->measured_by, sizeof(out->measured_by), "hyperfine");
	return ret;
}

void bench_baseline_startup(const char *profile, const struct bench_budget *b,
			    struct bench_baseline *out)
{
	char exe[4096], hyperfine[4096];
	memset(out, 0, sizeof(*out));
	snprintf(out->name, sizeof(out->name), "startup");
	out->gb_per_s = NAN;
	out->gflops = NAN;
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n <= 0) {
		fail(out, errno, "/proc/self/exe");
		return;
	}
	exe[n] = '\0';
	/* hyperfine failing (an old one, a broken one) leaves our loop's figure. */
	if (find_hyperfine(hyperfine, sizeof(hyperfine)) &&
	    by_hyperfine(hyperfine, exe, profile, b, out) == 0)
		return;
	by_loop(exe, profile, b, out);
}
