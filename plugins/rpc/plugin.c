/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The rpc plugin: its options, its channel (a socket connection, conn.c)
 * and its descriptor. The ops are remote.c's, shared with virtio.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "rpc.h"

const char remote_name[] = "rpc";

static const char *const option_keys[] = { "address", "timeout-ms", "token-file", NULL };

static char address[300];
static char *token;
static long timeout_ms;

static int rpc_init(const struct vaccel_plugin_options *opts)
{
	const char *env = getenv("VACCEL_RPC_ADDRESS");
	const char *addr = env && *env ? env : vaccel_plugin_option(opts, "address");
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
	snprintf(address, sizeof(address), "%s", addr);
	int ret = vaccel_plugin_option_long(opts, "timeout-ms", 30000, 1, 86400000L, &timeout_ms);
	if (ret)
		return ret;
	const char *tf = vaccel_plugin_option(opts, "token-file");
	free(token);
	token = NULL;
	if (tf && (ret = vaccel_token_read(tf, &token))) {
		vaccel_plugin_option_error(opts, "token-file", "%s: %s", tf,
					   ret == VACCEL_EINVAL ? "empty" : strerror(ret));
		return VACCEL_EINVAL;
	}
	return VACCEL_OK;
}

static void rpc_fini(void)
{
	remote_fini();
	free(token);
	token = NULL;
}

/* ---- the channel: one socket connection ---- */

int chan_open(struct chan **out)
{
	char err[512];
	int ret = rpc_conn_open(address, token, (int)timeout_ms, (struct rpc_conn **)out, err,
				sizeof(err));
	if (ret)
		vaccel_error("rpc: cannot reach the agent: %s", err);
	return ret;
}

void chan_get(struct chan *c)
{
	rpc_conn_get((struct rpc_conn *)c);
}

void chan_put(struct chan *c)
{
	rpc_conn_put((struct rpc_conn *)c);
}

bool chan_alive(struct chan *c)
{
	return rpc_conn_alive((struct rpc_conn *)c);
}

int chan_call(struct chan *c, uint32_t op, const struct vaccel_wire_out *args, size_t n,
	      struct rpc_in *dst, size_t ndst)
{
	return rpc_call((struct rpc_conn *)c, op, args, n, dst, ndst);
}

VACCEL_PLUGIN_DEFINE(
	.name = "rpc",
	.version = PACKAGE_VERSION,
	.description = "runs every op on a host agent over a UNIX, TCP or VSOCK socket",
	.option_keys = option_keys,
	.init = rpc_init,
	.fini = rpc_fini,
	.session_init = remote_session_init,
	.session_release = remote_session_release,
	.ops = { REMOTE_OPS });
