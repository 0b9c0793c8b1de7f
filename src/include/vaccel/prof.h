/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Profiling regions, as vAccel's. Recording happens only when the
 * environment sets VACCEL_PROFILING_ENABLED=1 (read at each call, so it can
 * be flipped at run time); print writes to stderr. A region is not
 * thread-safe: use one per thread.
 */
#ifndef VACCEL_PROF_H
#define VACCEL_PROF_H

#include <vaccel/types.h>

struct vaccel_prof_sample {
	uint64_t start; /* ns, CLOCK_MONOTONIC */
	uint64_t time;  /* ns spent */
};

struct vaccel_prof_region {
	const char *name;
	bool name_owned;
	struct vaccel_prof_sample *samples;
	size_t nr_entries;
	size_t size;
};

#define VACCEL_PROF_REGION_INIT(name) { (name), false, NULL, 0, 0 }

#ifdef __cplusplus
extern "C" {
#endif

int vaccel_prof_region_init(struct vaccel_prof_region *region, const char *name);
int vaccel_prof_region_start(struct vaccel_prof_region *region);
int vaccel_prof_region_stop(struct vaccel_prof_region *region);
/* Prints "[prof] NAME: total_time: T nsec nr_entries: N" to stderr. */
int vaccel_prof_region_print(const struct vaccel_prof_region *region);
int vaccel_prof_region_release(struct vaccel_prof_region *region);
/* vaccel extension: whether VACCEL_PROFILING_ENABLED turned recording on. */
bool vaccel_prof_enabled(void);

#ifdef __cplusplus
}
#endif

#endif /* VACCEL_PROF_H */
