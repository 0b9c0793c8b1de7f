#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
# The licence: LICENSE at the top is the Apache-2.0 text the SPDX lines
# name, and every source, test and script file carries such a line.
load helpers

@test "LICENSE is the Apache License 2.0" {
	[ -f "$TOP_SRCDIR/LICENSE" ]
	grep -q "Apache License" "$TOP_SRCDIR/LICENSE"
	grep -q "Version 2.0, January 2004" "$TOP_SRCDIR/LICENSE"
	grep -q "END OF TERMS AND CONDITIONS" "$TOP_SRCDIR/LICENSE"
}

@test "every source, test and script file has an SPDX-License-Identifier line" {
	missing="$(find "$TOP_SRCDIR" \( -name '_build*' -o -name autom4te.cache -o -name build-aux \
			-o -name m4 -o -name .git -o -name configs \) -prune -o -type f \
		\( -name '*.[ch]' -o -name '*.cpp' -o -name '*.bats' -o -name '*.bash' -o -name '*.test' \
			-o -name '*.py' -o -name '*.gp' -o -name '*.in' -o -name '*.[1-8]' \
			-o -name Makefile.am -o -name configure.ac -o -name autogen.sh \
			-o -path '*/.ci/*' -o -path '*/bench/run' -o -path '*/bench/compare-builds' \
			-o -path '*/bench/callgrind-noop' \) \
		! -name Makefile.in ! -name config.h.in -print |
		xargs grep -L 'SPDX-License-Identifier: Apache-2.0' || true)"
	[ -z "$missing" ] || { printf 'no SPDX line: %s\n' $missing; false; }
	# Sanity: the search saw the tree.
	[ "$(find "$TOP_SRCDIR/src" -name '*.c' | wc -l)" -gt 10 ]
}
