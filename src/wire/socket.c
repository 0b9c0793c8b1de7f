/* SPDX-License-Identifier: Apache-2.0 */
/* Sockets for the transports: connect, listen, and whole reads and writes. */
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <limits.h>
#include <fcntl.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>
#include <linux/vm_sockets.h>
#include <vaccel/error.h>
#include <vaccel/agent.h>
#include "wire/socket.h"

static int set_nodelay(int fd)
{
	int one = 1;
	return setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
}

/* Resolve HOST:PORT numerically or by name; v4 and v6. */
static int tcp_socket(const struct vaccel_addr *a, bool listening, char *err, size_t errlen)
{
	struct addrinfo hints = { .ai_socktype = SOCK_STREAM,
				  .ai_flags = listening ? AI_PASSIVE : 0 }, *res;
	char port[8];
	snprintf(port, sizeof(port), "%u", a->port);
	int rc = getaddrinfo(a->host, port, &hints, &res);
	if (rc) {
		snprintf(err, errlen, "tcp://%s:%u: %s", a->host, a->port, gai_strerror(rc));
		return -VACCEL_EINVAL;
	}
	int fd = -1, last = 0;
	for (struct addrinfo *ai = res; ai; ai = ai->ai_next) {
		fd = socket(ai->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
		if (fd < 0) {
			last = errno;
			continue;
		}
		int one = 1;
		if (listening) {
			setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
			if (ai->ai_family == AF_INET6) /* bind exactly the address given */
				setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
			if (!bind(fd, ai->ai_addr, ai->ai_addrlen) && !listen(fd, 128))
				break;
		} else if (!connect(fd, ai->ai_addr, ai->ai_addrlen)) {
			break;
		}
		last = errno;
		close(fd);
		fd = -1;
	}
	freeaddrinfo(res);
	if (fd < 0) {
		snprintf(err, errlen, "tcp://%s:%u: %s", a->host, a->port, strerror(last));
		return -last;
	}
	set_nodelay(fd);
	return fd;
}

static int unix_socket(const struct vaccel_addr *a, bool listening, unsigned mode,
		       char *err, size_t errlen)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	strcpy(sun.sun_path, a->path);
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		goto fail;
	if (!listening) {
		if (connect(fd, (struct sockaddr *)&sun, sizeof(sun)))
			goto fail;
		return fd;
	}
	/* A stale socket file from a dead agent blocks bind: remove it only if
	 * nobody answers on it. */
	struct stat st;
	if (!lstat(a->path, &st) && S_ISSOCK(st.st_mode)) {
		int probe = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
		if (probe >= 0 && connect(probe, (struct sockaddr *)&sun, sizeof(sun)) && errno == ECONNREFUSED)
			unlink(a->path);
		if (probe >= 0)
			close(probe);
	}
	/* Created with the right mode from the start: no window where it is wider. */
	mode_t old = umask(0777 & ~mode);
	int rc = bind(fd, (struct sockaddr *)&sun, sizeof(sun));
	umask(old);
	if (rc || listen(fd, 128))
		goto fail;
	return fd;
fail:;
	int e = errno;
	snprintf(err, errlen, "unix://%s: %s", a->path, strerror(e));
	if (fd >= 0)
		close(fd);
	return -e;
}

static int vsock_socket(const struct vaccel_addr *a, bool listening, char *err, size_t errlen)
{
	struct sockaddr_vm svm = { .svm_family = AF_VSOCK, .svm_cid = a->cid, .svm_port = a->port };
	int fd = socket(AF_VSOCK, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd >= 0 && (listening ? !bind(fd, (struct sockaddr *)&svm, sizeof(svm)) && !listen(fd, 128)
				  : !connect(fd, (struct sockaddr *)&svm, sizeof(svm))))
		return fd;
	int e = errno;
	snprintf(err, errlen, "vsock://%d:%u: %s", (int)a->cid, a->port, strerror(e));
	if (fd >= 0)
		close(fd);
	return -e;
}

/* A virtio-serial port: a character device, already "connected". */
static int serial_open(const struct vaccel_addr *a, char *err, size_t errlen)
{
	int fd = open(a->path, O_RDWR | O_CLOEXEC | O_NOCTTY);
	if (fd >= 0)
		return fd;
	int e = errno;
	snprintf(err, errlen, "serial://%s: %s", a->path, strerror(e));
	return -e;
}

