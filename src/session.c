/* SPDX-License-Identifier: Apache-2.0 */
/* Sessions: ids, pinning, the resources registered to them, plugin data. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "internal.h"

static vaccel_id_t next_session_id = 1;

static int classic_resource_hooks(struct vaccel_session *sess, struct vaccel_resource *res,
				  bool registering);

_Static_assert(VACCEL_SESSION_RUNDIR_SIZE == PATH_MAX, "vAccel's rundir is PATH_MAX bytes");

/*
 * Every live session, for vaccel_session_get_by_id (vAccel's global list),
 * linked through the session's own `entry` as vAccel links it; all_lock
 * guards the list and every session's entry.
 */
static pthread_mutex_t all_lock = PTHREAD_MUTEX_INITIALIZER;
static struct vaccel_list_entry all_sessions = LIST_ENTRY_INIT(all_sessions);

static void sessions_add(struct vaccel_session *sess)
{
	pthread_mutex_lock(&all_lock);
	list_add_tail(&all_sessions, &sess->entry);
	pthread_mutex_unlock(&all_lock);
}

/* Under session_adopt_lock too: a run-time load offers it nothing after. */
static void sessions_remove(struct vaccel_session *sess)
{
	pthread_mutex_lock(&session_adopt_lock);
	pthread_mutex_lock(&all_lock);
	list_unlink(&sess->entry);
	pthread_mutex_unlock(&all_lock);
	pthread_mutex_unlock(&session_adopt_lock);
}

size_t sessions_snapshot(struct vaccel_session ***all)
{
	size_t n = 0;
	pthread_mutex_lock(&all_lock);
	for (struct vaccel_list_entry *e = all_sessions.next; e != &all_sessions; e = e->next)
		n++;
	*all = n ? malloc(n * sizeof(**all)) : NULL;
	n = *all ? n : 0;
	size_t k = 0;
	for (struct vaccel_list_entry *e = all_sessions.next; e != &all_sessions && k < n; e = e->next)
		(*all)[k++] = LIST_CONTAINER(e, struct vaccel_session, entry);
	pthread_mutex_unlock(&all_lock);
	return n;
}

int vaccel_session_get_by_id(struct vaccel_session **sess, vaccel_id_t id)
{
	if (!vaccel_is_initialized())
		return VACCEL_EPERM;
	if (!sess)
		return VACCEL_EINVAL;
	int ret = VACCEL_ENOENT;
	pthread_mutex_lock(&all_lock);
	for (struct vaccel_list_entry *e = all_sessions.next; e != &all_sessions; e = e->next) {
		struct vaccel_session *s = LIST_CONTAINER(e, struct vaccel_session, entry);
		if (s->id == id) {
			*sess = s;
			ret = VACCEL_OK;
			break;
		}
	}
	pthread_mutex_unlock(&all_lock);
	return ret;
}

/*
 * The public fields as vAccel's session init leaves them, where this
 * libvaccel has their meaning (<vaccel/session.h>); the rest empty.
 */
static void session_public_init(struct vaccel_session *sess, uint32_t flags)
{
	sess->remote_id = 0;
	sess->hint = flags;
	sess->is_virtio = (flags & VACCEL_PLUGIN_REMOTE) != 0;
	sess->rundir[0] = '\0';
	sess->entry = (struct vaccel_list_entry){ NULL, NULL };
	for (size_t t = 0; t < VACCEL_RESOURCE_MAX; t++) {
		list_init(&sess->resources[t]);
		sess->resource_counts[t] = 0;
	}
	pthread_mutex_init(&sess->resources_lock, NULL);
	sess->plugin = NULL;
}

/*
 * vAccel's session run directory, <vaccel_rundir()>/session.<id>, for the
 * plugins serving it; removed at release if they left it empty. A session
 * works without one (the field stays ""), as most plugins never look.
 */
