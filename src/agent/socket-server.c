/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The agent's socket channel (unix://, tcp://, vsock://: the rpc
 * transport). One thread accepts; one reader thread per connection checks
 * each frame and hands its request to the connection layer (conn.c),
 * which runs it here or in the pool; replies go back on the socket. A
 * connection owns the sessions and resources it creates: other
 * connections cannot name them, and they are released when it closes.
 */
#include <arpa/inet.h>
#include <linux/vm_sockets.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include "agent/conn.h"
#include "agent/hello.h"
#include "wire/socket.h"
#include "transport/chan.h"

#define MAX_LISTEN 16

struct conn {
	struct agent_conn conn;        /* first: requests point at it */
	uint64_t id;
	int fd;
	bool tcp;
	bool needs_token;
	pthread_mutex_t send_lock;
	char peer[64];                 /* who connected, for the per-peer cap */
};

struct job {
	struct agent_request rq;         /* first: the connection layer runs it */
	struct conn *c;
	struct vaccel_wire_hdr h;
	void *payload;
	struct vaccel_wire_arg args[VACCEL_WIRE_MAX_ARGS];
	int nargs;
	void *owned[VACCEL_WIRE_MAX_ARGS]; /* output buffers made for it */
	size_t nowned;
};

/* How long the acceptor waits when out of descriptors. */
#define ACCEPT_BACKOFF_MS 100
/* The largest frame a peer may send before its HELLO is accepted. */
#define HELLO_MAX_FRAME (64u << 10)

static struct {
	const struct vaccel_agent_config *cfg;
	struct vaccel_agent_limits lim;
	pthread_mutex_t lock;
	pthread_cond_t conns_gone;
	int nconns;
	/* Open connections per peer: a few entries, looked up by key. */
	struct peer_count { char key[64]; unsigned n; } *peers;
	size_t npeers;
	bool refusing;                 /* a refusal was logged this episode */
} A = { .lock = PTHREAD_MUTEX_INITIALIZER, .conns_gone = PTHREAD_COND_INITIALIZER };

/*
 * Give each output its memory: an output sent with data is used in place,
 * in the frame; the others get zeroed buffers, bounded like a frame.
 */
static int place_outputs(struct agent_request *rq)
{
	struct job *j = (struct job *)rq;
	uint64_t bytes = 0;
	for (int i = 0; i < j->nargs; i++) {
		struct vaccel_wire_arg *a = &j->args[i];
		if (!(a->flags & VACCEL_WIRE_ARG_WRITE) || (a->flags & VACCEL_WIRE_ARG_DATA))
			continue;
		/* Sizes come from the client: compare before adding, so no sum wraps. */
		if (a->size > A.cfg->max_frame - bytes)
			return EFBIG;
		bytes += a->size;
		if (!(a->data = calloc(1, a->size ? a->size : 1)))
			return VACCEL_ENOMEM;
		j->owned[j->nowned++] = a->data;
	}
	return VACCEL_OK;
}

/* ---- frames ---- */

static void set_recv_timeout(int fd, unsigned ms)
{
	struct timeval tv = { .tv_sec = ms / 1000, .tv_usec = (ms % 1000) * 1000 };
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
}

static int send_reply(struct conn *c, uint16_t type, uint64_t id, uint32_t op,
		      const struct vaccel_agent_reply *r)
{
	struct vaccel_wire_frame_bufs bufs;
	struct iovec iov[VACCEL_WIRE_FRAME_MAX_IOV];
	struct vaccel_wire_hdr h = { .magic = VACCEL_WIRE_MAGIC, .version = VACCEL_WIRE_VERSION,
				     .type = type, .id = id, .op = op, .status = r->status };
	int niov = vaccel_wire_frame_iov(&h, r->args, r->n, &bufs, iov);
	if (niov < 0)
		return EMSGSIZE; /* outputs past a frame: the client cannot be answered */
	pthread_mutex_lock(&c->send_lock);
	int rc = vaccel_sock_writev_all(c->fd, iov, niov);
	pthread_mutex_unlock(&c->send_lock);
	return rc;
}

