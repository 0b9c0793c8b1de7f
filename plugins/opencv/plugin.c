/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The opencv plugin: the vAccel image ops on OpenCV's dnn module. This file
 * is the C edge: the descriptor, the profile's options (one model per task)
 * and the vAccel signatures. The OpenCV work is in dnn.cpp (vision.h).
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <vaccel/plugin.h>
#include "vision.h"

/* Option keys: one set per task, "classify-model", "detect-size", ... */
#define TASK_KEYS(t)                                                         \
	t "-model", t "-config", t "-labels", t "-size", t "-mean", t "-std", \
	t "-scale", t "-rgb", t "-softmax", t "-layout", t "-top", t "-threshold"

static const char *const option_keys[] = {
	"output-dir", "max-pixels",
	TASK_KEYS("classify"), TASK_KEYS("detect"), TASK_KEYS("segment"),
	TASK_KEYS("pose"), TASK_KEYS("depth"), NULL
};

static const char *const task_names[OCV_NR_TASKS] = {
	"classify", "detect", "segment", "pose", "depth"
};

#define DEFAULT_MAX_PIXELS (64L * 1024 * 1024)

static struct ocv_model models[OCV_NR_TASKS];
static char *output_dir;
static long max_pixels;

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
			 double def, double out[3])
{
	const char *const *items;
	size_t n = vaccel_plugin_option_list(opts, key, &items);
	for (int c = 0; c < 3; c++)
		out[c] = def;
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
		       int *w, int *h)
{
	const char *v = vaccel_plugin_option(opts, key);
	int n = 0;
	*w = *h = 224;
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
			 bool *nhwc)
{
	const char *v = vaccel_plugin_option(opts, key);
	*nhwc = v && !strcmp(v, "nhwc");
	if (!v || *nhwc || !strcmp(v, "nchw"))
		return VACCEL_OK;
	vaccel_plugin_option_error(opts, key, "'%s' is not nchw or nhwc", v);
	return VACCEL_EINVAL;
}

static int read_task(const struct vaccel_plugin_options *opts, const char *t,
		     struct ocv_model *m)
{
	char k[12][32];
	static const char *const suffix[12] = {
		"model", "config", "labels", "size", "mean", "std",
		"scale", "rgb", "softmax", "layout", "top", "threshold"
	};
	for (int i = 0; i < 12; i++)
		snprintf(k[i], sizeof(k[i]), "%s-%s", t, suffix[i]);
	long top = 0;
	m->model = path_option(opts, k[0]);
	m->config = path_option(opts, k[1]);
	m->labels = path_option(opts, k[2]);
	int ret = size_option(opts, k[3], &m->width, &m->height);
	if (!ret) ret = triple_option(opts, k[4], 0, m->mean);
	if (!ret) ret = triple_option(opts, k[5], 1, m->std);
	if (!ret) ret = double_option(opts, k[6], 1, &m->scale);
	if (!ret) ret = vaccel_plugin_option_bool(opts, k[7], false, &m->rgb);
	if (!ret) ret = vaccel_plugin_option_bool(opts, k[8], false, &m->softmax);
	if (!ret) ret = layout_option(opts, k[9], &m->nhwc);
	if (!ret) ret = vaccel_plugin_option_long(opts, k[10], 5, 1, 1000, &top);
	if (!ret) ret = double_option(opts, k[11], !strcmp(t, "detect") ? 0.4 : 0.1,
				      &m->threshold);
	for (int c = 0; !ret && c < 3; c++)
		if (m->std[c] == 0) {
			vaccel_plugin_option_error(opts, k[5], "a channel's std is 0");
			ret = VACCEL_EINVAL;
		}
	m->top = (int)top;
	return ret;
}

static void opencv_fini(void)
{
	ocv_release_all();
	for (int t = 0; t < OCV_NR_TASKS; t++) {
		free(models[t].model);
		free(models[t].config);
		free(models[t].labels);
		memset(&models[t], 0, sizeof(models[t]));
	}
	free(output_dir);
	output_dir = NULL;
}

static int opencv_init(const struct vaccel_plugin_options *opts)
{
	const char *dir = vaccel_plugin_option(opts, "output-dir");
	const char *tmp = getenv("TMPDIR");
	int ret = vaccel_plugin_option_long(opts, "max-pixels", DEFAULT_MAX_PIXELS, 1,
					    1L << 40, &max_pixels);
	for (int t = 0; !ret && t < OCV_NR_TASKS; t++)
		ret = read_task(opts, task_names[t], &models[t]);
	output_dir = strdup(dir ? dir : tmp && *tmp ? tmp : "/tmp");
	if (ret || !output_dir) {
		opencv_fini();
		return ret ? ret : VACCEL_ENOMEM;
	}
	return VACCEL_OK;
}

/* ---- the ops ---- */

/*
 * Check, decode and run one task; every failure is logged once. A model
 * registered to the session as a VACCEL_RESOURCE_MODEL (vAccel's way)
 * replaces the profile's weights; the rest of the task's description
 * (labels, size, preprocessing, decoding) stays the profile's.
 */
