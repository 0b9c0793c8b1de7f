/* SPDX-License-Identifier: Apache-2.0 */
/* Private to src/ops and the agent: the op table's rows and the call path. */
#ifndef VACCEL_OPS_PRIVATE_H
#define VACCEL_OPS_PRIVATE_H

#include <vaccel/optable.h>
#include "../internal.h"

/*
 * Relations between an op's arguments that their kinds cannot state (a
 * matrix fits its buffer, a shape matches its data). Called after every
 * argument passed its own check; 0 or a VACCEL_* code, the reason logged.
 */
typedef int (*op_check_fn)(struct vaccel_session *sess, struct vaccel_arg *read,
			   size_t nr_read, struct vaccel_arg *write, size_t nr_write);

/*
 * The op's vAccel C signature: calls a vAccel ("classic") plugin's op
 * function `fn` with the genop form's args, as the row orders them and
 * call.c has checked them. One per signature (src/classic-ops.c).
 */
typedef int (*classic_call_fn)(void *fn, struct vaccel_session *sess,
			       const struct vaccel_op_args *a);
int classic_noop(void *, struct vaccel_session *, const struct vaccel_op_args *);
int classic_exec(void *, struct vaccel_session *, const struct vaccel_op_args *);
int classic_exec_with_resource(void *, struct vaccel_session *, const struct vaccel_op_args *);
int classic_classify(void *, struct vaccel_session *, const struct vaccel_op_args *);
int classic_image(void *, struct vaccel_session *, const struct vaccel_op_args *);
int classic_sgemm(void *, struct vaccel_session *, const struct vaccel_op_args *);
int classic_minmax(void *, struct vaccel_session *, const struct vaccel_op_args *);
int classic_lists(void *, struct vaccel_session *, const struct vaccel_op_args *);
int classic_fpga_arraycopy(void *, struct vaccel_session *, const struct vaccel_op_args *);
int classic_fpga_mmult(void *, struct vaccel_session *, const struct vaccel_op_args *);
int classic_fpga_parallel(void *, struct vaccel_session *, const struct vaccel_op_args *);
int classic_fpga_vadd(void *, struct vaccel_session *, const struct vaccel_op_args *);
int classic_model(void *, struct vaccel_session *, const struct vaccel_op_args *);
int classic_tf_model(void *, struct vaccel_session *, const struct vaccel_op_args *);
int classic_torch_run(void *, struct vaccel_session *, const struct vaccel_op_args *);
int classic_torch_sgemm(void *, struct vaccel_session *, const struct vaccel_op_args *);
int classic_tf_run(void *, struct vaccel_session *, const struct vaccel_op_args *);
int classic_tflite_run(void *, struct vaccel_session *, const struct vaccel_op_args *);

struct op_row {
	struct vaccel_op_info info;
	op_check_fn check;
	classic_call_fn classic;  /* NULL: no vAccel plugin can serve the op */
};

extern const struct op_row op_rows[VACCEL_OP_MAX];

/* tensor_infer's shape output: int64 [ndims, dims...]. */
#define OP_SHAPE_BYTES ((1 + VACCEL_TENSOR_MAX_DIMS) * sizeof(int64_t))

/* The per-op checks, beside their entry points. */
int exec_res_check(struct vaccel_session *, struct vaccel_arg *, size_t, struct vaccel_arg *, size_t);
int sgemm_check(struct vaccel_session *, struct vaccel_arg *, size_t, struct vaccel_arg *, size_t);
bool sgemm_reads_c(const struct vaccel_arg *read, size_t index);
int fpga_check(struct vaccel_session *, struct vaccel_arg *, size_t, struct vaccel_arg *, size_t);
int minmax_check(struct vaccel_session *, struct vaccel_arg *, size_t, struct vaccel_arg *, size_t);
int analyze_check(struct vaccel_session *, struct vaccel_arg *, size_t, struct vaccel_arg *, size_t);
int infer_check(struct vaccel_session *, struct vaccel_arg *, size_t, struct vaccel_arg *, size_t);
int tf_model_check(struct vaccel_session *, struct vaccel_arg *, size_t, struct vaccel_arg *, size_t);
int tf_run_check(struct vaccel_session *, struct vaccel_arg *, size_t, struct vaccel_arg *, size_t);
int tflite_model_check(struct vaccel_session *, struct vaccel_arg *, size_t, struct vaccel_arg *, size_t);
int tflite_run_check(struct vaccel_session *, struct vaccel_arg *, size_t, struct vaccel_arg *, size_t);
int torch_load_check(struct vaccel_session *, struct vaccel_arg *, size_t, struct vaccel_arg *, size_t);
int torch_run_check(struct vaccel_session *, struct vaccel_arg *, size_t, struct vaccel_arg *, size_t);
int torch_sgemm_check(struct vaccel_session *, struct vaccel_arg *, size_t, struct vaccel_arg *, size_t);

/*
 * The bytes a framework tensor's descriptor [type, nr_dims, dims...]
 * describes, with elements of `elem` bytes (0: an unknown type) and at
 * most max_dims dims; false for a bad description or a size past SIZE_MAX.
 */
bool op_desc_bytes(const int64_t *d, size_t elem, int64_t max_dims, size_t *bytes);

/* An argument for an entry point's list. */
#define OP_ARG(p, sz, t) \
	((struct vaccel_arg){ .buf = (void *)(p), .size = (sz), .type = VACCEL_ARG_##t })

/*
 * Check the lists against the op's row: counts, each argument's kind and
 * size (resources: registered to the session), then the row's relations.
 * VACCEL_EINVAL (EPERM for a resource not registered to the session) with
 * the reason logged, naming the op and the argument.
 */
int op_check_lists(struct vaccel_session *sess, vaccel_op_type_t op,
		   struct vaccel_arg *read, size_t nr_read,
		   struct vaccel_arg *write, size_t nr_write);

/*
 * Route and run an op whose lists op_check_lists() passed (the agent checks
 * them before its policy, and does not check twice).
 */
int op_run_checked(struct vaccel_session *sess, const struct vaccel_op_args *a);

#endif
