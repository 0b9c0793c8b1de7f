/* SPDX-License-Identifier: Apache-2.0 */
/* Private to libvaccel: shared between its source files, never installed. */
#ifndef VACCEL_INTERNAL_H
#define VACCEL_INTERNAL_H

#include <pthread.h>
#include <vaccel.h>
#include <vaccel/plugin.h>

#define VACCEL_ERRBUF 512

/* ---- profile.c: a parsed profile ---- */

/* Where a key sat in its file, for error messages. */
struct vaccel_location {
	const char *file; /* owned by the profile */
	int line, column; /* 1-based; 0 when built-in */
};

struct vaccel_plugin_options {
	const char *plugin;          /* plugin name, for messages */
	size_t nr;
	struct vaccel_option {
		char *key;
		char **values;       /* NULL-terminated */
		size_t nr_values;
		bool is_list;
		struct vaccel_location loc;
	} *items;
};

struct vaccel_profile_plugin {
	char *name;
	char *path;                  /* explicit path, or NULL */
	bool optional;               /* skipped when not installed */
	uint64_t ops;                /* bit per op it may serve; 0: all */
	struct vaccel_plugin_options options;
	struct vaccel_location loc;
};

struct vaccel_profile {
	char *source;                /* file path or "(built-in)" */
	int version;
	int log_level;               /* 0 when the profile does not say */
	char *log_file;
	size_t nr_plugins;
	struct vaccel_profile_plugin *plugins;
	struct vaccel_plugin_options agent; /* the `agent:` section */
};

int profile_parse_file(const char *path, struct vaccel_profile **out,
		       char *err, size_t errlen);
int profile_parse_string(const char *text, const char *source,
			 struct vaccel_profile **out, char *err, size_t errlen);
void profile_free(struct vaccel_profile *p);
char *profile_to_yaml(const struct vaccel_profile *p);
/* Resolve NAME|PATH|NULL to a file by the lookup order; NULL -> built-in. */
int profile_locate(const char *name, char **path, char *err, size_t errlen);
/* configs/default.yaml, compiled in (Makefile.am makes src/default-profile.c). */
extern const char profile_builtin_default[];

/* While an agent stops: plugins' long calls give up (vaccel_plugin_stopping). */
extern bool plugin_stopping_flag;

/* ---- plugin.c: loader and registry ---- */

/* One instance: a plugin as one entry of the profile's list made it. */
struct vaccel_loaded_plugin {
	struct vaccel_plugin desc;   /* copy, tail zeroed past desc.size */
	const struct vaccel_plugin *exported; /* the plugin's own descriptor */
	void *ctx;                   /* what desc.init made */
	void *handle;
	char *path;
	const struct vaccel_plugin_options *options;
	uint64_t ops;                /* the profile's ops: limit, bit per op; 0: all */
	struct classic_plugin *classic; /* a vAccel-API plugin's adapter (classic.c) */
};

/* Find the file of a plugin by name (or take a path). Caller frees *path. */
int plugin_resolve(const char *name, char **path, char *err, size_t errlen);
/* dlopen + validate the descriptor; does not call init. */
int plugin_open(const char *path, struct vaccel_loaded_plugin *out, char *err,
		size_t errlen);
/* The same for a library the caller dlopen()ed: the handle is closed on failure. */
int plugin_open_handle(void *h, const char *path, struct vaccel_loaded_plugin *out,
		       char *err, size_t errlen);
void plugin_close(struct vaccel_loaded_plugin *p);
/* Make the instance: the plugin's init (ours) or its registration (vAccel's). */
int plugin_init(struct vaccel_loaded_plugin *p, const struct vaccel_plugin_options *opts);

/* ---- classic.c, classic-ops.c: plugins built for vAccel's plugin API ---- */
struct classic_plugin;
int classic_open(const struct vaccel_classic_plugin *vp, struct vaccel_loaded_plugin *out,
		 char *err, size_t errlen);
