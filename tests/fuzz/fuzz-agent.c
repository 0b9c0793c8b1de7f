/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libFuzzer harness: the agent's request executor end to end. The input is
 * the byte stream one connection sends (frames back to back, as
 * tests/fuzz/corpus/agent holds them, recorded from real clients); each
 * frame is checked and decoded as the rpc server's reader does, and a
 * request runs through vaccel_agent_execute() on the noop plugin (no exec,
 * no network): session and resource tables, uploads to the store, the op
 * table's checks, the policy, the plugin call. A HELLO starts a new client
 * on the stream, as on a virtio-serial port; the stream's end closes the
 * connection, which must release everything it created (LeakSanitizer).
 */
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "agent/agent.h"
#include "internal.h"

#define MAX_FRAME (1u << 20)

static const struct vaccel_agent_limits limits = { MAX_FRAME, MAX_FRAME };

/* The noop plugin built for this harness sits beside it (Makefile.am). */
static void boot_noop(const char *argv0)
{
	char exe[PATH_MAX], profile[PATH_MAX + 32], err[VACCEL_ERRBUF];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n <= 0)
		snprintf(exe, sizeof(exe), "%s", argv0);
	else
		exe[n] = '\0';
	const char *tmp = getenv("TMPDIR");
	snprintf(profile, sizeof(profile), "%s/vaccel-fuzz-agent-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	int fd = mkstemp(profile);
	FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
	if (!f)
		abort();
	fprintf(f, "version: 1\nplugins:\n  - path: %s/libvaccel-noop.so\n", dirname(exe));
	fclose(f);
	int ret = vaccel_bootstrap_profile(profile, 0, err, sizeof(err));
	unlink(profile);
	if (ret) {
		fprintf(stderr, "fuzz-agent: %s\n", err);
		abort();
	}
	log_quiet(true); /* errors are the expected outcome of most inputs */
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	boot_noop((*argv)[0]);
	/* Ids 1, 2, ... as in the seeds, each recorded from a fresh agent. */
	vaccel_agent_sequential_ids(true);
	/* Every client released its uploads: the store's directory goes too. */
	atexit(vaccel_agent_shutdown);
	return 0;
}

/*
 * As the rpc server does: an output sent with data is used in place, the
 * others get zeroed buffers, bounded like a frame.
 */
static int place_outputs(struct vaccel_wire_arg *args, int nargs, void **owned, size_t *nowned)
{
	uint64_t bytes = 0;
	*nowned = 0;
	for (int i = 0; i < nargs; i++) {
		struct vaccel_wire_arg *a = &args[i];
		if (!(a->flags & VACCEL_WIRE_ARG_WRITE) || (a->flags & VACCEL_WIRE_ARG_DATA))
			continue;
		if (a->size > MAX_FRAME - bytes)
			return EFBIG;
		bytes += a->size;
		if (!(a->data = calloc(1, a->size ? a->size : 1)))
			return VACCEL_ENOMEM;
		owned[(*nowned)++] = a->data;
	}
	return VACCEL_OK;
}

/* Every reply arg lies in the reply, in the frame or in an output buffer. */
static void check_reply(const struct vaccel_agent_reply *r)
{
	if (r->n > VACCEL_WIRE_MAX_ARGS)
		abort();
	for (size_t i = 0; i < r->n; i++)
		if (r->args[i].size && !r->args[i].data)
			abort();
}

/* One request frame: decode its payload, run it, free what it took. */
static void run_request(struct vaccel_agent_client *c, const struct vaccel_wire_hdr *h,
			const unsigned char *bytes)
{
	/* A copy of its own, as read from a socket: ASan sees any overrun. */
	unsigned char *payload = malloc(h->len ? h->len : 1);
	memcpy(payload, bytes, h->len);
	struct vaccel_wire_arg args[VACCEL_WIRE_MAX_ARGS];
	void *owned[VACCEL_WIRE_MAX_ARGS];
	size_t nowned = 0;
	const char *why;
	int n = vaccel_wire_args_decode(payload, h->len, h->nargs, args, VACCEL_WIRE_MAX_ARGS, &why);
	if (n >= 0 && !place_outputs(args, n, owned, &nowned)) {
		struct vaccel_agent_reply r;
		vaccel_agent_execute(c, h->op, args, n, &r);
		check_reply(&r);
	}
	for (size_t i = 0; i < nowned; i++)
		free(owned[i]);
	free(payload);
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	struct vaccel_agent_client *c = vaccel_agent_client_new(&limits);
	if (!c)
		abort();
	while (size >= VACCEL_WIRE_HDR_SIZE) {
		struct vaccel_wire_hdr h;
		const char *why;
		if (vaccel_wire_hdr_decode(data, MAX_FRAME, &h, &why))
			break;
		data += VACCEL_WIRE_HDR_SIZE, size -= VACCEL_WIRE_HDR_SIZE;
		if (h.len > size)
			break; /* truncated: the connection closes */
		if (h.type == VACCEL_WIRE_HELLO) {
			vaccel_agent_client_free(c);
			if (!(c = vaccel_agent_client_new(&limits)))
				abort();
		} else if (h.type != VACCEL_WIRE_REQUEST || h.op == 0 || h.op >= VACCEL_WIRE_OP_MAX) {
			break;
		} else {
			run_request(c, &h, data);
		}
		data += h.len, size -= h.len;
	}
	vaccel_agent_client_free(c);
	return 0;
}
