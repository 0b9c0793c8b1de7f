/* SPDX-License-Identifier: Apache-2.0 */
/*
 * vaccel_tensor_infer and the genop forms of tensor_infer and image_analyze,
 * through the noop plugin's documented fixed results: argument checks, model
 * resolution, ENOBUFS.
 */
#include "unit.h"

static struct vaccel_session sess;
static float in_data[6] = { 1, 2, 3, 4, 5, 6 };

static void noop_session(void)
{
	ck_assert_int_eq(unit_profile("plugins: [noop]\n"), 0);
	ck_assert_int_eq(vaccel_session_init(&sess, 0), 0);
}

static struct vaccel_tensor input_2x3(void)
{
	struct vaccel_tensor in = { .ndims = 2, .dims = { 2, 3 }, .data = in_data, .count = 6 };
	return in;
}

START_TEST(op_value_and_name)
{
	ck_assert_int_eq(VACCEL_OP_TENSOR_INFER, 25); /* after image_analyze, on the wire */
	ck_assert_str_eq(vaccel_op_name(VACCEL_OP_TENSOR_INFER), "tensor_infer");
	ck_assert_int_eq(VACCEL_OP_MAX, 26);
}
END_TEST

START_TEST(noop_result_and_enobufs)
{
	struct vaccel_tensor in = input_2x3();
	float out_data[4] = { 9, 9, 9, 9 };
	struct vaccel_tensor out = { .data = out_data, .count = 4 };
	noop_session();
	ck_assert_int_eq(vaccel_tensor_infer(&sess, "m.onnx", NULL, NULL, &in, &out), 0);
	ck_assert_uint_eq(out.ndims, 1);
	ck_assert_int_eq(out.dims[0], 1);
	ck_assert_uint_eq(out.count, 1);
	ck_assert(out_data[0] == 0.0f && out_data[1] == 9.0f);
	/* No room: the needed size comes back, the data is untouched. */
	out_data[0] = 9;
	out.count = 0;
	ck_assert_int_eq(vaccel_tensor_infer(&sess, "m.onnx", NULL, NULL, &in, &out),
			 VACCEL_ENOBUFS);
	ck_assert_uint_eq(out.count, 1);
	ck_assert(out_data[0] == 9.0f);
	vaccel_session_release(&sess);
}
END_TEST

START_TEST(bad_tensors_and_models)
{
	struct vaccel_tensor in = input_2x3(), out = { .data = in_data, .count = 6 };
	noop_session();
	in.count = 5; /* the shape holds 6 */
	ck_assert_int_eq(vaccel_tensor_infer(&sess, "m", NULL, NULL, &in, &out), VACCEL_EINVAL);
	in = input_2x3();
	in.dims[1] = 0;
	ck_assert_int_eq(vaccel_tensor_infer(&sess, "m", NULL, NULL, &in, &out), VACCEL_EINVAL);
	in = input_2x3();
	in.ndims = VACCEL_TENSOR_MAX_DIMS + 1;
	ck_assert_int_eq(vaccel_tensor_infer(&sess, "m", NULL, NULL, &in, &out), VACCEL_EINVAL);
	in = input_2x3();
	/* Exactly one of a path and a resource. */
	ck_assert_int_eq(vaccel_tensor_infer(&sess, NULL, NULL, NULL, &in, &out), VACCEL_EINVAL);
	struct vaccel_resource res;
	char *file = unit_temp_file("model bytes", ".onnx");
	ck_assert_int_eq(vaccel_resource_init(&res, file, VACCEL_RESOURCE_MODEL), 0);
	ck_assert_int_eq(vaccel_tensor_infer(&sess, "m", &res, NULL, &in, &out), VACCEL_EINVAL);
	/* A resource must be registered to the session. */
	ck_assert_int_eq(vaccel_tensor_infer(&sess, NULL, &res, NULL, &in, &out), VACCEL_EPERM);
	ck_assert_int_eq(vaccel_resource_register(&res, &sess), 0);
	ck_assert_int_eq(vaccel_tensor_infer(&sess, NULL, &res, NULL, &in, &out), 0);
	ck_assert_int_eq(vaccel_resource_unregister(&res, &sess), 0);
	ck_assert_int_eq(vaccel_resource_release(&res), 0);
	/* A LIB resource is not a model. */
	ck_assert_int_eq(vaccel_resource_init(&res, file, VACCEL_RESOURCE_LIB), 0);
	ck_assert_int_eq(vaccel_resource_register(&res, &sess), 0);
	ck_assert_int_eq(vaccel_tensor_infer(&sess, NULL, &res, NULL, &in, &out), VACCEL_EINVAL);
	ck_assert_int_eq(vaccel_resource_unregister(&res, &sess), 0);
	ck_assert_int_eq(vaccel_resource_release(&res), 0);
	unlink(file);
	free(file);
	vaccel_session_release(&sess);
}
END_TEST

