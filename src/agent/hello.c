/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The agent's answer to a client's HELLO, on every channel (sockets and
 * the virtqueue): the protocol version must be ours, the token the one
 * required (sockets decide when one is), and the WELCOME carries our
 * version, frame limit, package version and the bitmap of the ops our
 * plugins serve, which the client routes by.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "agent/hello.h"
#include "transport/chan.h"

static bool token_ok(const char *want, const struct vaccel_wire_arg *a)
{
	size_t n = strlen(want);
	if (!a->data || a->size != n)
		return false;
	/* Constant time: do not leak how much of the token matched. */
	unsigned char diff = 0;
	for (size_t i = 0; i < n; i++)
		diff |= (unsigned char)(((const char *)a->data)[i] ^ want[i]);
	return diff == 0;
}

void agent_refuse(struct vaccel_agent_reply *r, int status, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(r->message, sizeof(r->message), fmt, ap);
	va_end(ap);
	r->status = status;
	r->args[0] = (struct vaccel_wire_out){ VACCEL_ARG_STRING, VACCEL_WIRE_ARG_DATA, r->message,
					       strlen(r->message) + 1 };
	r->n = 1;
}

static void welcome(uint32_t max_frame, struct agent_welcome *w, struct vaccel_agent_reply *r)
{
	static const char name[] = PACKAGE_VERSION;
	*w = (struct agent_welcome){ VACCEL_WIRE_VERSION, max_frame, { 0 } };
	for (uint32_t op = 0; op < VACCEL_OP_MAX && op < 256; op++)
		if (vaccel_op_served_by(op, NULL))
			w->ops[op / 32] |= 1u << (op % 32);
	r->args[r->n++] = rpc_u32(&w->version);
	r->args[r->n++] = rpc_u32(&w->max_frame);
	r->args[r->n++] = (struct vaccel_wire_out){ VACCEL_ARG_STRING, VACCEL_WIRE_ARG_DATA, name,
						    sizeof(name) };
	r->args[r->n++] = (struct vaccel_wire_out){ VACCEL_ARG_UINT32_ARRAY, VACCEL_WIRE_ARG_DATA,
						    w->ops, sizeof(w->ops) };
}

int agent_hello(const struct vaccel_wire_arg *args, int nargs, const char *token,
		uint32_t max_frame, struct agent_welcome *w, struct vaccel_agent_reply *r,
		const char **why)
{
	uint32_t version = 0;
	*r = (struct vaccel_agent_reply){ 0 };
	if (nargs != 2 || !vaccel_wire_arg_u32(&args[0], &version)) {
		*why = "expected HELLO";
		return -1;
	}
	if (version != VACCEL_WIRE_VERSION) {
		*why = "unsupported protocol version in HELLO";
		agent_refuse(r, VACCEL_EBACKEND, "the agent speaks protocol version %u, the "
			     "client %u: update the older one", VACCEL_WIRE_VERSION, version);
		return -1;
	}
	/* A refused peer learns nothing of the agent: no version, no op list. */
	if (token && !token_ok(token, &args[1])) {
		r->status = VACCEL_EPERM;
		*why = "bad or missing token";
		return -1;
	}
	welcome(max_frame, w, r);
	return 0;
}
