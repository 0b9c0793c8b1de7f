/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The tflite plugin: vAccel's TensorFlow Lite ops on Arm NN's TfLite
 * parser and runtime, on the CpuRef backend. This file is the C edge: the
 * descriptor, each session's loaded models. The Arm NN work is in
 * module.cpp (tflite-module.h), loaded on the first tflite op.
 */
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <vaccel/plugin.h>
#include "tflite-module.h"
#include "../module.h"

struct tflite_ctx {
	pthread_mutex_t lock;         /* the module, sessions' model lists */
	void *handle;                 /* the module, once loaded */
	const struct tflite_module *api;
};

/* A session's loaded models, by resource id. */
struct loaded {
	int64_t res;
	void *model;
	struct loaded *next;
};

/* The module, loaded once per instance on first use; NULL (logged) if it cannot be. */
static const struct tflite_module *module(struct tflite_ctx *x)
{
	pthread_mutex_lock(&x->lock);
	if (!x->api)
		x->api = plugin_module_load((void *)module, TFLITE_MODULE, TFLITE_MODULE_SYMBOL,
					    "tflite", "Arm NN", &x->handle);
	pthread_mutex_unlock(&x->lock);
	return x->api;
}

static int tflite_init(const struct vaccel_plugin_options *opts, void **ctx)
{
	(void)opts;
	struct tflite_ctx *x = calloc(1, sizeof(*x));
	if (!x)
		return VACCEL_ENOMEM;
	pthread_mutex_init(&x->lock, NULL);
	*ctx = x;
	return VACCEL_OK;
}

static void tflite_fini(void *ctx)
{
	struct tflite_ctx *x = ctx;
	/* Arm NN keeps static state (its backend registry): the module stays mapped. */
	pthread_mutex_destroy(&x->lock);
	free(x);
}

static void tflite_session_release(void *ctx, struct vaccel_session *sess)
{
	struct tflite_ctx *x = ctx;
	struct loaded *l = vaccel_session_get_plugin_data(sess, x);
	vaccel_session_set_plugin_data(sess, x, NULL);
	while (l) {
		struct loaded *next = l->next;
		x->api->free_model(l->model);
		free(l);
		l = next;
	}
}

/* A model from a model resource: a file or bytes. */
static int load_resource(const struct tflite_module *api, struct vaccel_resource *res,
			 void **model)
{
	char err[512] = "";
	const char *path = vaccel_resource_path(res);
	const void *data;
	size_t size;
	int ret = vaccel_resource_bytes(res, &data, &size);
	if (!ret && (ret = api->load(data, size, model, err, sizeof(err))))
		vaccel_error("tflite: model resource %lld%s%s is a model Arm NN cannot run: %s",
			     (long long)res->id, path ? " " : "", path ? path : "", err);
	return ret;
}

/*
 * The session's model of resource arg `a`, loaded on first use and kept
 * until unloaded or the session is released; under the instance's lock.
 */
static int session_model(struct tflite_ctx *x, struct vaccel_session *sess,
			 const struct vaccel_arg *a, void **model)
{
	const struct tflite_module *api = module(x);
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
	else if (!l->model && !(ret = load_resource(api, res, &l->model))) {
		l->res = res->id;
		l->next = head;
		ret = vaccel_session_set_plugin_data(sess, x, l);
		if (ret) {
			api->free_model(l->model);
			l->model = NULL;
		}
	}
	if (!ret)
		*model = l->model;
	else if (l && !l->model)
		free(l);
	pthread_mutex_unlock(&x->lock);
	return ret;
}

/* read: model. */
static int tflite_load(void *ctx, struct vaccel_session *sess, const struct vaccel_op_args *a)
{
	void *model;
	return session_model(ctx, sess, &a->read[0], &model);
}

/* read: model. Unloading a model never loaded is no error. */
static int tflite_unload(void *ctx, struct vaccel_session *sess, const struct vaccel_op_args *a)
{
	struct tflite_ctx *x = ctx;
	int64_t id = vaccel_plugin_arg_i64(&a->read[0]);
	pthread_mutex_lock(&x->lock);
	struct loaded *head = vaccel_session_get_plugin_data(sess, x), **p = &head, *l;
	while (*p && (*p)->res != id)
		p = &(*p)->next;
	if ((l = *p)) {
		*p = l->next;
		vaccel_session_set_plugin_data(sess, x, head);
		x->api->free_model(l->model);
		free(l);
	}
	pthread_mutex_unlock(&x->lock);
	return VACCEL_OK;
}

/* read: model, in_desc, inputs...; write: out_desc, outputs... */
static int tflite_run(void *ctx, struct vaccel_session *sess, const struct vaccel_op_args *a)
{
	struct tflite_ctx *x = ctx;
	void *model;
	int ret = session_model(x, sess, &a->read[0], &model);
	if (ret)
		return ret;
	int nin = (int)a->nr_read - 2, nout = (int)a->nr_write - 1;
	const void *in[VACCEL_TFLITE_MAX_TENSORS];
	void *out[VACCEL_TFLITE_MAX_TENSORS];
	size_t cap[VACCEL_TFLITE_MAX_TENSORS];
	for (int i = 0; i < nin; i++)
		in[i] = a->read[2 + i].buf;
	for (int i = 0; i < nout; i++) {
		out[i] = a->write[1 + i].buf;
		cap[i] = a->write[1 + i].size;
	}
	char err[512] = "";
	ret = x->api->run(model, a->read[1].buf, in, nin, a->write[0].buf, out, cap, nout, err,
			  sizeof(err));
	if (ret && ret != VACCEL_ENOBUFS)
		vaccel_error("tflite: tflite_model_run: %s", err);
	return ret;
}

static void tflite_describe(void *ctx, char *buf, size_t len)
{
	struct tflite_ctx *x = ctx;
	snprintf(buf, len, "Arm NN, CpuRef %s", x->api ? "(loaded)" : "(loads on first use)");
}

VACCEL_PLUGIN_DEFINE(
	.name = "tflite",
	.version = PACKAGE_VERSION,
	.description = "vAccel's TensorFlow Lite ops on Arm NN (TfLite parser, CpuRef backend)",
	.type = VACCEL_PLUGIN_CPU | VACCEL_PLUGIN_TENSORFLOW,
	.init = tflite_init,
	.fini = tflite_fini,
	.session_release = tflite_session_release,
	.describe = tflite_describe,
	.ops = {
		[VACCEL_OP_TFLITE_MODEL_LOAD] = tflite_load,
		[VACCEL_OP_TFLITE_MODEL_UNLOAD] = tflite_unload,
		[VACCEL_OP_TFLITE_MODEL_RUN] = tflite_run,
	});
