/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The noop plugin: serves every op of the op table and does no work, with
 * the fixed results vaccel-plugin(7) documents, vAccel's noop plugin's
 * where it has one (so vAccel's tests behave the same here). For tests and
 * for measuring the cost of the path (router, transport) without the cost
 * of an op.
 */
#include <stdio.h>
#include <string.h>
#include <vaccel/plugin.h>

#define NOOP_TEXT "This is a dummy classification tag!"
#define NOOP_IMAGE "This is a dummy imgname!"
#define NOOP_ANALYZE_TEXT "class 1.000000 noop\n"

/* Every op without a fixed result: outputs are left as they are. */
static int noop_any(void *ctx, struct vaccel_session *sess, const struct vaccel_op_args *a)
{
	(void)ctx;
	vaccel_debug("noop: session %lld %s (%zu read, %zu write)", (long long)sess->id,
		     vaccel_op_name(a->op), a->nr_read, a->nr_write);
	return VACCEL_OK;
}

/* Copy a fixed string, truncated to the buffer and always NUL-terminated. */
static void put(struct vaccel_arg *out, const char *s)
{
	if (out->buf && out->size)
		snprintf(out->buf, out->size, "%s", s);
}

/* Every image op's first output is the image name; classify's second, the text. */
static int noop_image(void *ctx, struct vaccel_session *sess, const struct vaccel_op_args *a)
{
	(void)ctx; (void)sess;
	put(&a->write[0], NOOP_IMAGE);
	if (a->op == VACCEL_OP_IMAGE_CLASSIFY)
		put(&a->write[1], NOOP_TEXT);
	return VACCEL_OK;
}

/*
 * exec and exec_with_resource (read: library or resource, symbol, then the
 * function's args): vAccel's dummy output for its test library's shape, a
 * first write as long as the first arg, whole ints: one int is doubled;
 * more keep the first and double the rest.
 */
static int noop_exec(void *ctx, struct vaccel_session *sess, const struct vaccel_op_args *a)
{
	(void)ctx; (void)sess;
	if (a->nr_read < 3 || !a->nr_write)
		return VACCEL_OK;
	const struct vaccel_arg *in = &a->read[2];
	struct vaccel_arg *out = &a->write[0];
	size_t n = out->size / sizeof(int);
	if (out->size != in->size || out->size % sizeof(int) || !n || !in->buf || !out->buf)
		return VACCEL_OK;
	for (size_t i = 0; i < n; i++) {
		/* Doubled as unsigned: a client's large int wraps, never overflows
		 * (undefined behaviour in the agent; found by fuzz-agent). */
		unsigned v;
		memcpy(&v, (const char *)in->buf + i * sizeof(int), sizeof(v));
		v = n > 1 && i == 0 ? v : 2u * v;
		memcpy((char *)out->buf + i * sizeof(int), &v, sizeof(v));
	}
	return VACCEL_OK;
}

/* minmax (vAccel's): the input copied out, min -1 and max 10000. */
static int noop_minmax(void *ctx, struct vaccel_session *sess, const struct vaccel_op_args *a)
{
	(void)ctx; (void)sess;
	const double min = -1.0, max = 10000.0;
	size_t n = a->read[0].size < a->write[0].size ? a->read[0].size : a->write[0].size;
	if (n)
		memcpy(a->write[0].buf, a->read[0].buf, n);
	memcpy(a->write[1].buf, &min, sizeof(min));
	memcpy(a->write[2].buf, &max, sizeof(max));
	return VACCEL_OK;
}

/*
 * vAccel's FPGA ops, answered as vAccel's noop does (the rows' check has
 * made every buffer hold the first's n elements): arraycopy copies,
 * mmult fills c with 9.1, parallel adds and sets the products to 1, vadd
 * adds.
 */
/* Element i of a float32 buffer (memcpy: a wire buffer need not be aligned). */
static float get_f32(const struct vaccel_arg *x, size_t i)
{
	float v;
	memcpy(&v, (const char *)x->buf + 4 * i, 4);
	return v;
}

static void put_f32(const struct vaccel_arg *x, size_t i, float v)
{
	memcpy((char *)x->buf + 4 * i, &v, 4);
}

static int noop_fpga(void *ctx, struct vaccel_session *sess, const struct vaccel_op_args *a)
{
	(void)ctx; (void)sess;
	size_t n = a->read[0].size / 4;
	if (a->op == VACCEL_OP_FPGA_ARRAYCOPY) {
		if (n)
			memcpy(a->write[0].buf, a->read[0].buf, n * 4);
		return VACCEL_OK;
	}
	for (size_t i = 0; i < n; i++) {
		if (a->op == VACCEL_OP_FPGA_MMULT) {
			put_f32(&a->write[0], i, 9.1f);
			continue;
		}
		put_f32(&a->write[0], i, get_f32(&a->read[0], i) + get_f32(&a->read[1], i));
		if (a->op == VACCEL_OP_FPGA_PARALLEL)
			put_f32(&a->write[1], i, 1.0f);
	}
	return VACCEL_OK;
}

/* One fixed line, for every task, and an empty image (0 bytes). */
static int noop_analyze(void *ctx, struct vaccel_session *sess, const struct vaccel_op_args *a)
{
	(void)ctx; (void)sess;
	uint64_t size = 0;
	put(&a->write[0], NOOP_ANALYZE_TEXT);
	memcpy(a->write[2].buf, &size, sizeof(size));
	return VACCEL_OK;
}

/* One element, shape [1], value 0: whatever the model and the input. */
static int noop_infer(void *ctx, struct vaccel_session *sess, const struct vaccel_op_args *a)
{
	struct vaccel_arg *w = a->write;
	(void)ctx;
	vaccel_debug("noop: session %lld tensor_infer %s", (long long)sess->id,
		     (const char *)a->read[0].buf);
	int64_t shape[2] = { 1, 1 };
	memset(w[0].buf, 0, w[0].size);
	memcpy(w[0].buf, shape, sizeof(shape));
	if (w[1].size < sizeof(float))
		return VACCEL_ENOBUFS;
	memset(w[1].buf, 0, sizeof(float));
	return VACCEL_OK;
}

/*
 * vAccel's noop: output i echoes input i (its description and data), so
 * vAccel's torch tests behave the same here. read: model, run_options,
 * in_desc, inputs...; write: out_desc, outputs...
 */
static int noop_torch_run(void *ctx, struct vaccel_session *sess, const struct vaccel_op_args *a)
{
	(void)ctx;
	size_t nin = a->nr_read - 3, nout = a->nr_write - 1;
	const size_t desc = VACCEL_TORCH_DESC_LEN * sizeof(int64_t);
	vaccel_debug("noop: session %lld torch_model_run (%zu inputs, %zu outputs)",
		     (long long)sess->id, nin, nout);
	if (nout > nin) {
		vaccel_error("noop: torch_model_run echoes its inputs: %zu outputs asked, %zu "
			     "inputs", nout, nin);
		return VACCEL_EINVAL;
	}
	memcpy(a->write[0].buf, a->read[2].buf, nout * desc);
	for (size_t i = 0; i < nout; i++)
		if (a->write[1 + i].size < a->read[3 + i].size)
			return VACCEL_ENOBUFS;
	for (size_t i = 0; i < nout; i++)
		if (a->read[3 + i].size)
			memcpy(a->write[1 + i].buf, a->read[3 + i].buf, a->read[3 + i].size);
	return VACCEL_OK;
}

/* vAccel's noop status for the tf ops: code 0, its message. */
static void noop_tf_status(struct vaccel_arg *w)
{
	char *s = w->buf;
	s[0] = 0;
	snprintf(s + 1, w->size - 1, "Operation handled by noop plugin");
}

/* tf_model_load, tf_model_unload. read: model; write: status. */
static int noop_tf_model(void *ctx, struct vaccel_session *sess, const struct vaccel_op_args *a)
{
	(void)ctx;
	vaccel_debug("noop: session %lld %s", (long long)sess->id, vaccel_op_name(a->op));
	noop_tf_status(&a->write[0]);
	return VACCEL_OK;
}

/*
 * vAccel's noop: output i echoes input i, as for torch. read: model,
 * run_options, in_nodes, out_nodes, in_desc, inputs...; write: status,
 * out_desc, outputs...
 */
static int noop_tf_run(void *ctx, struct vaccel_session *sess, const struct vaccel_op_args *a)
{
	(void)ctx;
	size_t nin = a->nr_read - 5, nout = a->nr_write - 2;
	vaccel_debug("noop: session %lld tf_model_run (%zu inputs, %zu outputs)",
		     (long long)sess->id, nin, nout);
	if (nout > nin) {
		vaccel_error("noop: tf_model_run echoes its inputs: %zu outputs asked, %zu inputs",
			     nout, nin);
		return VACCEL_EINVAL;
	}
	memcpy(a->write[1].buf, a->read[4].buf, nout * VACCEL_TF_DESC_LEN * sizeof(int64_t));
	for (size_t i = 0; i < nout; i++)
		if (a->write[2 + i].size < a->read[5 + i].size)
			return VACCEL_ENOBUFS;
	for (size_t i = 0; i < nout; i++)
		if (a->read[5 + i].size)
			memcpy(a->write[2 + i].buf, a->read[5 + i].buf, a->read[5 + i].size);
	noop_tf_status(&a->write[0]);
	return VACCEL_OK;
}

/* tflite_model_load, tflite_model_unload: nothing to do. */
static int noop_tflite_model(void *ctx, struct vaccel_session *sess,
			     const struct vaccel_op_args *a)
{
	(void)ctx;
	vaccel_debug("noop: session %lld %s", (long long)sess->id, vaccel_op_name(a->op));
	return VACCEL_OK;
}

/*
 * vAccel's noop: output i echoes input i, as for torch (same layout:
 * read: model, in_desc, inputs...; write: out_desc, outputs...).
 */
static int noop_tflite_run(void *ctx, struct vaccel_session *sess,
			   const struct vaccel_op_args *a)
{
	(void)ctx;
	size_t nin = a->nr_read - 2, nout = a->nr_write - 1;
	vaccel_debug("noop: session %lld tflite_model_run (%zu inputs, %zu outputs)",
		     (long long)sess->id, nin, nout);
	if (nout > nin) {
		vaccel_error("noop: tflite_model_run echoes its inputs: %zu outputs asked, %zu "
			     "inputs", nout, nin);
		return VACCEL_EINVAL;
	}
	memcpy(a->write[0].buf, a->read[1].buf, nout * VACCEL_TFLITE_DESC_LEN * sizeof(int64_t));
	for (size_t i = 0; i < nout; i++)
		if (a->write[1 + i].size < a->read[2 + i].size)
			return VACCEL_ENOBUFS;
	for (size_t i = 0; i < nout; i++)
		if (a->read[2 + i].size)
			memcpy(a->write[1 + i].buf, a->read[2 + i].buf, a->read[2 + i].size);
	return VACCEL_OK;
}

VACCEL_PLUGIN_DEFINE(
	.name = "noop",
	.version = PACKAGE_VERSION,
	.description = "does nothing, for every op (tests, overhead)",
	.type = VACCEL_PLUGIN_DEBUG,
	.ops = {
		[VACCEL_OP_IMAGE_CLASSIFY] = noop_image,
		[VACCEL_OP_IMAGE_DETECT] = noop_image,
		[VACCEL_OP_IMAGE_SEGMENT] = noop_image,
		[VACCEL_OP_IMAGE_POSE] = noop_image,
		[VACCEL_OP_IMAGE_DEPTH] = noop_image,
		[VACCEL_OP_IMAGE_ANALYZE] = noop_analyze,
		[VACCEL_OP_TENSOR_INFER] = noop_infer,
		[VACCEL_OP_EXEC] = noop_exec,
		[VACCEL_OP_EXEC_WITH_RESOURCE] = noop_exec,
		[VACCEL_OP_MINMAX] = noop_minmax,
		[VACCEL_OP_FPGA_ARRAYCOPY] = noop_fpga,
		[VACCEL_OP_FPGA_MMULT] = noop_fpga,
		[VACCEL_OP_FPGA_PARALLEL] = noop_fpga,
		[VACCEL_OP_FPGA_VECTORADD] = noop_fpga,
		[VACCEL_OP_TORCH_MODEL_RUN] = noop_torch_run,
		[VACCEL_OP_TF_MODEL_LOAD] = noop_tf_model,
		[VACCEL_OP_TF_MODEL_UNLOAD] = noop_tf_model,
		[VACCEL_OP_TF_MODEL_RUN] = noop_tf_run,
		[VACCEL_OP_TFLITE_MODEL_LOAD] = noop_tflite_model,
		[VACCEL_OP_TFLITE_MODEL_UNLOAD] = noop_tflite_model,
		[VACCEL_OP_TFLITE_MODEL_RUN] = noop_tflite_run,
	},
	.any_op = noop_any);
