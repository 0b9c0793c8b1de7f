/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Properties of the op table, checked for every op that has a row, so that
 * a new row is covered as soon as it has a generator here (an op with a row
 * and no generator fails). Usage:
 *
 *   optable-props roundtrip SEED N
 *	N random valid lists per op, from a PRNG seeded with SEED, called
 *	with vaccel_genop under the profile the environment chooses; one line
 *	per call: the op, the return code and a hash of every output after
 *	the call. With the echo test plugin serving natively, and with an
 *	agent running it behind rpc or virtio, the output must be the same,
 *	byte for byte: the transports carry every arg kind faithfully.
 *   optable-props malformed
 *	Lists derived from a valid one by the row alone (an arg missing, one
 *	too many, two swapped, a wrong kind, a wrong length) must fail with
 *	VACCEL_EINVAL before any plugin runs: outputs keep their sentinel.
 *   optable-props agent ADDRESS
 *	The same malformed lists as raw GENOP requests to a running agent (a
 *	UNIX socket; the agent runs the echo plugin): each gets EINVAL and the
 *	agent serves a valid request afterwards. Plus the regression test of
 *	the policy bypass: a TENSOR_INFER whose first wire arg is an output
 *	and whose model is a host path gets EPERM, whether the file exists or
 *	not.
 *
 * TAP-like output; exit status 0 when every check passed.
 */
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <vaccel.h>
#include <vaccel/optable.h>
#include "wire/socket.h"
#include "wire/wire.h"

#define MAXA 64          /* args in one list */
#define MAXMEM 512       /* buffers behind one list */
#define MAXRES 8         /* resources one list names */

/* ---- TAP ---- */

static int count, failures;

__attribute__((format(printf, 2, 3)))
static void check(bool ok, const char *fmt, ...)
{
	va_list ap;
	printf("%s %d - ", ok ? "ok" : "not ok", ++count);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	failures += !ok;
}

