/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The exec plugin's side of its worker processes (worker.h): a few
 * vaccel-exec-worker processes, each serving one call at a time, started
 * on demand with posix_spawn (safe in a process with threads), killed when
 * they overrun the timeout, replaced when they die.
 */
#include <dlfcn.h>
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <vaccel/plugin.h>
#include "worker.h"

extern char **environ;

struct worker {
	pid_t pid;
	int fd;
	struct worker *next;
};

struct exec_pool {
	pthread_mutex_t lock;
	pthread_cond_t idle_cv;
	struct worker *idle;
	unsigned alive, max;       /* workers started and not yet lost; the bound */
	int timeout_ms;
	char path[PATH_MAX];       /* the worker program */
};

/*
 * The worker program: $VACCEL_EXEC_WORKER, else beside this plugin (the
 * build tree keeps it one level up, beside .libs/), else where it was
 * installed.
 */
static bool find_worker(char *out, size_t len)
{
	const char *env = getenv("VACCEL_EXEC_WORKER");
	Dl_info self;
	if (env && *env) {
		snprintf(out, len, "%s", env);
		return !access(out, X_OK);
	}
	if (dladdr((void *)find_worker, &self) && self.dli_fname && strrchr(self.dli_fname, '/')) {
		int dir = (int)(strrchr(self.dli_fname, '/') - self.dli_fname);
		snprintf(out, len, "%.*s/vaccel-exec-worker", dir, self.dli_fname);
		if (!access(out, X_OK))
			return true;
		snprintf(out, len, "%.*s/../vaccel-exec-worker", dir, self.dli_fname);
		if (!access(out, X_OK))
			return true;
	}
	snprintf(out, len, "%s", VACCEL_EXEC_WORKER_PATH);
	return !access(out, X_OK);
}

int exec_pool_new(unsigned max_workers, int timeout_ms, struct exec_pool **out)
{
	struct exec_pool *p = calloc(1, sizeof(*p));
	if (!p)
		return VACCEL_ENOMEM;
	if (!find_worker(p->path, sizeof(p->path))) {
		vaccel_error("exec: the worker program is missing (%s): reinstall vaccel, or set "
			     "isolate: false to run host functions in this process", p->path);
		free(p);
		return VACCEL_ENOENT;
	}
	pthread_mutex_init(&p->lock, NULL);
	pthread_cond_init(&p->idle_cv, NULL);
	p->max = max_workers;
	p->timeout_ms = timeout_ms;
	*out = p;
	return VACCEL_OK;
}

/* Kill and reap a worker: it overran, died or broke the protocol. */
static void lose(struct worker *w)
{
	kill(w->pid, SIGKILL);
	while (waitpid(w->pid, NULL, 0) < 0 && errno == EINTR)
		;
	close(w->fd);
	free(w);
}

void exec_pool_free(struct exec_pool *p)
{
	while (p->idle) {
		struct worker *w = p->idle;
		p->idle = w->next;
		lose(w);
	}
	pthread_cond_destroy(&p->idle_cv);
	pthread_mutex_destroy(&p->lock);
	free(p);
}

static struct worker *spawn(struct exec_pool *p)
{
	int sv[2];
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv))
		return NULL;
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t at;
	sigset_t none, dfl;
	sigemptyset(&none);
	sigemptyset(&dfl);
	sigaddset(&dfl, SIGPIPE);
	sigaddset(&dfl, SIGINT);
	sigaddset(&dfl, SIGTERM);
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, sv[1], EXEC_WORKER_FD);
	posix_spawnattr_init(&at);
	/* Not the agent's blocked signals; its own process group, so a Ctrl-C
	 * meant for the agent does not fail a call mid-way. */
	posix_spawnattr_setsigmask(&at, &none);
	posix_spawnattr_setsigdefault(&at, &dfl);
	posix_spawnattr_setpgroup(&at, 0);
	posix_spawnattr_setflags(&at, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF |
				      POSIX_SPAWN_SETPGROUP);
	char *argv[] = { p->path, NULL };
	pid_t pid;
	int rc = posix_spawn(&pid, p->path, &fa, &at, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&at);
	close(sv[1]);
	struct worker *w = rc ? NULL : malloc(sizeof(*w));
	if (!w) {
		vaccel_error("exec: cannot start %s: %s", p->path, strerror(rc ? rc : ENOMEM));
		if (!rc)
			kill(pid, SIGKILL), waitpid(pid, NULL, 0);
		close(sv[0]);
		return NULL;
	}
	*w = (struct worker){ pid, sv[0], NULL };
	return w;
}