static void session_rundir_make(struct vaccel_session *sess)
{
	const char *top = vaccel_rundir();
	int n = top ? snprintf(sess->rundir, sizeof(sess->rundir), "%s/session.%lld", top,
			       (long long)sess->id) : -1;
	if (n < 0 || (size_t)n >= sizeof(sess->rundir) || mkdir(sess->rundir, 0700)) {
		vaccel_warn("session %lld: no run directory%s%s", (long long)sess->id,
			    n > 0 ? ": " : "", n > 0 ? strerror(errno) : "");
		sess->rundir[0] = '\0';
	}
}

static void session_rundir_remove(struct vaccel_session *sess)
{
	if (sess->rundir[0] && rmdir(sess->rundir))
		vaccel_debug("session %lld: run directory %s kept: %s", (long long)sess->id,
			     sess->rundir, strerror(errno));
	sess->rundir[0] = '\0';
}

static void session_free_priv(struct vaccel_session *sess)
{
	struct vaccel_session_priv *pv = sess->priv;
	pthread_mutex_destroy(&pv->lock);
	while (pv->old_slots) {
		struct slots_old *o = pv->old_slots;
		pv->old_slots = o->next;
		free(o->slots);
		free(o);
	}
	free(pv->slots);
	free(pv->plugin_data);
	free(pv->joined);
	free(pv->inited);
	free(pv);
	sess->priv = NULL;
	pthread_mutex_destroy(&sess->resources_lock);
}

/* Resolve the slots anew and publish them; the old array is kept. Lock held. */
int publish_slots(struct vaccel_session_priv *pv)
{
	struct op_slot *slots = calloc(VACCEL_OP_MAX, sizeof(*slots));
	struct slots_old *old = pv->slots ? malloc(sizeof(*old)) : NULL;
	if (!slots || (pv->slots && !old)) {
		free(slots);
		free(old);
		return VACCEL_ENOMEM;
	}
	router_resolve(slots, pv->pin, pv->joined);
	for (int op = 0; op < VACCEL_OP_MAX && vaccel_log_level_active >= VACCEL_LOG_DEBUG; op++)
		if (slots[op].fn)
			vaccel_debug("session: %s -> %s", vaccel_op_name(op),
				     registry_get((size_t)slots[op].instance)->desc.name);
	if (old) {
		*old = (struct slots_old){ pv->slots, pv->old_slots };
		pv->old_slots = old;
	}
	__atomic_store_n(&pv->slots, slots, __ATOMIC_RELEASE);
	return VACCEL_OK;
}

/* An instance that cannot reach its agent sits the session out. */
static bool unreachable(int ret)
{
	return ret == VACCEL_ECONNREFUSED || ret == VACCEL_EREMOTE;
}

/*
 * Which instances the session's flags choose (vAccel's plugin selection,
 * <vaccel/session.h>): REMOTE, transports only; type bits, the plugins of
 * those types, or every instance when none is; 0, every instance.
 */
int session_choose(struct vaccel_session *sess, bool *chosen)
{
	size_t n = registry_count(), found = 0;
	uint32_t flags = sess->hint, want = flags & ~(uint32_t)VACCEL_PLUGIN_REMOTE;
	if (flags & VACCEL_PLUGIN_REMOTE)
		want = VACCEL_PLUGIN_REMOTE;
	for (size_t i = 0; i < n; i++) {
		chosen[i] = !want || (registry_get(i)->desc.type & want);
		found += chosen[i];
	}
	if (want && !found) {
		if (want == VACCEL_PLUGIN_REMOTE) {
			vaccel_error("session: remote (VACCEL_PLUGIN_REMOTE) asked for, but the "
				     "profile has no rpc or virtio instance");
			return VACCEL_ENOTSUP;
		}
		vaccel_debug("session: no plugin of type 0x%x, every instance serves", want);
		for (size_t i = 0; i < n; i++)
			chosen[i] = true;
	}
	return VACCEL_OK;
}

