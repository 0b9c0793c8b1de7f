/* SPDX-License-Identifier: Apache-2.0 */
/*
 * SHA-256 for the exec allow-list, content-addressed resources and the
 * models list: nettle's, printed as 64 lowercase hex digits.
 */
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>
#include <nettle/sha2.h>
#include "internal.h"

static void hex_digest(struct sha256_ctx *s, char hex[65])
{
	uint8_t d[SHA256_DIGEST_SIZE];
	sha256_digest(s, sizeof(d), d);
	for (size_t i = 0; i < sizeof(d); i++)
		snprintf(hex + 2 * i, 3, "%02x", d[i]);
}

void vaccel_sha256_hex(const void *data, size_t len, char hex[65])
{
	struct sha256_ctx s;
	sha256_init(&s);
	sha256_update(&s, len, data);
	hex_digest(&s, hex);
}

int vaccel_sha256_file(const char *path, char hex[65])
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return errno;
	struct sha256_ctx s;
	uint8_t buf[65536];
	ssize_t n;
	sha256_init(&s);
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		sha256_update(&s, (size_t)n, buf);
	int err = n < 0 ? errno : 0;
	close(fd);
	if (err)
		return err;
	hex_digest(&s, hex);
	return VACCEL_OK;
}
