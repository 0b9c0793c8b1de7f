#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
# Global options, help, version and the exit codes of usage errors.
load helpers

@test "--help lists every command and the exit codes" {
	run "$VACCEL" --help
	[ "$status" -eq 0 ]
	for c in sgemm noop exec infer models plugins profile; do
		[[ "$output" == *"  $c "* ]]
	done
	[[ "$output" == *"2 usage or profile error"* ]]
}

@test "--version prints the version" {
	run "$VACCEL" --version
	[ "$status" -eq 0 ]
	[[ "$output" == "vaccel $PACKAGE_VERSION (plugin ABI "* ]]
}

@test "the man pages and vAccel's VACCEL_VERSION name the same version" {
	for m in "$TOP_SRCDIR"/man/*.[1-8]; do
		grep -q "^\.TH .*\"vaccel $PACKAGE_VERSION\"" "$m" || { echo "$m: $(head -n2 "$m" | tail -n1)"; false; }
	done
	grep -q "^#define VACCEL_VERSION \"$PACKAGE_VERSION\"$" "$TOP_SRCDIR/src/include/vaccel/classic-plugin.h"
}

@test "no command is a usage error (2)" {
	run "$VACCEL"
	[ "$status" -eq 2 ]
	[[ "$output" == *"missing COMMAND"* ]]
}

@test "an unknown command is a usage error (2)" {
	run "$VACCEL" frobnicate
	[ "$status" -eq 2 ]
	[[ "$output" == *"unknown command 'frobnicate'"* ]]
}

@test "an unknown global option is a usage error (2)" {
	run "$VACCEL" --bogus noop
	[ "$status" -eq 2 ]
}

@test "messages name the program vaccel, never libtool's .libs/lt- path" {
	run "$VACCEL" --bogus noop
	[ "$status" -eq 2 ]
	[[ "$output" == "vaccel: unrecognized option '--bogus'"* ]]
	run "$VACCEL" -p
	[ "$status" -eq 2 ]
	[[ "$output" != *".libs"* && "$output" != *"lt-"* ]]
	[[ "$output" == "vaccel: option requires an argument"* ]]
}

@test "a directory where a file belongs says so" {
	run "$VACCEL" minmax "$TMP"
	[ "$status" -eq 3 ]
	[[ "$output" == *"$TMP: Is a directory"* ]]
	run "$VACCEL" --profile native sgemm -m 2 -n 2 -k 2 --a "$TMP"
	[ "$status" -eq 3 ]
	[[ "$output" == *"$TMP: Is a directory"* ]]
	run "$VACCEL" agent --token-file "$TMP" --status "unix://$TMP/none.sock"
	[ "$status" -eq 3 ]
	[[ "$output" == *"token file $TMP: Is a directory"* ]]
	run "$VACCEL" --profile noop classify "$TMP"
	[ "$status" -eq 3 ]
	[[ "$output" == *"$TMP: a directory, not an image"* ]]
}

@test "a bad --log-level is a usage error naming the value" {
	run "$VACCEL" --log-level 7 noop
	[ "$status" -eq 2 ]
	[[ "$output" == *"'7'"* ]]
}

@test "--log-level debug traces plugin loading on stderr" {
	run "$VACCEL" --log-level debug --profile noop noop -i 1
	[ "$status" -eq 0 ]
	[[ "$output" == *"vaccel: debug: loaded plugin noop"* ]]
}

@test "--log-level takes names in any case" {
	run "$VACCEL" --log-level WARNING --profile noop noop -i 1
	[ "$status" -eq 0 ]
}

@test "subcommand usage errors name the subcommand" {
	run "$VACCEL" sgemm --frob
	[ "$status" -eq 2 ]
	[[ "$output" == *"vaccel sgemm --help"* ]]
}

@test "a missing profile is error 2 and names it" {
	run "$VACCEL" --profile /nonexistent/p.yaml noop
	[ "$status" -eq 2 ]
	[[ "$output" == *"/nonexistent/p.yaml"* ]]
	run "$VACCEL" --profile nosuchname noop
	[ "$status" -eq 2 ]
	[[ "$output" == *"profile 'nosuchname' not found"* ]]
}

@test "VACCEL_PROFILE chooses the profile, --profile overrides it" {
	VACCEL_PROFILE=noop run "$VACCEL" --json plugins
	[ "$status" -eq 0 ]
	[ "$(json_get "$output" 'd["plugins"][0]["name"]')" = noop ]
	VACCEL_PROFILE=noop run "$VACCEL" --profile native --json plugins
	[ "$(json_get "$output" 'd["plugins"][0]["name"]')" = openblas ]
}

@test "VACCEL_PLUGINS replaces the profile's plugins" {
	VACCEL_PLUGINS=noop run "$VACCEL" --profile native --json plugins
	[ "$status" -eq 0 ]
	[ "$(json_get "$output" 'len(d["plugins"])')" = 1 ]
	[ "$(json_get "$output" 'd["ops"]["blas_sgemm"]')" = noop ]
}

@test "a profile naming a plugin built for another ABI is refused" {
	printf 'plugins:\n  - path: %s/libvaccel-badabi.so\n' "$TEST_PLUGINS" > "$TMP/bad.yaml"
	run "$VACCEL" --profile "$TMP/bad.yaml" noop
	[ "$status" -eq 2 ]
	[[ "$output" == *"built for plugin ABI version 100"*"speaks version 2"* ]]
}

@test "output that cannot be written is a failure that says so" {
	run sh -c "'$VACCEL' --profile native sgemm -m 8 -n 8 -k 8 > /dev/full"
	[ "$status" -eq 1 ]
	[[ "$output" == *"writing standard output: No space left on device"* ]]
	run sh -c "'$VACCEL' --profile native --json noop -i 3 > /dev/full"
	[ "$status" -eq 1 ]
}

@test "each vision command has its own help, and --top only where it means something" {
	run "$VACCEL" detect --help
	[ "$status" -eq 0 ]
	[[ "$output" == *"box SCORE X Y W H LABEL"* ]]
	[[ "$output" != *"--top"* ]]
	run "$VACCEL" pose --help
	[[ "$output" == *"keypoint SCORE X Y PART"* ]]
	run "$VACCEL" classify --help
	[[ "$output" == *"class SCORE LABEL"* ]]
	[[ "$output" == *"--top"* ]]
	run "$VACCEL" pose --top 3 x.jpg
	[ "$status" -eq 2 ]
}

@test "global options work after the command too" {
	run "$VACCEL" sgemm -m 8 -n 8 -k 8 --json --profile noop
	[ "$status" -eq 0 ]
	[ "$(json_get "$output" 'd["command"], d["plugin"]')" = "('sgemm', 'noop')" ]
	run "$VACCEL" noop -i 2 -p noop --log-level=error
	[ "$status" -eq 0 ]
	[[ "$output" == *"plugin=noop"* ]]
	run "$VACCEL" noop -i 2 --log-level bogus
	[ "$status" -eq 2 ]
	[[ "$output" == *"--log-level: 'bogus'"* ]]
}

@test "long work draws a progress line on a terminal's stderr, and nothing when piped" {
	command -v script >/dev/null || skip "needs script(1) for a terminal"
	run sh -c "'$VACCEL' sgemm -m 200 -n 200 -k 200 -i 3000 2>&1 >/dev/null"
	[ "$status" -eq 0 ]
	[ -z "$output" ]
	local t0=$SECONDS
	script -qec "'$VACCEL' sgemm -m 200 -n 200 -k 200 -i 3000" /dev/null > "$TMP/tty.out"
	# The line comes only for work longer than a second.
	if [ $((SECONDS - t0)) -ge 2 ]; then
		grep -q 'vaccel sgemm: [0-9]*/3000, ' "$TMP/tty.out"
	fi
	grep -q '^gflops:' "$TMP/tty.out"
}
