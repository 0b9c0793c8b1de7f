// SPDX-License-Identifier: Apache-2.0
/*
 * A plugin written for vAccel's plugin API, with vAccel's names exactly as
 * vAccel's own plugins use them (plugins/noop there): `#include "vaccel.h"`,
 * ops in a struct vaccel_op array by VACCEL_OP_INIT, registered from init,
 * the descriptor by VACCEL_PLUGIN. Its answers are fixed or computed from
 * its inputs, so that tests/compat/compat-classic can tell that each op
 * reached it.
 */
#define _POSIX_C_SOURCE 200809L

#include "vaccel.h"
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define classic_debug(fmt, ...) vaccel_debug("[classicnoop] " fmt, ##__VA_ARGS__)

static int calls;

static int classic_noop(struct vaccel_session *sess)
{
	classic_debug("noop for session %" PRId64 "", sess->id);
	calls++;
	return VACCEL_OK;
}

/* The first int of the first input, plus one, into the first output. */
static int classic_exec(struct vaccel_session *sess, const char *library,
			const char *fn_symbol, struct vaccel_arg *read,
			size_t nr_read, struct vaccel_arg *write, size_t nr_write)
{
	classic_debug("exec %s:%s for session %" PRId64, library, fn_symbol, sess->id);
	if (nr_read < 1 || nr_write < 1 || read[0].size < sizeof(int) ||
	    write[0].size < sizeof(int))
		return VACCEL_EINVAL;
	*(int *)write[0].buf = *(int *)read[0].buf + 1;
	return VACCEL_OK;
}

static int classic_classify(struct vaccel_session *sess, const void *img,
			    unsigned char *out_text, unsigned char *out_imgname,
			    size_t len_img, size_t len_out_text,
			    size_t len_out_imgname)
{
	(void)sess;
	(void)img;
	(void)out_imgname;
	(void)len_out_imgname;
	snprintf((char *)out_text, len_out_text, "classic tag for %zu bytes", len_img);
	return VACCEL_OK;
}

static int classic_detect(struct vaccel_session *sess, const void *img,
			  unsigned char *out_imgname, size_t len_img,
			  size_t len_out_imgname)
{
	(void)sess;
	(void)img;
	(void)len_img;
	snprintf((char *)out_imgname, len_out_imgname, "classic-detect.png");
	return VACCEL_OK;
}

/* c[i] = alpha * m + beta * c[i]: shows every scalar arrived in its place. */
static int classic_sgemm(struct vaccel_session *sess, int64_t m, int64_t n,
			 int64_t k, float alpha, float *a, int64_t lda,
			 float *b, int64_t ldb, float beta, float *c,
			 int64_t ldc)
{
	(void)sess;
	(void)a;
	(void)b;
	(void)k;
	(void)lda;
	(void)ldb;
	for (int64_t i = 0; i < m; i++)
		for (int64_t j = 0; j < n; j++)
			c[i * ldc + j] = alpha * (float)m + beta * c[i * ldc + j];
	return VACCEL_OK;
}

static int classic_minmax(struct vaccel_session *sess, const double *indata,
			  int ndata, int low_threshold, int high_threshold,
			  double *outdata, double *min, double *max)
{
	(void)sess;
	for (int i = 0; i < ndata; i++)
		outdata[i] = indata[i];
	*min = low_threshold;
	*max = high_threshold;
	return VACCEL_OK;
}

/* opencv, free-form: the count of inputs into the first output's first int. */
static int classic_opencv(struct vaccel_session *sess, struct vaccel_arg *read, int nr_read,
			  struct vaccel_arg *write, int nr_write)
{
	(void)sess;
	(void)read;
	if (nr_write < 1 || write[0].size < sizeof(int))
		return VACCEL_EINVAL;
	memcpy(write[0].buf, &nr_read, sizeof(nr_read));
	return VACCEL_OK;
}

/* fpga_vadd: c = a + b + 1000 over len_a values, when len_b agrees. */
static int classic_fpga_vadd(struct vaccel_session *sess, float a[], float b[], float c[],
			     size_t len_a, size_t len_b)
{
	(void)sess;
	if (len_b < len_a)
		return VACCEL_EINVAL;
	for (size_t i = 0; i < len_a; i++)
		c[i] = a[i] + b[i] + 1000;
	return VACCEL_OK;
}

/* fpga_parallel: the sums and the products. */
static int classic_fpga_parallel(struct vaccel_session *sess, float a[], float b[],
				 float add_output[], float mult_output[], size_t len_a)
{
	(void)sess;
	for (size_t i = 0; i < len_a; i++) {
		add_output[i] = a[i] + b[i];
		mult_output[i] = a[i] * b[i];
	}
	return VACCEL_OK;
}

/*
 * vAccel's framework ops. A run's output j is input 0's float32 values
 * doubled, repeated j + 1 times: output 0 in input 0's shape, the others
 * one dim long, larger than the caller's first guess at their size.
 */
static float *doubled(const void *in, size_t in_size, int j, size_t *size)
{
	size_t n = in_size / sizeof(float);
	float *out = malloc((size_t)(j + 1) * in_size + 1);
	if (!out)
		return NULL;
	for (size_t i = 0; i < (size_t)(j + 1) * n; i++)
		out[i] = 2 * ((const float *)in)[i % n];
	*size = (size_t)(j + 1) * in_size;
	return out;
}

/* A model is the plugin's once its resource_register hook has seen it. */
static bool ours(const struct vaccel_resource *model)
{
	return model && model->plugin_priv == &calls;
}

static const struct vaccel_resource *torch_loaded, *tflite_loaded;

static int classic_torch_load(struct vaccel_session *sess, struct vaccel_resource *model)
{
	classic_debug("torch_model_load for session %" PRId64, sess->id);
	if (!ours(model))
		return VACCEL_EINVAL;
	torch_loaded = model;
	return VACCEL_OK;
}

/* A model not loaded first is VACCEL_ENOENT: shows that the load reached us. */
static int classic_torch_run(struct vaccel_session *sess, struct vaccel_resource *model,
			     const struct vaccel_torch_buffer *run_options,
			     struct vaccel_torch_tensor *const *in, int nr_inputs,
			     struct vaccel_torch_tensor **out, int nr_outputs)
{
	(void)sess;
	(void)run_options;
	if (model != torch_loaded)
		return VACCEL_ENOENT;
	if (nr_inputs < 1 || in[0]->data_type != VACCEL_TORCH_FLOAT)
		return VACCEL_ENOTSUP;
	for (int j = 0; j < nr_outputs; j++) {
		size_t size;
		int64_t len = (int64_t)((size_t)(j + 1) * in[0]->size / sizeof(float));
		float *data = doubled(in[0]->data, in[0]->size, j, &size);
		if (!data || vaccel_torch_tensor_new(&out[j], j ? 1 : in[0]->nr_dims,
						     j ? &len : in[0]->dims, VACCEL_TORCH_FLOAT))
			return VACCEL_ENOMEM;
		vaccel_torch_tensor_set_data(out[j], data, size);
		out[j]->owned = true;
	}
	return VACCEL_OK;
}

/* out = A * B + C, in a new tensor (as for vAccel's *out NULL). */
static int classic_torch_sgemm(struct vaccel_session *sess, struct vaccel_torch_tensor **in_A,
			       struct vaccel_torch_tensor **in_B, struct vaccel_torch_tensor **in_C,
			       int m, int n, int k, struct vaccel_torch_tensor **out)
{
	(void)sess;
	const float *a = (*in_A)->data, *b = (*in_B)->data, *c = (*in_C)->data;
	int64_t dims[2] = { m, n };
	if (vaccel_torch_tensor_allocate(out, 2, dims, VACCEL_TORCH_FLOAT,
					 (size_t)m * (size_t)n * sizeof(float)))
		return VACCEL_ENOMEM;
	float *o = (*out)->data;
	for (int i = 0; i < m; i++)
		for (int j = 0; j < n; j++) {
			o[i * n + j] = c[i * n + j];
			for (int p = 0; p < k; p++)
				o[i * n + j] += a[i * k + p] * b[p * n + j];
		}
	return VACCEL_OK;
}

static int tf_say(struct vaccel_tf_status *status, const char *what,
		  const struct vaccel_resource *model)
{
	char msg[64];
	snprintf(msg, sizeof(msg), "classicnoop %s model %" PRId64, what, model->id);
	return vaccel_tf_status_init(status, 0, msg);
}

static int classic_tf_load(struct vaccel_session *sess, struct vaccel_resource *model,
			   struct vaccel_tf_status *status)
{
	(void)sess;
	return ours(model) ? tf_say(status, "loaded", model) : VACCEL_EINVAL;
}

static int classic_tf_unload(struct vaccel_session *sess, struct vaccel_resource *model,
			     struct vaccel_tf_status *status)
{
	(void)sess;
	return ours(model) ? tf_say(status, "unloaded", model) : VACCEL_EINVAL;
}

/* The status names the first input and output nodes, to show they arrived. */
static int classic_tf_run(struct vaccel_session *sess, struct vaccel_resource *model,
			  const struct vaccel_tf_buffer *run_options,
			  const struct vaccel_tf_node *in_nodes,
			  struct vaccel_tf_tensor *const *in, int nr_inputs,
			  const struct vaccel_tf_node *out_nodes, struct vaccel_tf_tensor **out,
			  int nr_outputs, struct vaccel_tf_status *status)
{
	(void)sess;
	(void)run_options;
	if (!ours(model) || nr_inputs < 1 || in[0]->data_type != VACCEL_TF_FLOAT)
		return VACCEL_EINVAL;
	for (int j = 0; j < nr_outputs; j++) {
		size_t size;
		int64_t len = (int64_t)((size_t)(j + 1) * in[0]->size / sizeof(float));
		float *data = doubled(in[0]->data, in[0]->size, j, &size);
		int ret = data ? vaccel_tf_tensor_allocate(&out[j], j ? 1 : in[0]->nr_dims,
							   j ? &len : in[0]->dims, VACCEL_TF_FLOAT,
							   size)
			       : VACCEL_ENOMEM;
		if (!ret)
			memcpy(out[j]->data, data, size);
		free(data);
		if (ret)
			return ret;
	}
	char msg[128];
	snprintf(msg, sizeof(msg), "ran %s:%d to %s:%d", in_nodes[0].name, in_nodes[0].id,
		 out_nodes[0].name, out_nodes[0].id);
	return vaccel_tf_status_init(status, 0, msg);
}

static int classic_tflite_load(struct vaccel_session *sess, struct vaccel_resource *model)
{
	(void)sess;
	if (!ours(model))
		return VACCEL_EINVAL;
	tflite_loaded = model;
	return VACCEL_OK;
}

static int classic_tflite_unload(struct vaccel_session *sess, struct vaccel_resource *model)
{
	(void)sess;
	if (model == tflite_loaded)
		tflite_loaded = NULL;
	return VACCEL_OK;
}

/* A model not loaded is a failed run by its status (TfLite's kTfLiteError, 1). */
static int classic_tflite_run(struct vaccel_session *sess, struct vaccel_resource *model,
			      struct vaccel_tflite_tensor *const *in, int nr_inputs,
			      struct vaccel_tflite_tensor **out, int nr_outputs, uint8_t *status)
{
	(void)sess;
	*status = model != tflite_loaded;
	if (*status)
		return VACCEL_OK;
	if (nr_inputs < 1 || in[0]->data_type != VACCEL_TFLITE_FLOAT32)
		return VACCEL_ENOTSUP;
	for (int j = 0; j < nr_outputs; j++) {
		size_t size;
		int32_t len = (int32_t)((size_t)(j + 1) * in[0]->size / sizeof(float));
		float *data = doubled(in[0]->data, in[0]->size, j, &size);
		if (!data || vaccel_tflite_tensor_new(&out[j], j ? 1 : in[0]->nr_dims,
						      j ? &len : in[0]->dims, VACCEL_TFLITE_FLOAT32))
			return VACCEL_ENOMEM;
		vaccel_tflite_tensor_set_data(out[j], data, size);
		out[j]->owned = true;
	}
	return VACCEL_OK;
}

struct vaccel_op ops[] = {
	VACCEL_OP_INIT(ops[0], VACCEL_OP_NOOP, classic_noop),
	VACCEL_OP_INIT(ops[1], VACCEL_OP_EXEC, classic_exec),
	VACCEL_OP_INIT(ops[2], VACCEL_OP_IMAGE_CLASSIFY, classic_classify),
	VACCEL_OP_INIT(ops[3], VACCEL_OP_IMAGE_DETECT, classic_detect),
	VACCEL_OP_INIT(ops[4], VACCEL_OP_BLAS_SGEMM, classic_sgemm),
	VACCEL_OP_INIT(ops[5], VACCEL_OP_TORCH_SGEMM, classic_torch_sgemm),
	VACCEL_OP_INIT(ops[6], VACCEL_OP_OPENCV, classic_opencv),
	VACCEL_OP_INIT(ops[7], VACCEL_OP_FPGA_VECTORADD, classic_fpga_vadd),
	VACCEL_OP_INIT(ops[8], VACCEL_OP_FPGA_PARALLEL, classic_fpga_parallel),
	VACCEL_OP_INIT(ops[9], VACCEL_OP_TORCH_MODEL_LOAD, classic_torch_load),
	VACCEL_OP_INIT(ops[10], VACCEL_OP_TORCH_MODEL_RUN, classic_torch_run),
	VACCEL_OP_INIT(ops[11], VACCEL_OP_TF_MODEL_LOAD, classic_tf_load),
	VACCEL_OP_INIT(ops[12], VACCEL_OP_TF_MODEL_UNLOAD, classic_tf_unload),
	VACCEL_OP_INIT(ops[13], VACCEL_OP_TF_MODEL_RUN, classic_tf_run),
	VACCEL_OP_INIT(ops[14], VACCEL_OP_TFLITE_MODEL_LOAD, classic_tflite_load),
	VACCEL_OP_INIT(ops[15], VACCEL_OP_TFLITE_MODEL_UNLOAD, classic_tflite_unload),
	VACCEL_OP_INIT(ops[16], VACCEL_OP_TFLITE_MODEL_RUN, classic_tflite_run),
};

/* The deprecated name for one op, as older vAccel plugins register. */
struct vaccel_op minmax_op = VACCEL_OP_INIT(minmax_op, VACCEL_OP_MINMAX, classic_minmax);

static int init(void)
{
	int ret = vaccel_plugin_register_ops(ops, sizeof(ops) / sizeof(ops[0]));
	if (ret)
		return ret;
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
	return register_plugin_function(&minmax_op);
#pragma GCC diagnostic pop
}

static int fini(void)
{
	return VACCEL_OK;
}

/*
 * vAccel's resource hooks, as its exec plugin uses them: plugin_priv holds
 * the plugin's state for a registered resource (here a marker), dropped at
 * unregistration. A DATA resource is refused, to show a refusal counts.
 */
static int resource_register(struct vaccel_resource *res, struct vaccel_session *sess)
{
	(void)sess;
	if (res->type == VACCEL_RESOURCE_DATA)
		return VACCEL_EINVAL;
	res->plugin_priv = &calls;
	return VACCEL_OK;
}

static int resource_unregister(struct vaccel_resource *res, struct vaccel_session *sess)
{
	(void)sess;
	res->plugin_priv = NULL;
	return VACCEL_OK;
}

VACCEL_PLUGIN(.name = "classicnoop", .version = VACCEL_VERSION,
	      .vaccel_version = VACCEL_VERSION, .type = VACCEL_PLUGIN_DEBUG,
	      .init = init, .fini = fini, .resource_register = resource_register,
	      .resource_unregister = resource_unregister)
