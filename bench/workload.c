/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The workloads of `vaccel bench`, by name as given on the command line:
 *
 *   noop              vaccel_noop: the cost of the path alone
 *   sgemm:N           vaccel_sgemm, N x N x N, alpha 1, beta 0
 *   classify:IMAGE    vaccel_image_classification on the image's bytes
 *   infer:MODEL[@DIMS] vaccel_tensor_infer, a constant float32 input of
 *                     shape DIMS (default 1x3x224x224)
 *   payload:SIZE[@shm] vaccel_minmax over SIZE bytes of doubles, in and
 *                     out: what moving a payload each way costs; with @shm
 *                     the buffers come from vaccel_shm_alloc (the virtio
 *                     region: no copy on that path)
 */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <vaccel.h>
#include <vaccel/infer.h>
#include <vaccel/shm.h>
#include "bench.h"
#include "../cmd/model-format.h"

bool bench_parse_size(const char *s, size_t *out)
{
	char *end;
	errno = 0;
	unsigned long long v = strtoull(s, &end, 10);
	if (end == s || errno || *s == '-')
		return false;
	int shift = 0;
	switch (*end) {
	case 'k': case 'K': shift = 10; end++; break;
	case 'm': case 'M': shift = 20; end++; break;
	case 'g': case 'G': shift = 30; end++; break;
	}
	if (*end == 'i' && shift)
		end++;
	if (*end == 'B' || *end == 'b')
		end++;
	if (*end || v > (SIZE_MAX >> shift))
		return false;
	*out = (size_t)v << shift;
	return true;
}

void bench_format_size(size_t bytes, char *buf, size_t len)
{
	static const char units[] = "KMG";
	int u = -1;
	while (u < 2 && bytes && !(bytes % 1024)) {
		bytes /= 1024;
		u++;
	}
	if (u < 0)
		snprintf(buf, len, "%zu", bytes);
	else
		snprintf(buf, len, "%zu%c", bytes, units[u]);
}

static int fail(char *err, size_t errlen, const char *fmt, const char *spec)
{
	snprintf(err, errlen, fmt, spec);
	return VACCEL_EINVAL;
}

/* "1x3x224x224" */
static bool parse_dims(const char *s, struct bench_workload *w)
{
	w->ndims = 0;
	while (*s) {
		char *end;
		long long d = strtoll(s, &end, 10);
		if (end == s || d < 1 || d > (1 << 20) || w->ndims == 8)
			return false;
		w->dims[w->ndims++] = d;
		s = end;
		if (*s == 'x')
			s++;
		else if (*s)
			return false;
	}
	return w->ndims > 0;
}

