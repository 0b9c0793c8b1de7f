/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The split virtqueue in a shared region. The device side trusts nothing
 * the driver wrote: it copies each descriptor once into private memory and
 * checks it there (index, flags, address and length against the heap,
 * chain length against the queue size) before using it.
 */
#include <stdio.h>
#include <string.h>
#include <vaccel/error.h>
#include "wire/vring.h"

#define ALIGN(x, a) (((x) + (a) - 1) / (a) * (a))

struct layout {
	uint64_t desc_off, avail_off, used_off, heap_off;
};

static struct layout layout_for(uint32_t qs)
{
	struct layout l;
	l.desc_off = VACCEL_VRING_HDR_SIZE;
	l.avail_off = l.desc_off + 16ull * qs;
	l.used_off = ALIGN(l.avail_off + 6 + 2ull * qs, 4);
	l.heap_off = ALIGN(l.used_off + 6 + 8ull * qs, 4096);
	return l;
}

uint64_t vaccel_vring_region_size(uint32_t qs, uint64_t heap_size)
{
	return layout_for(qs).heap_off + ALIGN(heap_size, 4096);
}

int vaccel_vring_format(void *base, uint64_t size, uint32_t qs)
{
	struct layout l = layout_for(qs);
	if (!qs || qs > VACCEL_VRING_MAX_QUEUE || (qs & (qs - 1)) || size <= l.heap_off)
		return VACCEL_EINVAL;
	struct vaccel_vring_shm *shm = base;
	memset(base, 0, l.heap_off);
	shm->magic = VACCEL_VRING_MAGIC;
	shm->version = 1;
	shm->protocol = VACCEL_VRING_PROTOCOL;
	shm->size = size;
	shm->queue_size = qs;
	shm->desc_off = (uint32_t)l.desc_off;
	shm->avail_off = (uint32_t)l.avail_off;
	shm->used_off = (uint32_t)l.used_off;
	shm->heap_off = l.heap_off;
	shm->heap_size = size - l.heap_off;
	return VACCEL_OK;
}

int vaccel_vring_attach(struct vaccel_vring *vr, void *base, uint64_t size, const char **why)
{
	struct vaccel_vring_shm *shm = base;
	uint32_t qs = shm->queue_size;
	*why = NULL;
	if (size < VACCEL_VRING_HDR_SIZE || shm->magic != VACCEL_VRING_MAGIC || shm->version != 1)
		*why = "not a vaccel virtqueue region (bad magic or version)";
	else if (!qs || qs > VACCEL_VRING_MAX_QUEUE || (qs & (qs - 1)))
		*why = "bad queue size";
	else if (shm->size != size)
		*why = "region size differs from the mapping";
	if (*why)
		return VACCEL_EINVAL;
	/* Offsets must be the ones this version lays out: nothing else to trust. */
	struct layout l = layout_for(qs);
	if (shm->desc_off != l.desc_off || shm->avail_off != l.avail_off ||
	    shm->used_off != l.used_off || shm->heap_off != l.heap_off ||
	    shm->heap_off >= size || shm->heap_size != size - l.heap_off) {
		*why = "ring layout does not match the queue size";
		return VACCEL_EINVAL;
	}
	unsigned char *b = base;
	*vr = (struct vaccel_vring){
		.base = b, .size = size, .qs = qs, .shm = shm,
		.desc = (struct vaccel_vring_desc *)(b + l.desc_off),
		.avail_flags = (uint16_t *)(b + l.avail_off),
		.avail_idx = (uint16_t *)(b + l.avail_off + 2),
		.avail_ring = (uint16_t *)(b + l.avail_off + 4),
		.used_flags = (uint16_t *)(b + l.used_off),
		.used_idx = (uint16_t *)(b + l.used_off + 2),
		.used_ring = (struct vaccel_vring_used_elem *)(b + l.used_off + 4),
	};
	return VACCEL_OK;
}

/* A descriptor is fine if its buffer lies inside the heap. */
static bool inside_heap(const struct vaccel_vring *vr, const struct vaccel_vring_desc *d)
{
	uint64_t lo = vr->shm->heap_off, hi = vr->size;
	return d->addr >= lo && d->addr <= hi && d->len <= hi - d->addr;
}

