/* SPDX-License-Identifier: Apache-2.0 */
/* Transport addresses, in vAccel's forms. */
#include <stdlib.h>
#include <string.h>
#include "wire/wire.h"
#include <vaccel/error.h>

static int parse_port(const char *s, uint16_t *port)
{
	char *end;
	long v = strtol(s, &end, 10);
	if (!*s || *end || v < 1 || v > 65535)
		return -1;
	*port = (uint16_t)v;
	return 0;
}

static int parse_unix(const char *rest, struct vaccel_addr *a, const char **why)
{
	/* unix:///abs/path and unix://rel/path: everything after "//". */
	if (!*rest) {
		*why = "empty socket path";
		return VACCEL_EINVAL;
	}
	if (strlen(rest) >= sizeof(a->path)) {
		*why = "socket path longer than 107 bytes";
		return VACCEL_EINVAL;
	}
	a->kind = VACCEL_ADDR_UNIX;
	strcpy(a->path, rest);
	return VACCEL_OK;
}

static int parse_tcp(const char *rest, struct vaccel_addr *a, const char **why)
{
	const char *colon;
	size_t hostlen;
	if (rest[0] == '[') { /* [v6]:port */
		const char *close = strchr(rest, ']');
		if (!close || close[1] != ':') {
			*why = "expected tcp://[IPV6]:PORT";
			return VACCEL_EINVAL;
		}
		hostlen = (size_t)(close - rest - 1);
		colon = close + 1;
		rest++;
	} else {
		colon = strrchr(rest, ':');
		if (!colon || strchr(rest, ':') != colon) {
			*why = "expected tcp://HOST:PORT (IPv6 in brackets)";
			return VACCEL_EINVAL;
		}
		hostlen = (size_t)(colon - rest);
	}
	if (!hostlen || hostlen >= sizeof(a->host)) {
		*why = "empty or too long host";
		return VACCEL_EINVAL;
	}
	if (parse_port(colon + 1, &a->port)) {
		*why = "port must be 1..65535";
		return VACCEL_EINVAL;
	}
	a->kind = VACCEL_ADDR_TCP;
	memcpy(a->host, rest, hostlen);
	a->host[hostlen] = '\0';
	return VACCEL_OK;
}

static int parse_vsock(const char *rest, struct vaccel_addr *a, const char **why)
{
	const char *colon = strchr(rest, ':');
	char *end;
	if (!colon) {
		*why = "expected vsock://CID:PORT";
		return VACCEL_EINVAL;
	}
	long long cid = strtoll(rest, &end, 10);
	/* -1 is VMADDR_CID_ANY, for an agent that listens on every CID. */
	if (end != colon || colon == rest || cid < -1 || cid > 0xffffffffLL) {
		*why = "CID must be a number (or -1 for any)";
		return VACCEL_EINVAL;
	}
	uint16_t port;
	if (parse_port(colon + 1, &port)) {
		*why = "port must be 1..65535";
		return VACCEL_EINVAL;
	}
	a->kind = VACCEL_ADDR_VSOCK;
	a->cid = (uint32_t)cid;
	a->port = port;
	return VACCEL_OK;
}

static int parse_serial(const char *rest, struct vaccel_addr *a, const char **why)
{
	if (parse_unix(rest, a, why))
		return VACCEL_EINVAL;
	a->kind = VACCEL_ADDR_SERIAL;
	return VACCEL_OK;
}

static const struct {
	const char *scheme;
	int (*parse)(const char *rest, struct vaccel_addr *a, const char **why);
} schemes[] = {
	{ "unix://", parse_unix },
	{ "tcp://", parse_tcp },
	{ "vsock://", parse_vsock },
	{ "serial://", parse_serial },
};

int vaccel_addr_parse(const char *text, struct vaccel_addr *addr, const char **why)
{
	memset(addr, 0, sizeof(*addr));
	if (!text || !*text) {
		*why = "empty address";
		return VACCEL_EINVAL;
	}
	for (size_t i = 0; i < sizeof(schemes) / sizeof(schemes[0]); i++) {
		size_t n = strlen(schemes[i].scheme);
		if (!strncmp(text, schemes[i].scheme, n))
			return schemes[i].parse(text + n, addr, why);
	}
	*why = "unknown scheme (expected unix://, tcp://, vsock:// or serial://)";
	return VACCEL_EINVAL;
}
