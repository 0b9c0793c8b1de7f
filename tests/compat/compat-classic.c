/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A plugin written for vAccel's plugin API (tests/plugins/classicnoop.c)
 * loads from a profile or VACCEL_PLUGINS beside ours, and each op it
 * registered reaches its function with vAccel's signature.
 */
#include <inttypes.h>
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
	/* Its framework ops are called in vAccel's form; one it lacks goes to the next plugin. */
	ck_assert_str_eq(vaccel_op_served_by(VACCEL_OP_TORCH_SGEMM, NULL), "classicnoop");
	ck_assert_str_eq(vaccel_op_served_by(VACCEL_OP_TFLITE_MODEL_RUN, NULL), "classicnoop");
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

/* A model resource registered to s: the plugin's hook marks it its own. */
static void model_init(struct vaccel_resource *m, struct vaccel_session *s)
{
	ck_assert_int_eq(vaccel_session_init(s, 0), 0);
	ck_assert_int_eq(vaccel_resource_init_from_buf(m, "m", 1, VACCEL_RESOURCE_MODEL, "m",
						       true), 0);
	ck_assert_int_eq(vaccel_resource_register(m, s), 0);
}

static void model_release(struct vaccel_resource *m, struct vaccel_session *s)
{
	ck_assert_int_eq(vaccel_resource_unregister(m, s), 0);
	ck_assert_int_eq(vaccel_resource_release(m), 0);
	ck_assert_int_eq(vaccel_session_release(s), 0);
}

/* 4 x 5 floats 0..19: the plugin's output j is them doubled, j + 1 times. */
static float x[20];
static int64_t x_dims[2] = { 4, 5 };

static void fill_x(void)
{
	for (int i = 0; i < 20; i++)
		x[i] = (float)i;
}

/* Output j as the plugin makes it: nr_dims, the dims' product and the doubled values. */
static void assert_doubled(const float *data, size_t size, int j)
{
	ck_assert_uint_eq(size, (size_t)(j + 1) * sizeof(x));
	ck_assert(data[19] == 38.0f && data[(j + 1) * 20 - 1] == 38.0f && data[1] == 2.0f);
}

