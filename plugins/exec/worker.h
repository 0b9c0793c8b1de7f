/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The exec plugin's worker processes: host functions run in a process the
 * agent can lose, so a crash, an abort or a hang in one is that request's
 * error, never the agent's. The plugin (worker-pool.c) keeps a few workers
 * (vaccel-exec-worker, worker-main.c) and talks to each over a private
 * socket, one call at a time: the request names the library and the
 * dependencies loaded before it (each by path, or a memfd of its bytes
 * passed with it), the symbol and the args; the reply
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
/* The most objects (dependencies and the library) one call loads: a bound
 * on the fds one request carries. */
#define EXEC_MAX_OBJECTS 32

/*
 * Request: this header, the keys, the symbol, then each read and write arg.
 * The keys are nr_objects NUL-terminated strings, the dependencies in load
 * order then the library; bit i of fd_mask says object i's memfd came with
 * the header (the fds in object order).
 */
struct exec_req {
	uint32_t magic;
	uint32_t nr_read, nr_write;
	uint32_t key_len, sym_len;    /* bytes; keys with their NULs, sym without */
	uint32_t nr_objects;          /* 1 to EXEC_MAX_OBJECTS */
	uint32_t fd_mask;
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
/* An object a call loads: a real path, or "sha256:HEX" with fd a memfd of
 * its bytes (else fd is -1). */
struct exec_object {
	const char *key;
	int fd;
};
/*
 * Call sym of the library objs[nr_objs - 1] in a worker, which first loads
 * objs[0 .. nr_objs - 2], in order, RTLD_GLOBAL: the library's undefined
 * symbols resolve against them (vAccel's dependencies of a LIB resource).
 * `what` names the library in messages. Returns VACCEL_OK, the worker's
 * status, VACCEL_EIO when the worker died (the message names the signal),
 * VACCEL_ETIMEDOUT when it did not answer in time (it is killed).
 */
int exec_pool_call(struct exec_pool *p, const struct exec_object *objs, size_t nr_objs,
		   const char *what, const char *sym, struct vaccel_arg *read, size_t nr_read,
		   struct vaccel_arg *write, size_t nr_write);

#endif