int classic_start(struct classic_plugin *c, void **ctx);
void classic_close(struct classic_plugin *c);
/* The plugin's resource_register or _unregister hook, if it has one. */
int classic_resource_hook(const struct classic_plugin *c, bool registering,
			  struct vaccel_resource *res, struct vaccel_session *sess);
bool classic_op_callable(vaccel_op_type_t op);
int classic_op_call(void *fn, struct vaccel_session *sess, const struct vaccel_op_args *a);
int plugin_check_options(const struct vaccel_loaded_plugin *p,
			 const struct vaccel_plugin_options *opts, char *err,
			 size_t errlen);

/*
 * The registry of instances, filled by bootstrap; vaccel_plugin_load()
 * appends. An entry never moves nor changes once counted.
 */
size_t registry_count(void);
/* The most instances there can be until cleanup: per-session arrays' size. */
size_t registry_capacity(void);
struct vaccel_loaded_plugin *registry_get(size_t i);
int registry_find(const char *name); /* index of the first of that name or -1 */
int registry_set(struct vaccel_loaded_plugin *plugins, size_t n);
/* VACCEL_ENOSPC when the room kept for run-time loads is used up. */
int registry_append(const struct vaccel_loaded_plugin *p);
struct vaccel_loaded_plugin *registry_take(size_t *n);

/* ---- router.c: which instance serves which op ---- */

/* A session's dispatch slot for one op: the function and its instance. */
struct op_slot {
	vaccel_op_fn fn;             /* NULL: no instance serves the op */
	void *ctx;
	int instance;                /* registry index */
	bool fallible;               /* its agent may be unreachable: fall back */
};

/* Whether instance i serves op (its ops, any_op for rows, its serves()). */
bool router_serves(size_t i, vaccel_op_type_t op);
/*
 * Fill slots[VACCEL_OP_MAX] for a session pinned to `pin` (-1: none), with
 * the instances `joined` marks (NULL: all).
 */
void router_resolve(struct op_slot *slots, int pin, const bool *joined);
/*
 * Log, as an error, each instance a session may route to (pin, joined as
 * above) that implements op but declines it now (its serves() is false),
 * with its describe() line; whether there was one.
 */
bool router_explain_declined(vaccel_op_type_t op, int pin, const bool *joined);

/* ---- ops/call.c ---- */

/* Route and run one op in its genop form (see src/ops/ops.h); a->op is valid. */
int op_call(struct vaccel_session *sess, const struct vaccel_op_args *a);

static inline int op_run(struct vaccel_session *sess, vaccel_op_type_t op,
			 struct vaccel_arg *read, size_t nr_read,
			 struct vaccel_arg *write, size_t nr_write)
{
	const struct vaccel_op_args a = { op, read, nr_read, write, nr_write };
	return op_call(sess, &a);
}

/* ---- bootstrap.c ---- */

/* Bootstrap from the environment if nobody did; returns the sticky result. */
int vaccel_ensure_bootstrapped(void);
/* True when this libvaccel is the one in the build tree. */
bool vaccel_in_build_tree(void);
/*
 * fn(arg) under the bootstrap's lock, while booted (else VACCEL_EBACKEND,
 * vAccel's answer before bootstrap): a run-time load against cleanup.
 */
int bootstrap_locked(int (*fn)(void *arg), void *arg);

/* ---- session.c ---- */

struct vaccel_session_priv {
	pthread_mutex_t lock;
	int pin;                     /* registry index, -1: none */
	struct res_link {
		struct vaccel_resource *res;
		struct res_link *next;
	} *resources;
	void **plugin_data;          /* one slot per instance */
	bool *inited;                /* instances whose session_init succeeded */
	bool *joined;                /* of those, the ones ops may route to */
	size_t nr_instances;
	int left_out_error;          /* why the first instance left out was, or 0 */
	bool remote_caller;          /* an agent's session, for a client elsewhere */
	/*
	 * The dispatch slots, one per op, replaced as a whole (never changed
	 * in place) when the pin or the joined instances change; the old
	 * arrays stay until release, as calls in flight may still read them.
	 */
	struct op_slot *slots;
	struct slots_old {
		struct op_slot *slots;
		struct slots_old *next;
	} *old_slots;
};

