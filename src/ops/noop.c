/* SPDX-License-Identifier: Apache-2.0 */
#include "../internal.h"

int vaccel_noop(struct vaccel_session *sess)
{
	const struct vaccel_plugin *p;
	int ret = router_route(sess, VACCEL_OP_NOOP, &p);
	return ret ? ret : p->ops.noop(sess);
}
