/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The device side of the virtio transport, in the agent. Host-local
 * clients connect to a UNIX socket (virtio://PATH); the agent creates their
 * region (a memfd) and hands it over with the kick and call eventfds by
 * SCM_RIGHTS, as vhost-user backends receive a guest's memory. QEMU guests
 * share a region file (ivshmem://PATH) that QEMU maps as an ivshmem-plain
 * BAR; with no doorbell, both sides poll. One device thread per region
 * takes requests off the ring and hands them to the connection layer
 * (conn.c), which runs them on that thread or in the agent's worker pool,
 * in place on the shared buffers.
 */
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>
#include "wire/socket.h"
#include "agent/conn.h"
#include "agent/hello.h"
#include "wire/virtio.h"

#define MAX_LISTEN 16

struct vclient {
	struct agent_conn conn;   /* its client, requests in flight (qs at most) */
	bool running;             /* conn set up and the device thread started */
	char name[128];
	int sock;                 /* host-local: the liveness channel; -1 for ivshmem */
	int kick, call;           /* eventfds; -1 for ivshmem */
	unsigned char *base;
	uint64_t size;
	struct vaccel_vring vr;
	uint16_t last_avail;
	bool greeted;             /* its driver's HELLO was welcomed */
	pthread_mutex_t ring_lock; /* the used ring: workers complete concurrently */
	pthread_t thread;
	bool finished;            /* its client left: thread done, to be reaped */
	struct vclient *next;
};

struct job {
	struct agent_request rq;         /* first: the connection layer runs it */
	struct vclient *vc;
	struct vaccel_vring_req req;
	void *copies[VACCEL_WIRE_MAX_ARGS];
	int ncopies;
};

static struct {
	const struct vaccel_agent_config *cfg;
	struct vaccel_agent_limits lim;
	pthread_mutex_t lock;
	bool stopping;
	int stop_pipe[2];
	int reap_fd;              /* an eventfd: a device thread ended, reap it */
	struct vclient *clients;
	pthread_t acceptor;
	bool accepting;
	struct pollfd pfd[MAX_LISTEN + 2]; /* listeners, the stop pipe, reap_fd */
	struct sockaddr_un paths[MAX_LISTEN];
	size_t nsock;
} D = { .lock = PTHREAD_MUTEX_INITIALIZER };

/* ---- running requests ---- */

/* Reply frame into the chain's reply buffer; outputs are already in place. */
static uint32_t write_reply(const struct vaccel_vring_req *req, uint16_t type,
			    struct vaccel_agent_reply *r)
{
	uint64_t len = 0;
	uint32_t nargs = 0;
	for (size_t i = 0; i < r->n; i++)
		if (!(r->args[i].flags & VACCEL_WIRE_ARG_WRITE))
			len += vaccel_wire_arg_size(r->args[i].size, true), nargs++;
	if (VACCEL_WIRE_HDR_SIZE + len > req->reply_len) {
		r->status = VACCEL_ENOBUFS;
		nargs = 0;
		len = 0;
	}
	struct vaccel_wire_hdr h = { VACCEL_WIRE_MAGIC, VACCEL_WIRE_VERSION, type,
				     req->hdr.id, req->hdr.op, r->status, nargs, (uint32_t)len };
	unsigned char *p = req->reply;
	vaccel_wire_hdr_encode(&h, p);
	p += VACCEL_WIRE_HDR_SIZE;
	for (size_t i = 0; nargs && i < r->n; i++) {
		if (r->args[i].flags & VACCEL_WIRE_ARG_WRITE)
			continue;
		unsigned char rec[VACCEL_WIRE_ARG_HDR_SIZE];
		struct iovec iov[3];
		int n = vaccel_wire_arg_iov(r->args[i].type, VACCEL_WIRE_ARG_DATA, r->args[i].data,
					    r->args[i].size, rec, iov);
		for (int k = 0; k < n; k++) {
			memcpy(p, iov[k].iov_base, iov[k].iov_len);
			p += iov[k].iov_len;
		}
	}
	return (uint32_t)(VACCEL_WIRE_HDR_SIZE + len);
}

/* Small read args are copied out of shared memory before use: a string's
 * terminator checked in the region could be gone by the time it is read. */
#define COPY_BELOW 4096

static int copy_small_reads(struct agent_request *rq)
{
	struct job *j = (struct job *)rq;
	j->ncopies = 0;
	for (int i = 0; i < j->req.nargs; i++) {
		struct vaccel_wire_arg *a = &j->req.args[i];
		if (!(a->flags & VACCEL_WIRE_ARG_WRITE) && a->data && a->size <= COPY_BELOW) {
			void *c = malloc(a->size ? a->size : 1);
			if (c) {
				memcpy(c, a->data, a->size);
				a->data = j->copies[j->ncopies++] = c;
			}
		}
	}
	return VACCEL_OK;
}

/* The reply goes in the chain; the chain goes back; a sleeping driver is woken. */
static void complete(struct vclient *vc, const struct vaccel_vring_req *req, uint16_t type,
		     struct vaccel_agent_reply *r)
{
	uint32_t len = write_reply(req, type, r);
	pthread_mutex_lock(&vc->ring_lock);
	vaccel_vring_complete(&vc->vr, req->head, len);
	pthread_mutex_unlock(&vc->ring_lock);
	if (vc->call >= 0 && __atomic_load_n(&vc->vr.shm->driver_sleeping, __ATOMIC_ACQUIRE)) {
		uint64_t one = 1;
		if (write(vc->call, &one, sizeof(one)) != sizeof(one))
			vaccel_debug("virtio: %s: call failed", vc->name);
	}
}

static void answer(struct agent_request *rq, struct vaccel_agent_reply *r)
{
	struct job *j = (struct job *)rq;
	complete(j->vc, &j->req, VACCEL_WIRE_REPLY, r);
}

static void job_done(struct agent_request *rq)
{
	struct job *j = (struct job *)rq;
	for (int i = 0; i < j->ncopies; i++)
		free(j->copies[i]);
	if (rq->queued)
		free(j);
}

static const struct agent_channel_ops virtio_channel = {
	.prepare = copy_small_reads,
	.answer = answer,
	.done = job_done,
};

/*
 * Run a request taken off the ring: on this thread (the job on its stack)
 * or, when the connection layer says so, a copy in the pool.
 */
static int run_request(struct vclient *vc, const struct vaccel_vring_req *req)
{
	struct job j = { .vc = vc, .req = *req };
	j.rq = (struct agent_request){ .conn = &vc->conn, .op = req->hdr.op };
	j.rq.args = j.req.args;
	j.rq.nargs = j.req.nargs;
	if (agent_conn_run_here(&vc->conn, &j.rq))
		return VACCEL_OK;
	/* A driver never has more chains in flight than its queue holds: one
	 * that republishes heads waits here rather than queueing jobs without
	 * bound (it then runs past the queue size and breaks its own queue). */
	agent_conn_wait_for_room(&vc->conn);
	struct job *q = malloc(sizeof(*q));
	if (!q)
		return VACCEL_ENOMEM;
	*q = j;
	q->rq.args = q->req.args;
	agent_conn_queue(&vc->conn, &q->rq);
	return VACCEL_OK;
}

/*
 * The handshake (hello.c), answered on the device thread: a HELLO gets its
 * WELCOME in the chain (no token: the region is already the client's own,
 * as a UNIX socket's mode decides who connects), and until one was
 * welcomed, any other request is refused naming both protocols: a driver
 * older than the handshake would otherwise run without the op list.
 */
static void greet(struct vclient *vc, const struct vaccel_vring_req *req)
{
	struct agent_welcome w;
	struct vaccel_agent_reply r = { 0 };
	const char *why = NULL;
	if (agent_hello(req->args, req->nargs, NULL, D.cfg->max_frame, &w, &r, &why)) {
		vaccel_warn("virtio: %s: %s", vc->name, why);
		if (!r.status)
			agent_refuse(&r, VACCEL_EBACKEND, "malformed HELLO: %s", why);
	}
	vc->greeted = !r.status;
	complete(vc, req, VACCEL_WIRE_WELCOME, &r);
}

static void refuse_ungreeted(struct vclient *vc, const struct vaccel_vring_req *req)
{
	struct vaccel_agent_reply r = { 0 };
	agent_refuse(&r, VACCEL_EBACKEND, "the agent speaks virtqueue protocol %u, which starts "
		     "with a HELLO; the client speaks protocol 1 (none): update it",
		     VACCEL_VRING_PROTOCOL);
	vaccel_warn("virtio: %s: a request before the HELLO: the driver is older than the "
		    "handshake", vc->name);
	complete(vc, req, VACCEL_WIRE_REPLY, &r);
}

/* A request off the ring: the handshake, or one for the connection layer. */
static int take_request(struct vclient *vc, const struct vaccel_vring_req *req)
{
	if (req->hdr.type == VACCEL_WIRE_HELLO)
		greet(vc, req);
	else if (!vc->greeted)
		refuse_ungreeted(vc, req);
	else
		return run_request(vc, req);
	return VACCEL_OK;
}

/* ---- the device thread of one region ---- */

/* ivshmem: a driver attaching bumps its generation; start over for it. */
static void maybe_reset(struct vclient *vc)
{
	struct vaccel_vring_shm *shm = vc->vr.shm;
	uint32_t gen = __atomic_load_n(&shm->driver_generation, __ATOMIC_ACQUIRE);
	if (gen == shm->device_generation)
		return;
	if (agent_conn_restart(&vc->conn))
		vaccel_error("virtio: %s: out of memory for a new driver's client", vc->name);
	vc->last_avail = __atomic_load_n(vc->vr.avail_idx, __ATOMIC_ACQUIRE);
	vc->greeted = false; /* the new driver says hello first */
	shm->device_status &= ~VACCEL_VRING_DEVICE_BROKEN;
	__atomic_store_n(&shm->device_generation, gen, __ATOMIC_RELEASE);
	vaccel_info("virtio: %s: driver attached (generation %u)", vc->name, gen);
}

/* Sleep until a kick, the client leaving, or stop; false when it must end. */
static bool sleep_for_work(struct vclient *vc, unsigned *backoff_us)
{
	if (vc->kick < 0) { /* ivshmem: no doorbell, back off up to 1 ms */
		struct timespec ts = { 0, (long)*backoff_us * 1000 };
		nanosleep(&ts, NULL);
		if (*backoff_us < 1000)
			*backoff_us *= 2;
		return !__atomic_load_n(&D.stopping, __ATOMIC_ACQUIRE);
	}
	struct vaccel_vring_shm *shm = vc->vr.shm;
	__atomic_store_n(&shm->device_sleeping, 1, __ATOMIC_SEQ_CST);
	/* Re-check after announcing: a request published meanwhile is not lost. */
	if (__atomic_load_n(vc->vr.avail_idx, __ATOMIC_SEQ_CST) != vc->last_avail) {
		__atomic_store_n(&shm->device_sleeping, 0, __ATOMIC_RELAXED);
		return true;
	}
	struct pollfd p[3] = { { vc->kick, POLLIN, 0 }, { vc->sock, POLLIN, 0 },
			       { D.stop_pipe[0], POLLIN, 0 } };
	poll(p, 3, 1000);
	__atomic_store_n(&shm->device_sleeping, 0, __ATOMIC_RELAXED);
	uint64_t v;
	if (p[0].revents & POLLIN && read(vc->kick, &v, sizeof(v)) < 0)
		vaccel_debug("virtio: %s: kick read failed", vc->name);
	if (p[1].revents) {
		char c;
		if (recv(vc->sock, &c, 1, MSG_DONTWAIT) <= 0)
			return false; /* the client closed its end: it is gone */
	}
	return !p[2].revents;
}

static void *device_thread(void *arg)
{
	struct vclient *vc = arg;
	unsigned spin_us = VIRTIO_DEFAULT_SPIN_US, backoff = 10;
	uint64_t idle_since = now_us();
	const char *why = NULL;
	while (!__atomic_load_n(&D.stopping, __ATOMIC_ACQUIRE)) {
		if (vc->sock < 0)
			maybe_reset(vc);
		if (vc->vr.shm->device_status & VACCEL_VRING_DEVICE_BROKEN) {
			if (vc->sock >= 0)
				break;
			sleep_for_work(vc, &backoff); /* ivshmem: wait for a new driver */
			continue;
		}
		struct vaccel_vring_req req;
		int got = vaccel_vring_next(&vc->vr, &vc->last_avail, &req, &why);
		if (got < 0) {
			vaccel_error("virtio: %s: queue broken: %s; releasing its sessions", vc->name, why);
			vaccel_vring_break(&vc->vr, why);
			if (agent_conn_restart(&vc->conn))
				break;
			continue;
		}
		if (got > 0) {
			if (take_request(vc, &req))
				break;
			idle_since = now_us();
			backoff = 10;
			continue;
		}
		/* Empty: spin a bounded time (the next request is often close), then sleep. */
		uint64_t idle = now_us() - idle_since;
		if (idle < spin_us) {
			spin_step(idle);
			continue;
		}
		if (!sleep_for_work(vc, &backoff))
			break;
	}
	agent_conn_wait_idle(&vc->conn);
	if (!__atomic_load_n(&D.stopping, __ATOMIC_ACQUIRE)) {
		/* The client left: release what it created now, not at agent stop. */
		agent_conn_drop_client(&vc->conn);
		__atomic_store_n(&vc->finished, true, __ATOMIC_RELEASE);
		/* Its region and descriptors go now, not at the next accept. */
		uint64_t one = 1;
		if (write(D.reap_fd, &one, sizeof(one)) != sizeof(one))
			vaccel_debug("virtio: cannot wake the acceptor to reap %s", vc->name);
	}
	return NULL;
}

static void client_close(struct vclient *vc)
{
	if (vc->running)
		agent_conn_fini(&vc->conn);
	if (vc->base)
		munmap(vc->base, vc->size);
	if (vc->sock >= 0)
		close(vc->sock);
	if (vc->kick >= 0)
		close(vc->kick);
	if (vc->call >= 0)
		close(vc->call);
	pthread_mutex_destroy(&vc->ring_lock);
	free(vc);
}

static int client_start(struct vclient *vc)
{
	const char *why;
	if (vaccel_vring_attach(&vc->vr, vc->base, vc->size, &why)) {
		vaccel_error("virtio: %s: %s", vc->name, why);
		return VACCEL_EINVAL;
	}
	pthread_mutex_init(&vc->ring_lock, NULL);
	if (agent_conn_init(&vc->conn, &virtio_channel, &D.lim, vc->vr.qs, 0))
		return VACCEL_ENOMEM;
	vc->vr.shm->device_status = VACCEL_VRING_DEVICE_READY;
	if (pthread_create(&vc->thread, NULL, device_thread, vc)) {
		agent_conn_fini(&vc->conn);
		return VACCEL_ENOMEM;
	}
	vc->running = true;
	pthread_mutex_lock(&D.lock);
	vc->next = D.clients;
	D.clients = vc;
	pthread_mutex_unlock(&D.lock);
	return VACCEL_OK;
}

/* ---- host-local: a memfd region per connection ---- */

static int send_region(int sock, int memfd, int kick, int call, uint64_t size)
{
	struct virtio_hello hello = { VIRTIO_HELLO_MAGIC, 1, size };
	int fds[3] = { memfd, kick, call };
	return vaccel_sock_send_fds(sock, &hello, sizeof(hello), fds, 3);
}

/* Free the clients whose device threads ended (accept thread only). */
static void reap_finished(void)
{
	pthread_mutex_lock(&D.lock);
	for (struct vclient **it = &D.clients; *it;) {
		struct vclient *vc = *it;
		if (__atomic_load_n(&vc->finished, __ATOMIC_ACQUIRE)) {
			*it = vc->next;
			pthread_join(vc->thread, NULL);
			client_close(vc);
		} else {
			it = &vc->next;
		}
	}
	pthread_mutex_unlock(&D.lock);
}

/* Accept one client; the errno when out of descriptors or memory, else 0. */
static int accept_local(int lfd, const char *addr)
{
	reap_finished();
	struct vclient *vc = calloc(1, sizeof(*vc));
	int sock = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
	if (!vc || sock < 0) {
		int err = !vc ? ENOMEM : errno;
		free(vc);
		if (sock >= 0)
			close(sock);
		return err == EMFILE || err == ENFILE || err == ENOBUFS || err == ENOMEM ? err : 0;
	}
	vc->sock = sock;
	vc->size = VIRTIO_REGION_SIZE;
	int memfd = memfd_create("vaccel-virtqueue", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	vc->kick = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	vc->call = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	/* Sealed before the client gets it: a client that could shrink the
	 * region would kill the agent with SIGBUS on its next access. */
	int err = memfd < 0 || vc->kick < 0 || vc->call < 0 ||
		  ftruncate(memfd, (off_t)vc->size) ||
		  fcntl(memfd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_SEAL) ? errno : 0;
	if (!err) {
		vc->base = mmap(NULL, vc->size, PROT_READ | PROT_WRITE, MAP_SHARED, memfd, 0);
		if (vc->base == MAP_FAILED) {
			vc->base = NULL;
			err = errno;
		}
	}
	if (!err)
		err = vaccel_vring_format(vc->base, vc->size, VIRTIO_QUEUE_SIZE);
	snprintf(vc->name, sizeof(vc->name), "%s client", addr);
	if (!err)
		err = client_start(vc);
	if (!err)
		err = send_region(sock, memfd, vc->kick, vc->call, vc->size);
	if (memfd >= 0)
		close(memfd);
	if (err) {
		vaccel_error("virtio: %s: cannot set up a region: %s", addr, strerror(err));
		if (vc->running) /* the device thread ends when the socket closes */
			shutdown(sock, SHUT_RDWR);
		else
			client_close(vc);
	}
	return 0;
}

/* ---- ivshmem: a region file a VM maps ---- */

static int open_ivshmem(const char *path, unsigned mode)
{
	struct vclient *vc = calloc(1, sizeof(*vc));
	if (!vc)
		return VACCEL_ENOMEM;
	vc->sock = vc->kick = vc->call = -1;
	vc->size = VIRTIO_IVSHMEM_SIZE;
	snprintf(vc->name, sizeof(vc->name), "ivshmem://%s", path);
	int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, mode);
	int err = fd < 0 || ftruncate(fd, (off_t)vc->size) ? errno : 0;
	if (!err) {
		vc->base = mmap(NULL, vc->size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
		err = vc->base == MAP_FAILED ? errno : 0;
		if (err)
			vc->base = NULL;
	}
	if (fd >= 0)
		close(fd);
	if (!err) {
		memset(vc->base, 0, VACCEL_VRING_HDR_SIZE);
		err = vaccel_vring_format(vc->base, vc->size, VIRTIO_QUEUE_SIZE);
	}
	if (!err)
		err = client_start(vc);
	if (err) {
		vaccel_error("virtio: %s: %s", vc->name, strerror(err));
		client_close(vc);
		return err;
	}
	vaccel_info("agent: listening on %s (%llu bytes, polled)", vc->name,
		    (unsigned long long)vc->size);
	return VACCEL_OK;
}

static void *accept_loop(void *arg)
{
	(void)arg;
	bool warned = false;
	for (;;) {
		if (poll(D.pfd, D.nsock + 2, -1) < 0 && errno != EINTR)
			break;
		if (D.pfd[D.nsock].revents)
			break;
		uint64_t n;
		if ((D.pfd[D.nsock + 1].revents & POLLIN) && read(D.reap_fd, &n, sizeof(n)) > 0)
			reap_finished();
		int starved = 0;
		for (size_t i = 0; i < D.nsock; i++)
			if ((D.pfd[i].revents & POLLIN) && !starved)
				starved = accept_local(D.pfd[i].fd, D.paths[i].sun_path);
		/* Out of descriptors the listener stays readable: wait on the stop
		 * pipe a while instead of spinning, and say so once per episode. */
		if (starved && !warned)
			vaccel_warn("virtio: cannot accept clients: %s; retrying every 100 ms",
				    strerror(starved));
		warned = starved != 0;
		if (starved)
			poll(&D.pfd[D.nsock], 1, 100);
	}
	return NULL;
}

static void stop(void)
{
	__atomic_store_n(&D.stopping, true, __ATOMIC_RELEASE);
	if (write(D.stop_pipe[1], "x", 1) != 1)
		vaccel_warn("virtio: cannot wake the device threads");
	if (D.accepting)
		pthread_join(D.acceptor, NULL);
	for (size_t i = 0; i < D.nsock; i++) {
		close(D.pfd[i].fd);
		unlink(D.paths[i].sun_path);
	}
	/* Device threads end, their requests in flight are answered first. */
	for (struct vclient *vc = D.clients; vc; vc = vc->next)
		pthread_join(vc->thread, NULL);
	while (D.clients) {
		struct vclient *vc = D.clients;
		D.clients = vc->next;
		client_close(vc);
	}
	close(D.stop_pipe[0]);
	close(D.stop_pipe[1]);
	close(D.reap_fd);
}

static int start(const struct vaccel_agent_config *cfg)
{
	char err[512];
	int ret = VACCEL_OK;
	D.cfg = cfg;
	D.lim = (struct vaccel_agent_limits){ cfg->max_frame, cfg->max_resource };
	vaccel_agent_init();
	if (pipe2(D.stop_pipe, O_CLOEXEC))
		return errno;
	if ((D.reap_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)) < 0) {
		close(D.stop_pipe[0]);
		close(D.stop_pipe[1]);
		return errno;
	}
	for (size_t i = 0; !ret && i < cfg->nr_listen; i++) {
		const char *a = cfg->listen[i];
		if (!strncmp(a, "ivshmem://", 10)) {
			ret = open_ivshmem(a + 10, cfg->socket_mode);
			continue;
		}
		/* virtio://PATH: a UNIX socket clients attach through. */
		struct vaccel_addr ua = { .kind = VACCEL_ADDR_UNIX };
		const char *path = a + 9;
		if (strncmp(a, "virtio://", 9) || !*path || strlen(path) >= sizeof(ua.path)) {
			vaccel_error("agent: address '%s': expected virtio://PATH or ivshmem://PATH", a);
			ret = VACCEL_EINVAL;
			break;
		}
		strcpy(ua.path, path);
		int fd = vaccel_sock_listen(&ua, cfg->socket_mode, err, sizeof(err));
		if (fd < 0) {
			vaccel_error("agent: cannot listen on %s", err);
			ret = -fd;
			break;
		}
		D.pfd[D.nsock] = (struct pollfd){ fd, POLLIN, 0 };
		D.paths[D.nsock].sun_family = AF_UNIX;
		strcpy(D.paths[D.nsock].sun_path, path);
		D.nsock++;
		vaccel_info("agent: listening on %s", a);
	}
	D.pfd[D.nsock] = (struct pollfd){ D.stop_pipe[0], POLLIN, 0 };
	D.pfd[D.nsock + 1] = (struct pollfd){ D.reap_fd, POLLIN, 0 };
	if (!ret && pthread_create(&D.acceptor, NULL, accept_loop, NULL))
		ret = VACCEL_ENOMEM;
	D.accepting = !ret;
	if (ret)
		stop();
	return ret;
}

static const char *const schemes[] = { "virtio", "ivshmem", NULL };

const struct agent_transport agent_virtio_device = {
	.schemes = schemes,
	.start = start,
	.stop = stop,
};
