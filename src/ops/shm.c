/* SPDX-License-Identifier: Apache-2.0 */
/* Zero-copy buffers: the session's transport region, else plain memory. */
#include <stdlib.h>
#include <vaccel/shm.h>
#include "../internal.h"

/* The instance that keeps the session's shared region, if any. */
static struct vaccel_loaded_plugin *region_owner(const struct vaccel_session *sess)
{
	const struct vaccel_session_priv *pv = sess->priv;
	for (size_t i = 0; i < registry_count() && i < pv->nr_instances; i++) {
		struct vaccel_loaded_plugin *p = registry_get(i);
		if ((pv->pin < 0 || (size_t)pv->pin == i) && pv->inited[i] &&
		    p->desc.shm_alloc && p->desc.shm_free)
			return p;
	}
	return NULL;
}

void *vaccel_shm_alloc(struct vaccel_session *sess, size_t size)
{
	if (!sess || !sess->priv || !size)
		return NULL;
	struct vaccel_loaded_plugin *p = region_owner(sess);
	if (p)
		return p->desc.shm_alloc(p->ctx, sess, size);
	void *mem = NULL;
	return posix_memalign(&mem, 64, size) ? NULL : mem;
}

int vaccel_shm_free(struct vaccel_session *sess, void *ptr)
{
	if (!sess || !sess->priv || !ptr)
		return VACCEL_EINVAL;
	struct vaccel_loaded_plugin *p = region_owner(sess);
	if (p)
		return p->desc.shm_free(p->ctx, sess, ptr);
	free(ptr);
	return VACCEL_OK;
}
