/* SPDX-License-Identifier: Apache-2.0 */
/*
 * vaccel infer: one float32 tensor from a .npy file through a model, the
 * output tensor to another .npy file. TorchScript models go through
 * vAccel's torch API, the others through vaccel_tensor_infer
 * (model-format.c says which).
 */
#include <argp.h>
#include <stdlib.h>
#include <string.h>
#include "cmd.h"
#include "progress.h"
#include "model-format.h"
#include "npy.h"

/* First guess at the output's size; a bigger output costs one more call. */
#define FIRST_CAPACITY (1u << 20)

struct infer_args {
	const char *model, *input, *output, *out_name;
	long iterations;
};

static const struct argp_option options[] = {
	{ "model", 'm', "FILE", 0, "Model file: TorchScript (torch), or ONNX, TensorFlow .pb, "
	  "... (tensor_infer); `vaccel plugins` lists them", 0 },
	{ "input", 'x', "FILE", 0, "Input tensor: .npy, float32, C order", 0 },
	{ "output", 'o', "FILE", 0, "Write the output tensor to FILE (.npy, float32)", 0 },
	{ "output-name", 'n', "LAYER", 0, "Output to return (default: the model's last)", 0 },
	{ "iterations", 'i', "N", 0, "Run N times, report per-call latency", 0 },
	{ 0 }
};

static error_t parse_opt(int key, char *arg, struct argp_state *state)
{
	struct infer_args *a = state->input;
	switch (key) {
	case 'm': a->model = arg; return 0;
	case 'x': a->input = arg; return 0;
	case 'o': a->output = arg; return 0;
	case 'n': a->out_name = arg; return 0;
	case 'i':
		if (!cmd_parse_long(arg, 1, 1000000, &a->iterations))
			argp_error(state, "--iterations: '%s' is not a count in 1..1000000", arg);
		return 0;
	case ARGP_KEY_ARG:
		argp_error(state, "unexpected argument '%s'", arg);
		return 0;
	case ARGP_KEY_END:
		if (!a->model || !a->input || !a->output)
			argp_error(state, "missing --%s", !a->model ? "model" :
				   !a->input ? "input" : "output");
		return 0;
	default:
		return ARGP_ERR_UNKNOWN;
	}
}

static const struct argp argp = {
	options, parse_opt, NULL,
	"Run a model on one input tensor and write its output tensor (NumPy .npy "
	"files, float32, C order); --json keys are in vaccel(1).",
	NULL, NULL, NULL
};

/* Model and tensor problems are input errors; the plugin named the file. */
static int infer_failed(struct cmd_ctx *ctx, const struct infer_args *a, int err)
{
	if (err == VACCEL_EINVAL || err == VACCEL_ENOENT || err == VACCEL_EIO) {
		cmd_error("infer %s: %s (the message above says why)", a->model,
			  err == VACCEL_ENOENT ? "the model file is missing" :
			  "the model could not be loaded or run on this input");
		return EXIT_INPUT;
	}
	return cmd_op_error(ctx, "infer", err);
}

/* Run once, growing the output buffer when the plugin says it is too small. */
static int infer_once(struct vaccel_session *s, const struct infer_args *a,
		      const struct vaccel_tensor *in, struct vaccel_tensor *out,
		      size_t *capacity)
{
	for (;;) {
		out->count = *capacity;
		int ret = vaccel_tensor_infer(s, a->model, NULL, a->out_name, in, out);
		if (ret != VACCEL_ENOBUFS || out->count <= *capacity)
			return ret;
		float *bigger = realloc(out->data, out->count * sizeof(float));
		if (!bigger)
			return VACCEL_ENOMEM;
		out->data = bigger;
		*capacity = out->count;
	}
}

static void print_shape(const struct vaccel_tensor *t)
{
	fputc('(', stdout);
	for (size_t i = 0; i < t->ndims; i++)
		printf("%s%lld", i ? ", " : "", (long long)t->dims[i]);
	fputs(t->ndims == 1 ? ",)" : ")", stdout);
}

static void json_tensor(struct json *j, const char *key, const char *file,
			const struct vaccel_tensor *t)
{
	json_object(j, key);
	json_str(j, "file", file);
	json_array(j, "shape");
	for (size_t i = 0; i < t->ndims; i++)
		json_int(j, NULL, t->dims[i]);
	json_close(j, ']');
	json_close(j, '}');
}

