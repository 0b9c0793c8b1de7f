/* SPDX-License-Identifier: Apache-2.0 */
/*
 * vaccel extension: the host agent. It serves this process's plugins to
 * clients over rpc (unix://, tcp://, vsock:// sockets) and virtio
 * (virtio://, ivshmem:// regions); `vaccel agent` is its command. The
 * protocol is in vaccel-protocol(7).
 */
#ifndef VACCEL_AGENT_H
#define VACCEL_AGENT_H

#include <vaccel/types.h>

struct vaccel_agent_config {
	const char *const *listen;  /* addresses: unix://, tcp://, vsock://, virtio://, ivshmem:// */
	size_t nr_listen;
	unsigned workers;           /* requests executed in parallel, all transports */
	uint32_t max_frame;         /* largest frame accepted, bytes */
	uint64_t max_resource;      /* largest resource accepted, bytes */
	unsigned socket_mode;       /* mode of UNIX sockets, e.g. 0600 */
	const char *token;          /* shared token TCP clients must present, or NULL */
	unsigned max_inflight;      /* requests of one connection awaiting replies; 0: 32 */
	unsigned send_timeout_ms;   /* a reply not taken by then cuts the client off; 0: 30000 */
	unsigned handshake_timeout_ms; /* a peer silent that long after connecting is dropped; 0: 10000 */
	unsigned max_connections;   /* open at once, all rpc listeners; 0: 1024 */
	unsigned max_connections_per_peer; /* from one TCP address or one UNIX uid; 0: 64 */
};

struct vaccel_agent_status {
	char version[32];
	uint64_t uptime_ms;
	uint64_t connections;       /* open now */
	uint64_t sessions;          /* live now */
	uint64_t resources;         /* live now */
	uint64_t requests;          /* served since start */
};

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Serve on every address of cfg, in background threads, until
 * vaccel_agent_stop(). One agent per process; cfg's strings must stay
 * valid until then. VACCEL_EINVAL for an address
 * no transport serves (the reason is logged); on any failure nothing is
 * left listening.
 */
int vaccel_agent_start(const struct vaccel_agent_config *cfg);
/*
 * Stop accepting, finish and answer the requests in flight, release every
 * client's sessions and resources, remove socket files.
 */
void vaccel_agent_stop(void);
/*
 * Ask the agent at one of its addresses (unix://, tcp://, vsock:// or
 * virtio://; not ivshmem://, whose region is the guest's) for its status;
 * the reason in err on failure.
 */
int vaccel_agent_status(const char *address, const char *token,
			struct vaccel_agent_status *out, char *err, size_t errlen);
/*
 * A shared token: the first line of `path`, without its newline, into a
 * malloc'd *token. 0, an errno, or VACCEL_EINVAL when the line is empty.
 */
int vaccel_token_read(const char *path, char **token);

#ifdef __cplusplus
}
#endif

#endif
