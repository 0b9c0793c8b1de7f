/* SPDX-License-Identifier: Apache-2.0 */
/* Wire-visible values, names, profiling regions, logging, image op stubs. */
#include <sys/stat.h>
#include "unit.h"

START_TEST(vaccel_values)
{
	/* Op and arg type values travel on the wire: they must match vAccel. */
	ck_assert_int_eq(VACCEL_OP_NOOP, 0);
	ck_assert_int_eq(VACCEL_OP_IMAGE_CLASSIFY, 3);
	ck_assert_int_eq(VACCEL_OP_IMAGE_DEPTH, 7);
	ck_assert_int_eq(VACCEL_OP_TORCH_SGEMM, 16);
	ck_assert_int_eq(VACCEL_OP_BLAS_SGEMM, 17);
	ck_assert_int_eq(VACCEL_OP_OPENCV, 23);
	ck_assert_int_eq(VACCEL_OP_IMAGE_ANALYZE, 24); /* first vaccel extension */
	ck_assert_int_eq(VACCEL_ARG_INT32, 5);
	ck_assert_int_eq(VACCEL_ARG_FLOAT32_ARRAY, 18);
	ck_assert_int_eq(VACCEL_ARG_STRING, 27);
	ck_assert_int_eq(VACCEL_ARG_CUSTOM, 29);
	ck_assert_int_eq(VACCEL_RESOURCE_MODEL, 2);
	ck_assert_int_eq(VACCEL_ENOTSUP, ENOTSUP);
	ck_assert_int_eq(VACCEL_EPERM, EPERM);
	ck_assert_int_eq(sizeof(vaccel_id_t), 8);
}
END_TEST

START_TEST(names)
{
	ck_assert_str_eq(vaccel_op_name(VACCEL_OP_BLAS_SGEMM), "blas_sgemm");
	ck_assert_str_eq(vaccel_op_name(VACCEL_OP_IMAGE_ANALYZE), "image_analyze");
	ck_assert_ptr_null(vaccel_op_name(VACCEL_OP_MAX));
	ck_assert_str_eq(vaccel_arg_type_short_name(VACCEL_ARG_UINT64_ARRAY), "uint64_array");
	ck_assert_uint_eq(vaccel_arg_type_elem_size(VACCEL_ARG_FLOAT64), 8);
	ck_assert_uint_eq(vaccel_arg_type_elem_size(VACCEL_ARG_BUFFER), 0);
	for (int op = 0; op < VACCEL_OP_MAX; op++)
		ck_assert_ptr_nonnull(vaccel_op_name(op));
	for (int t = 0; t < VACCEL_ARG_MAX; t++)
		ck_assert_ptr_nonnull(vaccel_arg_type_short_name(t));
	ck_assert_str_eq(vaccel_strerror(VACCEL_OK), "success");
	ck_assert_ptr_nonnull(strstr(vaccel_strerror(VACCEL_ENOTSUP), "not supported"));
	ck_assert_str_eq(vaccel_version(), PACKAGE_VERSION);
}
END_TEST

START_TEST(prof_regions)
{
	struct vaccel_prof_region off = VACCEL_PROF_REGION_INIT("off");
	unsetenv("VACCEL_PROFILING_ENABLED");
	ck_assert_int_eq(vaccel_prof_region_start(&off), 0);
	ck_assert_int_eq(vaccel_prof_region_stop(&off), 0);
	ck_assert_uint_eq(off.nr_entries, 0);

	setenv("VACCEL_PROFILING_ENABLED", "1", 1);
	struct vaccel_prof_region r = VACCEL_PROF_REGION_INIT("region");
	for (int i = 0; i < 100; i++) {
		ck_assert_int_eq(vaccel_prof_region_start(&r), 0);
		ck_assert_int_eq(vaccel_prof_region_stop(&r), 0);
	}
	ck_assert_uint_eq(r.nr_entries, 100);
	ck_assert_int_eq(vaccel_prof_region_print(&r), 0);
	ck_assert_int_eq(vaccel_prof_region_release(&r), 0);
	ck_assert_uint_eq(r.nr_entries, 0);
	struct vaccel_prof_region named;
	ck_assert_int_eq(vaccel_prof_region_init(&named, "heap-name"), 0);
	ck_assert_str_eq(named.name, "heap-name");
	ck_assert_int_eq(vaccel_prof_region_release(&named), 0);
	unsetenv("VACCEL_PROFILING_ENABLED");
}
END_TEST

