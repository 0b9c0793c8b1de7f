/* SPDX-License-Identifier: Apache-2.0 */
/*
 * vAccel's arg and arg-array helpers. An array is a cursor over a list of
 * args: add_ appends, get_ and set_ read or fill the arg at the position
 * and move past it. The typed functions come from VACCEL_ARG_NUMERIC_TYPES,
 * one table row per scalar type.
 */
#include <stdlib.h>
#include <string.h>
#include "internal.h"

enum { ARG_ARRAY_DEFAULT_CAPACITY = 8 };

static bool is_array_type(vaccel_arg_type_t type)
{
	/* Each scalar type is followed by its array type (INT8, INT8_ARRAY, ...). */
	return type >= VACCEL_ARG_INT8 && type <= VACCEL_ARG_UCHAR_ARRAY &&
	       (type - VACCEL_ARG_INT8) % 2 == 1;
}

static bool bools_ok(const void *buf, size_t size)
{
	const unsigned char *b = buf;
	for (size_t i = 0; i < size; i++)
		if (b[i] > 1)
			return false;
	return true;
}

/* Whether buf/size is a valid value of a built-in type. */
static bool value_fits(vaccel_arg_type_t type, const void *buf, size_t size)
{
	switch (type) {
	case VACCEL_ARG_RAW:
	case VACCEL_ARG_CUSTOM:
		return true;
	case VACCEL_ARG_STRING:
		return buf && size && ((const char *)buf)[size - 1] == '\0';
	case VACCEL_ARG_BUFFER:
		return buf && size;
	default:
		break;
	}
	size_t elem = vaccel_arg_type_elem_size(type);
	if (!elem || !buf)
		return false;
	if (is_array_type(type) ? (!size || size % elem) : size != elem)
		return false;
	if (type == VACCEL_ARG_BOOL || type == VACCEL_ARG_BOOL_ARRAY)
		return bools_ok(buf, size);
	return true;
}

int vaccel_arg_init(struct vaccel_arg *arg, const void *buf, size_t size,
		    vaccel_arg_type_t type, uint32_t custom_id)
{
	if (!arg || (buf && !size))
		return VACCEL_EINVAL;
	void *copy = NULL;
	if (size) {
		copy = buf ? malloc(size) : calloc(1, size);
		if (!copy)
			return VACCEL_ENOMEM;
		if (buf)
			memcpy(copy, buf, size);
	}
	*arg = (struct vaccel_arg){ .buf = copy, .size = size, .type = type,
				    .custom_type_id = custom_id, .owned = true };
	return VACCEL_OK;
}

int vaccel_arg_init_from_buf(struct vaccel_arg *arg, void *buf, size_t size,
			     vaccel_arg_type_t type, uint32_t custom_id)
{
	if (!arg || !buf != !size)
		return VACCEL_EINVAL;
	*arg = (struct vaccel_arg){ .buf = buf, .size = size, .type = type,
				    .custom_type_id = custom_id };
	return VACCEL_OK;
}

int vaccel_arg_release(struct vaccel_arg *arg)
{
	if (!arg)
		return VACCEL_EINVAL;
	if (arg->owned)
		free(arg->buf);
	*arg = (struct vaccel_arg){ .type = VACCEL_ARG_MAX };
	return VACCEL_OK;
}

static int arg_alloc(struct vaccel_arg **arg, void *buf, size_t size,
		     vaccel_arg_type_t type, uint32_t custom_id, bool copy)
{
	if (!arg)
		return VACCEL_EINVAL;
	struct vaccel_arg *a = malloc(sizeof(*a));
	if (!a)
		return VACCEL_ENOMEM;
	int ret = copy ? vaccel_arg_init(a, buf, size, type, custom_id)
		       : vaccel_arg_init_from_buf(a, buf, size, type, custom_id);
	if (ret) {
		free(a);
		return ret;
	}
	*arg = a;
	return VACCEL_OK;
}

