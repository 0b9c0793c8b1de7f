/* SPDX-License-Identifier: Apache-2.0 */
/*
 * vaccel_genop: any op given as argument lists. read[0] holds the op type;
 * the rest are the op's own lists, checked against its row of the op table
 * like every call (src/ops/table.c, listed in vaccel-plugin(7)).
 */
#include <string.h>
#include "ops.h"

/* The op type: vAccel passes it as a uint8; 4-byte forms are accepted too. */
static int op_type(const struct vaccel_arg *a, uint32_t *op)
{
	uint8_t b;
	if (a->buf && a->size == sizeof(*op)) {
		memcpy(op, a->buf, sizeof(*op));
		return VACCEL_OK;
	}
	if (a->buf && a->size == sizeof(b)) {
		memcpy(&b, a->buf, sizeof(b));
		*op = b;
		return VACCEL_OK;
	}
	vaccel_error("genop: read[0] must hold the op type (1 or 4 bytes), it has %zu", a->size);
	return VACCEL_EINVAL;
}

int vaccel_genop(struct vaccel_session *sess, struct vaccel_arg *read, int nr_read,
		 struct vaccel_arg *write, int nr_write)
{
	uint32_t op;
	if (!sess || !read || nr_read < 1 || nr_write < 0 || (nr_write && !write))
		return VACCEL_EINVAL;
	if (op_type(&read[0], &op))
		return VACCEL_EINVAL;
	if (op >= VACCEL_OP_MAX) {
		vaccel_error("genop: unknown op type %u", op);
		return VACCEL_EINVAL;
	}
	if (!vaccel_op_info(op)) {
		vaccel_warn("genop: op %s is not served by this build", vaccel_op_name(op));
		return VACCEL_ENOTSUP;
	}
	return op_run(sess, op, read + 1, (size_t)nr_read - 1, write, (size_t)nr_write);
}
