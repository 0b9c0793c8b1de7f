/* SPDX-License-Identifier: Apache-2.0 */
/*
 * An agent as it was before the virtqueue handshake: it hands a client its
 * region (virtio://SOCKET) with the header's protocol field left 0, then
 * waits for the client to go (at most 10 s). The client must refuse it,
 * naming both protocols, before it sends anything.
 * Usage: vq-old-agent SOCKET. Exit 0 once the client left.
 */
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>
#include "wire/socket.h"
#include "wire/virtio.h"

#define SIZE (1u << 20)

/* The region, its kick and call eventfds, to the client, as agents do. */
static int hand_over(int c, int memfd)
{
	struct virtio_hello hello = { VIRTIO_HELLO_MAGIC, 1, SIZE };
	int fds[3] = { memfd, eventfd(0, EFD_CLOEXEC), eventfd(0, EFD_CLOEXEC) };
	return vaccel_sock_send_fds(c, &hello, sizeof(hello), fds, 3) ? 1 : 0;
}

int main(int argc, char **argv)
{
	if (argc != 2)
		return 2;
	int s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	snprintf(sun.sun_path, sizeof(sun.sun_path), "%s", argv[1]);
	if (bind(s, (struct sockaddr *)&sun, sizeof(sun)) || listen(s, 1))
		return 1;
	int c = accept(s, NULL, NULL);
	int memfd = memfd_create("vq-old-agent", MFD_CLOEXEC);
	if (c < 0 || memfd < 0 || ftruncate(memfd, SIZE))
		return 1;
	void *base = mmap(NULL, SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, memfd, 0);
	if (base == MAP_FAILED || vaccel_vring_format(base, SIZE, 64))
		return 1;
	((struct vaccel_vring_shm *)base)->protocol = 0; /* as before the handshake */
	((struct vaccel_vring_shm *)base)->device_status = VACCEL_VRING_DEVICE_READY;
	if (hand_over(c, memfd))
		return 1;
	struct pollfd p = { c, POLLIN, 0 };
	char ch;
	int left = poll(&p, 1, 10000) == 1 && recv(c, &ch, 1, 0) <= 0;
	unlink(argv[1]);
	return left ? 0 : 1;
}
