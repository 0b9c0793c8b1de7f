/* SPDX-License-Identifier: Apache-2.0 */
#ifndef VACCEL_UTILS_STR_H
#define VACCEL_UTILS_STR_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * vAccel's: `str` in lower case, into lower[size] (cut to fit, always
 * terminated) or, when alloc_lower is not NULL, into a malloc'd copy the
 * caller frees. 0, or VACCEL_EINVAL (no room given), VACCEL_ENOMEM.
 */
int vaccel_str_to_lower(const char *str, char *lower, size_t size, char **alloc_lower);

#ifdef __cplusplus
}
#endif

#endif /* VACCEL_UTILS_STR_H */