static int run_task(struct vaccel_session *sess, enum ocv_task t, const void *img, size_t len,
		    struct ocv_result *r)
{
	struct ocv_model m = models[t];
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
	}
	if (!m.model) {
		vaccel_error("opencv: the profile names no %s-model (see vaccel-profile(5))",
			     task_names[t]);
		return VACCEL_ENOTSUP;
	}
	int ret = ocv_check_image(img, len, max_pixels);
	return ret ? ret : ocv_run(t, &m, img, len, r);
}

/* vAccel semantics: the output image goes to a new file whose name we return. */
static int write_output(enum ocv_task t, const struct ocv_result *r,
			unsigned char *name, size_t len_name)
{
	char *path;
	if (asprintf(&path, "%s/vaccel-%s-XXXXXX.jpg", output_dir, task_names[t]) < 0)
		return VACCEL_ENOMEM;
	int fd = mkstemps(path, 4), ret = VACCEL_OK;
	if (fd < 0 || write(fd, r->image, r->image_len) != (ssize_t)r->image_len) {
		vaccel_error("opencv: output-dir %s: cannot write %s: %m", output_dir, path);
		ret = VACCEL_EIO;
	}
	if (fd >= 0)
		close(fd);
	if (!ret && name && len_name)
		snprintf((char *)name, len_name, "%s", path);
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

static int opencv_classify(struct vaccel_session *sess, const void *img,
			   unsigned char *out_text, unsigned char *out_imgname,
			   size_t len_img, size_t len_out_text, size_t len_out_imgname)
{
	struct ocv_result r;
	int ret = run_task(sess, OCV_CLASSIFY, img, len_img, &r);
	if (ret)
		return ret;
	classify_text(r.text, out_text, len_out_text);
	ret = write_output(OCV_CLASSIFY, &r, out_imgname, len_out_imgname);
	ocv_result_free(&r);
	return ret;
}

static int image_task(struct vaccel_session *sess, enum ocv_task t, const void *img,
		      size_t len_img, unsigned char *out_imgname, size_t len_out_imgname)
{
	struct ocv_result r;
	int ret = run_task(sess, t, img, len_img, &r);
	if (ret)
		return ret;
	ret = write_output(t, &r, out_imgname, len_out_imgname);
	ocv_result_free(&r);
	return ret;
}

static int opencv_detect(struct vaccel_session *sess, const void *img,
			 unsigned char *out_imgname, size_t len_img, size_t len_out_imgname)
{
	return image_task(sess, OCV_DETECT, img, len_img, out_imgname, len_out_imgname);
}

static int opencv_segment(struct vaccel_session *sess, const void *img,
			  unsigned char *out_imgname, size_t len_img, size_t len_out_imgname)
{
	return image_task(sess, OCV_SEGMENT, img, len_img, out_imgname, len_out_imgname);
}

static int opencv_pose(struct vaccel_session *sess, const void *img,
		       unsigned char *out_imgname, size_t len_img, size_t len_out_imgname)
{
	return image_task(sess, OCV_POSE, img, len_img, out_imgname, len_out_imgname);
}

static int opencv_depth(struct vaccel_session *sess, const void *img,
			unsigned char *out_imgname, size_t len_img, size_t len_out_imgname)
{
	return image_task(sess, OCV_DEPTH, img, len_img, out_imgname, len_out_imgname);
}

/* The extension op: result lines and image bytes, no file. */
static int opencv_analyze(struct vaccel_session *sess, vaccel_op_type_t task,
			  const void *img, size_t len_img, char *out_text,
			  size_t len_out_text, unsigned char *out_img, size_t len_out_img,
			  size_t *out_img_size)
{
	struct ocv_result r;
	int ret = run_task(sess, (enum ocv_task)(task - VACCEL_OP_IMAGE_CLASSIFY), img, len_img, &r);
	if (ret)
		return ret;
	*out_img_size = r.image_len;
	if (strlen(r.text) >= len_out_text) {
		vaccel_error("opencv: image_analyze: %zu bytes of text, the buffer holds %zu",
			     strlen(r.text) + 1, len_out_text);
		ret = VACCEL_ENOBUFS;
	} else {
		memcpy(out_text, r.text, strlen(r.text) + 1);
	}
	/* No buffer: the image is not wanted (its size is still reported). */
	if (!ret && out_img && r.image_len > len_out_img)
		ret = VACCEL_ENOBUFS; /* the caller asks the size first: not an error to log */
	else if (!ret && out_img)
		memcpy(out_img, r.image, r.image_len);
	ocv_result_free(&r);
	return ret;
}

/* Any model OpenCV reads; the path comes from the caller, not the profile. */
static int opencv_infer(struct vaccel_session *sess, const char *model,
			struct vaccel_resource *model_res, const char *out_name,
			const struct vaccel_tensor *in, struct vaccel_tensor *out)
{
	(void)sess; (void)model_res;
	return ocv_infer(model, out_name, in, out);
}

VACCEL_PLUGIN_DEFINE(
	.name = "opencv",
	.version = PACKAGE_VERSION,
	.description = "vision ops (classify, detect, segment, pose, depth) and tensor inference on OpenCV dnn",
	.option_keys = option_keys,
	.init = opencv_init,
	.fini = opencv_fini,
	.ops = {
		.image_classify = opencv_classify,
		.image_detect = opencv_detect,
		.image_segment = opencv_segment,
		.image_pose = opencv_pose,
		.image_depth = opencv_depth,
		.image_analyze = opencv_analyze,
		.tensor_infer = opencv_infer,
	});
