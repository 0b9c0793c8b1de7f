/* SPDX-License-Identifier: Apache-2.0 */
/* The agent side of the rpc transport: pieces shared between its files. */
#ifndef VACCEL_RPC_SERVER_H
#define VACCEL_RPC_SERVER_H

#include "rpc.h"

/* store.c: content-addressed resource files. */
struct stored;
int store_init(void);
void store_fini(void);
/* Find or create the file holding these bytes; takes a reference. */
int store_get(const void *data, size_t size, const char *filename, struct stored **out);
const char *store_path(const struct stored *s);
void store_put(struct stored *s);
size_t store_count(void);

#endif
