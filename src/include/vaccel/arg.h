/* SPDX-License-Identifier: Apache-2.0 */
/* Arguments of vaccel_exec() and vaccel_genop(), laid out as vAccel's. */
#ifndef VACCEL_ARG_H
#define VACCEL_ARG_H

#include <vaccel/types.h>
#include <vaccel/utils/enum.h>

/*
 * vaccel_arg_type_t. Values travel on the wire: the order from 0 is
 * vAccel's, never reorder. With vAccel's generated helpers:
 * vaccel_arg_type_to_str ("VACCEL_ARG_INT32"), _to_base_str ("INT32") and
 * vaccel_arg_type_name(type, buf, size) ("int32").
 */
#define VACCEL_ARG_TYPE_ENUM_LIST(ITEM) \
	ITEM(RAW, 0, VACCEL_ARG) \
	ITEM(INT8, VACCEL_ARG) \
	ITEM(INT8_ARRAY, VACCEL_ARG) \
	ITEM(INT16, VACCEL_ARG) \
	ITEM(INT16_ARRAY, VACCEL_ARG) \
	ITEM(INT32, VACCEL_ARG) \
	ITEM(INT32_ARRAY, VACCEL_ARG) \
	ITEM(INT64, VACCEL_ARG) \
	ITEM(INT64_ARRAY, VACCEL_ARG) \
	ITEM(UINT8, VACCEL_ARG) \
	ITEM(UINT8_ARRAY, VACCEL_ARG) \
	ITEM(UINT16, VACCEL_ARG) \
	ITEM(UINT16_ARRAY, VACCEL_ARG) \
	ITEM(UINT32, VACCEL_ARG) \
	ITEM(UINT32_ARRAY, VACCEL_ARG) \
	ITEM(UINT64, VACCEL_ARG) \
	ITEM(UINT64_ARRAY, VACCEL_ARG) \
	ITEM(FLOAT32, VACCEL_ARG) \
	ITEM(FLOAT32_ARRAY, VACCEL_ARG) \
	ITEM(FLOAT64, VACCEL_ARG) \
	ITEM(FLOAT64_ARRAY, VACCEL_ARG) \
	ITEM(BOOL, VACCEL_ARG) \
	ITEM(BOOL_ARRAY, VACCEL_ARG) \
	ITEM(CHAR, VACCEL_ARG) \
	ITEM(CHAR_ARRAY, VACCEL_ARG) \
	ITEM(UCHAR, VACCEL_ARG) \
	ITEM(UCHAR_ARRAY, VACCEL_ARG) \
	ITEM(STRING, VACCEL_ARG) \
	ITEM(BUFFER, VACCEL_ARG) \
	ITEM(CUSTOM, VACCEL_ARG)
VACCEL_ENUM_DEF_WITH_STR_FUNCS(vaccel_arg_type, VACCEL_ARG, VACCEL_ARG_TYPE_ENUM_LIST)

/*
 * The scalar types, as vAccel's table: (name, C type, scalar arg type,
 * array arg type). The typed vaccel_arg_array_add_/get_/set_ functions
 * below are generated from it, one pair per row.
 */
#define VACCEL_ARG_NUMERIC_TYPES(X)                                     \
	X(int8, int8_t, VACCEL_ARG_INT8, VACCEL_ARG_INT8_ARRAY)         \
	X(int16, int16_t, VACCEL_ARG_INT16, VACCEL_ARG_INT16_ARRAY)     \
	X(int32, int32_t, VACCEL_ARG_INT32, VACCEL_ARG_INT32_ARRAY)     \
	X(int64, int64_t, VACCEL_ARG_INT64, VACCEL_ARG_INT64_ARRAY)     \
	X(uint8, uint8_t, VACCEL_ARG_UINT8, VACCEL_ARG_UINT8_ARRAY)     \
	X(uint16, uint16_t, VACCEL_ARG_UINT16, VACCEL_ARG_UINT16_ARRAY) \
	X(uint32, uint32_t, VACCEL_ARG_UINT32, VACCEL_ARG_UINT32_ARRAY) \
	X(uint64, uint64_t, VACCEL_ARG_UINT64, VACCEL_ARG_UINT64_ARRAY) \
	X(float, float, VACCEL_ARG_FLOAT32, VACCEL_ARG_FLOAT32_ARRAY)   \
	X(double, double, VACCEL_ARG_FLOAT64, VACCEL_ARG_FLOAT64_ARRAY) \
	X(bool, bool, VACCEL_ARG_BOOL, VACCEL_ARG_BOOL_ARRAY)           \
	X(char, char, VACCEL_ARG_CHAR, VACCEL_ARG_CHAR_ARRAY)           \
	X(uchar, unsigned char, VACCEL_ARG_UCHAR, VACCEL_ARG_UCHAR_ARRAY)

