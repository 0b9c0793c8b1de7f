/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The opencv plugin: the vAccel image ops on OpenCV's dnn module. This file
 * is the C edge: the descriptor, the profile's options (one model per task)
 * and the vAccel signatures. The OpenCV work is in dnn.cpp (vision.h).
 */
#include <dlfcn.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <vaccel/plugin.h>
#include "vision.h"
#include "../module.h"

/* Option keys: one set per task, "classify-model", "detect-size", ... */
#define TASK_KEYS(t)                                                         \
	t "-model", t "-config", t "-labels", t "-size", t "-mean", t "-std", \
	t "-scale", t "-rgb", t "-softmax", t "-layout", t "-top", t "-threshold"

static const char *const option_keys[] = {
	"output-dir", "max-pixels", "standard-models",
	TASK_KEYS("classify"), TASK_KEYS("detect"), TASK_KEYS("segment"),
	TASK_KEYS("pose"), TASK_KEYS("depth"), NULL
};

static const char *const task_names[OCV_NR_TASKS] = {
	"classify", "detect", "segment", "pose", "depth"
};

#define DEFAULT_MAX_PIXELS (64L * 1024 * 1024)

/*
 * What a task uses when the profile names no model for it: the standard
 * model of configs/models.list (a path under the models directory) with
 * the preprocessing MANIFEST.md gives it. Each option still overrides.
 */
struct task_defaults {
	const char *model, *labels;  /* under the models directory; NULL: none */
	int width, height;
	double mean[3], std[3], scale;
	bool rgb, nhwc;
	double threshold;
};

static const struct task_defaults standard[OCV_NR_TASKS] = {
	[OCV_CLASSIFY] = { "classification/mobilenet_v2/mobilenet_v2_1.0_224_dequant.onnx",
			   "classification/mobilenet_v2/imagenet_labels_1001.txt", 224, 224,
			   { 128, 128, 128 }, { 1, 1, 1 }, 1 / 128.0, true, false, 0.1 },
	[OCV_DETECT] = { "detection/nanodet_m/nanodet_m_416.onnx",
			 "detection/nanodet_m/coco.names", 416, 416,
			 { 103.53, 116.28, 123.675 }, { 57.375, 57.12, 58.395 }, 1, false, false, 0.4 },
	[OCV_SEGMENT] = { "segmentation/deeplabv3_mnv2_voc/deeplabv3_257_mnv2_voc_opencv.onnx",
			  "segmentation/deeplabv3_mnv2_voc/voc_classes.txt", 257, 257,
			  { 127.5, 127.5, 127.5 }, { 1, 1, 1 }, 1 / 127.5, true, true, 0.1 },
	[OCV_POSE] = { "pose/tfpose_mobilenet_v2_small/graph_opt_432x368.pb",
		       "pose/tfpose_mobilenet_v2_small/coco18_parts.txt", 432, 368,
		       { 0, 0, 0 }, { 1, 1, 1 }, 1, false, false, 0.1 },
	[OCV_DEPTH] = { "depth/fastdepth_224/fastdepth_224_dequant.onnx", NULL, 224, 224,
			{ 0, 0, 0 }, { 1, 1, 1 }, 1 / 255.0, true, false, 0.1 },
};

/* A task the profile describes itself: no model unless it names one. */
static const struct task_defaults own_model = {
	NULL, NULL, 224, 224, { 0, 0, 0 }, { 1, 1, 1 }, 1, false, false, 0.1
};

/*
 * OpenCV's code (dnn.cpp) is a module of its own, loaded on the first op
 * that needs it: OpenCV's ~140 libraries cost a process ~0.15 s to load,
 * which a profile listing opencv (the default one) should not charge to
 * `vaccel sgemm`.
 */
#define DNN_MODULE "vaccel-opencv-dnn.so"

