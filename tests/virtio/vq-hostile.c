/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A hostile virtio driver: attaches to the agent like the virtio plugin
 * does (virtio://SOCKET), then writes a broken chain and kicks. The agent
 * must mark that queue broken with a reason, and go on serving others.
 * Usage: vq-hostile SOCKET loop|range|outside|stall|shrink|flood|nohello.
 * Exit 0 when the agent behaved (shrink: the region the agent handed over
 * cannot be truncated under it, which would kill it with SIGBUS; flood: a
 * driver that republishes one request as fast as the agent takes them, for
 * two seconds; the test then checks the agent's memory; nohello: a driver
 * older than the handshake, whose first request is answered with an error,
 * printed).
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>
#include <vaccel.h>
#include "wire/vring.h"
#include "wire/virtio.h"
#include "wire/wire.h"

struct hello { uint32_t magic, version; uint64_t size; };

/* A STATUS request as the first chain, as drivers before the handshake sent. */
static int no_hello(struct vaccel_vring *vr, unsigned char *base, int kick)
{
	uint64_t heap = vr->shm->heap_off, one = 1;
	struct vaccel_wire_hdr rq = { VACCEL_WIRE_MAGIC, VACCEL_WIRE_VERSION,
				      VACCEL_WIRE_REQUEST, 1, VACCEL_WIRE_STATUS, 0, 0, 0 };
	vaccel_wire_hdr_encode(&rq, base + heap);
	vr->desc[0] = (struct vaccel_vring_desc){ heap, VACCEL_WIRE_HDR_SIZE,
						  VACCEL_VRING_DESC_F_NEXT, 1 };
	vr->desc[1] = (struct vaccel_vring_desc){ heap + 4096, VIRTIO_REPLY_BYTES,
						  VACCEL_VRING_DESC_F_WRITE, 0 };
	vr->avail_ring[0] = 0;
	__atomic_store_n(vr->avail_idx, 1, __ATOMIC_SEQ_CST);
	if (write(kick, &one, sizeof(one)) != sizeof(one))
		return 1;
	for (int i = 0; i < 500 && !__atomic_load_n(vr->used_idx, __ATOMIC_ACQUIRE); i++)
		usleep(10000);
	struct vaccel_wire_hdr h;
	struct vaccel_wire_arg a[1];
	const char *why;
	unsigned char *reply = base + heap + 4096;
	if (!__atomic_load_n(vr->used_idx, __ATOMIC_ACQUIRE) ||
	    vaccel_wire_hdr_decode(reply, VIRTIO_REPLY_BYTES, &h, &why) ||
	    vaccel_wire_args_decode(reply + VACCEL_WIRE_HDR_SIZE, h.len, h.nargs, a, 1, &why) != 1) {
		printf("no answer with a message\n");
		return 1;
	}
	printf("refused (%d): %s\n", h.status, (const char *)a[0].data);
	return h.status ? 0 : 1;
}

int main(int argc, char **argv)
{
	if (argc != 3)
		return 2;
	int s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	snprintf(sun.sun_path, sizeof(sun.sun_path), "%s", argv[1]);
	if (connect(s, (struct sockaddr *)&sun, sizeof(sun))) {
		perror("connect");
		return 1;
	}
	struct hello h;
	int fds[3];
	char ctl[CMSG_SPACE(sizeof(fds))];
	struct iovec iov = { &h, sizeof(h) };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = ctl,
			      .msg_controllen = sizeof(ctl) };
	if (recvmsg(s, &msg, 0) != sizeof(h) || !CMSG_FIRSTHDR(&msg))
		return 1;
	memcpy(fds, CMSG_DATA(CMSG_FIRSTHDR(&msg)), sizeof(fds));
	unsigned char *base = mmap(NULL, h.size, PROT_READ | PROT_WRITE, MAP_SHARED, fds[0], 0);
	struct vaccel_vring vr;
	const char *why;
	if (base == MAP_FAILED || vaccel_vring_attach(&vr, base, h.size, &why))
		return 1;
	uint64_t heap = vr.shm->heap_off;
	const char *mode = argv[2];
	if (!strcmp(mode, "shrink")) {
		int seals = fcntl(fds[0], F_GET_SEALS);
		if (!ftruncate(fds[0], 4096) || !ftruncate(fds[0], (off_t)h.size * 2)) {
			printf("the region could be resized under the agent\n");
			return 1;
		}
		if (seals < 0 || (seals & (F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_SEAL)) !=
				 (F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_SEAL)) {
			printf("the region is not sealed (seals %#x)\n", seals);
			return 1;
		}
		printf("sealed\n");
		return 0;
	}
	if (!strcmp(mode, "stall")) {
		/* A driver that publishes nothing and never answers: just hold on. */
		sleep(1);
		printf("stalled\n");
		return 0;
	}
	if (!strcmp(mode, "nohello"))
		return no_hello(&vr, base, fds[1]);
	if (!strcmp(mode, "flood")) {
		/* One STATUS request, its head in every avail slot, published
		 * a queue's worth at a time as long as the agent takes them. */
		struct vaccel_wire_hdr rq = { VACCEL_WIRE_MAGIC, VACCEL_WIRE_VERSION,
					      VACCEL_WIRE_REQUEST, 0, VACCEL_WIRE_STATUS, 0, 0, 0 };
		vaccel_wire_hdr_encode(&rq, base + heap);
		vr.desc[0] = (struct vaccel_vring_desc){ heap, VACCEL_WIRE_HDR_SIZE,
							 VACCEL_VRING_DESC_F_NEXT, 1 };
		vr.desc[1] = (struct vaccel_vring_desc){ heap + 4096, VIRTIO_REPLY_BYTES,
							 VACCEL_VRING_DESC_F_WRITE, 0 };
		for (uint32_t i = 0; i < vr.qs; i++)
			vr.avail_ring[i] = 0;
		uint16_t idx = 0;
		uint64_t one = 1;
		long published = 0;
		for (int round = 0; round < 4000; round++) {
			if (__atomic_load_n(&vr.shm->device_status, __ATOMIC_ACQUIRE) &
			    VACCEL_VRING_DEVICE_BROKEN)
				break;
			idx = (uint16_t)(idx + vr.qs);
			published += vr.qs;
			__atomic_store_n(vr.avail_idx, idx, __ATOMIC_SEQ_CST);
			if (write(fds[1], &one, sizeof(one)) != sizeof(one))
				break;
			/* The agent sleeps once it took them all (queued, maybe not
			 * run): then the next queue's worth stays within bounds. */
			for (int w = 0; w < 1000 && !__atomic_load_n(&vr.shm->device_sleeping,
								     __ATOMIC_ACQUIRE); w++)
				usleep(10);
		}
		printf("flooded: %ld requests published\n", published);
		return 0;
	}
	vr.desc[0] = (struct vaccel_vring_desc){ heap, 64, VACCEL_VRING_DESC_F_NEXT, 1 };
	vr.desc[1] = (struct vaccel_vring_desc){ heap + 4096, 64, VACCEL_VRING_DESC_F_NEXT, 0 };
	if (!strcmp(mode, "range"))
		vr.avail_ring[0] = 999;
	else if (!strcmp(mode, "outside"))
		vr.desc[1].addr = h.size - 8;
	else if (strcmp(mode, "loop"))
		return 2;
	vr.avail_ring[0] = !strcmp(mode, "range") ? 999 : 0;
	__atomic_store_n(vr.avail_idx, 1, __ATOMIC_SEQ_CST);
	uint64_t one = 1;
	if (write(fds[1], &one, sizeof(one)) != sizeof(one))
		return 1;
	for (int i = 0; i < 500; i++) {
		if (__atomic_load_n(&vr.shm->device_status, __ATOMIC_ACQUIRE) & VACCEL_VRING_DEVICE_BROKEN) {
			printf("broken: %s\n", vr.shm->broken_reason);
			return 0;
		}
		usleep(10000);
	}
	printf("the agent did not mark the queue broken\n");
	return 1;
}
