/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The call path every op takes: check the session, load the op's dispatch
 * slot (resolved when the session was made), check the argument lists
 * against the op's row, call. Nothing here formats, allocates or looks up
 * on the way to a plugin; the slow cases (no plugin, an unreachable agent)
 * are out of line.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "ops.h"

/* ---- checking a list against a row ---- */

/* Log what is wrong with one argument, naming the op and the argument. */
__attribute__((format(printf, 5, 6)))
static int bad_arg(vaccel_op_type_t op, const char *list, size_t i,
		   const struct vaccel_op_arg_info *spec, const char *fmt, ...)
{
	char what[160];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	vaccel_error("%s: %s arg %zu (%s) %s", vaccel_op_name(op), list, i, spec->name, what);
	return VACCEL_EINVAL;
}

/* A scalar type (not an array, not free-form bytes) of `size` bytes. */
static bool scalar_type(uint32_t type, uint32_t size)
{
	return type > VACCEL_ARG_RAW && type < VACCEL_ARG_STRING && (type % 2) &&
	       vaccel_arg_type_elem_size(type) == size;
}

static int check_resource(struct vaccel_session *sess, vaccel_op_type_t op, const char *list,
			  size_t i, const struct vaccel_op_arg_info *spec, const struct vaccel_arg *a)
{
	int64_t id;
	memcpy(&id, a->buf, sizeof(id));
	if (id == 0 && (spec->flags & VACCEL_OP_ARG_EMPTY_OK))
		return VACCEL_OK;
	/* Another session's resource and no resource at all get the same answer. */
	if (!session_resource_by_id(sess, id)) {
		vaccel_error("%s: %s arg %zu (%s): resource %lld is not registered to session %lld",
			     vaccel_op_name(op), list, i, spec->name, (long long)id,
			     (long long)sess->id);
		return VACCEL_EPERM;
	}
	return VACCEL_OK;
}

static int check_arg(struct vaccel_session *sess, vaccel_op_type_t op, const char *list,
		     size_t i, const struct vaccel_op_arg_info *spec, const struct vaccel_arg *a)
{
	bool empty_ok = spec->flags & VACCEL_OP_ARG_EMPTY_OK;
	if ((unsigned)a->type >= VACCEL_ARG_MAX)
		return bad_arg(op, list, i, spec, "has an unknown type %u", (unsigned)a->type);
	if (a->size && !a->buf)
		return bad_arg(op, list, i, spec, "has %zu bytes and no buffer", a->size);
	switch (spec->kind) {
	case VACCEL_OP_ARG_SCALAR:
	case VACCEL_OP_ARG_RESOURCE:
		if (!a->buf || a->size != spec->size || !scalar_type(a->type, spec->size))
			return bad_arg(op, list, i, spec, "must be a scalar of %u bytes", (unsigned)spec->size);
		return spec->kind == VACCEL_OP_ARG_RESOURCE
			       ? check_resource(sess, op, list, i, spec, a) : VACCEL_OK;
	case VACCEL_OP_ARG_BYTES:
		if (scalar_type(a->type, (uint32_t)vaccel_arg_type_elem_size(a->type)))
			return bad_arg(op, list, i, spec, "must be a buffer, not a %s",
				       vaccel_arg_type_short_name(a->type));
		if (!a->size && !empty_ok)
			return bad_arg(op, list, i, spec, "is empty");
		if (spec->size && a->size != spec->size)
			return bad_arg(op, list, i, spec, "must be %u bytes, is %zu", (unsigned)spec->size, a->size);
		if (spec->elem > 1 && a->size % spec->elem)
			return bad_arg(op, list, i, spec, "must be a multiple of %u bytes, is %zu",
				       (unsigned)spec->elem, a->size);
		return VACCEL_OK;
	case VACCEL_OP_ARG_STRING:
	case VACCEL_OP_ARG_HOSTPATH:
		if (scalar_type(a->type, (uint32_t)vaccel_arg_type_elem_size(a->type)))
			return bad_arg(op, list, i, spec, "must be a string, not a %s",
				       vaccel_arg_type_short_name(a->type));
		if (!a->size || !memchr(a->buf, '\0', a->size))
			return bad_arg(op, list, i, spec, "has no NUL within its %zu bytes", a->size);
		if (!*(const char *)a->buf && !empty_ok)
			return bad_arg(op, list, i, spec, "is an empty string");
		return VACCEL_OK;
	default: /* REST: any arg that is well formed */
		return VACCEL_OK;
	}
}

static int check_list(struct vaccel_session *sess, vaccel_op_type_t op, const char *list,
		      const struct vaccel_op_arg_info *specs, size_t nspecs,
		      struct vaccel_arg *args, size_t n)
{
	bool rest = nspecs && specs[nspecs - 1].kind == VACCEL_OP_ARG_REST;
	size_t fixed = nspecs - rest;
	if (n < fixed || (!rest && n > fixed)) {
		vaccel_error("%s: %zu %s args, the op takes %s%zu (see vaccel-plugin(7))",
			     vaccel_op_name(op), n, list, rest ? "at least " : "", fixed);
		return VACCEL_EINVAL;
	}
	if (n && !args)
		return VACCEL_EINVAL;
	for (size_t i = 0; i < n; i++) {
		int ret = check_arg(sess, op, list, i, &specs[i < fixed ? i : fixed], &args[i]);
		if (ret)
			return ret;
	}
	return VACCEL_OK;
}

