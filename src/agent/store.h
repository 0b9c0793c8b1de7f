/* SPDX-License-Identifier: Apache-2.0 */
/* The agent's resource store (private to libvaccel). */
#ifndef VACCEL_AGENT_STORE_H
#define VACCEL_AGENT_STORE_H

#include <stddef.h>

#define AGENT_STORE_NS_LEN 33 /* a namespace: 32 random hex digits and a NUL */

struct stored;
int agent_store_init(void);
void agent_store_fini(void);
/* A new namespace: one per connection, unguessable. */
void agent_store_ns_new(char ns[AGENT_STORE_NS_LEN]);
/* Remove a namespace's directory once its resources are gone. */
void agent_store_ns_drop(const char *ns);
/*
 * A file holding these bytes under the name `filename`, in namespace ns;
 * takes a reference on the bytes, which are kept once however many
 * namespaces upload them.
 */
int agent_store_get(const char *ns, const void *data, size_t size, const char *filename,
		    struct stored **out);
const char *agent_store_path(const struct stored *s);
void agent_store_put(struct stored *s);

#endif
