/* SPDX-License-Identifier: Apache-2.0 */
/*
 * vAccel's deprecated arg lists, kept for old programs and plugins. Unlike
 * vAccel's, a write never goes past the arg's size and the ownership marks
 * start zeroed.
 */
#include <stdlib.h>
#include <string.h>
#include "internal.h"

#pragma GCC diagnostic ignored "-Wdeprecated-declarations"

struct vaccel_arg_list *vaccel_args_init(uint32_t size)
{
	if (size == 0)
		return NULL;
	struct vaccel_arg_list *l = calloc(1, sizeof(*l));
	if (!l)
		return NULL;
	l->list = calloc(size, sizeof(*l->list));
	l->idcs_allocated_space = calloc(size, sizeof(*l->idcs_allocated_space));
	if (!l->list || !l->idcs_allocated_space) {
		free(l->list);
		free(l->idcs_allocated_space);
		free(l);
		return NULL;
	}
	l->size = size;
	return l;
}

/* Append one arg; the list owns buf when `owned`. */
static int append(struct vaccel_arg_list *l, void *buf, uint32_t size,
		  vaccel_arg_type_t type, uint32_t custom_type_id, bool owned)
{
	if (l->curr_idx < 0 || (uint32_t)l->curr_idx >= l->size)
		return VACCEL_EINVAL;
	l->list[l->curr_idx] = (struct vaccel_arg){ .buf = buf, .size = size, .type = type,
						    .custom_type_id = custom_type_id };
	l->idcs_allocated_space[l->curr_idx++] = owned;
	return VACCEL_OK;
}

int vaccel_add_serial_arg(struct vaccel_arg_list *args, void *buf, uint32_t size)
{
	if (!args || !buf || !size)
		return VACCEL_EINVAL;
	return append(args, buf, size, VACCEL_ARG_RAW, 0, false);
}

int vaccel_add_nonserial_arg(struct vaccel_arg_list *args, void *buf, uint32_t type,
			     void *(*serializer)(void *, uint32_t *))
{
	if (!args || !buf || !serializer)
		return VACCEL_EINVAL;
	uint32_t bytes = 0;
	void *ser = serializer(buf, &bytes);
	if (!ser || !bytes) {
		free(ser);
		return VACCEL_EINVAL;
	}
	int ret = append(args, ser, bytes, VACCEL_ARG_CUSTOM, type, true);
	if (ret)
		free(ser);
	return ret;
}

int vaccel_expect_serial_arg(struct vaccel_arg_list *args, void *buf, uint32_t size)
{
	return vaccel_add_serial_arg(args, buf, size);
}

int vaccel_expect_nonserial_arg(struct vaccel_arg_list *args, uint32_t expected_size)
{
	if (!args || !expected_size)
		return VACCEL_EINVAL;
	void *buf = calloc(1, expected_size);
	if (!buf)
		return VACCEL_ENOMEM;
	int ret = append(args, buf, expected_size, VACCEL_ARG_RAW, 0, true);
	if (ret)
		free(buf);
	return ret;
}

void *vaccel_extract_serial_arg(struct vaccel_arg *args, int idx)
{
	return args && idx >= 0 ? args[idx].buf : NULL;
}

void *vaccel_extract_nonserial_arg(struct vaccel_arg *args, int idx,
				   void *(*deserializer)(void *, uint32_t))
{
	if (!args || idx < 0 || !deserializer)
		return NULL;
	return deserializer(args[idx].buf, (uint32_t)args[idx].size);
}

int vaccel_write_serial_arg(struct vaccel_arg *args, int idx, void *buf)
{
	if (!args || idx < 0 || !buf)
		return VACCEL_EINVAL;
	memcpy(args[idx].buf, buf, args[idx].size);
	return VACCEL_OK;
}

int vaccel_write_nonserial_arg(struct vaccel_arg *args, int idx, void *buf,
			       void *(*serializer)(void *, uint32_t *))
{
	if (!args || idx < 0 || !buf || !serializer)
		return VACCEL_EINVAL;
	uint32_t bytes = 0;
	void *ser = serializer(buf, &bytes);
	int ret = VACCEL_EINVAL;
	if (ser && bytes && bytes <= args[idx].size) {
		memcpy(args[idx].buf, ser, bytes);
		ret = VACCEL_OK;
	}
	free(ser);
	return ret;
}

int vaccel_delete_args(struct vaccel_arg_list *args)
{
	if (!args || !args->list || !args->size || !args->idcs_allocated_space)
		return VACCEL_EINVAL;
	for (uint32_t i = 0; i < args->size; i++) {
		if (args->idcs_allocated_space[i])
			free(args->list[i].buf);
	}
	free(args->list);
	free(args->idcs_allocated_space);
	free(args);
	return VACCEL_OK;
}