/* Tell chosen instances with a session hook; undo the ones done if one fails. */
static int session_hooks_init(struct vaccel_session *sess)
{
	struct vaccel_session_priv *pv = sess->priv;
	int ret = session_choose(sess, pv->joined);
	if (ret)
		return ret;
	for (size_t i = 0; i < registry_count(); i++) {
		struct vaccel_loaded_plugin *p = registry_get(i);
		if (!pv->joined[i])
			continue; /* not chosen: never told of the session */
		ret = p->desc.session_init ? p->desc.session_init(p->ctx, sess) : VACCEL_OK;
		pv->joined[i] = pv->inited[i] = !ret;
		if (unreachable(ret)) {
			vaccel_info("session %lld: plugin '%s' (instance %zu) left out: %s",
				    (long long)sess->id, p->desc.name, i, vaccel_strerror(ret));
			if (!pv->left_out_error)
				pv->left_out_error = ret;
		} else if (ret) {
			vaccel_error("session %lld: plugin '%s' refused the session: %s",
				     (long long)sess->id, p->desc.name, vaccel_strerror(ret));
			while (i-- > 0) {
				p = registry_get(i);
				if (pv->inited[i] && p->desc.session_release)
					p->desc.session_release(p->ctx, sess);
			}
			return ret;
		}
	}
	return VACCEL_OK;
}

int vaccel_session_init(struct vaccel_session *sess, uint32_t flags)
{
	if (!sess)
		return VACCEL_EINVAL;
	int ret = vaccel_ensure_bootstrapped();
	if (ret)
		return ret;
	struct vaccel_session_priv *pv = calloc(1, sizeof(*pv));
	if (!pv)
		return VACCEL_ENOMEM;
	pv->nr_instances = registry_count();
	/* Room for the instances vaccel_plugin_load() may add (session-adopt.c). */
	size_t room = registry_capacity() + 1;
	pv->plugin_data = calloc(room, sizeof(void *));
	pv->joined = calloc(room, sizeof(bool));
	pv->inited = calloc(room, sizeof(bool));
	pthread_mutex_init(&pv->lock, NULL);
	pv->pin = -1;
	session_public_init(sess, flags);
	sess->priv = pv;
	sess->id = __atomic_fetch_add(&next_session_id, 1, __ATOMIC_RELAXED);
	if (!pv->plugin_data || !pv->joined || !pv->inited) {
		session_free_priv(sess);
		sess->id = 0;
		return VACCEL_ENOMEM;
	}
	ret = session_hooks_init(sess);
	bool hooked = !ret; /* a failing hook undid the others itself */
	if (!ret)
		ret = publish_slots(pv);
	if (ret && hooked) {
		for (size_t i = registry_count(); i-- > 0;) {
			struct vaccel_loaded_plugin *p = registry_get(i);
			if (pv->inited[i] && p->desc.session_release)
				p->desc.session_release(p->ctx, sess);
		}
	}
	if (ret) {
		session_free_priv(sess);
		sess->id = 0;
		return ret;
	}
	session_rundir_make(sess);
	sessions_add(sess);
	session_adopt(sess); /* a plugin loaded meanwhile */
	vaccel_debug("session %lld: created", (long long)sess->id);
	return VACCEL_OK;
}

void session_leave(struct vaccel_session *sess, int i, int why)
{
	struct vaccel_session_priv *pv = sess->priv;
	pthread_mutex_lock(&pv->lock);
	if (i >= 0 && (size_t)i < pv->nr_instances && pv->joined[i]) {
		pv->joined[i] = false;
		if (!pv->left_out_error)
			pv->left_out_error = why;
		publish_slots(pv);
	}
	pthread_mutex_unlock(&pv->lock);
}

