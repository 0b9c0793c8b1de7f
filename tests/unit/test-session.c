/* SPDX-License-Identifier: Apache-2.0 */
/* Sessions: ids, release, heap forms, pinning. */
#include "unit.h"

START_TEST(init_release)
{
	struct vaccel_session a = { 0 }, b = { 0 };
	ck_assert_int_eq(unit_profile("plugins: [noop]\n"), 0);
	ck_assert_int_eq(vaccel_session_init(&a, 0), VACCEL_OK);
	ck_assert_int_eq(vaccel_session_init(&b, 7), VACCEL_OK);
	ck_assert_int_gt(a.id, 0);
	ck_assert_int_gt(b.id, a.id);
	ck_assert_uint_eq(b.hint, 7);
	ck_assert_int_eq(vaccel_noop(&a), VACCEL_OK);
	ck_assert_int_eq(vaccel_session_release(&a), VACCEL_OK);
	ck_assert_int_eq(a.id, 0);
	/* A released session is refused, not reused. */
	ck_assert_int_eq(vaccel_session_release(&a), VACCEL_EINVAL);
	ck_assert_int_eq(vaccel_noop(&a), VACCEL_EINVAL);
	ck_assert_int_eq(vaccel_session_release(&b), VACCEL_OK);
}
END_TEST

START_TEST(null_arguments)
{
	ck_assert_int_eq(unit_profile("plugins: [noop]\n"), 0);
	ck_assert_int_eq(vaccel_session_init(NULL, 0), VACCEL_EINVAL);
	ck_assert_int_eq(vaccel_session_release(NULL), VACCEL_EINVAL);
	ck_assert_int_eq(vaccel_session_new(NULL, 0), VACCEL_EINVAL);
	ck_assert_int_eq(vaccel_noop(NULL), VACCEL_EINVAL);
	struct vaccel_session never = { 0 };
	ck_assert_int_eq(vaccel_noop(&never), VACCEL_EINVAL);
}
END_TEST

START_TEST(heap_forms)
{
	struct vaccel_session *s = NULL;
	ck_assert_int_eq(unit_profile("plugins: [noop]\n"), 0);
	ck_assert_int_eq(vaccel_session_new(&s, 0), VACCEL_OK);
	ck_assert_ptr_nonnull(s);
	ck_assert_int_gt(s->id, 0);
	ck_assert_int_eq(vaccel_noop(s), VACCEL_OK);
	ck_assert_int_eq(vaccel_session_delete(s), VACCEL_OK);
}
END_TEST

START_TEST(pinning)
{
	struct vaccel_session s = { 0 };
	ck_assert_int_eq(unit_profile("plugins: [openblas, noop]\n"), 0);
	ck_assert_int_eq(vaccel_session_init(&s, 0), VACCEL_OK);
	ck_assert_ptr_null(vaccel_session_pinned(&s));
	ck_assert_int_eq(vaccel_session_pin(&s, "nosuch"), VACCEL_ENOENT);
	ck_assert_int_eq(vaccel_session_pin(&s, "noop"), VACCEL_OK);
	ck_assert_str_eq(vaccel_session_pinned(&s), "noop");
	ck_assert_int_eq(vaccel_session_pin(&s, NULL), VACCEL_OK);
	ck_assert_ptr_null(vaccel_session_pinned(&s));
	ck_assert_int_eq(vaccel_session_release(&s), VACCEL_OK);
}
END_TEST

START_TEST(bootstrap_once)
{
	ck_assert_int_eq(unit_profile("plugins: [noop]\n"), 0);
	ck_assert_int_eq(vaccel_bootstrap_profile(NULL, 0, NULL, 0), VACCEL_EALREADY);
}
END_TEST

static Suite *unit_suite(void)
{
	Suite *s = suite_create("session");
	TCase *tc = tcase_create("session");
	tcase_add_test(tc, init_release);
	tcase_add_test(tc, null_arguments);
	tcase_add_test(tc, heap_forms);
	tcase_add_test(tc, pinning);
	tcase_add_test(tc, bootstrap_once);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_MAIN()
