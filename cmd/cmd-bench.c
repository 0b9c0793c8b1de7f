/* SPDX-License-Identifier: Apache-2.0 */
/*
 * vaccel bench: native, rpc and virtio side by side, against the physical
 * limits (bench/baseline.c), in one run. This file holds the options, the
 * plan (workloads x transports x clients) and the run; the processes are in
 * bench-cell.c, the outputs in bench-report.c, bench-compare.c and
 * bench-plot.c.
 */
#include <argp.h>
#include <errno.h>
#include <math.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include "cmd.h"
#include "model-format.h"
#include "models.h"
#include "../bench/bench.h"

#define MAX_ITEMS 32
#define DEFAULT_WORKLOADS "noop,sgemm:256,sgemm:1024,payload:1M"

enum { OPT_TRANSPORT = 0x100, OPT_WORKLOAD, OPT_CLIENTS, OPT_DURATION, OPT_AGENT, OPT_CSV,
       OPT_MARKDOWN, OPT_PLOT, OPT_COMPARE, OPT_THRESHOLD, OPT_WARMUP, OPT_NO_BASELINES,
       OPT_ROUNDS };

static const struct argp_option options[] = {
	{ "transport", OPT_TRANSPORT, "LIST", 0,
	  "native, rpc (UNIX socket), rpc-tcp (TCP loopback), virtio, or all "
	  "(default); a comma list. native always runs: it is what the ratios "
	  "are to", 0 },
	{ "workload", OPT_WORKLOAD, "LIST", 0,
	  "noop, sgemm:N, classify:IMAGE, infer:MODEL[@DIMS], payload:SIZE[@shm]; a comma "
	  "list (default " DEFAULT_WORKLOADS ")", 0 },
	{ "clients", OPT_CLIENTS, "LIST", 0,
	  "Concurrent client processes per cell, a comma list (default 1)", 0 },
	{ "duration", OPT_DURATION, "TIME", 0,
	  "Timed phase of each cell and baseline: 5s, 500ms, 2 (seconds; default 1s)", 0 },
	{ "iterations", 'i', "N", 0,
	  "Timed calls per client (with --duration: whichever ends first)", 0 },
	{ "rounds", OPT_ROUNDS, "N", 0,
	  "Split each cell's --duration (or --iterations) into N rounds, the "
	  "cells taking turns: slow changes in the machine's load fall on every "
	  "transport alike (default 1)", 0 },
	{ "warmup", OPT_WARMUP, "TIME", 0,
	  "Untimed calls first, for this long (default: a fifth of --duration, "
	  "at most 0.5s; at least one call)", 0 },
	{ "agent", OPT_AGENT, "ADDRESS", 0,
	  "Use a running agent instead of starting one: unix:// (rpc), tcp:// "
	  "(rpc-tcp), virtio:// (virtio); repeatable", 0 },
	{ "csv", OPT_CSV, NULL, 0, "Print CSV: one line per cell and per baseline", 0 },
	{ "markdown", OPT_MARKDOWN, NULL, 0, "Print markdown tables", 0 },
	{ "plot", OPT_PLOT, "DIR", 0,
	  "Write data files and gnuplot plots (PNG and SVG) into DIR", 0 },
	{ "compare", OPT_COMPARE, "FILE", 0,
	  "Compare with an earlier --json run; exit 1 on a regression", 0 },
	{ "threshold", OPT_THRESHOLD, "PCT", 0,
	  "--compare: a p50 worse by more than this, beyond the spread, is a "
	  "regression (default 10%)", 0 },
	{ "no-baselines", OPT_NO_BASELINES, NULL, 0, "Skip the baselines", 0 },
	{ 0 }
};

