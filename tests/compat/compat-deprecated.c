/* SPDX-License-Identifier: Apache-2.0 */
/* vAccel's deprecated names still build, warn, and do what the new ones do. */
#include "../unit/unit.h"

/* The point is calling them: their deprecation warnings are expected. */
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"

static const char *noop_profile = "version: 1\nplugins:\n  - name: noop\n";

START_TEST(sess_aliases)
{
	ck_assert_int_eq(unit_profile(noop_profile), 0);
	struct vaccel_session s;
	ck_assert_int_eq(vaccel_sess_init(&s, 0), VACCEL_OK);
	ck_assert_int_eq(vaccel_noop(&s), VACCEL_OK);
	ck_assert_int_eq(vaccel_sess_update(&s, 0), VACCEL_OK);
	struct vaccel_resource r;
	char *path = unit_temp_file("model", ".bin");
	ck_assert_int_eq(vaccel_resource_init(&r, path, VACCEL_RESOURCE_DATA), 0);
	ck_assert(!vaccel_sess_has_resource(&s, &r));
	ck_assert_int_eq(vaccel_resource_register(&r, &s), 0);
	ck_assert(vaccel_sess_has_resource(&s, &r));
	ck_assert_int_eq(vaccel_resource_unregister(&r, &s), 0);
	vaccel_resource_release(&r);
	unlink(path);
	free(path);
	ck_assert_int_eq(vaccel_sess_free(&s), VACCEL_OK);
	ck_assert_int_eq(vaccel_sess_init(NULL, 0), VACCEL_EINVAL);
}
END_TEST

/* A serializer for an int pair, as old programs wrote them. */
struct pair { int a, b; };
static void *pair_serialize(void *p, uint32_t *bytes)
{
	int *out = malloc(2 * sizeof(int));
	out[0] = ((struct pair *)p)->a;
	out[1] = ((struct pair *)p)->b;
	*bytes = 2 * sizeof(int);
	return out;
}
static void *pair_deserialize(void *buf, uint32_t bytes)
{
	ck_assert_uint_eq(bytes, 2 * sizeof(int));
	static struct pair p;
	memcpy(&p, buf, sizeof(p));
	return &p;
}

START_TEST(arg_lists)
{
	ck_assert_ptr_null(vaccel_args_init(0));
	struct vaccel_arg_list *l = vaccel_args_init(4);
	ck_assert_ptr_nonnull(l);
	int in = 42, out = 0;
	struct pair p = { 3, 4 };
	ck_assert_int_eq(vaccel_add_serial_arg(l, &in, sizeof(in)), VACCEL_OK);
	ck_assert_int_eq(vaccel_add_nonserial_arg(l, &p, 7, pair_serialize), VACCEL_OK);
	ck_assert_int_eq(vaccel_expect_serial_arg(l, &out, sizeof(out)), VACCEL_OK);
	ck_assert_int_eq(vaccel_expect_nonserial_arg(l, 2 * sizeof(int)), VACCEL_OK);
	ck_assert_int_eq(vaccel_add_serial_arg(l, &in, sizeof(in)), VACCEL_EINVAL); /* full */
	ck_assert_int_eq(l->curr_idx, 4);
	ck_assert_int_eq(l->list[1].type, VACCEL_ARG_CUSTOM);
	ck_assert_uint_eq(l->list[1].custom_type_id, 7);
	ck_assert_int_eq(l->list[3].type, VACCEL_ARG_RAW);

	/* The plugin side reads the inputs and fills the outputs. */
	ck_assert_int_eq(*(int *)vaccel_extract_serial_arg(l->list, 0), 42);
	struct pair *q = vaccel_extract_nonserial_arg(l->list, 1, pair_deserialize);
	ck_assert_int_eq(q->a + q->b, 7);
	int answer = 99;
	ck_assert_int_eq(vaccel_write_serial_arg(l->list, 2, &answer), VACCEL_OK);
	ck_assert_int_eq(out, 99);
	struct pair r = { 5, 6 };
	ck_assert_int_eq(vaccel_write_nonserial_arg(l->list, 3, &r, pair_serialize), VACCEL_OK);
	ck_assert_int_eq(((int *)l->list[3].buf)[1], 6);
	/* More than the arg holds is refused, not written past its end. */
	ck_assert_int_eq(vaccel_write_nonserial_arg(l->list, 0, &r, pair_serialize), VACCEL_EINVAL);
	ck_assert_int_eq(in, 42);
	ck_assert_ptr_null(vaccel_extract_serial_arg(l->list, -1));
	ck_assert_int_eq(vaccel_delete_args(l), VACCEL_OK); /* frees the owned bufs */
	ck_assert_int_eq(vaccel_delete_args(NULL), VACCEL_EINVAL);
}
END_TEST

/* vAccel's FPGA ops, answered by the noop plugin as vAccel's noop answers. */
START_TEST(fpga_ops)
{
	ck_assert_int_eq(unit_profile(noop_profile), 0);
	struct vaccel_session s;
	ck_assert_int_eq(vaccel_session_init(&s, 0), VACCEL_OK);
	int ia[3] = { 7, -2, 5 }, ib[3] = { 0 };
	ck_assert_int_eq(vaccel_fpga_arraycopy(&s, ia, ib, 3), VACCEL_OK);
	ck_assert_int_eq(memcmp(ia, ib, sizeof(ia)), 0);
	float a[3] = { 1, 2, 3 }, b[3] = { 10, 20, 30 }, c[3] = { 0 }, d[3] = { 0 };
	ck_assert_int_eq(vaccel_fpga_mmult(&s, a, b, c, 3), VACCEL_OK);
	for (int i = 0; i < 3; i++)
		ck_assert_float_eq(c[i], 9.1f);
	ck_assert_int_eq(vaccel_fpga_parallel(&s, a, b, c, d, 3), VACCEL_OK);
	for (int i = 0; i < 3; i++) {
		ck_assert_float_eq(c[i], a[i] + b[i]);
		ck_assert_float_eq(d[i], 1.0f);
	}
	memset(c, 0, sizeof(c));
	ck_assert_int_eq(vaccel_fpga_vadd(&s, a, b, c, 3, 3), VACCEL_OK);
	for (int i = 0; i < 3; i++)
		ck_assert_float_eq(c[i], a[i] + b[i]);
	/* b shorter than a: refused before the plugin would read past it. */
	ck_assert_int_eq(vaccel_fpga_vadd(&s, a, b, c, 3, 2), VACCEL_EINVAL);
	ck_assert_int_eq(vaccel_fpga_mmult(NULL, a, b, c, 3), VACCEL_EINVAL);
	ck_assert_int_eq(vaccel_session_release(&s), VACCEL_OK);
	/* No plugin of the default profile runs them (vAccel needs its noop too). */
	ck_assert_int_eq(unit_profile("version: 1\nplugins:\n  - name: noop\n    ops: [noop]\n"), 0);
	ck_assert_int_eq(vaccel_session_init(&s, 0), VACCEL_OK);
	ck_assert_int_eq(vaccel_fpga_arraycopy(&s, ia, ib, 3), VACCEL_ENOTSUP);
	ck_assert_int_eq(vaccel_session_release(&s), VACCEL_OK);
}
END_TEST

static Suite *unit_suite(void)
{
	Suite *s = suite_create("compat-deprecated");
	TCase *tc = tcase_create("deprecated");
	tcase_add_test(tc, sess_aliases);
	tcase_add_test(tc, arg_lists);
	tcase_add_test(tc, fpga_ops);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_MAIN()
