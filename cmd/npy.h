/* SPDX-License-Identifier: Apache-2.0 */
/*
 * NumPy .npy files holding one float32 tensor in C order: what `vaccel
 * infer` reads and writes. Format: numpy.lib.format (versions 1.0, 2.0, 3.0).
 */
#ifndef VACCEL_NPY_H
#define VACCEL_NPY_H

#include <stddef.h>
#include <vaccel/infer.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Read `path` into *t: shape into ndims/dims, a malloc'd copy of the data
 * into t->data (the caller frees it), its elements into t->count. Returns 0,
 * or -1 with a message in err that names the file and what is wrong: bad
 * magic or version, a header that is not numpy's dict, a dtype other than
 * little-endian float32, fortran_order, a shape outside 1..8 dims of >= 1,
 * or data whose size the shape does not give.
 */
int npy_read(const char *path, struct vaccel_tensor *t, char *err, size_t errlen);

/* Write t (version 1.0, '<f4', C order). 0, or -1 with a message in err. */
int npy_write(const char *path, const struct vaccel_tensor *t, char *err, size_t errlen);

#ifdef __cplusplus
}
#endif

#endif /* VACCEL_NPY_H */
