/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The virtqueue channel's client side (virtio://, ivshmem://): the
 * driver of the virtio transport. A request is a descriptor chain in the shared region: its
 * frame header and records, one buffer per argument (the caller's own
 * memory when it already lies in the region, a copy otherwise) and a reply
 * buffer; its reply stays in the chain's reply buffer, read there. Several
 * threads may have requests in flight (calls.c: ids, deadlines, which
 * waiting thread receives); the one receiving watches the used ring for
 * all, spinning a bounded time before it sleeps on the call eventfd
 * (host-local) or backs off (ivshmem, which has no doorbell). A request
 * with no reply in time kills the channel: the agent may still write into
 * its buffers, so nothing of it is reused.
 */
#include <assert.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "wire/socket.h"
#include "wire/virtio.h"
#include "transport/chan.h"

#define PAGE 4096u

/* The chain whose head a slot is: its call's id, and its reply's length. */
struct slot {
	bool busy;
	uint32_t len;
	uint64_t id;
};

struct chan {
	struct calls calls;            /* first: ids, pending calls, deadlines */
	char address[300];
	int sock, kick, call;          /* -1 for ivshmem */
	unsigned char *base;
	uint64_t size;
	struct vaccel_vring vr;
	int timeout_ms;
	unsigned spin_us;
	unsigned backoff;              /* ivshmem: the receiving thread's, in µs */
	pthread_mutex_t lock;          /* everything below */
	pthread_cond_t space_cv;
	uint16_t free_head, nfree;
	uint16_t next_free[VACCEL_VRING_MAX_QUEUE];
	uint16_t avail_idx, last_used;
	struct slot slot[VACCEL_VRING_MAX_QUEUE];
	uint64_t pages;                /* heap pages, private bookkeeping: */
	uint8_t *page_used;            /* the agent cannot corrupt it */
	uint32_t *run;                 /* pages of the allocation starting here */
	int refs;
};

/* ---- heap pages (lock held) ---- */

/* First run of `want` free pages in [from, to), or UINT64_MAX. */
static uint64_t find_run(const struct chan *c, uint64_t from, uint64_t to, uint64_t want)
{
	for (uint64_t p = from; p + want <= to;) {
		uint64_t k = 0;
		while (k < want && !c->page_used[p + k])
			k++;
		if (k == want)
			return p;
		p += k + 1;
	}
	return UINT64_MAX;
}

static uint64_t heap_alloc(struct chan *c, uint64_t bytes)
{
	uint64_t want = bytes ? (bytes + PAGE - 1) / PAGE : 1;
	/* First fit from the bottom: a small working set of pages stays hot;
	 * walking the whole region would fault in fresh pages on every call. */
	uint64_t p = find_run(c, 0, c->pages, want);
	if (p == UINT64_MAX)
		return 0;
	memset(c->page_used + p, 1, want);
	c->run[p] = (uint32_t)want;
	return c->vr.shm->heap_off + p * PAGE;
}

static void heap_free(struct chan *c, uint64_t off)
{
	uint64_t p = (off - c->vr.shm->heap_off) / PAGE;
	if (p < c->pages && c->run[p]) {
		memset(c->page_used + p, 0, c->run[p]);
		c->run[p] = 0;
	}
}

static bool in_heap(struct chan *c, const void *p, uint64_t size)
{
	const unsigned char *b = p;
	return b >= c->base + c->vr.shm->heap_off && b <= c->base + c->size &&
	       size <= (uint64_t)(c->base + c->size - b);
}

/* ---- completions ---- */

/* Every call fails, and nothing of the region is reused; lock held. */
static void mark_dead(struct chan *c, const char *why)
{
	calls_fail(&c->calls, why);
	pthread_cond_broadcast(&c->space_cv);
}

/* The agent says it broke the queue: the channel dies; lock held. */
static void check_broken(struct chan *c)
{
	if (__atomic_load_n(&c->vr.shm->device_status, __ATOMIC_ACQUIRE) & VACCEL_VRING_DEVICE_BROKEN) {
		char why[128];
		snprintf(why, sizeof(why), "the agent broke the queue: %.96s", c->vr.shm->broken_reason);
		mark_dead(c, why);
	}
}

/*
 * Answer the calls whose chains came back. Only the receiving thread
 * reaps (calls.c), so last_used needs no lock; a slot is published
 * before its head can come back, and taken here with one atomic
 * exchange, so a head the agent names early or twice is answered once
 * and never raced.
 */
