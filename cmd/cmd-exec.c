/* SPDX-License-Identifier: Apache-2.0 */
/*
 * vaccel exec LIB SYMBOL [ARG...]: call a host function through the exec op.
 * ARG is TYPE:VALUE (a read argument) or out:TYPE[:COUNT] (a write buffer of
 * COUNT elements, or bytes for string and buffer).
 */
#include <argp.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include "cmd.h"

/* Read arguments hold at most this much; files bigger are refused. */
#define EXEC_MAX_BYTES (64u << 20)

enum kind { K_INT, K_UINT, K_FLOAT, K_STRING, K_FILE };

static const struct exec_type {
	const char *name;
	vaccel_arg_type_t type;
	enum kind kind;
	size_t size;
} types[] = {
	{ "int8", VACCEL_ARG_INT8, K_INT, 1 },
	{ "int16", VACCEL_ARG_INT16, K_INT, 2 },
	{ "int32", VACCEL_ARG_INT32, K_INT, 4 },
	{ "int64", VACCEL_ARG_INT64, K_INT, 8 },
	{ "uint8", VACCEL_ARG_UINT8, K_UINT, 1 },
	{ "uint16", VACCEL_ARG_UINT16, K_UINT, 2 },
	{ "uint32", VACCEL_ARG_UINT32, K_UINT, 4 },
	{ "uint64", VACCEL_ARG_UINT64, K_UINT, 8 },
	{ "float32", VACCEL_ARG_FLOAT32, K_FLOAT, 4 },
	{ "float64", VACCEL_ARG_FLOAT64, K_FLOAT, 8 },
	{ "string", VACCEL_ARG_STRING, K_STRING, 1 },
	{ "buffer", VACCEL_ARG_BUFFER, K_FILE, 1 },
	{ "file", VACCEL_ARG_BUFFER, K_FILE, 1 },
};

static const struct exec_type *find_type(const char *name, size_t len)
{
	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		if (strlen(types[i].name) == len && !strncmp(types[i].name, name, len))
			return &types[i];
	return NULL;
}

static const struct argp_option options[] = { { 0 } };

struct exec_args {
	char **words;
	int nr_words;
};

static error_t parse_opt(int key, char *arg, struct argp_state *state)
{
	struct exec_args *a = state->input;
	(void)arg;
	switch (key) {
	case ARGP_KEY_ARG:
		/* Positional from here on: values such as -1 are not options. */
		a->words = &state->argv[state->next - 1];
		a->nr_words = state->argc - state->next + 1;
		state->next = state->argc;
		return 0;
	case ARGP_KEY_END:
		if (a->nr_words < 2)
			argp_error(state, "need LIBRARY and SYMBOL");
		return 0;
	default:
		return ARGP_ERR_UNKNOWN;
	}
}

static const struct argp argp = {
	options, parse_opt, "LIBRARY SYMBOL [ARG...]",
	"Call SYMBOL in the host library LIBRARY as\n"
	"  int SYMBOL(struct vaccel_arg *read, size_t nr_read,\n"
	"             struct vaccel_arg *write, size_t nr_write)\n"
	"ARG is TYPE:VALUE for a read argument, or out:TYPE[:COUNT] for a write "
	"buffer of COUNT elements (bytes for string and buffer; default 1, or 256 "
	"bytes). TYPE: int8..int64, uint8..uint64, float32, float64, string, "
	"file or buffer (VALUE is a path; its bytes are passed as a buffer).\v"
	"The write arguments are printed after the call. The profile's exec "
	"plugin decides which libraries may be loaded.", NULL, NULL, NULL
};

