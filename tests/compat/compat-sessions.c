/* SPDX-License-Identifier: Apache-2.0 */
/* vAccel's session flags: VACCEL_PLUGIN_* values and the plugins they choose. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <sys/stat.h>
#include "../unit/unit.h"

START_TEST(flag_values)
{
	ck_assert_int_eq(VACCEL_PLUGIN_CPU, 0x0001);
	ck_assert_int_eq(VACCEL_PLUGIN_GPU, 0x0002);
	ck_assert_int_eq(VACCEL_PLUGIN_FPGA, 0x0004);
	ck_assert_int_eq(VACCEL_PLUGIN_SOFTWARE, 0x0008);
	ck_assert_int_eq(VACCEL_PLUGIN_TENSORFLOW, 0x0010);
	ck_assert_int_eq(VACCEL_PLUGIN_TORCH, 0x0020);
	ck_assert_int_eq(VACCEL_PLUGIN_JETSON, 0x0040);
	ck_assert_int_eq(VACCEL_PLUGIN_GENERIC, 0x0080);
	ck_assert_int_eq(VACCEL_PLUGIN_DEBUG, 0x0100);
	ck_assert_int_eq(VACCEL_PLUGIN_REMOTE, 0x4000);
	ck_assert_int_eq(VACCEL_PLUGIN_ALL, 0xffff);
	char buf[32];
	ck_assert_str_eq(vaccel_plugin_type_to_str(VACCEL_PLUGIN_REMOTE), "VACCEL_PLUGIN_REMOTE");
	ck_assert_str_eq(vaccel_plugin_type_name(VACCEL_PLUGIN_TENSORFLOW, buf, sizeof(buf)),
			 "tensorflow");
	ck_assert_str_eq(vaccel_plugin_type_to_base_str((vaccel_plugin_type_t)3), "MAX");
}
END_TEST

/* noop leaves C alone; openblas computes it: which one served the session. */
static float sgemm_c(uint32_t flags, int *ret)
{
	float a[1] = { 2 }, b[1] = { 3 }, c[1] = { -1 };
	struct vaccel_session s;
	*ret = vaccel_session_init(&s, flags);
	if (*ret)
		return c[0];
	*ret = vaccel_sgemm(&s, 1, 1, 1, 1.0f, a, 1, b, 1, 0.0f, c, 1);
	vaccel_session_release(&s);
	return c[0];
}

START_TEST(types_choose_plugins)
{
	int ret;
	if (unit_profile("version: 1\nplugins:\n  - name: noop\n  - name: openblas\n")) {
		ck_assert_int_eq(unit_profile("version: 1\nplugins:\n  - name: noop\n"), 0);
		ck_assert_int_eq(sgemm_c(VACCEL_PLUGIN_DEBUG, &ret), -1);
		ck_assert_int_eq(ret, 0);
		return; /* built without openblas */
	}
	/* 0: the profile's order, noop first */
	ck_assert_int_eq(sgemm_c(0, &ret), -1);
	ck_assert_int_eq(ret, 0);
	/* CPU: openblas, past noop */
	ck_assert_int_eq(sgemm_c(VACCEL_PLUGIN_CPU, &ret), 6);
	ck_assert_int_eq(ret, 0);
	ck_assert_int_eq(sgemm_c(VACCEL_PLUGIN_CPU | VACCEL_PLUGIN_GPU, &ret), 6);
	/* DEBUG: vAccel's noop type */
	ck_assert_int_eq(sgemm_c(VACCEL_PLUGIN_DEBUG, &ret), -1);
	ck_assert_int_eq(ret, 0);
	/* a type no plugin has: every instance, as vAccel falls back */
	ck_assert_int_eq(sgemm_c(VACCEL_PLUGIN_GPU, &ret), -1);
	ck_assert_int_eq(ret, 0);
}
END_TEST

START_TEST(remote_needs_a_transport)
{
	int ret;
	ck_assert_int_eq(unit_profile("version: 1\nplugins:\n  - name: noop\n"), 0);
	sgemm_c(VACCEL_PLUGIN_REMOTE, &ret);
	ck_assert_int_eq(ret, VACCEL_ENOTSUP);
	/* ALL includes REMOTE, as in vAccel */
	sgemm_c(VACCEL_PLUGIN_ALL, &ret);
	ck_assert_int_eq(ret, VACCEL_ENOTSUP);
	/* With a transport (no agent behind it), REMOTE leaves noop out. */
	ck_assert_int_eq(unit_profile("version: 1\nplugins:\n  - name: noop\n"
				      "  - name: rpc\n    options:\n"
				      "      address: unix:///nonexistent/vaccel-compat.sock\n"),
			 0);
	struct vaccel_session s;
	ck_assert_int_eq(vaccel_session_init(&s, VACCEL_PLUGIN_REMOTE), 0);
	ck_assert_int_eq(vaccel_noop(&s), VACCEL_ECONNREFUSED);
	vaccel_session_release(&s);
	ck_assert_int_eq(vaccel_session_init(&s, 0), 0);
	ck_assert_int_eq(vaccel_noop(&s), 0); /* noop serves the others */
	vaccel_session_release(&s);
}
END_TEST

