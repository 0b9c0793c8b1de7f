/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Talks the wire protocol by hand to a running agent, to check what a
 * well-behaved client cannot: that malformed frames close only their own
 * connection, and that one connection cannot reach another's sessions or
 * resources; that declared sizes cannot wrap the agent's sums; that a peer
 * refused for its token learns nothing, and one speaking another protocol
 * version hears both named; clients that never read their
 * replies (nonreader); that the ids a connection is handed say nothing
 * about other connections (unlinkable). Usage: rpc-probe ADDRESS
 * malformed|isolation|unlinkable|limits|refused|nonreader. Prints TAP-like
 * lines; exit status 0 when every check passed.
 */
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <vaccel.h>
#include <vaccel/agent.h>
#include "wire/socket.h"
#include "wire/wire.h"

static const char *address;
static int failures, count;

static void check(bool ok, const char *what)
{
	printf("%s %d - %s\n", ok ? "ok" : "not ok", ++count, what);
	failures += !ok;
}

static int connect_raw(void)
{
	struct vaccel_addr a;
	const char *why;
	char err[256];
	if (vaccel_addr_parse(address, &a, &why))
		return -1;
	return vaccel_sock_connect(&a, err, sizeof(err));
}

/* One arg record with data, appended to buf at *len. */
static void put_arg(unsigned char *buf, size_t *len, uint32_t type, uint32_t flags,
		    const void *data, uint64_t size)
{
	unsigned char h[VACCEL_WIRE_ARG_HDR_SIZE];
	struct iovec iov[3];
	int n = vaccel_wire_arg_iov(type, flags, data, size, h, iov);
	for (int i = 0; i < n; i++) {
		memcpy(buf + *len, iov[i].iov_base, iov[i].iov_len);
		*len += iov[i].iov_len;
	}
}

static int send_frame(int fd, uint16_t type, uint64_t id, uint32_t op, uint32_t nargs,
		      const unsigned char *payload, size_t len)
{
	struct vaccel_wire_hdr h = { VACCEL_WIRE_MAGIC, VACCEL_WIRE_VERSION, type, id, op, 0,
				     nargs, (uint32_t)len };
	unsigned char hb[VACCEL_WIRE_HDR_SIZE];
	vaccel_wire_hdr_encode(&h, hb);
	struct iovec iov[2] = { { hb, sizeof(hb) }, { (void *)payload, len } };
	return vaccel_sock_writev_all(fd, iov, len ? 2 : 1);
}

/* Read one frame; its payload goes to buf (up to cap). */
static int recv_frame(int fd, struct vaccel_wire_hdr *h, unsigned char *buf, size_t cap)
{
	unsigned char hb[VACCEL_WIRE_HDR_SIZE];
	const char *why;
	if (vaccel_sock_read_all(fd, hb, sizeof(hb)) ||
	    vaccel_wire_hdr_decode(hb, 1u << 30, h, &why) || h->len > cap)
		return -1;
	return vaccel_sock_read_all(fd, buf, h->len) ? -1 : 0;
}

static int hello(int fd)
{
	unsigned char p[64], reply[4096];
	size_t len = 0;
	uint32_t v = VACCEL_WIRE_VERSION;
	struct vaccel_wire_hdr h;
	put_arg(p, &len, VACCEL_ARG_UINT32, VACCEL_WIRE_ARG_DATA, &v, 4);
	put_arg(p, &len, VACCEL_ARG_BUFFER, VACCEL_WIRE_ARG_DATA, NULL, 0);
	if (send_frame(fd, VACCEL_WIRE_HELLO, 0, 0, 2, p, len) || recv_frame(fd, &h, reply, sizeof(reply)))
		return -1;
	return h.type == VACCEL_WIRE_WELCOME && h.status == 0 ? 0 : -1;
}

