/* SPDX-License-Identifier: Apache-2.0 */
/* The exec plugin: allow-list by path and sha256, errors, resources, genop. */
#include <vaccel/plugin.h>
#include <pthread.h>
#include "unit.h"

static char lib[1024], yaml[2048];
static struct vaccel_session sess;

static void load(const char *options)
{
	snprintf(lib, sizeof(lib), "%s/libexectest.so", unit_env("TEST_PLUGINS"));
	snprintf(yaml, sizeof(yaml), "plugins:\n  - name: exec\n    options:\n%s", options);
	ck_assert_msg(unit_profile(yaml) == 0, "%s", unit_err);
	ck_assert_int_eq(vaccel_session_init(&sess, 0), 0);
}

static int add(const char *library, int32_t x, int32_t y, int32_t *sum)
{
	struct vaccel_arg read[] = { { &x, 4, VACCEL_ARG_INT32, 0, false },
				     { &y, 4, VACCEL_ARG_INT32, 0, false } };
	struct vaccel_arg write[] = { { sum, 4, VACCEL_ARG_INT32, 0, false } };
	return vaccel_exec(&sess, library, "add_int32", read, 2, write, 1);
}

static void teardown(void)
{
	vaccel_session_release(&sess);
}

START_TEST(allowed_by_path)
{
	char opts[1200];
	int32_t sum = 0;
	snprintf(opts, sizeof(opts), "      allow: [%s/libexectest.so]\n", unit_env("TEST_PLUGINS"));
	load(opts);
	ck_assert_int_eq(add(lib, 40, 2, &sum), 0);
	ck_assert_int_eq(sum, 42);
	ck_assert_int_eq(add(lib, -5, 2, &sum), 0);
	ck_assert_int_eq(sum, -3);
}
END_TEST

START_TEST(refused_by_default)
{
	int32_t sum = 0;
	load("      allow-any: false\n");
	ck_assert_int_eq(add(lib, 1, 2, &sum), VACCEL_EPERM);
	ck_assert_int_eq(sum, 0);
}
END_TEST

START_TEST(allowed_by_sha256)
{
	char opts[256], hex[65];
	int32_t sum = 0;
	snprintf(lib, sizeof(lib), "%s/libexectest.so", unit_env("TEST_PLUGINS"));
	ck_assert_int_eq(vaccel_sha256_file(lib, hex), 0);
	snprintf(opts, sizeof(opts), "      allow: [\"sha256:%s\"]\n", hex);
	load(opts);
	ck_assert_int_eq(add(lib, 20, 22, &sum), 0);
	ck_assert_int_eq(sum, 42);
}
END_TEST

/* A copy of libexectest.so at a temporary path, in copy; its digest in hex. */
static void copy_test_library(char copy[1024], char hex[65])
{
	char src[1024];
	snprintf(src, sizeof(src), "%s/libexectest.so", unit_env("TEST_PLUGINS"));
	char *dst = unit_temp_file("", ".so");
	FILE *in = fopen(src, "rb"), *out = fopen(dst, "wb");
	ck_assert(in && out);
	char buf[4096];
	for (size_t n; (n = fread(buf, 1, sizeof(buf), in));)
		ck_assert_uint_eq(fwrite(buf, 1, n, out), n);
	fclose(in);
	ck_assert_int_eq(fclose(out), 0);
	snprintf(copy, 1024, "%s", dst);
	free(dst);
	ck_assert_int_eq(vaccel_sha256_file(copy, hex), 0);
}

/*
 * A library allowed by digest runs as the bytes that were hashed. It is
 * checked and run once; then its worker dies (so the next call starts a
 * fresh one, which loads the library anew) and the file is replaced by
 * bytes no digest allows: the next call still runs what was checked,
 * never the file's new content. Isolated and in-process alike.
 */
