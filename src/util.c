/* SPDX-License-Identifier: Apache-2.0 */
#include <ctype.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "internal.h"

int read_file(const char *path, size_t limit, void **data, size_t *size)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return errno;
	struct stat st;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return VACCEL_EINVAL;
	}
	if ((uint64_t)st.st_size > limit) {
		close(fd);
		return EFBIG;
	}
	size_t len = (size_t)st.st_size;
	char *buf = malloc(len + 1); /* +1: a NUL for text users, never counted */
	if (!buf) {
		close(fd);
		return VACCEL_ENOMEM;
	}
	size_t got = 0;
	while (got < len) {
		ssize_t n = read(fd, buf + got, len - got);
		if (n <= 0) {
			int err = n < 0 ? errno : VACCEL_EIO;
			free(buf);
			close(fd);
			return err;
		}
		got += (size_t)n;
	}
	buf[len] = '\0';
	close(fd);
	*data = buf;
	*size = len;
	return VACCEL_OK;
}

int vaccel_str_to_lower(const char *str, char *lower, size_t size, char **alloc_lower)
{
	if (!str || (!alloc_lower && (!lower || !size)))
		return VACCEL_EINVAL;
	size_t len = strlen(str);
	char *out = lower;
	if (alloc_lower) {
		out = *alloc_lower = malloc(len + 1);
		if (!out)
			return VACCEL_ENOMEM;
	} else if (len >= size) {
		len = size - 1;
	}
	for (size_t i = 0; i < len; i++)
		out[i] = (char)tolower((unsigned char)str[i]);
	out[len] = '\0';
	return VACCEL_OK;
}