/* A request whose args are all 8-byte int64 or 4-byte uint32 scalars. */
static int request(int fd, uint32_t op, const int64_t *i64, int n64, const uint32_t *u32, int n32,
		   int64_t *answer)
{
	unsigned char p[512], reply[4096];
	size_t len = 0;
	struct vaccel_wire_hdr h;
	for (int i = 0; i < n64; i++)
		put_arg(p, &len, VACCEL_ARG_INT64, VACCEL_WIRE_ARG_DATA, &i64[i], 8);
	for (int i = 0; i < n32; i++)
		put_arg(p, &len, VACCEL_ARG_UINT32, VACCEL_WIRE_ARG_DATA, &u32[i], 4);
	static uint64_t id;
	if (send_frame(fd, VACCEL_WIRE_REQUEST, ++id, op, (uint32_t)(n64 + n32), p, len) ||
	    recv_frame(fd, &h, reply, sizeof(reply)))
		return -1000;
	if (answer && h.status == 0 && h.nargs == 1)
		memcpy(answer, reply + VACCEL_WIRE_ARG_HDR_SIZE, 8);
	return h.status;
}

/* Did the agent close this connection (within 5 s)? */
static bool closed_by_agent(int fd)
{
	struct pollfd p = { fd, POLLIN, 0 };
	char c;
	if (poll(&p, 1, 5000) != 1)
		return false;
	return read(fd, &c, 1) <= 0;
}

static bool agent_still_serves(void)
{
	int fd = connect_raw();
	if (fd < 0)
		return false;
	bool ok = !hello(fd) && request(fd, VACCEL_WIRE_STATUS, NULL, 0, NULL, 0, NULL) == 0;
	close(fd);
	return ok;
}

struct bad_frame {
	const char *name;
	bool after_hello;
	unsigned char hdr[VACCEL_WIRE_HDR_SIZE];
	size_t extra;               /* payload bytes actually sent */
	unsigned char payload[64];
};

static void header(unsigned char *hb, uint32_t magic, uint16_t version, uint16_t type,
		   uint32_t op, uint32_t nargs, uint32_t len)
{
	struct vaccel_wire_hdr h = { magic, version, type, 1, op, 0, nargs, len };
	vaccel_wire_hdr_encode(&h, hb);
}

