/* SPDX-License-Identifier: Apache-2.0 */
/* The profile parser (good and malformed files) and the lookup order. */
#include <sys/stat.h>
#include "unit.h"

static int check_text(const char *text)
{
	char *path = unit_temp_file(text, ".yaml");
	unit_err[0] = '\0';
	int ret = vaccel_profile_check(path, unit_err, sizeof(unit_err));
	unlink(path);
	free(path);
	return ret;
}

START_TEST(shipped_profiles_are_valid)
{
	char path[1024];
	const char *names[] = { "native", "noop" };
	for (size_t i = 0; i < 2; i++) {
		snprintf(path, sizeof(path), "%s/configs/%s.yaml", unit_env("TOP_SRCDIR"), names[i]);
		ck_assert_msg(vaccel_profile_check(path, unit_err, sizeof(unit_err)) == 0,
			      "%s: %s", path, unit_err);
	}
}
END_TEST

START_TEST(good_forms)
{
	ck_assert_int_eq(check_text("version: 1\nlog-level: debug\nplugins:\n"
				    "  - noop\n  - name: openblas\n    options:\n"
				    "      threads: 1\n"), 0);
	ck_assert_int_eq(check_text("plugins: [exec]\n"), 0);
	ck_assert_int_eq(check_text("log-level: 3\nlog-file: /tmp/x.log\nplugins:\n"
				    "  - name: exec\n    options:\n      allow:\n"
				    "        - /usr/lib/libm.so.6\n        - sha256:"
				    "0000000000000000000000000000000000000000000000000000000000000000\n"), 0);
}
END_TEST

/* Each malformed profile, and what its error must say. */
static const struct {
	const char *text;
	int code;
	const char *says[3];
} bad[] = {
	{ "plugins: [noop\n", VACCEL_EINVAL, { ":2:1: YAML syntax error", NULL } },
	{ "version: 1\nplugin: [noop]\n", VACCEL_EINVAL,
	  { ":2:1: unknown key 'plugin'", "expected one of: agent, version, log-level, log-file, plugins" } },
	{ "plugins: noop\n", VACCEL_EINVAL, { ":1:10: key 'plugins' must be a list, not a scalar" } },
	{ "version: 2\nplugins: []\n", VACCEL_EINVAL, { ":1:10:", "unsupported profile version '2'" } },
	{ "log-level: 9\n", VACCEL_EINVAL, { ":1:12: key 'log-level'", "got '9'" } },
	{ "log-file: [a, b]\n", VACCEL_EINVAL, { ":1:11: key 'log-file'" } },
	{ "plugins:\n  - options: {threads: 1}\n", VACCEL_EINVAL,
	  { ":2:5: a plugin entry needs 'name'" } },
	{ "plugins:\n  - name: noop\n    opts: {}\n", VACCEL_EINVAL,
	  { ":3:5: unknown key 'opts' in a plugin entry", "name, path, optional, ops, options" } },
	{ "plugins:\n  - name: openblas\n    options: [threads]\n", VACCEL_EINVAL,
	  { ":3:14: key 'options' must be a mapping, not a list" } },
	{ "plugins:\n  - name: exec\n    options:\n      allow: [{a: b}]\n", VACCEL_EINVAL,
	  { ":4:15:", "option 'allow': list items must be scalars" } },
	{ "plugins:\n  - name: ../evil\n", VACCEL_EINVAL, { ":2:11: key 'name'" } },
	/* Found by fuzz-profile: a path naming no file printed as name "". */
	{ "plugins:\n  - path: lib/\n", VACCEL_EINVAL,
	  { ":2:5: key 'path': 'lib/' is not a plugin file" } },
	{ "plugins:\n  - path: /x/.so\n", VACCEL_EINVAL, { "'/x/.so' is not a plugin file" } },
	{ "- just\n- a list\n", VACCEL_EINVAL, { ":1:1: the profile must be a mapping, not a list" } },
	{ "", VACCEL_EINVAL, { "empty profile" } },
	{ "plugins:\n  - name: openblas\n    options:\n      threads: 1\n      threads: 2\n",
	  VACCEL_EINVAL, { ":5:7: plugin 'openblas': option 'threads' given twice" } },
	{ "plugins: [noop]\nplugins: [exec]\n", VACCEL_EINVAL,
	  { ":2:1: key 'plugins' given twice in the profile" } },
	{ "plugins:\n  - name: noop\n    name: exec\n", VACCEL_EINVAL,
	  { ":3:5: key 'name' given twice in a plugin entry" } },
	{ "plugins: [nosuchplugin]\n", VACCEL_ENOENT, { ":1:11: plugin 'nosuchplugin' not found" } },
	{ "plugins:\n  - name: openblas\n    options: {thread: 1}\n", VACCEL_EINVAL,
	  { ":3:15: unknown option 'thread' for plugin 'openblas'" } },
};