/* One instance: a model per task, where output images go, the image limit. */
struct ocv_ctx {
	struct ocv_model models[OCV_NR_TASKS];
	bool standard[OCV_NR_TASKS]; /* the task runs its standard model */
	char *output_dir;
	long max_pixels;
	pthread_mutex_t dnn_lock;
	void *dnn;                   /* the module's handle, once loaded */
	const struct ocv_dnn *api;   /* its functions */
};

/* ---- options ---- */

/* The models directory: $VACCEL_MODELS, else the user's cache. */
static char *models_dir(void)
{
	const char *env = getenv("VACCEL_MODELS"), *xdg = getenv("XDG_CACHE_HOME");
	char *dir = NULL;
	if (env && *env)
		dir = strdup(env);
	else if (xdg && *xdg)
		(void)!asprintf(&dir, "%s/vaccel/models", xdg);
	else
		(void)!asprintf(&dir, "%s/.cache/vaccel/models", getenv("HOME") ? getenv("HOME") : "");
	return dir;
}

/*
 * A standard model file: under the models directory, or else under
 * $VACCEL_MODEL_MIRROR (a directory of the same layout, such as a shared
 * copy `vaccel models fetch` would copy from) when it is there.
 */
static char *standard_path(const char *rel)
{
	char *dir = models_dir(), *path = NULL;
	const char *mirror = getenv("VACCEL_MODEL_MIRROR");
	if (dir && asprintf(&path, "%s/%s", dir, rel) < 0)
		path = NULL;
	free(dir);
	if (path && access(path, F_OK) && mirror && *mirror) {
		char *alt;
		if (asprintf(&alt, "%s/%s", mirror, rel) >= 0 && !access(alt, F_OK)) {
			free(path);
			return alt;
		}
		free(alt);
	}
	return path;
}

/* A path option with ${VACCEL_MODELS} expanded; NULL when absent. */
static char *path_option(const struct vaccel_plugin_options *opts, const char *key)
{
	static const char var[] = "${VACCEL_MODELS}";
	const char *v = vaccel_plugin_option(opts, key), *at;
	if (!v)
		return NULL;
	if (!(at = strstr(v, var)))
		return strdup(v);
	char *dir = models_dir(), *out = NULL;
	if (dir && asprintf(&out, "%.*s%s%s", (int)(at - v), v, dir, at + strlen(var)) < 0)
		out = NULL;
	free(dir);
	return out;
}

static int double_option(const struct vaccel_plugin_options *opts, const char *key,
			 double def, double *out)
{
	const char *v = vaccel_plugin_option(opts, key);
	char *end;
	*out = def;
	if (!v)
		return VACCEL_OK;
	*out = strtod(v, &end);
	if (!*v || *end) {
		vaccel_plugin_option_error(opts, key, "'%s' is not a number", v);
		return VACCEL_EINVAL;
	}
	return VACCEL_OK;
}

/* One number for all three channels, or a list of three. */
static int triple_option(const struct vaccel_plugin_options *opts, const char *key,
			 const double def[3], double out[3])
{
	const char *const *items;
	size_t n = vaccel_plugin_option_list(opts, key, &items);
	for (int c = 0; c < 3; c++)
		out[c] = def[c];
	if (!n)
		return VACCEL_OK;
	if (n != 1 && n != 3) {
		vaccel_plugin_option_error(opts, key, "needs 1 or 3 numbers, has %zu", n);
		return VACCEL_EINVAL;
	}
	for (int c = 0; c < 3; c++) {
		char *end;
		const char *v = items[n == 3 ? c : 0];
		out[c] = strtod(v, &end);
		if (!*v || *end) {
			vaccel_plugin_option_error(opts, key, "'%s' is not a number", v);
			return VACCEL_EINVAL;
		}
	}
	return VACCEL_OK;
}