static void malformed(void)
{
	static struct bad_frame cases[12];
	int n = 0;
	const uint32_t M = VACCEL_WIRE_MAGIC;
	struct bad_frame *c;

	c = &cases[n++]; c->name = "bad magic";
	header(c->hdr, 0xdeadbeef, 1, VACCEL_WIRE_HELLO, 0, 0, 0);
	c = &cases[n++]; c->name = "bad version"; c->after_hello = true;
	header(c->hdr, M, 9, VACCEL_WIRE_REQUEST, VACCEL_WIRE_STATUS, 0, 0);
	c = &cases[n++]; c->name = "unknown frame type"; c->after_hello = true;
	header(c->hdr, M, 1, 77, VACCEL_WIRE_STATUS, 0, 0);
	c = &cases[n++]; c->name = "huge length"; c->after_hello = true;
	header(c->hdr, M, 1, VACCEL_WIRE_REQUEST, VACCEL_WIRE_GENOP, 1, 0xfffffff0u);
	c = &cases[n++]; c->name = "too many arguments"; c->after_hello = true;
	header(c->hdr, M, 1, VACCEL_WIRE_REQUEST, VACCEL_WIRE_GENOP, 1000, 16000);
	c = &cases[n++]; c->name = "unknown op"; c->after_hello = true;
	header(c->hdr, M, 1, VACCEL_WIRE_REQUEST, 99, 0, 0);
	c = &cases[n++]; c->name = "request before hello";
	header(c->hdr, M, 1, VACCEL_WIRE_REQUEST, VACCEL_WIRE_STATUS, 0, 0);
	c = &cases[n++]; c->name = "truncated frame"; c->after_hello = true;
	header(c->hdr, M, 1, VACCEL_WIRE_REQUEST, VACCEL_WIRE_STATUS, 1, 64);
	c->extra = 10;
	/* An arg claiming 48 data bytes in a 24-byte payload. */
	c = &cases[n++]; c->name = "argument length past the frame"; c->after_hello = true;
	header(c->hdr, M, 1, VACCEL_WIRE_REQUEST, VACCEL_WIRE_GENOP, 1, 24);
	c->extra = 24;
	c->payload[4] = VACCEL_WIRE_ARG_DATA;
	c->payload[8] = 48;
	c = &cases[n++]; c->name = "huge argument length"; c->after_hello = true;
	header(c->hdr, M, 1, VACCEL_WIRE_REQUEST, VACCEL_WIRE_GENOP, 1, 24);
	c->extra = 24;
	c->payload[4] = VACCEL_WIRE_ARG_DATA;
	memset(c->payload + 8, 0xff, 8);
	c = &cases[n++]; c->name = "trailing bytes after the arguments"; c->after_hello = true;
	header(c->hdr, M, 1, VACCEL_WIRE_REQUEST, VACCEL_WIRE_STATUS, 0, 8);
	c->extra = 8;
	c = &cases[n++]; c->name = "garbage after the handshake"; c->after_hello = true;
	for (int i = 0; i < VACCEL_WIRE_HDR_SIZE; i++)
		c->hdr[i] = (unsigned char)(i * 37 + 11);

	for (int i = 0; i < n; i++) {
		char what[128];
		int fd = connect_raw();
		bool ok = fd >= 0 && (!cases[i].after_hello || !hello(fd));
		if (ok) {
			struct iovec iov[2] = { { cases[i].hdr, VACCEL_WIRE_HDR_SIZE },
						{ cases[i].payload, cases[i].extra } };
			ok = !vaccel_sock_writev_all(fd, iov, cases[i].extra ? 2 : 1);
			if (!strcmp(cases[i].name, "truncated frame"))
				shutdown(fd, SHUT_WR);
		}
		snprintf(what, sizeof(what), "%s: the agent closes that connection", cases[i].name);
		check(ok && closed_by_agent(fd), what);
		if (fd >= 0)
			close(fd);
		snprintf(what, sizeof(what), "%s: the agent serves the next client", cases[i].name);
		check(agent_still_serves(), what);
	}
}

static void isolation(void)
{
	int a = connect_raw(), b = connect_raw();
	check(a >= 0 && b >= 0 && !hello(a) && !hello(b), "two connections say hello");
	int64_t sess_a = 0, sess_b = 0, res_a = 0, ans;
	uint32_t flags = 0;
	check(request(a, VACCEL_WIRE_SESSION_NEW, NULL, 0, &flags, 1, &sess_a) == 0 && sess_a > 0,
	      "A creates a session");
	check(request(b, VACCEL_WIRE_SESSION_NEW, NULL, 0, &flags, 1, &sess_b) == 0 && sess_b > 0,
	      "B creates a session");
	/* A uploads a resource: [u32 type, string name, buffer]. */
	{
		unsigned char p[256], reply[256];
		size_t len = 0;
		uint32_t type = VACCEL_RESOURCE_DATA;
		struct vaccel_wire_hdr h;
		put_arg(p, &len, VACCEL_ARG_UINT32, VACCEL_WIRE_ARG_DATA, &type, 4);
		put_arg(p, &len, VACCEL_ARG_STRING, VACCEL_WIRE_ARG_DATA, "data.bin", 9);
		put_arg(p, &len, VACCEL_ARG_BUFFER, VACCEL_WIRE_ARG_DATA, "secret", 6);
		bool ok = !send_frame(a, VACCEL_WIRE_REQUEST, 500, VACCEL_WIRE_RESOURCE_NEW, 3, p, len) &&
			  !recv_frame(a, &h, reply, sizeof(reply)) && h.status == 0;
		if (ok)
			memcpy(&res_a, reply + VACCEL_WIRE_ARG_HDR_SIZE, 8);
		check(ok && res_a > 0, "A uploads a resource");
	}
	uint32_t noop = VACCEL_OP_NOOP;
	check(request(b, VACCEL_WIRE_GENOP, &sess_a, 1, &noop, 1, NULL) == VACCEL_ENOENT,
	      "B cannot run an op in A's session");
	check(request(b, VACCEL_WIRE_SESSION_RELEASE, &sess_a, 1, NULL, 0, NULL) == VACCEL_ENOENT,
	      "B cannot release A's session");
	int64_t link[2] = { res_a, sess_b };
	check(request(b, VACCEL_WIRE_RESOURCE_REGISTER, link, 2, NULL, 0, NULL) == VACCEL_ENOENT,
	      "B cannot register A's resource to its own session");
	check(request(b, VACCEL_WIRE_RESOURCE_RELEASE, &res_a, 1, NULL, 0, NULL) == VACCEL_ENOENT,
	      "B cannot release A's resource");
	int64_t link_a[2] = { res_a, sess_a };
	check(request(a, VACCEL_WIRE_RESOURCE_REGISTER, link_a, 2, NULL, 0, NULL) == 0,
	      "A registers its resource to its session");
	check(request(a, VACCEL_WIRE_GENOP, &sess_a, 1, &noop, 1, NULL) == 0,
	      "A still runs ops in its session");
	check(request(a, VACCEL_WIRE_SESSION_RELEASE, &sess_a, 1, NULL, 0, NULL) == 0 &&
	      request(a, VACCEL_WIRE_SESSION_RELEASE, &sess_a, 1, NULL, 0, NULL) == VACCEL_ENOENT,
	      "a released session is gone");
	(void)ans;
	close(a);
	close(b);
}

