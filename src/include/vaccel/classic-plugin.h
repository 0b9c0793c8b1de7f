/* SPDX-License-Identifier: Apache-2.0 */
/*
 * vAccel's own plugin API (the "classic" one), so that a plugin written for
 * vAccel builds against our headers unmodified, and a plugin built against
 * vAccel's loads here beside ours (vaccel-plugin(7), "vAccel plugins").
 * The plugin defines its descriptor with VACCEL_PLUGIN(...); its init
 * registers op functions, each with the op's vAccel signature, by
 * vaccel_plugin_register_ops(). Layouts are vAccel's: the loader reads a
 * binary built against vAccel's headers the same way.
 */
#ifndef VACCEL_CLASSIC_PLUGIN_H
#define VACCEL_CLASSIC_PLUGIN_H

#include <stddef.h>
#include <vaccel/list.h>
#include <vaccel/ops.h>
#include <vaccel/session.h>

/*
 * The vAccel API level these headers implement (a plugin's vaccel_version):
 * the package version, which global.bats checks it against.
 */
#ifndef VACCEL_VERSION
#define VACCEL_VERSION "0.8.0"
#endif

#ifdef __cplusplus
extern "C" {
#endif

struct vaccel_plugin_info {
	const char *name;
	const char *version;
	const char *vaccel_version; /* VACCEL_VERSION it was built with */
	int (*init)(void);          /* registers the plugin's ops */
	int (*fini)(void);
	bool is_virtio;
	vaccel_plugin_type_t type;
	/*
	 * Optional hooks. The resource ones run when a resource is registered
	 * to (a failure refuses it) or unregistered from a session the plugin
	 * serves, as vAccel runs its session's plugin's; the session ones are
	 * not called (vAccel calls them for its transport plugins only).
	 */
	int (*session_init)(struct vaccel_session *sess, uint32_t flags);
	int (*session_release)(struct vaccel_session *sess);
	int (*session_update)(struct vaccel_session *sess, uint32_t flags);
	int (*resource_register)(struct vaccel_resource *res, struct vaccel_session *sess);
	int (*resource_unregister)(struct vaccel_resource *res, struct vaccel_session *sess);
	int (*resource_sync)(struct vaccel_resource *res, struct vaccel_session *sess);
};

/* vAccel's op count: the size of a classic plugin's ops array. */
#define VACCEL_CLASSIC_OP_MAX 24

/*
 * vAccel's struct vaccel_plugin, renamed: that tag is our ABI's descriptor
 * (<vaccel/plugin.h>). Plugin sources never spell it; VACCEL_PLUGIN does.
 */
struct vaccel_classic_plugin {
	void *dl_handle;
	struct vaccel_list_entry entry;
	struct vaccel_op *ops[VACCEL_CLASSIC_OP_MAX];
	struct vaccel_plugin_info *info;
};

/* One op function of a plugin: `func` has the vAccel signature of `type`. */
struct vaccel_op {
	vaccel_op_type_t type;
	void *func;
	struct vaccel_classic_plugin *owner;
};

/* Defined by VACCEL_PLUGIN in the plugin itself. */
extern struct vaccel_classic_plugin vaccel_this_plugin __attribute__((visibility("hidden")));

#define VACCEL_OP_INIT(name, type, func) { (type), (void *)(func), (&vaccel_this_plugin) }

/* The descriptor: VACCEL_PLUGIN(.name = "x", .version = "1", .init = init, ...). */
#define VACCEL_PLUGIN(...)                                                      \
	static struct vaccel_plugin_info _vaccel_plugin_info = { __VA_ARGS__ }; \
	__attribute__((visibility("hidden")))                                   \
	struct vaccel_classic_plugin vaccel_this_plugin = {                     \
		.dl_handle = NULL,                                              \
		.entry = LIST_ENTRY_INIT(vaccel_this_plugin.entry),             \
		.ops = { NULL },                                                \
		.info = &_vaccel_plugin_info                                    \
	};                                                                      \
	__attribute__((visibility("default")))                                  \
	const struct vaccel_classic_plugin *vaccel_plugin = &vaccel_this_plugin;

/*
 * Register op functions; called from the plugin's init while libvaccel
 * loads it. VACCEL_EINVAL for no ops, too many, or a call from outside an
 * init. An op this libvaccel cannot call in vAccel's form is logged and
 * left out (the plugin loads without it).
 */
int vaccel_plugin_register_ops(struct vaccel_op *ops, size_t nr_ops);

static inline int vaccel_plugin_register_op(struct vaccel_op *op)
{
	return vaccel_plugin_register_ops(op, 1);
}

/*
 * Load a plugin after bootstrap, from a file name (dlopen's search; a bare
 * plugin name as VACCEL_PLUGINS takes also works) or a path: ours or one
 * built for vAccel's API. It comes after the profile's plugins, with no
 * options, and the live sessions route to it the ops no earlier plugin
 * serves. VACCEL_ENOENT: the library cannot be opened; VACCEL_ELIBBAD: it
 * is not a plugin; VACCEL_EEXIST: it is loaded already; VACCEL_EBACKEND:
 * no bootstrap; else the plugin's init's error.
 */
int vaccel_plugin_load(const char *lib);
/* Load each plugin of a ':'-separated list; stops at the first error. */
int vaccel_plugin_parse_and_load(const char *lib_str);

/* Deprecated in vAccel (and here). */
#define VACCEL_MODULE(...)                                                                    \
	_Pragma("GCC warning \"VACCEL_MODULE() is deprecated. Use VACCEL_PLUGIN() instead\"") \
		VACCEL_PLUGIN(__VA_ARGS__)

__attribute__((deprecated("Use vaccel_plugin_register_op() instead"))) static inline int
register_plugin_function(struct vaccel_op *plugin_op)
{
	return vaccel_plugin_register_op(plugin_op);
}

__attribute__((deprecated("Use vaccel_plugin_register_ops() instead"))) static inline int
register_plugin_functions(struct vaccel_op *plugin_ops, size_t nr_ops)
{
	return vaccel_plugin_register_ops(plugin_ops, nr_ops);
}

#ifdef __cplusplus
}
#endif

#endif /* VACCEL_CLASSIC_PLUGIN_H */
