/* SPDX-License-Identifier: Apache-2.0 */
/*
 * vAccel's four FPGA ops (deprecated there, kept for its programs and
 * bindings): the entry points and the checks of their rows. Lengths come
 * from the buffers, counted in elements, as vAccel's genop forms count
 * them; an output shorter than its input is refused (vAccel would write
 * past it).
 */
#include "ops.h"

/* vAccel declares these deprecated; defining them is not using them. */
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"

int vaccel_fpga_arraycopy(struct vaccel_session *sess, int a[], int out_a[], size_t len_a)
{
	size_t bytes = len_a * sizeof(int);
	struct vaccel_arg read[] = { OP_ARG(a, a ? bytes : 0, INT32_ARRAY) };
	struct vaccel_arg write[] = { OP_ARG(out_a, out_a ? bytes : 0, INT32_ARRAY) };
	return op_run(sess, VACCEL_OP_FPGA_ARRAYCOPY, read, 1, write, 1);
}

int vaccel_fpga_mmult(struct vaccel_session *sess, float a[], float b[], float c[], size_t len_a)
{
	size_t bytes = len_a * sizeof(float);
	struct vaccel_arg read[] = { OP_ARG(a, a ? bytes : 0, FLOAT32_ARRAY),
				     OP_ARG(b, b ? bytes : 0, FLOAT32_ARRAY) };
	struct vaccel_arg write[] = { OP_ARG(c, c ? bytes : 0, FLOAT32_ARRAY) };
	return op_run(sess, VACCEL_OP_FPGA_MMULT, read, 2, write, 1);
}

int vaccel_fpga_parallel(struct vaccel_session *sess, float a[], float b[], float add_output[],
			 float mult_output[], size_t len_a)
{
	size_t bytes = len_a * sizeof(float);
	struct vaccel_arg read[] = { OP_ARG(a, a ? bytes : 0, FLOAT32_ARRAY),
				     OP_ARG(b, b ? bytes : 0, FLOAT32_ARRAY) };
	struct vaccel_arg write[] = { OP_ARG(add_output, add_output ? bytes : 0, FLOAT32_ARRAY),
				      OP_ARG(mult_output, mult_output ? bytes : 0, FLOAT32_ARRAY) };
	return op_run(sess, VACCEL_OP_FPGA_PARALLEL, read, 2, write, 2);
}

int vaccel_fpga_vadd(struct vaccel_session *sess, float a[], float b[], float c[], size_t len_a,
		     size_t len_b)
{
	struct vaccel_arg read[] = { OP_ARG(a, a ? len_a * sizeof(float) : 0, FLOAT32_ARRAY),
				     OP_ARG(b, b ? len_b * sizeof(float) : 0, FLOAT32_ARRAY) };
	struct vaccel_arg write[] = { OP_ARG(c, c ? len_a * sizeof(float) : 0, FLOAT32_ARRAY) };
	return op_run(sess, VACCEL_OP_FPGA_VECTORADD, read, 2, write, 1);
}

/*
 * Every FPGA row: the first read arg sets the length; the other reads and
 * every write hold at least as many elements (4 bytes each).
 */
int fpga_check(struct vaccel_session *sess, struct vaccel_arg *r, size_t nr, struct vaccel_arg *w,
	       size_t nw)
{
	(void)sess;
	size_t n = r[0].size / 4;
	for (size_t i = 1; i < nr + nw; i++) {
		const struct vaccel_arg *x = i < nr ? &r[i] : &w[i - nr];
		if (x->size / 4 < n) {
			vaccel_error("fpga: %s arg %zu holds %zu values, the first read arg %zu",
				     i < nr ? "read" : "write", i < nr ? i : i - nr, (size_t)(x->size / 4), n);
			return VACCEL_EINVAL;
		}
	}
	return VACCEL_OK;
}
