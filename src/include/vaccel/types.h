/* SPDX-License-Identifier: Apache-2.0 */
#ifndef VACCEL_TYPES_H
#define VACCEL_TYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Identifier of a session or a resource: > 0 once initialised. */
typedef int64_t vaccel_id_t;

#endif /* VACCEL_TYPES_H */