/* torch: the load reaches the plugin, a run's outputs come back (one past its first buffer). */
START_TEST(torch_ops)
{
	load_classic();
	fill_x();
	struct vaccel_session s;
	struct vaccel_resource m;
	model_init(&m, &s);
	struct vaccel_torch_tensor *in, *out[2];
	ck_assert_int_eq(vaccel_torch_tensor_new(&in, 2, x_dims, VACCEL_TORCH_FLOAT), 0);
	ck_assert_int_eq(vaccel_torch_tensor_set_data(in, x, sizeof(x)), 0);
	ck_assert_int_eq(vaccel_torch_model_run(&s, &m, NULL, &in, 1, out, 2), VACCEL_ENOENT);
	ck_assert_int_eq(vaccel_torch_model_load(&s, &m), VACCEL_OK);
	ck_assert_int_eq(vaccel_torch_model_run(&s, &m, NULL, &in, 1, out, 2), VACCEL_OK);
	ck_assert(out[0]->nr_dims == 2 && out[0]->dims[0] == 4 && out[0]->dims[1] == 5);
	ck_assert_int_eq(out[0]->data_type, VACCEL_TORCH_FLOAT);
	assert_doubled(out[0]->data, out[0]->size, 0);
	ck_assert(out[1]->nr_dims == 1 && out[1]->dims[0] == 40);
	assert_doubled(out[1]->data, out[1]->size, 1);
	vaccel_torch_tensor_delete(out[0]);
	vaccel_torch_tensor_delete(out[1]);

	/* genop with an output buffer too small: ENOBUFS, the output described */
	uint8_t op = VACCEL_OP_TORCH_MODEL_RUN;
	int64_t id = m.id, in_desc[VACCEL_TORCH_DESC_LEN] = { VACCEL_TORCH_FLOAT, 2, 4, 5 };
	int64_t out_desc[VACCEL_TORCH_DESC_LEN] = { 0 };
	float small[19];
	struct vaccel_arg r[] = {
		{ .buf = &op, .size = 1, .type = VACCEL_ARG_UINT8 },
		{ .buf = &id, .size = 8, .type = VACCEL_ARG_INT64 },
		{ .buf = NULL, .size = 0, .type = VACCEL_ARG_RAW },
		{ .buf = in_desc, .size = sizeof(in_desc), .type = VACCEL_ARG_INT64_ARRAY },
		{ .buf = x, .size = sizeof(x), .type = VACCEL_ARG_RAW },
	};
	struct vaccel_arg w[] = {
		{ .buf = out_desc, .size = sizeof(out_desc), .type = VACCEL_ARG_INT64_ARRAY },
		{ .buf = small, .size = sizeof(small), .type = VACCEL_ARG_RAW },
	};
	ck_assert_int_eq(vaccel_genop(&s, r, 5, w, 2), VACCEL_ENOBUFS);
	ck_assert(out_desc[0] == VACCEL_TORCH_FLOAT && out_desc[1] == 2 && out_desc[3] == 5);

	/* sgemm: out = A * B + C; without C, A * B */
	float a[6] = { 1, 2, 3, 4, 5, 6 }, b[6] = { 1, 0, 0, 1, 1, 1 }, c[4] = { 10, 20, 30, 40 };
	int64_t da[2] = { 2, 3 }, db[2] = { 3, 2 }, dc[2] = { 2, 2 };
	struct vaccel_torch_tensor *ta, *tb, *tc, *res = NULL;
	ck_assert_int_eq(vaccel_torch_tensor_new(&ta, 2, da, VACCEL_TORCH_FLOAT), 0);
	ck_assert_int_eq(vaccel_torch_tensor_new(&tb, 2, db, VACCEL_TORCH_FLOAT), 0);
	ck_assert_int_eq(vaccel_torch_tensor_new(&tc, 2, dc, VACCEL_TORCH_FLOAT), 0);
	vaccel_torch_tensor_set_data(ta, a, sizeof(a));
	vaccel_torch_tensor_set_data(tb, b, sizeof(b));
	vaccel_torch_tensor_set_data(tc, c, sizeof(c));
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
	ck_assert_int_eq(vaccel_torch_sgemm(&s, &ta, &tb, &tc, 2, 2, 3, &res), VACCEL_OK);
	float *o = res->data;
	ck_assert(o[0] == 14 && o[1] == 25 && o[2] == 40 && o[3] == 51);
	ck_assert_int_eq(vaccel_torch_sgemm(&s, &ta, &tb, NULL, 2, 2, 3, &res), VACCEL_OK);
	ck_assert(o[0] == 4 && o[3] == 11);
#pragma GCC diagnostic pop
	vaccel_torch_tensor_delete(res);
	vaccel_torch_tensor_delete(ta);
	vaccel_torch_tensor_delete(tb);
	vaccel_torch_tensor_delete(tc);
	vaccel_torch_tensor_delete(in);
	model_release(&m, &s);
	vaccel_cleanup();
}
END_TEST