START_TEST(get_by_id_new_delete)
{
	struct vaccel_session *found = NULL, *heap = NULL;
	vaccel_cleanup();
	ck_assert_int_eq(vaccel_session_get_by_id(&found, 1), VACCEL_EPERM);
	ck_assert_int_eq(unit_profile("version: 1\nplugins:\n  - name: noop\n"), 0);
	ck_assert_int_eq(vaccel_session_get_by_id(NULL, 1), VACCEL_EINVAL);
	struct vaccel_session s;
	ck_assert_int_eq(vaccel_session_init(&s, 0), 0);
	ck_assert_int_eq(vaccel_session_new(&heap, VACCEL_PLUGIN_DEBUG), 0);
	ck_assert_uint_eq(heap->hint, VACCEL_PLUGIN_DEBUG);
	ck_assert_int_eq(vaccel_session_get_by_id(&found, s.id), 0);
	ck_assert_ptr_eq(found, &s);
	ck_assert_int_eq(vaccel_session_get_by_id(&found, heap->id), 0);
	ck_assert_ptr_eq(found, heap);
	vaccel_id_t gone = heap->id;
	ck_assert_int_eq(vaccel_noop(heap), 0);
	ck_assert_int_eq(vaccel_session_delete(heap), 0);
	ck_assert_int_eq(vaccel_session_get_by_id(&found, gone), VACCEL_ENOENT);
	ck_assert_int_eq(vaccel_session_get_by_id(&found, 0), VACCEL_ENOENT);
	ck_assert_int_eq(vaccel_session_release(&s), 0);
	ck_assert_int_eq(vaccel_session_get_by_id(&found, s.id), VACCEL_ENOENT);
	ck_assert_int_eq(vaccel_session_new(NULL, 0), VACCEL_EINVAL);
	ck_assert_int_eq(vaccel_session_delete(NULL), VACCEL_EINVAL);
}
END_TEST

