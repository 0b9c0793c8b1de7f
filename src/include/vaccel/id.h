/* SPDX-License-Identifier: Apache-2.0 */
/* vAccel's <vaccel/id.h>: vaccel_id_t, declared with our basic types. */
#ifndef VACCEL_ID_H
#define VACCEL_ID_H
#include <vaccel/types.h>
#endif