/*
 * One argument, laid out as vAccel's (32 bytes on LP64). `buf` points at
 * `size` bytes the caller owns unless `owned` is true, in which case whoever
 * releases the arg (vaccel_arg_release) frees `buf`. custom_type_id tells
 * VACCEL_ARG_CUSTOM args apart; it does not travel on the wire.
 */
struct vaccel_arg {
	void *buf;
	size_t size;
	vaccel_arg_type_t type;
	uint32_t custom_type_id;
	bool owned;
};

/*
 * A growable list of args, as vAccel's: `count` args used of `capacity`;
 * `position` is where the next get_/set_ reads. `owned`: the array (and the
 * owned args in it) is freed by vaccel_arg_array_release.
 */
struct vaccel_arg_array {
	struct vaccel_arg *args;
	size_t count;
	size_t capacity;
	size_t position;
	bool owned;
};

/* A custom type's check: whether buf holds a valid value of custom_id. */
typedef bool (*vaccel_arg_type_validator_fn)(const void *buf, size_t size,
					     uint32_t custom_id);
/* Turn data into a malloc'd *buf of *size bytes (the array frees it). */
typedef int (*vaccel_arg_serializer_fn)(const void *data, size_t data_size,
					uint32_t custom_id, void **buf,
					size_t *size);
/* Turn buf back into data_size bytes at data. */
typedef int (*vaccel_arg_deserializer_fn)(const void *buf, size_t size,
					  uint32_t custom_id, size_t data_size,
					  void *data);

#ifdef __cplusplus
extern "C" {
#endif

/*
 * vaccel extension: the type's name ("int32", "float32_array", ...) as a
 * static string, or NULL out of range.
 */
const char *vaccel_arg_type_short_name(vaccel_arg_type_t type);

/*
 * vaccel extension: size in bytes of one element of a scalar or array type,
 * 0 for RAW, STRING, BUFFER and CUSTOM (free-form bytes).
 */
size_t vaccel_arg_type_elem_size(vaccel_arg_type_t type);

/*
 * Args (vAccel's). _init/_new copy `size` bytes of buf (zeros when buf is
 * NULL) into memory the arg owns; _init_from_buf/_from_buf point at the
 * caller's buf. _release frees owned memory and empties the arg; _delete
 * also frees an arg made by _new/_from_buf. 0 or VACCEL_EINVAL/ENOMEM.
 */
int vaccel_arg_init(struct vaccel_arg *arg, const void *buf, size_t size,
		    vaccel_arg_type_t type, uint32_t custom_id);
int vaccel_arg_init_from_buf(struct vaccel_arg *arg, void *buf, size_t size,
			     vaccel_arg_type_t type, uint32_t custom_id);
int vaccel_arg_release(struct vaccel_arg *arg);
int vaccel_arg_new(struct vaccel_arg **arg, const void *buf, size_t size,
		   vaccel_arg_type_t type, uint32_t custom_id);
int vaccel_arg_from_buf(struct vaccel_arg **arg, void *buf, size_t size,
			vaccel_arg_type_t type, uint32_t custom_id);
int vaccel_arg_delete(struct vaccel_arg *arg);

/*
 * Arg arrays (vAccel's). _init/_new allocate room for initial_capacity args
 * (0: a default) and grow as args are added; _wrap makes a fixed-size view
 * of the caller's args (not owned). _clear releases the args and empties
 * the array, keeping its room; _release also frees the room of an owned
 * array; _delete frees one made by _new.
 */
int vaccel_arg_array_init(struct vaccel_arg_array *array, size_t initial_capacity);
int vaccel_arg_array_release(struct vaccel_arg_array *array);
int vaccel_arg_array_new(struct vaccel_arg_array **array, size_t initial_capacity);
int vaccel_arg_array_delete(struct vaccel_arg_array *array);
int vaccel_arg_array_wrap(struct vaccel_arg_array *array, struct vaccel_arg *args,
			  size_t count);
void vaccel_arg_array_clear(struct vaccel_arg_array *array);

/*
 * Adding appends an arg pointing at the caller's memory (not copied), after
 * checking it fits its type: a scalar's size, an array's element size, a
 * string's NUL, bool values 0 or 1. VACCEL_EINVAL when it does not;
 * VACCEL_ERANGE when a wrapped array is full.
 */
int vaccel_arg_array_add_raw(struct vaccel_arg_array *array, void *buf, size_t size);
#define VACCEL_ARG_ARRAY_DECLARE_ADD_FUNCS(NAME, CTYPE, TYPE, ARRAY_TYPE)              \
	int vaccel_arg_array_add_##NAME(struct vaccel_arg_array *array, CTYPE *value); \
	int vaccel_arg_array_add_##NAME##_array(struct vaccel_arg_array *array,        \
						CTYPE *values, size_t count);
