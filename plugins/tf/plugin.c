/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The tf plugin: vAccel's TensorFlow ops on OpenCV dnn's TensorFlow
 * importer, for frozen graphs (a GraphDef .pb) of the layers OpenCV has.
 * This file is the C edge: the descriptor, each session's loaded graphs,
 * vAccel's statuses. The OpenCV work is in module.cpp (tf-module.h),
 * loaded on the first tf op, so a profile listing tf maps no OpenCV until
 * a graph is used.
 */
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <vaccel/plugin.h>
#include "tf-module.h"
#include "../module.h"

struct tf_ctx {
	pthread_mutex_t lock;         /* the module, sessions' graph lists */
	void *handle;                 /* the module, once loaded */
	const struct tf_module *api;
};

/* A session's loaded graphs, by resource id. */
struct loaded {
	int64_t res;
	void *graph;
	struct loaded *next;
};

/* The module, loaded once per instance on first use; NULL (logged) if it cannot be. */
static const struct tf_module *module(struct tf_ctx *x)
{
	pthread_mutex_lock(&x->lock);
	if (!x->api)
		x->api = plugin_module_load((void *)module, TF_MODULE, TF_MODULE_SYMBOL, "tf", "OpenCV",
					    &x->handle);
	pthread_mutex_unlock(&x->lock);
	return x->api;
}

static int tf_init(const struct vaccel_plugin_options *opts, void **ctx)
{
	(void)opts;
	struct tf_ctx *x = calloc(1, sizeof(*x));
	if (!x)
		return VACCEL_ENOMEM;
	pthread_mutex_init(&x->lock, NULL);
	*ctx = x;
	return VACCEL_OK;
}

static void tf_fini(void *ctx)
{
	struct tf_ctx *x = ctx;
	/* OpenCV keeps static state: the module stays mapped. */
	pthread_mutex_destroy(&x->lock);
	free(x);
}

static void tf_session_release(void *ctx, struct vaccel_session *sess)
{
	struct tf_ctx *x = ctx;
	struct loaded *l = vaccel_session_get_plugin_data(sess, x);
	vaccel_session_set_plugin_data(sess, x, NULL);
	while (l) {
		struct loaded *next = l->next;
		x->api->free_graph(l->graph);
		free(l);
		l = next;
	}
}

/* A graph from a model resource: a file or bytes; a directory is a SavedModel. */
static int load_resource(const struct tf_module *api, struct vaccel_resource *res, void **graph)
{
	char err[512] = "";
	const void *data;
	size_t size;
	int ret;
	const char *path = vaccel_resource_path(res);
	struct stat st;
	if (path && !stat(path, &st) && S_ISDIR(st.st_mode)) {
		vaccel_error("tf: model resource %lld is a directory (%s), a SavedModel: OpenCV "
			     "dnn reads frozen graphs only (one GraphDef .pb file)",
			     (long long)res->id, path);
		return VACCEL_ENOTSUP;
	}
	if ((ret = vaccel_resource_bytes(res, &data, &size)))
		return ret;
	if ((ret = api->load(data, size, graph, err, sizeof(err))))
		vaccel_error("tf: model resource %lld%s%s %s: %s", (long long)res->id,
			     path ? " " : "", path ? path : "",
			     ret == VACCEL_ENOTSUP ? "is a graph OpenCV dnn cannot run"
						   : "is not a frozen graph OpenCV dnn can read",
			     err);
	return ret;
}

/*
 * The session's graph of resource arg `a`, loaded on first use and kept
 * until unloaded or the session is released; under the instance's lock.
 */
static int session_graph(struct tf_ctx *x, struct vaccel_session *sess,
			 const struct vaccel_arg *a, void **graph)
{
	const struct tf_module *api = module(x);
	struct vaccel_resource *res = vaccel_plugin_arg_resource(sess, a);
	if (!api)
		return VACCEL_ELIBBAD;
	if (!res)
		return VACCEL_EPERM;
	pthread_mutex_lock(&x->lock);
	struct loaded *head = vaccel_session_get_plugin_data(sess, x), *l;
	for (l = head; l && l->res != res->id; l = l->next)
		;
	int ret = VACCEL_OK;
	if (!l && !(l = calloc(1, sizeof(*l))))
		ret = VACCEL_ENOMEM;
	else if (!l->graph && !(ret = load_resource(api, res, &l->graph))) {
		l->res = res->id;
		l->next = head;
		ret = vaccel_session_set_plugin_data(sess, x, l);
		if (ret) {
			api->free_graph(l->graph);
			l->graph = NULL;
		}
	}
	if (!ret)
		*graph = l->graph;
	else if (l && !l->graph)
		free(l);
	pthread_mutex_unlock(&x->lock);
	return ret;
}

