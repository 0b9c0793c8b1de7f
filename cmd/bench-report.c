/* SPDX-License-Identifier: Apache-2.0 */
/* vaccel bench: the outputs — a table (text or markdown), CSV, one JSON document. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>
#include "cmd.h"
#include "../bench/bench.h"

/* A figure in a few significant digits; "-" when there is none. */
static const char *num(char *buf, size_t len, double x)
{
	if (!isfinite(x))
		snprintf(buf, len, "-");
	else if (fabs(x) >= 1e5)
		snprintf(buf, len, "%.0f", x);
	else if (fabs(x) >= 100)
		snprintf(buf, len, "%.1f", x);
	else if (fabs(x) >= 1)
		snprintf(buf, len, "%.2f", x);
	else
		snprintf(buf, len, "%.3f", x);
	return buf;
}

/* What a row's last column holds: GFLOP/s, GB/s, or nothing. */
static double rate(const struct bench_row *r, const char **unit)
{
	if (isfinite(r->gflops)) {
		*unit = "GFLOP/s";
		return r->gflops;
	}
	if (isfinite(r->gb_per_s)) {
		*unit = "GB/s";
		return r->gb_per_s;
	}
	*unit = "";
	return NAN;
}

struct column {
	const char *title;
	bool left;
};
static const struct column row_cols[] = {
	{ "workload", true }, { "transport", true }, { "clients", false }, { "n", false },
	{ "p50 µs", false }, { "p90 µs", false }, { "p99 µs", false }, { "mean µs", false },
	{ "stddev µs", false }, { "min µs", false }, { "max µs", false }, { "ops/s", false },
	{ "rate", false }, { "x native", false }, { "cores", false },
};
#define NR_COLS (sizeof(row_cols) / sizeof(row_cols[0]))
static const struct column base_cols[] = {
	{ "baseline", true }, { "n", false }, { "p50 µs", false }, { "p90 µs", false },
	{ "p99 µs", false }, { "mean µs", false }, { "stddev µs", false }, { "min µs", false },
	{ "max µs", false }, { "ops/s", false }, { "rate", false },
};
#define NR_BASE_COLS (sizeof(base_cols) / sizeof(base_cols[0]))

/* One table: cells[row][col] strings, widths from the content. */
static void table(FILE *out, const struct column *cols, size_t nc, char (*cells)[NR_COLS][64],
		  size_t nr, bool md)
{
	size_t w[NR_COLS] = { 0 };
	for (size_t c = 0; c < nc; c++) {
		w[c] = strlen(cols[c].title) - (strstr(cols[c].title, "µ") ? 1 : 0);
		for (size_t r = 0; r < nr; r++)
			if (strlen(cells[r][c]) > w[c])
				w[c] = strlen(cells[r][c]);
	}
	for (size_t c = 0; c < nc; c++) {
		int pad = (int)w[c] + (strstr(cols[c].title, "µ") ? 1 : 0);
		fprintf(out, md ? "| %*s " : c ? "  %*s" : "%*s", cols[c].left ? -pad : pad, cols[c].title);
	}
	fputs(md ? "|\n" : "\n", out);
	if (md) {
		for (size_t c = 0; c < nc; c++)
			fprintf(out, "|%s", cols[c].left ? "---" : "--:");
		fputs("|\n", out);
	}
	for (size_t r = 0; r < nr; r++) {
		for (size_t c = 0; c < nc; c++)
			fprintf(out, md ? "| %*s " : c ? "  %*s" : "%*s",
				cols[c].left ? -(int)w[c] : (int)w[c], cells[r][c]);
		fputs(md ? "|\n" : "\n", out);
	}
}

static void stats_cells(char (*cell)[64], const struct bench_stats *s)
{
	snprintf(cell[0], 64, "%zu", s->n);
	num(cell[1], 64, s->p50);
	num(cell[2], 64, s->p90);
	num(cell[3], 64, s->p99);
	num(cell[4], 64, s->mean);
	num(cell[5], 64, s->stddev);
	num(cell[6], 64, s->min);
	num(cell[7], 64, s->max);
	num(cell[8], 64, s->ops_per_s);
}

