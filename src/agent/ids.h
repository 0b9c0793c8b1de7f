/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The ids a connection sees (private to libvaccel's agent). The agent's
 * sessions and resources have process-wide ids, counted for every tenant;
 * a connection is handed its own instead, from a random base of its own,
 * so an id says nothing about other connections and is no use on them.
 */
#ifndef VACCEL_AGENT_IDS_H
#define VACCEL_AGENT_IDS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The most ids of one kind a connection is handed: base + n stays positive. */
#define AGENT_IDS_SPAN (INT64_C(1) << 40)

/* A connection's base: random in [0, 2^62), a multiple of AGENT_IDS_SPAN. */
int64_t agent_ids_base(void);

/* The connection's id for a process-wide one, or -1 when it has none. */
typedef int64_t (*agent_ids_map)(void *ctx, bool session, int64_t host_id);

/*
 * Copy a message for the client into out (NUL-terminated, truncated to
 * outlen), each "session N" and "resource N" in it naming the connection's
 * id for N ("?" where it has none), so no process-wide id leaves the agent.
 */
void agent_ids_rewrite(const char *msg, char *out, size_t outlen, agent_ids_map map, void *ctx);

#endif
