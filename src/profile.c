/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Profiles: YAML files that say which plugins serve ops, in priority order,
 * with their options. Schema in vaccel-profile(5). Every error names the
 * file, line, column and key; unknown keys are errors.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>
#include <vaccel/optable.h>
#include "internal.h"

/* A plugin entry's ops: list is a bit per op. */
_Static_assert(VACCEL_OP_MAX <= 64, "ops: needs a wider mask");

#define PROFILE_MAX_BYTES (1u << 20)

struct parse {
	yaml_document_t doc;
	const char *file;
	char *err;
	size_t errlen;
	struct vaccel_profile *p;
};

static int fail_at(struct parse *ps, const yaml_node_t *node, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int fail_at(struct parse *ps, const yaml_node_t *node, const char *fmt, ...)
{
	char msg[VACCEL_ERRBUF];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (node)
		snprintf(ps->err, ps->errlen, "%s:%zu:%zu: %s", ps->file,
			 node->start_mark.line + 1, node->start_mark.column + 1, msg);
	else
		snprintf(ps->err, ps->errlen, "%s: %s", ps->file, msg);
	return VACCEL_EINVAL;
}

static struct vaccel_location loc_of(struct parse *ps, const yaml_node_t *n)
{
	return (struct vaccel_location){ .file = ps->p->source,
					 .line = (int)n->start_mark.line + 1,
					 .column = (int)n->start_mark.column + 1 };
}

static const char *scalar(const yaml_node_t *n)
{
	return n && n->type == YAML_SCALAR_NODE ? (const char *)n->data.scalar.value : NULL;
}

static const char *node_kind(const yaml_node_t *n)
{
	switch (n->type) {
	case YAML_SCALAR_NODE: return "a scalar";
	case YAML_SEQUENCE_NODE: return "a list";
	case YAML_MAPPING_NODE: return "a mapping";
	default: return "empty";
	}
}

/* A key table: each known key and the function that reads its value. */
typedef int (*key_fn)(struct parse *ps, yaml_node_t *key, yaml_node_t *val, void *ctx);

struct key_entry {
	const char *name;
	key_fn read;
};

static int walk_mapping(struct parse *ps, yaml_node_t *map, const char *what,
			const struct key_entry *keys, size_t nr_keys, void *ctx)
{
	if (map->type != YAML_MAPPING_NODE)
		return fail_at(ps, map, "%s must be a mapping, not %s", what, node_kind(map));
	bool seen[16] = { false }; /* key tables are small */
	for (yaml_node_pair_t *pair = map->data.mapping.pairs.start;
	     pair < map->data.mapping.pairs.top; pair++) {
		yaml_node_t *k = yaml_document_get_node(&ps->doc, pair->key);
		yaml_node_t *v = yaml_document_get_node(&ps->doc, pair->value);
		const char *name = scalar(k);
		if (!name)
			return fail_at(ps, k, "%s: keys must be scalars", what);
		size_t i;
		for (i = 0; i < nr_keys; i++)
			if (!strcmp(name, keys[i].name))
				break;
		if (i == nr_keys) {
			char list[256] = "";
			for (size_t j = 0; j < nr_keys; j++) {
				strncat(list, keys[j].name, sizeof(list) - strlen(list) - 1);
				if (j + 1 < nr_keys)
					strncat(list, ", ", sizeof(list) - strlen(list) - 1);
			}
			return fail_at(ps, k, "unknown key '%s' in %s (expected one of: %s)",
				       name, what, list);
		}
		if (i < ARRAY_SIZE(seen) && seen[i])
			return fail_at(ps, k, "key '%s' given twice in %s", name, what);
		if (i < ARRAY_SIZE(seen))
			seen[i] = true;
		int ret = keys[i].read(ps, k, v, ctx);
		if (ret)
			return ret;
	}
	return VACCEL_OK;
}

static int read_version(struct parse *ps, yaml_node_t *k, yaml_node_t *v, void *ctx)
{
	(void)k; (void)ctx;
	const char *s = scalar(v);
	if (!s || strcmp(s, "1"))
		return fail_at(ps, v, "key 'version': unsupported profile version '%s' (this vaccel reads version 1)",
			       s ? s : node_kind(v));
	ps->p->version = 1;
	return VACCEL_OK;
}

static int read_log_level(struct parse *ps, yaml_node_t *k, yaml_node_t *v, void *ctx)
{
	(void)k; (void)ctx;
	int level = log_level_parse(scalar(v));
	if (!level)
		return fail_at(ps, v, "key 'log-level': expected 1..5 or error|warn|info|debug|trace, got '%s'",
			       scalar(v) ? scalar(v) : node_kind(v));
	ps->p->log_level = level;
	return VACCEL_OK;
}

static int read_log_file(struct parse *ps, yaml_node_t *k, yaml_node_t *v, void *ctx)
{
	(void)k; (void)ctx;
	const char *s = scalar(v);
	if (!s || !*s)
		return fail_at(ps, v, "key 'log-file': expected a file path");
	free(ps->p->log_file);
	ps->p->log_file = strdup(s);
	return ps->p->log_file ? VACCEL_OK : VACCEL_ENOMEM;
}

/* An option value: a scalar or a list of scalars. */
static int read_option(struct parse *ps, yaml_node_t *k, yaml_node_t *v,
		       struct vaccel_plugin_options *opts)
{
	const char *key = scalar(k);
	for (size_t i = 0; i < opts->nr; i++)
		if (!strcmp(opts->items[i].key, key))
			return fail_at(ps, k, "plugin '%s': option '%s' given twice",
				       opts->plugin, key);
	struct vaccel_option o = { .loc = loc_of(ps, k) };
	size_t n = 1;
	if (v->type == YAML_SEQUENCE_NODE) {
		o.is_list = true;
		n = (size_t)(v->data.sequence.items.top - v->data.sequence.items.start);
	} else if (v->type != YAML_SCALAR_NODE) {
		return fail_at(ps, v, "plugin '%s': option '%s' must be a scalar or a list of scalars",
			       opts->plugin, key);
	}
	o.values = calloc(n + 1, sizeof(char *));
	o.key = strdup(key);
	if (!o.values || !o.key)
		goto nomem;
	for (size_t i = 0; i < n; i++) {
		yaml_node_t *item = o.is_list
			? yaml_document_get_node(&ps->doc, v->data.sequence.items.start[i])
			: v;
		const char *s = scalar(item);
		if (!s) {
			fail_at(ps, item, "plugin '%s': option '%s': list items must be scalars",
				opts->plugin, key);
			for (size_t j = 0; j < i; j++)
				free(o.values[j]);
			free(o.values);
			free(o.key);
			return VACCEL_EINVAL;
		}
		if (!(o.values[i] = strdup(s)))
			goto nomem;
		o.nr_values++;
	}
	void *items = realloc(opts->items, (opts->nr + 1) * sizeof(*opts->items));
	if (!items)
		goto nomem;
	opts->items = items;
	opts->items[opts->nr++] = o;
	return VACCEL_OK;
nomem:
	for (size_t j = 0; j < o.nr_values; j++)
		free(o.values[j]);
	free(o.values);
	free(o.key);
	return VACCEL_ENOMEM;
}

static int read_plugin_name(struct parse *ps, yaml_node_t *k, yaml_node_t *v, void *ctx)
{
	(void)k;
	struct vaccel_profile_plugin *pl = ctx;
	const char *s = scalar(v);
	if (!s || !*s || strchr(s, '/'))
		return fail_at(ps, v, "key 'name': expected a plugin name (use 'path' for a file)");
	pl->name = strdup(s);
	pl->options.plugin = pl->name;
	return pl->name ? VACCEL_OK : VACCEL_ENOMEM;
}

static int read_plugin_path(struct parse *ps, yaml_node_t *k, yaml_node_t *v, void *ctx)
{
	(void)k;
	struct vaccel_profile_plugin *pl = ctx;
	const char *s = scalar(v);
	if (!s || !*s)
		return fail_at(ps, v, "key 'path': expected a file path");
	pl->path = strdup(s);
	return pl->path ? VACCEL_OK : VACCEL_ENOMEM;
}

static int read_plugin_options(struct parse *ps, yaml_node_t *k, yaml_node_t *v, void *ctx)
{
	(void)k;
	struct vaccel_profile_plugin *pl = ctx;
	if (v->type == YAML_SCALAR_NODE && !*scalar(v))
		return VACCEL_OK; /* "options:" with nothing after it */
	if (v->type != YAML_MAPPING_NODE)
		return fail_at(ps, v, "key 'options' must be a mapping, not %s", node_kind(v));
	for (yaml_node_pair_t *pair = v->data.mapping.pairs.start;
	     pair < v->data.mapping.pairs.top; pair++) {
		yaml_node_t *ok = yaml_document_get_node(&ps->doc, pair->key);
		yaml_node_t *ov = yaml_document_get_node(&ps->doc, pair->value);
		if (!scalar(ok))
			return fail_at(ps, ok, "option keys must be scalars");
		int ret = read_option(ps, ok, ov, &pl->options);
		if (ret)
			return ret;
	}
	return VACCEL_OK;
}

/* optional: true skips a plugin this build or install lacks (the default profile). */
static int read_plugin_optional(struct parse *ps, yaml_node_t *k, yaml_node_t *v, void *ctx)
{
	(void)k;
	struct vaccel_profile_plugin *pl = ctx;
	const char *s = scalar(v);
	if (s && (!strcmp(s, "true") || !strcmp(s, "false"))) {
		pl->optional = !strcmp(s, "true");
		return VACCEL_OK;
	}
	return fail_at(ps, v, "key 'optional': expected true or false, got %s",
		       s ? s : node_kind(v));
}

/* The op table's row of a name ("noop", "blas_sgemm"), or -1. */
static int op_by_name(const char *name)
{
	for (int op = 0; op < VACCEL_OP_MAX; op++) {
		const struct vaccel_op_info *info = vaccel_op_info(op);
		if (info && !strcmp(info->name, name))
			return op;
	}
	return -1;
}

/* ops: [NAME...] limits an instance to those ops (e.g. noop only). */
static int read_plugin_ops(struct parse *ps, yaml_node_t *k, yaml_node_t *v, void *ctx)
{
	(void)k;
	struct vaccel_profile_plugin *pl = ctx;
	if (v->type != YAML_SEQUENCE_NODE)
		return fail_at(ps, v, "key 'ops' must be a list of op names, not %s",
			       node_kind(v));
	for (yaml_node_item_t *it = v->data.sequence.items.start;
	     it < v->data.sequence.items.top; it++) {
		yaml_node_t *item = yaml_document_get_node(&ps->doc, *it);
		const char *name = scalar(item);
		int op = name ? op_by_name(name) : -1;
		if (op < 0)
			return fail_at(ps, item, "key 'ops': '%s' is not an op of the op table "
				       "(`vaccel plugins` lists them)", name ? name : node_kind(item));
		pl->ops |= UINT64_C(1) << op;
	}
	if (!pl->ops)
		return fail_at(ps, v, "key 'ops': an empty list serves nothing; leave the "
			       "plugin out instead");
	return VACCEL_OK;
}

static const struct key_entry plugin_keys[] = {
	{ "name", read_plugin_name },
	{ "path", read_plugin_path },
	{ "optional", read_plugin_optional },
	{ "ops", read_plugin_ops },
	{ "options", read_plugin_options },
};

static int read_plugin(struct parse *ps, yaml_node_t *item)
{
	struct vaccel_profile *p = ps->p;
	void *pls = realloc(p->plugins, (p->nr_plugins + 1) * sizeof(*p->plugins));
	if (!pls)
		return VACCEL_ENOMEM;
	p->plugins = pls;
	struct vaccel_profile_plugin *pl = &p->plugins[p->nr_plugins++];
	*pl = (struct vaccel_profile_plugin){ .loc = loc_of(ps, item) };

	int ret = item->type == YAML_SCALAR_NODE /* "- openblas" shorthand */
		? read_plugin_name(ps, NULL, item, pl)
		: walk_mapping(ps, item, "a plugin entry", plugin_keys,
			       ARRAY_SIZE(plugin_keys), pl);
	if (ret)
		return ret;
	if (!pl->name && pl->path) {
		/* Name a plugin given by path after its file: libvaccel-X.so -> X */
		const char *base = strrchr(pl->path, '/') ? strrchr(pl->path, '/') + 1 : pl->path;
		if (!strncmp(base, "libvaccel-", 10))
			base += 10;
		/* A directory ("lib/") or ".so" names nothing: the printed entry,
		 * name "", would not parse again. */
		if (!strcspn(base, "."))
			return fail_at(ps, item, "key 'path': '%s' is not a plugin file", pl->path);
		pl->name = strndup(base, strcspn(base, "."));
		pl->options.plugin = pl->name;
	}
	/* A plugin listed twice is two instances (two agents, say). */
	if (!pl->name)
		return fail_at(ps, item, "a plugin entry needs 'name' (or 'path')");
	return VACCEL_OK;
}

static int read_plugins(struct parse *ps, yaml_node_t *k, yaml_node_t *v, void *ctx)
{
	(void)k; (void)ctx;
	if (v->type != YAML_SEQUENCE_NODE)
		return fail_at(ps, v, "key 'plugins' must be a list, not %s", node_kind(v));
	for (yaml_node_item_t *it = v->data.sequence.items.start;
	     it < v->data.sequence.items.top; it++) {
		int ret = read_plugin(ps, yaml_document_get_node(&ps->doc, *it));
		if (ret)
			return ret;
	}
	return VACCEL_OK;
}

/* The agent section: scalars or lists, checked against a fixed key list. */
static const char *const agent_keys[] = { "listen", "workers", "max-frame-bytes",
					  "max-resource-bytes", "socket-mode", "token-file",
					  "max-inflight", "send-timeout-ms", "handshake-timeout-ms",
					  "max-connections", "max-connections-per-peer" };

static int read_agent(struct parse *ps, yaml_node_t *k, yaml_node_t *v, void *ctx)
{
	(void)k; (void)ctx;
	if (v->type != YAML_MAPPING_NODE)
		return fail_at(ps, v, "key 'agent' must be a mapping, not %s", node_kind(v));
	ps->p->agent.plugin = "agent";
	for (yaml_node_pair_t *pair = v->data.mapping.pairs.start;
	     pair < v->data.mapping.pairs.top; pair++) {
		yaml_node_t *ok = yaml_document_get_node(&ps->doc, pair->key);
		yaml_node_t *ov = yaml_document_get_node(&ps->doc, pair->value);
		const char *name = scalar(ok);
		size_t i = 0;
		while (name && i < ARRAY_SIZE(agent_keys) && strcmp(name, agent_keys[i]))
			i++;
		if (!name || i == ARRAY_SIZE(agent_keys))
			return fail_at(ps, ok, "unknown key '%s' in agent (expected one of: listen, "
				       "workers, max-frame-bytes, max-resource-bytes, socket-mode, "
				       "token-file, max-inflight, send-timeout-ms, handshake-timeout-ms)",
				       name ? name : "?");
		int ret = read_option(ps, ok, ov, &ps->p->agent);
		if (ret)
			return ret;
	}
	return VACCEL_OK;
}

static const struct key_entry top_keys[] = {
	{ "agent", read_agent },
	{ "version", read_version },
	{ "log-level", read_log_level },
	{ "log-file", read_log_file },
	{ "plugins", read_plugins },
};

int profile_parse_string(const char *text, const char *source,
			 struct vaccel_profile **out, char *err, size_t errlen)
{
	struct parse ps = { .file = source, .err = err, .errlen = errlen };
	yaml_parser_t parser;
	int ret;

	ps.p = calloc(1, sizeof(*ps.p));
	if (!ps.p || !(ps.p->source = strdup(source))) {
		free(ps.p);
		return VACCEL_ENOMEM;
	}
	ps.p->version = 1;
	ps.file = ps.p->source;

	yaml_parser_initialize(&parser);
	yaml_parser_set_input_string(&parser, (const unsigned char *)text, strlen(text));
	if (!yaml_parser_load(&parser, &ps.doc)) {
		snprintf(err, errlen, "%s:%zu:%zu: YAML syntax error: %s", source,
			 parser.problem_mark.line + 1, parser.problem_mark.column + 1,
			 parser.problem ? parser.problem : "unknown");
		yaml_parser_delete(&parser);
		profile_free(ps.p);
		return VACCEL_EINVAL;
	}
	yaml_parser_delete(&parser);

	yaml_node_t *root = yaml_document_get_root_node(&ps.doc);
	if (!root)
		ret = fail_at(&ps, NULL, "empty profile (expected a mapping with 'plugins')");
	else
		ret = walk_mapping(&ps, root, "the profile", top_keys,
				   ARRAY_SIZE(top_keys), NULL);
	yaml_document_delete(&ps.doc);
	if (ret) {
		profile_free(ps.p);
		return ret;
	}
	*out = ps.p;
	return VACCEL_OK;
}

int profile_parse_file(const char *path, struct vaccel_profile **out,
		       char *err, size_t errlen)
{
	void *text;
	size_t len;
	int ret = read_file(path, PROFILE_MAX_BYTES, &text, &len);
	if (ret == EFBIG) {
		snprintf(err, errlen, "%s: profile larger than %u bytes", path, PROFILE_MAX_BYTES);
		return VACCEL_EINVAL;
	}
	if (ret) {
		snprintf(err, errlen, "%s: cannot read profile: %s", path,
			 ret == VACCEL_EINVAL ? "not a regular file" : strerror(ret));
		return ret == VACCEL_EINVAL ? VACCEL_EINVAL : VACCEL_ENOENT;
	}
	if (memchr(text, '\0', len)) {
		free(text);
		snprintf(err, errlen, "%s: not a text file (NUL byte)", path);
		return VACCEL_EINVAL;
	}
	ret = profile_parse_string(text, path, out, err, errlen);
	free(text);
	return ret;
}

void profile_free(struct vaccel_profile *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < p->nr_plugins; i++) {
		struct vaccel_profile_plugin *pl = &p->plugins[i];
		for (size_t j = 0; j < pl->options.nr; j++) {
			struct vaccel_option *o = &pl->options.items[j];
			for (size_t k = 0; k < o->nr_values; k++)
				free(o->values[k]);
			free(o->values);
			free(o->key);
		}
		free(pl->options.items);
		free(pl->name);
		free(pl->path);
	}
	for (size_t j = 0; j < p->agent.nr; j++) {
		struct vaccel_option *o = &p->agent.items[j];
		for (size_t k = 0; k < o->nr_values; k++)
			free(o->values[k]);
		free(o->values);
		free(o->key);
	}
	free(p->agent.items);
	free(p->plugins);
	free(p->log_file);
	free(p->source);
	free(p);
}

