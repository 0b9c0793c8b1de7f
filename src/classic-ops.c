/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Calls into a vAccel ("classic") plugin's op functions, one per C
 * signature: an op's genop form, as its row of the op table orders the
 * args and call.c has checked them, turned into the vAccel signature its
 * row names (op_row.classic). An op whose row names none is left out at
 * registration.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "internal.h"
#include "ops/ops.h"

static int64_t i64(const struct vaccel_arg *a)
{
	return vaccel_plugin_arg_i64(a);
}

int classic_noop(void *fn, struct vaccel_session *sess, const struct vaccel_op_args *a)
{
	(void)a;
	return ((int (*)(struct vaccel_session *))fn)(sess);
}

typedef int (*exec_fn)(struct vaccel_session *, const char *, const char *,
		       struct vaccel_arg *, size_t, struct vaccel_arg *, size_t);

/* read: library, symbol, the function's args; write: its outputs. */
int classic_exec(void *fn, struct vaccel_session *sess, const struct vaccel_op_args *a)
{
	return ((exec_fn)fn)(sess, a->read[0].buf, a->read[1].buf, a->read + 2,
			     a->nr_read - 2, a->write, a->nr_write);
}

typedef int (*exec_res_fn)(struct vaccel_session *, struct vaccel_resource *, const char *,
			   struct vaccel_arg *, size_t, struct vaccel_arg *, size_t);

int classic_exec_with_resource(void *fn, struct vaccel_session *sess,
				   const struct vaccel_op_args *a)
{
	struct vaccel_resource *res = vaccel_plugin_arg_resource(sess, &a->read[0]);
	return ((exec_res_fn)fn)(sess, res, a->read[1].buf, a->read + 2, a->nr_read - 2,
				 a->write, a->nr_write);
}

typedef int (*classify_fn)(struct vaccel_session *, const void *, unsigned char *,
			   unsigned char *, size_t, size_t, size_t);

/* read: image; write: image name, text (vAccel's genop order). */
int classic_classify(void *fn, struct vaccel_session *sess, const struct vaccel_op_args *a)
{
	return ((classify_fn)fn)(sess, a->read[0].buf, a->write[1].buf, a->write[0].buf,
				 a->read[0].size, a->write[1].size, a->write[0].size);
}

typedef int (*image_fn)(struct vaccel_session *, const void *, unsigned char *, size_t, size_t);

/* The image ops with one output: read: image; write: image name. */
int classic_image(void *fn, struct vaccel_session *sess, const struct vaccel_op_args *a)
{
	return ((image_fn)fn)(sess, a->read[0].buf, a->write[0].buf, a->read[0].size,
			      a->write[0].size);
}

typedef int (*sgemm_fn)(struct vaccel_session *, int64_t, int64_t, int64_t, float, float *,
			int64_t, float *, int64_t, float, float *, int64_t);

/* read: m, n, k, alpha, a, lda, b, ldb, beta, ldc; write: c. */
int classic_sgemm(void *fn, struct vaccel_session *sess, const struct vaccel_op_args *a)
{
	const struct vaccel_arg *r = a->read;
	return ((sgemm_fn)fn)(sess, i64(&r[0]), i64(&r[1]), i64(&r[2]),
			      vaccel_plugin_arg_f32(&r[3]), r[4].buf, i64(&r[5]), r[6].buf,
			      i64(&r[7]), vaccel_plugin_arg_f32(&r[8]), a->write[0].buf,
			      i64(&r[9]));
}

typedef int (*minmax_fn)(struct vaccel_session *, const double *, int, int, int, double *,
			 double *, double *);

/* read: indata, ndata, low, high; write: outdata, min, max. */
int classic_minmax(void *fn, struct vaccel_session *sess, const struct vaccel_op_args *a)
{
	const struct vaccel_arg *r = a->read;
	return ((minmax_fn)fn)(sess, r[0].buf, vaccel_plugin_arg_i32(&r[1]),
			       vaccel_plugin_arg_i32(&r[2]), vaccel_plugin_arg_i32(&r[3]),
			       a->write[0].buf, a->write[1].buf, a->write[2].buf);
}

