/* SPDX-License-Identifier: Apache-2.0 */
#include <fcntl.h>
#include <stdlib.h>
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