START_TEST(log_file_and_level)
{
	char path[] = "/tmp/vaccel-log-XXXXXX";
	int fd = mkstemp(path);
	close(fd);
	setenv("VACCEL_LOG_FILE", path, 1);
	setenv("VACCEL_LOG_LEVEL", "4", 1);
	ck_assert_int_eq(unit_profile("plugins: [noop]\n"), 0);
	ck_assert_int_eq(vaccel_log_get_level(), VACCEL_LOG_DEBUG);
	struct vaccel_session s;
	ck_assert_int_eq(vaccel_session_init(&s, 0), 0);
	vaccel_noop(&s);
	vaccel_session_release(&s);
	unsetenv("VACCEL_LOG_FILE");
	unsetenv("VACCEL_LOG_LEVEL");
	char buf[4096] = "";
	FILE *f = fopen(path, "r");
	size_t n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	ck_assert_msg(strstr(buf, "vaccel: debug: loaded plugin noop"), "log: %s", buf);
	ck_assert_ptr_nonnull(strstr(buf, "noop -> noop"));
	unlink(path);

	/* The profile's level applies when nothing overrides it. */
	ck_assert_int_eq(unit_profile("log-level: warn\nplugins: [noop]\n"), 0);
	ck_assert_int_eq(vaccel_log_get_level(), VACCEL_LOG_WARN);
	/* An explicit level beats the profile. */
	vaccel_cleanup();
	char *p = unit_temp_file("log-level: warn\nplugins: [noop]\n", ".yaml");
	ck_assert_int_eq(vaccel_bootstrap_profile(p, 3, NULL, 0), 0);
	ck_assert_int_eq(vaccel_log_get_level(), VACCEL_LOG_INFO);
	unlink(p);
	free(p);
}
END_TEST

START_TEST(image_ops_unsupported_natively)
{
	struct vaccel_session s;
	unsigned char text[64], img[64];
	ck_assert_int_eq(unit_profile("plugins: [openblas, exec]\n"), 0);
	ck_assert_int_eq(vaccel_session_init(&s, 0), 0);
	ck_assert_int_eq(vaccel_image_classification(&s, "jpg", text, img, 3, 64, 64),
			 VACCEL_ENOTSUP);
	ck_assert_int_eq(vaccel_image_pose(&s, "jpg", img, 3, 64), VACCEL_ENOTSUP);
	/* Bad arguments are caught even before a plugin would be asked. */
	ck_assert_int_eq(unit_profile("plugins: [noop]\n"), 0);
	vaccel_session_release(&s);
	ck_assert_int_eq(vaccel_session_init(&s, 0), 0);
	ck_assert_int_eq(vaccel_image_depth(&s, NULL, img, 3, 64), VACCEL_EINVAL);
	ck_assert_int_eq(vaccel_image_depth(&s, "jpg", img, 0, 64), VACCEL_EINVAL);
	/* noop truncates to the caller's buffer and terminates it. */
	ck_assert_int_eq(vaccel_image_classification(&s, "jpg", text, img, 3, 3, 5), 0);
	ck_assert_str_eq((char *)text, "Th");
	ck_assert_str_eq((char *)img, "This");
	vaccel_session_release(&s);
}
END_TEST

START_TEST(lazy_bootstrap_failure_is_reported)
{
	vaccel_cleanup();
	setenv("VACCEL_PROFILE", "/nonexistent/profile.yaml", 1);
	struct vaccel_session s;
	ck_assert_int_eq(vaccel_session_init(&s, 0), VACCEL_ENOENT);
	ck_assert_int_eq(vaccel_session_init(&s, 0), VACCEL_ENOENT);
	unsetenv("VACCEL_PROFILE");
	vaccel_cleanup();
	ck_assert_int_eq(vaccel_session_init(&s, 0), 0);
	vaccel_session_release(&s);
}
END_TEST

static Suite *unit_suite(void)
{
	Suite *s = suite_create("misc");
	TCase *tc = tcase_create("misc");
	tcase_add_test(tc, vaccel_values);
	tcase_add_test(tc, names);
	tcase_add_test(tc, prof_regions);
	tcase_add_test(tc, log_file_and_level);
	tcase_add_test(tc, image_ops_unsupported_natively);
	tcase_add_test(tc, lazy_bootstrap_failure_is_reported);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_MAIN()
