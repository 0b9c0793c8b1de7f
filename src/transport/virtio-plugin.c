/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The virtio plugin: its options, its channel (a virtqueue in a shared
 * region, driver.c), buffers in that region for zero-copy arguments, and
 * its descriptor. The ops are remote.c's, shared with rpc; every listing
 * of the plugin in a profile is an instance with its own region.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "transport/virtio-driver.h"

static const char *const option_keys[] = { "address", "timeout-ms", "spin-us", NULL };

static const struct chan_ops virtio_chan;

struct virtio_instance {
	struct remote remote;       /* first: the context remote.c receives */
	long timeout_ms, spin_us;
};

/* Instances alive: the environment's address goes to the first only. */
static int live_instances;

static void virtio_fini(void *ctx);

/* VACCEL_VIRTIO_ADDRESS names the region of the first instance only. */
static int virtio_init(const struct vaccel_plugin_options *opts, void **ctx)
{
	const char *addr = remote_address(opts, "VACCEL_VIRTIO_ADDRESS", &live_instances);
	struct virtio_instance *x;
	if (!addr || (strncmp(addr, "virtio://", 9) && strncmp(addr, "ivshmem://", 10)) ||
	    strlen(addr) >= sizeof(x->remote.address)) {
		vaccel_error("virtio: %s: set the virtio plugin's 'address' option or "
			     "VACCEL_VIRTIO_ADDRESS to virtio://SOCKET or ivshmem://FILE",
			     addr ? addr : "no address");
		return VACCEL_EINVAL;
	}
	if (!(x = calloc(1, sizeof(*x))))
		return VACCEL_ENOMEM;
	remote_init(&x->remote, "virtio", &virtio_chan, addr, &live_instances);
	int ret = vaccel_plugin_option_long(opts, "timeout-ms", 30000, 1, 86400000L, &x->timeout_ms);
	if (!ret)
		ret = vaccel_plugin_option_long(opts, "spin-us", VIRTIO_DEFAULT_SPIN_US, 0, 1000000L,
						&x->spin_us);
	if (ret) {
		virtio_fini(x);
		return ret;
	}
	*ctx = x;
	return VACCEL_OK;
}

static void virtio_fini(void *ctx)
{
	struct virtio_instance *x = ctx;
	remote_fini(&x->remote);
	free(x);
}

static int virtio_open(struct remote *r, struct chan **out)
{
	struct virtio_instance *x = (struct virtio_instance *)r;
	char err[512];
	int ret = virtio_chan_open(r->address, (int)x->timeout_ms, (unsigned)x->spin_us, out, err,
				   sizeof(err));
	if (ret)
		vaccel_error("virtio: cannot reach the agent: %s", err);
	return ret;
}

/* The device side serves what its agent's plugins serve, and says ENOTSUP. */
static bool virtio_serves(struct chan *c, uint32_t op)
{
	(void)c; (void)op;
	return true;
}

static const struct chan_ops virtio_chan = {
	.open = virtio_open,
	.get = virtio_chan_get,
	.put = virtio_chan_put,
	.alive = virtio_chan_alive,
	.probe = virtio_chan_probe,
	.serves = virtio_serves,
	.call = virtio_chan_call,
};

static void *virtio_shm_alloc(void *ctx, struct vaccel_session *sess, size_t size)
{
	struct chan *c = remote_session_chan(ctx, sess);
	return c ? virtio_chan_alloc(c, size) : NULL;
}

static int virtio_shm_free(void *ctx, struct vaccel_session *sess, void *p)
{
	struct chan *c = remote_session_chan(ctx, sess);
	return c ? virtio_chan_free(c, p) : VACCEL_EINVAL;
}

/* Built into libvaccel (src/plugin.c lists it): profiles name it "virtio". */
const struct vaccel_plugin builtin_virtio_plugin = {
	.abi_version = VACCEL_PLUGIN_ABI_VERSION,
	.size = sizeof(struct vaccel_plugin),
	.name = "virtio",
	.version = PACKAGE_VERSION,
	.description = "runs every op on a host agent through a virtqueue in shared memory",
	.option_keys = option_keys,
	.init = virtio_init,
	.fini = virtio_fini,
	REMOTE_ENTRIES,
	.shm_alloc = virtio_shm_alloc,
	.shm_free = virtio_shm_free,
};
