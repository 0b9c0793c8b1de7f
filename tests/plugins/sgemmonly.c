/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A plugin as an older build would have been: its descriptor ends right
 * after the ops array, so the loader must treat every later field (any_op,
 * serves, ...) as absent. Its sgemm writes a marker so tests can tell who
 * served the call.
 */
#include <stddef.h>
#include <vaccel/plugin.h>

#define SGEMMONLY_MARK 42.0f

/* read: m n k alpha a lda b ldb beta ldc; write: c. */
static int mark_sgemm(void *ctx, struct vaccel_session *sess, const struct vaccel_op_args *a)
{
	(void)ctx; (void)sess;
	int64_t m = vaccel_plugin_arg_i64(&a->read[0]), n = vaccel_plugin_arg_i64(&a->read[1]),
		ldc = vaccel_plugin_arg_i64(&a->read[9]);
	float *c = a->write[0].buf;
	for (int64_t i = 0; i < m; i++)
		for (int64_t j = 0; j < n; j++)
			c[i * ldc + j] = SGEMMONLY_MARK;
	return VACCEL_OK;
}

/* Past the descriptor's declared size: the loader must never call it. */
static int never_called(void *ctx, struct vaccel_session *sess, const struct vaccel_op_args *a)
{
	(void)ctx; (void)sess; (void)a;
	__builtin_trap();
}

static const char *const keys[] = { "flag", NULL };

__attribute__((visibility("default")))
const struct vaccel_plugin vaccel_plugin_descriptor = {
	.abi_version = VACCEL_PLUGIN_ABI_VERSION,
	/* Shorter than ours: ends after the ops array. */
	.size = offsetof(struct vaccel_plugin, any_op),
	.name = "sgemmonly",
	.version = "1.0",
	.description = "test plugin: sgemm only, short descriptor",
	.option_keys = keys,
	.ops = { [VACCEL_OP_BLAS_SGEMM] = mark_sgemm },
	.any_op = never_called,
};
