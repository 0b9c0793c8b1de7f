/* SPDX-License-Identifier: Apache-2.0 */
/* vaccel_image_analyze: the vision extension op and the checks of its row. */
#include "ops.h"

int vaccel_image_analyze(struct vaccel_session *sess, vaccel_op_type_t task,
			 const void *img, size_t len_img, char *out_text,
			 size_t len_out_text, unsigned char *out_img,
			 size_t len_out_img, size_t *out_img_size)
{
	uint32_t t = (uint32_t)task;
	uint64_t img_size = 0;
	if (!out_img_size)
		return VACCEL_EINVAL;
	if (out_text && len_out_text)
		out_text[0] = '\0';
	struct vaccel_arg read[] = { OP_ARG(&t, 4, UINT32), OP_ARG(img, len_img, RAW) };
	/* No image buffer: the image is not wanted (an empty output says so). */
	struct vaccel_arg write[] = { OP_ARG(out_text, len_out_text, CHAR_ARRAY),
				      OP_ARG(out_img, out_img ? len_out_img : 0, UCHAR_ARRAY),
				      OP_ARG(&img_size, 8, UINT64) };
	int ret = op_run(sess, VACCEL_OP_IMAGE_ANALYZE, read, 2, write, 3);
	*out_img_size = (size_t)img_size;
	/* A buffer of length 0 asks for the size: the image did not fit. */
	if (!ret && out_img && !len_out_img && img_size)
		ret = VACCEL_ENOBUFS;
	return ret;
}

/* The task is one of the image ops (their rows say so). */
int analyze_check(struct vaccel_session *sess, struct vaccel_arg *r, size_t nr,
		  struct vaccel_arg *w, size_t nw)
{
	(void)sess; (void)nr; (void)nw; (void)w;
	uint32_t task = vaccel_plugin_arg_u32(&r[0]);
	const struct vaccel_op_info *info = vaccel_op_info(task);
	if (!info || !(info->flags & VACCEL_OP_IMAGE_TASK)) {
		vaccel_error("image_analyze: task %u is not an image op", task);
		return VACCEL_EINVAL;
	}
	return VACCEL_OK;
}
