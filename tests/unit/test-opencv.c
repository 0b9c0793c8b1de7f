/* SPDX-License-Identifier: Apache-2.0 */
/* The opencv plugin through the vAccel image ops, on the shared models. */
#include "unit.h"
#include <sys/stat.h>

#define IMG(name) "/images/" name

static char *models;

/* A file's bytes; *len gets the size. */
static unsigned char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	ck_assert_msg(f != NULL, "%s: cannot open", path);
	unsigned char *buf = malloc(64 << 20);
	*len = fread(buf, 1, 64 << 20, f);
	fclose(f);
	return buf;
}

static unsigned char *model_image(const char *name, size_t *len)
{
	char path[1024];
	snprintf(path, sizeof(path), "%s/images/%s", models, name);
	return slurp(path, len);
}

static void vision_profile(void)
{
	char path[1024];
	models = (char *)unit_env("VACCEL_MODELS");
	snprintf(path, sizeof(path), "%s/configs/vision.yaml", unit_env("TOP_SRCDIR"));
	vaccel_cleanup();
	ck_assert_int_eq(vaccel_bootstrap_profile(path, 0, unit_err, sizeof(unit_err)), 0);
}

/* The output image is a JPEG file the caller now owns. */
static void assert_output_image(const unsigned char *name)
{
	size_t len;
	unsigned char *b = slurp((const char *)name, &len);
	ck_assert_uint_gt(len, 1000);
	ck_assert_int_eq(b[0], 0xff);
	ck_assert_int_eq(b[1], 0xd8);
	free(b);
	unlink((const char *)name);
}

START_TEST(classify_cat)
{
	struct vaccel_session s;
	unsigned char text[512], name[256];
	size_t len;
	vision_profile();
	unsigned char *img = model_image("cat.jpg", &len);
	ck_assert_int_eq(vaccel_session_init(&s, 0), 0);
	ck_assert_int_eq(vaccel_image_classification(&s, img, text, name, len, sizeof(text),
						     sizeof(name)), 0);
	ck_assert_msg(!strncmp((char *)text, "Egyptian cat: 0.8", 17), "got %s", text);
	ck_assert_int_eq((int)(strchr((char *)text, '\0') - (char *)text) > 0, 1);
	assert_output_image(name);
	/* A second call reuses the loaded model and gives the same answer. */
	unsigned char again[512];
	ck_assert_int_eq(vaccel_image_classification(&s, img, again, name, len, sizeof(again),
						     sizeof(name)), 0);
	ck_assert_str_eq((char *)again, (char *)text);
	unlink((char *)name);
	vaccel_session_release(&s);
	free(img);
}
END_TEST

typedef int (*image_fn)(struct vaccel_session *, const void *, unsigned char *, size_t,
			size_t);

START_TEST(other_tasks_write_images)
{
	static const image_fn fns[] = { vaccel_image_detection, vaccel_image_segmentation,
					vaccel_image_pose, vaccel_image_depth };
	struct vaccel_session s;
	unsigned char name[256];
	size_t len;
	vision_profile();
	unsigned char *img = model_image("person.jpg", &len);
	ck_assert_int_eq(vaccel_session_init(&s, 0), 0);
	for (size_t i = 0; i < sizeof(fns) / sizeof(fns[0]); i++) {
		ck_assert_int_eq(fns[i](&s, img, name, len, sizeof(name)), 0);
		ck_assert_ptr_nonnull(strstr((char *)name, "/vaccel-"));
		assert_output_image(name);
	}
	vaccel_session_release(&s);
	free(img);
}
END_TEST

static int classify_bytes(const void *img, size_t len)
{
	struct vaccel_session s;
	unsigned char text[256], name[256];
	ck_assert_int_eq(vaccel_session_init(&s, 0), 0);
	int ret = vaccel_image_classification(&s, img, text, name, len, sizeof(text),
					      sizeof(name));
	vaccel_session_release(&s);
	if (!ret)
		unlink((const char *)name);
	return ret;
}