int vaccel_session_release(struct vaccel_session *sess)
{
	if (!sess || !sess->priv || sess->id <= 0)
		return VACCEL_EINVAL;
	struct vaccel_session_priv *pv = sess->priv;
	/* Detach resources still registered: the app forgot, we do not leak. */
	pthread_mutex_lock(&pv->lock);
	struct res_link *l = pv->resources;
	pv->resources = NULL;
	for (size_t t = 0; t < VACCEL_RESOURCE_MAX; t++)
		sess->resource_counts[t] = 0;
	pthread_mutex_unlock(&pv->lock);
	while (l) {
		struct res_link *next = l->next;
		classic_resource_hooks(sess, l->res, false);
		resource_drop_session(l->res);
		free(l);
		l = next;
	}
	sessions_remove(sess); /* from now on, no run-time load offers it instances */
	/* Every instance that made its part of the session releases it, also
	 * one left out since: it may hold state (a connection) to drop. */
	for (size_t i = registry_count(); i-- > 0;) {
		struct vaccel_loaded_plugin *p = registry_get(i);
		if (pv->inited[i] && p->desc.session_release)
			p->desc.session_release(p->ctx, sess);
	}
	vaccel_debug("session %lld: released", (long long)sess->id);
	session_rundir_remove(sess);
	session_free_priv(sess);
	sess->id = 0;
	return VACCEL_OK;
}

int vaccel_session_new(struct vaccel_session **sess, uint32_t flags)
{
	if (!sess)
		return VACCEL_EINVAL;
	struct vaccel_session *s = calloc(1, sizeof(*s));
	if (!s)
		return VACCEL_ENOMEM;
	int ret = vaccel_session_init(s, flags);
	if (ret) {
		free(s);
		return ret;
	}
	*sess = s;
	return VACCEL_OK;
}

int vaccel_session_delete(struct vaccel_session *sess)
{
	int ret = vaccel_session_release(sess);
	if (ret)
		return ret;
	free(sess);
	return VACCEL_OK;
}

int vaccel_session_pin(struct vaccel_session *sess, const char *plugin)
{
	if (!sess || !sess->priv)
		return VACCEL_EINVAL;
	int idx = -1;
	if (plugin && (idx = registry_find(plugin)) < 0) {
		vaccel_error("session %lld: cannot pin to '%s': no such plugin loaded",
			     (long long)sess->id, plugin);
		return VACCEL_ENOENT;
	}
	pthread_mutex_lock(&sess->priv->lock);
	int old = sess->priv->pin;
	sess->priv->pin = idx;
	int ret = publish_slots(sess->priv);
	if (ret)
		sess->priv->pin = old;
	pthread_mutex_unlock(&sess->priv->lock);
	return ret;
}

const char *vaccel_session_pinned(const struct vaccel_session *sess)
{
	if (!sess || !sess->priv || sess->priv->pin < 0)
		return NULL;
	return registry_get((size_t)sess->priv->pin)->desc.name;
}

/* The instance whose context is ctx; plugin data needs a context of its own. */
static int instance_of(const void *ctx)
{
	for (size_t i = 0; ctx && i < registry_count(); i++)
		if (registry_get(i)->ctx == ctx)
			return (int)i;
	return -1;
}

int vaccel_session_set_plugin_data(struct vaccel_session *sess, const void *ctx, void *data)
{
	int i = sess && sess->priv ? instance_of(ctx) : -1;
	if (i < 0 || (size_t)i >= sess->priv->nr_instances)
		return VACCEL_EINVAL;
	sess->priv->plugin_data[i] = data;
	return VACCEL_OK;
}

void *vaccel_session_get_plugin_data(const struct vaccel_session *sess, const void *ctx)
{
	int i = sess && sess->priv ? instance_of(ctx) : -1;
	if (i < 0 || (size_t)i >= sess->priv->nr_instances)
		return NULL;
	return sess->priv->plugin_data[i];
}

/* Set by the agent while it stops (serve.c). */
bool plugin_stopping_flag;

bool vaccel_plugin_stopping(void)
{
	return __atomic_load_n(&plugin_stopping_flag, __ATOMIC_ACQUIRE);
}

bool vaccel_plugin_session_remote(const struct vaccel_session *sess)
{
	return sess && sess->priv && sess->priv->remote_caller;
}