VACCEL_ARG_NUMERIC_TYPES(VACCEL_ARG_ARRAY_DECLARE_ADD_FUNCS)
int vaccel_arg_array_add_string(struct vaccel_arg_array *array, char *str);
int vaccel_arg_array_add_buffer(struct vaccel_arg_array *array, void *buf, size_t size);
int vaccel_arg_array_add_custom(struct vaccel_arg_array *array, uint32_t custom_id,
				void *buf, size_t size,
				vaccel_arg_type_validator_fn validator);
/* The serializer's buffer is owned by the array. */
int vaccel_arg_array_add_serialized(struct vaccel_arg_array *array,
				    vaccel_arg_type_t type, uint32_t custom_id,
				    const void *data, size_t data_size,
				    vaccel_arg_serializer_fn serializer);
/* Args of src (from start_idx / its position / all), copied when `copy`. */
int vaccel_arg_array_add_range(struct vaccel_arg_array *dest,
			       const struct vaccel_arg_array *src, size_t start_idx,
			       size_t count, bool copy);
int vaccel_arg_array_add_remaining(struct vaccel_arg_array *dest,
				   const struct vaccel_arg_array *src, bool copy);
int vaccel_arg_array_add_all(struct vaccel_arg_array *dest,
			     const struct vaccel_arg_array *src, bool copy);

/*
 * Getting reads the arg at the position and moves past it, after checking
 * its type and size: VACCEL_EINVAL when they do not fit (the position stays),
 * VACCEL_ERANGE past the last arg. Scalars are copied out; arrays, strings
 * and buffers are returned as pointers into the arg.
 */
int vaccel_arg_array_get_raw(struct vaccel_arg_array *array, void **buf, size_t *size);
#define VACCEL_ARG_ARRAY_DECLARE_GET_FUNCS(NAME, CTYPE, TYPE, ARRAY_TYPE)              \
	int vaccel_arg_array_get_##NAME(struct vaccel_arg_array *array, CTYPE *value); \
	int vaccel_arg_array_get_##NAME##_array(struct vaccel_arg_array *array,        \
						CTYPE **values, size_t *count);
VACCEL_ARG_NUMERIC_TYPES(VACCEL_ARG_ARRAY_DECLARE_GET_FUNCS)
int vaccel_arg_array_get_string(struct vaccel_arg_array *array, char **str);
int vaccel_arg_array_get_buffer(struct vaccel_arg_array *array, void **buf, size_t *size);
int vaccel_arg_array_get_custom(struct vaccel_arg_array *array, uint32_t expected_id,
				void **buf, size_t *size,
				vaccel_arg_type_validator_fn validator);
int vaccel_arg_array_get_serialized(struct vaccel_arg_array *array,
				    vaccel_arg_type_t expected_type,
				    uint32_t expected_custom_id, void *data,
				    size_t expected_size,
				    vaccel_arg_deserializer_fn deserializer);

/*
 * Setting writes into the memory of the arg at the position (an output
 * arg) and moves past it; the same checks as getting, and VACCEL_EINVAL
 * when the value does not fit the arg's size.
 */
int vaccel_arg_array_set_raw(struct vaccel_arg_array *array, void *buf, size_t size);
#define VACCEL_ARG_ARRAY_DECLARE_SET_FUNCS(NAME, CTYPE, TYPE, ARRAY_TYPE)              \
	int vaccel_arg_array_set_##NAME(struct vaccel_arg_array *array, CTYPE *value); \
	int vaccel_arg_array_set_##NAME##_array(struct vaccel_arg_array *array,        \
						CTYPE *values, size_t count);
