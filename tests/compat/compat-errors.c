/* SPDX-License-Identifier: Apache-2.0 */
/* vAccel's error codes: every name, vAccel's value, a description for each. */
#include "../unit/unit.h"

/* The codes of vAccel's <vaccel/error.h> and the errno value each has there. */
static const struct {
	const char *name;
	int code, want;
} codes[] = {
#define C(name, value) { #name, name, value }
	C(VACCEL_OK, 0),
	C(VACCEL_EINVAL, EINVAL),
	C(VACCEL_ENOMEM, ENOMEM),
	C(VACCEL_ENOTSUP, ENOTSUP),
	C(VACCEL_EINPROGRESS, EINPROGRESS),
	C(VACCEL_EBUSY, EBUSY),
	C(VACCEL_EEXIST, EEXIST),
	C(VACCEL_ENOENT, ENOENT),
	C(VACCEL_ELIBBAD, ELIBBAD),
	C(VACCEL_ENODEV, ENODEV),
	C(VACCEL_EIO, EIO),
	C(VACCEL_ESESS, ECONNRESET),
	C(VACCEL_EBACKEND, EPROTO),
	C(VACCEL_ENOEXEC, ENOEXEC),
	C(VACCEL_ENAMETOOLONG, ENAMETOOLONG),
	C(VACCEL_EUSERS, EUSERS),
	C(VACCEL_EPERM, EPERM),
	C(VACCEL_ELOOP, ELOOP),
	C(VACCEL_EMLINK, EMLINK),
	C(VACCEL_ENOSPC, ENOSPC),
	C(VACCEL_ENOTDIR, ENOTDIR),
	C(VACCEL_EROFS, EROFS),
	C(VACCEL_EACCES, EACCES),
	C(VACCEL_EBADF, EBADF),
	C(VACCEL_EREMOTEIO, EREMOTEIO),
	C(VACCEL_EFAULT, EFAULT),
	C(VACCEL_ERANGE, ERANGE),
	C(VACCEL_EAGAIN, EAGAIN),
	C(VACCEL_ENOSYS, ENOSYS),
	/* ours */
	C(VACCEL_EALREADY, EALREADY),
	C(VACCEL_EREMOTE, EREMOTEIO),
	C(VACCEL_ETIMEDOUT, ETIMEDOUT),
	C(VACCEL_ENOBUFS, ENOBUFS),
	C(VACCEL_ECONNREFUSED, ECONNREFUSED),
#undef C
};

START_TEST(values)
{
	for (size_t i = 0; i < sizeof(codes) / sizeof(codes[0]); i++)
		ck_assert_msg(codes[i].code == codes[i].want, "%s is %d, vAccel's is %d",
			      codes[i].name, codes[i].code, codes[i].want);
	/* The two vAccel-specific values, spelled out. */
	ck_assert_int_eq(VACCEL_ESESS, 104);
	ck_assert_int_eq(VACCEL_EBACKEND, 71);
}
END_TEST

START_TEST(descriptions)
{
	for (size_t i = 0; i < sizeof(codes) / sizeof(codes[0]); i++) {
		const char *s = vaccel_strerror(codes[i].code);
		ck_assert_msg(s && *s, "%s has no description", codes[i].name);
	}
	ck_assert_str_eq(vaccel_strerror(VACCEL_ESESS), "session error");
	ck_assert_str_eq(vaccel_strerror(VACCEL_EBACKEND), "backend error");
	ck_assert_str_eq(vaccel_strerror(VACCEL_OK), "success");
	/* A switch over every code compiles: the values are distinct constants. */
	switch (VACCEL_EINVAL) {
	case VACCEL_ESESS: case VACCEL_EBACKEND: case VACCEL_EINPROGRESS:
	case VACCEL_ENODEV: case VACCEL_ENOSYS: case VACCEL_EUSERS:
		ck_abort();
	default:
		break;
	}
}
END_TEST

static Suite *unit_suite(void)
{
	Suite *s = suite_create("compat-errors");
	TCase *tc = tcase_create("errors");
	tcase_add_test(tc, values);
	tcase_add_test(tc, descriptions);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_MAIN()