START_TEST(bad_images_are_einval)
{
	/* A PNG signature and IHDR declaring 100000 x 100000 pixels. */
	static const unsigned char huge[] = {
		0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R',
		0, 1, 0x86, 0xa0, 0, 1, 0x86, 0xa0, 8, 2, 0, 0, 0, 0, 0, 0, 0
	};
	size_t len;
	vision_profile();
	unsigned char *img = model_image("cat.jpg", &len);
	ck_assert_int_eq(classify_bytes("not an image at all\n", 20), VACCEL_EINVAL);
	ck_assert_int_eq(classify_bytes(img, len / 2), VACCEL_EINVAL);
	ck_assert_int_eq(classify_bytes(img, 0), VACCEL_EINVAL);
	ck_assert_int_eq(classify_bytes(huge, sizeof(huge)), VACCEL_EINVAL);
	free(img);
}
END_TEST

/* A BMP: file header, a 40-byte DIB header, then `data`. */
static size_t bmp(unsigned char *out, int32_t w, int32_t h, uint16_t bpp, uint32_t compression,
		  const void *data, size_t len)
{
	uint32_t v32;
	uint16_t v16;
	memset(out, 0, 54);
	memcpy(out, "BM", 2);
	v32 = (uint32_t)(54 + len), memcpy(out + 2, &v32, 4);
	v32 = 54, memcpy(out + 10, &v32, 4);
	v32 = 40, memcpy(out + 14, &v32, 4);
	memcpy(out + 18, &w, 4);
	memcpy(out + 22, &h, 4);
	v16 = 1, memcpy(out + 26, &v16, 2);
	memcpy(out + 28, &bpp, 2);
	memcpy(out + 30, &compression, 4);
	memcpy(out + 54, data, len);
	return 54 + len;
}

/*
 * A header declares the size for every format decoded: a few bytes of
 * run-length BMP, a PNM or a WebP asking for more pixels than max-pixels
 * are refused before OpenCV allocates; formats whose size is not read
 * (TIFF, ...) are refused; small images of each format decode.
 */
START_TEST(decoder_bombs)
{
	unsigned char buf[256];
	static const unsigned char rle_end[] = { 0, 1 };        /* RLE8: end of bitmap */
	static const unsigned char px[16] = { 0 };              /* 2x2, 24 bits, rows of 8 bytes */
	vision_profile();
	vaccel_log_clear_last_error();
	ck_assert_int_eq(classify_bytes(buf, bmp(buf, 30000, 30000, 8, 1, rle_end, 2)), VACCEL_EINVAL);
	ck_assert_msg(strstr(vaccel_log_last_error(), "declares 30000x30000 pixels"), "%s",
		      vaccel_log_last_error());
	ck_assert_int_eq(classify_bytes(buf, bmp(buf, 30000, -30000, 8, 1, rle_end, 2)), VACCEL_EINVAL);
	ck_assert_int_eq(classify_bytes(buf, bmp(buf, 2, 2, 24, 0, px, sizeof(px))), 0);
	static const char big_pnm[] = "P6\n# comment\n100000 100000\n255\n";
	ck_assert_int_eq(classify_bytes(big_pnm, sizeof(big_pnm) - 1), VACCEL_EINVAL);
	static const char small_pnm[] = "P6 2 2 255\n\0\0\0\0\0\0\0\0\0\0\0\0";
	ck_assert_int_eq(classify_bytes(small_pnm, sizeof(small_pnm) - 1), 0);
	/* A VP8X WebP canvas of 16384 x 16384. */
	static const unsigned char webp[30] = { 'R', 'I', 'F', 'F', 22, 0, 0, 0, 'W', 'E', 'B', 'P',
		'V', 'P', '8', 'X', 10, 0, 0, 0, 0, 0, 0, 0, 0xff, 0x3f, 0, 0xff, 0x3f, 0 };
	ck_assert_int_eq(classify_bytes(webp, sizeof(webp)), VACCEL_EINVAL);
	vaccel_log_clear_last_error();
	static const unsigned char tiff[16] = { 'I', 'I', 42, 0, 8, 0, 0, 0 };
	ck_assert_int_eq(classify_bytes(tiff, sizeof(tiff)), VACCEL_EINVAL);
	ck_assert_msg(strstr(vaccel_log_last_error(), "not JPEG, PNG, BMP, PNM or WebP"), "%s",
		      vaccel_log_last_error());
}
END_TEST

