/* SPDX-License-Identifier: Apache-2.0 */
/*
 * vaccel bench --plot DIR: the data files and, through gnuplot and the
 * templates in bench/ (installed in $(pkgdatadir)/bench), PNG and SVG plots:
 *
 *   latency.{png,svg}  the latency distribution (percentiles) of each cell
 *   ratio.{png,svg}    p50 over native's p50 per workload and transport,
 *                      with the floor the baselines set marked
 *   clients.{png,svg}  throughput against the number of clients
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "cmd.h"
#include "../bench/bench.h"

static const char *const plots[] = { "latency", "ratio", "clients", NULL };

static void put(FILE *f, double x)
{
	if (isfinite(x))
		fprintf(f, "\t%.6g", x);
	else
		fputs("\t-", f);
}

static const struct bench_baseline *baseline(const struct bench_report *r, const char *name)
{
	for (size_t i = 0; i < r->nr_baselines; i++)
		if (!strcmp(r->baselines[i].name, name) && r->baselines[i].s.n)
			return &r->baselines[i];
	return NULL;
}

static double p50_of(const struct bench_report *r, const char *name)
{
	const struct bench_baseline *b = baseline(r, name);
	return b ? b->s.p50 : NAN;
}

/*
 * The floor a path cannot beat, as a ratio to native: what native costs plus
 * what the path adds at the least — a socket round trip (rpc), a
 * shared-memory one (virtio), a copy each way of a payload (virtio).
 */
static double floor_ratio(const struct bench_report *r, const struct bench_row *row,
			  double native)
{
	const struct bench_workload *w = row->w;
	char name[96], size[32];
	double add = NAN;
	bench_format_size(w->bytes, size, sizeof(size));
	if (w->kind == BENCH_SGEMM) {
		snprintf(name, sizeof(name), "openblas:%ld", w->n);
		return p50_of(r, name) / native;
	}
	if (w->kind != BENCH_NOOP && w->kind != BENCH_PAYLOAD)
		return NAN;
	bool payload = w->kind == BENCH_PAYLOAD;
	switch (row->t) {
	case BENCH_RPC:
	case BENCH_RPC_TCP:
		snprintf(name, sizeof(name), "%s%s%s", row->t == BENCH_RPC ? "unix-pingpong"
			 : "tcp-pingpong", payload ? ":" : "", payload ? size : "");
		add = p50_of(r, name);
		break;
	case BENCH_VIRTIO:
		add = p50_of(r, "shm-pingpong-spin");
		if (payload) {
			snprintf(name, sizeof(name), "memcpy:%s", size);
			add += 2 * p50_of(r, name);
		}
		break;
	default:
		return 1;
	}
	return (native + add) / native;
}

static const struct bench_row *native_of(const struct bench_report *r, const struct bench_row *row)
{
	for (size_t i = 0; i < r->nr_rows; i++)
		if (r->rows[i].t == BENCH_NATIVE && r->rows[i].w == row->w &&
		    r->rows[i].clients == row->clients && r->rows[i].s.n)
			return &r->rows[i];
	return NULL;
}

/* Wide: one column per cell, rows 0, 5, ..., 100 %. Returns the columns. */
static int write_latency(FILE *f, const struct bench_report *r)
{
	int cols = 0;
	fputs("percentile", f);
	for (size_t i = 0; i < r->nr_rows; i++)
		if (r->rows[i].s.n) {
			fprintf(f, "\t\"%s %s x%d\"", r->rows[i].w->name,
				bench_transport_names[r->rows[i].t], r->rows[i].clients);
			cols++;
		}
	fputc('\n', f);
	for (int q = 0; q < BENCH_NR_QUANTILES; q++) {
		fprintf(f, "%d", q * 5);
		for (size_t i = 0; i < r->nr_rows; i++)
			if (r->rows[i].s.n)
				put(f, r->rows[i].s.quantiles[q]);
		fputc('\n', f);
	}
	return cols + 1;
}