VACCEL_ARG_NUMERIC_TYPES(VACCEL_ARG_ARRAY_DECLARE_SET_FUNCS)
int vaccel_arg_array_set_string(struct vaccel_arg_array *array, char *str);
int vaccel_arg_array_set_buffer(struct vaccel_arg_array *array, void *buf, size_t size);
int vaccel_arg_array_set_custom(struct vaccel_arg_array *array, uint32_t expected_id,
				void *buf, size_t size,
				vaccel_arg_type_validator_fn validator);
int vaccel_arg_array_set_serialized(struct vaccel_arg_array *array,
				    vaccel_arg_type_t expected_type,
				    uint32_t expected_custom_id, void *data,
				    size_t data_size, vaccel_arg_serializer_fn serializer);

/* The args from the position on (NULL, 0 when none), without moving. */
int vaccel_arg_array_get_remaining(struct vaccel_arg_array *array,
				   struct vaccel_arg **args, size_t *count);
size_t vaccel_arg_array_remaining_count(const struct vaccel_arg_array *array);
size_t vaccel_arg_array_position(const struct vaccel_arg_array *array);
/* Clamped to the count. */
void vaccel_arg_array_set_position(struct vaccel_arg_array *array, size_t position);
void vaccel_arg_array_reset_position(struct vaccel_arg_array *array);
size_t vaccel_arg_array_count(const struct vaccel_arg_array *array);
/* The args themselves, e.g. for vaccel_genop(). */
struct vaccel_arg *vaccel_arg_array_raw(struct vaccel_arg_array *array);

/*
 * Deprecated in vAccel (and here): the arg lists before arg arrays, kept so
 * that old programs and plugins build. "Serial" args are caller buffers
 * passed as they are; "nonserial" ones go through the caller's serializer
 * into a buffer the list owns (vaccel_delete_args frees it).
 */
struct vaccel_arg_list {
	uint32_t size;              /* room, in args */
	struct vaccel_arg *list;
	int curr_idx;               /* where the next add goes */
	int *idcs_allocated_space;  /* 1 where the list owns the arg's buf */
};

#define VACCEL_ARG_LIST_DEPRECATED \
	__attribute__((deprecated("The function will be removed in a future release")))
VACCEL_ARG_LIST_DEPRECATED struct vaccel_arg_list *vaccel_args_init(uint32_t size);
VACCEL_ARG_LIST_DEPRECATED int vaccel_add_serial_arg(struct vaccel_arg_list *args,
						      void *buf, uint32_t size);
VACCEL_ARG_LIST_DEPRECATED int
vaccel_add_nonserial_arg(struct vaccel_arg_list *args, void *buf, uint32_t type,
			 void *(*serializer)(void *, uint32_t *));
/* An output the caller's buffer receives. */
VACCEL_ARG_LIST_DEPRECATED int vaccel_expect_serial_arg(struct vaccel_arg_list *args,
							 void *buf, uint32_t size);
/* An output in a zeroed buffer the list allocates. */
VACCEL_ARG_LIST_DEPRECATED int vaccel_expect_nonserial_arg(struct vaccel_arg_list *args,
							    uint32_t expected_size);
VACCEL_ARG_LIST_DEPRECATED void *vaccel_extract_serial_arg(struct vaccel_arg *args, int idx);
VACCEL_ARG_LIST_DEPRECATED void *
vaccel_extract_nonserial_arg(struct vaccel_arg *args, int idx,
			     void *(*deserializer)(void *, uint32_t));
/* Plugin side: fill an output arg (its whole size; nonserial: what fits). */
VACCEL_ARG_LIST_DEPRECATED int vaccel_write_serial_arg(struct vaccel_arg *args, int idx,
							void *buf);
VACCEL_ARG_LIST_DEPRECATED int
vaccel_write_nonserial_arg(struct vaccel_arg *args, int idx, void *buf,
			   void *(*serializer)(void *, uint32_t *));
VACCEL_ARG_LIST_DEPRECATED int vaccel_delete_args(struct vaccel_arg_list *args);
#undef VACCEL_ARG_LIST_DEPRECATED

#ifdef __cplusplus
}
#endif

#endif /* VACCEL_ARG_H */