/* An idle worker, or a new one while under the bound; else wait for one. */
static struct worker *take(struct exec_pool *p)
{
	pthread_mutex_lock(&p->lock);
	for (;;) {
		while (p->idle) {
			struct worker *w = p->idle;
			p->idle = w->next;
			if (waitpid(w->pid, NULL, WNOHANG) == 0) {
				pthread_mutex_unlock(&p->lock);
				return w;
			}
			close(w->fd); /* it died idle (and is reaped): replace it */
			free(w);
			p->alive--;
		}
		if (p->alive < p->max)
			break;
		pthread_cond_wait(&p->idle_cv, &p->lock);
	}
	p->alive++;
	pthread_mutex_unlock(&p->lock);
	struct worker *w = spawn(p);
	if (!w) {
		pthread_mutex_lock(&p->lock);
		p->alive--;
		pthread_cond_signal(&p->idle_cv);
		pthread_mutex_unlock(&p->lock);
	}
	return w;
}

/* A worker back to the pool, or (not healthy, or NULL: already gone) lost. */
static void give_back(struct exec_pool *p, struct worker *w, bool healthy)
{
	if (!healthy && w)
		lose(w);
	pthread_mutex_lock(&p->lock);
	if (healthy) {
		w->next = p->idle;
		p->idle = w;
	} else {
		p->alive--;
	}
	pthread_cond_signal(&p->idle_cv);
	pthread_mutex_unlock(&p->lock);
}

static long ms_left(const struct timespec *deadline)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return (deadline->tv_sec - now.tv_sec) * 1000 + (deadline->tv_nsec - now.tv_nsec) / 1000000;
}

/* 0, ETIMEDOUT, or EPIPE (the worker is gone). */
static int send_all(int fd, const void *buf, size_t len, const struct timespec *dl)
{
	for (const char *b = buf; len;) {
		ssize_t n = send(fd, b, len, MSG_NOSIGNAL | MSG_DONTWAIT);
		if (n > 0) {
			b += n;
			len -= (size_t)n;
			continue;
		}
		if (n < 0 && errno != EAGAIN && errno != EINTR)
			return EPIPE;
		struct pollfd pf = { fd, POLLOUT, 0 };
		long left = ms_left(dl);
		if (left <= 0 || poll(&pf, 1, (int)left) == 0)
			return ETIMEDOUT;
	}
	return 0;
}

/* 0, ETIMEDOUT, EPIPE (the worker is gone), or ECANCELED (the agent stops). */
static int recv_all(int fd, void *buf, size_t len, const struct timespec *dl)
{
	for (char *b = buf; len;) {
		struct pollfd pf = { fd, POLLIN, 0 };
		long left = ms_left(dl);
		if (vaccel_plugin_stopping())
			return ECANCELED;
		/* In slices: a stopping agent is noticed within 100 ms. */
		if (left <= 0 || (poll(&pf, 1, left < 100 ? (int)left : 100) == 0 && left <= 100))
			return ETIMEDOUT;
		if (!(pf.revents & (POLLIN | POLLHUP | POLLERR)))
			continue;
		ssize_t n = recv(fd, b, len, MSG_DONTWAIT);
		if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR))
			return EPIPE;
		if (n > 0) {
			b += n;
			len -= (size_t)n;
		}
	}
	return 0;
}

static int send_request(struct worker *w, const struct exec_object *objs, size_t nr_objs,
			const char *sym, const struct vaccel_arg *read, size_t nr_read,
			const struct vaccel_arg *write, size_t nr_write, const struct timespec *dl)
{
	struct exec_req r = { EXEC_WORKER_MAGIC, (uint32_t)nr_read, (uint32_t)nr_write, 0,
			      (uint32_t)strlen(sym), (uint32_t)nr_objs, 0 };
	int fds[EXEC_MAX_OBJECTS];
	size_t nr_fds = 0;
	for (size_t i = 0; i < nr_objs; i++) {
		r.key_len += (uint32_t)strlen(objs[i].key) + 1;
		if (objs[i].fd >= 0) {
			r.fd_mask |= 1u << i;
			fds[nr_fds++] = objs[i].fd;
		}
	}
	char ctl[CMSG_SPACE(sizeof(fds))] = { 0 };
	struct iovec iov = { &r, sizeof(r) };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1 };
	if (nr_fds) {
		m.msg_control = ctl;
		m.msg_controllen = CMSG_SPACE(nr_fds * sizeof(int));
		struct cmsghdr *c = CMSG_FIRSTHDR(&m);
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN(nr_fds * sizeof(int));
		memcpy(CMSG_DATA(c), fds, nr_fds * sizeof(int));
	}
	/* The header is small and the socket empty: it goes out whole. */
	if (sendmsg(w->fd, &m, MSG_NOSIGNAL) != (ssize_t)sizeof(r))
		return EPIPE;
	int rc = 0;
	for (size_t i = 0; !rc && i < nr_objs; i++)
		rc = send_all(w->fd, objs[i].key, strlen(objs[i].key) + 1, dl);
	if (!rc)
		rc = send_all(w->fd, sym, r.sym_len, dl);
	for (int pass = 0; pass < 2; pass++) {
		const struct vaccel_arg *a = pass ? write : read;
		for (size_t i = 0; !rc && i < (pass ? nr_write : nr_read); i++) {
			struct exec_arg_hdr h = { (uint32_t)a[i].type, 0, a[i].size };
			rc = send_all(w->fd, &h, sizeof(h), dl);
			if (!rc)
				rc = send_all(w->fd, a[i].buf, a[i].size, dl);
		}
	}
	return rc;
}