/*
 * A scalar as YAML that reads back as the same string: plain when it is
 * made of characters that mean nothing to YAML anywhere in a plain scalar,
 * else double-quoted with every special and control character escaped.
 */
static bool plain_safe(const char *s)
{
	static const char more[] = "_./+=-:";
	size_t n = strlen(s);
	if (!n || s[n - 1] == ':' || !(isalnum((unsigned char)s[0]) || strchr("_./", s[0])))
		return false;
	for (const char *c = s; *c; c++)
		if (!isalnum((unsigned char)*c) && !strchr(more, *c))
			return false;
	return true;
}

static void yaml_put_scalar(FILE *f, const char *s)
{
	if (plain_safe(s)) {
		fputs(s, f);
		return;
	}
	fputc('"', f);
	for (const unsigned char *c = (const unsigned char *)s; *c; c++) {
		if (*c == '"' || *c == '\\')
			fprintf(f, "\\%c", *c);
		else if (*c == '\n')
			fputs("\\n", f);
		else if (*c == '\t')
			fputs("\\t", f);
		else if (*c < 0x20 || *c == 0x7f)
			fprintf(f, "\\x%02x", *c);
		else
			fputc(*c, f); /* UTF-8 passes as it is: the parser checked it */
	}
	fputc('"', f);
}

