/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The agent as the public API starts it: its addresses go to the transport
 * that serves their scheme, every transport shares one worker pool, and a
 * failure to start leaves nothing listening.
 */
#include <stdio.h>
#include <string.h>
#include "agent/agent.h"
#include "transport/chan.h"
#include "../internal.h"

#define AGENT_MAX_LISTEN 16
#define AGENT_DEFAULT_MAX_INFLIGHT 32
#define AGENT_DEFAULT_SEND_TIMEOUT_MS 30000
#define AGENT_DEFAULT_HANDSHAKE_TIMEOUT_MS 10000
#define AGENT_DEFAULT_MAX_CONNECTIONS 1024
#define AGENT_DEFAULT_MAX_CONNECTIONS_PER_PEER 64
/* The status request: a bounded wait, and the channels' usual spin. */
#define STATUS_TIMEOUT_MS 5000
#define STATUS_SPIN_US 50

static const struct agent_transport *const transports[] = {
	&agent_socket_server,
	&agent_virtio_device,
};

#define NR_TRANSPORTS ARRAY_SIZE(transports)

/* Each transport keeps a pointer to its settings: they live until stop. */
static struct {
	bool started;
	struct vaccel_agent_config cfg;
	const char *addrs[AGENT_MAX_LISTEN];
} per[NR_TRANSPORTS];

/* The transport whose scheme starts the address, or -1. */
static int transport_of(const char *address)
{
	const char *sep = strstr(address, "://");
	size_t n = sep ? (size_t)(sep - address) : 0;
	for (size_t t = 0; t < NR_TRANSPORTS; t++)
		for (const char *const *s = transports[t]->schemes; *s; s++)
			if (strlen(*s) == n && !strncmp(*s, address, n))
				return (int)t;
	return -1;
}

int vaccel_agent_start(const struct vaccel_agent_config *cfg)
{
	if (!cfg || !cfg->nr_listen || cfg->nr_listen > AGENT_MAX_LISTEN) {
		vaccel_error("agent: give 1 to %d addresses to listen on", AGENT_MAX_LISTEN);
		return VACCEL_EINVAL;
	}
	for (size_t t = 0; t < NR_TRANSPORTS; t++) {
		per[t].cfg = *cfg;
		if (!per[t].cfg.max_inflight)
			per[t].cfg.max_inflight = AGENT_DEFAULT_MAX_INFLIGHT;
		if (!per[t].cfg.send_timeout_ms)
			per[t].cfg.send_timeout_ms = AGENT_DEFAULT_SEND_TIMEOUT_MS;
		if (!per[t].cfg.handshake_timeout_ms)
			per[t].cfg.handshake_timeout_ms = AGENT_DEFAULT_HANDSHAKE_TIMEOUT_MS;
		if (!per[t].cfg.max_connections)
			per[t].cfg.max_connections = AGENT_DEFAULT_MAX_CONNECTIONS;
		if (!per[t].cfg.max_connections_per_peer)
			per[t].cfg.max_connections_per_peer = AGENT_DEFAULT_MAX_CONNECTIONS_PER_PEER;
		per[t].cfg.listen = per[t].addrs;
		per[t].cfg.nr_listen = 0;
	}
	for (size_t i = 0; i < cfg->nr_listen; i++) {
		int t = transport_of(cfg->listen[i]);
		if (t < 0) {
			vaccel_error("agent: address '%s': unknown scheme (expected unix://, tcp://, "
				     "vsock://, virtio:// or ivshmem://)", cfg->listen[i]);
			return VACCEL_EINVAL;
		}
		per[t].addrs[per[t].cfg.nr_listen++] = cfg->listen[i];
	}
	int ret = vaccel_agent_pool_start(cfg->workers);
	for (size_t t = 0; !ret && t < NR_TRANSPORTS; t++)
		if (per[t].cfg.nr_listen && !(ret = transports[t]->start(&per[t].cfg)))
			per[t].started = true;
	if (ret)
		vaccel_agent_stop();
	return ret;
}

void vaccel_agent_stop(void)
{
	/* Requests in flight are answered, but a long one gives up now. */
	__atomic_store_n(&plugin_stopping_flag, true, __ATOMIC_RELEASE);
	for (size_t t = NR_TRANSPORTS; t-- > 0;)
		if (per[t].started) {
			transports[t]->stop();
			per[t].started = false;
		}
	vaccel_agent_shutdown();
	__atomic_store_n(&plugin_stopping_flag, false, __ATOMIC_RELEASE);
}

/* The status request, as a client of the agent on its channel: one call, gone. */
static int ask_status(const struct chan_ops *kind, const char *address, const char *token,
		      struct vaccel_agent_status *out, char *err, size_t errlen)
{
	const struct chan_options o = { .token = token, .timeout_ms = STATUS_TIMEOUT_MS,
					.spin_us = STATUS_SPIN_US };
	struct chan *c;
	if (!kind) {
		snprintf(err, errlen, "'%s': no channel serves this scheme", address);
		return VACCEL_EINVAL;
	}
	int ret = kind->open(address, &o, &c, err, errlen);
	if (ret)
		return ret;
	memset(out, 0, sizeof(*out));
	struct rpc_in dst[] = { { out->version, sizeof(out->version) - 1 }, { &out->uptime_ms, 8 },
				{ &out->connections, 8 }, { &out->sessions, 8 },
				{ &out->resources, 8 }, { &out->requests, 8 } };
	ret = kind->call(c, VACCEL_WIRE_STATUS, NULL, 0, dst, 6);
	kind->put(c);
	if (ret)
		snprintf(err, errlen, "%s: status request failed: %s", address, vaccel_strerror(ret));
	return ret;
}

int vaccel_agent_status(const char *address, const char *token,
			struct vaccel_agent_status *out, char *err, size_t errlen)
{
	if (!address || !out)
		return VACCEL_EINVAL;
	int t = transport_of(address);
	if (t < 0) {
		snprintf(err, errlen, "'%s': unknown scheme (unix://, tcp://, vsock:// or virtio://)",
			 address);
		return VACCEL_EINVAL;
	}
	/* An ivshmem region has one driver, the guest's: no second one may attach. */
	if (!strncmp(address, "ivshmem://", 10)) {
		snprintf(err, errlen, "%s: the guest is this region's only driver; ask the "
			 "agent at one of its virtio:// or rpc addresses", address);
		return VACCEL_EINVAL;
	}
	return ask_status(chan_kind(address), address, token, out, err, errlen);
}