struct bench_args {
	bool transports[BENCH_NR_TRANSPORTS];
	bool transport_given;
	const char *workloads;
	int clients[MAX_ITEMS];
	size_t nr_clients;
	const char *clients_text;
	double duration_s, warmup_s;
	long iterations, rounds;
	const char *agents[BENCH_NR_TRANSPORTS];
	bool csv, markdown, no_baselines;
	const char *plot, *compare;
	double threshold;
};

/* "5s", "500ms", "2m", "2": seconds, or -1. */
static double parse_time(const char *s)
{
	char *end;
	errno = 0;
	double v = strtod(s, &end);
	if (end == s || errno || v < 0 || !isfinite(v))
		return -1;
	if (!strcmp(end, "ms"))
		v /= 1e3;
	else if (!strcmp(end, "us"))
		v /= 1e6;
	else if (!strcmp(end, "m") || !strcmp(end, "min"))
		v *= 60;
	else if (*end && strcmp(end, "s"))
		return -1;
	return v;
}

static bool parse_transports(const char *list, struct bench_args *a)
{
	char *copy = strdup(list), *save = NULL;
	bool ok = copy != NULL;
	for (char *t = copy ? strtok_r(copy, ",", &save) : NULL; t && ok; t = strtok_r(NULL, ",", &save)) {
		if (!strcmp(t, "all")) {
			for (int i = 0; i < BENCH_NR_TRANSPORTS; i++)
				a->transports[i] = true;
			continue;
		}
		int i = 0;
		while (i < BENCH_NR_TRANSPORTS && strcmp(t, bench_transport_names[i]))
			i++;
		if (i == BENCH_NR_TRANSPORTS)
			ok = false;
		else
			a->transports[i] = true;
	}
	free(copy);
	return ok;
}

static bool parse_clients(char *list, struct bench_args *a)
{
	a->nr_clients = 0;
	a->clients_text = list;
	char *copy = strdup(list), *save = NULL;
	bool ok = copy != NULL;
	for (char *t = copy ? strtok_r(copy, ",", &save) : NULL; t && ok; t = strtok_r(NULL, ",", &save)) {
		long n;
		if (a->nr_clients == MAX_ITEMS || !cmd_parse_long(t, 1, 256, &n))
			ok = false;
		else
			a->clients[a->nr_clients++] = (int)n;
	}
	free(copy);
	return ok && a->nr_clients;
}

static bool add_agent(const char *addr, struct bench_args *a)
{
	static const struct { const char *scheme; enum bench_transport t; } schemes[] = {
		{ "unix://", BENCH_RPC }, { "tcp://", BENCH_RPC_TCP }, { "virtio://", BENCH_VIRTIO },
	};
	for (size_t i = 0; i < sizeof(schemes) / sizeof(schemes[0]); i++)
		if (!strncmp(addr, schemes[i].scheme, strlen(schemes[i].scheme))) {
			a->agents[schemes[i].t] = addr;
			return true;
		}
	return false;
}