/* A profile whose classify model is given by the caller. */
static int classify_profile(const char *model, const char *labels)
{
	char yaml[4096];
	snprintf(yaml, sizeof(yaml),
		 "plugins:\n  - name: opencv\n    options:\n      classify-model: %s\n"
		 "      classify-labels: %s\n      classify-mean: 128\n"
		 "      classify-scale: 0.0078125\n      classify-rgb: true\n", model, labels);
	return unit_profile(yaml);
}

START_TEST(model_problems)
{
	char model[1024], labels[1024];
	size_t len;
	models = (char *)unit_env("VACCEL_MODELS");
	snprintf(model, sizeof(model),
		 "%s/classification/mobilenet_v2/mobilenet_v2_1.0_224_dequant.onnx", models);
	snprintf(labels, sizeof(labels), "%s/detection/nanodet_m/coco.names", models);
	unsigned char *img = model_image("cat.jpg", &len);

	ck_assert_int_eq(classify_profile("/nonexistent/m.onnx", labels), 0);
	ck_assert_int_eq(classify_bytes(img, len), VACCEL_ENOENT);

	ck_assert_int_eq(classify_profile(model, labels), 0);
	ck_assert_int_eq(classify_bytes(img, len), VACCEL_EINVAL); /* 80 labels, 1001 classes */

	char *garbage = unit_temp_file("this is not an onnx model", ".onnx");
	ck_assert_int_eq(classify_profile(garbage, labels), 0);
	ck_assert_int_eq(classify_bytes(img, len), VACCEL_EIO);
	unlink(garbage);
	free(garbage);

	ck_assert_int_eq(unit_profile("plugins:\n  - name: opencv\n    options:\n"
				      "      standard-models: false\n"), 0);
	ck_assert_int_eq(classify_bytes(img, len), VACCEL_ENOTSUP);
	free(img);
}
END_TEST

/*
 * No options: each task runs its standard model, from the models directory
 * or else from $VACCEL_MODEL_MIRROR; when neither has it, ENOENT and a
 * message that says how to get the models.
 */
START_TEST(standard_models)
{
	size_t len;
	char *dir = strdup(unit_env("VACCEL_MODELS"));
	models = dir;
	unsigned char *img = model_image("cat.jpg", &len);

	ck_assert_int_eq(unit_profile("plugins:\n  - name: opencv\n"), 0);
	ck_assert_int_eq(classify_bytes(img, len), 0);

	setenv("VACCEL_MODELS", "/nonexistent/models", 1);
	unsetenv("VACCEL_MODEL_MIRROR");
	ck_assert_int_eq(unit_profile("plugins:\n  - name: opencv\n"), 0);
	vaccel_log_clear_last_error();
	ck_assert_int_eq(classify_bytes(img, len), VACCEL_ENOENT);
	const char *msg = vaccel_log_last_error();
	ck_assert_msg(strstr(msg, "/nonexistent/models/classification/mobilenet_v2/") &&
		      strstr(msg, "vaccel models fetch") && strstr(msg, "VACCEL_MODEL_MIRROR"),
		      "message: %s", msg);

	setenv("VACCEL_MODEL_MIRROR", dir, 1);
	ck_assert_int_eq(unit_profile("plugins:\n  - name: opencv\n"), 0);
	ck_assert_int_eq(classify_bytes(img, len), 0);

	setenv("VACCEL_MODELS", dir, 1);
	unsetenv("VACCEL_MODEL_MIRROR");
	models = (char *)unit_env("VACCEL_MODELS");
	free(dir);
	free(img);
}
END_TEST