__attribute__((format(printf, 1, 2)))
static void skip(const char *fmt, ...)
{
	va_list ap;
	printf("ok %d - ", ++count);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

/* ---- hashing and randomness ---- */

#define FNV_OFFSET 0xcbf29ce484222325ull

static uint64_t fnv(uint64_t h, const void *p, size_t n)
{
	const unsigned char *b = p;
	for (size_t i = 0; i < n; i++) {
		h ^= b[i];
		h *= 0x100000001b3ull;
	}
	return h;
}

static uint64_t splitmix(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ull;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
	return x ^ (x >> 31);
}

struct rng {
	uint64_t s;
};

static uint64_t next(struct rng *r)
{
	r->s += 0x9e3779b97f4a7c15ull;
	return splitmix(r->s);
}

/* Uniform enough in [0, n); 0 when n is 0. */
static uint64_t below(struct rng *r, uint64_t n)
{
	return n ? next(r) % n : 0;
}

static int64_t between(struct rng *r, int64_t lo, int64_t hi)
{
	return lo + (int64_t)below(r, (uint64_t)(hi - lo + 1));
}

static bool coin(struct rng *r)
{
	return next(r) & 1;
}

/* ---- lists, and the memory and resources behind them ---- */

struct list {
	struct vaccel_arg read[MAXA], write[MAXA];
	size_t nr, nw;
};

/*
 * Where one list's buffers and resources come from: libvaccel (a session
 * of whatever profile the environment chose), or an agent over raw frames.
 */
struct env {
	struct rng rng;
	bool allow_path;            /* a model may be a host path */
	void *mem[MAXMEM];
	size_t nmem;
	char paths[MAXRES][256];    /* temporary files, removed after the call */
	size_t npaths;
	/* libvaccel */
	struct vaccel_session *sess;
	struct vaccel_resource *res[MAXRES];
	size_t nres;
	/* raw frames */
	int fd;
	int64_t sid;
	int64_t rids[MAXRES];
	size_t nrids;
};

static void *alloc(struct env *e, size_t size)
{
	if (e->nmem == MAXMEM) {
		fprintf(stderr, "optable-props: out of buffer slots\n");
		abort();
	}
	void *p = calloc(1, size ? size : 1);
	if (!p)
		abort();
	return e->mem[e->nmem++] = p;
}

static void *rand_bytes(struct env *e, size_t n)
{
	unsigned char *p = alloc(e, n);
	for (size_t i = 0; i < n; i++)
		p[i] = (unsigned char)next(&e->rng);
	return p;
}

static struct vaccel_arg mkarg(void *buf, size_t size, vaccel_arg_type_t type)
{
	return (struct vaccel_arg){ .buf = buf, .size = size, .type = type };
}

/* A copy of `size` bytes of v as an arg of `type`. */
static struct vaccel_arg scalar(struct env *e, vaccel_arg_type_t type, const void *v, size_t size)
{
	void *p = alloc(e, size);
	memcpy(p, v, size);
	return mkarg(p, size, type);
}

static struct vaccel_arg i64(struct env *e, int64_t v)
{
	return scalar(e, VACCEL_ARG_INT64, &v, 8);
}

static struct vaccel_arg i32(struct env *e, int32_t v)
{
	return scalar(e, VACCEL_ARG_INT32, &v, 4);
}

static struct vaccel_arg u32(struct env *e, uint32_t v)
{
	return scalar(e, VACCEL_ARG_UINT32, &v, 4);
}

static struct vaccel_arg f32(struct env *e, float v)
{
	return scalar(e, VACCEL_ARG_FLOAT32, &v, 4);
}

/* A buffer of n random bytes (NULL when empty). */
static struct vaccel_arg bytes(struct env *e, vaccel_arg_type_t type, size_t n)
{
	return mkarg(n ? rand_bytes(e, n) : NULL, n, type);
}

static struct vaccel_arg floats(struct env *e, size_t n)
{
	float *p = n ? alloc(e, n * sizeof(float)) : NULL;
	for (size_t i = 0; i < n; i++)
		p[i] = (float)between(&e->rng, -100, 100) / 8.0f;
	return mkarg(p, n * sizeof(float), VACCEL_ARG_FLOAT32_ARRAY);
}

/* Random text of lo..hi characters; sometimes bytes follow its NUL. */
static struct vaccel_arg string(struct env *e, size_t lo, size_t hi)
{
	static const char abc[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.";
	size_t len = (size_t)between(&e->rng, (int64_t)lo, (int64_t)hi);
	size_t tail = below(&e->rng, 4) == 0 ? (size_t)between(&e->rng, 1, 5) : 0;
	char *s = alloc(e, len + 1 + tail);
	for (size_t i = 0; i < len; i++)
		s[i] = abc[below(&e->rng, sizeof(abc) - 1)];
	for (size_t i = 0; i < tail; i++)
		s[len + 1 + i] = (char)next(&e->rng);
	return mkarg(s, len + 1 + tail, VACCEL_ARG_STRING);
}

/* Any well-formed arg: what a REST slot takes. */
static struct vaccel_arg any_arg(struct env *e)
{
	vaccel_arg_type_t type = (vaccel_arg_type_t)below(&e->rng, VACCEL_ARG_MAX);
	size_t elem = vaccel_arg_type_elem_size(type);
	if (type == VACCEL_ARG_STRING)
		return string(e, 0, 12);
	if (!elem)
		return bytes(e, type, below(&e->rng, 17));
	bool array = vaccel_arg_type_short_name(type) && strstr(vaccel_arg_type_short_name(type), "_array");
	return bytes(e, type, array ? elem * below(&e->rng, 5) : elem);
}

/* ---- raw frames to an agent ---- */

struct reply {
	struct vaccel_wire_hdr h;
	unsigned char *payload;
	struct vaccel_wire_arg args[VACCEL_WIRE_MAX_ARGS];
	int nargs;
};

static int connect_to(const char *address)
{
	struct vaccel_addr a;
	const char *why;
	char err[256];
	if (vaccel_addr_parse(address, &a, &why)) {
		fprintf(stderr, "optable-props: %s: %s\n", address, why);
		return -1;
	}
	int fd = vaccel_sock_connect(&a, err, sizeof(err));
	if (fd < 0)
		fprintf(stderr, "optable-props: %s\n", err);
	return fd;
}

static int send_frame(int fd, uint16_t type, uint32_t op, const struct vaccel_wire_out *a,
		      size_t n)
{
	static uint64_t id;
	unsigned char hb[VACCEL_WIRE_HDR_SIZE], ab[VACCEL_WIRE_MAX_ARGS][VACCEL_WIRE_ARG_HDR_SIZE];
	struct iovec iov[1 + 3 * VACCEL_WIRE_MAX_ARGS];
	uint64_t len = 0;
	int niov = 1;
	if (n > VACCEL_WIRE_MAX_ARGS)
		return -1;
	for (size_t i = 0; i < n; i++) {
		len += vaccel_wire_arg_size(a[i].size, a[i].flags & VACCEL_WIRE_ARG_DATA);
		niov += vaccel_wire_arg_iov(a[i].type, a[i].flags, a[i].data, a[i].size, ab[i],
					    &iov[niov]);
	}
	struct vaccel_wire_hdr h = { VACCEL_WIRE_MAGIC, VACCEL_WIRE_VERSION, type, ++id, op, 0,
				     (uint32_t)n, (uint32_t)len };
	vaccel_wire_hdr_encode(&h, hb);
	iov[0] = (struct iovec){ hb, sizeof(hb) };
	return vaccel_sock_writev_all(fd, iov, niov) ? -1 : 0;
}

static int recv_frame(int fd, struct reply *r)
{
	unsigned char hb[VACCEL_WIRE_HDR_SIZE];
	const char *why;
	free(r->payload);
	r->payload = NULL;
	r->nargs = 0;
	if (vaccel_sock_read_all(fd, hb, sizeof(hb)) ||
	    vaccel_wire_hdr_decode(hb, 1u << 30, &r->h, &why))
		return -1;
	if (!(r->payload = malloc(r->h.len ? r->h.len : 1)) ||
	    vaccel_sock_read_all(fd, r->payload, r->h.len))
		return -1;
	r->nargs = vaccel_wire_args_decode(r->payload, r->h.len, r->h.nargs, r->args,
					   VACCEL_WIRE_MAX_ARGS, &why);
	return r->nargs < 0 ? -1 : 0;
}

/* One request: its reply's status, or -1000 when the connection failed. */
static int request(int fd, uint32_t op, const struct vaccel_wire_out *a, size_t n,
		   struct reply *r)
{
	if (send_frame(fd, VACCEL_WIRE_REQUEST, op, a, n) || recv_frame(fd, r))
		return -1000;
	return r->h.status;
}

static struct vaccel_wire_out data(uint32_t type, const void *p, uint64_t size)
{
	return (struct vaccel_wire_out){ type, VACCEL_WIRE_ARG_DATA, p, size };
}

static int hello(int fd)
{
	uint32_t v = VACCEL_WIRE_VERSION;
	struct vaccel_wire_out a[] = { data(VACCEL_ARG_UINT32, &v, 4),
				       data(VACCEL_ARG_BUFFER, NULL, 0) };
	struct reply r = { 0 };
	int ok = !send_frame(fd, VACCEL_WIRE_HELLO, 0, a, 2) && !recv_frame(fd, &r) &&
		 r.h.type == VACCEL_WIRE_WELCOME && r.h.status == 0;
	free(r.payload);
	return ok ? 0 : -1;
}

/* A request answered with one int64 (a new id); -1 on any failure. */
static int64_t request_id(int fd, uint32_t op, const struct vaccel_wire_out *a, size_t n)
{
	struct reply r = { 0 };
	int64_t id = -1;
	if (request(fd, op, a, n, &r) == 0 && r.nargs == 1 && r.args[0].size == 8)
		memcpy(&id, r.args[0].data, 8);
	free(r.payload);
	return id;
}

/* ---- resources: registered to the env's session, local or the agent's ---- */

static int64_t make_resource(struct env *e, vaccel_resource_type_t type, size_t size,
			     const char *name)
{
	const void *p = rand_bytes(e, size);
	if (e->nres == MAXRES || e->nrids == MAXRES)
		return -1;
	if (e->sess) {
		struct vaccel_resource *res;
		if (vaccel_resource_from_buf(&res, p, size, type, name, false))
			return -1;
		if (vaccel_resource_register(res, e->sess)) {
			vaccel_resource_delete(res);
			return -1;
		}
		e->res[e->nres++] = res;
		return res->id;
	}
	uint32_t t = type;
	struct vaccel_wire_out a[] = { data(VACCEL_ARG_UINT32, &t, 4),
				       data(VACCEL_ARG_STRING, name, strlen(name) + 1),
				       data(VACCEL_ARG_BUFFER, p, size) };
	int64_t id = request_id(e->fd, VACCEL_WIRE_RESOURCE_NEW, a, 3);
	if (id <= 0)
		return -1;
	e->rids[e->nrids++] = id;
	struct vaccel_wire_out reg[] = { data(VACCEL_ARG_INT64, &id, 8),
					 data(VACCEL_ARG_INT64, &e->sid, 8) };
	struct reply r = { 0 };
	int ret = request(e->fd, VACCEL_WIRE_RESOURCE_REGISTER, reg, 2, &r);
	free(r.payload);
	return ret ? -1 : id;
}

/* A host file of n random bytes; its path, or NULL. */
static const char *make_file(struct env *e, size_t n)
{
	static unsigned serial;
	const char *dir = getenv("TMPDIR") && *getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
	if (e->npaths == MAXRES)
		return NULL;
	char *path = e->paths[e->npaths];
	/* Never the same name twice in a process: a name is a model's identity. */
	snprintf(path, sizeof(e->paths[0]), "%s/optable-model-%ld-%u.onnx", dir, (long)getpid(),
		 ++serial);
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0)
		return NULL;
	e->npaths++;
	const void *p = rand_bytes(e, n);
	bool ok = write(fd, p, n) == (ssize_t)n;
	close(fd);
	return ok ? path : NULL;
}

/* Release what the last list used (buffers, resources, files). */
static void env_reset(struct env *e)
{
	for (size_t i = 0; i < e->nres; i++) {
		vaccel_resource_unregister(e->res[i], e->sess);
		vaccel_resource_delete(e->res[i]);
	}
	for (size_t i = 0; i < e->nrids; i++) {
		struct vaccel_wire_out a[] = { data(VACCEL_ARG_INT64, &e->rids[i], 8),
					       data(VACCEL_ARG_INT64, &e->sid, 8) };
		struct reply r = { 0 };
		request(e->fd, VACCEL_WIRE_RESOURCE_UNREGISTER, a, 2, &r);
		request(e->fd, VACCEL_WIRE_RESOURCE_RELEASE, a, 1, &r);
		free(r.payload);
	}
	for (size_t i = 0; i < e->npaths; i++)
		unlink(e->paths[i]);
	for (size_t i = 0; i < e->nmem; i++)
		free(e->mem[i]);
	e->nres = e->nrids = e->npaths = e->nmem = 0;
}

/* ---- generators: valid lists, one per op with a row ---- */

typedef int (*gen_fn)(struct env *e, const struct vaccel_op_info *info, struct list *l);

/* 0..4 args of any kind for a REST slot. */
static void rest(struct env *e, struct vaccel_arg *list, size_t *n)
{
	for (uint64_t i = below(&e->rng, 5); i > 0; i--)
		list[(*n)++] = any_arg(e);
}

static int gen_noop(struct env *e, const struct vaccel_op_info *info, struct list *l)
{
	(void)e; (void)info; (void)l;
	return 0;
}

/* library, symbol, then the function's args. */
static int gen_exec(struct env *e, const struct vaccel_op_info *info, struct list *l)
{
	(void)info;
	l->read[l->nr++] = string(e, 1, 24);
	l->read[l->nr++] = string(e, 1, 16);
	rest(e, l->read, &l->nr);
	rest(e, l->write, &l->nw);
	return 0;
}

/* opencv: free-form lists, any args both ways. */
static int gen_opencv(struct env *e, const struct vaccel_op_info *info, struct list *l)
{
	(void)info;
	rest(e, l->read, &l->nr);
	rest(e, l->write, &l->nw);
	return 0;
}

static int gen_exec_with_resource(struct env *e, const struct vaccel_op_info *info,
				  struct list *l)
{
	(void)info;
	int64_t id = make_resource(e, VACCEL_RESOURCE_LIB, (size_t)between(&e->rng, 1, 96),
				   "libfn.so");
	if (id <= 0)
		return -1;
	l->read[l->nr++] = i64(e, id);
	l->read[l->nr++] = string(e, 1, 16);
	rest(e, l->read, &l->nr);
	rest(e, l->write, &l->nw);
	return 0;
}

/* The outputs of a row, as it states them: scalars, buffers of any fitting size. */
static void outputs_by_row(struct env *e, const struct vaccel_op_info *info, struct list *l)
{
	for (size_t i = 0; i < info->nr_write; i++) {
		const struct vaccel_op_arg_info *s = &info->write[i];
		size_t el = s->elem > 1 ? s->elem : 1;
		size_t n = s->kind == VACCEL_OP_ARG_SCALAR ? s->size
			 : s->size ? s->size
			 : el * (size_t)between(&e->rng, (s->flags & VACCEL_OP_ARG_EMPTY_OK) ? 0 : 1, 32);
		if (s->kind != VACCEL_OP_ARG_REST)
			l->write[l->nw++] = bytes(e, s->type, n);
	}
}

/* An image op: the image's bytes; outputs as the row says. */
static int gen_image(struct env *e, const struct vaccel_op_info *info, struct list *l)
{
	l->read[l->nr++] = bytes(e, VACCEL_ARG_RAW, (size_t)between(&e->rng, 1, 96));
	outputs_by_row(e, info, l);
	return 0;
}

/* Bytes a row-major matrix spans (as the sgemm row checks it). */
static size_t span(int64_t rows, int64_t cols, int64_t ld)
{
	return rows <= 0 || cols <= 0 ? 0 : (size_t)((rows - 1) * ld + cols) * sizeof(float);
}

/* m n k alpha a lda b ldb beta ldc; c. */
static int gen_sgemm(struct env *e, const struct vaccel_op_info *info, struct list *l)
{
	(void)info;
	struct rng *r = &e->rng;
	int64_t m = between(r, below(r, 8) ? 1 : 0, 5), n = between(r, below(r, 8) ? 1 : 0, 5),
		k = between(r, below(r, 8) ? 1 : 0, 5);
	int64_t lda = (k > 1 ? k : 1) + between(r, 0, 2), ldb = (n > 1 ? n : 1) + between(r, 0, 2),
		ldc = (n > 1 ? n : 1) + (coin(r) ? 0 : between(r, 1, 2));
	float alpha = (float)between(r, -16, 16) / 4.0f;
	float beta = coin(r) ? 0.0f : (float)between(r, 1, 16) / 4.0f;
	l->read[l->nr++] = i64(e, m);
	l->read[l->nr++] = i64(e, n);
	l->read[l->nr++] = i64(e, k);
	l->read[l->nr++] = f32(e, alpha);
	l->read[l->nr++] = floats(e, span(m, k, lda) / sizeof(float));
	l->read[l->nr++] = i64(e, lda);
	l->read[l->nr++] = floats(e, span(k, n, ldb) / sizeof(float));
	l->read[l->nr++] = i64(e, ldb);
	l->read[l->nr++] = f32(e, beta);
	l->read[l->nr++] = i64(e, ldc);
	l->write[l->nw++] = floats(e, span(m, n, ldc) / sizeof(float));
	return 0;
}

/* indata ndata low high; outdata min max. */
static int gen_minmax(struct env *e, const struct vaccel_op_info *info, struct list *l)
{
	(void)info;
	int32_t n = (int32_t)between(&e->rng, 1, 16);
	int32_t low = (int32_t)between(&e->rng, -100, 100);
	int32_t high = low + (int32_t)between(&e->rng, 0, 200);
	double *in = alloc(e, (size_t)n * sizeof(double));
	for (int32_t i = 0; i < n; i++)
		in[i] = (double)between(&e->rng, -1000, 1000) / 4.0;
	l->read[l->nr++] = mkarg(in, (size_t)n * sizeof(double), VACCEL_ARG_FLOAT64_ARRAY);
	l->read[l->nr++] = i32(e, n);
	l->read[l->nr++] = i32(e, low);
	l->read[l->nr++] = i32(e, high);
	l->write[l->nw++] = bytes(e, VACCEL_ARG_FLOAT64_ARRAY, (size_t)n * sizeof(double));
	double zero = 0;
	l->write[l->nw++] = scalar(e, VACCEL_ARG_FLOAT64, &zero, 8);
	l->write[l->nw++] = scalar(e, VACCEL_ARG_FLOAT64, &zero, 8);
	return 0;
}

/*
 * vAccel's FPGA ops: n elements in the first read arg (n may be 0), at
 * least as many in every other arg, by the row's counts.
 */
static int gen_fpga(struct env *e, const struct vaccel_op_info *info, struct list *l)
{
	size_t n = (size_t)between(&e->rng, 0, 16);
	bool ints = info->op == VACCEL_OP_FPGA_ARRAYCOPY;
	for (size_t i = 0; i < info->nr_read + info->nr_write; i++) {
		size_t count = n + (i && coin(&e->rng) ? (size_t)between(&e->rng, 1, 3) : 0);
		struct vaccel_arg x = ints ? bytes(e, VACCEL_ARG_INT32_ARRAY, count * 4)
					   : floats(e, count);
		if (i < info->nr_read)
			l->read[l->nr++] = x;
		else
			l->write[l->nw++] = x;
	}
	return 0;
}

/* task image; text out_image out_image_size. The task: one of the image ops. */
static int gen_image_analyze(struct env *e, const struct vaccel_op_info *info, struct list *l)
{
	uint32_t tasks[VACCEL_OP_MAX];
	size_t nt = 0;
	for (uint32_t op = 0; op < VACCEL_OP_MAX; op++) {
		const struct vaccel_op_info *t = vaccel_op_info((vaccel_op_type_t)op);
		if (t && (t->flags & VACCEL_OP_IMAGE_TASK))
			tasks[nt++] = op;
	}
	if (!nt)
		return -1;
	l->read[l->nr++] = u32(e, tasks[below(&e->rng, nt)]);
	l->read[l->nr++] = bytes(e, VACCEL_ARG_RAW, (size_t)between(&e->rng, 1, 96));
	outputs_by_row(e, info, l);
	return 0;
}

/* model model_resource output_name dims data; shape out_data. */
static int gen_tensor_infer(struct env *e, const struct vaccel_op_info *info, struct list *l)
{
	(void)info;
	size_t ndims = (size_t)between(&e->rng, 1, 4), count = 1;
	int64_t *dims = alloc(e, ndims * sizeof(int64_t));
	for (size_t i = 0; i < ndims; i++)
		count *= (size_t)(dims[i] = between(&e->rng, 1, 3));
	if (e->allow_path && coin(&e->rng)) {
		const char *path = make_file(e, (size_t)between(&e->rng, 1, 128));
		if (!path)
			return -1;
		l->read[l->nr++] = scalar(e, VACCEL_ARG_STRING, path, strlen(path) + 1);
		l->read[l->nr++] = i64(e, 0);
	} else {
		int64_t id = make_resource(e, VACCEL_RESOURCE_MODEL, (size_t)between(&e->rng, 1, 128),
					   "model.onnx");
		if (id <= 0)
			return -1;
		l->read[l->nr++] = scalar(e, VACCEL_ARG_STRING, "", 1);
		l->read[l->nr++] = i64(e, id);
	}
	l->read[l->nr++] = coin(&e->rng) ? scalar(e, VACCEL_ARG_STRING, "", 1) : string(e, 1, 12);
	l->read[l->nr++] = mkarg(dims, ndims * sizeof(int64_t), VACCEL_ARG_INT64_ARRAY);
	l->read[l->nr++] = floats(e, count);
	l->write[l->nw++] = bytes(e, VACCEL_ARG_INT64_ARRAY,
				  (1 + VACCEL_TENSOR_MAX_DIMS) * sizeof(int64_t));
	l->write[l->nw++] = floats(e, (size_t)between(&e->rng, 0, 16));
	return 0;
}

/* model: a model resource. */
static int gen_torch_load(struct env *e, const struct vaccel_op_info *info, struct list *l)
{
	(void)info;
	int64_t id = make_resource(e, VACCEL_RESOURCE_MODEL, (size_t)between(&e->rng, 1, 128),
				   "model.pt");
	if (id <= 0)
		return -1;
	l->read[l->nr++] = i64(e, id);
	return 0;
}

/*
 * model run_options in_desc inputs...; out_desc outputs... Each input
 * fills its description (<vaccel/torch.h>); outputs are buffers of any size.
 */
static int gen_torch_run(struct env *e, const struct vaccel_op_info *info, struct list *l)
{
	if (gen_torch_load(e, info, l))
		return -1;
	size_t nin = (size_t)between(&e->rng, 1, 3), nout = (size_t)between(&e->rng, 1, 3);
	int64_t *desc = alloc(e, nin * VACCEL_TORCH_DESC_LEN * sizeof(int64_t));
	struct vaccel_arg in[3];
	memset(desc, 0, nin * VACCEL_TORCH_DESC_LEN * sizeof(int64_t));
	for (size_t i = 0; i < nin; i++) {
		int64_t *d = desc + i * VACCEL_TORCH_DESC_LEN;
		d[0] = between(&e->rng, VACCEL_TORCH_BYTE, VACCEL_TORCH_FLOAT);
		d[1] = between(&e->rng, 1, 3);
		size_t n = vaccel_torch_data_type_size(d[0]);
		for (int64_t k = 0; k < d[1]; k++)
			n *= (size_t)(d[2 + k] = between(&e->rng, 0, 3));
		in[i] = bytes(e, VACCEL_ARG_RAW, n);
	}
	l->read[l->nr++] = bytes(e, VACCEL_ARG_RAW, (size_t)between(&e->rng, 0, 16));
	l->read[l->nr++] = mkarg(desc, nin * VACCEL_TORCH_DESC_LEN * sizeof(int64_t),
				 VACCEL_ARG_INT64_ARRAY);
	for (size_t i = 0; i < nin; i++)
		l->read[l->nr++] = in[i];
	l->write[l->nw++] = bytes(e, VACCEL_ARG_INT64_ARRAY,
				  nout * VACCEL_TORCH_DESC_LEN * sizeof(int64_t));
	for (size_t i = 0; i < nout; i++)
		l->write[l->nw++] = bytes(e, VACCEL_ARG_RAW, (size_t)between(&e->rng, 0, 32));
	return 0;
}

/* model; status (VACCEL_TF_STATUS_LEN bytes). */
static int gen_tf_model(struct env *e, const struct vaccel_op_info *info, struct list *l)
{
	if (gen_torch_load(e, info, l))
		return -1;
	l->write[l->nw++] = bytes(e, VACCEL_ARG_RAW, VACCEL_TF_STATUS_LEN);
	return 0;
}

/* n "name:id" strings, each NUL-terminated, one after another. */
static struct vaccel_arg node_names(struct env *e, size_t n)
{
	char *buf = alloc(e, n * 16), *p = buf;
	for (size_t i = 0; i < n; i++)
		p += sprintf(p, "n%d:%d", (int)between(&e->rng, 0, 999), (int)between(&e->rng, 0, 3)) + 1;
	return mkarg(buf, (size_t)(p - buf), VACCEL_ARG_RAW);
}

/*
 * model run_options in_nodes out_nodes in_desc inputs...; status out_desc
 * outputs... Each input fills its description (<vaccel/tf.h>).
 */
static int gen_tf_run(struct env *e, const struct vaccel_op_info *info, struct list *l)
{
	if (gen_torch_load(e, info, l))
		return -1;
	size_t nin = (size_t)between(&e->rng, 1, 3), nout = (size_t)between(&e->rng, 1, 3);
	int64_t *desc = alloc(e, nin * VACCEL_TF_DESC_LEN * sizeof(int64_t));
	struct vaccel_arg in[3];
	memset(desc, 0, nin * VACCEL_TF_DESC_LEN * sizeof(int64_t));
	for (size_t i = 0; i < nin; i++) {
		int64_t *d = desc + i * VACCEL_TF_DESC_LEN;
		d[0] = coin(&e->rng) ? VACCEL_TF_FLOAT : VACCEL_TF_INT64;
		d[1] = between(&e->rng, 1, 3);
		size_t n = vaccel_tf_data_type_size(d[0]);
		for (int64_t k = 0; k < d[1]; k++)
			n *= (size_t)(d[2 + k] = between(&e->rng, 0, 3));
		in[i] = bytes(e, VACCEL_ARG_RAW, n);
	}
	l->read[l->nr++] = bytes(e, VACCEL_ARG_RAW, (size_t)between(&e->rng, 0, 16));
	l->read[l->nr++] = node_names(e, nin);
	l->read[l->nr++] = node_names(e, nout);
	l->read[l->nr++] = mkarg(desc, nin * VACCEL_TF_DESC_LEN * sizeof(int64_t),
				 VACCEL_ARG_INT64_ARRAY);
	for (size_t i = 0; i < nin; i++)
		l->read[l->nr++] = in[i];
	l->write[l->nw++] = bytes(e, VACCEL_ARG_RAW, VACCEL_TF_STATUS_LEN);
	l->write[l->nw++] = bytes(e, VACCEL_ARG_INT64_ARRAY,
				  nout * VACCEL_TF_DESC_LEN * sizeof(int64_t));
	for (size_t i = 0; i < nout; i++)
		l->write[l->nw++] = bytes(e, VACCEL_ARG_RAW, (size_t)between(&e->rng, 0, 32));
	return 0;
}

/* model in_desc inputs...; out_desc outputs... (<vaccel/tflite.h>). */
static int gen_tflite_run(struct env *e, const struct vaccel_op_info *info, struct list *l)
{
	if (gen_torch_load(e, info, l))
		return -1;
	size_t nin = (size_t)between(&e->rng, 1, 3), nout = (size_t)between(&e->rng, 1, 3);
	int64_t *desc = alloc(e, nin * VACCEL_TFLITE_DESC_LEN * sizeof(int64_t));
	struct vaccel_arg in[3];
	memset(desc, 0, nin * VACCEL_TFLITE_DESC_LEN * sizeof(int64_t));
	for (size_t i = 0; i < nin; i++) {
		int64_t *d = desc + i * VACCEL_TFLITE_DESC_LEN;
		d[0] = coin(&e->rng) ? VACCEL_TFLITE_FLOAT32 : VACCEL_TFLITE_UINT8;
		d[1] = between(&e->rng, 1, 3);
		size_t n = vaccel_tflite_data_type_size(d[0]);
		for (int64_t k = 0; k < d[1]; k++)
			n *= (size_t)(d[2 + k] = between(&e->rng, 0, 3));
		in[i] = bytes(e, VACCEL_ARG_RAW, n);
	}
	l->read[l->nr++] = mkarg(desc, nin * VACCEL_TFLITE_DESC_LEN * sizeof(int64_t),
				 VACCEL_ARG_INT64_ARRAY);
	for (size_t i = 0; i < nin; i++)
		l->read[l->nr++] = in[i];
	l->write[l->nw++] = bytes(e, VACCEL_ARG_INT64_ARRAY,
				  nout * VACCEL_TFLITE_DESC_LEN * sizeof(int64_t));
	for (size_t i = 0; i < nout; i++)
		l->write[l->nw++] = bytes(e, VACCEL_ARG_RAW, (size_t)between(&e->rng, 0, 32));
	return 0;
}

/* m n k a b c (or none); out. */
static int gen_torch_sgemm(struct env *e, const struct vaccel_op_info *info, struct list *l)
{
	(void)info;
	int32_t m = (int32_t)between(&e->rng, 1, 4), n = (int32_t)between(&e->rng, 1, 4),
		k = (int32_t)between(&e->rng, 1, 4);
	l->read[l->nr++] = i32(e, m);
	l->read[l->nr++] = i32(e, n);
	l->read[l->nr++] = i32(e, k);
	l->read[l->nr++] = floats(e, (size_t)(m * k));
	l->read[l->nr++] = floats(e, (size_t)(k * n));
	l->read[l->nr++] = floats(e, coin(&e->rng) ? (size_t)(m * n) : 0);
	l->write[l->nw++] = floats(e, (size_t)(m * n));
	return 0;
}

/* Every op with a row needs one: a row without a generator fails the run. */
static const gen_fn generators[VACCEL_OP_MAX] = {
	[VACCEL_OP_NOOP] = gen_noop,
	[VACCEL_OP_EXEC] = gen_exec,
	[VACCEL_OP_EXEC_WITH_RESOURCE] = gen_exec_with_resource,
	[VACCEL_OP_IMAGE_CLASSIFY] = gen_image,
	[VACCEL_OP_IMAGE_DETECT] = gen_image,
	[VACCEL_OP_IMAGE_SEGMENT] = gen_image,
	[VACCEL_OP_IMAGE_POSE] = gen_image,
	[VACCEL_OP_IMAGE_DEPTH] = gen_image,
	[VACCEL_OP_BLAS_SGEMM] = gen_sgemm,
	[VACCEL_OP_MINMAX] = gen_minmax,
	[VACCEL_OP_OPENCV] = gen_opencv,
	[VACCEL_OP_FPGA_ARRAYCOPY] = gen_fpga,
	[VACCEL_OP_FPGA_MMULT] = gen_fpga,
	[VACCEL_OP_FPGA_PARALLEL] = gen_fpga,
	[VACCEL_OP_FPGA_VECTORADD] = gen_fpga,
	[VACCEL_OP_IMAGE_ANALYZE] = gen_image_analyze,
	[VACCEL_OP_TENSOR_INFER] = gen_tensor_infer,
	[VACCEL_OP_TORCH_MODEL_LOAD] = gen_torch_load,
	[VACCEL_OP_TORCH_MODEL_RUN] = gen_torch_run,
	[VACCEL_OP_TORCH_SGEMM] = gen_torch_sgemm,
	[VACCEL_OP_TF_MODEL_LOAD] = gen_tf_model,
	[VACCEL_OP_TF_MODEL_UNLOAD] = gen_tf_model,
	[VACCEL_OP_TF_MODEL_RUN] = gen_tf_run,
	[VACCEL_OP_TFLITE_MODEL_LOAD] = gen_torch_load,
	[VACCEL_OP_TFLITE_MODEL_UNLOAD] = gen_torch_load,
	[VACCEL_OP_TFLITE_MODEL_RUN] = gen_tflite_run,
};

/* A valid list for `op`; false (with a failed check) when there is none. */
static bool generate(struct env *e, const struct vaccel_op_info *info, struct list *l)
{
	memset(l, 0, sizeof(*l));
	if (!generators[info->op]) {
		check(false, "no generator for op %s", info->name);
		return false;
	}
	if (generators[info->op](e, info, l)) {
		check(false, "%s: the generator could not make a list", info->name);
		return false;
	}
	return true;
}

/* vaccel_genop's read list: the op code (4 or 1 bytes), then the op's. */
static size_t genop_read(struct env *e, vaccel_op_type_t op, const struct vaccel_arg *read,
			 size_t nr, struct vaccel_arg *out)
{
	out[0] = coin(&e->rng) ? u32(e, (uint32_t)op)
			       : scalar(e, VACCEL_ARG_UINT8, &(uint8_t){ (uint8_t)op }, 1);
	memcpy(out + 1, read, nr * sizeof(*read));
	return nr + 1;
}

static uint64_t hash_outputs(const struct list *l)
{
	uint64_t h = FNV_OFFSET;
	for (size_t i = 0; i < l->nw; i++) {
		uint64_t size = l->write[i].size;
		h = fnv(h, &size, sizeof(size));
		if (l->write[i].size)
			h = fnv(h, l->write[i].buf, l->write[i].size);
	}
	return h;
}

static struct vaccel_session *session_or_die(void)
{
	struct vaccel_session *sess;
	int ret = vaccel_session_new(&sess, 0);
	if (ret) {
		printf("not ok 1 - a session (%s)\n1..1\n", vaccel_strerror(ret));
		exit(1);
	}
	return sess;
}

/* ---- roundtrip ---- */

static void roundtrip(uint64_t seed, unsigned n)
{
	struct env e = { .allow_path = true, .fd = -1 };
	struct list l;
	struct vaccel_arg read[MAXA + 1];
	e.sess = session_or_die();
	for (unsigned op = 0; op < VACCEL_OP_MAX; op++) {
		const struct vaccel_op_info *info = vaccel_op_info((vaccel_op_type_t)op);
		if (!info)
			continue;
		for (unsigned i = 0; i < n; i++) {
			/* Each (op, call) its own stream: one generator's change moves no other. */
			e.rng.s = splitmix(seed ^ splitmix(((uint64_t)op << 32) | i));
			if (!generate(&e, info, &l)) {
				env_reset(&e);
				break;
			}
			size_t nr = genop_read(&e, info->op, l.read, l.nr, read);
			int ret = vaccel_genop(e.sess, read, (int)nr, l.write, (int)l.nw);
			check(ret == VACCEL_OK, "%s #%u rc=%d out=%016llx", info->name, i, ret,
			      (unsigned long long)hash_outputs(&l));
			env_reset(&e);
		}
	}
	vaccel_session_delete(e.sess);
}

/* ---- malformed lists, derived from a valid one by the row alone ---- */

struct mutation {
	char what[160];
	char skip[96];          /* why it does not apply to this row */
	struct vaccel_arg read[MAXA + 1];
	size_t nr;
};

static bool is_scalar_slot(const struct vaccel_op_arg_info *s)
{
	return s->kind == VACCEL_OP_ARG_SCALAR || s->kind == VACCEL_OP_ARG_RESOURCE;
}

static bool is_text_slot(const struct vaccel_op_arg_info *s)
{
	return s->kind == VACCEL_OP_ARG_STRING || s->kind == VACCEL_OP_ARG_HOSTPATH;
}

static bool is_buffer_slot(const struct vaccel_op_arg_info *s)
{
	return s->kind == VACCEL_OP_ARG_BYTES || is_text_slot(s);
}

/* The array type whose elements are `size` bytes (for a scalar slot). */
static vaccel_arg_type_t array_of_size(size_t size)
{
	return size == 1 ? VACCEL_ARG_UINT8_ARRAY : size == 2 ? VACCEL_ARG_UINT16_ARRAY
	     : size == 4 ? VACCEL_ARG_UINT32_ARRAY : VACCEL_ARG_UINT64_ARRAY;
}

/* A scalar type for a buffer slot: its element's, else uint8. */
static vaccel_arg_type_t scalar_for(const struct vaccel_op_arg_info *s)
{
	size_t el = s->elem;
	return el == 8 ? VACCEL_ARG_INT64 : el == 4 ? VACCEL_ARG_FLOAT32 : el == 2 ? VACCEL_ARG_INT16
	     : VACCEL_ARG_UINT8;
}

/* A copy of arg a with `size` bytes (zero-padded or cut). */
static struct vaccel_arg resized(struct env *e, const struct vaccel_arg *a, size_t size)
{
	void *p = size ? alloc(e, size) : NULL;
	if (size && a->size)
		memcpy(p, a->buf, a->size < size ? a->size : size);
	return mkarg(p, size, a->type);
}

static struct mutation *add(struct mutation *m, size_t *n, const struct list *valid,
			    const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static struct mutation *add(struct mutation *m, size_t *n, const struct list *valid,
			    const char *fmt, ...)
{
	struct mutation *x = &m[(*n)++];
	va_list ap;
	memset(x, 0, sizeof(*x));
	va_start(ap, fmt);
	vsnprintf(x->what, sizeof(x->what), fmt, ap);
	va_end(ap);
	memcpy(x->read, valid->read, valid->nr * sizeof(valid->read[0]));
	x->nr = valid->nr;
	return x;
}

#define MAX_MUTATIONS (8 + 6 * MAXA)

/*
 * Every malformed list the row implies, from the valid list `v`: the
 * read list only (the outputs are the valid list's). Returns the count.
 */
static size_t mutations(struct env *e, const struct vaccel_op_info *info, const struct list *v,
			struct mutation *m)
{
	size_t n = 0;
	bool has_rest = info->nr_read && info->read[info->nr_read - 1].kind == VACCEL_OP_ARG_REST;
	size_t fixed = info->nr_read - has_rest;
	struct mutation *x;

	/* missing: one fixed arg fewer (REST rows: fewer than the fixed args). */
	x = add(m, &n, v, "missing read arg (%zu instead of %zu%s)", fixed ? fixed - 1 : 0, fixed,
		has_rest ? " or more" : "");
	if (!fixed)
		snprintf(x->skip, sizeof(x->skip), "the op takes no read arg");
	else
		x->nr = fixed - 1;

	/* extra: one more than the row takes. */
	x = add(m, &n, v, "extra read arg (%zu instead of %zu)", fixed + 1, fixed);
	if (has_rest)
		snprintf(x->skip, sizeof(x->skip), "a REST row takes any further arg");
	else
		x->read[x->nr++] = i32(e, 7);

	/* reordered: a scalar and a buffer swapped. */
	x = add(m, &n, v, "reordered read args");
	snprintf(x->skip, sizeof(x->skip), "no scalar and buffer pair to swap");
	for (size_t i = 0; i < fixed && x->skip[0]; i++)
		for (size_t j = i + 1; j < fixed && x->skip[0]; j++) {
			const struct vaccel_op_arg_info *a = &info->read[i], *b = &info->read[j];
			if ((is_scalar_slot(a) && is_buffer_slot(b)) ||
			    (is_buffer_slot(a) && is_scalar_slot(b))) {
				x->read[i] = v->read[j];
				x->read[j] = v->read[i];
				x->skip[0] = '\0';
				snprintf(x->what, sizeof(x->what), "reordered read args %s and %s",
					 a->name, b->name);
			}
		}

	/* wrong kind and wrong length, for every fixed slot they apply to. */
	bool any_kind = false, any_len = false;
	for (size_t i = 0; i < fixed; i++) {
		const struct vaccel_op_arg_info *s = &info->read[i];
		const struct vaccel_arg *a = &v->read[i];
		if (is_scalar_slot(s)) {
			x = add(m, &n, v, "wrong kind: scalar arg %s given type %s", s->name,
				vaccel_arg_type_short_name(array_of_size(s->size)));
			x->read[i].type = array_of_size(s->size);
			x = add(m, &n, v, "wrong length: scalar arg %s given %zu bytes", s->name,
				a->size + 1);
			x->read[i] = resized(e, a, a->size + 1);
			any_kind = any_len = true;
		}
		if (s->kind == VACCEL_OP_ARG_BYTES) {
			x = add(m, &n, v, "wrong kind: buffer arg %s given type %s", s->name,
				vaccel_arg_type_short_name(scalar_for(s)));
			x->read[i].type = scalar_for(s);
			any_kind = true;
			if (s->elem > 1) {
				x = add(m, &n, v, "wrong length: buffer arg %s of %u-byte elements "
					"given %zu bytes", s->name, (unsigned)s->elem, a->size + 1);
				x->read[i] = resized(e, a, a->size + 1);
				any_len = true;
			} else if (s->size) {
				x = add(m, &n, v, "wrong length: buffer arg %s of %u bytes given %u",
					s->name, (unsigned)s->size, (unsigned)s->size - 1);
				x->read[i] = resized(e, a, s->size - 1);
				any_len = true;
			}
		}
		if (is_text_slot(s)) {
			/* A string slot given a scalar type (it used to pass). */
			x = add(m, &n, v, "wrong kind: string arg %s given type %s", s->name,
				vaccel_arg_type_short_name(VACCEL_ARG_INT64));
			x->read[i].type = VACCEL_ARG_INT64;
			size_t len = strnlen(a->buf, a->size);
			x = add(m, &n, v, "wrong length: string arg %s without its NUL (%zu bytes)",
				s->name, len);
			x->read[i] = resized(e, a, len);
			any_len = true;
		}
	}
	if (!any_kind) {
		x = add(m, &n, v, "wrong kind");
		snprintf(x->skip, sizeof(x->skip), "no scalar or buffer read arg");
	}
	if (!any_len) {
		x = add(m, &n, v, "wrong length");
		snprintf(x->skip, sizeof(x->skip), "no read arg with a length to get wrong");
	}
	return n;
}

#define SENTINEL 0xa5

static void sentinel(struct list *l)
{
	for (size_t i = 0; i < l->nw; i++)
		if (l->write[i].size)
			memset(l->write[i].buf, SENTINEL, l->write[i].size);
}

static bool untouched(const struct list *l)
{
	for (size_t i = 0; i < l->nw; i++)
		for (size_t j = 0; j < l->write[i].size; j++)
			if (((const unsigned char *)l->write[i].buf)[j] != SENTINEL)
				return false;
	return true;
}

static void malformed(void)
{
	struct env e = { .allow_path = true, .fd = -1 };
	struct list l;
	struct vaccel_arg read[MAXA + 2];
	struct mutation *m = calloc(MAX_MUTATIONS, sizeof(*m));
	if (!m)
		abort();
	e.sess = session_or_die();
	for (unsigned op = 0; op < VACCEL_OP_MAX; op++) {
		const struct vaccel_op_info *info = vaccel_op_info((vaccel_op_type_t)op);
		if (!info)
			continue;
		e.rng.s = splitmix(0x6d616c666f726dull ^ op);
		if (!generate(&e, info, &l)) {
			env_reset(&e);
			continue;
		}
		size_t nr = genop_read(&e, info->op, l.read, l.nr, read);
		sentinel(&l);
		int ret = vaccel_genop(e.sess, read, (int)nr, l.write, (int)l.nw);
		check(ret == VACCEL_OK, "%s: the valid list is accepted (rc=%d)", info->name, ret);
		size_t nm = mutations(&e, info, &l, m);
		for (size_t i = 0; i < nm; i++) {
			if (m[i].skip[0]) {
				skip("%s: %s # SKIP %s", info->name, m[i].what, m[i].skip);
				continue;
			}
			nr = genop_read(&e, info->op, m[i].read, m[i].nr, read);
			sentinel(&l);
			ret = vaccel_genop(e.sess, read, (int)nr, l.write, (int)l.nw);
			bool same = untouched(&l);
			check(ret == VACCEL_EINVAL && same,
			      "%s: %s: EINVAL, outputs untouched (rc=%d%s)", info->name,
			      m[i].what, ret, same ? "" : ", outputs written");
		}
		env_reset(&e);
	}
	free(m);
	vaccel_session_delete(e.sess);
}

/* ---- the same lists as raw GENOP requests to an agent ---- */

/* [session, op, reads..., writes...], as the remote plugin encodes them. */
static int wire_genop(struct env *e, const struct vaccel_op_info *info, const struct vaccel_arg *read,
		      size_t nr, const struct list *l, struct reply *r)
{
	struct vaccel_wire_out a[VACCEL_WIRE_MAX_ARGS];
	uint32_t op = (uint32_t)info->op;
	size_t n = 0;
	if (2 + nr + l->nw > VACCEL_WIRE_MAX_ARGS)
		return -1001;
	a[n++] = data(VACCEL_ARG_INT64, &e->sid, 8);
	a[n++] = data(VACCEL_ARG_UINT32, &op, 4);
	for (size_t i = 0; i < nr; i++)
		a[n++] = data(read[i].type, read[i].buf, read[i].size);
	for (size_t i = 0; i < l->nw; i++) {
		bool in = i < info->nr_write && (info->write[i].flags & VACCEL_OP_ARG_INOUT) &&
			  (!info->reads_output || info->reads_output(l->read, i));
		a[n++] = (struct vaccel_wire_out){ l->write[i].type,
			VACCEL_WIRE_ARG_WRITE | (in ? VACCEL_WIRE_ARG_DATA : 0),
			l->write[i].buf, l->write[i].size };
	}
	return request(e->fd, VACCEL_WIRE_GENOP, a, n, r);
}

/* A valid request is served: OK, with every output, each of its size. */
static bool served(struct env *e, const struct vaccel_op_info *info, const struct list *l,
		   int *status)
{
	struct reply r = { 0 };
	*status = wire_genop(e, info, l->read, l->nr, l, &r);
	bool ok = *status == 0 && r.nargs == (int)l->nw;
	for (size_t i = 0; ok && i < l->nw; i++)
		ok = r.args[i].size == l->write[i].size;
	free(r.payload);
	return ok;
}

/*
 * The policy bypass of old: an output first on the wire, then a model
 * named by host path. The agent must refuse it (EPERM), the same whether
 * the file exists or not, in either order of the wire args.
 */
static void policy(struct env *e)
{
	static const char *const paths[] = { "/etc/hostname", "/nonexistent/model.onnx" };
	uint32_t op = VACCEL_OP_TENSOR_INFER;
	int64_t zero = 0, dims[2] = { 1, 2 }, shape[1 + VACCEL_TENSOR_MAX_DIMS];
	float in[2] = { 1, 2 }, out[4];
	for (int order = 0; order < 2; order++)
		for (size_t p = 0; p < 2; p++) {
			struct vaccel_wire_out shape_arg = { VACCEL_ARG_INT64_ARRAY, VACCEL_WIRE_ARG_WRITE,
							     shape, sizeof(shape) };
			struct vaccel_wire_out a[9];
			size_t n = 0;
			a[n++] = data(VACCEL_ARG_INT64, &e->sid, 8);
			a[n++] = data(VACCEL_ARG_UINT32, &op, 4);
			if (order == 0)
				a[n++] = shape_arg;
			a[n++] = data(VACCEL_ARG_STRING, paths[p], strlen(paths[p]) + 1);
			a[n++] = data(VACCEL_ARG_INT64, &zero, 8);
			a[n++] = data(VACCEL_ARG_STRING, "", 1);
			a[n++] = data(VACCEL_ARG_INT64_ARRAY, dims, sizeof(dims));
			a[n++] = data(VACCEL_ARG_FLOAT32_ARRAY, in, sizeof(in));
			if (order == 1)
				a[n++] = shape_arg;
			a[n++] = (struct vaccel_wire_out){ VACCEL_ARG_FLOAT32_ARRAY, VACCEL_WIRE_ARG_WRITE,
							   out, sizeof(out) };
			struct reply r = { 0 };
			int status = request(e->fd, VACCEL_WIRE_GENOP, a, n, &r);
			free(r.payload);
			check(status == VACCEL_EPERM,
			      "policy: tensor_infer naming host file %s, %s: EPERM (status %d)", paths[p],
			      order == 0 ? "an output first on the wire" : "outputs last", status);
		}
}

static void agent(const char *address)
{
	struct env e = { .allow_path = false };
	struct list l;
	struct mutation *m = calloc(MAX_MUTATIONS, sizeof(*m));
	if (!m)
		abort();
	e.fd = connect_to(address);
	uint32_t flags = 0;
	struct vaccel_wire_out sa[] = { data(VACCEL_ARG_UINT32, &flags, 4) };
	if (e.fd < 0 || hello(e.fd) ||
	    (e.sid = request_id(e.fd, VACCEL_WIRE_SESSION_NEW, sa, 1)) <= 0) {
		check(false, "connect to %s, say hello, make a session", address);
		free(m);
		return;
	}
	check(true, "connect to %s, say hello, make a session", address);
	for (unsigned op = 0; op < VACCEL_OP_MAX; op++) {
		const struct vaccel_op_info *info = vaccel_op_info((vaccel_op_type_t)op);
		int status = 0;
		if (!info)
			continue;
		e.rng.s = splitmix(0x6167656e74ull ^ op);
		if (!generate(&e, info, &l)) {
			env_reset(&e);
			continue;
		}
		check(served(&e, info, &l, &status), "%s: a valid request is served (status %d)",
		      info->name, status);
		size_t nm = mutations(&e, info, &l, m);
		for (size_t i = 0; i < nm; i++) {
			if (m[i].skip[0]) {
				skip("%s: %s # SKIP %s", info->name, m[i].what, m[i].skip);
				continue;
			}
			struct reply r = { 0 };
			int bad = wire_genop(&e, info, m[i].read, m[i].nr, &l, &r);
			free(r.payload);
			int good;
			bool after = served(&e, info, &l, &good);
			check(bad == VACCEL_EINVAL && after,
			      "%s: %s: EINVAL (status %d), then a valid request is served "
			      "(status %d)", info->name, m[i].what, bad, good);
		}
		env_reset(&e);
	}
	policy(&e);
	/* Still serving, after all that. */
	const struct vaccel_op_info *noop = vaccel_op_info(VACCEL_OP_NOOP);
	if (noop) {
		int status = 0;
		memset(&l, 0, sizeof(l));
		check(served(&e, noop, &l, &status), "the agent still serves noop (status %d)", status);
	}
	close(e.fd);
	free(m);
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc == 4 && !strcmp(argv[1], "roundtrip")) {
		char *end;
		uint64_t seed = strtoull(argv[2], &end, 0);
		unsigned long n = strtoul(argv[3], &end, 10);
		if (*end || !n)
			return 2;
		roundtrip(seed, (unsigned)n);
	} else if (argc == 2 && !strcmp(argv[1], "malformed")) {
		malformed();
	} else if (argc == 3 && !strcmp(argv[1], "agent")) {
		agent(argv[2]);

	} else {
		fprintf(stderr, "usage: optable-props roundtrip SEED N | malformed | agent ADDRESS\n");
		return 2;
	}
	printf("1..%d\n", count);
	return failures ? 1 : 0;
}
