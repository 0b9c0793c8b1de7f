/* SPDX-License-Identifier: Apache-2.0 */
/* vAccel's minmax op: the entry point and the checks of its row. */
#include "ops.h"

int vaccel_minmax(struct vaccel_session *sess, const double *indata, int ndata,
		  int low_threshold, int high_threshold, double *outdata,
		  double *min, double *max)
{
	size_t bytes = ndata > 0 ? (size_t)ndata * sizeof(double) : 0;
	struct vaccel_arg read[] = {
		OP_ARG(indata, indata ? bytes : 0, FLOAT64_ARRAY), OP_ARG(&ndata, 4, INT32),
		OP_ARG(&low_threshold, 4, INT32), OP_ARG(&high_threshold, 4, INT32),
	};
	struct vaccel_arg write[] = { OP_ARG(outdata, outdata ? bytes : 0, FLOAT64_ARRAY),
				      OP_ARG(min, 8, FLOAT64), OP_ARG(max, 8, FLOAT64) };
	return op_run(sess, VACCEL_OP_MINMAX, read, 4, write, 3);
}

/* ndata >= 1 values in indata and room for as many in outdata; low <= high. */
int minmax_check(struct vaccel_session *sess, struct vaccel_arg *r, size_t nr,
		 struct vaccel_arg *w, size_t nw)
{
	(void)sess; (void)nr; (void)nw;
	int32_t n = vaccel_plugin_arg_i32(&r[1]);
	int32_t low = vaccel_plugin_arg_i32(&r[2]), high = vaccel_plugin_arg_i32(&r[3]);
	if (n < 1) {
		vaccel_error("minmax: ndata is %d, must be at least 1", n);
		return VACCEL_EINVAL;
	}
	if (r[0].size / sizeof(double) < (size_t)n || w[0].size / sizeof(double) < (size_t)n) {
		vaccel_error("minmax: ndata is %d; indata holds %zu values, outdata %zu", n,
			     r[0].size / sizeof(double), w[0].size / sizeof(double));
		return VACCEL_EINVAL;
	}
	if (low > high) {
		vaccel_error("minmax: low_threshold %d is above high_threshold %d", low, high);
		return VACCEL_EINVAL;
	}
	return VACCEL_OK;
}