/* A resource of these bytes, uploaded on fd: its id, or 0. */
static int64_t upload(int fd, const char *bytes)
{
	unsigned char p[256], reply[256];
	size_t len = 0;
	uint32_t type = VACCEL_RESOURCE_DATA;
	struct vaccel_wire_hdr h;
	int64_t id = 0;
	put_arg(p, &len, VACCEL_ARG_UINT32, VACCEL_WIRE_ARG_DATA, &type, 4);
	put_arg(p, &len, VACCEL_ARG_STRING, VACCEL_WIRE_ARG_DATA, "data.bin", 9);
	put_arg(p, &len, VACCEL_ARG_BUFFER, VACCEL_WIRE_ARG_DATA, bytes, strlen(bytes));
	if (!send_frame(fd, VACCEL_WIRE_REQUEST, 600, VACCEL_WIRE_RESOURCE_NEW, 3, p, len) &&
	    !recv_frame(fd, &h, reply, sizeof(reply)) && h.status == 0 && h.nargs == 1)
		memcpy(&id, reply + VACCEL_WIRE_ARG_HDR_SIZE, 8);
	return id;
}

/* exec_with_resource of res in sess on fd: its status, and its message in msg. */
static int exec_with(int fd, int64_t sess, int64_t res, char *msg, size_t cap)
{
	unsigned char p[256], reply[1024];
	size_t len = 0;
	uint32_t op = VACCEL_OP_EXEC_WITH_RESOURCE;
	struct vaccel_wire_hdr h;
	put_arg(p, &len, VACCEL_ARG_INT64, VACCEL_WIRE_ARG_DATA, &sess, 8);
	put_arg(p, &len, VACCEL_ARG_UINT32, VACCEL_WIRE_ARG_DATA, &op, 4);
	put_arg(p, &len, VACCEL_ARG_INT64, VACCEL_WIRE_ARG_DATA, &res, 8);
	put_arg(p, &len, VACCEL_ARG_STRING, VACCEL_WIRE_ARG_DATA, "f", 2);
	msg[0] = '\0';
	if (send_frame(fd, VACCEL_WIRE_REQUEST, 700, VACCEL_WIRE_GENOP, 4, p, len) ||
	    recv_frame(fd, &h, reply, sizeof(reply)))
		return -1000;
	if (h.nargs == 1 && h.len > VACCEL_WIRE_ARG_HDR_SIZE)
		snprintf(msg, cap, "%.*s", (int)(h.len - VACCEL_WIRE_ARG_HDR_SIZE),
			 (const char *)reply + VACCEL_WIRE_ARG_HDR_SIZE);
	return h.status;
}

