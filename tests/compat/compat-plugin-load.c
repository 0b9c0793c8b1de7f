/* SPDX-License-Identifier: Apache-2.0 */
/*
 * vAccel's vaccel_plugin_load() and vaccel_plugin_parse_and_load(): a plugin
 * loaded after bootstrap (ours: tests/plugins/sgemmonly.c; vAccel's:
 * classicnoop.c) serves the ops no earlier plugin serves, in sessions made
 * before the load too; vAccel's error values for what is not a plugin.
 */
#include <pthread.h>
#include "../unit/unit.h"

static char path[1024];

static const char *plugin(const char *file)
{
	snprintf(path, sizeof(path), "%s/%s", unit_env("TEST_PLUGINS"), file);
	return path;
}

/* A profile whose one plugin serves noop only. */
static void noop_only(void)
{
	ck_assert_msg(unit_profile("version: 1\nplugins:\n  - name: noop\n    ops: [noop]\n") == 0,
		      "%s", unit_err);
}

/* sgemm of 1x1 matrices; c[0] is 42 when sgemmonly served it. */
static int sgemm(struct vaccel_session *s, float *c)
{
	float a = 1, b = 1;
	*c = 0;
	return vaccel_sgemm(s, 1, 1, 1, 1.0f, &a, 1, &b, 1, 0.0f, c, 1);
}

START_TEST(ours_in_existing_session)
{
	noop_only();
	struct vaccel_session s;
	float c;
	ck_assert_int_eq(vaccel_session_init(&s, 0), VACCEL_OK);
	ck_assert_int_eq(sgemm(&s, &c), VACCEL_ENOTSUP);
	ck_assert_int_eq(vaccel_plugin_load(plugin("libvaccel-sgemmonly.so")), VACCEL_OK);
	ck_assert_uint_eq(vaccel_plugin_count(), 2);
	ck_assert_int_eq(sgemm(&s, &c), VACCEL_OK);
	ck_assert(c == 42.0f);
	/* The profile's plugin keeps its ops. */
	ck_assert_int_eq(vaccel_noop(&s), VACCEL_OK);
	ck_assert_str_eq(vaccel_op_served_by(VACCEL_OP_NOOP, NULL), "noop");
	ck_assert_str_eq(vaccel_op_served_by(VACCEL_OP_BLAS_SGEMM, NULL), "sgemmonly");
	/* A session made after the load sees it from the start. */
	struct vaccel_session t;
	ck_assert_int_eq(vaccel_session_init(&t, 0), VACCEL_OK);
	ck_assert_int_eq(sgemm(&t, &c), VACCEL_OK);
	ck_assert(c == 42.0f);
	ck_assert_int_eq(vaccel_session_release(&t), VACCEL_OK);
	ck_assert_int_eq(vaccel_session_release(&s), VACCEL_OK);
	/* Loading it again is vAccel's "already registered". */
	ck_assert_int_eq(vaccel_plugin_load(plugin("libvaccel-sgemmonly.so")), VACCEL_EEXIST);
	ck_assert_uint_eq(vaccel_plugin_count(), 2);
	vaccel_cleanup();
}
END_TEST

START_TEST(vaccel_abi_in_existing_session)
{
	noop_only();
	struct vaccel_session s;
	ck_assert_int_eq(vaccel_session_init(&s, 0), VACCEL_OK);
	int in = 41, out = 0;
	struct vaccel_arg r[] = { { .buf = &in, .size = sizeof(in) } };
	struct vaccel_arg w[] = { { .buf = &out, .size = sizeof(out) } };
	ck_assert_int_eq(vaccel_exec(&s, "libm.so.6", "cos", r, 1, w, 1), VACCEL_ENOTSUP);
	ck_assert_int_eq(vaccel_plugin_load(plugin("libvaccel-classicnoop.so")), VACCEL_OK);
	ck_assert_int_eq(vaccel_exec(&s, "libm.so.6", "cos", r, 1, w, 1), VACCEL_OK);
	ck_assert_int_eq(out, 42);
	ck_assert_int_eq(vaccel_session_release(&s), VACCEL_OK);
	ck_assert_int_eq(vaccel_plugin_load(plugin("libvaccel-classicnoop.so")), VACCEL_EEXIST);
	vaccel_cleanup();
}
END_TEST

