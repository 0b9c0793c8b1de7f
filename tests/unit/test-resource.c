/* SPDX-License-Identifier: Apache-2.0 */
/* Resources: init from path and buffer, registration, release rules. */
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include "unit.h"

/*
 * Fault injection: these replace libc's for libvaccel too. The
 * strdup_fail_in-th strdup from now on fails; unlink(NULL) is counted.
 */
static int strdup_fail_in, unlink_null;

char *strdup(const char *s)
{
	if (strdup_fail_in && --strdup_fail_in == 0) {
		errno = ENOMEM;
		return NULL;
	}
	size_t n = strlen(s) + 1;
	char *p = malloc(n);
	return p ? memcpy(p, s, n) : NULL;
}

int unlink(const char *path)
{
	const char *volatile p = path; /* unlink is declared nonnull */
	if (!p) {
		unlink_null++;
		errno = EFAULT;
		return -1;
	}
	return unlinkat(AT_FDCWD, p, 0);
}

static struct vaccel_session sess;

static void setup(void)
{
	ck_assert_int_eq(unit_profile("plugins: [noop]\n"), 0);
	ck_assert_int_eq(vaccel_session_init(&sess, 0), VACCEL_OK);
}

static void teardown(void)
{
	if (sess.id > 0)
		vaccel_session_release(&sess);
}

START_TEST(from_path)
{
	struct vaccel_resource r = { 0 };
	char *path = unit_temp_file("model bytes", ".bin");
	ck_assert_int_eq(vaccel_resource_init(&r, path, VACCEL_RESOURCE_MODEL), VACCEL_OK);
	ck_assert_int_gt(r.id, 0);
	ck_assert_int_eq(r.type, VACCEL_RESOURCE_MODEL);
	ck_assert_str_eq(vaccel_resource_path(&r), path);
	const void *data;
	size_t size;
	ck_assert_int_eq(vaccel_resource_bytes(&r, &data, &size), VACCEL_OK);
	ck_assert_uint_eq(size, 11);
	ck_assert_mem_eq(data, "model bytes", 11);
	ck_assert_int_eq(vaccel_resource_release(&r), VACCEL_OK);
	ck_assert_int_eq(r.id, 0);
	unlink(path);
	free(path);
}
END_TEST

START_TEST(missing_and_bad)
{
	struct vaccel_resource r = { 0 };
	ck_assert_int_eq(vaccel_resource_init(&r, "/nonexistent/x.onnx", VACCEL_RESOURCE_MODEL),
			 VACCEL_ENOENT);
	/* neither a regular file nor a directory (vAccel takes directories) */
	ck_assert_int_eq(vaccel_resource_init(&r, "/dev/null", VACCEL_RESOURCE_DATA), VACCEL_ENOENT);
	ck_assert_int_eq(vaccel_resource_init(&r, "/etc/hostname", VACCEL_RESOURCE_MAX),
			 VACCEL_EINVAL);
	ck_assert_int_eq(vaccel_resource_init_from_buf(&r, "x", 1, VACCEL_RESOURCE_DATA,
						       "../escape", false), VACCEL_EINVAL);
	ck_assert_int_eq(vaccel_resource_init_from_buf(&r, "x", 0, VACCEL_RESOURCE_DATA,
						       "f", true), VACCEL_EINVAL);
	ck_assert_int_eq(vaccel_resource_release(&r), VACCEL_EINVAL);
}
END_TEST

START_TEST(from_buffer)
{
	struct vaccel_resource mem = { 0 }, file = { 0 };
	ck_assert_int_eq(vaccel_resource_init_from_buf(&mem, "abc", 3, VACCEL_RESOURCE_DATA,
						       "a.bin", true), VACCEL_OK);
	ck_assert_ptr_null(vaccel_resource_path(&mem));
	const void *data;
	size_t size;
	ck_assert_int_eq(vaccel_resource_bytes(&mem, &data, &size), VACCEL_OK);
	ck_assert_uint_eq(size, 3);
	ck_assert_mem_eq(data, "abc", 3);

	ck_assert_int_eq(vaccel_resource_init_from_buf(&file, "hello", 5, VACCEL_RESOURCE_DATA,
						       "h.txt", false), VACCEL_OK);
	ck_assert_int_gt(file.id, mem.id);
	char *path = strdup(vaccel_resource_path(&file));
	struct stat st;
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert_int_eq(st.st_size, 5);
	ck_assert_ptr_nonnull(strstr(path, "/h.txt"));
	ck_assert_int_eq(vaccel_resource_release(&mem), VACCEL_OK);
	ck_assert_int_eq(vaccel_resource_release(&file), VACCEL_OK);
	/* The private copy goes with the resource. */
	ck_assert_int_ne(stat(path, &st), 0);
	free(path);
}
END_TEST