static void reap(struct chan *c)
{
	uint16_t used = __atomic_load_n(c->vr.used_idx, __ATOMIC_ACQUIRE);
	while (c->last_used != used) {
		struct vaccel_vring_used_elem e = c->vr.used_ring[c->last_used % c->vr.qs];
		c->last_used++;
		struct slot *sl = &c->slot[e.id < c->vr.qs ? e.id : 0];
		if (e.id < c->vr.qs && __atomic_exchange_n(&sl->busy, false, __ATOMIC_ACQ_REL)) {
			__atomic_store_n(&sl->len, e.len, __ATOMIC_RELAXED);
			c->backoff = 10;
			calls_answer(&c->calls, __atomic_load_n(&sl->id, __ATOMIC_RELAXED), VACCEL_OK);
		}
	}
	if (__atomic_load_n(&c->vr.shm->device_status, __ATOMIC_ACQUIRE) & VACCEL_VRING_DEVICE_BROKEN) {
		pthread_mutex_lock(&c->lock);
		check_broken(c);
		pthread_mutex_unlock(&c->lock);
	}
}

static bool used_moved(struct chan *c)
{
	return __atomic_load_n(c->vr.used_idx, __ATOMIC_ACQUIRE) != c->last_used;
}

/*
 * Wait for the used ring to move: spin a bounded time (replies to small ops
 * come back in microseconds), then sleep on the call eventfd (host-local)
 * or back off (ivshmem). Called by the receiving thread, unlocked.
 */
static void poll_used(struct chan *c, int max_ms, unsigned *backoff)
{
	uint64_t t0 = now_us(), spun = 0;
	while (!used_moved(c) && (spun = now_us() - t0) < c->spin_us)
		spin_step(spun);
	if (used_moved(c))
		return;
	if (c->call < 0) {
		struct timespec ts = { 0, (long)*backoff * 1000 };
		nanosleep(&ts, NULL);
		if (*backoff < 1000)
			*backoff *= 2;
		return;
	}
	__atomic_store_n(&c->vr.shm->driver_sleeping, 1, __ATOMIC_SEQ_CST);
	if (!used_moved(c)) {
		struct pollfd p[2] = { { c->call, POLLIN, 0 }, { c->sock, POLLIN, 0 } };
		poll(p, 2, max_ms);
		uint64_t v;
		if ((p[0].revents & POLLIN) && read(c->call, &v, sizeof(v)) < 0)
			v = 0;
		char ch;
		if (p[1].revents && recv(c->sock, &ch, 1, MSG_DONTWAIT | MSG_PEEK) <= 0) {
			pthread_mutex_lock(&c->lock);
			mark_dead(c, "the agent went away");
			pthread_mutex_unlock(&c->lock);
		}
	}
	__atomic_store_n(&c->vr.shm->driver_sleeping, 0, __ATOMIC_RELAXED);
}

/* ---- requests ---- */

struct placed {
	uint64_t off;     /* buffer offset in the region */
	bool copy;        /* a heap copy (to fill / read back), not the caller's */
};

static void release(struct chan *c, uint16_t *ids, int nd, struct placed *pl, int npl,
		    uint64_t hdr, uint64_t reply)
{
	for (int i = 0; i < npl; i++)
		if (pl[i].copy)
			heap_free(c, pl[i].off);
	if (hdr)
		heap_free(c, hdr);
	if (reply)
		heap_free(c, reply);
	for (int i = nd - 1; i >= 0; i--) {
		c->next_free[ids[i]] = c->free_head;
		c->free_head = ids[i];
		c->nfree++;
	}
	pthread_cond_broadcast(&c->space_cv);
}