int vaccel_arg_new(struct vaccel_arg **arg, const void *buf, size_t size,
		   vaccel_arg_type_t type, uint32_t custom_id)
{
	return arg_alloc(arg, (void *)buf, size, type, custom_id, true);
}

int vaccel_arg_from_buf(struct vaccel_arg **arg, void *buf, size_t size,
			vaccel_arg_type_t type, uint32_t custom_id)
{
	return arg_alloc(arg, buf, size, type, custom_id, false);
}

int vaccel_arg_delete(struct vaccel_arg *arg)
{
	int ret = vaccel_arg_release(arg);
	if (!ret)
		free(arg);
	return ret;
}

/* ---- arrays ---- */

int vaccel_arg_array_init(struct vaccel_arg_array *array, size_t initial_capacity)
{
	if (!array)
		return VACCEL_EINVAL;
	size_t cap = initial_capacity ? initial_capacity : ARG_ARRAY_DEFAULT_CAPACITY;
	*array = (struct vaccel_arg_array){ .capacity = cap, .owned = true };
	array->args = calloc(cap, sizeof(*array->args));
	return array->args ? VACCEL_OK : VACCEL_ENOMEM;
}

int vaccel_arg_array_release(struct vaccel_arg_array *array)
{
	if (!array || !array->args)
		return VACCEL_EINVAL;
	if (array->owned) {
		for (size_t i = 0; i < array->count; i++)
			vaccel_arg_release(&array->args[i]);
		free(array->args);
	}
	*array = (struct vaccel_arg_array){ 0 };
	return VACCEL_OK;
}

int vaccel_arg_array_new(struct vaccel_arg_array **array, size_t initial_capacity)
{
	if (!array)
		return VACCEL_EINVAL;
	struct vaccel_arg_array *a = malloc(sizeof(*a));
	if (!a)
		return VACCEL_ENOMEM;
	int ret = vaccel_arg_array_init(a, initial_capacity);
	if (ret) {
		free(a);
		return ret;
	}
	*array = a;
	return VACCEL_OK;
}

int vaccel_arg_array_delete(struct vaccel_arg_array *array)
{
	int ret = vaccel_arg_array_release(array);
	if (!ret)
		free(array);
	return ret;
}

int vaccel_arg_array_wrap(struct vaccel_arg_array *array, struct vaccel_arg *args,
			  size_t count)
{
	if (!array || (!args && count))
		return VACCEL_EINVAL;
	*array = (struct vaccel_arg_array){ .args = args, .count = count, .capacity = count };
	return VACCEL_OK;
}

void vaccel_arg_array_clear(struct vaccel_arg_array *array)
{
	if (!array || !array->args)
		return;
	for (size_t i = 0; i < array->count; i++)
		vaccel_arg_release(&array->args[i]);
	array->count = 0;
	array->position = 0;
}

/* Room for `more` args: owned arrays double; wrapped ones are full. */
static int reserve(struct vaccel_arg_array *array, size_t more)
{
	if (more > SIZE_MAX / sizeof(struct vaccel_arg) - array->count)
		return VACCEL_ENOMEM;
	size_t need = array->count + more, cap = array->capacity;
	if (need <= cap)
		return VACCEL_OK;
	if (!array->owned)
		return VACCEL_ERANGE;
	while (cap < need)
		cap = cap ? (cap > SIZE_MAX / 2 / sizeof(struct vaccel_arg) ? need : cap * 2)
			  : ARG_ARRAY_DEFAULT_CAPACITY;
	struct vaccel_arg *args = realloc(array->args, cap * sizeof(*args));
	if (!args)
		return VACCEL_ENOMEM;
	array->args = args;
	array->capacity = cap;
	return VACCEL_OK;
}

static int append(struct vaccel_arg_array *array, void *buf, size_t size,
		  vaccel_arg_type_t type, uint32_t custom_id, bool owned)
{
	if (!array)
		return VACCEL_EINVAL;
	int ret = reserve(array, 1);
	if (ret)
		return ret;
	if (!value_fits(type, buf, size))
		return VACCEL_EINVAL;
	array->args[array->count++] = (struct vaccel_arg){
		.buf = buf, .size = size, .type = type, .custom_type_id = custom_id, .owned = owned
	};
	return VACCEL_OK;
}

