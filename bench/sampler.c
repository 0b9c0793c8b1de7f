/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The timing loop every cell and baseline shares: warm-up, then timed calls
 * until the budget is spent; and the statistics of the samples.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "bench.h"

uint64_t bench_clock_ns(clockid_t clock)
{
	struct timespec ts;
	if (clock_gettime(clock, &ts))
		return 0;
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

uint64_t bench_now_ns(void)
{
	return bench_clock_ns(CLOCK_MONOTONIC);
}

void bench_samples_free(struct bench_samples *s)
{
	free(s->ns);
	*s = (struct bench_samples){ 0 };
}

static bool push(struct bench_samples *s, uint64_t ns, size_t max)
{
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 4096;
		if (cap > max)
			cap = max;
		if (cap == s->cap)
			return false;
		uint64_t *p = realloc(s->ns, cap * sizeof(*p));
		if (!p)
			return false;
		s->ns = p;
		s->cap = cap;
	}
	s->ns[s->n++] = ns;
	return true;
}

int bench_sample(const struct bench_budget *b, bench_call_fn fn, void *ctx,
		 volatile int *stop, struct bench_samples *s)
{
	*s = (struct bench_samples){ 0 };
	uint64_t t = bench_now_ns(), end = t + (uint64_t)(b->warmup_s * 1e9);
	int ret;
	for (long i = 0; i < b->warmup_iterations || bench_now_ns() < end; i++) {
		if ((ret = fn(ctx)))
			return ret;
		if (stop && *stop)
			return 0;
	}
	if (b->ready)
		b->ready(b->ready_ctx);
	uint64_t deadline = b->duration_s > 0 ? bench_now_ns() + (uint64_t)(b->duration_s * 1e9)
					      : UINT64_MAX;
	size_t max = b->max_samples > 0 ? (size_t)b->max_samples : BENCH_MAX_SAMPLES;
	uint64_t cpu0 = bench_clock_ns(CLOCK_PROCESS_CPUTIME_ID);
	s->t_start = bench_now_ns();
	uint64_t t0 = s->t_start, t1 = t0;
	for (long i = 0; !b->iterations || i < b->iterations; i++) {
		if ((ret = fn(ctx)))
			return ret;
		t1 = bench_now_ns();
		if (!push(s, t1 - t0, max) || t1 >= deadline || (stop && *stop))
			break;
		t0 = t1;
	}
	s->t_end = t1;
	s->cpu_ns = bench_clock_ns(CLOCK_PROCESS_CPUTIME_ID) - cpu0;
	return 0;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

/* Nearest-rank percentile of a sorted array, in microseconds. */
static double percentile(const uint64_t *sorted, size_t n, double p)
{
	size_t rank = (size_t)ceil(p / 100.0 * (double)n - 1e-9);
	if (rank < 1)
		rank = 1;
	if (rank > n)
		rank = n;
	return (double)sorted[rank - 1] / 1e3;
}

void bench_stats(uint64_t *ns, size_t n, double wall_s, struct bench_stats *out)
{
	memset(out, 0, sizeof(*out));
	out->n = n;
	if (!n) {
		out->mean = out->stddev = out->p50 = out->p90 = out->p99 = NAN;
		out->min = out->max = out->ops_per_s = NAN;
		for (int i = 0; i < BENCH_NR_QUANTILES; i++)
			out->quantiles[i] = NAN;
		return;
	}
	qsort(ns, n, sizeof(*ns), cmp_u64);
	double sum = 0, sq = 0;
	for (size_t i = 0; i < n; i++)
		sum += (double)ns[i];
	double mean = sum / (double)n;
	for (size_t i = 0; i < n; i++)
		sq += ((double)ns[i] - mean) * ((double)ns[i] - mean);
	out->mean = mean / 1e3;
	out->stddev = n > 1 ? sqrt(sq / (double)(n - 1)) / 1e3 : 0;
	out->p50 = percentile(ns, n, 50);
	out->p90 = percentile(ns, n, 90);
	out->p99 = percentile(ns, n, 99);
	out->min = (double)ns[0] / 1e3;
	out->max = (double)ns[n - 1] / 1e3;
	out->ops_per_s = wall_s > 0 ? (double)n / wall_s : NAN;
	for (int i = 0; i < BENCH_NR_QUANTILES; i++)
		out->quantiles[i] = i ? percentile(ns, n, 5.0 * i) : out->min;
}
