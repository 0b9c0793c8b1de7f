#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
# vaccel exec: typed arguments, allow-lists, JSON and errors.
load helpers

lib() { printf '%s/libexectest.so' "$TEST_PLUGINS"; }

@test "exec calls the function and prints its writes" {
	run "$VACCEL" exec "$(lib)" add_int32 int32:40 int32:2 out:int32
	[ "$status" -eq 0 ]
	[ "$output" = "write[0] int32: 42" ]
	run "$VACCEL" exec "$(lib)" add_int32 int32:-7 int32:2 out:int32
	[ "$output" = "write[0] int32: -5" ]
}

@test "exec --json: writes with types and values" {
	run "$VACCEL" --json exec "$(lib)" reverse string:hello out:string:16
	[ "$status" -eq 0 ]
	[ "$(json_get "$output" 'd["writes"][0]["value"]')" = olleh ]
	[ "$(json_get "$output" 'd["writes"][0]["type"]')" = string ]
	[ "$(json_get "$output" 'd["symbol"]')" = reverse ]
	run "$VACCEL" --json exec "$(lib)" add_int32 int32:1 int32:2 out:int32
	[ "$(json_get "$output" 'd["writes"][0]["values"]')" = "[3]" ]
}

@test "exec prints unsigned and float writes exactly" {
	run "$VACCEL" --json exec "$(lib)" add_int32 int32:-1 int32:0 out:uint32
	[ "$status" -eq 0 ]
	[[ "$output" == *'"values":[4294967295]'* ]]
}

@test "a function that fails is exit 1" {
	run "$VACCEL" exec "$(lib)" always_fails
	[ "$status" -eq 1 ]
	[[ "$output" == *"always_fails returned 7"* ]]
}

@test "a missing library or symbol is exit 3" {
	run "$VACCEL" exec /nonexistent/lib.so f
	[ "$status" -eq 3 ]
	[[ "$output" == *"/nonexistent/lib.so"* ]]
	run "$VACCEL" exec "$(lib)" no_such_symbol
	[ "$status" -eq 3 ]
	[[ "$output" == *"no symbol 'no_such_symbol'"* ]]
}

@test "a profile that does not allow the library refuses it" {
	printf 'plugins:\n  - name: exec\n' > "$TMP/strict.yaml"
	run "$VACCEL" --profile "$TMP/strict.yaml" exec "$(lib)" add_int32 int32:1 int32:1 out:int32
	[ "$status" -eq 1 ]
	[[ "$output" == *"is not allowed by the profile"* ]]
	sum="$(sha256sum "$(lib)" | cut -d' ' -f1)"
	printf 'plugins:\n  - name: exec\n    options:\n      allow: ["sha256:%s"]\n' "$sum" > "$TMP/hash.yaml"
	run "$VACCEL" --profile "$TMP/hash.yaml" exec "$(lib)" add_int32 int32:1 int32:1 out:int32
	[ "$status" -eq 0 ]
	[ "$output" = "write[0] int32: 2" ]
}

@test "a library that is not a regular file is refused before it is read" {
	sum="$(sha256sum "$(lib)" | cut -d' ' -f1)"
	printf 'plugins:\n  - name: exec\n    options:\n      allow: ["sha256:%s"]\n' "$sum" > "$TMP/hash.yaml"
	# Hashing /dev/zero would never end: the refusal must come at once.
	run timeout 10 "$VACCEL" --profile "$TMP/hash.yaml" exec /dev/zero f
	[ "$status" -eq 1 ]
	[[ "$output" == *"/dev/zero is not a regular file"* ]]
	mkfifo "$TMP/fifo"
	run timeout 10 "$VACCEL" exec "$TMP/fifo" f
	[ "$status" -eq 1 ]
	[[ "$output" == *"fifo is not a regular file"* ]]
}

@test "exec calls only what the library itself defines, not its dependencies" {
	# libexectest links libc: dlsym alone would find libc's abort and getpid.
	run "$VACCEL" exec "$(lib)" abort
	[ "$status" -eq 3 ]
	[[ "$output" == *"does not define 'abort' itself"*"libc"* ]]
	run "$VACCEL" exec "$(lib)" getpid
	[ "$status" -eq 3 ]
	run "$VACCEL" exec "$(lib)" add_int32 int32:1 int32:2 out:int32
	[ "$status" -eq 0 ]
	[ "$output" = "write[0] int32: 3" ]
}

@test "malformed arguments are usage errors naming them" {
	run "$VACCEL" exec "$(lib)" add_int32 int32:abc
	[ "$status" -eq 2 ]
	[[ "$output" == *"'abc' is not a valid int32"* ]]
	run "$VACCEL" exec "$(lib)" add_int32 int8:300
	[ "$status" -eq 2 ]
	[[ "$output" == *"out of range for int8"* ]]
	run "$VACCEL" exec "$(lib)" add_int32 blob:1
	[ "$status" -eq 2 ]
	[[ "$output" == *"unknown type 'blob'"* ]]
	run "$VACCEL" exec "$(lib)" add_int32 noseparator
	[ "$status" -eq 2 ]
	run "$VACCEL" exec "$(lib)"
	[ "$status" -eq 2 ]
	[[ "$output" == *"need LIBRARY and SYMBOL"* ]]
	run "$VACCEL" exec "$(lib)" reverse file:/nonexistent out:string
	[ "$status" -eq 3 ]
}

