/* SPDX-License-Identifier: Apache-2.0 */
/*
 * vAccel's bootstrap and cleanup. The library bootstraps itself on first use
 * (unless VACCEL_BOOTSTRAP_ENABLED=0) and cleans up at exit (unless
 * VACCEL_CLEANUP_ENABLED=0); a program may do either itself.
 */
#ifndef VACCEL_CORE_H
#define VACCEL_CORE_H

#include <vaccel/config.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Bootstrap from the environment (<vaccel/config.h>) and the profile of the
 * lookup order (VACCEL_PROFILE, vaccel-profile(5)). VACCEL_OK when already
 * bootstrapped.
 */
int vaccel_bootstrap(void);
/*
 * Bootstrap with these settings in place of the environment's; an earlier
 * bootstrap is cleaned up first (no session may be alive).
 */
int vaccel_bootstrap_with_config(struct vaccel_config *config);
/* Unload plugins and forget the profile; sessions must be released first. */
int vaccel_cleanup(void);
bool vaccel_is_initialized(void);
/*
 * A directory for this process's files, made on first call after bootstrap
 * ($XDG_RUNTIME_DIR/vaccel-XXXXXX, else under /tmp) and removed, if empty,
 * by vaccel_cleanup(). NULL before bootstrap.
 */
const char *vaccel_rundir(void);
/* The settings in effect (the log level is the active one). */
const struct vaccel_config *vaccel_config(void);

#ifdef __cplusplus
}
#endif

#endif /* VACCEL_CORE_H */
