/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The operations: their types and their functions. Each op is routed to
 * the first plugin instance of the profile that serves it (or to the
 * session's pinned plugin); VACCEL_ENOTSUP when none does. Every call is
 * checked against the op's row of the op table (<vaccel/optable.h>).
 */
#ifndef VACCEL_OPS_H
#define VACCEL_OPS_H

#include <vaccel/types.h>
#include <vaccel/arg.h>

/*
 * Operation types, vaccel_op_type_t. They travel on the wire and in genop:
 * vAccel's 24 in vAccel's order (NOOP = 0 ... OPENCV = 23), then ours,
 * from 24 on: IMAGE_ANALYZE (<vaccel/vision.h>), TENSOR_INFER
 * (<vaccel/infer.h>). With vAccel's generated helpers:
 * vaccel_op_type_to_str ("VACCEL_OP_NOOP"), _to_base_str ("NOOP"),
 * vaccel_op_type_name and vaccel_op_type_to_lower (buf, size: "noop").
 */
#define VACCEL_OP_TYPE_ENUM_LIST(ITEM) \
	ITEM(NOOP, 0, VACCEL_OP) \
	ITEM(EXEC, VACCEL_OP) \
	ITEM(EXEC_WITH_RESOURCE, VACCEL_OP) \
	ITEM(IMAGE_CLASSIFY, VACCEL_OP) \
	ITEM(IMAGE_DETECT, VACCEL_OP) \
	ITEM(IMAGE_SEGMENT, VACCEL_OP) \
	ITEM(IMAGE_POSE, VACCEL_OP) \
	ITEM(IMAGE_DEPTH, VACCEL_OP) \
	ITEM(TF_MODEL_LOAD, VACCEL_OP) \
	ITEM(TF_MODEL_UNLOAD, VACCEL_OP) \
	ITEM(TF_MODEL_RUN, VACCEL_OP) \
	ITEM(TFLITE_MODEL_LOAD, VACCEL_OP) \
	ITEM(TFLITE_MODEL_UNLOAD, VACCEL_OP) \
	ITEM(TFLITE_MODEL_RUN, VACCEL_OP) \
	ITEM(TORCH_MODEL_LOAD, VACCEL_OP) \
	ITEM(TORCH_MODEL_RUN, VACCEL_OP) \
	ITEM(TORCH_SGEMM, VACCEL_OP) \
	ITEM(BLAS_SGEMM, VACCEL_OP) \
	ITEM(FPGA_ARRAYCOPY, VACCEL_OP) \
	ITEM(FPGA_MMULT, VACCEL_OP) \
	ITEM(FPGA_PARALLEL, VACCEL_OP) \
	ITEM(FPGA_VECTORADD, VACCEL_OP) \
	ITEM(MINMAX, VACCEL_OP) \
	ITEM(OPENCV, VACCEL_OP) \
	ITEM(IMAGE_ANALYZE, VACCEL_OP) \
	ITEM(TENSOR_INFER, VACCEL_OP)
VACCEL_ENUM_DEF_WITH_STR_FUNCS(vaccel_op_type, VACCEL_OP, VACCEL_OP_TYPE_ENUM_LIST)

static inline char *vaccel_op_type_to_lower(vaccel_op_type_t op_type, char *lower,
					    size_t size)
{
	return vaccel_op_type_name(op_type, lower, size);
}

struct vaccel_session;
struct vaccel_resource;

#ifdef __cplusplus
extern "C" {
#endif

/* vaccel extension: "noop", "blas_sgemm", ...; NULL when out of range. */
const char *vaccel_op_name(vaccel_op_type_t op);

/* Reaches a plugin and returns: measures the path, does no work. */
int vaccel_noop(struct vaccel_session *sess);

/*
 * C = alpha * A(m x k) * B(k x n) + beta * C(m x n), row-major, single
 * precision, as vAccel's. lda >= k, ldb >= n, ldc >= n.
 */
int vaccel_sgemm(struct vaccel_session *sess, int64_t m, int64_t n, int64_t k,
		 float alpha, float *a, int64_t lda, float *b, int64_t ldb,
		 float beta, float *c, int64_t ldc);

/*
 * Call `int fn_symbol(struct vaccel_arg *read, size_t nr_read,
 * struct vaccel_arg *write, size_t nr_write)` in `library` on the host.
 * The profile decides which libraries may be loaded (VACCEL_EPERM otherwise).
 * A non-zero return of the function is reported as VACCEL_EIO.
 */
int vaccel_exec(struct vaccel_session *sess, const char *library,
		const char *fn_symbol, struct vaccel_arg *read, size_t nr_read,
		struct vaccel_arg *write, size_t nr_write);

/* As vaccel_exec, with the library given as a registered LIB resource. */
int vaccel_exec_with_resource(struct vaccel_session *sess,
			      struct vaccel_resource *res,
			      const char *fn_symbol, struct vaccel_arg *read,
			      size_t nr_read, struct vaccel_arg *write,
			      size_t nr_write);

/*
 * Generic op: read[0] holds the op type (a vaccel_op_type_t as a uint8, as
 * vAccel passes it, or 4 bytes), the other args the op's inputs and `write`
 * its outputs, in the order of the op's row of the op table (vaccel-plugin(7)
 * lists them; <vaccel/optable.h> reads them). Checked and routed like the
 * op itself.
 */
int vaccel_genop(struct vaccel_session *sess, struct vaccel_arg *read,
		 int nr_read, struct vaccel_arg *write, int nr_write);

/*
 * vAccel's opencv op (<vaccel/ops/opencv.h>): the lists go to the plugin
 * as given, any count, any args. VACCEL_ENOTSUP when no plugin serves it.
 */
int vaccel_opencv_unpack(struct vaccel_session *sess, struct vaccel_arg *read,
			 int nr_read, struct vaccel_arg *write, int nr_write);

/*
 * Image ops (vAccel's signatures). `img` holds an encoded image (JPEG, PNG,
 * ...) of len_img bytes. Classification writes a NUL-terminated text into
 * out_text; every op writes the file name of its output image into
 * out_imgname. VACCEL_ENOTSUP until a plugin serves them.
 */
int vaccel_image_classification(struct vaccel_session *sess, const void *img,
				unsigned char *out_text,
				unsigned char *out_imgname, size_t len_img,
				size_t len_out_text, size_t len_out_imgname);
int vaccel_image_detection(struct vaccel_session *sess, const void *img,
			   unsigned char *out_imgname, size_t len_img,
			   size_t len_out_imgname);
int vaccel_image_segmentation(struct vaccel_session *sess, const void *img,
			      unsigned char *out_imgname, size_t len_img,
			      size_t len_out_imgname);
int vaccel_image_pose(struct vaccel_session *sess, const void *img,
		      unsigned char *out_imgname, size_t len_img,
		      size_t len_out_imgname);
int vaccel_image_depth(struct vaccel_session *sess, const void *img,
		       unsigned char *out_imgname, size_t len_img,
		       size_t len_out_imgname);

/*
 * vAccel's minmax: outdata[i] = indata[i] clamped to [low_threshold,
 * high_threshold] for the ndata (>= 1) values, *min and *max the smallest
 * and the largest of indata. VACCEL_EINVAL when ndata < 1 or low > high.
 */
int vaccel_minmax(struct vaccel_session *sess, const double *indata, int ndata,
		  int low_threshold, int high_threshold, double *outdata,
		  double *min, double *max);

/*
 * vAccel's FPGA examples (deprecated there, as here): no plugin of this
 * project runs them on an FPGA; the noop plugin answers them as vAccel's
 * noop does. The lengths count elements; an output shorter than the first
 * input is VACCEL_EINVAL.
 */
__attribute__((deprecated("The function will be removed in a future release")))
int vaccel_fpga_arraycopy(struct vaccel_session *sess, int a[], int out_a[], size_t len_a);
__attribute__((deprecated("The function will be removed in a future release")))
int vaccel_fpga_mmult(struct vaccel_session *sess, float a[], float b[], float c[], size_t len_a);
__attribute__((deprecated("The function will be removed in a future release")))
int vaccel_fpga_parallel(struct vaccel_session *sess, float a[], float b[], float add_output[],
			 float mult_output[], size_t len_a);
__attribute__((deprecated("The function will be removed in a future release")))
int vaccel_fpga_vadd(struct vaccel_session *sess, float a[], float b[], float c[], size_t len_a,
		     size_t len_b);

#ifdef __cplusplus
}
#endif

#endif /* VACCEL_OPS_H */