struct vaccel_resource *vaccel_plugin_arg_resource(struct vaccel_session *sess,
						   const struct vaccel_arg *a)
{
	int64_t id;
	if (!a || !a->buf || a->size != sizeof(id))
		return NULL;
	memcpy(&id, a->buf, sizeof(id));
	return id ? session_resource_by_id(sess, id) : NULL;
}

/* ---- resources as seen from the session ---- */

/*
 * Tell the session's vAccel-API instances of a registration or its end, as
 * vAccel tells the session's plugin; the first error. Called unlocked: a
 * hook may call back into the session.
 */
static int classic_resource_hooks(struct vaccel_session *sess, struct vaccel_resource *res,
				  bool registering)
{
	struct vaccel_session_priv *pv = sess->priv;
	int ret = VACCEL_OK;
	for (size_t i = 0; i < pv->nr_instances; i++) {
		struct vaccel_loaded_plugin *p = registry_get(i);
		if (!pv->inited[i] || !p->classic)
			continue;
		int r = classic_resource_hook(p->classic, registering, res, sess);
		if (r && !ret) {
			vaccel_error("session %lld: plugin '%s' refused to %sregister resource %lld: %s",
				     (long long)sess->id, p->desc.name, registering ? "" : "un",
				     (long long)res->id, vaccel_strerror(r));
			ret = r;
		}
	}
	return ret;
}

/* Take res off the session's list; whether it was there. */
static bool unlink_resource(struct vaccel_session *sess, struct vaccel_resource *res)
{
	struct vaccel_session_priv *pv = sess->priv;
	pthread_mutex_lock(&pv->lock);
	for (struct res_link **it = &pv->resources; *it; it = &(*it)->next) {
		if ((*it)->res == res) {
			struct res_link *l = *it;
			*it = l->next;
			sess->resource_counts[res->type]--;
			pthread_mutex_unlock(&pv->lock);
			free(l);
			resource_drop_session(res);
			return true;
		}
	}
	pthread_mutex_unlock(&pv->lock);
	return false;
}

int vaccel_resource_register(struct vaccel_resource *res, struct vaccel_session *sess)
{
	if (!res || res->id <= 0 || !sess || !sess->priv)
		return VACCEL_EINVAL;
	struct vaccel_session_priv *pv = sess->priv;
	struct res_link *l = malloc(sizeof(*l));
	if (!l)
		return VACCEL_ENOMEM;
	pthread_mutex_lock(&pv->lock);
	for (struct res_link *it = pv->resources; it; it = it->next) {
		if (it->res == res) {
			pthread_mutex_unlock(&pv->lock);
			free(l);
			return VACCEL_EEXIST;
		}
	}
	l->res = res;
	l->next = pv->resources;
	pv->resources = l;
	sess->resource_counts[res->type]++;
	__atomic_add_fetch(&res->refcount, 1, __ATOMIC_ACQ_REL);
	pthread_mutex_unlock(&pv->lock);
	int ret = classic_resource_hooks(sess, res, true);
	if (ret) {
		unlink_resource(sess, res);
		return ret;
	}
	vaccel_debug("session %lld: registered resource %lld", (long long)sess->id,
		     (long long)res->id);
	return VACCEL_OK;
}

int vaccel_resource_unregister(struct vaccel_resource *res, struct vaccel_session *sess)
{
	if (!res || res->id <= 0 || !sess || !sess->priv)
		return VACCEL_EINVAL;
	if (!unlink_resource(sess, res))
		return VACCEL_ENOENT;
	return classic_resource_hooks(sess, res, false);
}

bool resource_is_registered_to(const struct vaccel_resource *res,
			       const struct vaccel_session *sess)
{
	if (!res || !sess || !sess->priv)
		return false;
	bool found = false;
	pthread_mutex_lock(&sess->priv->lock);
	for (struct res_link *it = sess->priv->resources; it && !found; it = it->next)
		found = it->res == res;
	pthread_mutex_unlock(&sess->priv->lock);
	return found;
}

