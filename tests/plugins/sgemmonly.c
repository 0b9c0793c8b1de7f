/*
 * A plugin as an older build would have been: its descriptor ends right
 * after the sgemm slot, so the loader must treat every later op as absent.
 * Its sgemm writes a marker so tests can tell who served the call.
 */
#include <stddef.h>
#include <vaccel/plugin.h>

#define SGEMMONLY_MARK 42.0f

static int mark_sgemm(struct vaccel_session *sess, int64_t m, int64_t n, int64_t k,
		      float alpha, float *a, int64_t lda, float *b, int64_t ldb,
		      float beta, float *c, int64_t ldc)
{
	(void)sess; (void)k; (void)alpha; (void)a; (void)lda; (void)b; (void)ldb; (void)beta;
	for (int64_t i = 0; i < m; i++)
		for (int64_t j = 0; j < n; j++)
			c[i * ldc + j] = SGEMMONLY_MARK;
	return VACCEL_OK;
}

/* Past the descriptor's declared size: the loader must never call it. */
static int never_called(struct vaccel_session *sess, const void *img,
			unsigned char *out_text, unsigned char *out_imgname,
			size_t len_img, size_t len_out_text, size_t len_out_imgname)
{
	(void)sess; (void)img; (void)out_text; (void)out_imgname; (void)len_img;
	(void)len_out_text; (void)len_out_imgname;
	__builtin_trap();
}

static const char *const keys[] = { "flag", NULL };

__attribute__((visibility("default")))
const struct vaccel_plugin vaccel_plugin_descriptor = {
	.abi_version = VACCEL_PLUGIN_ABI_VERSION,
	/* Shorter than ours: ends after ops.sgemm. */
	.size = offsetof(struct vaccel_plugin, ops.sgemm) + sizeof(void *),
	.name = "sgemmonly",
	.version = "1.0",
	.description = "test plugin: sgemm only, short descriptor",
	.option_keys = keys,
	.ops = { .sgemm = mark_sgemm, .image_classify = never_called },
};
