/* SPDX-License-Identifier: Apache-2.0 */
/*
 * vaccel extension: the host agent. A transport plugin that can serve
 * exports, beside its plugin descriptor, a struct vaccel_agent_server named
 * VACCEL_AGENT_SYMBOL; `vaccel agent` finds it with vaccel_plugin_symbol().
 */
#ifndef VACCEL_AGENT_H
#define VACCEL_AGENT_H

#include <vaccel/types.h>

#define VACCEL_AGENT_SYMBOL "vaccel_agent_server"

struct vaccel_agent_config {
	const char *const *listen;  /* addresses: unix://, tcp://, vsock:// */
	size_t nr_listen;
	unsigned workers;           /* requests executed in parallel */
	uint32_t max_frame;         /* largest frame accepted, bytes */
	uint64_t max_resource;      /* largest resource accepted, bytes */
	unsigned socket_mode;       /* mode of UNIX sockets, e.g. 0600 */
	const char *token;          /* shared token TCP clients must present, or NULL */
};

struct vaccel_agent_status {
	char version[32];
	uint64_t uptime_ms;
	uint64_t connections;       /* open now */
	uint64_t sessions;          /* live now */
	uint64_t resources;         /* live now */
	uint64_t requests;          /* served since start */
};

struct vaccel_agent_server {
	uint32_t size;              /* sizeof at build time, for growth */
	/* Serve until SIGINT/SIGTERM; 0 on a clean stop. Messages go to the log. */
	int (*serve)(const struct vaccel_agent_config *cfg);
	/* Ask the agent at `address` for its status. */
	int (*status)(const char *address, const char *token,
		      struct vaccel_agent_status *out, char *err, size_t errlen);
};

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Find the plugin `plugin` as the loader would and return its exported
 * symbol `symbol` (the plugin stays loaded). VACCEL_ENOENT when either is
 * missing, with the reason in err.
 */
int vaccel_plugin_symbol(const char *plugin, const char *symbol, void **out,
			 char *err, size_t errlen);

#ifdef __cplusplus
}
#endif

#endif
