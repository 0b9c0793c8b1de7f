/* SPDX-License-Identifier: Apache-2.0 */
/*
 * vaccel bench --compare FILE: this run's cells against an earlier --json
 * document's, matched by (workload, transport, clients). A cell regressed
 * when its p50 is worse than the file's by more than the threshold plus the
 * spread (p90 - p50, the larger of the two runs'): noise on a shared machine
 * is not a regression, a real slow-down is.
 *
 * A small JSON reader is enough here: the file is one object from
 * bench_print_json, read whole.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "cmd.h"
#include "../bench/bench.h"

enum jtype { J_NULL, J_BOOL, J_NUM, J_STR, J_ARR, J_OBJ };

struct jv {
	enum jtype t;
	double num;
	char *str;
	struct jv *items;  /* arrays and objects */
	char **keys;       /* objects */
	size_t n;
};

struct parser {
	const char *p, *end;
	int depth;
};

static void jv_free(struct jv *v)
{
	for (size_t i = 0; i < v->n; i++) {
		jv_free(&v->items[i]);
		if (v->keys)
			free(v->keys[i]);
	}
	free(v->items);
	free(v->keys);
	free(v->str);
}

static void skip_ws(struct parser *ps)
{
	while (ps->p < ps->end && strchr(" \t\r\n", *ps->p))
		ps->p++;
}

static bool parse_value(struct parser *ps, struct jv *v);

static bool parse_string(struct parser *ps, char **out)
{
	if (ps->p >= ps->end || *ps->p != '"')
		return false;
	ps->p++;
	size_t cap = 32, n = 0;
	char *s = malloc(cap);
	while (s && ps->p < ps->end && *ps->p != '"') {
		char c = *ps->p++;
		if (c == '\\') {
			if (ps->p >= ps->end)
				break;
			c = *ps->p++;
			switch (c) {
			case 'n': c = '\n'; break;
			case 't': c = '\t'; break;
			case 'r': c = '\r'; break;
			case 'b': c = '\b'; break;
			case 'f': c = '\f'; break;
			case 'u': {
				unsigned code = 0;
				for (int i = 0; i < 4; i++) {
					if (ps->p >= ps->end)
						break;
					char h = *ps->p++;
					code = code * 16 + (unsigned)(h >= 'a' ? h - 'a' + 10 :
								      h >= 'A' ? h - 'A' + 10 : h - '0');
				}
				c = code < 0x80 ? (char)code : '?';
				break;
			}
			default: break; /* \" \\ \/ */
			}
		}
		if (n + 2 > cap) {
			char *t = realloc(s, cap *= 2);
			if (!t) {
				free(s);
				return false;
			}
			s = t;
		}
		s[n++] = c;
	}
	if (!s || ps->p >= ps->end) {
		free(s);
		return false;
	}
	ps->p++; /* the closing quote */
	s[n] = '\0';
	*out = s;
	return true;
}

static bool push_item(struct jv *v, char *key, struct jv *item)
{
	struct jv *items = realloc(v->items, (v->n + 1) * sizeof(*items));
	if (!items)
		return false;
	v->items = items;
	if (v->t == J_OBJ) {
		char **keys = realloc(v->keys, (v->n + 1) * sizeof(*keys));
		if (!keys)
			return false;
		v->keys = keys;
		keys[v->n] = key;
	}
	items[v->n++] = *item;
	return true;
}

static bool parse_container(struct parser *ps, struct jv *v, char close)
{
	ps->p++;
	skip_ws(ps);
	if (ps->p < ps->end && *ps->p == close) {
		ps->p++;
		return true;
	}
	for (;;) {
		char *key = NULL;
		struct jv item = { 0 };
		skip_ws(ps);
		if (v->t == J_OBJ) {
			if (!parse_string(ps, &key))
				return false;
			skip_ws(ps);
			if (ps->p >= ps->end || *ps->p++ != ':') {
				free(key);
				return false;
			}
		}
		if (!parse_value(ps, &item) || !push_item(v, key, &item)) {
			free(key);
			jv_free(&item);
			return false;
		}
		skip_ws(ps);
		if (ps->p < ps->end && *ps->p == ',') {
			ps->p++;
			continue;
		}
		if (ps->p < ps->end && *ps->p == close) {
			ps->p++;
			return true;
		}
		return false;
	}
}

