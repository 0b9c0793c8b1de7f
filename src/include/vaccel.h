/* SPDX-License-Identifier: Apache-2.0 */
/*
 * vaccel.h - the application API umbrella.
 *
 * Programs written against vAccel's C API build against this header: the
 * names, parameter lists and error codes follow vAccel. Our additions carry
 * the same vaccel_ prefix and are marked "vaccel extension" where declared.
 */
#ifndef VACCEL_H
#define VACCEL_H

/*
 * vAccel's <vaccel.h> brings these in (through its plugin.h), and programs
 * written for it rely on that: vaccel-go calls C.strlen, for one.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <vaccel/error.h>
#include <vaccel/types.h>
#include <vaccel/id.h>
#include <vaccel/list.h>
#include <vaccel/arg.h>
#include <vaccel/op.h>
#include <vaccel/optable.h>
#include <vaccel/blob.h>
#include <vaccel/session.h>
#include <vaccel/resource.h>
#include <vaccel/ops.h>
#include <vaccel/vision.h>
#include <vaccel/infer.h>
#include <vaccel/torch.h>
#include <vaccel/tf.h>
#include <vaccel/tflite.h>
#include <vaccel/prof.h>
#include <vaccel/config.h>
#include <vaccel/core.h>
#include <vaccel/log.h>
#include <vaccel/shm.h>
#include <vaccel/classic-plugin.h>

#endif /* VACCEL_H */