static error_t parse_opt(int key, char *arg, struct argp_state *state)
{
	struct bench_args *a = state->input;
	switch (key) {
	case OPT_TRANSPORT:
		if (!a->transport_given)
			memset(a->transports, 0, sizeof(a->transports));
		a->transport_given = true;
		if (!parse_transports(arg, a))
			argp_error(state, "--transport: '%s' is not a list of native, rpc, rpc-tcp, "
				   "virtio, all", arg);
		return 0;
	case OPT_WORKLOAD:
		a->workloads = arg;
		return 0;
	case OPT_CLIENTS:
		if (!parse_clients(arg, a))
			argp_error(state, "--clients: '%s' is not a list of counts 1..256", arg);
		return 0;
	case OPT_DURATION:
		if ((a->duration_s = parse_time(arg)) <= 0 || a->duration_s > 3600)
			argp_error(state, "--duration: '%s' is not a time up to 1h (5s, 500ms, 2)", arg);
		return 0;
	case OPT_WARMUP:
		if ((a->warmup_s = parse_time(arg)) < 0 || a->warmup_s > 600)
			argp_error(state, "--warmup: '%s' is not a time up to 10m (1s, 200ms, 0)", arg);
		return 0;
	case 'i':
		if (!cmd_parse_long(arg, 1, BENCH_MAX_SAMPLES, &a->iterations))
			argp_error(state, "--iterations: '%s' is not a count in 1..%d", arg,
				   BENCH_MAX_SAMPLES);
		return 0;
	case OPT_ROUNDS:
		if (!cmd_parse_long(arg, 1, 1000, &a->rounds))
			argp_error(state, "--rounds: '%s' is not a count in 1..1000", arg);
		return 0;
	case OPT_AGENT:
		if (!add_agent(arg, a))
			argp_error(state, "--agent: '%s' is not a unix://, tcp:// or virtio:// address",
				   arg);
		return 0;
	case OPT_CSV: a->csv = true; return 0;
	case OPT_MARKDOWN: a->markdown = true; return 0;
	case OPT_NO_BASELINES: a->no_baselines = true; return 0;
	case OPT_PLOT: a->plot = arg; return 0;
	case OPT_COMPARE: a->compare = arg; return 0;
	case OPT_THRESHOLD: {
		char *end;
		errno = 0;
		double v = strtod(arg, &end);
		if (end == arg || errno || (*end && strcmp(end, "%")) || v < 0 || v > 10000)
			argp_error(state, "--threshold: '%s' is not a percentage (10%%, 5)", arg);
		a->threshold = v / 100.0;
		return 0;
	}
	case ARGP_KEY_ARG:
		argp_error(state, "unexpected argument '%s'", arg);
		return 0;
	default:
		return ARGP_ERR_UNKNOWN;
	}
}

static const struct argp argp = {
	options, parse_opt, NULL,
	"Measure each workload over each transport (native, rpc, rpc-tcp, virtio) "
	"with the given numbers of concurrent clients, side by side with the "
	"physical limits measured in the same run (socket and shared-memory "
	"ping-pongs, memcpy, OpenBLAS and OpenCV called directly, the command's "
	"start-up timed by hyperfine when installed). Each cell warms up, then "
	"times calls until --iterations or --duration; it reports n, mean, stddev, "
	"p50, p90, p99, min, max (microseconds), ops/s, GFLOP/s (sgemm), GB/s "
	"(payload), the ratio of its p50 to native's and the cores it kept busy.\v"
	"Without --agent it starts its own agent (the host profile: --profile, "
	"else OpenBLAS, and OpenCV's classify model for classify and infer "
	"workloads) on private sockets, and stops it after. The global --json "
	"prints one document. Exit status: 0 ok, 1 a cell failed or --compare "
	"found a regression, 2 usage, 3 unreadable --compare file or workload "
	"input, 130 interrupted. See vaccel(1) and bench/README.",
	NULL, NULL, NULL
};

/* ---- the run ---- */

static volatile int stop_requested;

static void on_signal(int sig)
{
	(void)sig;
	stop_requested = 1;
}

struct plan {
	struct bench_workload w[MAX_ITEMS];
	size_t nr_w;
	struct bench_row *rows;
	size_t nr_rows;
	struct bench_baseline *bl;
	size_t nr_bl, cap_bl;
};

static int parse_workloads(const char *list, struct plan *p)
{
	char *copy = strdup(list), *save = NULL;
	char err[512];
	int rc = copy ? EXIT_OK : EXIT_OP_FAILED;
	for (char *t = copy ? strtok_r(copy, ",", &save) : NULL; t && !rc; t = strtok_r(NULL, ",", &save)) {
		if (p->nr_w == MAX_ITEMS) {
			cmd_error("--workload: at most %d workloads", MAX_ITEMS);
			rc = EXIT_USAGE;
		} else if ((rc = bench_workload_parse(t, &p->w[p->nr_w], err, sizeof(err)))) {
			cmd_error("--workload: %s", err);
			rc = rc == VACCEL_ENOENT ? EXIT_INPUT : EXIT_USAGE;
		} else {
			p->nr_w++;
		}
	}
	free(copy);
	if (!rc && !p->nr_w) {
		cmd_error("--workload: empty list");
		rc = EXIT_USAGE;
	}
	return rc;
}