/* The registered resource with this id; held (counted) when asked, under
 * the session's lock so that an unregister cannot come in between. */
static struct vaccel_resource *find_by_id(struct vaccel_session *sess, vaccel_id_t id, bool hold)
{
	if (!sess || !sess->priv)
		return NULL;
	struct vaccel_resource *found = NULL;
	pthread_mutex_lock(&sess->priv->lock);
	for (struct res_link *it = sess->priv->resources; it && !found; it = it->next)
		if (it->res->id == id)
			found = it->res;
	if (found && hold)
		__atomic_add_fetch(&found->refcount, 1, __ATOMIC_ACQ_REL);
	pthread_mutex_unlock(&sess->priv->lock);
	return found;
}

struct vaccel_resource *session_resource_hold(struct vaccel_session *sess, vaccel_id_t id)
{
	return find_by_id(sess, id, true);
}

struct vaccel_resource *session_resource_by_id(struct vaccel_session *sess, vaccel_id_t id)
{
	return find_by_id(sess, id, false);
}

struct vaccel_resource *vaccel_session_find_resource(struct vaccel_session *sess,
						     vaccel_resource_type_t type)
{
	if (!sess || !sess->priv)
		return NULL;
	struct vaccel_resource *found = NULL;
	pthread_mutex_lock(&sess->priv->lock);
	for (struct res_link *it = sess->priv->resources; it && !found; it = it->next)
		if (it->res->type == type)
			found = it->res;
	pthread_mutex_unlock(&sess->priv->lock);
	return found;
}

/*
 * vAccel's deprecated session update: choose the plugins anew for other
 * flags. Instances newly chosen are told of the session, the ones no longer
 * chosen let it go. Refused (VACCEL_ENOTSUP) while resources are registered.
 */
int vaccel_session_update(struct vaccel_session *sess, uint32_t flags)
{
	if (!sess || !sess->priv || sess->id <= 0)
		return VACCEL_EINVAL;
	struct vaccel_session_priv *pv = sess->priv;
	size_t n = pv->nr_instances;
	if (n != registry_count())
		return VACCEL_EINVAL; /* a session older than the bootstrap */
	pthread_mutex_lock(&pv->lock);
	bool busy = pv->resources != NULL;
	pthread_mutex_unlock(&pv->lock);
	if (busy) {
		vaccel_error("session %lld: cannot update a session with registered resources",
			     (long long)sess->id);
		return VACCEL_ENOTSUP;
	}
	bool *chosen = calloc(n + 1, sizeof(bool)), *fresh = calloc(n + 1, sizeof(bool));
	if (!chosen || !fresh) {
		free(chosen);
		free(fresh);
		return VACCEL_ENOMEM;
	}
	uint32_t old = sess->hint;
	sess->hint = flags;
	sess->is_virtio = (flags & VACCEL_PLUGIN_REMOTE) != 0;
	int ret = session_choose(sess, chosen);
	for (size_t i = 0; !ret && i < n; i++) {
		struct vaccel_loaded_plugin *p = registry_get(i);
		if (!chosen[i] || pv->inited[i])
			continue;
		int r = p->desc.session_init ? p->desc.session_init(p->ctx, sess) : VACCEL_OK;
		if (!r) {
			fresh[i] = true;
		} else if (unreachable(r)) {
			vaccel_info("session %lld: plugin '%s' (instance %zu) left out: %s",
				    (long long)sess->id, p->desc.name, i, vaccel_strerror(r));
		} else {
			vaccel_error("session %lld: plugin '%s' refused the session: %s",
				     (long long)sess->id, p->desc.name, vaccel_strerror(r));
			ret = r;
		}
	}
	if (ret) { /* undo: the session stays as it was */
		for (size_t i = n; i-- > 0;) {
			struct vaccel_loaded_plugin *p = registry_get(i);
			if (fresh[i] && p->desc.session_release)
				p->desc.session_release(p->ctx, sess);
		}
		sess->hint = old;
		sess->is_virtio = (old & VACCEL_PLUGIN_REMOTE) != 0;
		free(chosen);
		free(fresh);
		return ret;
	}
	for (size_t i = n; i-- > 0;) {
		struct vaccel_loaded_plugin *p = registry_get(i);
		if (!chosen[i] && pv->inited[i] && p->desc.session_release)
			p->desc.session_release(p->ctx, sess);
	}
	pthread_mutex_lock(&pv->lock);
	for (size_t i = 0; i < n; i++) {
		if (!chosen[i]) {
			if (pv->inited[i])
				pv->plugin_data[i] = NULL;
			pv->inited[i] = pv->joined[i] = false;
		} else if (fresh[i]) {
			pv->inited[i] = pv->joined[i] = true;
		}
	}
	ret = publish_slots(pv);
	pthread_mutex_unlock(&pv->lock);
	free(chosen);
	free(fresh);
	vaccel_debug("session %lld: updated, flags 0x%x", (long long)sess->id, flags);
	return ret;
}

