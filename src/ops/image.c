/* SPDX-License-Identifier: Apache-2.0 */
/* The vAccel image ops: each packs its arguments by its row and calls. */
#include "ops.h"

int vaccel_image_classification(struct vaccel_session *sess, const void *img,
				unsigned char *out_text, unsigned char *out_imgname,
				size_t len_img, size_t len_out_text,
				size_t len_out_imgname)
{
	struct vaccel_arg read[] = { OP_ARG(img, len_img, RAW) };
	/* vAccel's genop order (classify_generic passes them so). */
	struct vaccel_arg write[] = { OP_ARG(out_imgname, len_out_imgname, UCHAR_ARRAY),
				      OP_ARG(out_text, len_out_text, UCHAR_ARRAY) };
	return op_run(sess, VACCEL_OP_IMAGE_CLASSIFY, read, 1, write, 2);
}

/* The four ops that share one signature. */
static int image_op(struct vaccel_session *sess, vaccel_op_type_t op, const void *img,
		    unsigned char *out_imgname, size_t len_img, size_t len_out_imgname)
{
	struct vaccel_arg read[] = { OP_ARG(img, len_img, RAW) };
	struct vaccel_arg write[] = { OP_ARG(out_imgname, len_out_imgname, UCHAR_ARRAY) };
	return op_run(sess, op, read, 1, write, 1);
}

int vaccel_image_detection(struct vaccel_session *sess, const void *img,
			   unsigned char *out_imgname, size_t len_img,
			   size_t len_out_imgname)
{
	return image_op(sess, VACCEL_OP_IMAGE_DETECT, img, out_imgname, len_img,
			len_out_imgname);
}

int vaccel_image_segmentation(struct vaccel_session *sess, const void *img,
			      unsigned char *out_imgname, size_t len_img,
			      size_t len_out_imgname)
{
	return image_op(sess, VACCEL_OP_IMAGE_SEGMENT, img, out_imgname, len_img,
			len_out_imgname);
}

int vaccel_image_pose(struct vaccel_session *sess, const void *img,
		      unsigned char *out_imgname, size_t len_img,
		      size_t len_out_imgname)
{
	return image_op(sess, VACCEL_OP_IMAGE_POSE, img, out_imgname, len_img,
			len_out_imgname);
}

int vaccel_image_depth(struct vaccel_session *sess, const void *img,
		       unsigned char *out_imgname, size_t len_img,
		       size_t len_out_imgname)
{
	return image_op(sess, VACCEL_OP_IMAGE_DEPTH, img, out_imgname, len_img,
			len_out_imgname);
}
