/* SPDX-License-Identifier: Apache-2.0 */
/* The agent's side of the handshake, the same on every channel (hello.c). */
#ifndef VACCEL_AGENT_HELLO_H
#define VACCEL_AGENT_HELLO_H

#include "agent/agent.h"

/* What a WELCOME's args point at: lives as long as the reply. */
struct agent_welcome {
	uint32_t version, max_frame;
	uint32_t ops[8];
};

/*
 * Answer a HELLO's args (the client's protocol version, its token): r gets
 * the WELCOME (its args point into w) and 0 is returned; or -1 with *why,
 * and r the refusal to send: VACCEL_EPERM for a missing or wrong token
 * (`token`: the one required, NULL when none is), VACCEL_EBACKEND with a
 * message naming both versions, or status 0 for a malformed HELLO (answered
 * with nothing).
 */
int agent_hello(const struct vaccel_wire_arg *args, int nargs, const char *token,
		uint32_t max_frame, struct agent_welcome *w, struct vaccel_agent_reply *r,
		const char **why);

/* A refusal with a message, as r's only arg. */
void agent_refuse(struct vaccel_agent_reply *r, int status, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