@test "isolated exec: a crash, an abort or a hang is that call's error, and the next call works" {
	printf 'plugins:\n  - name: exec\n    options:\n      allow-any: true\n      timeout-ms: 1500\n' > "$TMP/iso.yaml"
	run "$VACCEL" --profile "$TMP/iso.yaml" exec "$(lib)" add_int32 int32:40 int32:2 out:int32
	[ "$status" -eq 0 ]
	[ "$output" = "write[0] int32: 42" ]
	run "$VACCEL" --profile "$TMP/iso.yaml" exec "$(lib)" crash
	[ "$status" -eq 1 ]
	# (signal 11, Segmentation fault); under ASan the worker exits instead.
	[[ "$output" == *"crash ended its worker process ("* ]]
	run "$VACCEL" --profile "$TMP/iso.yaml" exec "$(lib)" call_abort
	[ "$status" -eq 1 ]
	[[ "$output" == *"call_abort ended its worker process ("* ]]
	run "$VACCEL" --profile "$TMP/iso.yaml" exec "$(lib)" sleep_ms int32:60000
	[ "$status" -eq 1 ]
	[[ "$output" == *"sleep_ms did not return within 1500 ms: its worker process was killed"* ]]
	run "$VACCEL" --profile "$TMP/iso.yaml" exec "$(lib)" reverse string:worker out:string:16
	[ "$status" -eq 0 ]
	[ "$output" = "write[0] string: rekrow" ]
}

@test "a function cannot grow a write past its buffer, isolated or not" {
	printf 'plugins:\n  - name: exec\n    options:\n      allow-any: true\n      isolate: %s\n' true > "$TMP/iso.yaml"
	printf 'plugins:\n  - name: exec\n    options:\n      allow-any: true\n      isolate: %s\n' false > "$TMP/in.yaml"
	for p in iso in; do
		run "$VACCEL" --json --profile "$TMP/$p.yaml" exec "$(lib)" grow_write out:buffer:4
		[ "$status" -eq 0 ]
		[ "$(json_get "$output" 'd["writes"][0]["hex"]')" = 78787878 ]
	done
}

@test "exec options are checked: isolate, timeout-ms, workers" {
	printf 'plugins:\n  - name: exec\n    options:\n      timeout-ms: 0\n' > "$TMP/bad.yaml"
	run "$VACCEL" profile check "$TMP/bad.yaml"
	[ "$status" -eq 2 ]
	[[ "$output" == *"timeout-ms"* ]]
	printf 'plugins:\n  - name: exec\n    options:\n      isolate: maybe\n' > "$TMP/bad.yaml"
	run "$VACCEL" profile check "$TMP/bad.yaml"
	[ "$status" -eq 2 ]
	[[ "$output" == *"isolate"* ]]
}

# A LIB resource of several files (vAccel's convention): the last is the
# library, the ones before its dependencies. libexecdepuser calls
# execdep_scale, defined only in libexecdep: scale_int32(5) = 5 * 10 + 1.
deps() { "$TOP_BUILDDIR/tests/rpc/exec-deps" "$@"; }
dep() { printf '%s/libexecdep.so' "$TEST_PLUGINS"; }
user() { printf '%s/libexecdepuser.so' "$TEST_PLUGINS"; }
digest() { sha256sum "$1" | cut -d' ' -f1; }
exec_profile() { # exec_profile ISOLATE ALLOW...
	local isolate=$1
	shift
	printf 'plugins:\n  - name: exec\n    options:\n      isolate: %s\n      allow: [%s]\n' \
		"$isolate" "$(IFS=,; echo "$*")" > "$TMP/deps.yaml"
}

@test "exec_with_resource: the dependencies load before the library, in-process and in workers" {
	for isolate in false true; do
		exec_profile "$isolate" "$(dep)" "$(user)"
		VACCEL_PROFILE="$TMP/deps.yaml" run deps "$(dep)" "$(user)"
		[ "$status" -eq 0 ]
		[ "$output" = "ret=0 sum=51" ]
		# In memory (buffer blobs, no path): allowed by their digests.
		exec_profile "$isolate" "\"sha256:$(digest "$(dep)")\"" "\"sha256:$(digest "$(user)")\""
		VACCEL_PROFILE="$TMP/deps.yaml" run deps --mem "$(dep)" "$(user)"
		[ "$status" -eq 0 ]
		[ "$output" = "ret=0 sum=51" ]
	done
}

@test "exec_with_resource: a library without its dependency does not load" {
	for isolate in false true; do
		exec_profile "$isolate" "$(dep)" "$(user)"
		VACCEL_PROFILE="$TMP/deps.yaml" run deps "$(user)"
		[ "$status" -eq 1 ]
		[[ "$output" == *"undefined symbol: execdep_scale"* ]]
		[[ "$output" == *"ret=5 sum=0"* ]]
		# The dependency last is the library: it has no scale_int32.
		VACCEL_PROFILE="$TMP/deps.yaml" run deps "$(user)" "$(dep)"
		[ "$status" -eq 1 ]
	done
}

@test "exec_with_resource: a dependency the profile does not allow is refused, by name" {
	for isolate in false true; do
		exec_profile "$isolate" "$(user)"
		VACCEL_PROFILE="$TMP/deps.yaml" run deps "$(dep)" "$(user)"
		[ "$status" -eq 1 ]
		[[ "$output" == *"dependency $(dep) is not allowed by the profile"* ]]
		[[ "$output" == *"ret=1 sum=0"* ]]
		exec_profile "$isolate" "\"sha256:$(digest "$(user)")\""
		VACCEL_PROFILE="$TMP/deps.yaml" run deps --mem "$(dep)" "$(user)"
		[ "$status" -eq 1 ]
		[[ "$output" == *"in-memory dependency libexecdep.so (sha256:$(digest "$(dep)")) is not allowed"* ]]
	done
}
