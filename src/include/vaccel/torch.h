/* SPDX-License-Identifier: Apache-2.0 */
/*
 * vAccel's Torch API: TorchScript models registered to a session as
 * VACCEL_RESOURCE_MODEL resources, run on tensors of vAccel's layout, and
 * the (deprecated) torch SGEMM. Names, types and layouts are vAccel's; the
 * ops are rows of the op table, so they run natively (the torch plugin, on
 * libtorch) and through an agent over rpc or virtio alike. Specified in
 * libvaccel(3).
 */
#ifndef VACCEL_TORCH_H
#define VACCEL_TORCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct vaccel_session;
struct vaccel_resource;

/* torch's fixed-width element types (torch::ScalarType + 1), as vAccel's. */
enum vaccel_torch_data_type {
	VACCEL_TORCH_BYTE = 1,  /* uint8 */
	VACCEL_TORCH_CHAR = 2,  /* int8 */
	VACCEL_TORCH_SHORT = 3, /* int16 */
	VACCEL_TORCH_INT = 4,   /* int32 */
	VACCEL_TORCH_LONG = 5,  /* int64 */
	VACCEL_TORCH_HALF = 6,  /* IEEE float16 */
	VACCEL_TORCH_FLOAT = 7  /* float32 */
};

/* Opaque bytes (vAccel's run options; unused by the torch plugin). */
struct vaccel_torch_buffer {
	char *data;
	size_t size;
};

/*
 * A dense tensor in C (row-major) order: nr_dims dims (owned by the
 * tensor: the helpers allocate them), `size` bytes of `data_type` elements
 * at `data`, freed by _release/_delete only when `owned`.
 */
struct vaccel_torch_tensor {
	void *data;
	size_t size;
	bool owned;
	int64_t nr_dims;
	int64_t *dims;
	enum vaccel_torch_data_type data_type;
};

/*
 * vaccel extension: the genop form of torch_model_run (vaccel-plugin(7)).
 * Each tensor is described by VACCEL_TORCH_DESC_LEN int64s: data type,
 * nr_dims, then VACCEL_TORCH_MAX_DIMS dims (unused ones 0).
 */
#define VACCEL_TORCH_MAX_DIMS 8
#define VACCEL_TORCH_DESC_LEN (2 + VACCEL_TORCH_MAX_DIMS)
/* Inputs and outputs of one run, together: what fits in a wire frame's 64
 * args with the session, the op, the model, the options and descriptors. */
#define VACCEL_TORCH_MAX_TENSORS 58

/* vaccel extension: bytes per element of `type`; 0 for an unknown type. */
static inline size_t vaccel_torch_data_type_size(int64_t type)
{
	switch (type) {
	case VACCEL_TORCH_BYTE: case VACCEL_TORCH_CHAR: return 1;
	case VACCEL_TORCH_SHORT: case VACCEL_TORCH_HALF: return 2;
	case VACCEL_TORCH_INT: case VACCEL_TORCH_FLOAT: return 4;
	case VACCEL_TORCH_LONG: return 8;
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
int vaccel_torch_buffer_init(struct vaccel_torch_buffer *buffer, char *data,
			     size_t size);
int vaccel_torch_buffer_release(struct vaccel_torch_buffer *buffer);
int vaccel_torch_buffer_new(struct vaccel_torch_buffer **buffer, char *data,
			    size_t size);
int vaccel_torch_buffer_delete(struct vaccel_torch_buffer *buffer);
int vaccel_torch_buffer_take_data(struct vaccel_torch_buffer *buffer,
				  void **data, size_t *size);

/*
 * Tensors. _init/_new copy `dims` (NULL: zeros) and leave the tensor
 * without data; _allocate also gives it total_size zeroed bytes (owned).
 * _release/_delete free the dims and, when owned, the data. _set_data
 * points the tensor at the caller's data (not owned); _take_data hands the
 * data to the caller (the tensor is then without data). VACCEL_EINVAL for
 * a NULL tensor or nr_dims < 1.
 */
int vaccel_torch_tensor_init(struct vaccel_torch_tensor *tensor,
			     int64_t nr_dims, const int64_t *dims,
			     enum vaccel_torch_data_type type);
int vaccel_torch_tensor_release(struct vaccel_torch_tensor *tensor);
int vaccel_torch_tensor_new(struct vaccel_torch_tensor **tensor,
			    int64_t nr_dims, const int64_t *dims,
			    enum vaccel_torch_data_type type);
int vaccel_torch_tensor_allocate(struct vaccel_torch_tensor **tensor,
				 int64_t nr_dims, const int64_t *dims,
				 enum vaccel_torch_data_type type,
				 size_t total_size);
int vaccel_torch_tensor_delete(struct vaccel_torch_tensor *tensor);
int vaccel_torch_tensor_set_data(struct vaccel_torch_tensor *tensor, void *data,
				 size_t size);
int vaccel_torch_tensor_take_data(struct vaccel_torch_tensor *tensor,
				  void **data, size_t *size);

/*
 * Load the TorchScript model `model` (a VACCEL_RESOURCE_MODEL registered
 * to the session; from its file, or its bytes when mem_only) for the
 * session's later runs. VACCEL_EINVAL for another resource type,
 * VACCEL_EPERM for a resource not registered to the session, VACCEL_EIO
 * when the model cannot be loaded (libtorch's reason logged),
 * VACCEL_ENOTSUP when no plugin serves the op.
 */
int vaccel_torch_model_load(struct vaccel_session *sess,
			    struct vaccel_resource *model);

/*
 * Run the model's forward() on nr_inputs tensors (1..VACCEL_TORCH_MAX_DIMS
 * dims each; `size` must be the dims' product times the element size) and
 * return its first nr_outputs result tensors: outputs[i] is set to a new
 * tensor the caller owns (vaccel_torch_tensor_delete), whatever it held.
 * A model not loaded yet is loaded first. run_options may be NULL.
 * VACCEL_EINVAL for bad tensors or counts, or a model with fewer outputs;
 * VACCEL_EIO when the model refuses the inputs (libtorch's reason logged);
 * as vaccel_torch_model_load otherwise. At most VACCEL_TORCH_MAX_TENSORS
 * tensors in all.
 */
int vaccel_torch_model_run(struct vaccel_session *sess,
			   struct vaccel_resource *model,
			   const struct vaccel_torch_buffer *run_options,
			   struct vaccel_torch_tensor *const *inputs,
			   int nr_inputs, struct vaccel_torch_tensor **outputs,
			   int nr_outputs);

/*
 * out = A(M x K) * B(K x N) + C(M x N), float32, row-major. *in_C may be
 * NULL (no C). *out NULL: a new M x N tensor, owned by the caller; else
 * its data (at least M*N floats) is written. VACCEL_EINVAL when a tensor
 * does not hold its matrix.
 */
__attribute__((deprecated("The function will be removed in a future release")))
int vaccel_torch_sgemm(struct vaccel_session *sess,
		       struct vaccel_torch_tensor **in_A,
		       struct vaccel_torch_tensor **in_B,
		       struct vaccel_torch_tensor **in_C, int M, int N, int K,
		       struct vaccel_torch_tensor **out);

#ifdef __cplusplus
}
#endif

#endif /* VACCEL_TORCH_H */
