/* SPDX-License-Identifier: Apache-2.0 */
#include "../internal.h"

static int check_args(const struct vaccel_arg *args, size_t nr, const char *what)
{
	if (nr && !args)
		return VACCEL_EINVAL;
	for (size_t i = 0; i < nr; i++) {
		if ((unsigned)args[i].type >= VACCEL_ARG_MAX || (args[i].size && !args[i].buf)) {
			vaccel_error("exec: %s arg %zu is malformed", what, i);
			return VACCEL_EINVAL;
		}
	}
	return VACCEL_OK;
}

int vaccel_exec(struct vaccel_session *sess, const char *library,
		const char *fn_symbol, struct vaccel_arg *read, size_t nr_read,
		struct vaccel_arg *write, size_t nr_write)
{
	const struct vaccel_plugin *p;
	int ret = router_route(sess, VACCEL_OP_EXEC, &p);
	if (ret)
		return ret;
	if (!library || !*library || !fn_symbol || !*fn_symbol)
		return VACCEL_EINVAL;
	if ((ret = check_args(read, nr_read, "read")) ||
	    (ret = check_args(write, nr_write, "write")))
		return ret;
	return p->ops.exec(sess, library, fn_symbol, read, nr_read, write, nr_write);
}

int vaccel_exec_with_resource(struct vaccel_session *sess,
			      struct vaccel_resource *res, const char *fn_symbol,
			      struct vaccel_arg *read, size_t nr_read,
			      struct vaccel_arg *write, size_t nr_write)
{
	const struct vaccel_plugin *p;
	int ret = router_route(sess, VACCEL_OP_EXEC_WITH_RESOURCE, &p);
	if (ret)
		return ret;
	if (!res || !res->priv || !fn_symbol || !*fn_symbol)
		return VACCEL_EINVAL;
	if (res->type != VACCEL_RESOURCE_LIB) {
		vaccel_error("exec: resource %lld is not a library", (long long)res->id);
		return VACCEL_EINVAL;
	}
	if (!resource_is_registered_to(res, sess)) {
		vaccel_error("exec: resource %lld is not registered to session %lld",
			     (long long)res->id, (long long)sess->id);
		return VACCEL_EPERM;
	}
	if ((ret = check_args(read, nr_read, "read")) ||
	    (ret = check_args(write, nr_write, "write")))
		return ret;
	return p->ops.exec_with_resource(sess, res, fn_symbol, read, nr_read, write,
					 nr_write);
}
