/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The torch plugin: vAccel's torch ops on libtorch, on the CPU. This file
 * is the C edge: the descriptor, the options, each session's loaded
 * models. The libtorch work is in module.cpp (torch-module.h), a module
 * loaded on the first op that needs it: libtorch costs a process about a
 * quarter of a second to load, which a profile listing torch (the default
 * one) should not charge to `vaccel sgemm`.
 */
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <vaccel/plugin.h>
#include "torch-module.h"
#include "../module.h"

static const char *const option_keys[] = { "threads", "device", NULL };

struct torch_ctx {
	long threads;                 /* intra-op threads; 0: libtorch's default */
	pthread_mutex_t lock;         /* the module, sessions' model lists */
	void *handle;                 /* the module, once loaded */
	const struct torch_module *api;
};

/* A session's loaded models, by resource id. */
struct loaded {
	int64_t res;
	void *model;
	struct loaded *next;
};

/* The module, loaded once per instance on first use; NULL (logged) if it cannot be. */
static const struct torch_module *module(struct torch_ctx *x)
{
	pthread_mutex_lock(&x->lock);
	if (!x->api) {
		x->api = plugin_module_load((void *)module, TORCH_MODULE, TORCH_MODULE_SYMBOL, "torch",
					    "libtorch", &x->handle);
		if (x->api)
			x->api->set_threads((int)x->threads);
	}
	pthread_mutex_unlock(&x->lock);
	return x->api;
}

static void torch_fini(void *ctx)
{
	struct torch_ctx *x = ctx;
	/* libtorch keeps thread pools and static state: it stays mapped. */
	pthread_mutex_destroy(&x->lock);
	free(x);
}

static int torch_init(const struct vaccel_plugin_options *opts, void **ctx)
{
	struct torch_ctx *x = calloc(1, sizeof(*x));
	if (!x)
		return VACCEL_ENOMEM;
	pthread_mutex_init(&x->lock, NULL);
	int ret = vaccel_plugin_option_long(opts, "threads", 0, 0, 1024, &x->threads);
	const char *device = vaccel_plugin_option(opts, "device");
	if (!ret && device && strcmp(device, "cpu")) {
		const struct torch_module *api = strcmp(device, "cuda") ? NULL : module(x);
		if (!strcmp(device, "cuda") && api && !api->cuda_available())
			vaccel_plugin_option_error(opts, "device", "cuda: this libtorch has no CUDA "
						   "(Debian's libtorch is built for the CPU only)");
		else if (!strcmp(device, "cuda") && api)
			vaccel_plugin_option_error(opts, "device", "cuda: not supported yet, "
						   "use cpu");
		else if (strcmp(device, "cuda"))
			vaccel_plugin_option_error(opts, "device", "'%s' is not cpu or cuda",
						   device);
		ret = strcmp(device, "cuda") ? VACCEL_EINVAL : VACCEL_ENOTSUP;
	}
	if (ret) {
		torch_fini(x);
		return ret;
	}
	*ctx = x;
	return VACCEL_OK;
}

/* ---- sessions' models ---- */

static void torch_session_release(void *ctx, struct vaccel_session *sess)
{
	struct torch_ctx *x = ctx;
	struct loaded *l = vaccel_session_get_plugin_data(sess, x);
	if (!l)
		return;
	vaccel_session_set_plugin_data(sess, x, NULL);
	while (l) {
		struct loaded *next = l->next;
		x->api->free_model(l->model);
		free(l);
		l = next;
	}
}

/* Load a model resource from its file, or its bytes when it has none. */
static int load_resource(const struct torch_module *api, struct vaccel_resource *res, void **model)
{
	char err[512] = "";
	const char *path = vaccel_resource_path(res);
	const void *data;
	size_t size;
	int ret;
	if (path)
		ret = api->load_file(path, model, err, sizeof(err));
	else if (!(ret = vaccel_resource_bytes(res, &data, &size)))
		ret = api->load_bytes(data, size, model, err, sizeof(err));
	if (ret)
		vaccel_error("torch: model resource %lld%s%s is not a TorchScript model libtorch "
			     "can load: %s", (long long)res->id, path ? " " : "", path ? path : "",
			     *err ? err : "cannot read it");
	return ret;
}

