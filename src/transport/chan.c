/* SPDX-License-Identifier: Apache-2.0 */
/* The channel kinds, picked by an address's scheme. */
#include <string.h>
#include "transport/chan.h"

static const struct chan_ops *const kinds[] = { &socket_chan, &virtqueue_chan };

const struct chan_ops *chan_kind(const char *address)
{
	const char *sep = strstr(address, "://");
	size_t n = sep ? (size_t)(sep - address) : 0;
	for (size_t k = 0; n && k < sizeof(kinds) / sizeof(kinds[0]); k++)
		for (const char *const *s = kinds[k]->schemes; *s; s++)
			if (strlen(*s) == n && !strncmp(*s, address, n))
				return kinds[k];
	return NULL;
}