static int parse_value(const struct exec_type *t, const char *v, struct vaccel_arg *out)
{
	char *end;
	errno = 0;
	out->type = t->type;
	out->owned = true;
	if (t->kind == K_STRING) {
		out->buf = strdup(v);
		out->size = strlen(v) + 1;
		return out->buf ? 0 : -1;
	}
	if (t->kind == K_FILE) {
		int err = cmd_read_file(v, EXEC_MAX_BYTES, &out->buf, &out->size);
		if (err == EFBIG)
			cmd_error("exec: %s: larger than %u bytes", v, EXEC_MAX_BYTES);
		else if (err)
			cmd_error("exec: %s: %s", v, strerror(err));
		return err ? EXIT_INPUT : 0;
	}
	union { int64_t i; uint64_t u; double d; } val;
	if (t->kind == K_INT)
		val.i = strtoll(v, &end, 0);
	else if (t->kind == K_UINT)
		val.u = *v == '-' ? (errno = ERANGE, 0) : strtoull(v, &end, 0);
	else
		val.d = strtod(v, &end);
	if (!*v || errno || *end) {
		cmd_error("exec: '%s' is not a valid %s", v, t->name);
		return EXIT_USAGE;
	}
	int bits = (int)t->size * 8;
	if ((t->kind == K_INT && bits < 64 &&
	     (val.i < -(INT64_C(1) << (bits - 1)) || val.i >= (INT64_C(1) << (bits - 1)))) ||
	    (t->kind == K_UINT && bits < 64 && val.u >= (UINT64_C(1) << bits))) {
		cmd_error("exec: %s out of range for %s", v, t->name);
		return EXIT_USAGE;
	}
	if (!(out->buf = malloc(t->size)))
		return -1;
	out->size = t->size;
	if (t->kind == K_FLOAT && t->size == 4) {
		float f = (float)val.d;
		memcpy(out->buf, &f, 4);
	} else if (t->kind == K_FLOAT) {
		memcpy(out->buf, &val.d, 8);
	} else {
		/* Little-endian host: the low bytes are the narrower integer. */
		memcpy(out->buf, &val, t->size);
	}
	return 0;
}

/* out:TYPE[:COUNT] */
static int parse_out(const char *spec, struct vaccel_arg *out)
{
	const char *colon = strchr(spec, ':');
	size_t len = colon ? (size_t)(colon - spec) : strlen(spec);
	const struct exec_type *t = find_type(spec, len);
	long count = (t && (t->kind == K_STRING || t->kind == K_FILE)) ? 256 : 1;
	if (!t || (colon && !cmd_parse_long(colon + 1, 1, EXEC_MAX_BYTES, &count))) {
		cmd_error("exec: 'out:%s': expected out:TYPE[:COUNT]", spec);
		return EXIT_USAGE;
	}
	size_t size = (size_t)count * t->size;
	out->type = t->kind == K_STRING ? VACCEL_ARG_STRING
		  : count > 1 && t->kind != K_FILE ? t->type + 1 /* the _ARRAY form */
		  : t->type;
	out->buf = calloc(1, size);
	out->size = size;
	out->owned = true;
	return out->buf ? 0 : -1;
}

static void print_elem(const struct vaccel_arg *a, const struct exec_type *t, size_t i,
		       struct json *j)
{
	const char *p = (const char *)a->buf + i * t->size;
	union { int8_t i8; int16_t i16; int32_t i32; int64_t i64; uint8_t u8;
		uint16_t u16; uint32_t u32; uint64_t u64; float f; double d; } v;
	memcpy(&v, p, t->size);
	double num = 0;
	bool is_int = true;
	long long iv = 0;
	unsigned long long uv = 0;
	switch (t->kind) {
	case K_INT:
		iv = t->size == 1 ? v.i8 : t->size == 2 ? v.i16 : t->size == 4 ? v.i32 : v.i64;
		if (j) json_int(j, NULL, iv); else printf(" %lld", iv);
		return;
	case K_UINT:
		uv = t->size == 1 ? v.u8 : t->size == 2 ? v.u16 : t->size == 4 ? v.u32 : v.u64;
		if (j) json_uint(j, NULL, uv); else printf(" %llu", uv);
		return;
	default:
		is_int = false;
		num = t->size == 4 ? v.f : v.d;
	}
	(void)is_int;
	if (j) json_num(j, NULL, num); else printf(" %.9g", num);
}

static const struct exec_type *type_of(vaccel_arg_type_t type)
{
	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		if (types[i].type == type || types[i].type + 1 == type)
			if (types[i].kind != K_STRING && types[i].kind != K_FILE)
				return &types[i];
	return NULL;
}