int vaccel_arg_array_add_raw(struct vaccel_arg_array *array, void *buf, size_t size)
{
	if (!array || !buf != !size)
		return VACCEL_EINVAL;
	return append(array, buf, size, VACCEL_ARG_RAW, 0, false);
}

#define DEFINE_ADD(NAME, CTYPE, TYPE, ARRAY_TYPE)                                   \
	int vaccel_arg_array_add_##NAME(struct vaccel_arg_array *array, CTYPE *value) \
	{                                                                             \
		return append(array, value, sizeof(CTYPE), TYPE, 0, false);           \
	}                                                                             \
	int vaccel_arg_array_add_##NAME##_array(struct vaccel_arg_array *array,       \
						CTYPE *values, size_t count)          \
	{                                                                             \
		if (!values || !count || count > SIZE_MAX / sizeof(CTYPE))            \
			return VACCEL_EINVAL;                                         \
		return append(array, values, count * sizeof(CTYPE), ARRAY_TYPE, 0,    \
			      false);                                                 \
	}
VACCEL_ARG_NUMERIC_TYPES(DEFINE_ADD)

int vaccel_arg_array_add_string(struct vaccel_arg_array *array, char *str)
{
	if (!str)
		return VACCEL_EINVAL;
	return append(array, str, strlen(str) + 1, VACCEL_ARG_STRING, 0, false);
}

int vaccel_arg_array_add_buffer(struct vaccel_arg_array *array, void *buf, size_t size)
{
	return append(array, buf, size, VACCEL_ARG_BUFFER, 0, false);
}

int vaccel_arg_array_add_custom(struct vaccel_arg_array *array, uint32_t custom_id,
				void *buf, size_t size,
				vaccel_arg_type_validator_fn validator)
{
	if (!array || !validator || !validator(buf, size, custom_id))
		return VACCEL_EINVAL;
	return append(array, buf, size, VACCEL_ARG_CUSTOM, custom_id, false);
}

int vaccel_arg_array_add_serialized(struct vaccel_arg_array *array,
				    vaccel_arg_type_t type, uint32_t custom_id,
				    const void *data, size_t data_size,
				    vaccel_arg_serializer_fn serializer)
{
	if (!array || !serializer)
		return VACCEL_EINVAL;
	void *buf = NULL;
	size_t size = 0;
	int ret = serializer(data, data_size, custom_id, &buf, &size);
	if (ret)
		return ret;
	ret = append(array, buf, size, type, custom_id, true);
	if (ret)
		free(buf);
	return ret;
}

int vaccel_arg_array_add_range(struct vaccel_arg_array *dest,
			       const struct vaccel_arg_array *src, size_t start_idx,
			       size_t count, bool copy)
{
	if (!dest || !src)
		return VACCEL_EINVAL;
	if (start_idx >= src->count || count > src->count - start_idx)
		return VACCEL_ERANGE;
	int ret = reserve(dest, count);
	if (ret)
		return ret;
	for (size_t i = 0; i < count; i++) {
		const struct vaccel_arg *from = &src->args[start_idx + i];
		struct vaccel_arg *to = &dest->args[dest->count + i];
		*to = *from;
		to->owned = false;
		if (copy && from->buf && from->size) {
			to->buf = malloc(from->size);
			if (!to->buf) {
				while (i-- > 0)
					vaccel_arg_release(&dest->args[dest->count + i]);
				return VACCEL_ENOMEM;
			}
			memcpy(to->buf, from->buf, from->size);
			to->owned = true;
		}
	}
	dest->count += count;
	return VACCEL_OK;
}

int vaccel_arg_array_add_remaining(struct vaccel_arg_array *dest,
				   const struct vaccel_arg_array *src, bool copy)
{
	if (!dest || !src)
		return VACCEL_EINVAL;
	size_t n = vaccel_arg_array_remaining_count(src);
	return n ? vaccel_arg_array_add_range(dest, src, src->position, n, copy) : VACCEL_OK;
}

