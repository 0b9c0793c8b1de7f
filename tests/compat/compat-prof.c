/* SPDX-License-Identifier: Apache-2.0 */
/* vAccel's profiling regions: single regions, arrays by name, the buffer form. */
#include "../unit/unit.h"

static void profiling(bool on)
{
	if (on)
		setenv("VACCEL_PROFILING_ENABLED", "1", 1);
	else
		unsetenv("VACCEL_PROFILING_ENABLED");
}

START_TEST(disabled_does_nothing)
{
	profiling(false);
	struct vaccel_prof_region r = VACCEL_PROF_REGION_INIT("off");
	ck_assert_int_eq(vaccel_prof_region_start(&r), 0);
	ck_assert_int_eq(vaccel_prof_region_stop(&r), 0);
	ck_assert_uint_eq(r.nr_entries, 0);
	/* Even a NULL region is fine while profiling is off, as vAccel's. */
	ck_assert_int_eq(vaccel_prof_region_start(NULL), 0);
	struct vaccel_prof_region u = { 0 };
	ck_assert_int_eq(vaccel_prof_region_init(&u, "x"), 0);
	ck_assert_ptr_null(u.name);
	ck_assert_int_eq(vaccel_prof_regions_print_all_to_buf(NULL, 0, &r, 1), 0);
}
END_TEST

START_TEST(single_region)
{
	profiling(true);
	ck_assert_int_eq(vaccel_prof_region_start(NULL), VACCEL_EINVAL);
	struct vaccel_prof_region r = VACCEL_PROF_REGION_INIT("region");
	ck_assert_int_eq(vaccel_prof_region_stop(&r), VACCEL_ENOENT);
	for (int i = 0; i < 100; i++) {
		ck_assert_int_eq(vaccel_prof_region_start(&r), 0);
		ck_assert_int_eq(vaccel_prof_region_stop(&r), 0);
	}
	ck_assert_uint_eq(r.nr_entries, 100);
	ck_assert_uint_ge(r.size, 100);
	ck_assert_uint_gt(r.samples[99].start, r.samples[0].start);
	ck_assert_int_eq(vaccel_prof_region_print(&r), 0);
	ck_assert_int_eq(vaccel_prof_region_release(&r), 0);
	ck_assert_uint_eq(r.nr_entries, 0);
	ck_assert_ptr_null(r.samples);

	struct vaccel_prof_region blank;
	ck_assert_int_eq(vaccel_prof_region_init(&blank, NULL), 0);
	ck_assert(blank.name_owned);
	ck_assert_str_eq(blank.name, ""); /* a zeroed buffer to fill */
	strcpy((char *)blank.name, "filled");
	ck_assert_int_eq(vaccel_prof_region_release(&blank), 0);
	ck_assert_ptr_null(blank.name);
	profiling(false);
}
END_TEST

START_TEST(arrays_by_name)
{
	profiling(true);
	struct vaccel_prof_region rs[3];
	ck_assert_int_eq(vaccel_prof_regions_init(rs, 3), 0);
	const char *names[] = { "load", "run", "unload" };
	for (int i = 0; i < 3; i++)
		strcpy((char *)rs[i].name, names[i]);
	ck_assert_int_eq(vaccel_prof_regions_start_by_name(rs, 3, "run"), 0);
	ck_assert_int_eq(vaccel_prof_regions_stop_by_name(rs, 3, "run"), 0);
	ck_assert_int_eq(vaccel_prof_regions_start_by_name(rs, 3, "load"), 0);
	ck_assert_int_eq(vaccel_prof_regions_stop_by_name(rs, 3, "load"), 0);
	ck_assert_int_eq(vaccel_prof_regions_start_by_name(rs, 3, "run"), 0);
	ck_assert_int_eq(vaccel_prof_regions_stop_by_name(rs, 3, "run"), 0);
	ck_assert_uint_eq(rs[0].nr_entries, 1);
	ck_assert_uint_eq(rs[1].nr_entries, 2);
	ck_assert_uint_eq(rs[2].nr_entries, 0);
	ck_assert_int_eq(vaccel_prof_regions_start_by_name(rs, 3, "none"), VACCEL_EINVAL);
	ck_assert_int_eq(vaccel_prof_regions_stop_by_name(rs, 3, "unload"), VACCEL_ENOENT);
	ck_assert_int_eq(vaccel_prof_regions_print_all(rs, 3), 0);

	/* Sized first, then written: one NUL-ended line per region with samples. */
	int need = vaccel_prof_regions_print_all_to_buf(NULL, 0, rs, 3);
	ck_assert_int_gt(need, 0);
	char *buf = NULL;
	ck_assert_int_eq(vaccel_prof_regions_print_all_to_buf(&buf, (size_t)need, rs, 3), 3);
	ck_assert_ptr_nonnull(strstr(buf, "[prof] load: total_time: "));
	ck_assert_ptr_nonnull(strstr(buf, " nsec nr_entries: 1"));
	const char *second = buf + strlen(buf) + 1;
	ck_assert_ptr_nonnull(strstr(second, "[prof] run: "));
	ck_assert_ptr_nonnull(strstr(second, "nr_entries: 2"));
	ck_assert_int_eq((int)(strlen(buf) + strlen(second) + 2), need);
	free(buf);
	/* A short buffer is cut, never overrun. */
	ck_assert_int_eq(vaccel_prof_regions_print_all_to_buf(&buf, 10, rs, 3), 3);
	ck_assert_uint_eq(strlen(buf), 9);
	free(buf);

	ck_assert_int_eq(vaccel_prof_regions_release(rs, 3), 0);
	ck_assert_ptr_null(rs[1].samples);
	ck_assert_ptr_null(rs[1].name);
	ck_assert_int_eq(vaccel_prof_regions_init(NULL, 1), VACCEL_EINVAL);
	profiling(false);
}
END_TEST

/* print logs at the info level, as vAccel's: the line reaches the log file. */
START_TEST(print_goes_to_the_log)
{
	char *path = unit_temp_file("", ".log");
	struct vaccel_config c;
	ck_assert_int_eq(vaccel_config_init(&c, "noop", VACCEL_LOG_INFO, path, true, false), 0);
	vaccel_cleanup();
	ck_assert_int_eq(vaccel_bootstrap_with_config(&c), 0);
	vaccel_config_release(&c);
	struct vaccel_prof_region r = VACCEL_PROF_REGION_INIT("logged");
	vaccel_prof_region_start(&r);
	vaccel_prof_region_stop(&r);
	ck_assert_int_eq(vaccel_prof_region_print(&r), 0);
	vaccel_prof_region_release(&r);
	vaccel_cleanup();
	FILE *f = fopen(path, "r");
	ck_assert_ptr_nonnull(f);
	char line[512];
	bool seen = false;
	while (fgets(line, sizeof(line), f))
		seen |= strstr(line, "[prof] logged: total_time: ") != NULL;
	fclose(f);
	unlink(path);
	free(path);
	ck_assert(seen);
}
END_TEST

static Suite *unit_suite(void)
{
	Suite *s = suite_create("compat-prof");
	TCase *tc = tcase_create("prof");
	tcase_add_test(tc, disabled_does_nothing);
	tcase_add_test(tc, single_region);
	tcase_add_test(tc, arrays_by_name);
	tcase_add_test(tc, print_goes_to_the_log);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_MAIN()
