/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The virtio transport's shared region: one split virtqueue (virtio 1.x,
 * section 2.7: descriptor table, available ring, used ring, free-running
 * 16-bit indexes) and a heap of buffers, in one mapping that the driver
 * (the client) and the device (the agent) share. Addresses in descriptors
 * are offsets from the start of the region. Specified in
 * vaccel-protocol(7).
 *
 * Requests are wire frames (<vaccel/wire.h>) spread over a descriptor
 * chain: the first descriptor holds the frame header and the argument
 * records; each record with DATA or WRITE takes the next descriptor of the
 * chain for its bytes; the last descriptor is device-writable and receives
 * the reply frame (header and inline args).
 */
#ifndef VACCEL_VRING_H
#define VACCEL_VRING_H

#include <stddef.h>
#include "wire/wire.h"

#define VACCEL_VRING_MAGIC 0x31525156u     /* "VQR1" */
#define VACCEL_VRING_HDR_SIZE 4096
#define VACCEL_VRING_MAX_QUEUE 1024
#define VACCEL_VRING_DESC_F_NEXT 1
#define VACCEL_VRING_DESC_F_WRITE 2

/*
 * The virtqueue protocol, in the region's `protocol` field (set by the
 * device): 2, the driver's first chain is a HELLO, answered by a WELCOME
 * (vaccel-protocol(7)); agents before it leave the field 0 (protocol 1,
 * no handshake). A driver refuses a device of another protocol, and a
 * device answers a driver's first chain that is not a HELLO with an error
 * naming both.
 */
#define VACCEL_VRING_PROTOCOL 2

/* Device status bits. */
#define VACCEL_VRING_DEVICE_READY 1u
#define VACCEL_VRING_DEVICE_BROKEN 2u

struct vaccel_vring_desc {
	uint64_t addr;    /* offset in the region */
	uint32_t len;
	uint16_t flags;
	uint16_t next;
};

struct vaccel_vring_used_elem {
	uint32_t id;      /* head of the chain */
	uint32_t len;     /* bytes the device wrote */
};

/* The first page of the region. Fields are little-endian (x86 and arm64). */
struct vaccel_vring_shm {
	uint32_t magic;
	uint32_t version;          /* 1 */
	uint64_t size;             /* bytes of the whole region */
	uint32_t queue_size;       /* power of two, <= VACCEL_VRING_MAX_QUEUE */
	uint32_t desc_off, avail_off, used_off;
	uint64_t heap_off, heap_size;
	uint32_t device_status;    /* VACCEL_VRING_DEVICE_* */
	uint32_t device_sleeping;  /* device waits for a kick: notify it */
	uint32_t driver_sleeping;  /* driver waits for a call: notify it */
	uint32_t driver_generation;/* a driver attaching bumps it (ivshmem) */
	uint32_t device_generation;/* the device echoes it once reset */
	char broken_reason[96];    /* set with DEVICE_BROKEN */
	uint32_t protocol;         /* VACCEL_VRING_PROTOCOL; 0 before it */
};

/*
 * The region is shared as it is between a driver and a device built for
 * different machines (an armhf or arm64 client, an x86_64 agent): every
 * field has a fixed width and the same offset on each, checked here on
 * every build. i386 aligns uint64_t to 4 within structs; the offsets of
 * these fields are multiples of 8 anyway, so it lays them out the same.
 */
#define VACCEL_VRING_AT(type, field, off) \
	_Static_assert(offsetof(struct type, field) == (off), #type "." #field " is at " #off " everywhere")
VACCEL_VRING_AT(vaccel_vring_desc, addr, 0);
VACCEL_VRING_AT(vaccel_vring_desc, len, 8);
VACCEL_VRING_AT(vaccel_vring_desc, flags, 12);
VACCEL_VRING_AT(vaccel_vring_desc, next, 14);
_Static_assert(sizeof(struct vaccel_vring_desc) == 16, "a descriptor is 16 bytes (virtio 1.x)");
VACCEL_VRING_AT(vaccel_vring_used_elem, len, 4);
_Static_assert(sizeof(struct vaccel_vring_used_elem) == 8, "a used element is 8 bytes (virtio 1.x)");
VACCEL_VRING_AT(vaccel_vring_shm, version, 4);
VACCEL_VRING_AT(vaccel_vring_shm, size, 8);
VACCEL_VRING_AT(vaccel_vring_shm, queue_size, 16);
VACCEL_VRING_AT(vaccel_vring_shm, desc_off, 20);
VACCEL_VRING_AT(vaccel_vring_shm, avail_off, 24);
VACCEL_VRING_AT(vaccel_vring_shm, used_off, 28);
VACCEL_VRING_AT(vaccel_vring_shm, heap_off, 32);
VACCEL_VRING_AT(vaccel_vring_shm, heap_size, 40);
VACCEL_VRING_AT(vaccel_vring_shm, device_status, 48);
VACCEL_VRING_AT(vaccel_vring_shm, device_sleeping, 52);
VACCEL_VRING_AT(vaccel_vring_shm, driver_sleeping, 56);
VACCEL_VRING_AT(vaccel_vring_shm, driver_generation, 60);
VACCEL_VRING_AT(vaccel_vring_shm, device_generation, 64);
VACCEL_VRING_AT(vaccel_vring_shm, broken_reason, 68);
VACCEL_VRING_AT(vaccel_vring_shm, protocol, 164);
_Static_assert(168 <= VACCEL_VRING_HDR_SIZE, "the header fits its page");

/* Views of one region, as either side computes them from the header. */
struct vaccel_vring {
	unsigned char *base;
	uint64_t size;
	uint32_t qs;
	struct vaccel_vring_shm *shm;
	struct vaccel_vring_desc *desc;
	uint16_t *avail_flags, *avail_idx, *avail_ring;
	uint16_t *used_flags, *used_idx;
	struct vaccel_vring_used_elem *used_ring;
};

/* A request as the device sees it after validation: no pointer outside. */
struct vaccel_vring_req {
	uint16_t head;
	struct vaccel_wire_hdr hdr;
	struct vaccel_wire_arg args[VACCEL_WIRE_MAX_ARGS];
	int nargs;
	unsigned char *reply;      /* device-writable reply area */
	uint32_t reply_len;
};

#ifdef __cplusplus
extern "C" {
#endif

/* Region bytes needed for a queue of qs entries and heap_size of buffers. */
uint64_t vaccel_vring_region_size(uint32_t qs, uint64_t heap_size);
/* Device: lay out an empty queue in a zeroed region. */
int vaccel_vring_format(void *base, uint64_t size, uint32_t qs);
/*
 * Either side: map the views, checking the header against `size` (the
 * mapping's real size). Returns 0 or VACCEL_EINVAL with a reason.
 */
int vaccel_vring_attach(struct vaccel_vring *vr, void *base, uint64_t size, const char **why);

/*
 * Device: take the next available request. Returns 1 with *req filled, 0
 * when the ring is empty, -1 when the driver broke the ring (reason in
 * *why): every index, chain length, address and length is checked against
 * the region and the queue size first. *last_avail is the device's
 * private consumer index.
 */
int vaccel_vring_next(struct vaccel_vring *vr, uint16_t *last_avail,
		      struct vaccel_vring_req *req, const char **why);
/* Device: hand back a chain with `len` reply bytes written. */
void vaccel_vring_complete(struct vaccel_vring *vr, uint16_t head, uint32_t len);
/* Device: mark the ring broken, with a reason the driver can read. */
void vaccel_vring_break(struct vaccel_vring *vr, const char *why);

#ifdef __cplusplus
}
#endif

#endif
