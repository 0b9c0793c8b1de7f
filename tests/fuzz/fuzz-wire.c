/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libFuzzer harness: the wire decoder, as a peer's bytes reach it. The
 * input is a frame (header then payload) and, after a NUL, an address.
 * Every decoded arg must lie inside the payload.
 */
#include <stdlib.h>
#include <string.h>
#include "wire/wire.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	struct vaccel_wire_hdr h;
	const char *why;
	if (size >= VACCEL_WIRE_HDR_SIZE &&
	    !vaccel_wire_hdr_decode(data, 1u << 20, &h, &why)) {
		size_t len = size - VACCEL_WIRE_HDR_SIZE < h.len ? size - VACCEL_WIRE_HDR_SIZE : h.len;
		unsigned char *payload = malloc(len ? len : 1);
		memcpy(payload, data + VACCEL_WIRE_HDR_SIZE, len);
		struct vaccel_wire_arg args[VACCEL_WIRE_MAX_ARGS];
		int n = vaccel_wire_args_decode(payload, (uint32_t)len, h.nargs, args,
						VACCEL_WIRE_MAX_ARGS, &why);
		for (int i = 0; i < n; i++) {
			if (args[i].data &&
			    ((unsigned char *)args[i].data < payload ||
			     (unsigned char *)args[i].data + args[i].size > payload + len))
				abort();
			int64_t v;
			uint32_t u;
			vaccel_wire_arg_i64(&args[i], &v);
			vaccel_wire_arg_u32(&args[i], &u);
			vaccel_wire_arg_str(&args[i]);
		}
		free(payload);
	}
	const unsigned char *nul = memchr(data, 0, size);
	if (nul) {
		size_t rest = size - (size_t)(nul + 1 - data);
		char *text = malloc(rest + 1);
		memcpy(text, nul + 1, rest);
		text[rest] = '\0';
		struct vaccel_addr a;
		vaccel_addr_parse(text, &a, &why);
		free(text);
	}
	return 0;
}
