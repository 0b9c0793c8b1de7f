/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The op router: an op goes to the session's pinned plugin, or else to the
 * first plugin of the profile whose vtable has the op's slot filled.
 */
#include <stddef.h>
#include <string.h>
#include "internal.h"

#define SLOT(field) offsetof(struct vaccel_plugin, ops.field)
#define NO_SLOT SIZE_MAX

/* Which vtable slot serves each op; ops with no slot are never served. */
static const size_t op_slots[VACCEL_OP_MAX] = {
	[VACCEL_OP_NOOP] = SLOT(noop),
	[VACCEL_OP_EXEC] = SLOT(exec),
	[VACCEL_OP_EXEC_WITH_RESOURCE] = SLOT(exec_with_resource),
	[VACCEL_OP_IMAGE_CLASSIFY] = SLOT(image_classify),
	[VACCEL_OP_IMAGE_DETECT] = SLOT(image_detect),
	[VACCEL_OP_IMAGE_SEGMENT] = SLOT(image_segment),
	[VACCEL_OP_IMAGE_POSE] = SLOT(image_pose),
	[VACCEL_OP_IMAGE_DEPTH] = SLOT(image_depth),
	[VACCEL_OP_TF_MODEL_LOAD] = NO_SLOT,
	[VACCEL_OP_TF_MODEL_UNLOAD] = NO_SLOT,
	[VACCEL_OP_TF_MODEL_RUN] = NO_SLOT,
	[VACCEL_OP_TFLITE_MODEL_LOAD] = NO_SLOT,
	[VACCEL_OP_TFLITE_MODEL_UNLOAD] = NO_SLOT,
	[VACCEL_OP_TFLITE_MODEL_RUN] = NO_SLOT,
	[VACCEL_OP_TORCH_MODEL_LOAD] = NO_SLOT,
	[VACCEL_OP_TORCH_MODEL_RUN] = NO_SLOT,
	[VACCEL_OP_TORCH_SGEMM] = NO_SLOT,
	[VACCEL_OP_BLAS_SGEMM] = SLOT(sgemm),
	[VACCEL_OP_FPGA_ARRAYCOPY] = NO_SLOT,
	[VACCEL_OP_FPGA_MMULT] = NO_SLOT,
	[VACCEL_OP_FPGA_PARALLEL] = NO_SLOT,
	[VACCEL_OP_FPGA_VECTORADD] = NO_SLOT,
	[VACCEL_OP_MINMAX] = NO_SLOT,
	[VACCEL_OP_OPENCV] = NO_SLOT,
	[VACCEL_OP_IMAGE_ANALYZE] = SLOT(image_analyze),
	[VACCEL_OP_TENSOR_INFER] = SLOT(tensor_infer),
};

size_t router_op_slot(vaccel_op_type_t op)
{
	return (unsigned)op < VACCEL_OP_MAX ? op_slots[op] : NO_SLOT;
}

static bool implements(const struct vaccel_plugin *p, size_t slot)
{
	void *fn;
	memcpy(&fn, (const char *)p + slot, sizeof(fn));
	return fn != NULL;
}

int router_pick_index(int pin, vaccel_op_type_t op)
{
	size_t slot = router_op_slot(op);
	if (slot == NO_SLOT)
		return -1;
	if (pin >= 0) {
		struct vaccel_loaded_plugin *p = registry_get((size_t)pin);
		return p && implements(&p->desc, slot) ? pin : -1;
	}
	for (size_t i = 0; i < registry_count(); i++)
		if (implements(&registry_get(i)->desc, slot))
			return (int)i;
	return -1;
}

const struct vaccel_plugin *router_pick(const struct vaccel_session *sess,
					vaccel_op_type_t op)
{
	int pin = sess && sess->priv ? sess->priv->pin : -1;
	int i = router_pick_index(pin, op);
	if (i < 0) {
		vaccel_debug("session %lld: no plugin%s serves op %s",
			     sess ? (long long)sess->id : 0LL,
			     pin >= 0 ? " (pinned)" : "",
			     vaccel_op_name(op) ? vaccel_op_name(op) : "?");
		return NULL;
	}
	return &registry_get((size_t)i)->desc;
}

const char *vaccel_op_served_by(vaccel_op_type_t op, const char *pin)
{
	if (vaccel_ensure_bootstrapped())
		return NULL;
	int p = -1;
	if (pin && (p = registry_find(pin)) < 0)
		return NULL;
	int i = router_pick_index(p, op);
	return i < 0 ? NULL : registry_get((size_t)i)->desc.name;
}

int router_route(struct vaccel_session *sess, vaccel_op_type_t op,
		 const struct vaccel_plugin **out)
{
	if (!sess || !sess->priv || sess->id <= 0)
		return VACCEL_EINVAL;
	*out = router_pick(sess, op);
	if (!*out) {
		vaccel_warn("session %lld: no loaded plugin implements %s",
			    (long long)sess->id, vaccel_op_name(op) ? vaccel_op_name(op) : "?");
		return VACCEL_ENOTSUP;
	}
	vaccel_debug("session %lld: %s -> %s", (long long)sess->id, vaccel_op_name(op),
		     (*out)->name);
	return VACCEL_OK;
}
