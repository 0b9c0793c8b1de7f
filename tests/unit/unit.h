/* SPDX-License-Identifier: Apache-2.0 */
/* Shared by the unit tests: check(1) harness, profiles written on the fly. */
#ifndef VACCEL_UNIT_H
#define VACCEL_UNIT_H

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <vaccel.h>

static char unit_err[512];

/* Environment set by the Makefile's test environment. */
static inline const char *unit_env(const char *name)
{
	const char *v = getenv(name);
	ck_assert_msg(v != NULL, "%s must be set (run through make check)", name);
	return v;
}

/* Write text to a new temporary file; returns its malloc'd path. */
static inline char *unit_temp_file(const char *text, const char *suffix)
{
	char *path;
	if (asprintf(&path, "/tmp/vaccel-unit-XXXXXX%s", suffix) < 0)
		return NULL;
	int fd = mkstemps(path, (int)strlen(suffix));
	ck_assert_int_ge(fd, 0);
	size_t len = strlen(text);
	ck_assert_int_eq(write(fd, text, len), (ssize_t)len);
	close(fd);
	return path;
}

/* Replace the loaded profile by one given as YAML text; returns the code. */
static inline int unit_profile(const char *yaml)
{
	vaccel_cleanup();
	char *path = unit_temp_file(yaml, ".yaml");
	unit_err[0] = '\0';
	int ret = vaccel_bootstrap_profile(path, 0, unit_err, sizeof(unit_err));
	unlink(path);
	free(path);
	return ret;
}

#define unit_assert_err_has(needle)                                         \
	ck_assert_msg(strstr(unit_err, (needle)) != NULL,                   \
		      "error \"%s\" lacks \"%s\"", unit_err, (needle))

/* Each test file defines `static Suite *unit_suite(void)`. */
#define UNIT_MAIN() UNIT_MAIN_UNLESS(NULL)

/*
 * The same, but first skip the whole file (a TAP plan of none, with the
 * reason) when `skip_why()` returns one: for what the tests need and the
 * machine may lack (the shared models beside a checkout).
 */
#define UNIT_MAIN_UNLESS(skip_why)                                          \
	int main(void)                                                      \
	{                                                                   \
		const char *(*why_fn)(void) = (skip_why);                   \
		const char *why = why_fn ? why_fn() : NULL;                 \
		if (why) {                                                  \
			printf("1..0 # SKIP %s\n", why);                    \
			return EXIT_SUCCESS;                                \
		}                                                           \
		SRunner *sr = srunner_create(unit_suite());                 \
		srunner_run_all(sr, CK_ENV);                                \
		int failed = srunner_ntests_failed(sr);                     \
		srunner_free(sr);                                           \
		return failed ? EXIT_FAILURE : EXIT_SUCCESS;                \
	}

#endif
