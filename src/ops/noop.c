/* SPDX-License-Identifier: Apache-2.0 */
#include "ops.h"

int vaccel_noop(struct vaccel_session *sess)
{
	return op_run(sess, VACCEL_OP_NOOP, NULL, 0, NULL, 0);
}