/* Does msg name "KIND ID", the whole number? */
static bool says(const char *msg, const char *kind, int64_t id)
{
	char want[64];
	int n = snprintf(want, sizeof(want), "%s %lld", kind, (long long)id);
	for (const char *p = strstr(msg, want); p; p = strstr(p + 1, want))
		if (p[n] < '0' || p[n] > '9')
			return true;
	return false;
}

/*
 * The ids a connection is handed depend on nothing another connection
 * does: B's next ids are the same whether or not A created sessions and
 * resources in between, A's and B's are far apart, neither can use the
 * other's, and the messages of errors name the connection's own ids.
 */
static void unlinkable(void)
{
	int a = connect_raw(), b = connect_raw();
	check(a >= 0 && b >= 0 && !hello(a) && !hello(b), "two connections say hello");
	uint32_t flags = 0;
	int64_t b1 = 0, b2 = 0, a1 = 0, s = 0;
	int64_t rb1 = upload(b, "b1");
	request(b, VACCEL_WIRE_SESSION_NEW, NULL, 0, &flags, 1, &b1);
	int64_t ra = upload(a, "a");
	bool made = true;
	for (int i = 0; i < 5; i++) {
		made = made && request(a, VACCEL_WIRE_SESSION_NEW, NULL, 0, &flags, 1, &s) == 0;
		made = made && upload(a, "more") > 0;
		if (!a1)
			a1 = s;
	}
	int64_t rb2 = upload(b, "b2");
	request(b, VACCEL_WIRE_SESSION_NEW, NULL, 0, &flags, 1, &b2);
	check(made && ra > 0 && a1 > 0 && b1 > 0 && rb1 > 0, "A and B create sessions and resources");
	check(b2 == b1 + 1 && rb2 == rb1 + 1,
	      "B's next ids do not move while A creates 5 sessions and 6 resources");
	int64_t gap = a1 > b1 ? a1 - b1 : b1 - a1, rgap = ra > rb1 ? ra - rb1 : rb1 - ra;
	check(gap > (INT64_C(1) << 32) && rgap > (INT64_C(1) << 32),
	      "A's and B's ids are far apart: no shared counter");
	check(request(b, VACCEL_WIRE_GENOP, &a1, 1, (const uint32_t[]){ VACCEL_OP_NOOP }, 1, NULL) ==
		      VACCEL_ENOENT,
	      "B cannot use A's session id");
	char msg[512];
	check(exec_with(b, b1, ra, msg, sizeof(msg)) == VACCEL_EPERM && says(msg, "id", ra),
	      "B cannot name A's resource in an op");
	check(exec_with(a, a1, ra, msg, sizeof(msg)) == VACCEL_EPERM && says(msg, "resource", ra) &&
		      says(msg, "session", a1),
	      "an error message names the connection's own ids");
	close(a);
	close(b);
}

/*
 * STATUS tells a tenant (ADDRESS: a TCP peer) only its own connection's
 * counts, and the host's operator ($PROBE_OPERATOR_ADDRESS: a UNIX socket,
 * the agent's user) the whole agent's, while a tenant holds 3 sessions.
 */
static void status_scope(void)
{
	const char *op_addr = getenv("PROBE_OPERATOR_ADDRESS");
	int a = connect_raw();
	check(a >= 0 && !hello(a), "tenant A says hello");
	uint32_t flags = 0;
	int64_t s;
	bool made = true;
	for (int i = 0; i < 3; i++)
		made = made && request(a, VACCEL_WIRE_SESSION_NEW, NULL, 0, &flags, 1, &s) == 0;
	check(made, "A creates 3 sessions");
	struct vaccel_agent_status st;
	char err[256];
	check(!vaccel_agent_status(address, NULL, &st, err, sizeof(err)) && st.connections == 1 &&
		      st.sessions == 0 && st.resources == 0 && st.requests == 0,
	      "tenant B's STATUS counts B alone: 1 connection, 0 sessions, no request before it");
	check(op_addr && !vaccel_agent_status(op_addr, NULL, &st, err, sizeof(err)) &&
		      st.connections >= 2 && st.sessions == 3,
	      "the operator's STATUS counts every connection and A's 3 sessions");
	close(a);
}

