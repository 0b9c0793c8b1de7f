/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A plugin written for vAccel's plugin API (tests/plugins/classicnoop.c)
 * loads from a profile or VACCEL_PLUGINS beside ours, and each op it
 * registered reaches its function with vAccel's signature.
 */
#include "../unit/unit.h"

static char path[1024];
static char yaml[2048];

static void load_classic(void)
{
	snprintf(path, sizeof(path), "%s/libvaccel-classicnoop.so", unit_env("TEST_PLUGINS"));
	snprintf(yaml, sizeof(yaml), "version: 1\nplugins:\n  - path: %s\n  - name: noop\n", path);
	ck_assert_msg(unit_profile(yaml) == 0, "%s", unit_err);
}

START_TEST(loads_beside_ours)
{
	load_classic();
	ck_assert_uint_eq(vaccel_plugin_count(), 2);
	struct vaccel_instance_info info;
	ck_assert_int_eq(vaccel_plugin_get_info(0, &info), 0);
	ck_assert_str_eq(info.name, "classicnoop");
	ck_assert_str_eq(info.version, VACCEL_VERSION);
	ck_assert_str_eq(vaccel_op_served_by(VACCEL_OP_NOOP, NULL), "classicnoop");
	/* An op it registered in a form we do not call goes to the next plugin. */
	ck_assert_str_eq(vaccel_op_served_by(VACCEL_OP_TORCH_SGEMM, NULL), "noop");
	ck_assert_str_eq(vaccel_op_served_by(VACCEL_OP_IMAGE_DEPTH, NULL), "noop");
	vaccel_cleanup();
}
END_TEST

START_TEST(ops_reach_its_functions)
{
	load_classic();
	struct vaccel_session s;
	ck_assert_int_eq(vaccel_session_init(&s, 0), 0);
	ck_assert_int_eq(vaccel_noop(&s), VACCEL_OK);

	int in = 41, out = 0;
	struct vaccel_arg r[] = { { .buf = &in, .size = sizeof(in) } };
	struct vaccel_arg w[] = { { .buf = &out, .size = sizeof(out) } };
	ck_assert_int_eq(vaccel_exec(&s, "libm.so.6", "cos", r, 1, w, 1), VACCEL_OK);
	ck_assert_int_eq(out, 42);

	unsigned char img[100] = { 0 }, text[64] = "", name[64] = "";
	ck_assert_int_eq(vaccel_image_classification(&s, img, text, name, sizeof(img),
						     sizeof(text), sizeof(name)), 0);
	ck_assert_str_eq((char *)text, "classic tag for 100 bytes");
	ck_assert_int_eq(vaccel_image_detection(&s, img, name, sizeof(img), sizeof(name)), 0);
	ck_assert_str_eq((char *)name, "classic-detect.png");

	float a[6] = { 0 }, b[6] = { 0 }, c[4] = { 1, 1, 1, 1 };
	ck_assert_int_eq(vaccel_sgemm(&s, 2, 2, 3, 2.0f, a, 3, b, 2, 10.0f, c, 2), 0);
	ck_assert(c[3] == 2.0f * 2 + 10.0f); /* alpha * m + beta * c */

	double data[3] = { 1, 5, 9 }, clamped[3], mn = 0, mx = 0;
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
	ck_assert_int_eq(vaccel_minmax(&s, data, 3, 2, 8, clamped, &mn, &mx), 0);
#pragma GCC diagnostic pop
	ck_assert(mn == 2 && mx == 8 && clamped[2] == 9);

	/* vAccel's opencv: the lists reach it as given. */
	int n = 0;
	struct vaccel_arg cv_r[] = { { .buf = &in, .size = sizeof(in) },
				     { .buf = &in, .size = sizeof(in) } };
	struct vaccel_arg cv_w[] = { { .buf = &n, .size = sizeof(n) } };
	ck_assert_int_eq(vaccel_opencv_unpack(&s, cv_r, 2, cv_w, 1), VACCEL_OK);
	ck_assert_int_eq(n, 2);
	ck_assert_int_eq(vaccel_opencv_unpack(NULL, cv_r, 2, cv_w, 1), VACCEL_EINVAL);

	/* vAccel's FPGA ops in their C form: arrays and their lengths. */
	float fa[3] = { 1, 2, 3 }, fb[3] = { 4, 5, 6 }, fc[3] = { 0 }, fm[3] = { 0 };
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
	ck_assert_int_eq(vaccel_fpga_vadd(&s, fa, fb, fc, 3, 3), VACCEL_OK);
	ck_assert(fc[0] == 1005 && fc[2] == 1009);
	ck_assert_int_eq(vaccel_fpga_parallel(&s, fa, fb, fc, fm, 3), VACCEL_OK);
	ck_assert(fc[1] == 7 && fm[2] == 18);
#pragma GCC diagnostic pop
	vaccel_session_release(&s);

	/* A session asking for a DEBUG plugin gets it; for a GPU one, none. */
	ck_assert_int_eq(vaccel_session_init(&s, VACCEL_PLUGIN_DEBUG), 0);
	ck_assert_int_eq(vaccel_noop(&s), VACCEL_OK);
	vaccel_session_release(&s);
	vaccel_cleanup();
}
END_TEST

