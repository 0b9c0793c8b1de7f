/* SPDX-License-Identifier: Apache-2.0 */
/* Sessions: ids, pinning, the resources registered to them, plugin data. */
#include <stdlib.h>
#include <string.h>
#include "internal.h"

static vaccel_id_t next_session_id = 1;

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
}

/* Resolve the slots anew and publish them; the old array is kept. Lock held. */
static int publish_slots(struct vaccel_session_priv *pv)
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
static int session_choose(struct vaccel_session *sess, bool *chosen)
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
	pv->plugin_data = calloc(pv->nr_instances + 1, sizeof(void *));
	pv->joined = calloc(pv->nr_instances + 1, sizeof(bool));
	pv->inited = calloc(pv->nr_instances + 1, sizeof(bool));
	pthread_mutex_init(&pv->lock, NULL);
	pv->pin = -1;
	sess->priv = pv;
	sess->hint = flags;
	sess->id = __atomic_fetch_add(&next_session_id, 1, __ATOMIC_RELAXED);
	if (!pv->plugin_data || !pv->joined || !pv->inited) {
		session_free_priv(sess);
		sess->id = 0;
		return VACCEL_ENOMEM;
	}
	ret = session_hooks_init(sess);
	if (!ret && (ret = publish_slots(pv))) {
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
	pthread_mutex_unlock(&pv->lock);
	while (l) {
		struct res_link *next = l->next;
		resource_drop_session(l->res);
		free(l);
		l = next;
	}
	/* Every instance that made its part of the session releases it, also
	 * one left out since: it may hold state (a connection) to drop. */
	for (size_t i = registry_count(); i-- > 0;) {
		struct vaccel_loaded_plugin *p = registry_get(i);
		if (pv->inited[i] && p->desc.session_release)
			p->desc.session_release(p->ctx, sess);
	}
	vaccel_debug("session %lld: released", (long long)sess->id);
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

int vaccel_resource_register(struct vaccel_resource *res, struct vaccel_session *sess)
{
	if (!res || !res->priv || res->id <= 0 || !sess || !sess->priv)
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
	__atomic_add_fetch(&res->priv->refcount, 1, __ATOMIC_ACQ_REL);
	pthread_mutex_unlock(&pv->lock);
	vaccel_debug("session %lld: registered resource %lld", (long long)sess->id,
		     (long long)res->id);
	return VACCEL_OK;
}

int vaccel_resource_unregister(struct vaccel_resource *res, struct vaccel_session *sess)
{
	if (!res || !res->priv || !sess || !sess->priv)
		return VACCEL_EINVAL;
	struct vaccel_session_priv *pv = sess->priv;
	pthread_mutex_lock(&pv->lock);
	for (struct res_link **it = &pv->resources; *it; it = &(*it)->next) {
		if ((*it)->res == res) {
			struct res_link *l = *it;
			*it = l->next;
			pthread_mutex_unlock(&pv->lock);
			free(l);
			resource_drop_session(res);
			return VACCEL_OK;
		}
	}
	pthread_mutex_unlock(&pv->lock);
	return VACCEL_ENOENT;
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
		__atomic_add_fetch(&found->priv->refcount, 1, __ATOMIC_ACQ_REL);
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
