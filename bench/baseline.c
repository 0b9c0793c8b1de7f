/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The physical limits each path is held against, measured in the same run
 * without vaccel:
 *
 *   unix-pingpong[:SIZE]   a message each way over a UNIX socket pair, two processes
 *   tcp-pingpong[:SIZE]    the same over TCP loopback (TCP_NODELAY)
 *   shm-pingpong-spin      a word each way in shared memory, both sides spinning
 *   shm-pingpong-futex     the same, both sides sleeping on a futex
 *   memcpy:SIZE            one memcpy of SIZE bytes (a copy of the payload)
 *   openblas:N             cblas_sgemm called directly, N x N x N
 *
 * (bench/startup.c measures the command's own start-up.)
 * Each runs in child processes of its own, so that the command stays one
 * thread (it forks the cells after).
 */
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/futex.h>
#include <math.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include "bench.h"
#include "wire/virtio.h" /* cpu_relax */

/* The default message size of the ping-pongs: about a noop request. */
#define PINGPONG_BYTES 64

static void finish(struct bench_baseline *out, struct bench_samples *s, int ret, const char *what)
{
	if (ret) {
		snprintf(out->error, sizeof(out->error), "%s: %s", what, strerror(ret));
		bench_stats(NULL, 0, 0, &out->s);
	} else {
		bench_stats(s->ns, s->n, (double)(s->t_end - s->t_start) / 1e9, &out->s);
	}
	bench_samples_free(s);
	out->gb_per_s = out->bytes && out->s.n ? (double)out->bytes / (out->s.mean * 1e3) : NAN;
	out->gflops = NAN;
}

static void name_sized(struct bench_baseline *out, const char *base, size_t bytes)
{
	char size[32];
	memset(out, 0, sizeof(*out));
	out->bytes = bytes;
	if (bytes == PINGPONG_BYTES) {
		snprintf(out->name, sizeof(out->name), "%s", base);
		return;
	}
	bench_format_size(bytes, size, sizeof(size));
	snprintf(out->name, sizeof(out->name), "%s:%s", base, size);
}

/* All of len bytes, or an errno (EPIPE: the other end closed). */
int bench_full_io(int fd, void *buf, size_t len, bool write_it)
{
	char *p = buf;
	while (len) {
		ssize_t n = write_it ? write(fd, p, len) : read(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n < 0 ? errno : EPIPE;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* The far side of a socket ping-pong: echo until the peer closes. */
_Noreturn static void echo(int fd, size_t bytes)
{
	char *buf = malloc(bytes);
	while (buf && !bench_full_io(fd, buf, bytes, false) && !bench_full_io(fd, buf, bytes, true))
		;
	_exit(0);
}

struct pingpong {
	int fd;
	char *buf;
	size_t bytes;
};

static int ping(void *ctx)
{
	struct pingpong *p = ctx;
	int ret = bench_full_io(p->fd, p->buf, p->bytes, true);
	return ret ? ret : bench_full_io(p->fd, p->buf, p->bytes, false);
}

static void run_pingpong(int fd, pid_t peer, size_t bytes, const struct bench_budget *b,
			 struct bench_baseline *out)
{
	struct pingpong p = { .fd = fd, .bytes = bytes, .buf = calloc(1, bytes) };
	struct bench_samples s;
	int ret = p.buf ? bench_sample(b, ping, &p, NULL, &s) : ENOMEM;
	close(fd);
	waitpid(peer, NULL, 0);
	free(p.buf);
	finish(out, &s, ret, out->name);
}

void bench_baseline_unix(size_t bytes, const struct bench_budget *b, struct bench_baseline *out)
{
	int sv[2];
	name_sized(out, "unix-pingpong", bytes);
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv)) {
		finish(out, &(struct bench_samples){ 0 }, errno, "socketpair");
		return;
	}
	pid_t pid = fork();
	if (pid == 0) {
		close(sv[0]);
		echo(sv[1], bytes);
	}
	close(sv[1]);
	if (pid < 0) {
		close(sv[0]);
		finish(out, &(struct bench_samples){ 0 }, errno, "fork");
		return;
	}
	run_pingpong(sv[0], pid, bytes, b, out);
}

void bench_baseline_tcp(size_t bytes, const struct bench_budget *b, struct bench_baseline *out)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t alen = sizeof(a);
	int one = 1, ret = 0;
	name_sized(out, "tcp-pingpong", bytes);
	int lfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (lfd < 0 || bind(lfd, (struct sockaddr *)&a, sizeof(a)) || listen(lfd, 1) ||
	    getsockname(lfd, (struct sockaddr *)&a, &alen)) {
		ret = errno;
		if (lfd >= 0)
			close(lfd);
		finish(out, &(struct bench_samples){ 0 }, ret, "tcp listen");
		return;
	}
	pid_t pid = fork();
	if (pid == 0) {
		int fd = accept(lfd, NULL, NULL);
		if (fd < 0)
			_exit(1);
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
		echo(fd, bytes);
	}
	close(lfd);
	int fd = pid < 0 ? -1 : socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&a, sizeof(a))) {
		ret = errno;
		if (fd >= 0)
			close(fd);
		if (pid > 0) {
			kill(pid, SIGKILL);
			waitpid(pid, NULL, 0);
		}
		finish(out, &(struct bench_samples){ 0 }, ret, "tcp connect");
		return;
	}
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	run_pingpong(fd, pid, bytes, b, out);
}

