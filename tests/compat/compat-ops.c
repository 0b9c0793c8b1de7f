/* SPDX-License-Identifier: Apache-2.0 */
/* vAccel's op codes and the generated enum names; genop with a UINT8 op code. */
#include "../unit/unit.h"

/* vAccel's op list, in its order: the value of each is its index. */
static const char *const vaccel_ops[] = {
	"NOOP", "EXEC", "EXEC_WITH_RESOURCE", "IMAGE_CLASSIFY", "IMAGE_DETECT",
	"IMAGE_SEGMENT", "IMAGE_POSE", "IMAGE_DEPTH", "TF_MODEL_LOAD",
	"TF_MODEL_UNLOAD", "TF_MODEL_RUN", "TFLITE_MODEL_LOAD", "TFLITE_MODEL_UNLOAD",
	"TFLITE_MODEL_RUN", "TORCH_MODEL_LOAD", "TORCH_MODEL_RUN", "TORCH_SGEMM",
	"BLAS_SGEMM", "FPGA_ARRAYCOPY", "FPGA_MMULT", "FPGA_PARALLEL", "FPGA_VECTORADD",
	"MINMAX", "OPENCV",
};

START_TEST(op_codes)
{
	size_t n = sizeof(vaccel_ops) / sizeof(vaccel_ops[0]);
	ck_assert_uint_eq(n, 24);
	for (size_t i = 0; i < n; i++)
		ck_assert_str_eq(vaccel_op_type_to_base_str((vaccel_op_type_t)i), vaccel_ops[i]);
	ck_assert_int_eq(VACCEL_OP_NOOP, 0);
	ck_assert_int_eq(VACCEL_OP_BLAS_SGEMM, 17);
	ck_assert_int_eq(VACCEL_OP_FPGA_ARRAYCOPY, 18);
	ck_assert_int_eq(VACCEL_OP_FPGA_VECTORADD, 21);
	ck_assert_int_eq(VACCEL_OP_MINMAX, 22);
	ck_assert_int_eq(VACCEL_OP_OPENCV, 23);
	/* ours follow vAccel's */
	ck_assert_int_eq(VACCEL_OP_IMAGE_ANALYZE, 24);
	ck_assert_int_eq(VACCEL_OP_TENSOR_INFER, 25);
	ck_assert_int_eq(VACCEL_OP_MAX, 26);
}
END_TEST

START_TEST(enum_names)
{
	char buf[VACCEL_ENUM_STR_MAX], small[4];
	ck_assert_str_eq(vaccel_op_type_to_str(VACCEL_OP_MINMAX), "VACCEL_OP_MINMAX");
	ck_assert_str_eq(vaccel_op_type_to_base_str(VACCEL_OP_EXEC_WITH_RESOURCE),
			 "EXEC_WITH_RESOURCE");
	ck_assert_str_eq(vaccel_op_type_name(VACCEL_OP_BLAS_SGEMM, buf, sizeof(buf)), "blas_sgemm");
	ck_assert_str_eq(vaccel_op_type_to_lower(VACCEL_OP_OPENCV, buf, sizeof(buf)), "opencv");
	ck_assert_str_eq(vaccel_op_type_to_str(VACCEL_OP_MAX), "VACCEL_OP_MAX");
	ck_assert_str_eq(vaccel_op_type_to_base_str((vaccel_op_type_t)200), "MAX");
	ck_assert_str_eq(vaccel_op_type_name(VACCEL_OP_BLAS_SGEMM, small, sizeof(small)), "bla");
	ck_assert_ptr_null(vaccel_op_type_name(VACCEL_OP_NOOP, NULL, 0));
	/* The generated lower-case names are the op table's names. */
	for (int op = 0; op < VACCEL_OP_MAX; op++)
		ck_assert_str_eq(vaccel_op_type_name(op, buf, sizeof(buf)), vaccel_op_name(op));

	ck_assert_str_eq(vaccel_arg_type_to_str(VACCEL_ARG_FLOAT32_ARRAY), "VACCEL_ARG_FLOAT32_ARRAY");
	ck_assert_str_eq(vaccel_arg_type_to_base_str(VACCEL_ARG_CUSTOM), "CUSTOM");
	for (int t = 0; t < VACCEL_ARG_MAX; t++)
		ck_assert_str_eq(vaccel_arg_type_name(t, buf, sizeof(buf)),
				 vaccel_arg_type_short_name(t));
	ck_assert_int_eq(VACCEL_ARG_MAX, 30);

	ck_assert_str_eq(vaccel_resource_type_to_str(VACCEL_RESOURCE_MODEL), "VACCEL_RESOURCE_MODEL");
	ck_assert_str_eq(vaccel_resource_type_name(VACCEL_RESOURCE_LIB, buf, sizeof(buf)), "lib");
	ck_assert_str_eq(vaccel_resource_type_short_name(VACCEL_RESOURCE_DATA), "data");
	ck_assert_int_eq(VACCEL_RESOURCE_MAX, 3);

	ck_assert_str_eq(vaccel_log_level_to_str(VACCEL_LOG_WARN), "VACCEL_LOG_WARN");
	ck_assert_str_eq(vaccel_log_level_name(VACCEL_LOG_DEBUG, buf, sizeof(buf)), "debug");
	ck_assert_int_eq(VACCEL_LOG_ERROR, 1);
	ck_assert_int_eq(VACCEL_LOG_DEBUG, 4);
	vaccel_log_level_t lv = VACCEL_LOG_INFO;
	enum vaccel_log_level same = lv;
	ck_assert_int_eq(same, 3);
}
END_TEST