/*
 * vAccel's FPGA ops: lengths are element counts of the first buffer (vadd:
 * of each input), as vAccel's genop unpacking computes them.
 */
typedef int (*arraycopy_fn)(struct vaccel_session *, int *, int *, size_t);
typedef int (*mmult_fn)(struct vaccel_session *, float *, float *, float *, size_t);
typedef int (*parallel_fn)(struct vaccel_session *, float *, float *, float *, float *, size_t);
typedef int (*vadd_fn)(struct vaccel_session *, float *, float *, float *, size_t, size_t);

/* read: a; write: out_a. */
int classic_fpga_arraycopy(void *fn, struct vaccel_session *sess, const struct vaccel_op_args *a)
{
	return ((arraycopy_fn)fn)(sess, a->read[0].buf, a->write[0].buf,
				  a->read[0].size / sizeof(int));
}

/* read: a, b; write: c. */
int classic_fpga_mmult(void *fn, struct vaccel_session *sess, const struct vaccel_op_args *a)
{
	return ((mmult_fn)fn)(sess, a->read[0].buf, a->read[1].buf, a->write[0].buf,
			      a->read[0].size / sizeof(float));
}

/* read: a, b; write: add_output, mult_output. */
int classic_fpga_parallel(void *fn, struct vaccel_session *sess, const struct vaccel_op_args *a)
{
	return ((parallel_fn)fn)(sess, a->read[0].buf, a->read[1].buf, a->write[0].buf,
				 a->write[1].buf, a->read[0].size / sizeof(float));
}

/* read: a, b; write: c. */
int classic_fpga_vadd(void *fn, struct vaccel_session *sess, const struct vaccel_op_args *a)
{
	return ((vadd_fn)fn)(sess, a->read[0].buf, a->read[1].buf, a->write[0].buf,
			     a->read[0].size / sizeof(float), a->read[1].size / sizeof(float));
}

typedef int (*lists_fn)(struct vaccel_session *, struct vaccel_arg *, int, struct vaccel_arg *,
			int);

/* The lists as they came (opencv). */
int classic_lists(void *fn, struct vaccel_session *sess, const struct vaccel_op_args *a)
{
	return ((lists_fn)fn)(sess, a->read, (int)a->nr_read, a->write, (int)a->nr_write);
}

/* ---- vAccel's framework ops: torch, tf, tflite ---- */

/*
 * Our genop forms carry a framework's tensors as a descriptor array (per
 * tensor [data type, nr_dims, dims...], one layout for the three) and one
 * data arg per tensor. vAccel's signatures take tensor structs instead:
 * the inputs' point at the read args; the outputs are the plugin's own,
 * copied into the write args and then freed with vAccel's release.
 */
#define DESC_LEN VACCEL_TORCH_DESC_LEN
#define MAX_DIMS VACCEL_TORCH_MAX_DIMS
#define MAX_TENSORS VACCEL_TORCH_MAX_TENSORS
_Static_assert(VACCEL_TF_DESC_LEN == DESC_LEN && VACCEL_TFLITE_DESC_LEN == DESC_LEN &&
		       VACCEL_TF_MAX_DIMS == MAX_DIMS && VACCEL_TFLITE_MAX_DIMS == MAX_DIMS,
	       "one descriptor layout for the three frameworks");
_Static_assert(VACCEL_TF_MAX_TENSORS <= MAX_TENSORS && VACCEL_TFLITE_MAX_TENSORS <= MAX_TENSORS,
	       "torch's tensor limit is the largest");

static struct vaccel_resource *model_of(struct vaccel_session *sess,
					const struct vaccel_op_args *a)
{
	return vaccel_plugin_arg_resource(sess, &a->read[0]);
}

/* The input descriptors, copied: the arg's bytes need not be aligned for int64s. */
static void copy_descs(const struct vaccel_arg *a, int64_t *desc)
{
	memcpy(desc, a->buf, a->size);
}

/* A plugin's output tensor, whichever framework's: our descriptor of it and its data. */
struct out_view {
	const void *data;
	size_t size;
	size_t elem; /* bytes per element of its type; 0: unknown */
	int64_t desc[DESC_LEN];
};

