/* SPDX-License-Identifier: Apache-2.0 */
/* Whole input files for the subcommands, bounded before anything is read. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include "cmd.h"

FILE *cmd_fopen_read(const char *path)
{
	FILE *f = fopen(path, "r");
	struct stat st;
	if (f && !fstat(fileno(f), &st) && S_ISDIR(st.st_mode)) {
		fclose(f);
		errno = EISDIR; /* fopen takes a directory; its reads fail with EISDIR */
		return NULL;
	}
	return f;
}

int cmd_read_file(const char *path, size_t limit, void **data, size_t *len)
{
	FILE *f = fopen(path, "rb");
	struct stat st;
	*len = 0;
	if (!f || fstat(fileno(f), &st)) {
		int err = errno;
		if (f)
			fclose(f);
		return err;
	}
	if (S_ISDIR(st.st_mode)) {
		fclose(f);
		return EISDIR; /* else fread fails with a bare EIO */
	}
	*len = (size_t)st.st_size;
	if (*len > limit) {
		fclose(f);
		return EFBIG;
	}
	unsigned char *buf = malloc(*len + 1); /* +1: never malloc(0) */
	size_t got = buf ? fread(buf, 1, *len, f) : 0;
	fclose(f);
	if (!buf || got != *len) {
		free(buf);
		return buf ? EIO : ENOMEM;
	}
	*data = buf;
	return 0;
}
