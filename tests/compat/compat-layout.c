/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The public structs vAccel programs see, laid out as vAccel's: sizes and
 * field offsets written from vAccel's headers (LP64: x86_64, aarch64). A
 * program or binding built for vAccel reads and writes these by offset.
 */
#include <stddef.h>
#include "../unit/unit.h"

#define FIELD(type, field, off) \
	ck_assert_msg(offsetof(type, field) == (off), #type "." #field " at %zu, vAccel's at %d", \
		      offsetof(type, field), (off))
#define SIZE(type, size) \
	ck_assert_msg(sizeof(type) == (size), "sizeof(" #type ") %zu, vAccel's %d", sizeof(type), (size))

START_TEST(arg)
{
	SIZE(struct vaccel_arg, 32);
	FIELD(struct vaccel_arg, buf, 0);
	FIELD(struct vaccel_arg, size, 8);
	FIELD(struct vaccel_arg, type, 16);
	FIELD(struct vaccel_arg, custom_type_id, 20);
	FIELD(struct vaccel_arg, owned, 24);
	SIZE(vaccel_arg_type_t, 4);
}
END_TEST

START_TEST(arg_array)
{
	SIZE(struct vaccel_arg_array, 40);
	FIELD(struct vaccel_arg_array, args, 0);
	FIELD(struct vaccel_arg_array, count, 8);
	FIELD(struct vaccel_arg_array, capacity, 16);
	FIELD(struct vaccel_arg_array, position, 24);
	FIELD(struct vaccel_arg_array, owned, 32);
}
END_TEST

START_TEST(config)
{
	SIZE(struct vaccel_config, 32);
	FIELD(struct vaccel_config, plugins, 0);
	FIELD(struct vaccel_config, log_level, 8);
	FIELD(struct vaccel_config, log_file, 16);
	FIELD(struct vaccel_config, profiling_enabled, 24);
	FIELD(struct vaccel_config, version_ignore, 25);
}
END_TEST

START_TEST(blob)
{
	SIZE(struct vaccel_blob, 56);
	FIELD(struct vaccel_blob, type, 0);
	FIELD(struct vaccel_blob, name, 8);
	FIELD(struct vaccel_blob, path, 16);
	FIELD(struct vaccel_blob, path_owned, 24);
	FIELD(struct vaccel_blob, data, 32);
	FIELD(struct vaccel_blob, data_owned, 40);
	FIELD(struct vaccel_blob, size, 48);
	SIZE(vaccel_blob_type_t, 4);
	SIZE(vaccel_path_type_t, 4);
}
END_TEST

/*
 * The numbers below are vAccel's on x86_64, whose glibc pthread_mutex_t is
 * 40 bytes; on aarch64 it is 48, and the fields after a mutex move by the
 * difference in vAccel's own build there as in ours.
 */
#define MUTEX_EXTRA ((int)sizeof(pthread_mutex_t) - 40)

START_TEST(resource)
{
	SIZE(struct vaccel_resource, 152 + MUTEX_EXTRA);
	FIELD(struct vaccel_resource, id, 0);
	FIELD(struct vaccel_resource, remote_id, 8);
	FIELD(struct vaccel_resource, type, 16);
	FIELD(struct vaccel_resource, path_type, 20);
	FIELD(struct vaccel_resource, paths, 24);
	FIELD(struct vaccel_resource, nr_paths, 32);
	FIELD(struct vaccel_resource, rundir, 40);
	FIELD(struct vaccel_resource, blobs, 48);
	FIELD(struct vaccel_resource, nr_blobs, 56);
	FIELD(struct vaccel_resource, entry, 64);
	FIELD(struct vaccel_resource, sessions, 80);
	FIELD(struct vaccel_resource, sessions_lock, 96);
	FIELD(struct vaccel_resource, refcount, 136 + MUTEX_EXTRA);
	FIELD(struct vaccel_resource, plugin_priv, 144 + MUTEX_EXTRA);
	SIZE(vaccel_resource_type_t, 4);
	SIZE(struct vaccel_list_entry, 16);
}
END_TEST

START_TEST(session)
{
	SIZE(struct vaccel_session, 4264 + MUTEX_EXTRA);
	FIELD(struct vaccel_session, id, 0);
	FIELD(struct vaccel_session, remote_id, 8);
	FIELD(struct vaccel_session, hint, 16);
	FIELD(struct vaccel_session, is_virtio, 20);
	FIELD(struct vaccel_session, rundir, 21);
	FIELD(struct vaccel_session, entry, 4120);
	FIELD(struct vaccel_session, resources, 4136);
	FIELD(struct vaccel_session, resource_counts, 4184);
	FIELD(struct vaccel_session, resources_lock, 4208);
	FIELD(struct vaccel_session, plugin, 4248 + MUTEX_EXTRA);
	FIELD(struct vaccel_session, priv, 4256 + MUTEX_EXTRA);
}
END_TEST

START_TEST(prof)
{
	SIZE(struct vaccel_prof_sample, 16);
	FIELD(struct vaccel_prof_sample, start, 0);
	FIELD(struct vaccel_prof_sample, time, 8);
	SIZE(struct vaccel_prof_region, 40);
	FIELD(struct vaccel_prof_region, name, 0);
	FIELD(struct vaccel_prof_region, name_owned, 8);
	FIELD(struct vaccel_prof_region, nr_entries, 16);
	FIELD(struct vaccel_prof_region, samples, 24);
	FIELD(struct vaccel_prof_region, size, 32);
	/* The static initializer fills the fields in vAccel's order. */
	struct vaccel_prof_region r = VACCEL_PROF_REGION_INIT("r");
	ck_assert_str_eq(r.name, "r");
	ck_assert(!r.name_owned && r.nr_entries == 0 && !r.samples && r.size == 0);
}
END_TEST

static Suite *unit_suite(void)
{
	Suite *s = suite_create("compat-layout");
	TCase *tc = tcase_create("layout");
	if (sizeof(void *) == 8 && sizeof(long) == 8) {
		tcase_add_test(tc, arg);
		tcase_add_test(tc, arg_array);
		tcase_add_test(tc, config);
		tcase_add_test(tc, blob);
		tcase_add_test(tc, resource);
		tcase_add_test(tc, session);
		tcase_add_test(tc, prof);
	}
	suite_add_tcase(s, tc);
	return s;
}

UNIT_MAIN()