int bench_workload_parse(const char *spec, struct bench_workload *w, char *err, size_t errlen)
{
	memset(w, 0, sizeof(*w));
	if (strlen(spec) >= sizeof(w->name))
		return fail(err, errlen, "workload '%.64s...': name too long", spec);
	snprintf(w->name, sizeof(w->name), "%s", spec);
	const char *colon = strchr(spec, ':');
	size_t kind_len = colon ? (size_t)(colon - spec) : strlen(spec);
	const char *arg = colon ? colon + 1 : NULL;
#define IS(k) (kind_len == strlen(k) && !strncmp(spec, k, kind_len))
	if (IS("noop")) {
		if (arg)
			return fail(err, errlen, "workload '%s': noop takes no argument", spec);
		w->kind = BENCH_NOOP;
		return 0;
	}
	if (!arg || !*arg)
		return fail(err, errlen,
			    "workload '%s': not noop, sgemm:N, classify:IMAGE, infer:MODEL or "
			    "payload:SIZE", spec);
	if (IS("sgemm")) {
		char *end;
		errno = 0;
		long n = strtol(arg, &end, 10);
		if (*end || errno || n < 1 || n > 16384)
			return fail(err, errlen, "workload '%s': N must be 1..16384", spec);
		w->kind = BENCH_SGEMM;
		w->n = n;
		w->bytes = 3 * (size_t)n * (size_t)n * sizeof(float);
		return 0;
	}
	if (IS("payload")) {
		size_t bytes, len = strlen(arg);
		char size[64];
		w->shm = len > 4 && !strcmp(arg + len - 4, "@shm");
		snprintf(size, sizeof(size), "%.*s", (int)(w->shm ? len - 4 : len), arg);
		if (!bench_parse_size(size, &bytes) || bytes < 8 || bytes % 8 ||
		    bytes / 8 > INT_MAX || bytes > (1ull << 30))
			return fail(err, errlen, "workload '%s': SIZE must be a multiple of 8 "
				    "bytes, 8..1G (K, M, G suffixes), then @shm or nothing", spec);
		w->kind = BENCH_PAYLOAD;
		w->bytes = bytes;
		return 0;
	}
	if (IS("classify") || IS("infer")) {
		char path[PATH_MAX];
		snprintf(path, sizeof(path), "%s", arg);
		w->kind = IS("classify") ? BENCH_CLASSIFY : BENCH_INFER;
		char *at = w->kind == BENCH_INFER ? strrchr(path, '@') : NULL;
		if (at)
			*at = '\0';
		if (!parse_dims(at ? at + 1 : "1x3x224x224", w))
			return fail(err, errlen, "workload '%s': DIMS must be like 1x3x224x224", spec);
		/* The agent reads a model by path: make it absolute. */
		char full[PATH_MAX];
		if (!realpath(path, full))
			return snprintf(err, errlen, "workload '%s': %s: %s", spec, path,
					strerror(errno)), VACCEL_ENOENT;
		if (strlen(full) >= sizeof(w->path))
			return fail(err, errlen, "workload '%s': path too long", spec);
		snprintf(w->path, sizeof(w->path), "%s", full);
		return 0;
	}
#undef IS
	return fail(err, errlen, "workload '%s': not noop, sgemm:N, classify:IMAGE, infer:MODEL "
		    "or payload:SIZE", spec);
}

double bench_workload_flops(const struct bench_workload *w)
{
	return w->kind == BENCH_SGEMM ? 2.0 * (double)w->n * (double)w->n * (double)w->n : 0;
}

double bench_workload_payload(const struct bench_workload *w)
{
	return w->kind == BENCH_PAYLOAD ? (double)w->bytes : 0;
}

bool bench_workload_vision(const struct bench_workload *w)
{
	return w->kind == BENCH_CLASSIFY || w->kind == BENCH_INFER;
}

struct bench_call {
	const struct bench_workload *w;
	struct vaccel_session *sess;
	void *in, *in2, *out;
	size_t in_len;
	struct vaccel_tensor tin, tout;
	size_t out_cap;
	unsigned char text[1024], name[256];
	struct bench_torch *torch; /* infer on a TorchScript model */
};

void bench_workload_free(struct bench_call *c)
{
	if (!c)
		return;
	bench_torch_free(c->torch);
	if (c->w->shm) {
		vaccel_shm_free(c->sess, c->in);
		vaccel_shm_free(c->sess, c->out);
	} else {
		free(c->in);
		free(c->out);
	}
	free(c->in2);
	free(c);
}

int bench_workload_call(void *call)
{
	struct bench_call *c = call;
	const struct bench_workload *w = c->w;
	double mn, mx;
	switch (w->kind) {
	case BENCH_NOOP:
		return vaccel_noop(c->sess);
	case BENCH_SGEMM:
		return vaccel_sgemm(c->sess, w->n, w->n, w->n, 1.0f, c->in, w->n, c->in2, w->n, 0.0f,
				    c->out, w->n);
	case BENCH_PAYLOAD:
		return vaccel_minmax(c->sess, c->in, (int)(w->bytes / 8), -1, 1, c->out, &mn, &mx);
	case BENCH_CLASSIFY:
		return vaccel_image_classification(c->sess, c->in, c->text, c->name, c->in_len,
						   sizeof(c->text), sizeof(c->name));
	case BENCH_INFER:
		if (c->torch)
			return bench_torch_call(c->torch);
		c->tout.count = c->out_cap;
		return vaccel_tensor_infer(c->sess, w->path, NULL, NULL, &c->tin, &c->tout);
	}
	return VACCEL_EINVAL;
}

