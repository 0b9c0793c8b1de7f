/* SPDX-License-Identifier: Apache-2.0 */
/* The wire format: addresses, headers and argument records, good and hostile. */
#include "wire/wire.h"
#include "unit.h"

START_TEST(addresses)
{
	struct vaccel_addr a;
	const char *why;
	ck_assert_int_eq(vaccel_addr_parse("unix:///run/vaccel/agent.sock", &a, &why), 0);
	ck_assert_int_eq(a.kind, VACCEL_ADDR_UNIX);
	ck_assert_str_eq(a.path, "/run/vaccel/agent.sock");
	ck_assert_int_eq(vaccel_addr_parse("tcp://127.0.0.1:8194", &a, &why), 0);
	ck_assert_int_eq(a.kind, VACCEL_ADDR_TCP);
	ck_assert_str_eq(a.host, "127.0.0.1");
	ck_assert_uint_eq(a.port, 8194);
	ck_assert_int_eq(vaccel_addr_parse("tcp://[::1]:65535", &a, &why), 0);
	ck_assert_str_eq(a.host, "::1");
	ck_assert_uint_eq(a.port, 65535);
	ck_assert_int_eq(vaccel_addr_parse("tcp://localhost:1", &a, &why), 0);
	ck_assert_int_eq(vaccel_addr_parse("vsock://2:2048", &a, &why), 0);
	ck_assert_int_eq(a.kind, VACCEL_ADDR_VSOCK);
	ck_assert_uint_eq(a.cid, 2);
	ck_assert_uint_eq(a.port, 2048);
	ck_assert_int_eq(vaccel_addr_parse("vsock://-1:1234", &a, &why), 0);
	ck_assert_uint_eq(a.cid, 0xffffffffu); /* VMADDR_CID_ANY */
}
END_TEST

static const struct {
	const char *text, *why;
} bad_addresses[] = {
	{ "", "empty address" },
	{ "http://x:1", "unknown scheme" },
	{ "unix://", "empty socket path" },
	{ "tcp://127.0.0.1", "expected tcp://HOST:PORT" },
	{ "tcp://127.0.0.1:0", "port must be 1..65535" },
	{ "tcp://127.0.0.1:70000", "port must be 1..65535" },
	{ "tcp://::1:80", "expected tcp://HOST:PORT" },
	{ "tcp://[::1]80", "expected tcp://[IPV6]:PORT" },
	{ "tcp://:80", "empty or too long host" },
	{ "vsock://2", "expected vsock://CID:PORT" },
	{ "vsock://x:2", "CID must be a number" },
	{ "vsock://3:abc", "port must be 1..65535" },
};

START_TEST(bad_address)
{
	struct vaccel_addr a;
	const char *why = "";
	ck_assert_int_eq(vaccel_addr_parse(bad_addresses[_i].text, &a, &why), VACCEL_EINVAL);
	ck_assert_msg(strstr(why, bad_addresses[_i].why), "'%s': '%s'", bad_addresses[_i].text, why);
	char longpath[200] = "unix://";
	memset(longpath + 7, 'a', 150);
	longpath[157] = '\0';
	ck_assert_int_eq(vaccel_addr_parse(longpath, &a, &why), VACCEL_EINVAL);
}
END_TEST

START_TEST(header_roundtrip)
{
	struct vaccel_wire_hdr h = { VACCEL_WIRE_MAGIC, VACCEL_WIRE_VERSION, VACCEL_WIRE_REPLY,
				     0x0102030405060708ull, VACCEL_WIRE_GENOP, -22, 3, 48 }, d;
	unsigned char buf[VACCEL_WIRE_HDR_SIZE];
	const char *why = NULL;
	vaccel_wire_hdr_encode(&h, buf);
	/* Little-endian on the wire whatever the host. */
	ck_assert_uint_eq(buf[0], 0x56);
	ck_assert_uint_eq(buf[8], 0x08);
	ck_assert_int_eq(vaccel_wire_hdr_decode(buf, 1024, &d, &why), 0);
	ck_assert_mem_eq(&h, &d, sizeof(h));
}
END_TEST

