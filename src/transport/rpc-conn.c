/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The socket channel's client side (unix://, tcp://, vsock://,
 * serial://): requests from many threads are
 * pipelined on one socket, each tagged with its id (calls.c owns ids,
 * deadlines and who reads); a reply's data is read straight into its
 * caller's buffers.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <poll.h>
#include <sys/socket.h>
#include "wire/socket.h"
#include "transport/chan.h"


struct chan {
	struct calls calls;          /* first: ids, pending replies, deadlines */
	int fd;
	char address[300];
	int timeout_ms;
	pthread_mutex_t send_lock;   /* one frame on the wire at a time */
	int refs;                    /* under calls.lock */
};

/* One frame to write from the args' own memory (writev, no copies). */
struct outgoing {
	struct vaccel_wire_hdr h;
	struct vaccel_wire_frame_bufs bufs;
	struct iovec iov[VACCEL_WIRE_FRAME_MAX_IOV];
	int niov;
};

/* 0, or -1 when the args cannot make a frame. */
static int frame_for(struct outgoing *f, uint16_t type, uint64_t id, uint32_t op,
		     const struct vaccel_wire_out *args, size_t n)
{
	f->h = (struct vaccel_wire_hdr){ .magic = VACCEL_WIRE_MAGIC, .version = VACCEL_WIRE_VERSION,
					 .type = type, .id = id, .op = op };
	f->niov = vaccel_wire_frame_iov(&f->h, args, n, &f->bufs, f->iov);
	return f->niov < 0 ? -1 : 0;
}

/* Read a reply's args into the caller's buffers; 0 or an error status. */
static int land_args(int fd, const struct vaccel_wire_hdr *h, struct rpc_in *dst, size_t ndst,
		     int *proto_err)
{
	uint64_t left = h->len;
	*proto_err = 0;
	for (uint32_t i = 0; i < h->nargs; i++) {
		unsigned char rec[VACCEL_WIRE_ARG_HDR_SIZE];
		if (left < sizeof(rec))
			return VACCEL_EIO;
		int rc = vaccel_sock_read_all(fd, rec, sizeof(rec));
		if (rc)
			return VACCEL_EIO;
		left -= sizeof(rec);
		struct vaccel_wire_arg a;
		const char *why;
		if (vaccel_wire_arg_hdr_decode(rec, &a, &why))
			return VACCEL_EIO;
		uint64_t padded = (a.flags & VACCEL_WIRE_ARG_DATA) ? (a.size + 7) / 8 * 8 : 0;
		if (padded > left)
			return VACCEL_EIO;
		if (i < ndst && padded && a.size <= dst[i].size) {
			if ((rc = vaccel_sock_read_all(fd, dst[i].buf, a.size)) ||
			    (rc = vaccel_sock_skip(fd, padded - a.size)))
				return VACCEL_EIO;
			dst[i].size = a.size;
		} else if (padded) {
			*proto_err = VACCEL_EIO; /* more than the caller can hold */
			if (vaccel_sock_skip(fd, padded))
				return VACCEL_EIO;
		}
		left -= padded;
	}
	return left ? VACCEL_EIO : 0;
}

/*
 * Receive one reply and land it with its caller (calls.c: one waiting
 * thread at a time): its data goes straight into the caller's buffers.
 */
static int rpc_receive(struct chan *c, int max_ms)
{
	unsigned char hb[VACCEL_WIRE_HDR_SIZE];
	struct vaccel_wire_hdr h;
	const char *why = NULL;
	if (vaccel_sock_wait_readable(c->fd, VACCEL_SOCK_SPIN_US, max_ms))
		return ETIMEDOUT;
	if (vaccel_sock_read_all(c->fd, hb, sizeof(hb)))
		return VACCEL_EIO;
	/* A WELCOME answers the HELLO (chan_hello), a REPLY a request. */
	if (vaccel_wire_hdr_decode(hb, c->calls.max_frame, &h, &why) ||
	    (h.type != VACCEL_WIRE_REPLY && h.type != VACCEL_WIRE_WELCOME)) {
		vaccel_error("rpc: %s: bad reply frame (%s)", c->address, why ? why : "not a reply");
		return VACCEL_EIO;
	}
	struct call *p = calls_claim(&c->calls, h.id);
	if (!p) /* its caller gave up */
		return vaccel_sock_skip(c->fd, h.len) ? VACCEL_EIO : 0;
	int proto = 0, rc;
	/* A failure's only arg is the agent's message, not an output. */
	struct rpc_in msg = { p->message, sizeof(p->message) - 1 };
	bool failed = h.status && h.status != VACCEL_ENOBUFS;
	if (failed)
		rc = land_args(c->fd, &h, &msg, 1, &proto);
	else
		rc = land_args(c->fd, &h, p->dst, p->ndst, &proto);
	if (failed)
		p->message[rc || proto ? 0 : msg.size] = '\0';
	calls_land(&c->calls, p, rc ? rc : proto ? proto : h.status);
	return rc;
}