bool vaccel_session_has_resource(struct vaccel_session *sess, struct vaccel_resource *res)
{
	return resource_is_registered_to(res, sess);
}

int vaccel_session_resource_by_id(struct vaccel_session *sess, struct vaccel_resource **res,
				  vaccel_id_t id)
{
	if (!sess || !sess->priv || !res || id <= 0)
		return VACCEL_EINVAL;
	struct vaccel_resource *r = find_by_id(sess, id, false);
	if (!r)
		return VACCEL_ENOENT;
	*res = r;
	return VACCEL_OK;
}

/*
 * The resources of `type` registered to the session, in the order they were
 * registered (vAccel's); the list keeps the newest first. Lock held.
 */
static size_t resources_of_type(struct vaccel_session_priv *pv, vaccel_resource_type_t type,
				struct vaccel_resource **out, size_t max)
{
	size_t count = 0;
	for (struct res_link *it = pv->resources; it; it = it->next)
		count += it->res->type == type;
	size_t k = count;
	for (struct res_link *it = pv->resources; it && out; it = it->next)
		if (it->res->type == type && --k < max)
			out[k] = it->res;
	return count;
}

int vaccel_session_resource_by_type(struct vaccel_session *sess, struct vaccel_resource **res,
				    vaccel_resource_type_t type)
{
	if (!sess || !sess->priv || !res || (unsigned)type >= VACCEL_RESOURCE_MAX)
		return VACCEL_EINVAL;
	struct vaccel_resource *first = NULL;
	pthread_mutex_lock(&sess->priv->lock);
	/* The first registered: the last of its type in the list. */
	for (struct res_link *it = sess->priv->resources; it; it = it->next)
		if (it->res->type == type)
			first = it->res;
	pthread_mutex_unlock(&sess->priv->lock);
	if (!first)
		return VACCEL_ENOENT;
	*res = first;
	return VACCEL_OK;
}

int vaccel_session_resources_by_type(struct vaccel_session *sess,
				     struct vaccel_resource ***resources, size_t *nr_found,
				     vaccel_resource_type_t type)
{
	if (!sess || !sess->priv || !resources || !nr_found ||
	    (unsigned)type >= VACCEL_RESOURCE_MAX)
		return VACCEL_EINVAL;
	struct vaccel_session_priv *pv = sess->priv;
	pthread_mutex_lock(&pv->lock);
	size_t count = resources_of_type(pv, type, NULL, 0);
	struct vaccel_resource **arr = count ? malloc(count * sizeof(*arr)) : NULL;
	if (arr)
		resources_of_type(pv, type, arr, count);
	pthread_mutex_unlock(&pv->lock);
	if (!count) {
		*nr_found = 0;
		return VACCEL_ENOENT;
	}
	if (!arr)
		return VACCEL_ENOMEM;
	*resources = arr;
	*nr_found = count;
	return VACCEL_OK;
}
