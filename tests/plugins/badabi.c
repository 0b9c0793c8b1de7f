/* A plugin built for another ABI version: the loader must refuse it. */
#include <vaccel/plugin.h>

static int bad_noop(void *ctx, struct vaccel_session *sess, vaccel_op_type_t op,
		    struct vaccel_arg *r, size_t nr, struct vaccel_arg *w, size_t nw)
{
	(void)ctx; (void)sess; (void)op; (void)r; (void)nr; (void)w; (void)nw;
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