START_TEST(str_to_lower)
{
	char buf[8], *alloc = NULL;
	ck_assert_int_eq(vaccel_str_to_lower("HeLLo", buf, sizeof(buf), NULL), 0);
	ck_assert_str_eq(buf, "hello");
	ck_assert_int_eq(vaccel_str_to_lower("ABCDEFGHIJ", buf, sizeof(buf), NULL), 0);
	ck_assert_str_eq(buf, "abcdefg");
	ck_assert_int_eq(vaccel_str_to_lower("ABCDEFGHIJ", NULL, 0, &alloc), 0);
	ck_assert_str_eq(alloc, "abcdefghij");
	free(alloc);
	ck_assert_int_eq(vaccel_str_to_lower("x", NULL, 0, NULL), VACCEL_EINVAL);
	ck_assert_int_eq(vaccel_str_to_lower(NULL, buf, sizeof(buf), NULL), VACCEL_EINVAL);
}
END_TEST

/* vAccel passes genop's op code as a UINT8 arg: each op of ours and vAccel's. */
START_TEST(genop_uint8_op_code)
{
	ck_assert_int_eq(unit_profile("version: 1\nplugins:\n  - name: noop\n"), 0);
	struct vaccel_session sess;
	ck_assert_int_eq(vaccel_session_init(&sess, 0), 0);
	uint8_t op = VACCEL_OP_NOOP;
	struct vaccel_arg rd[] = { { .buf = &op, .size = 1, .type = VACCEL_ARG_UINT8 } };
	ck_assert_int_eq(vaccel_genop(&sess, rd, 1, NULL, 0), 0);
	/* minmax, through genop with its row's args */
	double in[3] = { 1, 5, 9 }, out[3], mn = 0, mx = 0;
	int nd = 3, lo = 2, hi = 8;
	op = VACCEL_OP_MINMAX;
	struct vaccel_arg r2[] = {
		{ .buf = &op, .size = 1, .type = VACCEL_ARG_UINT8 },
		{ .buf = in, .size = sizeof(in), .type = VACCEL_ARG_FLOAT64_ARRAY },
		{ .buf = &nd, .size = 4, .type = VACCEL_ARG_INT32 },
		{ .buf = &lo, .size = 4, .type = VACCEL_ARG_INT32 },
		{ .buf = &hi, .size = 4, .type = VACCEL_ARG_INT32 },
	};
	struct vaccel_arg w2[] = {
		{ .buf = out, .size = sizeof(out), .type = VACCEL_ARG_FLOAT64_ARRAY },
		{ .buf = &mn, .size = 8, .type = VACCEL_ARG_FLOAT64 },
		{ .buf = &mx, .size = 8, .type = VACCEL_ARG_FLOAT64 },
	};
	ck_assert_int_eq(vaccel_genop(&sess, r2, 5, w2, 3), 0);
	/* an op code past ours is refused */
	op = VACCEL_OP_MAX;
	ck_assert_int_eq(vaccel_genop(&sess, rd, 1, NULL, 0), VACCEL_EINVAL);
	vaccel_session_release(&sess);
}
END_TEST

/* vAccel's opencv op: any lists to the plugin that serves it, else ENOTSUP. */
START_TEST(opencv_unpack)
{
	ck_assert_int_eq(unit_profile("version: 1\nplugins:\n  - name: noop\n"), 0);
	struct vaccel_session sess;
	ck_assert_int_eq(vaccel_session_init(&sess, 0), 0);
	char img[16] = "", out[8];
	struct vaccel_arg rd[] = { { .buf = img, .size = sizeof(img), .type = VACCEL_ARG_RAW } };
	struct vaccel_arg wr[] = { { .buf = out, .size = sizeof(out), .type = VACCEL_ARG_RAW } };
	ck_assert_int_eq(vaccel_opencv_unpack(&sess, rd, 1, wr, 1), VACCEL_OK);
	ck_assert_int_eq(vaccel_opencv_unpack(&sess, NULL, 0, NULL, 0), VACCEL_OK);
	ck_assert_int_eq(vaccel_opencv_unpack(NULL, rd, 1, wr, 1), VACCEL_EINVAL);
	vaccel_session_release(&sess);
	ck_assert_int_eq(unit_profile("version: 1\nplugins:\n  - name: noop\n    ops: [noop]\n"), 0);
	ck_assert_int_eq(vaccel_session_init(&sess, 0), 0);
	ck_assert_int_eq(vaccel_opencv_unpack(&sess, rd, 1, wr, 1), VACCEL_ENOTSUP);
	vaccel_session_release(&sess);
}
END_TEST

static Suite *unit_suite(void)
{
	Suite *s = suite_create("compat-ops");
	TCase *tc = tcase_create("ops");
	tcase_add_test(tc, op_codes);
	tcase_add_test(tc, enum_names);
	tcase_add_test(tc, str_to_lower);
	tcase_add_test(tc, genop_uint8_op_code);
	tcase_add_test(tc, opencv_unpack);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_MAIN()
