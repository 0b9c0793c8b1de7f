/* SPDX-License-Identifier: Apache-2.0 */
/* Matrices for `vaccel sgemm`: random fill, text files, the reference. */
#ifndef VACCEL_CMD_MATRIX_H
#define VACCEL_CMD_MATRIX_H

#include <stddef.h>
#include <stdint.h>

struct matrix {
	int64_t rows, cols;
	float *data; /* row-major, ld == cols */
};

/* Fill with uniform values in [-1, 1) from a seeded generator. */
void matrix_random(struct matrix *m, uint64_t *seed);
/*
 * Read a text matrix: one row per line, numbers separated by spaces or tabs,
 * '#' starts a comment. On error returns -1 with a message naming the file,
 * line and problem in err.
 */
int matrix_read(const char *path, struct matrix *m, char *err, size_t errlen);
int matrix_write(const char *path, const struct matrix *m, char *err, size_t errlen);

#endif
