/* SPDX-License-Identifier: Apache-2.0 */
/*
 * vAccel's enum generator: an enum and its name functions from one list.
 *
 *   #define MY_LIST(ITEM) ITEM(FIRST, 0, MY) ITEM(SECOND, MY)
 *   VACCEL_ENUM_DEF_WITH_STR_FUNCS(my_kind, MY, MY_LIST)
 *
 * gives `typedef enum my_kind { MY_FIRST = 0, MY_SECOND, MY_MAX } my_kind_t`
 * and three static inline functions:
 *   my_kind_to_str(v)           "MY_SECOND" ("MY_MAX" out of range)
 *   my_kind_to_base_str(v)      "SECOND"    ("MAX" out of range)
 *   my_kind_name(v, buf, size)  "second" written into buf; returns buf
 * An item is ITEM(NAME, PREFIX) or ITEM(NAME, VALUE, PREFIX).
 */
#ifndef VACCEL_UTILS_ENUM_H
#define VACCEL_UTILS_ENUM_H

#include <stdlib.h>
#include <vaccel/utils/str.h>

enum { VACCEL_ENUM_STR_MAX = 128 };

/* Pick the 2- or 3-argument form of an item. */
#define VACCEL_ENUM_GET_MACRO(_1, _2, _3, NAME, ...) NAME

#define VACCEL_ENUM_ITEM_NO_VALUE(name, prefix) prefix##_##name
#define VACCEL_ENUM_ITEM_WITH_VALUE(name, value, prefix) prefix##_##name = value
#define VACCEL_ENUM_ITEM(...)                                           \
	VACCEL_ENUM_GET_MACRO(__VA_ARGS__, VACCEL_ENUM_ITEM_WITH_VALUE, \
			      VACCEL_ENUM_ITEM_NO_VALUE)(__VA_ARGS__),

#define VACCEL_ENUM_STR(name, prefix) #prefix "_" #name
#define VACCEL_ENUM_STR_CASE_NO_VALUE(name, prefix) \
	case prefix##_##name:                       \
		return VACCEL_ENUM_STR(name, prefix);
#define VACCEL_ENUM_STR_CASE_WITH_VALUE(name, value, prefix) \
	VACCEL_ENUM_STR_CASE_NO_VALUE(name, prefix)
#define VACCEL_ENUM_STR_CASE(...)                                           \
	VACCEL_ENUM_GET_MACRO(__VA_ARGS__, VACCEL_ENUM_STR_CASE_WITH_VALUE, \
			      VACCEL_ENUM_STR_CASE_NO_VALUE)(__VA_ARGS__)

#define VACCEL_ENUM_BASE_STR_CASE_NO_VALUE(name, prefix) \
	case prefix##_##name:                            \
		return #name;
#define VACCEL_ENUM_BASE_STR_CASE_WITH_VALUE(name, value, prefix) \
	VACCEL_ENUM_BASE_STR_CASE_NO_VALUE(name, prefix)
#define VACCEL_ENUM_BASE_STR_CASE(...)                                           \
	VACCEL_ENUM_GET_MACRO(__VA_ARGS__, VACCEL_ENUM_BASE_STR_CASE_WITH_VALUE, \
			      VACCEL_ENUM_BASE_STR_CASE_NO_VALUE)(__VA_ARGS__)

/* The items of a list, then PREFIX_MAX. */
#define VACCEL_ENUM_DEF_ITEMS(prefix, LIST) \
	LIST(VACCEL_ENUM_ITEM)              \
	VACCEL_ENUM_ITEM(MAX, prefix)

#define VACCEL_ENUM_DEF_STR_FUNCS(name, prefix, LIST)                            \
	static inline const char *name##_to_str(name##_t value)                  \
	{                                                                        \
		switch (value) {                                                 \
			LIST(VACCEL_ENUM_STR_CASE)                               \
		default:                                                         \
			return VACCEL_ENUM_STR(MAX, prefix);                     \
		}                                                                \
	}                                                                        \
	static inline const char *name##_to_base_str(name##_t value)             \
	{                                                                        \
		switch (value) {                                                 \
			LIST(VACCEL_ENUM_BASE_STR_CASE)                          \
		default:                                                         \
			return "MAX";                                            \
		}                                                                \
	}                                                                        \
	static inline char *name##_name(name##_t value, char *lower, size_t size) \
	{                                                                        \
		if (!lower || !size)                                             \
			return NULL;                                             \
		vaccel_str_to_lower(name##_to_base_str(value), lower, size, NULL); \
		return lower;                                                    \
	}

/* The enum is tagged too (enum NAME), which vAccel's is not: both spellings work. */
#define VACCEL_ENUM_DEF_WITH_STR_FUNCS(name, prefix, LIST)     \
	typedef enum name {                                    \
		VACCEL_ENUM_DEF_ITEMS(prefix, LIST)            \
	} name##_t;                                            \
	VACCEL_ENUM_DEF_STR_FUNCS(name, prefix, LIST)

#endif /* VACCEL_UTILS_ENUM_H */