/* The host profile: the global --profile, else one of our own. */
static int write_host_profile(struct bench_env *e, const struct plan *p, const char *given)
{
	if (given) {
		snprintf(e->host_profile, sizeof(e->host_profile), "%s", given);
		return 0;
	}
	bool vision = false, torch = false;
	for (size_t i = 0; i < p->nr_w; i++) {
		vision |= bench_workload_vision(&p->w[i]);
		torch |= p->w[i].kind == BENCH_INFER && model_is_torchscript(p->w[i].path);
	}
	snprintf(e->host_profile, sizeof(e->host_profile), "%s/host.yaml", e->dir);
	FILE *f = fopen(e->host_profile, "w");
	if (!f)
		return -1;
	fputs("version: 1\nlog-level: error\nplugins:\n", f);
#ifdef HAVE_PLUGIN_OPENBLAS
	fputs("  - name: openblas\n", f);
#endif
	if (vision) /* classify as the shipped vision profile does */
		fputs("  - name: opencv\n    options:\n"
		      "      classify-model: ${VACCEL_MODELS}/classification/mobilenet_v2/"
		      "mobilenet_v2_1.0_224_dequant.onnx\n"
		      "      classify-labels: ${VACCEL_MODELS}/classification/mobilenet_v2/"
		      "imagenet_labels_1001.txt\n"
		      "      classify-size: 224\n      classify-mean: 128\n"
		      "      classify-scale: 0.0078125\n      classify-rgb: true\n"
		      "      classify-softmax: false\n      classify-top: 5\n", f);
	if (torch) /* TorchScript infer workloads, where the plugin is installed */
		fputs("  - name: torch\n    optional: true\n", f);
	/* Whatever the plugins above do not serve (sgemm without OpenBLAS). */
	fputs("  - name: noop\n", f);
	return fclose(f) ? -1 : 0;
}

static int write_client_profile(struct bench_env *e, enum bench_transport t)
{
	if (t == BENCH_NATIVE) {
		snprintf(e->profile[t], sizeof(e->profile[t]), "%s", e->host_profile);
		return 0;
	}
	snprintf(e->profile[t], sizeof(e->profile[t]), "%s/%s.yaml", e->dir, bench_transport_names[t]);
	FILE *f = fopen(e->profile[t], "w");
	if (!f)
		return -1;
	fprintf(f, "version: 1\nlog-level: error\nplugins:\n  - name: %s\n    options:\n"
		"      address: \"%s\"\n", t == BENCH_VIRTIO ? "virtio" : "rpc", e->address[t]);
	return fclose(f) ? -1 : 0;
}

/* A free TCP port on the loopback for our agent (bound and released). */
static int free_port(void)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t len = sizeof(a);
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0), port = -1;
	if (fd >= 0 && !bind(fd, (struct sockaddr *)&a, sizeof(a)) &&
	    !getsockname(fd, (struct sockaddr *)&a, &len))
		port = ntohs(a.sin_port);
	if (fd >= 0)
		close(fd);
	return port;
}

static struct bench_baseline *new_baseline(struct plan *p)
{
	if (p->nr_bl == p->cap_bl) {
		size_t cap = p->cap_bl ? p->cap_bl * 2 : 16;
		struct bench_baseline *b = realloc(p->bl, cap * sizeof(*b));
		if (!b)
			return NULL;
		p->bl = b;
		p->cap_bl = cap;
	}
	return &p->bl[p->nr_bl++];
}

/* ---- progress, on a terminal only ---- */
struct progress {
	bool on;
	size_t done, total;
	uint64_t t0;
};