/* Land the reply's inline args (control ops) or the agent's message (failures). */
static int read_reply(struct chan *c, uint64_t reply, uint32_t len, uint32_t op, struct call *k)
{
	struct vaccel_wire_hdr h;
	const char *why;
	unsigned char *p = c->base + reply;
	if (len < VACCEL_WIRE_HDR_SIZE || len > VIRTIO_REPLY_BYTES ||
	    vaccel_wire_hdr_decode(p, VIRTIO_REPLY_BYTES, &h, &why) ||
	    h.len + VACCEL_WIRE_HDR_SIZE > len) {
		vaccel_error("virtio: %s: malformed reply", c->address);
		return VACCEL_EIO;
	}
	struct vaccel_wire_arg a[VACCEL_WIRE_MAX_ARGS];
	unsigned char payload[VIRTIO_REPLY_BYTES];
	memcpy(payload, p + VACCEL_WIRE_HDR_SIZE, h.len);
	int n = vaccel_wire_args_decode(payload, h.len, h.nargs, a, VACCEL_WIRE_MAX_ARGS, &why);
	if (n < 0)
		return VACCEL_EIO;
	if (h.status && h.status != VACCEL_ENOBUFS) {
		if (n == 1 && a[0].type == VACCEL_ARG_STRING && a[0].size &&
		    memchr(a[0].data, '\0', a[0].size))
			snprintf(k->message, sizeof(k->message), "%s", (const char *)a[0].data);
		return h.status;
	}
	for (int i = 0; op != VACCEL_WIRE_GENOP && i < n && (size_t)i < k->ndst; i++) {
		if (a[i].size > k->dst[i].size)
			return VACCEL_EIO;
		memcpy(k->dst[i].buf, a[i].data, a[i].size);
		k->dst[i].size = a[i].size;
	}
	return h.status;
}

/* An arg with a buffer of its own in the chain (data in, or room out). */
static bool has_buffer(const struct vaccel_wire_out *a)
{
	return (a->flags & (VACCEL_WIRE_ARG_DATA | VACCEL_WIRE_ARG_WRITE)) != 0;
}

/* One request's descriptors and region buffers, from reserve() to finish(). */
struct request {
	uint16_t ids[VACCEL_WIRE_MAX_ARGS + 2]; /* header, one per buffer, reply */
	int nd;
	struct placed pl[VACCEL_WIRE_MAX_ARGS]; /* the args with a buffer, in order */
	int npl;
	uint64_t hdr, hdr_bytes, reply;
};
static_assert(sizeof(struct request) <= CALL_CHAN_BYTES, "a call has room for its request");

/* Take the request's descriptors off the free list; lock held. */
static void take_descriptors(struct chan *c, struct request *rq)
{
	for (int i = 0; i < rq->nd; i++) {
		rq->ids[i] = c->free_head;
		c->free_head = c->next_free[rq->ids[i]];
		c->nfree--;
	}
}

/* Header and reply buffers, and a buffer per arg that needs one; lock held. */
static int place_buffers(struct chan *c, struct request *rq, const struct vaccel_wire_out *args,
			 size_t n)
{
	if (!(rq->hdr = heap_alloc(c, rq->hdr_bytes)) ||
	    !(rq->reply = heap_alloc(c, VIRTIO_REPLY_BYTES)))
		return VACCEL_ENOMEM;
	for (size_t i = 0; i < n; i++) {
		if (!has_buffer(&args[i]))
			continue;
		/* Zero copy: a buffer already in the region is passed as it is. */
		if (args[i].data && in_heap(c, args[i].data, args[i].size)) {
			rq->pl[rq->npl++] = (struct placed){ (uint64_t)((const unsigned char *)args[i].data - c->base), false };
		} else if ((rq->pl[rq->npl].off = heap_alloc(c, args[i].size))) {
			rq->pl[rq->npl++].copy = true;
		} else {
			return VACCEL_ENOMEM;
		}
	}
	return VACCEL_OK;
}

/*
 * Reserve what the request needs: its descriptors (waiting a bounded time
 * for enough to be free) and its buffers. On failure, says why and gives
 * back what it took (unless the channel is dead: then nothing is reused).
 */
static int reserve(struct chan *c, struct request *rq, const struct vaccel_wire_out *args,
		   size_t n)
{
	struct timespec dl;
	clock_gettime(CLOCK_REALTIME, &dl);
	dl.tv_sec += c->timeout_ms / 1000 + 1;
	pthread_mutex_lock(&c->lock);
	while (!calls_dead(&c->calls) && c->nfree < rq->nd)
		if (pthread_cond_timedwait(&c->space_cv, &c->lock, &dl) == ETIMEDOUT)
			mark_dead(c, "no free descriptors in time");
	int ret = calls_dead(&c->calls) ? VACCEL_EIO : VACCEL_OK;
	if (!ret) {
		take_descriptors(c, rq);
		ret = place_buffers(c, rq, args, n);
	}
	if (ret && calls_dead(&c->calls)) {
		vaccel_error("virtio: %s: %s", c->address, c->calls.why);
	} else if (ret) {
		vaccel_error("virtio: %s: request of more than %llu bytes does not fit the "
			     "shared region", c->address, (unsigned long long)c->vr.shm->heap_size / 2);
		release(c, rq->ids, rq->nd, rq->pl, rq->npl, rq->hdr, rq->reply);
	}
	pthread_mutex_unlock(&c->lock);
	return ret;
}