/* "224" or "432x368" (width x height). */
static int size_option(const struct vaccel_plugin_options *opts, const char *key,
		       const struct task_defaults *d, int *w, int *h)
{
	const char *v = vaccel_plugin_option(opts, key);
	int n = 0;
	*w = d->width;
	*h = d->height;
	if (!v)
		return VACCEL_OK;
	if ((sscanf(v, "%dx%d%n", w, h, &n) == 2 && !v[n]) ||
	    (sscanf(v, "%d%n", w, &n) == 1 && !v[n] && (*h = *w))) {
		if (*w >= 1 && *w <= 4096 && *h >= 1 && *h <= 4096)
			return VACCEL_OK;
	}
	vaccel_plugin_option_error(opts, key, "'%s' is not SIZE or WIDTHxHEIGHT in 1..4096", v);
	return VACCEL_EINVAL;
}

static int layout_option(const struct vaccel_plugin_options *opts, const char *key,
			 bool def, bool *nhwc)
{
	const char *v = vaccel_plugin_option(opts, key);
	*nhwc = v ? !strcmp(v, "nhwc") : def;
	if (!v || *nhwc || !strcmp(v, "nchw"))
		return VACCEL_OK;
	vaccel_plugin_option_error(opts, key, "'%s' is not nchw or nhwc", v);
	return VACCEL_EINVAL;
}

/*
 * A task's options; what the profile leaves out comes from the task's
 * standard description when `standard` (the profile names no model for
 * the task and standard-models is on), else from the generic defaults.
 */
static int read_task(const struct vaccel_plugin_options *opts, enum ocv_task task,
		     bool standard_ok, struct ocv_model *m, bool *is_standard)
{
	char k[12][32];
	static const char *const suffix[12] = {
		"model", "config", "labels", "size", "mean", "std",
		"scale", "rgb", "softmax", "layout", "top", "threshold"
	};
	const char *t = task_names[task];
	for (int i = 0; i < 12; i++)
		snprintf(k[i], sizeof(k[i]), "%s-%s", t, suffix[i]);
	*is_standard = standard_ok && !vaccel_plugin_option(opts, k[0]);
	const struct task_defaults *d = *is_standard ? &standard[task] : &own_model;
	long top = 0;
	m->model = *is_standard ? standard_path(d->model) : path_option(opts, k[0]);
	m->config = path_option(opts, k[1]);
	m->labels = path_option(opts, k[2]);
	if (!m->labels && *is_standard && d->labels)
		m->labels = standard_path(d->labels);
	int ret = size_option(opts, k[3], d, &m->width, &m->height);
	if (!ret) ret = triple_option(opts, k[4], d->mean, m->mean);
	if (!ret) ret = triple_option(opts, k[5], d->std, m->std);
	if (!ret) ret = double_option(opts, k[6], d->scale, &m->scale);
	if (!ret) ret = vaccel_plugin_option_bool(opts, k[7], d->rgb, &m->rgb);
	if (!ret) ret = vaccel_plugin_option_bool(opts, k[8], false, &m->softmax);
	if (!ret) ret = layout_option(opts, k[9], d->nhwc, &m->nhwc);
	if (!ret) ret = vaccel_plugin_option_long(opts, k[10], 5, 1, 1000, &top);
	if (!ret) ret = double_option(opts, k[11], d->threshold, &m->threshold);
	for (int c = 0; !ret && c < 3; c++)
		if (m->std[c] == 0) {
			vaccel_plugin_option_error(opts, k[5], "a channel's std is 0");
			ret = VACCEL_EINVAL;
		}
	m->top = (int)top;
	return ret;
}

/* The OpenCV module, loaded once per instance on first use; NULL if it cannot be. */
static const struct ocv_dnn *dnn(struct ocv_ctx *x)
{
	pthread_mutex_lock(&x->dnn_lock);
	if (!x->api) {
		/* OpenCV's own bound on what a decoder allocates, read at its first
		 * use: the plugin's, unless the environment sets one. */
		char limit[32];
		snprintf(limit, sizeof(limit), "%ld", x->max_pixels);
		setenv("OPENCV_IO_MAX_IMAGE_PIXELS", limit, 0);
		x->api = plugin_module_load((void *)dnn, DNN_MODULE, "ocv_dnn", "opencv", "OpenCV",
					    &x->dnn);
	}
	pthread_mutex_unlock(&x->dnn_lock);
	return x->api;
}

