/* SPDX-License-Identifier: Apache-2.0 */
/*
 * vaccel bench: what its parts share. cmd/cmd-bench.c holds the options and
 * the plan, cmd/bench-cell.c runs the agent and the client processes,
 * cmd/bench-report.c the outputs, cmd/bench-compare.c --compare,
 * cmd/bench-plot.c --plot; bench/workload.c defines the workloads,
 * bench/baseline.c the physical limits, bench/sampler.c the timing loop and
 * its statistics.
 */
#ifndef VACCEL_BENCH_H
#define VACCEL_BENCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

struct vaccel_session;
struct vaccel_tensor;

/* ---- the paths a call can take ---- */
enum bench_transport { BENCH_NATIVE, BENCH_RPC, BENCH_RPC_TCP, BENCH_VIRTIO, BENCH_NR_TRANSPORTS };
extern const char *const bench_transport_names[BENCH_NR_TRANSPORTS];

/* ---- how long a cell runs ---- */
struct bench_budget {
	double duration_s;      /* timed phase, 0: no limit (iterations decide) */
	long iterations;        /* timed calls, 0: no limit (duration decides) */
	double warmup_s;        /* warm-up phase, untimed */
	long warmup_iterations; /* at least this many warm-up calls */
	long max_samples;       /* timed calls kept at most, 0: BENCH_MAX_SAMPLES */
	/* Called between warm-up and the timed phase, when set (a barrier). */
	void (*ready)(void *ctx);
	void *ready_ctx;
};
/* Timed calls kept per client and cell at most (over all its rounds): the
 * memory of a cell stays bounded. */
#define BENCH_MAX_SAMPLES 1000000

/* ---- bench/sampler.c: the timing loop and its statistics ---- */
struct bench_samples {
	uint64_t *ns;            /* per-call latency */
	size_t n, cap;
	uint64_t t_start, t_end; /* of the timed phase, CLOCK_MONOTONIC ns */
	uint64_t cpu_ns;         /* the process's CPU time (all threads) in it */
};
/* One call; 0 or a VACCEL_* error (which stops the loop). */
typedef int (*bench_call_fn)(void *ctx);
/*
 * Warm up, then time calls until the budget is spent (or `stop` becomes
 * true). 0, or the first failed call's error. The samples are malloc'd into
 * s (bench_samples_free).
 */
int bench_sample(const struct bench_budget *b, bench_call_fn fn, void *ctx,
		 volatile int *stop, struct bench_samples *s);
void bench_samples_free(struct bench_samples *s);
uint64_t bench_now_ns(void);
/* A clock's reading in ns (a CPU-time clock too), 0 when it cannot be read. */
uint64_t bench_clock_ns(clockid_t clock);
/* All of len bytes read or written, or an errno (EPIPE: the other end closed). */
int bench_full_io(int fd, void *buf, size_t len, bool write_it);

#define BENCH_NR_QUANTILES 21 /* 0, 5, ..., 100 % */
struct bench_stats {
	size_t n;
	double mean, stddev, p50, p90, p99, min, max; /* microseconds */
	double ops_per_s;                             /* calls over wall time */
	double quantiles[BENCH_NR_QUANTILES];         /* for the plots */
};
/* Sorts ns in place; wall_s: the wall time the n calls took (all clients). */
void bench_stats(uint64_t *ns, size_t n, double wall_s, struct bench_stats *out);

/* ---- bench/workload.c: what a cell calls ---- */
enum bench_kind { BENCH_NOOP, BENCH_SGEMM, BENCH_CLASSIFY, BENCH_INFER, BENCH_PAYLOAD };

struct bench_workload {
	char name[256];          /* as given on the command line: "sgemm:256" */
	enum bench_kind kind;
	long n;                  /* sgemm: m = n = k */
	size_t bytes;            /* payload: bytes each way; sgemm: A, B and C */
	bool shm;                /* payload@shm: buffers from vaccel_shm_alloc */
	char path[256];          /* classify: the image; infer: the model */
	size_t ndims;            /* infer: the input's shape */
	int64_t dims[8];
};

/*
 * "noop", "sgemm:N", "classify:IMAGE", "infer:MODEL[@DIMS]",
 * "payload:SIZE[@shm]".
 */
int bench_workload_parse(const char *spec, struct bench_workload *w, char *err, size_t errlen);
/* FLOPs of one call (sgemm), else 0. */
double bench_workload_flops(const struct bench_workload *w);
/* Payload bytes of one call, each way (payload), else 0. */
double bench_workload_payload(const struct bench_workload *w);
/* True when the workload needs the opencv plugin. */
bool bench_workload_vision(const struct bench_workload *w);

struct bench_call;
/*
 * Buffers and inputs for repeated calls of w on sess; 0 or a VACCEL_* error
 * with the reason in err. bench_workload_free releases them.
 */
int bench_workload_prepare(const struct bench_workload *w, struct vaccel_session *sess,
			   struct bench_call **out, char *err, size_t errlen);
int bench_workload_call(void *call); /* a bench_call_fn */
void bench_workload_free(struct bench_call *c);

/* "64M" -> 67108864; false when not a size (K, M, G: powers of 1024). */
bool bench_parse_size(const char *s, size_t *out);
/* 67108864 -> "64M": the shortest exact form. */
void bench_format_size(size_t bytes, char *buf, size_t len);

/* ---- bench/workload-torch.c: infer on a TorchScript model, by vAccel's torch API ---- */
struct bench_torch;
int bench_torch_prepare(struct vaccel_session *sess, const char *path,
			const struct vaccel_tensor *in, struct bench_torch **out, char *err,
			size_t errlen);