static void answer(struct agent_request *rq, struct vaccel_agent_reply *r)
{
	struct job *j = (struct job *)rq;
	/* A client that does not read its replies holds a worker only until the
	 * send timeout: then it is cut off, and the worker serves others. */
	if (send_reply(j->c, VACCEL_WIRE_REPLY, j->h.id, j->h.op, r)) {
		vaccel_warn("agent: connection %llu: the client does not take its replies: closing",
			    (unsigned long long)j->c->id);
		shutdown(j->c->fd, SHUT_RDWR);
	}
}

/* A job is always the reader's malloc'd one: it goes, run here or queued. */
static void free_job(struct job *j)
{
	for (size_t i = 0; i < j->nowned; i++)
		free(j->owned[i]);
	free(j->payload);
	free(j);
}

static void job_done(struct agent_request *rq)
{
	free_job((struct job *)rq);
}

static const struct agent_channel_ops socket_channel = {
	.prepare = place_outputs,
	.answer = answer,
	.done = job_done,
};

/* Read one frame; NULL with *why set when the connection must close. */
static struct job *read_frame(struct conn *c, uint32_t max_frame, const char **why)
{
	unsigned char hb[VACCEL_WIRE_HDR_SIZE];
	struct job *j = calloc(1, sizeof(*j));
	*why = NULL;
	if (!j) {
		*why = "out of memory";
		return NULL;
	}
	j->c = c;
	/* A client in a loop sends its next request within microseconds: spin
	 * for it before the blocking read. */
	vaccel_sock_wait_readable(c->fd, VACCEL_SOCK_SPIN_US, 0);
	int rc = vaccel_sock_read_all(c->fd, hb, sizeof(hb));
	if (rc) {
		if (rc == EAGAIN || rc == EWOULDBLOCK)
			*why = "no frame in time";
		goto fail; /* closed: no complaint */
	}
	/* Every length is checked here, before the payload is allocated. */
	if (vaccel_wire_hdr_decode(hb, max_frame, &j->h, why))
		goto fail;
	if (!(j->payload = malloc(j->h.len ? j->h.len : 1))) {
		*why = "out of memory for the frame";
		goto fail;
	}
	if (vaccel_sock_read_all(c->fd, j->payload, j->h.len)) {
		*why = "truncated frame";
		goto fail;
	}
	j->nargs = vaccel_wire_args_decode(j->payload, j->h.len, j->h.nargs, j->args,
					   VACCEL_WIRE_MAX_ARGS, why);
	if (j->nargs < 0)
		goto fail;
	return j;
fail:
	free(j->payload);
	free(j);
	return NULL;
}

/* Answer a HELLO frame (freed here); -1 with *why when the client is refused. */
static int answer_hello(struct conn *c, struct job *j, const char **why)
{
	struct agent_welcome w;
	struct vaccel_agent_reply r = { 0 };
	int ret = -1;
	if (j->h.type != VACCEL_WIRE_HELLO)
		*why = "expected HELLO";
	else
		ret = agent_hello(j->args, j->nargs, c->needs_token ? A.cfg->token : NULL,
				  A.cfg->max_frame, &w, &r, why);
	/* A malformed hello gets no answer: the connection just closes. */
	if (!ret || r.status)
		send_reply(c, VACCEL_WIRE_WELCOME, j->h.id, 0, &r);
	free_job(j);
	return ret;
}

static int handshake(struct conn *c, const char **why)
{
	/*
	 * Before it says hello, a peer gets a small frame, and a TCP peer a
	 * deadline. (A UNIX peer may be QEMU's virtio-serial end, connected at
	 * boot, long before a guest program says hello; its socket's mode
	 * already decides who may connect.)
	 */
	if (c->tcp)
		set_recv_timeout(c->fd, A.cfg->handshake_timeout_ms);
	struct job *j = read_frame(c, HELLO_MAX_FRAME, why);
	if (c->tcp)
		set_recv_timeout(c->fd, 0);
	if (!j && *why && !strcmp(*why, "no frame in time"))
		*why = "no HELLO in time";
	return j ? answer_hello(c, j, why) : -1;
}

/*
 * A HELLO on an open connection starts a new client on it: a virtio-serial
 * port carries one stream for every guest process that opens it in turn,
 * so the state of the one before is released first.
 */