/* tf: vAccel's statuses and nodes reach it and come back, and its outputs. */
START_TEST(tf_ops)
{
	load_classic();
	fill_x();
	struct vaccel_session s;
	struct vaccel_resource m;
	model_init(&m, &s);
	char want[64];
	struct vaccel_tf_status st = { 0 };
	ck_assert_int_eq(vaccel_tf_model_load(&s, &m, &st), VACCEL_OK);
	snprintf(want, sizeof(want), "classicnoop loaded model %" PRId64, m.id);
	ck_assert_int_eq(st.code, 0);
	ck_assert_str_eq(st.message, want);
	vaccel_tf_status_release(&st);

	struct vaccel_tf_tensor *in, *out[2];
	struct vaccel_tf_node in_node = { .name = "x", .id = 0 }, out_nodes[2] = {
		{ .name = "y", .id = 1 }, { .name = "z", .id = 2 } };
	ck_assert_int_eq(vaccel_tf_tensor_new(&in, 2, x_dims, VACCEL_TF_FLOAT), 0);
	ck_assert_int_eq(vaccel_tf_tensor_set_data(in, x, sizeof(x)), 0);
	ck_assert_int_eq(vaccel_tf_model_run(&s, &m, NULL, &in_node, &in, 1, out_nodes, out, 2,
					     &st), VACCEL_OK);
	ck_assert_str_eq(st.message, "ran x:0 to y:1");
	vaccel_tf_status_release(&st);
	ck_assert(out[0]->nr_dims == 2 && out[0]->dims[1] == 5);
	assert_doubled(out[0]->data, out[0]->size, 0);
	ck_assert(out[1]->nr_dims == 1 && out[1]->dims[0] == 40);
	assert_doubled(out[1]->data, out[1]->size, 1);
	vaccel_tf_tensor_delete(out[0]);
	vaccel_tf_tensor_delete(out[1]);

	/* genop with an output buffer too small: ENOBUFS, after the status */
	uint8_t op = VACCEL_OP_TF_MODEL_RUN;
	int64_t id = m.id, in_desc[VACCEL_TF_DESC_LEN] = { VACCEL_TF_FLOAT, 2, 4, 5 };
	int64_t out_desc[VACCEL_TF_DESC_LEN] = { 0 };
	char status[VACCEL_TF_STATUS_LEN], small[8];
	struct vaccel_arg r[] = {
		{ .buf = &op, .size = 1, .type = VACCEL_ARG_UINT8 },
		{ .buf = &id, .size = 8, .type = VACCEL_ARG_INT64 },
		{ .buf = NULL, .size = 0, .type = VACCEL_ARG_RAW },
		{ .buf = "x:0", .size = 4, .type = VACCEL_ARG_RAW },
		{ .buf = "y:0", .size = 4, .type = VACCEL_ARG_RAW },
		{ .buf = in_desc, .size = sizeof(in_desc), .type = VACCEL_ARG_INT64_ARRAY },
		{ .buf = x, .size = sizeof(x), .type = VACCEL_ARG_RAW },
	};
	struct vaccel_arg w[] = {
		{ .buf = status, .size = sizeof(status), .type = VACCEL_ARG_RAW },
		{ .buf = out_desc, .size = sizeof(out_desc), .type = VACCEL_ARG_INT64_ARRAY },
		{ .buf = small, .size = sizeof(small), .type = VACCEL_ARG_RAW },
	};
	ck_assert_int_eq(vaccel_genop(&s, r, 7, w, 3), VACCEL_ENOBUFS);
	ck_assert(out_desc[0] == VACCEL_TF_FLOAT && out_desc[1] == 2 && out_desc[2] == 4);

	ck_assert_int_eq(vaccel_tf_model_unload(&s, &m, &st), VACCEL_OK);
	snprintf(want, sizeof(want), "classicnoop unloaded model %" PRId64, m.id);
	ck_assert_str_eq(st.message, want);
	vaccel_tf_status_release(&st);
	vaccel_tf_tensor_delete(in);
	model_release(&m, &s);
	vaccel_cleanup();
}
END_TEST

/* tflite: int32 dims; a run before the load or after the unload fails by its status. */
START_TEST(tflite_ops)
{
	load_classic();
	fill_x();
	struct vaccel_session s;
	struct vaccel_resource m;
	model_init(&m, &s);
	int32_t dims[2] = { 4, 5 };
	uint8_t status = 0;
	struct vaccel_tflite_tensor *in, *out[2];
	ck_assert_int_eq(vaccel_tflite_tensor_new(&in, 2, dims, VACCEL_TFLITE_FLOAT32), 0);
	ck_assert_int_eq(vaccel_tflite_tensor_set_data(in, x, sizeof(x)), 0);
	ck_assert_int_eq(vaccel_tflite_model_run(&s, &m, &in, 1, out, 2, &status), VACCEL_EIO);
	ck_assert_int_eq(vaccel_tflite_model_load(&s, &m), VACCEL_OK);
	ck_assert_int_eq(vaccel_tflite_model_run(&s, &m, &in, 1, out, 2, &status), VACCEL_OK);
	ck_assert_int_eq(status, 0);
	ck_assert(out[0]->nr_dims == 2 && out[0]->dims[0] == 4 && out[0]->dims[1] == 5);
	assert_doubled(out[0]->data, out[0]->size, 0);
	ck_assert(out[1]->nr_dims == 1 && out[1]->dims[0] == 40);
	assert_doubled(out[1]->data, out[1]->size, 1);
	vaccel_tflite_tensor_delete(out[0]);
	vaccel_tflite_tensor_delete(out[1]);
	ck_assert_int_eq(vaccel_tflite_model_unload(&s, &m), VACCEL_OK);
	ck_assert_int_eq(vaccel_tflite_model_run(&s, &m, &in, 1, out, 2, &status), VACCEL_EIO);
	vaccel_tflite_tensor_delete(in);
	model_release(&m, &s);
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
	tcase_add_test(tc, torch_ops);
	tcase_add_test(tc, tf_ops);
	tcase_add_test(tc, tflite_ops);
	tcase_add_test(tc, from_vaccel_plugins);
	tcase_add_test(tc, register_outside_init);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_MAIN()