START_TEST(not_found)
{
	noop_only();
	ck_assert_int_eq(vaccel_plugin_load(NULL), VACCEL_EINVAL);
	ck_assert_int_eq(vaccel_plugin_load("/nonexistent/libvaccel-nosuch.so"), VACCEL_ENOENT);
	ck_assert_int_eq(vaccel_plugin_load("libvaccel-nosuch.so"), VACCEL_ENOENT);
	ck_assert_uint_eq(vaccel_plugin_count(), 1);
	vaccel_cleanup();
}
END_TEST

START_TEST(not_a_plugin)
{
	noop_only();
	/* A shared object without a descriptor, and one built for another ABI. */
	ck_assert_int_eq(vaccel_plugin_load(plugin("libexectest.so")), VACCEL_ELIBBAD);
	ck_assert_int_eq(vaccel_plugin_load(plugin("libvaccel-badabi.so")), VACCEL_ELIBBAD);
	ck_assert_uint_eq(vaccel_plugin_count(), 1);
	vaccel_cleanup();
}
END_TEST

START_TEST(parse_and_load)
{
	noop_only();
	char list[2200];
	snprintf(list, sizeof(list), "%s:", plugin("libvaccel-sgemmonly.so"));
	strcat(list, plugin("libvaccel-classicnoop.so"));
	ck_assert_int_eq(vaccel_plugin_parse_and_load(list), VACCEL_OK);
	ck_assert_uint_eq(vaccel_plugin_count(), 3);
	ck_assert_str_eq(vaccel_op_served_by(VACCEL_OP_BLAS_SGEMM, NULL), "sgemmonly");
	ck_assert_str_eq(vaccel_op_served_by(VACCEL_OP_EXEC, NULL), "classicnoop");
	ck_assert_int_eq(vaccel_plugin_parse_and_load(NULL), VACCEL_EINVAL);
	/* Stops at the first that fails. */
	snprintf(list, sizeof(list), "/nonexistent/a.so:%s", plugin("libvaccel-echo.so"));
	ck_assert_int_eq(vaccel_plugin_parse_and_load(list), VACCEL_ENOENT);
	ck_assert_uint_eq(vaccel_plugin_count(), 3);
	vaccel_cleanup();
}
END_TEST

static struct vaccel_session shared;
static int stop;

/* Calls in flight while a load publishes new slots: served or not, never worse. */
static void *caller(void *arg)
{
	(void)arg;
	float c;
	while (!__atomic_load_n(&stop, __ATOMIC_ACQUIRE)) {
		int ret = sgemm(&shared, &c);
		ck_assert(ret == VACCEL_OK || ret == VACCEL_ENOTSUP);
		ck_assert_int_eq(vaccel_noop(&shared), VACCEL_OK);
	}
	return NULL;
}

START_TEST(load_under_calls)
{
	noop_only();
	ck_assert_int_eq(vaccel_session_init(&shared, 0), VACCEL_OK);
	pthread_t t[2];
	for (int i = 0; i < 2; i++)
		ck_assert_int_eq(pthread_create(&t[i], NULL, caller, NULL), 0);
	ck_assert_int_eq(vaccel_plugin_load(plugin("libvaccel-sgemmonly.so")), VACCEL_OK);
	__atomic_store_n(&stop, 1, __ATOMIC_RELEASE);
	for (int i = 0; i < 2; i++)
		pthread_join(t[i], NULL);
	float c;
	ck_assert_int_eq(sgemm(&shared, &c), VACCEL_OK);
	ck_assert(c == 42.0f);
	ck_assert_int_eq(vaccel_session_release(&shared), VACCEL_OK);
	vaccel_cleanup();
}
END_TEST

static Suite *unit_suite(void)
{
	Suite *s = suite_create("compat-plugin-load");
	TCase *tc = tcase_create("plugin-load");
	tcase_add_test(tc, ours_in_existing_session);
	tcase_add_test(tc, vaccel_abi_in_existing_session);
	tcase_add_test(tc, not_found);
	tcase_add_test(tc, not_a_plugin);
	tcase_add_test(tc, parse_and_load);
	tcase_add_test(tc, load_under_calls);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_MAIN()
