/* SPDX-License-Identifier: Apache-2.0 */
/* The router: profile priority, the per-session pin, ENOTSUP, short vtables. */
#include "unit.h"

static float c_after_sgemm(struct vaccel_session *s, int *ret)
{
	float a[4] = { 1, 2, 3, 4 }, b[4] = { 1, 0, 0, 1 }, c[4] = { -1, -1, -1, -1 };
	*ret = vaccel_sgemm(s, 2, 2, 2, 1.0f, a, 2, b, 2, 0.0f, c, 2);
	return c[3];
}

START_TEST(priority_order)
{
	struct vaccel_session s = { 0 };
	int ret;
	ck_assert_int_eq(unit_profile("plugins: [noop, openblas]\n"), 0);
	ck_assert_str_eq(vaccel_op_served_by(VACCEL_OP_BLAS_SGEMM, NULL), "noop");
	ck_assert_int_eq(vaccel_session_init(&s, 0), 0);
	/* noop leaves C untouched. */
	ck_assert_float_eq(c_after_sgemm(&s, &ret), -1.0f);
	ck_assert_int_eq(ret, 0);
	vaccel_session_release(&s);

	ck_assert_int_eq(unit_profile("plugins: [openblas, noop]\n"), 0);
	ck_assert_str_eq(vaccel_op_served_by(VACCEL_OP_BLAS_SGEMM, NULL), "openblas");
	ck_assert_str_eq(vaccel_op_served_by(VACCEL_OP_IMAGE_CLASSIFY, NULL), "noop");
	ck_assert_int_eq(vaccel_session_init(&s, 0), 0);
	ck_assert_float_eq(c_after_sgemm(&s, &ret), 4.0f);
	ck_assert_int_eq(ret, 0);
	vaccel_session_release(&s);
}
END_TEST

START_TEST(pin_overrides_order)
{
	struct vaccel_session s = { 0 };
	int ret;
	unsigned char text[64], img[64];
	ck_assert_int_eq(unit_profile("plugins: [openblas, noop]\n"), 0);
	ck_assert_int_eq(vaccel_session_init(&s, 0), 0);
	ck_assert_int_eq(vaccel_session_pin(&s, "noop"), 0);
	ck_assert_float_eq(c_after_sgemm(&s, &ret), -1.0f);
	ck_assert_int_eq(vaccel_session_pin(&s, "openblas"), 0);
	ck_assert_str_eq(vaccel_op_served_by(VACCEL_OP_IMAGE_CLASSIFY, "openblas") ?
			 "served" : "none", "none");
	/* Pinned to a plugin that lacks the op: ENOTSUP, not a fallback. */
	ck_assert_int_eq(vaccel_image_classification(&s, "x", text, img, 1, sizeof(text),
						     sizeof(img)), VACCEL_ENOTSUP);
	ck_assert_int_eq(vaccel_session_pin(&s, NULL), 0);
	ck_assert_int_eq(vaccel_image_classification(&s, "x", text, img, 1, sizeof(text),
						     sizeof(img)), VACCEL_OK);
	ck_assert_str_eq((char *)text, "This is a dummy classification tag!");
	ck_assert_str_eq((char *)img, "This is a dummy imgname!");
	vaccel_session_release(&s);
}
END_TEST

START_TEST(nobody_serves)
{
	struct vaccel_session s = { 0 };
	unsigned char img[8];
	ck_assert_int_eq(unit_profile("plugins: [openblas]\n"), 0);
	ck_assert_int_eq(vaccel_session_init(&s, 0), 0);
	ck_assert_ptr_null(vaccel_op_served_by(VACCEL_OP_IMAGE_DEPTH, NULL));
	ck_assert_ptr_null(vaccel_op_served_by(VACCEL_OP_TF_MODEL_RUN, NULL));
	ck_assert_int_eq(vaccel_image_detection(&s, "x", img, 1, sizeof(img)), VACCEL_ENOTSUP);
	ck_assert_int_eq(vaccel_image_segmentation(&s, "x", img, 1, sizeof(img)), VACCEL_ENOTSUP);
	ck_assert_int_eq(vaccel_image_pose(&s, "x", img, 1, sizeof(img)), VACCEL_ENOTSUP);
	ck_assert_int_eq(vaccel_image_depth(&s, "x", img, 1, sizeof(img)), VACCEL_ENOTSUP);
	ck_assert_int_eq(vaccel_exec(&s, "/lib/x.so", "f", NULL, 0, NULL, 0), VACCEL_ENOTSUP);
	vaccel_session_release(&s);

	/* An empty plugin list is a valid profile that serves nothing. */
	ck_assert_int_eq(unit_profile("plugins: []\n"), 0);
	ck_assert_int_eq(vaccel_session_init(&s, 0), 0);
	ck_assert_int_eq(vaccel_noop(&s), VACCEL_ENOTSUP);
	vaccel_session_release(&s);
}
END_TEST

/* sgemmonly's descriptor is shorter than ours: ops past its size are absent. */
START_TEST(short_descriptor)
{
	char yaml[1024];
	struct vaccel_session s = { 0 };
	int ret;
	snprintf(yaml, sizeof(yaml),
		 "plugins:\n  - path: %s/libvaccel-sgemmonly.so\n  - name: noop\n",
		 unit_env("TEST_PLUGINS"));
	ck_assert_int_eq(unit_profile(yaml), 0);
	ck_assert_str_eq(vaccel_op_served_by(VACCEL_OP_BLAS_SGEMM, NULL), "sgemmonly");
	/* Its image_classify slot holds a pointer, but beyond its size. */
	ck_assert_str_eq(vaccel_op_served_by(VACCEL_OP_IMAGE_CLASSIFY, NULL), "noop");
	ck_assert_str_eq(vaccel_op_served_by(VACCEL_OP_NOOP, NULL), "noop");
	ck_assert_int_eq(vaccel_session_init(&s, 0), 0);
	ck_assert_float_eq(c_after_sgemm(&s, &ret), 42.0f);
	vaccel_session_release(&s);
}
END_TEST

static Suite *unit_suite(void)
{
	Suite *s = suite_create("router");
	TCase *tc = tcase_create("router");
	tcase_add_test(tc, priority_order);
	tcase_add_test(tc, pin_overrides_order);
	tcase_add_test(tc, nobody_serves);
	tcase_add_test(tc, short_descriptor);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_MAIN()
