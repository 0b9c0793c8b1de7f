/* SPDX-License-Identifier: Apache-2.0 */
/*
 * --json output on json-c: the calls build a tree (escaping and nesting are
 * json-c's), json_end prints it as one line. Numbers keep the %.9g the
 * command has always printed.
 */
#include <math.h>
#include <stdlib.h>
/* json-c's types json_object and json_bool share their names with this
 * API's functions: in this file (the only one that sees json-c) they go by
 * other names. */
#define json_object json_c_object
#define json_bool json_c_bool
#include <json-c/json.h>
#undef json_object
#undef json_bool
#include "cmd.h"

#define JSON_MAX_DEPTH (int)(sizeof(((struct json *)0)->stack) / sizeof(void *))

/* Put v under key in the innermost container (an array ignores key). */
static void put(struct json *j, const char *key, struct json_c_object *v)
{
	struct json_c_object *c = j->depth > 0 ? j->stack[j->depth - 1] : NULL;
	if (!c) {
		json_object_put(v);
		return;
	}
	if (json_object_is_type(c, json_type_array))
		json_object_array_add(c, v);
	else
		json_object_object_add(c, key ? key : "", v);
}

void json_begin(struct json *j, FILE *out)
{
	j->out = out;
	j->stack[0] = json_object_new_object();
	j->depth = 1;
}

void json_end(struct json *j)
{
	if (j->depth < 1 || !j->stack[0])
		return;
	fputs(json_object_to_json_string_ext(j->stack[0], JSON_C_TO_STRING_PLAIN |
							     JSON_C_TO_STRING_NOSLASHESCAPE),
	      j->out);
	fputc('\n', j->out);
	json_discard(j);
}

void json_discard(struct json *j)
{
	if (j->depth > 0)
		json_object_put(j->stack[0]);
	j->stack[0] = NULL;
	j->depth = 0;
}

static void open_container(struct json *j, const char *key, struct json_c_object *c)
{
	put(j, key, c);
	/* Past the deepest level the command uses, the rest lands one level up. */
	if (j->depth > 0 && j->depth < JSON_MAX_DEPTH)
		j->stack[j->depth++] = c;
}

void json_object(struct json *j, const char *key)
{
	open_container(j, key, json_object_new_object());
}

void json_array(struct json *j, const char *key)
{
	open_container(j, key, json_object_new_array());
}

void json_close(struct json *j, char bracket)
{
	(void)bracket;
	if (j->depth > 1)
		j->depth--;
}

void json_str(struct json *j, const char *key, const char *value)
{
	put(j, key, value ? json_object_new_string(value) : NULL);
}

void json_int(struct json *j, const char *key, long long value)
{
	put(j, key, json_object_new_int64(value));
}

void json_uint(struct json *j, const char *key, unsigned long long value)
{
	put(j, key, json_object_new_uint64(value));
}

void json_num(struct json *j, const char *key, double value)
{
	char text[32];
	if (!isfinite(value)) {
		put(j, key, NULL); /* JSON has no NaN or infinity */
		return;
	}
	snprintf(text, sizeof(text), "%.9g", value);
	put(j, key, json_object_new_double_s(value, text));
}

void json_bool(struct json *j, const char *key, bool value)
{
	put(j, key, json_object_new_boolean(value));
}