static void progress(struct progress *pr, const char *what)
{
	if (!pr->on)
		return;
	double el = (double)(bench_now_ns() - pr->t0) / 1e9;
	if (!what) {
		fputs("\r\033[K", stderr);
		return;
	}
	fprintf(stderr, "\r\033[Kvaccel bench: %zu/%zu %s  elapsed %.0fs", pr->done + 1, pr->total,
		what, el);
	if (pr->done)
		fprintf(stderr, "  ETA %.0fs", el / (double)pr->done * (double)(pr->total - pr->done));
	fflush(stderr);
}

/* The sizes a baseline is run at, once each. */
static bool seen_size(size_t *sizes, size_t *n, size_t v)
{
	for (size_t i = 0; i < *n; i++)
		if (sizes[i] == v)
			return true;
	if (*n < MAX_ITEMS)
		sizes[(*n)++] = v;
	return false;
}

/* The opencv baselines' program: in the build tree when run from there. */
static const char *opencv_helper(void)
{
	return cmd_in_build_tree() ? VACCEL_BUILDDIR "/bench/vaccel-bench-opencv"
				   : VACCEL_PKGLIBEXECDIR "/vaccel-bench-opencv";
}

/*
 * The model a classify baseline runs: the standard classify model, where
 * the opencv plugin finds it (the models directory, else the mirror).
 */
#define STANDARD_CLASSIFY "classification/mobilenet_v2/mobilenet_v2_1.0_224_dequant.onnx"
static char *classify_model(void)
{
	char *dir = models_dir(), *path = NULL;
	const char *mirror = getenv("VACCEL_MODEL_MIRROR");
	if (dir && asprintf(&path, "%s/" STANDARD_CLASSIFY, dir) < 0)
		path = NULL;
	free(dir);
	if (path && access(path, R_OK) && mirror && *mirror) {
		free(path);
		if (asprintf(&path, "%s/" STANDARD_CLASSIFY, mirror) < 0)
			path = NULL;
	}
	return path;
}

/* Whether OpenCV runs the workload (not a TorchScript model's infer). */
static bool opencv_workload(const struct bench_workload *w)
{
	return bench_workload_vision(w) && !(w->kind == BENCH_INFER && model_is_torchscript(w->path));
}

/* OpenCV called directly, for each classify and infer workload it runs. */
static void opencv_baseline(const struct bench_workload *w, const struct bench_budget *b,
			    struct bench_baseline *x)
{
	char *model = w->kind == BENCH_CLASSIFY ? classify_model() : strdup(w->path);
	bench_baseline_opencv(opencv_helper(), w, model ? model : "", b, x);
	free(model);
}

