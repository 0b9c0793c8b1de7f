/* SPDX-License-Identifier: Apache-2.0 */
/* Error codes: 0 or an errno value, as vAccel. */
#ifndef VACCEL_ERROR_H
#define VACCEL_ERROR_H

#include <errno.h>

#define VACCEL_OK       0
#define VACCEL_EINVAL   EINVAL    /* invalid argument */
#define VACCEL_ENOMEM   ENOMEM    /* out of memory */
#define VACCEL_ENOTSUP  ENOTSUP   /* no plugin serves this operation */
#define VACCEL_ENOENT   ENOENT    /* no such file, session or resource */
#define VACCEL_EIO      EIO       /* I/O or backend failure */
#define VACCEL_EPERM    EPERM     /* not allowed by the profile */
#define VACCEL_EBUSY    EBUSY     /* object still in use */
#define VACCEL_EEXIST   EEXIST    /* already exists / already registered */
#define VACCEL_EALREADY EALREADY  /* already done (e.g. bootstrap) */
#define VACCEL_ELIBBAD  ELIBBAD   /* plugin refused (ABI mismatch, bad descriptor) */
#define VACCEL_EBACKEND EIO       /* vAccel name for a backend failure */
#define VACCEL_ESESS    EINVAL    /* vAccel name for a bad session */
#define VACCEL_EREMOTE  EREMOTEIO /* vAccel name: the remote end failed */
#define VACCEL_ETIMEDOUT ETIMEDOUT /* a transport gave up waiting */
#define VACCEL_ENOBUFS  ENOBUFS   /* vaccel extension: a caller's buffer is too small */
#define VACCEL_ECONNREFUSED ECONNREFUSED /* no agent at the address */

#ifdef __cplusplus
extern "C" {
#endif

/* vaccel extension: a static, human-readable name for a VACCEL_* code. */
const char *vaccel_strerror(int err);

#ifdef __cplusplus
}
#endif

#endif /* VACCEL_ERROR_H */
