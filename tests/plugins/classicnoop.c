// SPDX-License-Identifier: Apache-2.0
/*
 * A plugin written for vAccel's plugin API, with vAccel's names exactly as
 * vAccel's own plugins use them (plugins/noop there): `#include "vaccel.h"`,
 * ops in a struct vaccel_op array by VACCEL_OP_INIT, registered from init,
 * the descriptor by VACCEL_PLUGIN. Its answers are fixed, so that
 * tests/compat/compat-classic can tell that each op reached it.
 */
#define _POSIX_C_SOURCE 200809L

#include "vaccel.h"
#include <inttypes.h>
#include <stdio.h>
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

/* An op this libvaccel does not call in vAccel's form: left out, logged. */
static int classic_torch_sgemm(struct vaccel_session *sess, void *a, void *b, void *c,
			       int m, int n, int k, void *out)
{
	(void)sess;
	(void)a;
	(void)b;
	(void)c;
	(void)m;
	(void)n;
	(void)k;
	(void)out;
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
