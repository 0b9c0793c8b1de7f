/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Operation types, as vAccel's <vaccel/op.h> has them. They are declared
 * with the operations themselves, in <vaccel/ops.h>: one header names each
 * op, beside its function.
 */
#ifndef VACCEL_OP_H
#define VACCEL_OP_H

#include <vaccel/ops.h>

#endif /* VACCEL_OP_H */
