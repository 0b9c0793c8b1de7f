/* SPDX-License-Identifier: Apache-2.0 */
/* Logging: levels 1 error ... 4 debug (5 trace), to stderr or VACCEL_LOG_FILE. */
#ifndef VACCEL_LOG_H
#define VACCEL_LOG_H

#include <vaccel/utils/attr.h>
#include <vaccel/utils/enum.h>

/*
 * vaccel_log_level_t (also `enum vaccel_log_level`): vAccel's values, with
 * vaccel_log_level_to_str, _to_base_str and vaccel_log_level_name.
 */
#define VACCEL_LOG_LEVEL_ENUM_LIST(ITEM) \
	ITEM(ERROR, 1, VACCEL_LOG)       \
	ITEM(WARN, VACCEL_LOG)           \
	ITEM(INFO, VACCEL_LOG)           \
	ITEM(DEBUG, VACCEL_LOG)
VACCEL_ENUM_DEF_WITH_STR_FUNCS(vaccel_log_level, VACCEL_LOG, VACCEL_LOG_LEVEL_ENUM_LIST)

#ifdef __cplusplus
extern "C" {
#endif

/* Used by libvaccel and by plugins; the message needs no trailing newline. */
VACCEL_PRINTF_FORMAT(2, 3)
void vaccel_log(enum vaccel_log_level level, const char *fmt, ...);
enum vaccel_log_level vaccel_log_get_level(void);
/*
 * The last error message logged by the calling thread (whatever the level
 * shown), "" when none since the last clear: lets an agent return it.
 */
const char *vaccel_log_last_error(void);
void vaccel_log_clear_last_error(void);
void vaccel_log_set_level(enum vaccel_log_level level);

/*
 * vaccel extension: the active level, so that a message below it costs one
 * branch and formats nothing. Read-only for callers.
 */
extern enum vaccel_log_level vaccel_log_level_active;

/*
 * vAccel's: (re)read the log settings, VACCEL_LOG_LEVEL (1..4 or a level
 * name) and VACCEL_LOG_FILE (appended to; /dev/stdout and /dev/stderr
 * work), over those of the bootstrap; shutdown closes the log file and logs
 * to stderr again. vaccel_bootstrap() and vaccel_cleanup() call them, so a
 * program need not. Both return VACCEL_OK (VACCEL_EINVAL for a
 * VACCEL_LOG_LEVEL that is no level).
 */
int vaccel_log_init(void);
int vaccel_log_shutdown(void);

/*
 * vaccel extensions to vAccel's four levels, for vaccel_fatal and
 * vaccel_trace, which vAccel's log.h also has: a fatal message always shows
 * (and is kept as the last error); a trace message shows only at level 5,
 * VACCEL_LOG_LEVEL=5 or =trace (vAccel never shows either).
 */
#define VACCEL_LOG_FATAL_LEVEL 0
#define VACCEL_LOG_TRACE_LEVEL 5

/* Errors always reach vaccel_log: it keeps the thread's last one. */
#define vaccel_error(...) vaccel_log(VACCEL_LOG_ERROR, __VA_ARGS__)
#define vaccel_log_if(level, ...)                                   \
	do {                                                        \
		if ((level) <= vaccel_log_level_active)             \
			vaccel_log((level), __VA_ARGS__);           \
	} while (0)
#define vaccel_warn(...) vaccel_log_if(VACCEL_LOG_WARN, __VA_ARGS__)
#define vaccel_info(...) vaccel_log_if(VACCEL_LOG_INFO, __VA_ARGS__)
#define vaccel_debug(...) vaccel_log_if(VACCEL_LOG_DEBUG, __VA_ARGS__)
#define vaccel_trace(...) \
	vaccel_log_if((enum vaccel_log_level)VACCEL_LOG_TRACE_LEVEL, __VA_ARGS__)
#define vaccel_fatal(...) \
	vaccel_log((enum vaccel_log_level)VACCEL_LOG_FATAL_LEVEL, __VA_ARGS__)

#ifdef __cplusplus
}
#endif

#endif /* VACCEL_LOG_H */
