/* SPDX-License-Identifier: Apache-2.0 */
/* The progress line (progress.h). */
#include <stdio.h>
#include <unistd.h>
#include "cmd.h"
#include "progress.h"

void progress_begin(struct progress *p, const char *what, size_t total)
{
	*p = (struct progress){ .on = isatty(STDERR_FILENO), .what = what, .total = total };
	if (p->on)
		p->t0 = p->last = now_ns();
}

void progress_step(struct progress *p, size_t done)
{
	if (!p->on)
		return;
	uint64_t t = now_ns();
	/* Nothing for work that ends within a second; then 4 redraws a second. */
	if (t - p->t0 < 1000000000u || t - p->last < 250000000u)
		return;
	p->last = t;
	p->shown = true;
	double el = (double)(t - p->t0) / 1e9;
	fprintf(stderr, "\r\033[Kvaccel %s: %zu/%zu, %.0f s", p->what, done, p->total, el);
	if (done && done < p->total)
		fprintf(stderr, ", %.0f s left", el / (double)done * (double)(p->total - done));
	fflush(stderr);
}

void progress_end(struct progress *p)
{
	if (p->shown)
		fputs("\r\033[K", stderr);
	p->shown = false;
}