/* Fill the buffers and the chain (ours until published); unlocked. */
static void fill_chain(struct chan *c, const struct request *rq, const struct call *p, uint32_t op,
		       const struct vaccel_wire_out *args, size_t n)
{
	struct vaccel_wire_hdr h = { VACCEL_WIRE_MAGIC, VACCEL_WIRE_VERSION, p->type, p->id, op, 0,
				     (uint32_t)n, (uint32_t)(VACCEL_WIRE_ARG_HDR_SIZE * n) };
	vaccel_wire_hdr_encode(&h, c->base + rq->hdr);
	struct vaccel_vring_desc *d = c->vr.desc;
	const uint16_t *ids = rq->ids;
	int k = 0, di = 1;
	d[ids[0]] = (struct vaccel_vring_desc){ rq->hdr, (uint32_t)rq->hdr_bytes, VACCEL_VRING_DESC_F_NEXT, ids[1] };
	for (size_t i = 0; i < n; i++) {
		struct iovec iov[3];
		vaccel_wire_arg_iov(args[i].type, args[i].flags, NULL, args[i].size,
				    c->base + rq->hdr + VACCEL_WIRE_HDR_SIZE + i * VACCEL_WIRE_ARG_HDR_SIZE, iov);
		if (!has_buffer(&args[i]))
			continue;
		const struct placed *pl = &rq->pl[k];
		if (pl->copy && (args[i].flags & VACCEL_WIRE_ARG_DATA) && args[i].size)
			memcpy(c->base + pl->off, args[i].data, args[i].size);
		uint16_t f = VACCEL_VRING_DESC_F_NEXT |
			     ((args[i].flags & VACCEL_WIRE_ARG_WRITE) ? VACCEL_VRING_DESC_F_WRITE : 0);
		d[ids[di]] = (struct vaccel_vring_desc){ pl->off, (uint32_t)args[i].size, f, ids[di + 1] };
		k++;
		di++;
	}
	d[ids[di]] = (struct vaccel_vring_desc){ rq->reply, VIRTIO_REPLY_BYTES, VACCEL_VRING_DESC_F_WRITE, 0 };
}

/* Hand the chain to the agent, and wake it if it sleeps. */
static void publish(struct chan *c, uint16_t head, uint64_t id)
{
	pthread_mutex_lock(&c->lock);
	__atomic_store_n(&c->slot[head].id, id, __ATOMIC_RELAXED);
	__atomic_store_n(&c->slot[head].busy, true, __ATOMIC_RELEASE);
	c->vr.avail_ring[c->avail_idx % c->vr.qs] = head;
	c->avail_idx++;
	__atomic_store_n(c->vr.avail_idx, c->avail_idx, __ATOMIC_SEQ_CST);
	pthread_mutex_unlock(&c->lock);
	if (c->kick >= 0 && __atomic_load_n(&c->vr.shm->device_sleeping, __ATOMIC_SEQ_CST)) {
		uint64_t one = 1;
		if (write(c->kick, &one, sizeof(one)) != sizeof(one))
			vaccel_debug("virtio: kick failed");
	}
}

/*
 * Answer the calls whose chains came back, after waiting up to max_ms (at
 * most 100 ms, to look at the agent's state again) for the used ring to
 * move. The receiving thread's (calls.c).
 */
static int virtio_chan_receive(struct chan *c, int max_ms)
{
	if (!used_moved(c))
		poll_used(c, max_ms < 100 ? max_ms : 100, &c->backoff);
	reap(c);
	return 0;
}

/* Outputs that went through a copy come back to the caller's memory. */
static void copy_back(struct chan *c, const struct request *rq, const struct vaccel_wire_out *args,
		      size_t n)
{
	int k = 0;
	for (size_t i = 0; i < n; i++) {
		if (!has_buffer(&args[i]))
			continue;
		if ((args[i].flags & VACCEL_WIRE_ARG_WRITE) && rq->pl[k].copy && args[i].size)
			memcpy((void *)args[i].data, c->base + rq->pl[k].off, args[i].size);
		k++;
	}
}