void bench_print_table(FILE *out, const struct bench_report *r, bool md)
{
	size_t n = r->nr_rows > r->nr_baselines ? r->nr_rows : r->nr_baselines;
	char (*cells)[NR_COLS][64] = calloc(n ? n : 1, sizeof(*cells));
	char unit_buf[64];
	if (!cells)
		return;
	for (size_t i = 0; i < r->nr_rows; i++) {
		const struct bench_row *row = &r->rows[i];
		const char *unit;
		snprintf(cells[i][0], 64, "%.63s", row->w->name);
		snprintf(cells[i][1], 64, "%s", bench_transport_names[row->t]);
		snprintf(cells[i][2], 64, "%d", row->clients);
		if (row->error[0]) {
			snprintf(cells[i][3], 64, "failed");
			for (size_t c = 4; c < NR_COLS; c++)
				snprintf(cells[i][c], 64, "-");
			continue;
		}
		stats_cells(&cells[i][3], &row->s);
		double v = rate(row, &unit);
		if (isfinite(v))
			snprintf(cells[i][12], 64, "%s %s", num(unit_buf, sizeof(unit_buf), v), unit);
		else
			snprintf(cells[i][12], 64, "-");
		if (isfinite(row->ratio))
			snprintf(cells[i][13], 64, "%.2fx", row->ratio);
		else
			snprintf(cells[i][13], 64, "-");
		num(cells[i][14], 64, row->cores);
	}
	table(out, row_cols, NR_COLS, cells, r->nr_rows, md);
	for (size_t i = 0; i < r->nr_rows; i++)
		if (r->rows[i].error[0])
			fprintf(out, "%s%s %s clients=%d failed: %s\n", md ? "\n" : "", r->rows[i].w->name,
				bench_transport_names[r->rows[i].t], r->rows[i].clients,
				r->rows[i].error);
	if (r->nr_baselines) {
		fputc('\n', out);
		for (size_t i = 0; i < r->nr_baselines; i++) {
			const struct bench_baseline *b = &r->baselines[i];
			if (b->measured_by[0])
				snprintf(cells[i][0], 64, "%.44s (%.15s)", b->name, b->measured_by);
			else
				snprintf(cells[i][0], 64, "%s", b->name);
			stats_cells(&cells[i][1], &b->s);
			if (isfinite(b->gflops))
				snprintf(cells[i][10], 64, "%s GFLOP/s", num(unit_buf, 64, b->gflops));
			else if (isfinite(b->gb_per_s))
				snprintf(cells[i][10], 64, "%s GB/s", num(unit_buf, 64, b->gb_per_s));
			else
				snprintf(cells[i][10], 64, "-");
		}
		table(out, base_cols, NR_BASE_COLS, cells, r->nr_baselines, md);
		for (size_t i = 0; i < r->nr_baselines; i++)
			if (r->baselines[i].error[0])
				fprintf(out, "baseline %s: %s\n", r->baselines[i].name,
					r->baselines[i].error);
	}
	free(cells);
}

/* ---- CSV ---- */

static void csv_num(FILE *out, double x)
{
	if (isfinite(x))
		fprintf(out, ",%.9g", x);
	else
		fputc(',', out);
}

static void csv_stats(FILE *out, const struct bench_stats *s)
{
	fprintf(out, ",%zu", s->n);
	csv_num(out, s->mean);
	csv_num(out, s->stddev);
	csv_num(out, s->p50);
	csv_num(out, s->p90);
	csv_num(out, s->p99);
	csv_num(out, s->min);
	csv_num(out, s->max);
	csv_num(out, s->ops_per_s);
}

/* A field that may hold a comma or a quote. */
static void csv_str(FILE *out, const char *s)
{
	if (!strpbrk(s, ",\"\n")) {
		fputs(s, out);
		return;
	}
	fputc('"', out);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', out);
		fputc(*s == '\n' ? ' ' : *s, out);
	}
	fputc('"', out);
}

