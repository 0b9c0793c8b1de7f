/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The tensor descriptors the framework ops (torch, tf, tflite) carry: an
 * int64 array per tensor, [data type, nr_dims, dims...]. One size rule
 * for all three, so a fix to it is made once.
 */
#include "ops.h"

bool op_desc_bytes(const int64_t *d, size_t elem, int64_t max_dims, size_t *bytes)
{
	size_t n = elem;
	if (!n || d[1] < 1 || d[1] > max_dims)
		return false;
	for (int64_t i = 0; i < d[1]; i++) {
		int64_t v = d[2 + i];
		/* A zero dimension makes n 0: nothing to overflow after it. */
		if (v < 0 || (v && n && (uint64_t)v > SIZE_MAX / n))
			return false;
		n *= (size_t)v;
	}
	*bytes = n;
	return true;
}
