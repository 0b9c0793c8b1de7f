/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A progress line on standard error for work that takes more than a
 * second: on a terminal only (a pipe or a CI log gets nothing extra),
 * redrawn at most four times a second, cleared at the end.
 */
#ifndef VACCEL_CMD_PROGRESS_H
#define VACCEL_CMD_PROGRESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct progress {
	bool on;             /* standard error is a terminal */
	bool shown;          /* a line is on the screen */
	const char *what;    /* "classify", "sgemm", ... */
	size_t total;
	uint64_t t0, last;   /* ns */
};

void progress_begin(struct progress *p, const char *what, size_t total);
/* `done` of total finished; cheap when nothing is to be drawn. */
void progress_step(struct progress *p, size_t done);
void progress_end(struct progress *p);

#endif
