/* SPDX-License-Identifier: Apache-2.0 */
/* Socket helpers shared by transport plugins and the agent. */
#ifndef VACCEL_SOCKET_H
#define VACCEL_SOCKET_H

#include "wire/wire.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Connect / listen on an address. Return an fd, or a negative errno with a
 * message naming the address and the reason in err. TCP sockets get
 * TCP_NODELAY; a UNIX socket is created with unix_mode (e.g. 0600).
 */
int vaccel_sock_connect(const struct vaccel_addr *a, char *err, size_t errlen);
int vaccel_sock_listen(const struct vaccel_addr *a, unsigned unix_mode, char *err,
		       size_t errlen);
/* Whole writes and reads: 0, or an errno (ECONNRESET on end of stream). */
int vaccel_sock_writev_all(int fd, struct iovec *iov, int n);
int vaccel_sock_read_all(int fd, void *buf, size_t len);
int vaccel_sock_skip(int fd, uint64_t len);
/*
 * Wait until fd is readable: spin spin_us first (the next frame of a busy
 * peer comes within microseconds, and a sleeping thread costs a wake-up),
 * then sleep in poll up to max_ms. 0, or ETIMEDOUT.
 */
int vaccel_sock_wait_readable(int fd, unsigned spin_us, int max_ms);
/* One message of len bytes with nfds (at most 4) descriptors, by SCM_RIGHTS: 0 or an errno. */
int vaccel_sock_send_fds(int sock, const void *msg, size_t len, const int *fds, size_t nfds);

/* vaccel_token_read(): <vaccel/agent.h>. */

/* How long both ends of the rpc transport spin before they sleep. */
#define VACCEL_SOCK_SPIN_US 50

#ifdef __cplusplus
}
#endif

#endif
