/* SPDX-License-Identifier: Apache-2.0 */
/* vaccel_image_analyze: the vision extension op, checked, then routed. */
#include "../internal.h"

int vaccel_image_analyze(struct vaccel_session *sess, vaccel_op_type_t task,
			 const void *img, size_t len_img, char *out_text,
			 size_t len_out_text, unsigned char *out_img,
			 size_t len_out_img, size_t *out_img_size)
{
	const struct vaccel_plugin *p;
	int ret = router_route(sess, VACCEL_OP_IMAGE_ANALYZE, &p);
	if (ret)
		return ret;
	if (task < VACCEL_OP_IMAGE_CLASSIFY || task > VACCEL_OP_IMAGE_DEPTH) {
		vaccel_error("image_analyze: task %d is not one of the image ops (%d..%d)",
			     (int)task, VACCEL_OP_IMAGE_CLASSIFY, VACCEL_OP_IMAGE_DEPTH);
		return VACCEL_EINVAL;
	}
	if (!img || !len_img || !out_text || !len_out_text || !out_img_size ||
	    (len_out_img && !out_img))
		return VACCEL_EINVAL;
	out_text[0] = '\0';
	*out_img_size = 0;
	return p->ops.image_analyze(sess, task, img, len_img, out_text, len_out_text,
				    out_img, len_out_img, out_img_size);
}
