/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The application API through the rpc profile: sessions, resources
 * uploaded and registered remotely, exec_with_resource, genop, the image
 * ops the agent does not serve. Usage: rpc-api EXECLIB (VACCEL_PROFILE
 * names an rpc profile). Prints TAP-like lines; exit 0 when all passed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <vaccel.h>

static int count, failures;

static void check(bool ok, const char *what)
{
	printf("%s %d - %s\n", ok ? "ok" : "not ok", ++count, what);
	failures += !ok;
}

static int add(struct vaccel_session *s, struct vaccel_resource *res, int32_t x, int32_t y,
	       int32_t *sum)
{
	struct vaccel_arg r[] = { { &x, 4, VACCEL_ARG_INT32, 0, false }, { &y, 4, VACCEL_ARG_INT32, 0, false } };
	struct vaccel_arg w[] = { { sum, 4, VACCEL_ARG_INT32, 0, false } };
	return vaccel_exec_with_resource(s, res, "add_int32", r, 2, w, 1);
}

int main(int argc, char **argv)
{
	struct vaccel_session a, b;
	struct vaccel_resource lib, mem;
	int32_t sum = 0;
	if (argc != 2)
		return 2;
	check(vaccel_session_init(&a, 0) == 0 && vaccel_session_init(&b, 0) == 0, "two sessions");
	check(vaccel_resource_init(&lib, argv[1], VACCEL_RESOURCE_LIB) == 0 &&
	      vaccel_resource_register(&lib, &a) == 0, "a library resource, registered");
	check(add(&a, &lib, 20, 22, &sum) == 0 && sum == 42, "exec_with_resource runs on the agent");
	check(add(&a, &lib, 1, 1, &sum) == 0 && sum == 2, "the upload is reused");
	check(add(&b, &lib, 1, 2, &sum) == VACCEL_EPERM, "not registered to b: refused");

	/* The same bytes from memory: content-addressed on the agent. */
	const void *bytes;
	size_t size;
	vaccel_resource_bytes(&lib, &bytes, &size);
	check(vaccel_resource_init_from_buf(&mem, bytes, size, VACCEL_RESOURCE_LIB, "x.so", true) == 0 &&
	      vaccel_resource_register(&mem, &b) == 0 && add(&b, &mem, 5, 6, &sum) == 0 && sum == 11,
	      "an in-memory library, uploaded and run");

	/* vAccel's blobs: a resource of one blob travels as one file would. */
	struct vaccel_blob fblob, bblob;
	struct vaccel_resource from_file, from_buf, multi, dir;
	check(vaccel_blob_init(&fblob, argv[1]) == 0 &&
	      vaccel_blob_init_from_buf(&bblob, bytes, size, true, "y.so", NULL, false) == 0,
	      "a file blob and a buffer blob");
	const struct vaccel_blob *fb[] = { &fblob }, *bb[] = { &bblob }, *both[] = { &fblob, &bblob };
	check(vaccel_resource_init_from_blobs(&from_file, fb, 1, VACCEL_RESOURCE_LIB) == 0 &&
	      vaccel_resource_register(&from_file, &a) == 0 && add(&a, &from_file, 2, 3, &sum) == 0 &&
	      sum == 5, "a resource of a file blob, uploaded and run");
	check(vaccel_resource_init_from_blobs(&from_buf, bb, 1, VACCEL_RESOURCE_LIB) == 0 &&
	      vaccel_resource_register(&from_buf, &a) == 0 && add(&a, &from_buf, 3, 4, &sum) == 0 &&
	      sum == 7, "a resource of a buffer blob, uploaded and run");
	/* Several files travel as one upload; a directory's layout would not. */
	const char *tmp = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
	check(vaccel_resource_init_from_blobs(&multi, both, 2, VACCEL_RESOURCE_LIB) == 0 &&
	      vaccel_resource_register(&multi, &a) == 0 && add(&a, &multi, 1, 1, &sum) == 0 &&
	      sum == 2, "a resource of two blobs, uploaded and run");
	check(vaccel_resource_init(&dir, tmp, VACCEL_RESOURCE_LIB) == 0 &&
	      vaccel_resource_register(&dir, &a) == 0 &&
	      add(&a, &dir, 1, 1, &sum) == VACCEL_ENOTSUP, "a directory resource: ENOTSUP");
	struct vaccel_resource twins;
	const struct vaccel_blob *same[] = { &bblob, &bblob };
	check(vaccel_resource_init_from_blobs(&twins, same, 2, VACCEL_RESOURCE_LIB) == 0 &&
	      vaccel_resource_register(&twins, &a) == 0 &&
	      add(&a, &twins, 1, 1, &sum) == VACCEL_ENOTSUP &&
	      vaccel_resource_unregister(&twins, &a) == 0 && vaccel_resource_release(&twins) == 0,
	      "two files of one name: ENOTSUP, before anything travels");
	check(vaccel_resource_sync(&from_buf, &a) == VACCEL_ENOTSUP,
	      "resource_sync from an agent: ENOTSUP");
	struct vaccel_resource *res4[] = { &from_file, &from_buf, &multi, &dir };
	bool released = true;
	for (int i = 0; i < 4; i++)
		released &= vaccel_resource_unregister(res4[i], &a) == 0 &&
			    vaccel_resource_release(res4[i]) == 0;
	check(released && vaccel_blob_release(&fblob) == 0 && vaccel_blob_release(&bblob) == 0,
	      "blob resources and blobs released");

	uint32_t op = VACCEL_OP_NOOP;
	struct vaccel_arg rd[] = { { &op, 4, VACCEL_ARG_UINT32, 0, false } };
	check(vaccel_genop(&a, rd, 1, NULL, 0) == 0, "genop noop");

	float m[4] = { 1, 2, 3, 4 }, c[4] = { 1, 1, 1, 1 };
	check(vaccel_sgemm(&a, 2, 2, 2, 1.0f, m, 2, m, 2, 1.0f, c, 2) == 0 &&
	      c[0] == 8 && c[1] == 11 && c[2] == 16 && c[3] == 23, "sgemm with beta=1 (C travels both ways)");
	float big[3 * 5] = { 0 }, cc[3 * 5];
	for (int i = 0; i < 15; i++)
		cc[i] = -1;
	/* C with a leading dimension of 5 for a 3x3 result: padding must survive. */
	float ident[9] = { 1, 0, 0, 0, 1, 0, 0, 0, 1 };
	for (int i = 0; i < 3; i++)
		big[i * 5 + i] = 2;
	check(vaccel_sgemm(&a, 3, 3, 3, 1.0f, big, 5, ident, 3, 0.0f, cc, 5) == 0 && cc[0] == 2 &&
	      cc[6] == 2 && cc[3] == -1 && cc[4] == -1 && cc[14] == -1,
	      "sgemm with padded leading dimensions");
	unsigned char text[64], img[64];
	check(vaccel_image_classification(&a, "x", text, img, 1, 64, 64) == VACCEL_ENOTSUP,
	      "an op the agent's plugins lack: ENOTSUP from the agent");
	check(vaccel_sgemm(&a, 2, 2, 2, 1.0f, m, 1, m, 2, 0.0f, c, 2) == VACCEL_EINVAL,
	      "bad arguments are refused before they travel");

	vaccel_resource_unregister(&lib, &a);
	vaccel_resource_unregister(&mem, &b);
	check(vaccel_resource_release(&lib) == 0 && vaccel_resource_release(&mem) == 0,
	      "resources released");
	check(vaccel_session_release(&a) == 0 && vaccel_session_release(&b) == 0, "sessions released");
	printf("1..%d\n", count);
	return failures ? 1 : 0;
}
