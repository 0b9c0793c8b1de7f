/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A hostile virtio driver: attaches to the agent like the virtio plugin
 * does (virtio://SOCKET), then writes a broken chain and kicks. The agent
 * must mark that queue broken with a reason, and go on serving others.
 * Usage: vq-hostile SOCKET loop|range|outside|stall|shrink. Exit 0 when the
 * agent behaved (shrink: the region the agent handed over cannot be
 * truncated under it, which would kill it with SIGBUS).
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

struct hello { uint32_t magic, version; uint64_t size; };

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
