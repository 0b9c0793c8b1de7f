/* SPDX-License-Identifier: Apache-2.0 */
/* Functions for the exec op's tests, in the exec calling convention. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <vaccel/arg.h>

#define EXPORT __attribute__((visibility("default")))

/* write[0] = read[0] + read[1], all int32. */
EXPORT int add_int32(struct vaccel_arg *read, size_t nr_read, struct vaccel_arg *write,
		     size_t nr_write)
{
	if (nr_read != 2 || nr_write != 1 || read[0].size != 4 || read[1].size != 4 ||
	    write[0].size != 4)
		return 1;
	int32_t a, b, s;
	memcpy(&a, read[0].buf, 4);
	memcpy(&b, read[1].buf, 4);
	s = a + b;
	memcpy(write[0].buf, &s, 4);
	return 0;
}

/* write[0] = the string read[0] reversed. */
EXPORT int reverse(struct vaccel_arg *read, size_t nr_read, struct vaccel_arg *write,
		   size_t nr_write)
{
	if (nr_read != 1 || nr_write != 1 || !read[0].size)
		return 1;
	size_t n = strnlen(read[0].buf, read[0].size);
	if (write[0].size < n + 1)
		return 2;
	char *in = read[0].buf, *out = write[0].buf;
	for (size_t i = 0; i < n; i++)
		out[i] = in[n - 1 - i];
	out[n] = '\0';
	return 0;
}

/* Always fails: the op must report it. */
EXPORT int always_fails(struct vaccel_arg *read, size_t nr_read, struct vaccel_arg *write,
			size_t nr_write)
{
	(void)read; (void)nr_read; (void)write; (void)nr_write;
	return 7;
}

/* Sleeps read[0] (int32) milliseconds: an op that stays in flight a while. */
EXPORT int sleep_ms(struct vaccel_arg *read, size_t nr_read, struct vaccel_arg *write,
		    size_t nr_write)
{
	(void)write; (void)nr_write;
	if (nr_read != 1 || read[0].size != 4)
		return 1;
	int32_t ms;
	memcpy(&ms, read[0].buf, 4);
	usleep((useconds_t)ms * 1000);
	return 0;
}

/* Dies of SIGSEGV: an isolated exec must survive it. */
EXPORT int crash(struct vaccel_arg *read, size_t nr_read, struct vaccel_arg *write,
		 size_t nr_write)
{
	(void)read; (void)nr_read; (void)write; (void)nr_write;
	*(volatile int *)(uintptr_t)8 = 1;
	return 0;
}

/* Aborts from the library's own code (not libc's abort called directly). */
EXPORT int call_abort(struct vaccel_arg *read, size_t nr_read, struct vaccel_arg *write,
		      size_t nr_write)
{
	(void)read; (void)nr_read; (void)write; (void)nr_write;
	abort();
}

/* Claims a larger write than its buffer: the size must not grow. */
EXPORT int grow_write(struct vaccel_arg *read, size_t nr_read, struct vaccel_arg *write,
		      size_t nr_write)
{
	(void)read; (void)nr_read;
	if (nr_write != 1 || write[0].size < 1)
		return 1;
	memset(write[0].buf, 'x', write[0].size);
	write[0].size = 1 << 20;
	return 0;
}
