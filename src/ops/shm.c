/* SPDX-License-Identifier: Apache-2.0 */
/* Zero-copy buffers: the session's transport region, else plain memory. */
#include <stdlib.h>
#include <vaccel/shm.h>
#include "../internal.h"

/* The plugin that keeps the session's shared region, if any. */
static const struct vaccel_plugin *region_owner(const struct vaccel_session *sess)
{
	int pin = sess->priv->pin;
	for (size_t i = 0; i < registry_count(); i++) {
		const struct vaccel_plugin *p = &registry_get(i)->desc;
		if ((pin < 0 || (size_t)pin == i) && p->ops.shm_alloc && p->ops.shm_free)
			return p;
	}
	return NULL;
}

void *vaccel_shm_alloc(struct vaccel_session *sess, size_t size)
{
	if (!sess || !sess->priv || !size)
		return NULL;
	const struct vaccel_plugin *p = region_owner(sess);
	if (p)
		return p->ops.shm_alloc(sess, size);
	void *mem = NULL;
	return posix_memalign(&mem, 64, size) ? NULL : mem;
}

int vaccel_shm_free(struct vaccel_session *sess, void *ptr)
{
	if (!sess || !sess->priv || !ptr)
		return VACCEL_EINVAL;
	const struct vaccel_plugin *p = region_owner(sess);
	if (p)
		return p->ops.shm_free(sess, ptr);
	free(ptr);
	return VACCEL_OK;
}
