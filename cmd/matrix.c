/* SPDX-License-Identifier: Apache-2.0 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cmd.h"
#include "matrix.h"

/* Elements at most, so a typo cannot ask for terabytes. */
#define MATRIX_MAX_ELEMS ((int64_t)1 << 28)

static uint64_t splitmix64(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ull);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

void matrix_random(struct matrix *m, uint64_t *seed)
{
	for (int64_t i = 0; i < m->rows * m->cols; i++)
		m->data[i] = (float)((double)(splitmix64(seed) >> 11) / 4503599627370496.0 - 1.0);
}

int matrix_read(const char *path, struct matrix *m, char *err, size_t errlen)
{
	FILE *f = cmd_fopen_read(path);
	if (!f) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	char *line = NULL;
	size_t cap = 0, lineno = 0;
	size_t used = 0, alloc = 0;
	float *data = NULL;
	int64_t rows = 0, cols = -1;
	ssize_t len;
	while ((len = getline(&line, &cap, f)) >= 0) {
		lineno++;
		if ((size_t)len != strlen(line)) {
			snprintf(err, errlen, "%s:%zu: NUL byte: not a text matrix", path, lineno);
			goto fail;
		}
		char *hash = strchr(line, '#');
		if (hash)
			*hash = '\0';
		int64_t n = 0;
		char *p = line, *end;
		for (;;) {
			while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
				p++;
			if (!*p)
				break;
			errno = 0;
			double v = strtod(p, &end);
			if (end == p || (*end && !strchr(" \t\r\n", *end))) {
				snprintf(err, errlen, "%s:%zu: column %lld: '%.*s' is not a number",
					 path, lineno, (long long)n + 1, (int)strcspn(p, " \t\r\n"), p);
				goto fail;
			}
			if (!isfinite(v) || fabs(v) > 3.4e38) {
				snprintf(err, errlen, "%s:%zu: column %lld: value out of float range",
					 path, lineno, (long long)n + 1);
				goto fail;
			}
			if (used == alloc) {
				alloc = alloc ? alloc * 2 : 1024;
				if ((int64_t)alloc > MATRIX_MAX_ELEMS) {
					snprintf(err, errlen, "%s:%zu: more than %lld elements",
						 path, lineno, (long long)MATRIX_MAX_ELEMS);
					goto fail;
				}
				float *d = realloc(data, alloc * sizeof(float));
				if (!d) {
					snprintf(err, errlen, "%s: out of memory", path);
					goto fail;
				}
				data = d;
			}
			data[used++] = (float)v;
			n++;
			p = end;
		}
		if (n == 0)
			continue; /* blank or comment line */
		if (cols >= 0 && n != cols) {
			snprintf(err, errlen, "%s:%zu: row has %lld numbers, earlier rows have %lld",
				 path, lineno, (long long)n, (long long)cols);
			goto fail;
		}
		cols = n;
		rows++;
	}
	if (rows == 0) {
		snprintf(err, errlen, "%s: no numbers: an empty matrix", path);
		goto fail;
	}
	free(line);
	fclose(f);
	m->rows = rows;
	m->cols = cols;
	m->data = data;
	return 0;
fail:
	free(line);
	free(data);
	fclose(f);
	return -1;
}

int matrix_write(const char *path, const struct matrix *m, char *err, size_t errlen)
{
	FILE *f = strcmp(path, "-") ? fopen(path, "w") : stdout;
	if (!f) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	for (int64_t i = 0; i < m->rows; i++)
		for (int64_t j = 0; j < m->cols; j++)
			fprintf(f, "%.9g%c", m->data[i * m->cols + j],
				j + 1 == m->cols ? '\n' : ' ');
	int bad = ferror(f);
	if (f != stdout)
		bad |= fclose(f);
	else
		fflush(f);
	if (bad) {
		snprintf(err, errlen, "%s: write failed", path);
		return -1;
	}
	return 0;
}