/* Long: x, ratio, floor, transport, label; the smallest client count only. */
static int write_ratio(FILE *f, const struct bench_report *r)
{
	int x = 0, lines = 0, min_clients = 1 << 30;
	const struct bench_workload *last = NULL;
	for (size_t i = 0; i < r->nr_rows; i++)
		if (r->rows[i].clients < min_clients)
			min_clients = r->rows[i].clients;
	fputs("# x\tratio\tfloor\ttransport\tlabel\n", f);
	for (size_t i = 0; i < r->nr_rows; i++) {
		const struct bench_row *row = &r->rows[i];
		const struct bench_row *nat = native_of(r, row);
		if (row->t == BENCH_NATIVE || row->clients != min_clients || !nat || !row->s.n)
			continue;
		if (last && last != row->w)
			x++; /* a gap between workloads */
		last = row->w;
		fprintf(f, "%d", x++);
		put(f, row->ratio);
		put(f, floor_ratio(r, row, nat->s.p50));
		fprintf(f, "\t%d\t\"%s %s\"\n", (int)row->t, row->w->name, bench_transport_names[row->t]);
		lines++;
	}
	if (!lines) /* gnuplot refuses an empty file: one invisible point */
		fputs("0\t-\t-\t1\t\"(no remote cells)\"\n", f);
	return 5;
}

/* Wide: rows are client counts, one column per (workload, transport). */
static int write_clients(FILE *f, const struct bench_report *r)
{
	int counts[64], nc = 0, cols = 0;
	for (size_t i = 0; i < r->nr_rows; i++) {
		int k = 0;
		while (k < nc && counts[k] != r->rows[i].clients)
			k++;
		if (k == nc && nc < 64)
			counts[nc++] = r->rows[i].clients;
	}
	fputs("clients", f);
	for (size_t i = 0; i < r->nr_rows; i++)
		if (r->rows[i].clients == counts[0]) {
			fprintf(f, "\t\"%s %s\"", r->rows[i].w->name, bench_transport_names[r->rows[i].t]);
			cols++;
		}
	fputc('\n', f);
	for (int k = 0; k < nc; k++) {
		fprintf(f, "%d", counts[k]);
		for (size_t i = 0; i < r->nr_rows; i++) {
			if (r->rows[i].clients != counts[0])
				continue;
			double v = NAN;
			for (size_t j = 0; j < r->nr_rows; j++)
				if (r->rows[j].w == r->rows[i].w && r->rows[j].t == r->rows[i].t &&
				    r->rows[j].clients == counts[k])
					v = r->rows[j].s.ops_per_s;
			put(f, v);
		}
		fputc('\n', f);
	}
	return cols + 1;
}

static int run_gnuplot(const char *tmpl, const char *dir, const char *name, const char *term,
		       int cols)
{
	char expr[1024];
	snprintf(expr, sizeof(expr), "datafile='%s/%s.dat'; out='%s/%s.%s'; term='%s'; ncols=%d",
		 dir, name, dir, name, term, term, cols);
	fflush(NULL);
	pid_t pid = fork();
	if (pid == 0) {
		execlp("gnuplot", "gnuplot", "-e", expr, tmpl, (char *)NULL);
		_exit(127);
	}
	int st;
	if (pid < 0 || waitpid(pid, &st, 0) < 0)
		return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

int bench_plot(const struct bench_report *r, const char *dir)
{
	if (strchr(dir, '\'') || strlen(dir) > 400) {
		cmd_error("--plot: %s: a directory name without quotes, please", dir);
		return -1;
	}
	if (mkdir(dir, 0777) && errno != EEXIST) {
		cmd_error("--plot: %s: %s", dir, strerror(errno));
		return -1;
	}
	const char *tdir = cmd_in_build_tree() ? VACCEL_SRCDIR "/bench" : VACCEL_DATADIR "/bench";
	int (*const writers[])(FILE *, const struct bench_report *) = {
		write_latency, write_ratio, write_clients,
	};
	int rc = 0;
	for (int i = 0; plots[i]; i++) {
		char path[512], tmpl[512];
		snprintf(path, sizeof(path), "%s/%s.dat", dir, plots[i]);
		FILE *f = fopen(path, "w");
		if (!f) {
			cmd_error("--plot: %s: %s", path, strerror(errno));
			return -1;
		}
		int cols = writers[i](f, r);
		if (fclose(f)) {
			cmd_error("--plot: %s: %s", path, strerror(errno));
			return -1;
		}
		snprintf(tmpl, sizeof(tmpl), "%s/%s.gp", tdir, plots[i]);
		if (access(tmpl, R_OK)) {
			cmd_error("--plot: template %s: %s", tmpl, strerror(errno));
			return -1;
		}
		for (int t = 0; t < 2 && !rc; t++) {
			int st = run_gnuplot(tmpl, dir, plots[i], t ? "svg" : "png", cols);
			if (st == 127) {
				cmd_error("--plot: gnuplot is not installed (apt-get install gnuplot-nox); "
					  "the data files are in %s", dir);
				return -1;
			}
			if (st) {
				cmd_error("--plot: gnuplot %s failed", tmpl);
				rc = -1;
			}
		}
	}
	return rc;
}
