/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Frames and argument records: encode to bytes, decode with every length
 * checked against what holds it before anything is read or allocated.
 */
#include <string.h>
#include "wire/wire.h"
#include <vaccel/error.h>

static void put16(unsigned char *p, uint16_t v) { p[0] = (unsigned char)v; p[1] = (unsigned char)(v >> 8); }
static void put32(unsigned char *p, uint32_t v) { for (int i = 0; i < 4; i++) p[i] = (unsigned char)(v >> (8 * i)); }
static void put64(unsigned char *p, uint64_t v) { for (int i = 0; i < 8; i++) p[i] = (unsigned char)(v >> (8 * i)); }
static uint16_t get16(const unsigned char *p) { return (uint16_t)(p[0] | p[1] << 8); }
static uint32_t get32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}
static uint64_t get64(const unsigned char *p) { return (uint64_t)get32(p) | (uint64_t)get32(p + 4) << 32; }

void vaccel_wire_hdr_encode(const struct vaccel_wire_hdr *h, unsigned char out[VACCEL_WIRE_HDR_SIZE])
{
	put32(out, h->magic);
	put16(out + 4, h->version);
	put16(out + 6, h->type);
	put64(out + 8, h->id);
	put32(out + 16, h->op);
	put32(out + 20, (uint32_t)h->status);
	put32(out + 24, h->nargs);
	put32(out + 28, h->len);
}

int vaccel_wire_hdr_decode(const unsigned char in[VACCEL_WIRE_HDR_SIZE], uint32_t max_frame,
			   struct vaccel_wire_hdr *h, const char **why)
{
	h->magic = get32(in);
	h->version = get16(in + 4);
	h->type = get16(in + 6);
	h->id = get64(in + 8);
	h->op = get32(in + 16);
	h->status = (int32_t)get32(in + 20);
	h->nargs = get32(in + 24);
	h->len = get32(in + 28);
	if (h->magic != VACCEL_WIRE_MAGIC)
		*why = "bad magic";
	else if (h->version != VACCEL_WIRE_VERSION)
		*why = "unsupported protocol version";
	else if (h->type < VACCEL_WIRE_HELLO || h->type > VACCEL_WIRE_REPLY)
		*why = "unknown frame type";
	else if (h->nargs > VACCEL_WIRE_MAX_ARGS)
		*why = "too many arguments";
	else if ((uint64_t)h->len + VACCEL_WIRE_HDR_SIZE > max_frame)
		*why = "frame larger than the maximum";
	else if ((uint64_t)h->nargs * VACCEL_WIRE_ARG_HDR_SIZE > h->len)
		*why = "argument count past the frame";
	else
		return VACCEL_OK;
	return VACCEL_EINVAL;
}

uint64_t vaccel_wire_arg_size(uint64_t size, bool with_data)
{
	return VACCEL_WIRE_ARG_HDR_SIZE + (with_data ? (size + 7) / 8 * 8 : 0);
}

int vaccel_wire_arg_hdr_decode(const unsigned char rec[VACCEL_WIRE_ARG_HDR_SIZE],
			       struct vaccel_wire_arg *a, const char **why)
{
	a->type = get32(rec);
	a->flags = get32(rec + 4);
	a->size = get64(rec + 8);
	a->data = NULL;
	if (a->type >= VACCEL_ARG_MAX)
		*why = "unknown argument type";
	else if (a->flags & ~(VACCEL_WIRE_ARG_WRITE | VACCEL_WIRE_ARG_DATA))
		*why = "unknown argument flags";
	else
		return VACCEL_OK;
	return VACCEL_EINVAL;
}

int vaccel_wire_args_decode(void *payload, uint32_t len, uint32_t nargs,
			    struct vaccel_wire_arg *args, size_t max, const char **why)
{
	unsigned char *p = payload;
	uint64_t off = 0;
	if (nargs > max) {
		*why = "too many arguments";
		return -1;
	}
	for (uint32_t i = 0; i < nargs; i++) {
		if (len - off < VACCEL_WIRE_ARG_HDR_SIZE) {
			*why = "argument header past the frame";
			return -1;
		}
		struct vaccel_wire_arg *a = &args[i];
		if (vaccel_wire_arg_hdr_decode(p + off, a, why))
			return -1;
		off += VACCEL_WIRE_ARG_HDR_SIZE;
		/* A write arg without data only declares its size (checked by the
		 * receiver against its own limits); data must fit the frame. */
		if (a->flags & VACCEL_WIRE_ARG_DATA) {
			if (a->size > len) { /* keeps the padding below from overflowing */
				*why = "argument length past the frame";
				return -1;
			}
			uint64_t padded = (a->size + 7) / 8 * 8;
			if (padded > len - off) {
				*why = "argument data past the frame";
				return -1;
			}
			a->data = p + off;
			off += padded;
		}
	}
	if (off != len) {
		*why = "trailing bytes after the arguments";
		return -1;
	}
	return (int)nargs;
}

bool vaccel_wire_arg_i64(const struct vaccel_wire_arg *a, int64_t *v)
{
	if (!a->data || a->size != 8)
		return false;
	memcpy(v, a->data, 8);
	return true;
}

bool vaccel_wire_arg_u32(const struct vaccel_wire_arg *a, uint32_t *v)
{
	if (!a->data || a->size != 4)
		return false;
	memcpy(v, a->data, 4);
	return true;
}

const char *vaccel_wire_arg_str(const struct vaccel_wire_arg *a)
{
	if (!a->data || !a->size || !memchr(a->data, '\0', a->size))
		return NULL;
	return a->data;
}

static const unsigned char zeros[8];

int vaccel_wire_arg_iov(uint32_t type, uint32_t flags, const void *data, uint64_t size,
			unsigned char hdr_buf[VACCEL_WIRE_ARG_HDR_SIZE], struct iovec *iov)
{
	put32(hdr_buf, type);
	put32(hdr_buf + 4, flags);
	put64(hdr_buf + 8, size);
	int n = 0;
	iov[n++] = (struct iovec){ hdr_buf, VACCEL_WIRE_ARG_HDR_SIZE };
	if (flags & VACCEL_WIRE_ARG_DATA) {
		if (size)
			iov[n++] = (struct iovec){ (void *)data, size };
		if (size % 8)
			iov[n++] = (struct iovec){ (void *)zeros, 8 - size % 8 };
	}
	return n;
}

int vaccel_wire_frame_iov(struct vaccel_wire_hdr *h, const struct vaccel_wire_out *args,
			  size_t n, struct vaccel_wire_frame_bufs *bufs, struct iovec *iov)
{
	uint64_t len = 0;
	int niov = 1;
	if (n > VACCEL_WIRE_MAX_ARGS)
		return -1;
	for (size_t i = 0; i < n; i++) {
		len += vaccel_wire_arg_size(args[i].size, args[i].flags & VACCEL_WIRE_ARG_DATA);
		niov += vaccel_wire_arg_iov(args[i].type, args[i].flags, args[i].data, args[i].size,
					    bufs->rec[i], &iov[niov]);
	}
	if (len > UINT32_MAX)
		return -1;
	h->nargs = (uint32_t)n;
	h->len = (uint32_t)len;
	vaccel_wire_hdr_encode(h, bufs->hdr);
	iov[0] = (struct iovec){ bufs->hdr, sizeof(bufs->hdr) };
	return niov;
}