START_TEST(malformed)
{
	int ret = check_text(bad[_i].text);
	ck_assert_msg(ret == bad[_i].code, "case %d: got %d (%s), want %d", _i, ret, unit_err,
		      bad[_i].code);
	for (int k = 0; k < 3 && bad[_i].says[k]; k++)
		ck_assert_msg(strstr(unit_err, bad[_i].says[k]), "case %d: \"%s\" lacks \"%s\"",
			      _i, unit_err, bad[_i].says[k]);
	/* Every error starts with the file it is about. */
	ck_assert_msg(!strncmp(unit_err, "/tmp/vaccel-unit-", 17), "no file in \"%s\"", unit_err);
}
END_TEST

START_TEST(not_text_or_missing)
{
	char *path = unit_temp_file("plugins: []\n", ".yaml");
	FILE *f = fopen(path, "ab");
	fputc('\0', f);
	fclose(f);
	ck_assert_int_eq(vaccel_profile_check(path, unit_err, sizeof(unit_err)), VACCEL_EINVAL);
	unit_assert_err_has("not a text file");
	unlink(path);
	free(path);
	ck_assert_int_eq(vaccel_profile_check("/nonexistent.yaml", unit_err, sizeof(unit_err)),
			 VACCEL_ENOENT);
	unit_assert_err_has("/nonexistent.yaml");
	ck_assert_int_eq(vaccel_profile_check("/tmp", unit_err, sizeof(unit_err)), VACCEL_EINVAL);
	unit_assert_err_has("not a regular file");
}
END_TEST

/* --profile NAME, VACCEL_PROFILE, user dir, then built-in. */
START_TEST(lookup_order)
{
	char dir[] = "/tmp/vaccel-xdg-XXXXXX", path[256];
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/vaccel", dir);
	ck_assert_int_eq(mkdir(path, 0700), 0);
	setenv("XDG_CONFIG_HOME", dir, 1);

	vaccel_cleanup();
	ck_assert_int_eq(vaccel_bootstrap_profile(NULL, 0, unit_err, sizeof(unit_err)), 0);
	ck_assert_str_eq(vaccel_profile_source(), "(built-in)");

	snprintf(path, sizeof(path), "%s/vaccel/default.yaml", dir);
	FILE *f = fopen(path, "w");
	fputs("plugins: [noop]\n", f);
	fclose(f);
	vaccel_cleanup();
	ck_assert_int_eq(vaccel_bootstrap_profile(NULL, 0, unit_err, sizeof(unit_err)), 0);
	ck_assert_str_eq(vaccel_profile_source(), path);

	/* A name: the user's file wins over the shipped one. */
	snprintf(path, sizeof(path), "%s/vaccel/noop.yaml", dir);
	f = fopen(path, "w");
	fputs("plugins: [noop, openblas]\n", f);
	fclose(f);
	vaccel_cleanup();
	ck_assert_int_eq(vaccel_bootstrap_profile("noop", 0, unit_err, sizeof(unit_err)), 0);
	ck_assert_str_eq(vaccel_profile_source(), path);
	ck_assert_uint_eq(vaccel_plugin_count(), 2);

	/* VACCEL_PROFILE names the shipped one when the user has none. */
	unlink(path);
	setenv("VACCEL_PROFILE", "native", 1);
	vaccel_cleanup();
	ck_assert_int_eq(vaccel_bootstrap_profile(NULL, 0, unit_err, sizeof(unit_err)), 0);
	ck_assert_ptr_nonnull(strstr(vaccel_profile_source(), "configs/native.yaml"));
	unsetenv("VACCEL_PROFILE");

	vaccel_cleanup();
	ck_assert_int_eq(vaccel_bootstrap_profile("nosuch", 0, unit_err, sizeof(unit_err)), VACCEL_ENOENT);
	unit_assert_err_has("profile 'nosuch' not found");
	unlink(path);
	snprintf(path, sizeof(path), "%s/vaccel/default.yaml", dir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/vaccel", dir);
	rmdir(path);
	rmdir(dir);
}
END_TEST

START_TEST(dump_roundtrip)
{
	ck_assert_int_eq(unit_profile("log-level: 2\nplugins:\n  - name: exec\n    options:\n"
				      "      allow: [/usr/lib/a b.so]\n      allow-any: false\n"), 0);
	char *yaml = NULL;
	ck_assert_int_eq(vaccel_profile_dump(&yaml), 0);
	ck_assert_ptr_nonnull(strstr(yaml, "log-level: 2\n"));
	ck_assert_ptr_nonnull(strstr(yaml, "- \"/usr/lib/a b.so\""));
	/* What show prints is itself a valid profile. */
	ck_assert_int_eq(check_text(yaml), 0);
	free(yaml);
}
END_TEST

static Suite *unit_suite(void)
{
	Suite *s = suite_create("profile");
	TCase *tc = tcase_create("profile");
	tcase_add_test(tc, shipped_profiles_are_valid);
	tcase_add_test(tc, good_forms);
	tcase_add_loop_test(tc, malformed, 0, (int)(sizeof(bad) / sizeof(bad[0])));
	tcase_add_test(tc, not_text_or_missing);
	tcase_add_test(tc, lookup_order);
	tcase_add_test(tc, dump_roundtrip);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_MAIN()