static struct request *request_of(struct call *p)
{
	return (struct request *)(void *)p->chan;
}

static int virtio_chan_send(struct chan *c, struct call *p, uint32_t op,
			    const struct vaccel_wire_out *args, size_t n)
{
	struct request *rq = request_of(p); /* not zeroed: filled as used */
	if (n > VACCEL_WIRE_MAX_ARGS)
		return VACCEL_EINVAL;
	rq->nd = 2;
	rq->npl = 0;
	rq->hdr = rq->reply = 0;
	rq->hdr_bytes = VACCEL_WIRE_HDR_SIZE + VACCEL_WIRE_ARG_HDR_SIZE * n;
	for (size_t i = 0; i < n; i++)
		rq->nd += has_buffer(&args[i]);
	int ret = reserve(c, rq, args, n);
	if (ret)
		return ret;
	fill_chain(c, rq, p, op, args, n);
	publish(c, rq->ids[0], p->id);
	return VACCEL_OK;
}

/*
 * The call is over. Answered: read the reply where it lies, and the
 * chain's descriptors and buffers go back. Not: the channel is dead and
 * the chain may still be in use, so it is never reused.
 */
static int virtio_chan_done(struct chan *c, struct call *p, uint32_t op,
			    const struct vaccel_wire_out *args, size_t n)
{
	struct request *rq = request_of(p);
	if (p->status) {
		pthread_mutex_lock(&c->lock);
		pthread_cond_broadcast(&c->space_cv); /* waiters for descriptors: dead */
		pthread_mutex_unlock(&c->lock);
		return p->status;
	}
	/* No lock: reap wrote the length before it answered p, under calls.lock,
	 * which p's caller took since; the slot stays ours until release. */
	int ret = read_reply(c, rq->reply, __atomic_load_n(&c->slot[rq->ids[0]].len, __ATOMIC_RELAXED),
			     op, p);
	if (!ret || ret == VACCEL_ENOBUFS)
		copy_back(c, rq, args, n);
	pthread_mutex_lock(&c->lock);
	release(c, rq->ids, rq->nd, rq->pl, rq->npl, rq->hdr, rq->reply);
	pthread_mutex_unlock(&c->lock);
	return ret;
}

/* ---- attaching ---- */

static int attach_local(struct chan *c, const char *path, char *err, size_t errlen)
{
	struct vaccel_addr a = { .kind = VACCEL_ADDR_UNIX };
	if (strlen(path) >= sizeof(a.path)) {
		snprintf(err, errlen, "socket path too long");
		return VACCEL_EINVAL;
	}
	strcpy(a.path, path);
	c->sock = vaccel_sock_connect(&a, err, errlen);
	if (c->sock < 0)
		return -c->sock == ENOENT || -c->sock == ECONNREFUSED ? VACCEL_ECONNREFUSED : VACCEL_EIO;
	struct virtio_hello hello;
	int fds[3] = { -1, -1, -1 };
	char ctl[CMSG_SPACE(sizeof(fds))];
	struct iovec iov = { &hello, sizeof(hello) };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = ctl,
			      .msg_controllen = sizeof(ctl) };
	struct timeval tv = { .tv_sec = c->timeout_ms / 1000, .tv_usec = (c->timeout_ms % 1000) * 1000 };
	setsockopt(c->sock, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	ssize_t got = recvmsg(c->sock, &msg, MSG_CMSG_CLOEXEC);
	struct cmsghdr *cm = CMSG_FIRSTHDR(&msg);
	if (got != sizeof(hello) || hello.magic != VIRTIO_HELLO_MAGIC || !cm ||
	    cm->cmsg_type != SCM_RIGHTS || cm->cmsg_len != CMSG_LEN(sizeof(fds))) {
		/* Descriptors that came with a message we refuse are ours to close. */
		if (got >= 0 && cm && cm->cmsg_level == SOL_SOCKET && cm->cmsg_type == SCM_RIGHTS)
			for (size_t i = 0; CMSG_LEN((i + 1) * sizeof(int)) <= cm->cmsg_len; i++) {
				int fd;
				memcpy(&fd, CMSG_DATA(cm) + i * sizeof(int), sizeof(fd));
				close(fd);
			}
		snprintf(err, errlen, "%s: not a vaccel virtio agent (no region handed over)", path);
		return VACCEL_EIO;
	}
	memcpy(fds, CMSG_DATA(cm), sizeof(fds));
	c->kick = fds[1];
	c->call = fds[2];
	c->size = hello.size;
	/* A 32-bit client cannot map a region past its size_t: refuse, never truncate. */
	c->base = hello.size <= SIZE_MAX ? mmap(NULL, (size_t)c->size, PROT_READ | PROT_WRITE,
						MAP_SHARED, fds[0], 0) : MAP_FAILED;
	if (hello.size > SIZE_MAX)
		errno = EFBIG;
	close(fds[0]);
	if (c->base == MAP_FAILED) {
		c->base = NULL;
		snprintf(err, errlen, "%s: cannot map the region: %s", path, strerror(errno));
		return VACCEL_EIO;
	}
	return VACCEL_OK;
}

