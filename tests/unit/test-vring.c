/* SPDX-License-Identifier: Apache-2.0 */
/* The virtqueue's device side against well-formed and hostile rings. */
#include "wire/vring.h"
#include "unit.h"

#define QS 8
#define HEAP (64 * 1024)

static unsigned char *region;
static uint64_t size;
static struct vaccel_vring vr;
static uint16_t last;
static uint64_t heap_next;

static void setup(void)
{
	size = vaccel_vring_region_size(QS, HEAP);
	region = aligned_alloc(4096, size);
	memset(region, 0, size);
	const char *why;
	ck_assert_int_eq(vaccel_vring_format(region, size, QS), 0);
	ck_assert_int_eq(vaccel_vring_attach(&vr, region, size, &why), 0);
	last = 0;
	heap_next = vr.shm->heap_off;
}

static void teardown(void)
{
	free(region);
}

/* Driver-side helpers: carve a buffer, write a descriptor, publish a head. */
static uint64_t carve(uint32_t len)
{
	uint64_t at = heap_next;
	heap_next += (len + 7) / 8 * 8;
	return at;
}

static void desc(uint16_t i, uint64_t addr, uint32_t len, uint16_t flags, uint16_t next)
{
	vr.desc[i] = (struct vaccel_vring_desc){ addr, len, flags, next };
}

static void publish(uint16_t head)
{
	vr.avail_ring[*vr.avail_idx % QS] = head;
	__atomic_store_n(vr.avail_idx, (uint16_t)(*vr.avail_idx + 1), __ATOMIC_RELEASE);
}

/* A well-formed request: header+2 records, a read arg, a write arg, reply. */
static uint64_t good_chain(uint16_t first)
{
	uint64_t hdr = carve(32 + 32), in = carve(5), out = carve(8), rep = carve(256);
	struct vaccel_wire_hdr h = { VACCEL_WIRE_MAGIC, 1, VACCEL_WIRE_REQUEST, 7,
				     VACCEL_WIRE_GENOP, 0, 2, 32 };
	vaccel_wire_hdr_encode(&h, region + hdr);
	struct iovec iov[3];
	vaccel_wire_arg_iov(VACCEL_ARG_STRING, VACCEL_WIRE_ARG_DATA, NULL, 5, region + hdr + 32, iov);
	vaccel_wire_arg_iov(VACCEL_ARG_INT64, VACCEL_WIRE_ARG_WRITE, NULL, 8, region + hdr + 48, iov);
	memcpy(region + in, "hello", 5);
	uint16_t a = first, b = (first + 1) % QS, c = (first + 2) % QS, d = (first + 3) % QS;
	desc(a, hdr, 64, VACCEL_VRING_DESC_F_NEXT, b);
	desc(b, in, 5, VACCEL_VRING_DESC_F_NEXT, c);
	desc(c, out, 8, VACCEL_VRING_DESC_F_NEXT | VACCEL_VRING_DESC_F_WRITE, d);
	desc(d, rep, 256, VACCEL_VRING_DESC_F_WRITE, 0);
	return out;
}

static int next(const char **why)
{
	static struct vaccel_vring_req req;
	*why = "";
	return vaccel_vring_next(&vr, &last, &req, why);
}

START_TEST(good_request_and_completion)
{
	struct vaccel_vring_req req;
	const char *why = NULL;
	ck_assert_int_eq(vaccel_vring_next(&vr, &last, &req, &why), 0);
	uint64_t out = good_chain(0);
	publish(0);
	ck_assert_int_eq(vaccel_vring_next(&vr, &last, &req, &why), 1);
	ck_assert_uint_eq(req.head, 0);
	ck_assert_int_eq(req.nargs, 2);
	ck_assert_mem_eq(req.args[0].data, "hello", 5);
	/* Outputs point into the region itself: written in place. */
	ck_assert_ptr_eq(req.args[1].data, region + out);
	ck_assert_uint_eq(req.reply_len, 256);
	ck_assert_uint_eq(last, 1);
	vaccel_vring_complete(&vr, req.head, 32);
	ck_assert_uint_eq(*vr.used_idx, 1);
	ck_assert_uint_eq(vr.used_ring[0].id, 0);
	ck_assert_uint_eq(vr.used_ring[0].len, 32);
	ck_assert_int_eq(vaccel_vring_next(&vr, &last, &req, &why), 0);
}
END_TEST

START_TEST(wrapped_indexes)
{
	struct vaccel_vring_req req;
	const char *why;
	/* Free-running 16-bit indexes across the wrap. */
	*vr.avail_idx = 65534;
	*vr.used_idx = 65534;
	last = 65534;
	for (int i = 0; i < 4; i++) {
		heap_next = vr.shm->heap_off;
		good_chain(0);
		publish(0);
		ck_assert_int_eq(vaccel_vring_next(&vr, &last, &req, &why), 1);
		vaccel_vring_complete(&vr, req.head, 0);
	}
	ck_assert_uint_eq(last, 2);
	ck_assert_uint_eq(*vr.used_idx, 2);
}
END_TEST

