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

/*
 * The request header, and the memfds that may come with its first bytes,
 * one per bit of fd_mask in object order (-1 for the others). False when
 * the plugin is gone or the fds do not match the mask.
 */
static bool read_header(struct exec_req *r, int fds[EXEC_MAX_OBJECTS])
{
	char ctl[CMSG_SPACE(EXEC_MAX_OBJECTS * sizeof(int))];
	int got[EXEC_MAX_OBJECTS];
	size_t nr_got = 0, nr_want = 0;
	struct iovec iov = { r, sizeof(*r) };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = ctl,
			    .msg_controllen = sizeof(ctl) };
	ssize_t n;
	while ((n = recvmsg(EXEC_WORKER_FD, &m, MSG_CMSG_CLOEXEC)) < 0 && errno == EINTR)
		;
	for (size_t i = 0; i < EXEC_MAX_OBJECTS; i++)
		fds[i] = -1;
	if (n <= 0)
		return false;
	struct cmsghdr *c = CMSG_FIRSTHDR(&m);
	if (c && c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS) {
		nr_got = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
		memcpy(got, CMSG_DATA(c), nr_got * sizeof(int));
	}
	bool ok = (size_t)n == sizeof(*r) || read_all((char *)r + n, sizeof(*r) - (size_t)n);
	for (size_t i = 0; ok && i < EXEC_MAX_OBJECTS; i++)
		if (r->fd_mask & (1u << i) && nr_want < nr_got)
			fds[i] = got[nr_want++];
		else if (r->fd_mask & (1u << i))
			ok = false;
	if (ok && nr_want == nr_got)
		return true;
	/* A request whose fds are not the ones it names is not served. */
	for (size_t i = 0; i < nr_got; i++)
		close(got[i]);
	return false;
}

/*
 * Libraries stay open for the next calls, by key (real path or digest) and
 * how they were loaded: a dependency RTLD_GLOBAL, a library RTLD_LOCAL.
 */
struct lib {
	char *key;
	bool global;
	void *dl;
	struct lib *next;
};
static struct lib *libs;

static void *load(const char *key, int fd, bool global, char *err, size_t errlen)
{
	for (struct lib *l = libs; l; l = l->next)
		if (!strcmp(l->key, key) && l->global == global) {
			if (fd >= 0)
				close(fd);
			return l->dl;
		}
	char path[64];
	if (fd >= 0)
		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	void *dl = dlopen(fd >= 0 ? path : key, RTLD_NOW | (global ? RTLD_GLOBAL : RTLD_LOCAL));
	struct lib *l = dl ? malloc(sizeof(*l)) : NULL;
	/*
	 * dlopen knows an object by its name: a loaded library's memfd stays
	 * open for the worker's life (libraries are never closed), so a later
	 * memfd of that number, another library, is not taken for this one.
	 */
	if (!dl && fd >= 0)
		close(fd);
	if (!dl) {
		if (global)
			snprintf(err, errlen, "cannot load its dependency %s: %s", key, dlerror());
		else
			snprintf(err, errlen, "cannot load it: %s", dlerror());
		return NULL;
	}
	if (l && (l->key = strdup(key))) {
		l->global = global;
		l->dl = dl;
		l->next = libs;
		libs = l;
	} else {
		free(l);
	}
	return dl;
}

/*
 * The dependencies, in order and RTLD_GLOBAL, then the library; each
 * object's fd is consumed. The library's handle, or NULL with err set.
 */
static void *load_all(const char *keys, uint32_t nr_objects, int fds[EXEC_MAX_OBJECTS],
		      char *err, size_t errlen)
{
	void *dl = NULL;
	bool failed = false;
	for (uint32_t i = 0; i < nr_objects; i++) {
		if (failed && fds[i] >= 0)
			close(fds[i]);
		else if (!failed)
			failed = !(dl = load(keys, fds[i], i + 1 < nr_objects, err, errlen));
		fds[i] = -1;
		keys += strlen(keys) + 1;
	}
	return failed ? NULL : dl;
}

/* keys holds exactly n NUL-terminated strings, none empty. */
static bool keys_valid(const char *keys, size_t len, uint32_t n)
{
	uint32_t seen = 0;
	for (size_t i = 0; i < len; i++)
		if (!keys[i]) {
			if (!i || !keys[i - 1])
				return false;
			seen++;
		}
	return len && !keys[len - 1] && seen == n;
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
	int fds[EXEC_MAX_OBJECTS];
	if (!read_header(&r, fds))
		return false;
	bool ok = r.magic == EXEC_WORKER_MAGIC && r.nr_objects >= 1 &&
		  r.nr_objects <= EXEC_MAX_OBJECTS && r.key_len <= (PATH_MAX + 80) * r.nr_objects &&
		  r.sym_len <= 4096 && r.nr_read <= MAX_ARGS && r.nr_write <= MAX_ARGS;
	char *key = ok ? calloc(1, r.key_len + 1) : NULL, *sym = ok ? calloc(1, r.sym_len + 1) : NULL;
	char err[EXEC_MSG_MAX] = "";
	struct vaccel_arg *rd = ok ? calloc(r.nr_read + 1, sizeof(*rd)) : NULL;
	struct vaccel_arg *wr = ok ? calloc(r.nr_write + 1, sizeof(*wr)) : NULL;
	size_t *rcap = ok ? calloc(r.nr_read + 1, sizeof(size_t)) : NULL;
	size_t *wcap = ok ? calloc(r.nr_write + 1, sizeof(size_t)) : NULL;
	ok = ok && key && sym && rd && wr && rcap && wcap && read_all(key, r.key_len) &&
	     keys_valid(key, r.key_len, r.nr_objects) && read_all(sym, r.sym_len);
	for (uint32_t i = 0; ok && i < r.nr_read; i++)
		ok = read_arg(&rd[i], &rcap[i]);
	for (uint32_t i = 0; ok && i < r.nr_write; i++)
		ok = read_arg(&wr[i], &wcap[i]);
	if (ok) {
		void *dl = load_all(key, r.nr_objects, fds, err, sizeof(err)), *p = NULL;
		int status = dl ? exec_symbol(dl, sym, &p, err, sizeof(err)) : VACCEL_EIO, rc = 0;
		if (!status) {
			exec_fn fn;
			memcpy(&fn, &p, sizeof(fn));
			rc = fn(rd, r.nr_read, wr, r.nr_write);
			status = rc ? VACCEL_EIO : VACCEL_OK;
		}
		ok = answer(status, rc, err, wr, wcap, r.nr_write);
	}
	for (size_t i = 0; i < EXEC_MAX_OBJECTS; i++)
		if (fds[i] >= 0)
			close(fds[i]);
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
