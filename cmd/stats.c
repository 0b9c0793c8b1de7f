/* SPDX-License-Identifier: Apache-2.0 */
/* Latency summaries for --iterations. */
#include <stdlib.h>
#include <time.h>
#include "cmd.h"

uint64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

/* Nearest-rank percentile of a sorted array. */
static double percentile(const uint64_t *sorted, size_t n, double p)
{
	size_t rank = (size_t)(p / 100.0 * (double)n + 0.999999);
	if (rank < 1)
		rank = 1;
	if (rank > n)
		rank = n;
	return (double)sorted[rank - 1] / 1e3;
}

void latency_summary(uint64_t *ns, size_t n, struct latency *out)
{
	*out = (struct latency){ 0 };
	if (!n)
		return;
	qsort(ns, n, sizeof(*ns), cmp_u64);
	double sum = 0;
	for (size_t i = 0; i < n; i++)
		sum += (double)ns[i];
	out->mean = sum / (double)n / 1e3;
	out->p50 = percentile(ns, n, 50);
	out->p99 = percentile(ns, n, 99);
	out->min = (double)ns[0] / 1e3;
	out->max = (double)ns[n - 1] / 1e3;
}
