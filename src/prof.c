/* SPDX-License-Identifier: Apache-2.0 */
/* Profiling regions (vAccel's API), recording only when enabled. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "internal.h"

/* vAccel's size for the name buffer that init without a name hands out. */
enum { PROF_NAME_MAX = 256, PROF_MIN_SAMPLES = 64 };

uint64_t vaccel_now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static bool prof_on; /* vaccel_bootstrap_with_config's profiling_enabled */

void prof_set_enabled(bool on)
{
	__atomic_store_n(&prof_on, on, __ATOMIC_RELAXED);
}

bool vaccel_prof_enabled(void)
{
	if (__atomic_load_n(&prof_on, __ATOMIC_RELAXED))
		return true;
	/* Read each time: cheap, and tests may flip it between runs. */
	const char *v = getenv("VACCEL_PROFILING_ENABLED");
	return v && (!strcmp(v, "1") || !strcmp(v, "true"));
}

static int grow_samples(struct vaccel_prof_region *region)
{
	size_t size = region->size ? region->size * 2 : PROF_MIN_SAMPLES;
	void *s = realloc(region->samples, size * sizeof(*region->samples));
	if (!s)
		return VACCEL_ENOMEM;
	region->samples = s;
	region->size = size;
	return VACCEL_OK;
}

int prof_region_open_sample(struct vaccel_prof_region *region)
{
	if (region->nr_entries == region->size && grow_samples(region))
		return VACCEL_ENOMEM;
	region->samples[region->nr_entries++] =
		(struct vaccel_prof_sample){ .start = vaccel_now_ns() };
	return VACCEL_OK;
}

int prof_region_close_sample(const struct vaccel_prof_region *region)
{
	if (region->nr_entries == 0)
		return VACCEL_ENOENT;
	struct vaccel_prof_sample *s = &region->samples[region->nr_entries - 1];
	s->time = vaccel_now_ns() - s->start;
	return VACCEL_OK;
}

uint64_t prof_region_total(const struct vaccel_prof_region *region)
{
	uint64_t total = 0;
	for (size_t i = 0; i < region->nr_entries; i++)
		total += region->samples[i].time;
	return total;
}

int vaccel_prof_region_init(struct vaccel_prof_region *region, const char *name)
{
	if (!vaccel_prof_enabled())
		return VACCEL_OK;
	if (!region)
		return VACCEL_EINVAL;
	char *copy = name ? strdup(name) : calloc(1, PROF_NAME_MAX);
	if (!copy)
		return VACCEL_ENOMEM;
	*region = (struct vaccel_prof_region){ .name = copy, .name_owned = true };
	return VACCEL_OK;
}

int vaccel_prof_region_start(struct vaccel_prof_region *region)
{
	if (!vaccel_prof_enabled())
		return VACCEL_OK;
	if (!region)
		return VACCEL_EINVAL;
	return prof_region_open_sample(region);
}

int vaccel_prof_region_stop(const struct vaccel_prof_region *region)
{
	if (!vaccel_prof_enabled())
		return VACCEL_OK;
	if (!region)
		return VACCEL_EINVAL;
	return prof_region_close_sample(region);
}

int vaccel_prof_region_print(const struct vaccel_prof_region *region)
{
	if (!vaccel_prof_enabled())
		return VACCEL_OK;
	if (!region)
		return VACCEL_EINVAL;
	if (region->nr_entries)
		vaccel_info(PROF_LINE_FMT, PROF_LINE_ARGS(region));
	return VACCEL_OK;
}

int vaccel_prof_region_release(struct vaccel_prof_region *region)
{
	if (!vaccel_prof_enabled())
		return VACCEL_OK;
	if (!region)
		return VACCEL_EINVAL;
	free(region->samples);
	if (region->name_owned)
		free((char *)region->name);
	*region = (struct vaccel_prof_region){ 0 };
	return VACCEL_OK;
}