int vaccel_arg_array_add_all(struct vaccel_arg_array *dest,
			     const struct vaccel_arg_array *src, bool copy)
{
	if (!dest || !src)
		return VACCEL_EINVAL;
	return src->count ? vaccel_arg_array_add_range(dest, src, 0, src->count, copy)
			  : VACCEL_OK;
}

/*
 * The arg at the position if it has type `type` (and, for CUSTOM, that id):
 * VACCEL_ERANGE past the end, VACCEL_EINVAL for another type.
 */
static int current(struct vaccel_arg_array *array, vaccel_arg_type_t type,
		   struct vaccel_arg **arg)
{
	if (!array)
		return VACCEL_EINVAL;
	if (array->position >= array->count)
		return VACCEL_ERANGE;
	*arg = &array->args[array->position];
	return (*arg)->type == type ? VACCEL_OK : VACCEL_EINVAL;
}

/* The current arg of a built-in type, holding a valid value of it. */
static int current_valid(struct vaccel_arg_array *array, vaccel_arg_type_t type,
			 struct vaccel_arg **arg)
{
	int ret = current(array, type, arg);
	if (!ret && !value_fits(type, (*arg)->buf, (*arg)->size))
		ret = VACCEL_EINVAL;
	return ret;
}

int vaccel_arg_array_get_raw(struct vaccel_arg_array *array, void **buf, size_t *size)
{
	struct vaccel_arg *a;
	if (!buf || !size)
		return VACCEL_EINVAL;
	int ret = current(array, VACCEL_ARG_RAW, &a);
	if (ret)
		return ret;
	*buf = a->buf;
	*size = a->size;
	array->position++;
	return VACCEL_OK;
}

/*
 * Scalars are read and written by memcpy (a buffer need not be aligned);
 * a bool arg holds 0 or 1 (value_fits), so copying it makes a valid bool.
 */
#define DEFINE_GET_SET(NAME, CTYPE, TYPE, ARRAY_TYPE)                                 \
	int vaccel_arg_array_get_##NAME(struct vaccel_arg_array *array, CTYPE *value)   \
	{                                                                               \
		struct vaccel_arg *a;                                                   \
		if (!value)                                                             \
			return VACCEL_EINVAL;                                           \
		int ret = current_valid(array, TYPE, &a);                               \
		if (ret)                                                                \
			return ret;                                                     \
		memcpy(value, a->buf, sizeof(CTYPE));                                   \
		array->position++;                                                      \
		return VACCEL_OK;                                                       \
	}                                                                               \
	int vaccel_arg_array_get_##NAME##_array(struct vaccel_arg_array *array,         \
						CTYPE **values, size_t *count)          \
	{                                                                               \
		struct vaccel_arg *a;                                                   \
		if (!values)                                                            \
			return VACCEL_EINVAL;                                           \
		int ret = current_valid(array, ARRAY_TYPE, &a);                         \
		if (ret)                                                                \
			return ret;                                                     \
		*values = a->buf;                                                       \
		if (count)                                                              \
			*count = a->size / sizeof(CTYPE);                               \
		array->position++;                                                      \
		return VACCEL_OK;                                                       \
	}                                                                               \
	int vaccel_arg_array_set_##NAME(struct vaccel_arg_array *array, CTYPE *value)   \
	{                                                                               \
		struct vaccel_arg *a;                                                   \
		if (!value)                                                             \
			return VACCEL_EINVAL;                                           \
		int ret = current(array, TYPE, &a);                                     \
		if (ret)                                                                \
			return ret;                                                     \
		if (!a->buf || a->size != sizeof(CTYPE))                                \
			return VACCEL_EINVAL;                                           \
		memcpy(a->buf, value, sizeof(CTYPE));                                   \
		array->position++;                                                      \
		return VACCEL_OK;                                                       \
	}                                                                               \
	int vaccel_arg_array_set_##NAME##_array(struct vaccel_arg_array *array,         \
						CTYPE *values, size_t count)            \
	{                                                                               \
		struct vaccel_arg *a;                                                   \
		if (!values || count > SIZE_MAX / sizeof(CTYPE))                        \
			return VACCEL_EINVAL;                                           \
		int ret = current(array, ARRAY_TYPE, &a);                               \
		if (ret)                                                                \
			return ret;                                                     \
		if (!a->buf || !a->size || a->size % sizeof(CTYPE) ||                   \
		    a->size < count * sizeof(CTYPE))                                    \
			return VACCEL_EINVAL;                                           \
		memcpy(a->buf, values, count * sizeof(CTYPE));                          \
		array->position++;                                                      \
		return VACCEL_OK;                                                       \
	}