/* genop: read [op, model, model_resource, output_name, dims, data]; write [shape, data]. */
START_TEST(genop_tensor_infer)
{
	uint32_t op = VACCEL_OP_TENSOR_INFER;
	int64_t dims[2] = { 2, 3 }, shape[1 + VACCEL_TENSOR_MAX_DIMS], no_res = 0;
	float out[2] = { 9, 9 };
	struct vaccel_arg read[6] = {
		{ &op, sizeof(op), VACCEL_ARG_UINT32, 0, false },
		{ "m.onnx", 7, VACCEL_ARG_STRING, 0, false },
		{ &no_res, sizeof(no_res), VACCEL_ARG_INT64, 0, false },
		{ "", 1, VACCEL_ARG_STRING, 0, false },
		{ dims, sizeof(dims), VACCEL_ARG_INT64_ARRAY, 0, false },
		{ in_data, sizeof(in_data), VACCEL_ARG_FLOAT32_ARRAY, 0, false },
	};
	struct vaccel_arg write[2] = {
		{ shape, sizeof(shape), VACCEL_ARG_INT64_ARRAY, 0, false },
		{ out, sizeof(out), VACCEL_ARG_FLOAT32_ARRAY, 0, false },
	};
	noop_session();
	ck_assert_int_eq(vaccel_genop(&sess, read, 6, write, 2), 0);
	ck_assert_int_eq(shape[0], 1);
	ck_assert_int_eq(shape[1], 1);
	ck_assert(out[0] == 0.0f && out[1] == 9.0f);
	/* No room: ENOBUFS, and the shape slot says what is needed. */
	write[1].size = 0;
	shape[0] = shape[1] = 0;
	ck_assert_int_eq(vaccel_genop(&sess, read, 6, write, 2), VACCEL_ENOBUFS);
	ck_assert_int_eq(shape[0], 1);
	ck_assert_int_eq(shape[1], 1);
	write[1].size = sizeof(out);
	/* Input data that does not fill the dims, a short shape slot: EINVAL. */
	read[5].size = 5 * sizeof(float);
	ck_assert_int_eq(vaccel_genop(&sess, read, 6, write, 2), VACCEL_EINVAL);
	read[5].size = sizeof(in_data);
	write[0].size = 8;
	ck_assert_int_eq(vaccel_genop(&sess, read, 6, write, 2), VACCEL_EINVAL);
	write[0].size = sizeof(shape);
	/* "" as the model and no resource: the session's model resource, which it lacks. */
	read[1].buf = "";
	read[1].size = 1;
	ck_assert_int_eq(vaccel_genop(&sess, read, 6, write, 2), VACCEL_ENOENT);
	/* A resource id the session does not hold. */
	no_res = 12345;
	ck_assert_int_eq(vaccel_genop(&sess, read, 6, write, 2), VACCEL_EPERM);
	vaccel_session_release(&sess);
}
END_TEST

START_TEST(genop_image_analyze)
{
	uint32_t op = VACCEL_OP_IMAGE_ANALYZE, task = VACCEL_OP_IMAGE_POSE;
	uint64_t img_size = 99;
	char text[64];
	struct vaccel_arg read[3] = {
		{ &op, sizeof(op), VACCEL_ARG_UINT32, 0, false },
		{ &task, sizeof(task), VACCEL_ARG_UINT32, 0, false },
		{ "jpg", 3, VACCEL_ARG_RAW, 0, false },
	};
	struct vaccel_arg write[3] = {
		{ text, sizeof(text), VACCEL_ARG_CHAR_ARRAY, 0, false },
		{ NULL, 0, VACCEL_ARG_RAW, 0, false },
		{ &img_size, sizeof(img_size), VACCEL_ARG_UINT64, 0, false },
	};
	noop_session();
	ck_assert_int_eq(vaccel_genop(&sess, read, 3, write, 3), 0);
	ck_assert_str_eq(text, "class 1.000000 noop\n");
	ck_assert_uint_eq(img_size, 0);
	task = VACCEL_OP_NOOP;
	ck_assert_int_eq(vaccel_genop(&sess, read, 3, write, 3), VACCEL_EINVAL);
	task = VACCEL_OP_IMAGE_POSE;
	write[2].size = 4;
	ck_assert_int_eq(vaccel_genop(&sess, read, 3, write, 3), VACCEL_EINVAL);
	vaccel_session_release(&sess);
}
END_TEST

static Suite *unit_suite(void)
{
	Suite *s = suite_create("infer");
	TCase *tc = tcase_create("infer");
	tcase_add_test(tc, op_value_and_name);
	tcase_add_test(tc, noop_result_and_enobufs);
	tcase_add_test(tc, bad_tensors_and_models);
	tcase_add_test(tc, genop_tensor_infer);
	tcase_add_test(tc, genop_image_analyze);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_MAIN()