static bool literal(struct parser *ps, const char *word)
{
	size_t n = strlen(word);
	if ((size_t)(ps->end - ps->p) < n || strncmp(ps->p, word, n))
		return false;
	ps->p += n;
	return true;
}

static bool parse_value(struct parser *ps, struct jv *v)
{
	*v = (struct jv){ 0 };
	skip_ws(ps);
	if (ps->p >= ps->end || ++ps->depth > 64)
		return false;
	bool ok;
	switch (*ps->p) {
	case '{': v->t = J_OBJ; ok = parse_container(ps, v, '}'); break;
	case '[': v->t = J_ARR; ok = parse_container(ps, v, ']'); break;
	case '"': v->t = J_STR; ok = parse_string(ps, &v->str); break;
	case 't': v->t = J_BOOL; v->num = 1; ok = literal(ps, "true"); break;
	case 'f': v->t = J_BOOL; ok = literal(ps, "false"); break;
	case 'n': v->t = J_NULL; v->num = NAN; ok = literal(ps, "null"); break;
	default: {
		char *end;
		errno = 0;
		v->t = J_NUM;
		v->num = strtod(ps->p, &end);
		ok = end != ps->p && end <= ps->end && !errno;
		ps->p = end;
	}
	}
	ps->depth--;
	return ok;
}

static const struct jv *get(const struct jv *obj, const char *key)
{
	for (size_t i = 0; obj->t == J_OBJ && i < obj->n; i++)
		if (!strcmp(obj->keys[i], key))
			return &obj->items[i];
	return NULL;
}

static double num_of(const struct jv *obj, const char *key)
{
	const struct jv *v = get(obj, key);
	return v && v->t == J_NUM ? v->num : NAN;
}

static const char *str_of(const struct jv *obj, const char *key)
{
	const struct jv *v = get(obj, key);
	return v && v->t == J_STR ? v->str : NULL;
}

static void match(struct bench_report *r, const struct jv *cell)
{
	const char *w = str_of(cell, "workload"), *t = str_of(cell, "transport");
	double clients = num_of(cell, "clients");
	if (!w || !t)
		return;
	for (size_t i = 0; i < r->nr_rows; i++) {
		const struct bench_row *row = &r->rows[i];
		if (strcmp(row->w->name, w) || strcmp(bench_transport_names[row->t], t) ||
		    row->clients != clients)
			continue;
		if (!row->s.n || r->nr_changes == r->nr_rows)
			return;
		struct bench_change *c = &r->changes[r->nr_changes++];
		*c = (struct bench_change){ .row = row };
		c->base.p50 = num_of(cell, "p50_us");
		c->base.p90 = num_of(cell, "p90_us");
		c->base.p99 = num_of(cell, "p99_us");
		c->base.mean = num_of(cell, "mean_us");
		c->base.ops_per_s = num_of(cell, "ops_per_s");
		double spread = row->s.p90 - row->s.p50, base_spread = c->base.p90 - c->base.p50;
		c->spread = isfinite(base_spread) && base_spread > spread ? base_spread : spread;
		c->regressed = isfinite(c->base.p50) &&
			       row->s.p50 > c->base.p50 * (1 + r->threshold) + c->spread;
		return;
	}
	r->nr_missing++;
}

int bench_compare(struct bench_report *r, char *err, size_t errlen)
{
	void *data;
	size_t len;
	int e = cmd_read_file(r->compare_file, 256 << 20, &data, &len);
	if (e) {
		snprintf(err, errlen, "%s: %s", r->compare_file, strerror(e));
		return -1;
	}
	struct parser ps = { data, (const char *)data + len, 0 };
	struct jv root;
	bool ok = parse_value(&ps, &root);
	skip_ws(&ps);
	const struct jv *results = ok ? get(&root, "results") : NULL;
	if (!ok || ps.p != ps.end || !results || results->t != J_ARR) {
		snprintf(err, errlen, "%s: not a `vaccel bench --json` document (no results array)",
			 r->compare_file);
		if (ok)
			jv_free(&root);
		free(data);
		return -1;
	}
	r->changes = calloc(r->nr_rows ? r->nr_rows : 1, sizeof(*r->changes));
	for (size_t i = 0; r->changes && i < results->n; i++)
		if (results->items[i].t == J_OBJ)
			match(r, &results->items[i]);
	jv_free(&root);
	free(data);
	if (!r->changes) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	return 0;
}
