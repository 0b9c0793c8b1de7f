/* SPDX-License-Identifier: Apache-2.0 */
/* vAccel's args and arg arrays: what a vAccel program and plugin call. */
#include "../unit/unit.h"

START_TEST(arg_lifecycle)
{
	int v = 42;
	struct vaccel_arg a;
	ck_assert_int_eq(vaccel_arg_init(&a, &v, sizeof(v), VACCEL_ARG_INT32, 0), 0);
	ck_assert(a.owned);
	ck_assert_ptr_ne(a.buf, &v); /* copied */
	ck_assert_int_eq(*(int *)a.buf, 42);
	ck_assert_int_eq(vaccel_arg_release(&a), 0);
	ck_assert_ptr_null(a.buf);
	ck_assert_int_eq(a.type, VACCEL_ARG_MAX);

	ck_assert_int_eq(vaccel_arg_init(&a, NULL, 16, VACCEL_ARG_BUFFER, 0), 0);
	for (int i = 0; i < 16; i++)
		ck_assert_int_eq(((char *)a.buf)[i], 0); /* zeroed room */
	vaccel_arg_release(&a);

	ck_assert_int_eq(vaccel_arg_init_from_buf(&a, &v, sizeof(v), VACCEL_ARG_CUSTOM, 7), 0);
	ck_assert_ptr_eq(a.buf, &v);
	ck_assert(!a.owned);
	ck_assert_uint_eq(a.custom_type_id, 7);
	ck_assert_int_eq(vaccel_arg_init_from_buf(&a, &v, 0, VACCEL_ARG_RAW, 0), VACCEL_EINVAL);
	ck_assert_int_eq(vaccel_arg_init_from_buf(&a, NULL, 4, VACCEL_ARG_RAW, 0), VACCEL_EINVAL);
	ck_assert_int_eq(vaccel_arg_init(NULL, &v, 4, VACCEL_ARG_RAW, 0), VACCEL_EINVAL);

	struct vaccel_arg *h = NULL;
	ck_assert_int_eq(vaccel_arg_new(&h, "abc", 4, VACCEL_ARG_STRING, 0), 0);
	ck_assert_str_eq(h->buf, "abc");
	ck_assert_int_eq(vaccel_arg_delete(h), 0);
	ck_assert_int_eq(vaccel_arg_from_buf(&h, &v, sizeof(v), VACCEL_ARG_INT32, 0), 0);
	ck_assert_ptr_eq(h->buf, &v);
	ck_assert_int_eq(vaccel_arg_delete(h), 0);
	ck_assert_int_eq(vaccel_arg_delete(NULL), VACCEL_EINVAL);
}
END_TEST