/*
 * Describe an output from its fields (dims as int64s, or int32s for
 * tflite's); false when it has none to describe. vAccel's torch plugin
 * gives a 0-dim result 0 dims: a tensor of one element, as ours says.
 */
static bool view_of(struct out_view *v, const void *data, size_t size, int64_t type,
		    size_t elem, int64_t nr_dims, const int64_t *dims64, const int32_t *dims32)
{
	*v = (struct out_view){ .data = data, .size = size, .elem = elem,
				.desc = { type, nr_dims } };
	if (!nr_dims) {
		v->desc[1] = v->desc[2] = 1;
		return true;
	}
	if (nr_dims < 0 || nr_dims > MAX_DIMS || (!dims64 && !dims32))
		return false;
	for (int64_t k = 0; k < nr_dims; k++)
		v->desc[2 + k] = dims64 ? dims64[k] : dims32[k];
	return true;
}

/*
 * The output tensors a plugin gave, as one framework types them: `tensors`
 * is its array of tensor pointers, read by `view` and freed by `drop`
 * (vAccel's release for the type).
 */
struct outputs {
	const char *op;
	void *tensors;
	int n;
	bool (*view)(void *tensors, int i, struct out_view *v);
	void (*drop)(void *tensors, int i);
};

/* Output i's descriptor into its slot of `desc`; VACCEL_EIO (logged) when it has none. */
static int describe_output(const struct outputs *o, int i, struct out_view *v,
			   const struct vaccel_arg *desc)
{
	size_t bytes = 0;
	if (!o->view(o->tensors, i, v) || !op_desc_bytes(v->desc, v->elem, MAX_DIMS, &bytes) ||
	    bytes != v->size || (bytes && !v->data)) {
		vaccel_error("%s: the plugin's output %d is no tensor of a known type whose "
			     "dims hold its data", o->op, i);
		return VACCEL_EIO;
	}
	memcpy((char *)desc->buf + (size_t)i * sizeof(v->desc), v->desc, sizeof(v->desc));
	return VACCEL_OK;
}

static void drop_outputs(const struct outputs *o)
{
	for (int i = 0; i < o->n; i++)
		o->drop(o->tensors, i);
}

/*
 * The plugin's outputs into our write args, w[0] the descriptors and
 * w[1 + i] output i's buffer, then freed. All are described first, so that
 * on VACCEL_ENOBUFS (an output larger than its buffer, as our plugins
 * signal it) the caller sizes its buffers by the descriptors and runs again.
 */
static int put_outputs(const struct outputs *o, const struct vaccel_arg *w)
{
	struct out_view v[MAX_TENSORS];
	int ret = VACCEL_OK;
	bool fits = true;
	for (int i = 0; i < o->n && !ret; i++)
		if (!(ret = describe_output(o, i, &v[i], &w[0])))
			fits = fits && v[i].size <= w[1 + i].size;
	if (!ret && !fits)
		ret = VACCEL_ENOBUFS;
	for (int i = 0; i < o->n && !ret; i++)
		if (v[i].size)
			memcpy(w[1 + i].buf, v[i].data, v[i].size);
	drop_outputs(o);
	return ret;
}

static bool torch_view(void *tensors, int i, struct out_view *v)
{
	const struct vaccel_torch_tensor *t = ((struct vaccel_torch_tensor **)tensors)[i];
	return t && view_of(v, t->data, t->size, t->data_type,
			    vaccel_torch_data_type_size(t->data_type), t->nr_dims, t->dims, NULL);
}

static void torch_drop(void *tensors, int i)
{
	vaccel_torch_tensor_delete(((struct vaccel_torch_tensor **)tensors)[i]);
}

static bool tf_view(void *tensors, int i, struct out_view *v)
{
	const struct vaccel_tf_tensor *t = ((struct vaccel_tf_tensor **)tensors)[i];
	return t && view_of(v, t->data, t->size, t->data_type,
			    vaccel_tf_data_type_size(t->data_type), t->nr_dims, t->dims, NULL);
}

static void tf_drop(void *tensors, int i)
{
	vaccel_tf_tensor_delete(((struct vaccel_tf_tensor **)tensors)[i]);
}

