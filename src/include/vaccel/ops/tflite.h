/* SPDX-License-Identifier: Apache-2.0 */
/*
 * vAccel's <vaccel/ops/tflite.h>, for programs and bindings that include it by
 * that path: here every op is declared by <vaccel.h>'s headers.
 */
#ifndef VACCEL_OPS_TFLITE_COMPAT_H
#define VACCEL_OPS_TFLITE_COMPAT_H
#include <vaccel.h>
#endif