static void swap_after_check(const char *isolate)
{
	char opts[256], hex[65], copy[1024];
	int32_t sum = 0;
	copy_test_library(copy, hex);
	snprintf(opts, sizeof(opts), "      isolate: %s\n      allow: [\"sha256:%s\"]\n", isolate,
		 hex);
	load(opts);
	snprintf(lib, sizeof(lib), "%s", copy);
	ck_assert_int_eq(add(lib, 20, 22, &sum), 0);
	ck_assert_int_eq(sum, 42);
	if (!strcmp(isolate, "true"))
		ck_assert_int_eq(vaccel_exec(&sess, lib, "crash", NULL, 0, NULL, 0), VACCEL_EIO);
	FILE *f = fopen(lib, "wb");
	ck_assert_ptr_nonnull(f);
	fputs("not the library that was checked\n", f);
	ck_assert_int_eq(fclose(f), 0);
	sum = 0;
	ck_assert_int_eq(add(lib, 1, 2, &sum), 0);
	ck_assert_int_eq(sum, 3);
	unlink(lib);
}

START_TEST(digest_allowed_runs_what_was_hashed)
{
	swap_after_check(_i ? "false" : "true");
}
END_TEST

START_TEST(errors)
{
	char out[16];
	struct vaccel_arg read[] = { { "abc", 4, VACCEL_ARG_STRING, 0, false } };
	struct vaccel_arg write[] = { { out, sizeof(out), VACCEL_ARG_STRING, 0, false } };
	load("      allow-any: true\n");
	ck_assert_int_eq(vaccel_exec(&sess, lib, "reverse", read, 1, write, 1), 0);
	ck_assert_str_eq(out, "cba");
	ck_assert_int_eq(vaccel_exec(&sess, lib, "no_such_symbol", read, 1, write, 1),
			 VACCEL_ENOENT);
	ck_assert_int_eq(vaccel_exec(&sess, lib, "always_fails", NULL, 0, NULL, 0), VACCEL_EIO);
	ck_assert_int_eq(vaccel_exec(&sess, "/nonexistent/lib.so", "f", NULL, 0, NULL, 0),
			 VACCEL_ENOENT);
	ck_assert_int_eq(vaccel_exec(&sess, "/etc/hostname", "f", NULL, 0, NULL, 0), VACCEL_EIO);
	ck_assert_int_eq(vaccel_exec(&sess, lib, "", NULL, 0, NULL, 0), VACCEL_EINVAL);
	struct vaccel_arg broken[] = { { NULL, 4, VACCEL_ARG_INT32, 0, false } };
	ck_assert_int_eq(vaccel_exec(&sess, lib, "add_int32", broken, 1, NULL, 0), VACCEL_EINVAL);
}
END_TEST

START_TEST(with_resource)
{
	struct vaccel_resource res = { 0 }, data = { 0 };
	int32_t x = 3, y = 4, sum = 0;
	struct vaccel_arg read[] = { { &x, 4, VACCEL_ARG_INT32, 0, false },
				     { &y, 4, VACCEL_ARG_INT32, 0, false } };
	struct vaccel_arg write[] = { { &sum, 4, VACCEL_ARG_INT32, 0, false } };
	load("      allow-any: true\n");
	ck_assert_int_eq(vaccel_resource_init(&res, lib, VACCEL_RESOURCE_LIB), 0);
	/* Not registered to this session: refused. */
	ck_assert_int_eq(vaccel_exec_with_resource(&sess, &res, "add_int32", read, 2, write, 1),
			 VACCEL_EPERM);
	ck_assert_int_eq(vaccel_resource_register(&res, &sess), 0);
	ck_assert_int_eq(vaccel_exec_with_resource(&sess, &res, "add_int32", read, 2, write, 1), 0);
	ck_assert_int_eq(sum, 7);
	ck_assert_int_eq(vaccel_resource_init(&data, lib, VACCEL_RESOURCE_DATA), 0);
	ck_assert_int_eq(vaccel_resource_register(&data, &sess), 0);
	ck_assert_int_eq(vaccel_exec_with_resource(&sess, &data, "add_int32", read, 2, write, 1),
			 VACCEL_EINVAL);
	ck_assert_int_eq(vaccel_resource_unregister(&res, &sess), 0);
	ck_assert_int_eq(vaccel_resource_unregister(&data, &sess), 0);
	ck_assert_int_eq(vaccel_resource_release(&res), 0);
	ck_assert_int_eq(vaccel_resource_release(&data), 0);
}
END_TEST

struct slow_call {
	struct vaccel_resource *res;
	int ret;
};