/* Each hostile header, and why it must be refused. */
static const struct {
	struct vaccel_wire_hdr h;
	uint32_t max;
	const char *why;
} bad_headers[] = {
	{ { 0x12345678, 1, 3, 1, 7, 0, 0, 0 }, 1024, "bad magic" },
	{ { VACCEL_WIRE_MAGIC, 2, 3, 1, 7, 0, 0, 0 }, 1024, "unsupported protocol version" },
	{ { VACCEL_WIRE_MAGIC, 1, 9, 1, 7, 0, 0, 0 }, 1024, "unknown frame type" },
	{ { VACCEL_WIRE_MAGIC, 1, 3, 1, 7, 0, 65, 2000 }, 1u << 20, "too many arguments" },
	{ { VACCEL_WIRE_MAGIC, 1, 3, 1, 7, 0, 0, 0xffffffffu }, 1024, "larger than the maximum" },
	{ { VACCEL_WIRE_MAGIC, 1, 3, 1, 7, 0, 0, 1024 - 31 }, 1024, "larger than the maximum" },
	{ { VACCEL_WIRE_MAGIC, 1, 3, 1, 7, 0, 4, 32 }, 1024, "argument count past the frame" },
};

START_TEST(bad_header)
{
	unsigned char buf[VACCEL_WIRE_HDR_SIZE];
	struct vaccel_wire_hdr d;
	const char *why = "";
	vaccel_wire_hdr_encode(&bad_headers[_i].h, buf);
	ck_assert_int_eq(vaccel_wire_hdr_decode(buf, bad_headers[_i].max, &d, &why), VACCEL_EINVAL);
	ck_assert_msg(strstr(why, bad_headers[_i].why), "case %d: '%s'", _i, why);
}
END_TEST

/* Build a payload from args with the iovec builder, then parse it back. */
static size_t build(unsigned char *out, const void *const *data, const uint64_t *sizes,
		    const uint32_t *flags, int n)
{
	unsigned char hdrs[8][VACCEL_WIRE_ARG_HDR_SIZE];
	struct iovec iov[24];
	int niov = 0;
	for (int i = 0; i < n; i++)
		niov += vaccel_wire_arg_iov(VACCEL_ARG_RAW, flags[i], data[i], sizes[i], hdrs[i], &iov[niov]);
	size_t len = 0;
	for (int i = 0; i < niov; i++) {
		memcpy(out + len, iov[i].iov_base, iov[i].iov_len);
		len += iov[i].iov_len;
	}
	return len;
}

START_TEST(args_roundtrip)
{
	unsigned char payload[256];
	const void *data[] = { "abc", NULL, "12345678" };
	uint64_t sizes[] = { 3, 100, 8 };
	uint32_t flags[] = { VACCEL_WIRE_ARG_DATA, VACCEL_WIRE_ARG_WRITE, VACCEL_WIRE_ARG_DATA };
	size_t len = build(payload, data, sizes, flags, 3);
	ck_assert_uint_eq(len, 16 + 8 + 16 + 16 + 8);
	ck_assert_uint_eq(len, vaccel_wire_arg_size(3, true) + vaccel_wire_arg_size(100, false) +
			       vaccel_wire_arg_size(8, true));
	struct vaccel_wire_arg a[4];
	const char *why = NULL;
	ck_assert_int_eq(vaccel_wire_args_decode(payload, (uint32_t)len, 3, a, 4, &why), 3);
	ck_assert_mem_eq(a[0].data, "abc", 3);
	ck_assert_ptr_null(a[1].data);
	ck_assert_uint_eq(a[1].size, 100);
	ck_assert_mem_eq(a[2].data, "12345678", 8);
}
END_TEST