static int restart_client(struct conn *c, struct job *j, const char **why)
{
	if (agent_conn_restart(&c->conn)) {
		*why = "out of memory";
		free_job(j);
		return -1;
	}
	c->id = agent_conn_id(&c->conn);
	return answer_hello(c, j, why);
}

static void untrack_fd(int fd);
static void leave(const char *key);

/* Everything the connection created goes with it. */
static void conn_cleanup(struct conn *c)
{
	untrack_fd(c->fd);
	agent_conn_fini(&c->conn);
	close(c->fd);
	pthread_mutex_destroy(&c->send_lock);
	free(c);
}

static void *reader(void *arg)
{
	struct conn *c = arg;
	const char *why = NULL;
	if (!handshake(c, &why)) {
		for (;;) {
			/* A pipelining client is read no further while it has
			 * max_inflight requests, or a frame's worth of bytes,
			 * waiting for their replies. */
			agent_conn_wait_for_room(&c->conn);
			struct job *j = read_frame(c, A.cfg->max_frame, &why);
			if (!j)
				break;
			if (j->h.type == VACCEL_WIRE_HELLO) {
				if (restart_client(c, j, &why))
					break;
				continue;
			}
			if (j->h.type != VACCEL_WIRE_REQUEST)
				why = "not a request";
			else if (j->h.op == 0 || j->h.op >= VACCEL_WIRE_OP_MAX)
				why = "unknown request op";
			if (why) {
				free_job(j);
				break;
			}
			j->rq = (struct agent_request){ .conn = &c->conn, .op = j->h.op,
							.bytes = j->h.len, .args = j->args,
							.nargs = j->nargs };
			if (!agent_conn_run_here(&c->conn, &j->rq))
				agent_conn_queue(&c->conn, &j->rq);
		}
	}
	if (why)
		vaccel_error("agent: connection %llu: closing: %s", (unsigned long long)c->id, why);
	char peer[sizeof(c->peer)];
	memcpy(peer, c->peer, sizeof(peer));
	conn_cleanup(c);
	leave(peer);
	return NULL;
}

/* ---- listening and the main loop ---- */

/* The peer a connection counts against: a TCP address, a VSOCK cid, a UNIX uid. */
static void peer_key(int fd, char *out, size_t len)
{
	struct sockaddr_storage ss;
	socklen_t sl = sizeof(ss);
	char host[INET6_ADDRSTRLEN] = "?";
	struct ucred cr;
	socklen_t cl = sizeof(cr);
	snprintf(out, len, "an unknown peer");
	if (getpeername(fd, (struct sockaddr *)&ss, &sl))
		return;
	if (ss.ss_family == AF_INET || ss.ss_family == AF_INET6) {
		const void *a = ss.ss_family == AF_INET
			? (const void *)&((struct sockaddr_in *)&ss)->sin_addr
			: (const void *)&((struct sockaddr_in6 *)&ss)->sin6_addr;
		inet_ntop(ss.ss_family, a, host, sizeof(host));
		snprintf(out, len, "tcp %s", host);
	} else if (ss.ss_family == AF_VSOCK) {
		snprintf(out, len, "vsock cid %u", ((struct sockaddr_vm *)&ss)->svm_cid);
	} else if (ss.ss_family == AF_UNIX && !getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cr, &cl)) {
		snprintf(out, len, "unix uid %u", (unsigned)cr.uid);
	}
}

static struct peer_count *peer_find(const char *key)
{
	for (size_t i = 0; i < A.npeers; i++)
		if (!strcmp(A.peers[i].key, key))
			return &A.peers[i];
	return NULL;
}

/*
 * Count a new connection from `key` against max-connections and
 * max-connections-per-peer; false (logged once per episode) when it
 * would pass either: the caller closes it at once.
 */
static bool admit(const char *key)
{
	pthread_mutex_lock(&A.lock);
	struct peer_count *p = peer_find(key);
	const char *limit = (unsigned)A.nconns >= A.cfg->max_connections ? "max-connections"
			  : p && p->n >= A.cfg->max_connections_per_peer ? "max-connections-per-peer"
			  : NULL;
	if (!limit && !p) {
		struct peer_count *grown = realloc(A.peers, (A.npeers + 1) * sizeof(*A.peers));
		if (grown) {
			A.peers = grown;
			p = &A.peers[A.npeers++];
			snprintf(p->key, sizeof(p->key), "%s", key);
			p->n = 0;
		} else {
			limit = "out of memory";
		}
	}
	if (limit && !A.refusing)
		vaccel_warn("agent: refusing connections: %s (%s: %u open, %u from it)", key,
			    limit, (unsigned)A.nconns, p ? p->n : 0);
	A.refusing = limit != NULL;
	if (!limit) {
		p->n++;
		A.nconns++;
	}
	pthread_mutex_unlock(&A.lock);
	return !limit;
}