/* The loaded networks are a process-wide cache (dnn.cpp), dropped here. */
static void opencv_fini(void *ctx)
{
	struct ocv_ctx *x = ctx;
	if (x->api)
		x->api->release_all();
	if (x->dnn)
		dlclose(x->dnn);
	pthread_mutex_destroy(&x->dnn_lock);
	for (int t = 0; t < OCV_NR_TASKS; t++) {
		free(x->models[t].model);
		free(x->models[t].config);
		free(x->models[t].labels);
	}
	free(x->output_dir);
	free(x);
}

static int opencv_init(const struct vaccel_plugin_options *opts, void **ctx)
{
	const char *dir = vaccel_plugin_option(opts, "output-dir");
	const char *tmp = getenv("TMPDIR");
	struct ocv_ctx *x = calloc(1, sizeof(*x));
	if (!x)
		return VACCEL_ENOMEM;
	pthread_mutex_init(&x->dnn_lock, NULL);
	bool standard_ok = true;
	int ret = vaccel_plugin_option_long(opts, "max-pixels", DEFAULT_MAX_PIXELS, 1,
					    LONG_MAX < (1LL << 40) ? LONG_MAX : (long)(1LL << 40),
					    &x->max_pixels);
	if (!ret)
		ret = vaccel_plugin_option_bool(opts, "standard-models", true, &standard_ok);
	for (int t = 0; !ret && t < OCV_NR_TASKS; t++)
		ret = read_task(opts, t, standard_ok, &x->models[t], &x->standard[t]);
	x->output_dir = strdup(dir ? dir : tmp && *tmp ? tmp : "/tmp");
	if (ret || !x->output_dir) {
		opencv_fini(x);
		return ret ? ret : VACCEL_ENOMEM;
	}
	*ctx = x;
	return VACCEL_OK;
}

/* ---- the ops ---- */

/*
 * Check, decode and run one task; every failure is logged once. A model
 * registered to the session as a VACCEL_RESOURCE_MODEL (vAccel's way)
 * replaces the profile's weights; the rest of the task's description
 * (labels, size, preprocessing, decoding) stays the profile's.
 */
static int run_task(struct ocv_ctx *x, struct vaccel_session *sess, enum ocv_task t,
		    const void *img, size_t len, struct ocv_result *r)
{
	struct ocv_model m = x->models[t];
	bool standard = x->standard[t];
	struct vaccel_resource *res = sess ? vaccel_session_find_resource(sess, VACCEL_RESOURCE_MODEL)
					   : NULL;
	if (res) {
		if (!vaccel_resource_path(res)) {
			vaccel_error("opencv: model resource %lld is memory-only; OpenCV reads "
				     "models from files (register it without mem_only)",
				     (long long)res->id);
			return VACCEL_EINVAL;
		}
		m.model = (char *)vaccel_resource_path(res);
		m.config = NULL;
		standard = false;
	}
	if (!m.model) {
		vaccel_error("opencv: the profile names no %s-model (see vaccel-profile(5))",
			     task_names[t]);
		return VACCEL_ENOTSUP;
	}
	if (standard && (access(m.model, R_OK) || (m.labels && access(m.labels, R_OK)))) {
		vaccel_error("opencv: %s: the standard model is not here: %s (get the standard "
			     "models with `vaccel models fetch`, or from a local copy with "
			     "VACCEL_MODEL_MIRROR=DIR vaccel models fetch; VACCEL_MODELS names "
			     "another models directory)", task_names[t],
			     access(m.model, R_OK) ? m.model : m.labels);
		return VACCEL_ENOENT;
	}
	const struct ocv_dnn *api = dnn(x);
	int ret = api ? ocv_check_image(img, len, x->max_pixels) : VACCEL_ELIBBAD;
	return ret ? ret : api->run(t, &m, img, len, r);
}

