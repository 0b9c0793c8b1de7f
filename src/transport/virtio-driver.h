/* SPDX-License-Identifier: Apache-2.0 */
/* The virtio driver's channel, as virtio-plugin.c opens and uses it. */
#ifndef VACCEL_VIRTIO_DRIVER_H
#define VACCEL_VIRTIO_DRIVER_H

#include "wire/virtio.h"
#include "transport/remote.h"

int virtio_chan_open(const char *address, int timeout_ms, unsigned spin_us, struct chan **out,
		     char *err, size_t errlen);
void virtio_chan_get(struct chan *c);
void virtio_chan_put(struct chan *c);
bool virtio_chan_alive(struct chan *c);
bool virtio_chan_probe(struct chan *c);
int virtio_chan_call(struct chan *c, uint32_t op, const struct vaccel_wire_out *args, size_t n,
		     struct rpc_in *dst, size_t ndst);
/* A buffer inside the region (NULL when it does not fit), and back. */
void *virtio_chan_alloc(struct chan *c, size_t size);
int virtio_chan_free(struct chan *c, void *p);

#endif
