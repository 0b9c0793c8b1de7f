/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The remote plugin as profiles name it "virtio": an agent at a virtqueue
 * address (virtio://, ivshmem://) by default, or at any address another
 * channel serves (unix://, tcp://, vsock://, serial://), and buffers in
 * the shared region for zero-copy arguments. The ops are remote.c's;
 * every listing of the plugin in a profile is an instance with its own
 * agent.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "transport/remote.h"

/* Instances alive: the environment's address goes to the first only. */
static int live_instances;

/* VACCEL_VIRTIO_ADDRESS names the region of the first instance only. */
static int virtio_init(const struct vaccel_plugin_options *opts, void **ctx)
{
	const char *addr = remote_address(opts, "VACCEL_VIRTIO_ADDRESS", &live_instances);
	struct remote *r;
	if (!remote_other_address(addr, &virtqueue_chan) &&
	    (!addr || (strncmp(addr, "virtio://", 9) && strncmp(addr, "ivshmem://", 10)) ||
	     strlen(addr) >= sizeof(r->address))) {
		vaccel_error("virtio: %s: set the virtio plugin's 'address' option or "
			     "VACCEL_VIRTIO_ADDRESS to virtio://SOCKET or ivshmem://FILE",
			     addr ? addr : "no address");
		return VACCEL_EINVAL;
	}
	int ret = remote_new("virtio", addr, &live_instances, &r);
	if (ret)
		return ret;
	if ((ret = remote_options(r, opts))) {
		remote_free(r);
		return ret;
	}
	*ctx = r;
	return VACCEL_OK;
}

/* Built into libvaccel (src/plugin.c lists it): profiles name it "virtio". */
const struct vaccel_plugin builtin_virtio_plugin = {
	.abi_version = VACCEL_PLUGIN_ABI_VERSION,
	.size = sizeof(struct vaccel_plugin),
	.name = "virtio",
	.version = PACKAGE_VERSION,
	.description = "runs every op on a host agent through a virtqueue in shared memory",
	.option_keys = remote_option_keys,
	.init = virtio_init,
	REMOTE_ENTRIES,
	.shm_alloc = remote_shm_alloc,
	.shm_free = remote_shm_free,
};
