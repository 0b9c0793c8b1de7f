/* SPDX-License-Identifier: Apache-2.0 */
/*
 * vaccel classify | detect | segment | pose | depth: one vision op per image
 * through vaccel_image_analyze. The five commands differ only in the row of
 * the table below: which op, and how its result lines read.
 */
#include <argp.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include "cmd.h"
#include "progress.h"

#define MAX_IMAGE_BYTES (256L << 20)
/* Output buffers: they travel whole over the transports, so not too big;
 * an image larger than this is asked again at the size the op reports. */
#define OUT_IMAGE_BYTES (8u << 20)
#define TEXT_BYTES (64u << 10)

/* One task: its op and the shape of its result lines "KIND N... LABEL". */
struct vision_task {
	const char *name;
	vaccel_op_type_t op;
	const char *kind;          /* first word of each result line */
	const char *json_key;      /* the array (or, without a label, object) */
	const char *fields[5];     /* names of the numbers, in order */
	const char *label_key;     /* name of the trailing text, NULL if none */
	const char *doc;           /* what --help says the command prints */
};

static const struct vision_task tasks[] = {
	{ "classify", VACCEL_OP_IMAGE_CLASSIFY, "class", "classes",
	  { "score" }, "label",
	  "Classify each IMAGE (JPEG, PNG, ...) with the profile's classify model (e.g. "
	  "--profile vision): one line per class, 'class SCORE LABEL', best first." },
	{ "detect", VACCEL_OP_IMAGE_DETECT, "box", "boxes",
	  { "score", "x", "y", "w", "h" }, "label",
	  "Find the objects in each IMAGE with the profile's detect model: one line "
	  "per object, 'box SCORE X Y W H LABEL' in pixels of the image, best first." },
	{ "segment", VACCEL_OP_IMAGE_SEGMENT, "share", "shares",
	  { "fraction" }, "label",
	  "Label the pixels of each IMAGE with the profile's segment model: one line "
	  "per class present, 'share FRACTION LABEL', largest first." },
	{ "pose", VACCEL_OP_IMAGE_POSE, "keypoint", "keypoints",
	  { "score", "x", "y" }, "part",
	  "Find the body keypoints in each IMAGE with the profile's pose model: one "
	  "line per body part found, 'keypoint SCORE X Y PART' (score in [0, 1])." },
	{ "depth", VACCEL_OP_IMAGE_DEPTH, "depth", "depth",
	  { "min", "max", "mean" }, NULL,
	  "Estimate the depth of each IMAGE with the profile's depth model: one line, "
	  "'depth MIN MAX MEAN' of the model's relative depth map." },
};

static size_t nr_fields(const struct vision_task *t)
{
	size_t n = 0;
	while (n < 5 && t->fields[n])
		n++;
	return n;
}

struct vision_args {
	const struct vision_task *task;
	long top, iterations;
	bool top_given;            /* -t on the command line, not the default */
	const char *out;
	char **images;
	int nr_images;
};

/* classify's options; the other commands take them from the second on (no --top). */
static const struct argp_option options[] = {
	{ "top", 't', "N", 0,
	  "Print the N best classes (default 5; more than the plugin reports is an error)", 0 },
	{ "iterations", 'i', "N", 0, "Run the op N times per image, report per-call latency", 0 },
	{ "output", 'o', "FILE", 0, "Write the output image (JPEG) to FILE (one IMAGE only)", 0 },
	{ 0 }
};


static error_t parse_opt(int key, char *arg, struct argp_state *state)
{
	struct vision_args *a = state->input;
	switch (key) {
	case 'i':
		if (!cmd_parse_long(arg, 1, 1000000, &a->iterations))
			argp_error(state, "--iterations: '%s' is not a count in 1..1000000", arg);
		return 0;
	case 'o':
		a->out = arg;
		return 0;
	case 't':
		if (!cmd_parse_long(arg, 1, 1000, &a->top))
			argp_error(state, "--top: '%s' is not a count in 1..1000", arg);
		a->top_given = true;
		return 0;
	case ARGP_KEY_ARGS:
		a->images = state->argv + state->next;
		a->nr_images = state->argc - state->next;
		return 0;
	case ARGP_KEY_NO_ARGS:
		argp_error(state, "missing IMAGE");
		return 0;
	case ARGP_KEY_END:
		if (a->out && a->nr_images > 1)
			argp_error(state, "-o takes one IMAGE, %d given", a->nr_images);
		return 0;
	default:
		return ARGP_ERR_UNKNOWN;
	}
}

