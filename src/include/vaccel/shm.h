/* SPDX-License-Identifier: Apache-2.0 */
/*
 * vaccel extension: buffers for zero-copy arguments. Under the virtio
 * transport they live in the session's shared region, and an op whose
 * arguments are such buffers passes them to the agent without a copy;
 * under any other profile they are ordinary memory, so the same program
 * runs everywhere.
 */
#ifndef VACCEL_SHM_H
#define VACCEL_SHM_H

#include <vaccel/types.h>

struct vaccel_session;

#ifdef __cplusplus
extern "C" {
#endif

/* `size` bytes, 64-byte aligned, or NULL. Free with vaccel_shm_free. */
void *vaccel_shm_alloc(struct vaccel_session *sess, size_t size);
/* VACCEL_EINVAL for a pointer vaccel_shm_alloc did not return. */
int vaccel_shm_free(struct vaccel_session *sess, void *p);

#ifdef __cplusplus
}
#endif

#endif