static void run_baselines(struct plan *p, const struct bench_budget *b, struct progress *pr,
			  const char *host_profile)
{
	size_t copies[MAX_ITEMS], nc = 0, msgs[MAX_ITEMS], nm = 0;
	long blas[MAX_ITEMS];
	size_t nb = 0;
	struct bench_baseline *x;
	/* The message sizes: a noop-sized one, and each payload's. */
	seen_size(msgs, &nm, 64);
	for (size_t i = 0; i < p->nr_w; i++) {
		const struct bench_workload *w = &p->w[i];
		if (w->kind == BENCH_PAYLOAD) {
			seen_size(msgs, &nm, w->bytes);
			seen_size(copies, &nc, w->bytes);
		}
		if (w->kind == BENCH_SGEMM) {
			seen_size(copies, &nc, w->bytes);
			bool have = false;
			for (size_t j = 0; j < nb; j++)
				have |= blas[j] == w->n;
			if (!have && nb < MAX_ITEMS)
				blas[nb++] = w->n;
		}
	}
	size_t nv = 0;
	for (size_t i = 0; i < p->nr_w; i++)
		nv += opencv_workload(&p->w[i]);
	pr->total += 2 * nm + 3 + nc + nb + nv;
#define STEP(call, label) do { \
		if (stop_requested || !(x = new_baseline(p))) \
			return; \
		progress(pr, label); \
		call; \
		pr->done++; \
	} while (0)
	for (size_t i = 0; i < nm; i++) {
		STEP(bench_baseline_unix(msgs[i], b, x), "baseline unix-pingpong");
		STEP(bench_baseline_tcp(msgs[i], b, x), "baseline tcp-pingpong");
	}
	STEP(bench_baseline_shm(false, b, x), "baseline shm-pingpong-spin");
	STEP(bench_baseline_shm(true, b, x), "baseline shm-pingpong-futex");
	for (size_t i = 0; i < nc; i++)
		STEP(bench_baseline_memcpy(copies[i], b, x), "baseline memcpy");
	for (size_t i = 0; i < nb; i++)
		STEP(bench_baseline_openblas(blas[i], b, x), "baseline openblas");
	for (size_t i = 0; i < p->nr_w; i++)
		if (opencv_workload(&p->w[i]))
			STEP(opencv_baseline(&p->w[i], b, x), "baseline opencv");
	STEP(bench_baseline_startup(host_profile, b, x), "baseline startup");
#undef STEP
}

static void set_ratios(struct plan *p)
{
	for (size_t i = 0; i < p->nr_rows; i++) {
		struct bench_row *r = &p->rows[i];
		r->ratio = NAN;
		for (size_t j = 0; j < p->nr_rows; j++) {
			struct bench_row *n = &p->rows[j];
			if (n->t == BENCH_NATIVE && n->w == r->w && n->clients == r->clients &&
			    n->s.n && r->s.n)
				r->ratio = r->s.p50 / n->s.p50;
		}
	}
}

static int run_bench(struct cmd_ctx *ctx, struct bench_args *o, struct plan *p,
		     struct bench_env *e)
{
	/* One round's share of the budget. */
	long rounds = o->rounds ? o->rounds : 1;
	struct bench_budget b = {
		.duration_s = o->duration_s / (double)rounds,
		.iterations = o->iterations ? (o->iterations + rounds - 1) / rounds : 0,
		.warmup_s = o->warmup_s, .warmup_iterations = 1,
		.max_samples = BENCH_MAX_SAMPLES / rounds,
	};
	if (!o->duration_s && !o->iterations)
		b.duration_s = 1.0 / (double)rounds;
	if (o->warmup_s < 0) {
		b.warmup_s = b.duration_s ? fmin(b.duration_s / 5, 0.5) : 0;
		if (o->iterations)
			b.warmup_iterations = b.iterations / 10 > 1 ? b.iterations / 10 : 1;
	}
	/* Cells: each workload over each transport, each client count. */
	p->rows = calloc(p->nr_w * BENCH_NR_TRANSPORTS * o->nr_clients, sizeof(*p->rows));
	if (!p->rows) {
		cmd_error("out of memory");
		return EXIT_OP_FAILED;
	}
	for (size_t w = 0; w < p->nr_w; w++)
		for (int t = 0; t < BENCH_NR_TRANSPORTS; t++)
			for (size_t c = 0; c < o->nr_clients; c++)
				if (o->transports[t])
					p->rows[p->nr_rows++] = (struct bench_row){
						.w = &p->w[w], .t = t, .clients = o->clients[c] };