VACCEL_ARG_NUMERIC_TYPES(DEFINE_GET_SET)

int vaccel_arg_array_get_string(struct vaccel_arg_array *array, char **str)
{
	struct vaccel_arg *a;
	if (!str)
		return VACCEL_EINVAL;
	int ret = current_valid(array, VACCEL_ARG_STRING, &a);
	if (ret)
		return ret;
	*str = a->buf;
	array->position++;
	return VACCEL_OK;
}

int vaccel_arg_array_get_buffer(struct vaccel_arg_array *array, void **buf, size_t *size)
{
	struct vaccel_arg *a;
	if (!buf || !size)
		return VACCEL_EINVAL;
	int ret = current_valid(array, VACCEL_ARG_BUFFER, &a);
	if (ret)
		return ret;
	*buf = a->buf;
	*size = a->size;
	array->position++;
	return VACCEL_OK;
}

int vaccel_arg_array_get_custom(struct vaccel_arg_array *array, uint32_t expected_id,
				void **buf, size_t *size,
				vaccel_arg_type_validator_fn validator)
{
	struct vaccel_arg *a;
	if (!buf || !validator)
		return VACCEL_EINVAL;
	int ret = current(array, VACCEL_ARG_CUSTOM, &a);
	if (ret)
		return ret;
	if (a->custom_type_id != expected_id || !validator(a->buf, a->size, expected_id))
		return VACCEL_EINVAL;
	*buf = a->buf;
	if (size)
		*size = a->size;
	array->position++;
	return VACCEL_OK;
}

/* The current arg for a serialized value: its type, and its id or a valid value. */
static int current_serialized(struct vaccel_arg_array *array, vaccel_arg_type_t type,
			      uint32_t *custom_id, struct vaccel_arg **arg)
{
	int ret = current(array, type, arg);
	if (ret)
		return ret;
	if (type == VACCEL_ARG_CUSTOM)
		return (*arg)->custom_type_id == *custom_id ? VACCEL_OK : VACCEL_EINVAL;
	*custom_id = 0;
	return value_fits(type, (*arg)->buf, (*arg)->size) ? VACCEL_OK : VACCEL_EINVAL;
}

int vaccel_arg_array_get_serialized(struct vaccel_arg_array *array,
				    vaccel_arg_type_t expected_type,
				    uint32_t expected_custom_id, void *data,
				    size_t expected_size,
				    vaccel_arg_deserializer_fn deserializer)
{
	struct vaccel_arg *a;
	if (!data || !deserializer)
		return VACCEL_EINVAL;
	int ret = current_serialized(array, expected_type, &expected_custom_id, &a);
	if (!ret)
		ret = deserializer(a->buf, a->size, expected_custom_id, expected_size, data);
	if (!ret)
		array->position++;
	return ret;
}

int vaccel_arg_array_set_raw(struct vaccel_arg_array *array, void *buf, size_t size)
{
	struct vaccel_arg *a;
	int ret = current(array, VACCEL_ARG_RAW, &a);
	if (ret)
		return ret;
	if (buf && size) {
		if (!a->buf || a->size < size)
			return VACCEL_EINVAL;
		memcpy(a->buf, buf, size);
	} else if (a->buf && a->size) {
		return VACCEL_EINVAL; /* nothing given for an arg with room */
	}
	array->position++;
	return VACCEL_OK;
}

