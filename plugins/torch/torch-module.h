/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The torch plugin's inner edge: the C side (plugin.c: descriptor, options,
 * sessions' models) calls the C++ side (module.cpp: libtorch) only through
 * these extern "C" functions, which the module exports as one table.
 * Tensors cross as vAccel's descriptors (<vaccel/torch.h>) and bytes; every
 * function returns 0 or a VACCEL_* code, with the reason in err.
 */
#ifndef VACCEL_TORCH_MODULE_H
#define VACCEL_TORCH_MODULE_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define TORCH_MODULE "vaccel-torch-module.so"
#define TORCH_MODULE_SYMBOL "vaccel_torch_module"

struct torch_module {
	/* Whether this libtorch can run on CUDA devices. */
	int (*cuda_available)(void);
	/* Intra-op threads for the whole process; 0: libtorch's default. */
	void (*set_threads)(int n);
	/* A TorchScript model from a file or from bytes, on the CPU. */
	int (*load_file)(const char *path, void **model, char *err, size_t len);
	int (*load_bytes)(const void *data, size_t size, void **model, char *err, size_t len);
	void (*free_model)(void *model);
	/*
	 * forward() on nin described inputs; the first nout results are
	 * described in out_desc and written to out[i] (cap[i] bytes).
	 * VACCEL_ENOBUFS when one does not fit: every description is then
	 * filled, no data written.
	 */
	int (*run)(void *model, const int64_t *in_desc, const void *const *in, int nin,
		   int64_t *out_desc, void *const *out, const size_t *cap, int nout,
		   char *err, size_t len);
	/* out(m x n) = a(m x k) * b(k x n) + c(m x n, or NULL), row-major float32. */
	int (*sgemm)(int64_t m, int64_t n, int64_t k, const float *a, const float *b,
		     const float *c, float *out, char *err, size_t len);
};

#ifdef __cplusplus
}
#endif

#endif
