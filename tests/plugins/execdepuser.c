/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A library whose function needs execdep_scale, defined only in
 * libexecdep.so and not linked: it loads only after that dependency.
 */
#include <stdint.h>
#include <string.h>
#include <vaccel/arg.h>

int32_t execdep_scale(int32_t v);

/* write[0] = execdep_scale(read[0] + read[1]), all int32. */
__attribute__((visibility("default"))) int scaled_add(struct vaccel_arg *read, size_t nr_read,
						      struct vaccel_arg *write, size_t nr_write)
{
	if (nr_read != 2 || nr_write != 1 || read[0].size != 4 || read[1].size != 4 ||
	    write[0].size != 4)
		return 1;
	int32_t a, b, s;
	memcpy(&a, read[0].buf, 4);
	memcpy(&b, read[1].buf, 4);
	s = execdep_scale(a + b);
	memcpy(write[0].buf, &s, 4);
	return 0;
}