/*
 * Sizes a client declares must not wrap the agent's sums: outputs of 100
 * and 2^64 - 50 bytes (no data: the agent gives them memory) sum to 50 in
 * 64 bits. The agent must answer EFBIG, allocate nothing, and serve on.
 */
static void limits(void)
{
	int fd = connect_raw();
	int64_t sess = 0;
	uint32_t flags = 0, op = VACCEL_OP_NOOP;
	check(fd >= 0 && !hello(fd) &&
	      request(fd, VACCEL_WIRE_SESSION_NEW, NULL, 0, &flags, 1, &sess) == 0 && sess > 0,
	      "a session");
	unsigned char p[256], reply[4096];
	size_t len = 0;
	struct vaccel_wire_hdr h;
	put_arg(p, &len, VACCEL_ARG_INT64, VACCEL_WIRE_ARG_DATA, &sess, 8);
	put_arg(p, &len, VACCEL_ARG_UINT32, VACCEL_WIRE_ARG_DATA, &op, 4);
	const uint64_t sizes[2] = { 100, UINT64_MAX - 49 };
	for (int i = 0; i < 2; i++) {
		unsigned char rec[VACCEL_WIRE_ARG_HDR_SIZE];
		struct iovec iov[3];
		vaccel_wire_arg_iov(VACCEL_ARG_RAW, VACCEL_WIRE_ARG_WRITE, NULL, sizes[i], rec, iov);
		memcpy(p + len, rec, sizeof(rec));
		len += sizeof(rec);
	}
	bool ok = !send_frame(fd, VACCEL_WIRE_REQUEST, 900, VACCEL_WIRE_GENOP, 4, p, len) &&
		  !recv_frame(fd, &h, reply, sizeof(reply));
	check(ok && h.status == EFBIG, "outputs whose sizes wrap a 64-bit sum: EFBIG");
	check(request(fd, VACCEL_WIRE_GENOP, &sess, 1, &op, 1, NULL) == 0,
	      "the same connection is served after it");
	close(fd);
	check(agent_still_serves(), "and so are others");
}

/*
 * RESOURCE_NEW with `nfiles` (name, bytes) pairs after the type, names
 * from `names` (cycled): the reply's status, and the id in *id.
 */
static int upload_files(int fd, const char *const *names, int nnames, int nfiles, int64_t *id)
{
	unsigned char p[4096], reply[256];
	size_t len = 0;
	uint32_t type = VACCEL_RESOURCE_DATA;
	struct vaccel_wire_hdr h;
	*id = 0;
	put_arg(p, &len, VACCEL_ARG_UINT32, VACCEL_WIRE_ARG_DATA, &type, 4);
	for (int i = 0; i < nfiles; i++) {
		const char *name = names[i % nnames];
		put_arg(p, &len, VACCEL_ARG_STRING, VACCEL_WIRE_ARG_DATA, name, strlen(name) + 1);
		put_arg(p, &len, VACCEL_ARG_BUFFER, VACCEL_WIRE_ARG_DATA, "bytes", 5);
	}
	if (send_frame(fd, VACCEL_WIRE_REQUEST, 950, VACCEL_WIRE_RESOURCE_NEW, 1 + 2 * (uint32_t)nfiles,
		       p, len) || recv_frame(fd, &h, reply, sizeof(reply)))
		return -1000;
	if (h.status == 0 && h.nargs == 1)
		memcpy(id, reply + VACCEL_WIRE_ARG_HDR_SIZE, 8);
	return h.status;
}

