/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The client side shared by the transport plugins (rpc, virtio): remote.c
 * turns every op into requests on a channel; each transport provides the
 * channel and its plugin descriptor (with REMOTE_OPS).
 */
#ifndef VACCEL_REMOTE_H
#define VACCEL_REMOTE_H

#include <vaccel/infer.h>
#include <vaccel/plugin.h>
#include <vaccel/vision.h>
#include <vaccel/wire.h>

/* Where one inline argument of a reply lands. */
struct rpc_in {
	void *buf;
	uint64_t size;       /* capacity in; bytes received out */
};

static inline struct vaccel_wire_out rpc_i64(const int64_t *v)
{
	return (struct vaccel_wire_out){ VACCEL_ARG_INT64, VACCEL_WIRE_ARG_DATA, v, 8 };
}

static inline struct vaccel_wire_out rpc_u32(const uint32_t *v)
{
	return (struct vaccel_wire_out){ VACCEL_ARG_UINT32, VACCEL_WIRE_ARG_DATA, v, 4 };
}

/* ---- what a transport provides ---- */
struct chan;
extern const char remote_name[];     /* "rpc", "virtio": for messages */
/* Open the transport's channel to its agent (errors are logged). */
int chan_open(struct chan **out);
void chan_get(struct chan *c);
void chan_put(struct chan *c);
bool chan_alive(struct chan *c);
/*
 * One request and its reply. Write args (flag WRITE) are outputs: their
 * data pointers are the caller's buffers, which get the results; dst lists
 * where the reply's other args land (for GENOP, the write buffers again).
 * Returns the agent's status or a transport error.
 */
int chan_call(struct chan *c, uint32_t op, const struct vaccel_wire_out *args, size_t n,
	      struct rpc_in *dst, size_t ndst);

/* ---- what remote.c provides ---- */
int remote_session_init(struct vaccel_session *sess);
void remote_session_release(struct vaccel_session *sess);
void remote_fini(void);
/* The channel a session's requests go on, or NULL. */
struct chan *remote_session_chan(struct vaccel_session *sess);
int remote_noop(struct vaccel_session *sess);
int remote_sgemm(struct vaccel_session *sess, int64_t m, int64_t n, int64_t k, float alpha,
		 float *a, int64_t lda, float *b, int64_t ldb, float beta, float *c, int64_t ldc);
int remote_exec(struct vaccel_session *sess, const char *library, const char *fn_symbol,
		struct vaccel_arg *read, size_t nr_read, struct vaccel_arg *write, size_t nr_write);
int remote_exec_res(struct vaccel_session *sess, struct vaccel_resource *res,
		    const char *fn_symbol, struct vaccel_arg *read, size_t nr_read,
		    struct vaccel_arg *write, size_t nr_write);
int remote_classify(struct vaccel_session *sess, const void *img, unsigned char *out_text,
		    unsigned char *out_imgname, size_t len_img, size_t len_out_text,
		    size_t len_out_imgname);
int remote_detect(struct vaccel_session *s, const void *i, unsigned char *o, size_t l, size_t lo);
int remote_segment(struct vaccel_session *s, const void *i, unsigned char *o, size_t l, size_t lo);
int remote_pose(struct vaccel_session *s, const void *i, unsigned char *o, size_t l, size_t lo);
int remote_depth(struct vaccel_session *s, const void *i, unsigned char *o, size_t l, size_t lo);
int remote_analyze(struct vaccel_session *sess, vaccel_op_type_t task, const void *img,
		   size_t len_img, char *out_text, size_t len_out_text,
		   unsigned char *out_img, size_t len_out_img, size_t *out_img_size);
int remote_infer(struct vaccel_session *sess, const char *model,
		 struct vaccel_resource *model_res, const char *out_name,
		 const struct vaccel_tensor *in, struct vaccel_tensor *out);

/* Every op of the API, for a transport's descriptor: .ops = { REMOTE_OPS }. */
#define REMOTE_OPS                                    \
	.noop = remote_noop,                          \
	.sgemm = remote_sgemm,                        \
	.exec = remote_exec,                          \
	.exec_with_resource = remote_exec_res,        \
	.image_classify = remote_classify,            \
	.image_detect = remote_detect,                \
	.image_segment = remote_segment,              \
	.image_pose = remote_pose,                    \
	.image_depth = remote_depth,                  \
	.image_analyze = remote_analyze,              \
	.tensor_infer = remote_infer

#endif