int op_check_lists(struct vaccel_session *sess, vaccel_op_type_t op,
		   struct vaccel_arg *read, size_t nr_read,
		   struct vaccel_arg *write, size_t nr_write)
{
	const struct op_row *row = &op_rows[op];
	int ret;
	if ((ret = check_list(sess, op, "read", row->info.read, row->info.nr_read, read, nr_read)) ||
	    (ret = check_list(sess, op, "write", row->info.write, row->info.nr_write, write,
			      nr_write)))
		return ret;
	return row->check ? row->check(sess, read, nr_read, write, nr_write) : VACCEL_OK;
}

/* ---- the slow cases ---- */

/*
 * No slot: an instance left out (its agent unreachable) says why, else
 * ENOTSUP, after naming the instances that implement the op but decline it
 * now (e.g. cuda without a device), with their reasons.
 */
static int unserved(struct vaccel_session *sess, vaccel_op_type_t op)
{
	int why = sess->priv->left_out_error;
	if (why)
		return why;
	pthread_mutex_lock(&sess->priv->lock);
	bool declined = router_explain_declined(op, sess->priv->pin, sess->priv->joined);
	pthread_mutex_unlock(&sess->priv->lock);
	if (declined)
		return VACCEL_ENOTSUP;
	vaccel_warn("session %lld: no loaded plugin implements %s", (long long)sess->id,
		    vaccel_op_name(op) ? vaccel_op_name(op) : "?");
	return VACCEL_ENOTSUP;
}

static bool unreachable(int ret)
{
	return ret == VACCEL_EREMOTE || ret == VACCEL_ECONNREFUSED;
}

/* Resource args a row may have: a hold each for the op's duration. */
#define OP_MAX_RESOURCES 4

/*
 * Hold the resources the read list names while the op runs, so that a
 * concurrent release is VACCEL_EBUSY instead of freeing them under it.
 */
static int hold_resources(struct vaccel_session *sess, const struct vaccel_op_args *a,
			  struct vaccel_resource **held, size_t *nheld)
{
	const struct vaccel_op_info *row = &op_rows[a->op].info;
	for (size_t i = 0; i < row->nr_read && i < a->nr_read; i++) {
		int64_t id;
		if (row->read[i].kind != VACCEL_OP_ARG_RESOURCE)
			continue;
		memcpy(&id, a->read[i].buf, sizeof(id));
		if (!id)
			continue;
		struct vaccel_resource *res = *nheld < OP_MAX_RESOURCES
						      ? session_resource_hold(sess, id) : NULL;
		if (!res) { /* unregistered since the check */
			while (*nheld)
				resource_drop_session(held[--*nheld]);
			vaccel_error("%s: resource %lld is not registered to session %lld",
				     vaccel_op_name(a->op), (long long)id, (long long)sess->id);
			return VACCEL_EPERM;
		}
		held[(*nheld)++] = res;
	}
	return VACCEL_OK;
}

/*
 * Call, holding the op's resources; an instance that could not reach its
 * agent before doing anything is left out of the session and the next
 * instance that serves the op takes the call. Work that reached an agent
 * is never retried (its error is VACCEL_EIO).
 */
int op_run_checked(struct vaccel_session *sess, const struct vaccel_op_args *a)
{
	const struct op_slot *slot = &session_slots(sess)[a->op];
	if (!slot->fn)
		return unserved(sess, a->op);
	struct vaccel_resource *held[OP_MAX_RESOURCES];
	size_t nheld = 0;
	int ret = hold_resources(sess, a, held, &nheld);
	if (ret)
		return ret;
	for (;;) {
		ret = slot->fn(slot->ctx, sess, a);
		if (!slot->fallible || !unreachable(ret))
			break;
		vaccel_info("session %lld: %s: plugin instance %d unreachable, trying the next",
			    (long long)sess->id, vaccel_op_name(a->op), slot->instance);
		session_leave(sess, slot->instance, ret);
		slot = &session_slots(sess)[a->op];
		if (!slot->fn)
			break;
	}
	while (nheld)
		resource_drop_session(held[--nheld]);
	return ret;
}

/* Every case but the fast path: check the lists, then call. */
__attribute__((noinline)) static int checked_call(struct vaccel_session *sess,
						 const struct vaccel_op_args *a)
{
	if (!session_slots(sess)[a->op].fn)
		return unserved(sess, a->op);
	int ret = op_check_lists(sess, a->op, a->read, a->nr_read, a->write, a->nr_write);
	return ret ? ret : op_run_checked(sess, a);
}

/* ---- the call ---- */

int op_call(struct vaccel_session *sess, const struct vaccel_op_args *a)
{
	if (__builtin_expect(!sess || !sess->priv, 0))
		return VACCEL_EINVAL;
	const struct op_slot *slot = &session_slots(sess)[a->op];
	const struct vaccel_op_info *row = &op_rows[a->op].info;
	/* The fast path: a plugin in this process, an op without arguments. */
	if (__builtin_expect(!slot->fn || slot->fallible ||
			     (a->nr_read | a->nr_write | row->nr_read | row->nr_write), 0))
		return checked_call(sess, a);
	return slot->fn(slot->ctx, sess, a);
}