/* A resource of several files travels as one request; its names are checked. */
static void uploads(void)
{
	int fd = connect_raw();
	int64_t id;
	check(fd >= 0 && !hello(fd), "hello");
	const char *two[] = { "model.bin", "labels.txt" };
	check(upload_files(fd, two, 2, 2, &id) == 0 && id > 0, "a resource of two files");
	check(request(fd, VACCEL_WIRE_RESOURCE_RELEASE, &id, 1, NULL, 0, NULL) == 0,
	      "released");
	const char *same[] = { "a.bin" };
	check(upload_files(fd, same, 1, 2, &id) == VACCEL_EINVAL, "two files of one name: EINVAL");
	const char *bad[] = { "ok.bin", "../x" };
	check(upload_files(fd, bad, 2, 2, &id) == VACCEL_EINVAL, "a name with a slash: EINVAL");
	const char *many[] = { "f0", "f1", "f2", "f3", "f4", "f5", "f6", "f7", "f8", "f9",
			       "f10", "f11", "f12", "f13", "f14", "f15", "f16" };
	check(upload_files(fd, many, 17, 16, &id) == 0 && id > 0, "16 files, the most");
	check(upload_files(fd, many, 17, 17, &id) == VACCEL_EINVAL, "17 files: EINVAL");
	/* A name without its bytes: an even count of args. */
	unsigned char p[256], reply[256];
	size_t len = 0;
	uint32_t type = VACCEL_RESOURCE_DATA;
	struct vaccel_wire_hdr h;
	put_arg(p, &len, VACCEL_ARG_UINT32, VACCEL_WIRE_ARG_DATA, &type, 4);
	put_arg(p, &len, VACCEL_ARG_STRING, VACCEL_WIRE_ARG_DATA, "a", 2);
	put_arg(p, &len, VACCEL_ARG_BUFFER, VACCEL_WIRE_ARG_DATA, "x", 1);
	put_arg(p, &len, VACCEL_ARG_STRING, VACCEL_WIRE_ARG_DATA, "b", 2);
	check(!send_frame(fd, VACCEL_WIRE_REQUEST, 951, VACCEL_WIRE_RESOURCE_NEW, 4, p, len) &&
	      !recv_frame(fd, &h, reply, sizeof(reply)) && h.status == VACCEL_EINVAL,
	      "a name without its bytes: EINVAL");
	close(fd);
	check(agent_still_serves(), "the agent serves on");
}

/* A HELLO of another protocol version: refused, with both versions named. */
static void other_version(void)
{
	int fd = connect_raw();
	unsigned char p[64], reply[4096];
	size_t len = 0;
	uint32_t v = VACCEL_WIRE_VERSION + 1;
	struct vaccel_wire_hdr h;
	struct vaccel_wire_arg a[1];
	const char *why;
	char want[128];
	put_arg(p, &len, VACCEL_ARG_UINT32, VACCEL_WIRE_ARG_DATA, &v, 4);
	put_arg(p, &len, VACCEL_ARG_BUFFER, VACCEL_WIRE_ARG_DATA, NULL, 0);
	bool ok = fd >= 0 && !send_frame(fd, VACCEL_WIRE_HELLO, 0, 0, 2, p, len) &&
		  !recv_frame(fd, &h, reply, sizeof(reply)) && h.type == VACCEL_WIRE_WELCOME &&
		  h.status == VACCEL_EBACKEND &&
		  vaccel_wire_args_decode(reply, h.len, h.nargs, a, 1, &why) == 1;
	snprintf(want, sizeof(want), "protocol version %u, the client %u", VACCEL_WIRE_VERSION, v);
	check(ok && strstr(a[0].data, want), "another protocol version: EPROTO, both named");
	check(closed_by_agent(fd), "the agent closes the connection");
	if (fd >= 0)
		close(fd);
}