/* A connection from `key` ended. */
static void leave(const char *key)
{
	pthread_mutex_lock(&A.lock);
	struct peer_count *p = peer_find(key);
	if (p && --p->n == 0)
		*p = A.peers[--A.npeers];
	if (--A.nconns == 0)
		pthread_cond_broadcast(&A.conns_gone);
	pthread_mutex_unlock(&A.lock);
}


static void untrack_fd(int fd);

/*
 * The host's operator, whom STATUS tells the whole agent's counts: a UNIX
 * peer running as the agent's user or as root. Guests (TCP, VSOCK, a
 * virtqueue) and other users see their own connection's.
 */
static bool host_operator(const char *peer)
{
	char mine[32];
	snprintf(mine, sizeof(mine), "unix uid %u", (unsigned)geteuid());
	return !strcmp(peer, mine) || !strcmp(peer, "unix uid 0");
}

/* A connection admitted under `peer`: its reader thread, or it is closed. */
static void start_conn(int fd, bool tcp, const char *peer)
{
	struct conn *c = calloc(1, sizeof(*c));
	pthread_t t;
	pthread_attr_t attr;
	if (!c || agent_conn_init(&c->conn, &socket_channel, &A.lim, A.cfg->max_inflight,
				  A.cfg->max_frame)) {
		free(c);
		untrack_fd(fd);
		close(fd);
		leave(peer);
		return;
	}
	snprintf(c->peer, sizeof(c->peer), "%s", peer);
	agent_conn_set_operator(&c->conn, host_operator(peer));
	c->id = agent_conn_id(&c->conn);
	c->fd = fd;
	struct timeval tv = { .tv_sec = A.cfg->send_timeout_ms / 1000,
			      .tv_usec = (A.cfg->send_timeout_ms % 1000) * 1000 };
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	c->tcp = tcp;
	c->needs_token = tcp && A.cfg->token;
	pthread_mutex_init(&c->send_lock, NULL);
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	if (pthread_create(&t, &attr, reader, c)) {
		vaccel_error("agent: cannot start a reader thread");
		conn_cleanup(c);
		leave(peer);
	}
	pthread_attr_destroy(&attr);
}

/* Connections are tracked only by their fds, to wake them at shutdown. */
static int *live_fds;
static size_t nlive;

static void untrack_fd(int fd)
{
	pthread_mutex_lock(&A.lock);
	for (size_t i = 0; i < nlive; i++) {
		if (live_fds[i] == fd) {
			live_fds[i] = live_fds[--nlive];
			break;
		}
	}
	pthread_mutex_unlock(&A.lock);
}

/* The listening side: addresses, workers, the accept thread. */
static struct {
	struct vaccel_addr addrs[MAX_LISTEN];
	struct pollfd pfd[MAX_LISTEN + 1];
	size_t n;
	int stop_pipe[2];
	pthread_t acceptor;
} L;

/* accept4 failed for want of descriptors or memory: waiting is the cure. */
static bool out_of_fds(int err)
{
	return err == EMFILE || err == ENFILE || err == ENOBUFS || err == ENOMEM;
}

/*
 * Out of descriptors, a listener stays readable and poll returns at once:
 * wait on the stop pipe alone a while instead of spinning, and say so once
 * per episode.
 */
static void back_off(bool *warned, int err)
{
	if (!*warned)
		vaccel_warn("agent: cannot accept connections: %s; retrying every %d ms",
			    strerror(err), ACCEPT_BACKOFF_MS);
	*warned = true;
	poll(&L.pfd[L.n], 1, ACCEPT_BACKOFF_MS);
}

