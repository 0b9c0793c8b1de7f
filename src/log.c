/* SPDX-License-Identifier: Apache-2.0 */
/* Logging to stderr or to the file VACCEL_LOG_FILE / the profile names. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "internal.h"

enum vaccel_log_level vaccel_log_level_active = VACCEL_LOG_ERROR;
/* The last error message of this thread, so that the agent can send it back. */
static __thread char last_error[512];
/* This thread's messages are kept as the last error but not printed. */
static __thread bool quiet;
static FILE *log_stream;
static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;

/* Indexed by level: vAccel's four, and our fatal (0) and trace (5). */
static const char *const level_names[] = {
	[VACCEL_LOG_FATAL_LEVEL] = "fatal",
	[VACCEL_LOG_ERROR] = "error",
	[VACCEL_LOG_WARN] = "warn",
	[VACCEL_LOG_INFO] = "info",
	[VACCEL_LOG_DEBUG] = "debug",
	[VACCEL_LOG_TRACE_LEVEL] = "trace",
};

/* Accepts 1..5 or a level name from error to trace; 0 when neither. */
int log_level_parse(const char *s)
{
	if (!s)
		return 0;
	for (int i = VACCEL_LOG_ERROR; i <= VACCEL_LOG_TRACE_LEVEL; i++) {
		if (!strcasecmp(s, level_names[i]))
			return i;
	}
	if (!strcasecmp(s, "warning"))
		return VACCEL_LOG_WARN;
	if (s[0] >= '1' && s[0] <= '5' && s[1] == '\0')
		return s[0] - '0';
	return 0;
}

void log_configure(int level, const char *file)
{
	pthread_mutex_lock(&log_lock);
	if (level >= VACCEL_LOG_ERROR && level <= VACCEL_LOG_TRACE_LEVEL)
		vaccel_log_level_active = (enum vaccel_log_level)level;
	if (file && *file) {
		FILE *f = fopen(file, "a");
		if (f) {
			setvbuf(f, NULL, _IOLBF, 0);
			if (log_stream)
				fclose(log_stream);
			log_stream = f;
		} else {
			fprintf(stderr, "vaccel: warn: cannot open log file %s, "
					"logging to stderr\n", file);
		}
	}
	pthread_mutex_unlock(&log_lock);
}

enum vaccel_log_level vaccel_log_get_level(void)
{
	return vaccel_log_level_active;
}

void vaccel_log_set_level(enum vaccel_log_level level)
{
	log_configure(level, NULL);
}

void log_quiet(bool on)
{
	quiet = on;
}

const char *vaccel_log_last_error(void)
{
	return last_error;
}

void vaccel_log_clear_last_error(void)
{
	last_error[0] = '\0';
}

void vaccel_log(enum vaccel_log_level level, const char *fmt, ...)
{
	va_list ap;
	int lv = (int)level;
	if (lv <= VACCEL_LOG_ERROR) {
		va_start(ap, fmt);
		vsnprintf(last_error, sizeof(last_error), fmt, ap);
		va_end(ap);
	}
	if (lv > (int)vaccel_log_level_active || lv > VACCEL_LOG_TRACE_LEVEL || quiet)
		return;
	va_start(ap, fmt);
	pthread_mutex_lock(&log_lock);
	FILE *out = log_stream ? log_stream : stderr;
	fprintf(out, "vaccel: %s: ", level_names[level]);
	vfprintf(out, fmt, ap);
	fputc('\n', out);
	pthread_mutex_unlock(&log_lock);
	va_end(ap);
}

int vaccel_log_init(void)
{
	const char *level_env = getenv("VACCEL_LOG_LEVEL");
	if (!level_env)
		level_env = getenv("VACCEL_DEBUG_LEVEL"); /* vAccel's older name */
	int level = log_level_parse(level_env);
	log_configure(level, getenv("VACCEL_LOG_FILE"));
	return level_env && *level_env && !level ? VACCEL_EINVAL : VACCEL_OK;
}

int vaccel_log_shutdown(void)
{
	pthread_mutex_lock(&log_lock);
	if (log_stream) {
		fclose(log_stream);
		log_stream = NULL;
	}
	pthread_mutex_unlock(&log_lock);
	return VACCEL_OK;
}

__attribute__((destructor)) static void log_close(void)
{
	vaccel_log_shutdown();
}
