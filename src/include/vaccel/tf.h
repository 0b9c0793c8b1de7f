/* SPDX-License-Identifier: Apache-2.0 */
/*
 * vAccel's TensorFlow API: frozen graphs registered to a session as
 * VACCEL_RESOURCE_MODEL resources, run on tensors of vAccel's layout. Names,
 * types and layouts are vAccel's; the ops are rows of the op table, so they
 * run natively (the tf plugin, on OpenCV dnn) and through an agent over rpc
 * or virtio alike. Specified in libvaccel(3).
 */
#ifndef VACCEL_TF_H
#define VACCEL_TF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct vaccel_session;
struct vaccel_resource;

/* TensorFlow's data types (tensorflow/c/tf_datatype.h), as vAccel's. */
enum vaccel_tf_data_type {
	VACCEL_TF_FLOAT = 1,
	VACCEL_TF_DOUBLE = 2,
	VACCEL_TF_INT32 = 3,
	VACCEL_TF_UINT8 = 4,
	VACCEL_TF_INT16 = 5,
	VACCEL_TF_INT8 = 6,
	VACCEL_TF_STRING = 7,
	VACCEL_TF_COMPLEX64 = 8,
	VACCEL_TF_COMPLEX = 8,
	VACCEL_TF_INT64 = 9,
	VACCEL_TF_BOOL = 10,
	VACCEL_TF_QINT8 = 11,
	VACCEL_TF_QUINT8 = 12,
	VACCEL_TF_QINT32 = 13,
	VACCEL_TF_BFLOAT16 = 14,
	VACCEL_TF_QINT16 = 15,
	VACCEL_TF_QUINT16 = 16,
	VACCEL_TF_UINT16 = 17,
	VACCEL_TF_COMPLEX128 = 18,
	VACCEL_TF_HALF = 19,
	VACCEL_TF_RESOURCE = 20,
	VACCEL_TF_VARIANT = 21,
	VACCEL_TF_UINT32 = 22,
	VACCEL_TF_UINT64 = 23
};

/* Opaque bytes (vAccel's run options; unused by the tf plugin). */
struct vaccel_tf_buffer {
	void *data;
	size_t size;
};

/* A graph node's output: the node's name and the output's index. */
struct vaccel_tf_node {
	char *name;
	int id;
};

/*
 * A dense tensor in C (row-major) order: nr_dims dims (owned by the
 * tensor), `size` bytes of `data_type` elements at `data`, freed by
 * _release/_delete only when `owned`.
 */
struct vaccel_tf_tensor {
	void *data;
	size_t size;
	bool owned;
	int nr_dims;
	int64_t *dims;
	enum vaccel_tf_data_type data_type;
};

/* An op's outcome: 0 or an error code, and a message (malloc'd, owned). */
struct vaccel_tf_status {
	uint8_t code;
	char *message;
};

/*
 * vaccel extension: the genop form of tf_model_run (vaccel-plugin(7)).
 * Each tensor is described by VACCEL_TF_DESC_LEN int64s: data type,
 * nr_dims, then VACCEL_TF_MAX_DIMS dims (unused ones 0). Nodes travel as
 * "name:id" strings, each NUL-terminated, one after another. The status
 * is VACCEL_TF_STATUS_LEN bytes: the code, then the NUL-terminated message.
 */
#define VACCEL_TF_MAX_DIMS 8
#define VACCEL_TF_DESC_LEN (2 + VACCEL_TF_MAX_DIMS)
#define VACCEL_TF_MAX_TENSORS 52
#define VACCEL_TF_STATUS_LEN 256