static inline const struct op_slot *session_slots(const struct vaccel_session *sess)
{
	return __atomic_load_n(&sess->priv->slots, __ATOMIC_ACQUIRE);
}

/* Leave instance i out of the session (its agent is unreachable). */
void session_leave(struct vaccel_session *sess, int i, int why);
/* Resolve the session's slots anew and publish them. pv->lock held. */
int publish_slots(struct vaccel_session_priv *pv);
/* Mark in chosen[] the instances the session's flags choose. */
int session_choose(struct vaccel_session *sess, bool *chosen);
/* The live sessions, in a malloc'd array (*all); how many. */
size_t sessions_snapshot(struct vaccel_session ***all);

/* ---- session-adopt.c: plugins loaded at run time ---- */

/* Held while sessions are offered instances: a session leaves the list under it. */
extern pthread_mutex_t session_adopt_lock;
/* Offer the session the instances loaded since it was made. */
void session_adopt(struct vaccel_session *sess);
/* The same for every live session (after vaccel_plugin_load). */
void sessions_adopt_all(void);

/* ---- resource.c ---- */

/*
 * Why the resource cannot travel to an agent as its files, each a plain
 * name and its bytes (a directory, too many files, two of one name), or
 * NULL.
 */
const char *resource_not_uploadable(const struct vaccel_resource *res);
/* Blob i's bytes, read on first use as vaccel_resource_bytes reads the first's. */
int resource_blob_bytes(struct vaccel_resource *res, size_t i, const void **data, size_t *size);

bool resource_is_registered_to(const struct vaccel_resource *res,
			       const struct vaccel_session *sess);
void resource_drop_session(struct vaccel_resource *res);
/* The resource with this id among those registered to the session, or NULL. */
struct vaccel_resource *session_resource_by_id(struct vaccel_session *sess, vaccel_id_t id);
/*
 * The same, held for an op in flight: counted like a registration, so a
 * release meanwhile is VACCEL_EBUSY. resource_drop_session() lets go.
 */
struct vaccel_resource *session_resource_hold(struct vaccel_session *sess, vaccel_id_t id);

/* ---- log.c ---- */
void log_configure(int level, const char *file);
/* Keep this thread's messages as its last error only (a check reports them itself). */
void log_quiet(bool on);
int log_level_parse(const char *s); /* 1..4 or 0 when invalid */
/* Profiling on whatever VACCEL_PROFILING_ENABLED says (a config's setting). */
void prof_set_enabled(bool on);
/* prof.c, shared with prof-regions.c: the enabled check is the caller's. */
int prof_region_open_sample(struct vaccel_prof_region *region);
int prof_region_close_sample(const struct vaccel_prof_region *region);
uint64_t prof_region_total(const struct vaccel_prof_region *region);
#define PROF_LINE_FMT "[prof] %s: total_time: %llu nsec nr_entries: %zu"
#define PROF_LINE_ARGS(r)                                    \
	(r)->name ? (r)->name : "(unnamed)",                 \
		(unsigned long long)prof_region_total(r), (r)->nr_entries

/* ---- util ---- */

/* vAccel's circular lists (struct vaccel_list_entry), for its global lists. */
static inline void list_init(struct vaccel_list_entry *head)
{
	head->next = head->prev = head;
}

static inline void list_add_tail(struct vaccel_list_entry *head, struct vaccel_list_entry *e)
{
	e->prev = head->prev;
	e->next = head;
	head->prev->next = e;
	head->prev = e;
}

static inline void list_unlink(struct vaccel_list_entry *e)
{
	e->prev->next = e->next;
	e->next->prev = e->prev;
	e->next = e->prev = NULL;
}

/* The struct of `type` whose `member` is the entry e. */
#define LIST_CONTAINER(e, type, member) ((type *)((char *)(e) - offsetof(type, member)))

uint64_t vaccel_now_ns(void);
/* Read a whole file; *data is malloc'd (caller frees). Limit in bytes. */
int read_file(const char *path, size_t limit, void **data, size_t *size);

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#endif /* VACCEL_INTERNAL_H */
