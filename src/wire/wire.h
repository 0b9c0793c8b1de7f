/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The wire format shared by every transport (rpc sockets, and the virtio
 * ring's buffers): frames, argument records and addresses. Specified in
 * vaccel-protocol(7); everything is little-endian.
 *
 * A frame is a fixed 32-byte header followed by `len` payload bytes. The
 * payload is `nargs` argument records, each a 16-byte record header
 * (type u32, flags u32, size u64) followed, when the record carries data,
 * by `size` bytes padded with zeros to a multiple of 8.
 */
#ifndef VACCEL_WIRE_H
#define VACCEL_WIRE_H

#include <sys/uio.h>
#include <vaccel/arg.h>

/* Frames are encoded little-endian, but scalar args and the virtqueue's
 * region travel in the host's own order: only little-endian hosts. */
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "vaccel's wire format and shared ring assume a little-endian host"
#endif

#define VACCEL_WIRE_MAGIC 0x57434156u /* "VACW" in little-endian order */
#define VACCEL_WIRE_VERSION 1
#define VACCEL_WIRE_HDR_SIZE 32
#define VACCEL_WIRE_ARG_HDR_SIZE 16
#define VACCEL_WIRE_MAX_ARGS 64
/* Files of one resource a RESOURCE_NEW carries at most. */
#define VACCEL_WIRE_MAX_RESOURCE_FILES 16
/* Default largest frame an end accepts: header plus payload. */
#define VACCEL_WIRE_DEFAULT_MAX_FRAME (256u << 20)

enum vaccel_wire_type {
	VACCEL_WIRE_HELLO = 1,   /* client -> agent, first frame */
	VACCEL_WIRE_WELCOME = 2, /* agent -> client, answer to HELLO */
	VACCEL_WIRE_REQUEST = 3,
	VACCEL_WIRE_REPLY = 4,
};

/* Request codes (the header's `op` field of REQUEST and REPLY frames). */
enum vaccel_wire_op {
	VACCEL_WIRE_SESSION_NEW = 1,
	VACCEL_WIRE_SESSION_RELEASE = 2,
	VACCEL_WIRE_RESOURCE_NEW = 3,
	VACCEL_WIRE_RESOURCE_RELEASE = 4,
	VACCEL_WIRE_RESOURCE_REGISTER = 5,
	VACCEL_WIRE_RESOURCE_UNREGISTER = 6,
	VACCEL_WIRE_GENOP = 7,
	VACCEL_WIRE_STATUS = 8,
	VACCEL_WIRE_OP_MAX
};

/* Argument record flags. */
#define VACCEL_WIRE_ARG_WRITE 1u /* an output of the op */
#define VACCEL_WIRE_ARG_DATA 2u  /* `size` bytes of data follow the record */

struct vaccel_wire_hdr {
	uint32_t magic;
	uint16_t version;
	uint16_t type;
	uint64_t id;      /* request id, echoed by the reply */
	uint32_t op;      /* enum vaccel_wire_op */
	int32_t status;   /* replies: a VACCEL_* code */
	uint32_t nargs;
	uint32_t len;     /* payload bytes after the header */
};

/* One decoded argument: points into the frame's payload (no copy). */
struct vaccel_wire_arg {
	uint32_t type;
	uint32_t flags;
	uint64_t size;
	void *data;       /* NULL when the record has no data */
};

/* One argument to encode: sent straight from `data` (writev, no copy). */
struct vaccel_wire_out {
	uint32_t type;
	uint32_t flags;
	const void *data;
	uint64_t size;
};

#ifdef __cplusplus
extern "C" {
#endif

void vaccel_wire_hdr_encode(const struct vaccel_wire_hdr *h,
			    unsigned char out[VACCEL_WIRE_HDR_SIZE]);
/*
 * Decode and check a header: magic, version, type, nargs and len against
 * max_frame. Returns 0, or VACCEL_EINVAL with a reason in *why.
 */
int vaccel_wire_hdr_decode(const unsigned char in[VACCEL_WIRE_HDR_SIZE],
			   uint32_t max_frame, struct vaccel_wire_hdr *h,
			   const char **why);

/*
 * Parse a payload of `len` bytes into at most `max` args. Every record
 * header and data length is checked against the payload before use.
 * Returns the count, or -1 with a reason in *why.
 */
int vaccel_wire_args_decode(void *payload, uint32_t len, uint32_t nargs,
			    struct vaccel_wire_arg *args, size_t max,
			    const char **why);

/* Decode one record header (type and flags checked); 0 or VACCEL_EINVAL. */
int vaccel_wire_arg_hdr_decode(const unsigned char rec[VACCEL_WIRE_ARG_HDR_SIZE],
			       struct vaccel_wire_arg *a, const char **why);

/*
 * A decoded arg as a scalar or a string: false (NULL) unless it has data of
 * exactly that size (a NUL within its size).
 */
bool vaccel_wire_arg_i64(const struct vaccel_wire_arg *a, int64_t *v);
bool vaccel_wire_arg_u32(const struct vaccel_wire_arg *a, uint32_t *v);
const char *vaccel_wire_arg_str(const struct vaccel_wire_arg *a);

/* Bytes an arg takes in a payload (record header, data and padding). */
uint64_t vaccel_wire_arg_size(uint64_t size, bool with_data);

/*
 * Build iovecs for one arg: its record header (written into hdr_buf, which
 * must live until the write), its data when with_data, and padding. Returns
 * the number of iovecs used (at most 3).
 */
int vaccel_wire_arg_iov(uint32_t type, uint32_t flags, const void *data,
			uint64_t size, unsigned char hdr_buf[VACCEL_WIRE_ARG_HDR_SIZE],
			struct iovec *iov);

/* Where a frame's encoded header and records live until it is written. */
struct vaccel_wire_frame_bufs {
	unsigned char hdr[VACCEL_WIRE_HDR_SIZE];
	unsigned char rec[VACCEL_WIRE_MAX_ARGS][VACCEL_WIRE_ARG_HDR_SIZE];
};
#define VACCEL_WIRE_FRAME_MAX_IOV (1 + 3 * VACCEL_WIRE_MAX_ARGS)

/*
 * One frame as scatter-gather pieces, sent from the args' own memory (no
 * copies): h's nargs and len are set from args, then h is encoded with
 * each record into bufs. Returns the number of iovecs (at most
 * VACCEL_WIRE_FRAME_MAX_IOV), or -1 when there are more than
 * VACCEL_WIRE_MAX_ARGS args or the payload passes a frame's 32-bit length.
 */
int vaccel_wire_frame_iov(struct vaccel_wire_hdr *h, const struct vaccel_wire_out *args,
			  size_t n, struct vaccel_wire_frame_bufs *bufs, struct iovec *iov);

/*
 * Addresses: unix:///path, tcp://HOST:PORT, tcp://[V6]:PORT, vsock://CID:PORT,
 * and, for clients in a QEMU guest, serial:///dev/virtio-ports/NAME (a
 * virtio-serial port whose host end QEMU connects to the agent's socket).
 */
enum vaccel_addr_kind { VACCEL_ADDR_UNIX = 1, VACCEL_ADDR_TCP, VACCEL_ADDR_VSOCK,
			VACCEL_ADDR_SERIAL };

struct vaccel_addr {
	enum vaccel_addr_kind kind;
	char path[108];   /* unix */
	char host[256];   /* tcp: without brackets */
	uint16_t port;    /* tcp, vsock */
	uint32_t cid;     /* vsock */
};

/* Returns 0 or VACCEL_EINVAL with a reason in *why. */
int vaccel_addr_parse(const char *text, struct vaccel_addr *addr, const char **why);

#ifdef __cplusplus
}
#endif

#endif /* VACCEL_WIRE_H */
