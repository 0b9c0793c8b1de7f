/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The exec plugin's worker processes: host functions run in a process the
 * agent can lose, so a crash, an abort or a hang in one is that request's
 * error, never the agent's. The plugin (worker-pool.c) keeps a few workers
 * (vaccel-exec-worker, worker-main.c) and talks to each over a private
 * socket, one call at a time: the request names the library (by path, or a
 * memfd of its bytes passed with it), the symbol and the args; the reply
 * carries the status, the function's result and the write args' bytes.
 * Both ends are this plugin's own code; the plugin still checks every size
 * a worker sends back, since the worker runs foreign code.
 */
#ifndef VACCEL_EXEC_WORKER_H
#define VACCEL_EXEC_WORKER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <vaccel/arg.h>

#define EXEC_WORKER_MAGIC 0x58455657u /* "WVEX" */
#define EXEC_WORKER_FD 3              /* the worker's end of the socket */
#define EXEC_MSG_MAX 512

/* Request: this header, the key, the symbol, then each read and write arg. */
struct exec_req {
	uint32_t magic;
	uint32_t nr_read, nr_write;
	uint32_t key_len, sym_len;    /* bytes, without a NUL */
	uint32_t has_fd;              /* a memfd of the library came with it */
};

/* An arg: this header and `size` bytes (a write arg's initial contents). */
struct exec_arg_hdr {
	uint32_t type;
	uint32_t pad;
	uint64_t size;
};

/* Reply: this header, `msg_len` bytes of message, then each write arg. */
struct exec_rep {
	uint32_t magic;
	int32_t status;               /* VACCEL_OK, ENOENT (symbol), EIO (load, fn) */
	int32_t fn_rc;                /* what the function returned */
	uint32_t msg_len;
	uint32_t nr_write;
};

/*
 * Resolve `sym` in the library `dl` itself (not its dependencies: dlsym
 * would find libc's abort through a library that links libc). 0, or
 * VACCEL_ENOENT with the reason in err (symbol.c, used by both sides).
 */
int exec_symbol(void *dl, const char *sym, void **out, char *err, size_t errlen);

/* ---- worker-pool.c: the plugin's side ---- */
struct exec_pool;
int exec_pool_new(unsigned max_workers, int timeout_ms, struct exec_pool **out);
/* Kills the workers. */
void exec_pool_free(struct exec_pool *p);
/*
 * Call sym of the library `key` (a real path, or "sha256:HEX" with `fd` a
 * memfd of its bytes; else fd is -1) in a worker. `what` names the library
 * in messages. Returns VACCEL_OK, the worker's status, VACCEL_EIO when the
 * worker died (the message names the signal), VACCEL_ETIMEDOUT when it
 * did not answer in time (it is killed).
 */
int exec_pool_call(struct exec_pool *p, const char *key, int fd, const char *what,
		   const char *sym, struct vaccel_arg *read, size_t nr_read,
		   struct vaccel_arg *write, size_t nr_write);

#endif