int vaccel_arg_array_set_string(struct vaccel_arg_array *array, char *str)
{
	struct vaccel_arg *a;
	if (!str)
		return VACCEL_EINVAL;
	int ret = current(array, VACCEL_ARG_STRING, &a);
	if (ret)
		return ret;
	size_t len = strlen(str) + 1;
	if (!a->buf || a->size < len)
		return VACCEL_EINVAL;
	memcpy(a->buf, str, len);
	memset((char *)a->buf + len, 0, a->size - len);
	array->position++;
	return VACCEL_OK;
}

int vaccel_arg_array_set_buffer(struct vaccel_arg_array *array, void *buf, size_t size)
{
	struct vaccel_arg *a;
	if (!buf || !size)
		return VACCEL_EINVAL;
	int ret = current(array, VACCEL_ARG_BUFFER, &a);
	if (ret)
		return ret;
	if (!a->buf || a->size < size)
		return VACCEL_EINVAL;
	memcpy(a->buf, buf, size);
	array->position++;
	return VACCEL_OK;
}

int vaccel_arg_array_set_custom(struct vaccel_arg_array *array, uint32_t expected_id,
				void *buf, size_t size,
				vaccel_arg_type_validator_fn validator)
{
	struct vaccel_arg *a;
	if (!validator)
		return VACCEL_EINVAL;
	int ret = current(array, VACCEL_ARG_CUSTOM, &a);
	if (ret)
		return ret;
	if (a->custom_type_id != expected_id || a->size != size || !a->buf ||
	    !validator(buf, size, expected_id))
		return VACCEL_EINVAL;
	if (size)
		memcpy(a->buf, buf, size);
	array->position++;
	return VACCEL_OK;
}

int vaccel_arg_array_set_serialized(struct vaccel_arg_array *array,
				    vaccel_arg_type_t expected_type,
				    uint32_t expected_custom_id, void *data,
				    size_t data_size, vaccel_arg_serializer_fn serializer)
{
	struct vaccel_arg *a;
	if (!data || !serializer)
		return VACCEL_EINVAL;
	int ret = current_serialized(array, expected_type, &expected_custom_id, &a);
	if (ret)
		return ret;
	void *buf = NULL;
	size_t size = 0;
	ret = serializer(data, data_size, expected_custom_id, &buf, &size);
	if (ret)
		return ret;
	if (size != a->size || (size && !a->buf)) {
		free(buf);
		return VACCEL_EINVAL;
	}
	if (size)
		memcpy(a->buf, buf, size);
	free(buf);
	array->position++;
	return VACCEL_OK;
}

int vaccel_arg_array_get_remaining(struct vaccel_arg_array *array,
				   struct vaccel_arg **args, size_t *count)
{
	if (!array || !args || !count)
		return VACCEL_EINVAL;
	*count = vaccel_arg_array_remaining_count(array);
	*args = *count ? &array->args[array->position] : NULL;
	return VACCEL_OK;
}

size_t vaccel_arg_array_remaining_count(const struct vaccel_arg_array *array)
{
	return array && array->position < array->count ? array->count - array->position : 0;
}

size_t vaccel_arg_array_position(const struct vaccel_arg_array *array)
{
	return array ? array->position : 0;
}

void vaccel_arg_array_set_position(struct vaccel_arg_array *array, size_t position)
{
	if (array)
		array->position = position < array->count ? position : array->count;
}

void vaccel_arg_array_reset_position(struct vaccel_arg_array *array)
{
	if (array)
		array->position = 0;
}

size_t vaccel_arg_array_count(const struct vaccel_arg_array *array)
{
	return array ? array->count : 0;
}

struct vaccel_arg *vaccel_arg_array_raw(struct vaccel_arg_array *array)
{
	return array ? array->args : NULL;
}