/*
 * The session's model of resource arg `a`, loaded on first use and kept
 * until the session is released. Under the instance's lock: one load at a
 * time (libtorch loads are not cheap to waste on a race).
 */
static int session_model(struct torch_ctx *x, struct vaccel_session *sess,
			 const struct vaccel_arg *a, void **model)
{
	const struct torch_module *api = module(x);
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

/* ---- the ops ---- */

/* read: model. */
static int torch_load(void *ctx, struct vaccel_session *sess, const struct vaccel_op_args *a)
{
	void *model;
	return session_model(ctx, sess, &a->read[0], &model);
}

/* read: model, run_options, in_desc, inputs...; write: out_desc, outputs... */
static int torch_run(void *ctx, struct vaccel_session *sess, const struct vaccel_op_args *a)
{
	struct torch_ctx *x = ctx;
	void *model;
	int ret = session_model(x, sess, &a->read[0], &model);
	if (ret)
		return ret;
	int nin = (int)a->nr_read - 3, nout = (int)a->nr_write - 1;
	const void *in[VACCEL_TORCH_MAX_TENSORS];
	void *out[VACCEL_TORCH_MAX_TENSORS];
	size_t cap[VACCEL_TORCH_MAX_TENSORS];
	for (int i = 0; i < nin; i++)
		in[i] = a->read[3 + i].buf;
	for (int i = 0; i < nout; i++) {
		out[i] = a->write[1 + i].buf;
		cap[i] = a->write[1 + i].size;
	}
	char err[512] = "";
	ret = x->api->run(model, a->read[2].buf, in, nin, a->write[0].buf, out, cap, nout, err,
			  sizeof(err));
	if (ret && ret != VACCEL_ENOBUFS)
		vaccel_error("torch: torch_model_run: %s", err);
	return ret;
}

/* read: m, n, k, a, b, c (or empty); write: out. */
static int torch_sgemm(void *ctx, struct vaccel_session *sess, const struct vaccel_op_args *a)
{
	(void)sess;
	const struct torch_module *api = module(ctx);
	struct vaccel_arg *r = a->read;
	char err[512] = "";
	if (!api)
		return VACCEL_ELIBBAD;
	int ret = api->sgemm(vaccel_plugin_arg_i32(&r[0]), vaccel_plugin_arg_i32(&r[1]),
			     vaccel_plugin_arg_i32(&r[2]), r[3].buf, r[4].buf,
			     r[5].size ? r[5].buf : NULL, a->write[0].buf, err, sizeof(err));
	if (ret)
		vaccel_error("torch: torch_sgemm: %s", err);
	return ret;
}

static void torch_describe(void *ctx, char *buf, size_t len)
{
	struct torch_ctx *x = ctx;
	char threads[32] = "libtorch's default";
	if (x->threads)
		snprintf(threads, sizeof(threads), "%ld", x->threads);
	snprintf(buf, len, "cpu, threads: %s, libtorch %s", threads,
		 x->api ? "loaded" : "loads on first use");
}

VACCEL_PLUGIN_DEFINE(
	.name = "torch",
	.version = PACKAGE_VERSION,
	.description = "vAccel's torch ops (TorchScript models, torch SGEMM) on libtorch, CPU",
	.type = VACCEL_PLUGIN_CPU | VACCEL_PLUGIN_TORCH,
	.option_keys = option_keys,
	.init = torch_init,
	.fini = torch_fini,
	.session_release = torch_session_release,
	.describe = torch_describe,
	.ops = {
		[VACCEL_OP_TORCH_MODEL_LOAD] = torch_load,
		[VACCEL_OP_TORCH_MODEL_RUN] = torch_run,
		[VACCEL_OP_TORCH_SGEMM] = torch_sgemm,
	});