START_TEST(register_rules)
{
	struct vaccel_resource r = { 0 };
	struct vaccel_session other = { 0 };
	ck_assert_int_eq(vaccel_session_init(&other, 0), VACCEL_OK);
	ck_assert_int_eq(vaccel_resource_init_from_buf(&r, "x", 1, VACCEL_RESOURCE_LIB,
						       "x", true), VACCEL_OK);
	ck_assert_int_eq(vaccel_resource_register(&r, &sess), VACCEL_OK);
	ck_assert_int_eq(vaccel_resource_register(&r, &sess), VACCEL_EEXIST);
	ck_assert_int_eq(vaccel_resource_register(&r, &other), VACCEL_OK);
	ck_assert_ptr_eq(vaccel_session_find_resource(&sess, VACCEL_RESOURCE_LIB), &r);
	ck_assert_ptr_null(vaccel_session_find_resource(&sess, VACCEL_RESOURCE_MODEL));
	/* In use: cannot be released. */
	ck_assert_int_eq(vaccel_resource_release(&r), VACCEL_EBUSY);
	ck_assert_int_eq(vaccel_resource_unregister(&r, &sess), VACCEL_OK);
	ck_assert_int_eq(vaccel_resource_unregister(&r, &sess), VACCEL_ENOENT);
	ck_assert_int_eq(vaccel_resource_release(&r), VACCEL_EBUSY);
	/* Releasing the session drops what it still holds. */
	ck_assert_int_eq(vaccel_session_release(&other), VACCEL_OK);
	ck_assert_int_eq(vaccel_resource_release(&r), VACCEL_OK);
}
END_TEST

START_TEST(heap_forms)
{
	struct vaccel_resource *r = NULL, *b = NULL;
	ck_assert_int_eq(vaccel_resource_new(&r, "/etc/hostname", VACCEL_RESOURCE_DATA), VACCEL_OK);
	ck_assert_int_eq(vaccel_resource_from_buf(&b, "q", 1, VACCEL_RESOURCE_DATA, "q", true),
			 VACCEL_OK);
	ck_assert_int_eq(vaccel_resource_register(r, &sess), VACCEL_OK);
	ck_assert_int_eq(vaccel_resource_unregister(r, &sess), VACCEL_OK);
	ck_assert_int_eq(vaccel_resource_delete(r), VACCEL_OK);
	ck_assert_int_eq(vaccel_resource_delete(b), VACCEL_OK);
	ck_assert_int_eq(vaccel_resource_new(&r, "/nonexistent", VACCEL_RESOURCE_DATA),
			 VACCEL_ENOENT);
}
END_TEST

START_TEST(from_buffer_enomem)
{
	/* The private file is written, then its path cannot be kept: the
	 * cleanup must not unlink(NULL). */
	char dir[] = "/tmp/vaccel-unit-XXXXXX";
	ck_assert_ptr_nonnull(mkdtemp(dir));
	setenv("TMPDIR", dir, 1);
	struct vaccel_resource r = { 0 };
	strdup_fail_in = 2; /* the tmpdir's copy, then the path's */
	int ret = vaccel_resource_init_from_buf(&r, "x", 1, VACCEL_RESOURCE_DATA, "x.bin", false);
	strdup_fail_in = 0;
	unsetenv("TMPDIR");
	char cmd[64];
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	ck_assert_int_eq(system(cmd), 0);
	ck_assert_int_eq(ret, VACCEL_ENOMEM);
	ck_assert_int_eq(unlink_null, 0);
	ck_assert_int_eq(r.id, 0);
}
END_TEST

static Suite *unit_suite(void)
{
	Suite *s = suite_create("resource");
	TCase *tc = tcase_create("resource");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, from_path);
	tcase_add_test(tc, missing_and_bad);
	tcase_add_test(tc, from_buffer);
	tcase_add_test(tc, register_rules);
	tcase_add_test(tc, heap_forms);
	tcase_add_test(tc, from_buffer_enomem);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_MAIN()
