/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A library whose function needs execdep_scale, defined only in
 * libexecdep.so and not linked: it loads only after that dependency.
 */
#include <stdint.h>
#include <string.h>
#include <vaccel/arg.h>

int32_t execdep_scale(int32_t v);

/* write[0] = execdep_scale(read[0]), int32. */
__attribute__((visibility("default"))) int scale_int32(struct vaccel_arg *read, size_t nr_read,
						       struct vaccel_arg *write, size_t nr_write)
{
	int32_t v;
	if (nr_read != 1 || nr_write != 1 || read[0].size != 4 || write[0].size != 4)
		return 1;
	memcpy(&v, read[0].buf, 4);
	v = execdep_scale(v);
	memcpy(write[0].buf, &v, 4);
	return 0;
}