static bool tflite_view(void *tensors, int i, struct out_view *v)
{
	const struct vaccel_tflite_tensor *t = ((struct vaccel_tflite_tensor **)tensors)[i];
	return t && view_of(v, t->data, t->size, t->data_type,
			    vaccel_tflite_data_type_size(t->data_type), t->nr_dims, NULL, t->dims);
}

static void tflite_drop(void *tensors, int i)
{
	vaccel_tflite_tensor_delete(((struct vaccel_tflite_tensor **)tensors)[i]);
}

typedef int (*model_fn)(struct vaccel_session *, struct vaccel_resource *);

/* torch_model_load, tflite_model_load and _unload. read: model. */
int classic_model(void *fn, struct vaccel_session *sess, const struct vaccel_op_args *a)
{
	return ((model_fn)fn)(sess, model_of(sess, a));
}

/*
 * vAccel's status into our blob (VACCEL_TF_STATUS_LEN bytes: the code,
 * then the message), and the plugin's message freed.
 */
static void put_tf_status(struct vaccel_tf_status *st, const struct vaccel_arg *w)
{
	char *s = w->buf;
	s[0] = (char)st->code;
	snprintf(s + 1, w->size - 1, "%s", st->message ? st->message : "");
	vaccel_tf_status_release(st);
}

typedef int (*tf_model_fn)(struct vaccel_session *, struct vaccel_resource *,
			   struct vaccel_tf_status *);

/* tf_model_load and _unload. read: model; write: status. */
int classic_tf_model(void *fn, struct vaccel_session *sess, const struct vaccel_op_args *a)
{
	struct vaccel_tf_status st = { 0 };
	int ret = ((tf_model_fn)fn)(sess, model_of(sess, a), &st);
	put_tf_status(&st, &a->write[0]);
	return ret;
}

typedef int (*torch_run_fn)(struct vaccel_session *, struct vaccel_resource *,
			    const struct vaccel_torch_buffer *, struct vaccel_torch_tensor *const *,
			    int, struct vaccel_torch_tensor **, int);

/*
 * read: model, run_options, in_desc, inputs...; write: out_desc, outputs...
 * On the plugin's failure its outputs stay its own: vAccel's callers do
 * not free them either.
 */
int classic_torch_run(void *fn, struct vaccel_session *sess, const struct vaccel_op_args *a)
{
	int nin = (int)a->nr_read - 3, nout = (int)a->nr_write - 1;
	int64_t desc[MAX_TENSORS * DESC_LEN];
	struct vaccel_torch_tensor t[MAX_TENSORS], *in[MAX_TENSORS], *out[MAX_TENSORS] = { NULL };
	copy_descs(&a->read[2], desc);
	for (int i = 0; i < nin; i++) {
		int64_t *d = desc + i * DESC_LEN;
		t[i] = (struct vaccel_torch_tensor){ .data = a->read[3 + i].buf,
						     .size = a->read[3 + i].size, .nr_dims = d[1],
						     .dims = d + 2,
						     .data_type = (enum vaccel_torch_data_type)d[0] };
		in[i] = &t[i];
	}
	struct vaccel_torch_buffer opts = { a->read[1].buf, a->read[1].size };
	int ret = ((torch_run_fn)fn)(sess, model_of(sess, a), opts.size ? &opts : NULL, in, nin,
				     out, nout);
	if (ret)
		return ret;
	struct outputs o = { "torch_model_run", out, nout, torch_view, torch_drop };
	return put_outputs(&o, a->write);
}

/* A row-major float32 matrix over `data`, its dims in `dims`. */
static struct vaccel_torch_tensor matrix(void *data, int64_t *dims, int rows, int cols)
{
	dims[0] = rows;
	dims[1] = cols;
	return (struct vaccel_torch_tensor){ .data = data,
					     .size = (size_t)rows * (size_t)cols * sizeof(float),
					     .nr_dims = 2, .dims = dims,
					     .data_type = VACCEL_TORCH_FLOAT };
}

/*
 * The plugin wrote *out's data in place, or handed back its own tensor
 * (as for vAccel's *out NULL): then copied into the write arg and freed.
 */