/* ivshmem: map the region file (the PCI BAR in a guest) and take it over. */
static int attach_ivshmem(struct chan *c, const char *path, char *err, size_t errlen)
{
	int fd = open(path, O_RDWR | O_CLOEXEC);
	struct stat st;
	if (fd < 0 || fstat(fd, &st)) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return VACCEL_ECONNREFUSED;
	}
	c->size = (uint64_t)st.st_size;
	c->base = c->size ? mmap(NULL, c->size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0) : MAP_FAILED;
	close(fd);
	if (c->base == MAP_FAILED) {
		c->base = NULL;
		snprintf(err, errlen, "%s: cannot map: %s", path, strerror(errno));
		return VACCEL_EIO;
	}
	struct vaccel_vring_shm *shm = (struct vaccel_vring_shm *)c->base;
	uint64_t until = now_us() + (uint64_t)c->timeout_ms * 1000;
	while (!(__atomic_load_n(&shm->device_status, __ATOMIC_ACQUIRE) & VACCEL_VRING_DEVICE_READY)) {
		if (now_us() > until) {
			snprintf(err, errlen, "%s: no agent serves this region", path);
			return VACCEL_ECONNREFUSED;
		}
		usleep(1000);
	}
	/* Announce a new driver; the agent drops the old one's state and agrees. */
	uint32_t gen = __atomic_add_fetch(&shm->driver_generation, 1, __ATOMIC_SEQ_CST);
	while (__atomic_load_n(&shm->device_generation, __ATOMIC_ACQUIRE) != gen) {
		if (now_us() > until) {
			snprintf(err, errlen, "%s: the agent did not take the new driver", path);
			return VACCEL_ETIMEDOUT;
		}
		usleep(1000);
	}
	return VACCEL_OK;
}

/* Unmap and close what the channel holds (open or half open), then free it. */
static void chan_free(struct chan *c)
{
	if (c->base)
		munmap(c->base, c->size);
	if (c->sock >= 0)
		close(c->sock); /* the agent sees the client go and releases it */
	if (c->kick >= 0)
		close(c->kick);
	if (c->call >= 0)
		close(c->call);
	free(c->page_used);
	free(c->run);
	pthread_cond_destroy(&c->space_cv);
	pthread_mutex_destroy(&c->lock);
	calls_destroy(&c->calls);
	free(c);
}

/*
 * The agent's region says which virtqueue protocol it speaks: an agent of
 * another (one older than the handshake leaves the field 0, protocol 1)
 * would take our HELLO for a request, so it is refused here, by name.
 */
static int check_protocol(struct chan *c, char *err, size_t errlen)
{
	uint32_t theirs = __atomic_load_n(&c->vr.shm->protocol, __ATOMIC_ACQUIRE);
	if (theirs == VACCEL_VRING_PROTOCOL)
		return VACCEL_OK;
	snprintf(err, errlen, "%s: the agent speaks virtqueue protocol %u, this client %u: "
		 "update the older one", c->address, theirs ? theirs : 1, VACCEL_VRING_PROTOCOL);
	return VACCEL_EBACKEND;
}

