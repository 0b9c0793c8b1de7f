/* SPDX-License-Identifier: Apache-2.0 */
/* Whole input files for the subcommands, bounded before anything is read. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include "cmd.h"

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