/* Each hostile ring: how to break it, and what the device must say. */
static void bad_head(void) { good_chain(0); publish(QS + 3); }
static void loop(void) { good_chain(0); vr.desc[3].flags |= VACCEL_VRING_DESC_F_NEXT; vr.desc[3].next = 0; publish(0); }
static void self_loop(void) { good_chain(0); vr.desc[1].next = 1; publish(0); }
static void outside(void) { good_chain(0); vr.desc[1].addr = size - 2; publish(0); }
static void in_header_page(void) { good_chain(0); vr.desc[1].addr = 0; publish(0); }
static void huge_len(void) { good_chain(0); vr.desc[1].len = 0xffffffffu; publish(0); }
static void huge_addr(void) { good_chain(0); vr.desc[2].addr = UINT64_MAX - 4; publish(0); }
static void jump(void) { good_chain(0); publish(0); *vr.avail_idx = (uint16_t)(last + QS + 1); }
static void flags(void) { good_chain(0); vr.desc[2].flags |= 0x40; publish(0); }
static void next_range(void) { good_chain(0); vr.desc[1].next = 200; publish(0); }
static void no_reply(void) { good_chain(0); vr.desc[2].flags &= ~VACCEL_VRING_DESC_F_NEXT; publish(0); }
static void ro_reply(void) { good_chain(0); vr.desc[3].flags = 0; publish(0); }
static void ro_output(void) { good_chain(0); vr.desc[2].flags = VACCEL_VRING_DESC_F_NEXT; publish(0); }
static void short_arg(void) { good_chain(0); vr.desc[1].len = 2; publish(0); }
static void bad_magic(void) { good_chain(0); region[vr.desc[0].addr] ^= 0xff; publish(0); }
static void nargs_len(void) { good_chain(0); region[vr.desc[0].addr + 24] = 3; publish(0); }
static void extra_desc(void)
{
	good_chain(0);
	desc(3, vr.desc[3].addr, 16, VACCEL_VRING_DESC_F_NEXT | VACCEL_VRING_DESC_F_WRITE, 4);
	desc(4, carve(64), 64, VACCEL_VRING_DESC_F_WRITE, 0);
	publish(0);
}
static void missing_desc(void)
{
	good_chain(0);
	vr.desc[1] = vr.desc[3]; /* header, then straight to a reply */
	vr.desc[0].next = 1;
	publish(0);
}

static const struct {
	const char *name;
	void (*make)(void);
	const char *why;
} hostile[] = {
	{ "head out of range", bad_head, "descriptor index out of range" },
	{ "chain loop", loop, "loops" },
	{ "self loop", self_loop, "loops" },
	{ "buffer past the region", outside, "outside the region" },
	{ "buffer in the header page", in_header_page, "outside the region" },
	{ "length overflow", huge_len, "outside the region" },
	{ "address overflow", huge_addr, "outside the region" },
	{ "available index jump", jump, "more than the queue size" },
	{ "unknown flags", flags, "unknown descriptor flags" },
	{ "next out of range", next_range, "next descriptor index out of range" },
	{ "no reply buffer", no_reply, "reply buffer missing" },
	{ "read-only reply", ro_reply, "reply buffer missing, read-only" },
	{ "read-only output", ro_output, "output read-only" },
	{ "argument past its descriptor", short_arg, "larger than its descriptor" },
	{ "bad frame magic", bad_magic, "bad magic" },
	{ "records past the header", nargs_len, "" },
	{ "extra data descriptor", extra_desc, "more data descriptors than arguments" },
	{ "missing data descriptor", missing_desc, "" },
};

START_TEST(hostile_ring)
{
	const char *why;
	hostile[_i].make();
	ck_assert_msg(next(&why) == -1, "%s: accepted", hostile[_i].name);
	ck_assert_msg(strstr(why, hostile[_i].why), "%s: '%s'", hostile[_i].name, why);
	/* The device marks the queue broken; the driver can read why. */
	vaccel_vring_break(&vr, why);
	ck_assert(vr.shm->device_status & VACCEL_VRING_DEVICE_BROKEN);
	ck_assert_str_eq(vr.shm->broken_reason, why);
}
END_TEST

START_TEST(bad_regions)
{
	struct vaccel_vring v;
	const char *why;
	ck_assert_int_eq(vaccel_vring_format(region, size, 6), VACCEL_EINVAL);
	ck_assert_int_eq(vaccel_vring_format(region, 4096, QS), VACCEL_EINVAL);
	ck_assert_int_eq(vaccel_vring_attach(&v, region, size - 4096, &why), VACCEL_EINVAL);
	ck_assert_ptr_nonnull(strstr(why, "size differs"));
	vr.shm->queue_size = 4096;
	ck_assert_int_eq(vaccel_vring_attach(&v, region, size, &why), VACCEL_EINVAL);
	vr.shm->queue_size = QS;
	vr.shm->heap_off = 64;
	ck_assert_int_eq(vaccel_vring_attach(&v, region, size, &why), VACCEL_EINVAL);
	ck_assert_ptr_nonnull(strstr(why, "layout"));
	vr.shm->magic = 0;
	ck_assert_int_eq(vaccel_vring_attach(&v, region, size, &why), VACCEL_EINVAL);
}
END_TEST

static Suite *unit_suite(void)
{
	Suite *s = suite_create("vring");
	TCase *tc = tcase_create("vring");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, good_request_and_completion);
	tcase_add_test(tc, wrapped_indexes);
	tcase_add_loop_test(tc, hostile_ring, 0, (int)(sizeof(hostile) / sizeof(hostile[0])));
	tcase_add_test(tc, bad_regions);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_MAIN()