static void *accept_loop(void *arg)
{
	(void)arg;
	bool warned = false;
	for (;;) {
		if (poll(L.pfd, L.n + 1, -1) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (L.pfd[L.n].revents)
			break; /* stop() */
		int starved = 0;
		for (size_t i = 0; i < L.n; i++) {
			if (!(L.pfd[i].revents & POLLIN))
				continue;
			int fd = accept4(L.pfd[i].fd, NULL, NULL, SOCK_CLOEXEC);
			if (fd < 0) {
				if (out_of_fds(errno))
					starved = errno;
				continue;
			}
			warned = false;
			char peer[64];
			peer_key(fd, peer, sizeof(peer));
			if (!admit(peer)) {
				close(fd);
				continue;
			}
			pthread_mutex_lock(&A.lock);
			int *grown = realloc(live_fds, (nlive + 1) * sizeof(int));
			if (grown) {
				live_fds = grown;
				live_fds[nlive++] = fd;
			}
			pthread_mutex_unlock(&A.lock);
			start_conn(fd, L.addrs[i].kind == VACCEL_ADDR_TCP, peer);
		}
		if (starved)
			back_off(&warned, starved);
	}
	return NULL;
}

/* Close the listeners and remove UNIX socket files. */
static void close_listeners(void)
{
	for (size_t i = 0; i < L.n; i++) {
		close(L.pfd[i].fd);
		if (L.addrs[i].kind == VACCEL_ADDR_UNIX)
			unlink(L.addrs[i].path);
	}
	L.n = 0;
}

/* Stop: no new connections; readers see end of stream, in-flight requests
 * finish and are answered, then everything is released. */
static void stop(void)
{
	if (write(L.stop_pipe[1], "x", 1) != 1)
		vaccel_warn("agent: cannot wake the accept thread");
	pthread_join(L.acceptor, NULL);
	close_listeners();
	pthread_mutex_lock(&A.lock);
	for (size_t i = 0; i < nlive; i++)
		shutdown(live_fds[i], SHUT_RD);
	while (A.nconns)
		pthread_cond_wait(&A.conns_gone, &A.lock);
	pthread_mutex_unlock(&A.lock);
	free(live_fds);
	live_fds = NULL;
	nlive = 0;
	free(A.peers);
	A.peers = NULL;
	A.npeers = 0;
	A.refusing = false;
	close(L.stop_pipe[0]);
	close(L.stop_pipe[1]);
}

static int start(const struct vaccel_agent_config *cfg)
{
	char err[512];
	int ret = VACCEL_OK;

	A.cfg = cfg;
	A.lim = (struct vaccel_agent_limits){ cfg->max_frame, cfg->max_resource };
	vaccel_agent_init();
	if (!cfg->nr_listen || cfg->nr_listen > MAX_LISTEN) {
		vaccel_error("agent: give 1..%d rpc addresses to listen on", MAX_LISTEN);
		return VACCEL_EINVAL;
	}
	if (pipe2(L.stop_pipe, O_CLOEXEC))
		return errno;
	for (L.n = 0; L.n < cfg->nr_listen; L.n++) {
		const char *why;
		struct vaccel_addr *a = &L.addrs[L.n];
		if (vaccel_addr_parse(cfg->listen[L.n], a, &why)) {
			vaccel_error("agent: address '%s': %s", cfg->listen[L.n], why);
			ret = VACCEL_EINVAL;
			break;
		}
		int fd = vaccel_sock_listen(a, cfg->socket_mode, err, sizeof(err));
		if (fd < 0) {
			vaccel_error("agent: cannot listen on %s", err);
			ret = -fd;
			break;
		}
		L.pfd[L.n] = (struct pollfd){ .fd = fd, .events = POLLIN };
		vaccel_info("agent: listening on %s", cfg->listen[L.n]);
	}
	L.pfd[L.n] = (struct pollfd){ .fd = L.stop_pipe[0], .events = POLLIN };
	if (!ret && pthread_create(&L.acceptor, NULL, accept_loop, NULL))
		ret = VACCEL_ENOMEM;
	if (ret) {
		close_listeners();
		close(L.stop_pipe[0]);
		close(L.stop_pipe[1]);
	}
	return ret;
}

static const char *const schemes[] = { "unix", "tcp", "vsock", NULL };

const struct agent_transport agent_socket_server = {
	.schemes = schemes,
	.start = start,
	.stop = stop,
};