/* Without the token an agent wants, a peer learns nothing: no version, no op list. */
static void refused(void)
{
	int fd = connect_raw();
	unsigned char p[64], reply[4096];
	size_t len = 0;
	uint32_t v = VACCEL_WIRE_VERSION;
	struct vaccel_wire_hdr h;
	put_arg(p, &len, VACCEL_ARG_UINT32, VACCEL_WIRE_ARG_DATA, &v, 4);
	put_arg(p, &len, VACCEL_ARG_BUFFER, VACCEL_WIRE_ARG_DATA, "wrong", 5);
	bool ok = fd >= 0 && !send_frame(fd, VACCEL_WIRE_HELLO, 0, 0, 2, p, len) &&
		  !recv_frame(fd, &h, reply, sizeof(reply));
	check(ok && h.type == VACCEL_WIRE_WELCOME && h.status == VACCEL_EPERM,
	      "a wrong token: the welcome says EPERM");
	check(ok && h.nargs == 0 && h.len == 0, "and carries nothing else (no version, no op list)");
	check(closed_by_agent(fd), "the agent closes the connection");
	if (fd >= 0)
		close(fd);
	other_version();
}

/*
 * Clients that never read their replies: two connections each ask for an
 * output of 4 MiB (an exec the agent's noop plugin serves) and read
 * nothing. Prints "ready" once both requests are sent, then holds the
 * connections for `hold` seconds.
 */
static void nonreader(int hold)
{
	int fds[2];
	for (int k = 0; k < 2; k++) {
		int64_t sess = 0;
		uint32_t flags = 0, op = VACCEL_OP_EXEC;
		fds[k] = connect_raw();
		if (fds[k] < 0 || hello(fds[k]) ||
		    request(fds[k], VACCEL_WIRE_SESSION_NEW, NULL, 0, &flags, 1, &sess) || sess <= 0) {
			printf("cannot set up connection %d\n", k);
			exit(1);
		}
		unsigned char p[256];
		size_t len = 0;
		put_arg(p, &len, VACCEL_ARG_INT64, VACCEL_WIRE_ARG_DATA, &sess, 8);
		put_arg(p, &len, VACCEL_ARG_UINT32, VACCEL_WIRE_ARG_DATA, &op, 4);
		put_arg(p, &len, VACCEL_ARG_STRING, VACCEL_WIRE_ARG_DATA, "lib", 4);
		put_arg(p, &len, VACCEL_ARG_STRING, VACCEL_WIRE_ARG_DATA, "fn", 3);
		unsigned char rec[VACCEL_WIRE_ARG_HDR_SIZE];
		struct iovec iov[3];
		vaccel_wire_arg_iov(VACCEL_ARG_RAW, VACCEL_WIRE_ARG_WRITE, NULL, 4u << 20, rec, iov);
		memcpy(p + len, rec, sizeof(rec));
		len += sizeof(rec);
		if (send_frame(fds[k], VACCEL_WIRE_REQUEST, 700, VACCEL_WIRE_GENOP, 5, p, len)) {
			printf("cannot send on connection %d\n", k);
			exit(1);
		}
	}
	printf("ready\n");
	fflush(stdout);
	sleep((unsigned)hold);
	close(fds[0]);
	close(fds[1]);
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: rpc-probe ADDRESS malformed|isolation|unlinkable|status|limits|uploads|refused|nonreader\n");
		return 2;
	}
	address = argv[1];
	if (!strcmp(argv[2], "malformed"))
		malformed();
	else if (!strcmp(argv[2], "isolation"))
		isolation();
	else if (!strcmp(argv[2], "unlinkable"))
		unlinkable();
	else if (!strcmp(argv[2], "status"))
		status_scope();
	else if (!strcmp(argv[2], "limits"))
		limits();
	else if (!strcmp(argv[2], "uploads"))
		uploads();
	else if (!strcmp(argv[2], "refused"))
		refused();
	else if (!strcmp(argv[2], "nonreader"))
		nonreader(20);
	else
		return 2;
	printf("1..%d\n", count);
	return failures ? 1 : 0;
}