/* Its resource hooks run at (un)registration, and a refusal counts. */
START_TEST(resource_hooks)
{
	load_classic();
	struct vaccel_session s;
	struct vaccel_resource lib, data;
	ck_assert_int_eq(vaccel_session_init(&s, 0), 0);
	ck_assert_int_eq(vaccel_resource_init_from_buf(&lib, "l", 1, VACCEL_RESOURCE_LIB, "l",
						       true), 0);
	ck_assert_int_eq(vaccel_resource_init_from_buf(&data, "d", 1, VACCEL_RESOURCE_DATA, "d",
						       true), 0);
	ck_assert_int_eq(vaccel_resource_register(&lib, &s), 0);
	ck_assert_ptr_nonnull(lib.plugin_priv);
	ck_assert_int_eq(vaccel_resource_unregister(&lib, &s), 0);
	ck_assert_ptr_null(lib.plugin_priv);
	ck_assert_int_eq(vaccel_resource_register(&data, &s), VACCEL_EINVAL);
	ck_assert(!vaccel_session_has_resource(&s, &data));
	ck_assert_int_eq(vaccel_resource_refcount(&data), 0);
	ck_assert_uint_eq(s.resource_counts[VACCEL_RESOURCE_DATA], 0);
	/* a session released with the resource registered unregisters it */
	ck_assert_int_eq(vaccel_resource_register(&lib, &s), 0);
	ck_assert_ptr_nonnull(lib.plugin_priv);
	ck_assert_int_eq(vaccel_session_release(&s), 0);
	ck_assert_ptr_null(lib.plugin_priv);
	ck_assert_int_eq(vaccel_resource_release(&lib), 0);
	ck_assert_int_eq(vaccel_resource_release(&data), 0);
	vaccel_cleanup();
}
END_TEST

START_TEST(from_vaccel_plugins)
{
	snprintf(path, sizeof(path), "%s/libvaccel-classicnoop.so:noop", unit_env("TEST_PLUGINS"));
	vaccel_cleanup();
	setenv("VACCEL_PLUGINS", path, 1);
	ck_assert_int_eq(vaccel_bootstrap(), 0);
	unsetenv("VACCEL_PLUGINS");
	ck_assert_uint_eq(vaccel_plugin_count(), 2);
	ck_assert_str_eq(vaccel_op_served_by(VACCEL_OP_EXEC, NULL), "classicnoop");
	vaccel_cleanup();
}
END_TEST

START_TEST(register_outside_init)
{
	struct vaccel_op op = { .type = VACCEL_OP_NOOP, .func = (void *)vaccel_noop };
	ck_assert_int_eq(vaccel_plugin_register_ops(&op, 1), VACCEL_EINVAL);
	ck_assert_int_eq(vaccel_plugin_register_op(&op), VACCEL_EINVAL);
}
END_TEST

static Suite *unit_suite(void)
{
	Suite *s = suite_create("compat-classic");
	TCase *tc = tcase_create("classic");
	tcase_add_test(tc, loads_beside_ours);
	tcase_add_test(tc, ops_reach_its_functions);
	tcase_add_test(tc, resource_hooks);
	tcase_add_test(tc, from_vaccel_plugins);
	tcase_add_test(tc, register_outside_init);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_MAIN()