	struct progress pr = { .on = isatty(STDERR_FILENO), .total = p->nr_rows * (size_t)rounds,
			       .t0 = bench_now_ns() };
	char err[512];
	bool remote = false;
	for (int t = 1; t < BENCH_NR_TRANSPORTS; t++)
		remote |= o->transports[t];
	if (remote && !o->agents[BENCH_RPC] && !o->agents[BENCH_RPC_TCP] && !o->agents[BENCH_VIRTIO]) {
		progress(&pr, "starting the agent");
		int ret = bench_agent_start(e, err, sizeof(err));
		if (ret) {
			progress(&pr, NULL);
			cmd_error("%s", err);
			return ret == -2 ? EXIT_USAGE : EXIT_OP_FAILED;
		}
	}
	int rc = EXIT_OK;
	/* Round after round, every cell in turn; a failed cell sits out the rest. */
	for (long k = 0; k < rounds && !stop_requested; k++) {
		for (size_t i = 0; i < p->nr_rows && !stop_requested; i++) {
			struct bench_row *r = &p->rows[i];
			char what[320];
			snprintf(what, sizeof(what), "%s %s clients=%d round %ld/%ld", r->w->name,
				 bench_transport_names[r->t], r->clients, k + 1, rounds);
			progress(&pr, what);
			if (!r->error[0])
				bench_cell_run(e, r, &b, &stop_requested);
			pr.done++;
			if (r->error[0] && !stop_requested)
				rc = EXIT_OP_FAILED;
		}
	}
	for (size_t i = 0; i < p->nr_rows; i++)
		bench_cell_finish(&p->rows[i]);
	bench_agent_stop(e);
	/* A baseline runs once, with a whole cell's budget. */
	struct bench_budget whole = b;
	whole.duration_s *= (double)rounds;
	whole.iterations *= rounds;
	whole.max_samples = 0;
	if (!o->no_baselines)
		run_baselines(p, &whole, &pr, e->host_profile);
	progress(&pr, NULL);
	if (stop_requested) {
		cmd_error("interrupted");
		return 130;
	}
	set_ratios(p);

	struct bench_report rep = {
		.rows = p->rows, .nr_rows = p->nr_rows, .baselines = p->bl,
		.nr_baselines = p->nr_bl, .budget = &b, .rounds = (int)rounds,
		.clients = o->clients_text,
		.agent = o->agents[BENCH_RPC] ? o->agents[BENCH_RPC]
			 : o->agents[BENCH_RPC_TCP] ? o->agents[BENCH_RPC_TCP] : o->agents[BENCH_VIRTIO],
		.elapsed_s = (double)(bench_now_ns() - pr.t0) / 1e9,
		.compare_file = o->compare, .threshold = o->threshold,
	};
	if (o->compare && bench_compare(&rep, err, sizeof(err))) {
		cmd_error("--compare: %s", err);
		return EXIT_INPUT;
	}
	if (ctx->json)
		bench_print_json(stdout, &rep);
	else if (o->csv)
		bench_print_csv(stdout, &rep);
	else
		bench_print_table(stdout, &rep, o->markdown);
	if (o->compare) {
		if (!ctx->json)
			bench_print_changes(o->csv ? stderr : stdout, &rep);
		for (size_t i = 0; i < rep.nr_changes; i++)
			if (rep.changes[i].regressed)
				rc = EXIT_OP_FAILED;
	}
	if (o->plot && bench_plot(&rep, o->plot))
		rc = EXIT_OP_FAILED;
	free(rep.changes);
	return rc;
}

static void remove_dir(const char *dir)
{
	static const char *const files[] = { "host.yaml", "rpc.yaml", "rpc-tcp.yaml", "virtio.yaml",
					     "agent.log", "rpc.sock", "virtio.sock", NULL };
	char path[512];
	for (int i = 0; files[i]; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, files[i]);
		unlink(path);
	}
	for (int i = 0; i < 256; i++) {
		snprintf(path, sizeof(path), "%s/client.%d", dir, i);
		unlink(path);
	}
	rmdir(dir);
}

