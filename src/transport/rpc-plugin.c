/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The remote plugin as profiles name it "rpc": an agent at a socket
 * address (unix://, tcp://, vsock://, serial://), with its options. The
 * ops are remote.c's, on the socket channel; every listing of the plugin
 * in a profile is an instance with its own agent.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <vaccel/agent.h>
#include "transport/remote.h"

static const char *const option_keys[] = { "address", "timeout-ms", "token-file", NULL };

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
	if (vaccel_addr_parse(addr, &a, &why)) {
		vaccel_error("rpc: address '%s': %s", addr, why);
		return VACCEL_EINVAL;
	}
	struct remote *r;
	int ret = remote_new("rpc", addr, &live_instances, &r);
	if (ret)
		return ret;
	long timeout_ms = 30000;
	ret = vaccel_plugin_option_long(opts, "timeout-ms", 30000, 1, 86400000L, &timeout_ms);
	r->opts.timeout_ms = (int)timeout_ms;
	const char *tf = vaccel_plugin_option(opts, "token-file");
	if (!ret && tf && (ret = vaccel_token_read(tf, &r->token))) {
		vaccel_plugin_option_error(opts, "token-file", "%s: %s", tf,
					   ret == VACCEL_EINVAL ? "empty" : strerror(ret));
		ret = VACCEL_EINVAL;
	}
	r->opts.token = r->token;
	if (ret) {
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
	.option_keys = option_keys,
	.init = rpc_init,
	REMOTE_ENTRIES,
};
