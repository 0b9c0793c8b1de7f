/* SPDX-License-Identifier: Apache-2.0 */
/*
 * vAccel's TensorFlow Lite API: .tflite models registered to a session as
 * VACCEL_RESOURCE_MODEL resources, run on tensors of vAccel's layout.
 * Names, types and layouts are vAccel's; the ops are rows of the op table,
 * so they run natively (the tflite plugin, on Arm NN) and through an agent
 * over rpc or virtio alike. Specified in libvaccel(3).
 */
#ifndef VACCEL_TFLITE_H
#define VACCEL_TFLITE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct vaccel_session;
struct vaccel_resource;

/* TensorFlow Lite's data types (TfLiteType), as vAccel's. */
enum vaccel_tflite_data_type {
	VACCEL_TFLITE_NOTYPE = 0,
	VACCEL_TFLITE_FLOAT32 = 1,
	VACCEL_TFLITE_INT32 = 2,
	VACCEL_TFLITE_UINT8 = 3,
	VACCEL_TFLITE_INT64 = 4,
	VACCEL_TFLITE_STRING = 5,
	VACCEL_TFLITE_BOOL = 6,
	VACCEL_TFLITE_INT16 = 7,
	VACCEL_TFLITE_COMPLEX64 = 8,
	VACCEL_TFLITE_INT8 = 9,
	VACCEL_TFLITE_FLOAT16 = 10,
	VACCEL_TFLITE_FLOAT64 = 11,
	VACCEL_TFLITE_COMPLEX128 = 12,
	VACCEL_TFLITE_UINT64 = 13,
	VACCEL_TFLITE_RESOURCE = 14,
	VACCEL_TFLITE_VARIANT = 15,
	VACCEL_TFLITE_UINT32 = 16,
	VACCEL_TFLITE_UINT16 = 17,
	VACCEL_TFLITE_INT4 = 18
};

/*
 * A dense tensor in C (row-major) order: nr_dims dims (owned by the
 * tensor), `size` bytes of `data_type` elements at `data`, freed by
 * _release/_delete only when `owned`.
 */
struct vaccel_tflite_tensor {
	void *data;
	size_t size;
	bool owned;
	int nr_dims;
	int32_t *dims;
	enum vaccel_tflite_data_type data_type;
};

/*
 * vaccel extension: the genop form of tflite_model_run (vaccel-plugin(7)):
 * each tensor described by VACCEL_TFLITE_DESC_LEN int64s, as torch's.
 */
#define VACCEL_TFLITE_MAX_DIMS 8
#define VACCEL_TFLITE_DESC_LEN (2 + VACCEL_TFLITE_MAX_DIMS)
#define VACCEL_TFLITE_MAX_TENSORS 56

/* vaccel extension: bytes per element of `type`; 0 for one without a fixed size. */
static inline size_t vaccel_tflite_data_type_size(int64_t type)
{
	switch (type) {
	case VACCEL_TFLITE_UINT8: case VACCEL_TFLITE_INT8: case VACCEL_TFLITE_BOOL: return 1;
	case VACCEL_TFLITE_INT16: case VACCEL_TFLITE_UINT16: case VACCEL_TFLITE_FLOAT16: return 2;
	case VACCEL_TFLITE_FLOAT32: case VACCEL_TFLITE_INT32: case VACCEL_TFLITE_UINT32: return 4;
	case VACCEL_TFLITE_INT64: case VACCEL_TFLITE_UINT64: case VACCEL_TFLITE_FLOAT64:
	case VACCEL_TFLITE_COMPLEX64: return 8;
	case VACCEL_TFLITE_COMPLEX128: return 16;
	default: return 0;
	}
}

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Tensors. _init/_new copy `dims` (NULL: zeros) and leave the tensor
 * without data; _allocate also gives it total_size zeroed bytes (owned).
 * _release/_delete free the dims and, when owned, the data. _set_data
 * points the tensor at the caller's data (not owned); _take_data hands the
 * data to the caller. VACCEL_EINVAL for a NULL tensor or nr_dims < 1.
 */
int vaccel_tflite_tensor_init(struct vaccel_tflite_tensor *tensor, int nr_dims,
			      const int32_t *dims, enum vaccel_tflite_data_type type);
int vaccel_tflite_tensor_release(struct vaccel_tflite_tensor *tensor);
int vaccel_tflite_tensor_new(struct vaccel_tflite_tensor **tensor, int nr_dims,
			     const int32_t *dims, enum vaccel_tflite_data_type type);
int vaccel_tflite_tensor_allocate(struct vaccel_tflite_tensor **tensor, int nr_dims,
				  const int32_t *dims, enum vaccel_tflite_data_type type,
				  size_t total_size);
int vaccel_tflite_tensor_delete(struct vaccel_tflite_tensor *tensor);
int vaccel_tflite_tensor_set_data(struct vaccel_tflite_tensor *tensor, void *data,
				  size_t size);
int vaccel_tflite_tensor_take_data(struct vaccel_tflite_tensor *tensor, void **data,
				   size_t *size);

/*
 * Load the .tflite model `model` (a VACCEL_RESOURCE_MODEL registered to
 * the session, from its file or its bytes) for the session's later runs.
 * VACCEL_ENOTSUP for a model the engine cannot run (the parser's reason
 * logged: the operator, the limit), VACCEL_EINVAL for another resource
 * type, VACCEL_EPERM for a resource not registered to the session.
 */
int vaccel_tflite_model_load(struct vaccel_session *sess, struct vaccel_resource *model);

/*
 * Run the model on its nr_inputs inputs, in the model's order; outputs[i]
 * is set to a new tensor the caller owns (vaccel_tflite_tensor_delete)
 * holding its first nr_outputs outputs. *status (may be NULL) is 0 on
 * success, else the error. A model not loaded yet is loaded first.
 * VACCEL_EINVAL for counts, types or shapes the model does not take (at
 * most VACCEL_TFLITE_MAX_TENSORS in all).
 */
int vaccel_tflite_model_run(struct vaccel_session *sess, struct vaccel_resource *model,
			    struct vaccel_tflite_tensor *const *inputs, int nr_inputs,
			    struct vaccel_tflite_tensor **outputs, int nr_outputs,
			    uint8_t *status);

/* Forget the session's loaded model (none loaded: VACCEL_OK). */
int vaccel_tflite_model_unload(struct vaccel_session *sess, struct vaccel_resource *model);

#ifdef __cplusplus
}
#endif

#endif /* VACCEL_TFLITE_H */
