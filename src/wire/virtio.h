/* SPDX-License-Identifier: Apache-2.0 */
/* The virtio transport: both ends, shared declarations. */
#ifndef VACCEL_VIRTIO_H
#define VACCEL_VIRTIO_H

#include <sched.h>
#include <stddef.h>
#include <time.h>
#include <vaccel/plugin.h>
#include "wire/vring.h"

#define VIRTIO_QUEUE_SIZE 256
/*
 * Host-local: a sparse memfd per client. A 32-bit agent maps every
 * client's region into its 3 GiB of address space: 64 MiB there, so that
 * a few dozen clients still fit (a region's size travels in the hello).
 */
#define VIRTIO_REGION_SIZE (sizeof(void *) < 8 ? (64ull << 20) : (256ull << 20))
#define VIRTIO_IVSHMEM_SIZE (64ull << 20)  /* ivshmem BARs are powers of two */
#define VIRTIO_REPLY_BYTES 4096
#define VIRTIO_HELLO_MAGIC 0x4f4c4556u      /* "VELO" */

/* What the agent sends with the region's descriptors (SCM_RIGHTS). */
struct virtio_hello {
	uint32_t magic;
	uint32_t version;
	uint64_t size;
};
/* Sent as it is, between machines of different word sizes. */
_Static_assert(sizeof(struct virtio_hello) == 16 && offsetof(struct virtio_hello, size) == 8,
	       "virtio_hello is 16 bytes, its size at 8, everywhere");


/* Spin this long for the other side before sleeping (or backing off). */
#define VIRTIO_DEFAULT_SPIN_US 50

static inline void cpu_relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
	__builtin_ia32_pause();
#elif defined(__aarch64__) || (defined(__arm__) && __ARM_ARCH >= 7)
	__asm__ __volatile__("yield" ::: "memory");
#endif
}

/*
 * One step of a bounded spin that has lasted spun_us: a pause at first,
 * then a yield, so that on a small or busy machine the thread that will
 * answer (which may be waiting for this very CPU) runs instead of waiting
 * out the spin (`vaccel bench`, 2 busy cores: virtio noop p50 ~110 µs
 * with a pure spin, ~6 µs with this).
 */
static inline void spin_step(uint64_t spun_us)
{
	if (spun_us < 2)
		cpu_relax();
	else
		sched_yield();
}

static inline uint64_t now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000;
}

#endif
