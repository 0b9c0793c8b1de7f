/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The noop plugin: serves every op of the op table and does no work, with
 * the fixed results vaccel-plugin(7) documents. For tests and for measuring
 * the cost of the path (router, transport) without the cost of an op.
 */
#include <stdio.h>
#include <string.h>
#include <vaccel/plugin.h>

#define NOOP_TEXT "noop"
#define NOOP_IMAGE "noop.png"
#define NOOP_ANALYZE_TEXT "class 1.000000 noop\n"

/* Every op without a fixed result: outputs are left as they are. */
static int noop_any(void *ctx, struct vaccel_session *sess, vaccel_op_type_t op,
		    struct vaccel_arg *r, size_t nr, struct vaccel_arg *w, size_t nw)
{
	(void)ctx; (void)r; (void)w;
	vaccel_debug("noop: session %lld %s (%zu read, %zu write)", (long long)sess->id,
		     vaccel_op_name(op), nr, nw);
	return VACCEL_OK;
}

/* Copy a fixed string, truncated to the buffer and always NUL-terminated. */
static void put(struct vaccel_arg *out, const char *s)
{
	if (out->buf && out->size)
		snprintf(out->buf, out->size, "%s", s);
}

/* classify: text and image name; the other image ops: the image name. */
static int noop_image(void *ctx, struct vaccel_session *sess, vaccel_op_type_t op,
		      struct vaccel_arg *r, size_t nr, struct vaccel_arg *w, size_t nw)
{
	(void)ctx; (void)sess; (void)r; (void)nr;
	if (op == VACCEL_OP_IMAGE_CLASSIFY)
		put(&w[0], NOOP_TEXT);
	put(&w[nw - 1], NOOP_IMAGE);
	return VACCEL_OK;
}

/* One fixed line, for every task, and an empty image (0 bytes). */
static int noop_analyze(void *ctx, struct vaccel_session *sess, vaccel_op_type_t op,
			struct vaccel_arg *r, size_t nr, struct vaccel_arg *w, size_t nw)
{
	(void)ctx; (void)sess; (void)op; (void)r; (void)nr; (void)nw;
	uint64_t size = 0;
	put(&w[0], NOOP_ANALYZE_TEXT);
	memcpy(w[2].buf, &size, sizeof(size));
	return VACCEL_OK;
}

/* One element, shape [1], value 0: whatever the model and the input. */
static int noop_infer(void *ctx, struct vaccel_session *sess, vaccel_op_type_t op,
		      struct vaccel_arg *r, size_t nr, struct vaccel_arg *w, size_t nw)
{
	(void)ctx; (void)op; (void)nr; (void)nw;
	vaccel_debug("noop: session %lld tensor_infer %s", (long long)sess->id,
		     (const char *)r[0].buf);
	int64_t shape[2] = { 1, 1 };
	memset(w[0].buf, 0, w[0].size);
	memcpy(w[0].buf, shape, sizeof(shape));
	if (w[1].size < sizeof(float))
		return VACCEL_ENOBUFS;
	memset(w[1].buf, 0, sizeof(float));
	return VACCEL_OK;
}

VACCEL_PLUGIN_DEFINE(
	.name = "noop",
	.version = PACKAGE_VERSION,
	.description = "does nothing, for every op (tests, overhead)",
	.ops = {
		[VACCEL_OP_IMAGE_CLASSIFY] = noop_image,
		[VACCEL_OP_IMAGE_DETECT] = noop_image,
		[VACCEL_OP_IMAGE_SEGMENT] = noop_image,
		[VACCEL_OP_IMAGE_POSE] = noop_image,
		[VACCEL_OP_IMAGE_DEPTH] = noop_image,
		[VACCEL_OP_IMAGE_ANALYZE] = noop_analyze,
		[VACCEL_OP_TENSOR_INFER] = noop_infer,
	},
	.any_op = noop_any);
