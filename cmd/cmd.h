/* SPDX-License-Identifier: Apache-2.0 */
/* The `vaccel` command: what every subcommand file shares. */
#ifndef VACCEL_CMD_H
#define VACCEL_CMD_H

#include <stdbool.h>
#include <stdio.h>
#include <vaccel.h>

/* Exit codes, documented in vaccel(1). */
enum cmd_exit {
	EXIT_OK = 0,
	EXIT_OP_FAILED = 1,    /* the operation ran and failed */
	EXIT_USAGE = 2,        /* bad options, bad or missing profile */
	EXIT_INPUT = 3,        /* an input file is missing, unreadable or malformed */
	EXIT_UNSUPPORTED = 4,  /* no plugin of the profile serves the op */
	EXIT_VERIFY = 5,       /* --verify found a result outside tolerance */
};

/* Global options, parsed before the subcommand. */
struct cmd_ctx {
	const char *profile;   /* --profile NAME|PATH, or NULL */
	int log_level;         /* --log-level, 0 when not given */
	bool json;             /* --json */
	const char *name;      /* the subcommand's name */
};

/* One subcommand: one file cmd-NAME.c defines one of these. */
struct cmd_entry {
	const char *name;
	const char *summary;
	/* argv[0] is the subcommand name; returns an enum cmd_exit. */
	int (*run)(struct cmd_ctx *ctx, int argc, char **argv);
};

extern const struct cmd_entry cmd_sgemm_entry;
extern const struct cmd_entry cmd_noop_entry;
extern const struct cmd_entry cmd_exec_entry;
extern const struct cmd_entry cmd_plugins_entry;
extern const struct cmd_entry cmd_profile_entry;
extern const struct cmd_entry cmd_agent_entry;
/* cmd-vision.c: the image commands, one per image op; NULL-terminated. */
extern const struct cmd_entry *const cmd_vision_commands[];
extern const struct cmd_entry cmd_infer_entry;
extern const struct cmd_entry cmd_models_entry;
extern const struct cmd_entry cmd_minmax_entry;
extern const struct cmd_entry cmd_bench_entry;

/* Load the profile the global options chose; prints the error, exit code. */
int cmd_bootstrap(struct cmd_ctx *ctx);
/* Map a VACCEL_* failure of an op to an exit code, after printing why. */
int cmd_op_error(struct cmd_ctx *ctx, const char *op, int err);
/* "vaccel: error: ..." on stderr. */
void cmd_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Parse a whole decimal/float argument or fail with a usage message. */
bool cmd_parse_long(const char *s, long min, long max, long *out);
bool cmd_parse_double(const char *s, double *out);
/* fopen(path, "r"), except that a directory is NULL with errno EISDIR. */
FILE *cmd_fopen_read(const char *path);
/*
 * A whole file into a malloc'd *data (caller frees). 0, an errno (EISDIR
 * for a directory), or EFBIG when larger than limit bytes (*len then holds
 * its size).
 */
int cmd_read_file(const char *path, size_t limit, void **data, size_t *len);
/*
 * True when the running program lives under the build tree: its data (the
 * models list, bench's plot templates) is then read from the source tree,
 * else from $(pkgdatadir).
 */
bool cmd_in_build_tree(void);

/*
 * ---- json.c: --json output, built on json-c ----
 * json_begin opens the top-level object; json_object/json_array open a
 * container under key (NULL inside an array), json_close ends the innermost;
 * json_end prints the document as one line and frees it, json_discard frees
 * it unprinted. Keys keep the order they were added in.
 */
struct json {
	FILE *out;
	int depth;
	void *stack[16]; /* json-c objects: [0] the document, then open containers */
};
void json_begin(struct json *j, FILE *out);
void json_end(struct json *j);
void json_discard(struct json *j);
void json_object(struct json *j, const char *key);
void json_array(struct json *j, const char *key);
void json_close(struct json *j, char bracket);     /* '}' or ']' */
void json_str(struct json *j, const char *key, const char *value); /* NULL -> null */
void json_int(struct json *j, const char *key, long long value);
void json_uint(struct json *j, const char *key, unsigned long long value);
void json_num(struct json *j, const char *key, double value); /* non-finite -> null */
void json_bool(struct json *j, const char *key, bool value);

/* ---- stats.c: latency summaries ---- */
struct latency {
	double mean, p50, p99, min, max; /* microseconds */
};
/* Sorts `ns` in place. */
void latency_summary(uint64_t *ns, size_t n, struct latency *out);
uint64_t now_ns(void);

#endif /* VACCEL_CMD_H */