START_TEST(resource_queries)
{
	ck_assert_int_eq(unit_profile("version: 1\nplugins:\n  - name: noop\n"), 0);
	char *f1 = unit_temp_file("one", ".bin"), *f2 = unit_temp_file("two", ".bin");
	struct vaccel_resource m1, m2, lib;
	ck_assert_int_eq(vaccel_resource_init(&m1, f1, VACCEL_RESOURCE_MODEL), 0);
	ck_assert_int_eq(vaccel_resource_init(&m2, f2, VACCEL_RESOURCE_MODEL), 0);
	ck_assert_int_eq(vaccel_resource_init(&lib, f1, VACCEL_RESOURCE_LIB), 0);
	struct vaccel_session s, other;
	ck_assert_int_eq(vaccel_session_init(&s, 0), 0);
	ck_assert_int_eq(vaccel_session_init(&other, 0), 0);
	struct vaccel_resource *r = NULL, **all = NULL;
	size_t n = 99;

	/* nothing registered yet */
	ck_assert(!vaccel_session_has_resource(&s, &m1));
	ck_assert_int_eq(vaccel_session_resource_by_type(&s, &r, VACCEL_RESOURCE_MODEL),
			 VACCEL_ENOENT);
	ck_assert_int_eq(vaccel_session_resources_by_type(&s, &all, &n, VACCEL_RESOURCE_MODEL),
			 VACCEL_ENOENT);
	ck_assert_uint_eq(n, 0);
	ck_assert_int_eq(vaccel_session_resource_by_id(&s, &r, m1.id), VACCEL_ENOENT);

	ck_assert_int_eq(vaccel_resource_register(&m1, &s), 0);
	ck_assert_int_eq(vaccel_resource_register(&lib, &s), 0);
	ck_assert_int_eq(vaccel_resource_register(&m2, &s), 0);
	ck_assert_int_eq(vaccel_resource_register(&m2, &other), 0);
	ck_assert(vaccel_session_has_resource(&s, &m1));
	ck_assert(vaccel_session_has_resource(&other, &m2));
	ck_assert(!vaccel_session_has_resource(&other, &m1));
	ck_assert(!vaccel_session_has_resource(NULL, &m1));
	ck_assert(!vaccel_session_has_resource(&s, NULL));

	ck_assert_int_eq(vaccel_session_resource_by_id(&s, &r, lib.id), 0);
	ck_assert_ptr_eq(r, &lib);
	ck_assert_int_eq(vaccel_session_resource_by_id(&other, &r, m1.id), VACCEL_ENOENT);
	ck_assert_int_eq(vaccel_session_resource_by_id(&s, &r, 0), VACCEL_EINVAL);
	ck_assert_int_eq(vaccel_session_resource_by_id(&s, NULL, lib.id), VACCEL_EINVAL);

	/* by type: the first registered, as vAccel's list keeps them */
	ck_assert_int_eq(vaccel_session_resource_by_type(&s, &r, VACCEL_RESOURCE_MODEL), 0);
	ck_assert_ptr_eq(r, &m1);
	ck_assert_int_eq(vaccel_session_resource_by_type(&s, &r, VACCEL_RESOURCE_DATA),
			 VACCEL_ENOENT);
	ck_assert_int_eq(vaccel_session_resource_by_type(&s, &r, VACCEL_RESOURCE_MAX),
			 VACCEL_EINVAL);
	ck_assert_int_eq(vaccel_session_resources_by_type(&s, &all, &n, VACCEL_RESOURCE_MODEL), 0);
	ck_assert_uint_eq(n, 2);
	ck_assert_ptr_eq(all[0], &m1);
	ck_assert_ptr_eq(all[1], &m2);
	free(all);
	ck_assert_int_eq(vaccel_session_resources_by_type(&s, &all, &n, VACCEL_RESOURCE_LIB), 0);
	ck_assert_uint_eq(n, 1);
	ck_assert_ptr_eq(all[0], &lib);
	free(all);
	ck_assert_int_eq(vaccel_session_resources_by_type(&s, &all, NULL, VACCEL_RESOURCE_LIB),
			 VACCEL_EINVAL);

	ck_assert_int_eq(vaccel_resource_unregister(&m1, &s), 0);
	ck_assert(!vaccel_session_has_resource(&s, &m1));
	ck_assert_int_eq(vaccel_session_resource_by_type(&s, &r, VACCEL_RESOURCE_MODEL), 0);
	ck_assert_ptr_eq(r, &m2);

	/* release unregisters what is left */
	ck_assert_int_eq(vaccel_session_release(&s), 0);
	ck_assert_int_eq(vaccel_session_release(&other), 0);
	ck_assert_int_eq(vaccel_resource_release(&m1), 0);
	ck_assert_int_eq(vaccel_resource_release(&m2), 0);
	ck_assert_int_eq(vaccel_resource_release(&lib), 0);
	unlink(f1);
	unlink(f2);
	free(f1);
	free(f2);
}
END_TEST

#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
/* The public fields this library fills, with vAccel's meaning. */
START_TEST(public_fields)
{
	ck_assert_int_eq(unit_profile("version: 1\nplugins:\n  - name: noop\n"), 0);
	char *f = unit_temp_file("one", ".bin");
	struct vaccel_resource m1, m2, lib;
	ck_assert_int_eq(vaccel_resource_init(&m1, f, VACCEL_RESOURCE_MODEL), 0);
	ck_assert_int_eq(vaccel_resource_init(&m2, f, VACCEL_RESOURCE_MODEL), 0);
	ck_assert_int_eq(vaccel_resource_init(&lib, f, VACCEL_RESOURCE_LIB), 0);
	struct vaccel_session s;
	memset(&s, 0xa5, sizeof(s)); /* init sets every field it reads */
	ck_assert_int_eq(vaccel_session_init(&s, VACCEL_PLUGIN_DEBUG), 0);
	ck_assert_int_eq(s.remote_id, 0);
	ck_assert_uint_eq(s.hint, VACCEL_PLUGIN_DEBUG);
	ck_assert(!s.is_virtio);
	/* vAccel's run directory: <vaccel_rundir()>/session.<id>, made at init. */
	char want[PATH_MAX], rundir[PATH_MAX];
	struct stat st;
	snprintf(want, sizeof(want), "%s/session.%lld", vaccel_rundir(), (long long)s.id);
	ck_assert_str_eq(s.rundir, want);
	ck_assert(stat(s.rundir, &st) == 0 && S_ISDIR(st.st_mode));
	snprintf(rundir, sizeof(rundir), "%s", s.rundir);
	ck_assert_ptr_null(s.plugin);
	ck_assert_ptr_nonnull(s.priv);
	for (int t = 0; t < VACCEL_RESOURCE_MAX; t++)
		ck_assert_uint_eq(s.resource_counts[t], 0);
	ck_assert_int_eq(vaccel_resource_register(&m1, &s), 0);
	ck_assert_int_eq(vaccel_resource_register(&m2, &s), 0);
	ck_assert_int_eq(vaccel_resource_register(&lib, &s), 0);
	ck_assert_uint_eq(s.resource_counts[VACCEL_RESOURCE_MODEL], 2);
	ck_assert_uint_eq(s.resource_counts[VACCEL_RESOURCE_LIB], 1);
	ck_assert_uint_eq(s.resource_counts[VACCEL_RESOURCE_DATA], 0);
	ck_assert_int_eq(vaccel_resource_unregister(&m1, &s), 0);
	ck_assert_uint_eq(s.resource_counts[VACCEL_RESOURCE_MODEL], 1);
	ck_assert_int_eq(vaccel_resource_register(&m2, &s), VACCEL_EEXIST);
	ck_assert_uint_eq(s.resource_counts[VACCEL_RESOURCE_MODEL], 1);
	ck_assert_int_eq(vaccel_session_release(&s), 0);
	ck_assert_int_eq(s.id, 0);
	ck_assert_ptr_null(s.priv);
	ck_assert(stat(rundir, &st) == -1 && errno == ENOENT); /* removed: it was empty */
	ck_assert_int_eq(vaccel_resource_release(&m1), 0);
	ck_assert_int_eq(vaccel_resource_release(&m2), 0);
	ck_assert_int_eq(vaccel_resource_release(&lib), 0);
	unlink(f);
	free(f);
}
END_TEST