/* ---- shared memory: one word each way ---- */

struct shm_words {
	_Atomic uint32_t ping, pong, stop;
};

static void futex_wait(_Atomic uint32_t *w, uint32_t old)
{
	syscall(SYS_futex, w, FUTEX_WAIT, old, NULL, NULL, 0);
}

static void futex_wake(_Atomic uint32_t *w)
{
	syscall(SYS_futex, w, FUTEX_WAKE, 1, NULL, NULL, 0);
}

struct shm_side {
	struct shm_words *w;
	bool futex;
};

static void wait_change(struct shm_side *s, _Atomic uint32_t *word, uint32_t old)
{
	while (atomic_load_explicit(word, memory_order_acquire) == old) {
		if (s->futex)
			futex_wait(word, old);
		else
			cpu_relax();
	}
}

static int shm_ping(void *ctx)
{
	struct shm_side *s = ctx;
	uint32_t v = atomic_fetch_add_explicit(&s->w->ping, 1, memory_order_release) + 1;
	if (s->futex)
		futex_wake(&s->w->ping);
	wait_change(s, &s->w->pong, v - 1);
	return 0;
}

_Noreturn static void shm_pong(struct shm_side *s)
{
	uint32_t last = 0;
	for (;;) {
		wait_change(s, &s->w->ping, last);
		if (atomic_load(&s->w->stop))
			_exit(0);
		last = atomic_load_explicit(&s->w->ping, memory_order_acquire);
		atomic_store_explicit(&s->w->pong, last, memory_order_release);
		if (s->futex)
			futex_wake(&s->w->pong);
	}
}