static int read_all(const char *path, void **data, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return errno;
	size_t cap = 1 << 16, n = 0;
	char *buf = malloc(cap);
	while (buf) {
		n += fread(buf + n, 1, cap - n, f);
		if (n < cap)
			break;
		char *p = realloc(buf, cap *= 2);
		if (!p) {
			free(buf);
			buf = NULL;
		}
		buf = p;
	}
	int ret = ferror(f) ? EIO : buf ? 0 : ENOMEM;
	fclose(f);
	if (ret) {
		free(buf);
		return ret;
	}
	*data = buf;
	*len = n;
	return 0;
}

static float *floats(size_t count, unsigned seed)
{
	float *p = malloc(count * sizeof(float));
	for (size_t i = 0; p && i < count; i++) {
		seed = seed * 1103515245u + 12345u;
		p[i] = (float)((seed >> 16) & 0x7fff) / 32768.0f - 0.5f;
	}
	return p;
}

int bench_workload_prepare(const struct bench_workload *w, struct vaccel_session *sess,
			   struct bench_call **out, char *err, size_t errlen)
{
	struct bench_call *c = calloc(1, sizeof(*c));
	if (!c)
		return VACCEL_ENOMEM;
	c->w = w;
	c->sess = sess;
	size_t nn = (size_t)w->n * (size_t)w->n;
	int ret = VACCEL_OK;
	switch (w->kind) {
	case BENCH_NOOP:
		break;
	case BENCH_SGEMM:
		c->in = floats(nn, 1);
		c->in2 = floats(nn, 2);
		c->out = calloc(nn, sizeof(float));
		if (!c->in || !c->in2 || !c->out)
			ret = VACCEL_ENOMEM;
		break;
	case BENCH_PAYLOAD: {
		size_t count = w->bytes / 8;
		double *in = w->shm ? vaccel_shm_alloc(sess, w->bytes) : malloc(w->bytes);
		c->out = w->shm ? vaccel_shm_alloc(sess, w->bytes) : malloc(w->bytes);
		c->in = in;
		if (!in || !c->out) {
			ret = VACCEL_ENOMEM;
			break;
		}
		for (size_t i = 0; i < count; i++)
			in[i] = (double)(i % 7) - 3.0;
		memset(c->out, 0, w->bytes);
		break;
	}
	case BENCH_CLASSIFY:
		if ((ret = read_all(w->path, &c->in, &c->in_len))) {
			snprintf(err, errlen, "%s: %s", w->path, strerror(ret));
			bench_workload_free(c);
			return VACCEL_ENOENT;
		}
		break;
	case BENCH_INFER: {
		size_t count = 1;
		c->tin.ndims = w->ndims;
		for (size_t i = 0; i < w->ndims; i++) {
			c->tin.dims[i] = w->dims[i];
			count *= (size_t)w->dims[i];
		}
		c->tin.count = count;
		c->tin.data = c->in = malloc(count * sizeof(float));
		for (size_t i = 0; c->in && i < count; i++)
			c->tin.data[i] = 0.5f;
		if (c->in && model_is_torchscript(w->path)) {
			ret = bench_torch_prepare(sess, w->path, &c->tin, &c->torch, err, errlen);
			break;
		}
		c->out_cap = 1 << 18;
		c->tout.data = c->out = malloc(c->out_cap * sizeof(float));
		if (!c->in || !c->out) {
			ret = VACCEL_ENOMEM;
			break;
		}
		/* The first call says how large the output is. */
		c->tout.count = c->out_cap;
		ret = vaccel_tensor_infer(sess, w->path, NULL, NULL, &c->tin, &c->tout);
		if (ret == VACCEL_ENOBUFS) {
			free(c->out);
			c->out_cap = c->tout.count;
			c->tout.data = c->out = malloc(c->out_cap * sizeof(float));
			ret = c->out ? VACCEL_OK : VACCEL_ENOMEM;
		}
		if (ret)
			snprintf(err, errlen, "infer %s: %s", w->path, vaccel_strerror(ret));
		break;
	}
	}
	if (ret) {
		if (!*err)
			snprintf(err, errlen, "%s", vaccel_strerror(ret));
		bench_workload_free(c);
		return ret;
	}
	*out = c;
	return VACCEL_OK;
}
