/* SPDX-License-Identifier: Apache-2.0 */
/*
 * vaccel extension: the op table, as plugins and tools read it. Each op is
 * described once, by one row: its name and the arguments of its genop form
 * (what `read` and `write` hold, in order). Entry points pack their
 * arguments by the row, libvaccel checks every call against it, the remote
 * plugin encodes by it and the agent decodes and applies its policy by it.
 * vaccel-plugin(7) lists the rows.
 */
#ifndef VACCEL_OPTABLE_H
#define VACCEL_OPTABLE_H

#include <vaccel/arg.h>
#include <vaccel/op.h>

/* How an argument's bytes are read and checked. */
enum vaccel_op_arg_kind {
	VACCEL_OP_ARG_SCALAR = 1, /* exactly `size` bytes of a scalar type */
	VACCEL_OP_ARG_BYTES,      /* a buffer: a multiple of `elem` bytes */
	VACCEL_OP_ARG_STRING,     /* text with a NUL within its size */
	VACCEL_OP_ARG_RESOURCE,   /* int64 id of a resource of the session */
	VACCEL_OP_ARG_HOSTPATH,   /* a file path on the host that runs the op */
	VACCEL_OP_ARG_REST,       /* last: any further args, of any type */
};

/* Argument flags. */
#define VACCEL_OP_ARG_EMPTY_OK 1u /* may be empty: 0 bytes, "", or id 0 */
#define VACCEL_OP_ARG_INOUT 2u    /* a write arg the op also reads */

struct vaccel_op_arg_info {
	const char *name;
	uint8_t kind;           /* enum vaccel_op_arg_kind */
	uint8_t flags;          /* VACCEL_OP_ARG_* */
	uint16_t type;          /* the vaccel_arg_type_t it is sent as */
	uint32_t size;          /* SCALAR: its size; BYTES: exact size, 0: any */
	uint32_t elem;          /* BYTES: the size is a multiple of this */
	/* HOSTPATH: the RESOURCE read arg that carries the file to an agent. */
	int8_t carrier;
};

/* Row flags. */
#define VACCEL_OP_SESSION_MODEL 1u /* uses the model resource of the session */
#define VACCEL_OP_IMAGE_TASK 2u    /* an image op image_analyze can run */

struct vaccel_op_info {
	vaccel_op_type_t op;
	const char *name;       /* "noop", "blas_sgemm", ... */
	const char *summary;    /* one line, for listings */
	uint32_t flags;         /* VACCEL_OP_SESSION_MODEL */
	const struct vaccel_op_arg_info *read, *write;
	uint8_t nr_read, nr_write;
	/*
	 * Optional, for an INOUT write arg: whether the op reads it on this
	 * call (sgemm reads C only when beta != 0), so a transport can skip
	 * sending it. NULL: always.
	 */
	bool (*reads_output)(const struct vaccel_arg *read, size_t index);
};

#ifdef __cplusplus
extern "C" {
#endif

/* The row of `op`, or NULL when the op has no row (not served here). */
const struct vaccel_op_info *vaccel_op_info(vaccel_op_type_t op);

#ifdef __cplusplus
}
#endif

#endif /* VACCEL_OPTABLE_H */
