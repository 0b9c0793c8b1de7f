/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The ids a connection sees: a random base per connection, and the
 * rewriting of the messages that go back to it (the library's errors name
 * the process-wide ids).
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include "ids.h"

int64_t agent_ids_base(void)
{
	uint64_t r;
	/* getrandom blocks only before the kernel's pool is ready, at boot. */
	if (getrandom(&r, sizeof(r), 0) != (ssize_t)sizeof(r)) {
		struct timespec ts;
		clock_gettime(CLOCK_MONOTONIC, &ts);
		r = (uint64_t)ts.tv_nsec * 0x9e3779b97f4a7c15u ^ (uint64_t)ts.tv_sec;
	}
	return (int64_t)(r >> 2) / AGENT_IDS_SPAN * AGENT_IDS_SPAN;
}

/* Append text to out at *at, keeping room for the NUL. */
static void put(char *out, size_t outlen, size_t *at, const char *text, size_t n)
{
	if (*at + 1 >= outlen)
		return;
	if (n > outlen - 1 - *at)
		n = outlen - 1 - *at;
	memcpy(out + *at, text, n);
	*at += n;
	out[*at] = '\0';
}

/* "session N" or "resource N" at msg (a word's start): its kind and the end of N. */
static bool id_at(const char *msg, bool *session, int64_t *id, const char **end)
{
	static const char *const kinds[] = { "session ", "resource " };
	for (int k = 0; k < 2; k++) {
		size_t n = strlen(kinds[k]);
		const char *num = msg + n;
		if (strncmp(msg, kinds[k], n) || !(isdigit((unsigned char)*num) ||
						    (*num == '-' && isdigit((unsigned char)num[1]))))
			continue;
		char *stop;
		*id = strtoll(num, &stop, 10);
		*session = k == 0;
		*end = stop;
		return true;
	}
	return false;
}

void agent_ids_rewrite(const char *msg, char *out, size_t outlen, agent_ids_map map, void *ctx)
{
	size_t at = 0;
	if (outlen)
		out[0] = '\0';
	for (const char *p = msg; *p;) {
		bool session;
		int64_t id;
		const char *end;
		bool word_start = p == msg || !isalnum((unsigned char)p[-1]);
		if (!word_start || !id_at(p, &session, &id, &end)) {
			put(out, outlen, &at, p++, 1);
			continue;
		}
		int64_t mine = map(ctx, session, id);
		char num[32];
		int n = mine < 0 ? snprintf(num, sizeof(num), "?")
				 : snprintf(num, sizeof(num), "%lld", (long long)mine);
		put(out, outlen, &at, session ? "session " : "resource ", session ? 8 : 9);
		put(out, outlen, &at, num, (size_t)n);
		p = end;
	}
}
