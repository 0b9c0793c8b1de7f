/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The tflite plugin's inner edge: the C side (plugin.c: descriptor,
 * sessions' models) calls the C++ side (module.cpp: Arm NN's TfLite parser
 * on the CpuRef backend) only through these extern "C" functions, exported
 * as one table. Tensors cross as vAccel's descriptors (<vaccel/tflite.h>)
 * and bytes; every function returns 0 or a VACCEL_* code, with the reason
 * in err.
 */
#ifndef VACCEL_TFLITE_MODULE_H
#define VACCEL_TFLITE_MODULE_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define TFLITE_MODULE "vaccel-tflite-module.so"
#define TFLITE_MODULE_SYMBOL "vaccel_tflite_module"

struct tflite_module {
	/*
	 * A model from the bytes of a .tflite file, parsed, optimised and
	 * loaded for CpuRef. VACCEL_ENOTSUP (err: the parser's or Arm NN's
	 * reason) when it cannot run it.
	 */
	int (*load)(const void *data, size_t size, void **model, char *err, size_t len);
	void (*free_model)(void *model);
	/*
	 * Run on nin described inputs (the model's, in order); the first
	 * nout outputs are described in out_desc and written to out[i]
	 * (cap[i] bytes). VACCEL_ENOBUFS when one does not fit: every
	 * description is then filled, no data written.
	 */
	int (*run)(void *model, const int64_t *in_desc, const void *const *in, int nin,
		   int64_t *out_desc, void *const *out, const size_t *cap, int nout,
		   char *err, size_t len);
};

#ifdef __cplusplus
}
#endif

#endif