START_TEST(update)
{
	bool blas = !unit_profile("version: 1\nplugins:\n  - name: noop\n  - name: openblas\n");
	if (!blas) /* built without openblas */
		ck_assert_int_eq(unit_profile("version: 1\nplugins:\n  - name: noop\n"), 0);
	struct vaccel_session s;
	ck_assert_int_eq(vaccel_session_init(&s, VACCEL_PLUGIN_DEBUG), 0);
	float a[1] = { 2 }, b[1] = { 3 }, c[1] = { -1 };
	ck_assert_int_eq(vaccel_sgemm(&s, 1, 1, 1, 1.0f, a, 1, b, 1, 0.0f, c, 1), 0);
	ck_assert(c[0] == -1); /* noop */
	ck_assert_int_eq(vaccel_session_update(&s, VACCEL_PLUGIN_CPU), 0);
	ck_assert_uint_eq(s.hint, VACCEL_PLUGIN_CPU);
	ck_assert_int_eq(vaccel_sgemm(&s, 1, 1, 1, 1.0f, a, 1, b, 1, 0.0f, c, 1), 0);
	ck_assert(c[0] == (blas ? 6 : -1));
	/* REMOTE with no transport: refused, the session stays as it was */
	ck_assert_int_eq(vaccel_session_update(&s, VACCEL_PLUGIN_REMOTE), VACCEL_ENOTSUP);
	ck_assert_uint_eq(s.hint, VACCEL_PLUGIN_CPU);
	ck_assert_int_eq(vaccel_noop(&s), 0);
	/* not with resources registered (vAccel's rule) */
	char *f = unit_temp_file("x", ".bin");
	struct vaccel_resource r;
	ck_assert_int_eq(vaccel_resource_init(&r, f, VACCEL_RESOURCE_DATA), 0);
	ck_assert_int_eq(vaccel_resource_register(&r, &s), 0);
	ck_assert_int_eq(vaccel_session_update(&s, VACCEL_PLUGIN_DEBUG), VACCEL_ENOTSUP);
	ck_assert_int_eq(vaccel_resource_unregister(&r, &s), 0);
	ck_assert_int_eq(vaccel_session_update(&s, VACCEL_PLUGIN_DEBUG), 0);
	c[0] = -1;
	ck_assert_int_eq(vaccel_sgemm(&s, 1, 1, 1, 1.0f, a, 1, b, 1, 0.0f, c, 1), 0);
	ck_assert(c[0] == -1);
	ck_assert_int_eq(vaccel_session_update(NULL, 0), VACCEL_EINVAL);
	ck_assert_int_eq(vaccel_session_release(&s), 0);
	ck_assert_int_eq(vaccel_resource_release(&r), 0);
	unlink(f);
	free(f);
}
END_TEST

static Suite *unit_suite(void)
{
	Suite *s = suite_create("compat-sessions");
	TCase *tc = tcase_create("sessions");
	tcase_add_test(tc, flag_values);
	tcase_add_test(tc, types_choose_plugins);
	tcase_add_test(tc, remote_needs_a_transport);
	tcase_add_test(tc, get_by_id_new_delete);
	tcase_add_test(tc, resource_queries);
	tcase_add_test(tc, public_fields);
	tcase_add_test(tc, update);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_MAIN()