/* vaccel extension: bytes per element of `type`; 0 for one without a fixed size. */
static inline size_t vaccel_tf_data_type_size(int64_t type)
{
	switch (type) {
	case VACCEL_TF_UINT8: case VACCEL_TF_INT8: case VACCEL_TF_BOOL:
	case VACCEL_TF_QINT8: case VACCEL_TF_QUINT8: return 1;
	case VACCEL_TF_INT16: case VACCEL_TF_UINT16: case VACCEL_TF_HALF:
	case VACCEL_TF_BFLOAT16: case VACCEL_TF_QINT16: case VACCEL_TF_QUINT16: return 2;
	case VACCEL_TF_FLOAT: case VACCEL_TF_INT32: case VACCEL_TF_UINT32:
	case VACCEL_TF_QINT32: return 4;
	case VACCEL_TF_DOUBLE: case VACCEL_TF_INT64: case VACCEL_TF_UINT64:
	case VACCEL_TF_COMPLEX64: return 8;
	case VACCEL_TF_COMPLEX128: return 16;
	default: return 0;
	}
}

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Buffers. _init and _new take ownership of `data` (malloc'd): _release
 * and _delete free it. _take_data hands it back (the buffer is then empty).
 */
int vaccel_tf_buffer_init(struct vaccel_tf_buffer *buffer, void *data, size_t size);
int vaccel_tf_buffer_release(struct vaccel_tf_buffer *buffer);
int vaccel_tf_buffer_new(struct vaccel_tf_buffer **buffer, void *data, size_t size);
int vaccel_tf_buffer_delete(struct vaccel_tf_buffer *buffer);
int vaccel_tf_buffer_take_data(struct vaccel_tf_buffer *buffer, void **data, size_t *size);

/* Nodes: _init/_new copy `name`; _release/_delete free the copy. */
int vaccel_tf_node_init(struct vaccel_tf_node *node, const char *name, int id);
int vaccel_tf_node_release(struct vaccel_tf_node *node);
int vaccel_tf_node_new(struct vaccel_tf_node **node, const char *name, int id);
int vaccel_tf_node_delete(struct vaccel_tf_node *node);

/*
 * Tensors. _init/_new copy `dims` (NULL: zeros) and leave the tensor
 * without data; _allocate also gives it total_size zeroed bytes (owned).
 * _release/_delete free the dims and, when owned, the data. _set_data
 * points the tensor at the caller's data (not owned); _take_data hands the
 * data to the caller. VACCEL_EINVAL for a NULL tensor or nr_dims < 1.
 */
int vaccel_tf_tensor_init(struct vaccel_tf_tensor *tensor, int nr_dims, const int64_t *dims,
			  enum vaccel_tf_data_type type);
int vaccel_tf_tensor_release(struct vaccel_tf_tensor *tensor);
int vaccel_tf_tensor_new(struct vaccel_tf_tensor **tensor, int nr_dims, const int64_t *dims,
			 enum vaccel_tf_data_type type);
int vaccel_tf_tensor_allocate(struct vaccel_tf_tensor **tensor, int nr_dims,
			      const int64_t *dims, enum vaccel_tf_data_type type,
			      size_t total_size);
int vaccel_tf_tensor_delete(struct vaccel_tf_tensor *tensor);
int vaccel_tf_tensor_set_data(struct vaccel_tf_tensor *tensor, void *data, size_t size);
int vaccel_tf_tensor_take_data(struct vaccel_tf_tensor *tensor, void **data, size_t *size);

/* Statuses: _init/_new copy `message` (NULL: none); _release/_delete free it. */
int vaccel_tf_status_init(struct vaccel_tf_status *status, uint8_t code, const char *message);
int vaccel_tf_status_release(struct vaccel_tf_status *status);
int vaccel_tf_status_new(struct vaccel_tf_status **status, uint8_t code, const char *message);
int vaccel_tf_status_delete(struct vaccel_tf_status *status);

/*
 * Load the frozen graph `model` (a VACCEL_RESOURCE_MODEL registered to the
 * session: a GraphDef .pb, from its file or its bytes) for the session's
 * later runs. *status is set (its old message is not freed: release it
 * first): code 0 and the plugin's message, or the error and its reason.
 * VACCEL_ENOTSUP for a graph the engine cannot run (the message names the
 * node type it stopped at) or a SavedModel directory, VACCEL_EIO for a
 * file that is no GraphDef, VACCEL_EINVAL for another resource type,
 * VACCEL_EPERM for a resource not registered to the session.
 */
int vaccel_tf_model_load(struct vaccel_session *sess, struct vaccel_resource *model,
			 struct vaccel_tf_status *status);

/*
 * Run the graph: feed in_tensors[i] to in_nodes[i], fetch out_nodes[j]
 * into out_tensors[j], a new tensor the caller owns
 * (vaccel_tf_tensor_delete). A model not loaded yet is loaded first.
 * run_options may be NULL. *status as for model_load. VACCEL_EINVAL for
 * bad tensors, nodes (one the graph lacks) or counts (at most
 * VACCEL_TF_MAX_TENSORS in all),
 * VACCEL_ENOTSUP for a data type the engine lacks (OpenCV dnn: float32),
 * VACCEL_EIO when the graph refuses the inputs.
 */
int vaccel_tf_model_run(struct vaccel_session *sess, struct vaccel_resource *model,
			const struct vaccel_tf_buffer *run_options,
			const struct vaccel_tf_node *in_nodes,
			struct vaccel_tf_tensor *const *in_tensors, int nr_inputs,
			const struct vaccel_tf_node *out_nodes,
			struct vaccel_tf_tensor **out_tensors, int nr_outputs,
			struct vaccel_tf_status *status);

/* Forget the session's loaded graph of `model` (none loaded: VACCEL_OK). */
int vaccel_tf_model_unload(struct vaccel_session *sess, struct vaccel_resource *model,
			   struct vaccel_tf_status *status);

#ifdef __cplusplus
}
#endif

#endif /* VACCEL_TF_H */
