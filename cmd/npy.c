/* SPDX-License-Identifier: Apache-2.0 */
/*
 * .npy read and write, strict: the header is parsed as the small Python
 * dict numpy writes, every key checked, and the data must be exactly the
 * size the shape gives; anything else is refused with a message that says
 * which part is wrong.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cmd.h"
#include "npy.h"

#define MAGIC "\x93NUMPY"
#define MAGIC_LEN 6
/* 4 GiB; on a 32-bit machine half its size_t (cmd_read_file allocates
 * len + 1). (4LL << 30 as a size_t was 0 there: every file too big.) */
#define MAX_FILE_BYTES ((uint64_t)SIZE_MAX / 2 < (4ULL << 30) ? SIZE_MAX / 2 : (size_t)(4ULL << 30))
_Static_assert(MAX_FILE_BYTES >= (1u << 30), ".npy files of at least 1 GiB");

struct parse {
	const char *p, *end;
	const char *path;
	char *err;
	size_t errlen;
};

static int fail(struct parse *ps, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int fail(struct parse *ps, const char *fmt, ...)
{
	va_list ap;
	int n = snprintf(ps->err, ps->errlen, "%s: ", ps->path);
	va_start(ap, fmt);
	if (n >= 0 && (size_t)n < ps->errlen)
		vsnprintf(ps->err + n, ps->errlen - (size_t)n, fmt, ap);
	va_end(ap);
	return -1;
}

static void skip_space(struct parse *ps)
{
	while (ps->p < ps->end && (*ps->p == ' ' || *ps->p == '\t'))
		ps->p++;
}

static bool eat(struct parse *ps, char c)
{
	skip_space(ps);
	if (ps->p < ps->end && *ps->p == c) {
		ps->p++;
		return true;
	}
	return false;
}

/* A quoted Python string ('...' or "..."), no escapes: numpy writes none. */
static int quoted(struct parse *ps, char *out, size_t len)
{
	skip_space(ps);
	if (ps->p >= ps->end || (*ps->p != '\'' && *ps->p != '"'))
		return fail(ps, "npy header: expected a quoted string");
	char q = *ps->p++;
	const char *start = ps->p;
	while (ps->p < ps->end && *ps->p != q)
		ps->p++;
	if (ps->p >= ps->end || (size_t)(ps->p - start) >= len)
		return fail(ps, "npy header: unterminated or overlong string");
	memcpy(out, start, (size_t)(ps->p - start));
	out[ps->p - start] = '\0';
	ps->p++;
	return 0;
}

static int boolean(struct parse *ps, bool *out)
{
	skip_space(ps);
	size_t left = (size_t)(ps->end - ps->p);
	if (left >= 4 && !memcmp(ps->p, "True", 4)) {
		ps->p += 4;
		*out = true;
		return 0;
	}
	if (left >= 5 && !memcmp(ps->p, "False", 5)) {
		ps->p += 5;
		*out = false;
		return 0;
	}
	return fail(ps, "npy header: fortran_order is not True or False");
}

/* "(1, 3, 224, 224)" or "(5,)"; "()" parses to 0 dims and is refused later. */
static int shape(struct parse *ps, struct vaccel_tensor *t)
{
	t->ndims = 0;
	if (!eat(ps, '('))
		return fail(ps, "npy header: shape is not a tuple");
	while (!eat(ps, ')')) {
		skip_space(ps);
		char *endp;
		errno = 0;
		long long d = strtoll(ps->p, &endp, 10);
		if (endp == ps->p || endp > ps->end || errno)
			return fail(ps, "npy header: shape holds something other than integers");
		ps->p = endp;
		if (t->ndims == VACCEL_TENSOR_MAX_DIMS)
			return fail(ps, "shape has more than %d dims", VACCEL_TENSOR_MAX_DIMS);
		if (d < 1)
			return fail(ps, "shape dim %zu is %lld: every dim must be >= 1", t->ndims, d);
		t->dims[t->ndims++] = d;
		if (!eat(ps, ',') && !(skip_space(ps), ps->p < ps->end && *ps->p == ')'))
			return fail(ps, "npy header: shape tuple is malformed");
	}
	if (!t->ndims)
		return fail(ps, "shape () is a scalar: need 1..%d dims", VACCEL_TENSOR_MAX_DIMS);
	return 0;
}

/* One "'key': value" of the dict; `seen` bits: descr 1, fortran_order 2, shape 4. */
static int entry(struct parse *ps, struct vaccel_tensor *t, unsigned *seen)
{
	char key[32], descr[32];
	bool fortran = false;
	if (quoted(ps, key, sizeof(key)))
		return -1;
	if (!eat(ps, ':'))
		return fail(ps, "npy header: no ':' after '%s'", key);
	if (!strcmp(key, "descr") && !(*seen & 1)) {
		*seen |= 1;
		if (quoted(ps, descr, sizeof(descr)))
			return -1;
		if (strcmp(descr, "<f4"))
			return fail(ps, "dtype '%s' is not supported: float32 ('<f4') only", descr);
		return 0;
	}
	if (!strcmp(key, "fortran_order") && !(*seen & 2)) {
		*seen |= 2;
		if (boolean(ps, &fortran))
			return -1;
		return fortran ? fail(ps, "fortran_order is True: C order only") : 0;
	}
	if (!strcmp(key, "shape") && !(*seen & 4)) {
		*seen |= 4;
		return shape(ps, t);
	}
	return fail(ps, "npy header: unknown or repeated key '%s'", key);
}

static int header(struct parse *ps, struct vaccel_tensor *t)
{
	unsigned seen = 0;
	if (ps->end == ps->p || ps->end[-1] != '\n')
		return fail(ps, "npy header does not end in a newline");
	ps->end--;
	if (!eat(ps, '{'))
		return fail(ps, "npy header is not a dict");
	while (!eat(ps, '}')) {
		if (entry(ps, t, &seen))
			return -1;
		if (!eat(ps, ',') && !(skip_space(ps), ps->p < ps->end && *ps->p == '}'))
			return fail(ps, "npy header: expected ',' or '}'");
	}
	skip_space(ps);
	if (ps->p != ps->end)
		return fail(ps, "npy header: text after the dict");
	if (seen != 7)
		return fail(ps, "npy header lacks %s", !(seen & 1) ? "descr" :
			    !(seen & 2) ? "fortran_order" : "shape");
	return 0;
}

static unsigned char *slurp(const char *path, size_t *len, struct parse *ps)
{
	void *buf = NULL;
	int err = cmd_read_file(path, MAX_FILE_BYTES, &buf, len);
	if (err == EFBIG)
		fail(ps, "more than %zu bytes", MAX_FILE_BYTES);
	else if (err)
		fail(ps, "%s", strerror(err));
	return buf;
}

/* Size of the preamble (magic, version, length) and the header text. */
static int preamble(const unsigned char *b, size_t len, size_t *hstart, size_t *hlen,
		    struct parse *ps)
{
	if (len < MAGIC_LEN + 4 || memcmp(b, MAGIC, MAGIC_LEN))
		return fail(ps, "not a .npy file (bad magic: the first 6 bytes are not \\x93NUMPY)");
	if (b[6] == 1 && b[7] == 0) {
		*hstart = 10;
		*hlen = (size_t)b[8] | (size_t)b[9] << 8;
	} else if ((b[6] == 2 || b[6] == 3) && b[7] == 0 && len >= 12) {
		*hstart = 12;
		*hlen = (size_t)b[8] | (size_t)b[9] << 8 | (size_t)b[10] << 16 | (size_t)b[11] << 24;
	} else {
		return fail(ps, "npy version %u.%u is not supported (1.0, 2.0, 3.0)", b[6], b[7]);
	}
	if (*hlen > len - *hstart)
		return fail(ps, "npy header length %zu runs past the end of the file (%zu bytes)",
			    *hlen, len);
	return 0;
}

static size_t elements(const struct vaccel_tensor *t)
{
	size_t n = 1;
	for (size_t i = 0; i < t->ndims; i++) {
		if ((uint64_t)t->dims[i] > (SIZE_MAX / sizeof(float)) / n)
			return 0;
		n *= (size_t)t->dims[i];
	}
	return n;
}

int npy_read(const char *path, struct vaccel_tensor *t, char *err, size_t errlen)
{
	struct parse ps = { .path = path, .err = err, .errlen = errlen };
	size_t len = 0, hstart = 0, hlen = 0;
	memset(t, 0, sizeof(*t));
	unsigned char *b = slurp(path, &len, &ps);
	if (!b)
		return -1;
	int ret = preamble(b, len, &hstart, &hlen, &ps);
	if (!ret) {
		ps.p = (const char *)b + hstart;
		ps.end = ps.p + hlen;
		ret = header(&ps, t);
	}
	size_t n = ret ? 0 : elements(t), data = len - hstart - hlen;
	if (!ret && (!n || n * sizeof(float) != data))
		ret = fail(&ps, "shape needs %zu bytes of data (%zu float32), the file has %zu",
			   n * sizeof(float), n, data);
	if (!ret && !(t->data = malloc(data)))
		ret = fail(&ps, "out of memory for %zu bytes", data);
	if (!ret) {
		memcpy(t->data, b + hstart + hlen, data);
		t->count = n;
	}
	free(b);
	return ret;
}

int npy_write(const char *path, const struct vaccel_tensor *t, char *err, size_t errlen)
{
	struct parse ps = { .path = path, .err = err, .errlen = errlen };
	char dict[512], pre[10] = MAGIC "\x01";
	int n = snprintf(dict, sizeof(dict), "{'descr': '<f4', 'fortran_order': False, 'shape': (");
	for (size_t i = 0; i < t->ndims; i++)
		n += snprintf(dict + n, sizeof(dict) - (size_t)n, "%lld,%s", (long long)t->dims[i],
			      i + 1 < t->ndims ? " " : "");
	if (t->ndims > 1)
		n--; /* numpy writes (5,) but (1, 3) */
	n += snprintf(dict + n, sizeof(dict) - (size_t)n, "), }");
	/* Pad with spaces and a newline so the data starts at a multiple of 64. */
	size_t hlen = ((10 + (size_t)n + 1 + 63) / 64) * 64 - 10;
	memset(dict + n, ' ', hlen - (size_t)n - 1);
	dict[hlen - 1] = '\n';
	pre[7] = 0;
	pre[8] = (char)(hlen & 0xff);
	pre[9] = (char)(hlen >> 8);
	FILE *f = fopen(path, "wb");
	if (!f || fwrite(pre, 1, 10, f) != 10 || fwrite(dict, 1, hlen, f) != hlen ||
	    fwrite(t->data, sizeof(float), t->count, f) != t->count) {
		if (f)
			fclose(f);
		return fail(&ps, "cannot write it: %s", strerror(errno));
	}
	if (fclose(f))
		return fail(&ps, "cannot write it: %s", strerror(errno));
	return 0;
}