static void print_writes(struct cmd_ctx *ctx, const char *lib, const char *sym,
			 struct vaccel_arg *w, size_t nw)
{
	struct json j;
	if (ctx->json) {
		json_begin(&j, stdout);
		json_str(&j, "command", "exec");
		json_str(&j, "library", lib);
		json_str(&j, "symbol", sym);
		json_array(&j, "writes");
	}
	for (size_t i = 0; i < nw; i++) {
		const struct exec_type *t = type_of(w[i].type);
		const char *tname = vaccel_arg_type_short_name(w[i].type);
		if (ctx->json) {
			json_object(&j, NULL);
			json_str(&j, "type", tname);
		} else {
			printf("write[%zu] %s:", i, tname);
		}
		if (t) {
			if (ctx->json)
				json_array(&j, "values");
			for (size_t e = 0; e < w[i].size / t->size; e++)
				print_elem(&w[i], t, e, ctx->json ? &j : NULL);
			if (ctx->json)
				json_close(&j, ']');
		} else if (w[i].type == VACCEL_ARG_STRING) {
			char *s = w[i].buf;
			s[w[i].size - 1] = '\0'; /* never trust the callee to terminate */
			if (ctx->json)
				json_str(&j, "value", s);
			else
				printf(" %s", s);
		} else {
			/* A buffer: hex, so any bytes print safely. */
			char *hex = malloc(2 * w[i].size + 1);
			for (size_t b = 0; hex && b < w[i].size; b++)
				snprintf(hex + 2 * b, 3, "%02x", ((unsigned char *)w[i].buf)[b]);
			if (hex)
				hex[2 * w[i].size] = '\0';
			if (ctx->json)
				json_str(&j, "hex", hex);
			else
				printf(" %s", hex ? hex : "?");
			free(hex);
		}
		if (ctx->json)
			json_close(&j, '}');
		else
			putchar('\n');
	}
	if (ctx->json) {
		json_close(&j, ']');
		json_end(&j);
	}
}

static void free_args(struct vaccel_arg *a, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (a[i].owned)
			free(a[i].buf);
	free(a);
}

static int run(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct exec_args o = { 0 };
	argp_parse(&argp, argc, argv, ARGP_IN_ORDER, NULL, &o);
	const char *lib = o.words[0], *sym = o.words[1];
	size_t n = (size_t)o.nr_words - 2, nr = 0, nw = 0;
	struct vaccel_arg *r = calloc(n + 1, sizeof(*r)), *w = calloc(n + 1, sizeof(*w));
	struct vaccel_session sess = { 0 };
	int rc = EXIT_OK;

	if (!r || !w) {
		cmd_error("out of memory");
		rc = EXIT_OP_FAILED;
		goto out;
	}
	for (size_t i = 0; i < n && !rc; i++) {
		const char *word = o.words[2 + i];
		const char *colon = strchr(word, ':');
		if (!colon) {
			cmd_error("exec: argument '%s': expected TYPE:VALUE or out:TYPE[:COUNT]", word);
			rc = EXIT_USAGE;
		} else if (!strncmp(word, "out:", 4)) {
			rc = parse_out(word + 4, &w[nw++]);
		} else {
			const struct exec_type *t = find_type(word, (size_t)(colon - word));
			if (!t) {
				cmd_error("exec: argument '%s': unknown type '%.*s'", word,
					  (int)(colon - word), word);
				rc = EXIT_USAGE;
			} else {
				rc = parse_value(t, colon + 1, &r[nr++]);
			}
		}
		if (rc < 0) {
			cmd_error("out of memory");
			rc = EXIT_OP_FAILED;
		}
	}
	if (rc || (rc = cmd_bootstrap(ctx)))
		goto out;
	int ret = vaccel_session_init(&sess, 0);
	if (!ret)
		ret = vaccel_exec(&sess, lib, sym, r, nr, w, nw);
	if (ret) {
		rc = ret == VACCEL_ENOENT ? EXIT_INPUT : cmd_op_error(ctx, "exec", ret);
		if (ret == VACCEL_ENOENT)
			cmd_error("exec: %s or its symbol %s not found", lib, sym);
		goto out;
	}
	print_writes(ctx, lib, sym, w, nw);
out:
	if (sess.id > 0)
		vaccel_session_release(&sess);
	free_args(r, nr);
	free_args(w, nw);
	return rc;
}

const struct cmd_entry cmd_exec_entry = {
	.name = "exec",
	.summary = "call a function of a host library (exec op)",
	.run = run,
};
