/* SPDX-License-Identifier: Apache-2.0 */
/*
 * vAccel's opencv op: free-form lists, as the serving plugin reads them.
 * vAccel checks none of them, so its row takes any well-formed args.
 */
#include "ops.h"

int vaccel_opencv_unpack(struct vaccel_session *sess, struct vaccel_arg *read, int nr_read,
			 struct vaccel_arg *write, int nr_write)
{
	if (!sess || nr_read < 0 || nr_write < 0)
		return VACCEL_EINVAL;
	return op_run(sess, VACCEL_OP_OPENCV, read, (size_t)nr_read, write, (size_t)nr_write);
}