int vaccel_sock_connect(const struct vaccel_addr *a, char *err, size_t errlen)
{
	switch (a->kind) {
	case VACCEL_ADDR_SERIAL: return serial_open(a, err, errlen);
	case VACCEL_ADDR_UNIX: return unix_socket(a, false, 0, err, errlen);
	case VACCEL_ADDR_TCP: return tcp_socket(a, false, err, errlen);
	case VACCEL_ADDR_VSOCK: return vsock_socket(a, false, err, errlen);
	}
	return -VACCEL_EINVAL;
}

int vaccel_sock_listen(const struct vaccel_addr *a, unsigned unix_mode, char *err, size_t errlen)
{
	switch (a->kind) {
	case VACCEL_ADDR_UNIX: return unix_socket(a, true, unix_mode, err, errlen);
	case VACCEL_ADDR_TCP: return tcp_socket(a, true, err, errlen);
	case VACCEL_ADDR_VSOCK: return vsock_socket(a, true, err, errlen);
	case VACCEL_ADDR_SERIAL:
		snprintf(err, errlen, "serial://%s: a serial port is a client address; the agent "
			 "listens on the UNIX socket QEMU connects the port to", a->path);
		return -VACCEL_EINVAL;
	}
	return -VACCEL_EINVAL;
}

int vaccel_sock_writev_all(int fd, struct iovec *iov, int n)
{
	while (n > 0) {
		/* sendmsg, not writev: MSG_NOSIGNAL turns a dead peer into EPIPE
		 * instead of a SIGPIPE that would kill the application. */
		struct msghdr msg = { .msg_iov = iov, .msg_iovlen = (size_t)(n > IOV_MAX ? IOV_MAX : n) };
		ssize_t w = sendmsg(fd, &msg, MSG_NOSIGNAL);
		if (w < 0 && errno == ENOTSOCK) /* a serial port */
			w = writev(fd, iov, n > IOV_MAX ? IOV_MAX : n);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			return errno;
		}
		/* Skip what went out; resume inside a partly written iovec. */
		while (n > 0 && (size_t)w >= iov->iov_len) {
			w -= (ssize_t)iov->iov_len;
			iov++;
			n--;
		}
		if (n > 0) {
			iov->iov_base = (char *)iov->iov_base + w;
			iov->iov_len -= (size_t)w;
		}
	}
	return 0;
}

int vaccel_sock_read_all(int fd, void *buf, size_t len)
{
	char *p = buf;
	while (len) {
		ssize_t r = read(fd, p, len);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return r == 0 ? ECONNRESET : errno;
		p += r;
		len -= (size_t)r;
	}
	return 0;
}

int vaccel_token_read(const char *path, char **token)
{
	FILE *f = fopen(path, "r");
	char buf[512] = "";
	if (!f)
		return errno;
	bool got = fgets(buf, sizeof(buf), f) != NULL;
	int err = !got && ferror(f) ? errno : 0; /* EISDIR: a directory */
	fclose(f);
	if (err)
		return err;
	buf[strcspn(buf, "\r\n")] = '\0';
	if (!got || !*buf)
		return VACCEL_EINVAL;
	*token = strdup(buf);
	return *token ? VACCEL_OK : VACCEL_ENOMEM;
}

static uint64_t now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000;
}

int vaccel_sock_wait_readable(int fd, unsigned spin_us, int max_ms)
{
	struct pollfd p = { fd, POLLIN, 0 };
	uint64_t t0 = now_us();
	do {
		if (poll(&p, 1, 0) == 1)
			return 0;
		/* Spin politely: on a small or busy machine the thread that
		 * will answer (an agent's worker, the client) may be waiting
		 * for this very CPU. */
		sched_yield();
	} while (now_us() - t0 < spin_us);
	return poll(&p, 1, max_ms) == 1 ? 0 : ETIMEDOUT;
}

int vaccel_sock_skip(int fd, uint64_t len)
{
	char buf[4096];
	while (len) {
		size_t n = len < sizeof(buf) ? (size_t)len : sizeof(buf);
		int rc = vaccel_sock_read_all(fd, buf, n);
		if (rc)
			return rc;
		len -= n;
	}
	return 0;
}

int vaccel_sock_send_fds(int sock, const void *msg, size_t len, const int *fds, size_t nfds)
{
	char ctl[CMSG_SPACE(4 * sizeof(int))] = { 0 };
	if (nfds > 4)
		return EINVAL;
	struct iovec iov = { (void *)msg, len };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = ctl,
			    .msg_controllen = CMSG_SPACE(nfds * sizeof(int)) };
	struct cmsghdr *cm = CMSG_FIRSTHDR(&m);
	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(nfds * sizeof(int));
	memcpy(CMSG_DATA(cm), fds, nfds * sizeof(int));
	return sendmsg(sock, &m, MSG_NOSIGNAL) == (ssize_t)len ? 0 : errno;
}
