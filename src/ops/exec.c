/* SPDX-License-Identifier: Apache-2.0 */
/*
 * exec and exec_with_resource: the library and symbol first, then the
 * function's own read args; the write args are the function's.
 */
#include <stdlib.h>
#include <string.h>
#include "ops.h"

/* Up to this many function args travel without a heap list. */
#define EXEC_STACK_ARGS 16

static int exec_op(struct vaccel_session *sess, vaccel_op_type_t op, struct vaccel_arg first,
		   const char *fn_symbol, struct vaccel_arg *read, size_t nr_read,
		   struct vaccel_arg *write, size_t nr_write)
{
	if (!fn_symbol || (nr_read && !read) || (nr_write && !write) || nr_read > SIZE_MAX / 2)
		return VACCEL_EINVAL;
	struct vaccel_arg stack[2 + EXEC_STACK_ARGS], *list = stack;
	if (nr_read > EXEC_STACK_ARGS && !(list = malloc((2 + nr_read) * sizeof(*list))))
		return VACCEL_ENOMEM;
	list[0] = first;
	list[1] = OP_ARG(fn_symbol, strlen(fn_symbol) + 1, STRING);
	if (nr_read)
		memcpy(list + 2, read, nr_read * sizeof(*read));
	int ret = op_run(sess, op, list, 2 + nr_read, write, nr_write);
	if (list != stack)
		free(list);
	return ret;
}

int vaccel_exec(struct vaccel_session *sess, const char *library,
		const char *fn_symbol, struct vaccel_arg *read, size_t nr_read,
		struct vaccel_arg *write, size_t nr_write)
{
	if (!library)
		return VACCEL_EINVAL;
	return exec_op(sess, VACCEL_OP_EXEC, OP_ARG(library, strlen(library) + 1, STRING),
		       fn_symbol, read, nr_read, write, nr_write);
}

int vaccel_exec_with_resource(struct vaccel_session *sess,
			      struct vaccel_resource *res, const char *fn_symbol,
			      struct vaccel_arg *read, size_t nr_read,
			      struct vaccel_arg *write, size_t nr_write)
{
	if (!res || res->id <= 0)
		return VACCEL_EINVAL;
	int64_t id = res->id;
	return exec_op(sess, VACCEL_OP_EXEC_WITH_RESOURCE, OP_ARG(&id, 8, INT64), fn_symbol,
		       read, nr_read, write, nr_write);
}

/* exec_with_resource's library is a LIB resource (the table checked it is the session's). */
int exec_res_check(struct vaccel_session *sess, struct vaccel_arg *r, size_t nr,
		   struct vaccel_arg *w, size_t nw)
{
	(void)nr; (void)w; (void)nw;
	struct vaccel_resource *res = vaccel_plugin_arg_resource(sess, &r[0]);
	if (res && res->type != VACCEL_RESOURCE_LIB) {
		vaccel_error("exec: resource %lld is not a library", (long long)res->id);
		return VACCEL_EINVAL;
	}
	return VACCEL_OK;
}
