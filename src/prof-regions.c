/* SPDX-License-Identifier: Apache-2.0 */
/* vAccel's arrays of profiling regions, found by name. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "internal.h"

/* The last region of that name, as vAccel's lookup finds it. */
static struct vaccel_prof_region *by_name(struct vaccel_prof_region *regions,
					  int nregions, const char *name)
{
	struct vaccel_prof_region *found = NULL;
	for (int i = 0; name && i < nregions; i++) {
		if (regions[i].name && !strcmp(regions[i].name, name))
			found = &regions[i];
	}
	return found;
}

int vaccel_prof_regions_start_by_name(struct vaccel_prof_region *regions,
				      int nregions, const char *name)
{
	if (!vaccel_prof_enabled())
		return VACCEL_OK;
	struct vaccel_prof_region *r = regions ? by_name(regions, nregions, name) : NULL;
	if (!r) {
		vaccel_error("[prof] no profiling region named %s", name ? name : "(null)");
		return VACCEL_EINVAL;
	}
	return prof_region_open_sample(r);
}

int vaccel_prof_regions_stop_by_name(struct vaccel_prof_region *regions,
				     int nregions, const char *name)
{
	if (!vaccel_prof_enabled())
		return VACCEL_OK;
	struct vaccel_prof_region *r = regions ? by_name(regions, nregions, name) : NULL;
	if (!r) {
		vaccel_error("[prof] no profiling region named %s", name ? name : "(null)");
		return VACCEL_EINVAL;
	}
	return prof_region_close_sample(r);
}

int vaccel_prof_regions_init(struct vaccel_prof_region *regions, int nregions)
{
	if (!vaccel_prof_enabled())
		return VACCEL_OK;
	if (!regions)
		return VACCEL_EINVAL;
	for (int i = 0; i < nregions; i++) {
		int ret = vaccel_prof_region_init(&regions[i], NULL);
		if (ret) {
			vaccel_prof_regions_release(regions, i);
			return ret;
		}
	}
	return VACCEL_OK;
}

int vaccel_prof_regions_release(struct vaccel_prof_region *regions, int nregions)
{
	if (!vaccel_prof_enabled())
		return VACCEL_OK;
	if (!regions)
		return VACCEL_EINVAL;
	for (int i = 0; i < nregions; i++)
		vaccel_prof_region_release(&regions[i]);
	return VACCEL_OK;
}

int vaccel_prof_regions_print_all(struct vaccel_prof_region *regions, int nregions)
{
	if (!vaccel_prof_enabled())
		return VACCEL_OK;
	if (!regions)
		return VACCEL_EINVAL;
	for (int i = 0; i < nregions; i++)
		vaccel_prof_region_print(&regions[i]);
	return VACCEL_OK;
}

/* Bytes the region's line needs with its NUL; 0 for a region without samples. */
static size_t line_size(const struct vaccel_prof_region *r)
{
	if (!r->nr_entries)
		return 0;
	return (size_t)snprintf(NULL, 0, PROF_LINE_FMT, PROF_LINE_ARGS(r)) + 1;
}

int vaccel_prof_regions_print_all_to_buf(char **tbuf, size_t tbuf_len,
					 struct vaccel_prof_region *regions,
					 int size)
{
	if (!vaccel_prof_enabled())
		return 0;
	if (!regions || size < 0)
		return -VACCEL_EINVAL;
	if (!tbuf) {
		size_t need = 0;
		for (int i = 0; i < size; i++)
			need += line_size(&regions[i]);
		return need > INT32_MAX ? -VACCEL_EINVAL : (int)need;
	}
	*tbuf = calloc(1, tbuf_len ? tbuf_len : 1);
	if (!*tbuf)
		return -VACCEL_ENOMEM;
	size_t used = 0;
	for (int i = 0; i < size && used < tbuf_len; i++) {
		if (!regions[i].nr_entries)
			continue;
		/* Each line keeps its NUL: vAccel's readers walk them that way. */
		snprintf(*tbuf + used, tbuf_len - used, PROF_LINE_FMT,
			 PROF_LINE_ARGS(&regions[i]));
		used += line_size(&regions[i]);
	}
	return size;
}