static void *slow_exec(void *arg)
{
	struct slow_call *c = arg;
	int32_t ms = 400;
	struct vaccel_arg read[] = { { &ms, 4, VACCEL_ARG_INT32, 0, false } };
	c->ret = vaccel_exec_with_resource(&sess, c->res, "sleep_ms", read, 1, NULL, 0);
	return NULL;
}

/* An op holds its resource: a release while it runs is EBUSY, not a free under it. */
START_TEST(release_while_in_use)
{
	struct vaccel_resource res = { 0 };
	struct slow_call c = { &res, -1 };
	pthread_t t;
	load("      allow-any: true\n");
	ck_assert_int_eq(vaccel_resource_init(&res, lib, VACCEL_RESOURCE_LIB), 0);
	ck_assert_int_eq(vaccel_resource_register(&res, &sess), 0);
	ck_assert_int_eq(pthread_create(&t, NULL, slow_exec, &c), 0);
	usleep(150 * 1000);
	ck_assert_int_eq(vaccel_resource_unregister(&res, &sess), 0);
	ck_assert_int_eq(vaccel_resource_release(&res), VACCEL_EBUSY);
	pthread_join(t, NULL);
	ck_assert_int_eq(c.ret, 0);
	ck_assert_int_eq(vaccel_resource_release(&res), 0);
}
END_TEST

/* An in-memory library is allowed by its digest only. */
START_TEST(memory_resource_by_sha256)
{
	void *bytes;
	size_t size;
	char opts[256], hex[65];
	snprintf(lib, sizeof(lib), "%s/libexectest.so", unit_env("TEST_PLUGINS"));
	FILE *f = fopen(lib, "rb");
	ck_assert_ptr_nonnull(f);
	fseek(f, 0, SEEK_END);
	size = (size_t)ftell(f);
	rewind(f);
	bytes = malloc(size);
	ck_assert_uint_eq(fread(bytes, 1, size, f), size);
	fclose(f);
	vaccel_sha256_hex(bytes, size, hex);
	snprintf(opts, sizeof(opts), "      allow: [\"sha256:%s\"]\n", hex);
	load(opts);

	struct vaccel_resource res = { 0 };
	int32_t x = 1, y = 1, sum = 0;
	struct vaccel_arg read[] = { { &x, 4, VACCEL_ARG_INT32, 0, false },
				     { &y, 4, VACCEL_ARG_INT32, 0, false } };
	struct vaccel_arg write[] = { { &sum, 4, VACCEL_ARG_INT32, 0, false } };
	ck_assert_int_eq(vaccel_resource_init_from_buf(&res, bytes, size, VACCEL_RESOURCE_LIB,
						       "lib.so", true), 0);
	ck_assert_int_eq(vaccel_resource_register(&res, &sess), 0);
	ck_assert_int_eq(vaccel_exec_with_resource(&sess, &res, "add_int32", read, 2, write, 1), 0);
	ck_assert_int_eq(sum, 2);
	vaccel_resource_unregister(&res, &sess);
	vaccel_resource_release(&res);
	/* One byte different: another digest, refused. */
	((unsigned char *)bytes)[size - 1] ^= 0xff;
	ck_assert_int_eq(vaccel_resource_init_from_buf(&res, bytes, size, VACCEL_RESOURCE_LIB,
						       "lib.so", true), 0);
	ck_assert_int_eq(vaccel_resource_register(&res, &sess), 0);
	ck_assert_int_eq(vaccel_exec_with_resource(&sess, &res, "add_int32", read, 2, write, 1),
			 VACCEL_EPERM);
	vaccel_resource_unregister(&res, &sess);
	vaccel_resource_release(&res);
	free(bytes);
}
END_TEST

/* A file's bytes, malloc'd, in *size. */
static void *read_whole(const char *path, size_t *size)
{
	FILE *f = fopen(path, "rb");
	ck_assert_ptr_nonnull(f);
	fseek(f, 0, SEEK_END);
	*size = (size_t)ftell(f);
	rewind(f);
	void *bytes = malloc(*size);
	ck_assert_uint_eq(fread(bytes, 1, *size, f), *size);
	fclose(f);
	return bytes;
}

