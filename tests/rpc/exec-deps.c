/* SPDX-License-Identifier: Apache-2.0 */
/*
 * exec_with_resource on a LIB resource of several files: the last is the
 * library, the ones before its dependencies (vAccel's convention).
 * Usage: exec-deps [--mem] FILE... calls scale_int32(5) of the last FILE
 * and prints "ret=CODE sum=VALUE". --mem: the files as buffer blobs (no
 * path), read here. VACCEL_PROFILE picks native or rpc.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <vaccel.h>

#define MAX_FILES 16

/* The file's bytes as a buffer blob the blob owns. */
static int buffer_blob(struct vaccel_blob **b, const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return VACCEL_ENOENT;
	static unsigned char buf[1 << 22];
	size_t n = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	const char *name = strrchr(path, '/');
	return vaccel_blob_from_buf(b, buf, n, true, name ? name + 1 : path, NULL, false);
}

static int make(struct vaccel_resource *res, bool mem, const char **files, size_t n)
{
	if (!mem)
		return vaccel_resource_init_multi(res, files, n, VACCEL_RESOURCE_LIB);
	struct vaccel_blob *blobs[MAX_FILES] = { 0 };
	int ret = 0;
	for (size_t i = 0; i < n && !ret; i++)
		ret = buffer_blob(&blobs[i], files[i]);
	if (!ret)
		ret = vaccel_resource_init_from_blobs(res, (const struct vaccel_blob **)blobs, n,
						      VACCEL_RESOURCE_LIB);
	for (size_t i = 0; i < n; i++)
		if (blobs[i])
			vaccel_blob_delete(blobs[i]);
	return ret;
}

int main(int argc, char **argv)
{
	bool mem = argc > 1 && !strcmp(argv[1], "--mem");
	const char **files = (const char **)argv + 1 + mem;
	size_t n = (size_t)(argc - 1 - mem);
	if (!n || n > MAX_FILES)
		return 2;
	struct vaccel_session s;
	struct vaccel_resource res;
	int32_t x = 5, sum = 0;
	struct vaccel_arg r[] = { { &x, 4, VACCEL_ARG_INT32, 0, false } };
	struct vaccel_arg w[] = { { &sum, 4, VACCEL_ARG_INT32, 0, false } };
	int ret = vaccel_session_init(&s, 0);
	if (!ret)
		ret = make(&res, mem, files, n);
	if (!ret)
		ret = vaccel_resource_register(&res, &s);
	if (!ret) {
		ret = vaccel_exec_with_resource(&s, &res, "scale_int32", r, 1, w, 1);
		/* Twice: the second call runs on the cached handles. */
		if (!ret)
			ret = vaccel_exec_with_resource(&s, &res, "scale_int32", r, 1, w, 1);
		vaccel_resource_unregister(&res, &s);
		vaccel_resource_release(&res);
	}
	printf("ret=%d sum=%d\n", ret, sum);
	vaccel_session_release(&s);
	return ret ? 1 : 0;
}