/* vAccel's status bytes: the code, then the message. */
static void set_status(struct vaccel_arg *w, const char *message)
{
	char *s = w->buf;
	s[0] = 0;
	snprintf(s + 1, w->size - 1, "%s", message);
}

/* read: model; write: status. */
static int tf_load(void *ctx, struct vaccel_session *sess, const struct vaccel_op_args *a)
{
	void *graph;
	int ret = session_graph(ctx, sess, &a->read[0], &graph);
	if (!ret)
		set_status(&a->write[0], "Graph loaded by OpenCV dnn");
	return ret;
}

/* read: model; write: status. Unloading a graph never loaded is no error. */
static int tf_unload(void *ctx, struct vaccel_session *sess, const struct vaccel_op_args *a)
{
	struct tf_ctx *x = ctx;
	int64_t id = vaccel_plugin_arg_i64(&a->read[0]);
	pthread_mutex_lock(&x->lock);
	struct loaded *head = vaccel_session_get_plugin_data(sess, x), **p = &head, *l;
	while (*p && (*p)->res != id)
		p = &(*p)->next;
	if ((l = *p)) {
		*p = l->next;
		vaccel_session_set_plugin_data(sess, x, head);
		x->api->free_graph(l->graph);
		free(l);
	}
	pthread_mutex_unlock(&x->lock);
	set_status(&a->write[0], l ? "Graph unloaded" : "No graph loaded");
	return VACCEL_OK;
}

/* Point names[i] at the i-th NUL-terminated name of the packed list (checked by the row). */
static void split_names(const struct vaccel_arg *a, const char **names, int n)
{
	const char *p = a->buf;
	for (int i = 0; i < n; i++, p += strlen(p) + 1)
		names[i] = p;
}

/*
 * read: model, run_options, in_nodes, out_nodes, in_desc, inputs...;
 * write: status, out_desc, outputs...
 */
static int tf_run(void *ctx, struct vaccel_session *sess, const struct vaccel_op_args *a)
{
	struct tf_ctx *x = ctx;
	void *graph;
	int ret = session_graph(x, sess, &a->read[0], &graph);
	if (ret)
		return ret;
	int nin = (int)a->nr_read - 5, nout = (int)a->nr_write - 2;
	const char *in_names[VACCEL_TF_MAX_TENSORS], *out_names[VACCEL_TF_MAX_TENSORS];
	const void *in[VACCEL_TF_MAX_TENSORS];
	void *out[VACCEL_TF_MAX_TENSORS];
	size_t cap[VACCEL_TF_MAX_TENSORS];
	split_names(&a->read[2], in_names, nin);
	split_names(&a->read[3], out_names, nout);
	for (int i = 0; i < nin; i++)
		in[i] = a->read[5 + i].buf;
	for (int i = 0; i < nout; i++) {
		out[i] = a->write[2 + i].buf;
		cap[i] = a->write[2 + i].size;
	}
	char err[512] = "";
	ret = x->api->run(graph, in_names, a->read[4].buf, in, nin, out_names, a->write[1].buf,
			  out, cap, nout, err, sizeof(err));
	if (ret && ret != VACCEL_ENOBUFS)
		vaccel_error("tf: tf_model_run: %s", err);
	if (!ret)
		set_status(&a->write[0], "Graph run by OpenCV dnn");
	return ret;
}

static void tf_describe(void *ctx, char *buf, size_t len)
{
	struct tf_ctx *x = ctx;
	snprintf(buf, len, "frozen graphs on OpenCV dnn %s",
		 x->api ? "(loaded)" : "(loads on first use)");
}

VACCEL_PLUGIN_DEFINE(
	.name = "tf",
	.version = PACKAGE_VERSION,
	.description = "vAccel's TensorFlow ops (frozen graphs, float32) on OpenCV dnn, CPU",
	.type = VACCEL_PLUGIN_CPU | VACCEL_PLUGIN_TENSORFLOW,
	.init = tf_init,
	.fini = tf_fini,
	.session_release = tf_session_release,
	.describe = tf_describe,
	.ops = {
		[VACCEL_OP_TF_MODEL_LOAD] = tf_load,
		[VACCEL_OP_TF_MODEL_UNLOAD] = tf_unload,
		[VACCEL_OP_TF_MODEL_RUN] = tf_run,
	});