/* exec_with_resource on an in-memory copy of TEST_PLUGINS/name. */
static int run_from_memory(const char *name, const char *symbol, int32_t *sum)
{
	char path[1024];
	size_t size;
	snprintf(path, sizeof(path), "%s/%s", unit_env("TEST_PLUGINS"), name);
	void *bytes = read_whole(path, &size);
	struct vaccel_resource res = { 0 };
	int32_t x = 4, y = 5;
	struct vaccel_arg read[] = { { &x, 4, VACCEL_ARG_INT32, 0, false },
				     { &y, 4, VACCEL_ARG_INT32, 0, false } };
	struct vaccel_arg write[] = { { sum, 4, VACCEL_ARG_INT32, 0, false } };
	ck_assert_int_eq(vaccel_resource_init_from_buf(&res, bytes, size, VACCEL_RESOURCE_LIB,
						       name, true), 0);
	ck_assert_int_eq(vaccel_resource_register(&res, &sess), 0);
	int ret = vaccel_exec_with_resource(&sess, &res, symbol, read, 2, write, 1);
	vaccel_resource_unregister(&res, &sess);
	vaccel_resource_release(&res);
	free(bytes);
	return ret;
}

/*
 * Two in-memory libraries one after the other, in one process (or one
 * worker): each loads from a memfd, and dlopen knows objects by name
 * (/proc/self/fd/N), so the second must not be taken for the first.
 */
START_TEST(memory_libraries_stay_apart)
{
	int32_t sum = 0;
	load(_i ? "      allow-any: true\n      workers: 1\n"
		: "      allow-any: true\n      isolate: false\n");
	ck_assert_int_eq(run_from_memory("libexecdep.so", "add_int32", &sum), VACCEL_ENOENT);
	ck_assert_int_eq(run_from_memory("libexectest.so", "add_int32", &sum), 0);
	ck_assert_int_eq(sum, 9);
}
END_TEST

START_TEST(genop_exec)
{
	int32_t x = 10, y = 5, sum = 0;
	uint32_t op = VACCEL_OP_EXEC;
	load("      allow-any: true\n");
	struct vaccel_arg read[] = {
		{ &op, 4, VACCEL_ARG_UINT32, 0, false },
		{ lib, strlen(lib) + 1, VACCEL_ARG_STRING, 0, false },
		{ "add_int32", 10, VACCEL_ARG_STRING, 0, false },
		{ &x, 4, VACCEL_ARG_INT32, 0, false }, { &y, 4, VACCEL_ARG_INT32, 0, false },
	};
	struct vaccel_arg write[] = { { &sum, 4, VACCEL_ARG_INT32, 0, false } };
	ck_assert_int_eq(vaccel_genop(&sess, read, 5, write, 1), 0);
	ck_assert_int_eq(sum, 15);
	/* A library name without its NUL inside the arg is refused. */
	read[1].size = strlen(lib);
	ck_assert_int_eq(vaccel_genop(&sess, read, 5, write, 1), VACCEL_EINVAL);
}
END_TEST

START_TEST(sha256_known_answers)
{
	char hex[65];
	vaccel_sha256_hex("", 0, hex);
	ck_assert_str_eq(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	vaccel_sha256_hex("abc", 3, hex);
	ck_assert_str_eq(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	const char *two = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
	vaccel_sha256_hex(two, strlen(two), hex);
	ck_assert_str_eq(hex, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}
END_TEST

static Suite *unit_suite(void)
{
	Suite *s = suite_create("exec");
	TCase *tc = tcase_create("exec");
	tcase_add_checked_fixture(tc, NULL, teardown);
	tcase_add_test(tc, allowed_by_path);
	tcase_add_test(tc, refused_by_default);
	tcase_add_test(tc, allowed_by_sha256);
	tcase_add_loop_test(tc, digest_allowed_runs_what_was_hashed, 0, 2);
	tcase_add_test(tc, errors);
	tcase_add_test(tc, with_resource);
	tcase_add_test(tc, memory_resource_by_sha256);
	tcase_add_loop_test(tc, memory_libraries_stay_apart, 0, 2);
	tcase_add_test(tc, genop_exec);
	tcase_add_test(tc, release_while_in_use);
	suite_add_tcase(s, tc);
	TCase *hash = tcase_create("sha256");
	tcase_add_test(hash, sha256_known_answers);
	suite_add_tcase(s, hash);
	return s;
}

UNIT_MAIN()