/* A frame's scatter-gather pieces, written out, decode to what was sent. */
START_TEST(frame_iov_roundtrip)
{
	uint32_t v = 7;
	struct vaccel_wire_out out[] = {
		{ VACCEL_ARG_UINT32, VACCEL_WIRE_ARG_DATA, &v, 4 },
		{ VACCEL_ARG_BUFFER, VACCEL_WIRE_ARG_WRITE, NULL, 100 },
		{ VACCEL_ARG_STRING, VACCEL_WIRE_ARG_DATA, "abc", 4 },
	};
	struct vaccel_wire_hdr h = { .magic = VACCEL_WIRE_MAGIC, .version = VACCEL_WIRE_VERSION,
				     .type = VACCEL_WIRE_REQUEST, .id = 42, .op = VACCEL_WIRE_GENOP };
	struct vaccel_wire_frame_bufs bufs;
	struct iovec iov[VACCEL_WIRE_FRAME_MAX_IOV];
	int n = vaccel_wire_frame_iov(&h, out, 3, &bufs, iov);
	ck_assert_int_gt(n, 0);
	unsigned char frame[512];
	size_t len = 0;
	for (int i = 0; i < n; i++) {
		memcpy(frame + len, iov[i].iov_base, iov[i].iov_len);
		len += iov[i].iov_len;
	}
	ck_assert_uint_eq(len, VACCEL_WIRE_HDR_SIZE + h.len);
	struct vaccel_wire_hdr back;
	const char *why = NULL;
	ck_assert_int_eq(vaccel_wire_hdr_decode(frame, 4096, &back, &why), 0);
	ck_assert_uint_eq(back.id, 42);
	ck_assert_uint_eq(back.nargs, 3);
	struct vaccel_wire_arg a[3];
	ck_assert_int_eq(vaccel_wire_args_decode(frame + VACCEL_WIRE_HDR_SIZE, back.len, back.nargs,
						 a, 3, &why), 3);
	ck_assert_mem_eq(a[0].data, &v, 4);
	ck_assert_ptr_null(a[1].data);
	ck_assert_uint_eq(a[1].size, 100);
	ck_assert_str_eq(a[2].data, "abc");
	/* More args than a frame holds make no frame. */
	struct vaccel_wire_out many[VACCEL_WIRE_MAX_ARGS + 1];
	for (size_t i = 0; i < VACCEL_WIRE_MAX_ARGS + 1; i++)
		many[i] = out[0];
	ck_assert_int_eq(vaccel_wire_frame_iov(&h, many, VACCEL_WIRE_MAX_ARGS + 1, &bufs, iov), -1);
}
END_TEST

START_TEST(hostile_args)
{
	unsigned char payload[256];
	const void *data[] = { "abcdefgh" };
	uint64_t sizes[] = { 8 };
	uint32_t flags[] = { VACCEL_WIRE_ARG_DATA };
	size_t len = build(payload, data, sizes, flags, 1);
	struct vaccel_wire_arg a[2];
	const char *why = "";
	/* Data length past the frame. */
	payload[8] = 200;
	ck_assert_int_lt(vaccel_wire_args_decode(payload, (uint32_t)len, 1, a, 2, &why), 0);
	ck_assert_ptr_nonnull(strstr(why, "past the frame"));
	/* A huge length must not wrap the padding arithmetic. */
	memset(payload + 8, 0xff, 8);
	ck_assert_int_lt(vaccel_wire_args_decode(payload, (uint32_t)len, 1, a, 2, &why), 0);
	payload[8] = 8;
	memset(payload + 9, 0, 7);
	ck_assert_int_eq(vaccel_wire_args_decode(payload, (uint32_t)len, 1, a, 2, &why), 1);
	/* Unknown type and flags. */
	payload[0] = 99;
	ck_assert_int_lt(vaccel_wire_args_decode(payload, (uint32_t)len, 1, a, 2, &why), 0);
	ck_assert_ptr_nonnull(strstr(why, "unknown argument type"));
	payload[0] = 0;
	payload[4] = 0x80;
	ck_assert_int_lt(vaccel_wire_args_decode(payload, (uint32_t)len, 1, a, 2, &why), 0);
	ck_assert_ptr_nonnull(strstr(why, "unknown argument flags"));
	payload[4] = VACCEL_WIRE_ARG_DATA;
	/* More records announced than present; trailing garbage; too many. */
	ck_assert_int_lt(vaccel_wire_args_decode(payload, (uint32_t)len, 2, a, 2, &why), 0);
	ck_assert_ptr_nonnull(strstr(why, "argument header past the frame"));
	ck_assert_int_lt(vaccel_wire_args_decode(payload, (uint32_t)len + 8, 1, a, 2, &why), 0);
	ck_assert_ptr_nonnull(strstr(why, "trailing bytes"));
	ck_assert_int_lt(vaccel_wire_args_decode(payload, (uint32_t)len, 3, a, 2, &why), 0);
	/* A truncated record. */
	ck_assert_int_lt(vaccel_wire_args_decode(payload, 10, 1, a, 2, &why), 0);
}
END_TEST

static Suite *unit_suite(void)
{
	Suite *s = suite_create("wire");
	TCase *tc = tcase_create("wire");
	tcase_add_test(tc, addresses);
	tcase_add_loop_test(tc, bad_address, 0, (int)(sizeof(bad_addresses) / sizeof(bad_addresses[0])));
	tcase_add_test(tc, header_roundtrip);
	tcase_add_loop_test(tc, bad_header, 0, (int)(sizeof(bad_headers) / sizeof(bad_headers[0])));
	tcase_add_test(tc, args_roundtrip);
	tcase_add_test(tc, hostile_args);
	tcase_add_test(tc, frame_iov_roundtrip);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_MAIN()
