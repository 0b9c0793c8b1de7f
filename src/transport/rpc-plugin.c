/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The rpc plugin: its options, its channel (a socket connection,
 * rpc-conn.c) and its descriptor. The ops are remote.c's, shared with
 * virtio; every listing of the plugin in a profile is an instance with its
 * own agent.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <vaccel/agent.h>
#include "transport/rpc.h"

static const char *const option_keys[] = { "address", "timeout-ms", "token-file", NULL };

static const struct chan_ops rpc_chan;

struct rpc_instance {
	struct remote remote;       /* first: the context remote.c receives */
	char *token;
	long timeout_ms;
};

/* Instances alive: the environment's address goes to the first only. */
static int live_instances;

static void rpc_fini(void *ctx)
{
	struct rpc_instance *x = ctx;
	remote_fini(&x->remote);
	free(x->token);
	free(x);
}

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
	struct rpc_instance *x = calloc(1, sizeof(*x));
	if (!x)
		return VACCEL_ENOMEM;
	remote_init(&x->remote, "rpc", &rpc_chan, addr, &live_instances);
	int ret = vaccel_plugin_option_long(opts, "timeout-ms", 30000, 1, 86400000L, &x->timeout_ms);
	const char *tf = vaccel_plugin_option(opts, "token-file");
	if (!ret && tf && (ret = vaccel_token_read(tf, &x->token))) {
		vaccel_plugin_option_error(opts, "token-file", "%s: %s", tf,
					   ret == VACCEL_EINVAL ? "empty" : strerror(ret));
		ret = VACCEL_EINVAL;
	}
	if (ret) {
		rpc_fini(x);
		return ret;
	}
	*ctx = x;
	return VACCEL_OK;
}

/* ---- the channel: one socket connection ---- */

static int rpc_chan_open(struct remote *r, struct chan **out)
{
	struct rpc_instance *x = (struct rpc_instance *)r;
	char err[512];
	int ret = rpc_conn_open(r->address, x->token, (int)x->timeout_ms, (struct rpc_conn **)out,
				err, sizeof(err));
	if (ret)
		vaccel_error("rpc: cannot reach the agent: %s", err);
	return ret;
}

static void rpc_chan_get(struct chan *c)
{
	rpc_conn_get((struct rpc_conn *)c);
}

static void rpc_chan_put(struct chan *c)
{
	rpc_conn_put((struct rpc_conn *)c);
}

static bool rpc_chan_alive(struct chan *c)
{
	return rpc_conn_alive((struct rpc_conn *)c);
}

static bool rpc_chan_probe(struct chan *c)
{
	return rpc_conn_probe((struct rpc_conn *)c);
}

static bool rpc_chan_serves(struct chan *c, uint32_t op)
{
	return rpc_conn_serves((struct rpc_conn *)c, op);
}

static int rpc_chan_call(struct chan *c, uint32_t op, const struct vaccel_wire_out *args,
			 size_t n, struct rpc_in *dst, size_t ndst)
{
	return rpc_call((struct rpc_conn *)c, op, args, n, dst, ndst);
}

static const struct chan_ops rpc_chan = {
	.open = rpc_chan_open,
	.get = rpc_chan_get,
	.put = rpc_chan_put,
	.alive = rpc_chan_alive,
	.probe = rpc_chan_probe,
	.serves = rpc_chan_serves,
	.call = rpc_chan_call,
};

/* Built into libvaccel (src/plugin.c lists it): profiles name it "rpc". */
const struct vaccel_plugin builtin_rpc_plugin = {
	.abi_version = VACCEL_PLUGIN_ABI_VERSION,
	.size = sizeof(struct vaccel_plugin),
	.name = "rpc",
	.version = PACKAGE_VERSION,
	.description = "runs every op on a host agent over a UNIX, TCP or VSOCK socket",
	.option_keys = option_keys,
	.init = rpc_init,
	.fini = rpc_fini,
	REMOTE_ENTRIES,
};
