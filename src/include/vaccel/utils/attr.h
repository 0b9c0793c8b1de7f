/* SPDX-License-Identifier: Apache-2.0 */
/*
 * GNU attributes the installed headers use, written so that every header
 * still parses with pycparser: vaccel-python's build (build_ffi.py) runs
 * `cc -E` on <vaccel.h> and hands the output to cffi, whose parser takes no
 * GNU attribute. It strips only deprecated ones, and it drops every line
 * that holds the word extern. So an attribute goes on a line of its own
 * before the declaration, ending in extern: compilers see the attribute
 * (and a harmless extern), cffi sees the plain declaration on the next line.
 * extern comes last because that build also eats the blanks after an
 * attribute it keeps, newline included: nothing else may follow it there.
 */
#ifndef VACCEL_UTILS_ATTR_H
#define VACCEL_UTILS_ATTR_H

/*
 * printf-style format checks, argument fmt the format and first the first
 * one it formats (1-based):
 *     VACCEL_PRINTF_FORMAT(2, 3)
 *     void vaccel_log(enum vaccel_log_level level, const char *fmt, ...);
 */
#if defined(__GNUC__) || defined(__clang__)
#define VACCEL_PRINTF_FORMAT(fmt, first) \
	__attribute__((format(printf, fmt, first))) extern
#else
#define VACCEL_PRINTF_FORMAT(fmt, first) extern
#endif

#endif /* VACCEL_UTILS_ATTR_H */