static int run(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct bench_args o = { .threshold = 0.10, .warmup_s = -1 };
	struct plan *p = calloc(1, sizeof(*p));
	struct bench_env e = { .log_level = ctx->log_level ? ctx->log_level : 1 };
	int rc;

	for (int i = 0; i < BENCH_NR_TRANSPORTS; i++)
		o.transports[i] = true;
	o.clients[o.nr_clients++] = 1;
	o.clients_text = "1";
	argp_parse(&argp, argc, argv, 0, NULL, &o);
	if (!p) {
		cmd_error("out of memory");
		return EXIT_OP_FAILED;
	}
	if (ctx->json + o.csv + o.markdown > 1) {
		cmd_error("bench: give one of --json, --csv, --markdown");
		free(p);
		return EXIT_USAGE;
	}
	bool agent_given = o.agents[BENCH_RPC] || o.agents[BENCH_RPC_TCP] || o.agents[BENCH_VIRTIO];
	for (int t = 1; t < BENCH_NR_TRANSPORTS && agent_given; t++) {
		if (o.agents[t])
			snprintf(e.address[t], sizeof(e.address[t]), "%s", o.agents[t]);
		else if (o.transport_given && o.transports[t]) {
			cmd_error("bench: --transport %s needs an --agent address for it (or no "
				  "--agent: the bench starts its own)", bench_transport_names[t]);
			free(p);
			return EXIT_USAGE;
		} else {
			o.transports[t] = false;
		}
	}
	o.transports[BENCH_NATIVE] = true;
	/* A baseline that cannot be read fails now, not after the run. */
	if (o.compare && access(o.compare, R_OK)) {
		cmd_error("--compare: %s: %s", o.compare, strerror(errno));
		free(p);
		return EXIT_INPUT;
	}
	if ((rc = parse_workloads(o.workloads ? o.workloads : DEFAULT_WORKLOADS, p))) {
		free(p);
		return rc;
	}

	char tmpl[] = "/tmp/vaccel-bench-XXXXXX";
	const char *tmpdir = getenv("TMPDIR");
	if (tmpdir && *tmpdir && strlen(tmpdir) < 160)
		snprintf(e.dir, sizeof(e.dir), "%s/vaccel-bench-XXXXXX", tmpdir);
	else
		snprintf(e.dir, sizeof(e.dir), "%s", tmpl);
	if (!mkdtemp(e.dir)) {
		cmd_error("bench: temporary directory %s: %s", e.dir, strerror(errno));
		free(p);
		return EXIT_OP_FAILED;
	}
	if (!agent_given) {
		snprintf(e.address[BENCH_RPC], sizeof(e.address[0]), "unix://%s/rpc.sock", e.dir);
		snprintf(e.address[BENCH_RPC_TCP], sizeof(e.address[0]), "tcp://127.0.0.1:%d",
			 free_port());
		snprintf(e.address[BENCH_VIRTIO], sizeof(e.address[0]), "virtio://%s/virtio.sock", e.dir);
	}
	rc = EXIT_OK;
	if (write_host_profile(&e, p, ctx->profile))
		rc = EXIT_OP_FAILED;
	for (int t = 0; t < BENCH_NR_TRANSPORTS && !rc; t++)
		if (o.transports[t] && write_client_profile(&e, t))
			rc = EXIT_OP_FAILED;
	if (rc) {
		cmd_error("bench: writing profiles in %s: %s", e.dir, strerror(errno));
	} else {
		/* Ctrl-C: finish the cell's processes and the agent, then stop. */
		struct sigaction sa = { .sa_handler = on_signal };
		sigemptyset(&sa.sa_mask);
		sigaction(SIGINT, &sa, NULL);
		sigaction(SIGTERM, &sa, NULL);
		signal(SIGPIPE, SIG_IGN);
		rc = run_bench(ctx, &o, p, &e);
		bench_agent_stop(&e);
	}
	remove_dir(e.dir);
	free(p->rows);
	free(p->bl);
	free(p);
	return rc;
}

const struct cmd_entry cmd_bench_entry = {
	.name = "bench",
	.summary = "native, rpc and virtio side by side, against the physical limits",
	.run = run,
};
