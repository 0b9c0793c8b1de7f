/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Sessions meet the plugins loaded at run time (plugin-load.c): a live
 * session is offered each instance appended since it was made, as its
 * creation offered the profile's (chosen by its flags, then the instance's
 * session_init), and its dispatch slots are published anew. Calls in flight
 * keep the slot array they loaded; the session keeps it until release.
 */
#include <stdlib.h>
#include "internal.h"

/* Held while sessions are offered instances; release takes it to leave. */
pthread_mutex_t session_adopt_lock = PTHREAD_MUTEX_INITIALIZER;

/* Instance i joins the session if its flags choose it and its hook agrees. */
static void offer(struct vaccel_session *sess, size_t i)
{
	struct vaccel_session_priv *pv = sess->priv;
	struct vaccel_loaded_plugin *p = registry_get(i);
	int ret = p->desc.session_init ? p->desc.session_init(p->ctx, sess) : VACCEL_OK;
	if (ret) {
		vaccel_warn("session %lld: plugin '%s' (instance %zu), loaded at run time, "
			    "left out: %s", (long long)sess->id, p->desc.name, i,
			    vaccel_strerror(ret));
		return;
	}
	pthread_mutex_lock(&pv->lock);
	pv->inited[i] = pv->joined[i] = true;
	pthread_mutex_unlock(&pv->lock);
}

/* Offer the instances the session has not seen. session_adopt_lock held. */
static void adopt(struct vaccel_session *sess)
{
	struct vaccel_session_priv *pv = sess->priv;
	size_t from = pv->nr_instances, n = registry_count();
	if (from >= n)
		return;
	bool *chosen = calloc(registry_capacity() + 1, sizeof(bool));
	if (!chosen || session_choose(sess, chosen)) {
		vaccel_error("session %lld: cannot offer it the plugins loaded since",
			     (long long)sess->id);
		free(chosen);
		return;
	}
	/* Counted first: an instance's session_init may set its plugin data. */
	__atomic_store_n(&pv->nr_instances, n, __ATOMIC_RELEASE);
	for (size_t i = from; i < n; i++)
		if (chosen[i] && !pv->inited[i])
			offer(sess, i);
	free(chosen);
	pthread_mutex_lock(&pv->lock);
	if (publish_slots(pv))
		vaccel_error("session %lld: out of memory routing to the plugins loaded since",
			     (long long)sess->id);
	pthread_mutex_unlock(&pv->lock);
}

void session_adopt(struct vaccel_session *sess)
{
	pthread_mutex_lock(&session_adopt_lock);
	adopt(sess);
	pthread_mutex_unlock(&session_adopt_lock);
}

void sessions_adopt_all(void)
{
	pthread_mutex_lock(&session_adopt_lock);
	struct vaccel_session **all = NULL;
	size_t n = sessions_snapshot(&all);
	for (size_t i = 0; i < n; i++)
		adopt(all[i]);
	free(all);
	pthread_mutex_unlock(&session_adopt_lock);
}
