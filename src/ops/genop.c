/* SPDX-License-Identifier: Apache-2.0 */
/*
 * vaccel_genop: an op given as argument lists. read[0] is the op type; the
 * layouts per op are in libvaccel(3). Each unpacker checks every size before
 * it reads, because genop args may come from a guest.
 */
#include <stdlib.h>
#include <string.h>
#include "../internal.h"

/* An unpacker's own verdict on its arguments, told apart from an op's EINVAL. */
#define GENOP_BAD_ARGS (-1)

static int arg_i64(const struct vaccel_arg *a, int64_t *out)
{
	if (!a->buf || a->size != sizeof(int64_t))
		return VACCEL_EINVAL;
	memcpy(out, a->buf, sizeof(*out));
	return VACCEL_OK;
}

static int arg_f32(const struct vaccel_arg *a, float *out)
{
	if (!a->buf || a->size != sizeof(float))
		return VACCEL_EINVAL;
	memcpy(out, a->buf, sizeof(*out));
	return VACCEL_OK;
}

/* A NUL-terminated string within its declared size. */
static const char *arg_str(const struct vaccel_arg *a)
{
	if (!a->buf || !a->size || !memchr(a->buf, '\0', a->size))
		return NULL;
	return a->buf;
}

/* Elements a row-major rows x cols matrix with leading dimension ld spans. */
static bool matrix_fits(const struct vaccel_arg *a, int64_t rows, int64_t cols, int64_t ld)
{
	if (rows == 0 || cols == 0)
		return true;
	if (rows < 0 || cols < 0 || ld < cols || rows > INT64_MAX / ld)
		return false;
	uint64_t need = ((uint64_t)(rows - 1) * (uint64_t)ld + (uint64_t)cols);
	return need <= a->size / sizeof(float);
}

static int genop_noop(struct vaccel_session *s, struct vaccel_arg *r, int nr,
		      struct vaccel_arg *w, int nw)
{
	(void)r; (void)w;
	if (nr != 0 || nw != 0)
		return GENOP_BAD_ARGS;
	return vaccel_noop(s);
}

static int genop_sgemm(struct vaccel_session *s, struct vaccel_arg *r, int nr,
		       struct vaccel_arg *w, int nw)
{
	int64_t m, n, k, lda, ldb, ldc;
	float alpha, beta;
	if (nr != 10 || nw != 1)
		return GENOP_BAD_ARGS;
	if (arg_i64(&r[0], &m) || arg_i64(&r[1], &n) || arg_i64(&r[2], &k) ||
	    arg_f32(&r[3], &alpha) || arg_i64(&r[5], &lda) || arg_i64(&r[7], &ldb) ||
	    arg_f32(&r[8], &beta) || arg_i64(&r[9], &ldc))
		return GENOP_BAD_ARGS;
	if (!matrix_fits(&r[4], m, k, lda) || !matrix_fits(&r[6], k, n, ldb) ||
	    !matrix_fits(&w[0], m, n, ldc)) {
		vaccel_error("genop sgemm: a matrix buffer is smaller than its sizes say");
		return GENOP_BAD_ARGS;
	}
	return vaccel_sgemm(s, m, n, k, alpha, r[4].buf, lda, r[6].buf, ldb, beta,
			    w[0].buf, ldc);
}

static int genop_exec(struct vaccel_session *s, struct vaccel_arg *r, int nr,
		      struct vaccel_arg *w, int nw)
{
	if (nr < 2)
		return GENOP_BAD_ARGS;
	const char *lib = arg_str(&r[0]), *sym = arg_str(&r[1]);
	if (!lib || !sym)
		return GENOP_BAD_ARGS;
	return vaccel_exec(s, lib, sym, r + 2, (size_t)(nr - 2), w, (size_t)nw);
}