START_TEST(bad_options)
{
	ck_assert_int_ne(unit_profile("plugins:\n  - name: opencv\n    options:\n"
				      "      classify-size: 0x3\n"), 0);
	unit_assert_err_has("'opencv'");
	ck_assert_int_ne(unit_profile("plugins:\n  - name: opencv\n    options:\n"
				      "      detect-mean: [1, 2]\n"), 0);
	ck_assert_int_ne(unit_profile("plugins:\n  - name: opencv\n    options:\n"
				      "      segment-layout: nwhc\n"), 0);
}
END_TEST

/* vaccel_image_analyze on a shared photo: the result lines; image checked. */
static char *analyze(vaccel_op_type_t task, const char *photo)
{
	static char text[16384];
	static unsigned char out[4 << 20];
	struct vaccel_session s;
	size_t len, out_len;
	unsigned char *img = model_image(photo, &len);
	ck_assert_int_eq(vaccel_session_init(&s, 0), 0);
	ck_assert_int_eq(vaccel_image_analyze(&s, task, img, len, text, sizeof(text), out,
					      sizeof(out), &out_len), 0);
	ck_assert_uint_gt(out_len, 1000);
	ck_assert_int_eq(out[0], 0xff);
	vaccel_session_release(&s);
	free(img);
	return text;
}

START_TEST(analyze_results)
{
	vision_profile();
	char *t = analyze(VACCEL_OP_IMAGE_CLASSIFY, "cat.jpg");
	ck_assert_msg(!strncmp(t, "class 0.8", 9) && strstr(t, " Egyptian cat\n") ==
		      strchr(t, ' ') + 9, "classify: %s", t);
	t = analyze(VACCEL_OP_IMAGE_DETECT, "person.jpg");
	ck_assert_msg(strstr(t, " person\n") && strstr(t, " dog\n") && strstr(t, " horse\n"),
		      "detect: %s", t);
	t = analyze(VACCEL_OP_IMAGE_SEGMENT, "cat.jpg");
	ck_assert_msg(strstr(t, " cat\n"), "segment: %s", t);
	t = analyze(VACCEL_OP_IMAGE_POSE, "person.jpg");
	int keypoints = 0;
	for (char *p = t; (p = strstr(p, "keypoint ")); p++)
		keypoints++;
	ck_assert_msg(keypoints >= 10, "pose: %d keypoints: %s", keypoints, t);
	t = analyze(VACCEL_OP_IMAGE_DEPTH, "dog.jpg");
	double mn, mx, mean;
	ck_assert_int_eq(sscanf(t, "depth %lf %lf %lf", &mn, &mx, &mean), 3);
	ck_assert_msg(mn > 1.5 && mn < 2.2 && mx > 3.5 && mx < 4.3 && mean > mn && mean < mx,
		      "depth: %s", t);
}
END_TEST

START_TEST(analyze_small_buffers)
{
	struct vaccel_session s;
	char text[4096];
	unsigned char out[16];
	size_t len, need = 0;
	vision_profile();
	unsigned char *img = model_image("cat.jpg", &len);
	ck_assert_int_eq(vaccel_session_init(&s, 0), 0);
	/* No buffer: the image is not wanted, its size is still reported. */
	ck_assert_int_eq(vaccel_image_analyze(&s, VACCEL_OP_IMAGE_CLASSIFY, img, len, text,
					      sizeof(text), NULL, 0, &need), 0);
	ck_assert_uint_gt(need, 1000);
	ck_assert_ptr_nonnull(strstr(text, "Egyptian cat"));
	ck_assert_int_eq(vaccel_image_analyze(&s, VACCEL_OP_IMAGE_CLASSIFY, img, len, text,
					      sizeof(text), out, 0, &need), VACCEL_ENOBUFS);
	ck_assert_int_eq(vaccel_image_analyze(&s, VACCEL_OP_IMAGE_CLASSIFY, img, len, text, 8,
					      out, sizeof(out), &need), VACCEL_ENOBUFS);
	ck_assert_int_eq(vaccel_image_analyze(&s, VACCEL_OP_BLAS_SGEMM, img, len, text,
					      sizeof(text), out, sizeof(out), &need),
			 VACCEL_EINVAL);
	vaccel_session_release(&s);
	free(img);
}
END_TEST

