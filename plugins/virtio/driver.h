/* SPDX-License-Identifier: Apache-2.0 */
/* The virtio driver's channel, as plugin.c opens and uses it. */
#ifndef VACCEL_VIRTIO_DRIVER_H
#define VACCEL_VIRTIO_DRIVER_H

#include "virtio.h"
#include "../rpc/remote.h"

int virtio_chan_open(const char *address, int timeout_ms, unsigned spin_us, struct chan **out,
		     char *err, size_t errlen);
/* A buffer inside the region (NULL when it does not fit), and back. */
void *virtio_chan_alloc(struct chan *c, size_t size);
int virtio_chan_free(struct chan *c, void *p);

#endif
