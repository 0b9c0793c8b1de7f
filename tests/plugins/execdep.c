/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A dependency for the exec op's tests: execdepuser.c calls this function
 * without linking this library, as vAccel's LIB resource of several files
 * expects (the dependencies before the library, loaded RTLD_GLOBAL).
 */
#include <stdint.h>

__attribute__((visibility("default"))) int32_t execdep_scale(int32_t v)
{
	return v * 10 + 1;
}