/* Every typed add/get/set pair, generated from the same table as the API. */
#define ROUND_TRIP(NAME, CTYPE, TYPE, ARRAY_TYPE)                                     \
	{                                                                             \
		CTYPE one = (CTYPE)1, back = (CTYPE)0, vals[3] = { (CTYPE)1, (CTYPE)0, (CTYPE)1 }; \
		CTYPE *got = NULL, out = (CTYPE)0, outs[3] = { 0 };                  \
		size_t n = 0;                                                         \
		struct vaccel_arg_array in, res;                                      \
		ck_assert_int_eq(vaccel_arg_array_init(&in, 1), 0);                   \
		ck_assert_int_eq(vaccel_arg_array_add_##NAME(&in, &one), 0);          \
		ck_assert_int_eq(vaccel_arg_array_add_##NAME##_array(&in, vals, 3), 0); \
		ck_assert_uint_eq(vaccel_arg_array_count(&in), 2);                    \
		ck_assert_int_eq(in.args[0].type, TYPE);                              \
		ck_assert_int_eq(in.args[1].type, ARRAY_TYPE);                        \
		ck_assert_uint_eq(in.args[1].size, sizeof(vals));                     \
		/* the wrong type is refused and the position stays */               \
		ck_assert_int_eq(vaccel_arg_array_get_##NAME##_array(&in, &got, &n), VACCEL_EINVAL); \
		ck_assert_int_eq(vaccel_arg_array_get_##NAME(&in, &back), 0);         \
		ck_assert(back == one);                                               \
		ck_assert_int_eq(vaccel_arg_array_get_##NAME##_array(&in, &got, &n), 0); \
		ck_assert_ptr_eq(got, vals);                                          \
		ck_assert_uint_eq(n, 3);                                              \
		ck_assert_int_eq(vaccel_arg_array_get_##NAME(&in, &back), VACCEL_ERANGE); \
		vaccel_arg_array_release(&in);                                        \
		/* set_: a plugin fills the outputs the caller gave */               \
		ck_assert_int_eq(vaccel_arg_array_init(&res, 0), 0);                  \
		ck_assert_int_eq(vaccel_arg_array_add_##NAME(&res, &out), 0);         \
		ck_assert_int_eq(vaccel_arg_array_add_##NAME##_array(&res, outs, 3), 0); \
		ck_assert_int_eq(vaccel_arg_array_set_##NAME(&res, &one), 0);         \
		ck_assert_int_eq(vaccel_arg_array_set_##NAME##_array(&res, vals, 3), 0); \
		ck_assert(out == one);                                                \
		ck_assert(memcmp(outs, vals, sizeof(vals)) == 0);                     \
		vaccel_arg_array_reset_position(&res);                                \
		CTYPE four[4] = { 0 };                                                \
		vaccel_arg_array_set_position(&res, 1);                               \
		ck_assert_int_eq(vaccel_arg_array_set_##NAME##_array(&res, four, 4), VACCEL_EINVAL); \
		vaccel_arg_array_release(&res);                                       \
	}

START_TEST(typed_round_trips)
{
	VACCEL_ARG_NUMERIC_TYPES(ROUND_TRIP)
}
END_TEST

START_TEST(checks_on_add)
{
	struct vaccel_arg_array a;
	ck_assert_int_eq(vaccel_arg_array_init(&a, 0), 0);
	ck_assert_uint_eq(a.capacity, 8);
	bool bad = false;
	memset(&bad, 2, 1); /* not 0 or 1 */
	ck_assert_int_eq(vaccel_arg_array_add_bool(&a, &bad), VACCEL_EINVAL);
	ck_assert_int_eq(vaccel_arg_array_add_int32_array(&a, NULL, 3), VACCEL_EINVAL);
	int x = 1;
	ck_assert_int_eq(vaccel_arg_array_add_int32_array(&a, &x, 0), VACCEL_EINVAL);
	ck_assert_int_eq(vaccel_arg_array_add_string(&a, NULL), VACCEL_EINVAL);
	ck_assert_int_eq(vaccel_arg_array_add_buffer(&a, NULL, 0), VACCEL_EINVAL);
	ck_assert_int_eq(vaccel_arg_array_add_raw(&a, NULL, 0), 0); /* raw: anything */
	ck_assert_uint_eq(vaccel_arg_array_count(&a), 1);
	/* growth past the initial room */
	for (int i = 0; i < 20; i++)
		ck_assert_int_eq(vaccel_arg_array_add_int32(&a, &x), 0);
	ck_assert_uint_eq(vaccel_arg_array_count(&a), 21);
	ck_assert_uint_ge(a.capacity, 21);
	vaccel_arg_array_clear(&a);
	ck_assert_uint_eq(vaccel_arg_array_count(&a), 0);
	ck_assert_int_eq(vaccel_arg_array_release(&a), 0);
	ck_assert_int_eq(vaccel_arg_array_release(&a), VACCEL_EINVAL);
}
END_TEST

START_TEST(strings_buffers_raw)
{
	struct vaccel_arg_array *a = NULL;
	char text[] = "hello", room[16] = "", dots[] = "........", *s = NULL;
	unsigned char bytes[3] = { 1, 2, 3 }, bout[3] = { 0 };
	void *p = NULL;
	size_t n = 0;
	ck_assert_int_eq(vaccel_arg_array_new(&a, 2), 0);
	ck_assert_int_eq(vaccel_arg_array_add_string(a, text), 0);
	ck_assert_uint_eq(a->args[0].size, 6);
	ck_assert_int_eq(vaccel_arg_array_add_buffer(a, bytes, 3), 0);
	ck_assert_int_eq(vaccel_arg_array_add_raw(a, room, sizeof(room)), 0);
	ck_assert_int_eq(vaccel_arg_array_get_string(a, &s), 0);
	ck_assert_str_eq(s, "hello");
	ck_assert_int_eq(vaccel_arg_array_get_buffer(a, &p, &n), 0);
	ck_assert_ptr_eq(p, bytes);
	ck_assert_uint_eq(n, 3);
	ck_assert_uint_eq(vaccel_arg_array_remaining_count(a), 1);
	ck_assert_int_eq(vaccel_arg_array_get_raw(a, &p, &n), 0);
	ck_assert_uint_eq(n, sizeof(room));
	ck_assert_uint_eq(vaccel_arg_array_position(a), 3);
	ck_assert_int_eq(vaccel_arg_array_get_raw(a, &p, &n), VACCEL_ERANGE);
	ck_assert_int_eq(vaccel_arg_array_delete(a), 0);

	ck_assert_int_eq(vaccel_arg_array_new(&a, 0), 0);
	ck_assert_int_eq(vaccel_arg_array_add_string(a, dots), 0);
	ck_assert_int_eq(vaccel_arg_array_add_buffer(a, bout, 3), 0);
	ck_assert_int_eq(vaccel_arg_array_add_raw(a, room, sizeof(room)), 0);
	ck_assert_int_eq(vaccel_arg_array_set_string(a, "toolongforit"), VACCEL_EINVAL);
	ck_assert_int_eq(vaccel_arg_array_set_string(a, "hi"), 0);
	ck_assert_str_eq(a->args[0].buf, "hi");
	ck_assert_int_eq(vaccel_arg_array_set_buffer(a, bytes, 3), 0);
	ck_assert_int_eq(memcmp(bout, bytes, 3), 0);
	ck_assert_int_eq(vaccel_arg_array_set_raw(a, "xyz", 4), 0);
	ck_assert_str_eq(room, "xyz");
	vaccel_arg_array_delete(a);
}
END_TEST

static bool even_len(const void *buf, size_t size, uint32_t id)
{
	return buf && id == 9 && size % 2 == 0;
}

struct point { int32_t x, y; };

static int point_ser(const void *data, size_t size, uint32_t id, void **buf, size_t *out)
{
	if (size != sizeof(struct point))
		return VACCEL_EINVAL;
	const struct point *p = data;
	int32_t *b = malloc(8);
	if (!b)
		return VACCEL_ENOMEM;
	b[0] = p->y; /* swapped, so the round trip is seen to go through here */
	b[1] = p->x;
	*buf = b;
	*out = 8;
	return 0;
}

static int point_de(const void *buf, size_t size, uint32_t id, size_t want, void *data)
{
	if (size != 8 || want != sizeof(struct point))
		return VACCEL_EINVAL;
	const int32_t *b = buf;
	*(struct point *)data = (struct point){ .x = b[1], .y = b[0] };
	return 0;
}

START_TEST(custom_and_serialized)
{
	struct vaccel_arg_array a;
	char two[2] = "a", three[3] = "ab";
	void *p = NULL;
	size_t n = 0;
	ck_assert_int_eq(vaccel_arg_array_init(&a, 1), 0);
	ck_assert_int_eq(vaccel_arg_array_add_custom(&a, 9, three, 3, even_len), VACCEL_EINVAL);
	ck_assert_int_eq(vaccel_arg_array_add_custom(&a, 9, two, 2, even_len), 0);
	ck_assert_uint_eq(a.args[0].custom_type_id, 9);
	struct point pt = { 3, 4 }, back = { 0, 0 };
	ck_assert_int_eq(vaccel_arg_array_add_serialized(&a, VACCEL_ARG_CUSTOM, 5, &pt,
							 sizeof(pt), point_ser), 0);
	ck_assert(a.args[1].owned);
	ck_assert_int_eq(vaccel_arg_array_get_custom(&a, 8, &p, &n, even_len), VACCEL_EINVAL);
	ck_assert_int_eq(vaccel_arg_array_get_custom(&a, 9, &p, &n, even_len), 0);
	ck_assert_ptr_eq(p, two);
	ck_assert_int_eq(vaccel_arg_array_get_serialized(&a, VACCEL_ARG_CUSTOM, 5, &back,
							 sizeof(back), point_de), 0);
	ck_assert_int_eq(back.x, 3);
	ck_assert_int_eq(back.y, 4);
	/* set_: the serialized form replaces the arg's bytes */
	vaccel_arg_array_set_position(&a, 1);
	struct point other = { 7, 8 };
	ck_assert_int_eq(vaccel_arg_array_set_serialized(&a, VACCEL_ARG_CUSTOM, 5, &other,
							 sizeof(other), point_ser), 0);
	vaccel_arg_array_set_position(&a, 1);
	ck_assert_int_eq(vaccel_arg_array_get_serialized(&a, VACCEL_ARG_CUSTOM, 5, &back,
							 sizeof(back), point_de), 0);
	ck_assert_int_eq(back.x, 7);
	vaccel_arg_array_reset_position(&a);
	ck_assert_int_eq(vaccel_arg_array_set_custom(&a, 9, "zz", 2, even_len), 0);
	ck_assert_int_eq(memcmp(two, "zz", 2), 0);
	vaccel_arg_array_set_position(&a, 99);
	ck_assert_uint_eq(vaccel_arg_array_position(&a), 2);
	ck_assert_int_eq(vaccel_arg_array_release(&a), 0); /* frees the serialized buffer */
}
END_TEST

START_TEST(wrap_range_remaining)
{
	int x = 1, y = 2, z = 3;
	struct vaccel_arg args[3] = {
		{ .buf = &x, .size = 4, .type = VACCEL_ARG_INT32 },
		{ .buf = &y, .size = 4, .type = VACCEL_ARG_INT32 },
		{ .buf = &z, .size = 4, .type = VACCEL_ARG_INT32 },
	};
	struct vaccel_arg_array w, d, *rest;
	ck_assert_int_eq(vaccel_arg_array_wrap(&w, args, 3), 0);
	ck_assert(!w.owned);
	ck_assert_ptr_eq(vaccel_arg_array_raw(&w), args);
	ck_assert_int_eq(vaccel_arg_array_add_int32(&w, &x), VACCEL_ERANGE); /* full */
	int32_t v;
	ck_assert_int_eq(vaccel_arg_array_get_int32(&w, &v), 0);
	struct vaccel_arg *r = NULL;
	size_t n = 0;
	ck_assert_int_eq(vaccel_arg_array_get_remaining(&w, &r, &n), 0);
	ck_assert_ptr_eq(r, &args[1]);
	ck_assert_uint_eq(n, 2);

	ck_assert_int_eq(vaccel_arg_array_init(&d, 1), 0);
	ck_assert_int_eq(vaccel_arg_array_add_remaining(&d, &w, true), 0);
	ck_assert_uint_eq(vaccel_arg_array_count(&d), 2);
	ck_assert(d.args[0].owned);
	ck_assert_ptr_ne(d.args[0].buf, &y);
	ck_assert_int_eq(*(int *)d.args[1].buf, 3);
	ck_assert_int_eq(vaccel_arg_array_add_all(&d, &w, false), 0);
	ck_assert_uint_eq(vaccel_arg_array_count(&d), 5);
	ck_assert_ptr_eq(d.args[2].buf, &x);
	ck_assert_int_eq(vaccel_arg_array_add_range(&d, &w, 2, 2, false), VACCEL_ERANGE);
	ck_assert_int_eq(vaccel_arg_array_release(&d), 0);
	ck_assert_int_eq(vaccel_arg_array_release(&w), 0); /* not owned: args untouched */
	ck_assert_ptr_eq(args[0].buf, &x);

	ck_assert_int_eq(vaccel_arg_array_new(&rest, 0), 0);
	ck_assert_uint_eq(vaccel_arg_array_remaining_count(rest), 0);
	ck_assert_int_eq(vaccel_arg_array_get_remaining(rest, &r, &n), 0);
	ck_assert_ptr_null(r);
	vaccel_arg_array_delete(rest);
}
END_TEST

/* An array's args go straight to the op API: exec through the noop plugin. */
START_TEST(array_feeds_genop)
{
	ck_assert_int_eq(unit_profile("version: 1\nplugins:\n  - name: noop\n"), 0);
	struct vaccel_session sess;
	ck_assert_int_eq(vaccel_session_init(&sess, 0), 0);
	struct vaccel_arg_array rd, wr;
	uint8_t op = VACCEL_OP_NOOP;
	vaccel_arg_array_init(&rd, 0);
	vaccel_arg_array_init(&wr, 0);
	ck_assert_int_eq(vaccel_arg_array_add_uint8(&rd, &op), 0);
	ck_assert_int_eq(vaccel_genop(&sess, vaccel_arg_array_raw(&rd), (int)vaccel_arg_array_count(&rd),
				      vaccel_arg_array_raw(&wr), (int)vaccel_arg_array_count(&wr)), 0);
	vaccel_arg_array_release(&rd);
	vaccel_arg_array_release(&wr);
	vaccel_session_release(&sess);
}
END_TEST

static Suite *unit_suite(void)
{
	Suite *s = suite_create("compat-args");
	TCase *tc = tcase_create("args");
	tcase_add_test(tc, arg_lifecycle);
	tcase_add_test(tc, typed_round_trips);
	tcase_add_test(tc, checks_on_add);
	tcase_add_test(tc, strings_buffers_raw);
	tcase_add_test(tc, custom_and_serialized);
	tcase_add_test(tc, wrap_range_remaining);
	tcase_add_test(tc, array_feeds_genop);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_MAIN()
