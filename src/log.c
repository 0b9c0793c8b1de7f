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

static const char *const level_names[] = {
	[VACCEL_LOG_ERROR] = "error",
	[VACCEL_LOG_WARN] = "warn",
	[VACCEL_LOG_INFO] = "info",
	[VACCEL_LOG_DEBUG] = "debug",
};

/* Accepts 1..4 or a level name; 0 when the text is neither. */
int log_level_parse(const char *s)
{
	if (!s)
		return 0;
	for (int i = VACCEL_LOG_ERROR; i <= VACCEL_LOG_DEBUG; i++) {
		if (!strcasecmp(s, level_names[i]))
			return i;
	}
	if (!strcasecmp(s, "warning"))
		return VACCEL_LOG_WARN;
	if (s[0] >= '1' && s[0] <= '4' && s[1] == '\0')
		return s[0] - '0';
	return 0;
}

void log_configure(int level, const char *file)
{
	pthread_mutex_lock(&log_lock);
	if (level >= VACCEL_LOG_ERROR && level <= VACCEL_LOG_DEBUG)
		vaccel_log_level_active = level;
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
	if (level == VACCEL_LOG_ERROR) {
		va_start(ap, fmt);
		vsnprintf(last_error, sizeof(last_error), fmt, ap);
		va_end(ap);
	}
	if (level > vaccel_log_level_active || level < VACCEL_LOG_ERROR || quiet)
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

__attribute__((destructor)) static void log_close(void)
{
	if (log_stream) {
		fclose(log_stream);
		log_stream = NULL;
	}
}
