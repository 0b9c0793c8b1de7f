/* SPDX-License-Identifier: Apache-2.0 */
/* The agent's content-addressed resource store (private to libvaccel). */
#ifndef VACCEL_AGENT_STORE_H
#define VACCEL_AGENT_STORE_H

#include <stddef.h>

struct stored;
int agent_store_init(void);
void agent_store_fini(void);
/* Find or create the file holding these bytes; takes a reference. */
int agent_store_get(const void *data, size_t size, const char *filename, struct stored **out);
const char *agent_store_path(const struct stored *s);
void agent_store_put(struct stored *s);

#endif