static void report(struct cmd_ctx *ctx, const struct infer_args *a, enum model_engine engine,
		   const struct vaccel_tensor *in, const struct vaccel_tensor *out,
		   const struct latency *l)
{
	const char *plugin = vaccel_op_served_by(engine == ENGINE_TORCH ? VACCEL_OP_TORCH_MODEL_RUN
						 : VACCEL_OP_TENSOR_INFER, NULL);
	if (ctx->json) {
		struct json j;
		json_begin(&j, stdout);
		json_str(&j, "command", "infer");
		json_str(&j, "plugin", plugin);
		json_str(&j, "engine", engine == ENGINE_TORCH ? "torch" : "tensor_infer");
		json_str(&j, "model", a->model);
		json_str(&j, "output_name", a->out_name);
		json_tensor(&j, "input", a->input, in);
		json_tensor(&j, "output", a->output, out);
		json_int(&j, "iterations", a->iterations);
		json_object(&j, "latency_ms");
		json_num(&j, "mean", l->mean / 1000);
		json_num(&j, "p50", l->p50 / 1000);
		json_num(&j, "min", l->min / 1000);
		json_num(&j, "max", l->max / 1000);
		json_close(&j, '}');
		json_end(&j);
		return;
	}
	printf("infer %s plugin=%s\ninput:  ", a->model, plugin ? plugin : "?");
	print_shape(in);
	printf(" %s\noutput: ", a->input);
	print_shape(out);
	printf(" %s\nlatency_ms: mean %.3f p50 %.3f min %.3f max %.3f (%ld calls)\n",
	       a->output, l->mean / 1000, l->p50 / 1000, l->min / 1000, l->max / 1000,
	       a->iterations);
}

/* iterations of vaccel_tensor_infer, each timed in times[]. */
static int infer_tensor(const struct infer_args *a, struct vaccel_session *sess,
			const struct vaccel_tensor *in, struct vaccel_tensor *out,
			size_t *capacity, uint64_t *times)
{
	struct progress pr;
	int ret = 0;
	progress_begin(&pr, "infer", (size_t)a->iterations);
	for (long i = 0; i < a->iterations && !ret; i++) {
		progress_step(&pr, (size_t)i);
		uint64_t t0 = now_ns();
		ret = infer_once(sess, a, in, out, capacity);
		times[i] = now_ns() - t0;
	}
	progress_end(&pr);
	return ret;
}

static int run_infer(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct infer_args a = { .iterations = 1 };
	struct vaccel_tensor in, out = { 0 };
	struct vaccel_session sess = { 0 };
	size_t capacity = FIRST_CAPACITY;
	char err[512];
	int rc, ret = 0;

	argp_parse(&argp, argc, argv, 0, NULL, &a);
	if (npy_read(a.input, &in, err, sizeof(err))) {
		cmd_error("--input %s", err);
		return EXIT_INPUT;
	}
	uint64_t *times = calloc((size_t)a.iterations, sizeof(*times));
	out.data = malloc(capacity * sizeof(float));
	if ((rc = cmd_bootstrap(ctx)))
		goto out;
	ret = times && out.data ? vaccel_session_init(&sess, 0) : VACCEL_ENOMEM;
	if (ret) {
		rc = cmd_op_error(ctx, "session", ret);
		goto out;
	}
	enum model_engine engine = model_engine_for(a.model);
	if (engine == ENGINE_TORCH)
		ret = infer_torch(&sess, a.model, &in, &out, a.iterations, times);
	else
		ret = infer_tensor(&a, &sess, &in, &out, &capacity, times);
	if (ret) {
		rc = infer_failed(ctx, &a, ret);
		goto out;
	}
	if (npy_write(a.output, &out, err, sizeof(err))) {
		cmd_error("--output %s", err);
		rc = EXIT_INPUT;
		goto out;
	}
	struct latency l;
	latency_summary(times, (size_t)a.iterations, &l);
	report(ctx, &a, engine, &in, &out, &l);
out:
	if (sess.id > 0)
		vaccel_session_release(&sess);
	free(in.data);
	free(out.data);
	free(times);
	return rc;
}

const struct cmd_entry cmd_infer_entry = {
	"infer", "run a model on a tensor (.npy in, .npy out)", run_infer
};
