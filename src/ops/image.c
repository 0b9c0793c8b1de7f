/* SPDX-License-Identifier: Apache-2.0 */
/* The vAccel image ops: one checked entry point each, routed like any op. */
#include <string.h>
#include "../internal.h"

static int check_image(const void *img, size_t len_img, unsigned char *out_imgname,
		       size_t len_out_imgname)
{
	if (!img || !len_img || (len_out_imgname && !out_imgname))
		return VACCEL_EINVAL;
	return VACCEL_OK;
}

int vaccel_image_classification(struct vaccel_session *sess, const void *img,
				unsigned char *out_text, unsigned char *out_imgname,
				size_t len_img, size_t len_out_text,
				size_t len_out_imgname)
{
	const struct vaccel_plugin *p;
	int ret = router_route(sess, VACCEL_OP_IMAGE_CLASSIFY, &p);
	if (ret || (ret = check_image(img, len_img, out_imgname, len_out_imgname)))
		return ret;
	if (len_out_text && !out_text)
		return VACCEL_EINVAL;
	return p->ops.image_classify(sess, img, out_text, out_imgname, len_img,
				     len_out_text, len_out_imgname);
}

/* The four ops that share one signature, by their vtable slot. */
typedef int (*image_fn)(struct vaccel_session *, const void *, unsigned char *,
			size_t, size_t);

static int image_op(struct vaccel_session *sess, vaccel_op_type_t op,
		    const void *img, unsigned char *out_imgname, size_t len_img,
		    size_t len_out_imgname)
{
	const struct vaccel_plugin *p;
	int ret = router_route(sess, op, &p);
	if (ret || (ret = check_image(img, len_img, out_imgname, len_out_imgname)))
		return ret;
	image_fn fn;
	memcpy(&fn, (const char *)p + router_op_slot(op), sizeof(fn));
	return fn(sess, img, out_imgname, len_img, len_out_imgname);
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