static int virtio_chan_open(const char *address, const struct chan_options *o,
			    struct chan **out, char *err, size_t errlen)
{
	struct chan *c = calloc(1, sizeof(*c));
	if (!c)
		return VACCEL_ENOMEM;
	snprintf(c->address, sizeof(c->address), "%s", address);
	c->sock = c->kick = c->call = -1;
	c->timeout_ms = o->timeout_ms;
	c->spin_us = o->spin_us;
	c->refs = 1;
	c->backoff = 10;
	calls_init(&c->calls, &virtqueue_chan, "virtio", c->address, o->timeout_ms, true);
	pthread_mutex_init(&c->lock, NULL);
	pthread_cond_init(&c->space_cv, NULL);
	int ret;
	if (!strncmp(address, "virtio://", 9))
		ret = attach_local(c, address + 9, err, errlen);
	else if (!strncmp(address, "ivshmem://", 10))
		ret = attach_ivshmem(c, address + 10, err, errlen);
	else {
		snprintf(err, errlen, "'%s': expected virtio://PATH or ivshmem://PATH", address);
		ret = VACCEL_EINVAL;
	}
	const char *why = NULL;
	if (!ret && vaccel_vring_attach(&c->vr, c->base, c->size, &why)) {
		snprintf(err, errlen, "%s: %s", address, why);
		ret = VACCEL_EIO;
	}
	if (!ret) {
		c->avail_idx = *c->vr.avail_idx;
		c->last_used = *c->vr.used_idx;
		for (uint32_t i = 0; i < c->vr.qs; i++)
			c->next_free[i] = (uint16_t)(i + 1);
		c->free_head = 0;
		c->nfree = (uint16_t)c->vr.qs;
		c->pages = c->vr.shm->heap_size / PAGE;
		c->page_used = calloc(c->pages, 1);
		c->run = calloc(c->pages, sizeof(*c->run));
		if (!c->page_used || !c->run)
			ret = VACCEL_ENOMEM;
	}
	if (!ret)
		ret = check_protocol(c, err, errlen);
	if (!ret && (ret = chan_hello(c, o->token, err, errlen)) == VACCEL_EIO)
		ret = VACCEL_ECONNREFUSED; /* no answer: the next instance may serve */
	if (ret) {
		chan_free(c);
		return ret;
	}
	*out = c;
	return VACCEL_OK;
}

static void virtio_chan_get(struct chan *c)
{
	pthread_mutex_lock(&c->lock);
	c->refs++;
	pthread_mutex_unlock(&c->lock);
}

static void virtio_chan_put(struct chan *c)
{
	pthread_mutex_lock(&c->lock);
	bool last = --c->refs == 0;
	pthread_mutex_unlock(&c->lock);
	if (last)
		chan_free(c);
}

static bool virtio_chan_alive(struct chan *c)
{
	return !calls_dead(&c->calls);
}

static bool virtio_chan_probe(struct chan *c)
{
	pthread_mutex_lock(&c->lock);
	if (!calls_dead(&c->calls) && c->sock >= 0) {
		struct pollfd p = { c->sock, POLLIN, 0 };
		char ch;
		if (poll(&p, 1, 0) == 1 && recv(c->sock, &ch, 1, MSG_DONTWAIT | MSG_PEEK) <= 0)
			mark_dead(c, "the agent went away");
	}
	check_broken(c); /* replies are the receiving thread's to reap */
	bool alive = !calls_dead(&c->calls);
	pthread_mutex_unlock(&c->lock);
	return alive;
}

/* ---- buffers in the region, for zero-copy arguments ---- */

static void *virtio_chan_alloc(struct chan *c, size_t size)
{
	pthread_mutex_lock(&c->lock);
	uint64_t off = calls_dead(&c->calls) ? 0 : heap_alloc(c, size);
	pthread_mutex_unlock(&c->lock);
	return off ? c->base + off : NULL;
}

static int virtio_chan_free(struct chan *c, void *p)
{
	if (!in_heap(c, p, 0))
		return VACCEL_EINVAL;
	pthread_mutex_lock(&c->lock);
	heap_free(c, (uint64_t)((unsigned char *)p - c->base));
	pthread_mutex_unlock(&c->lock);
	return VACCEL_OK;
}

static const char *const schemes[] = { "virtio", "ivshmem", NULL };

const struct chan_ops virtqueue_chan = {
	.schemes = schemes,
	.open = virtio_chan_open,
	.get = virtio_chan_get,
	.put = virtio_chan_put,
	.alive = virtio_chan_alive,
	.probe = virtio_chan_probe,
	.serves = chan_serves,
	.call = chan_call,
	.send = virtio_chan_send,
	.receive = virtio_chan_receive,
	.done = virtio_chan_done,
	.alloc = virtio_chan_alloc,
	.free = virtio_chan_free,
};