/* key: then the value, a scalar or a block list ([] when empty). */
static void yaml_put_option(FILE *f, const struct vaccel_option *o, const char *indent)
{
	fputs(indent, f);
	yaml_put_scalar(f, o->key);
	fputc(':', f);
	if (!o->is_list) {
		fputc(' ', f);
		yaml_put_scalar(f, o->values[0]);
	} else if (!o->nr_values) {
		fputs(" []", f);
	}
	for (size_t k = 0; o->is_list && k < o->nr_values; k++) {
		fprintf(f, "\n%s  - ", indent);
		yaml_put_scalar(f, o->values[k]);
	}
	fputc('\n', f);
}

char *profile_to_yaml(const struct vaccel_profile *p)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	if (!f)
		return NULL;
	fputs("# source: ", f);
	for (const char *c = p->source; *c; c++) /* a comment ends at a newline */
		fputc((unsigned char)*c < 0x20 ? '?' : *c, f);
	fprintf(f, "\nversion: %d\n", p->version);
	if (p->log_level)
		fprintf(f, "log-level: %d\n", p->log_level);
	if (p->log_file) {
		fputs("log-file: ", f);
		yaml_put_scalar(f, p->log_file);
		fputc('\n', f);
	}
	if (p->agent.nr)
		fputs("agent:\n", f);
	for (size_t j = 0; j < p->agent.nr; j++)
		yaml_put_option(f, &p->agent.items[j], "  ");
	fputs(p->nr_plugins ? "plugins:\n" : "plugins: []\n", f);
	for (size_t i = 0; i < p->nr_plugins; i++) {
		const struct vaccel_profile_plugin *pl = &p->plugins[i];
		fputs("  - name: ", f);
		yaml_put_scalar(f, pl->name);
		fputc('\n', f);
		if (pl->path) {
			fputs("    path: ", f);
			yaml_put_scalar(f, pl->path);
			fputc('\n', f);
		}
		if (pl->optional)
			fputs("    optional: true\n", f);
		if (pl->ops) {
			const char *sep = "";
			fputs("    ops: [", f);
			for (int op = 0; op < VACCEL_OP_MAX; op++)
				if (pl->ops & (UINT64_C(1) << op)) {
					fprintf(f, "%s%s", sep, vaccel_op_info(op)->name);
					sep = ", ";
				}
			fputs("]\n", f);
		}
		if (pl->options.nr)
			fputs("    options:\n", f);
		for (size_t j = 0; j < pl->options.nr; j++)
			yaml_put_option(f, &pl->options.items[j], "      ");
	}
	fclose(f);
	return buf;
}
