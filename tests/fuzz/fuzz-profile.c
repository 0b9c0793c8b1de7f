/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libFuzzer harness: the profile parser on any text, and its printer: a
 * profile that parses prints to YAML that parses again to the same print.
 */
#include <stdlib.h>
#include <string.h>
#include "internal.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	char *text = malloc(size + 1), err[VACCEL_ERRBUF];
	memcpy(text, data, size);
	text[size] = '\0';
	struct vaccel_profile *p;
	if (!profile_parse_string(text, "fuzz", &p, err, sizeof(err))) {
		char *once = profile_to_yaml(p), *twice = NULL;
		struct vaccel_profile *q;
		profile_free(p);
		if (profile_parse_string(once, "fuzz", &q, err, sizeof(err)))
			abort(); /* printed, it must parse */
		twice = profile_to_yaml(q);
		profile_free(q);
		if (strcmp(once, twice))
			abort();
		free(once);
		free(twice);
	}
	free(text);
	return 0;
}
