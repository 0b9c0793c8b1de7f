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
	free(pv->plugin_data);
	free(pv);
	sess->priv = NULL;
}

/* Tell plugins with a session hook; undo the ones done if one fails. */
static int session_hooks_init(struct vaccel_session *sess)
{
	for (size_t i = 0; i < registry_count(); i++) {
		const struct vaccel_plugin *p = &registry_get(i)->desc;
		int ret = p->session_init ? p->session_init(sess) : VACCEL_OK;
		if (ret) {
			vaccel_error("session %lld: plugin '%s' refused the session: %s",
				     (long long)sess->id, p->name, vaccel_strerror(ret));
			while (i-- > 0) {
				p = &registry_get(i)->desc;
				if (p->session_release)
					p->session_release(sess);
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
	pv->nr_plugin_data = registry_count();
	pv->plugin_data = calloc(pv->nr_plugin_data + 1, sizeof(void *));
	if (!pv->plugin_data) {
		free(pv);
		return VACCEL_ENOMEM;
	}
	pthread_mutex_init(&pv->lock, NULL);
	pv->pin = -1;
	sess->priv = pv;
	sess->hint = flags;
	sess->id = __atomic_fetch_add(&next_session_id, 1, __ATOMIC_RELAXED);
	ret = session_hooks_init(sess);
	if (ret) {
		session_free_priv(sess);
		sess->id = 0;
		return ret;
	}
	vaccel_debug("session %lld: created", (long long)sess->id);
	return VACCEL_OK;
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
	for (size_t i = registry_count(); i-- > 0;) {
		const struct vaccel_plugin *p = &registry_get(i)->desc;
		if (p->session_release)
			p->session_release(sess);
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
	__atomic_store_n(&sess->priv->pin, idx, __ATOMIC_RELAXED);
	return VACCEL_OK;
}

const char *vaccel_session_pinned(const struct vaccel_session *sess)
{
	if (!sess || !sess->priv || sess->priv->pin < 0)
		return NULL;
	return registry_get((size_t)sess->priv->pin)->desc.name;
}

static int plugin_index(const struct vaccel_plugin *plugin)
{
	for (size_t i = 0; i < registry_count(); i++) {
		struct vaccel_loaded_plugin *lp = registry_get(i);
		if (plugin == &lp->desc || plugin == lp->exported)
			return (int)i;
	}
	return -1;
}

int vaccel_session_set_plugin_data(struct vaccel_session *sess,
				   const struct vaccel_plugin *plugin, void *data)
{
	int i = sess && sess->priv ? plugin_index(plugin) : -1;
	if (i < 0 || (size_t)i >= sess->priv->nr_plugin_data)
		return VACCEL_EINVAL;
	sess->priv->plugin_data[i] = data;
	return VACCEL_OK;
}

void *vaccel_session_get_plugin_data(const struct vaccel_session *sess,
				     const struct vaccel_plugin *plugin)
{
	int i = sess && sess->priv ? plugin_index(plugin) : -1;
	if (i < 0 || (size_t)i >= sess->priv->nr_plugin_data)
		return NULL;
	return sess->priv->plugin_data[i];
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

struct vaccel_resource *session_resource_by_id(struct vaccel_session *sess, vaccel_id_t id)
{
	if (!sess || !sess->priv)
		return NULL;
	struct vaccel_resource *found = NULL;
	pthread_mutex_lock(&sess->priv->lock);
	for (struct res_link *it = sess->priv->resources; it && !found; it = it->next)
		if (it->res->id == id)
			found = it->res;
	pthread_mutex_unlock(&sess->priv->lock);
	return found;
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
