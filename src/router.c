/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The op router: an op goes to the session's pinned instance, or else to
 * the first instance of the profile that serves it. Sessions resolve this
 * once per op into dispatch slots (session.c), so a call does no routing.
 */
#include "internal.h"

/* The function instance i runs for op, or NULL. */
static vaccel_op_fn op_fn(const struct vaccel_loaded_plugin *p, vaccel_op_type_t op)
{
	/* An op without a row cannot be checked, so it is never routed. */
	if ((unsigned)op >= VACCEL_PLUGIN_MAX_OPS || !vaccel_op_info(op))
		return NULL;
	/* The profile may limit an instance to some ops (ops: [noop]). */
	if (p->ops && !(p->ops & (UINT64_C(1) << op)))
		return NULL;
	return p->desc.ops[op] ? p->desc.ops[op] : p->desc.any_op;
}

bool router_serves(size_t i, vaccel_op_type_t op)
{
	const struct vaccel_loaded_plugin *p = registry_get(i);
	if (!p || !op_fn(p, op))
		return false;
	return !p->desc.serves || p->desc.serves(p->ctx, op);
}

void router_resolve(struct op_slot *slots, int pin, const bool *joined)
{
	for (int op = 0; op < VACCEL_OP_MAX; op++) {
		slots[op] = (struct op_slot){ NULL, NULL, -1, false };
		for (size_t i = 0; i < registry_count(); i++) {
			if ((pin >= 0 && (size_t)pin != i) || (joined && !joined[i]) ||
			    !router_serves(i, op))
				continue;
			struct vaccel_loaded_plugin *p = registry_get(i);
			slots[op] = (struct op_slot){ op_fn(p, op), p->ctx, (int)i,
						      p->desc.session_init != NULL };
			break;
		}
	}
}

bool router_explain_declined(vaccel_op_type_t op, int pin, const bool *joined)
{
	bool any = false;
	for (size_t i = 0; i < registry_count(); i++) {
		struct vaccel_loaded_plugin *p = registry_get(i);
		if ((pin >= 0 && (size_t)pin != i) || (joined && !joined[i]) || !op_fn(p, op) ||
		    router_serves(i, op))
			continue;
		char state[160] = "";
		if (p->desc.describe)
			p->desc.describe(p->ctx, state, sizeof(state));
		vaccel_error("%s: plugin '%s' (instance %zu) does not serve it now%s%s",
			     vaccel_op_name(op), p->desc.name, i, state[0] ? ": " : "", state);
		any = true;
	}
	return any;
}

const char *vaccel_op_served_by(vaccel_op_type_t op, const char *pin)
{
	if (vaccel_ensure_bootstrapped())
		return NULL;
	int p = -1;
	if (pin && (p = registry_find(pin)) < 0)
		return NULL;
	for (size_t i = 0; i < registry_count(); i++)
		if ((p < 0 || (size_t)p == i) && router_serves(i, op))
			return registry_get(i)->desc.name;
	return NULL;
}
