/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Error codes: 0 or an errno value. Every code of vAccel's <vaccel/error.h>
 * is here with vAccel's value; the ones marked "vaccel extension" are ours.
 */
#ifndef VACCEL_ERROR_H
#define VACCEL_ERROR_H

#include <errno.h>

#define VACCEL_OK           0
#define VACCEL_EINVAL       EINVAL       /* invalid argument */
#define VACCEL_ENOMEM       ENOMEM       /* out of memory */
#define VACCEL_ENOTSUP      ENOTSUP      /* no plugin serves this operation */
#define VACCEL_EINPROGRESS  EINPROGRESS  /* operation now in progress */
#define VACCEL_EBUSY        EBUSY        /* object still in use */
#define VACCEL_EEXIST       EEXIST       /* already exists / already registered */
#define VACCEL_ENOENT       ENOENT       /* no such file, session or resource */
#define VACCEL_ELIBBAD      ELIBBAD      /* plugin refused (ABI mismatch, bad descriptor) */
#define VACCEL_ENODEV       ENODEV       /* no such device */
#define VACCEL_EIO          EIO          /* I/O or backend failure */
#define VACCEL_ESESS        ECONNRESET   /* vAccel: a session error */
#define VACCEL_EBACKEND     EPROTO       /* vAccel: a backend (plugin) error */
#define VACCEL_ENOEXEC      ENOEXEC      /* exec format error */
#define VACCEL_ENAMETOOLONG ENAMETOOLONG /* file name too long */
#define VACCEL_EUSERS       EUSERS       /* too many users */
#define VACCEL_EPERM        EPERM        /* not allowed by the profile */
#define VACCEL_ELOOP        ELOOP        /* too many symbolic links */
#define VACCEL_EMLINK       EMLINK       /* too many links */
#define VACCEL_ENOSPC       ENOSPC       /* no space left on device */
#define VACCEL_ENOTDIR      ENOTDIR      /* not a directory */
#define VACCEL_EROFS        EROFS        /* read-only file system */
#define VACCEL_EACCES       EACCES       /* permission denied */
#define VACCEL_EBADF        EBADF        /* bad file descriptor */
#define VACCEL_EREMOTEIO    EREMOTEIO    /* remote I/O error */
#define VACCEL_EFAULT       EFAULT       /* bad address */
#define VACCEL_ERANGE       ERANGE       /* out of range */
#define VACCEL_EAGAIN       EAGAIN       /* resource temporarily unavailable */
#define VACCEL_ENOSYS       ENOSYS       /* function not implemented */

/* vaccel extensions. */
#define VACCEL_EALREADY     EALREADY     /* already done (e.g. bootstrap) */
#define VACCEL_EREMOTE      EREMOTEIO    /* the remote end failed (= VACCEL_EREMOTEIO) */
#define VACCEL_ETIMEDOUT    ETIMEDOUT    /* a transport gave up waiting */
#define VACCEL_ENOBUFS      ENOBUFS      /* a caller's buffer is too small */
#define VACCEL_ECONNREFUSED ECONNREFUSED /* no agent at the address */

#ifdef __cplusplus
extern "C" {
#endif

/*
 * vaccel extension: a static, human-readable description of any VACCEL_*
 * code (or other errno value).
 */
const char *vaccel_strerror(int err);

#ifdef __cplusplus
}
#endif

#endif /* VACCEL_ERROR_H */
