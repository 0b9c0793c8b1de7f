/* SPDX-License-Identifier: Apache-2.0 */
/* The loader: ABI refusal, non-plugins, missing plugins, options, env. */
#include "unit.h"

static char yaml[2048];

START_TEST(mismatched_abi_refused)
{
	snprintf(yaml, sizeof(yaml), "plugins:\n  - path: %s/libvaccel-badabi.so\n",
		 unit_env("TEST_PLUGINS"));
	ck_assert_int_eq(unit_profile(yaml), VACCEL_ELIBBAD);
	/* The message names both versions. */
	unit_assert_err_has("built for plugin ABI version 100");
	unit_assert_err_has("speaks version 2");
	unit_assert_err_has("libvaccel-badabi.so");
	/* Nothing half-loaded stays behind. */
	ck_assert_int_eq(vaccel_plugin_count(), 0);
}
END_TEST

START_TEST(not_a_plugin)
{
	snprintf(yaml, sizeof(yaml), "plugins:\n  - path: %s/libexectest.so\n",
		 unit_env("TEST_PLUGINS"));
	ck_assert_int_eq(unit_profile(yaml), VACCEL_ELIBBAD);
	unit_assert_err_has("not a vaccel plugin");
	snprintf(yaml, sizeof(yaml), "plugins:\n  - path: %s/configs/noop.yaml\n",
		 unit_env("TOP_SRCDIR"));
	ck_assert_int_eq(unit_profile(yaml), VACCEL_ELIBBAD);
	unit_assert_err_has("cannot load");
}
END_TEST

START_TEST(missing_plugin)
{
	ck_assert_int_eq(unit_profile("plugins: [noop, nosuchplugin]\n"), VACCEL_ENOENT);
	unit_assert_err_has("plugin 'nosuchplugin' not found");
	unit_assert_err_has("libvaccel-nosuchplugin.so");
	ck_assert_int_eq(unit_profile("plugins:\n  - path: /nonexistent/libvaccel-x.so\n"),
			 VACCEL_ENOENT);
	unit_assert_err_has("/nonexistent/libvaccel-x.so");
}
END_TEST

START_TEST(unknown_option)
{
	ck_assert_int_eq(unit_profile("plugins:\n  - name: openblas\n    options:\n"
				      "      threads: 2\n      thraeds: 4\n"), VACCEL_EINVAL);
	unit_assert_err_has(":5:7: unknown option 'thraeds' for plugin 'openblas'");
	unit_assert_err_has("threads");
	ck_assert_int_eq(unit_profile("plugins:\n  - name: noop\n    options: {x: 1}\n"),
			 VACCEL_EINVAL);
	unit_assert_err_has("accepts: none");
}
END_TEST

START_TEST(bad_option_value)
{
	ck_assert_int_eq(unit_profile("plugins:\n  - name: openblas\n    options:\n"
				      "      threads: many\n"), VACCEL_EINVAL);
	unit_assert_err_has("openblas");
	ck_assert_int_eq(unit_profile("plugins:\n  - name: exec\n    options:\n"
				      "      allow: [relative/lib.so]\n"), VACCEL_EINVAL);
	ck_assert_int_eq(unit_profile("plugins:\n  - name: exec\n    options:\n"
				      "      allow-any: perhaps\n"), VACCEL_EINVAL);
	ck_assert_int_eq(unit_profile("plugins:\n  - name: openblas\n    options:\n"
				      "      threads: 3\n"), VACCEL_OK);
}
END_TEST

START_TEST(env_plugins_override)
{
	char env[1024];
	snprintf(env, sizeof(env), "noop:%s/libvaccel-sgemmonly.so", unit_env("TEST_PLUGINS"));
	setenv("VACCEL_PLUGINS", env, 1);
	ck_assert_int_eq(unit_profile("plugins: [openblas]\n"), VACCEL_OK);
	unsetenv("VACCEL_PLUGINS");
	ck_assert_uint_eq(vaccel_plugin_count(), 2);
	struct vaccel_instance_info info;
	ck_assert_int_eq(vaccel_plugin_get_info(0, &info), 0);
	ck_assert_str_eq(info.name, "noop");
	ck_assert_int_eq(vaccel_plugin_get_info(1, &info), 0);
	ck_assert_str_eq(info.name, "sgemmonly");
	ck_assert_str_eq(info.version, "1.0");
	ck_assert_int_eq(vaccel_plugin_get_info(2, &info), VACCEL_EINVAL);
}
END_TEST

START_TEST(plugin_path_env)
{
	setenv("VACCEL_PLUGIN_PATH", unit_env("TEST_PLUGINS"), 1);
	ck_assert_int_eq(unit_profile("plugins: [sgemmonly]\n"), VACCEL_OK);
	unsetenv("VACCEL_PLUGIN_PATH");
	ck_assert_str_eq(vaccel_op_served_by(VACCEL_OP_BLAS_SGEMM, NULL), "sgemmonly");
}
END_TEST

/* A plugin listed twice is two instances, each with its own options. */
START_TEST(duplicate_plugin)
{
	ck_assert_int_eq(unit_profile("plugins:\n  - name: exec\n    options: {allow-any: true}\n"
				      "  - name: exec\n    options: {allow: [/nonexistent]}\n"),
			 VACCEL_OK);
	ck_assert_uint_eq(vaccel_plugin_count(), 2);
	struct vaccel_instance_info a, b;
	ck_assert_int_eq(vaccel_plugin_get_info(0, &a), 0);
	ck_assert_int_eq(vaccel_plugin_get_info(1, &b), 0);
	ck_assert_str_eq(a.name, "exec");
	ck_assert_str_eq(b.name, "exec");
	ck_assert_str_eq(vaccel_op_served_by(VACCEL_OP_EXEC, NULL), "exec");
}
END_TEST

static Suite *unit_suite(void)
{
	Suite *s = suite_create("loader");
	TCase *tc = tcase_create("loader");
	tcase_add_test(tc, mismatched_abi_refused);
	tcase_add_test(tc, not_a_plugin);
	tcase_add_test(tc, missing_plugin);
	tcase_add_test(tc, unknown_option);
	tcase_add_test(tc, bad_option_value);
	tcase_add_test(tc, env_plugins_override);
	tcase_add_test(tc, plugin_path_env);
	tcase_add_test(tc, duplicate_plugin);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_MAIN()
