/* SPDX-License-Identifier: Apache-2.0 */
/* A library's own symbol, for the exec plugin and its worker (worker.h). */
#include <dlfcn.h>
#include <link.h>
#include <stdio.h>
#include <vaccel/error.h>
#include "worker.h"

int exec_symbol(void *dl, const char *sym, void **out, char *err, size_t errlen)
{
	void *p = dlsym(dl, sym);
	if (!p) {
		snprintf(err, errlen, "has no symbol '%s'", sym);
		return VACCEL_ENOENT;
	}
	/* Only the library's own definitions count, not its dependencies'. */
	struct link_map *lib = NULL, *owner = NULL;
	Dl_info info;
	if (dlinfo(dl, RTLD_DI_LINKMAP, &lib) ||
	    !dladdr1(p, &info, (void **)&owner, RTLD_DL_LINKMAP) || !lib || owner != lib) {
		snprintf(err, errlen, "does not define '%s' itself (%s does)", sym,
			 owner && owner->l_name && *owner->l_name ? owner->l_name : "another object");
		return VACCEL_ENOENT;
	}
	*out = p;
	return VACCEL_OK;
}
