/* SPDX-License-Identifier: Apache-2.0 */
/* vAccel's session flags: VACCEL_PLUGIN_* values and the plugins they choose. */
#include "../unit/unit.h"

START_TEST(flag_values)
{
	ck_assert_int_eq(VACCEL_PLUGIN_CPU, 0x0001);
	ck_assert_int_eq(VACCEL_PLUGIN_GPU, 0x0002);
	ck_assert_int_eq(VACCEL_PLUGIN_FPGA, 0x0004);
	ck_assert_int_eq(VACCEL_PLUGIN_SOFTWARE, 0x0008);
	ck_assert_int_eq(VACCEL_PLUGIN_TENSORFLOW, 0x0010);
	ck_assert_int_eq(VACCEL_PLUGIN_TORCH, 0x0020);
	ck_assert_int_eq(VACCEL_PLUGIN_JETSON, 0x0040);
	ck_assert_int_eq(VACCEL_PLUGIN_GENERIC, 0x0080);
	ck_assert_int_eq(VACCEL_PLUGIN_DEBUG, 0x0100);
	ck_assert_int_eq(VACCEL_PLUGIN_REMOTE, 0x4000);
	ck_assert_int_eq(VACCEL_PLUGIN_ALL, 0xffff);
	char buf[32];
	ck_assert_str_eq(vaccel_plugin_type_to_str(VACCEL_PLUGIN_REMOTE), "VACCEL_PLUGIN_REMOTE");
	ck_assert_str_eq(vaccel_plugin_type_name(VACCEL_PLUGIN_TENSORFLOW, buf, sizeof(buf)),
			 "tensorflow");
	ck_assert_str_eq(vaccel_plugin_type_to_base_str((vaccel_plugin_type_t)3), "MAX");
}
END_TEST

/* noop leaves C alone; openblas computes it: which one served the session. */
static float sgemm_c(uint32_t flags, int *ret)
{
	float a[1] = { 2 }, b[1] = { 3 }, c[1] = { -1 };
	struct vaccel_session s;
	*ret = vaccel_session_init(&s, flags);
	if (*ret)
		return c[0];
	*ret = vaccel_sgemm(&s, 1, 1, 1, 1.0f, a, 1, b, 1, 0.0f, c, 1);
	vaccel_session_release(&s);
	return c[0];
}

START_TEST(types_choose_plugins)
{
	int ret;
	if (unit_profile("version: 1\nplugins:\n  - name: noop\n  - name: openblas\n")) {
		ck_assert_int_eq(unit_profile("version: 1\nplugins:\n  - name: noop\n"), 0);
		ck_assert_int_eq(sgemm_c(VACCEL_PLUGIN_DEBUG, &ret), -1);
		ck_assert_int_eq(ret, 0);
		return; /* built without openblas */
	}
	/* 0: the profile's order, noop first */
	ck_assert_int_eq(sgemm_c(0, &ret), -1);
	ck_assert_int_eq(ret, 0);
	/* CPU: openblas, past noop */
	ck_assert_int_eq(sgemm_c(VACCEL_PLUGIN_CPU, &ret), 6);
	ck_assert_int_eq(ret, 0);
	ck_assert_int_eq(sgemm_c(VACCEL_PLUGIN_CPU | VACCEL_PLUGIN_GPU, &ret), 6);
	/* DEBUG: vAccel's noop type */
	ck_assert_int_eq(sgemm_c(VACCEL_PLUGIN_DEBUG, &ret), -1);
	ck_assert_int_eq(ret, 0);
	/* a type no plugin has: every instance, as vAccel falls back */
	ck_assert_int_eq(sgemm_c(VACCEL_PLUGIN_GPU, &ret), -1);
	ck_assert_int_eq(ret, 0);
}
END_TEST

START_TEST(remote_needs_a_transport)
{
	int ret;
	ck_assert_int_eq(unit_profile("version: 1\nplugins:\n  - name: noop\n"), 0);
	sgemm_c(VACCEL_PLUGIN_REMOTE, &ret);
	ck_assert_int_eq(ret, VACCEL_ENOTSUP);
	/* ALL includes REMOTE, as in vAccel */
	sgemm_c(VACCEL_PLUGIN_ALL, &ret);
	ck_assert_int_eq(ret, VACCEL_ENOTSUP);
	/* With a transport (no agent behind it), REMOTE leaves noop out. */
	ck_assert_int_eq(unit_profile("version: 1\nplugins:\n  - name: noop\n"
				      "  - name: rpc\n    options:\n"
				      "      address: unix:///nonexistent/vaccel-compat.sock\n"),
			 0);
	struct vaccel_session s;
	ck_assert_int_eq(vaccel_session_init(&s, VACCEL_PLUGIN_REMOTE), 0);
	ck_assert_int_eq(vaccel_noop(&s), VACCEL_ECONNREFUSED);
	vaccel_session_release(&s);
	ck_assert_int_eq(vaccel_session_init(&s, 0), 0);
	ck_assert_int_eq(vaccel_noop(&s), 0); /* noop serves the others */
	vaccel_session_release(&s);
}
END_TEST

static Suite *unit_suite(void)
{
	Suite *s = suite_create("compat-sessions");
	TCase *tc = tcase_create("sessions");
	tcase_add_test(tc, flag_values);
	tcase_add_test(tc, types_choose_plugins);
	tcase_add_test(tc, remote_needs_a_transport);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_MAIN()