static int sgemm_result(struct vaccel_torch_tensor *given, struct vaccel_torch_tensor *got,
			const struct vaccel_arg *w)
{
	int ret = VACCEL_OK;
	if (!got || (got->data != w->buf && (!got->data || got->size != w->size))) {
		vaccel_error("torch_sgemm: the plugin's out tensor does not hold %zu bytes",
			     w->size);
		ret = VACCEL_EIO;
	} else if (got->data != w->buf) {
		memcpy(w->buf, got->data, w->size);
	}
	if (got && got != given)
		vaccel_torch_tensor_delete(got);
	else if (given->owned)
		free(given->data);
	return ret;
}

typedef int (*torch_sgemm_fn)(struct vaccel_session *, struct vaccel_torch_tensor **,
			      struct vaccel_torch_tensor **, struct vaccel_torch_tensor **, int, int,
			      int, struct vaccel_torch_tensor **);

/*
 * read: m, n, k, a, b, c (empty: none); write: out. A plugin may read C
 * whether given or not, so an absent C is zeros (out = A * B + 0).
 */
int classic_torch_sgemm(void *fn, struct vaccel_session *sess, const struct vaccel_op_args *a)
{
	const struct vaccel_arg *r = a->read;
	int m = vaccel_plugin_arg_i32(&r[0]), n = vaccel_plugin_arg_i32(&r[1]),
	    k = vaccel_plugin_arg_i32(&r[2]);
	float *zeros = NULL;
	if (!r[5].size && !(zeros = calloc((size_t)m * (size_t)n, sizeof(float))))
		return VACCEL_ENOMEM;
	int64_t da[2], db[2], dc[2], dout[2];
	struct vaccel_torch_tensor ta = matrix(r[3].buf, da, m, k), tb = matrix(r[4].buf, db, k, n),
				   tc = matrix(zeros ? zeros : r[5].buf, dc, m, n),
				   to = matrix(a->write[0].buf, dout, m, n);
	struct vaccel_torch_tensor *pa = &ta, *pb = &tb, *pc = &tc, *pout = &to;
	int ret = ((torch_sgemm_fn)fn)(sess, &pa, &pb, &pc, m, n, k, &pout);
	if (!ret)
		ret = sgemm_result(&to, pout, &a->write[0]);
	free(zeros);
	return ret;
}

/*
 * Nodes from our list of "name:id" strings, each NUL-terminated (the row
 * checked their count): names point into a copy of the list, each cut at
 * its last ':'. The copy is returned, to be freed; NULL when out of memory.
 */
static char *split_nodes(const struct vaccel_arg *a, struct vaccel_tf_node *nodes, int n)
{
	char *copy = malloc(a->size), *p = copy;
	if (!copy)
		return NULL;
	memcpy(copy, a->buf, a->size);
	for (int i = 0; i < n; i++) {
		size_t len = strlen(p);
		char *colon = strrchr(p, ':');
		nodes[i] = (struct vaccel_tf_node){ .name = p };
		if (colon) {
			*colon = '\0';
			nodes[i].id = atoi(colon + 1);
		}
		p += len + 1;
	}
	return copy;
}

typedef int (*tf_run_fn)(struct vaccel_session *, struct vaccel_resource *,
			 const struct vaccel_tf_buffer *, const struct vaccel_tf_node *,
			 struct vaccel_tf_tensor *const *, int, const struct vaccel_tf_node *,
			 struct vaccel_tf_tensor **, int, struct vaccel_tf_status *);

/*
 * read: model, run_options, in_nodes, out_nodes, in_desc, inputs...;
 * write: status, out_desc, outputs... On the plugin's failure its outputs
 * stay its own, as for torch.
 */