/* The command's argp: its own text, and --top for classify only. */
static struct argp argp_of(const struct vision_task *t)
{
	return (struct argp){ t->op == VACCEL_OP_IMAGE_CLASSIFY ? options : options + 1,
			      parse_opt, "IMAGE...", t->doc, NULL, NULL, NULL };
}

/* Why an image failed: printed now, and kept for its --json item. */
struct failure {
	int rc;
	char why[512];
};

static int fail(struct failure *f, int rc, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int fail(struct failure *f, int rc, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(f->why, sizeof(f->why), fmt, ap);
	va_end(ap);
	cmd_error("%s", f->why);
	return f->rc = rc;
}

static unsigned char *read_image(const char *path, size_t *len, struct failure *f)
{
	void *buf = NULL;
	int err = cmd_read_file(path, MAX_IMAGE_BYTES, &buf, len);
	if (err == EFBIG)
		fail(f, EXIT_INPUT, "%s: %zu bytes, more than the %ld an image may have", path,
		     *len, MAX_IMAGE_BYTES);
	else if (err == EISDIR)
		fail(f, EXIT_INPUT, "%s: a directory, not an image", path);
	else if (err)
		fail(f, EXIT_INPUT, "%s: %s", path, strerror(err));
	else if (!*len)
		fail(f, EXIT_INPUT, "%s: empty image (0 bytes)", path);
	if (!err && !*len) {
		free(buf);
		buf = NULL;
	}
	return buf;
}

/*
 * Op failures: bad image or model files are input errors, named above by
 * the plugin; the others are not the image's, and end the batch.
 */
static int op_failed(struct cmd_ctx *ctx, const char *image, int err, struct failure *f)
{
	if (err == VACCEL_EINVAL || err == VACCEL_ENOENT || err == VACCEL_EIO) {
		const char *what = err == VACCEL_EINVAL ? "bad image or labels" :
				   err == VACCEL_ENOENT ? "a model or labels file is missing" :
				   "the model could not be loaded or run";
		/* The plugin's message names the file: on stderr it is just
		 * above; a --json item carries it. */
		const char *plugin_why = vaccel_log_last_error();
		cmd_error("%s %s: %s%s", ctx->name, image, what,
			  *plugin_why ? " (the message above names the file)" : "");
		snprintf(f->why, sizeof(f->why), "%s %s: %s%s%s", ctx->name, image, what,
			 *plugin_why ? ": " : "", plugin_why);
		return f->rc = EXIT_INPUT;
	}
	if (err == VACCEL_ENOTSUP)
		return fail(f, EXIT_UNSUPPORTED, "%s: no plugin of profile %s serves this operation",
			    ctx->name, vaccel_profile_source() ? vaccel_profile_source() : "?");
	return fail(f, EXIT_OP_FAILED, "%s %s failed: %s", ctx->name, image, vaccel_strerror(err));
}

/* One result line "KIND N... [LABEL]" as numbers and label; false if another kind. */
static bool parse_line(const struct vision_task *t, const char *line, double *v,
		       const char **label)
{
	size_t k = strlen(t->kind), n = nr_fields(t);
	if (strncmp(line, t->kind, k) || line[k] != ' ')
		return false;
	const char *p = line + k;
	for (size_t i = 0; i < n; i++) {
		char *end;
		v[i] = strtod(p, &end);
		if (end == p)
			return false;
		p = end;
	}
	*label = *p == ' ' ? p + 1 : p;
	return true;
}

static void print_text(const struct vision_args *a, const char *image, char *text,
		       const struct latency *l)
{
	long shown = 0;
	printf("%s\n", image);
	for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
		if (a->task->op == VACCEL_OP_IMAGE_CLASSIFY && shown++ >= a->top)
			continue;
		printf("  %s\n", line);
	}
	printf("latency_ms: mean %.3f p50 %.3f min %.3f max %.3f (%ld calls)\n",
	       l->mean / 1000, l->p50 / 1000, l->min / 1000, l->max / 1000, a->iterations);
}