/* tensor_infer: a registered model resource gives what its path gives; ENOBUFS first. */
START_TEST(tensor_infer_resource_and_enobufs)
{
	static float in_data[3 * 224 * 224], by_path[1001], by_res[1001];
	struct vaccel_tensor in = { .ndims = 4, .dims = { 1, 3, 224, 224 }, .data = in_data,
				    .count = 3 * 224 * 224 };
	struct vaccel_tensor out = { .data = by_path, .count = 10 };
	struct vaccel_session s;
	struct vaccel_resource res;
	char model[1024];
	vision_profile();
	snprintf(model, sizeof(model),
		 "%s/classification/mobilenet_v2/mobilenet_v2_1.0_224_dequant.onnx", models);
	for (size_t i = 0; i < in.count; i++)
		in_data[i] = (float)(i % 255) / 128.0f - 1.0f;
	ck_assert_int_eq(vaccel_session_init(&s, 0), 0);
	ck_assert_int_eq(vaccel_tensor_infer(&s, model, NULL, NULL, &in, &out), VACCEL_ENOBUFS);
	ck_assert_uint_eq(out.count, 1001);
	ck_assert_uint_eq(out.ndims, 2);
	ck_assert_int_eq(out.dims[1], 1001);
	ck_assert_int_eq(vaccel_tensor_infer(&s, model, NULL, NULL, &in, &out), 0);
	ck_assert_int_eq(vaccel_resource_init(&res, model, VACCEL_RESOURCE_MODEL), 0);
	ck_assert_int_eq(vaccel_resource_register(&res, &s), 0);
	struct vaccel_tensor out2 = { .data = by_res, .count = 1001 };
	ck_assert_int_eq(vaccel_tensor_infer(&s, NULL, &res, NULL, &in, &out2), 0);
	ck_assert_int_eq(memcmp(by_path, by_res, sizeof(by_path)), 0);
	double sum = 0;
	for (int i = 0; i < 1001; i++)
		sum += by_path[i];
	ck_assert_msg(sum > 0.999 && sum < 1.001, "softmax sums to %f", sum);
	ck_assert_int_eq(vaccel_resource_unregister(&res, &s), 0);
	ck_assert_int_eq(vaccel_resource_release(&res), 0);
	vaccel_session_release(&s);
}
END_TEST

static Suite *unit_suite(void)
{
	Suite *s = suite_create("opencv");
	TCase *tc = tcase_create("opencv");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, classify_cat);
	tcase_add_test(tc, other_tasks_write_images);
	tcase_add_test(tc, bad_images_are_einval);
	tcase_add_test(tc, decoder_bombs);
	tcase_add_test(tc, model_problems);
	tcase_add_test(tc, standard_models);
	tcase_add_test(tc, bad_options);
	tcase_add_test(tc, analyze_results);
	tcase_add_test(tc, analyze_small_buffers);
	tcase_add_test(tc, tensor_infer_resource_and_enobufs);
	suite_add_tcase(s, tc);
	return s;
}

/* The shared models are beside a checkout (../shared), not in it. */
static const char *no_models(void)
{
	static char why[1200];
	const char *dir = getenv("VACCEL_MODELS");
	char path[1024];
	snprintf(path, sizeof(path), "%s/images/cat.jpg", dir ? dir : "");
	if (access(path, R_OK) == 0)
		return NULL;
	snprintf(why, sizeof(why), "no shared models at %s (../shared/models beside the checkout, "
		 "or configure --with-test-models=DIR)", dir ? dir : "(VACCEL_MODELS unset)");
	return why;
}

UNIT_MAIN_UNLESS(no_models)