int classic_tf_run(void *fn, struct vaccel_session *sess, const struct vaccel_op_args *a)
{
	int nin = (int)a->nr_read - 5, nout = (int)a->nr_write - 2;
	int64_t desc[MAX_TENSORS * DESC_LEN];
	struct vaccel_tf_node in_nodes[MAX_TENSORS], out_nodes[MAX_TENSORS];
	struct vaccel_tf_tensor t[MAX_TENSORS], *in[MAX_TENSORS], *out[MAX_TENSORS] = { NULL };
	copy_descs(&a->read[4], desc);
	for (int i = 0; i < nin; i++) {
		int64_t *d = desc + i * DESC_LEN;
		t[i] = (struct vaccel_tf_tensor){ .data = a->read[5 + i].buf,
						  .size = a->read[5 + i].size, .nr_dims = (int)d[1],
						  .dims = d + 2,
						  .data_type = (enum vaccel_tf_data_type)d[0] };
		in[i] = &t[i];
	}
	char *in_names = split_nodes(&a->read[2], in_nodes, nin);
	char *out_names = in_names ? split_nodes(&a->read[3], out_nodes, nout) : NULL;
	int ret = VACCEL_ENOMEM;
	if (out_names) {
		struct vaccel_tf_buffer opts = { a->read[1].buf, a->read[1].size };
		struct vaccel_tf_status st = { 0 };
		ret = ((tf_run_fn)fn)(sess, model_of(sess, a), opts.size ? &opts : NULL, in_nodes,
				      in, nin, out_nodes, out, nout, &st);
		put_tf_status(&st, &a->write[0]);
		if (!ret) {
			struct outputs o = { "tf_model_run", out, nout, tf_view, tf_drop };
			ret = put_outputs(&o, a->write + 1);
		}
	}
	free(in_names);
	free(out_names);
	return ret;
}

typedef int (*tflite_run_fn)(struct vaccel_session *, struct vaccel_resource *,
			     struct vaccel_tflite_tensor *const *, int,
			     struct vaccel_tflite_tensor **, int, uint8_t *);

/*
 * read: model, in_desc, inputs...; write: out_desc, outputs... vAccel's
 * tflite dims are int32s. Our form has no status: a run the plugin's
 * status (TfLite's outcome) calls failed is VACCEL_EIO, its outputs freed.
 */
int classic_tflite_run(void *fn, struct vaccel_session *sess, const struct vaccel_op_args *a)
{
	int nin = (int)a->nr_read - 2, nout = (int)a->nr_write - 1;
	int64_t desc[MAX_TENSORS * DESC_LEN];
	int32_t dims[MAX_TENSORS][MAX_DIMS];
	struct vaccel_tflite_tensor t[MAX_TENSORS], *in[MAX_TENSORS], *out[MAX_TENSORS] = { NULL };
	copy_descs(&a->read[1], desc);
	for (int i = 0; i < nin; i++) {
		const int64_t *d = desc + i * DESC_LEN;
		for (int64_t k = 0; k < d[1]; k++) {
			if (d[2 + k] > INT32_MAX) {
				vaccel_error("tflite_model_run: input %d: dim %lld past int32", i,
					     (long long)d[2 + k]);
				return VACCEL_EINVAL;
			}
			dims[i][k] = (int32_t)d[2 + k];
		}
		t[i] = (struct vaccel_tflite_tensor){ .data = a->read[2 + i].buf,
						      .size = a->read[2 + i].size,
						      .nr_dims = (int)d[1], .dims = dims[i],
						      .data_type = (enum vaccel_tflite_data_type)d[0] };
		in[i] = &t[i];
	}
	uint8_t status = 0;
	int ret = ((tflite_run_fn)fn)(sess, model_of(sess, a), in, nin, out, nout, &status);
	if (ret)
		return ret;
	struct outputs o = { "tflite_model_run", out, nout, tflite_view, tflite_drop };
	if (!status)
		return put_outputs(&o, a->write);
	vaccel_error("tflite_model_run: the plugin's run status is %u", (unsigned)status);
	drop_outputs(&o);
	return VACCEL_EIO;
}

bool classic_op_callable(vaccel_op_type_t op)
{
	return (unsigned)op < VACCEL_CLASSIC_OP_MAX && (unsigned)op < VACCEL_OP_MAX &&
	       op_rows[op].classic;
}

int classic_op_call(void *fn, struct vaccel_session *sess, const struct vaccel_op_args *a)
{
	return op_rows[a->op].classic(fn, sess, a);
}