void bench_print_csv(FILE *out, const struct bench_report *r)
{
	fputs("section,name,transport,clients,n,mean_us,stddev_us,p50_us,p90_us,p99_us,min_us,"
	      "max_us,ops_per_s,gflops,gb_per_s,ratio_to_native,cpu_cores,error\n", out);
	for (size_t i = 0; i < r->nr_rows; i++) {
		const struct bench_row *row = &r->rows[i];
		fputs("result,", out);
		csv_str(out, row->w->name);
		fprintf(out, ",%s,%d", bench_transport_names[row->t], row->clients);
		csv_stats(out, &row->s);
		csv_num(out, row->gflops);
		csv_num(out, row->gb_per_s);
		csv_num(out, row->ratio);
		csv_num(out, row->cores);
		fputc(',', out);
		csv_str(out, row->error);
		fputc('\n', out);
	}
	for (size_t i = 0; i < r->nr_baselines; i++) {
		const struct bench_baseline *b = &r->baselines[i];
		fprintf(out, "baseline,%s,,", b->name);
		csv_stats(out, &b->s);
		csv_num(out, b->gflops);
		csv_num(out, b->gb_per_s);
		fputs(",,,", out); /* no ratio_to_native, no cpu_cores */
		csv_str(out, b->error);
		fputc('\n', out);
	}
}

/* ---- JSON ---- */

static void json_stats(struct json *j, const struct bench_stats *s)
{
	json_int(j, "n", (long long)s->n);
	json_num(j, "mean_us", s->mean);
	json_num(j, "stddev_us", s->stddev);
	json_num(j, "p50_us", s->p50);
	json_num(j, "p90_us", s->p90);
	json_num(j, "p99_us", s->p99);
	json_num(j, "min_us", s->min);
	json_num(j, "max_us", s->max);
	json_num(j, "ops_per_s", s->ops_per_s);
}

/* The CPU's model name, from /proc/cpuinfo. */
static void cpu_model(char *buf, size_t len)
{
	char line[256];
	FILE *f = fopen("/proc/cpuinfo", "r");
	snprintf(buf, len, "unknown");
	while (f && fgets(line, sizeof(line), f)) {
		char *colon = strchr(line, ':');
		if (!strncmp(line, "model name", 10) && colon) {
			colon += strspn(colon + 1, " \t") + 1;
			colon[strcspn(colon, "\n")] = '\0';
			snprintf(buf, len, "%s", colon);
			break;
		}
	}
	if (f)
		fclose(f);
}

static void json_machine(struct json *j, const struct bench_report *r)
{
	char cpu[160], date[64];
	struct utsname u;
	time_t now = time(NULL);
	struct tm tm;
	cpu_model(cpu, sizeof(cpu));
	strftime(date, sizeof(date), "%Y-%m-%dT%H:%M:%SZ", gmtime_r(&now, &tm));
	json_object(j, "machine");
	json_str(j, "vaccel", vaccel_version());
	json_str(j, "date", date);
	json_str(j, "cpu", cpu);
	json_int(j, "cpus", sysconf(_SC_NPROCESSORS_ONLN));
	if (!uname(&u)) {
		json_str(j, "kernel", u.release);
		json_str(j, "arch", u.machine);
	}
	json_str(j, "agent", r->agent ? r->agent : "own");
	/* A cell's whole budget; the warm-up is each round's. */
	json_num(j, "duration_s", r->budget->duration_s * r->rounds);
	json_int(j, "iterations", r->budget->iterations * r->rounds);
	json_int(j, "rounds", r->rounds);
	json_num(j, "warmup_s", r->budget->warmup_s);
	json_str(j, "clients", r->clients);
	json_num(j, "elapsed_s", r->elapsed_s);
	json_close(j, '}');
}

static void json_changes(struct json *j, const struct bench_report *r)
{
	json_object(j, "compare");
	json_str(j, "file", r->compare_file);
	json_num(j, "threshold", r->threshold);
	json_int(j, "missing", (long long)r->nr_missing);
	bool any = false;
	json_array(j, "cells");
	for (size_t i = 0; i < r->nr_changes; i++) {
		const struct bench_change *c = &r->changes[i];
		any |= c->regressed;
		json_object(j, NULL);
		json_str(j, "workload", c->row->w->name);
		json_str(j, "transport", bench_transport_names[c->row->t]);
		json_int(j, "clients", c->row->clients);
		json_num(j, "p50_us", c->row->s.p50);
		json_num(j, "base_p50_us", c->base.p50);
		json_num(j, "mean_us", c->row->s.mean);
		json_num(j, "base_mean_us", c->base.mean);
		json_num(j, "p99_us", c->row->s.p99);
		json_num(j, "base_p99_us", c->base.p99);
		json_num(j, "ops_per_s", c->row->s.ops_per_s);
		json_num(j, "base_ops_per_s", c->base.ops_per_s);
		json_num(j, "spread_us", c->spread);
		json_bool(j, "regressed", c->regressed);
		json_close(j, '}');
	}
	json_close(j, ']');
	json_bool(j, "regressed", any);
	json_close(j, '}');
}

