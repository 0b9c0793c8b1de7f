/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The noop plugin: serves every op and does no work, with the fixed results
 * vaccel-plugin(7) documents. For tests and for measuring the cost of the
 * path (router, transport) without the cost of an op.
 */
#include <stdio.h>
#include <string.h>
#include <vaccel/plugin.h>

#define NOOP_TEXT "noop"
#define NOOP_IMAGE "noop.png"
#define NOOP_ANALYZE_TEXT "class 1.000000 noop\n"

static int noop_noop(struct vaccel_session *sess)
{
	vaccel_debug("noop: session %lld", (long long)sess->id);
	return VACCEL_OK;
}

/* C is left as it is: the caller can tell that nothing ran. */
static int noop_sgemm(struct vaccel_session *sess, int64_t m, int64_t n, int64_t k,
		      float alpha, float *a, int64_t lda, float *b, int64_t ldb,
		      float beta, float *c, int64_t ldc)
{
	(void)alpha; (void)a; (void)lda; (void)b; (void)ldb; (void)beta; (void)c; (void)ldc;
	vaccel_debug("noop: session %lld sgemm %lldx%lldx%lld", (long long)sess->id,
		     (long long)m, (long long)n, (long long)k);
	return VACCEL_OK;
}

/* Write buffers are left as they are; the function is not called. */
static int noop_exec(struct vaccel_session *sess, const char *library,
		     const char *fn_symbol, struct vaccel_arg *read, size_t nr_read,
		     struct vaccel_arg *write, size_t nr_write)
{
	(void)read; (void)write;
	vaccel_debug("noop: session %lld exec %s:%s (%zu read, %zu write)",
		     (long long)sess->id, library, fn_symbol, nr_read, nr_write);
	return VACCEL_OK;
}

static int noop_exec_res(struct vaccel_session *sess, struct vaccel_resource *res,
			 const char *fn_symbol, struct vaccel_arg *read, size_t nr_read,
			 struct vaccel_arg *write, size_t nr_write)
{
	(void)read; (void)write;
	vaccel_debug("noop: session %lld exec resource %lld:%s (%zu read, %zu write)",
		     (long long)sess->id, (long long)res->id, fn_symbol, nr_read, nr_write);
	return VACCEL_OK;
}

/* Copy a fixed string, truncated to the buffer and always NUL-terminated. */
static void put(unsigned char *out, size_t len, const char *s)
{
	if (out && len)
		snprintf((char *)out, len, "%s", s);
}

static int noop_classify(struct vaccel_session *sess, const void *img,
			 unsigned char *out_text, unsigned char *out_imgname,
			 size_t len_img, size_t len_out_text, size_t len_out_imgname)
{
	(void)sess; (void)img; (void)len_img;
	put(out_text, len_out_text, NOOP_TEXT);
	put(out_imgname, len_out_imgname, NOOP_IMAGE);
	return VACCEL_OK;
}

static int noop_image(struct vaccel_session *sess, const void *img,
		      unsigned char *out_imgname, size_t len_img, size_t len_out_imgname)
{
	(void)sess; (void)img; (void)len_img;
	put(out_imgname, len_out_imgname, NOOP_IMAGE);
	return VACCEL_OK;
}

/* One fixed line, for every task, and an empty image (0 bytes). */
static int noop_analyze(struct vaccel_session *sess, vaccel_op_type_t task,
			const void *img, size_t len_img, char *out_text, size_t len_out_text,
			unsigned char *out_img, size_t len_out_img, size_t *out_img_size)
{
	(void)sess; (void)task; (void)img; (void)len_img; (void)out_img; (void)len_out_img;
	put((unsigned char *)out_text, len_out_text, NOOP_ANALYZE_TEXT);
	*out_img_size = 0;
	return VACCEL_OK;
}

/* One element, shape [1], value 0: whatever the model and the input. */
static int noop_infer(struct vaccel_session *sess, const char *model,
		      struct vaccel_resource *model_res, const char *out_name,
		      const struct vaccel_tensor *in, struct vaccel_tensor *out)
{
	(void)model_res; (void)out_name; (void)in;
	vaccel_debug("noop: session %lld tensor_infer %s", (long long)sess->id, model);
	size_t capacity = out->count;
	out->ndims = 1;
	out->dims[0] = 1;
	out->count = 1;
	if (capacity < 1)
		return VACCEL_ENOBUFS;
	out->data[0] = 0.0f;
	return VACCEL_OK;
}

VACCEL_PLUGIN_DEFINE(
	.name = "noop",
	.version = PACKAGE_VERSION,
	.description = "does nothing, for every op (tests, overhead)",
	.ops = {
		.noop = noop_noop,
		.sgemm = noop_sgemm,
		.exec = noop_exec,
		.exec_with_resource = noop_exec_res,
		.image_classify = noop_classify,
		.image_detect = noop_image,
		.image_segment = noop_image,
		.image_pose = noop_image,
		.image_depth = noop_image,
		.image_analyze = noop_analyze,
		.tensor_infer = noop_infer,
	});
