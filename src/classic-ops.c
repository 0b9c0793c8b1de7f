/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Calls into a vAccel ("classic") plugin's op functions, one per C
 * signature: an op's genop form, as its row of the op table orders the
 * args and call.c has checked them, turned into the vAccel signature its
 * row names (op_row.classic). An op whose row names none is left out at
 * registration.
 */
#include "internal.h"
#include "ops/ops.h"

static int64_t i64(const struct vaccel_arg *a)
{
	return vaccel_plugin_arg_i64(a);
}

int classic_noop(void *fn, struct vaccel_session *sess, const struct vaccel_op_args *a)
{
	(void)a;
	return ((int (*)(struct vaccel_session *))fn)(sess);
}

typedef int (*exec_fn)(struct vaccel_session *, const char *, const char *,
		       struct vaccel_arg *, size_t, struct vaccel_arg *, size_t);

/* read: library, symbol, the function's args; write: its outputs. */
int classic_exec(void *fn, struct vaccel_session *sess, const struct vaccel_op_args *a)
{
	return ((exec_fn)fn)(sess, a->read[0].buf, a->read[1].buf, a->read + 2,
			     a->nr_read - 2, a->write, a->nr_write);
}

typedef int (*exec_res_fn)(struct vaccel_session *, struct vaccel_resource *, const char *,
			   struct vaccel_arg *, size_t, struct vaccel_arg *, size_t);

int classic_exec_with_resource(void *fn, struct vaccel_session *sess,
				   const struct vaccel_op_args *a)
{
	struct vaccel_resource *res = vaccel_plugin_arg_resource(sess, &a->read[0]);
	return ((exec_res_fn)fn)(sess, res, a->read[1].buf, a->read + 2, a->nr_read - 2,
				 a->write, a->nr_write);
}

typedef int (*classify_fn)(struct vaccel_session *, const void *, unsigned char *,
			   unsigned char *, size_t, size_t, size_t);

/* read: image; write: text, image name. */
int classic_classify(void *fn, struct vaccel_session *sess, const struct vaccel_op_args *a)
{
	return ((classify_fn)fn)(sess, a->read[0].buf, a->write[0].buf, a->write[1].buf,
				 a->read[0].size, a->write[0].size, a->write[1].size);
}

typedef int (*image_fn)(struct vaccel_session *, const void *, unsigned char *, size_t, size_t);

/* The image ops with one output: read: image; write: image name. */
int classic_image(void *fn, struct vaccel_session *sess, const struct vaccel_op_args *a)
{
	return ((image_fn)fn)(sess, a->read[0].buf, a->write[0].buf, a->read[0].size,
			      a->write[0].size);
}

typedef int (*sgemm_fn)(struct vaccel_session *, int64_t, int64_t, int64_t, float, float *,
			int64_t, float *, int64_t, float, float *, int64_t);

/* read: m, n, k, alpha, a, lda, b, ldb, beta, ldc; write: c. */
int classic_sgemm(void *fn, struct vaccel_session *sess, const struct vaccel_op_args *a)
{
	const struct vaccel_arg *r = a->read;
	return ((sgemm_fn)fn)(sess, i64(&r[0]), i64(&r[1]), i64(&r[2]),
			      vaccel_plugin_arg_f32(&r[3]), r[4].buf, i64(&r[5]), r[6].buf,
			      i64(&r[7]), vaccel_plugin_arg_f32(&r[8]), a->write[0].buf,
			      i64(&r[9]));
}

typedef int (*minmax_fn)(struct vaccel_session *, const double *, int, int, int, double *,
			 double *, double *);

/* read: indata, ndata, low, high; write: outdata, min, max. */
int classic_minmax(void *fn, struct vaccel_session *sess, const struct vaccel_op_args *a)
{
	const struct vaccel_arg *r = a->read;
	return ((minmax_fn)fn)(sess, r[0].buf, vaccel_plugin_arg_i32(&r[1]),
			       vaccel_plugin_arg_i32(&r[2]), vaccel_plugin_arg_i32(&r[3]),
			       a->write[0].buf, a->write[1].buf, a->write[2].buf);
}

/*
 * vAccel's FPGA ops: lengths are element counts of the first buffer (vadd:
 * of each input), as vAccel's genop unpacking computes them.
 */
typedef int (*arraycopy_fn)(struct vaccel_session *, int *, int *, size_t);
typedef int (*mmult_fn)(struct vaccel_session *, float *, float *, float *, size_t);
typedef int (*parallel_fn)(struct vaccel_session *, float *, float *, float *, float *, size_t);
typedef int (*vadd_fn)(struct vaccel_session *, float *, float *, float *, size_t, size_t);

/* read: a; write: out_a. */
int classic_fpga_arraycopy(void *fn, struct vaccel_session *sess, const struct vaccel_op_args *a)
{
	return ((arraycopy_fn)fn)(sess, a->read[0].buf, a->write[0].buf,
				  a->read[0].size / sizeof(int));
}

/* read: a, b; write: c. */
int classic_fpga_mmult(void *fn, struct vaccel_session *sess, const struct vaccel_op_args *a)
{
	return ((mmult_fn)fn)(sess, a->read[0].buf, a->read[1].buf, a->write[0].buf,
			      a->read[0].size / sizeof(float));
}

/* read: a, b; write: add_output, mult_output. */
int classic_fpga_parallel(void *fn, struct vaccel_session *sess, const struct vaccel_op_args *a)
{
	return ((parallel_fn)fn)(sess, a->read[0].buf, a->read[1].buf, a->write[0].buf,
				 a->write[1].buf, a->read[0].size / sizeof(float));
}

/* read: a, b; write: c. */
int classic_fpga_vadd(void *fn, struct vaccel_session *sess, const struct vaccel_op_args *a)
{
	return ((vadd_fn)fn)(sess, a->read[0].buf, a->read[1].buf, a->write[0].buf,
			     a->read[0].size / sizeof(float), a->read[1].size / sizeof(float));
}

typedef int (*lists_fn)(struct vaccel_session *, struct vaccel_arg *, int, struct vaccel_arg *,
			int);

/* The lists as they came (opencv). */
int classic_lists(void *fn, struct vaccel_session *sess, const struct vaccel_op_args *a)
{
	return ((lists_fn)fn)(sess, a->read, (int)a->nr_read, a->write, (int)a->nr_write);
}

bool classic_op_callable(vaccel_op_type_t op)
{
	return (unsigned)op < VACCEL_CLASSIC_OP_MAX && (unsigned)op < VACCEL_OP_MAX &&
	       op_rows[op].classic;
}

int classic_op_call(void *fn, struct vaccel_session *sess, const struct vaccel_op_args *a)
{
	return op_rows[a->op].classic(fn, sess, a);
}
