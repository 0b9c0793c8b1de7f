/* SPDX-License-Identifier: Apache-2.0 */
/*
 * vaccel extension: the vision ops with structured results. vAccel's image
 * ops return only a text and the name of an output file; this one returns
 * result lines and the output image's encoded bytes, so that it can travel
 * over a transport unchanged. Specified in libvaccel(3).
 */
#ifndef VACCEL_VISION_H
#define VACCEL_VISION_H

#include <stddef.h>
#include <vaccel/op.h>

struct vaccel_session;

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Run `task`, one of vAccel's image ops (vaccel_op_info(task) flags it
 * VACCEL_OP_IMAGE_TASK; vaccel-plugin(7) lists them),
 * on the encoded image img[0..len_img). Writes NUL-terminated lines into
 * out_text, one result each (SCORE, FRACTION, X, Y, W, H are numbers, in
 * pixels of the input image where they are positions; LABEL runs to the end
 * of the line and may hold spaces):
 *
 *     class SCORE LABEL                 best first
 *     box SCORE X Y W H LABEL           best first
 *     share FRACTION LABEL              of the pixels, largest first
 *     keypoint SCORE X Y PART
 *     depth MIN MAX MEAN
 *
 * and the output image (JPEG: the input annotated) into out_img, whose size
 * goes to *out_img_size. The caller owns every buffer. VACCEL_ENOBUFS when
 * out_text or out_img is too small (*out_img_size then says what the image
 * needs; pass a buffer with len_out_img 0 to ask). With out_img NULL the
 * image is not wanted: only its size is reported. VACCEL_EINVAL for a bad
 * task or image,
 * VACCEL_ENOTSUP when no plugin serves it.
 */
int vaccel_image_analyze(struct vaccel_session *sess, vaccel_op_type_t task,
			 const void *img, size_t len_img, char *out_text,
			 size_t len_out_text, unsigned char *out_img,
			 size_t len_out_img, size_t *out_img_size);

#ifdef __cplusplus
}
#endif

#endif /* VACCEL_VISION_H */
