/* SPDX-License-Identifier: Apache-2.0 */
/* vAccel's bootstrap and config: vaccel_bootstrap(void), _with_config, env. */
#include "../unit/unit.h"

START_TEST(config_forms)
{
	struct vaccel_config c, d, *h = NULL;
	ck_assert_int_eq(vaccel_config_init(&c, "noop", VACCEL_LOG_WARN, NULL, true, false), 0);
	ck_assert_str_eq(c.plugins, "noop");
	ck_assert_ptr_null(c.log_file);
	ck_assert_int_eq(vaccel_config_init_from(&d, &c), 0);
	ck_assert_ptr_ne(d.plugins, c.plugins);
	ck_assert_str_eq(d.plugins, "noop");
	ck_assert(d.profiling_enabled);
	vaccel_config_print_debug(&d);
	ck_assert_int_eq(vaccel_config_release(&d), 0);
	ck_assert_ptr_null(d.plugins);
	ck_assert_int_eq(vaccel_config_from(&h, &c), 0);
	ck_assert_int_eq(vaccel_config_delete(h), 0);
	ck_assert_int_eq(vaccel_config_new(&h, NULL, VACCEL_LOG_DEBUG, "/dev/null", false, true), 0);
	ck_assert(h->version_ignore);
	vaccel_config_delete(h);
	vaccel_config_release(&c);

	setenv("VACCEL_PLUGINS", "noop:exec", 1);
	setenv("VACCEL_LOG_LEVEL", "3", 1);
	setenv("VACCEL_PROFILING_ENABLED", "1", 1);
	unsetenv("VACCEL_VERSION_IGNORE");
	setenv("VACCEL_IGNORE_VERSION", "1", 1); /* vAccel's old name */
	ck_assert_int_eq(vaccel_config_from_env(&h), 0);
	ck_assert_str_eq(h->plugins, "noop:exec");
	ck_assert_int_eq(h->log_level, VACCEL_LOG_INFO);
	ck_assert(h->profiling_enabled);
	ck_assert(h->version_ignore);
	vaccel_config_delete(h);
	unsetenv("VACCEL_PLUGINS");
	unsetenv("VACCEL_LOG_LEVEL");
	unsetenv("VACCEL_PROFILING_ENABLED");
	unsetenv("VACCEL_IGNORE_VERSION");
	ck_assert_int_eq(vaccel_config_init_from_env(&c), 0);
	ck_assert_ptr_null(c.plugins);
	ck_assert_int_eq(c.log_level, VACCEL_LOG_ERROR);
	vaccel_config_release(&c);
}
END_TEST

START_TEST(bootstrap_forms)
{
	vaccel_cleanup();
	ck_assert(!vaccel_is_initialized());
	ck_assert_ptr_null(vaccel_rundir());
	setenv("VACCEL_PLUGINS", "noop", 1);
	ck_assert_int_eq(vaccel_bootstrap(), 0);
	ck_assert(vaccel_is_initialized());
	ck_assert_int_eq(vaccel_bootstrap(), 0); /* again: nothing to do */
	ck_assert_str_eq(vaccel_config()->plugins, "noop");
	ck_assert_uint_eq(vaccel_plugin_count(), 1);
	const char *dir = vaccel_rundir();
	ck_assert_ptr_nonnull(dir);
	ck_assert_int_eq(access(dir, W_OK), 0);
	char *copy = strdup(dir);
	unsetenv("VACCEL_PLUGINS");
	ck_assert_int_eq(vaccel_cleanup(), 0);
	ck_assert_int_ne(access(copy, F_OK), 0); /* removed */
	free(copy);

	/* A config's plugins replace the profile's; profiling follows it. */
	struct vaccel_config c;
	vaccel_config_init(&c, "noop:noop", 0, NULL, true, false);
	ck_assert_int_eq(vaccel_bootstrap_with_config(&c), 0);
	ck_assert_uint_eq(vaccel_plugin_count(), 2);
	ck_assert(vaccel_prof_enabled());
	vaccel_config_release(&c);
	struct vaccel_session s;
	ck_assert_int_eq(vaccel_session_init(&s, 0), 0);
	ck_assert_int_eq(vaccel_noop(&s), 0);
	vaccel_session_release(&s);
	/* with_config again: the new settings */
	vaccel_config_init(&c, "noop", VACCEL_LOG_ERROR, NULL, false, false);
	ck_assert_int_eq(vaccel_bootstrap_with_config(&c), 0);
	ck_assert_uint_eq(vaccel_plugin_count(), 1);
	ck_assert(!vaccel_prof_enabled());
	vaccel_config_release(&c);
	ck_assert_int_eq(vaccel_bootstrap_with_config(NULL), VACCEL_EINVAL);
	/* our extension: EALREADY once bootstrapped */
	ck_assert_int_eq(vaccel_bootstrap_profile(NULL, 0, NULL, 0), VACCEL_EALREADY);
	vaccel_cleanup();
}
END_TEST

START_TEST(bootstrap_disabled)
{
	vaccel_cleanup();
	setenv("VACCEL_BOOTSTRAP_ENABLED", "0", 1);
	struct vaccel_session s;
	ck_assert_int_eq(vaccel_session_init(&s, 0), VACCEL_ESESS);
	ck_assert(!vaccel_is_initialized());
	setenv("VACCEL_PLUGINS", "noop", 1);
	ck_assert_int_eq(vaccel_bootstrap(), 0); /* an explicit one still works */
	ck_assert_int_eq(vaccel_session_init(&s, 0), 0);
	vaccel_session_release(&s);
	unsetenv("VACCEL_PLUGINS");
	unsetenv("VACCEL_BOOTSTRAP_ENABLED");
	vaccel_cleanup();
}
END_TEST

static Suite *unit_suite(void)
{
	Suite *s = suite_create("compat-config");
	TCase *tc = tcase_create("config");
	tcase_add_test(tc, config_forms);
	tcase_add_test(tc, bootstrap_forms);
	tcase_add_test(tc, bootstrap_disabled);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_MAIN()