int vaccel_vring_next(struct vaccel_vring *vr, uint16_t *last_avail,
		      struct vaccel_vring_req *req, const char **why)
{
	uint16_t avail = __atomic_load_n(vr->avail_idx, __ATOMIC_ACQUIRE);
	if (avail == *last_avail)
		return 0;
	if ((uint16_t)(avail - *last_avail) > vr->qs) {
		*why = "available index moved by more than the queue size";
		return -1;
	}
	uint16_t head = __atomic_load_n(&vr->avail_ring[*last_avail % vr->qs], __ATOMIC_RELAXED);
	if (head >= vr->qs) {
		*why = "descriptor index out of range";
		return -1;
	}
	/* Walk the chain once, into private copies. */
	static __thread struct vaccel_vring_desc chain[VACCEL_VRING_MAX_QUEUE];
	uint32_t n = 0;
	for (uint16_t i = head;; ) {
		if (n == vr->qs) {
			*why = "descriptor chain loops or is longer than the queue";
			return -1;
		}
		memcpy(&chain[n], &vr->desc[i], sizeof(chain[n]));
		__atomic_thread_fence(__ATOMIC_ACQUIRE);
		const struct vaccel_vring_desc *d = &chain[n++];
		if (d->flags & ~(VACCEL_VRING_DESC_F_NEXT | VACCEL_VRING_DESC_F_WRITE)) {
			*why = "unknown descriptor flags";
			return -1;
		}
		if (!inside_heap(vr, d)) {
			*why = "buffer outside the region";
			return -1;
		}
		if (!(d->flags & VACCEL_VRING_DESC_F_NEXT))
			break;
		if (d->next >= vr->qs) {
			*why = "next descriptor index out of range";
			return -1;
		}
		i = d->next;
	}
	/* First: the frame header and records, read-only; last: the reply. */
	const struct vaccel_vring_desc *first = &chain[0], *last = &chain[n - 1];
	if (n < 2 || (first->flags & VACCEL_VRING_DESC_F_WRITE) || first->len < VACCEL_WIRE_HDR_SIZE) {
		*why = "chain lacks a request header or a reply buffer";
		return -1;
	}
	if (!(last->flags & VACCEL_VRING_DESC_F_WRITE) || last->len < VACCEL_WIRE_HDR_SIZE) {
		*why = "reply buffer missing, read-only or too small";
		return -1;
	}
	unsigned char hb[VACCEL_WIRE_HDR_SIZE], rec[VACCEL_WIRE_ARG_HDR_SIZE];
	memcpy(hb, vr->base + first->addr, sizeof(hb));
	if (vaccel_wire_hdr_decode(hb, UINT32_MAX, &req->hdr, why))
		return -1;
	/* A driver's chains: requests, and its HELLO first (VACCEL_VRING_PROTOCOL). */
	if ((req->hdr.type != VACCEL_WIRE_REQUEST && req->hdr.type != VACCEL_WIRE_HELLO) ||
	    (uint64_t)req->hdr.nargs * VACCEL_WIRE_ARG_HDR_SIZE != req->hdr.len ||
	    req->hdr.len > first->len - VACCEL_WIRE_HDR_SIZE) {
		*why = "request header does not match its descriptor";
		return -1;
	}
	uint32_t next = 1; /* data descriptors follow the header's */
	for (uint32_t a = 0; a < req->hdr.nargs; a++) {
		struct vaccel_wire_arg *arg = &req->args[a];
		memcpy(rec, vr->base + first->addr + VACCEL_WIRE_HDR_SIZE + a * sizeof(rec), sizeof(rec));
		if (vaccel_wire_arg_hdr_decode(rec, arg, why))
			return -1;
		if (!(arg->flags & (VACCEL_WIRE_ARG_DATA | VACCEL_WIRE_ARG_WRITE)))
			continue;
		if (next >= n - 1) {
			*why = "fewer data descriptors than arguments";
			return -1;
		}
		const struct vaccel_vring_desc *d = &chain[next++];
		bool writable = d->flags & VACCEL_VRING_DESC_F_WRITE;
		if (d->len < arg->size || ((arg->flags & VACCEL_WIRE_ARG_WRITE) && !writable)) {
			*why = "argument larger than its descriptor, or an output read-only";
			return -1;
		}
		arg->data = vr->base + d->addr;
	}
	if (next != n - 1) {
		*why = "more data descriptors than arguments";
		return -1;
	}
	req->head = head;
	req->nargs = (int)req->hdr.nargs;
	req->reply = vr->base + last->addr;
	req->reply_len = last->len;
	(*last_avail)++;
	return 1;
}

void vaccel_vring_complete(struct vaccel_vring *vr, uint16_t head, uint32_t len)
{
	uint16_t idx = *vr->used_idx; /* only the device writes it */
	vr->used_ring[idx % vr->qs] = (struct vaccel_vring_used_elem){ head, len };
	__atomic_store_n(vr->used_idx, (uint16_t)(idx + 1), __ATOMIC_RELEASE);
}

void vaccel_vring_break(struct vaccel_vring *vr, const char *why)
{
	snprintf(vr->shm->broken_reason, sizeof(vr->shm->broken_reason), "%s", why);
	__atomic_or_fetch(&vr->shm->device_status, VACCEL_VRING_DEVICE_BROKEN, __ATOMIC_RELEASE);
}
