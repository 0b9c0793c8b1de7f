/* SPDX-License-Identifier: Apache-2.0 */
/* Profiling regions (vAccel's API), recording only when enabled. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "internal.h"

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

int vaccel_prof_region_init(struct vaccel_prof_region *region, const char *name)
{
	if (!region || !name)
		return VACCEL_EINVAL;
	char *copy = strdup(name);
	if (!copy)
		return VACCEL_ENOMEM;
	*region = (struct vaccel_prof_region){ .name = copy, .name_owned = true };
	return VACCEL_OK;
}

int vaccel_prof_region_start(struct vaccel_prof_region *region)
{
	if (!region)
		return VACCEL_EINVAL;
	if (!vaccel_prof_enabled())
		return VACCEL_OK;
	if (region->nr_entries == region->size) {
		size_t size = region->size ? region->size * 2 : 64;
		void *s = realloc(region->samples, size * sizeof(*region->samples));
		if (!s)
			return VACCEL_ENOMEM;
		region->samples = s;
		region->size = size;
	}
	region->samples[region->nr_entries++] =
		(struct vaccel_prof_sample){ .start = vaccel_now_ns() };
	return VACCEL_OK;
}

int vaccel_prof_region_stop(struct vaccel_prof_region *region)
{
	if (!region)
		return VACCEL_EINVAL;
	if (!vaccel_prof_enabled() || region->nr_entries == 0)
		return VACCEL_OK;
	struct vaccel_prof_sample *s = &region->samples[region->nr_entries - 1];
	if (s->time == 0)
		s->time = vaccel_now_ns() - s->start;
	return VACCEL_OK;
}

int vaccel_prof_region_print(const struct vaccel_prof_region *region)
{
	if (!region)
		return VACCEL_EINVAL;
	if (!vaccel_prof_enabled())
		return VACCEL_OK;
	uint64_t total = 0;
	for (size_t i = 0; i < region->nr_entries; i++)
		total += region->samples[i].time;
	/* To stderr whatever the log level: the caller asked for it. */
	fprintf(stderr, "[prof] %s: total_time: %llu nsec nr_entries: %zu\n",
		   region->name ? region->name : "(unnamed)",
		   (unsigned long long)total, region->nr_entries);
	return VACCEL_OK;
}

int vaccel_prof_region_release(struct vaccel_prof_region *region)
{
	if (!region)
		return VACCEL_EINVAL;
	free(region->samples);
	if (region->name_owned)
		free((char *)region->name);
	region->samples = NULL;
	region->nr_entries = region->size = 0;
	region->name = NULL;
	region->name_owned = false;
	return VACCEL_OK;
}