/* The reply: status, message, then the writes into the caller's buffers. */
static int recv_reply(struct worker *w, struct exec_rep *rep, char *msg,
		      struct vaccel_arg *write, size_t nr_write, const struct timespec *dl)
{
	int rc = recv_all(w->fd, rep, sizeof(*rep), dl);
	if (rc)
		return rc;
	if (rep->magic != EXEC_WORKER_MAGIC || rep->msg_len >= EXEC_MSG_MAX ||
	    rep->nr_write != nr_write)
		return EPROTO;
	if ((rc = recv_all(w->fd, msg, rep->msg_len, dl)))
		return rc;
	msg[rep->msg_len] = '\0';
	for (size_t i = 0; i < nr_write; i++) {
		struct exec_arg_hdr h;
		if ((rc = recv_all(w->fd, &h, sizeof(h), dl)))
			return rc;
		/* The worker ran foreign code: no size past the caller's buffer. */
		if (h.size > write[i].size)
			return EPROTO;
		if ((rc = recv_all(w->fd, write[i].buf, (size_t)h.size, dl)))
			return rc;
		write[i].size = (size_t)h.size;
	}
	return 0;
}

/* Why a worker ended, for the message. */
static void ended(pid_t pid, char *why, size_t len)
{
	int st = 0;
	pid_t r;
	while ((r = waitpid(pid, &st, 0)) < 0 && errno == EINTR)
		;
	if (r == pid && WIFSIGNALED(st))
		snprintf(why, len, "signal %d, %s", WTERMSIG(st), strsignal(WTERMSIG(st)));
	else if (r == pid && WIFEXITED(st) && WEXITSTATUS(st) == 127)
		snprintf(why, len, "exit status 127: the worker program could not be run");
	else if (r == pid && WIFEXITED(st))
		snprintf(why, len, "exit status %d", WEXITSTATUS(st));
	else
		snprintf(why, len, "lost");
}

int exec_pool_call(struct exec_pool *p, const struct exec_object *objs, size_t nr_objs,
		   const char *what, const char *sym, struct vaccel_arg *read, size_t nr_read,
		   struct vaccel_arg *write, size_t nr_write)
{
	if (!nr_objs || nr_objs > EXEC_MAX_OBJECTS)
		return VACCEL_EINVAL;
	struct worker *w = take(p);
	if (!w)
		return VACCEL_EIO;
	struct timespec dl;
	clock_gettime(CLOCK_MONOTONIC, &dl);
	dl.tv_sec += p->timeout_ms / 1000;
	dl.tv_nsec += (long)(p->timeout_ms % 1000) * 1000000L;
	if (dl.tv_nsec >= 1000000000L)
		dl.tv_sec++, dl.tv_nsec -= 1000000000L;
	struct exec_rep rep;
	char msg[EXEC_MSG_MAX];
	int rc = send_request(w, objs, nr_objs, sym, read, nr_read, write, nr_write, &dl);
	if (!rc)
		rc = recv_reply(w, &rep, msg, write, nr_write, &dl);
	if (rc == EPIPE) {
		/* It died in the call: the function crashed or aborted. */
		char why[96];
		pid_t pid = w->pid;
		close(w->fd);
		free(w);
		ended(pid, why, sizeof(why));
		give_back(p, NULL, false);
		vaccel_error("exec: %s:%s ended its worker process (%s); nothing else was "
			     "affected", what, sym, why);
		return VACCEL_EIO;
	}
	if (rc) {
		give_back(p, w, false);
		if (rc == ETIMEDOUT)
			vaccel_error("exec: %s:%s did not return within %d ms: its worker "
				     "process was killed (the exec plugin's timeout-ms)", what, sym,
				     p->timeout_ms);
		else if (rc == ECANCELED)
			vaccel_error("exec: %s:%s: stopped, the agent is shutting down", what, sym);
		else
			vaccel_error("exec: %s:%s: its worker process broke the protocol", what, sym);
		return rc == ETIMEDOUT ? VACCEL_ETIMEDOUT : rc == ECANCELED ? VACCEL_EAGAIN : VACCEL_EIO;
	}
	give_back(p, w, true);
	if (rep.status == VACCEL_ENOENT || (rep.status && !rep.fn_rc)) {
		vaccel_error("exec: %s %s", what, msg);
		return rep.status;
	}
	if (rep.fn_rc) {
		vaccel_error("exec: %s:%s returned %d", what, sym, rep.fn_rc);
		return VACCEL_EIO;
	}
	return VACCEL_OK;
}
