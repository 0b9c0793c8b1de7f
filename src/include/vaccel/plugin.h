/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The plugin ABI: what a plugin exports and what libvaccel offers it.
 * Specified in vaccel-plugin(7).
 *
 * A plugin is a shared object exporting one descriptor, named by
 * VACCEL_PLUGIN_SYMBOL, of type struct vaccel_plugin. The descriptor carries
 * the ABI version it was built for and its own size, then a typed vtable of
 * operations (NULL where the plugin does not implement one).
 *
 * Growth rule (as SQLite's sqlite3_vfs): new entry points are only ever
 * appended to the end of struct vaccel_plugin_ops. A plugin built against an
 * older header has a smaller `size`; the loader treats the missing tail as
 * NULL. Any other change bumps VACCEL_PLUGIN_ABI_VERSION and the loader
 * refuses plugins built for another version.
 */
#ifndef VACCEL_PLUGIN_H
#define VACCEL_PLUGIN_H

#include <vaccel.h>

#define VACCEL_PLUGIN_ABI_VERSION 1
#define VACCEL_PLUGIN_SYMBOL "vaccel_plugin_descriptor"

struct vaccel_plugin_options;

/* One typed entry point per op; the signatures are those of <vaccel/ops.h>. */
struct vaccel_plugin_ops {
	int (*noop)(struct vaccel_session *sess);
	int (*sgemm)(struct vaccel_session *sess, int64_t m, int64_t n,
		     int64_t k, float alpha, float *a, int64_t lda, float *b,
		     int64_t ldb, float beta, float *c, int64_t ldc);
	int (*exec)(struct vaccel_session *sess, const char *library,
		    const char *fn_symbol, struct vaccel_arg *read,
		    size_t nr_read, struct vaccel_arg *write, size_t nr_write);
	int (*exec_with_resource)(struct vaccel_session *sess,
				  struct vaccel_resource *res,
				  const char *fn_symbol,
				  struct vaccel_arg *read, size_t nr_read,
				  struct vaccel_arg *write, size_t nr_write);
	int (*image_classify)(struct vaccel_session *sess, const void *img,
			      unsigned char *out_text,
			      unsigned char *out_imgname, size_t len_img,
			      size_t len_out_text, size_t len_out_imgname);
	int (*image_detect)(struct vaccel_session *sess, const void *img,
			    unsigned char *out_imgname, size_t len_img,
			    size_t len_out_imgname);
	int (*image_segment)(struct vaccel_session *sess, const void *img,
			     unsigned char *out_imgname, size_t len_img,
			     size_t len_out_imgname);
	int (*image_pose)(struct vaccel_session *sess, const void *img,
			  unsigned char *out_imgname, size_t len_img,
			  size_t len_out_imgname);
	int (*image_depth)(struct vaccel_session *sess, const void *img,
			   unsigned char *out_imgname, size_t len_img,
			   size_t len_out_imgname);
	/* vaccel extension, <vaccel/vision.h>: text lines and image bytes. */
	int (*image_analyze)(struct vaccel_session *sess, vaccel_op_type_t task,
			     const void *img, size_t len_img, char *out_text,
			     size_t len_out_text, unsigned char *out_img,
			     size_t len_out_img, size_t *out_img_size);
	/*
	 * vaccel extension, <vaccel/infer.h>. libvaccel has checked the
	 * tensors and resolved the model: `model` is always a file path;
	 * model_res is the resource it came from, or NULL.
	 */
	int (*tensor_infer)(struct vaccel_session *sess, const char *model,
			    struct vaccel_resource *model_res, const char *out_name,
			    const struct vaccel_tensor *in, struct vaccel_tensor *out);
	/*
	 * vaccel extension, <vaccel/shm.h>: buffers in the transport's shared
	 * region, passed to ops without a copy. shm_free returns VACCEL_EINVAL
	 * for a pointer that is not the plugin's.
	 */
	void *(*shm_alloc)(struct vaccel_session *sess, size_t size);
	int (*shm_free)(struct vaccel_session *sess, void *p);
	/* Append new ops here, never in between. */
};

struct vaccel_plugin {
	uint32_t abi_version;   /* VACCEL_PLUGIN_ABI_VERSION at build time */
	uint32_t size;          /* sizeof(struct vaccel_plugin) at build time */
	const char *name;       /* short name, as profiles spell it */
	const char *version;
	const char *description;
	/* NULL-terminated list of the option keys the plugin accepts. */
	const char *const *option_keys;

	/* Called once at load with the profile's options; 0 or VACCEL_E*. */
	int (*init)(const struct vaccel_plugin_options *opts);
	/* Called once at unload. */
	void (*fini)(void);
	/* Optional: a session was created / is being released. */
	int (*session_init)(struct vaccel_session *sess);
	void (*session_release)(struct vaccel_session *sess);

	struct vaccel_plugin_ops ops;
};

/* Define the descriptor: VACCEL_PLUGIN_DEFINE(.name = "x", .ops = {...}). */
#define VACCEL_PLUGIN_DEFINE(...)                                         \
	__attribute__((visibility("default")))                            \
	const struct vaccel_plugin vaccel_plugin_descriptor = {           \
		.abi_version = VACCEL_PLUGIN_ABI_VERSION,                 \
		.size = sizeof(struct vaccel_plugin), __VA_ARGS__ }

#ifdef __cplusplus
extern "C" {
#endif

/* Options: a scalar value, or NULL when the key is absent or a list. */
const char *vaccel_plugin_option(const struct vaccel_plugin_options *opts,
				 const char *key);
/*
 * A list value: *items gets the strings (owned by libvaccel, valid until the
 * plugin's fini). A scalar counts as a list of one. Returns the count.
 */
size_t vaccel_plugin_option_list(const struct vaccel_plugin_options *opts,
				 const char *key, const char *const **items);
/* Typed getters: absent -> *out = def, 0; malformed -> logged, VACCEL_EINVAL. */
int vaccel_plugin_option_bool(const struct vaccel_plugin_options *opts,
			      const char *key, bool def, bool *out);
int vaccel_plugin_option_long(const struct vaccel_plugin_options *opts,
			      const char *key, long def, long min, long max,
			      long *out);
/* Log an error about an option, prefixed with its file:line:column. */
void vaccel_plugin_option_error(const struct vaccel_plugin_options *opts,
				const char *key, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Per-session data of a plugin (e.g. a remote session id). */
int vaccel_session_set_plugin_data(struct vaccel_session *sess,
				   const struct vaccel_plugin *plugin,
				   void *data);
void *vaccel_session_get_plugin_data(const struct vaccel_session *sess,
				     const struct vaccel_plugin *plugin);

/* SHA-256 of a file as 64 lowercase hex digits + NUL. */
int vaccel_sha256_file(const char *path, char hex[65]);
void vaccel_sha256_hex(const void *data, size_t len, char hex[65]);

#ifdef __cplusplus
}
#endif

#endif /* VACCEL_PLUGIN_H */
