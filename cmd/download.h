/* SPDX-License-Identifier: Apache-2.0 */
/* One file over HTTP(S) with libcurl: resumable, bounded in time, with progress. */
#ifndef VACCEL_CMD_DOWNLOAD_H
#define VACCEL_CMD_DOWNLOAD_H

#include <stdbool.h>

struct download_opts {
	long timeout_s;   /* connect timeout, and the longest stall mid-transfer */
	bool progress;    /* a progress line on stderr (a terminal) */
	const char *label; /* what the progress line calls the file */
};

/*
 * Fetch url into `part`, continuing from the bytes already there when the
 * server takes a range (else starting over). Returns an enum cmd_exit code
 * after printing why it failed (the URL, the HTTP status or curl's reason);
 * on failure `part` keeps what arrived, for the next try to resume, unless
 * nothing did.
 */
int download(const char *url, const char *part, const struct download_opts *o);

#endif
