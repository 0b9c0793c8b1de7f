/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The remote plugin as profiles name it "rpc": an agent at a socket
 * address (unix://, tcp://, vsock://, serial://) by default, or at any
 * address another channel serves (virtio://, ivshmem://). The ops are
 * remote.c's; every listing of the plugin in a profile is an instance
 * with its own agent.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "transport/remote.h"

/* Instances alive: the environment's address goes to the first only. */
static int live_instances;

/* VACCEL_RPC_ADDRESS names the agent of the first instance only. */
static int rpc_init(const struct vaccel_plugin_options *opts, void **ctx)
{
	const char *addr = remote_address(opts, "VACCEL_RPC_ADDRESS", &live_instances);
	if (!addr) {
		vaccel_error("rpc: no agent address: set the rpc plugin's 'address' option "
			     "or VACCEL_RPC_ADDRESS");
		return VACCEL_EINVAL;
	}
	struct vaccel_addr a;
	const char *why;
	if (!remote_other_address(addr, &socket_chan) && vaccel_addr_parse(addr, &a, &why)) {
		vaccel_error("rpc: address '%s': %s", addr, why);
		return VACCEL_EINVAL;
	}
	struct remote *r;
	int ret = remote_new("rpc", addr, &live_instances, &r);
	if (ret)
		return ret;
	if ((ret = remote_options(r, opts))) {
		remote_free(r);
		return ret;
	}
	*ctx = r;
	return VACCEL_OK;
}

/* Built into libvaccel (src/plugin.c lists it): profiles name it "rpc". */
const struct vaccel_plugin builtin_rpc_plugin = {
	.abi_version = VACCEL_PLUGIN_ABI_VERSION,
	.size = sizeof(struct vaccel_plugin),
	.name = "rpc",
	.version = PACKAGE_VERSION,
	.description = "runs every op on a host agent over a UNIX, TCP or VSOCK socket",
	.option_keys = remote_option_keys,
	.init = rpc_init,
	REMOTE_ENTRIES,
};
