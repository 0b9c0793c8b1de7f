/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Profiling regions, as vAccel's (layout, names and behaviour). Every
 * function does nothing and returns VACCEL_OK (print_all_to_buf: 0) unless
 * profiling is on: VACCEL_PROFILING_ENABLED=1|true in the environment (read
 * at each call, so it can be flipped at run time) or the profiling_enabled
 * of the config given to vaccel_bootstrap_with_config(). Results are
 * logged at the info level ("[prof] NAME: total_time: T nsec nr_entries:
 * N"). A region is not thread-safe: use one per thread.
 */
#ifndef VACCEL_PROF_H
#define VACCEL_PROF_H

#include <vaccel/types.h>

struct vaccel_prof_sample {
	uint64_t start; /* ns, CLOCK_MONOTONIC, when the region was entered */
	uint64_t time;  /* ns spent inside */
};

struct vaccel_prof_region {
	const char *name;
	bool name_owned; /* name is ours to free (region_init) */
	size_t nr_entries;
	struct vaccel_prof_sample *samples;
	size_t size; /* samples allocated */
};

#define VACCEL_PROF_REGION_INIT(name) { (name), false, 0, NULL, 0 }

#ifdef __cplusplus
extern "C" {
#endif

bool vaccel_prof_enabled(void);

/*
 * A region with a copy of `name`, or (name NULL) an owned, zeroed name
 * buffer of 256 bytes the caller may fill; release frees it.
 */
int vaccel_prof_region_init(struct vaccel_prof_region *region, const char *name);
/* Open a sample; stop closes the last one (VACCEL_ENOENT when none). */
int vaccel_prof_region_start(struct vaccel_prof_region *region);
int vaccel_prof_region_stop(const struct vaccel_prof_region *region);
int vaccel_prof_region_print(const struct vaccel_prof_region *region);
/* Frees the samples and an owned name; the region is empty after. */
int vaccel_prof_region_release(struct vaccel_prof_region *region);

/*
 * Arrays of regions. start/stop_by_name act on the last region of that
 * name (VACCEL_EINVAL when none has it). regions_init gives each region an
 * owned, zeroed 256-byte name buffer.
 */
int vaccel_prof_regions_start_by_name(struct vaccel_prof_region *regions,
				      int nregions, const char *name);
int vaccel_prof_regions_stop_by_name(struct vaccel_prof_region *regions,
				     int nregions, const char *name);
int vaccel_prof_regions_init(struct vaccel_prof_region *regions, int nregions);
int vaccel_prof_regions_release(struct vaccel_prof_region *regions,
				int nregions);
int vaccel_prof_regions_print_all(struct vaccel_prof_region *regions,
				  int nregions);
/*
 * vAccel's contract: with tbuf NULL, returns the bytes the lines need
 * (each line with its NUL). Otherwise *tbuf gets a malloc'd buffer of
 * tbuf_len bytes (the caller frees it) holding the "[prof] ..." line of
 * each region with samples, one after the other, each ended by a NUL and
 * cut at tbuf_len; returns `size` (the number of regions). -VACCEL_EINVAL
 * or -VACCEL_ENOMEM on error.
 */
int vaccel_prof_regions_print_all_to_buf(char **tbuf, size_t tbuf_len,
					 struct vaccel_prof_region *regions,
					 int size);

#ifdef __cplusplus
}
#endif

#endif /* VACCEL_PROF_H */
