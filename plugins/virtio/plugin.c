/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The virtio plugin: its options, its channel (a virtqueue in a shared
 * region, driver.c), buffers in that region for zero-copy arguments, and
 * its descriptor. The ops are remote.c's, shared with rpc.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "driver.h"

const char remote_name[] = "virtio";

static const char *const option_keys[] = { "address", "timeout-ms", "spin-us", NULL };

static char address[300];
static long timeout_ms, spin_us;

static int virtio_init(const struct vaccel_plugin_options *opts)
{
	const char *env = getenv("VACCEL_VIRTIO_ADDRESS");
	const char *addr = env && *env ? env : vaccel_plugin_option(opts, "address");
	if (!addr || (strncmp(addr, "virtio://", 9) && strncmp(addr, "ivshmem://", 10)) ||
	    strlen(addr) >= sizeof(address)) {
		vaccel_error("virtio: %s: set the virtio plugin's 'address' option or "
			     "VACCEL_VIRTIO_ADDRESS to virtio://SOCKET or ivshmem://FILE",
			     addr ? addr : "no address");
		return VACCEL_EINVAL;
	}
	snprintf(address, sizeof(address), "%s", addr);
	int ret = vaccel_plugin_option_long(opts, "timeout-ms", 30000, 1, 86400000L, &timeout_ms);
	if (!ret)
		ret = vaccel_plugin_option_long(opts, "spin-us", VIRTIO_DEFAULT_SPIN_US, 0, 1000000L,
						&spin_us);
	return ret;
}

static void virtio_fini(void)
{
	remote_fini();
}

int chan_open(struct chan **out)
{
	char err[512];
	int ret = virtio_chan_open(address, (int)timeout_ms, (unsigned)spin_us, out, err, sizeof(err));
	if (ret)
		vaccel_error("virtio: cannot reach the agent: %s", err);
	return ret;
}

static void *virtio_shm_alloc(struct vaccel_session *sess, size_t size)
{
	struct chan *c = remote_session_chan(sess);
	return c ? virtio_chan_alloc(c, size) : NULL;
}

static int virtio_shm_free(struct vaccel_session *sess, void *p)
{
	struct chan *c = remote_session_chan(sess);
	return c ? virtio_chan_free(c, p) : VACCEL_EINVAL;
}

VACCEL_PLUGIN_DEFINE(
	.name = "virtio",
	.version = PACKAGE_VERSION,
	.description = "runs every op on a host agent through a virtqueue in shared memory",
	.option_keys = option_keys,
	.init = virtio_init,
	.fini = virtio_fini,
	.session_init = remote_session_init,
	.session_release = remote_session_release,
	.ops = {
		REMOTE_OPS,
		.shm_alloc = virtio_shm_alloc,
		.shm_free = virtio_shm_free,
	});