/* read: resource id (int64, registered to the session), symbol, args... */
static int genop_exec_res(struct vaccel_session *s, struct vaccel_arg *r, int nr,
			  struct vaccel_arg *w, int nw)
{
	int64_t id;
	const char *sym;
	if (nr < 2 || arg_i64(&r[0], &id) || !(sym = arg_str(&r[1])))
		return GENOP_BAD_ARGS;
	struct vaccel_resource *res = session_resource_by_id(s, id);
	if (!res) {
		vaccel_error("genop exec_with_resource: no resource %lld in session %lld",
			     (long long)id, (long long)s->id);
		return VACCEL_ENOENT;
	}
	return vaccel_exec_with_resource(s, res, sym, r + 2, (size_t)(nr - 2), w, (size_t)nw);
}

static int genop_classify(struct vaccel_session *s, struct vaccel_arg *r, int nr,
			  struct vaccel_arg *w, int nw)
{
	if (nr != 1 || nw != 2)
		return GENOP_BAD_ARGS;
	return vaccel_image_classification(s, r[0].buf, w[0].buf, w[1].buf, r[0].size,
					   w[0].size, w[1].size);
}

typedef int (*image_entry)(struct vaccel_session *, const void *, unsigned char *,
			   size_t, size_t);

static int genop_image(image_entry fn, struct vaccel_session *s, struct vaccel_arg *r,
		       int nr, struct vaccel_arg *w, int nw)
{
	if (nr != 1 || nw != 1)
		return GENOP_BAD_ARGS;
	return fn(s, r[0].buf, w[0].buf, r[0].size, w[0].size);
}

static int genop_detect(struct vaccel_session *s, struct vaccel_arg *r, int nr,
			struct vaccel_arg *w, int nw)
{
	return genop_image(vaccel_image_detection, s, r, nr, w, nw);
}

static int genop_segment(struct vaccel_session *s, struct vaccel_arg *r, int nr,
			 struct vaccel_arg *w, int nw)
{
	return genop_image(vaccel_image_segmentation, s, r, nr, w, nw);
}

static int genop_pose(struct vaccel_session *s, struct vaccel_arg *r, int nr,
		      struct vaccel_arg *w, int nw)
{
	return genop_image(vaccel_image_pose, s, r, nr, w, nw);
}

static int genop_depth(struct vaccel_session *s, struct vaccel_arg *r, int nr,
		       struct vaccel_arg *w, int nw)
{
	return genop_image(vaccel_image_depth, s, r, nr, w, nw);
}

/* read: task (4 bytes), image; write: text, image (may be empty), image size (8 bytes). */
static int genop_analyze(struct vaccel_session *s, struct vaccel_arg *r, int nr,
			 struct vaccel_arg *w, int nw)
{
	uint32_t task;
	size_t img_size = 0;
	if (nr != 2 || nw != 3 || !r[0].buf || r[0].size != sizeof(task) ||
	    !w[2].buf || w[2].size != sizeof(uint64_t))
		return GENOP_BAD_ARGS;
	memcpy(&task, r[0].buf, sizeof(task));
	/* An empty image output means "not wanted", as a NULL buffer does. */
	int ret = vaccel_image_analyze(s, (vaccel_op_type_t)task, r[1].buf, r[1].size,
				       w[0].buf, w[0].size, w[1].size ? w[1].buf : NULL,
				       w[1].size, &img_size);
	uint64_t out = img_size;
	memcpy(w[2].buf, &out, sizeof(out));
	return ret;
}

/* The shape slot of tensor_infer's genop: int64 [ndims, dims...]. */
#define SHAPE_ARG_BYTES ((1 + VACCEL_TENSOR_MAX_DIMS) * sizeof(int64_t))

/* "resource:ID": a model resource registered to the session, by id. */
static struct vaccel_resource *model_by_id(struct vaccel_session *s, const char *model)
{
	char *end;
	long long id = strtoll(model + 9, &end, 10);
	if (!model[9] || *end || id <= 0)
		return NULL;
	struct vaccel_resource *res = session_resource_by_id(s, id);
	return res && res->type == VACCEL_RESOURCE_MODEL ? res : NULL;
}

/*
 * read: model path ("" = the session's model resource, "resource:ID" = that
 * registered model resource), output name ("" =
 * the last), input dims (int64 array), input data (float32 array); write:
 * output shape (SHAPE_ARG_BYTES), output data (float32 array).
 */