/* The request frame, from the args' own memory (writev, no copies). */
static int rpc_send(struct chan *c, struct call *p, uint32_t op,
		    const struct vaccel_wire_out *args, size_t n)
{
	if (calls_dead(&c->calls)) {
		vaccel_error("rpc: %s: connection lost (start a new session to reconnect)", c->address);
		return VACCEL_EREMOTE;
	}
	struct outgoing f;
	if (frame_for(&f, p->type, p->id, op, args, n) ||
	    (uint64_t)f.h.len + VACCEL_WIRE_HDR_SIZE > c->calls.max_frame) {
		vaccel_error("rpc: request of %u bytes exceeds the agent's frame limit of %u",
			     f.h.len, c->calls.max_frame);
		return VACCEL_EINVAL;
	}
	pthread_mutex_lock(&c->send_lock);
	int rc = vaccel_sock_writev_all(c->fd, f.iov, f.niov);
	pthread_mutex_unlock(&c->send_lock);
	if (rc) {
		/* The agent is gone: every call on this connection fails now.
		 * It never read this whole frame, so it ran nothing of it:
		 * another instance may take the call. */
		calls_fail(&c->calls, "connection lost");
		vaccel_error("rpc: %s: connection lost before the request went out (%s)",
			     c->address, strerror(rc));
		return VACCEL_EREMOTE;
	}
	return VACCEL_OK;
}

static void rpc_conn_free(struct chan *c)
{
	close(c->fd);
	calls_destroy(&c->calls);
	pthread_mutex_destroy(&c->send_lock);
	free(c);
}

static int rpc_conn_open(const char *address, const struct chan_options *o,
			 struct chan **out, char *err, size_t errlen)
{
	const char *token = o->token;
	int timeout_ms = o->timeout_ms;
	struct vaccel_addr a;
	const char *why;
	if (vaccel_addr_parse(address, &a, &why)) {
		snprintf(err, errlen, "rpc address '%s': %s", address, why);
		return VACCEL_EINVAL;
	}
	struct chan *c = calloc(1, sizeof(*c));
	if (!c)
		return VACCEL_ENOMEM;
	snprintf(c->address, sizeof(c->address), "%s", address);
	c->timeout_ms = timeout_ms;
	c->refs = 1;
	c->fd = vaccel_sock_connect(&a, err, errlen);
	/* No agent there, or not answering: the next instance may serve instead. */
	if (c->fd < 0) {
		free(c);
		return VACCEL_ECONNREFUSED;
	}
	calls_init(&c->calls, &socket_chan, "rpc", c->address, timeout_ms, false);
	pthread_mutex_init(&c->send_lock, NULL);
	/* The handshake must not hang on a silent peer either. */
	struct timeval tv = { .tv_sec = timeout_ms / 1000, .tv_usec = (timeout_ms % 1000) * 1000 };
	setsockopt(c->fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	int ret = chan_hello(c, token, err, errlen);
	struct timeval none = { 0 };
	setsockopt(c->fd, SOL_SOCKET, SO_RCVTIMEO, &none, sizeof(none));
	if (ret) {
		rpc_conn_free(c);
		return ret == VACCEL_EIO ? VACCEL_ECONNREFUSED : ret;
	}
	*out = c;
	return VACCEL_OK;
}

static void rpc_conn_get(struct chan *c)
{
	pthread_mutex_lock(&c->calls.lock);
	c->refs++;
	pthread_mutex_unlock(&c->calls.lock);
}

static void rpc_conn_put(struct chan *c)
{
	pthread_mutex_lock(&c->calls.lock);
	bool last = --c->refs == 0;
	pthread_mutex_unlock(&c->calls.lock);
	if (last)
		rpc_conn_free(c);
}

static bool rpc_conn_alive(struct chan *c)
{
	return !calls_dead(&c->calls);
}

static bool rpc_conn_probe(struct chan *c)
{
	struct calls *k = &c->calls;
	pthread_mutex_lock(&k->lock);
	/* Between calls nothing reads: a readable socket means the agent closed
	 * it (it sends nothing unasked). */
	if (!k->dead && !k->receiving && !k->pending) {
		struct pollfd p = { c->fd, POLLIN, 0 };
		char ch;
		ssize_t r;
		if (poll(&p, 1, 0) == 1 && (r = recv(c->fd, &ch, 1, MSG_PEEK | MSG_DONTWAIT)) <= 0 &&
		    (r == 0 || errno != ENOTSOCK)) { /* a serial port has no end-of-stream to probe */
			pthread_mutex_unlock(&k->lock);
			calls_fail(k, "connection lost");
			pthread_mutex_lock(&k->lock);
		}
	}
	bool alive = !k->dead;
	pthread_mutex_unlock(&k->lock);
	return alive;
}

static const char *const schemes[] = { "unix", "tcp", "vsock", "serial", NULL };

const struct chan_ops socket_chan = {
	.schemes = schemes,
	.open = rpc_conn_open,
	.get = rpc_conn_get,
	.put = rpc_conn_put,
	.alive = rpc_conn_alive,
	.probe = rpc_conn_probe,
	.serves = chan_serves,
	.call = chan_call,
	.send = rpc_send,
	.receive = rpc_receive,
};