static void print_json(struct json *j, const struct vision_args *a, const char *image,
		       char *text, const struct latency *l)
{
	const struct vision_task *t = a->task;
	size_t n = nr_fields(t);
	long shown = 0;
	json_object(j, NULL);
	json_str(j, "image", image);
	json_str(j, "output", a->out);
	json_object(j, "latency_ms");
	json_num(j, "mean", l->mean / 1000);
	json_num(j, "p50", l->p50 / 1000);
	json_num(j, "min", l->min / 1000);
	json_num(j, "max", l->max / 1000);
	json_close(j, '}');
	if (t->label_key)
		json_array(j, t->json_key);
	for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
		double v[5];
		const char *label;
		if (!parse_line(t, line, v, &label))
			continue;
		if (t->op == VACCEL_OP_IMAGE_CLASSIFY && shown++ >= a->top)
			break;
		json_object(j, t->label_key ? NULL : t->json_key);
		if (t->label_key)
			json_str(j, t->label_key, label);
		for (size_t i = 0; i < n; i++)
			json_num(j, t->fields[i], v[i]);
		json_close(j, '}');
	}
	if (t->label_key)
		json_close(j, ']');
	json_close(j, '}');
}

/* 0, or the errno of the failure. */
static int write_file(const char *path, const unsigned char *buf, size_t len)
{
	FILE *f = fopen(path, "wb");
	if (!f)
		return errno;
	int err = fwrite(buf, 1, len, f) != len ? errno : 0;
	if (fclose(f) && !err)
		err = errno;
	return err;
}

struct buffers {
	char *text;
	unsigned char *image;
	size_t image_size;
	uint64_t *times;
};

/* The number of result lines in text. */
static long count_lines(const char *text)
{
	long n = 0;
	for (const char *p = text; *p; p++)
		if (*p == '\n' || !p[1])
			n++;
	return n;
}

/* Analyze one image a->iterations times; prints its results, or fills *f. */
static int one_image(struct cmd_ctx *ctx, struct vaccel_session *sess,
		     const struct vision_args *a, const char *image, struct buffers *b,
		     struct json *j, struct failure *f)
{
	size_t len = 0, out_len = 0;
	unsigned char *img = read_image(image, &len, f);
	int ret = 0;
	if (!img)
		return f->rc;
	b->text[0] = '\0';
	vaccel_log_clear_last_error();
	for (long i = 0; i < a->iterations && !ret; i++) {
		uint64_t t0 = now_ns();
		/* The output image only when -o wants it: no buffer, no transfer. */
		ret = vaccel_image_analyze(sess, a->task->op, img, len, b->text, TEXT_BYTES,
					   a->out ? b->image : NULL, a->out ? b->image_size : 0,
					   &out_len);
		if (ret == VACCEL_ENOBUFS && a->out && out_len > b->image_size) {
			unsigned char *bigger = realloc(b->image, out_len);
			if (!bigger)
				break;
			b->image = bigger;
			b->image_size = out_len;
			ret = vaccel_image_analyze(sess, a->task->op, img, len, b->text, TEXT_BYTES,
						   b->image, b->image_size, &out_len);
		}
		b->times[i] = now_ns() - t0;
	}
	free(img);
	if (ret)
		return op_failed(ctx, image, ret, f);
	/* The plugin reports at most its own top N (opencv: classify-top):
	 * asking for more is an error, not a shorter list. */
	long got = count_lines(b->text);
	if (a->top_given && a->task->op == VACCEL_OP_IMAGE_CLASSIFY && got < a->top)
		return fail(f, EXIT_USAGE,
			    "%s --top %ld: the profile's %s plugin reports at most %ld classes "
			    "(its classify-top option, or the model's class count)",
			    ctx->name, a->top, vaccel_op_served_by(VACCEL_OP_IMAGE_ANALYZE, NULL),
			    got);
	struct latency l;
	latency_summary(b->times, (size_t)a->iterations, &l);
	int err = a->out ? write_file(a->out, b->image, out_len) : 0;
	if (err)
		return fail(f, EXIT_INPUT, "-o %s: %s", a->out, strerror(err));
	if (j)
		print_json(j, a, image, b->text, &l);
	else
		print_text(a, image, b->text, &l);
	return EXIT_OK;
}