static int genop_infer(struct vaccel_session *s, struct vaccel_arg *r, int nr,
		       struct vaccel_arg *w, int nw)
{
	struct vaccel_tensor in = { 0 }, out = { 0 };
	const char *model, *out_name;
	if (nr != 4 || nw != 2 || !(model = arg_str(&r[0])) || !(out_name = arg_str(&r[1])))
		return GENOP_BAD_ARGS;
	if (!r[2].buf || !r[2].size || r[2].size % sizeof(int64_t) ||
	    r[2].size > sizeof(in.dims) || r[3].size % sizeof(float) ||
	    !w[0].buf || w[0].size != SHAPE_ARG_BYTES || w[1].size % sizeof(float))
		return GENOP_BAD_ARGS;
	in.ndims = r[2].size / sizeof(int64_t);
	memcpy(in.dims, r[2].buf, r[2].size);
	in.data = r[3].buf;
	in.count = r[3].size / sizeof(float);
	out.data = w[1].buf;
	out.count = w[1].size / sizeof(float);
	bool by_id = !strncmp(model, "resource:", 9);
	struct vaccel_resource *res = by_id ? model_by_id(s, model)
				    : *model ? NULL
				    : vaccel_session_find_resource(s, VACCEL_RESOURCE_MODEL);
	if ((!*model || by_id) && !res) {
		vaccel_error("genop tensor_infer: no model %s registered to the session",
			     by_id ? model : "resource");
		return VACCEL_ENOENT;
	}
	if (by_id)
		model = "";
	int ret = vaccel_tensor_infer(s, *model ? model : NULL, res,
				      *out_name ? out_name : NULL, &in, &out);
	int64_t shape[1 + VACCEL_TENSOR_MAX_DIMS] = { (int64_t)out.ndims };
	memcpy(shape + 1, out.dims, sizeof(out.dims));
	memcpy(w[0].buf, shape, sizeof(shape));
	return ret;
}

typedef int (*unpack_fn)(struct vaccel_session *, struct vaccel_arg *, int,
			 struct vaccel_arg *, int);

/* Args after read[0], per op; ops absent here are VACCEL_ENOTSUP. */
static const unpack_fn unpackers[VACCEL_OP_MAX] = {
	[VACCEL_OP_NOOP] = genop_noop,
	[VACCEL_OP_EXEC] = genop_exec,
	[VACCEL_OP_EXEC_WITH_RESOURCE] = genop_exec_res,
	[VACCEL_OP_IMAGE_CLASSIFY] = genop_classify,
	[VACCEL_OP_IMAGE_DETECT] = genop_detect,
	[VACCEL_OP_IMAGE_SEGMENT] = genop_segment,
	[VACCEL_OP_IMAGE_POSE] = genop_pose,
	[VACCEL_OP_IMAGE_DEPTH] = genop_depth,
	[VACCEL_OP_BLAS_SGEMM] = genop_sgemm,
	[VACCEL_OP_IMAGE_ANALYZE] = genop_analyze,
	[VACCEL_OP_TENSOR_INFER] = genop_infer,
};

int vaccel_genop(struct vaccel_session *sess, struct vaccel_arg *read, int nr_read,
		 struct vaccel_arg *write, int nr_write)
{
	if (!sess || !read || nr_read < 1 || nr_write < 0 || (nr_write && !write))
		return VACCEL_EINVAL;
	uint32_t op;
	if (!read[0].buf || read[0].size != sizeof(op)) {
		vaccel_error("genop: read[0] must hold the op type (4 bytes)");
		return VACCEL_EINVAL;
	}
	memcpy(&op, read[0].buf, sizeof(op));
	if (op >= VACCEL_OP_MAX) {
		vaccel_error("genop: unknown op type %u", op);
		return VACCEL_EINVAL;
	}
	if (!unpackers[op]) {
		vaccel_warn("genop: op %s has no generic form", vaccel_op_name(op));
		return VACCEL_ENOTSUP;
	}
	int ret = unpackers[op](sess, read + 1, nr_read - 1, write, nr_write);
	if (ret == GENOP_BAD_ARGS) {
		vaccel_error("genop %s: wrong number or size of arguments (see libvaccel(3))",
			     vaccel_op_name(op));
		return VACCEL_EINVAL;
	}
	return ret;
}
