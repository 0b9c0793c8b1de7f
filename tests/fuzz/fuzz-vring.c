/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libFuzzer harness: the device side of the virtqueue against a hostile
 * driver. A formatted region's descriptor table, avail ring and index are
 * overwritten with the input, and the rest of it goes at the start of the
 * heap (where frame headers sit); taking requests must stay inside the
 * region and stop (a broken queue is a valid outcome).
 */
#include <stdlib.h>
#include <string.h>
#include "wire/vring.h"

#define QS 16
#define REGION (1u << 20)
#define HEAP_INPUT 8192 /* the most of the input that goes to the heap */

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	static unsigned char *base;
	if (!base) {
		if (!(base = aligned_alloc(4096, REGION)))
			abort();
		memset(base, 0, REGION);
		if (vaccel_vring_format(base, REGION, QS))
			abort();
	}
	struct vaccel_vring vr;
	const char *why;
	if (vaccel_vring_attach(&vr, base, REGION, &why))
		abort();
	/* The driver's side of the shared memory, as the input says. */
	size_t desc_bytes = QS * sizeof(*vr.desc), ring_bytes = QS * sizeof(*vr.avail_ring);
	size_t n = size < desc_bytes ? size : desc_bytes;
	memset(vr.desc, 0, desc_bytes);
	memcpy(vr.desc, data, n);
	size -= n, data += n;
	n = size < ring_bytes ? size : ring_bytes;
	memset(vr.avail_ring, 0, ring_bytes);
	memcpy(vr.avail_ring, data, n);
	size -= n, data += n;
	uint16_t avail = size >= 2 ? (uint16_t)(data[0] | data[1] << 8) : 1;
	*vr.avail_idx = avail;
	if (size > 2) {
		size -= 2, data += 2;
		n = size < HEAP_INPUT ? size : HEAP_INPUT;
		memcpy(base + vr.shm->heap_off, data, n);
	}
	uint16_t last = 0;
	for (int i = 0; i < 2 * QS; i++) {
		struct vaccel_vring_req req;
		int got = vaccel_vring_next(&vr, &last, &req, &why);
		if (got <= 0)
			break;
		for (int a = 0; a < req.nargs; a++)
			if (req.args[a].data &&
			    ((unsigned char *)req.args[a].data < base ||
			     (unsigned char *)req.args[a].data + req.args[a].size > base + REGION))
				abort();
		vaccel_vring_complete(&vr, req.head, 0);
	}
	/* Start the next input from a clean queue: the rings, and the heap's
	 * start that the input wrote (clearing the whole region each time
	 * cost two thirds of the harness's time). */
	memset(base + vr.shm->heap_off, 0, HEAP_INPUT);
	if (vaccel_vring_format(base, REGION, QS))
		abort();
	return 0;
}
