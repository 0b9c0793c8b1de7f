/* SPDX-License-Identifier: Apache-2.0 */
/*
 * vAccel's ("classic") plugins: a .so exporting vAccel's `vaccel_plugin`
 * (a pointer to its descriptor) instead of our vaccel_plugin_descriptor.
 * Its init registers op functions of vAccel's signatures; we keep them per
 * plugin and serve them through any_op, which classic-ops.c turns into
 * those signatures. A classic plugin has global state (vAccel's model), so
 * two listings of one share it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "internal.h"

struct classic_plugin {
	const struct vaccel_plugin_info *info;
	void *fn[VACCEL_CLASSIC_OP_MAX]; /* registered, with a known call form */
};

/* The plugin whose init runs now: bootstrap loads one at a time, locked. */
static struct classic_plugin *registering;

static bool classic_serves(void *ctx, vaccel_op_type_t op)
{
	const struct classic_plugin *c = ctx;
	return (unsigned)op < VACCEL_CLASSIC_OP_MAX && c->fn[op];
}

static int classic_any_op(void *ctx, struct vaccel_session *sess,
			  const struct vaccel_op_args *args)
{
	const struct classic_plugin *c = ctx;
	if (!classic_serves(ctx, args->op))
		return VACCEL_ENOTSUP;
	return classic_op_call(c->fn[args->op], sess, args);
}

static void classic_fini(void *ctx)
{
	const struct classic_plugin *c = ctx;
	if (c && c->info->fini)
		c->info->fini();
}

int classic_open(const struct vaccel_classic_plugin *vp, struct vaccel_loaded_plugin *out,
		 char *err, size_t errlen)
{
	const struct vaccel_plugin_info *info = vp->info;
	if (!info || !info->name || !*info->name || !info->init) {
		snprintf(err, errlen, "vAccel plugin lacks a name or an init");
		return VACCEL_ELIBBAD;
	}
	struct classic_plugin *c = calloc(1, sizeof(*c));
	if (!c)
		return VACCEL_ENOMEM;
	c->info = info;
	out->classic = c;
	out->desc = (struct vaccel_plugin){
		.abi_version = VACCEL_PLUGIN_ABI_VERSION,
		.size = sizeof(struct vaccel_plugin),
		.name = info->name,
		.version = info->version ? info->version : "",
		.description = "a plugin built for vAccel's plugin API",
		.fini = classic_fini,
		.any_op = classic_any_op,
		.serves = classic_serves,
		.type = (uint32_t)info->type,
	};
	return VACCEL_OK;
}

int classic_start(struct classic_plugin *c, void **ctx)
{
	registering = c;
	int ret = c->info->init();
	registering = NULL;
	*ctx = c;
	return ret;
}

/*
 * vAccel calls its session's plugin's resource hooks at registration (a
 * failure refuses it) and unregistration, where vAccel's exec unloads the
 * resource's libraries.
 */
int classic_resource_hook(const struct classic_plugin *c, bool registering,
			  struct vaccel_resource *res, struct vaccel_session *sess)
{
	int (*hook)(struct vaccel_resource *, struct vaccel_session *) =
		registering ? c->info->resource_register : c->info->resource_unregister;
	return hook ? hook(res, sess) : VACCEL_OK;
}

void classic_close(struct classic_plugin *c)
{
	free(c);
}

int vaccel_plugin_register_ops(struct vaccel_op *ops, size_t nr_ops)
{
	struct classic_plugin *c = registering;
	if (!c) {
		vaccel_error("vaccel_plugin_register_ops: called outside a plugin's init");
		return VACCEL_EINVAL;
	}
	if (!ops || !nr_ops || nr_ops > VACCEL_CLASSIC_OP_MAX) {
		vaccel_error("plugin %s: registers %zu ops", c->info->name, nr_ops);
		return VACCEL_EINVAL;
	}
	for (size_t i = 0; i < nr_ops; i++) {
		vaccel_op_type_t op = ops[i].type;
		if ((unsigned)op >= VACCEL_CLASSIC_OP_MAX || !ops[i].func) {
			vaccel_error("plugin %s: registers an invalid op (%d)", c->info->name, (int)op);
			return VACCEL_EINVAL;
		}
		if (!classic_op_callable(op)) {
			vaccel_warn("plugin %s: op %s left out: libvaccel does not call it in "
				    "vAccel's form yet", c->info->name, vaccel_op_name(op));
			continue;
		}
		c->fn[op] = ops[i].func;
		vaccel_debug("plugin %s: registered op %s", c->info->name, vaccel_op_name(op));
	}
	return VACCEL_OK;
}
