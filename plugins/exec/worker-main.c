/* SPDX-License-Identifier: Apache-2.0 */
/*
 * vaccel-exec-worker: the process the exec plugin runs host functions in
 * (worker.h). It reads one request at a time from fd 3, loads the library
 * (kept open for the next calls), calls the function and answers. When the
 * plugin's end closes, it exits. It links nothing of vaccel: a function
 * that corrupts this process harms only it.
 */
#include <dlfcn.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <vaccel/error.h>
#include "worker.h"

#define MAX_ARGS 1024

typedef int (*exec_fn)(struct vaccel_arg *read, size_t nr_read,
		       struct vaccel_arg *write, size_t nr_write);

static bool read_all(void *buf, size_t len)
{
	for (char *p = buf; len;) {
		ssize_t n = read(EXEC_WORKER_FD, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return false;
		p += n;
		len -= (size_t)n;
	}
	return true;
}

static bool write_all(const void *buf, size_t len)
{
	for (const char *p = buf; len;) {
		ssize_t n = send(EXEC_WORKER_FD, p, len, MSG_NOSIGNAL);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return false;
		p += n;
		len -= (size_t)n;
	}
	return true;
}

/* The request header, and the memfd that may come with its first bytes. */
static bool read_header(struct exec_req *r, int *fd)
{
	char ctl[CMSG_SPACE(sizeof(int))];
	struct iovec iov = { r, sizeof(*r) };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = ctl,
			    .msg_controllen = sizeof(ctl) };
	ssize_t n;
	while ((n = recvmsg(EXEC_WORKER_FD, &m, MSG_CMSG_CLOEXEC)) < 0 && errno == EINTR)
		;
	if (n <= 0)
		return false;
	struct cmsghdr *c = CMSG_FIRSTHDR(&m);
	*fd = -1;
	if (c && c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS)
		memcpy(fd, CMSG_DATA(c), sizeof(*fd));
	return (size_t)n == sizeof(*r) || read_all((char *)r + n, sizeof(*r) - (size_t)n);
}

/* Libraries stay open for the next calls, by key (real path or digest). */
struct lib {
	char *key;
	void *dl;
	struct lib *next;
};
static struct lib *libs;

static void *load(const char *key, int fd, char *err, size_t errlen)
{
	for (struct lib *l = libs; l; l = l->next)
		if (!strcmp(l->key, key)) {
			if (fd >= 0)
				close(fd);
			return l->dl;
		}
	char path[64];
	if (fd >= 0)
		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	void *dl = dlopen(fd >= 0 ? path : key, RTLD_NOW | RTLD_LOCAL);
	if (fd >= 0)
		close(fd);
	struct lib *l = dl ? malloc(sizeof(*l)) : NULL;
	if (!dl) {
		snprintf(err, errlen, "cannot load it: %s", dlerror());
		return NULL;
	}
	if (l && (l->key = strdup(key))) {
		l->dl = dl;
		l->next = libs;
		libs = l;
	} else {
		free(l);
	}
	return dl;
}

/* An arg's header and bytes into a buffer of its own. */
static bool read_arg(struct vaccel_arg *a, size_t *cap)
{
	struct exec_arg_hdr h;
	if (!read_all(&h, sizeof(h)) || h.size > SIZE_MAX / 2)
		return false;
	a->type = (vaccel_arg_type_t)h.type;
	a->size = (size_t)h.size;
	*cap = a->size;
	a->buf = malloc(a->size ? a->size : 1);
	return a->buf && read_all(a->buf, a->size);
}

static bool answer(int status, int rc, const char *msg, const struct vaccel_arg *w,
		   const size_t *cap, uint32_t nw)
{
	struct exec_rep rep = { EXEC_WORKER_MAGIC, status, rc, (uint32_t)strlen(msg), nw };
	if (!write_all(&rep, sizeof(rep)) || !write_all(msg, rep.msg_len))
		return false;
	for (uint32_t i = 0; i < nw; i++) {
		/* A function may shrink a write's size, never grow it past its buffer. */
		struct exec_arg_hdr h = { w[i].type, 0, w[i].size < cap[i] ? w[i].size : cap[i] };
		if (!write_all(&h, sizeof(h)) || !write_all(w[i].buf, (size_t)h.size))
			return false;
	}
	return true;
}

/* One request; false when the plugin is gone or broke the protocol. */
static bool serve_one(void)
{
	struct exec_req r;
	int fd = -1;
	if (!read_header(&r, &fd))
		return false;
	if (r.magic != EXEC_WORKER_MAGIC || r.key_len > PATH_MAX + 80 || r.sym_len > 4096 ||
	    r.nr_read > MAX_ARGS || r.nr_write > MAX_ARGS)
		return false;
	char *key = calloc(1, r.key_len + 1), *sym = calloc(1, r.sym_len + 1), err[EXEC_MSG_MAX] = "";
	struct vaccel_arg *rd = calloc(r.nr_read + 1, sizeof(*rd)), *wr = calloc(r.nr_write + 1, sizeof(*wr));
	size_t *rcap = calloc(r.nr_read + 1, sizeof(size_t)), *wcap = calloc(r.nr_write + 1, sizeof(size_t));
	bool ok = key && sym && rd && wr && rcap && wcap && read_all(key, r.key_len) &&
		  read_all(sym, r.sym_len);
	for (uint32_t i = 0; ok && i < r.nr_read; i++)
		ok = read_arg(&rd[i], &rcap[i]);
	for (uint32_t i = 0; ok && i < r.nr_write; i++)
		ok = read_arg(&wr[i], &wcap[i]);
	if (ok) {
		void *dl = load(key, fd, err, sizeof(err)), *p = NULL;
		fd = -1;
		int status = dl ? exec_symbol(dl, sym, &p, err, sizeof(err)) : VACCEL_EIO, rc = 0;
		if (!status) {
			exec_fn fn;
			memcpy(&fn, &p, sizeof(fn));
			rc = fn(rd, r.nr_read, wr, r.nr_write);
			status = rc ? VACCEL_EIO : VACCEL_OK;
		}
		ok = answer(status, rc, err, wr, wcap, r.nr_write);
	}
	if (fd >= 0)
		close(fd);
	for (uint32_t i = 0; rd && i < r.nr_read; i++)
		free(rd[i].buf);
	for (uint32_t i = 0; wr && i < r.nr_write; i++)
		free(wr[i].buf);
	free(rd);
	free(wr);
	free(rcap);
	free(wcap);
	free(key);
	free(sym);
	return ok;
}

int main(void)
{
	/* Only the socket: nothing else of the agent's is reachable from here. */
	close_range(EXEC_WORKER_FD + 1, ~0u, 0);
	while (serve_one())
		;
	return 0;
}
