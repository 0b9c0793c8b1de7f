/* SPDX-License-Identifier: Apache-2.0 */
/* vAccel's logging: vaccel_log_init/shutdown, VACCEL_LOG_LEVEL/FILE, trace and fatal. */
#include "../unit/unit.h"

/* The log file's text (malloc'd), read after a shutdown flushed it. */
static char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	ck_assert_ptr_nonnull(f);
	static char text[8192];
	size_t n = fread(text, 1, sizeof(text) - 1, f);
	text[n] = '\0';
	fclose(f);
	return strdup(text);
}

START_TEST(init_reads_the_environment)
{
	char *path = unit_temp_file("", ".log");
	setenv("VACCEL_LOG_FILE", path, 1);
	setenv("VACCEL_LOG_LEVEL", "2", 1);
	ck_assert_int_eq(vaccel_log_init(), VACCEL_OK);
	ck_assert_int_eq(vaccel_log_get_level(), VACCEL_LOG_WARN);
	vaccel_warn("shown %d", 1);
	vaccel_info("hidden %d", 2);
	vaccel_fatal("fatal %d", 3);
	vaccel_trace("hidden trace");
	ck_assert_str_eq(vaccel_log_last_error(), "fatal 3");
	ck_assert_int_eq(vaccel_log_shutdown(), VACCEL_OK);
	char *text = slurp(path);
	ck_assert_ptr_nonnull(strstr(text, "vaccel: warn: shown 1\n"));
	ck_assert_ptr_nonnull(strstr(text, "vaccel: fatal: fatal 3\n"));
	ck_assert_ptr_null(strstr(text, "hidden"));
	free(text);

	/* trace shows at level 5 (a name works too); after shutdown, stderr. */
	setenv("VACCEL_LOG_LEVEL", "trace", 1);
	ck_assert_int_eq(vaccel_log_init(), VACCEL_OK);
	ck_assert_int_eq((int)vaccel_log_get_level(), VACCEL_LOG_TRACE_LEVEL);
	vaccel_trace("traced %s", "here");
	vaccel_log_shutdown();
	text = slurp(path);
	ck_assert_ptr_nonnull(strstr(text, "vaccel: trace: traced here\n"));
	free(text);

	setenv("VACCEL_LOG_LEVEL", "loud", 1);
	ck_assert_int_eq(vaccel_log_init(), VACCEL_EINVAL);
	unsetenv("VACCEL_LOG_FILE");
	unsetenv("VACCEL_LOG_LEVEL");
	vaccel_log_set_level(VACCEL_LOG_ERROR);
	unlink(path);
	free(path);
}
END_TEST

/* The level names are vAccel's: four, from 1. */
START_TEST(levels_are_vaccels)
{
	ck_assert_int_eq(VACCEL_LOG_ERROR, 1);
	ck_assert_int_eq(VACCEL_LOG_WARN, 2);
	ck_assert_int_eq(VACCEL_LOG_INFO, 3);
	ck_assert_int_eq(VACCEL_LOG_DEBUG, 4);
	ck_assert_str_eq(vaccel_log_level_to_str(VACCEL_LOG_DEBUG), "VACCEL_LOG_DEBUG");
}
END_TEST

/* Bootstrap opens VACCEL_LOG_FILE; cleanup closes it, as vAccel's. */
START_TEST(bootstrap_and_cleanup)
{
	char *path = unit_temp_file("", ".log");
	vaccel_cleanup();
	setenv("VACCEL_LOG_FILE", path, 1);
	setenv("VACCEL_LOG_LEVEL", "4", 1);
	setenv("VACCEL_PLUGINS", "noop", 1);
	ck_assert_int_eq(vaccel_bootstrap(), VACCEL_OK);
	vaccel_debug("between");
	ck_assert_int_eq(vaccel_cleanup(), VACCEL_OK);
	vaccel_debug("after cleanup"); /* to stderr, not the file */
	unsetenv("VACCEL_LOG_FILE");
	unsetenv("VACCEL_LOG_LEVEL");
	unsetenv("VACCEL_PLUGINS");
	vaccel_log_set_level(VACCEL_LOG_ERROR);
	char *text = slurp(path);
	ck_assert_ptr_nonnull(strstr(text, "vaccel: debug: between\n"));
	ck_assert_ptr_null(strstr(text, "after cleanup"));
	free(text);
	unlink(path);
	free(path);
}
END_TEST

static Suite *unit_suite(void)
{
	Suite *s = suite_create("compat-log");
	TCase *tc = tcase_create("log");
	tcase_add_test(tc, init_reads_the_environment);
	tcase_add_test(tc, levels_are_vaccels);
	tcase_add_test(tc, bootstrap_and_cleanup);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_MAIN()
