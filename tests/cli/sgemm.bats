#!/usr/bin/env bats
# SPDX-License-Identifier: Apache-2.0
# vaccel sgemm: the main job, files, verification, JSON and errors.
load helpers

@test "sgemm --verify prints checksum, max error, time and GFLOP/s" {
	run "$VACCEL" sgemm -m 128 -n 96 -k 64 --verify
	[ "$status" -eq 0 ]
	[[ "$(field checksum "$output")" =~ ^-?[0-9]+\.[0-9]+$ ]]
	[[ "$(field max_error "$output")" == *": ok" ]]
	[[ "$(field time "$output")" == *" ms best"* ]]
	[[ "$(field gflops "$output")" =~ ^[0-9]+\.[0-9]+$ ]]
	[[ "$output" == *"plugin=openblas"* ]]
}

@test "sgemm --json is one object with the documented keys" {
	run "$VACCEL" --json sgemm -m 33 -n 17 -k 9 --alpha 2 --beta 0.5 --verify -i 3
	[ "$status" -eq 0 ]
	[ "$(json_get "$output" 'd["command"]')" = sgemm ]
	[ "$(json_get "$output" '(d["m"], d["n"], d["k"], d["iterations"])')" = "(33, 17, 9, 3)" ]
	[ "$(json_get "$output" 'd["verified"] and d["ok"]')" = True ]
	[ "$(json_get "$output" 'd["max_rel_error"] <= d["tolerance"]')" = True ]
	[ "$(json_get "$output" 'd["time_ms"]["best"] <= d["time_ms"]["mean"]')" = True ]
	[ "$(json_get "$output" 'd["gflops"] > 0')" = True ]
	[ "$(json_get "$output" 'd["plugin"]')" = openblas ]
}

@test "the same seed gives the same checksum, another seed another" {
	a="$("$VACCEL" --json sgemm -m 50 -n 40 -k 30 --seed 7)"
	b="$("$VACCEL" --json sgemm -m 50 -n 40 -k 30 --seed 7)"
	c="$("$VACCEL" --json sgemm -m 50 -n 40 -k 30 --seed 8)"
	[ "$(json_get "$a" 'd["checksum"]')" = "$(json_get "$b" 'd["checksum"]')" ]
	[ "$(json_get "$a" 'd["checksum"]')" != "$(json_get "$c" 'd["checksum"]')" ]
}

@test "matrices from files: exact product written with -o" {
	printf '1 2 3\n4 5 6\n' > "$TMP/a"
	printf '# B is 3x2\n1 0\n0 1\n1 1\n' > "$TMP/b"
	printf '1 1\n1 1\n' > "$TMP/c"
	run "$VACCEL" sgemm --a "$TMP/a" --b "$TMP/b" --c "$TMP/c" --beta 10 --verify -o "$TMP/out"
	[ "$status" -eq 0 ]
	[[ "$output" == *"sgemm 2x2x3"* ]]
	[ "$(cat "$TMP/out")" = "$(printf '14 15\n20 21')" ]
	[ "$(field checksum "$output")" = "70.000000" ]
}

@test "the noop profile leaves C alone, so the checksum is the input's" {
	printf '1 2\n3 4\n' > "$TMP/a"
	printf '5 6\n7 8\n' > "$TMP/c"
	run "$VACCEL" --profile noop sgemm --a "$TMP/a" --b "$TMP/a" --c "$TMP/c"
	[ "$status" -eq 0 ]
	[ "$(field checksum "$output")" = "26.000000" ]
	[[ "$output" == *"plugin=noop"* ]]
}

@test "--verify catches a wrong result (exit 5)" {
	run "$VACCEL" --profile noop sgemm -m 8 -n 8 -k 8 --verify
	[ "$status" -eq 5 ]
	[[ "$output" == *"FAILED"* ]]
	[[ "$output" == *"exceeds tolerance"* ]]
}

@test "--plugin pins the session" {
	run "$VACCEL" --json --profile "$TOP_SRCDIR/configs/native.yaml" sgemm -m 4 -n 4 -k 4 --plugin exec
	[ "$status" -eq 4 ]
	[[ "$output" == *"no plugin of profile"* ]]
	run "$VACCEL" sgemm -m 4 -n 4 -k 4 --plugin nosuch
	[ "$status" -eq 2 ]
	[[ "$output" == *"no plugin 'nosuch'"* ]]
}

@test "bad sizes and numbers are usage errors (2)" {
	run "$VACCEL" sgemm -m 0
	[ "$status" -eq 2 ]
	[[ "$output" == *"-m: '0' is not a size"* ]]
	run "$VACCEL" sgemm --alpha abc
	[ "$status" -eq 2 ]
	run "$VACCEL" sgemm -i -3
	[ "$status" -eq 2 ]
	run "$VACCEL" sgemm extra
	[ "$status" -eq 2 ]
}

@test "bad matrix files are input errors (3) naming file and line" {
	run "$VACCEL" sgemm --a "$TMP/missing"
	[ "$status" -eq 3 ]
	[[ "$output" == *"$TMP/missing: No such file"* ]]
	printf '1 2\n3 x\n' > "$TMP/bad"
	run "$VACCEL" sgemm --a "$TMP/bad"
	[ "$status" -eq 3 ]
	[[ "$output" == *"$TMP/bad:2: column 2: 'x' is not a number"* ]]
	printf '1 2\n3\n' > "$TMP/ragged"
	run "$VACCEL" sgemm --a "$TMP/ragged"
	[ "$status" -eq 3 ]
	[[ "$output" == *"$TMP/ragged:2: row has 1 numbers, earlier rows have 2"* ]]
	: > "$TMP/empty"
	run "$VACCEL" sgemm --a "$TMP/empty"
	[ "$status" -eq 3 ]
	[[ "$output" == *"empty matrix"* ]]
	printf '1 2\n' > "$TMP/a"
	printf '1 2\n' > "$TMP/b"
	run "$VACCEL" sgemm --a "$TMP/a" --b "$TMP/b"
	[ "$status" -eq 3 ]
	[[ "$output" == *"matrix B is 1x2, the options ask for 2x"* ]]
	head -c 64 /dev/urandom > "$TMP/bin"
	printf '\0' >> "$TMP/bin"
	run "$VACCEL" sgemm --a "$TMP/bin"
	[ "$status" -eq 3 ]
}