int bench_torch_call(struct bench_torch *t);
void bench_torch_free(struct bench_torch *t);

/* ---- bench/baseline.c: the physical limits, without vaccel ---- */
struct bench_baseline {
	char name[64];           /* "unix-pingpong", "memcpy:64M", "openblas:1024" */
	size_t bytes;            /* message or copy size; 0 when none */
	long n;                  /* openblas: the matrix size */
	struct bench_stats s;
	double gb_per_s;         /* memcpy and pingpongs with a size, else NAN */
	double gflops;           /* openblas, else NAN */
	char measured_by[16];    /* startup: "hyperfine" or "fork-exec"; else empty */
	char error[160];         /* non-empty: it could not run */
};
void bench_baseline_unix(size_t bytes, const struct bench_budget *b, struct bench_baseline *out);
void bench_baseline_tcp(size_t bytes, const struct bench_budget *b, struct bench_baseline *out);
void bench_baseline_shm(bool futex, const struct bench_budget *b, struct bench_baseline *out);
void bench_baseline_memcpy(size_t bytes, const struct bench_budget *b, struct bench_baseline *out);
void bench_baseline_openblas(long n, const struct bench_budget *b, struct bench_baseline *out);
/*
 * bench/opencv.c: OpenCV dnn called directly for a classify or infer
 * workload, in `helper` (vaccel-bench-opencv) on `model`.
 */
void bench_baseline_opencv(const char *helper, const struct bench_workload *w, const char *model,
			   const struct bench_budget *b, struct bench_baseline *out);
/* bench/startup.c: the command's own start-up, the real binary with the host profile. */
void bench_baseline_startup(const char *profile, const struct bench_budget *b,
			    struct bench_baseline *out);

/* ---- one measured cell ---- */
struct bench_row {
	const struct bench_workload *w;
	enum bench_transport t;
	int clients;
	struct bench_stats s;
	double gflops, gb_per_s;  /* NAN when the workload has none */
	double ratio;             /* p50 over native's p50, same workload and clients */
	char error[256];          /* non-empty: the cell failed */
	/*
	 * CPU time of the timed phases (the clients', and our own agent's over
	 * the cell) per second of wall time: how many cores the cell kept
	 * busy. NAN when not known.
	 */
	double cores;
	/* The samples of the rounds so far, until bench_cell_finish. */
	uint64_t *ns;
	size_t nr_ns;
	double wall_s, cpu_s;              /* the clients' timed phases */
	double agent_wall_s, agent_cpu_s;  /* our agent, from the start to the clients' exit */
};

/* ---- cmd/bench-cell.c: the agent, and the client processes of a cell ---- */
struct bench_env {
	char dir[256];                          /* private, removed after */
	char host_profile[512];                 /* native's and the agent's */
	char profile[BENCH_NR_TRANSPORTS][512]; /* each transport's client profile */
	char address[BENCH_NR_TRANSPORTS][320]; /* rpc, rpc-tcp, virtio: the agent's */
	int log_level;                          /* the clients' and the agent's */
	int agent;                              /* our own agent's pid, 0 when none */
};
/*
 * Our own agent on private sockets in e->dir; 0, or -1 with the reason in
 * err (-2 when the host profile is at fault: it did not load, or it is not
 * a host's).
 */
int bench_agent_start(struct bench_env *e, char *err, size_t errlen);
/* Stop it (SIGTERM) and wait for it; nothing when there is none. */
void bench_agent_stop(struct bench_env *e);
/*
 * One round of a cell: row->clients client processes, each with its own
 * profile and session; warm-up, a common start, the timed calls. Adds the
 * samples to the row's, or sets row->error. *stop (set by a signal
 * handler) cuts it short.
 */
void bench_cell_run(struct bench_env *e, struct bench_row *row, const struct bench_budget *b,
		    volatile int *stop);
/* After the last round: the row's statistics from all its samples. */
void bench_cell_finish(struct bench_row *row);

/* ---- the whole run, for the reports ---- */
struct bench_change {
	const struct bench_row *row;  /* this run's cell */
	struct bench_stats base;      /* the baseline file's figures for it */
	double spread;                /* p90 - p50, the larger of the two runs */
	bool regressed;               /* p50 worse than threshold + spread */
};

struct bench_report {
	struct bench_row *rows;
	size_t nr_rows;
	struct bench_baseline *baselines;
	size_t nr_baselines;
	const struct bench_budget *budget;  /* one round's */
	int rounds;                   /* --rounds: each cell's budget is split in these */
	const char *clients;          /* as given, "1,2,4" */
	const char *agent;            /* --agent, or NULL: our own */
	double elapsed_s;
	/* --compare */
	const char *compare_file;
	double threshold;             /* 0.10 for 10 % */
	struct bench_change *changes;
	size_t nr_changes;
	size_t nr_missing;            /* cells of the file this run did not have */
};

/* cmd/bench-report.c: the text table (or markdown), CSV and JSON. */
void bench_print_table(FILE *out, const struct bench_report *r, bool markdown);
void bench_print_csv(FILE *out, const struct bench_report *r);
void bench_print_json(FILE *out, const struct bench_report *r);
void bench_print_changes(FILE *out, const struct bench_report *r);

/*
 * cmd/bench-compare.c: match this run's cells with a --json document's by
 * (workload, transport, clients). 0, or -1 with the reason in err (an
 * unreadable or malformed file). Fills r->changes.
 */
int bench_compare(struct bench_report *r, char *err, size_t errlen);

/* cmd/bench-plot.c: data files and gnuplot's PNG and SVG in dir. 0 or -1 (printed). */
int bench_plot(const struct bench_report *r, const char *dir);

#endif /* VACCEL_BENCH_H */
