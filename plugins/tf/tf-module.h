/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The tf plugin's inner edge: the C side (plugin.c: descriptor, sessions'
 * graphs) calls the C++ side (module.cpp: OpenCV dnn's TensorFlow
 * importer) only through these extern "C" functions, exported as one
 * table. Tensors cross as vAccel's descriptors (<vaccel/tf.h>) and bytes;
 * every function returns 0 or a VACCEL_* code, with the reason in err.
 */
#ifndef VACCEL_TF_MODULE_H
#define VACCEL_TF_MODULE_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define TF_MODULE "vaccel-tf-module.so"
#define TF_MODULE_SYMBOL "vaccel_tf_module"

struct tf_module {
	/*
	 * A frozen graph (a GraphDef) from bytes. VACCEL_ENOTSUP when OpenCV
	 * cannot build it (err names the node type it stopped at), VACCEL_EIO
	 * when the bytes are no GraphDef.
	 */
	int (*load)(const void *data, size_t size, void **graph, char *err, size_t len);
	void (*free_graph)(void *graph);
	/*
	 * Feed nin described float32 inputs to the nodes in_names[i], fetch
	 * the nodes out_names[j], described in out_desc and written to out[j]
	 * (cap[j] bytes). VACCEL_ENOBUFS when one does not fit: every
	 * description is then filled, no data written. Thread-safe per graph.
	 */
	int (*run)(void *graph, const char *const *in_names, const int64_t *in_desc,
		   const void *const *in, int nin, const char *const *out_names,
		   int64_t *out_desc, void *const *out, const size_t *cap, int nout,
		   char *err, size_t len);
};

#ifdef __cplusplus
}
#endif

#endif