/*
 * vAccel semantics: the output image goes to a new file whose name we
 * return. Not for a caller on another machine (an agent's session): it
 * could not reach the file, which would pile up here; its name is empty
 * (vaccel_image_analyze returns the image's bytes instead).
 */
static int write_output(const struct ocv_ctx *x, struct vaccel_session *sess, enum ocv_task t,
			const struct ocv_result *r, struct vaccel_arg *name)
{
	char *path;
	if (vaccel_plugin_session_remote(sess)) {
		if (name->buf && name->size)
			((char *)name->buf)[0] = '\0';
		return VACCEL_OK;
	}
	if (asprintf(&path, "%s/vaccel-%s-XXXXXX.jpg", x->output_dir, task_names[t]) < 0)
		return VACCEL_ENOMEM;
	int fd = mkstemps(path, 4), ret = VACCEL_OK;
	if (fd < 0 || write(fd, r->image, r->image_len) != (ssize_t)r->image_len) {
		vaccel_error("opencv: output-dir %s: cannot write %s: %m", x->output_dir, path);
		ret = VACCEL_EIO;
	}
	if (fd >= 0)
		close(fd);
	if (!ret && name->buf && name->size)
		snprintf(name->buf, name->size, "%s", path);
	free(path);
	return ret;
}

/* "class SCORE LABEL" lines become vAccel's "LABEL: SCORE" lines. */
static void classify_text(const char *lines, unsigned char *out, size_t len)
{
	size_t used = 0;
	if (!out || !len)
		return;
	out[0] = '\0';
	for (const char *l = lines; *l && used < len;) {
		double score;
		int n = 0;
		const char *eol = strchrnul(l, '\n');
		if (sscanf(l, "class %lf %n", &score, &n) == 1 && n)
			used += (size_t)snprintf((char *)out + used, len - used, "%.*s: %.4f\n",
						 (int)(eol - l - n), l + n, score);
		l = *eol ? eol + 1 : eol;
	}
}

/* The task each image op runs. */
static bool task_of(vaccel_op_type_t op, enum ocv_task *t)
{
	static const vaccel_op_type_t ops[OCV_NR_TASKS] = {
		[OCV_CLASSIFY] = VACCEL_OP_IMAGE_CLASSIFY, [OCV_DETECT] = VACCEL_OP_IMAGE_DETECT,
		[OCV_SEGMENT] = VACCEL_OP_IMAGE_SEGMENT, [OCV_POSE] = VACCEL_OP_IMAGE_POSE,
		[OCV_DEPTH] = VACCEL_OP_IMAGE_DEPTH,
	};
	for (int i = 0; i < OCV_NR_TASKS; i++)
		if (ops[i] == op) {
			*t = (enum ocv_task)i;
			return true;
		}
	return false;
}

/*
 * vAccel's image ops. read: image; write: image name, (classify:) text.
 * The output image goes to a new file whose name is returned.
 */
static int opencv_image(void *ctx, struct vaccel_session *sess, const struct vaccel_op_args *a)
{
	struct vaccel_arg *r = a->read, *w = a->write;
	struct ocv_result res;
	enum ocv_task t;
	if (!task_of(a->op, &t))
		return VACCEL_ENOTSUP;
	int ret = run_task(ctx, sess, t, r[0].buf, r[0].size, &res);
	if (ret)
		return ret;
	if (t == OCV_CLASSIFY)
		classify_text(res.text, w[1].buf, w[1].size);
	ret = write_output(ctx, sess, t, &res, &w[0]);
	((struct ocv_ctx *)ctx)->api->result_free(&res);
	return ret;
}

/*
 * The extension op, result lines and image bytes, no file. read: task,
 * image; write: text, image (empty: not wanted), image size.
 */
