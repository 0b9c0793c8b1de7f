/* SPDX-License-Identifier: Apache-2.0 */
/* The rpc transport: the socket channel (rpc-conn.c), used by the client and the agent's status. */
#ifndef VACCEL_RPC_H
#define VACCEL_RPC_H

#include <vaccel/plugin.h>
#include "wire/socket.h"
#include "wire/wire.h"
#include "transport/remote.h"

struct rpc_conn;

/* Connect, say hello (token may be NULL); the connection starts with one ref. */
int rpc_conn_open(const char *address, const char *token, int timeout_ms,
		  struct rpc_conn **out, char *err, size_t errlen);
void rpc_conn_get(struct rpc_conn *c);
void rpc_conn_put(struct rpc_conn *c);
/* Known dead (cheap) / found dead (probes the socket between calls). */
bool rpc_conn_alive(struct rpc_conn *c);
bool rpc_conn_probe(struct rpc_conn *c);
/* Whether the agent's handshake listed op. */
bool rpc_conn_serves(struct rpc_conn *c, uint32_t op);

/*
 * One round trip: send op with args, wait (bounded) for the reply, land
 * its args in dst. Returns the agent's status, or a transport error
 * (VACCEL_EIO when the connection died, VACCEL_ETIMEDOUT).
 */
int rpc_call(struct rpc_conn *c, uint32_t op, const struct vaccel_wire_out *args, size_t n,
	     struct rpc_in *dst, size_t ndst);


#endif
