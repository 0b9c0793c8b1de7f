/* SPDX-License-Identifier: Apache-2.0 */
/* A plugin built for another ABI version: the loader must refuse it. */
#include <vaccel/plugin.h>

static int bad_noop(void *ctx, struct vaccel_session *sess, const struct vaccel_op_args *a)
{
	(void)ctx; (void)sess; (void)a;
	return VACCEL_OK;
}

__attribute__((visibility("default")))
const struct vaccel_plugin vaccel_plugin_descriptor = {
	.abi_version = VACCEL_PLUGIN_ABI_VERSION + 98,
	.size = sizeof(struct vaccel_plugin),
	.name = "badabi",
	.version = "0",
	.ops = { [VACCEL_OP_NOOP] = bad_noop },
};