static int opencv_analyze(void *ctx, struct vaccel_session *sess, const struct vaccel_op_args *a)
{
	struct vaccel_arg *r = a->read, *w = a->write;
	struct ocv_result res;
	enum ocv_task t;
	if (!task_of(vaccel_plugin_arg_u32(&r[0]), &t))
		return VACCEL_EINVAL;
	int ret = run_task(ctx, sess, t, r[1].buf, r[1].size, &res);
	if (ret)
		return ret;
	uint64_t image_len = res.image_len;
	memcpy(w[2].buf, &image_len, sizeof(image_len));
	if (strlen(res.text) >= w[0].size) {
		vaccel_error("opencv: image_analyze: %zu bytes of text, the buffer holds %zu",
			     strlen(res.text) + 1, w[0].size);
		ret = VACCEL_ENOBUFS;
	} else {
		memcpy(w[0].buf, res.text, strlen(res.text) + 1);
	}
	/* No buffer: the image is not wanted (its size is still reported). */
	if (!ret && w[1].size && res.image_len > w[1].size)
		ret = VACCEL_ENOBUFS; /* the caller asks the size first: not an error to log */
	else if (!ret && w[1].size)
		memcpy(w[1].buf, res.image, res.image_len);
	((struct ocv_ctx *)ctx)->api->result_free(&res);
	return ret;
}

/*
 * Any model OpenCV reads. read: model path, model resource, output name,
 * dims, data; write: shape, output data. libvaccel checked that exactly one
 * model is named, or that the session has a model resource.
 */
static int opencv_infer(void *ctx, struct vaccel_session *sess, const struct vaccel_op_args *a)
{
	struct vaccel_arg *r = a->read, *w = a->write;
	const struct ocv_dnn *api = dnn(ctx);
	if (!api)
		return VACCEL_ELIBBAD;
	const char *model = r[0].buf;
	if (!*model) {
		struct vaccel_resource *res = vaccel_plugin_arg_resource(sess, &r[1]);
		if (!res)
			res = vaccel_session_find_resource(sess, VACCEL_RESOURCE_MODEL);
		model = res ? vaccel_resource_path(res) : NULL;
	}
	if (!model)
		return VACCEL_ENOENT;
	struct vaccel_tensor in = { .ndims = r[3].size / sizeof(int64_t), .data = r[4].buf,
				    .count = r[4].size / sizeof(float) };
	struct vaccel_tensor out = { .data = w[1].buf, .count = w[1].size / sizeof(float) };
	memcpy(in.dims, r[3].buf, r[3].size);
	const char *out_name = *(const char *)r[2].buf ? r[2].buf : NULL;
	int ret = api->infer(model, out_name, &in, &out);
	if (!ret || ret == VACCEL_ENOBUFS) {
		int64_t shape[1 + VACCEL_TENSOR_MAX_DIMS] = { (int64_t)out.ndims };
		memcpy(shape + 1, out.dims, sizeof(out.dims));
		memcpy(w[0].buf, shape, sizeof(shape));
	}
	return ret;
}

VACCEL_PLUGIN_DEFINE(
	.name = "opencv",
	.version = PACKAGE_VERSION,
	.description = "vision ops (classify, detect, segment, pose, depth) and tensor inference on OpenCV dnn",
	.type = VACCEL_PLUGIN_CPU | VACCEL_PLUGIN_GENERIC,
	.option_keys = option_keys,
	.init = opencv_init,
	.fini = opencv_fini,
	.ops = {
		[VACCEL_OP_IMAGE_CLASSIFY] = opencv_image,
		[VACCEL_OP_IMAGE_DETECT] = opencv_image,
		[VACCEL_OP_IMAGE_SEGMENT] = opencv_image,
		[VACCEL_OP_IMAGE_POSE] = opencv_image,
		[VACCEL_OP_IMAGE_DEPTH] = opencv_image,
		[VACCEL_OP_IMAGE_ANALYZE] = opencv_analyze,
		[VACCEL_OP_TENSOR_INFER] = opencv_infer,
	});