void bench_baseline_shm(bool futex, const struct bench_budget *b, struct bench_baseline *out)
{
	memset(out, 0, sizeof(*out));
	snprintf(out->name, sizeof(out->name), "shm-pingpong-%s", futex ? "futex" : "spin");
	struct shm_words *w = mmap(NULL, sizeof(*w), PROT_READ | PROT_WRITE,
				   MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (w == MAP_FAILED) {
		finish(out, &(struct bench_samples){ 0 }, errno, "mmap");
		return;
	}
	struct shm_side side = { .w = w, .futex = futex };
	pid_t pid = fork();
	if (pid == 0)
		shm_pong(&side);
	struct bench_samples s = { 0 };
	int ret = pid < 0 ? errno : bench_sample(b, shm_ping, &side, NULL, &s);
	if (pid > 0) {
		atomic_store(&w->stop, 1);
		atomic_fetch_add(&w->ping, 1);
		futex_wake(&w->ping);
		waitpid(pid, NULL, 0);
	}
	munmap(w, sizeof(*w));
	finish(out, &s, ret, out->name);
}

/* ---- memcpy ---- */

struct copy {
	char *src, *dst;
	size_t bytes;
};

static int copy_once(void *ctx)
{
	struct copy *c = ctx;
	memcpy(c->dst, c->src, c->bytes);
	__asm__ volatile("" : : "r"(c->dst) : "memory");
	return 0;
}

void bench_baseline_memcpy(size_t bytes, const struct bench_budget *b, struct bench_baseline *out)
{
	char size[32];
	memset(out, 0, sizeof(*out));
	bench_format_size(bytes, size, sizeof(size));
	snprintf(out->name, sizeof(out->name), "memcpy:%s", size);
	out->bytes = bytes;
	struct copy c = { malloc(bytes), malloc(bytes), bytes };
	struct bench_samples s = { 0 };
	int ret = ENOMEM;
	if (c.src && c.dst) {
		memset(c.src, 1, bytes);
		memset(c.dst, 2, bytes);
		ret = bench_sample(b, copy_once, &c, NULL, &s);
	}
	free(c.src);
	free(c.dst);
	finish(out, &s, ret, out->name);
}

/* ---- OpenBLAS, without vaccel ---- */

typedef void (*sgemm_fn)(int order, int ta, int tb, int m, int n, int k, float alpha,
			 const float *a, int lda, const float *b, int ldb, float beta, float *c,
			 int ldc);
struct blas {
	sgemm_fn sgemm;
	float *a, *b, *c;
	int n;
};

static int blas_once(void *ctx)
{
	struct blas *x = ctx;
	/* CblasRowMajor = 101, CblasNoTrans = 111 */
	x->sgemm(101, 111, 111, x->n, x->n, x->n, 1.0f, x->a, x->n, x->b, x->n, 0.0f, x->c, x->n);
	return 0;
}

/* In a child: OpenBLAS starts threads when loaded. */
_Noreturn static void blas_child(long n, const struct bench_budget *b, struct bench_baseline *out,
				 int fd)
{
	static const char *const libs[] = { "libopenblas.so.0", "libopenblas.so", NULL };
	void *h = NULL;
	for (int i = 0; libs[i] && !h; i++)
		h = dlopen(libs[i], RTLD_NOW | RTLD_LOCAL);
	struct blas x = { .n = (int)n };
	if (!h || !(x.sgemm = (sgemm_fn)dlsym(h, "cblas_sgemm"))) {
		snprintf(out->error, sizeof(out->error), "OpenBLAS not found (libopenblas.so.0)");
		bench_stats(NULL, 0, 0, &out->s);
	} else {
		size_t nn = (size_t)n * (size_t)n;
		x.a = malloc(nn * sizeof(float));
		x.b = malloc(nn * sizeof(float));
		x.c = calloc(nn, sizeof(float));
		for (size_t i = 0; x.a && x.b && i < nn; i++) {
			x.a[i] = (float)(i % 13) / 13.0f - 0.5f;
			x.b[i] = (float)(i % 17) / 17.0f - 0.5f;
		}
		struct bench_samples s = { 0 };
		int ret = x.a && x.b && x.c ? bench_sample(b, blas_once, &x, NULL, &s) : ENOMEM;
		finish(out, &s, ret, out->name);
	}
	out->gb_per_s = NAN;
	out->gflops = out->s.n ? 2.0 * (double)n * (double)n * (double)n / (out->s.p50 * 1e3) : NAN;
	_exit(bench_full_io(fd, out, sizeof(*out), true) ? 1 : 0);
}

void bench_baseline_openblas(long n, const struct bench_budget *b, struct bench_baseline *out)
{
	memset(out, 0, sizeof(*out));
	snprintf(out->name, sizeof(out->name), "openblas:%ld", n);
	out->n = n;
	int p[2];
	if (pipe2(p, O_CLOEXEC)) {
		finish(out, &(struct bench_samples){ 0 }, errno, "pipe");
		return;
	}
	pid_t pid = fork();
	if (pid == 0) {
		close(p[0]);
		blas_child(n, b, out, p[1]);
	}
	close(p[1]);
	struct bench_baseline got;
	int ret = pid < 0 ? errno : bench_full_io(p[0], &got, sizeof(got), false);
	close(p[0]);
	if (pid > 0)
		waitpid(pid, NULL, 0);
	if (ret) {
		finish(out, &(struct bench_samples){ 0 }, ret, out->name);
		return;
	}
	*out = got;
}