/*
 * Every image gets its result or, after a failure of its own (a bad
 * file), its error, and the batch goes on; a failure that is not the
 * image's (no plugin serves the op, the agent is gone, --top too large)
 * ends it. The exit code is the first failure's.
 */
static int run_task(const struct vision_task *t, struct cmd_ctx *ctx, int argc, char **argv)
{
	struct vision_args a = { .task = t, .top = 5, .iterations = 1 };
	struct vaccel_session sess = { 0 };
	struct buffers b = { 0 };
	struct json j;
	int rc;

	struct argp argp = argp_of(t);
	argp_parse(&argp, argc, argv, 0, NULL, &a);
	if ((rc = cmd_bootstrap(ctx)))
		return rc;
	b.text = malloc(TEXT_BYTES);
	b.image = malloc(OUT_IMAGE_BYTES);
	b.image_size = OUT_IMAGE_BYTES;
	b.times = calloc((size_t)a.iterations, sizeof(*b.times));
	int ret = b.text && b.image && b.times ? vaccel_session_init(&sess, 0) : VACCEL_ENOMEM;
	if (ret) {
		rc = cmd_op_error(ctx, "session", ret);
		goto out;
	}
	if (ctx->json) {
		json_begin(&j, stdout);
		json_str(&j, "command", t->name);
		json_str(&j, "plugin", vaccel_op_served_by(VACCEL_OP_IMAGE_ANALYZE, NULL));
		json_int(&j, "iterations", a.iterations);
		json_array(&j, "images");
	}
	long failed = 0;
	struct progress pr;
	progress_begin(&pr, t->name, (size_t)a.nr_images);
	for (int i = 0; i < a.nr_images; i++) {
		struct failure f = { 0 };
		progress_step(&pr, (size_t)i);
		int one = one_image(ctx, &sess, &a, a.images[i], &b, ctx->json ? &j : NULL, &f);
		if (!one)
			continue;
		failed++;
		if (!rc)
			rc = one;
		if (ctx->json) {
			json_object(&j, NULL);
			json_str(&j, "image", a.images[i]);
			json_str(&j, "error", f.why);
			json_int(&j, "exit", one);
			json_close(&j, '}');
		}
		if (one != EXIT_INPUT)
			break;
	}
	progress_end(&pr);
	if (ctx->json) {
		json_close(&j, ']');
		json_int(&j, "failed", failed);
		json_end(&j);
	}
out:
	if (sess.id > 0)
		vaccel_session_release(&sess);
	free(b.text);
	free(b.image);
	free(b.times);
	return rc;
}

/* The five entries: each names its row of the table. */
#define VISION_ENTRY(i, id, what)                                                \
	static int run_##id(struct cmd_ctx *ctx, int argc, char **argv)          \
	{                                                                        \
		return run_task(&tasks[i], ctx, argc, argv);                     \
	}                                                                        \
	static const struct cmd_entry cmd_##id##_entry = { #id, what, run_##id }

VISION_ENTRY(0, classify, "label images: top classes with probabilities");
VISION_ENTRY(1, detect, "find objects: labelled boxes");
VISION_ENTRY(2, segment, "label pixels: share of each class");
VISION_ENTRY(3, pose, "find body keypoints");
VISION_ENTRY(4, depth, "estimate depth: min, max, mean");

/* In `vaccel --help` order; vaccel.c lists this group among its commands. */
const struct cmd_entry *const cmd_vision_commands[] = {
	&cmd_classify_entry, &cmd_detect_entry, &cmd_segment_entry, &cmd_pose_entry,
	&cmd_depth_entry, NULL
};