void bench_print_json(FILE *out, const struct bench_report *r)
{
	struct json j;
	json_begin(&j, out);
	json_str(&j, "command", "bench");
	json_machine(&j, r);
	json_array(&j, "results");
	for (size_t i = 0; i < r->nr_rows; i++) {
		const struct bench_row *row = &r->rows[i];
		json_object(&j, NULL);
		json_str(&j, "workload", row->w->name);
		json_str(&j, "transport", bench_transport_names[row->t]);
		json_int(&j, "clients", row->clients);
		json_stats(&j, &row->s);
		if (row->w->kind == BENCH_SGEMM)
			json_num(&j, "gflops", row->gflops);
		if (row->w->kind == BENCH_PAYLOAD) {
			json_int(&j, "bytes", (long long)row->w->bytes);
			json_num(&j, "gb_per_s", row->gb_per_s);
		}
		json_num(&j, "ratio_to_native", row->ratio);
		if (isfinite(row->cores))
			json_num(&j, "cpu_cores", row->cores);
		if (row->error[0])
			json_str(&j, "error", row->error);
		json_close(&j, '}');
	}
	json_close(&j, ']');
	json_array(&j, "baselines");
	for (size_t i = 0; i < r->nr_baselines; i++) {
		const struct bench_baseline *b = &r->baselines[i];
		json_object(&j, NULL);
		json_str(&j, "name", b->name);
		if (b->bytes)
			json_int(&j, "bytes", (long long)b->bytes);
		json_stats(&j, &b->s);
		if (isfinite(b->gb_per_s))
			json_num(&j, "gb_per_s", b->gb_per_s);
		if (isfinite(b->gflops))
			json_num(&j, "gflops", b->gflops);
		if (b->measured_by[0])
			json_str(&j, "measured_by", b->measured_by);
		if (b->error[0])
			json_str(&j, "error", b->error);
		json_close(&j, '}');
	}
	json_close(&j, ']');
	if (r->compare_file)
		json_changes(&j, r);
	json_end(&j);
}

/* ---- --compare, for people ---- */

static double change(double now, double base)
{
	return isfinite(now) && isfinite(base) && base ? (now / base - 1) * 100 : NAN;
}

void bench_print_changes(FILE *out, const struct bench_report *r)
{
	char a[32], b[32];
	size_t bad = 0;
	fprintf(out, "\ncompared with %s (a regression: p50 worse than %.0f%% plus the spread, "
		"p90 - p50):\n", r->compare_file, r->threshold * 100);
	for (size_t i = 0; i < r->nr_changes; i++) {
		const struct bench_change *c = &r->changes[i];
		bad += c->regressed;
		fprintf(out, "  %s %s clients=%d: p50 %s -> %s µs (%+.1f%%)", c->row->w->name,
			bench_transport_names[c->row->t], c->row->clients,
			num(a, sizeof(a), c->base.p50), num(b, sizeof(b), c->row->s.p50),
			change(c->row->s.p50, c->base.p50));
		fprintf(out, ", mean %+.1f%%, p99 %+.1f%%, ops/s %+.1f%%: %s\n",
			change(c->row->s.mean, c->base.mean), change(c->row->s.p99, c->base.p99),
			change(c->row->s.ops_per_s, c->base.ops_per_s),
			c->regressed ? "REGRESSION" : "ok");
	}
	if (r->nr_missing)
		fprintf(out, "  (%zu cells of the file were not run this time)\n", r->nr_missing);
	fprintf(out, "%zu of %zu cells regressed\n", bad, r->nr_changes);
}
